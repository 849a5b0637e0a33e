#pragma once
// Template bodies of record_reader.h.

namespace fleetaudit::load {

template <class Visit>
bool with_top_object(FileReader& file, ondemand::parser& parser, Visit&& visit) {
  const MappedFile& bytes = file.bytes();
  auto document_result = parser.iterate(bytes.data(), bytes.size(), bytes.capacity());
  if (document_result.error()) {
    file.report_malformed(document_result.error());
    return false;
  }
  ondemand::document& document = document_result.value_unsafe();
  ondemand::object top;
  if (auto error = document.get_object().get(top); error) {
    if (is_value_error(error) || error == simdjson::INCORRECT_TYPE) {
      file.report(bytes.data(), JsonPath{}, "expected a JSON object at the top level");
      return false;
    }
    file.report_malformed(error);
    return false;
  }
  RecordReader record(file, {}, -1, bytes.data());
  visit(record, top);
  if (record.broken()) {
    file.report_malformed(simdjson::TAPE_ERROR);
    return false;
  }
  const char* trailing = nullptr;
  if (document.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS) {
    file.report_malformed(simdjson::TRAILING_CONTENT);
    return false;
  }
  return record.ok();
}

template <class Visit>
bool for_each_record(FileReader& file, ondemand::parser& parser, std::string_view array_key, Visit&& visit) {
  bool found = false;
  bool read_to_end = with_top_object(file, parser, [&](RecordReader& top_reader, ondemand::object top) {
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
      if (key != array_key) {
        top_reader.consume(value, JsonPath{key});
        if (top_reader.broken()) return;
        continue;
      }
      found = true;
      const char* array_at = location_of(value);
      ondemand::array array;
      if (auto error = value.get_array().get(array); error) {
        if (top_reader.error(error, array_at, JsonPath{array_key}, "an array")) return;
        continue;
      }
      int64_t index = 0;
      for (auto element_result : array) {
        ondemand::value element;
        if (auto error = std::move(element_result).get(element); error) {
          top_reader.error(error, nullptr, JsonPath{array_key, index}, "an array element");
          return;
        }
        const char* start = location_of(element);
        RecordReader record(file, array_key, index, start);
        ondemand::object object;
        if (auto error = element.get_object().get(object); error) {
          if (record.error(error, start, record.path({}), "an object")) {
            top_reader.error(simdjson::TAPE_ERROR, nullptr, JsonPath{}, "");
            return;
          }
        } else {
          visit(record, object);
        }
        if (record.broken()) {
          top_reader.error(simdjson::TAPE_ERROR, nullptr, JsonPath{}, "");
          return;
        }
        ++index;
      }
    }
  });
  if (read_to_end && !found) {
    file.report(file.bytes().data(), JsonPath{},
                "expected the top-level object to hold the key \"" + std::string(array_key) + "\"");
    return false;
  }
  return read_to_end || !file.malformed_reported() ? read_to_end : false;
}

}  // namespace fleetaudit::load

namespace fleetaudit::load {

// Calls visit(key, value) for each member of `object`; stops when the record breaks.
template <class Visit>
void for_each_field(RecordReader& record, ondemand::object object, const JsonPath& where, Visit&& visit) {
  for (auto field_result : object) {
    ondemand::field field;
    if (auto code = std::move(field_result).get(field); code) {
      record.error(code, nullptr, where, "an object member");
      return;
    }
    std::string_view key;
    if (auto code = field.unescaped_key().get(key); code) {
      record.error(code, nullptr, where, "a string key");
      return;
    }
    visit(key, field.value());
    if (record.broken()) return;
  }
}

// Calls visit(index, value) for each element of `array`; stops when the record breaks.
template <class Visit>
void for_each_element(RecordReader& record, ondemand::array array, const JsonPath& where, Visit&& visit) {
  int64_t index = 0;
  for (auto element_result : array) {
    ondemand::value element;
    if (auto code = std::move(element_result).get(element); code) {
      record.error(code, nullptr, where, "an array element");
      return;
    }
    visit(index++, element);
    if (record.broken()) return;
  }
}

}  // namespace fleetaudit::load
