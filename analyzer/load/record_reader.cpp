#include "analyzer/load/record_reader.h"

#include <fmt/format.h>

#include "analyzer/load/json_syntax.h"
#include "analyzer/load/mapped_file.h"
#include "analyzer/load/text_encoding.h"

#include <algorithm>
#include <cstring>

namespace fleetaudit::load {

namespace {
// Deeper than any AWS shape; guards the recursive consume against hostile nesting.
constexpr int kMaxRecordDepth = 64;
constexpr size_t kClosingRoom = 8;
static_assert(ByteSource::kWindowSlack >= kClosingRoom + simdjson::SIMDJSON_PADDING);
}  // namespace

std::string JsonPath::render() const {
  std::string out(array);
  if (index >= 0) out += fmt::format("[{}]", index);
  if (!field.empty()) {
    if (!out.empty()) out += '.';
    out += field;
  }
  if (field_index >= 0) out += fmt::format("[{}]", field_index);
  if (!subfield.empty()) {
    out += '.';
    out += subfield;
  }
  return out;
}

uint64_t FileReader::offset_of(const char* at) const {
  if (at == nullptr || buffer_file_start_ == nullptr || at < buffer_begin_) return buffer_offset_;
  if (at < buffer_file_start_) return buffer_offset_;  // inside a synthetic prefix
  return buffer_offset_ + static_cast<uint64_t>(at - buffer_file_start_);
}

void FileReader::write(const char* at, std::string_view bytes) {
  Write record{const_cast<char*>(at), {}, std::min(bytes.size(), kMaxWrite)};
  std::memcpy(record.original, at, record.size);
  std::memcpy(record.at, bytes.data(), record.size);
  writes_.push_back(record);
}

void FileReader::undo_writes() {
  for (auto write = writes_.rbegin(); write != writes_.rend(); ++write) std::memcpy(write->at, write->original, write->size);
  writes_.clear();
}

std::string_view FileReader::fill(std::string_view prefix, uint64_t offset, size_t length) {
  undo_writes();
  if (before_refill_) before_refill_();
  ++fills_;
  length = static_cast<size_t>(std::min<uint64_t>(length, offset < source_.size() ? source_.size() - offset : 0));
  // In place, when the prefix fits over the byte before the window: a window never starts
  // inside a string, so that byte is a separator or the end of a record already read.
  if (char* mapped = source_.window_memory(); mapped != nullptr && prefix.size() <= 1 && offset >= prefix.size()) {
    char* begin = mapped + offset - prefix.size();
    if (!prefix.empty()) write(begin, prefix);
    buffer_begin_ = begin;
    buffer_file_start_ = mapped + offset;
    buffer_offset_ = offset;
    buffer_end_ = buffer_file_start_ + length;
    release_behind(offset - prefix.size());
    return {begin, prefix.size() + length};
  }
  current_ = (current_ + 1) % kBuffers;  // the earlier fills stay readable for a while
  std::unique_ptr<char[]>& buffer = buffers_[current_];
  // Room for the brackets a cut window is closed with, then simdjson's padding.
  const size_t needed = prefix.size() + length + kClosingRoom + simdjson::SIMDJSON_PADDING;
  if (needed > capacities_[current_]) {
    buffer = std::make_unique<char[]>(needed);
    capacities_[current_] = needed;
  }
  if (!prefix.empty()) std::memcpy(buffer.get(), prefix.data(), prefix.size());
  size_t got = source_.read(offset, buffer.get() + prefix.size(), length);
  std::memset(buffer.get() + prefix.size() + got, 0, kClosingRoom + simdjson::SIMDJSON_PADDING);
  buffer_begin_ = buffer.get();
  buffer_file_start_ = buffer.get() + prefix.size();
  buffer_offset_ = offset;
  buffer_end_ = buffer_file_start_ + got;
  return {buffer.get(), prefix.size() + got};
}

void FileReader::release_behind(uint64_t window_start) {
  // The last kBuffers windows stay readable (other threads may still read them); the pages
  // before the oldest of them leave memory, in steps large enough to keep madvise calls rare.
  window_starts_[fills_ % kBuffers] = window_start;
  if (fills_ < kBuffers) return;
  const uint64_t oldest = *std::min_element(std::begin(window_starts_), std::end(window_starts_));
  constexpr uint64_t kReleaseStep = uint64_t{8} << 20;
  if (oldest >= released_ + kReleaseStep) released_ = source_.release_window_memory(released_, oldest);
}

TextPosition FileReader::position_at(uint64_t offset) {
  if (offset < counted_offset_) {
    counted_offset_ = 0;
    counted_position_ = TextPosition{};
  }
  // Count newlines from the last position asked for, reading the file in blocks.
  char block[1 << 16];
  while (counted_offset_ < offset) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof block, offset - counted_offset_));
    size_t got = source_.read(counted_offset_, block, want);
    if (got == 0) break;
    for (size_t i = 0; i < got; ++i) {
      if (block[i] == '\n') {
        ++counted_position_.line;
        counted_position_.column = 1;
      } else {
        ++counted_position_.column;
      }
    }
    counted_offset_ += got;
  }
  return counted_position_;
}

