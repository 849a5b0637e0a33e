#include "analyzer/lint/scalar_offsets.h"

#include <cstdlib>
#include <string>

namespace fleetaudit::lint {

namespace {

// How many bytes a double-quoted escape starting at `at` decodes to, and how long it is.
void escape_size(std::string_view file, size_t at, size_t& source_length, size_t& decoded_length) {
  const char e = at + 1 < file.size() ? file[at + 1] : 0;
  source_length = e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
  decoded_length = 1;
  if (e == 'x' || e == 'u' || e == 'U') {
    const unsigned long code = std::strtoul(std::string(file.substr(at + 2, source_length - 2)).c_str(), nullptr, 16);
    decoded_length = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  } else if (e == 'N' || e == '_') {
    decoded_length = 2;
  } else if (e == 'L' || e == 'P') {
    decoded_length = 3;
  }
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

ScalarStyle scalar_style_at(std::string_view file, uint32_t begin) {
  size_t p = begin;
  // Properties before the value: !Tag, !<verbatim>, &anchor, each followed by blanks.
  while (p < file.size() && (file[p] == '!' || file[p] == '&')) {
    while (p < file.size() && !blank(file[p])) ++p;
    while (p < file.size() && blank(file[p])) ++p;
  }
  ScalarStyle style;
  style.content = static_cast<uint32_t>(std::min(p, file.size()));
  if (p >= file.size()) return style;
  switch (file[p]) {
    case '"': style.style = ScalarStyle::double_quoted; break;
    case '\'': style.style = ScalarStyle::single_quoted; break;
    case '|': style.style = ScalarStyle::literal; break;
    case '>': style.style = ScalarStyle::folded; break;
    default: break;
  }
  return style;
}

std::vector<uint32_t> align_scalar(std::string_view file, ScalarStyle style, std::string_view value) {
  const uint32_t end = static_cast<uint32_t>(file.size());
  std::vector<uint32_t> offsets(value.size() + 1, end);
  uint32_t p = style.content;
  const bool single = style.style == ScalarStyle::single_quoted, dual = style.style == ScalarStyle::double_quoted;
  if (single || dual) ++p;
  if (style.style == ScalarStyle::literal || style.style == ScalarStyle::folded) {
    while (p < end && file[p] != '\n') ++p;  // the header line: indicator, indentation, comment
    if (p < end) ++p;
  }
  uint32_t last_end = p;
  for (size_t i = 0; i < value.size();) {
    if (p >= end) {
      offsets[i++] = end;
      continue;
    }
    const char s = file[p], c = value[i];
    if (dual && s == '\\') {
      if (p + 1 < end && (file[p + 1] == '\n' || file[p + 1] == '\r')) {  // an escaped line break: nothing
        p += 2;
        while (p < end && blank(file[p])) ++p;
        continue;
      }
      size_t source_length = 2, decoded_length = 1;
      escape_size(file, p, source_length, decoded_length);
      for (size_t k = 0; k < decoded_length && i < value.size(); ++k) offsets[i++] = p;
      p += static_cast<uint32_t>(source_length);
      last_end = p;
      continue;
    }
    if (single && s == '\'' && p + 1 < end && file[p + 1] == '\'') {
      offsets[i++] = p;
      p += 2;
      last_end = p;
      continue;
    }
    if (s == c) {
      offsets[i++] = p++;
      last_end = p;
      continue;
    }
    if (s == '\n' && (c == ' ' || c == '\n')) {  // a folded line break
      offsets[i++] = p++;
      while (p < end && (file[p] == ' ' || file[p] == '\t')) ++p;
      continue;
    }
    if (blank(s)) {
      ++p;
      continue;
    }
    offsets[i++] = p;
  }
  offsets[value.size()] = std::min(value.empty() ? p : last_end, end);
  return offsets;
}

}  // namespace fleetaudit::lint
