#include "analyzer/iam/role_permissions.h"

#include <algorithm>

#include "analyzer/iam/iot_action_classes.h"
#include "analyzer/policy/applicable.h"
#include "analyzer/policy/foreign_access.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::iam {

namespace {

using policy::Glob;

std::string lower_case(std::string_view text) { return ascii_lower(text); }

}  // namespace

const Glob& PatternGlobs::action(StringId pattern) {
  auto found = actions_.find(pattern);
  if (found != actions_.end()) return found->second;
  return actions_.emplace(pattern, Glob::compile(statements_.pattern(pattern), true)).first->second;
}

const Glob& PatternGlobs::resource(StringId pattern) {
  auto found = resources_.find(pattern);
  if (found != resources_.end()) return found->second;
  return resources_.emplace(pattern, Glob::compile(statements_.pattern(pattern))).first->second;
}

const Glob& PatternGlobs::service(StringId pattern) {
  auto found = services_.find(pattern);
  if (found != services_.end()) return found->second;
  std::string_view text = statements_.pattern(pattern);
  return services_.emplace(pattern, Glob::compile(text.substr(0, text.find(':')), true)).first->second;
}

bool PatternGlobs::whole_service(StringId pattern) {
  std::string_view text = statements_.pattern(pattern);
  const size_t colon = text.find(':');
  std::string_view actions = colon == std::string_view::npos ? text : text.substr(colon + 1);
  return !actions.empty() && actions.find_first_not_of('*') == std::string_view::npos;
}

RolePermissions::RolePermissions(PatternGlobs& globs, policy::BreadthEvaluator& breadth, uint32_t first, uint32_t end,
                                 policy::ArnScope where)
    : globs_(globs),
      breadth_(breadth),
      statements_(globs.statements()),
      first_(first),
      end_(end),
      // IAM is global: an IoT resource of the role's account in any region counts.
      scope_{where.partition, "", where.account} {}

bool RolePermissions::statement_matches_action(uint32_t statement, std::string_view action) {
  bool any = false;
  for (StringId pattern : statements_.actions(statement))
    if (globs_.action(pattern).matches(action)) {
      any = true;
      break;
    }
  return statements_.has(statement, policy::kStatementNotAction) ? !any : any;
}

bool RolePermissions::statement_matches_service(uint32_t statement, std::string_view service, bool whole) {
  const bool not_action = statements_.has(statement, policy::kStatementNotAction);
  for (StringId pattern : statements_.actions(statement)) {
    if (!globs_.service(pattern).matches(service)) continue;
    if (!not_action && (!whole || globs_.whole_service(pattern))) return true;
    // NotAction: an excluded pattern in the service removes all of it (whole) or only part of it.
    if (not_action && (whole || globs_.whole_service(pattern))) return false;
  }
  return not_action;
}

template <class Matches>
std::vector<uint32_t> RolePermissions::statements_where(bool deny, Matches&& matches) {
  return policy::applicable(statements_, first_, end_, [&](uint32_t statement) {
    return statements_.has(statement, policy::kStatementDeny) == deny && matches(statement);
  });
}

// Some resource of `family` that one of `allows` admits and no Deny of `denies` does, decided by
// the one exact policy model. Too complex to decide counts as allowed: these checks report, and a
// grant nobody can bound is no proof of safety.
bool RolePermissions::allowed_not_denied(std::span<const uint32_t> allows, std::span<const uint32_t> denies,
                                         policy::ResourceFamily family) {
  if (allows.empty()) return false;
  return breadth_.admits_some(allows, denies, family, scope_) != policy::LanguageAnswer::empty;
}

bool RolePermissions::action_allowed_somewhere(std::string_view action) {
  auto matches = [&](uint32_t statement) { return statement_matches_action(statement, action); };
  return allowed_not_denied(statements_where(false, matches), statements_where(true, matches),
                            policy::ResourceFamily::any_resource);
}

// Broadly: on a thing that is not named in full (thing/*, not thing/MyThing1 or thing/MyThing*).
bool RolePermissions::action_allowed_on_things_broadly(std::string_view action) {
  auto matches = [&](uint32_t statement) { return statement_matches_action(statement, action); };
  return allowed_not_denied(statements_where(false, matches), statements_where(true, matches),
                            policy::ResourceFamily::thing_record);
}

