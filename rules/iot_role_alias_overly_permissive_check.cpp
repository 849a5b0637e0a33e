// IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK: the IAM role devices obtain through a role alias grants
// admin access to services, any access to security-auditing services, or IoT admin/broad access.
#include <fmt/format.h>

#include "analyzer/engine/check.h"
#include "analyzer/iam/pool_role_check.h"
#include "analyzer/iam/role_alias_finding.h"
#include "analyzer/iam/role_evaluator.h"

namespace fleetaudit {
namespace {

// A service name no pattern spells out: only a wildcard service ("*", "*:*") reaches it.
constexpr std::string_view kAnyService{"\0\0", 2};

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
    ++result.resources_evaluated;
    iam::RolePermissions role = evaluator.permissions(role_row);
    auto add = [&](std::string_view reason, const std::string& what) {
      result.findings.push_back(iam::role_alias_finding(snapshot, row, reason, what));
    };

    // Admin wildcards: on the services the role used in the past year when the access report says
    // which; without it, on every service (a static stand-in, said in a note).
    std::vector<std::string> admin;
    auto used = iam::services_used(snapshot, aliases.role_arn[row], context.now, iam::kServiceUsageDays);
    if (used) {
      for (const std::string& service : *used)
        if (role.grants_whole_service(service)) admin.push_back(service + ":*");
    } else {
      ++without_usage;
      if (role.grants_whole_service(kAnyService)) admin.push_back("*");
      for (const std::string& service : role.named_services())
        if (role.grants_whole_service(service)) admin.push_back(service + ":*");
    }
    if (!admin.empty())
      add("ALLOWS_BROAD_ACCESS_TO_USED_SERVICES",
          fmt::format("admin access to {}services {}", used ? "used " : "", iam::bracketed(admin)));

    std::vector<std::string> auditing;
    for (std::string_view service : iam::kSecurityAuditingServices)
      if (role.grants_service(service)) auditing.emplace_back(service);
    if (!auditing.empty())
      add("ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES",
          fmt::format("access to security auditing services {}", iam::bracketed(auditing)));

    const iam::IotRoleVerdict& verdict = evaluator.iot_verdict(role_row);
    if (!verdict.admin.broad_thing_admin_read.empty())
      add("ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS",
          fmt::format("IoT thing admin read actions on all things {}", iam::bracketed(verdict.admin.broad_thing_admin_read)));
    if (!verdict.admin.non_thing_admin.empty())
      add("ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
          fmt::format("IoT non-thing admin actions {}", iam::bracketed(verdict.admin.non_thing_admin)));
    if (!verdict.admin.thing_admin_write.empty())
      add("ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS",
          fmt::format("IoT thing admin write actions {}", iam::bracketed(verdict.admin.thing_admin_write)));
    if (verdict.broad_data_plane != 0)
      add("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS",
          fmt::format("broad access to IoT data plane actions {}{}", iam::data_plane_list(verdict.broad_data_plane),
                                     verdict.data_plane_example));
  }
  if (without_usage > 0)
    result.notes.push_back(fmt::format(
        "{} role alias role(s) have no completed report in iam-service-last-accessed.json: for them the "
        "used-services part is not run, and service-wide wildcards (svc:*, *) are reported for every service",
        without_usage));
  if (unevaluated > 0)
    result.notes.push_back(fmt::format("{} role alias role(s) are not in iam-authorization-details.json or could not be "
                                       "read, and were not evaluated",
                                       unevaluated));
  if (aliases.size() > 0 && unevaluated == aliases.size())
    result.not_run_reason = "no role alias's role could be found in iam-authorization-details.json";
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::role_alias,
    .reason_codes = {"ALLOWS_BROAD_ACCESS_TO_USED_SERVICES", "ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES",
                     "ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS", "ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
                     "ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"},
    .short_description = "The IAM role behind an IoT role alias grants admin, auditing-service or fleet-wide access.",
    .full_description =
        "Devices exchange their certificate for temporary credentials of the role a role alias names (the IoT "
        "credentials provider). A compromised device then holds whatever that role grants: admin (service-wide) "
        "access to the services it uses, any access to security-auditing services (IAM, CloudTrail, GuardDuty, "
        "Inspector, Trusted Advisor), IoT admin actions, thing admin reads on all things, or other devices' "
        "topics, shadows and jobs.",
    .help =
        "Used services come from iam-service-last-accessed.json (services the role authenticated to within 365 "
        "days of the audit clock). Without a completed report for a role, that part is not run; instead every "
        "service-wide wildcard (`dynamodb:*`, `*`) is reported, and a warning says so. The other parts are static. "
        "Policies are evaluated as IAM does (inline and attached managed policies, Action/NotAction, "
        "Resource/NotResource, case-insensitive wildcards, unconditional Deny over Allow)."
        " Resources are decided exactly by the same policy model as the IoT policy checks; IAM is global, so an IoT resource of the role's account in any region counts (another account's devices are out of reach: AWS IoT has no resource policies). A data-plane finding gives an example resource of another device. A role the IAM details "
        "lack is reported as an input error and not judged.\n\n"
        "Fix: grant the role only the actions and resources the devices need, e.g. `dynamodb:PutItem` on one "
        "table instead of `dynamodb:*`, and no `iam:`, `cloudtrail:`, `guardduty:`, `inspector:` or "
        "`trustedadvisor:` actions.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-iot-role-alias-permissive.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::role_aliases}, {SnapshotFile::iam_authorization_details}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
