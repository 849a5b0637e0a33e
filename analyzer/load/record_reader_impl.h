#pragma once
// Template bodies of record_reader.h.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_set>

namespace fleetaudit::load {

// Iterates the whole of `text` (already in the reader's buffer) as one top-level object.
template <class Visit>
bool parse_top_object(FileReader& file, ondemand::parser& parser, std::string_view text, Visit&& visit) {
  auto document_result = iterate_text(file, parser, text);
  if (document_result.error()) {
    file.report_malformed(document_result.error());
    return false;
  }
  ondemand::document& document = document_result.value_unsafe();
  ondemand::object top;
  if (auto error = document.get_object().get(top); error) {
    if (is_value_error(error)) {
      file.report_at(0, JsonPath{}, "expected a JSON object at the top level");
      return false;
    }
    file.report_malformed(error);
    return false;
  }
  RecordReader record(file, {}, -1, text.data());
  visit(record, top);
  if (record.broken()) {
    record.discard();
    file.report_malformed(simdjson::TAPE_ERROR);
    return false;
  }
  record.commit();
  const char* trailing = nullptr;
  if (document.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS) {
    file.report_malformed(simdjson::TRAILING_CONTENT);
    return false;
  }
  const bool ok = record.ok();
  return file.report_unclaimed_invalid_utf8() && ok;
}

template <class Visit>
bool with_top_object(FileReader& file, ondemand::parser& parser, Visit&& visit) {
  uint64_t start = 0;
  if (!file.check_encoding(start)) return false;
  std::string_view text = file.fill({}, start, static_cast<size_t>(file.source().size() - start));
  return parse_top_object(file, parser, text, visit);
}

namespace detail {

// What reading one window of a record file led to.
struct WindowOutcome {
  enum Kind { finished, next_window, grow_window, tail, malformed } kind;
  uint64_t offset = 0;  // next_window: where the next window starts; tail: where the tail starts
  bool ok = true;       // finished: no problem at the top level
  simdjson::error_code error = simdjson::SUCCESS;
};

// Reads the records of one window: `text`, starting at file offset `window_start`, with the
// brackets that close a cut window appended at `suffix` (null: the window is not cut).
template <class Visit>
class WindowReader {
public:
  using Outcome = WindowOutcome;

  WindowReader(FileReader& file, ondemand::document& document, std::string_view text, bool final_window,
               uint64_t window_start, const char* suffix, std::string_view array_key, int64_t& index, bool& found,
               Visit& visit)
      : file_(file),
        document_(document),
        text_(text),
        final_window_(final_window),
        window_start_(window_start),
        resume_at_(window_start),
        suffix_(suffix),
        array_key_(array_key),
        name_field_(naming_field(array_key)),
        index_(index),
        found_(found),
        visit_(visit) {}

  // The text is "[" followed by records (every window but the first).
  Outcome read_in_array() {
    ondemand::array array;
    if (auto error = document_.get_array().get(array); error) return {Outcome::malformed, 0, false, error};
    if (auto outcome = read_records(array)) return *outcome;
    const char* after = nullptr;
    if (document_.current_location().get(after) != simdjson::SUCCESS) after = nullptr;
    if (closed_by_suffix(after)) {
      if (final_window_) return {Outcome::malformed, 0, false, simdjson::INCOMPLETE_ARRAY_OR_OBJECT};
      return resume();
    }
    return {Outcome::tail, file_.offset_of(after)};
  }

