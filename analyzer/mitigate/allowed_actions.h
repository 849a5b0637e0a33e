#pragma once
// Which mitigation action types Device Defender lets each audit check's findings use.
#include <string_view>
#include <vector>

#include "analyzer/mitigate/mitigation_action.h"

namespace fleetaudit {

// AWS's table for its own checks (all 17, whether fleetaudit implements them or not); for another
// registered check (FLEETAUDIT_…), the actions its CheckInfo declares. Empty when unknown.
std::vector<MitigationActionType> allowed_mitigation_actions(std::string_view check_name);

}  // namespace fleetaudit
