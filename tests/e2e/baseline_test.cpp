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


// A new default version of a policy that was already broad is "updated"; a broad policy that was
// not there is "new": text, SARIF and HTML say so, and --fail-on new fails.
TEST(Baseline, NewVersionIsUpdatedAndNewPolicyIsNew) {
  TempDir dir;
  ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format json --output " + dir.file("first.json")).exit_status, 1);
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", dir.file("s"), std::filesystem::copy_options::recursive);
  const std::string edit = R"(import json, sys
path = sys.argv[1]
data = json.load(open(path))
legacy = next(p for p in data["policies"] if p["policyName"] == "LegacyFullAccess")
legacy["defaultVersionId"] = "2"
copy = dict(legacy, policyName="LegacyFullAccessCopy", policyArn=legacy["policyArn"] + "Copy", defaultVersionId="1")
data["policies"].append(copy)
json.dump(data, open(path, "w"), indent=2)
)";
  dir.write("edit.py", edit);
  ASSERT_EQ(testing::run_command("/usr/bin/python3 '" + dir.file("edit.py") + "' '" + dir.file("s/policies.json") + "'").exit_status, 0);
  const std::string baseline = " --baseline '" + dir.file("first.json") + "'";
  CommandResult text = testing::run_fleetaudit("audit '" + dir.file("s") + "' --format text" + baseline);
  EXPECT_NE(text.output.find("1 new, 1 updated, 4 unchanged, 0 fixed since the audit of"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("  - updated IOT_POLICY_OVERLY_PERMISSIVE_CHECK (CRITICAL)"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("  - new IOT_POLICY_OVERLY_PERMISSIVE_CHECK (CRITICAL)"), std::string::npos) << text.output;
  CommandResult sarif = testing::run_fleetaudit("audit '" + dir.file("s") + "'" + baseline);
  auto state_of = [&](const std::string& resource) {
    const size_t at = sarif.output.find("\"resourceIdentifier\":\"" + resource + "\"");
    if (at == std::string::npos) return std::string("missing");
    const size_t line = sarif.output.rfind('\n', at);
    const size_t state = sarif.output.find("\"baselineState\":\"", line);
    return sarif.output.substr(state + 17, sarif.output.find('"', state + 17) - state - 17);
  };
  EXPECT_EQ(state_of("policyVersionIdentifier=LegacyFullAccess@2"), "updated");
  EXPECT_EQ(state_of("policyVersionIdentifier=LegacyFullAccessCopy@1"), "new");
  EXPECT_EQ(state_of("policyVersionIdentifier=DoorLockPolicy@1"), "unchanged");
  CommandResult html = testing::run_fleetaudit("audit '" + dir.file("s") + "' --format html" + baseline);
  EXPECT_NE(html.output.find("data-state=\"updated\"><td><span class=\"badge\">updated</span></td><td class=\"resource\">"
                             "policy <b class=\"name\">LegacyFullAccess</b> version 2</td>"),
            std::string::npos);
  EXPECT_NE(html.output.find("data-state=\"new\"><td><span class=\"badge\">new</span></td><td class=\"resource\">"
                             "policy <b class=\"name\">LegacyFullAccessCopy</b> version 1</td>"),
            std::string::npos);
  EXPECT_EQ(testing::run_fleetaudit("audit '" + dir.file("s") + "' --fail-on new" + baseline).exit_status, 1);
}

}  // namespace
}  // namespace fleetaudit
