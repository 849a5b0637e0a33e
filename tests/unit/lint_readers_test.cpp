// The lint front ends: values located to the byte through YAML quoting, block scalars, JSON
// escapes and Fn::Sub; CloudFormation intrinsics; suppression comments; which files are read.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>

#include "analyzer/lint/iac_reader.h"
#include "analyzer/lint/lint_inputs.h"
#include "analyzer/lint/lint_run.h"
#include "analyzer/lint/policy_statements.h"
#include "tests/lint_templates.h"
#include "tests/test_support.h"

namespace fleetaudit::lint {
namespace {

std::string covered(const IacFile& file, Span span) {
  return std::string(file.source->text().substr(span.begin, span.end - span.begin));
}

const Node& first_resource(const IacFile& file, size_t statement = 0) {
  return *strings_of(statements_of(file.policies.at(0).document).at(statement).resources).at(0);
}

TEST(LintReaders, BlockScalarJsonUnderSubIsLocatedToTheCharacter) {
  const IacFile file = read_iac_text(
      testing::yaml_policy_template(
          " !Sub |\n"
          "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\",\n"
          "          \"Resource\": \"arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/${!iot:ClientId}\"}]}\n"),
      "t.yaml");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].render();
  ASSERT_EQ(file.policies.size(), 1u);
  const Node& resource = first_resource(file);
  EXPECT_EQ(resource.text, "arn:aws:iot:<AWS-Region>:<AWS-AccountId>:client/${iot:ClientId}");
  EXPECT_EQ(covered(file, resource.text_extent()),
            "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/${!iot:ClientId}");
  const size_t variable = resource.text.find("${iot:ClientId}");
  EXPECT_EQ(covered(file, resource.text_span(variable, variable + 15)), "${!iot:ClientId}");
}

TEST(LintReaders, JsonStringInsideJsonMapsThroughEscapes) {
  const IacFile file = read_iac_text(
      R"({"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":)"
      R"( "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"iot:Publish\",)"
      R"( \"Resource\": \"arn:aws:iot:r:1:topic/a/\\u002a\"}}"}}}})",
      "t.json");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].render();
  const Node& resource = first_resource(file);
  EXPECT_EQ(resource.text, "arn:aws:iot:r:1:topic/a/*");
  EXPECT_EQ(covered(file, culprit_span(resource)), R"(\\u002a)");
}

TEST(LintReaders, YamlQuotedScalarsKeepPositions) {
  const IacFile file = read_iac_text(testing::yaml_policy_template(testing::yaml_policy_document(
                                         "\n          - {Effect: Allow, Action: \"iot:\\x50ublish\", "
                                         "Resource: 'arn:aws:iot:r:1:topic/it''s/*'}")),
                                     "t.yml");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].render();
  const Node& resource = first_resource(file);
  EXPECT_EQ(resource.text, "arn:aws:iot:r:1:topic/it's/*");
  EXPECT_EQ(covered(file, resource.text_extent()), "arn:aws:iot:r:1:topic/it''s/*");
  EXPECT_EQ(covered(file, culprit_span(resource)), "*");
  const Node& action = *strings_of(statements_of(file.policies[0].document)[0].actions)[0];
  EXPECT_EQ(action.text, "iot:Publish");
  EXPECT_EQ(covered(file, action.text_extent()), "iot:\\x50ublish");
}

TEST(LintReaders, IntrinsicsResolveFromTheTemplate) {
  const IacFile file = read_iac_text(
      "Parameters:\n"
      "  Stage: {Type: String, Default: prod}\n"
      "Resources:\n"
      "  P:\n"
      "    Type: AWS::IoT::Policy\n"
      "    Properties:\n"
      "      PolicyName: !Join [\"-\", [fleet, !Ref Stage]]\n"
      "      PolicyDocument:\n"
      "        Statement:\n"
      "          Effect: Allow\n"
      "          Action: iot:Publish\n"
      "          Resource: !Sub\n"
      "            - arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${Stage}/${Where}/${!iot:ClientId}\n"
      "            - Where: !GetAtt Thing.Name\n",
      "t.yaml");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].render();
  EXPECT_EQ(file.policies[0].name, "fleet-prod");
  EXPECT_EQ(first_resource(file).text, "arn:aws:iot:<AWS-Region>:<AWS-AccountId>:topic/prod/<Thing.Name>/${iot:ClientId}");
}

TEST(LintReaders, AnAliasBombIsAnErrorNotAHang) {
  std::string text = "Resources:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char name = 'b'; name <= 'j'; ++name) {
    const std::string previous = fmt::format("*{}", static_cast<char>(name - 1));
    text += fmt::format("  {0}: &{0} [{1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}]\n", name, previous);
  }
  const IacFile file = read_iac_text(text, "bomb.yaml");
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_NE(file.problems[0].message.find("100,000 YAML nodes"), std::string::npos) << file.problems[0].render();
}

TEST(LintReaders, SuppressionCommentCoversItsLineOrTheBlockBelow) {
  const LintedFile linted = lint_text(
      "Resources:\n"
      "  # fleetaudit:ignore IOT_POLICY_OVERLY_PERMISSIVE_CHECK the gateway needs it\n"
      "  P:\n"
      "    Type: AWS::IoT::Policy\n"
      "    Properties:\n"
      "      PolicyDocument:\n"
      "        Version: '2012-10-17'\n"
      "        Statement: {Effect: Allow, Action: iot:Connect, Resource: '*'}\n",
      "t.yaml");
  ASSERT_EQ(linted.findings.size(), 1u);
  EXPECT_TRUE(linted.findings[0].suppressed);
  EXPECT_EQ(linted.findings[0].justification, "the gateway needs it");
  EXPECT_TRUE(linted.file.problems.empty());
}

