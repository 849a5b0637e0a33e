// --baseline and --fail-on end to end: the demo, then the demo with one policy fixed.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

// A copy of the demo whose LegacyFullAccess policy grants nothing broad any more.
std::string demo_with_fixed_policy(const TempDir& dir) {
  const std::string copy = dir.file("demo2");
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", copy);
  std::string policies = testing::read_file(copy + "/policies.json");
  const std::string broad = R"(\"Action\":\"iot:*\",\"Resource\":\"*\")";
  const size_t at = policies.find(broad);
  EXPECT_NE(at, std::string::npos);
  policies.replace(at, broad.size(), R"(\"Action\":\"iot:Connect\",\"Resource\":\"arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}\")");
  dir.write("demo2/policies.json", policies);
  return copy;
}

TEST(Baseline, FixedPolicyIsAbsentAndFailOnNewPasses) {
  TempDir dir;
  ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format json --output " + dir.file("first.json")).exit_status, 1);
  ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format sarif --output " + dir.file("first.sarif")).exit_status, 1);
  const std::string changed = demo_with_fixed_policy(dir);
  for (const std::string baseline : {"first.json", "first.sarif"}) {
    CommandResult text = testing::run_fleetaudit("audit '" + changed + "' --format text --baseline " + dir.file(baseline));
    EXPECT_EQ(text.exit_status, 1);
    EXPECT_NE(text.output.find("0 new, 0 updated, 4 unchanged, 1 fixed since the audit of"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("policyVersionIdentifier LegacyFullAccess@1"), std::string::npos);
    EXPECT_EQ(testing::run_fleetaudit("audit '" + changed + "' --fail-on new --baseline " + dir.file(baseline)).exit_status, 0);
    EXPECT_EQ(testing::run_fleetaudit("audit '" + changed + "' --fail-on CRITICAL --baseline " + dir.file(baseline)).exit_status, 1);
  }
  ASSERT_EQ(testing::run_fleetaudit("audit '" + changed + "' --baseline " + dir.file("first.sarif") + " --output " + dir.file("second.sarif")).exit_status, 1);
  const std::string sarif = testing::read_file(dir.file("second.sarif"));
  EXPECT_NE(sarif.find("\"baselineState\": \"absent\""), std::string::npos);
  EXPECT_NE(sarif.find("\"baselineGuid\""), std::string::npos);
  EXPECT_EQ(testing::validate_sarif(dir.file("second.sarif")).exit_status, 0);
}

TEST(Baseline, MissingOrForeignBaselineIsRefused) {
  TempDir dir;
  EXPECT_EQ(testing::run_fleetaudit("audit fixtures/demo --baseline " + dir.file("none.json")).exit_status, 2);
  EXPECT_EQ(testing::run_fleetaudit("audit fixtures/demo --fail-on new").exit_status, 2);
  ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format json --output " + dir.file("first.json")).exit_status, 1);
  std::string report = testing::read_file(dir.file("first.json"));
  const size_t at = report.find("\"accountId\": \"123456789012\"");
  ASSERT_NE(at, std::string::npos);
  report.replace(at, 27, "\"accountId\": \"999999999999\"");
  dir.write("foreign.json", report);
  EXPECT_EQ(testing::run_fleetaudit("audit fixtures/demo --baseline " + dir.file("foreign.json")).exit_status, 2);
}

}  // namespace
}  // namespace fleetaudit
