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

// The fixtures' certificate checks run on this clock (their expiry dates are written against it).
const std::string kClock = " --now 2026-12-01T00:00:00Z";

struct Result {
  std::string rule, reason, file, resource, text;  // text: what the region covers in the file
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
    result.reason = std::string(std::string_view(item["reasonCode"]));
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

struct Problem {
  std::string severity, file, message;
  uint64_t line = 0, column = 0;
};

std::vector<Problem> lint_problems(const std::string& arguments) {
  CommandResult run = testing::run_fleetaudit("lint --format json " + arguments);
  std::vector<Problem> problems;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(run.output);
  for (simdjson::dom::element item : root["problems"].get_array())
    problems.push_back({std::string(std::string_view(item["severity"])), std::string(std::string_view(item["file"])),
                        std::string(std::string_view(item["message"])), uint64_t(item["line"]),
                        uint64_t(item["column"])});
  return problems;
}

// "RULE REASON RESOURCE: TEXT" for each result, for comparing a file's results whole.
std::vector<std::string> summaries(const std::vector<Result>& results) {
  std::vector<std::string> out;
  for (const Result& result : results)
    out.push_back(result.rule + " " + result.reason + " " + result.resource + ": " + result.text);
  return out;
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
  const std::vector<Result> results = lint_json("fixtures/lint" + kClock, 2);
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

TEST(LintCli, RoleAliasRolesAreJudgedWithEveryPolicyTheTemplateGivesThem) {
  const std::vector<Result> results = lint_json("fixtures/lint/cloudformation/role-aliases.yaml", 1);
  // BroadAlias (iot:* inline), AuditingAlias (a Policy by Roles, a ManagedPolicy by ManagedPolicyArns);
  // ScopedAlias (${credentials-iot:ThingName}, one table, one bucket) is silent.
  const std::vector<std::string> expected{
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS BroadAlias: !GetAtt BroadRole.Arn",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS BroadAlias: !GetAtt BroadRole.Arn",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS BroadAlias: !GetAtt BroadRole.Arn",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_BROAD_ACCESS_TO_USED_SERVICES BroadAlias: !GetAtt BroadRole.Arn",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS BroadAlias: !GetAtt BroadRole.Arn",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES AuditingAlias: "
      "arn:aws:iam::123456789012:role/fleet-auditing-role",
      "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ALLOWS_BROAD_ACCESS_TO_USED_SERVICES AuditingAlias: "
      "arn:aws:iam::123456789012:role/fleet-auditing-role",
  };
  EXPECT_EQ(summaries(results), expected);
  EXPECT_TRUE(lint_problems("fixtures/lint/cloudformation/role-aliases.yaml").empty());
}

TEST(LintCli, MetadataOnARoleSuppressesTheFindingsOfTheAliasThatHandsItOut) {
  TempDir dir;
  dir.write("t.yaml",
            "Resources:\n"
            "  Role:\n"
            "    Type: AWS::IAM::Role\n"
            "    Metadata: {fleetaudit: {ignore_checks: [IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK], reason: lab bench}}\n"
            "    Properties:\n"
            "      Policies: [{PolicyName: p, PolicyDocument: {Statement: {Effect: Allow, Action: 'iam:*', Resource: '*'}}}]\n"
            "  Alias: {Type: AWS::IoT::RoleAlias, Properties: {RoleAlias: bench, RoleArn: !GetAtt Role.Arn}}\n");
  CommandResult run = testing::run_command("'" + testing::fleetaudit_binary() + "' lint --format json '" +
                                           dir.file("t.yaml") + "'");
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find("\"justification\": \"lab bench\""), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("matches no finding"), std::string::npos) << run.output;
}

TEST(LintCli, ARoleTheTemplateDoesNotGiveIsSaidNotChecked) {
  const std::string file = "fixtures/lint/cloudformation/role-alias-roles-elsewhere.yaml";
  EXPECT_TRUE(lint_json(file, 0).empty());
  const std::vector<Problem> problems = lint_problems(file);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].severity, "warning");
  EXPECT_EQ(problems[0].line, 11u);  // at the RoleArn value
  EXPECT_EQ(problems[0].message,
            "role alias other-stack-alias: its role arn:aws:iam::123456789012:role/shared-device-role is not a role of "
            "this template (another stack's?); its role checks are not run for it");
  EXPECT_EQ(problems[1].line, 26u);
  EXPECT_EQ(problems[1].message,
            "role alias admin-alias: its role AdminRole has policies the template does not give "
            "(arn:aws:iam::aws:policy/AdministratorAccess); its role checks are not run for it");
}

