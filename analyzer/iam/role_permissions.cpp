#include "analyzer/iam/role_permissions.h"

#include <algorithm>

#include "analyzer/iam/iot_action_classes.h"

namespace fleetaudit::iam {

namespace {

using policy::Glob;
using policy::StatementFlag;

std::string lower_case(std::string_view text) {
  std::string result(text);
  for (char& c : result)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return result;
}

bool has_fresh_name(std::string_view text) { return text.find('\0') != std::string_view::npos; }

bool glob_matches(const Glob& glob, std::string_view subject) {
  return has_fresh_name(subject) ? policy::glob_reaches(glob, subject) : glob.matches(subject);
}

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

RolePermissions::RolePermissions(PatternGlobs& globs, uint32_t first, uint32_t end, policy::ArnContext where)
    : globs_(globs), statements_(globs.statements()), first_(first), end_(end) {
  const std::string prefix = "arn:" + where.partition + ":iot:" + where.region + ":" + where.account + ":thing/";
  thing_prefix_ = prefix;
  thing_probe_ = prefix + std::string(policy::kFreshName);
  any_thing_ = Glob::compile(prefix + "*");
  everything_ = Glob::compile("*");
}

bool RolePermissions::statement_matches_action(uint32_t statement, std::string_view action) {
  bool any = false;
  for (StringId pattern : statements_.actions(statement))
    if (glob_matches(globs_.action(pattern), action)) {
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

bool RolePermissions::deny_covers(uint32_t deny, const Glob& allow) {
  if (statements_.has(deny, policy::kStatementNotResource)) {
    for (StringId pattern : statements_.resources(deny))
      if (policy::globs_overlap(globs_.resource(pattern), allow)) return false;
    return true;
  }
  for (StringId pattern : statements_.resources(deny))
    if (policy::glob_covers(globs_.resource(pattern), allow)) return true;
  return false;
}

// Whether the Deny's resources take in every thing ARN of this account and region: a pattern
// that matches the "…:thing/" prefix with its trailing * removed (e.g. arn:aws:iot:*:ACCOUNT:thing/*).
bool RolePermissions::deny_covers_all_things(uint32_t deny) {
  if (statements_.has(deny, policy::kStatementNotResource)) return deny_covers(deny, any_thing_);
  for (StringId pattern : statements_.resources(deny)) {
    std::string_view text = statements_.pattern(pattern);
    if (text.empty() || text.back() != '*') continue;
    const size_t head = text.find_last_not_of('*');
    if (head == std::string_view::npos) return true;  // "*"
    if (Glob::compile(text.substr(0, head + 1)).matches(thing_prefix_)) return true;
  }
  return false;
}

template <class Matches>
bool RolePermissions::denied(Matches&& matches, StringId allow_resource) {
  const Glob& allow = allow_resource == kNoString ? everything_ : globs_.resource(allow_resource);
  for (uint32_t deny = first_; deny < end_; ++deny) {
    const uint8_t flags = statements_.flags(deny);
    if (!(flags & policy::kStatementDeny) || (flags & policy::kStatementHasCondition)) continue;
    if (matches(deny) && deny_covers(deny, allow)) return true;
  }
  return false;
}

bool RolePermissions::action_allowed_somewhere(std::string_view action) {
  auto matches = [&](uint32_t deny) { return statement_matches_action(deny, action); };
  for (uint32_t allow = first_; allow < end_; ++allow) {
    if (statements_.has(allow, policy::kStatementDeny) || !statement_matches_action(allow, action)) continue;
    if (statements_.has(allow, policy::kStatementNotResource)) {
      if (!denied(matches, kNoString)) return true;
      continue;
    }
    for (StringId resource : statements_.resources(allow))
      if (!denied(matches, resource)) return true;
  }
  return false;
}

bool RolePermissions::action_allowed_on_things_broadly(std::string_view action) {
  auto matches = [&](uint32_t deny) { return statement_matches_action(deny, action); };
  // A Deny on every thing takes back any grant, however it is written.
  for (uint32_t deny = first_; deny < end_; ++deny) {
    const uint8_t flags = statements_.flags(deny);
    if ((flags & policy::kStatementDeny) && !(flags & policy::kStatementHasCondition) && matches(deny) &&
        deny_covers_all_things(deny))
      return false;
  }
  for (uint32_t allow = first_; allow < end_; ++allow) {
    if (statements_.has(allow, policy::kStatementDeny) || !statement_matches_action(allow, action)) continue;
    if (statements_.has(allow, policy::kStatementNotResource)) {
      bool excluded = false;
      for (StringId resource : statements_.resources(allow))
        excluded = excluded || policy::glob_reaches(globs_.resource(resource), thing_probe_);
      if (!excluded && !denied(matches, kNoString)) return true;
      continue;
    }
    for (StringId resource : statements_.resources(allow))
      if (policy::glob_reaches(globs_.resource(resource), thing_probe_) && !denied(matches, resource)) return true;
  }
  return false;
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
  for (uint32_t allow = first_; allow < end_; ++allow) {
    if (statements_.has(allow, policy::kStatementDeny) || !statement_matches_service(allow, service, false)) continue;
    const bool not_action = statements_.has(allow, policy::kStatementNotAction);
    // A Deny takes the grant back when it names the whole service, or every action pattern the
    // Allow names in it.
    auto matches = [&](uint32_t deny) {
      if (statement_matches_service(deny, service, true)) return true;
      if (not_action || statements_.has(deny, policy::kStatementNotAction)) return false;
      for (StringId allowed : statements_.actions(allow)) {
        if (!globs_.service(allowed).matches(service)) continue;
        bool covered = false;
        for (StringId denied_action : statements_.actions(deny))
          covered = covered || policy::glob_covers(globs_.action(denied_action), globs_.action(allowed));
        if (!covered) return false;
      }
      return true;
    };
    if (statements_.has(allow, policy::kStatementNotResource)) {
      if (!denied(matches, kNoString)) return true;
      continue;
    }
    for (StringId resource : statements_.resources(allow))
      if (!denied(matches, resource)) return true;
  }
  return false;
}

bool RolePermissions::grants_whole_service(std::string_view service) {
  auto matches = [&](uint32_t deny) { return statement_matches_service(deny, service, false); };
  for (uint32_t allow = first_; allow < end_; ++allow) {
    if (statements_.has(allow, policy::kStatementDeny) || !statement_matches_service(allow, service, true)) continue;
    // Any unconditional Deny in the service on the same resources leaves the grant short of admin.
    if (statements_.has(allow, policy::kStatementNotResource)) {
      if (!denied(matches, kNoString)) return true;
      continue;
    }
    for (StringId resource : statements_.resources(allow))
      if (!denied(matches, resource)) return true;
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
