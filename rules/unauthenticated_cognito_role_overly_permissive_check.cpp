// UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: the role a Cognito identity pool gives to
// anyone, signed in or not, grants IoT admin actions or broad data-plane access.
#include <fmt/format.h>

#include "analyzer/engine/check.h"
#include "analyzer/iam/pool_role_check.h"

namespace fleetaudit {
namespace {

iam::RoleReasons judge(const iam::IotRoleVerdict& verdict) {
  iam::RoleReasons reasons;
  // Every admin class counts, even on a single thing: AWS groups them under one code.
  std::vector<std::string> admin = verdict.admin.thing_admin_write;
  admin.insert(admin.end(), verdict.admin.thing_admin_read.begin(), verdict.admin.thing_admin_read.end());
  admin.insert(admin.end(), verdict.admin.non_thing_admin.begin(), verdict.admin.non_thing_admin.end());
  if (!admin.empty())
    reasons.emplace_back("ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS", fmt::format("IoT admin actions {}", iam::bracketed(admin)));
  if (verdict.broad_data_plane != 0)
    reasons.emplace_back("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS",
                         fmt::format("broad access to IoT data plane actions {}{}", iam::data_plane_list(verdict.broad_data_plane),
                                     verdict.data_plane_example));
  return reasons;
}

CheckResult run(const CheckContext& context) {
  return iam::run_pool_role_check(context, iam::PoolSide::unauthenticated, judge);
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::cognito_identity_pool,
    .reason_codes = {"ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"},
    .short_description = "A Cognito identity pool's unauthenticated role grants IoT admin or broad data-plane access.",
    .full_description =
        "Anyone can obtain credentials for an identity pool's unauthenticated role without signing in. If that "
        "role may call IoT admin APIs (create, change, list or describe things, or any other control-plane "
        "action, even on one resource) or reach other devices' topics, shadows and jobs, an anonymous caller "
        "can read or take over the fleet.",
    .help =
        "fleetaudit evaluates the role's inline and attached managed policies (default versions) as IAM does: "
        "Action/NotAction, Resource/NotResource, case-insensitive `*`/`?` action wildcards, and unconditional "
        "Deny statements overriding Allows (a Deny with a Condition is not credited). Data-plane breadth follows "
        "IOT_POLICY_OVERLY_PERMISSIVE_CHECK. Resources are decided exactly by the same policy model as the IoT policy checks; IAM is global, so an IoT resource of the role's account in any region counts (another account's devices are out of reach: AWS IoT has no resource policies). A data-plane finding gives an example resource of another device. A pool whose role is missing from iam-authorization-details.json is "
        "reported as an input error and not judged.\n\n"
        "Fix: give the unauthenticated role only thing-specific data-plane access (publish/subscribe to the "
        "device's own topics, its own shadow and jobs) and no `iot:` control-plane actions, e.g. with "
        "`aws iam put-role-policy`, or disable unauthenticated identities on the pool.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-unauth-cognito-role-permissive.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::cognito_identity_pool_roles}, {SnapshotFile::iam_authorization_details}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
