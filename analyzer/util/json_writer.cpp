#include "analyzer/util/json_writer.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "analyzer/util/ascii.h"

namespace fleetaudit {

namespace {

// The first index at or after `i` from which an 8-byte word may hold a character JSON escapes
// (below 0x20, '"', '\\'): whole words of plain text are skipped at once. A word that may hold one
// is left to the byte loop, which decides exactly.
size_t skip_plain_words(std::string_view text, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (i + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    const uint64_t quotes = word ^ (kOnes * '"');
    const uint64_t backslashes = word ^ (kOnes * '\\');
    // A byte below n exists exactly when (w - n·ones) & ~w has a high bit set (n <= 0x80); n = 1
    // finds a zero byte, that is a quote or a backslash in the xor-ed words.
    const uint64_t special = (((word - kOnes * 0x20) & ~word) | ((quotes - kOnes) & ~quotes) |
                              ((backslashes - kOnes) & ~backslashes)) &
                             kHighBits;
    if (special != 0) return i;
    i += 8;
  }
  return i;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  out.push_back('"');
  // Copy runs of plain characters in one append: reports hold long messages and help texts.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    i = skip_plain_words(text, i);
    if (i == text.size()) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kLowerHexDigits[c >> 4]);
        out.push_back(kLowerHexDigits[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void JsonWriter::newline() {
  if (indent_ <= 0) return;
  buffer_.push_back('\n');
  buffer_.append(has_elements_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_elements_.empty()) {
    if (has_elements_.back()) buffer_.push_back(',');
    has_elements_.back() = true;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  buffer_.push_back('{');
  has_elements_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  bool had = has_elements_.back();
  has_elements_.pop_back();
  if (had) newline();
  buffer_.push_back('}');
  if (has_elements_.empty()) buffer_.push_back('\n');
  if (buffer_.size() > (1u << 20)) flush();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  buffer_.push_back('[');
  has_elements_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  bool had = has_elements_.back();
  has_elements_.pop_back();
  if (had) newline();
  buffer_.push_back(']');
  if (has_elements_.empty()) buffer_.push_back('\n');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_escaped(buffer_, name);
  buffer_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_escaped(buffer_, text);
  return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
  before_value();
  buffer_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", std::isfinite(number) ? number : 0.0);
  buffer_ += text;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  buffer_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::raw_number(std::string_view digits) {
  before_value();
  buffer_ += digits;
  return *this;
}

void JsonWriter::continue_from(const JsonWriter& whole, bool container_has_elements) {
  buffer_.clear();
  indent_ = whole.indent_;
  after_key_ = false;
  has_elements_ = whole.has_elements_;
  if (!has_elements_.empty()) has_elements_.back() = container_has_elements;
}

void JsonWriter::append(const JsonWriter& part) {
  has_elements_ = part.has_elements_;
  if (sink_ == nullptr) {
    buffer_ += part.buffer_;
    return;
  }
  flush();
  std::fwrite(part.buffer_.data(), 1, part.buffer_.size(), sink_);
}

void JsonWriter::flush() {
  if (sink_ == nullptr || buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), sink_);
  buffer_.clear();
}

}  // namespace fleetaudit
