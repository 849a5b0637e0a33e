#pragma once
// Snapshot files are UTF-8 JSON. PowerShell 5 writes a UTF-8 byte-order mark when output is
// redirected with Out-File, and UTF-16 with `>`: the mark is skipped (RFC 8259 lets a parser
// ignore it), UTF-16 is refused with a message that says how to convert the file.
#include <cstddef>
#include <string>
#include <string_view>

namespace fleetaudit {

struct TextEncoding {
  size_t bom_length = 0;  // bytes of a UTF-8 byte-order mark to skip (0 or 3)
  std::string problem;    // set when the text is not UTF-8 (UTF-16 or UTF-32)
};

// Judges a file from its first bytes (at least 4 when the file has them).
TextEncoding detect_text_encoding(std::string_view head);

}  // namespace fleetaudit
