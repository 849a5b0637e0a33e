#pragma once
// IAM roles and the things that point at them: Cognito identity pools, IoT role aliases, and the
// services each role used (IAM access advisor).
#include <cstdint>
#include <vector>

#include "analyzer/policy/statement_table.h"
#include "analyzer/tables/string_interner.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

// One row per role of iam-authorization-details.json. A role's effective statements (its inline
// policies, then the default version of each attached managed policy) are contiguous in
// IamTables::statements, whose version_row is the role row.
struct IamRoleTable {
  std::vector<StringId> arn;
  std::vector<StringId> name;
  std::vector<uint32_t> first_statement;
  std::vector<uint32_t> end_statement;
  std::vector<uint64_t> source;
  size_t size() const { return arn.size(); }
};

// One row per role a Cognito identity pool hands out.
struct IdentityPoolRoleTable {
  enum class Kind : uint8_t { authenticated, unauthenticated, mapped };
  std::vector<StringId> pool_id;
  std::vector<Kind> kind;
  std::vector<StringId> role_arn;
  std::vector<StringId> provider;  // mapped: the identity provider whose rule names the role
  std::vector<uint32_t> role_row;  // row in IamRoleTable, or UINT32_MAX when the IAM details lack it
  std::vector<uint64_t> source;    // the role ARN's value in the file
  std::vector<StringId> json_path;  // of that value, for reporting a role the IAM details lack
  size_t size() const { return pool_id.size(); }
};

struct RoleAliasTable {
  std::vector<StringId> alias;
  std::vector<StringId> alias_arn;
  std::vector<StringId> role_arn;
  std::vector<uint32_t> role_row;  // row in IamRoleTable, or UINT32_MAX
  std::vector<uint64_t> source;
  std::vector<StringId> json_path;  // of the roleArn value
  size_t size() const { return alias.size(); }
};

// One row per (role, service) of a completed service-last-accessed report.
struct ServiceLastAccessedTable {
  std::vector<StringId> role_arn;
  std::vector<StringId> service_namespace;  // lower case, e.g. "iot", "dynamodb"
  std::vector<EpochMillis> last_authenticated;  // INT64_MIN when never used in the tracking period
  size_t size() const { return role_arn.size(); }
};

struct IamTables {
  IamRoleTable roles;
  policy::PolicyStatementTable statements;
  IdentityPoolRoleTable pool_roles;
  RoleAliasTable role_aliases;
  ServiceLastAccessedTable services_last_accessed;
  std::vector<StringId> unreadable_role_arns;  // described, but a policy could not be read
  // The completed access reports: each role's rows of services_last_accessed, sorted by role ARN id.
  struct UsageReport {
    StringId role_arn;
    uint32_t first_row, end_row;
  };
  std::vector<UsageReport> usage_reports;

  // Indexes, built after loading.
  std::vector<uint32_t> role_row_by_arn;  // indexed by StringId; UINT32_MAX when unknown
  uint32_t role_row(StringId arn) const {
    return arn < role_row_by_arn.size() ? role_row_by_arn[arn] : UINT32_MAX;
  }
};

}  // namespace fleetaudit
