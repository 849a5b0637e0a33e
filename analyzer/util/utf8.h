#pragma once
// UTF-8 validation, once: every room that must tell well-formed UTF-8 from stray bytes (the JSON
// syntax check, policy documents, lint's readers and reports, terminal escaping) asks here.
// Well-formed means RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
#include <cstddef>
#include <string_view>

namespace fleetaudit {

// The length (1-4) of the well-formed UTF-8 character at `at` (an ASCII byte is 1), or 0 when the
// bytes there are not one; `code_point`, when given, receives its value.
size_t utf8_sequence(std::string_view text, size_t at, char32_t* code_point = nullptr);

// The offset of the first byte of `text` that is not part of well-formed UTF-8, or npos.
size_t first_invalid_utf8(std::string_view text);

}  // namespace fleetaudit
