#pragma once
// The classes Device Defender sorts IoT IAM actions into when it judges a Cognito or role-alias
// role (see the audit-chk-*-cognito-role pages): thing admin write, thing admin read, other
// (non-thing) admin actions, and the device data plane. Derived from the one action catalogue
// (policy/actions.h), not listed here: see iot_action_class.
#include <cstdint>
#include <span>
#include <string_view>

namespace fleetaudit::iam {

enum class IotActionClass : uint8_t { thing_admin_write, thing_admin_read, non_thing_admin, data_plane };

// The class of an IoT action given without its "iot:" prefix, compared case-insensitively:
// - data plane: an iot: action of the catalogue's data-plane facts (MQTT, retained messages,
//   shadows, device-side jobs, DeleteConnection, AssumeRoleWithCertificate);
// - thing admin: an action whose name has the word Thing or Things for its object (not as part of
//   ThingGroup, ThingType or ThingRegistration: CreateThing, ListThingGroupsForThing,
//   AttachThingPrincipal), read when its verb is Describe, List or Get and write otherwise;
// - non-thing admin: anything else, a name the catalogue lacks included;
// except where AWS's published lists (DG-auth, DG-unauth) say otherwise, which win: ListThings and
// ListThingsInThingGroup are on AWS's write list, and the billing-group and principal actions that
// name things are not on its thing lists (kept as verdicts in tests/unit/iam_action_classes_test.cpp).
IotActionClass iot_action_class(std::string_view action);

// The catalogue's iot: action names (without prefix), sorted, so that wildcard patterns such as
// iot:Create* can be expanded. A pattern that reaches an action the catalogue lacks is still caught
// through a fresh name (see RolePermissions).
std::span<const std::string_view> known_iot_actions();

}  // namespace fleetaudit::iam
