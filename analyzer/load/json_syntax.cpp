#include "analyzer/load/json_syntax.h"

#include <cctype>
#include <cstdint>
#include <vector>

#include "analyzer/util/utf8.h"

namespace fleetaudit {

namespace {

class SyntaxChecker {
public:
  explicit SyntaxChecker(std::string_view text) : text_(text) {}

  std::optional<SyntaxError> run() {
    skip_whitespace();
    if (pos_ >= text_.size()) return fail("expected a JSON value, found the end of the file");
    if (!value()) return error_;
    skip_whitespace();
    if (pos_ < text_.size()) return fail("unexpected content after the JSON document");
    return std::nullopt;
  }

private:
  std::optional<SyntaxError> fail(std::string message) {
    if (!error_) error_ = SyntaxError{pos_, std::move(message)};
    return error_;
  }
  bool failed(std::string message) {
    fail(std::move(message));
    return false;
  }

  void skip_whitespace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  // Iterative over containers so that deep nesting cannot exhaust the stack.
  bool value() {
    std::vector<char> open;  // '{' or '['
    for (;;) {
      skip_whitespace();
      if (pos_ >= text_.size()) return failed("unexpected end of file, expected a value");
      char c = text_[pos_];
      if (c == '{' || c == '[') {
        ++pos_;
        skip_whitespace();
        if (pos_ < text_.size() && text_[pos_] == (c == '{' ? '}' : ']')) {
          ++pos_;
        } else {
          open.push_back(c);
          if (c == '{' && !member_key()) return false;
          continue;
        }
      } else if (c == '"') {
        if (!string()) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number()) return false;
      } else if (!literal()) {
        return false;
      }
      // After a complete value: close containers or move to the next element.
      for (;;) {
        if (open.empty()) return true;
        skip_whitespace();
        if (pos_ >= text_.size()) return failed("unexpected end of file inside an object or array");
        char next = text_[pos_];
        char closer = open.back() == '{' ? '}' : ']';
        if (next == ',') {
          ++pos_;
          if (open.back() == '{' && !member_key()) return false;
          break;
        }
        if (next == closer) {
          ++pos_;
          open.pop_back();
          continue;
        }
        return failed(open.back() == '{' ? "expected ',' or '}' after an object member"
                                         : "expected ',' or ']' after an array element");
      }
    }
  }

  bool member_key() {
    skip_whitespace();
    if (pos_ >= text_.size() || text_[pos_] != '"') return failed("expected a string key in the object");
    if (!string()) return false;
    skip_whitespace();
    if (pos_ >= text_.size() || text_[pos_] != ':') return failed("expected ':' after the object key");
    ++pos_;
    return true;
  }

  bool string() {
    size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return failed("control character inside a string (it must be escaped)");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char e = text_[pos_ + 1];
        if (e == 'u') {
          for (size_t i = 2; i < 6; ++i) {
            if (pos_ + i >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_ + i])))
              return failed("invalid \\u escape in a string");
          }
          pos_ += 6;
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
          return failed("invalid escape sequence in a string");
        pos_ += 2;
        continue;
      }
      if (c >= 0x80) {
        const size_t length = utf8_sequence(text_, pos_);
        if (length == 0) return failed("invalid UTF-8 in a string");
        pos_ += length;
        continue;
      }
      ++pos_;
    }
    pos_ = start;
    return failed("unterminated string");
  }

  bool number() {
    auto digit = [&](size_t i) { return i < text_.size() && text_[i] >= '0' && text_[i] <= '9'; };
    if (text_[pos_] == '-') ++pos_;
    if (!digit(pos_)) return failed("invalid number");
    if (text_[pos_] == '0' && digit(pos_ + 1)) return failed("invalid number: leading zero");
    while (digit(pos_)) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digit(pos_)) return failed("invalid number: expected digits after '.'");
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digit(pos_)) return failed("invalid number: expected digits in the exponent");
      while (digit(pos_)) ++pos_;
    }
    return true;
  }

  bool literal() {
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        size_t end = pos_ + word.size();
        if (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) break;
        pos_ = end;
        return true;
      }
    }
    return failed("invalid literal, expected a value (string, number, object, array, true, false or null)");
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::optional<SyntaxError> error_;
};

}  // namespace

std::optional<SyntaxError> find_syntax_error(std::string_view text) { return SyntaxChecker(text).run(); }

std::optional<size_t> find_nesting_beyond(std::string_view text, size_t limit) {
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return i;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace fleetaudit
