// `fleetaudit mitigate` end to end: the preview re-audits with the mitigated findings closed and
// nothing new opened (for every action type, on the demo fleet and on a generated fleet), the
// script is valid bash that quotes hostile names safely, and the input is never touched.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "analyzer/mitigate/mitigation_plan.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::run_command;
using testing::TempDir;

CommandResult fleetaudit(const std::string& arguments, const std::string& stderr_file = "/dev/null") {
  return testing::run_fleetaudit(arguments, stderr_file);
}

// "CHECK resource-key" of every finding an audit of `directory` reports.
std::set<std::string> open_findings(const std::string& directory) {
  CommandResult result = fleetaudit("audit '" + directory + "' --format json");
  EXPECT_NE(result.exit_status, 2) << directory;
  std::vector<std::string> errors;
  auto findings = parse_findings(result.output, errors);
  EXPECT_TRUE(findings.has_value());
  std::set<std::string> keys;
  if (findings)
    for (const MitigationFinding& finding : *findings) keys.insert(finding.check_name + " " + finding.resource.key());
  return keys;
}

std::map<std::string, std::string> directory_contents(const std::string& directory) {
  std::map<std::string, std::string> contents;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory))
    if (entry.is_regular_file()) contents[entry.path().string()] = testing::read_file(entry.path().string());
  return contents;
}

// Golden files are checked by eye when they change: FLEETAUDIT_UPDATE_GOLDEN=1 rewrites them.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = testing::source_dir() + "/tests/e2e/golden/" + name;
  if (std::getenv("FLEETAUDIT_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(testing::read_file(path), actual) << "golden file " << name << " differs";
}

const std::string kRole = "arn:aws:iam::123456789012:role/service-role/AWSIoTDeviceDefenderMitigation";

std::string action(const std::string& name, const std::string& params) {
  return R"({"actionName": ")" + name + R"(", "roleArn": ")" + kRole + R"(", "actionParams": {)" + params + "}}";
}
const std::string kNotify = action("Notify", R"("publishFindingToSnsParams": {"topicArn": "arn:aws:sns:eu-west-1:123456789012:audit"})");
const std::string kQuarantine = action("Quarantine", R"("addThingsToThingGroupParams": {"thingGroupNames": ["quarantine"]})");
const std::string kDeactivate = action("Deactivate", R"("updateDeviceCertificateParams": {"action": "DEACTIVATE"})");
const std::string kBlank = action("Blank", R"("replaceDefaultPolicyVersionParams": {"templateName": "BLANK_POLICY"})");
const std::string kLogging =
    action("Logs", R"("enableIoTLoggingParams": {"roleArnForLogging": "arn:aws:iam::123456789012:role/logs", "logLevel": "WARN"})");

std::string actions_file(const std::string& actions, const std::string& mapping) {
  return R"({"actions": [)" + actions +
         R"(], "task": {"taskId": "round-trip", "target": {"auditCheckToReasonCodeFilter": {
           "DEVICE_CERTIFICATE_SHARED_CHECK": ["CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"],
           "IOT_POLICY_OVERLY_PERMISSIVE_CHECK": ["ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"],
           "LOGGING_DISABLED_CHECK": ["LOGGING_DISABLED"]}}, "auditCheckToActionsMapping": {)" +
         mapping + "}}}";
}

struct RoundTrip {
  std::set<std::string> before, after;
  std::string plan, script, summary;
  std::string preview;
  int exit_status = -1;
};

RoundTrip mitigate(const std::string& snapshot, const std::string& actions, const TempDir& work,
                   const std::string& extra = "") {
  RoundTrip trip;
  work.write("actions.json", actions);
  trip.preview = work.file("preview");
  trip.before = open_findings(snapshot);
  CommandResult result = fleetaudit("mitigate '" + snapshot + "' --actions " + work.file("actions.json") + " --plan " +
                                        work.file("plan.json") + " --script " + work.file("fix.sh") + " --apply-to " +
                                        trip.preview + " " + extra,
                                    work.file("stderr.txt"));
  trip.exit_status = result.exit_status;
  trip.summary = result.output;
  EXPECT_EQ(result.exit_status, 0) << testing::read_file(work.file("stderr.txt"));
  trip.plan = testing::read_file(work.file("plan.json"));
  trip.script = testing::read_file(work.file("fix.sh"));
  trip.after = open_findings(trip.preview);
  return trip;
}

