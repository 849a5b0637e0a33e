#include "analyzer/iam/iot_action_classes.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/policy/actions.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::iam {

namespace {

constexpr std::string_view kIotPrefix = "iot:";

// Where AWS's published lists and the name rule disagree, AWS's lists: Device Defender's reason
// codes follow them. Each was checked by hand against the DG-auth and DG-unauth pages.
struct AwsVerdict {
  std::string_view action;
  IotActionClass action_class;
};
constexpr AwsVerdict kAwsVerdicts[] = {
    // On AWS's "manage/modify things" list although they only read.
    {"ListThings", IotActionClass::thing_admin_write},
    {"ListThingsInThingGroup", IotActionClass::thing_admin_write},
    // Name things but are on neither thing list: "every other IoT API action" is non-thing admin.
    {"AddThingToBillingGroup", IotActionClass::non_thing_admin},
    {"RemoveThingFromBillingGroup", IotActionClass::non_thing_admin},
    {"ListThingsInBillingGroup", IotActionClass::non_thing_admin},
    {"ListPrincipalThings", IotActionClass::non_thing_admin},
};

bool data_plane(std::string_view action) {
  for (const policy::DataPlaneActionFacts& facts : policy::data_plane_actions())
    if (facts.name.starts_with(kIotPrefix) && iequals(facts.name.substr(kIotPrefix.size()), action)) return true;
  return false;
}

// The name's CamelCase words: "ListThingGroupsForThing" -> List, Thing, Groups, For, Thing.
std::vector<std::string_view> words_of(std::string_view name) {
  std::vector<std::string_view> words;
  size_t begin = 0;
  for (size_t i = 1; i <= name.size(); ++i)
    if (i == name.size() || (name[i] >= 'A' && name[i] <= 'Z')) {
      words.push_back(name.substr(begin, i - begin));
      begin = i;
    }
  return words;
}

// Whether a thing is the action's object: the word Thing(s), not the first word of another
// resource's name (ThingGroup, ThingType, ThingRegistrationTask).
bool acts_on_things(std::string_view action) {
  const std::vector<std::string_view> words = words_of(action);
  for (size_t i = 0; i < words.size(); ++i) {
    if (!iequals(words[i], "Thing") && !iequals(words[i], "Things")) continue;
    if (i + 1 == words.size()) return true;
    const std::string_view next = words[i + 1];
    if (!iequals(next, "Group") && !iequals(next, "Groups") && !iequals(next, "Type") && !iequals(next, "Types") &&
        !iequals(next, "Registration"))
      return true;
  }
  return false;
}

bool reads(std::string_view action) {
  const std::vector<std::string_view> words = words_of(action);
  return !words.empty() && (iequals(words[0], "Describe") || iequals(words[0], "List") || iequals(words[0], "Get"));
}

// The class by the rules above, of a name as AWS spells it (the words need its capitals).
IotActionClass class_of_spelling(std::string_view action) {
  if (data_plane(action)) return IotActionClass::data_plane;
  for (const AwsVerdict& verdict : kAwsVerdicts)
    if (iequals(verdict.action, action)) return verdict.action_class;
  if (acts_on_things(action))
    return reads(action) ? IotActionClass::thing_admin_read : IotActionClass::thing_admin_write;
  return IotActionClass::non_thing_admin;
}

}  // namespace

IotActionClass iot_action_class(std::string_view action) {
  // Policies may spell an action in any case ("iot:creatething"): the catalogue's spelling decides.
  static const std::unordered_map<std::string, IotActionClass> by_lower_case = [] {
    std::unordered_map<std::string, IotActionClass> classes;
    for (std::string_view name : known_iot_actions()) classes.emplace(ascii_lower(name), class_of_spelling(name));
    return classes;
  }();
  const auto found = by_lower_case.find(ascii_lower(action));
  return found != by_lower_case.end() ? found->second : class_of_spelling(action);
}

std::span<const std::string_view> known_iot_actions() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> iot;
    for (std::string_view name : policy::iot_action_names())
      if (name.starts_with(kIotPrefix)) iot.push_back(name.substr(kIotPrefix.size()));
    return iot;
  }();
  return names;
}

}  // namespace fleetaudit::iam
