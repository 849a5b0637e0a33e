#include "analyzer/iam/pool_role_check.h"

#include <fmt/format.h>

#include <map>

namespace fleetaudit::iam {

std::string data_plane_list(policy::DataPlaneActionSet actions) { return policy::BreadthEvaluator::describe(actions); }

CheckResult run_pool_role_check(const CheckContext& context, PoolSide side, JudgeRole judge) {
  using Kind = IdentityPoolRoleTable::Kind;
  const Snapshot& snapshot = context.snapshot;
  const IdentityPoolRoleTable& pools = snapshot.iam.pool_roles;
  RoleEvaluator evaluator(snapshot);
  CheckResult result;
  size_t unevaluated = 0, wanted = 0;

  // A pool's rows are contiguous (one record each); a pool listed twice is judged twice.
  for (size_t begin = 0; begin < pools.size();) {
    size_t end = begin + 1;
    while (end < pools.size() && pools.pool_id[end] == pools.pool_id[begin]) ++end;
    std::map<std::string_view, std::vector<std::pair<RoleEvidence, std::string>>> offences;  // reason -> roles
    bool evaluated = false;
    uint64_t first_source = pools.source[begin];
    for (size_t row = begin; row < end; ++row) {
      const bool unauthenticated = pools.kind[row] == Kind::unauthenticated;
      if (unauthenticated != (side == PoolSide::unauthenticated)) continue;
      ++wanted;
      const uint32_t role_row = pools.role_row[row];
      if (role_row == UINT32_MAX) {
        ++unevaluated;  // reported by the loader
        continue;
      }
      evaluated = true;
      const RoleEvidence role{pools.kind[row] == Kind::mapped ? RoleEvidence::Use::role_mapping
                              : unauthenticated               ? RoleEvidence::Use::unauthenticated
                                                              : RoleEvidence::Use::authenticated,
                              std::string(snapshot.text(pools.role_arn[row])),
                              pools.kind[row] == Kind::mapped ? std::string(snapshot.text(pools.provider[row])) : ""};
      for (auto& [reason, detail] : judge(evaluator.iot_verdict(role_row)))
        offences[reason].emplace_back(role, std::move(detail));
    }
    if (evaluated) ++result.resources_evaluated;
    std::string_view pool = snapshot.text(pools.pool_id[begin]);
    for (auto& [reason, roles] : offences) {
      Finding finding;
      finding.resource_type = ResourceType::cognito_identity_pool;
      finding.resource = {ResourceIdentifier::Kind::cognito_identity_pool_id, std::string(pool), {}};
      finding.reason_code = std::string(reason);
      std::string details;
      for (auto& [role, detail] : roles) {
        details += fmt::format("{}{} allows {}", details.empty() ? "" : "; ", role_text(role), detail);
        finding.evidence.roles.push_back(std::move(role));
      }
      finding.message = fmt::format("Identity pool {}: {}.", pool, details);
      finding.location = {SnapshotFile::cognito_identity_pool_roles, first_source};
      finding.logical_name = std::string(pool);
      result.findings.push_back(std::move(finding));
    }
    begin = end;
  }
  if (unevaluated > 0)
    result.notes.push_back(fmt::format("{} of {} {} pool role(s) are not in iam-authorization-details.json or could not "
                                       "be read, and were not evaluated",
                                       unevaluated, wanted, side == PoolSide::unauthenticated ? "unauthenticated" : "authenticated"));
  if (wanted > 0 && unevaluated == wanted)
    result.not_run_reason = "no pool role could be found in iam-authorization-details.json";
  return result;
}

}  // namespace fleetaudit::iam
