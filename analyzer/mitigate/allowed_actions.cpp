#include "analyzer/mitigate/allowed_actions.h"

#include "analyzer/engine/check.h"

namespace fleetaudit {

std::vector<MitigationActionType> allowed_mitigation_actions(std::string_view check_name) {
  std::vector<MitigationActionType> result;
  const CheckInfo* check = CheckRegistry::instance().find(check_name);
  if (check == nullptr) return result;
  // In MitigationActionType's order, whatever order the check lists them in.
  for (MitigationActionType type : kAllMitigationActionTypes)
    for (std::string_view name : check->mitigation_actions)
      if (mitigation_action_type_from(name) == type) {
        result.push_back(type);
        break;
      }
  return result;
}

}  // namespace fleetaudit
