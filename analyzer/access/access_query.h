#pragma once
// `fleetaudit access`: who may do what, decided by the one policy model (policy/request_evaluator).
//   what_thing_may  a thing's effective permissions per data-plane action, as patterns, after Deny
//   who_may         every certificate (with its thing), Cognito pool role and role-alias role that
//                   may perform one action on one concrete resource
// Certificates are grouped by the set of policies that reach them (policy_reach), and each set is
// evaluated once per distinct binding: once in all unless it reads the thing name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy/policy_reach.h"
#include "analyzer/policy/request_evaluator.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::access {

// Where a resource ARN is wrong for the action ("iot:Publish acts on topic ARNs …"); nullopt when fine.
std::optional<std::string> resource_problem(policy::DataPlaneAction action, std::string_view resource);

// --- who_may ---

struct CertificatePrincipal {
  uint32_t certificate_row = 0;
  StringId thing = kNoString;  // kNoString: the certificate is attached to no thing
  uint32_t decision = 0;       // index into ResourceAccess::decisions
};

struct RolePrincipal {
  enum class Kind : uint8_t { cognito_pool, role_alias };
  Kind kind = Kind::cognito_pool;
  std::string name;    // identity pool id, or role alias name
  std::string detail;  // pool: "authenticated", "unauthenticated" or "mapped by PROVIDER"; alias: empty
  uint32_t role_row = 0;
  policy::RequestDecision decision;  // statements of snapshot.iam.statements
};

struct ResourceAccess {
  std::vector<policy::RequestDecision> decisions;  // statements of snapshot.policy_statements
  std::vector<CertificatePrincipal> allowed;       // sorted by thing name, then certificate id
  std::vector<CertificatePrincipal> denied;        // allowed by some statement, but a Deny wins
  std::vector<RolePrincipal> roles;                // allowed ones, sorted by kind, name, detail
  std::vector<RolePrincipal> denied_roles;
  size_t evaluations = 0;  // policy-set evaluations done (for the benchmark)
};

ResourceAccess who_may(const Snapshot& snapshot, const policy::PolicyReach& reach, policy::DataPlaneAction action,
                       const std::string& resource);

// --- what_thing_may ---

struct StatementPatterns {
  uint32_t statement = 0;              // in snapshot.policy_statements
  std::vector<std::string> resources;  // thing name substituted, other variables as written
  bool not_resource = false;
  bool conditional = false;
  uint8_t depends = 0;  // policy::MatchDependency bits
  // Allow only: whether anything is left once every Deny of the action is taken away.
  enum class Left : uint8_t { some, nothing, undecided } left = Left::some;
};

struct ActionPermissions {
  policy::DataPlaneAction action{};
  std::vector<StatementPatterns> allow;
  std::vector<StatementPatterns> deny;  // unconditional Deny statements that take some of `allow` away
};

struct CertificatePermissions {
  uint32_t certificate_row = 0;
  std::vector<uint32_t> policies;  // policy rows, sorted by name
  std::vector<ActionPermissions> actions;  // catalogue order; actions nothing allows are left out
};

struct ThingPermissions {
  std::string thing;
  std::vector<CertificatePermissions> certificates;  // sorted by certificate id
};

// nullopt: no thing of that name in thing-principals.json or thing-groups.json.
std::optional<ThingPermissions> what_thing_may(const Snapshot& snapshot, const policy::PolicyReach& reach,
                                               std::string_view thing);

// "policy P version 3 statement 2 (Sid "x")" for a statement of snapshot.policy_statements.
struct StatementOrigin {
  std::string policy, version, sid;
  uint32_t index = 0;  // 1-based within its version
};
StatementOrigin origin_of(const Snapshot& snapshot, uint32_t statement);

}  // namespace fleetaudit::access
