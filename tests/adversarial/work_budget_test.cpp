// Inputs shaped to make a resolver or evaluator do unbounded work: YAML alias bombs, CloudFormation
// intrinsic cycles and doubling, and policies that the exact policy model cannot decide cheaply.
// Each ends in an answer or an honest "not decided"/error with its reason. Every run is under
// `timeout` and, outside sanitizer builds (whose shadow memory needs terabytes of address space),
// `prlimit --as`, so a regression fails the test instead of hanging CI or filling memory.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/util/sanitized_build.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

struct Outcome {
  int exit_status = -1;
  std::string output, errors;
};

// The issue's targets are 2 s per pathological policy and 10 s and 1 GB for any file of 10 MB;
// the time bound here is the larger one, so that a loaded CI machine does not fail a good build.
const std::string kTimeLimit = kSanitizedBuild ? "180" : "10";
const std::string kMemoryLimit = kSanitizedBuild ? "" : "prlimit --as=1500000000 ";

Outcome fleetaudit(const TempDir& work, const std::string& arguments, const std::string& time_limit = kTimeLimit) {
  testing::CommandResult result =
      testing::run_command("cd '" + work.path() + "' && timeout " + time_limit + " " + kMemoryLimit + "'" +
                           testing::fleetaudit_binary() + "' " + arguments + " 2>'" + work.file("err.txt") + "'");
  return {result.exit_status, result.output, testing::read_file(work.file("err.txt"))};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string repeated(std::string_view piece, size_t times) {
  std::string text;
  text.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) text += piece;
  return text;
}

const std::string kArn = "arn:aws:iot:eu-west-1:123456789012:";

std::string statement(const std::string& effect, const std::string& actions, const std::string& resource) {
  return R"({"Effect": ")" + effect + R"(", "Action": )" + actions + R"(, "Resource": ")" + resource + R"("})";
}

std::string document(const std::vector<std::string>& statements) {
  std::string text = R"({"Version": "2012-10-17", "Statement": [)";
  for (size_t i = 0; i < statements.size(); ++i) text += (i ? ", " : "") + statements[i];
  return text + "]}";
}

// A snapshot of policies.json alone, one policy per document.
void write_snapshot(const TempDir& work, const std::vector<std::string>& documents) {
  std::filesystem::create_directory(work.file("s"));
  std::string text = R"({"policies": [)";
  for (size_t i = 0; i < documents.size(); ++i) {
    std::string escaped;
    for (char c : documents[i]) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
    text += (i ? ", " : "") + std::string(R"({"policyName": "p)") + std::to_string(i) + R"(", "policyArn": ")" + kArn +
            "policy/p" + std::to_string(i) + R"(", "defaultVersionId": "1", "policyDocument": ")" + escaped + "\"}";
  }
  work.write("s/policies.json", text + "]}");
}

// --- The policy model -------------------------------------------------------------------------

TEST(WorkBudget, TenThousandCharacterStarQuestionResourceIsNotDecidedInLintAndAudit) {
  TempDir work;
  const std::string policy = document({statement("Allow", R"("iot:*")", kArn + "topic/" + repeated("*?", 5000))});
  write_snapshot(work, {policy});
  const Outcome audit = fleetaudit(work, "audit s --format json");
  EXPECT_EQ(audit.exit_status, 2) << audit.errors;
  EXPECT_TRUE(contains(audit.output, "more than 4000000 steps of work for the policy")) << audit.output.substr(0, 4000);
  EXPECT_TRUE(contains(audit.errors, "the document is 10129 characters without white space, past AWS's limit of 2048 "
                                     "for an IoT policy"))
      << audit.errors;
  std::filesystem::create_directory(work.file("lint"));
  work.write("lint/policy.json", policy);
  const Outcome lint = fleetaudit(work, "lint lint");
  EXPECT_EQ(lint.exit_status, 2) << lint.errors;
  EXPECT_TRUE(contains(lint.output, "could not decide")) << lint.output.substr(0, 4000);
}