void FileReader::report_rendered(uint64_t offset, std::string path, std::string message, DiagnosticSeverity severity,
                                 std::string record) {
  TextPosition position = position_at(offset);
  diagnostics_.add(
      {severity, file_name_, position.line, position.column, std::move(path), std::move(message), std::move(record)});
}

bool FileReader::check_encoding(uint64_t& start) {
  char head[4] = {};
  const size_t got = source_.read(0, head, sizeof head);
  TextEncoding encoding = detect_text_encoding(std::string_view(head, got));
  if (!encoding.problem.empty()) {
    malformed_reported_ = true;  // no second message about the JSON
    report_at(0, JsonPath{}, encoding.problem);
    return false;
  }
  start = encoding.bom_length;
  return true;
}

namespace {

// Length of the valid UTF-8 sequence at text[at] (a byte >= 0x80), or 0 when it is not one.
size_t utf8_sequence_length(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0; };
  const unsigned char lead = byte(0);
  const size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
  for (size_t i = 1; i < length; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  if (length == 3 && ((lead == 0xE0 && byte(1) < 0xA0) || (lead == 0xED && byte(1) > 0x9F))) return 0;
  if (length == 4 && ((lead == 0xF0 && byte(1) < 0x90) || (lead == 0xF4 && byte(1) > 0x8F))) return 0;
  return length;
}

}  // namespace

bool FileReader::blank_invalid_utf8(std::string_view text) {
  bool found = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) < 0x80) continue;
    if (const size_t length = utf8_sequence_length(text, i); length > 0) {
      i += length - 1;
      continue;
    }
    const char* at = text.data() + i;
    if (at < buffer_file_start_ || at >= buffer_end_) continue;  // not the file's own text
    const uint64_t offset = offset_of(at);
    auto place = std::lower_bound(invalid_utf8_.begin(), invalid_utf8_.end(), offset,
                                  [](const InvalidByte& bad, uint64_t value) { return bad.offset < value; });
    if (place == invalid_utf8_.end() || place->offset != offset)
      invalid_utf8_.insert(place, {offset, static_cast<unsigned char>(text[i]), false});
    write(at, "?");
    found = true;
  }
  return found;
}

bool FileReader::report_unclaimed_invalid_utf8() {
  bool clean = true;
  for (InvalidByte& bad : invalid_utf8_) {
    if (bad.reported) continue;
    bad.reported = true;
    clean = false;
    report_at(bad.offset, JsonPath{},
              fmt::format("invalid UTF-8: byte 0x{:02X} is not part of a UTF-8 sequence (read as '?')", bad.byte));
  }
  return clean;
}

simdjson::simdjson_result<ondemand::document> iterate_text(FileReader& file, ondemand::parser& parser,
                                                          std::string_view text) {
  auto result = parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING);
  if (result.error() != simdjson::UTF8_ERROR || !file.blank_invalid_utf8(text)) return result;
  return parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING);
}

std::string_view naming_field(std::string_view array_key) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"certificateDescriptions", "certificateId"}, {"things", "thingName"},
      {"thingPrincipals", "thingName"},             {"policies", "policyName"},
      {"policyTargets", "policyName"},              {"thingGroupMemberships", "thingName"},
      {"roleAliasDescriptions", "roleAlias"},       {"identityPoolRoles", "IdentityPoolId"},
      {"serviceLastAccessed", "roleArn"},           {"suppressions", "checkName"},
      {"RoleDetailList", "RoleName"},               {"Policies", "PolicyName"},
      {"UserDetailList", "UserName"},               {"GroupDetailList", "GroupName"},
  };
  for (const auto& [array, field] : kNames)
    if (array == array_key) return field;
  return {};
}

