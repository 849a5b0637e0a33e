#include "analyzer/policy/policy_reach.h"

#include <fmt/format.h>

#include <map>
#include <unordered_map>

namespace fleetaudit::policy {

ArnContext arn_context_for(const Snapshot& snapshot, uint32_t policy_row) {
  if (auto context = ArnContext::from_arn(snapshot.text(snapshot.policies.arn[policy_row]))) return *context;
  return ArnContext{"aws", std::string(snapshot.text(snapshot.manifest.region)),
                    std::string(snapshot.text(snapshot.manifest.account_id))};
}

PolicyReach compute_policy_reach(const Snapshot& snapshot) {
  const size_t policy_count = snapshot.policies.size();
  const size_t string_count = snapshot.strings.size();
  const size_t certificate_count = snapshot.certificates.size();
  PolicyReach reach;
  reach.certificates.assign(policy_count, 0);
  reach.things.assign(policy_count, 0);
  reach.other_targets.assign(policy_count, 0);
  reach.attached.assign(policy_count, 0);

  // Indexes by StringId: policy by name, group (by name) -> things, thing name -> certificates.
  std::vector<uint32_t> policy_by_name(string_count, kNoRow);
  for (uint32_t row = 0; row < policy_count; ++row) policy_by_name[snapshot.policies.name[row]] = row;
  const ThingGroupMembershipTable& groups = snapshot.thing_groups;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t i = 0; i < groups.size(); ++i) edges.emplace_back(groups.group_name[i], groups.thing_name[i]);
  const Adjacency things_by_group = Adjacency::from_edges(string_count, edges);
  edges.clear();
  const ThingPrincipalTable& attachments = snapshot.thing_principals;
  for (uint32_t i = 0; i < attachments.size(); ++i)
    if (attachments.certificate_row[i] != kNoRow) edges.emplace_back(attachments.thing_name[i], attachments.certificate_row[i]);
  const Adjacency certificates_by_thing = Adjacency::from_edges(string_count, edges);

  // Targets grouped by policy row.
  edges.clear();
  const PolicyTargetTable& targets = snapshot.policy_targets;
  for (uint32_t i = 0; i < targets.size(); ++i) {
    uint32_t row = policy_by_name[targets.policy_name[i]];
    if (row != kNoRow) edges.emplace_back(row, i);
  }
  const Adjacency targets_by_policy = Adjacency::from_edges(policy_count, edges);

  std::vector<uint32_t> certificate_stamp(certificate_count, kNoRow);
  std::vector<uint32_t> thing_stamp(string_count, kNoRow);
  std::vector<std::pair<uint32_t, uint32_t>> certificate_policy;  // (certificate row, policy row)
  for (uint32_t policy = 0; policy < policy_count; ++policy) {
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
    for (uint32_t target_index : targets_by_policy.of(policy)) {
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
        for (StringId thing : things_by_group.of(target.name))
          if (add_thing(thing))
            for (uint32_t row : certificates_by_thing.of(thing)) add_certificate(row);
      } else {
        ++reach.other_targets[policy];  // a Cognito identity
      }
    }
  }

  // Each certificate's policy list (sorted: policies were walked in row order), grouped by identity.
  const Adjacency policies_by_certificate = Adjacency::from_edges(certificate_count, certificate_policy);
  std::map<std::vector<uint32_t>, uint32_t> set_index;
  std::vector<uint32_t> key;  // reused: a million certificates, a few distinct sets
  for (uint32_t row = 0; row < certificate_count; ++row) {
    auto list = policies_by_certificate.of(row);
    if (list.empty()) continue;
    key.assign(list.begin(), list.end());
    auto it = set_index.find(key);
    if (it == set_index.end()) {
      it = set_index.emplace(key, static_cast<uint32_t>(reach.policy_sets.size())).first;
      reach.policy_sets.push_back(key);
      reach.certificates_with_set.push_back(0);
    }
    ++reach.certificates_with_set[it->second];
  }
  return reach;
}

std::string describe_reach(const PolicyReach& reach, uint32_t policy_row) {
  if (!reach.attached[policy_row]) return "not attached to any certificate or thing group";
  std::string text = fmt::format("attached so that it reaches {} certificate{} and {} thing{}",
                                 reach.certificates[policy_row], reach.certificates[policy_row] == 1 ? "" : "s",
                                 reach.things[policy_row], reach.things[policy_row] == 1 ? "" : "s");
  if (reach.other_targets[policy_row] > 0)
    text += fmt::format(" (and {} other target{})", reach.other_targets[policy_row],
                        reach.other_targets[policy_row] == 1 ? "" : "s");
  return text;
}

std::vector<DataPlaneActionSet> effective_broad_actions(const Snapshot& snapshot, const PolicyReach& reach,
                                                        const std::vector<DataPlaneActionSet>& own_broad_default) {
  const PolicyVersionTable& versions = snapshot.policy_versions;
  const PolicyStatementTable& statements = snapshot.policy_statements;
  std::vector<uint32_t> default_version(snapshot.policies.size(), kNoRow);
  for (uint32_t row = 0; row < versions.size(); ++row)
    if (versions.is_default[row]) default_version[versions.policy_row[row]] = row;

  std::vector<DataPlaneActionSet> effective = own_broad_default;
  std::vector<uint8_t> reached(snapshot.policies.size(), 0);
  // One combined statement table: for each (set, policy with a broad grant) the policy's own
  // statements followed by the other policies' Deny statements.
  PolicyStatementTable combined;
  struct Range {
    uint32_t policy, first, end;
  };
  std::vector<Range> ranges;
  std::vector<std::string_view> actions, resources;
  auto copy = [&](uint32_t statement) {
    actions.clear();
    resources.clear();
    for (StringId id : statements.actions(statement)) actions.push_back(statements.pattern(id));
    for (StringId id : statements.resources(statement)) resources.push_back(statements.pattern(id));
    combined.append(0, statements.flags(statement), actions, resources);
  };
  for (const std::vector<uint32_t>& set : reach.policy_sets) {
    for (uint32_t policy : set) {
      reached[policy] = 1;
      if (own_broad_default[policy] == 0 || default_version[policy] == kNoRow) continue;
      const uint32_t first = static_cast<uint32_t>(combined.size());
      const uint32_t own = default_version[policy];
      for (uint32_t s = versions.first_statement[own]; s < versions.end_statement[own]; ++s) copy(s);
      for (uint32_t other : set) {
        if (other == policy || default_version[other] == kNoRow) continue;
        const uint32_t version = default_version[other];
        for (uint32_t s = versions.first_statement[version]; s < versions.end_statement[version]; ++s)
          if (statements.has(s, kStatementDeny)) copy(s);
      }
      ranges.push_back({policy, first, static_cast<uint32_t>(combined.size())});
    }
  }
  // A reached policy keeps only what some certificate can actually use.
  for (uint32_t policy = 0; policy < reached.size(); ++policy)
    if (reached[policy]) effective[policy] = 0;
  BreadthEvaluator evaluator(combined);
  for (const Range& range : ranges)
    effective[range.policy] |= evaluator.broad_actions(range.first, range.end, arn_context_for(snapshot, range.policy));
  return effective;
}

}  // namespace fleetaudit::policy