IotAdminAccess RolePermissions::iot_admin_access() {
  // The catalogue, then any other concrete iot action the role names (a newer API, say).
  std::vector<std::string> candidates;
  for (std::string_view known : known_iot_actions()) candidates.push_back("iot:" + std::string(known));
  for (uint32_t statement = first_; statement < end_; ++statement) {
    if (statements_.has(statement, policy::kStatementDeny)) continue;
    for (StringId pattern : statements_.actions(statement)) {
      std::string_view text = statements_.pattern(pattern);
      if (text.size() <= 4 || lower_case(text.substr(0, 4)) != "iot:" ||
          text.find_first_of("*?") != std::string_view::npos)
        continue;
      const std::string lowered = lower_case(text);
      bool known = std::any_of(candidates.begin(), candidates.end(),
                               [&](const std::string& candidate) { return lower_case(candidate) == lowered; });
      if (!known) candidates.push_back("iot:" + std::string(text.substr(4)));
    }
  }

  IotAdminAccess access;
  for (const std::string& action : candidates) {
    const IotActionClass action_class = iot_action_class(std::string_view(action).substr(4));
    if (action_class == IotActionClass::data_plane || !action_allowed_somewhere(action)) continue;
    switch (action_class) {
      case IotActionClass::thing_admin_write: access.thing_admin_write.push_back(action); break;
      case IotActionClass::thing_admin_read:
        access.thing_admin_read.push_back(action);
        if (action_allowed_on_things_broadly(action)) access.broad_thing_admin_read.push_back(action);
        break;
      case IotActionClass::non_thing_admin: access.non_thing_admin.push_back(action); break;
      case IotActionClass::data_plane: break;
    }
  }
  return access;
}

bool RolePermissions::grants_service(std::string_view service) {
  auto in_service = [&](uint32_t statement) { return statement_matches_service(statement, service, false); };
  for (uint32_t allow : statements_where(false, in_service)) {
    const bool not_action = statements_.has(allow, policy::kStatementNotAction);
    // A Deny takes the grant back when it names the whole service, or covers every action pattern
    // the Allow names in it.
    auto covers_actions = [&](uint32_t deny) {
      if (statement_matches_service(deny, service, true)) return true;
      if (not_action || statements_.has(deny, policy::kStatementNotAction)) return false;
      for (StringId allowed : statements_.actions(allow)) {
        if (!globs_.service(allowed).matches(service)) continue;
        bool covered = false;
        for (StringId denied_action : statements_.actions(deny))
          covered = covered || policy::pattern_covers(globs_.action(denied_action), globs_.action(allowed));
        if (!covered) return false;
      }
      return true;
    };
    const uint32_t allows[] = {allow};
    if (allowed_not_denied(allows, statements_where(true, covers_actions), policy::ResourceFamily::any_resource))
      return true;
  }
  return false;
}

bool RolePermissions::grants_whole_service(std::string_view service) {
  auto whole = [&](uint32_t statement) { return statement_matches_service(statement, service, true); };
  // Any unconditional Deny in the service on the same resources leaves the grant short of admin.
  auto in_service = [&](uint32_t statement) { return statement_matches_service(statement, service, false); };
  const std::vector<uint32_t> denies = statements_where(true, in_service);
  for (uint32_t allow : statements_where(false, whole)) {
    const uint32_t allows[] = {allow};
    if (allowed_not_denied(allows, denies, policy::ResourceFamily::any_resource)) return true;
  }
  return false;
}

std::vector<std::string> RolePermissions::named_services() {
  std::vector<std::string> services;
  for (uint32_t statement = first_; statement < end_; ++statement) {
    if (statements_.has(statement, policy::kStatementDeny) || statements_.has(statement, policy::kStatementNotAction))
      continue;
    for (StringId pattern : statements_.actions(statement)) {
      std::string_view text = statements_.pattern(pattern);
      const size_t colon = text.find(':');
      if (colon == std::string_view::npos || colon == 0) continue;
      std::string_view service = text.substr(0, colon);
      if (service.find_first_of("*?$") != std::string_view::npos) continue;
      services.push_back(lower_case(service));
    }
  }
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());
  return services;
}

}  // namespace fleetaudit::iam
