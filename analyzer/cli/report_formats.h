#pragma once
// A command's report formats as one table that --help, validation and dispatch all read: the next
// format is one row. Each command keeps its own row type (what its writer takes); these read any.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit {

// The row named `name`; null when none is.
template <typename Row>
const Row* format_named(std::span<const Row> rows, std::string_view name) {
  for (const Row& row : rows)
    if (row.name == name) return &row;
  return nullptr;
}

template <typename Row>
std::vector<std::string> format_names(std::span<const Row> rows) {
  std::vector<std::string> names;
  for (const Row& row : rows) names.emplace_back(row.name);
  return names;
}

// "a, b (what b is) or c", for --help.
template <typename Row>
std::string described_formats(std::span<const Row> rows) {
  std::string text;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) text += i + 1 == rows.size() ? " or " : ", ";
    text += rows[i].name;
    if (!rows[i].description.empty()) text += " (" + std::string(rows[i].description) + ")";
  }
  return text;
}

}  // namespace fleetaudit