TEST(LintCli, IdentityPoolRolesAreJudgedBySide) {
  const std::string file = "fixtures/lint/cloudformation/identity-pool-roles.json";
  const std::vector<Result> results = lint_json(file, 1);
  const std::vector<std::string> expected{
      "UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS AppPoolRoles: "
      "{\"Fn::GetAtt\": [\"GuestRole\", \"Arn\"]}",
      "UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS AppPoolRoles: "
      "{\"Fn::GetAtt\": [\"GuestRole\", \"Arn\"]}",
      "AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS AppPoolRoles: "
      "{\"Fn::Join\": [\"\", [\"arn:\", {\"Ref\": \"AWS::Partition\"}, \":iam::\", {\"Ref\": \"AWS::AccountId\"}, "
      "\":role/app-member-role\"]]}",
  };
  EXPECT_EQ(summaries(results), expected);
  const std::vector<Problem> problems = lint_problems(file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message,
            "identity pool (unauthenticated role) ScopedPool: its role arn:aws:iam::123456789012:role/shared-guest-role is "
            "not a role of this template (another stack's?); its role checks are not run for it");
}

TEST(LintCli, DisabledAuditChecksPointAtTheirEnabledValue) {
  const std::vector<Result> results = lint_json("fixtures/lint/cloudformation/audit-configuration.yaml", 1);
  const std::vector<std::string> expected{
      "FLEETAUDIT_AUDIT_CHECK_DISABLED AUDIT_CHECK_DISABLED AuditSettings: false",
      "FLEETAUDIT_AUDIT_CHECK_DISABLED AUDIT_CHECK_DISABLED AuditSettings: \"False\"",
  };
  EXPECT_EQ(summaries(results), expected);
}

TEST(LintCli, InlineCertificatePemsAreCheckedOnTheLintClock) {
  const std::string file = "fixtures/lint/cloudformation/inline-certificates.yaml";
  const std::vector<Result> results = lint_json(file + kClock, 1);
  std::vector<std::string> found;
  for (const Result& result : results) {
    found.push_back(result.rule + " " + result.reason + " " + result.resource);
    EXPECT_EQ(result.text.rfind("|\n        -----BEGIN CERTIFICATE-----", 0), 0u) << result.text;
  }
  const std::vector<std::string> expected{
      "DEVICE_CERTIFICATE_EXPIRING_CHECK CERTIFICATE_PAST_EXPIRATION RocaCertificate",
      "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361 RocaCertificate",
      "DEVICE_CERTIFICATE_EXPIRING_CHECK CERTIFICATE_APPROACHING_EXPIRATION ExpiringCertificate",
      "FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK LegacyCertificate",
  };
  EXPECT_EQ(found, expected);
  // Ten years on, the fresh certificate is past its expiry too; the clock is lint's --now.
  const std::vector<Result> later = lint_json(file + " --now 2036-12-01T00:00:00Z", 1);
  EXPECT_NE(find(later, "DEVICE_CERTIFICATE_EXPIRING_CHECK", "inline-certificates.yaml"), nullptr);
  size_t expiring = 0;
  for (const Result& result : later) expiring += result.rule == "DEVICE_CERTIFICATE_EXPIRING_CHECK";
  EXPECT_EQ(expiring, 4u);  // Roca, Expiring, Legacy and Fresh; the retired one is not in use
  EXPECT_EQ(testing::run_fleetaudit("lint " + file + " --now yesterday").exit_status, 2);
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
            ": leads outside the paths given to lint",
        "main.tf:7:12: aws_iot_policy.b.policy: cannot read " + dir.file("policies") +
            ": is a directory, expected a regular file",
        "main.tf:11:12: aws_iot_policy.c.policy: cannot read " + dir.file("missing.json") + ": No such file or directory",
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

// A policy past the exact evaluator's bounds is not passed as clean: lint says it could not decide
// it, at its document, and exits 2, while the other policy in the same directory is still judged.
TEST(LintCli, APolicyTooComplexToDecideIsAnErrorNotASilence) {
  TempDir dir;
  std::string resources;
  for (int i = 0; i < 10'000; ++i) resources += (i ? ",\"*/" : "\"*/") + std::to_string(i) + "\"";
  dir.write("hard.json", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":[)" +
                             resources + R"(]},{"Effect":"Deny","Action":"iot:Publish","Resource":[)" + resources +
                             "]}]}");
  dir.write("broad.json", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]})");
  CommandResult run = testing::run_fleetaudit("lint --format json " + dir.path());
  EXPECT_EQ(run.exit_status, 2) << run.output;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(run.output);
  std::vector<std::string> judged;
  for (simdjson::dom::element item : root["results"].get_array())
    judged.push_back(std::string(std::string_view(item["ruleId"])) + " " +
                     std::filesystem::path(std::string(std::string_view(item["file"]))).filename().string());
  EXPECT_EQ(judged, std::vector<std::string>{"IOT_POLICY_OVERLY_PERMISSIVE_CHECK broad.json"});
  bool said = false;
  for (const Problem& problem : lint_problems(dir.path()))
    said |= problem.severity == "error" && problem.file.find("hard.json") != std::string::npos && problem.line == 1 &&
            problem.message.find("IOT_POLICY_OVERLY_PERMISSIVE_CHECK could not decide policy hard") != std::string::npos;
  EXPECT_TRUE(said);
}

