#include "analyzer/util/terminal_text.h"

#include <fmt/format.h>

#include "analyzer/util/utf8.h"

namespace fleetaudit {

namespace {

bool is_hidden_control(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// One pass over `text`; `keep_indented_lines`: see escape_control_in_message.
std::string escape(std::string_view text, bool keep_indented_lines) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++at;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      const bool kept_line = c == '\n' && keep_indented_lines && text.substr(at + 1, 2) == "  ";
      out += kept_line ? "\n" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
      ++at;
      continue;
    }
    char32_t code_point = 0;
    const size_t length = c < 0x80 ? 0 : utf8_sequence(text, at, &code_point);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++at;
    } else if (is_hidden_control(code_point)) {
      out += fmt::format("\\u{{{:04X}}}", static_cast<uint32_t>(code_point));
      at += length;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

}  // namespace

std::string escape_control(std::string_view text) { return escape(text, false); }
std::string escape_control_in_message(std::string_view text) { return escape(text, true); }

}  // namespace fleetaudit
