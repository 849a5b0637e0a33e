#include "analyzer/report/sarif_evidence.h"

#include <fmt/format.h>

namespace fleetaudit {

namespace {

void write_logical(JsonWriter& json, const std::string& name, const char* kind) {
  json.key("logicalLocations").begin_array().begin_object();
  json.key("fullyQualifiedName").value(name).key("kind").value(kind);
  json.end_object().end_array();
}

void write_optional(JsonWriter& json, const char* key, const std::string& text) {
  if (!text.empty()) json.key(key).value(text);
}

// A statement as "<the policy's logical name>/statement/N"; another policy's by its name.
void write_statement(JsonWriter& json, const Finding& finding, const StatementEvidence& statement) {
  const std::string& policy = statement.policy.empty() ? finding.logical_name : statement.policy;
  write_logical(json, fmt::format("{}/statement/{}", policy, statement.number), "member");
  json.key("properties").begin_object();
  json.key("evidence").value(to_string(statement.kind));
  write_optional(json, "policyName", statement.policy);
  json.key("statement").value(statement.number);
  write_optional(json, "sid", statement.sid);
  write_optional(json, "resource", statement.resource);
  write_optional(json, "action", statement.action);
  write_optional(json, statement.kind == StatementEvidence::Kind::grants ? "witness" : "filter", statement.witness);
  write_optional(json, "topic", statement.topic);
  if (statement.through != 0) json.key("bypassedThroughStatement").value(statement.through);
  json.end_object();
}

void write_role(JsonWriter& json, const RoleEvidence& role) {
  write_logical(json, role.role_arn, "resource");
  json.key("properties").begin_object();
  json.key("evidence").value(to_string(role.use));
  write_optional(json, "provider", role.provider);
  json.end_object();
}

}  // namespace

void write_sarif_evidence(JsonWriter& json, const Finding& finding) {
  if (finding.evidence.empty()) return;
  json.key("relatedLocations").begin_array();
  size_t id = 0;
  for (const StatementEvidence& statement : finding.evidence.statements) {
    json.begin_object().key("id").value(id++);
    write_statement(json, finding, statement);
    json.end_object();
  }
  for (const RoleEvidence& role : finding.evidence.roles) {
    json.begin_object().key("id").value(id++);
    write_role(json, role);
    json.end_object();
  }
  json.end_array();
}

}  // namespace fleetaudit