  // The text is the file's beginning, with the top-level object.
  Outcome read_top() {
    ondemand::object top;
    if (auto error = document_.get_object().get(top); error) {
      if (is_value_error(error)) {
        file_.report_at(0, JsonPath{}, "expected a JSON object at the top level");
        found_ = true;  // said already: no second message about the missing key
        return {Outcome::finished, 0, false};
      }
      return final_window_ ? Outcome{Outcome::malformed, 0, false, error} : Outcome{Outcome::grow_window};
    }
    RecordReader top_reader(file_, {}, -1, text_.data());
    for (auto field_result : top) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field)) return top_broken(top_reader);
      const char* key_at = field.key().raw() - 1;  // the opening quote; unescaped_key() consumes the key
      if (field.unescaped_key().get(key)) return top_broken(top_reader);
      ondemand::value value = field.value();
      if (key == array_key_ && found_)
        top_reader.warn_at(key_at, JsonPath{key},
                           fmt::format("duplicate key \"{}\"; only its first array is read", key));
      if (key != array_key_ || found_) {
        top_reader.consume(value, JsonPath{key});
        if (top_reader.broken()) return top_broken(top_reader);
        continue;
      }
      found_ = true;
      if (auto outcome = read_records_member(top_reader, value)) return *outcome;
    }
    if (!final_window_) return top_broken(top_reader);  // the top level went on past the window: read more
    top_reader.commit();
    const char* trailing = nullptr;
    if (document_.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS)
      return {Outcome::malformed, 0, false, simdjson::TRAILING_CONTENT};
    const bool top_ok = top_reader.ok();
    return {Outcome::finished, 0, file_.report_unclaimed_invalid_utf8() && top_ok};
  }

private:
  // The array was closed by the brackets appended to a cut window, not by the file.
  bool closed_by_suffix(const char* after) const {
    return suffix_ != nullptr && (after == nullptr || after >= suffix_);
  }
  Outcome resume() const {
    return resume_at_ > window_start_ ? Outcome{Outcome::next_window, resume_at_} : Outcome{Outcome::grow_window};
  }
  Outcome top_broken(RecordReader& top_reader) const {
    top_reader.discard();
    return final_window_ ? Outcome{Outcome::malformed, 0, false, simdjson::TAPE_ERROR} : Outcome{Outcome::grow_window};
  }

  // The top-level member holding the records; an outcome when the window is done with it.
  std::optional<Outcome> read_records_member(RecordReader& top_reader, ondemand::value value) {
    const char* array_at = location_of(value);
    ondemand::array array;
    if (auto error = value.get_array().get(array); error) {
      if (top_reader.error(error, array_at, JsonPath{array_key_}, "an array")) return top_broken(top_reader);
      return std::nullopt;
    }
    if (auto outcome = read_records(array)) {
      if (outcome->kind == Outcome::grow_window || outcome->kind == Outcome::malformed) top_reader.discard();
      else top_reader.commit();
      return *outcome;
    }
    if (final_window_) return std::nullopt;
    // The array ended before the window did: check what follows it on its own.
    const char* after = nullptr;
    if (document_.current_location().get(after) != simdjson::SUCCESS) after = nullptr;
    if (closed_by_suffix(after)) {
      top_reader.discard();
      return resume();
    }
    top_reader.commit();
    return Outcome{Outcome::tail, file_.offset_of(after)};
  }

  // Walks the elements of the records array; returns an outcome when the window is done.
  std::optional<Outcome> read_records(ondemand::array array) {
    for (auto element_result : array) {
      ondemand::value element;
      if (auto error = std::move(element_result).get(element); error) {
        if (final_window_) return Outcome{Outcome::malformed, 0, false, error};
        return resume();
      }
      const char* start = location_of(element);
      if (suffix_ != nullptr && start >= suffix_) {  // the closing bracket appended to a cut window
        if (final_window_) return Outcome{Outcome::malformed, 0, false, simdjson::INCOMPLETE_ARRAY_OR_OBJECT};
        return resume();
      }
      if (auto outcome = read_record(element, start)) return outcome;
    }
    return std::nullopt;
  }

  // One element of the records array, visited and kept unless the window cut it.
  std::optional<Outcome> read_record(ondemand::value element, const char* start) {
    const uint64_t record_offset = file_.offset_of(start);
    RecordReader record(file_, array_key_, index_, start, name_field_);
    record.set_cut(&document_, suffix_);
    ondemand::object object;
    if (auto error = element.get_object().get(object); error) {
      record.error(error, start, record.path({}), "an object");
    } else {
      visit_(record, object);
    }
    const char* after = nullptr;
    if (document_.current_location().get(after) != simdjson::SUCCESS) after = nullptr;
    // A record that reached into the appended brackets was cut too, though they closed it.
    const bool cut = suffix_ != nullptr && (after == nullptr || after > suffix_);
    if (record.broken() || cut) {
      record.discard();
      if (final_window_ && !cut) return Outcome{Outcome::malformed, 0, false, simdjson::TAPE_ERROR};
      if (final_window_) return Outcome{Outcome::malformed, 0, false, simdjson::INCOMPLETE_ARRAY_OR_OBJECT};
      // The window cut this record (or it is broken): read it again at the start of the next one.
      return record_offset > window_start_ ? Outcome{Outcome::next_window, record_offset}
                                           : Outcome{Outcome::grow_window};
    }
    record.commit();
    ++index_;
    if (after != nullptr) resume_at_ = file_.offset_of(after);
    return std::nullopt;
  }

  FileReader& file_;
  ondemand::document& document_;
  std::string_view text_;
  bool final_window_;
  uint64_t window_start_;
  uint64_t resume_at_;  // where the last whole record ended: a cut after it resumes there
  const char* suffix_;
  std::string_view array_key_;
  std::string_view name_field_;
  int64_t& index_;
  bool& found_;
  Visit& visit_;
};

