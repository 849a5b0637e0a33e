#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/drift_report.h"
#include "analyzer/report/evidence_json.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/resource_identifier_json.h"
#include "analyzer/util/digest.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/ordered_chunks.h"

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

std::vector<std::pair<uint32_t, uint32_t>> findings_in_report_order(const AuditReport& report) {
  std::vector<std::pair<uint32_t, uint32_t>> order;  // (run, finding)
  for (size_t r = 0; r < report.runs.size(); ++r)
    for (size_t f = 0; f < report.runs[r].findings.size(); ++f)
      order.emplace_back(static_cast<uint32_t>(r), static_cast<uint32_t>(f));
  return order;
}

namespace {

void write_additional_info(JsonWriter& json, const AdditionalInfo& info) {
  if (info.empty()) return;
  json.key("additionalInfo").begin_object();
  for (const auto& [name, value] : info) json.key(name).value(value);
  json.end_object();
}

// One AuditFinding object, as `aws iot list-audit-findings` prints it.
void write_finding(JsonWriter& json, const ReportContext& context, size_t run_index, size_t finding_index,
                   const std::string& task_id, const std::string& clock) {
  const CheckRun& run = context.report.runs[run_index];
  thread_local Finding scratch;  // a row's words, reused by each finding this thread writes
  const Finding& finding = run.findings.view(finding_index, scratch);
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
  // Beside the AuditFinding shape: whose finding it is, and what the other formats need, so that
  // `fleetaudit merge` renders any format from JSON reports alone.
  json.key("accountId").value(context.report.account_id);
  json.key("region").value(context.report.region);
  if (!context.snapshot_identity.empty()) json.key("snapshot").value(context.snapshot_identity);
  if (!finding.suppression_description.empty())
    json.key("suppressionDescription").value(finding.suppression_description);
  if (!finding.logical_name.empty()) json.key("logicalName").value(finding.logical_name);
  if (finding.location.file != SnapshotFile::count) {
    json.key("sourceLocation").begin_object();
    json.key("file").value(file_name(finding.location.file));
    json.key("offset").value(static_cast<int64_t>(finding.location.offset));
    json.end_object();
  }
  if (!finding.evidence.empty()) write_evidence_json(json, finding.evidence);
  if (context.drift != nullptr) write_json_finding_drift(json, context.drift->of(run_index, finding_index));
  json.end_object();
}

}  // namespace

void write_aws_finding_elements(JsonWriter& json, const ReportContext& context, bool after_others) {
  const AuditReport& report = context.report;
  const std::string task_id = audit_task_id(report);
  const std::string clock = format_iso8601(report.clock);
  // Findings are formatted a chunk at a time on every core and written in order, as SARIF's
  // results are: hundreds of thousands of findings make most of the report's time.
  const std::vector<std::pair<uint32_t, uint32_t>> order = findings_in_report_order(report);
  format_chunks_in_order<JsonWriter>(
      order.size(), [&](JsonWriter& part, size_t first) { part.continue_from(json, after_others || first > 0); },
      [&](JsonWriter& part, size_t i) {
        write_finding(part, context, order[i].first, order[i].second, task_id, clock);
      },
      [&](const JsonWriter& part) {
        json.append(part);
        return true;
      });
}

void write_aws_findings(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  JsonWriter json(out);
  json.begin_object();
  json.key("findings").begin_array();
  write_aws_finding_elements(json, context, false);
  json.end_array();
  // Beside the list-audit-findings shape: what makes this report usable as the next --baseline.
  json.key("fleetaudit");
  write_audit_metadata(json, report, context.snapshot_directory);
  if (context.drift != nullptr) write_json_drift(json, *context.drift);
  // Beside the findings, each check's verdict: a clean audit and a blind one differ here.
  json.key("auditDetails");
  write_audit_details(json, report);
  json.end_object();
  json.flush();
}

}  // namespace fleetaudit
