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
  // By certificate row: its index in policy_sets, or kNoRow when no policy reaches it.
  std::vector<uint32_t> set_of_certificate;

  bool known() const { return !certificates.empty(); }
};

// Counting passes over the targets: each policy's fan-out is walked once, with per-row stamps for
// distinctness, so the cost is linear in targets times their fan-out (never policies x fleet).
PolicyReach compute_policy_reach(const Snapshot& snapshot);

// A statement of some policy's default version: its policy's name, its number from 1, its Sid.
struct StatementRef {
  std::string policy;
  uint32_t number = 0;
  std::string sid;
};

// What the default version of each policy grants broadly once the policies attached alongside it
// (to one certificate, directly or through the groups of its things) are taken into account. Each
// distinct policy set is evaluated once: the policy's own statements with the Deny statements of
// the others, and ${iot:ClientId} read as any client id when some policy of the set lets the device
// connect under another device's id.
struct EffectiveGrants {
  // By policy row. Policies that reach no certificate keep their own broad actions.
  std::vector<DataPlaneActionSet> actions;  // broad for some certificate the policy reaches
  // The other policies' Deny statements that apply to what the policy alone grants broadly, in
  // policy and statement order.
  std::vector<std::vector<StatementRef>> deny_statements;
  // Other policies of a set that let the device connect under any client id, making
  // ${iot:ClientId} in this policy's resources anybody's.
  std::vector<std::vector<std::string>> unpinning_policies;
  // Examples for the actions broad only in combination (as BreadthEvaluator::examples; the
  // statements are the policy's own, numbered in its default version).
  std::vector<std::vector<GrantExample>> combined_examples;
};
EffectiveGrants effective_grants(const Snapshot& snapshot, const PolicyReach& reach,
                                 const std::vector<DataPlaneActionSet>& own_broad_default);

// The account a policy's resources are matched in: its own ARN's, else the manifest's.
ArnScope policy_scope(const Snapshot& snapshot, uint32_t policy_row);

}  // namespace fleetaudit::policy
