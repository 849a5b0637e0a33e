#include "analyzer/lint/json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "analyzer/util/ascii.h"

namespace fleetaudit::lint {

namespace {

constexpr int kMaxJsonDepth = 512;
// Each value is a tree node of about 150 bytes: two million of them stay well under a gigabyte.
// Checked as each value is read, so a file of millions of tiny values stops at the first past it.
constexpr size_t kMaxValues = 2'000'000;

class JsonReader {
public:
  JsonReader(std::string_view text, const std::vector<uint32_t>* map) : text_(text), map_(map) {}

  std::optional<ReadError> read(Node& out) {
    skip_space();
    if (!value(out, 0)) return error_;
    skip_space();
    if (at_ < text_.size()) fail("end of the document");
    if (failed_) return error_;
    return std::nullopt;
  }

private:
  uint32_t file_offset(size_t at) const {
    if (map_ == nullptr) return static_cast<uint32_t>(at);
    return (*map_)[std::min(at, map_->size() - 1)];
  }

  bool fail(std::string_view expected) {
    if (!failed_) {
      failed_ = true;
      std::string found = at_ < text_.size() ? fmt::format("'{}'", text_[at_]) : "the end of the text";
      if (at_ < text_.size() && static_cast<unsigned char>(text_[at_]) < 0x20) found = "a control character";
      error_ = ReadError{file_offset(at_), fmt::format("expected {}, found {}", expected, found)};
    }
    return false;
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  bool literal(std::string_view word, Node& out, Node::Kind kind) {
    if (text_.substr(at_, word.size()) != word) return fail("a JSON value");
    out.kind = kind;
    out.text = std::string(word);
    at_ += word.size();
    return true;
  }

  bool value(Node& out, int depth) {
    if (depth > kMaxJsonDepth) return fail("at most 512 levels of nesting");
    if (++values_ > kMaxValues) return fail("at most 2,000,000 JSON values in one file");
    const size_t start = at_;
    bool ok = false;
    if (at_ >= text_.size()) return fail("a JSON value");
    switch (text_[at_]) {
      case '{': ok = object(out, depth); break;
      case '[': ok = array(out, depth); break;
      case '"': ok = string(out); break;
      case 't': ok = literal("true", out, Node::Kind::boolean); break;
      case 'f': ok = literal("false", out, Node::Kind::boolean); break;
      case 'n': ok = literal("null", out, Node::Kind::null); break;
      default: ok = number(out); break;
    }
    out.span = {file_offset(start), at_ > start ? file_offset(at_ - 1) + 1 : file_offset(start)};
    return ok;
  }

  bool object(Node& out, int depth) {
    out.kind = Node::Kind::mapping;
    ++at_;
    skip_space();
    if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
    while (true) {
      skip_space();
      if (at_ >= text_.size() || text_[at_] != '"') return fail("a member name in double quotes");
      Node key;
      const size_t key_start = at_;
      if (!string(key)) return false;
      key.span = {file_offset(key_start), file_offset(at_ - 1) + 1};
      skip_space();
      if (at_ >= text_.size() || text_[at_] != ':') return fail("':' after the member name");
      ++at_;
      skip_space();
      Node item;
      if (!value(item, depth + 1)) return false;
      out.keys.push_back(std::move(key));
      out.items.push_back(std::move(item));
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') { ++at_; continue; }
      if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
      return fail("',' or '}'");
    }
  }

  bool array(Node& out, int depth) {
    out.kind = Node::Kind::sequence;
    ++at_;
    skip_space();
    if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
    while (true) {
      skip_space();
      Node item;
      if (!value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') { ++at_; continue; }
      if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
      return fail("',' or ']'");
    }
  }

  bool hex4(uint32_t& value) {
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = at_ < text_.size() ? hex_value(text_[at_]) : -1;
      if (digit < 0) return fail("four hex digits after \\u");
      value = value * 16 + static_cast<uint32_t>(digit);
      ++at_;
    }
    return true;
  }

  void append_utf8(Node& out, uint32_t code, uint32_t where) {
    auto push = [&](uint32_t byte) {
      out.text.push_back(static_cast<char>(byte));
      out.offsets.push_back(where);
    };
    if (code < 0x80) {
      push(code);
    } else if (code < 0x800) {
      push(0xC0 | (code >> 6)), push(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      push(0xE0 | (code >> 12)), push(0x80 | ((code >> 6) & 0x3F)), push(0x80 | (code & 0x3F));
    } else {
      push(0xF0 | (code >> 18)), push(0x80 | ((code >> 12) & 0x3F)), push(0x80 | ((code >> 6) & 0x3F)),
          push(0x80 | (code & 0x3F));
    }
  }

  bool string(Node& out) {
    out.kind = Node::Kind::string;
    ++at_;
    while (true) {
      if (at_ >= text_.size()) return fail("'\"' closing the string");
      const char c = text_[at_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return fail("no control characters inside a string");
      const uint32_t where = file_offset(at_);
      if (c != '\\') {
        out.text.push_back(c);
        out.offsets.push_back(where);
        ++at_;
        continue;
      }
      ++at_;
      if (at_ >= text_.size()) return fail("an escape after '\\'");
      const char e = text_[at_++];
      char decoded = 0;
      switch (e) {
        case '"': decoded = '"'; break;
        case '\\': decoded = '\\'; break;
        case '/': decoded = '/'; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'n': decoded = '\n'; break;
        case 'r': decoded = '\r'; break;
        case 't': decoded = '\t'; break;
        case 'u': {
          uint32_t code = 0;
          if (!hex4(code)) return false;
          if (code >= 0xD800 && code < 0xDC00 && text_.substr(at_, 2) == "\\u") {
            at_ += 2;
            uint32_t low = 0;
            if (!hex4(low)) return false;
            if (low >= 0xDC00 && low < 0xE000) code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code, where);
          continue;
        }
        default: --at_; return fail("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\'");
      }
      out.text.push_back(decoded);
      out.offsets.push_back(where);
    }
    out.offsets.push_back(file_offset(at_));  // the closing quote: the end of the text
    ++at_;
    return true;
  }

  bool number(Node& out) {
    const size_t start = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    const size_t digits = at_;
    while (at_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[at_])) || text_[at_] == '.' ||
                                  text_[at_] == 'e' || text_[at_] == 'E' || text_[at_] == '+' || text_[at_] == '-'))
      ++at_;
    if (at_ == digits || !std::isdigit(static_cast<unsigned char>(text_[digits]))) {
      at_ = start;
      return fail("a JSON value");
    }
    out.kind = Node::Kind::number;
    out.text = std::string(text_.substr(start, at_ - start));
    return true;
  }

  std::string_view text_;
  const std::vector<uint32_t>* map_;
  size_t at_ = 0;
  size_t values_ = 0;
  bool failed_ = false;
  ReadError error_;
};

}  // namespace

std::optional<ReadError> read_json(std::string_view text, const std::vector<uint32_t>* file_offsets, Node& out) {
  out = Node{};
  return JsonReader(text, file_offsets).read(out);
}

}  // namespace fleetaudit::lint
