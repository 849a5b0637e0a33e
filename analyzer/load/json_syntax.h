#pragma once
// A slow, exact JSON syntax check, run only after simdjson has rejected a file, to say where and why.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fleetaudit {

struct SyntaxError {
  size_t offset = 0;
  std::string message;
};

// nullopt when `text` is one well-formed JSON value (surrounded by optional whitespace).
std::optional<SyntaxError> find_syntax_error(std::string_view text);

// The offset of the first '{' or '[' that opens a level deeper than `limit` (outside strings), or
// nullopt when `text` nests no deeper.
std::optional<size_t> find_nesting_beyond(std::string_view text, size_t limit);

}  // namespace fleetaudit
