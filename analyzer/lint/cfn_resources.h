#pragma once
// The CloudFormation resources beyond IoT policies and attachments: IAM roles and their policies,
// what hands the roles out (role aliases, identity pool role attachments), the account audit
// configuration, certificates' inline PEMs.
#include <optional>
#include <string>

#include "analyzer/lint/cfn_intrinsics.h"
#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

// A policy document value resolved: an object, or JSON text (a string, a block scalar, an Fn::Sub)
// parsed with its positions. nullopt after a problem of the file naming `path`.
std::optional<Node> resolved_policy_document(const Node& document, const IntrinsicResolver& resolver,
                                             const std::string& path, IacFile& file);

// AWS::IAM::Role with its inline Policies, AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached
// through Roles or ManagedPolicyArns, AWS::IAM::RolePolicy through RoleName; only the roles a role
// alias or identity pool names. Reads the whole Resources mapping (policies may come first).
void read_iam_roles(const Node& resources, const IntrinsicResolver& resolver, IacFile& file);

void read_role_alias(const std::string& id, const Node& properties, const IntrinsicResolver& resolver,
                     const Origin& origin, IacFile& file);
void read_identity_pool_roles(const std::string& id, const Node& properties, const IntrinsicResolver& resolver,
                              const Origin& origin, IacFile& file);
void read_audit_configuration(const Node& properties, const IntrinsicResolver& resolver, const Origin& origin,
                              IacFile& file);

}  // namespace fleetaudit::lint
