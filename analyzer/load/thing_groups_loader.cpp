#include "analyzer/load/loaders.h"

#include <tuple>
#include <vector>

namespace fleetaudit::load {

// thing-groups.json: `aws iot list-thing-groups-for-thing`, once per thing.
bool load_thing_groups(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  ThingGroupMembershipTable& table = snapshot.thing_groups;
  std::vector<std::pair<StringId, StringId>> groups;
  return for_each_record(file, parser, "thingGroupMemberships", [&](RecordReader& record, ondemand::object object) {
    StringId thing = kNoString;
    bool has_groups = false;
    groups.clear();
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "thingName") {
        if (auto text = record.string(value, record.path("thingName"))) thing = snapshot.strings.intern(*text);
      } else if (key == "thingGroups") {
        auto array = record.array(value, record.path("thingGroups"));
        if (!array) return;
        has_groups = true;
        for_each_element(record, *array, record.path("thingGroups"), [&](int64_t index, ondemand::value element) {
          auto entry = record.object(element, record.path("thingGroups", index));
          if (!entry) return;
          StringId group_name = kNoString, group_arn = kNoString;
          for_each_field(record, *entry, record.path("thingGroups", index), [&](std::string_view inner, ondemand::value v) {
            auto path = record.path("thingGroups", index, inner);
            if (inner == "groupName") {
              if (auto text = record.string(v, path)) group_name = snapshot.strings.intern(*text);
            } else if (inner == "groupArn") {
              if (auto text = record.string(v, path)) group_arn = snapshot.strings.intern(*text);
            } else {
              record.consume(v, path);
            }
          });
          if (group_name == kNoString && !record.broken())
            record.fail(record.path("thingGroups", index, "groupName"), "missing required field groupName");
          groups.emplace_back(group_name, group_arn);
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && thing == kNoString) record.fail(record.path("thingName"), "missing required field thingName");
    if (record.ok() && !has_groups) record.fail(record.path("thingGroups"), "missing required field thingGroups");
    if (!record.ok()) return;
    uint64_t offset = file.offset_of(record.start());
    for (const auto& [name, arn] : groups) {
      table.thing_name.push_back(thing);
      table.group_name.push_back(name);
      table.group_arn.push_back(arn);
      table.source.push_back(offset);
    }
  });
}

}  // namespace fleetaudit::load