void FileReader::report_malformed(simdjson::error_code code) {
  if (malformed_reported_) return;
  malformed_reported_ = true;
  // The exact position needs the whole text: map the file (only on this error path).
  std::optional<MappedFile> mapped;
  std::string_view text = source_.memory();
  if (!source_.path().empty()) {
    std::string error;
    mapped = MappedFile::open(source_.path(), error);
    if (mapped) text = std::string_view(mapped->data(), mapped->size());
  }
  // A byte-order mark is no syntax error: the loaders skip it.
  const size_t start = detect_text_encoding(text.substr(0, 4)).bom_length;
  text.remove_prefix(start);
  std::optional<SyntaxError> syntax = find_syntax_error(text);
  std::optional<size_t> too_deep = syntax ? std::nullopt : find_nesting_beyond(text, kMaxRecordDepth);
  if (syntax) {
    report_at(start + syntax->offset, JsonPath{}, "malformed JSON: " + syntax->message);
  } else if (too_deep) {
    report_at(start + *too_deep, JsonPath{},
              fmt::format("JSON nested deeper than {} levels (the limit; AWS output nests far less): the level past "
                          "the limit opens here, and the file is not read from this record on",
                          kMaxRecordDepth));
  } else if (code == simdjson::CAPACITY) {
    report_at(0, JsonPath{}, "a single record is too large to parse");
  } else {
    report_at(0, JsonPath{}, std::string("malformed JSON: ") + simdjson::error_message(code));
  }
}

bool is_value_error(simdjson::error_code code) {
  switch (code) {
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::STRING_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::NO_SUCH_FIELD:
      return true;
    default:
      return false;
  }
}

const char* location_of(ondemand::value& value) {
  return value.raw_json_token().data();
}

void RecordReader::fail_at(const char* at, const JsonPath& path, std::string message) {
  ok_ = false;
  pending_.push_back(
      {file_.offset_of(at != nullptr ? at : start_), path.render(), std::move(message), DiagnosticSeverity::error});
}

void RecordReader::warn_at(const char* at, const JsonPath& path, std::string message) {
  pending_.push_back(
      {file_.offset_of(at != nullptr ? at : start_), path.render(), std::move(message), DiagnosticSeverity::warning});
}

void RecordReader::check_not_cut() {
  if (appended_ == nullptr || broken_) return;
  const char* next = nullptr;
  // Past the first appended byte, or at the very end: a closing bracket came from the cut.
  if (document_->current_location().get(next) != simdjson::SUCCESS || next > appended_) {
    broken_ = true;
    ok_ = false;
  }
}

void RecordReader::commit() {
  if (index_ >= 0 && ok_) file_.count_record_read();
  if (pending_.empty()) return;
  const std::string name = name_.empty() ? std::string() : record_label(name_field_, name_);
  for (PendingProblem& problem : pending_) {
    if (problem.invalid_byte >= 0) file_.invalid_utf8()[static_cast<size_t>(problem.invalid_byte)].reported = true;
    file_.report_rendered(problem.offset, std::move(problem.path), std::move(problem.message), problem.severity, name);
  }
  pending_.clear();
}

void RecordReader::claim_invalid_utf8() {
  utf8_checked_ = true;
  if (index_ < 0) return;  // the top level: bytes outside records are reported at the end
  const uint64_t begin = file_.offset_of(start_);
  const char* next = next_token();
  const uint64_t end = file_.offset_of(next != nullptr ? next : file_.buffer_end());
  std::vector<FileReader::InvalidByte>& bad = file_.invalid_utf8();
  auto first = std::lower_bound(bad.begin(), bad.end(), begin,
                                [](const FileReader::InvalidByte& byte, uint64_t value) { return byte.offset < value; });
  for (size_t i = static_cast<size_t>(first - bad.begin()); i < bad.size() && bad[i].offset < end; ++i) {
    ok_ = false;
    pending_.push_back({bad[i].offset, path({}).render(),
                        fmt::format("invalid UTF-8: byte 0x{:02X} is not part of a UTF-8 sequence; the record is "
                                    "skipped, the others are read",
                                    bad[i].byte),
                        DiagnosticSeverity::error, static_cast<int64_t>(i)});
  }
}

bool RecordReader::error(simdjson::error_code code, const char* at, const JsonPath& path, std::string_view expected) {
  ok_ = false;
  if (is_value_error(code)) {
    std::string message = code == simdjson::INCORRECT_TYPE ? fmt::format("expected {}", expected)
                          : code == simdjson::T_ATOM_ERROR || code == simdjson::F_ATOM_ERROR ||
                                  code == simdjson::N_ATOM_ERROR
                              ? "malformed JSON: invalid literal"
                          : code == simdjson::STRING_ERROR ? "malformed JSON: invalid string escape"
                              : fmt::format("malformed JSON: invalid number (expected {})", expected);
    fail_at(at, path, std::move(message));
    return false;
  }
  broken_ = true;
  return true;
}

