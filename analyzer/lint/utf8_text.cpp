#include "analyzer/lint/utf8_text.h"

namespace fleetaudit::lint {

namespace {

// The length of the well-formed character at `i`, or 0.
size_t character_length(std::string_view text, size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 6 ? 2 : (byte >> 4) == 14 ? 3 : (byte >> 3) == 30 ? 4 : 0;
  if (length == 0 || (length == 2 && byte < 0xC2) || byte > 0xF4 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  const auto second = static_cast<unsigned char>(text[i + 1 < text.size() ? i + 1 : i]);
  if (length == 3 && ((byte == 0xE0 && second < 0xA0) || (byte == 0xED && second >= 0xA0))) return 0;  // overlong, surrogate
  if (length == 4 && ((byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second >= 0x90))) return 0;
  return length;
}

}  // namespace

size_t invalid_utf8_at(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = character_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string well_formed_utf8(std::string_view text) {
  if (invalid_utf8_at(text) == std::string_view::npos) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t length = character_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace fleetaudit::lint
