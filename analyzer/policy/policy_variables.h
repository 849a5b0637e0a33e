#pragma once
// The one table of policy variables: each ${…} name AWS defines for the policies fleetaudit reads,
// where it resolves (IoT policies, the IAM role policies a role alias or identity pool hands out),
// whether it is bound to the device the policy is evaluated for, and what it means. Every check,
// evaluator and lint rule that asks what a ${…} means asks here.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace fleetaudit::policy {

enum class VariableHome : uint8_t { iot_policy = 1, role_policy = 2, both = 3 };

struct PolicyVariable {
  std::string_view name;  // compared case-insensitively
  bool prefix;            // `name` begins a family (iot:Certificate.Subject.CommonName, …)
  VariableHome home;
  // Resolves to a value of the device itself (its thing, its certificate, its identity), which it
  // cannot choose: a resource scoped by it is the device's own. iot:ClientId is not: the device
  // picks its client id (the evaluators treat it on its own).
  bool bound_to_device;
  std::string_view meaning;
};

// Every row: IoT policy variables, the global aws: and Cognito keys, credentials-iot:.
std::span<const PolicyVariable> policy_variables();
// The row naming `name` (without ${ }), or nullptr.
const PolicyVariable* find_variable(std::string_view name);

// Whole names that resolve in an IoT policy, the escapes ${*}, ${?} and ${$} included (for
// suggestions).
const std::vector<std::string_view>& known_variable_names();
// Whether `name` resolves in an IoT policy: a whole name, or under a known prefix
// (iot:Connection.Thing.Attributes[…], iot:Certificate.…, aws:PrincipalTag/…).
bool is_known_variable(std::string_view name);
// Whether `name` is a variable bound to the device in the policy it may appear in (IoT or role).
bool bound_to_the_device(std::string_view name);

}  // namespace fleetaudit::policy
