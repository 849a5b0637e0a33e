// `fleetaudit lint` end to end on the fixture repository fixtures/lint/: exit statuses, what fires
// and what stays silent, the exact text each region covers, SARIF schema validation, goldens.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

// Golden files are checked by eye when they change: FLEETAUDIT_UPDATE_GOLDEN=1 rewrites them.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = testing::source_dir() + "/tests/e2e/golden/" + name;
  if (std::getenv("FLEETAUDIT_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(testing::read_file(path), actual) << "golden file " << name << " differs";
}

struct Result {
  std::string rule, file, resource, text;  // text: what the region covers in the file
  uint64_t line = 0;
  bool suppressed = false;
  std::string justification;
};

// The text of [start, end) in a file, lines and columns 1-based (the fixtures are ASCII).
std::string region_text(const std::string& file, uint64_t start_line, uint64_t start_column, uint64_t end_line,
                        uint64_t end_column) {
  const std::string text = testing::read_file(testing::source_dir() + "/" + file);
  auto offset = [&](uint64_t line, uint64_t column) {
    size_t at = 0;
    for (uint64_t l = 1; l < line; ++l) at = text.find('\n', at) + 1;
    return at + column - 1;
  };
  const size_t begin = offset(start_line, start_column), end = offset(end_line, end_column);
  return text.substr(begin, end - begin);
}

std::vector<Result> lint_json(const std::string& arguments, int expected_status) {
  CommandResult run = testing::run_fleetaudit("lint --format json " + arguments);
  EXPECT_EQ(run.exit_status, expected_status) << run.output;
  std::vector<Result> results;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(run.output);
  for (simdjson::dom::element item : root["results"].get_array()) {
    Result result;
    result.rule = std::string(std::string_view(item["ruleId"]));
    result.file = std::string(std::string_view(item["file"]));
    result.resource = std::string(std::string_view(item["resource"]));
    result.text = region_text(result.file, uint64_t(item["startLine"]), uint64_t(item["startColumn"]),
                              uint64_t(item["endLine"]), uint64_t(item["endColumn"]));
    result.line = uint64_t(item["startLine"]);
    result.suppressed = bool(item["suppressed"]);
    if (result.suppressed) result.justification = std::string(std::string_view(item["justification"]));
    results.push_back(result);
  }
  return results;
}

const Result* find(const std::vector<Result>& results, const std::string& rule, const std::string& file_suffix) {
  for (const Result& result : results)
    if (result.rule == rule && result.file.size() >= file_suffix.size() &&
        result.file.compare(result.file.size() - file_suffix.size(), file_suffix.size(), file_suffix) == 0)
      return &result;
  return nullptr;
}

// "LINE:TEXT" of each result of `rule` in files ending with `file_suffix`, in report order.
std::vector<std::string> placed(const std::vector<Result>& results, const std::string& rule,
                                const std::string& file_suffix) {
  std::vector<std::string> found;
  for (const Result& result : results)
    if (result.rule == rule && result.file.size() >= file_suffix.size() &&
        result.file.compare(result.file.size() - file_suffix.size(), file_suffix.size(), file_suffix) == 0)
      found.push_back(std::to_string(result.line) + ":" + result.text);
  return found;
}

size_t count_in(const std::vector<Result>& results, const std::string& file_suffix) {
  size_t n = 0;
  for (const Result& result : results) n += result.file.find(file_suffix) != std::string::npos;
  return n;
}

TEST(LintCli, FixtureRepositoryFindingsPointAtTheOffendingText) {
  // The broken template is an input error (2); every other file is still linted.
  const std::vector<Result> results = lint_json("fixtures/lint", 2);
  const Result* connect = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "cloudformation/fleet-stack.yaml");
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->text, "*");  // the * of client/* inside !Sub "…"
  EXPECT_EQ(connect->resource, "FleetPolicy");
  const Result* terraform = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "terraform/plan.json");
  ASSERT_NE(terraform, nullptr);
  EXPECT_EQ(terraform->text, "*");  // "Resource":"*" inside the plan's JSON string
  EXPECT_EQ(terraform->resource, "aws_iot_policy.pubsub");
  const Result* source = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "terraform-source/main.tf");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->text, "*");  // Resource = "*" inside jsonencode({…})
  const Result* heredoc = find(results, "FLEETAUDIT_UNKNOWN_POLICY_VARIABLE", "terraform-source/main.tf");
  ASSERT_NE(heredoc, nullptr);
  EXPECT_EQ(heredoc->text, "$${iot:Connection.Thing.Name}");  // in a heredoc, through Terraform's $$ escape
  const Result* shared_source = find(results, "DEVICE_CERTIFICATE_SHARED_CHECK", "terraform-source/main.tf");
  ASSERT_NE(shared_source, nullptr);
  EXPECT_EQ(shared_source->text, "aws_iot_certificate.shared.arn");
  EXPECT_TRUE(shared_source->suppressed);
  EXPECT_EQ(shared_source->justification, "the pump and its valve are one device");
  const Result* typo = find(results, "FLEETAUDIT_UNKNOWN_IOT_ACTION", "cloudformation/policy-document-string.json");
  ASSERT_NE(typo, nullptr);
  EXPECT_EQ(typo->text, "iot:Publsh");  // inside a PolicyDocument written as a JSON string
  const Result* mismatch = find(results, "FLEETAUDIT_RESOURCE_TYPE_MISMATCH", "policy-document-string.json");
  ASSERT_NE(mismatch, nullptr);
  EXPECT_EQ(mismatch->text, "topic");
  const Result* unescaped = find(results, "FLEETAUDIT_SUB_UNESCAPED_POLICY_VARIABLE", "fleet-stack.yaml");
  ASSERT_NE(unescaped, nullptr);
  EXPECT_EQ(unescaped->text, "${iot:Connection.Thing.ThingName}");
  const Result* shared = find(results, "DEVICE_CERTIFICATE_SHARED_CHECK", "cloudformation/fleet-stack.yaml");
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->text, "DoorAttachment");
  const Result* plan_shared = find(results, "DEVICE_CERTIFICATE_SHARED_CHECK", "terraform/plan.json");
  ASSERT_NE(plan_shared, nullptr);
  EXPECT_EQ(plan_shared->text, "aws_iot_thing_principal_attachment.pump");
  const Result* logging = find(results, "LOGGING_DISABLED_CHECK", "cloudformation/fleet-stack.yaml");
  ASSERT_NE(logging, nullptr);
  EXPECT_EQ(logging->text, "DISABLED");
  const Result* plan_logging = find(results, "LOGGING_DISABLED_CHECK", "terraform/plan.json");
  ASSERT_NE(plan_logging, nullptr);
  EXPECT_EQ(plan_logging->text, "true");  // "disable_all_logs": true
  const Result* deny = find(results, "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK", "deny-with-mqtt-wildcards.yaml");
  ASSERT_NE(deny, nullptr);
  const Result* cdk = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "cdk.out/FleetStack.template.json");
  ASSERT_NE(cdk, nullptr);
  EXPECT_EQ(cdk->text, "+");  // topicfilter/$aws/things/+/…: every thing's shadow documents
  const Result* wildcard = find(results, "FLEETAUDIT_MQTT_WILDCARD_IN_TOPIC", "policies/typo-policy.json");
  ASSERT_NE(wildcard, nullptr);
  EXPECT_EQ(wildcard->text, "+");
  const Result* variable = find(results, "FLEETAUDIT_UNKNOWN_POLICY_VARIABLE", "policies/typo-policy.json");
  ASSERT_NE(variable, nullptr);
  EXPECT_EQ(variable->text, "${iot:Connection.ThingNam}");
  const Result* version = find(results, "FLEETAUDIT_VARIABLE_WITHOUT_VERSION", "policies/no-version.json");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->text, "${iot:Connection.Thing.ThingName}");
  // Silent: scoped policies (one written with !Sub and ${!iot:…}), an IAM policy, package.json,
  // and what is skipped: node_modules, cdk.out/asset.*, .gitignore'd and hidden directories.
  for (const char* silent : {"device-policy-sub.yaml", "scoped-policy.json", "iam-role-policy.json", "package.json",
                             "node_modules", "asset.", "ignored/", ".github"})
    EXPECT_EQ(count_in(results, silent), 0u) << silent;
}