// Reads the records of one window. `in_array`: the text is "[" followed by records (every
// window but the first); otherwise it is the file's beginning, with the top-level object.
template <class Visit>
WindowOutcome read_window(FileReader& file, ondemand::parser& parser, std::string_view text, bool in_array,
                          bool final_window, uint64_t window_start, const char* suffix, std::string_view array_key,
                          int64_t& index, bool& found, Visit& visit) {
  auto document_result = iterate_text(file, parser, text);
  if (document_result.error()) return {WindowOutcome::malformed, 0, false, document_result.error()};
  WindowReader<Visit> reader(file, document_result.value_unsafe(), text, final_window, window_start, suffix, array_key,
                             index, found, visit);
  return in_array ? reader.read_in_array() : reader.read_top();
}

// Fills the window of `length` bytes at `position` (after "[" when `in_array`) and closes what a
// cut leaves open; sets `suffix` to the appended brackets (null when none). False when the window
// holds no newline to cut after: it must grow.
inline bool prepare_window(FileReader& file, uint64_t position, uint64_t length, bool in_array, bool final_window,
                           std::string_view& text, const char*& suffix) {
  std::string_view prefix = in_array ? "[" : "";
  text = file.fill(prefix, position, static_cast<size_t>(length));
  suffix = nullptr;
  if (in_array) {
    // A window that resumes after a record starts at its separating comma: blank it out.
    size_t first = text.find_first_not_of(" \t\r\n", 1);
    if (first != std::string_view::npos && text[first] == ',') file.write(text.data() + first, " ");
  }
  size_t kept = text.size();
  if (!final_window) {
    // Cut after the last newline: a JSON string holds no raw newline, so the cut is
    // outside every string, and simdjson sees whole tokens.
    size_t cut = text.rfind('\n');
    if (cut == std::string_view::npos || cut < prefix.size()) return false;
    kept = cut + 1;
  }
  if (in_array || !final_window) {
    // Close what the window leaves open, so that simdjson accepts it as a document: in a cut
    // window the record the cut went through fails to parse and is read again from the next
    // window; in the last one, the records array ends before these brackets and what follows
    // it is checked on its own.
    std::string_view closing = in_array ? "]" : "]}";
    const char* end = text.data() + kept;  // the reader's own text, padded
    file.write(end, closing);
    suffix = end;
    text = std::string_view(text.data(), kept + closing.size());
  }
  return true;
}

