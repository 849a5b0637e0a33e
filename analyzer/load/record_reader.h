#pragma once
// Reading snapshot records with simdjson On Demand, reporting every problem with file, line,
// column and JSON path. A bad field spoils only its record; broken JSON stops only its file.
#include <cstdint>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>

#include "analyzer/load/mapped_file.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/time.h"

namespace fleetaudit::load {

namespace ondemand = simdjson::ondemand;

// A JSON path built only when a problem is reported: a[i].b[j].c
struct JsonPath {
  JsonPath() = default;
  JsonPath(std::string_view array_key, int64_t array_index = -1, std::string_view field_name = {},
           int64_t field_array_index = -1, std::string_view subfield_name = {})
      : array(array_key), index(array_index), field(field_name), field_index(field_array_index),
        subfield(subfield_name) {}

  std::string_view array;  // top-level array key
  int64_t index = -1;      // record index, -1 for none
  std::string_view field;  // e.g. "validity.notAfter" or "principals"
  int64_t field_index = -1;
  std::string_view subfield;
  std::string render() const;
};

class FileReader {
public:
  FileReader(std::string file_name, const MappedFile& bytes, Diagnostics& diagnostics)
      : file_name_(std::move(file_name)), bytes_(bytes), diagnostics_(diagnostics) {}

  const std::string& file_name() const { return file_name_; }
  const MappedFile& bytes() const { return bytes_; }
  uint64_t offset_of(const char* at) const;
  void report(const char* at, const JsonPath& path, std::string message,
              DiagnosticSeverity severity = DiagnosticSeverity::error);
  // The file is not well-formed JSON: find the first syntax error exactly and report it.
  void report_malformed(simdjson::error_code code);
  bool malformed_reported() const { return malformed_reported_; }

private:
  std::string file_name_;
  const MappedFile& bytes_;
  Diagnostics& diagnostics_;
  bool malformed_reported_ = false;
};

// Errors after which On Demand can carry on with the next value.
bool is_value_error(simdjson::error_code code);

// Reads the fields of one record. Failures are reported and mark the record bad; a structural
// error marks it broken, and the caller stops reading the file.
class RecordReader {
public:
  RecordReader(FileReader& file, std::string_view array, int64_t index, const char* start)
      : file_(file), array_(array), index_(index), start_(start) {}

  bool ok() const { return ok_; }
  bool broken() const { return broken_; }
  const char* start() const { return start_; }
  JsonPath path(std::string_view field, int64_t field_index = -1, std::string_view subfield = {}) const {
    return {array_, index_, field, field_index, subfield};
  }

  // Each reads one value; nullopt after reporting what was wrong. Strings point into the
  // parser's buffer and die at its next document: intern them first.
  std::optional<std::string_view> string(ondemand::value value, const JsonPath& path);
  std::optional<EpochMillis> time(ondemand::value value, const JsonPath& path);
  std::optional<bool> boolean(ondemand::value value, const JsonPath& path);
  std::optional<int64_t> integer(ondemand::value value, const JsonPath& path);
  std::optional<ondemand::object> object(ondemand::value value, const JsonPath& path);
  std::optional<ondemand::array> array(ondemand::value value, const JsonPath& path);
  // Reads and validates a value the loader does not use, so broken JSON there is still seen.
  void consume(ondemand::value value, const JsonPath& path);
  // Reports a problem with this record as a whole (e.g. a missing required field).
  void fail(const JsonPath& path, std::string message) { fail_at(start_, path, std::move(message)); }
  void fail_at(const char* at, const JsonPath& path, std::string message);
  void warn_at(const char* at, const JsonPath& path, std::string message);
  // Records a simdjson error met while iterating; returns true when iteration must stop.
  bool error(simdjson::error_code code, const char* at, const JsonPath& path, std::string_view expected);

private:
  bool consume_depth(ondemand::value value, const JsonPath& path, int depth);

  FileReader& file_;
  std::string_view array_;
  int64_t index_;
  const char* start_;
  bool ok_ = true;
  bool broken_ = false;
};

// The location of a value in the buffer (its first token).
const char* location_of(ondemand::value& value);

// Walks the array under `array_key` in the file's top-level object and calls
// visit(RecordReader&, ondemand::object) for every element. Unknown top-level keys are
// validated and ignored. Returns false when the file could not be read to its end.
template <class Visit>
bool for_each_record(FileReader& file, ondemand::parser& parser, std::string_view array_key, Visit&& visit);

// Parses a whole small file (manifest, logging options…) as one top-level object.
template <class Visit>
bool with_top_object(FileReader& file, ondemand::parser& parser, Visit&& visit);

}  // namespace fleetaudit::load

#include "analyzer/load/record_reader_impl.h"