TEST(LintCli, TerraformPolicyFilesAreReadAndFindingsPointIntoThem) {
  const std::vector<Result> results = lint_json("fixtures/lint/terraform-source", 1);
  const Result* gateway = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "terraform-source/policies/gateway.json");
  ASSERT_NE(gateway, nullptr);  // file("policies/gateway.json"): the * of client/* in the JSON file
  EXPECT_EQ(gateway->text, "*");
  EXPECT_EQ(gateway->line, 7u);
  EXPECT_EQ(gateway->resource, "aws_iot_policy.gateway");
  // file("${path.module}/policies/device.json"): the region that differs from the file's others.
  EXPECT_EQ(placed(results, "FLEETAUDIT_RESOURCE_OUTSIDE_STACK", "terraform-source/policies/device.json"),
            (std::vector<std::string>{"14:eu-west-1"}));
  // Read as the resources' policies, not a second time on their own.
  EXPECT_EQ(count_in(results, "policies/gateway.json"), 1u);
  EXPECT_EQ(count_in(results, "policies/device.json"), 1u);
  CommandResult text = testing::run_fleetaudit("lint fixtures/lint/terraform-source");
  EXPECT_NE(text.output.find("fixtures/lint/terraform-source/policy-files.tf:15:12: warning: "
                             "aws_iot_policy.templated.policy is a templatefile(…), whose variables only the apply "
                             "decides: not checked"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("fixtures/lint/terraform-source/policy-document.tf:50:3: warning: "
                             "data.aws_iam_policy_document.merged has source_policy_documents, which lint does not "
                             "read: the policy is not checked"),
            std::string::npos)
      << text.output;
}