TEST(LintReaders, ARoleIsReadWithEveryPolicyTheTemplateAttachesOnlyWhenHandedOut) {
  const IacFile file = read_iac_text(
      "Resources:\n"
      "  Role:\n"
      "    Type: AWS::IAM::Role\n"
      "    Properties:\n"
      "      RoleName: device\n"
      "      ManagedPolicyArns: [!Ref Managed, !GetAtt Other.PolicyArn, arn:aws:iam::aws:policy/ReadOnlyAccess]\n"
      "      Policies: [{PolicyName: a, PolicyDocument: {Statement: {Effect: Allow, Action: s3:GetObject, Resource: '*'}}}]\n"
      "  Managed: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: '{\"Statement\": []}'}}\n"
      "  Other: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: []}}}\n"
      "  Inline: {Type: AWS::IAM::Policy, Properties: {Roles: [!Ref Role], PolicyDocument: {Statement: []}}}\n"
      "  RolePolicy: {Type: AWS::IAM::RolePolicy, Properties: {RoleName: device, PolicyDocument: {Statement: []}}}\n"
      "  Unrelated: {Type: AWS::IAM::Role, Properties: {Policies: [{PolicyDocument: !If [c, a, b]}]}}\n"
      "  Alias: {Type: AWS::IoT::RoleAlias, Properties: {RoleAlias: cam, RoleArn: !GetAtt Role.Arn}}\n",
      "t.yaml");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].render();  // the unrelated role is not read
  ASSERT_EQ(file.roles.size(), 1u);
  EXPECT_EQ(file.roles[0].name, "device");
  // Inline, then in template order the two ManagedPolicies, the Policy and the RolePolicy.
  EXPECT_EQ(file.roles[0].documents.size(), 5u);
  EXPECT_EQ(file.roles[0].unknown_managed_policies, std::vector<std::string>{"arn:aws:iam::aws:policy/ReadOnlyAccess"});
  ASSERT_EQ(file.role_uses.size(), 1u);
  EXPECT_EQ(file.role_uses[0].holder, "cam");
  EXPECT_EQ(file.role_uses[0].role_arn, "arn:<AWS-Partition>:iam::<AWS-AccountId>:role/device");
  EXPECT_EQ(covered(file, file.role_uses[0].where), "!GetAtt Role.Arn");
}

TEST(LintReaders, AnUnreadableCertificatePemIsAPositionedError) {
  const LintedFile linted = lint_text(
      "Resources:\n"
      "  Cert:\n"
      "    Type: AWS::IoT::Certificate\n"
      "    Properties: {Status: ACTIVE, CertificatePem: \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}\n",
      "t.yaml", 0);
  ASSERT_EQ(linted.file.problems.size(), 1u);
  EXPECT_EQ(linted.file.problems[0].line, 4u);
  EXPECT_NE(linted.file.problems[0].message.find("Resources.Cert.Properties.CertificatePem: "), std::string::npos)
      << linted.file.problems[0].message;
  EXPECT_TRUE(linted.findings.empty());
}

TEST(LintReaders, NotIacIsNotRead) {
  EXPECT_TRUE(read_iac_text("{\"name\": \"x\", \"scripts\": {\"build\": \"tsc\"}}", "package.json").kind.empty());
  EXPECT_TRUE(read_iac_text("on: [push]\njobs: {a: {runs-on: x}}\n", "ci.yml").kind.empty());
  EXPECT_TRUE(read_iac_text("{{ if .Values.x }}\nResources: [\n", "chart.txt").kind.empty() == false);
  const IacFile iam = read_iac_text(R"({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})", "iam.json");
  EXPECT_TRUE(iam.kind.empty());
}

TEST(LintReaders, DirectoriesSkipHiddenVendoredAndIgnored) {
  testing::TempDir dir;
  for (const char* sub : {".git", "node_modules", "cdk.out", "cdk.out/asset.1", "build", "src"})
    std::filesystem::create_directories(dir.file(sub));
  for (const char* file : {".git/a.json", "node_modules/a.json", "cdk.out/asset.1/a.json", "cdk.out/S.template.json",
                           "build/a.json", "src/a.yaml", "src/b.txt", "src/c.tmp.json", "top.json"})
    dir.write(file, "{}");
  dir.write(".gitignore", "# comment\nbuild/\n*.tmp.json\n");
  Diagnostics problems;
  const LintInputs inputs = lint_inputs({dir.path()}, problems);
  std::vector<std::string> relative, ignored;
  for (const std::string& file : inputs.files) relative.push_back(file.substr(dir.path().size() + 1));
  for (const std::string& file : inputs.ignored) ignored.push_back(file.substr(dir.path().size() + 1));
  EXPECT_EQ(relative, (std::vector<std::string>{"cdk.out/S.template.json", "src/a.yaml", "top.json"}));
  // What the .gitignore kept out is kept to be named (hidden and vendored directories are not).
  EXPECT_EQ(ignored, (std::vector<std::string>{"build/a.json", "src/c.tmp.json"}));
  EXPECT_FALSE(problems.has_errors());
}

}  // namespace
}  // namespace fleetaudit::lint
