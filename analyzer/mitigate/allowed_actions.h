#pragma once
// Which mitigation action types Device Defender lets each audit check's findings use.
#include <string_view>
#include <vector>

#include "analyzer/mitigate/mitigation_action.h"

namespace fleetaudit {

// The actions the registered check (by name or alias) declares in its CheckInfo: AWS's table for
// AWS's checks. Empty when the check is unknown.
std::vector<MitigationActionType> allowed_mitigation_actions(std::string_view check_name);

}  // namespace fleetaudit
