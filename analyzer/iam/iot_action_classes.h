#pragma once
// The classes Device Defender sorts IoT IAM actions into when it judges a Cognito or role-alias
// role (see the audit-chk-*-cognito-role pages): thing admin write, thing admin read, other
// (non-thing) admin actions, and the device data plane.
#include <cstdint>
#include <span>
#include <string_view>

namespace fleetaudit::iam {

enum class IotActionClass : uint8_t { thing_admin_write, thing_admin_read, non_thing_admin, data_plane };

// The class of an IoT action given without its "iot:" prefix, compared case-insensitively. Any
// action not in AWS's thing and data-plane lists is a non-thing admin action.
IotActionClass iot_action_class(std::string_view action);

// Known IoT action names (without prefix) of every class, so that wildcard patterns such as
// iot:Create* can be expanded. The non-thing admin list is not complete: a pattern that reaches an
// unknown action is still caught through a fresh name (see RolePermissions).
std::span<const std::string_view> known_iot_actions();

}  // namespace fleetaudit::iam