std::set<std::string> of_check(const std::set<std::string>& keys, const std::string& check) {
  std::set<std::string> result;
  for (const std::string& key : keys)
    if (key.rfind(check + " ", 0) == 0) result.insert(key);
  return result;
}

std::set<std::string> minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> result;
  for (const std::string& key : a)
    if (!b.contains(key)) result.insert(key);
  return result;
}

void expect_script_is_valid_bash(const std::string& path) {
  CommandResult syntax = run_command("bash -n '" + path + "' 2>&1");
  EXPECT_EQ(syntax.exit_status, 0) << syntax.output;
  if (run_command("command -v shellcheck >/dev/null").exit_status == 0) {
    CommandResult lint = run_command("shellcheck '" + path + "' 2>&1");
    EXPECT_EQ(lint.exit_status, 0) << lint.output;
  }
}

const std::string kDemo = "fixtures/demo";

TEST(Mitigate, DemoStoryClosesEveryFindingAndLeavesTheInputAlone) {
  TempDir work;
  auto input_before = directory_contents(testing::source_dir() + "/" + kDemo);
  RoundTrip trip = mitigate(kDemo, testing::read_file(testing::source_dir() + "/fixtures/demo-mitigation/actions.json"), work);
  EXPECT_EQ(trip.before.size(), 5u);
  EXPECT_TRUE(trip.after.empty()) << *trip.after.begin();
  EXPECT_EQ(directory_contents(testing::source_dir() + "/" + kDemo), input_before);
  EXPECT_NE(trip.summary.find("10 executions for 5 findings (10 pending, 0 skipped)"), std::string::npos) << trip.summary;
  EXPECT_NE(trip.summary.find("3 things"), std::string::npos) << trip.summary;
  expect_script_is_valid_bash(work.file("fix.sh"));
  // The dry run calls nothing and says so.
  CommandResult dry = run_command("PATH=/usr/bin:/bin bash '" + work.file("fix.sh") + "' 2>&1");
  EXPECT_EQ(dry.exit_status, 0) << dry.output;
  EXPECT_NE(dry.output.find("dry run: nothing was changed"), std::string::npos);
  EXPECT_NE(dry.output.find("aws iot update-certificate --certificate-id="
                            "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6 --new-status=INACTIVE"),
            std::string::npos)
      << dry.output;
  // The plan and the script a reviewer reads, with the snapshot named as given (fixtures/demo).
  expect_golden("demo-mitigation-plan.json", trip.plan);
  expect_golden("demo-mitigation-fix.sh", trip.script);
  // Files the plan does not change are copied byte for byte.
  EXPECT_EQ(testing::read_file(trip.preview + "/things.json"),
            testing::read_file(testing::source_dir() + "/" + kDemo + "/things.json"));
}

TEST(Mitigate, EachActionTypeClosesWhatItFixesAndOpensNothing) {
  struct Case {
    std::string actions, mapping, closes;  // closes: the check whose findings must all close, or ""
    std::string preview_file, preview_text;  // something the preview must contain
  };
  const std::vector<Case> cases = {
      {kNotify,
       R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Notify"], "IOT_POLICY_OVERLY_PERMISSIVE_CHECK": ["Notify"], "LOGGING_DISABLED_CHECK": ["Notify"])",
       "", "", ""},
      {kQuarantine, R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Quarantine"])", "", "thing-groups.json",
       R"("groupArn": "arn:aws:iot:eu-west-1:123456789012:thinggroup/quarantine")"},
      {kDeactivate, R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Deactivate"])", "DEVICE_CERTIFICATE_SHARED_CHECK",
       "certificates.json", R"("status": "INACTIVE")"},
      {kBlank, R"("IOT_POLICY_OVERLY_PERMISSIVE_CHECK": ["Blank"])", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
       "policies.json", R"("defaultVersionId": "2")"},
      {kLogging, R"("LOGGING_DISABLED_CHECK": ["Logs"])", "LOGGING_DISABLED_CHECK", "logging-v2.json",
       R"("defaultLogLevel": "WARN")"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.mapping);
    TempDir work;
    RoundTrip trip = mitigate(kDemo, actions_file(test.actions, test.mapping), work);
    EXPECT_TRUE(minus(trip.after, trip.before).empty()) << "new finding " << *minus(trip.after, trip.before).begin();
    std::set<std::string> closed = minus(trip.before, trip.after);
    if (test.closes.empty()) {
      EXPECT_TRUE(closed.empty());
    } else {
      EXPECT_EQ(closed, of_check(trip.before, test.closes));
    }
    if (!test.preview_file.empty()) {
      EXPECT_NE(testing::read_file(trip.preview + "/" + test.preview_file).find(test.preview_text), std::string::npos);
    }
    expect_script_is_valid_bash(work.file("fix.sh"));
  }
}

