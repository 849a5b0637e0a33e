#include "analyzer/load/text_encoding.h"

namespace fleetaudit {

namespace {

std::string utf16_problem(std::string_view order, std::string_view iconv_name) {
  return "the file is UTF-" + std::string(order) +
         " text, but snapshot files must be UTF-8 (PowerShell's `>` writes UTF-16); convert it with "
         "`iconv -f " + std::string(iconv_name) + " -t UTF-8 FILE > FILE.utf8`, or write it from PowerShell with "
         "`| Out-File -Encoding utf8` instead of `>`";
}

}  // namespace

TextEncoding detect_text_encoding(std::string_view head) {
  auto byte = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0x100u; };
  if (byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return {3, {}};
  // UTF-32 first: its little-endian mark begins like UTF-16's.
  if ((byte(0) == 0xFF && byte(1) == 0xFE && byte(2) == 0 && byte(3) == 0) ||
      (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF))
    return {0, "the file is UTF-32 text, but snapshot files must be UTF-8; convert it with "
               "`iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8`"};
  if (byte(0) == 0xFF && byte(1) == 0xFE) return {0, utf16_problem("16 (little-endian, with a byte-order mark)", "UTF-16")};
  if (byte(0) == 0xFE && byte(1) == 0xFF) return {0, utf16_problem("16 (big-endian, with a byte-order mark)", "UTF-16")};
  // Without a mark: JSON starts with an ASCII character, so UTF-16 shows a zero byte beside it.
  if (byte(0) != 0 && byte(0) < 0x80 && byte(1) == 0) return {0, utf16_problem("16 (little-endian)", "UTF-16LE")};
  if (byte(0) == 0 && byte(1) != 0 && byte(1) < 0x80) return {0, utf16_problem("16 (big-endian)", "UTF-16BE")};
  return {};
}

}  // namespace fleetaudit