TEST(LintCli, TerraformPolicyDocumentDataIsBuiltFromItsStatements) {
  const std::vector<Result> results = lint_json("fixtures/lint/terraform-source/policy-document.tf", 1);
  // Statement 2 (Effect Allow by default: the finding is at its `statement`) is taken back by the Deny.
  EXPECT_EQ(placed(results, "FLEETAUDIT_ALLOW_GRANTS_NOTHING", "policy-document.tf"),
            (std::vector<std::string>{"20:statement"}));
  EXPECT_EQ(placed(results, "FLEETAUDIT_HARDCODED_ACCOUNT_OR_REGION", "policy-document.tf"),
            (std::vector<std::string>{"27:123456789012"}));
  // &{…} is the policy variable ${…}: the misspelt one is found, at what the file says.
  EXPECT_EQ(placed(results, "FLEETAUDIT_UNKNOWN_POLICY_VARIABLE", "policy-document.tf"),
            (std::vector<std::string>{"40:&{iot:Connection.Thing.ThingNam}"}));
  EXPECT_EQ(results.size(), 3u);
}

TEST(LintCli, TerraformPolicyFilesThatAreNotRegularFilesAreRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("policies"));
  std::filesystem::create_symlink("/dev/zero", dir.file("device"));
  dir.write("main.tf",
            "resource \"aws_iot_policy\" \"a\" {\n  name = \"a\"\n  policy = file(\"device\")\n}\n"
            "resource \"aws_iot_policy\" \"b\" {\n  name = \"b\"\n  policy = file(\"${path.module}/policies\")\n}\n"
            "resource \"aws_iot_policy\" \"c\" {\n  name = \"c\"\n  policy = file(\"missing.json\")\n}\n"
            "resource \"aws_iot_policy\" \"d\" {\n  name = \"d\"\n  policy = file(\"${var.dir}/p.json\")\n}\n");
  CommandResult run = testing::run_command("'" + testing::fleetaudit_binary() + "' lint '" + dir.file("main.tf") + "'");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  for (const std::string& expected :
       {"main.tf:3:12: aws_iot_policy.a.policy: cannot read " + dir.file("device") +
            ": not a regular file: only a regular file is read as a policy",
        "main.tf:7:12: aws_iot_policy.b.policy: cannot read " + dir.file("policies") + ": not a regular file",
        "main.tf:11:12: aws_iot_policy.c.policy: cannot read " + dir.file("missing.json") + ": no such file",
        std::string("main.tf:15:12: warning: aws_iot_policy.d.policy reads a file whose path only the apply decides")})
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
}

