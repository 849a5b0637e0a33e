#include "analyzer/policy/policy_reach.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

#include "analyzer/policy/applicable.h"

namespace fleetaudit::policy {

ArnScope policy_scope(const Snapshot& snapshot, uint32_t policy_row) {
  if (auto context = ArnScope::of_iot_arn(snapshot.text(snapshot.policies.arn[policy_row]))) return *context;
  return ArnScope{"aws", std::string(snapshot.text(snapshot.manifest.region)),
                  std::string(snapshot.text(snapshot.manifest.account_id))};
}

namespace {

// The joins the reach walks: thing group (by name) -> things, thing name -> certificates, policy
// row -> its targets.
struct ReachIndexes {
  Adjacency things_by_group, certificates_by_thing, targets_by_policy;
};

ReachIndexes reach_indexes(const Snapshot& snapshot) {
  const size_t policy_count = snapshot.policies.size();
  const size_t string_count = snapshot.strings.size();
  ReachIndexes indexes;
  std::vector<uint32_t> policy_by_name(string_count, kNoRow);
  for (uint32_t row = 0; row < policy_count; ++row) policy_by_name[snapshot.policies.name[row]] = row;
  // The two group indexes are only built when there are groups: each is as long as the string
  // table, millions of entries of fresh memory for nothing in a fleet without groups.
  const ThingGroupMembershipTable& groups = snapshot.thing_groups;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  if (groups.size() > 0) {
    for (uint32_t i = 0; i < groups.size(); ++i) edges.emplace_back(groups.group_name[i], groups.thing_name[i]);
    indexes.things_by_group = Adjacency::from_edges(string_count, edges);
    edges.clear();
    const ThingPrincipalTable& attachments = snapshot.thing_principals;
    for (uint32_t i = 0; i < attachments.size(); ++i)
      if (attachments.certificate_row[i] != kNoRow)
        edges.emplace_back(attachments.thing_name[i], attachments.certificate_row[i]);
    indexes.certificates_by_thing = Adjacency::from_edges(string_count, edges);
  }
  // Targets grouped by policy row.
  edges.clear();
  const PolicyTargetTable& targets = snapshot.policy_targets;
  for (uint32_t i = 0; i < targets.size(); ++i) {
    uint32_t row = policy_by_name[targets.policy_name[i]];
    if (row != kNoRow) edges.emplace_back(row, i);
  }
  indexes.targets_by_policy = Adjacency::from_edges(policy_count, edges);
  return indexes;
}

// Walks each policy's targets once, counting distinct certificates and things with per-row stamps;
// returns the (certificate row, policy row) pairs, policies in row order.
std::vector<std::pair<uint32_t, uint32_t>> walk_targets(const Snapshot& snapshot, const ReachIndexes& indexes,
                                                        PolicyReach& reach) {
  const PolicyTargetTable& targets = snapshot.policy_targets;
  std::vector<uint32_t> certificate_stamp(snapshot.certificates.size(), kNoRow);
  std::vector<uint32_t> thing_stamp(snapshot.strings.size(), kNoRow);
  std::vector<std::pair<uint32_t, uint32_t>> certificate_policy;
  certificate_policy.reserve(targets.size());
  for (uint32_t policy = 0; policy < snapshot.policies.size(); ++policy) {
    auto add_certificate = [&](uint32_t row) {
      if (certificate_stamp[row] == policy) return;
      certificate_stamp[row] = policy;
      ++reach.certificates[policy];
      certificate_policy.emplace_back(row, policy);
    };
    auto add_thing = [&](StringId thing) {
      if (thing_stamp[thing] == policy) return false;
      thing_stamp[thing] = policy;
      ++reach.things[policy];
      return true;
    };
    for (uint32_t target_index : indexes.targets_by_policy.of(policy)) {
      reach.attached[policy] = 1;
      const SplitArn target = targets.target[target_index];
      const std::string_view type = arn_resource_type(snapshot.strings, target);
      if (type == "cert") {
        const uint32_t row = certificate_row_of(snapshot, target.name);
        if (row == kNoRow) {
          ++reach.other_targets[policy];
          continue;
        }
        add_certificate(row);
        for (StringId thing : snapshot.things_by_certificate.of(row)) add_thing(thing);
      } else if (type == "thinggroup") {
        if (target.name >= indexes.things_by_group.rows()) continue;  // a group with no things
        for (StringId thing : indexes.things_by_group.of(target.name))
          if (add_thing(thing))
            for (uint32_t row : indexes.certificates_by_thing.of(thing)) add_certificate(row);
      } else {
        ++reach.other_targets[policy];  // a Cognito identity
      }
    }
  }
  return certificate_policy;
}

// Each certificate's policy list (sorted: policies were walked in row order), grouped by identity.
void group_policy_sets(size_t certificate_count, size_t policy_count,
                       const std::vector<std::pair<uint32_t, uint32_t>>& certificate_policy, PolicyReach& reach) {
  const Adjacency policies_by_certificate = Adjacency::from_edges(certificate_count, certificate_policy);
  // Most certificates have one policy: those sets are found by the policy's row, the rest by a map.
  std::vector<uint32_t> single_policy_set(policy_count, kNoRow);
  std::map<std::vector<uint32_t>, uint32_t> set_index;
  std::vector<uint32_t> key;  // reused: a million certificates, a few distinct sets
  auto index_of = [&](std::span<const uint32_t> list) {
    uint32_t* single = list.size() == 1 ? &single_policy_set[list.front()] : nullptr;
    if (single && *single != kNoRow) return *single;
    key.assign(list.begin(), list.end());
    auto it = set_index.find(key);
    if (it != set_index.end()) return it->second;
    const auto index = static_cast<uint32_t>(reach.policy_sets.size());
    set_index.emplace(key, index);
    if (single) *single = index;
    reach.policy_sets.push_back(key);
    reach.certificates_with_set.push_back(0);
    return index;
  };
  reach.set_of_certificate.assign(certificate_count, kNoRow);
  for (uint32_t row = 0; row < certificate_count; ++row) {
    auto list = policies_by_certificate.of(row);
    if (list.empty()) continue;
    const uint32_t index = index_of(list);
    ++reach.certificates_with_set[index];
    reach.set_of_certificate[row] = index;
  }
}

}  // namespace

PolicyReach compute_policy_reach(const Snapshot& snapshot) {
  const size_t policy_count = snapshot.policies.size();
  PolicyReach reach;
  reach.certificates.assign(policy_count, 0);
  reach.things.assign(policy_count, 0);
  reach.other_targets.assign(policy_count, 0);
  reach.attached.assign(policy_count, 0);
  const ReachIndexes indexes = reach_indexes(snapshot);
  const std::vector<std::pair<uint32_t, uint32_t>> certificate_policy = walk_targets(snapshot, indexes, reach);
  group_policy_sets(snapshot.certificates.size(), policy_count, certificate_policy, reach);
  return reach;
}

namespace {

// Statements of several policies copied into one table, each remembering its original row.
class CombinedStatements {
public:
  explicit CombinedStatements(const PolicyStatementTable& source) : source_(source) {}

