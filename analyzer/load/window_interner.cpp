#include "analyzer/load/window_interner.h"

namespace fleetaudit::load {

void WindowInterner::add_split_arn(std::string_view text, std::vector<SplitArn>& column, size_t row) {
  const auto [prefix, name] = split_arn_text(text);
  column[row].prefix = prefix.empty() ? kNoString : strings_.intern(prefix);
  texts_.push_back(name);
  cells_.push_back({nullptr, &column, row});
}

void WindowInterner::flush() {
  if (texts_.empty()) return;
  resolved_.resize(texts_.size());
  strings_.intern_batch(texts_.data(), texts_.size(), resolved_.data());
  for (size_t i = 0; i < cells_.size(); ++i) {
    const Cell& cell = cells_[i];
    if (cell.ids != nullptr) (*cell.ids)[cell.row] = resolved_[i];
    else (*cell.arns)[cell.row].name = resolved_[i];
  }
  texts_.clear();
  cells_.clear();
}

}  // namespace fleetaudit::load
