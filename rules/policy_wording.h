#pragma once
// The words the IoT policy checks share for what policy/ computes: the policy layer returns data
// (PolicyReach, the undecided actions), the checks say it, here, once.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_reach.h"

namespace fleetaudit::policy_wording {

// "attached so that it reaches 3 certificates and 5 things" / "not attached to any certificate or thing group".
inline std::string reach_text(const policy::PolicyReach& reach, uint32_t policy_row) {
  if (!reach.attached[policy_row]) return "not attached to any certificate or thing group";
  std::string text = fmt::format("attached so that it reaches {} certificate{} and {} thing{}",
                                 reach.certificates[policy_row], reach.certificates[policy_row] == 1 ? "" : "s",
                                 reach.things[policy_row], reach.things[policy_row] == 1 ? "" : "s");
  if (reach.other_targets[policy_row] > 0)
    text += fmt::format(" (and {} other target{})", reach.other_targets[policy_row],
                        reach.other_targets[policy_row] == 1 ? "" : "s");
  return text;
}

// "iot:Publish: more than 8000000 stored pattern positions; iot:Subscribe: …"
inline std::string undecided_text(const std::vector<policy::BreadthEvaluator::UndecidedAction>& undecided) {
  std::string text;
  for (const auto& [action, reason] : undecided)
    text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", action, reason);
  return text;
}

}  // namespace fleetaudit::policy_wording
