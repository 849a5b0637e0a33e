#include "analyzer/report/evidence_json.h"

namespace fleetaudit {

// ASFF's names say what the JSON report's terse ones count: "number" is the statement's, "through"
// the bypassing statement's.
EvidenceMembers::EvidenceMembers(const StatementEvidence& statement) {
  add_text("kind", "Kind", to_string(statement.kind), true);
  add_text("policy", "Policy", statement.policy);
  add_number("number", "Statement", statement.number);
  add_text("sid", "Sid", statement.sid);
  add_text("resource", "Resource", statement.resource);
  add_text("action", "Action", statement.action);
  add_text("witness", "Witness", statement.witness);
  add_text("topic", "Topic", statement.topic);
  if (statement.through != 0) add_number("through", "ThroughStatement", statement.through);
}

EvidenceMembers::EvidenceMembers(const RoleEvidence& role) {
  add_text("use", "Use", to_string(role.use), true);
  add_text("roleArn", "RoleArn", role.role_arn, true);
  add_text("provider", "Provider", role.provider);
}

void EvidenceMembers::add_text(std::string_view json_name, std::string_view field_name, std::string_view text,
                               bool always) {
  if (text.empty() && !always) return;
  members_[count_++] = EvidenceMember{json_name, field_name, text};
}

void EvidenceMembers::add_number(std::string_view json_name, std::string_view field_name, uint32_t number) {
  members_[count_++] = EvidenceMember{json_name, field_name, {}, number, true};
}

namespace {

template <typename Evidence>
void write_members(JsonWriter& json, const Evidence& evidence) {
  json.begin_object();
  for (const EvidenceMember& member : EvidenceMembers(evidence)) {
    json.key(member.json_name);
    if (member.is_number) json.value(static_cast<int64_t>(member.number));
    else json.value(member.text);
  }
  json.end_object();
}

}  // namespace

void write_evidence_json(JsonWriter& json, const Evidence& evidence) {
  json.key("evidence").begin_object();
  if (!evidence.statements.empty()) {
    json.key("statements").begin_array();
    for (const StatementEvidence& statement : evidence.statements) write_members(json, statement);
    json.end_array();
  }
  if (!evidence.roles.empty()) {
    json.key("roles").begin_array();
    for (const RoleEvidence& role : evidence.roles) write_members(json, role);
    json.end_array();
  }
  json.end_object();
}

}  // namespace fleetaudit
