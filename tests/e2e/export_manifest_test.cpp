// What fleetaudit-export writes about its own work in manifest.json: files it could not export
// (`skipped`, with its reason) make the checks that need them "not run" with that reason, and an
// export that did not finish (`complete: false`) leaves every check that ran incomplete (exit 2).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

std::string demo_with_manifest(const TempDir& work, const std::string& extra_manifest_fields) {
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  std::filesystem::remove(work.file("s/audit-configuration.json"));  // every check enabled
  work.write("s/manifest.json", R"({"formatVersion": 1, "exportedAt": "2026-11-20T08:15:42Z", "accountId": "123456789012",
    "region": "eu-west-1", "exporter": {"name": "fleetaudit-export", "version": "0.1.0"}, )" +
                                    extra_manifest_fields + "}");
  return work.file("s");
}

TEST(ExportManifest, FilesTheExporterSkippedMakeTheirChecksNotRunWithItsReason) {
  TempDir work;
  const std::string snapshot = demo_with_manifest(work, R"("complete": true, "skipped": [
    {"file": "certificates.json", "reason": "access denied to iot:ListCertificates: AccessDeniedException: no"}])");
  std::filesystem::remove(work.file("s/certificates.json"));
  testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  // Exit status 2: the checks that read certificates.json beside other files are incomplete.
  EXPECT_EQ(text.exit_status, 2) << testing::read_file(work.file("err.txt"));
  EXPECT_NE(text.output.find("  not run       MEDIUM   DEVICE_CERTIFICATE_EXPIRING_CHECK\n                         "
                             "certificates.json was not exported: access denied to"),
            std::string::npos)
      << text.output;
  testing::CommandResult json = testing::run_fleetaudit("audit '" + snapshot + "' --format json");
  const size_t entry = json.output.find("\"DEVICE_CERTIFICATE_EXPIRING_CHECK\": {");
  ASSERT_NE(entry, std::string::npos) << json.output;
  const std::string details = json.output.substr(entry, json.output.find('}', entry) - entry);
  EXPECT_NE(details.find("\"checkRunStatus\": \"FAILED\""), std::string::npos) << details;
  EXPECT_NE(details.find("\"errorCode\": \"INSUFFICIENT_PERMISSIONS\""), std::string::npos) << details;
}

TEST(ExportManifest, AnUnfinishedExportLeavesEveryCheckThatRanIncomplete) {
  TempDir work;
  const std::string snapshot = demo_with_manifest(
      work, R"("complete": false, "skipped": [], "error": "iot:DescribeCertificate (certificateId=c7) failed: Throttling")");
  testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  EXPECT_EQ(text.exit_status, 2);
  const std::string errors = testing::read_file(work.file("err.txt"));
  EXPECT_NE(errors.find("the exporter did not finish (iot:DescribeCertificate (certificateId=c7) failed: Throttling)"),
            std::string::npos)
      << errors;
  EXPECT_EQ(text.output.find("  compliant "), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("  INCOMPLETE    CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK"), std::string::npos) << text.output;
}

}  // namespace
}  // namespace fleetaudit
