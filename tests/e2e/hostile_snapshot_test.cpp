// A snapshot written by an attacker: names that are shell code, options, NUL bytes or terminal
// escapes. `mitigate` refuses what AWS would refuse and passes the rest to the AWS CLI byte for
// byte (checked with a recording stand-in `aws` that parses options as the real CLI does); the
// text report cannot be made to print a forged line or a control code.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::run_command;
using testing::TempDir;

using Call = std::vector<std::string>;

// The demo snapshot copied into `work`/snapshot with every occurrence of each `from` replaced
// (the text is JSON, so `to` is written as it must appear inside a JSON string).
std::string hostile_demo(const TempDir& work, const std::vector<std::pair<std::string, std::string>>& replacements) {
  const std::string snapshot = work.file("snapshot");
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", snapshot, std::filesystem::copy_options::recursive);
  for (const auto& entry : std::filesystem::directory_iterator(snapshot)) {
    std::string text = testing::read_file(entry.path().string());
    for (const auto& [from, to] : replacements)
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    work.write("snapshot/" + entry.path().filename().string(), text);
  }
  return snapshot;
}

const std::string kRole = "arn:aws:iam::123456789012:role/mitigation";

// Quarantine, then deactivate, the demo's shared certificate and the three things it is attached to.
std::string quarantine_and_deactivate(const std::string& group = "quarantine") {
  return R"x({"actions": [
    {"actionName": "Quarantine", "roleArn": ")x" + kRole + R"x(",
     "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": [")x" + group + R"x("]}}},
    {"actionName": "Deactivate", "roleArn": ")x" + kRole + R"x(",
     "actionParams": {"updateDeviceCertificateParams": {"action": "DEACTIVATE"}}}],
   "task": {"taskId": "hostile", "target": {"auditCheckToReasonCodeFilter": {
     "DEVICE_CERTIFICATE_SHARED_CHECK": ["CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"]}},
     "auditCheckToActionsMapping": {"DEVICE_CERTIFICATE_SHARED_CHECK": ["Quarantine", "Deactivate"]}}})x";
}

CommandResult mitigate(const std::string& snapshot, const TempDir& work, const std::string& actions) {
  work.write("actions.json", actions);
  return testing::run_fleetaudit("mitigate '" + snapshot + "' --actions '" + work.file("actions.json") + "' --script '" +
                                     work.file("fix.sh") + "'",
                                 work.file("err.txt"));
}

// Runs `bash fix.sh ARGUMENTS` with the recording `aws` first on PATH; returns the calls it saw.
std::vector<Call> run_script_with_recording_aws(const TempDir& work, const std::string& arguments,
                                                CommandResult& result) {
  const std::string log = work.file("aws-calls");
  result = run_command("cd '" + work.path() + "' && PATH='" + testing::source_dir() +
                       "/tests/data/recording-aws':/usr/bin:/bin FLEETAUDIT_AWS_LOG='" + log + "' bash fix.sh " +
                       arguments + " 2>&1");
  std::vector<Call> calls;
  const std::string recorded = testing::read_file(log);
  size_t begin = 0;
  for (size_t end = recorded.find('\0'); end != std::string::npos; begin = end + 1, end = recorded.find('\0', begin)) {
    std::string word = recorded.substr(begin, end - begin);
    if (word == "CALL")
      calls.emplace_back();
    else if (!calls.empty())
      calls.back().push_back(word);
  }
  return calls;
}

const std::string kSharedCertificate = "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6";

TEST(HostileSnapshot, RecordingAwsRefusesAValueThatLooksLikeAnOption) {
  // The stand-in must fail where the real CLI fails, or the next test proves nothing.
  TempDir work;
  CommandResult result = run_command("FLEETAUDIT_AWS_LOG='" + work.file("log") + "' '" + testing::source_dir() +
                                     "/tests/data/recording-aws/aws' iot describe-thing --thing-name --debug 2>&1");
  EXPECT_EQ(result.exit_status, 252);
  EXPECT_NE(result.output.find("argument --thing-name: expected one argument"), std::string::npos) << result.output;
  CommandResult accepted = run_command("FLEETAUDIT_AWS_LOG='" + work.file("log") + "' '" + testing::source_dir() +
                                       "/tests/data/recording-aws/aws' iot describe-thing --thing-name=--debug 2>&1");
  EXPECT_EQ(accepted.exit_status, 0) << accepted.output;
}

