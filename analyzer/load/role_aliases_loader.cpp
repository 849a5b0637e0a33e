#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

// role-aliases.json: `aws iot describe-role-alias`, once per alias (the roleAliasDescription
// objects, gathered).
bool load_role_aliases(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  RoleAliasTable& table = snapshot.iam.role_aliases;
  return for_each_record(file, parser, "roleAliasDescriptions", [&](RecordReader& record, ondemand::object object) {
    StringId alias = kNoString, alias_arn = kNoString, role_arn = kNoString;
    uint64_t role_at = 0;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "roleAlias") {
        if (auto text = record.string(value, record.path("roleAlias"))) alias = snapshot.strings.intern(*text);
      } else if (key == "roleAliasArn") {
        if (auto text = record.string(value, record.path("roleAliasArn"))) alias_arn = snapshot.strings.intern(*text);
      } else if (key == "roleArn") {
        role_at = file.offset_of(location_of(value));
        if (auto text = record.string(value, record.path("roleArn"))) role_arn = snapshot.strings.intern(*text);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && alias == kNoString) record.fail(record.path("roleAlias"), "missing required field roleAlias");
    if (record.ok() && role_arn == kNoString) record.fail(record.path("roleArn"), "missing required field roleArn");
    if (!record.ok()) return;
    table.alias.push_back(alias);
    table.alias_arn.push_back(alias_arn);
    table.role_arn.push_back(role_arn);
    table.role_row.push_back(UINT32_MAX);
    table.source.push_back(role_at);
    table.json_path.push_back(snapshot.strings.intern(record.path("roleArn").render()));
  });
}

}  // namespace fleetaudit::load
