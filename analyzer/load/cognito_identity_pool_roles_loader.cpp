#include <string>
#include <vector>

#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

struct PendingPoolRole {
  IdentityPoolRoleTable::Kind kind;
  StringId role_arn;
  StringId provider;
  uint64_t source;
  StringId json_path;
};

using Kind = IdentityPoolRoleTable::Kind;

// Reads the roles of one record into `pending`.
struct PoolRoleReader {
  FileReader& file;
  RecordReader& record;
  Snapshot& snapshot;
  std::vector<PendingPoolRole>& pending;

  void role(ondemand::value value, const JsonPath& path, Kind kind, StringId provider) {
    const char* at = location_of(value);
    if (auto arn = record.string(value, path))
      pending.push_back(
          {kind, snapshot.strings.intern(*arn), provider, file.offset_of(at), snapshot.strings.intern(path.render())});
  }

  // Roles: the pool's authenticated and unauthenticated roles.
  void pool_roles(ondemand::value value) {
    auto roles = record.object(value, record.path("Roles"));
    if (!roles) return;
    for_each_field(record, *roles, record.path("Roles"), [&](std::string_view role_key, ondemand::value v) {
      if (role_key == "authenticated") {
        role(v, record.path("Roles.authenticated"), Kind::authenticated, kNoString);
      } else if (role_key == "unauthenticated") {
        role(v, record.path("Roles.unauthenticated"), Kind::unauthenticated, kNoString);
      } else {
        record.consume(v, record.path("Roles"));
      }
    });
  }

  // RulesConfiguration.Rules of one provider's mapping: each rule's RoleARN.
  void rules(ondemand::value value, const std::string& rules_path, StringId provider) {
    auto list = record.array(value, record.path(rules_path));
    if (!list) return;
    for_each_element(record, *list, record.path(rules_path), [&](int64_t index, ondemand::value element) {
      auto rule = record.object(element, record.path(rules_path, index));
      if (!rule) return;
      bool has_role = false;
      for_each_field(record, *rule, record.path(rules_path, index), [&](std::string_view rule_key, ondemand::value r) {
        if (rule_key == "RoleARN") {
          has_role = true;
          role(r, record.path(rules_path, index, "RoleARN"), Kind::mapped, provider);
        } else {
          record.consume(r, record.path(rules_path, index, rule_key));
        }
      });
      if (!record.broken() && !has_role)
        record.fail_at(location_of(element), record.path(rules_path, index, "RoleARN"),
                       "missing required field RoleARN");
    });
  }

  // RoleMappings[provider_key]: only its rules' roles matter.
  void mapping(std::string_view provider_key, ondemand::value value) {
    const StringId provider = snapshot.strings.intern(provider_key);
    const std::string mapping_path = "RoleMappings." + std::string(snapshot.text(provider));
    auto mapping = record.object(value, record.path(mapping_path));
    if (!mapping) return;
    for_each_field(record, *mapping, record.path(mapping_path), [&](std::string_view mapping_key, ondemand::value m) {
      if (mapping_key != "RulesConfiguration") {
        record.consume(m, record.path(mapping_path + "." + std::string(mapping_key)));
        return;
      }
      const std::string rules_path = mapping_path + ".RulesConfiguration.Rules";
      auto configuration = record.object(m, record.path(mapping_path + ".RulesConfiguration"));
      if (!configuration) return;
      for_each_field(record, *configuration, record.path(mapping_path + ".RulesConfiguration"),
                     [&](std::string_view configuration_key, ondemand::value c) {
                       if (configuration_key != "Rules") {
                         record.consume(c, record.path(rules_path));
                         return;
                       }
                       rules(c, rules_path, provider);
                     });
    });
  }
};

}  // namespace

// cognito-identity-pool-roles.json: `aws cognito-identity get-identity-pool-roles`, once per
// pool. The roles of rule-based role mappings are read too: they are handed to authenticated
// identities just like the pool's authenticated role.
bool load_cognito_identity_pool_roles(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  std::vector<PendingPoolRole> pending;
  return for_each_record(file, parser, "identityPoolRoles", [&](RecordReader& record, ondemand::object object) {
    pending.clear();
    StringId pool = kNoString;
    PoolRoleReader reader{file, record, snapshot, pending};
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "IdentityPoolId") {
        if (auto id = record.string(value, record.path("IdentityPoolId"))) pool = snapshot.strings.intern(*id);
      } else if (key == "Roles") {
        reader.pool_roles(value);
      } else if (key == "RoleMappings") {
        auto mappings = record.object(value, record.path("RoleMappings"));
        if (!mappings) return;
        for_each_field(record, *mappings, record.path("RoleMappings"),
                       [&](std::string_view provider_key, ondemand::value v) { reader.mapping(provider_key, v); });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && pool == kNoString) record.fail(record.path("IdentityPoolId"), "missing required field IdentityPoolId");
    if (!record.ok()) return;
    IdentityPoolRoleTable& table = snapshot.iam.pool_roles;
    for (const PendingPoolRole& role : pending) {
      table.pool_id.push_back(pool);
      table.kind.push_back(role.kind);
      table.role_arn.push_back(role.role_arn);
      table.provider.push_back(role.provider);
      table.role_row.push_back(UINT32_MAX);
      table.source.push_back(role.source);
      table.json_path.push_back(role.json_path);
    }
  });
}

}  // namespace fleetaudit::load
