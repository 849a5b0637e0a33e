#pragma once
// Text from the files linted, made well-formed UTF-8 for the JSON and SARIF reports: a byte that is
// not part of a UTF-8 character (or an encoded surrogate, which JSON escapes can produce) becomes
// U+FFFD. Well-formed text is returned as it is.
#include <string>
#include <string_view>

namespace fleetaudit::lint {

// The offset of the first byte of `text` that is not part of well-formed UTF-8, or npos.
size_t invalid_utf8_at(std::string_view text);
std::string well_formed_utf8(std::string_view text);

}  // namespace fleetaudit::lint