TEST(WorkBudget, ThreeHundredKilobytesOfStarPatternsStayBounded) {
  TempDir work;
  std::vector<std::string> documents;
  for (size_t bytes = 0, k = 0; bytes < 320'000; ++k) {
    documents.push_back(document({
        statement("Allow", R"(["iot:Subscribe", "iot:Publish", "iot:Connect"])",
                  kArn + "topicfilter/" + repeated("a*", 400) + std::to_string(k)),
        statement("Allow", R"("iot:Receive")", kArn + "topic/*"),
        statement("Deny", R"(["iot:Subscribe", "iot:Publish"])", kArn + "topicfilter/" + repeated("*a", 400) + "/#"),
    }));
    bytes += documents.back().size();
  }
  write_snapshot(work, documents);
  const Outcome audit = fleetaudit(work, "audit s --format json");
  EXPECT_EQ(audit.exit_status, 2) << audit.errors;
  // Not decided, said with the reason, for the overly-permissive and the misconfiguration check.
  EXPECT_TRUE(contains(audit.output, "steps of work for the policy")) << audit.output.substr(0, 4000);
  EXPECT_TRUE(contains(audit.output, "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK")) << audit.output.substr(0, 4000);
}

TEST(WorkBudget, ThreeThousandDenyAllowPairsForTheMisconfigurationCheck) {
  TempDir work;
  std::vector<std::string> statements;
  for (int i = 0; i < 3000; ++i) {
    const std::string level = "a/" + std::to_string(i);
    statements.push_back(statement("Deny", R"("iot:Subscribe")", kArn + "topicfilter/" + level + "/#"));
    statements.push_back(statement("Allow", R"(["iot:Subscribe", "iot:Receive"])", kArn + "topic*/" + level + "/*"));
  }
  write_snapshot(work, {document(statements)});
  const Outcome audit = fleetaudit(work, "audit s --format text");
  EXPECT_EQ(audit.exit_status, 2) << audit.errors;
  EXPECT_TRUE(contains(audit.output, "INCOMPLETE    MEDIUM   IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK"))
      << audit.output.substr(0, 4000);
}

TEST(WorkBudget, TwoLongOverlappingResourcesEndWithinTheBound) {
  for (size_t length : {60'000u, 200'000u}) {
    SCOPED_TRACE(length);
    TempDir work;
    write_snapshot(work, {document({statement("Allow", R"("iot:Publish")", kArn + "topic/" + repeated("a*", length / 2)),
                                    statement("Deny", R"("iot:Publish")", kArn + "topic/" + repeated("*a", length / 2))}),
                          document({statement("Allow", R"("iot:*")", kArn + "*" + repeated("?*", length / 2)),
                                    statement("Deny", R"("iot:*")", kArn + "*" + repeated("*?", length / 2))})});
    const Outcome audit = fleetaudit(work, "audit s --format json");
    EXPECT_EQ(audit.exit_status, 2) << audit.errors;  // the second policy cannot be decided
    EXPECT_TRUE(contains(audit.output, "steps of work for the policy")) << audit.output.substr(0, 4000);
  }
}

TEST(WorkBudget, AccessOnAPolicyPastAwsSizeLimitsEnds) {
  TempDir work;
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  std::string policies = testing::read_file(work.file("s/policies.json"));
  // One more Allow and two hundred Denies in the demo's door-lock policy (its last statement ends "}\n  ]").
  std::string extra = ", " + statement("Allow", R"("iot:*")", kArn + "topic/" + repeated("*?", 5000));
  for (int i = 0; i < 200; ++i)
    extra += ", " + statement("Deny", R"("iot:Publish")", kArn + "topic/" + repeated("a*", 50) + std::to_string(i));
  std::string escaped;  // inside policyDocument, a JSON string
  for (char c : extra) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  const size_t door = policies.find("DoorLockPolicy");
  const size_t end = policies.find("\\n  ]\\n}", door);
  ASSERT_NE(end, std::string::npos);
  policies.insert(end, escaped);
  work.write("s/policies.json", policies);
  const Outcome access = fleetaudit(work, "access s --thing nw-hq-lock-lobby-e --format json");
  EXPECT_EQ(access.exit_status, 0) << access.errors;
  EXPECT_TRUE(contains(access.output, "undecided")) << access.output.substr(0, 4000);
}

// --- YAML and JSON ----------------------------------------------------------------------------

std::string alias_bomb() {
  return "Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyName: &a " +
         std::string(1 << 20, 'x') + "\n      PolicyDocument: [*a" + repeated(", *a", 3999) + "]\n";
}

TEST(WorkBudget, OneBigScalarAliasedManyTimesIsAnErrorAtTheAlias) {
  TempDir work;
  std::filesystem::create_directory(work.file("one"));
  work.write("one/bomb.yaml", alias_bomb());
  const Outcome lint = fleetaudit(work, "lint one");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "one/bomb.yaml:6:")) << lint.output;
  EXPECT_TRUE(contains(lint.output, "aliases expand to more than 8 MiB of text")) << lint.output;
}

