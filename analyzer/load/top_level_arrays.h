#pragma once
// Reading a file whose top-level object holds several record arrays (IAM's
// get-account-authorization-details output: RoleDetailList, Policies, …).
#include <span>

#include "analyzer/load/record_reader.h"

namespace fleetaudit::load {

// Calls visit(key, RecordReader&, ondemand::object) for every element of each array whose key is
// in `keys` (the key passed is the one from `keys`, so it outlives the parser). Other top-level
// keys are validated and ignored; an absent key is not an error. Returns false when the file
// could not be read to its end.
template <class Visit>
bool for_each_record_in_arrays(FileReader& file, ondemand::parser& parser, std::span<const std::string_view> keys,
                               Visit&& visit) {
  return with_top_object(file, parser, [&](RecordReader& top_reader, ondemand::object top) {
    for (auto field_result : top) {
      ondemand::field field;
      if (auto error = std::move(field_result).get(field); error) {
        top_reader.error(error, nullptr, JsonPath{}, "an object member");
        return;
      }
      std::string_view key;
      if (auto error = field.unescaped_key().get(key); error) {
        top_reader.error(error, nullptr, JsonPath{}, "a string key");
        return;
      }
      ondemand::value value = field.value();
      const std::string_view* known = nullptr;
      for (const std::string_view& candidate : keys)
        if (candidate == key) known = &candidate;
      if (known == nullptr) {
        top_reader.consume(value, JsonPath{key});
        if (top_reader.broken()) return;
        continue;
      }
      const std::string_view array_key = *known;
      const char* array_at = location_of(value);
      ondemand::array array;
      if (auto error = value.get_array().get(array); error) {
        if (top_reader.error(error, array_at, JsonPath{array_key}, "an array")) return;
        continue;
      }
      int64_t index = 0;
      const std::string_view name_field = naming_field(array_key);
      for (auto element_result : array) {
        ondemand::value element;
        if (auto error = std::move(element_result).get(element); error) {
          top_reader.error(error, nullptr, JsonPath{array_key, index}, "an array element");
          return;
        }
        const char* start = location_of(element);
        RecordReader record(file, array_key, index, start, name_field);
        ondemand::object object;
        if (auto error = element.get_object().get(object); error) {
          if (record.error(error, start, record.path({}), "an object")) {
            top_reader.error(simdjson::TAPE_ERROR, nullptr, JsonPath{}, "");
            return;
          }
        } else {
          visit(array_key, record, object);
        }
        if (record.broken()) {
          record.discard();
          top_reader.error(simdjson::TAPE_ERROR, nullptr, JsonPath{}, "");
          return;
        }
        record.commit();
        ++index;
      }
    }
  });
}

}  // namespace fleetaudit::load
