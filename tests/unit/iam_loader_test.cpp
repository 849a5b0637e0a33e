// Loading the IAM, Cognito and role-alias files.
#include <gtest/gtest.h>

#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

std::string rendered(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics.items()) out += d.render() + "\n";
  return out;
}

TEST(IamLoader, RolesWithInlineEncodedAndManagedPolicies) {
  TempDir dir;
  dir.write("iam-authorization-details.json", R"({
  "RoleDetailList": [
    {"RoleName": "A", "Arn": "arn:aws:iam::123456789012:role/A",
     "RolePolicyList": [{"PolicyName": "enc", "PolicyDocument": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iot%3AConnect%22%2C%22Resource%22%3A%22*%22%7D%7D"}],
     "AttachedManagedPolicies": [{"PolicyName": "M", "PolicyArn": "arn:aws:iam::123456789012:policy/M"}]}
  ],
  "Policies": [
    {"Arn": "arn:aws:iam::123456789012:policy/M", "PolicyVersionList": [
      {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
      {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}}]}
  ],
  "UserDetailList": [], "IsTruncated": false
})");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics));
  EXPECT_EQ(rendered(diagnostics), "");
  ASSERT_EQ(snapshot->iam.roles.size(), 1u);
  // The inline statement, then the managed policy's default version only.
  EXPECT_EQ(snapshot->iam.roles.first_statement[0], 0u);
  EXPECT_EQ(snapshot->iam.roles.end_statement[0], 2u);
  EXPECT_TRUE(snapshot->iam.statements.has(1, policy::kStatementDeny));
}

TEST(IamLoader, BadDocumentsAndMissingRolesArePlacedExactly) {
  TempDir dir;
  dir.write("iam-authorization-details.json", R"({"RoleDetailList": [
  {"Arn": "arn:aws:iam::123456789012:role/Bad",
   "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}}]},
  {"Arn": "arn:aws:iam::123456789012:role/Unmanaged",
   "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/Gone"}]},
  {"Arn": "arn:aws:iam::123456789012:role/Broken", "RolePolicyList": [{"PolicyName": "q", "PolicyDocument": "%ZZ"}]}
]})");
  dir.write("cognito-identity-pool-roles.json", R"({"identityPoolRoles": [
  {"IdentityPoolId": "us-east-1:p1", "Roles": {"authenticated": "arn:aws:iam::123456789012:role/Bad",
                                               "unauthenticated": "arn:aws:iam::123456789012:role/Nobody"}}
]})");
  dir.write("role-aliases.json", R"({"roleAliasDescriptions": [{"roleAlias": "a", "roleArn": "arn:aws:iam::123456789012:role/Unmanaged"}]})");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics));
  EXPECT_EQ(snapshot->iam.roles.size(), 0u);
  EXPECT_EQ(rendered(diagnostics),
            "cognito-identity-pool-roles.json:2:65: identityPoolRoles[0].Roles.authenticated: identity pool us-east-1:p1: "
            "its authenticated role arn:aws:iam::123456789012:role/Bad could not be read from "
            "iam-authorization-details.json (see the error there); it is not evaluated\n"
            "cognito-identity-pool-roles.json:3:67: identityPoolRoles[0].Roles.unauthenticated: identity pool "
            "us-east-1:p1: its unauthenticated role arn:aws:iam::123456789012:role/Nobody is not in "
            "iam-authorization-details.json; it is not evaluated\n"
            "iam-authorization-details.json:3:61: RoleDetailList[0].RolePolicyList[0].PolicyDocument: inline policy p: "
            "the policy document is not valid: Statement[0].Effect: expected \"Allow\" or \"Deny\" (at character 27)\n"
            "iam-authorization-details.json:4:3: RoleDetailList[1].AttachedManagedPolicies: role "
            "arn:aws:iam::123456789012:role/Unmanaged attaches managed policy arn:aws:iam::aws:policy/Gone, which the "
            "Policies list does not describe; the role is not evaluated (export without a --filter, or include "
            "AWSManagedPolicy)\n"
            "iam-authorization-details.json:6:109: RoleDetailList[2].RolePolicyList[0].PolicyDocument: the policy "
            "document string is neither JSON nor valid URL encoding\n"
            "role-aliases.json:1:58: roleAliasDescriptions[0].roleArn: role alias a: its role "
            "arn:aws:iam::123456789012:role/Unmanaged could not be read from iam-authorization-details.json (see the "
            "error there); it is not evaluated\n");
}

}  // namespace
}  // namespace fleetaudit
