#include "analyzer/policy/actions.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "analyzer/policy/glob.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::policy {

namespace {

// The data-plane actions and the one resource type AWS authorizes each on (empty: "*"), the first
// kDataPlaneActionCount in DataPlaneAction's order: the data-plane evaluator's catalogue.
constexpr DataPlaneActionFacts kDataPlaneActions[] = {
    {"iot:Connect", "client"},
    {"iot:DeleteConnection", "client"},
    {"iot:Publish", "topic"},
    {"iot:RetainPublish", "topic"},
    {"iot:Subscribe", "topicfilter"},
    {"iot:GetRetainedMessage", "topic"},
    {"iot:ListRetainedMessages", ""},
    {"iot:GetThingShadow", "thing"},
    {"iot:UpdateThingShadow", "thing"},
    {"iot:DeleteThingShadow", "thing"},
    {"iot:DescribeJobExecution", "thing"},
    {"iot:GetPendingJobExecutions", "thing"},
    {"iot:StartNextPendingJobExecution", "thing"},
    {"iot:UpdateJobExecution", "thing"},
    {"iotjobsdata:DescribeJobExecution", "thing"},
    {"iotjobsdata:GetPendingJobExecutions", "thing"},
    {"iotjobsdata:StartNextPendingJobExecution", "thing"},
    {"iotjobsdata:UpdateJobExecution", "thing"},
    // Not among the evaluator's questions: what a device receives, shadows listed by name, and
    // the credentials provider's action.
    {"iot:Receive", "topic"},
    {"iot:ListNamedShadowsForThing", "thing"},
    {"iot:AssumeRoleWithCertificate", "rolealias"},
};
static_assert(std::size(kDataPlaneActions) >= kDataPlaneActionCount);

}  // namespace

const std::vector<std::string_view>& iot_action_names() {
  static const std::vector<std::string_view> names{
#include "analyzer/policy/iot_action_names.inc"
  };
  return names;
}

bool matches_iot_action(std::string_view pattern) {
  const Glob glob = Glob::compile(pattern, true);
  return std::any_of(iot_action_names().begin(), iot_action_names().end(),
                     [&](std::string_view name) { return glob.matches(name); });
}

std::span<const DataPlaneActionFacts> data_plane_actions() { return kDataPlaneActions; }

std::string_view resource_type_acted_on(std::string_view action) {
  for (const DataPlaneActionFacts& entry : kDataPlaneActions)
    if (iequals(entry.name, action)) return entry.resource_type;
  return {};
}

bool data_plane_resource_type(std::string_view type) {
  return !type.empty() && std::any_of(std::begin(kDataPlaneActions), std::end(kDataPlaneActions),
                                      [&](const DataPlaneActionFacts& entry) { return entry.resource_type == type; });
}

}  // namespace fleetaudit::policy
