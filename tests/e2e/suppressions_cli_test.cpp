// Suppressions end to end: --suppressions, SARIF suppressions, --sarif-omit-suppressed, exit status.
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::run_command;
using testing::TempDir;

CommandResult fleetaudit(const std::string& arguments, const std::string& stderr_file = "/dev/null") {
  return testing::run_fleetaudit(arguments, stderr_file);
}

void expect_valid_sarif(const std::string& path) {
  CommandResult validation = testing::validate_sarif(path);
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The demo's shared certificate and its broad door-lock policy, suppressed from a file.
constexpr const char* kDemoSuppressions = R"({"suppressions": [
  {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK",
   "resourceIdentifier": {"deviceCertificateId": "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"},
   "suppressIndefinitely": true, "description": "lobby locks are replaced in December"},
  {"checkName": "CONFLICTING_CLIENT_IDS_CHECK", "resourceIdentifier": {"clientId": "gone"},
   "expirationDate": "2026-11-20T08:15:41Z"}
]})";

TEST(Suppressions, SarifCarriesSuppressionsOnEveryResult) {
  TempDir dir;
  dir.write("suppressions.json", kDemoSuppressions);
  CommandResult result = fleetaudit("audit fixtures/demo --suppressions " + dir.file("suppressions.json") +
                                        " --output " + dir.file("report.sarif"),
                                    dir.file("stderr.txt"));
  EXPECT_EQ(result.exit_status, 1);  // the broad policies are still open
  std::string sarif = testing::read_file(dir.file("report.sarif"));
  expect_valid_sarif(dir.file("report.sarif"));
  EXPECT_EQ(count(sarif, "\"suppressions\":["), count(sarif, "\"ruleId\":")) << "every result carries the array";
  EXPECT_EQ(count(sarif, "\"kind\":\"external\""), 1u);
  EXPECT_NE(sarif.find("\"justification\":\"lobby locks are replaced in December\""), std::string::npos);
  std::string errors = testing::read_file(dir.file("stderr.txt"));
  EXPECT_NE(errors.find("suppression of CONFLICTING_CLIENT_IDS_CHECK for clientId=gone: expired at "
                        "2026-11-20T08:15:41.000Z"),
            std::string::npos)
      << errors;

  CommandResult omitted = fleetaudit("audit fixtures/demo --sarif-omit-suppressed --suppressions " +
                                     dir.file("suppressions.json") + " --output " + dir.file("omitted.sarif"));
  EXPECT_EQ(omitted.exit_status, 1);
  std::string without = testing::read_file(dir.file("omitted.sarif"));
  expect_valid_sarif(dir.file("omitted.sarif"));
  EXPECT_EQ(without.find("\"suppressions\""), std::string::npos);
  EXPECT_EQ(without.find("c72dc03049dcbbdb"), std::string::npos);
  EXPECT_EQ(count(without, "\"ruleId\":") + 1, count(sarif, "\"ruleId\":"));
}

TEST(Suppressions, JsonAndTextKeepSuppressedFindingsAndExitZeroWhenAllAreSuppressed) {
  TempDir dir;
  dir.write("manifest.json", R"({"formatVersion": 1, "exportedAt": "2026-01-01T00:00:00Z", "accountId": "111122223333"})");
  dir.write("logging-v1.json", R"({"logLevel": "DISABLED"})");
  dir.write("suppressions.json", R"({"suppressions": [{"checkName": "LOGGING_DISABLED_CHECK",
    "resourceIdentifier": {"account": "111122223333"}, "suppressIndefinitely": true, "description": "lab account"}]})");
  const std::string base = "audit '" + dir.path() + "' --suppressions " + dir.file("suppressions.json");
  CommandResult json = fleetaudit(base + " --format json");
  EXPECT_EQ(json.exit_status, 0) << json.output;
  EXPECT_NE(json.output.find("\"isSuppressed\": true"), std::string::npos) << json.output;
  CommandResult text = fleetaudit(base + " --format text");
  EXPECT_EQ(text.exit_status, 0);
  EXPECT_NE(text.output.find("Summary: 0 findings (and 1 suppressed)"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Suppressed: lab account"), std::string::npos) << text.output;

  dir.write("broken.json", R"({"suppressions": [{"checkName": 3}]})");
  EXPECT_EQ(fleetaudit("audit '" + dir.path() + "' --suppressions " + dir.file("broken.json")).exit_status, 2);
  EXPECT_EQ(fleetaudit("audit '" + dir.path() + "' --suppressions " + dir.file("missing.json")).exit_status, 2);
}

}  // namespace
}  // namespace fleetaudit