// What follows the records array, from `offset`: the rest of the top-level object.
inline bool read_tail(FileReader& file, ondemand::parser& parser, uint64_t offset) {
  std::string_view tail = file.fill("{\"\":[]", offset, static_cast<size_t>(file.source().size() - offset));
  return parse_top_object(file, parser, tail, [&](RecordReader& record, ondemand::object object) {
    for (auto field_result : object) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        record.error(simdjson::TAPE_ERROR, nullptr, JsonPath{}, "");
        return;
      }
      record.consume(field.value(), JsonPath{key});
      if (record.broken()) return;
    }
  });
}

}  // namespace detail

template <class Visit>
bool for_each_record(FileReader& file, ondemand::parser& parser, std::string_view array_key, Visit&& visit) {
  using Outcome = detail::WindowOutcome;
  const uint64_t size = file.source().size();
  uint64_t window = std::max<size_t>(file.window_bytes(), 64);
  uint64_t position = 0;
  if (!file.check_encoding(position)) return false;
  bool in_array = false;
  bool found = false;
  int64_t index = 0;
  for (;;) {
    const uint64_t length = std::min<uint64_t>(window, size - position);
    const bool final_window = position + length == size;
    std::string_view text;
    const char* suffix = nullptr;
    if (!detail::prepare_window(file, position, length, in_array, final_window, text, suffix)) {
      window *= 2;  // no newline at all (minified JSON): read a larger window
      continue;
    }
    Outcome outcome = detail::read_window(file, parser, text, in_array, final_window, position, suffix, array_key,
                                          index, found, visit);
    file.undo_writes();
    switch (outcome.kind) {
      case Outcome::finished:
        if (!found) {
          file.report_at(0, JsonPath{}, "expected the top-level object to hold the key \"" + std::string(array_key) + "\"");
          return false;
        }
        return outcome.ok;
      case Outcome::next_window:
        position = outcome.offset;
        in_array = true;
        window = std::max<size_t>(file.window_bytes(), 64);
        break;
      case Outcome::grow_window:
        // The first window is read again from the top: the records array is not found yet.
        if (!in_array) found = false;
        window *= 2;
        break;
      case Outcome::tail: return detail::read_tail(file, parser, outcome.offset);
      case Outcome::malformed:
        file.report_malformed(outcome.error);
        return false;
    }
  }
}

}  // namespace fleetaudit::load

namespace fleetaudit::load {

// The keys of one object seen so far. Snapshot records have a dozen keys: a linear scan of those
// is cheaper than hashing; an object with many keys is checked through a set.
class DuplicateKeys {
 public:
  bool repeated(std::string_view key) {
    if (count_ < kInline) {
      for (size_t i = 0; i < count_; ++i)
        if (inline_[i] == key) return true;
      inline_[count_++] = key;
      return false;
    }
    if (many_.empty()) many_.insert(inline_, inline_ + kInline);
    return !many_.insert(key).second;
  }

 private:
  static constexpr size_t kInline = 16;
  std::string_view inline_[kInline];
  size_t count_ = 0;
  std::unordered_set<std::string_view> many_;
};

// Calls visit(key, value) for each member of `object`; stops when the record breaks. A key
// given twice is warned about: the loaders keep the last value, as most JSON readers do.
template <class Visit>
void for_each_field(RecordReader& record, ondemand::object object, const JsonPath& where, Visit&& visit) {
  DuplicateKeys seen;
  for (auto field_result : object) {
    ondemand::field field;
    if (auto code = std::move(field_result).get(field); code) {
      record.error(code, nullptr, where, "an object member");
      return;
    }
    std::string_view key;
    const char* key_at = field.key().raw() - 1;  // the opening quote; unescaped_key() consumes the key
    if (auto code = field.unescaped_key().get(key); code) {
      record.error(code, nullptr, where, "a string key");
      return;
    }
    if (seen.repeated(key))
      record.warn_at(key_at, where,
                     fmt::format("duplicate key \"{}\"; the last value is used", key));
    visit(key, field.value());
    if (record.broken()) return;
  }
  record.check_not_cut();
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
  record.check_not_cut();
}

}  // namespace fleetaudit::load
