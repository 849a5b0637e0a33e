#include "analyzer/report/evidence_json.h"

namespace fleetaudit {

void write_evidence_json(JsonWriter& json, const Evidence& evidence) {
  json.key("evidence").begin_object();
  if (!evidence.statements.empty()) {
    json.key("statements").begin_array();
    for (const StatementEvidence& statement : evidence.statements) {
      json.begin_object();
      json.key("kind").value(to_string(statement.kind));
      // Only what is there: most members belong to one kind.
      auto text = [&](const char* key, const std::string& value) {
        if (!value.empty()) json.key(key).value(value);
      };
      text("policy", statement.policy);
      json.key("number").value(static_cast<int64_t>(statement.number));
      text("sid", statement.sid);
      text("resource", statement.resource);
      text("action", statement.action);
      text("witness", statement.witness);
      text("topic", statement.topic);
      if (statement.through != 0) json.key("through").value(static_cast<int64_t>(statement.through));
      json.end_object();
    }
    json.end_array();
  }
  if (!evidence.roles.empty()) {
    json.key("roles").begin_array();
    for (const RoleEvidence& role : evidence.roles) {
      json.begin_object();
      json.key("use").value(to_string(role.use));
      json.key("roleArn").value(role.role_arn);
      if (!role.provider.empty()) json.key("provider").value(role.provider);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

}  // namespace fleetaudit
