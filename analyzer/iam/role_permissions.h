#pragma once
// What an IAM role's policies allow, evaluated as IAM does: Action/NotAction, Resource/NotResource,
// case-insensitive action globs, and an explicit Deny beating any Allow. Conditions narrow a grant
// in ways the snapshot cannot tell, so an Allow with a Condition still counts and a Deny with one
// is not credited (the same stance as the IoT policy check).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/glob.h"
#include "analyzer/policy/statement_table.h"

namespace fleetaudit::iam {

// Compiled globs of a statement table's patterns, shared by every role evaluated from it.
class PatternGlobs {
public:
  explicit PatternGlobs(const policy::PolicyStatementTable& statements) : statements_(statements) {}
  const policy::PolicyStatementTable& statements() const { return statements_; }
  const policy::Glob& action(StringId pattern);    // case-insensitive
  const policy::Glob& resource(StringId pattern);  // case-sensitive
  // The service part of an action pattern ("iot" of "IoT:Get*"; "*" for "*"), case-insensitive.
  const policy::Glob& service(StringId pattern);
  // Whether the action pattern names every action of the services it matches ("iot:*", "*").
  bool whole_service(StringId pattern);

private:
  const policy::PolicyStatementTable& statements_;
  std::unordered_map<StringId, policy::Glob> actions_, resources_, services_;
};

// The IoT control-plane actions a role grants, by class, as "iot:Name" texts.
struct IotAdminAccess {
  std::vector<std::string> thing_admin_write;       // on any resource
  std::vector<std::string> thing_admin_read;        // on any resource, even a single thing
  std::vector<std::string> broad_thing_admin_read;  // on things in general (thing/*), not a listed few
  std::vector<std::string> non_thing_admin;         // on any resource
};

class RolePermissions {
public:
  // The role's statements are [first, end) of the table behind `globs` and `breadth`; `where` is
  // the partition and account its IoT resources are matched in (any region: IAM is global).
  RolePermissions(PatternGlobs& globs, policy::BreadthEvaluator& breadth, uint32_t first, uint32_t end,
                  policy::ArnScope where);

  IotAdminAccess iot_admin_access();
  // Some action of the service is allowed on some resource.
  bool grants_service(std::string_view service);
  // Every action of the service is allowed (an admin wildcard such as "dynamodb:*" or "*").
  bool grants_whole_service(std::string_view service);
  // The services named literally in Allow action patterns, lower case, sorted, distinct.
  std::vector<std::string> named_services();

private:
  bool action_allowed_somewhere(std::string_view action);  // a concrete "iot:Name"
  bool action_allowed_on_things_broadly(std::string_view action);
  bool statement_matches_action(uint32_t statement, std::string_view action);
  bool statement_matches_service(uint32_t statement, std::string_view service, bool whole);
  // The role's Allow (or unconditional Deny) statements for which `matches` holds.
  template <class Matches>
  std::vector<uint32_t> statements_where(bool deny, Matches&& matches);
  bool allowed_not_denied(std::span<const uint32_t> allows, std::span<const uint32_t> denies,
                          policy::ResourceFamily family);

  PatternGlobs& globs_;
  policy::BreadthEvaluator& breadth_;
  const policy::PolicyStatementTable& statements_;
  uint32_t first_, end_;
  policy::ArnScope scope_;
};

}  // namespace fleetaudit::iam
