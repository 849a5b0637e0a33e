// IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK: the IAM role behind a role alias grants
// services the role has not used in the past year.
#include <fmt/format.h>

#include <algorithm>

#include "analyzer/engine/check.h"
#include "analyzer/iam/role_alias_finding.h"
#include "analyzer/iam/role_evaluator.h"

namespace fleetaudit {
namespace {

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const RoleAliasTable& aliases = snapshot.iam.role_aliases;
  iam::RoleEvaluator evaluator(snapshot);
  CheckResult result;
  size_t unevaluated = 0, without_usage = 0;
  for (size_t row = 0; row < aliases.size(); ++row) {
    const uint32_t role_row = aliases.role_row[row];
    if (role_row == UINT32_MAX) {
      ++unevaluated;  // reported by the loader
      continue;
    }
    auto used = iam::services_used(snapshot, aliases.role_arn[row], context.now, iam::kServiceUsageDays);
    if (!used) {
      ++without_usage;
      continue;
    }
    ++result.resources_evaluated;
    iam::RolePermissions role = evaluator.permissions(role_row);
    // The services the policies spell out, and those the access report lists (it lists every
    // service the role's policies reach, which covers wildcards such as "*").
    std::vector<std::string> candidates = role.named_services();
    std::vector<std::string> reported = iam::services_reported(snapshot, aliases.role_arn[row]);
    candidates.insert(candidates.end(), reported.begin(), reported.end());
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<std::string> unused;
    for (const std::string& service : candidates)
      if (!std::binary_search(used->begin(), used->end(), service) && role.grants_service(service))
        unused.push_back(service);
    if (unused.empty()) continue;
    result.findings.push_back(iam::role_alias_finding(
        snapshot, row, "ALLOWS_ACCESS_TO_UNUSED_SERVICES",
        fmt::format("access to services it has not used in the past {} days {}", iam::kServiceUsageDays,
                    iam::bracketed(unused))));
  }
  if (without_usage > 0)
    result.notes.push_back(fmt::format("{} role alias role(s) have no completed report in iam-service-last-accessed.json "
                                       "and were not evaluated",
                                       without_usage));
  if (unevaluated > 0)
    result.notes.push_back(fmt::format("{} role alias role(s) are not in iam-authorization-details.json or could not be "
                                       "read, and were not evaluated",
                                       unevaluated));
  if (aliases.size() > 0 && result.resources_evaluated == 0)
    result.not_run_reason = without_usage > 0
                                ? "iam-service-last-accessed.json has no completed report for any role alias's role"
                                : "no role alias's role could be found in iam-authorization-details.json";
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::role_alias,
    .reason_codes = {"ALLOWS_ACCESS_TO_UNUSED_SERVICES"},
    .short_description = "The IAM role behind an IoT role alias grants services it has not used in a year.",
    .full_description =
        "Devices obtain the role behind a role alias through the IoT credentials provider. Every service the "
        "role grants but never uses only widens what a compromised device can reach.",
    .help =
        "Usage comes from iam-service-last-accessed.json (`aws iam generate-service-last-accessed-details` then "
        "`get-service-last-accessed-details`, per role): a service is used when the role authenticated to it "
        "within 365 days of the audit clock. A role without a completed report is not evaluated (a warning says "
        "so); with no report at all the check is not run. Granted services are the ones the role's policies "
        "name, and those the report lists, that an Allow not taken back by a Deny reaches.\n\n"
        "Fix: remove the unused services' actions from the role's policies (`aws iam put-role-policy`, "
        "`aws iam detach-role-policy`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-role-alias-unused-svcs.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::role_aliases},
                        {SnapshotFile::iam_authorization_details},
                        {SnapshotFile::iam_service_last_accessed}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS"},
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