  uint32_t size() const { return static_cast<uint32_t>(table_.size()); }
  const PolicyStatementTable& table() const { return table_; }
  uint32_t origin(uint32_t statement) const { return origin_[statement]; }

  void copy(uint32_t statement) {
    actions_.clear();
    resources_.clear();
    for (StringId id : source_.actions(statement)) actions_.push_back(source_.pattern(id));
    for (StringId id : source_.resources(statement)) resources_.push_back(source_.pattern(id));
    table_.append(0, source_.flags(statement), actions_, resources_);
    origin_.push_back(statement);
  }

private:
  const PolicyStatementTable& source_;
  PolicyStatementTable table_;
  std::vector<uint32_t> origin_;
  std::vector<std::string_view> actions_, resources_;
};

StatementRef statement_ref(const Snapshot& snapshot, uint32_t statement) {
  const PolicyVersionTable& versions = snapshot.policy_versions;
  const uint32_t version = snapshot.policy_statements.version_row(statement);
  return {std::string(snapshot.text(snapshot.policies.name[versions.policy_row[version]])),
          statement - versions.first_statement[version] + 1, std::string(snapshot.policy_statements.sid(statement))};
}

}  // namespace

EffectiveGrants effective_grants(const Snapshot& snapshot, const PolicyReach& reach,
                                 const std::vector<DataPlaneActionSet>& own_broad_default) {
  const PolicyVersionTable& versions = snapshot.policy_versions;
  const size_t policy_count = snapshot.policies.size();
  std::vector<uint32_t> default_version(policy_count, kNoRow);
  for (uint32_t row = 0; row < versions.size(); ++row)
    if (versions.is_default[row]) default_version[versions.policy_row[row]] = row;
  constexpr DataPlaneActionSet kConnect = action_bit(DataPlaneAction::connect);

  EffectiveGrants grants;
  grants.actions = own_broad_default;
  grants.deny_statements.resize(policy_count);
  grants.unpinning_policies.resize(policy_count);
  grants.combined_examples.resize(policy_count);
  CombinedStatements combined(snapshot.policy_statements);
  BreadthEvaluator evaluator(combined.table(), kCertificatePolicyCharacters);
  auto copy_version = [&](uint32_t policy, bool denies_only) {
    const uint32_t version = default_version[policy];
    if (version == kNoRow) return;
    for (uint32_t s = versions.first_statement[version]; s < versions.end_statement[version]; ++s)
      if (!denies_only || snapshot.policy_statements.has(s, kStatementDeny)) combined.copy(s);
  };

  std::vector<uint8_t> reached(policy_count, 0), evaluated(policy_count, 0);
  std::vector<std::vector<uint32_t>> cancelling(policy_count);  // combined Deny statements, by policy
  for (const std::vector<uint32_t>& set : reach.policy_sets) {
    if (set.empty()) continue;
    const ArnScope arn = policy_scope(snapshot, set.front());
    // Whether the set as a whole lets the device connect under another device's client id.
    uint32_t first = combined.size();
    for (uint32_t policy : set) copy_version(policy, false);
    const bool client_id_free = evaluator.lets_connect_as_another(first, combined.size(), arn);
    for (uint32_t policy : set) {
      reached[policy] = 1;
      // A policy that grants nothing broadly alone can only gain through ${iot:ClientId}.
      if (default_version[policy] == kNoRow || (own_broad_default[policy] == 0 && !client_id_free)) continue;
      first = combined.size();
      copy_version(policy, false);
      for (uint32_t other : set)
        if (other != policy) copy_version(other, true);
      // An action undecided in combination is not said to be taken back.
      const DataPlaneActionSet broad =
          evaluator.broad_actions(first, combined.size(), policy_scope(snapshot, policy), !client_id_free) |
          (evaluator.undecided_actions() & own_broad_default[policy]);
      const DataPlaneActionSet gained = broad & ~own_broad_default[policy];
      if (gained != 0 && grants.combined_examples[policy].empty()) {
        grants.combined_examples[policy] = evaluator.examples(gained);
        for (uint32_t other : set)
          if (other != policy && (own_broad_default[other] & kConnect))
            grants.unpinning_policies[policy].emplace_back(snapshot.text(snapshot.policies.name[other]));
      }
      // Effective: what some certificate can use, over every set the policy is in.
      grants.actions[policy] = (evaluated[policy] ? grants.actions[policy] : 0) | broad;
      evaluated[policy] = 1;
      for (uint32_t s = first; s < combined.size(); ++s)
        if (combined.table().has(s, kStatementDeny) && takes_part(combined.table().flags(s)) &&
            snapshot.policy_statements.version_row(combined.origin(s)) != default_version[policy])
          cancelling[policy].push_back(s);
    }
  }
  for (uint32_t policy = 0; policy < policy_count; ++policy) {
    // Reached but never evaluated: nothing broad alone, nothing gained.
    if (reached[policy] && !evaluated[policy]) grants.actions[policy] = 0;
    const DataPlaneActionSet cancelled = own_broad_default[policy] & ~grants.actions[policy];
    std::vector<uint32_t> origins;
    for (uint32_t s : cancelling[policy])
      if (evaluator.statement_actions(s) & cancelled) origins.push_back(combined.origin(s));
    std::sort(origins.begin(), origins.end());
    origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
    for (uint32_t origin : origins) grants.deny_statements[policy].push_back(statement_ref(snapshot, origin));
  }
  return grants;
}

}  // namespace fleetaudit::policy
