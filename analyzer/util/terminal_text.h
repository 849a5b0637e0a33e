#pragma once
// Untrusted text (names, messages from a snapshot) made safe for a terminal and for a report a
// person reads: no byte of it can end a line, move the cursor, recolour or reorder what follows.
#include <string>
#include <string_view>

namespace fleetaudit {

// Control characters become visible escapes: C0 as \n \r \t or \xNN, DEL as \x7f, C1 (U+0080..
// U+009F) and the bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069)
// as \u{XXXX}, and bytes that are not UTF-8 as \xNN. Everything else, backslashes included, is kept.
std::string escape_control(std::string_view text);
// The same for a message of several lines: a newline followed by two spaces (the indent of a
// message's continuation lines, such as a list of check names) is kept; every other is escaped, so
// no line can pass for one of fleetaudit's own.
std::string escape_control_in_message(std::string_view text);

}  // namespace fleetaudit