TEST(Mitigate, FindingsFileSuppressionsAndFindingIdTargets) {
  TempDir work;
  CommandResult audit = fleetaudit("audit fixtures/demo --format json --output " + work.file("findings.json"));
  ASSERT_EQ(audit.exit_status, 1);
  // Suppress the logging finding in the file, as AWS's list-audit-findings would show it.
  std::string findings = testing::read_file(work.file("findings.json"));
  size_t logging = findings.find("\"checkName\": \"LOGGING_DISABLED_CHECK\"");
  ASSERT_NE(logging, std::string::npos);
  size_t flag = findings.find("\"isSuppressed\": false", logging);
  findings.replace(flag, std::string("\"isSuppressed\": false").size(), "\"isSuppressed\": true");
  work.write("findings.json", findings);
  RoundTrip trip = mitigate(kDemo, actions_file(kLogging + "," + kNotify, R"("LOGGING_DISABLED_CHECK": ["Notify", "Logs"])"),
                            work, "--findings " + work.file("findings.json"));
  EXPECT_NE(trip.plan.find("\"status\": \"SKIPPED\""), std::string::npos);
  EXPECT_NE(trip.plan.find("the finding is suppressed"), std::string::npos);
  EXPECT_EQ(trip.plan.find("\"status\": \"PENDING\""), std::string::npos);
  EXPECT_EQ(trip.after, trip.before);  // nothing was applied
}

TEST(Mitigate, InvalidActionsAreUsageErrorsNamingTheAction) {
  TempDir work;
  work.write("actions.json", actions_file(kLogging, R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Logs"])"));
  CommandResult result = fleetaudit("mitigate fixtures/demo --actions " + work.file("actions.json"), work.file("err.txt"));
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(testing::read_file(work.file("err.txt"))
                .find("fleetaudit: error: " + work.file("actions.json") +
                      ": action Logs (ENABLE_IOT_LOGGING) cannot be applied to DEVICE_CERTIFICATE_SHARED_CHECK findings"),
            std::string::npos)
      << testing::read_file(work.file("err.txt"));
}

TEST(Mitigate, ScriptQuotesHostileNamesSafely) {
  TempDir work;
  // A topic ARN has no pattern in AWS's model: any printable text reaches the script, and must
  // reach its command intact without running anything.
  const std::string hostile_topic = R"(arn:aws:sns:$(touch PWNED3):'\"t `touch PWNED4` ${HOME} ; rm -rf x)";
  std::string actions = action("Notify", R"("publishFindingToSnsParams": {"topicArn": ")" + hostile_topic + R"("})");
  work.write("actions.json", actions_file(actions, R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Notify"])"));
  CommandResult result = fleetaudit("mitigate fixtures/demo --actions " + work.file("actions.json") + " --script " +
                                    work.file("fix.sh"),
                                    work.file("err.txt"));
  ASSERT_EQ(result.exit_status, 0) << testing::read_file(work.file("err.txt"));
  expect_script_is_valid_bash(work.file("fix.sh"));
  CommandResult dry = run_command("cd '" + work.path() + "' && bash fix.sh 2>&1");
  EXPECT_EQ(dry.exit_status, 0) << dry.output;
  for (const char* marker : {"PWNED3", "PWNED4"})
    EXPECT_FALSE(std::filesystem::exists(work.file(marker))) << marker << "\n" << dry.output;
  EXPECT_NE(dry.output.find("publish the finding to arn:aws:sns:$(touch PWNED3):'\"t `touch PWNED4` ${HOME} ; rm -rf x"),
            std::string::npos)
      << dry.output;
}

