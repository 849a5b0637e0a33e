// When no enabled check reads device certificates' PEMs, the loader does not decode them (most of
// a snapshot's cost), yet a private key where a certificate belongs is still reported.
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

const std::string kFixture = "fixtures/device_certificate_key_quality_check/unreadable-pem";

std::string audit_errors(const testing::TempDir& work, const std::string& configuration) {
  work.write("config.json", configuration);
  auto result = testing::run_fleetaudit("audit " + kFixture + " --format text --config " + work.file("config.json"),
                                        work.file("stderr.txt"));
  EXPECT_EQ(result.exit_status, 2);  // the unreadable PEMs are input problems either way
  return testing::read_file(work.file("stderr.txt"));
}

TEST(PemSkipping, OnlyTheBeginLineIsCheckedWhenNoCheckReadsPems) {
  testing::TempDir work;
  // fleetaudit's own certificate checks read PEMs and stay enabled unless disabled by name.
  const std::string errors = audit_errors(work, R"({"auditCheckConfigurations": {
      "DEVICE_CERTIFICATE_SHARED_CHECK": {"enabled": true},
      "FLEETAUDIT_CERTIFICATE_SNAPSHOT_INTEGRITY_CHECK": {"enabled": false},
      "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK": {"enabled": false},
      "FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK": {"enabled": false}}})");
  EXPECT_NE(errors.find("certificates.json:37:25: certificateDescriptions[2].certificatePem (certificateId "
                        "\"76839aadc5f736f3a2ecc83cf3b9314e58c4681fa9ffda2eca6a1d4346bcfd86\"): cannot read the "
                        "certificate: holds a private key"),
            std::string::npos)
      << errors;
  EXPECT_EQ(errors.find("text after the -----END line"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("invalid character in the base64 body"), std::string::npos) << errors;
}

TEST(PemSkipping, EveryPemIsDecodedWhenAnEnabledCheckReadsThem) {
  testing::TempDir work;
  // Only an AWS check that reads no PEM is named: fleetaudit's own certificate checks still run.
  const std::string errors = audit_errors(
      work, R"({"auditCheckConfigurations": {"DEVICE_CERTIFICATE_SHARED_CHECK": {"enabled": true}}})");
  for (const char* problem : {"holds a private key", "text after the -----END line", "invalid character in the base64 body"})
    EXPECT_NE(errors.find(problem), std::string::npos) << problem << "\n" << errors;
}

}  // namespace
}  // namespace fleetaudit
