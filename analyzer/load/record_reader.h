#pragma once
// Reading snapshot records with simdjson On Demand, reporting every problem with file, line,
// column and JSON path. A bad field spoils only its record; broken JSON stops only its file.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>

#include "analyzer/load/byte_source.h"
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

// The bytes of a file as one loader sees them, through a reused padded buffer: the whole file
// for small files, a window of records at a time for large ones.
class FileReader {
public:
  // Files larger than this are read a window of whole records at a time: memory stays bounded
  // and simdjson's 4 GiB document limit never applies.
  static constexpr size_t kDefaultWindowBytes = size_t{1} << 20;
  static constexpr size_t kBuffers = 4;

  FileReader(std::string file_name, const ByteSource& source, Diagnostics& diagnostics,
             size_t window_bytes = kDefaultWindowBytes)
      : file_name_(std::move(file_name)), source_(source), diagnostics_(diagnostics), window_bytes_(window_bytes) {}

  const std::string& file_name() const { return file_name_; }
  const ByteSource& source() const { return source_; }
  size_t window_bytes() const { return window_bytes_; }

  // The file offset of a pointer into the current buffer.
  uint64_t offset_of(const char* at) const;
  void report_at(uint64_t offset, const JsonPath& path, std::string message,
                 DiagnosticSeverity severity = DiagnosticSeverity::error) {
    report_rendered(offset, path.render(), std::move(message), severity);
  }
  void report_rendered(uint64_t offset, std::string path, std::string message, DiagnosticSeverity severity,
                       std::string record = {});
  void report(const char* at, const JsonPath& path, std::string message,
              DiagnosticSeverity severity = DiagnosticSeverity::error) {
    report_at(offset_of(at), path, std::move(message), severity);
  }
  // The file is not well-formed JSON: find the first syntax error exactly and report it.
  void report_malformed(simdjson::error_code code);
  bool malformed_reported() const { return malformed_reported_; }
  // Records (array elements) read whole and without error: a file with none is unusable.
  void count_record_read() { ++records_read_; }
  uint64_t records_read() const { return records_read_; }

  // The text `prefix` then the file's bytes [offset, offset + length), with simdjson's padding
  // and room for a few more bytes after it; sets the mapping used by offset_of. The text lies
  // in place in the file's mapping when it can (see ByteSource::window_memory), else in one of
  // kBuffers buffers that take turns. Either way the text of a fill stays readable for the
  // next kBuffers - 1 fills, so that a loader can hand it to other threads while this one
  // reads on. A loader that keeps pointers registers `before_refill` to finish with the oldest
  // text first. The text may be changed only through write().
  std::string_view fill(std::string_view prefix, uint64_t offset, size_t length);
  void set_before_refill(std::function<void()> callback) { before_refill_ = std::move(callback); }
  // Writes `bytes` (at most kMaxWrite) into the current text at `at`: brackets that close a cut
  // window, a blanked separator. undo_writes() puts back what was there, as the next fill does
  // first: in place, the next window and any later reader of the source read those bytes.
  static constexpr size_t kMaxWrite = 2;
  void write(const char* at, std::string_view bytes);
  void undo_writes();
  ~FileReader() { undo_writes(); }
  // How many fills there have been: the current buffer holds fill number fills(), and the next
  // fill overwrites the buffer of fill number fills() + 1 - kBuffers.
  uint64_t fills() const { return fills_; }
  // One past the last byte of the current buffer's contents.
  const char* buffer_end() const { return buffer_end_; }

  // Line and column of a file offset (counted from the last position asked for).
  TextPosition position_at(uint64_t offset);

  // Where the JSON text starts: after a UTF-8 byte-order mark, if any. False (reported) when
  // the file is UTF-16 or UTF-32.
  bool check_encoding(uint64_t& start);

  // Invalid UTF-8 costs only the record that holds it: when simdjson rejects a window for it,
  // each bad byte in `text` is overwritten with '?' (undone with the other writes) and
  // remembered, so that the record spanning it fails (RecordReader::ok) and the rest of the
  // window is read. False when `text` held no invalid byte.
  bool blank_invalid_utf8(std::string_view text);
  bool has_invalid_utf8() const { return !invalid_utf8_.empty(); }
  // The problem for each bad byte in [begin, end) not yet reported, for a record's pending list.
  struct InvalidByte {
    uint64_t offset;
    unsigned char byte;
    bool reported;
  };
  std::vector<InvalidByte>& invalid_utf8() { return invalid_utf8_; }
  // Reports the bad bytes no record claimed (outside every record); false when there were some.
  bool report_unclaimed_invalid_utf8();

private:
  std::vector<InvalidByte> invalid_utf8_;  // sorted by offset