TEST(WorkBudget, AliasBombsInTwoFilesAreTwoErrorsNotAnAbort) {
  TempDir work;
  std::filesystem::create_directory(work.file("two"));
  work.write("two/a.yaml", alias_bomb());
  work.write("two/b.yaml", alias_bomb());
  const Outcome lint = fleetaudit(work, "lint two");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "two/a.yaml:6:")) << lint.output;
  EXPECT_TRUE(contains(lint.output, "two/b.yaml:6:")) << lint.output;
}

TEST(WorkBudget, AnAliasInsideItsOwnAnchorIsAnError) {
  TempDir work;
  std::filesystem::create_directory(work.file("t"));
  work.write("t/self.yaml", "Resources: &r\n  P: *r\n");
  const Outcome lint = fleetaudit(work, "lint t");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "an alias refers to the node that contains it")) << lint.output;
}

TEST(WorkBudget, ManySmallNodesStopAtTheNodeBudgetWhileReading) {
  TempDir work;
  std::filesystem::create_directory(work.file("big"));
  // 8 MB of YAML, 2 M nodes; 24 MB of JSON, 12 M values.
  work.write("big/nodes.yaml", "Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n" +
                                   repeated("      - a\n", 800'000));
  work.write("big/values.json", "{\"Resources\": [1" + repeated(",1", 12'000'000) + "]}");
  const Outcome lint = fleetaudit(work, "lint big");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "big/nodes.yaml:") && contains(lint.output, "more than 100,000 YAML nodes"))
      << lint.output;
  EXPECT_TRUE(contains(lint.output, "big/values.json:") && contains(lint.output, "at most 2,000,000 JSON values"))
      << lint.output;
}

// --- CloudFormation intrinsics ----------------------------------------------------------------

const std::string kPolicyOfName =
    "      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement: [{Effect: Allow, Action: \"iot:Connect\", "
    "Resource: !Sub \"arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/x\"}]\n";

TEST(WorkBudget, IntrinsicCyclesAreErrorsAtTheReference) {
  TempDir work;
  std::filesystem::create_directory(work.file("t"));
  work.write("t/findinmap.yaml", "Mappings:\n  M:\n    a:\n      k: !FindInMap [M, !FindInMap [M, a, k], k]\n"
                                 "Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n"
                                 "      PolicyName: !FindInMap [M, a, k]\n" +
                                     kPolicyOfName);
  work.write("t/refsub.yaml", "Resources:\n  A:\n    Type: AWS::IoT::Policy\n    Properties:\n"
                              "      PolicyName: !Sub \"${B}-x\"\n" +
                                  kPolicyOfName + "  B:\n    Type: AWS::IoT::Policy\n    Properties:\n" +
                                  "      PolicyName: !Sub \"${A}-y\"\n" + kPolicyOfName);
  const Outcome lint = fleetaudit(work, "lint t");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "t/findinmap.yaml:4:") &&
              contains(lint.output, "Fn::FindInMap's value leads back to itself"))
      << lint.output;
  EXPECT_TRUE(contains(lint.output, "t/refsub.yaml:5:") && contains(lint.output, "leads back to itself")) << lint.output;
}

TEST(WorkBudget, SubThatDoublesAtEachLevelStopsAtTheBudget) {
  TempDir work;
  std::filesystem::create_directory(work.file("t"));
  std::string text = "Resources:\n  R0:\n    Type: AWS::IoT::Thing\n    Properties:\n      ThingName: " +
                     std::string(1000, 'x') + "\n";
  for (int i = 1; i < 40; ++i)
    text += "  R" + std::to_string(i) + ":\n    Type: AWS::IoT::Thing\n    Properties:\n      ThingName: !Sub \"${R" +
            std::to_string(i - 1) + "}${R" + std::to_string(i - 1) + "}\"\n";
  text += "  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyName: !Sub \"${R39}\"\n" + kPolicyOfName;
  work.write("t/double.yaml", text);
  const Outcome lint = fleetaudit(work, "lint t");
  EXPECT_EQ(lint.exit_status, 2);
  EXPECT_TRUE(contains(lint.output, "intrinsic functions expand to more than 16 MiB")) << lint.output;
}

}  // namespace
}  // namespace fleetaudit

