#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

void PolicyStatementTable::append(uint32_t version_row, uint8_t flags, std::span<const std::string_view> actions,
                                  std::span<const std::string_view> resources, std::string_view sid) {
  version_row_.push_back(version_row);
  flags_.push_back(flags);
  sid_.push_back(sid.empty() ? kNoString : patterns_.intern(sid));
  for (std::string_view action : actions) actions_.targets.push_back(patterns_.intern(action));
  actions_.offsets.push_back(static_cast<uint32_t>(actions_.targets.size()));
  for (std::string_view resource : resources) resources_.targets.push_back(patterns_.intern(resource));
  resources_.offsets.push_back(static_cast<uint32_t>(resources_.targets.size()));
}

}  // namespace fleetaudit::policy
