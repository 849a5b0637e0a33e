#pragma once
// The sweep both Cognito role checks share: each identity pool's roles of one side, judged by a
// check-specific rule, one finding per pool and reason code naming every offending role.
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/check.h"
#include "analyzer/iam/role_evaluator.h"

namespace fleetaudit::iam {

// (reason code, what the role allows), for one role.
using RoleReasons = std::vector<std::pair<std::string_view, std::string>>;
using JudgeRole = RoleReasons (*)(const IotRoleVerdict& verdict);

enum class PoolSide : uint8_t { unauthenticated, authenticated };  // authenticated includes role mappings

CheckResult run_pool_role_check(const CheckContext& context, PoolSide side, JudgeRole judge);

// "[iot:A, iot:B]" for a data-plane action set.
std::string data_plane_list(policy::DataPlaneActionSet actions);

}  // namespace fleetaudit::iam