TEST(LintCli, ACommentOnTheFileCallSuppressesTheFindingsInThePolicyFile) {
  TempDir dir;
  dir.write("policy.json",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", "
            "\"Resource\": \"arn:aws:iot:us-east-1:123456789012:client/*\"}]}");
  dir.write("main.tf",
            "resource \"aws_iot_policy\" \"a\" {\n"
            "  name = \"a\"\n"
            "  # fleetaudit:ignore IOT_POLICY_OVERLY_PERMISSIVE_CHECK the commissioning station connects as any device\n"
            "  policy = file(\"policy.json\")\n"
            "}\n");
  CommandResult run = testing::run_command("'" + testing::fleetaudit_binary() + "' lint --format json '" +
                                           dir.file("main.tf") + "'");
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find("\"file\": \"" + dir.file("policy.json") + "\""), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\"justification\": \"the commissioning station connects as any device\""),
            std::string::npos)
      << run.output;
}

TEST(LintCli, AllowThatGrantsNothing) {
  // No action AWS defines; Subscribe on topic/; Publish and RetainPublish taken back by a Deny.
  EXPECT_EQ(placed(lint_json("fixtures/lint/policies/grants-nothing.json", 1), "FLEETAUDIT_ALLOW_GRANTS_NOTHING",
                   "grants-nothing.json"),
            (std::vector<std::string>{"5:Allow", "10:Allow", "15:Allow"}));
  // One real action, one resource of the right type, a conditional Deny, a Deny of ${iot:ClientId}
  // (the device may not match it), a Deny of one resource of two: each grants something.
  EXPECT_TRUE(placed(lint_json("fixtures/lint/policies/grants-nothing-edges.json", 1), "FLEETAUDIT_ALLOW_GRANTS_NOTHING",
                     "grants-nothing-edges.json")
                  .empty());
  // The Deny is named as a related location.
  TempDir dir;
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/policies/grants-nothing.json --format sarif --output " +
                                    dir.file("out.sarif"))
                .exit_status,
            1);
  EXPECT_NE(testing::read_file(dir.file("out.sarif")).find("\"startLine\": 20"), std::string::npos);
}

TEST(LintCli, ResourceOutsideTheStackAndHardcodedAccounts) {
  EXPECT_EQ(placed(lint_json("fixtures/lint/policies/resource-outside-stack.json", 1),
                   "FLEETAUDIT_RESOURCE_OUTSIDE_STACK", "resource-outside-stack.json"),
            (std::vector<std::string>{"14:us-west-2", "15:210987654321", "16:aws-cn"}));
  // Two regions once each: which is the stack's is not known.
  EXPECT_TRUE(lint_json("fixtures/lint/policies/resource-region-tie.json", 0).empty());
  // ${AWS::Region} and ${AWS::AccountId} elsewhere: the literal ones are a LOW note, not a mismatch.
  const std::vector<Result> portable = lint_json("fixtures/lint/cloudformation/hardcoded-account.yaml", 1);
  EXPECT_EQ(placed(portable, "FLEETAUDIT_HARDCODED_ACCOUNT_OR_REGION", "hardcoded-account.yaml"),
            (std::vector<std::string>{"19:eu-central-1", "19:111122223333"}));
  EXPECT_EQ(portable.size(), 2u);
}

TEST(LintCli, SourceSuppressionsAreKeptWithTheirReason) {
  const std::vector<Result> results = lint_json("fixtures/lint/cloudformation/suppressed.yaml", 0);
  ASSERT_EQ(results.size(), 2u);
  for (const Result& result : results) EXPECT_TRUE(result.suppressed) << result.rule;
  const Result* metadata = find(results, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "suppressed.yaml");
  ASSERT_NE(metadata, nullptr);
  EXPECT_EQ(metadata->justification, "The broadcast gateway publishes to every device's command topic by design");
  const Result* comment = find(results, "FLEETAUDIT_VARIABLE_WITHOUT_VERSION", "suppressed.yaml");
  ASSERT_NE(comment, nullptr);
  EXPECT_EQ(comment->justification, "legacy firmware, replaced in Q3");
  // The suppression that matches nothing is said.
  TempDir dir;
  testing::run_fleetaudit("lint fixtures/lint/cloudformation/suppressed.yaml", dir.file("stderr"));
  CommandResult text = testing::run_fleetaudit("lint fixtures/lint/cloudformation/suppressed.yaml");
  EXPECT_NE(text.output.find("suppressed.yaml:30:13: warning: the suppression of FLEETAUDIT_UNKNOWN_IOT_ACTION "
                             "matches no finding"),
            std::string::npos)
      << text.output;
}

