// What lint reads in the shapes real repositories use: the placeholder rule of the policy model,
// bytes in comments, closest names, provisioning templates, for_each instances, --exclude.
#include <gtest/gtest.h>

#include "analyzer/lint/iac_reader.h"
#include "analyzer/lint/lint_run.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/lint/utf8_text.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/glob.h"

namespace fleetaudit::lint {
namespace {

using policy::ArnScope;
using Field = ArnScope::Field;

TEST(LintRealInputs, PlaceholdersInAnArnDecideNothing) {
  for (std::string_view text : {"<region>", "{{region}}", "${AWS_REGION}", "REGION", "your-region", "<AWS-Region>"})
    EXPECT_TRUE(ArnScope::placeholder(Field::region, text)) << text;
  for (std::string_view text : {"us-east-1", "us-gov-west-1", "cn-north-1", "*", "us-east-?", ""})
    EXPECT_FALSE(ArnScope::placeholder(Field::region, text)) << text;
  for (std::string_view text : {"<AWS_ACCOUNT_ID>", "<account-id>", "ACCOUNT_ID", "123456789", "xxxxxxxxxxxx"})
    EXPECT_TRUE(ArnScope::placeholder(Field::account, text)) << text;
  for (std::string_view text : {"123456789012", "*", "1234*"})
    EXPECT_FALSE(ArnScope::placeholder(Field::account, text));
  EXPECT_FALSE(ArnScope::placeholder(Field::partition, "aws-cn"));
  EXPECT_TRUE(ArnScope::placeholder(Field::partition, "PARTITION"));

  const ArnScope own{"aws", "eu-west-1", "123456789012"};
  EXPECT_EQ(own.with_own_fields("arn:aws:iot:<region>:<AWS_ACCOUNT_ID>:client/*"),
            "arn:aws:iot:eu-west-1:123456789012:client/*");
  EXPECT_EQ(own.with_own_fields("arn:aws:iot:${aws:region}:${aws:accountId}:topic/a:b"),
            "arn:aws:iot:eu-west-1:123456789012:topic/a:b");
  EXPECT_EQ(own.with_own_fields("arn:aws:iot:us-east-1:210987654321:client/x"),
            "arn:aws:iot:us-east-1:210987654321:client/x");  // another account stays another account
  EXPECT_EQ(own.with_own_fields("arn:aws:s3:::bucket"), "arn:aws:s3:::bucket");
}

TEST(LintRealInputs, BytesInCommentsAreAcceptedElsewhereAnErrorAtTheirSpan) {
  const std::string hcl = "# \x83\x66\x83\x6f\n// \xe9\n/* \xe0 */\nname = \"caf\xe9\"\n";
  const std::vector<InvalidUtf8Run> runs = invalid_utf8_runs(hcl, CommentSyntax::hcl);
  ASSERT_EQ(runs.size(), 5u);  // Shift-JIS trail bytes may be ASCII: \x83 'f' is two runs' worth
  EXPECT_TRUE(runs[0].in_comment && runs[1].in_comment && runs[2].in_comment && runs[3].in_comment);
  EXPECT_FALSE(runs[4].in_comment);
  EXPECT_EQ(hcl.substr(runs[4].begin, runs[4].end - runs[4].begin), "\xe9");
  // In YAML a '#' inside a quoted scalar starts no comment; JSON has none.
  const std::string yaml = "a: \"x # \xe9\"\n# \xe9\n";
  const auto yaml_runs = invalid_utf8_runs(yaml, CommentSyntax::hash);
  ASSERT_EQ(yaml_runs.size(), 2u);
  EXPECT_FALSE(yaml_runs[0].in_comment);
  EXPECT_TRUE(yaml_runs[1].in_comment);
  EXPECT_FALSE(invalid_utf8_runs("# \xe9", CommentSyntax::none)[0].in_comment);

  const LintedFile linted = lint_text(
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Caf\xe9\", \"Effect\": \"Allow\", "
      "\"Action\": \"iot:Connect\", \"Resource\": \"*\"}]}",
      "p.json");
  ASSERT_EQ(linted.file.problems.size(), 1u);
  EXPECT_EQ(linted.file.problems[0].column, 53u);
  EXPECT_EQ(linted.findings.size(), 1u) << "the rest of the file is still read";
}

TEST(LintRealInputs, ClosestNamesAlsoByWordOrder) {
  const std::vector<std::string_view> names = {"iot:Publish", "iot:RetainPublish", "iot:Connect"};
  EXPECT_EQ(closest_name("iot:PublishRetain", names, 3), "iot:RetainPublish");
  EXPECT_EQ(closest_name("iot:Publsh", names, 3), "iot:Publish");
  EXPECT_EQ(closest_name("iot:DescribeEverything", names, 3), "");
}

TEST(LintRealInputs, VariablesAsLiteralTextMatchTheExampleThatSpellsThem) {
  const policy::Glob glob =
      policy::Glob::compile(policy::variables_as_literal_text("client/${iot:Certificate.Subject.CommonName}-*"));
  EXPECT_TRUE(glob.matches("client/${iot:Certificate.Subject.CommonName}-x"));
  EXPECT_FALSE(glob.matches("client/${iot:Connection.Thing.ThingName}-x"));
  EXPECT_EQ(policy::variables_as_literal_text("a${*}b${x}"), "a${*}b${$}{x}");
}

TEST(LintRealInputs, AProvisioningTemplatesPolicyIsOneDevicesAndANamedPolicyIsANote) {
  const IacFile file = read_iac_text(
      R"({"Parameters": {"ThingName": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
          "Resources": {
            "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"}}},
            "certificate": {"Type": "AWS::IoT::Certificate",
                            "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}},
            "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
              "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"*\"}]}"}},
            "named": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "Existing"}}}})",
      "template.json");
  EXPECT_EQ(file.kind, kProvisioningTemplate);
  ASSERT_EQ(file.policies.size(), 1u);
  ASSERT_EQ(file.policy_targets.size(), 1u);
  EXPECT_EQ(file.policy_targets[0].target, "certificate");
  ASSERT_EQ(file.attachments.size(), 1u);
  EXPECT_EQ(file.attachments[0].thing, "<ThingName>");
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_EQ(file.problems[0].severity, DiagnosticSeverity::warning);
  EXPECT_NE(file.problems[0].message.find("existing policy Existing"), std::string::npos);
  EXPECT_EQ(file.not_checked, 1u);
  // The same policy resource in a stack (AWSTemplateFormatVersion) still needs its document.
  const IacFile stack = read_iac_text(
      R"({"AWSTemplateFormatVersion": "2010-09-09",
          "Resources": {"named": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "Existing"}}}})",
      "stack.json");
  ASSERT_EQ(stack.problems.size(), 1u);
  EXPECT_EQ(stack.problems[0].severity, DiagnosticSeverity::error);
}

