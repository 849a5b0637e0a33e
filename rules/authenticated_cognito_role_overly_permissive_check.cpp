// AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: the role a Cognito identity pool gives to
// signed-in users (directly or through a role mapping) grants IoT admin actions, or reads thing
// admin data across all things.
#include <fmt/format.h>

#include "analyzer/engine/check.h"
#include "analyzer/iam/pool_role_check.h"

namespace fleetaudit {
namespace {

iam::RoleReasons judge(const iam::IotRoleVerdict& verdict) {
  iam::RoleReasons reasons;
  const iam::IotAdminAccess& admin = verdict.admin;
  if (!admin.broad_thing_admin_read.empty())
    reasons.emplace_back("ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS",
                         fmt::format("IoT thing admin read actions on all things {}", iam::bracketed(admin.broad_thing_admin_read)));
  if (!admin.non_thing_admin.empty())
    reasons.emplace_back("ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
                         fmt::format("IoT non-thing admin actions {}", iam::bracketed(admin.non_thing_admin)));
  if (!admin.thing_admin_write.empty())
    reasons.emplace_back("ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS",
                         fmt::format("IoT thing admin write actions {}", iam::bracketed(admin.thing_admin_write)));
  if (verdict.broad_data_plane != 0)
    reasons.emplace_back("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS",
                         fmt::format("broad access to IoT data plane actions {}{}", iam::data_plane_list(verdict.broad_data_plane),
                                     verdict.data_plane_example));
  return reasons;
}

CheckResult run(const CheckContext& context) {
  return iam::run_pool_role_check(context, iam::PoolSide::authenticated, judge);
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::cognito_identity_pool,
    .reason_codes = {"ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS", "ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
                     "ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"},
    .short_description = "A Cognito identity pool's authenticated role grants IoT admin or fleet-wide access.",
    .full_description =
        "Every signed-in user of the app gets the identity pool's authenticated role (or a role its role mappings "
        "choose). If that role may change things, call other IoT control-plane APIs, read thing admin data of all "
        "things, or reach other devices' topics, shadows and jobs, any user can read or take over the fleet. "
        "Reading thing admin data (DescribeThing, ListJobExecutionsForThing, ListThingGroupsForThing, "
        "ListThingPrincipals) is allowed on a limited set of things; `thing/*` is broad, `thing/MyThing*` is not.",
    .help =
        "The pool's authenticated role and every RoleARN of its rule-based role mappings are judged (a Token "
        "mapping names no role). Policies are evaluated as IAM does: inline and attached managed policies "
        "(default versions), Action/NotAction, Resource/NotResource, case-insensitive action wildcards, and "
        "unconditional Deny statements overriding Allows, decided exactly by the same policy model as the IoT policy checks. IAM is global: an IoT resource of the role's account in any region counts (another account's devices are out of reach: AWS IoT has no resource policies). A data-plane finding gives an example resource of another device. The data-plane code (not on AWS's page for this check) "
        "follows the action classes AWS lists for Cognito roles and IOT_POLICY_OVERLY_PERMISSIVE_CHECK's breadth "
        "rules.\n\n"
        "Fix: remove `iot:` control-plane actions from the role, scope thing reads to the user's own things "
        "(e.g. `thing/${cognito-identity.amazonaws.com:sub}*`), and scope data-plane access to the user's devices.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-auth-cognito-role-permissive.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::cognito_identity_pool_roles}, {SnapshotFile::iam_authorization_details}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