TEST(LintCli, AFileNamedTwiceIsLintedOnce) {
  const std::vector<Result> once = lint_json("fixtures/lint/policies", 1);
  const std::vector<Result> twice =
      lint_json("fixtures/lint/policies fixtures/lint/policies/typo-policy.json ./fixtures/lint/policies", 1);
  EXPECT_EQ(once.size(), twice.size());
}

TEST(LintCli, MetadataOnASharedCertificateSuppressesItsFinding) {
  TempDir dir;
  dir.write("t.yaml",
            "Resources:\n"
            "  Cert:\n"
            "    Type: AWS::IoT::Certificate\n"
            "    Metadata: {fleetaudit: {ignore_checks: [DEVICE_CERTIFICATE_SHARED_CHECK], reason: a gateway pair}}\n"
            "    Properties: {Status: ACTIVE}\n"
            "  A: {Type: AWS::IoT::ThingPrincipalAttachment, Properties: {Principal: !GetAtt Cert.Arn, ThingName: a}}\n"
            "  B: {Type: AWS::IoT::ThingPrincipalAttachment, Properties: {Principal: !GetAtt Cert.Arn, ThingName: b}}\n");
  CommandResult run = testing::run_command("'" + testing::fleetaudit_binary() + "' lint --format json '" +
                                           dir.file("t.yaml") + "'");
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find("\"justification\": \"a gateway pair\""), std::string::npos) << run.output;
}

TEST(LintCli, BrokenYamlIsAPositionedErrorAndTheRestIsLinted) {
  CommandResult run = testing::run_fleetaudit("lint fixtures/lint/broken fixtures/lint/policies/no-version.json");
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.output.find("error: fixtures/lint/broken/broken-template.yaml:8:1: not valid YAML:"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("FLEETAUDIT_VARIABLE_WITHOUT_VERSION"), std::string::npos) << run.output;
}

TEST(LintCli, ExitStatusFollowsFailOn) {
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/policies").exit_status, 1);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/policies --fail-on HIGH").exit_status, 0);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/policies --fail-on medium").exit_status, 1);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/policies --fail-on new").exit_status, 2);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint/no-such-dir").exit_status, 2);
  // Not IaC: nothing, and clean.
  CommandResult quiet = testing::run_fleetaudit("lint fixtures/lint/package.json fixtures/lint/.github/workflows/lint.yml");
  EXPECT_EQ(quiet.exit_status, 0) << quiet.output;
  EXPECT_EQ(quiet.output, "0 finding(s), 0 suppressed, in 0 IaC file(s) of 2 read\n");
}

TEST(LintCli, SarifIsValidDeterministicAndGolden) {
  TempDir dir;
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint --format sarif --output " + dir.file("a.sarif")).exit_status, 2);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint --format sarif --output " + dir.file("b.sarif")).exit_status, 2);
  const std::string sarif = testing::read_file(dir.file("a.sarif"));
  EXPECT_EQ(sarif, testing::read_file(dir.file("b.sarif")));
  CommandResult validation = testing::validate_sarif(dir.file("a.sarif"));
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
  EXPECT_NE(sarif.find("\"uri\": \"fixtures/lint/cloudformation/fleet-stack.yaml\""), std::string::npos);
  EXPECT_NE(sarif.find("\"kind\": \"inSource\""), std::string::npos);
  expect_golden("lint-fixtures.sarif", sarif);
  expect_golden("lint-fixtures.txt", testing::run_fleetaudit("lint fixtures/lint").output);
}

TEST(LintCli, TextEscapesFileContent) {
  TempDir dir;
  dir.write("evil.json",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
            "\"iot:Publsh\\u001b[31m\\nfake.json:1:1: CRITICAL\", \"Resource\": \"*\"}]}");
  CommandResult run = testing::run_command("'" + testing::fleetaudit_binary() + "' lint '" + dir.file("evil.json") + "'");
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.output.find('\x1b'), std::string::npos);
  EXPECT_EQ(run.output.find("\nfake.json"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace fleetaudit