  std::string file_name_;
  const ByteSource& source_;
  Diagnostics& diagnostics_;
  size_t window_bytes_;
  bool malformed_reported_ = false;
  uint64_t records_read_ = 0;
  std::unique_ptr<char[]> buffers_[kBuffers];
  size_t capacities_[kBuffers] = {};
  size_t current_ = 0;
  uint64_t fills_ = 0;
  struct Write {
    char* at;
    char original[kMaxWrite];
    size_t size;
  };
  std::vector<Write> writes_;              // not undone yet, in order
  uint64_t window_starts_[kBuffers] = {};  // of the last kBuffers fills made in place
  uint64_t released_ = 0;                  // pages before this offset were released
  void release_behind(uint64_t window_start);
  const char* buffer_begin_ = nullptr;     // where the current window's text starts
  const char* buffer_file_start_ = nullptr;  // where file byte `buffer_offset_` lies in the buffer
  const char* buffer_end_ = nullptr;
  std::function<void()> before_refill_;
  uint64_t buffer_offset_ = 0;
  // Line counting resumes from the last position asked for: reports come in file order.
  uint64_t counted_offset_ = 0;
  TextPosition counted_position_;
};

// Errors after which On Demand can carry on with the next value.
bool is_value_error(simdjson::error_code code);

// Reads the fields of one record. Failures are reported and mark the record bad; a structural
// error marks it broken, and the caller stops reading the file.
class RecordReader {
public:
  // `name_field`: the field that names a record of this array (naming_field), for diagnostics.
  RecordReader(FileReader& file, std::string_view array, int64_t index, const char* start,
               std::string_view name_field = {})
      : file_(file), array_(array), index_(index), start_(start), name_field_(name_field) {}

  // False when some field could not be read. Asked once the record has been read: a record
  // that holds invalid UTF-8 fails here.
  bool ok() {
    if (file_.has_invalid_utf8() && !utf8_checked_) claim_invalid_utf8();
    return ok_;
  }
  bool broken() const { return broken_; }
  int64_t index() const { return index_; }
  // Problems are held until the record is known to be whole: a record cut by the end of a
  // window is read again from the next window, and must not be reported twice.
  void commit();
  // A cut window is closed with brackets appended after the cut. An object or array that
  // those brackets closed was cut: the record is marked broken before the loader keeps it.
  void set_cut(ondemand::document* document, const char* appended) {
    document_ = document;
    appended_ = appended;
  }
  void check_not_cut();
  // Where the document's next token starts (just after the value read last), or nullptr.
  const char* next_token() const {
    const char* at = nullptr;
    if (document_ == nullptr || document_->current_location().get(at) != simdjson::SUCCESS) return nullptr;
    return at;
  }
  void discard() { pending_.clear(); }
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
  void claim_invalid_utf8();

  struct PendingProblem {
    uint64_t offset;
    std::string path;  // rendered at once: the views a JsonPath holds die with the window
    std::string message;
    DiagnosticSeverity severity;
    int64_t invalid_byte = -1;  // index into FileReader::invalid_utf8(), marked reported on commit
  };

  FileReader& file_;
  std::string_view array_;
  int64_t index_;
  const char* start_;
  bool ok_ = true;
  bool broken_ = false;
  std::vector<PendingProblem> pending_;
  ondemand::document* document_ = nullptr;
  const char* appended_ = nullptr;
  std::string_view name_field_;
  std::string_view name_;  // the value of name_field_, in the parser's buffer until the next window
  bool utf8_checked_ = false;
};

// The field whose value names a record of the array `array_key` (certificateId, thingName,
// policyName, …), or empty.
std::string_view naming_field(std::string_view array_key);

// Iterates `text` as one document. A window that simdjson rejects for invalid UTF-8 is iterated
// again with the bad bytes blanked (see FileReader::blank_invalid_utf8).
simdjson::simdjson_result<ondemand::document> iterate_text(FileReader& file, ondemand::parser& parser,
                                                          std::string_view text);

// The location of a value in the buffer (its first token).
const char* location_of(ondemand::value& value);

// Walks the array under `array_key` in the file's top-level object and calls
// visit(RecordReader&, ondemand::object) for every element, a window of whole records at a
// time. Unknown top-level keys are validated and ignored. Returns false when the file could
// not be read to its end.
template <class Visit>
bool for_each_record(FileReader& file, ondemand::parser& parser, std::string_view array_key, Visit&& visit);

// Parses a whole file (manifest, logging options…) as one top-level object.
template <class Visit>
bool with_top_object(FileReader& file, ondemand::parser& parser, Visit&& visit);

}  // namespace fleetaudit::load

#include "analyzer/load/record_reader_impl.h"
