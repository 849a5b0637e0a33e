#include "analyzer/policy/actions.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "analyzer/policy/glob.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::policy {

namespace {

struct ActionType {
  std::string_view action;  // lower case
  std::string_view type;    // the resource type it is authorized on
};

// The data-plane actions and the one resource type AWS authorizes each on.
constexpr ActionType kActionTypes[] = {
    {"iot:connect", "client"},
    {"iot:deleteconnection", "client"},
    {"iot:publish", "topic"},
    {"iot:receive", "topic"},
    {"iot:retainpublish", "topic"},
    {"iot:getretainedmessage", "topic"},
    {"iot:subscribe", "topicfilter"},
    {"iot:getthingshadow", "thing"},
    {"iot:updatethingshadow", "thing"},
    {"iot:deletethingshadow", "thing"},
    {"iot:listnamedshadowsforthing", "thing"},
    {"iot:describejobexecution", "thing"},
    {"iot:getpendingjobexecutions", "thing"},
    {"iot:startnextpendingjobexecution", "thing"},
    {"iot:updatejobexecution", "thing"},
    {"iotjobsdata:describejobexecution", "thing"},
    {"iotjobsdata:getpendingjobexecutions", "thing"},
    {"iotjobsdata:startnextpendingjobexecution", "thing"},
    {"iotjobsdata:updatejobexecution", "thing"},
    {"iot:assumerolewithcertificate", "rolealias"},
};

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

std::string_view resource_type_acted_on(std::string_view action) {
  const std::string name = ascii_lower(action);
  for (const ActionType& entry : kActionTypes)
    if (entry.action == name) return entry.type;
  return {};
}

bool data_plane_resource_type(std::string_view type) {
  return std::any_of(std::begin(kActionTypes), std::end(kActionTypes),
                     [&](const ActionType& entry) { return entry.type == type; });
}

}  // namespace fleetaudit::policy