// An installed fleetaudit whose weak-key sample is missing says it looked for ROCA keys only, once,
// at the file's first inline PEM; with the sample there it says nothing of the kind.
TEST(LintCli, AMissingWeakKeySampleIsSaidForInlinePems) {
  TempDir install;
  std::filesystem::create_directories(install.file("bin"));
  std::filesystem::create_directories(install.file("share/fleetaudit/weak-keys"));  // installed, but empty
  std::filesystem::copy_file(testing::fleetaudit_binary(), install.file("bin/fleetaudit"));
  std::filesystem::permissions(install.file("bin/fleetaudit"), std::filesystem::perms::owner_all);
  const std::string file = testing::source_dir() + "/fixtures/lint/cloudformation/inline-certificates.yaml";
  CommandResult bare = testing::run_command("'" + install.file("bin/fleetaudit") + "' lint '" + file + "'" + kClock + " 2>&1");
  const std::string warning = "warning: only ROCA keys were looked for among the inline certificates";
  EXPECT_NE(bare.output.find(warning), std::string::npos) << bare.output;
  EXPECT_EQ(bare.output.find(warning), bare.output.rfind(warning));  // once for the file
  CommandResult shipped = testing::run_command("'" + testing::fleetaudit_binary() + "' lint '" + file + "'" + kClock + " 2>&1");
  EXPECT_EQ(shipped.output.find(warning), std::string::npos) << shipped.output;
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
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint --format sarif --output " + dir.file("a.sarif") + kClock).exit_status, 2);
  EXPECT_EQ(testing::run_fleetaudit("lint fixtures/lint --format sarif --output " + dir.file("b.sarif") + kClock).exit_status, 2);
  const std::string sarif = testing::read_file(dir.file("a.sarif"));
  EXPECT_EQ(sarif, testing::read_file(dir.file("b.sarif")));
  CommandResult validation = testing::validate_sarif(dir.file("a.sarif"));
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
  EXPECT_NE(sarif.find("\"uri\": \"fixtures/lint/cloudformation/fleet-stack.yaml\""), std::string::npos);
  EXPECT_NE(sarif.find("\"kind\": \"inSource\""), std::string::npos);
  expect_golden("lint-fixtures.sarif", sarif);
  expect_golden("lint-fixtures.txt", testing::run_fleetaudit("lint fixtures/lint" + kClock).output);
}

// Files are linted on every core, and what each thread first touches (compiled patterns, shared
// tables) is built on first use. Several processes at once, each from a cold start, make those
// first uses overlap; under ThreadSanitizer a race there exits 66. Every run must report the same.
TEST(LintCli, ConcurrentColdStartsReportTheSame) {
  TempDir dir;
  std::string script = "cd '" + testing::source_dir() + "' && for i in 1 2 3 4 5 6; do ('" +
                       testing::fleetaudit_binary() + "' lint --format json fixtures/lint" + kClock + " > '" +
                       dir.path() + "/out.'$i 2> '" + dir.path() + "/err.'$i; echo \"$i $?\") & done; wait";
  const CommandResult run = testing::run_command(script);
  const std::string first = testing::read_file(dir.file("out.1"));
  ASSERT_NE(first.find("\"results\""), std::string::npos) << run.output;
  for (int i = 1; i <= 6; ++i) {
    const std::string n = std::to_string(i);
    EXPECT_NE(run.output.find(n + " 2\n"), std::string::npos) << "run " << n << ": " << run.output << "\n"
                                                             << testing::read_file(dir.file("err." + n));
    EXPECT_EQ(testing::read_file(dir.file("out." + n)), first) << "run " << n;
  }
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
