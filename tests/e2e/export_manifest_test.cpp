// What fleetaudit-export writes about its own work in manifest.json: files it could not export
// (`skipped`, with its reason) make the checks that need them "not run" with that reason, and an
// export that did not finish (`complete: false`) leaves every check that ran incomplete, every
// check that needs a file it lacks (`missingFiles`, `partialFiles`, or simply absent) not run with
// the exporter's reason, and the audit's exit status 2, never 0.
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

// The text report with its wrapped lines joined: runs of white space become one space.
std::string unwrapped(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space || (!out.empty() && out.back() != ' ')) out += space ? ' ' : c;
  }
  return out;
}

// The auditDetails entry of one check in the json report.
std::string audit_details(const std::string& report, const std::string& check) {
  const size_t entry = report.find("\"" + check + "\": {");
  if (entry == std::string::npos) return {};
  return report.substr(entry, report.find('}', entry) - entry);
}

TEST(ExportManifest, FilesAFailedExportListsAsMissingOrPartialMakeTheirChecksNotRunNamingTheFile) {
  TempDir work;
  const std::string snapshot = demo_with_manifest(work, R"("complete": false, "skipped": [],
    "missingFiles": [{"file": "certificates.json", "reason": "iot:DescribeCertificate (certificateId=c7) failed: X"}],
    "partialFiles": [{"file": "thing-principals.json", "reason": "not finished: the export stopped", "recordsKept": 9}],
    "error": "iot:DescribeCertificate (certificateId=c7) failed: X", "errors": ["iot:DescribeCertificate failed: X"])");
  std::filesystem::remove(work.file("s/certificates.json"));
  std::filesystem::remove(work.file("s/thing-principals.json"));
  testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  EXPECT_EQ(text.exit_status, 2) << testing::read_file(work.file("err.txt"));
  const std::string report = unwrapped(text.output);
  EXPECT_NE(report.find(" not run MEDIUM DEVICE_CERTIFICATE_EXPIRING_CHECK certificates.json was not exported: "
                        "iot:DescribeCertificate (certificateId=c7) failed: X "),
            std::string::npos)
      << text.output;
  // The shared-certificate check needs certificates.json, thing-principals.json or iot-logs/: none is there.
  const size_t shared = report.find(" not run CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK ");
  ASSERT_NE(shared, std::string::npos) << text.output;
  EXPECT_NE(report.find("thing-principals.json was not exported whole (only part of it was fetched): not finished: "
                        "the export stopped; ",
                        shared),
            std::string::npos)
      << text.output;
  EXPECT_EQ(text.output.find("  compliant "), std::string::npos) << text.output;
  testing::CommandResult json = testing::run_fleetaudit("audit '" + snapshot + "' --format json");
  EXPECT_EQ(json.exit_status, 2);
  const std::string details = audit_details(json.output, "DEVICE_CERTIFICATE_EXPIRING_CHECK");
  EXPECT_NE(details.find("\"checkRunStatus\": \"FAILED\""), std::string::npos) << details;
  EXPECT_NE(details.find("\"errorCode\": \"INPUT_MISSING\""), std::string::npos) << details;
}

TEST(ExportManifest, AnUnfinishedExportThatListsNothingStillLacksEveryFileItDoesNotHold) {
  // An export killed mid-way leaves the manifest it wrote at its start: complete false, no lists.
  TempDir work;
  const std::string snapshot = demo_with_manifest(
      work, R"j("complete": false, "skipped": [], "error": "the export is under way (or was killed)")j");
  std::filesystem::remove(work.file("s/certificates.json"));
  testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  EXPECT_EQ(text.exit_status, 2);
  EXPECT_NE(unwrapped(text.output)
                .find(" not run MEDIUM DEVICE_CERTIFICATE_EXPIRING_CHECK certificates.json was not exported: the "
                      "export did not finish (manifest.json: complete is false: the export is under way (or was "
                      "killed)) "),
            std::string::npos)
      << text.output;
}

TEST(ExportManifest, APartialFileThatIsThereAfterAllLeavesTheChecksThatReadItIncomplete) {
  TempDir work;
  const std::string snapshot = demo_with_manifest(work, R"("complete": true, "skipped": [],
    "partialFiles": [{"file": "certificates.json", "reason": "cut short", "recordsKept": 2}])");
  testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  EXPECT_EQ(text.exit_status, 2);
  const std::string report = unwrapped(text.output);
  const size_t expiring = report.find(" INCOMPLETE MEDIUM DEVICE_CERTIFICATE_EXPIRING_CHECK ");
  ASSERT_NE(expiring, std::string::npos) << text.output;
  EXPECT_NE(report.find("manifest.json lists certificates.json as partial: cut short", expiring), std::string::npos)
      << text.output;
}

TEST(ExportManifest, AnUnfinishedExportExitsTwoEvenWhenNoCheckRuns) {
  // Every AWS check disabled by the account's configuration (fleetaudit's own checks run, on whole
  // files): the snapshot is still of part of the account. The same snapshot, complete, exits 0.
  for (const bool complete : {false, true}) {
    TempDir work;
    const std::string snapshot =
        demo_with_manifest(work, std::string(R"("skipped": [], "complete": )") + (complete ? "true" : "false"));
    work.write("s/audit-configuration.json", R"({"auditCheckConfigurations": {}})");
    testing::CommandResult text = testing::run_fleetaudit("audit '" + snapshot + "' --format text");
    EXPECT_EQ(text.exit_status, complete ? 0 : 2) << text.output;
    if (!complete) {
      EXPECT_EQ(text.output.find("  compliant "), std::string::npos) << text.output;
    }
  }
}

}  // namespace
}  // namespace fleetaudit
