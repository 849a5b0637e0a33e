#pragma once
// Every value the fix script passes to the AWS CLI, checked before a script is written: each must
// be a name AWS itself accepts, so that no snapshot can put a shell command, a NUL (which bash
// drops, acting on another resource) or a terminal control code into the script or its output.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/mitigate/mitigation_plan.h"

namespace fleetaudit {

// AWS's ThingGroupName: [a-zA-Z0-9:_-]+, 1 to 128 characters.
bool is_thing_group_name(std::string_view text);

// One message per refused value, naming where it came from and what AWS accepts; empty when all pass.
std::vector<std::string> refused_script_values(const MitigationPlan& plan);

}  // namespace fleetaudit
