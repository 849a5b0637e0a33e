// IAM policy evaluation for the Cognito and role-alias checks.
#include <gtest/gtest.h>

#include "analyzer/iam/iot_action_classes.h"
#include "analyzer/iam/policy_text.h"
#include "analyzer/iam/role_permissions.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::iam {
namespace {

class Role {
public:
  explicit Role(const std::string& document) {
    auto problem = policy::append_policy_document(document, 0, statements_);
    EXPECT_FALSE(problem) << (problem ? problem->message : "");
  }
  RolePermissions permissions() {
    return RolePermissions(globs_, breadth_, 0, static_cast<uint32_t>(statements_.size()),
                           policy::ArnScope{"aws", "us-east-1", "123456789012"});
  }

private:
  policy::PolicyStatementTable statements_;
  PatternGlobs globs_{statements_};
  policy::BreadthEvaluator breadth_{statements_};
};

std::string statements(const std::string& body) { return R"({"Version": "2012-10-17", "Statement": [)" + body + "]}"; }

TEST(IamPolicyText, PercentDecoding) {
  EXPECT_EQ(percent_decode("%7B%22a%22%3A%201%7D"), std::optional<std::string>(R"({"a": 1})"));
  EXPECT_EQ(percent_decode("a+b"), std::optional<std::string>("a+b"));  // RFC 3986: '+' is not a space
  EXPECT_FALSE(percent_decode("%7"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_EQ(document_text_from_string(R"(  {"Version": "x"})"), std::optional<std::string>(R"(  {"Version": "x"})"));
}

TEST(IamActionClasses, AwsListsCaseInsensitive) {
  EXPECT_EQ(iot_action_class("creatething"), IotActionClass::thing_admin_write);
  EXPECT_EQ(iot_action_class("ListThings"), IotActionClass::thing_admin_write);  // AWS lists it with the writes
  EXPECT_EQ(iot_action_class("DescribeThing"), IotActionClass::thing_admin_read);
  EXPECT_EQ(iot_action_class("Publish"), IotActionClass::data_plane);
  EXPECT_EQ(iot_action_class("SomeFutureApi"), IotActionClass::non_thing_admin);
}

TEST(IamRolePermissions, NotActionGrantsEverythingElse) {
  Role role(statements(R"({"Effect": "Allow", "NotAction": ["iot:*"], "Resource": "*"})"));
  RolePermissions permissions = role.permissions();
  IotAdminAccess access = permissions.iot_admin_access();
  EXPECT_TRUE(access.thing_admin_write.empty());
  EXPECT_TRUE(access.non_thing_admin.empty());
  EXPECT_TRUE(permissions.grants_service("dynamodb"));
  EXPECT_TRUE(permissions.grants_whole_service("dynamodb"));
  EXPECT_FALSE(permissions.grants_service("iot"));
}

TEST(IamRolePermissions, DenyBeatsAllowAcrossStatementsButNotWithCondition) {
  Role denied(statements(R"({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"},
                            {"Effect": "Deny", "Action": "IAM:*", "Resource": "*"})"));
  EXPECT_FALSE(denied.permissions().grants_service("iam"));
  Role conditional(statements(R"({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"},
                                 {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
                                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}})"));
  EXPECT_TRUE(conditional.permissions().grants_service("iam"));
  Role partial(statements(R"({"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                             {"Effect": "Deny", "Action": "iam:GetRole", "Resource": "*"})"));
  EXPECT_TRUE(partial.permissions().grants_service("iam"));
  EXPECT_FALSE(partial.permissions().grants_whole_service("iam"));
}

TEST(IamRolePermissions, ThingReadsBroadOnlyWhenTheyReachAnyThing) {
  auto broad_reads = [](const std::string& resource) {
    Role role(statements(R"({"Effect": "Allow", "Action": "iot:DescribeThing", "Resource": ")" + resource + R"("})"));
    return role.permissions().iot_admin_access().broad_thing_admin_read.size();
  };
  EXPECT_EQ(broad_reads("*"), 1u);
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:123456789012:thing/*"), 1u);
  EXPECT_EQ(broad_reads("arn:aws:iot:*:*:thing/*"), 1u);
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:123456789012:thing/MyThing*"), 0u);
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:123456789012:thing/${cognito-identity.amazonaws.com:sub}"), 0u);
  // A role alias's role: the thing the credentials provider was called for.
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:123456789012:thing/${credentials-iot:ThingName}"), 0u);
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:999999999999:thing/*"), 0u);  // another account
  EXPECT_EQ(broad_reads("arn:aws:iot:eu-west-1:123456789012:thing/*"), 1u);  // another region: IAM is global
  EXPECT_EQ(broad_reads("arn:aws:iot:us-east-1:123456789012:thing/MyThing1"), 0u);
}

TEST(IamRolePermissions, NotResourceAllowReachesWhatItDoesNotExclude) {
  Role excluded(statements(R"({"Effect": "Allow", "Action": "iot:DescribeThing",
                              "NotResource": "arn:aws:iot:*:123456789012:thing/*"})"));
  EXPECT_TRUE(excluded.permissions().iot_admin_access().broad_thing_admin_read.empty());
  // IAM is global: excluding one region's things leaves every other region's.
  Role one_region(statements(R"({"Effect": "Allow", "Action": "iot:DescribeThing",
                                "NotResource": "arn:aws:iot:us-east-1:123456789012:thing/*"})"));
  EXPECT_EQ(one_region.permissions().iot_admin_access().broad_thing_admin_read.size(), 1u);
  EXPECT_EQ(excluded.permissions().iot_admin_access().thing_admin_read.size(), 1u);  // still on other resources
  Role other(statements(R"({"Effect": "Allow", "Action": "iot:DescribeThing",
                           "NotResource": "arn:aws:iot:us-east-1:123456789012:thing/secret"})"));
  EXPECT_EQ(other.permissions().iot_admin_access().broad_thing_admin_read.size(), 1u);
}

TEST(IamRolePermissions, WildcardsAndNamedServices) {
  Role role(statements(R"({"Effect": "Allow", "Action": ["S3:Get*", "dynamodb:*", "iot:Describe?hing"], "Resource": "*"})"));
  RolePermissions permissions = role.permissions();
  EXPECT_EQ(permissions.named_services(), (std::vector<std::string>{"dynamodb", "iot", "s3"}));
  EXPECT_TRUE(permissions.grants_whole_service("dynamodb"));
  EXPECT_FALSE(permissions.grants_whole_service("s3"));
  EXPECT_TRUE(permissions.grants_service("s3"));
  EXPECT_FALSE(permissions.grants_service("iam"));
  EXPECT_EQ(permissions.iot_admin_access().thing_admin_read, (std::vector<std::string>{"iot:DescribeThing"}));
}

}  // namespace
}  // namespace fleetaudit::iam