std::optional<std::string_view> RecordReader::string(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  std::string_view text;
  if (auto code = value.get_string().get(text); code) {
    error(code, at, path, "a string");
    return std::nullopt;
  }
  if (path.field == name_field_ && path.field_index < 0 && path.subfield.empty() && !name_field_.empty()) name_ = text;
  return text;
}

std::optional<bool> RecordReader::boolean(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  bool flag;
  if (auto code = value.get_bool().get(flag); code) {
    error(code, at, path, "true or false");
    return std::nullopt;
  }
  return flag;
}

std::optional<int64_t> RecordReader::integer(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  int64_t number;
  if (auto code = value.get_int64().get(number); code) {
    error(code, at, path, "an integer");
    return std::nullopt;
  }
  return number;
}

std::optional<ondemand::object> RecordReader::object(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  ondemand::object result;
  if (auto code = value.get_object().get(result); code) {
    error(code, at, path, "an object");
    return std::nullopt;
  }
  return result;
}

std::optional<ondemand::array> RecordReader::array(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  ondemand::array result;
  if (auto code = value.get_array().get(result); code) {
    error(code, at, path, "an array");
    return std::nullopt;
  }
  return result;
}

std::optional<EpochMillis> RecordReader::time(ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  ondemand::json_type type;
  if (auto code = value.type().get(type); code) {
    error(code, at, path, "a time");
    return std::nullopt;
  }
  if (type == ondemand::json_type::number) {
    double seconds;
    if (auto code = value.get_double().get(seconds); code) {
      error(code, at, path, "a time in epoch seconds");
      return std::nullopt;
    }
    if (auto millis = epoch_seconds_to_millis(seconds)) return millis;
    fail_at(at, path, "time out of range");
    return std::nullopt;
  }
  if (type == ondemand::json_type::string) {
    std::string_view text;
    if (auto code = value.get_string().get(text); code) {
      error(code, at, path, "a time");
      return std::nullopt;
    }
    if (auto millis = parse_iso8601(text)) return millis;
    fail_at(at, path, fmt::format("expected an ISO 8601 time with an offset, got \"{}\"", text));
    return std::nullopt;
  }
  fail_at(at, path, "expected a time (epoch seconds or an ISO 8601 string)");
  consume(value, path);
  return std::nullopt;
}

void RecordReader::consume(ondemand::value value, const JsonPath& path) { consume_depth(value, path, 0); }

bool RecordReader::consume_depth(ondemand::value value, const JsonPath& path, int depth) {
  const char* at = location_of(value);
  if (depth > kMaxRecordDepth) {
    fail_at(at, path, "nesting too deep");
    broken_ = true;  // the rest of this value cannot be walked safely
    return false;
  }
  ondemand::json_type type;
  if (auto code = value.type().get(type); code) return !error(code, at, path, "a value");
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto code = value.get_object().get(object); code) return !error(code, at, path, "an object");
      for (auto field_result : object) {
        ondemand::field field;
        if (auto code = std::move(field_result).get(field); code) return !error(code, at, path, "an object member");
        std::string_view key;
        if (auto code = field.unescaped_key().get(key); code) return !error(code, at, path, "a string key");
        if (!consume_depth(field.value(), path, depth + 1) && broken_) return false;
      }
      return true;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto code = value.get_array().get(array); code) return !error(code, at, path, "an array");
      for (auto element_result : array) {
        ondemand::value element;
        if (auto code = std::move(element_result).get(element); code) return !error(code, at, path, "an array element");
        if (!consume_depth(element, path, depth + 1) && broken_) return false;
      }
      return true;
    }
    case ondemand::json_type::number: {
      ondemand::number number;
      if (auto code = value.get_number().get(number); code) {
        if (!is_value_error(code)) return !error(code, at, path, "");
        fail_at(at, path, "malformed JSON: invalid number");
        return false;
      }
      return true;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (auto code = value.get_string().get(text); code) return !error(code, at, path, "a string");
      return true;
    }
    case ondemand::json_type::boolean: {
      bool flag;
      if (auto code = value.get_bool().get(flag); code) {
        if (!is_value_error(code)) return !error(code, at, path, "");
        fail_at(at, path, "malformed JSON: invalid literal");
        return false;
      }
      return true;
    }
    case ondemand::json_type::null: {
      bool is_null;
      if (auto code = value.is_null().get(is_null); code || !is_null) {
        fail_at(at, path, "malformed JSON: invalid literal");
        return false;
      }
      return true;
    }
  }
  return true;
}

}  // namespace fleetaudit::load
