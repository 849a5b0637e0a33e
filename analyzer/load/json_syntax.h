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

}  // namespace fleetaudit
