#include <algorithm>

#include "analyzer/engine/check.h"

namespace fleetaudit {

CheckRegistry& CheckRegistry::instance() {
  static CheckRegistry registry;
  return registry;
}

void CheckRegistry::add(CheckInfo info) {
  // Sorted by name so that every report lists checks in the same order.
  auto position = std::lower_bound(checks_.begin(), checks_.end(), info.name,
                                   [](const CheckInfo& check, std::string_view name) { return check.name < name; });
  checks_.insert(position, std::move(info));
}

const CheckInfo* CheckRegistry::find(std::string_view name) const {
  for (const CheckInfo& check : checks_) {
    if (check.name == name) return &check;
    for (std::string_view alias : check.aliases)
      if (alias == name) return &check;
  }
  return nullptr;
}

}  // namespace fleetaudit
