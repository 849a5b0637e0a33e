#pragma once
// Which certificates and things each IoT policy reaches through its targets (policy-targets.json):
// certificates it is attached to, thing groups it is attached to (thing-groups.json), and the
// things and certificates joined to those (thing-principals.json). And which policies act together
// on one certificate, so that a Deny in one takes back a grant in another.
#include <cstdint>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::policy {

struct PolicyReach {
  // By policy row.
  std::vector<uint32_t> certificates;  // distinct certificates reached
  std::vector<uint32_t> things;        // distinct things reached
  std::vector<uint32_t> other_targets;  // Cognito identities and targets not in the snapshot
  std::vector<uint8_t> attached;        // has at least one target
  // The distinct sets of policies attached together to one certificate (directly or through the
  // groups of its things), each with how many certificates share it. Policy rows sorted.
  std::vector<std::vector<uint32_t>> policy_sets;
  std::vector<uint32_t> certificates_with_set;

  bool known() const { return !certificates.empty(); }
};

// Counting passes over the targets: each policy's fan-out is walked once, with per-row stamps for
// distinctness, so the cost is linear in targets times their fan-out (never policies x fleet).
PolicyReach compute_policy_reach(const Snapshot& snapshot);

// "attached to 3 certificates and 5 things" / "not attached to anything".
std::string describe_reach(const PolicyReach& reach, uint32_t policy_row);

// For each policy row, the broad actions of its default version that some certificate it reaches
// can actually use: its own Allow statements evaluated together with the Deny statements of every
// other policy attached to that certificate. Each distinct policy set is evaluated once.
// Entries for policies that reach no certificate are the policy's own broad actions.
std::vector<DataPlaneActionSet> effective_broad_actions(const Snapshot& snapshot, const PolicyReach& reach,
                                                        const std::vector<DataPlaneActionSet>& own_broad_default);

// The account a policy's resources are matched in: its own ARN's, else the manifest's.
ArnContext arn_context_for(const Snapshot& snapshot, uint32_t policy_row);

}  // namespace fleetaudit::policy
