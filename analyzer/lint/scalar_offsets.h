#pragma once
// Where each byte of a YAML scalar's decoded value was written in the file: quotes, escapes,
// folding and block-scalar indentation are walked back from the value yaml-cpp decoded, so a JSON
// document inside a `|` block scalar is located to the character.
#include <cstdint>
#include <string_view>
#include <vector>

namespace fleetaudit::lint {

struct ScalarStyle {
  enum Kind : uint8_t { plain, single_quoted, double_quoted, literal, folded } style = plain;
  uint32_t content = 0;  // file offset of the quote, the block indicator or the first character
  bool quoted() const { return style == single_quoted || style == double_quoted; }
};

// The style of the scalar whose node starts at `begin` (after its tag and anchor, if any).
ScalarStyle scalar_style_at(std::string_view file, uint32_t begin);

// The file offset of each byte of `value`, plus one for the end (just after its last character,
// before a closing quote). Linear; a byte the walk cannot match gets the current file position.
std::vector<uint32_t> align_scalar(std::string_view file, ScalarStyle style, std::string_view value);

}  // namespace fleetaudit::lint
