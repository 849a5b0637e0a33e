// The CLI end to end: exit statuses, determinism, golden reports, SARIF schema validation.
#include <gtest/gtest.h>

#include <cstdlib>

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

// Golden files are checked by eye when they change: FLEETAUDIT_UPDATE_GOLDEN=1 rewrites them.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = testing::source_dir() + "/tests/e2e/golden/" + name;
  if (std::getenv("FLEETAUDIT_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(testing::read_file(path), actual) << "golden file " << name << " differs";
}

TEST(Cli, DemoTextTellsTheStoryAndExitsOne) {
  CommandResult result = fleetaudit("audit fixtures/demo --format text");
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("NON-COMPLIANT CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("NON-COMPLIANT CRITICAL IOT_POLICY_OVERLY_PERMISSIVE_CHECK"), std::string::npos);
  EXPECT_NE(result.output.find("NON-COMPLIANT LOW      LOGGING_DISABLED_CHECK"), std::string::npos);
  for (size_t start = 0, end; (end = result.output.find('\n', start)) != std::string::npos; start = end + 1)
    EXPECT_LE(end - start, 80u) << result.output.substr(start, end - start);
  expect_golden("demo.txt", result.output);
}

TEST(Cli, DemoSarifIsValidGoldenAndDeterministic) {
  TempDir dir;
  CommandResult first = fleetaudit("audit fixtures/demo --output " + dir.file("first.sarif"));
  CommandResult second = fleetaudit("audit fixtures/demo --format sarif --output " + dir.file("second.sarif"));
  EXPECT_EQ(first.exit_status, 1);
  EXPECT_EQ(second.exit_status, 1);
  std::string sarif = testing::read_file(dir.file("first.sarif"));
  EXPECT_EQ(sarif, testing::read_file(dir.file("second.sarif")));
  expect_valid_sarif(dir.file("first.sarif"));
  expect_golden("demo.sarif", sarif);
}

TEST(Cli, DemoAwsJsonIsGoldenAndDeterministic) {
  CommandResult first = fleetaudit("audit fixtures/demo --format json");
  CommandResult second = fleetaudit("audit fixtures/demo --format json");
  EXPECT_EQ(first.exit_status, 1);
  EXPECT_EQ(first.output, second.output);
  EXPECT_NE(first.output.find("\"reasonForNonComplianceCode\": \"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES\""),
            std::string::npos);
  expect_golden("demo.json", first.output);
}

TEST(Cli, CompliantSnapshotExitsZero) {
  TempDir dir;
  dir.write("manifest.json", R"({"formatVersion": 1, "exportedAt": "2026-01-01T00:00:00Z", "accountId": "111122223333"})");
  dir.write("logging-v2.json", R"({"roleArn": "arn:aws:iam::111122223333:role/log", "defaultLogLevel": "ERROR", "disableAllLogs": false})");
  CommandResult result = fleetaudit("audit '" + dir.path() + "' --format text");
  EXPECT_EQ(result.exit_status, 0) << result.output;
  EXPECT_NE(result.output.find("compliant     LOW      LOGGING_DISABLED_CHECK"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("not run       CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK"), std::string::npos);
}

TEST(Cli, BadInputExitsTwoButStillWritesTheWholeReport) {
  TempDir dir;
  dir.write("manifest.json", R"({"formatVersion": 1, "exportedAt": "2026-01-01T00:00:00Z", "accountId": "111122223333"})");
  dir.write("logging-v1.json", R"({"logLevel": "DISABLED"})");
  dir.write("certificates.json", "{\"certificateDescriptions\": [\n  {\"certificateId\": 5, \"status\": \"ACTIVE\"}\n]}\n");
  CommandResult result = fleetaudit("audit '" + dir.path() + "' --output " + dir.file("report.sarif"),
                                    dir.file("stderr.txt"));
  EXPECT_EQ(result.exit_status, 2);
  std::string errors = testing::read_file(dir.file("stderr.txt"));
  EXPECT_NE(errors.find("fleetaudit: error: certificates.json:2:21: certificateDescriptions[0].certificateId: "
                        "expected a string"),
            std::string::npos)
      << errors;
  std::string sarif = testing::read_file(dir.file("report.sarif"));
  EXPECT_NE(sarif.find("\"executionSuccessful\": false"), std::string::npos);
  EXPECT_NE(sarif.find("LOGGING_DISABLED"), std::string::npos);  // the rest was still evaluated
  expect_valid_sarif(dir.file("report.sarif"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(fleetaudit("audit fixtures/does-not-exist").exit_status, 2);
  EXPECT_EQ(fleetaudit("audit fixtures/demo --format xml").exit_status, 2);
  EXPECT_EQ(fleetaudit("audit fixtures/demo --now yesterday").exit_status, 2);
  EXPECT_EQ(fleetaudit("").exit_status, 2);
  EXPECT_EQ(fleetaudit("--version").output, "fleetaudit " FLEETAUDIT_VERSION "\n");
}

TEST(Cli, ConfigWithUnknownCheckListsValidNames) {
  TempDir dir;
  dir.write("config.json", R"({"auditCheckConfigurations": {"NOT_A_CHECK": {"enabled": true}}})");
  CommandResult result = fleetaudit("audit fixtures/demo --config " + dir.file("config.json"), dir.file("stderr.txt"));
  EXPECT_EQ(result.exit_status, 2);
  std::string errors = testing::read_file(dir.file("stderr.txt"));
  EXPECT_NE(errors.find("unknown check NOT_A_CHECK; valid check names:\n  "), std::string::npos) << errors;
  EXPECT_NE(errors.find("\n  DEVICE_CERTIFICATE_SHARED_CHECK\n"), std::string::npos) << errors;
}

TEST(Cli, ConfigDisablesChecksItDoesNotEnable) {
  TempDir dir;
  dir.write("config.json", R"({"auditCheckConfigurations": {"LOGGING_DISABLED_CHECK": {"enabled": true}}})");
  CommandResult result = fleetaudit("audit fixtures/demo --format text --config " + dir.file("config.json"));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("disabled      CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("NON-COMPLIANT LOW      LOGGING_DISABLED_CHECK"), std::string::npos);
}

TEST(Cli, NowOverridesTheManifestClock) {
  CommandResult result = fleetaudit("audit fixtures/demo --format text --now 2030-01-02T03:04:05Z");
  EXPECT_NE(result.output.find("Audit clock 2030-01-02T03:04:05.000Z (--now)"), std::string::npos) << result.output;
}

TEST(Cli, ChecksListsTheCatalogue) {
  CommandResult result = fleetaudit("checks");
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_NE(result.output.find("IOT_POLICY_OVERLY_PERMISSIVE_CHECK"), std::string::npos);
  EXPECT_NE(result.output.find("ACCOUNT_SETTINGS"), std::string::npos);
}

}  // namespace
}  // namespace fleetaudit

namespace fleetaudit {
namespace {

TEST(Cli, WeakKeyBlocklistsDirectoryIsUsedAndCounted) {
  TempDir dir;
  dir.write("blacklist.RSA-2048", "# one entry\n042dcb33f1f6f3ce9eee\n");
  CommandResult result =
      fleetaudit("audit fixtures/device_certificate_key_quality_check/debian-weak-keys --format text "
                 "--weak-key-blocklists " + dir.path());
  EXPECT_NE(result.output.find("Debian weak-key blocklist: 1 entries (RSA-2048: 1)"), std::string::npos)
      << result.output;
  // Only hoefling's key is on this one-entry list.
  EXPECT_NE(result.output.find("1 of 3 non-compliant"), std::string::npos) << result.output;
  EXPECT_EQ(fleetaudit("audit fixtures/demo --weak-key-blocklists /nonexistent/weak-keys").exit_status, 2);
}

}  // namespace
}  // namespace fleetaudit
