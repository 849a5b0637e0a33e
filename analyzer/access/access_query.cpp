#include "analyzer/access/access_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "analyzer/policy/actions.h"
#include "analyzer/policy/applicable.h"
#include "analyzer/policy/arn.h"
#include "analyzer/policy/pattern_automaton.h"

namespace fleetaudit::access {

namespace {

using policy::DataPlaneAction;
using policy::RequestDecision;
using policy::RequestEvaluator;
using policy::StatementRange;

// The ARN resource type an action is authorized on (the catalogue's); empty for
// iot:ListRetainedMessages, authorized on "*".
std::string_view resource_type_of(DataPlaneAction action) {
  return policy::resource_type_acted_on(policy::action_name(action));
}

// The resource part of an ARN ("topic/a/b"), or nullopt when `text` is no ARN.
std::optional<std::string_view> arn_resource(std::string_view text) {
  const std::optional<policy::Arn> arn = policy::parse_arn(text);
  if (!arn) return std::nullopt;
  return arn->resource.text;
}

std::vector<uint32_t> default_versions(const Snapshot& snapshot) {
  std::vector<uint32_t> by_policy(snapshot.policies.size(), kNoRow);
  const PolicyVersionTable& versions = snapshot.policy_versions;
  for (uint32_t row = 0; row < versions.size(); ++row)
    if (versions.is_default[row]) by_policy[versions.policy_row[row]] = row;
  return by_policy;
}

std::vector<StatementRange> ranges_of(const Snapshot& snapshot, const std::vector<uint32_t>& default_version,
                                      const std::vector<uint32_t>& policies) {
  std::vector<StatementRange> ranges;
  for (uint32_t policy : policies)
    if (uint32_t version = default_version[policy]; version != kNoRow)
      ranges.push_back({snapshot.policy_versions.first_statement[version], snapshot.policy_versions.end_statement[version]});
  return ranges;
}

bool reads_thing_name(RequestEvaluator& evaluator, const std::vector<StatementRange>& ranges) {
  for (const StatementRange& range : ranges)
    for (uint32_t statement = range.first; statement < range.end; ++statement)
      if (evaluator.names_action(statement) && evaluator.reads_thing_name(statement)) return true;
  return false;
}

bool granted(const RequestDecision& decision) { return !decision.allowed_by.empty(); }

}  // namespace

std::optional<std::string> resource_problem(DataPlaneAction action, std::string_view resource) {
  const std::string_view type = resource_type_of(action);
  if (type.empty() && resource == "*") return std::nullopt;
  const auto part = arn_resource(resource);
  if (!part)
    return fmt::format("--resource \"{}\" is not an ARN (arn:PARTITION:iot:REGION:ACCOUNT:TYPE/NAME)", resource);
  if (type.empty()) return std::nullopt;
  if (!part->starts_with(std::string(type) + "/") || part->size() == type.size() + 1)
    return fmt::format("--resource \"{}\": {} acts on {} ARNs (arn:aws:iot:REGION:ACCOUNT:{}/NAME)", resource,
                       policy::action_name(action), type, type);
  return std::nullopt;
}

StatementOrigin origin_of(const Snapshot& snapshot, uint32_t statement) {
  const uint32_t version = snapshot.policy_statements.version_row(statement);
  const PolicyVersionTable& versions = snapshot.policy_versions;
  return {std::string(snapshot.text(snapshot.policies.name[versions.policy_row[version]])),
          std::string(snapshot.text(versions.version_id[version])),
          std::string(snapshot.policy_statements.sid(statement)), statement - versions.first_statement[version] + 1};
}

namespace {

// IAM roles: Cognito identity pools and role aliases hand them out; IAM is global, so the
// resource is matched as given.
void add_role_principals(const Snapshot& snapshot, DataPlaneAction action, const std::string& resource,
                         const std::optional<std::string>& client_id, ResourceAccess& access) {
  RequestEvaluator roles(snapshot.iam.statements, action, resource, client_id);
  const IamRoleTable& role_table = snapshot.iam.roles;
  std::vector<std::optional<RequestDecision>> role_decisions(role_table.size());
  auto add_role = [&](RolePrincipal principal) {
    std::optional<RequestDecision>& decision = role_decisions[principal.role_row];
    if (!decision) {
      const StatementRange range{role_table.first_statement[principal.role_row],
                                 role_table.end_statement[principal.role_row]};
      decision = roles.decide(std::span(&range, 1), std::nullopt);
    }
    if (!granted(*decision)) return;
    principal.decision = *decision;
    (decision->allowed() ? access.roles : access.denied_roles).push_back(std::move(principal));
  };
  const IdentityPoolRoleTable& pools = snapshot.iam.pool_roles;
  for (uint32_t row = 0; row < pools.size(); ++row) {
    if (pools.role_row[row] == UINT32_MAX) continue;
    using Kind = IdentityPoolRoleTable::Kind;
    std::string detail = pools.kind[row] == Kind::authenticated ? "authenticated"
                         : pools.kind[row] == Kind::unauthenticated
                             ? "unauthenticated"
                             : "mapped by " + std::string(snapshot.text(pools.provider[row]));
    add_role({RolePrincipal::Kind::cognito_pool,
              std::string(snapshot.text(pools.pool_id[row])),
              std::move(detail),
              pools.role_row[row],
              {}});
  }
  const RoleAliasTable& aliases = snapshot.iam.role_aliases;
  for (uint32_t row = 0; row < aliases.size(); ++row)
    if (aliases.role_row[row] != UINT32_MAX)
      add_role({RolePrincipal::Kind::role_alias,
                std::string(snapshot.text(aliases.alias[row])),
                "",
                aliases.role_row[row],
                {}});
  auto role_order = [](const RolePrincipal& a, const RolePrincipal& b) {
    return std::tie(a.kind, a.name, a.detail) < std::tie(b.kind, b.name, b.detail);
  };
  std::sort(access.roles.begin(), access.roles.end(), role_order);
  std::sort(access.denied_roles.begin(), access.denied_roles.end(), role_order);
}

}  // namespace

ResourceAccess who_may(const Snapshot& snapshot, const policy::PolicyReach& reach, DataPlaneAction action,
                       const std::string& resource) {
  std::optional<std::string> client_id;
  const auto part = arn_resource(resource);
  if (resource_type_of(action) == "client" && part && part->starts_with("client/"))
    client_id = std::string(part->substr(std::string_view("client/").size()));
  RequestEvaluator evaluator(snapshot.policy_statements, action, resource, client_id);
  const std::vector<uint32_t> default_version = default_versions(snapshot);

  ResourceAccess access;
  // Per policy set: its statement ranges, whether it reads the thing name, and (when it does not,
  // or for certificates without a thing) its one decision.
  const size_t set_count = reach.policy_sets.size();
  std::vector<std::vector<StatementRange>> ranges(set_count);
  std::vector<uint8_t> per_thing(set_count);
  std::vector<uint32_t> shared(set_count, kNoRow), thingless(set_count, kNoRow);
  for (size_t set = 0; set < set_count; ++set) {
    ranges[set] = ranges_of(snapshot, default_version, reach.policy_sets[set]);
    per_thing[set] = reads_thing_name(evaluator, ranges[set]);
  }
  auto decision_for = [&](uint32_t& slot, size_t set, std::optional<std::string_view> thing) {
    if (slot == kNoRow) {
      slot = static_cast<uint32_t>(access.decisions.size());
      access.decisions.push_back(evaluator.decide(ranges[set], thing));
      ++access.evaluations;
    }
    return slot;
  };
  auto record = [&](uint32_t certificate, StringId thing, uint32_t decision) {
    const RequestDecision& made = access.decisions[decision];
    if (!granted(made)) return;
    (made.allowed() ? access.allowed : access.denied).push_back({certificate, thing, decision});
  };

  for (uint32_t row = 0; row < snapshot.certificates.size(); ++row) {
    const uint32_t set = reach.set_of_certificate.empty() ? kNoRow : reach.set_of_certificate[row];
    if (set == kNoRow) continue;
    const auto things = snapshot.things_by_certificate.of(row);
    if (things.empty()) {
      record(row, kNoString, decision_for(thingless[set], set, std::nullopt));
      continue;
    }
    for (StringId thing : things) {
      if (!per_thing[set]) {
        record(row, thing, decision_for(shared[set], set, snapshot.text(thing)));
        continue;
      }
      // The thing name is part of the question: a decision of its own, kept only when it grants.
      RequestDecision made = evaluator.decide(ranges[set], snapshot.text(thing));
      ++access.evaluations;
      if (!granted(made)) continue;
      access.decisions.push_back(std::move(made));
      record(row, thing, static_cast<uint32_t>(access.decisions.size() - 1));
    }
  }
  auto by_name = [&](const CertificatePrincipal& a, const CertificatePrincipal& b) {
    return std::tuple(snapshot.text(a.thing), snapshot.text(snapshot.certificates.certificate_id[a.certificate_row])) <
           std::tuple(snapshot.text(b.thing), snapshot.text(snapshot.certificates.certificate_id[b.certificate_row]));
  };
  std::sort(access.allowed.begin(), access.allowed.end(), by_name);
  std::sort(access.denied.begin(), access.denied.end(), by_name);

  add_role_principals(snapshot, action, resource, client_id, access);
  return access;
}

namespace {

// Allow and Deny statements of one action for one certificate's policies, with the exact verdicts:
// what is left of each Allow once every Deny is taken away, and which Denies overlap an Allow.
ActionPermissions permissions_of(const Snapshot& snapshot, RequestEvaluator& evaluator,
                                 const std::vector<StatementRange>& ranges, std::string_view thing,
                                 policy::WorkMeter& meter) {
  using policy::StatementLanguage;
  ActionPermissions permissions;
  std::vector<StatementLanguage> allow_languages, deny_languages;
  auto names = [&](uint32_t statement) { return evaluator.names_action(statement); };
  for (const StatementRange& range : ranges)
    policy::for_each_applicable(snapshot.policy_statements, range.first, range.end, names, [&](uint32_t statement) {
      const bool deny = snapshot.policy_statements.has(statement, policy::kStatementDeny);
      const bool conditional = snapshot.policy_statements.has(statement, policy::kStatementHasCondition);
      StatementPatterns patterns;
      patterns.statement = statement;
      patterns.not_resource = snapshot.policy_statements.has(statement, policy::kStatementNotResource);
      patterns.conditional = conditional;
      for (StringId pattern : snapshot.policy_statements.resources(statement))
        patterns.resources.push_back(evaluator.substituted_text(statement, pattern, thing));
      StatementLanguage language = evaluator.language(statement, thing, patterns.depends);
      (deny ? deny_languages : allow_languages).push_back(std::move(language));
      (deny ? permissions.deny : permissions.allow).push_back(std::move(patterns));
    });
  if (permissions.allow.empty() || permissions.deny.empty()) {
    permissions.deny.clear();
    return permissions;
  }
  const policy::AllowDenyVerdicts verdicts = policy::allow_deny_verdicts(allow_languages, deny_languages, &meter);
  for (size_t i = 0; i < permissions.allow.size(); ++i) {
    const policy::LanguageAnswer answer = verdicts.left_of_allow[i];
    permissions.allow[i].left = answer == policy::LanguageAnswer::found   ? StatementPatterns::Left::some
                                : answer == policy::LanguageAnswer::empty ? StatementPatterns::Left::nothing
                                                                          : StatementPatterns::Left::undecided;
  }
  std::vector<StatementPatterns> overlapping;
  for (size_t i = 0; i < permissions.deny.size(); ++i)
    if (verdicts.deny_overlaps[i]) overlapping.push_back(std::move(permissions.deny[i]));
  permissions.deny = std::move(overlapping);
  return permissions;
}

}  // namespace

std::optional<ThingPermissions> what_thing_may(const Snapshot& snapshot, const policy::PolicyReach& reach,
                                               std::string_view thing) {
  const StringId id = snapshot.strings.find(thing);
  if (id == kNoString) return std::nullopt;
  const bool has_principal = std::find(snapshot.thing_principals.thing_name.begin(),
                                       snapshot.thing_principals.thing_name.end(), id) != snapshot.thing_principals.thing_name.end();
  const bool in_group = std::find(snapshot.thing_groups.thing_name.begin(), snapshot.thing_groups.thing_name.end(), id) !=
                        snapshot.thing_groups.thing_name.end();
  if (!has_principal && !in_group) return std::nullopt;

  ThingPermissions permissions{std::string(thing), {}};
  std::vector<uint32_t> certificates;
  for (uint32_t row = 0; row < snapshot.thing_principals.size(); ++row)
    if (snapshot.thing_principals.thing_name[row] == id && snapshot.thing_principals.certificate_row[row] != kNoRow)
      certificates.push_back(snapshot.thing_principals.certificate_row[row]);
  auto certificate_id = [&](uint32_t row) { return snapshot.text(snapshot.certificates.certificate_id[row]); };
  std::sort(certificates.begin(), certificates.end(), [&](uint32_t a, uint32_t b) { return certificate_id(a) < certificate_id(b); });
  certificates.erase(std::unique(certificates.begin(), certificates.end()), certificates.end());

  std::vector<RequestEvaluator> evaluators;
  for (unsigned action = 0; action < policy::kDataPlaneActionCount; ++action)
    evaluators.emplace_back(snapshot.policy_statements, static_cast<DataPlaneAction>(action));
  const std::vector<uint32_t> default_version = default_versions(snapshot);
  policy::CheckWorkBudget budget;
  for (uint32_t row : certificates) {
    CertificatePermissions certificate{row, {}, {}};
    const uint32_t set = reach.set_of_certificate.empty() ? kNoRow : reach.set_of_certificate[row];
    if (set != kNoRow) certificate.policies = reach.policy_sets[set];
    std::sort(certificate.policies.begin(), certificate.policies.end(), [&](uint32_t a, uint32_t b) {
      return snapshot.text(snapshot.policies.name[a]) < snapshot.text(snapshot.policies.name[b]);
    });
    const std::vector<StatementRange> ranges = ranges_of(snapshot, default_version, certificate.policies);
    // One meter for the certificate's policies, every action: a policy past AWS's size limit gets less.
    size_t characters = 0;
    for (const StatementRange& range : ranges)
      characters = std::max(characters, policy::pattern_characters(snapshot.policy_statements, range.first, range.end));
    policy::WorkMeter meter = budget.next(characters > policy::kIotPolicyCharacters ? policy::kOversizedPolicyWorkSteps
                                                                                    : policy::kPolicyWorkSteps);
    for (RequestEvaluator& evaluator : evaluators) {
      ActionPermissions action = permissions_of(snapshot, evaluator, ranges, thing, meter);
      action.action = static_cast<DataPlaneAction>(&evaluator - evaluators.data());
      if (!action.allow.empty()) certificate.actions.push_back(std::move(action));
    }
    budget.spent(meter);
    permissions.certificates.push_back(std::move(certificate));
  }
  return permissions;
}

}  // namespace fleetaudit::access
