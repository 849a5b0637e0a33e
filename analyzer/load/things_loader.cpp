#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

// things.json: `aws iot list-things`.
bool load_things(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  ThingTable& things = snapshot.things;
  return for_each_record(file, parser, "things", [&](RecordReader& record, ondemand::object object) {
    StringId name = kNoString;
    StringId thing_type = kNoString;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "thingName") {
        if (auto text = record.string(value, record.path("thingName"))) name = snapshot.strings.intern(*text);
      } else if (key == "thingTypeName") {
        if (auto text = record.string(value, record.path("thingTypeName")))
          thing_type = snapshot.strings.intern(*text);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (name == kNoString && record.ok()) record.fail(record.path("thingName"), "missing required field thingName");
    if (!record.ok()) return;
    things.name.push_back(name);
    things.thing_type.push_back(thing_type);
    things.source.push_back(file.offset_of(record.start()));
  });
}

}  // namespace fleetaudit::load
