#include "analyzer/load/loaders.h"
#include "analyzer/load/window_interner.h"

namespace fleetaudit::load {

// things.json: `aws iot list-things`.
bool load_things(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  ThingTable& things = snapshot.things;
  WindowInterner interner(snapshot.strings);
  file.set_before_refill([&] { interner.flush(); });
  const bool complete = for_each_record(file, parser, "things", [&](RecordReader& record, ondemand::object object) {
    std::optional<std::string_view> name, thing_type;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "thingName") {
        name = record.string(value, record.path("thingName"));
      } else if (key == "thingTypeName") {
        thing_type = record.string(value, record.path("thingTypeName"));
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (!name && record.ok()) record.fail(record.path("thingName"), "missing required field thingName");
    if (!record.ok()) return;
    const size_t row = things.size();
    things.name.push_back(kNoString);
    things.thing_type.push_back(kNoString);
    things.source.push_back(file.offset_of(record.start()));
    interner.add(*name, things.name, row);
    if (thing_type) interner.add(*thing_type, things.thing_type, row);
  });
  interner.flush();
  file.set_before_refill(nullptr);
  return complete;
}

}  // namespace fleetaudit::load
