// Where a mitigation task's findings come from: this run's audit, or fleetaudit's JSON output.
#include <fmt/format.h>
#include <simdjson.h>

#include "analyzer/load/json_syntax.h"
#include "analyzer/mitigate/mitigation_plan.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

std::vector<MitigationFinding> findings_of(const AuditReport& report) {
  std::vector<MitigationFinding> findings;
  const std::string task_id = audit_task_id(report);
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings)
      findings.push_back({.finding_id = finding_id(*run.check, finding),
                          .task_id = task_id,
                          .check_name = std::string(run.check->name),
                          .severity = to_string(run.check->severity),
                          .resource_type = to_string(finding.resource_type),
                          .resource = finding.resource,
                          .reason_code = finding.reason_code,
                          .message = finding.message,
                          .task_start_time = report.clock,
                          .finding_time = report.clock,
                          .suppressed = finding.suppressed});
  return findings;
}

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr ResourceIdentifier::Kind kIdentifierKinds[] = {
    ResourceIdentifier::Kind::device_certificate_id, ResourceIdentifier::Kind::ca_certificate_id,
    ResourceIdentifier::Kind::cognito_identity_pool_id, ResourceIdentifier::Kind::client_id,
    ResourceIdentifier::Kind::policy_version, ResourceIdentifier::Kind::account,
    ResourceIdentifier::Kind::iam_role_arn, ResourceIdentifier::Kind::role_alias_arn,
};

std::string string_at(object value, std::string_view key) {
  std::string_view text;
  if (value.at_key(key).get_string().get(text)) return {};
  return std::string(text);
}

// A time as fleetaudit writes it (ISO 8601) or as the AWS CLI v1 does (epoch seconds).
EpochMillis time_at(object value, std::string_view key) {
  element field;
  if (value.at_key(key).get(field)) return 0;
  std::string_view text;
  if (!field.get_string().get(text)) return parse_iso8601(text).value_or(0);
  double seconds = 0;
  if (!field.get_double().get(seconds)) return epoch_seconds_to_millis(seconds).value_or(0);
  return 0;
}

std::optional<ResourceIdentifier> identifier_from(object value) {
  for (ResourceIdentifier::Kind kind : kIdentifierKinds) {
    ResourceIdentifier identifier{kind, {}, {}};
    element member;
    if (value.at_key(identifier.member_name()).get(member)) continue;
    if (kind == ResourceIdentifier::Kind::policy_version) {
      object version;
      if (member.get_object().get(version)) return std::nullopt;
      identifier.value = string_at(version, "policyName");
      identifier.version_id = string_at(version, "policyVersionId");
      if (identifier.value.empty() || identifier.version_id.empty()) return std::nullopt;
      return identifier;
    }
    std::string_view text;
    if (member.get_string().get(text) || text.empty()) return std::nullopt;
    identifier.value = std::string(text);
    return identifier;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<MitigationFinding>> parse_findings(std::string_view json_text,
                                                             std::vector<std::string>& errors) {
  simdjson::padded_string padded(json_text);
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(padded).get(root)) {
    if (auto syntax = find_syntax_error(json_text)) {
      TextPosition position = position_of(json_text.data(), syntax->offset);
      errors.push_back(fmt::format("{}:{}: not valid JSON: {}", position.line, position.column, syntax->message));
    } else {
      errors.push_back("not valid JSON");
    }
    return std::nullopt;
  }
  simdjson::dom::array items;
  if (root.at_key("findings").get_array().get(items)) {
    errors.push_back("expected {\"findings\": [AuditFinding…]} (fleetaudit audit --format json)");
    return std::nullopt;
  }
  std::vector<MitigationFinding> findings;
  size_t index = 0;
  for (element item : items) {
    object finding;
    object resource, identifier;
    MitigationFinding parsed;
    if (item.get_object().get(finding)) {
      errors.push_back(fmt::format("findings[{}]: expected an object", index++));
      continue;
    }
    parsed.finding_id = string_at(finding, "findingId");
    parsed.check_name = string_at(finding, "checkName");
    std::optional<ResourceIdentifier> resource_identifier;
    if (!finding.at_key("nonCompliantResource").get_object().get(resource)) {
      parsed.resource_type = string_at(resource, "resourceType");
      if (!resource.at_key("resourceIdentifier").get_object().get(identifier))
        resource_identifier = identifier_from(identifier);
    }
    if (parsed.finding_id.empty() || parsed.check_name.empty() || !resource_identifier) {
      errors.push_back(fmt::format("findings[{}]: needs findingId, checkName and "
                                   "nonCompliantResource.resourceIdentifier",
                                   index++));
      continue;
    }
    parsed.resource = std::move(*resource_identifier);
    parsed.task_id = string_at(finding, "taskId");
    parsed.severity = string_at(finding, "severity");
    parsed.reason_code = string_at(finding, "reasonForNonComplianceCode");
    parsed.message = string_at(finding, "reasonForNonCompliance");
    parsed.task_start_time = time_at(finding, "taskStartTime");
    parsed.finding_time = time_at(finding, "findingTime");
    bool suppressed = false;
    if (!finding.at_key("isSuppressed").get_bool().get(suppressed)) parsed.suppressed = suppressed;
    findings.push_back(std::move(parsed));
    ++index;
  }
  if (!errors.empty()) return std::nullopt;
  return findings;
}

std::string sns_message(const MitigationFinding& finding) {
  JsonWriter json(nullptr, 0);
  json.begin_object();
  json.key("findingId").value(finding.finding_id);
  json.key("taskId").value(finding.task_id);
  json.key("checkName").value(finding.check_name);
  json.key("taskStartTime").value(static_cast<int64_t>(finding.task_start_time));
  json.key("findingTime").value(static_cast<int64_t>(finding.finding_time));
  json.key("severity").value(finding.severity);
  json.key("nonCompliantResource").begin_object();
  json.key("resourceType").value(finding.resource_type);
  json.key("resourceIdentifier").begin_object();
  if (finding.resource.kind == ResourceIdentifier::Kind::policy_version) {
    json.key("policyVersionIdentifier").begin_object();
    json.key("policyName").value(finding.resource.value);
    json.key("policyVersionId").value(finding.resource.version_id);
    json.end_object();
  } else {
    json.key(finding.resource.member_name()).value(finding.resource.value);
  }
  json.end_object();
  json.end_object();
  json.key("reasonForNonComplianceCode").value(finding.reason_code);
  json.key("reasonForNonCompliance").value(finding.message);
  json.end_object();
  std::string text = json.text();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace fleetaudit
