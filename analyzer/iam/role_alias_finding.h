#pragma once
// The finding shape both role-alias checks share.
#include <fmt/format.h>

#include <string>

#include "analyzer/engine/finding.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::iam {

inline Finding role_alias_finding(const Snapshot& snapshot, size_t alias_row, std::string_view reason,
                                  std::string_view what) {
  const RoleAliasTable& aliases = snapshot.iam.role_aliases;
  std::string_view alias = snapshot.text(aliases.alias[alias_row]);
  std::string_view alias_arn = snapshot.text(aliases.alias_arn[alias_row]);
  std::string_view role_arn = snapshot.text(aliases.role_arn[alias_row]);
  Finding finding;
  finding.resource_type = ResourceType::role_alias;
  finding.resource = {ResourceIdentifier::Kind::role_alias_arn, std::string(alias_arn.empty() ? alias : alias_arn), {}};
  finding.reason_code = std::string(reason);
  finding.message = fmt::format("Role alias {}: its role {} allows {}.", alias, role_arn, what);
  finding.related.push_back({ResourceType::iam_role, {ResourceIdentifier::Kind::iam_role_arn, std::string(role_arn), {}}, {}});
  finding.location = {SnapshotFile::role_aliases, aliases.source[alias_row]};
  finding.logical_name = std::string(alias_arn.empty() ? alias : alias_arn);
  return finding;
}

// Services AWS names as security auditing: a device's credentials should never reach them.
inline constexpr std::string_view kSecurityAuditingServices[] = {"cloudtrail", "guardduty", "iam", "inspector",
                                                                 "inspector2", "trustedadvisor"};

// One year of history, as AWS's role-alias checks use.
inline constexpr int64_t kServiceUsageDays = 365;

}  // namespace fleetaudit::iam
