#pragma once
// The one IoT action catalogue: the actions AWS defines (iot_action_names.inc, generated from
// botocore's iot and iot-jobs-data models, the data-plane actions of AWS's policy documentation and
// the Greengrass data-plane actions by scripts/generate-iot-action-names.py) and the one resource
// type each data-plane action is authorized on. Lint's rules, access and the data-plane evaluator
// read it here.
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace fleetaudit::policy {

// iot:, iotjobsdata: and greengrass: action names, as AWS spells them, sorted.
const std::vector<std::string_view>& iot_action_names();
// The evaluator's data-plane questions (DataPlaneAction, in its order) come first.
inline constexpr size_t kDataPlaneActionCount = 18;
struct DataPlaneActionFacts {
  std::string_view name;           // as AWS spells it
  std::string_view resource_type;  // the one type AWS authorizes it on; empty: the resource "*"
};
// The data-plane actions: the first kDataPlaneActionCount are DataPlaneAction's, in its order.
std::span<const DataPlaneActionFacts> data_plane_actions();

// Whether an action pattern (a glob, compared case-insensitively) matches some action AWS defines.
bool matches_iot_action(std::string_view pattern);
// The resource type AWS authorizes a data-plane action named exactly on ("topic" for iot:Publish,
// any case); empty for any other action or a pattern.
std::string_view resource_type_acted_on(std::string_view action);
// Whether `type` ("client", "topicfilter", …) is one a data-plane action acts on.
bool data_plane_resource_type(std::string_view type);

}  // namespace fleetaudit::policy