TEST(LintRealInputs, ForEachSharingIsDecidedWhereTheSetIsKnown) {
  const std::string attachment =
      "resource \"aws_iot_certificate\" \"c\" {\n  active = true\n}\n"
      "resource \"aws_iot_thing_principal_attachment\" \"a\" {\n  for_each = SET\n"
      "  principal = aws_iot_certificate.c.arn\n  thing = each.value\n}\n";
  auto with_set = [&](const std::string& set) {
    std::string text = attachment;
    text.replace(text.find("SET"), 3, set);
    return lint_text(text, "/nonexistent-dir/a.tf");
  };
  const LintedFile two = with_set("toset([\"a\", \"b\"])");
  ASSERT_EQ(two.findings.size(), 1u);
  EXPECT_EQ(two.findings[0].check->name, "DEVICE_CERTIFICATE_SHARED_CHECK");
  EXPECT_TRUE(with_set("toset([\"a\", \"a\"])").findings.empty()) << "a set of one element";
  const LintedFile unknown = with_set("var.doors");
  EXPECT_TRUE(unknown.findings.empty());
  ASSERT_EQ(unknown.file.problems.size(), 1u);
  EXPECT_NE(unknown.file.problems[0].message.find("not decided"), std::string::npos);
}

// Values naming many others, ten levels deep (50^10 expansions): bounded, never a hang.
TEST(LintRealInputs, VariableExpansionIsBounded) {
  std::string serverless = "service: bomb\nprovider:\n  name: aws\ncustom:\n";
  std::string terraform = "locals {\n";
  for (int level = 0; level < 10; ++level) {
    serverless += "  a" + std::to_string(level) + ": \"";
    terraform += "  a" + std::to_string(level) + " = \"";
    for (int i = 0; i < 50; ++i) {
      serverless += "${self:custom.a" + std::to_string(level + 1) + "}";
      terraform += "${local.a" + std::to_string(level + 1) + "}";
    }
    serverless += "\"\n";
    terraform += "\"\n";
  }
  serverless += "  a10: x\nresources:\n  Resources:\n    P:\n      Type: AWS::IoT::Policy\n      Properties:\n"
                "        PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: iot:Connect, "
                "Resource: 'arn:aws:iot:us-east-1:123456789012:topic/${self:custom.a0}/*'}]}\n";
  terraform += "  a10 = \"x\"\n}\nresource \"aws_iot_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({Version = "
               "\"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"iot:Connect\", Resource = "
               "\"arn:aws:iot:us-east-1:123456789012:client/${local.a0}\"}]})\n}\n";
  const IacFile yaml = read_iac_text(serverless, "serverless.yml");
  ASSERT_EQ(yaml.policies.size(), 1u);
  EXPECT_LE(yaml.policies[0].document.get("Statement")->items[0].get("Resource")->text.size(), 70'000u);
  const IacFile hcl = read_iac_text(terraform, "/nonexistent-dir/main.tf");
  ASSERT_EQ(hcl.policies.size(), 1u);
}

TEST(LintRealInputs, ExcludeMatchesThePathOrATrailingPartOfIt) {
  EXPECT_TRUE(excluded("repo/examples/a/policy.json", {"examples"}));
  EXPECT_TRUE(excluded("repo/examples/a/policy.json", {"examples/*"}));
  EXPECT_TRUE(excluded("repo/a/policy.test.json", {"*.test.json"}));
  EXPECT_FALSE(excluded("repo/a/policy.json", {"*.test.json", "examples"}));
  EXPECT_FALSE(excluded("repo/my-examples/policy.json", {"examples"}));
}

}  // namespace
}  // namespace fleetaudit::lint