namespace fleetaudit {
namespace {

// --- Lint's own passes ------------------------------------------------------------------------

TEST(WorkBudget, SixThousandPoliciesInOneTemplateAreReadOncePerFile) {
  TempDir work;
  std::filesystem::create_directory(work.file("t"));
  std::string text = "{\"Resources\": {";
  for (int i = 0; i < 6000; ++i) {
    // Half with the stack's own region and account, half literal: both ARN rules have work to do.
    const std::string resource = i % 2 ? "{\"Fn::Sub\": \"arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/d" +
                                             std::to_string(i) + "\"}"
                                       : "\"" + kArn + "topic/d" + std::to_string(i) + "\"";
    text += (i ? ", " : "") + std::string("\"P") + std::to_string(i) +
            "\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {\"PolicyDocument\": " +
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Publish\", "
            "\"Resource\": " +
            resource + "}]}}}";
  }
  work.write("t/template.json", text + "}}");
  const Outcome lint = fleetaudit(work, "lint t --format json");
  EXPECT_EQ(lint.exit_status, 1) << lint.errors;
  EXPECT_TRUE(contains(lint.output, "\"ruleId\": \"FLEETAUDIT_HARDCODED_ACCOUNT_OR_REGION\"")) << lint.errors;
}

TEST(WorkBudget, TwentyThousandFindingsOnOneTwoMegabyteLine) {
  TempDir work;
  std::filesystem::create_directory(work.file("t"));
  std::string resources;
  for (int i = 0; i < 20000; ++i)
    resources += (i ? ", \"" : "\"") + kArn + "topic/dev" + std::to_string(i) + "/+/x" + std::string(60, 'y') + "\"";
  work.write("t/policy.json", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
                              "\"iot:Publish\", \"Resource\": [" + resources + "]}]}");
  const Outcome lint = fleetaudit(work, "lint t --format json");
  EXPECT_NE(lint.exit_status, 124);
  // The last resource's finding points at its '+', by column on the one line (ASCII: a byte a column).
  const std::string last = kArn + "topic/dev19999/+";
  ASSERT_TRUE(contains(lint.output, last)) << lint.errors;
  const size_t plus_column = testing::read_file(work.file("t/policy.json")).find(last) + last.size();
  EXPECT_TRUE(contains(lint.output, "\"startColumn\": " + std::to_string(plus_column) + ","))
      << lint.output.substr(lint.output.size() - 2000);
}

TEST(WorkBudget, ATerraformPlanOfEightThousandPerDevicePoliciesOnOneLine) {
  TempDir work;
  // `terraform show -json` writes one line: 8,000 policies, each in resource_changes and
  // planned_values, 11 MB; one in a hundred names another region (a finding each).
  std::string changes, planned;
  for (int i = 0; i < 8000; ++i) {
    const std::string device = "dev" + std::to_string(i);
    const std::string filter_arn = (i % 100 == 0 ? std::string("arn:aws:iot:us-east-1:123456789012:") : kArn) +
                                   "topicfilter/" + device + "/*";
    const std::string policy =
        R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iot:Connect\"],)"
        R"(\"Resource\":\")" + kArn + "client/" + device + R"(\"},{\"Effect\":\"Allow\",\"Action\":[\"iot:Subscribe\"],)"
        R"(\"Resource\":\")" + filter_arn + R"(\"}]})";
    const std::string after = R"({"name":")" + device + R"(","policy":")" + policy + R"(","tags":null})";
    const std::string address = "aws_iot_policy." + device;
    changes += (i ? "," : "") + std::string(R"({"address":")") + address +
               R"(","mode":"managed","type":"aws_iot_policy","name":")" + device +
               R"(","change":{"actions":["create"],"before":null,"after":)" + after + "}}";
    planned += (i ? "," : "") + std::string(R"({"address":")") + address +
               R"(","mode":"managed","type":"aws_iot_policy","name":")" + device + R"(","values":)" + after + "}";
  }
  work.write("plan.json", R"({"format_version":"1.2","terraform_version":"1.6.0","planned_values":{"root_module":)"
                          R"({"resources":[)" + planned + R"(]}},"resource_changes":[)" + changes + "]}");
  // 5 s and 240 MB on two idle cores; the bound is wider so that a loaded CI machine passes.
  const Outcome lint = fleetaudit(work, "lint plan.json --format json", kSanitizedBuild ? "300" : "30");
  EXPECT_EQ(lint.exit_status, 1) << lint.errors;
  size_t findings = 0;
  for (size_t at = lint.output.find("FLEETAUDIT_RESOURCE_OUTSIDE_STACK"); at != std::string::npos;
       at = lint.output.find("FLEETAUDIT_RESOURCE_OUTSIDE_STACK", at + 1))
    ++findings;
  EXPECT_EQ(findings, 80u) << lint.output.substr(0, 3000);
}

}  // namespace
}  // namespace fleetaudit