TEST(HostileSnapshot, NamesThatLookLikeOptionsReachTheCliIntact) {
  TempDir work;
  // Valid AWS thing names, each of which the CLI would read as an option if passed as its own word.
  const std::string snapshot = hostile_demo(work, {{"nw-hq-lock-lobby-e", "--debug"},
                                                   {"nw-hq-lock-lobby-w", "-h"},
                                                   {"nw-hq-lock-stair-2", "--endpoint-url"}});
  CommandResult result = mitigate(snapshot, work, quarantine_and_deactivate("--output"));
  ASSERT_EQ(result.exit_status, 0) << testing::read_file(work.file("err.txt"));

  CommandResult dry;
  EXPECT_TRUE(run_script_with_recording_aws(work, "", dry).empty()) << "the dry run called aws";
  EXPECT_EQ(dry.exit_status, 0) << dry.output;
  EXPECT_NE(dry.output.find("add-thing-to-thing-group --thing-name=--debug --thing-group-name=--output"),
            std::string::npos)
      << dry.output;

  CommandResult executed;
  const std::vector<Call> calls = run_script_with_recording_aws(work, "--execute", executed);
  ASSERT_EQ(executed.exit_status, 0) << executed.output;
  const std::vector<Call> expected = {
      {"iot", "add-thing-to-thing-group", "--thing-name=--debug", "--thing-group-name=--output"},
      {"iot", "add-thing-to-thing-group", "--thing-name=-h", "--thing-group-name=--output"},
      {"iot", "add-thing-to-thing-group", "--thing-name=--endpoint-url", "--thing-group-name=--output"},
      {"iot", "update-certificate", "--certificate-id=" + kSharedCertificate, "--new-status=INACTIVE"},
  };
  EXPECT_EQ(calls, expected) << executed.output;
}

TEST(HostileSnapshot, RegionThatWouldRunAsShellCodeIsRefused) {
  TempDir work;
  const std::string snapshot = hostile_demo(work, {{R"x("region": "eu-west-1")x", R"x("region": "eu-west-1$(touch PWNED)")x"}});
  CommandResult result = mitigate(snapshot, work, quarantine_and_deactivate());
  EXPECT_EQ(result.exit_status, 2);
  const std::string errors = testing::read_file(work.file("err.txt"));
  EXPECT_NE(errors.find(R"x(region "eu-west-1$(touch PWNED)" is not an AWS region name)x"), std::string::npos) << errors;
  EXPECT_FALSE(std::filesystem::exists(work.file("fix.sh"))) << "a script was written";
  EXPECT_FALSE(std::filesystem::exists(work.file("PWNED")));
}

TEST(HostileSnapshot, NulOrControlCharacterInAThingNameIsRefused) {
  for (const std::string& name : {std::string(R"x(nw-hq\u0000evil)x"), std::string(R"x(nw-hq\nevil)x")}) {
    SCOPED_TRACE(name);
    TempDir work;
    const std::string snapshot = hostile_demo(work, {{"nw-hq-lock-lobby-e", name}});
    CommandResult result = mitigate(snapshot, work, quarantine_and_deactivate());
    EXPECT_EQ(result.exit_status, 2);
    const std::string errors = testing::read_file(work.file("err.txt"));
    const std::string shown = name.find("u0000") != std::string::npos ? R"x(nw-hq\x00evil)x" : R"x(nw-hq\nevil)x";
    EXPECT_NE(errors.find("thing name (from thing-principals.json) \"" + shown + "\" does not match [a-zA-Z0-9:_-]+"),
              std::string::npos)
        << errors;
    EXPECT_FALSE(std::filesystem::exists(work.file("fix.sh")));
  }
}

TEST(HostileSnapshot, GroupNamesAwsWouldRefuseAreRefusedBeforeAnyScriptIsWritten) {
  TempDir work;
  CommandResult result = mitigate(testing::source_dir() + "/fixtures/demo", work,
                                  quarantine_and_deactivate(R"x(q 'x' \"y\" $(touch PWNED) ; rm -rf x)x"));
  EXPECT_EQ(result.exit_status, 2);
  const std::string errors = testing::read_file(work.file("err.txt"));
  EXPECT_NE(errors.find(R"x(thingGroupNames: "q 'x' "y" $(touch PWNED) ; rm -rf x" is not a thing group name AWS accepts)x"),
            std::string::npos)
      << errors;
  EXPECT_FALSE(std::filesystem::exists(work.file("fix.sh")));
  EXPECT_FALSE(std::filesystem::exists(work.file("PWNED")));
}

TEST(HostileSnapshot, TextReportCannotBeForgedOrSendControlCodes) {
  TempDir work;
  // A policy name that ends the line, prints a fake all-clear and clears the screen.
  const std::string snapshot = hostile_demo(
      work, {{"LegacyFullAccess", R"x(Legacy\nSummary: 0 findings in 21 checks; 0 checks not run.\u001b[2J\u009b1m)x"}});
  CommandResult result = testing::run_fleetaudit("audit '" + snapshot + "' --format text", work.file("err.txt"));
  const std::string errors = testing::read_file(work.file("err.txt"));
  for (const std::string& output : {result.output, errors}) {
    EXPECT_EQ(output.find('\x1b'), std::string::npos) << output;
    EXPECT_EQ(output.find("\xc2\x9b"), std::string::npos) << "a C1 control code was printed";
    EXPECT_EQ(output.find("\nSummary: 0 findings"), std::string::npos) << output;
  }
  // The name is shown, escaped (the report wraps it like any long text).
  EXPECT_NE(result.output.find(R"x(Policy Legacy\nSummary: 0 findings)x"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(R"x(run.\x1b[2J\u{009B}1m version 1)x"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace fleetaudit