// UPDATE_CA_CERTIFICATE on every check that allows it, each on the fixture where that check fires:
// the preview marks the CA INACTIVE, and the re-audit closes the findings and opens nothing.
// Deactivating a revoked issuing CA alone would leave its ACTIVE device certificates behind (and
// FLEETAUDIT_DEVICE_CERTIFICATE_CA_NOT_ACTIVE_CHECK says so), so that case also deactivates them.
TEST(Mitigate, DeactivatingCaCertificatesClosesTheCaChecks) {
  struct Case {
    std::string fixture;
    std::map<std::string, std::string> reason_codes_by_check;  // the task's target filter
  };
  const std::vector<Case> cases = {
      {"fixtures/ca_certificate_expiring_check/approaching-and-past",
       {{"CA_CERTIFICATE_EXPIRING_CHECK", R"("CERTIFICATE_APPROACHING_EXPIRATION", "CERTIFICATE_PAST_EXPIRATION")"}}},
      {"fixtures/ca_certificate_key_quality_check/roca",
       {{"CA_CERTIFICATE_KEY_QUALITY_CHECK", R"("CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361")"}}},
      {"fixtures/revoked_ca_certificate_still_active_check/revoked-intermediate",
       {{"REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK", R"("CERTIFICATE_REVOKED_BY_ISSUER")"},
        {"INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK",
         R"("INTERMEDIATE_CA_REVOKED_BY_ISSUER")"}}},
  };
  const std::string deactivate_ca = action("DeactivateCa", R"("updateCACertificateParams": {"action": "DEACTIVATE"})");
  for (const Case& test : cases) {
    SCOPED_TRACE(test.fixture);
    std::string filter, mapping;
    for (const auto& [check, reason_codes] : test.reason_codes_by_check) {
      const bool ca_check = check.find("CA_CERTIFICATE") != std::string::npos;
      filter += (filter.empty() ? "\"" : ", \"") + check + "\": [" + reason_codes + "]";
      mapping += (mapping.empty() ? "\"" : ", \"") + check + "\": [\"" + (ca_check ? "DeactivateCa" : "Deactivate") +
                 "\"]";
    }
    TempDir work;
    RoundTrip trip = mitigate(test.fixture,
                              R"({"actions": [)" + deactivate_ca + "," + kDeactivate +
                                  R"(], "task": {"taskId": "ca", "target": {"auditCheckToReasonCodeFilter": {)" +
                                  filter + "}}, \"auditCheckToActionsMapping\": {" + mapping + "}}}",
                              work);
    for (const auto& [check, reason_codes] : test.reason_codes_by_check) {
      EXPECT_FALSE(of_check(trip.before, check).empty()) << check;
      EXPECT_TRUE(of_check(trip.after, check).empty()) << check << " still has open findings";
    }
    for (const std::string& open : trip.after) EXPECT_TRUE(trip.before.count(open)) << "newly opened: " << open;
    EXPECT_NE(testing::read_file(trip.preview + "/ca-certificates.json").find(R"("status": "INACTIVE")"),
              std::string::npos);
    EXPECT_NE(trip.script.find("update-ca-certificate"), std::string::npos);
    expect_script_is_valid_bash(work.file("fix.sh"));
  }
}

#ifdef FLEETAUDIT_FLEETGEN
TEST(Mitigate, GeneratedFleetRoundTrip) {
  TempDir work;
  const std::string fleet = work.file("fleet");
  CommandResult generated = run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' --things 3000 --seed 6 --out '" +
                                        fleet + "' --shared-percent 5 --policies 40 --threads 1 >/dev/null 2>&1");
  ASSERT_EQ(generated.exit_status, 0);
  RoundTrip trip = mitigate(fleet, testing::read_file(testing::source_dir() + "/fixtures/demo-mitigation/actions.json"), work);
  EXPECT_FALSE(of_check(trip.before, "DEVICE_CERTIFICATE_SHARED_CHECK").empty());
  EXPECT_FALSE(of_check(trip.before, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK").empty());
  // Every finding of the mapped checks is closed and nothing new opens; findings of checks the
  // actions file maps nothing to (certificate age, say) stay as they were, or close with their
  // deactivated certificate.
  for (const char* check : {"DEVICE_CERTIFICATE_SHARED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
                            "LOGGING_DISABLED_CHECK"})
    EXPECT_TRUE(of_check(trip.after, check).empty()) << check << " still has open findings";
  for (const std::string& open : trip.after) EXPECT_TRUE(trip.before.count(open)) << "newly opened: " << open;
  expect_script_is_valid_bash(work.file("fix.sh"));
}
#endif

}  // namespace
}  // namespace fleetaudit
