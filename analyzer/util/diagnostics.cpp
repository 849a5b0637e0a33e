#include "analyzer/util/diagnostics.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "analyzer/util/ascii.h"

namespace fleetaudit {

std::string Diagnostic::render() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": ";
  }
  if (!json_path.empty() || !record.empty()) {
    out += json_path;
    if (!record.empty()) out += (json_path.empty() ? "(" : " (") + record + ")";
    out += ": ";
  }
  if (severity == DiagnosticSeverity::warning) out += "warning: ";
  out += message;
  return out;
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == DiagnosticSeverity::error; });
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

TextPosition position_of(const char* begin, size_t offset) {
  TextPosition position;
  const char* cursor = begin;
  const char* end = begin + offset;
  const char* line_start = begin;
  while (cursor < end) {
    const void* newline = std::memchr(cursor, '\n', static_cast<size_t>(end - cursor));
    if (newline == nullptr) break;
    ++position.line;
    cursor = static_cast<const char*>(newline) + 1;
    line_start = cursor;
  }
  position.column = static_cast<uint32_t>(end - line_start) + 1;
  return position;
}

std::string record_label(std::string_view field, std::string_view value) {
  constexpr size_t kMaxShown = 120;
  std::string out(field);
  out += " \"";
  for (size_t i = 0; i < value.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      out += "\\x";
      out += kLowerHexDigits[c >> 4];
      out += kLowerHexDigits[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

}  // namespace fleetaudit
