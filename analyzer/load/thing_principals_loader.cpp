#include "analyzer/load/loaders.h"
#include "analyzer/load/window_interner.h"

#include <vector>

namespace fleetaudit::load {

namespace {
using Association = ThingPrincipalTable::Association;
}

// thing-principals.json: `aws iot list-thing-principals` (a "principals" list) or its v2 form
// ("thingPrincipalObjects" with the exclusive/non-exclusive association), once per thing.
bool load_thing_principals(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  ThingPrincipalTable& table = snapshot.thing_principals;
  std::vector<std::pair<std::string_view, Association>> principals;
  WindowInterner interner(snapshot.strings);
  file.set_before_refill([&] { interner.flush(); });
  const bool complete = for_each_record(file, parser, "thingPrincipals", [&](RecordReader& record, ondemand::object object) {
    std::optional<std::string_view> thing;
    bool has_list = false;
    principals.clear();
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "thingName") {
        thing = record.string(value, record.path("thingName"));
      } else if (key == "principals") {
        auto array = record.array(value, record.path("principals"));
        if (!array) return;
        has_list = true;
        for_each_element(record, *array, record.path("principals"), [&](int64_t index, ondemand::value element) {
          if (auto text = record.string(element, record.path("principals", index)))
            principals.emplace_back(*text, Association::unspecified);
        });
      } else if (key == "thingPrincipalObjects") {
        auto array = record.array(value, record.path("thingPrincipalObjects"));
        if (!array) return;
        has_list = true;
        for_each_element(record, *array, record.path("thingPrincipalObjects"), [&](int64_t index, ondemand::value element) {
          const char* at = location_of(element);
          auto entry = record.object(element, record.path("thingPrincipalObjects", index));
          if (!entry) return;
          std::optional<std::string_view> principal;
          Association association = Association::unspecified;
          for_each_field(record, *entry, record.path("thingPrincipalObjects", index),
                         [&](std::string_view entry_key, ondemand::value entry_value) {
            auto path = record.path("thingPrincipalObjects", index, entry_key);
            if (entry_key == "principal") {
              principal = record.string(entry_value, path);
            } else if (entry_key == "thingPrincipalType") {
              const char* type_at = location_of(entry_value);
              auto text = record.string(entry_value, path);
              if (!text) return;
              if (*text == "EXCLUSIVE_THING") association = Association::exclusive_thing;
              else if (*text == "NON_EXCLUSIVE_THING") association = Association::non_exclusive_thing;
              else record.fail_at(type_at, path, "expected \"EXCLUSIVE_THING\" or \"NON_EXCLUSIVE_THING\"");
            } else {
              record.consume(entry_value, path);
            }
          });
          if (!principal && !record.broken())
            record.fail_at(at, record.path("thingPrincipalObjects", index, "principal"),
                           "missing required field principal");
          else if (principal)
            principals.emplace_back(*principal, association);
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (!thing && record.ok()) record.fail(record.path("thingName"), "missing required field thingName");
    if (!has_list && record.ok())
      record.fail(record.path("principals"), "missing required field principals (or thingPrincipalObjects)");
    if (!record.ok()) return;
    uint64_t offset = file.offset_of(record.start());
    for (const auto& [principal, association] : principals) {
      const size_t row = table.size();
      table.thing_name.push_back(kNoString);
      table.principal.push_back({});
      table.association.push_back(association);
      table.source.push_back(offset);
      interner.add(*thing, table.thing_name, row);
      interner.add_split_arn(principal, table.principal, row);
    }
  });
  interner.flush();
  file.set_before_refill(nullptr);
  return complete;
}

}  // namespace fleetaudit::load
