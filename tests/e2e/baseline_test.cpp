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
  const size_t at = report.find("\"accountId\": \"123456789012\"", report.find("\"fleetaudit\": {"));
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

// A baseline is untrusted: one that is not a fleetaudit report, or whose members have the wrong
// types, is refused with exit status 2 and the JSON path of what is wrong (not read as "no
// findings", which made every finding new and exited 1).
TEST(Baseline, WrongMemberTypesAreRefusedWithTheirPath) {
  TempDir dir;
  const std::string metadata = R"("fleetaudit": {"accountId": "123456789012", "region": "eu-west-1",
    "auditClock": "2026-11-20T08:15:42Z", "automationGuid": "g")";
  const std::string finding = R"({"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK", "nonCompliantResource":
    {"resourceType": "DEVICE_CERTIFICATE", "resourceIdentifier": {"deviceCertificateId": "c1"}}, "isSuppressed": false})";
  const std::string sarif_head = R"({"runs": [{"automationDetails": {"guid": "g"}, "invocations": [{"properties":
    {"accountId": "123456789012", "region": "eu-west-1", "auditClock": "2026-11-20T08:15:42Z"}}], "results": )";
  const struct {
    std::string text;
    std::string reason;  // empty: accepted
  } cases[] = {
      {"{" + metadata + R"(}, "findings": []})", ""},
      {"{" + metadata + R"(}, "findings": [)" + finding + "]}", ""},
      {sarif_head + "[]}]}", ""},
      {"{" + metadata + R"(}, "findings": {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK"}})",
       "findings: expected an array"},
      {"{" + metadata + R"(}, "findings": [7]})", "findings[0]: expected an object (an AuditFinding)"},
      {"{" + metadata + R"(}, "findings": [{"checkName": 7}]})", "findings[0].checkName: expected a string"},
      {"{" + metadata + R"(}, "findings": [)" + finding + ", " +
           std::string(R"({"checkName": "X", "nonCompliantResource": {"resourceIdentifier": {"clientId": "a"}},
           "isSuppressed": "no"}]})"),
       "findings[1].isSuppressed: expected true or false"},
      {"{" + metadata + R"(, "checks": {}}, "findings": []})", "fleetaudit.checks: expected an array"},
      {"{" + metadata + R"(}, "findings": [{"checkName": "X", "nonCompliantResource": {"resourceIdentifier":
           {"clientId": "a"}}, "firstDetectionTime": "yesterday"}]})",
       "findings[0].firstDetectionTime: expected an ISO 8601 time"},
      {R"({"fleetaudit": {"accountId": 123456789012}, "findings": []})", "fleetaudit.accountId: expected a string"},
      {sarif_head + "{}}]}", "runs[0].results: expected an array"},
      {sarif_head + R"([{"ruleId": "X", "properties": {"resourceIdentifier": "clientId=a"}, "suppressions": {}}]}]})",
       "runs[0].results[0].suppressions: expected an array"},
  };
  for (const auto& each : cases) {
    dir.write("baseline.json", each.text);
    CommandResult run = testing::run_fleetaudit("audit fixtures/demo --format text --baseline " + dir.file("baseline.json"),
                                                dir.file("err.txt"));
    const std::string errors = testing::read_file(dir.file("err.txt"));
    if (each.reason.empty()) {
      EXPECT_EQ(run.exit_status, 1) << each.text << "\n" << errors;  // the demo's findings, all new
      continue;
    }
    EXPECT_EQ(run.exit_status, 2) << each.text;
    EXPECT_NE(errors.find("fleetaudit: error: cannot read --baseline " + dir.file("baseline.json") +
                          ": not usable as a "),
              std::string::npos)
        << errors;
    EXPECT_NE(errors.find(each.reason), std::string::npos) << each.text << "\n" << errors;
    EXPECT_EQ(run.output, "") << each.text;  // no report from a refused baseline
  }
}

// A report with one finding listed twice: the copy would match nothing and be reported "fixed".
TEST(Baseline, AFindingListedTwiceIsRefused) {
  TempDir dir;
  for (const std::string format : {"json", "sarif"}) {
    const std::string first = dir.file("first." + format);
    ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format " + format + " --output " + first).exit_status, 1);
    std::string report = testing::read_file(first);
    // The first finding (result) written once more after itself: JSON writes one over several
    // lines, closed at its own indentation; SARIF one a line.
    const std::string list = format == "json" ? "\"findings\": [" : "\"results\": [";
    const size_t open = report.find('{', report.find(list));
    ASSERT_NE(open, std::string::npos);
    const size_t line = report.rfind('\n', open) + 1;
    const std::string indent = report.substr(line, open - line);
    const size_t close = format == "json" ? report.find("\n" + indent + "}", open) + 1 + indent.size() + 1
                                          : report.find("},\n", open) + 1;
    const std::string element = report.substr(line, close - line);
    report.insert(close, ",\n" + element);
    dir.write("twice." + format, report);
    CommandResult run = testing::run_fleetaudit("audit fixtures/demo --format text --baseline " + dir.file("twice." + format),
                                                dir.file("err.txt"));
    const std::string errors = testing::read_file(dir.file("err.txt"));
    EXPECT_EQ(run.exit_status, 2) << errors;
    const std::string at = format == "json" ? "findings" : "runs[0].results";
    EXPECT_NE(errors.find(at + "[1]: the same finding as " + at + "[0] (the same check, resource and reason code)"),
              std::string::npos)
        << errors;
    EXPECT_EQ(run.output.find("fixed since"), std::string::npos) << run.output;
    // The report as written is accepted: nothing new, nothing fixed.
    CommandResult same = testing::run_fleetaudit("audit fixtures/demo --format text --baseline " + first);
    EXPECT_EQ(same.exit_status, 1);
    EXPECT_NE(same.output.find("0 new, 0 updated, "), std::string::npos) << same.output;
    EXPECT_NE(same.output.find(", 0 fixed since"), std::string::npos) << same.output;
  }
}

}  // namespace
}  // namespace fleetaudit
