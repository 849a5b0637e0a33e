#pragma once
#include <string>
#include <string_view>

namespace fleetaudit {

// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace fleetaudit
