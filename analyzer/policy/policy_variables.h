#pragma once
// The policy variables AWS IoT defines (IoT policy and IAM variables an IoT or role policy may use),
// for every check and lint rule that asks whether a ${…} means something.
#include <string_view>
#include <vector>

namespace fleetaudit::policy {

// Whole names, compared case-insensitively; the escapes ${*}, ${?} and ${$} included.
const std::vector<std::string_view>& known_variable_names();
// Whether `name` (without ${ }) is a known variable: a whole name, or under a known prefix
// (iot:Connection.Thing.Attributes[…], iot:Certificate.…, aws:PrincipalTag/…).
bool is_known_variable(std::string_view name);

}  // namespace fleetaudit::policy
