#include <fmt/format.h>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/baseline/drift_report.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/resource_identifier_json.h"
#include "analyzer/util/digest.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

void write_resource_identifier(JsonWriter& json, const ResourceIdentifier& identifier) {
  json.begin_object();
  if (identifier.kind == ResourceIdentifier::Kind::policy_version) {
    json.key("policyVersionIdentifier").begin_object();
    json.key("policyName").value(identifier.value);
    json.key("policyVersionId").value(identifier.version_id);
    json.end_object();
  } else {
    json.key(identifier.member_name()).value(identifier.value);
  }
  json.end_object();
}

std::string audit_task_id(const AuditReport& report) {
  return "fleetaudit-" + sha256_hex(fmt::format("{}\n{}", report.account_id, report.clock)).substr(0, 24);
}

namespace {

void write_additional_info(JsonWriter& json, const AdditionalInfo& info) {
  if (info.empty()) return;
  json.key("additionalInfo").begin_object();
  for (const auto& [name, value] : info) json.key(name).value(value);
  json.end_object();
}

}  // namespace

void write_aws_findings(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  const std::string task_id = audit_task_id(report);
  const std::string clock = format_iso8601(report.clock);
  JsonWriter json(out);
  json.begin_object();
  json.key("findings").begin_array();
  for (size_t r = 0; r < report.runs.size(); ++r) {
    const CheckRun& run = report.runs[r];
    for (size_t f = 0; f < run.findings.size(); ++f) {
      const Finding& finding = run.findings[f];
      json.begin_object();
      json.key("findingId").value(finding_id(*run.check, finding));
      json.key("taskId").value(task_id);
      json.key("checkName").value(run.check->name);
      json.key("taskStartTime").value(clock);
      json.key("findingTime").value(clock);
      json.key("severity").value(to_string(run.check->severity));
      json.key("nonCompliantResource").begin_object();
      json.key("resourceType").value(to_string(finding.resource_type));
      json.key("resourceIdentifier");
      write_resource_identifier(json, finding.resource);
      write_additional_info(json, finding.additional_info);
      json.end_object();
      if (!finding.related.empty()) {
        json.key("relatedResources").begin_array();
        for (const RelatedResource& related : finding.related) {
          json.begin_object();
          json.key("resourceType").value(to_string(related.type));
          json.key("resourceIdentifier");
          write_resource_identifier(json, related.identifier);
          write_additional_info(json, related.additional_info);
          json.end_object();
        }
        json.end_array();
      }
      json.key("reasonForNonCompliance").value(finding.message);
      json.key("reasonForNonComplianceCode").value(finding.reason_code);
      json.key("isSuppressed").value(finding.suppressed);
      if (context.drift != nullptr) write_json_finding_drift(json, context.drift->of(r, f));
      json.end_object();
    }
  }
  json.end_array();
  // Beside the list-audit-findings shape: what makes this report usable as the next --baseline.
  json.key("fleetaudit");
  write_audit_metadata(json, report);
  if (context.drift != nullptr) write_json_drift(json, *context.drift);
  // Beside the findings, each check's verdict: a clean audit and a blind one differ here.
  json.key("auditDetails");
  write_audit_details(json, report);
  json.end_object();
  json.flush();
}

}  // namespace fleetaudit
