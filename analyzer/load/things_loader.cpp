#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

// things.json: `aws iot list-things`. No check reads a thing's own record (attachments come from
// thing-principals.json), so the file is validated, record by record, and nothing is kept: the
// cost of interning a million names buys nothing.
bool load_things(FileReader& file, ondemand::parser& parser, Snapshot&) {
  return for_each_record(file, parser, "things", [&](RecordReader& record, ondemand::object object) {
    bool has_name = false;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "thingName") {
        has_name = record.string(value, record.path("thingName")).has_value();
      } else if (key == "thingTypeName") {
        record.string(value, record.path("thingTypeName"));
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (!record.broken() && !has_name && record.ok()) record.fail(record.path("thingName"), "missing required field thingName");
  });
}

}  // namespace fleetaudit::load
