// OCSF 1.6 Compliance Finding events (class_uid 2003, category Findings), one JSON object a line:
// one event per finding (Fail; with --baseline, a Close event for each finding fixed since) and one
// per check carrying its verdict (Pass, Fail, Warning for not run, Other for incomplete or disabled).
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/aws_vocabulary.h"
#include "analyzer/report/evidence_json.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/ordered_chunks.h"

namespace fleetaudit {

namespace {

constexpr int kClassUid = 2003;  // Compliance Finding
enum Activity : int { kCreate = 1, kUpdate = 2, kClose = 3 };

struct OcsfAudit {
  const AuditReport& report;
  std::string_view partition;
  bool with_baseline = false;
};

const char* activity_name(int activity) {
  return activity == kCreate ? "Create" : activity == kUpdate ? "Update" : "Close";
}

std::pair<int, const char*> ocsf_severity(std::string_view label) {
  if (label == "CRITICAL") return {5, "Critical"};
  if (label == "HIGH") return {4, "High"};
  if (label == "MEDIUM") return {3, "Medium"};
  if (label == "LOW") return {2, "Low"};
  return {1, "Informational"};
}

// The attributes every event of the class carries (base event, finding, cloud profile).
void write_event_head(JsonWriter& json, const OcsfAudit& audit, int activity, std::string_view severity_label) {
  json.key("activity_id").value(activity);
  json.key("activity_name").value(activity_name(activity));
  json.key("category_uid").value(2);
  json.key("category_name").value("Findings");
  json.key("class_uid").value(kClassUid);
  json.key("class_name").value("Compliance Finding");
  json.key("type_uid").value(kClassUid * 100 + activity);
  json.key("type_name").value(fmt::format("Compliance Finding: {}", activity_name(activity)));
  json.key("time").value(static_cast<int64_t>(audit.report.clock));
  const auto [severity_id, severity] = ocsf_severity(severity_label);
  json.key("severity_id").value(severity_id);
  json.key("severity").value(severity);
  json.key("metadata").begin_object();
  json.key("version").value("1.6.0");
  json.key("product").begin_object();
  json.key("name").value("fleetaudit").key("vendor_name").value("fleetaudit").key("version").value(FLEETAUDIT_VERSION);
  json.end_object();
  json.key("profiles").begin_array().value("cloud").end_array();
  json.end_object();
  json.key("cloud").begin_object();
  json.key("provider").value("AWS");
  json.key("region").value(audit.report.region);
  json.key("account").begin_object().key("uid").value(audit.report.account_id);
  json.key("type_id").value(10).key("type").value("AWS Account").end_object();
  json.end_object();
}

void write_analytic(JsonWriter& json, const CheckInfo& check) {
  json.key("analytic").begin_object();
  json.key("uid").value(check.name).key("name").value(check.name);
  json.key("type_id").value(1).key("type").value("Rule");
  json.key("desc").value(check.short_description);
  json.end_object();
}

void write_compliance(JsonWriter& json, const CheckInfo& check, int status_id, std::string_view status,
                      std::string_view code, std::string_view detail) {
  json.key("compliance").begin_object();
  json.key("control").value(check.name);
  json.key("standards").begin_array();
  json.value(check.fleetaudit_own ? "fleetaudit" : "AWS IoT Device Defender Audit");
  json.end_array();
  json.key("status_id").value(status_id).key("status").value(status);
  if (!code.empty()) json.key("status_code").value(code);
  if (!detail.empty()) json.key("status_detail").value(detail);
  json.end_object();
}

void write_resource(JsonWriter& json, const OcsfAudit& audit, std::string_view type, const ResourceIdentifier& id,
                    std::string_view logical_name, const AdditionalInfo* info) {
  json.begin_object();
  json.key("type").value(type);
  json.key("uid").value(id.value);
  json.key("name").value(resource_display_name(id));
  json.key("region").value(audit.report.region);
  json.key("cloud_partition").value(audit.partition);
  const bool policy = id.kind == ResourceIdentifier::Kind::policy_version;
  const bool arn = logical_name.starts_with("arn:") && logical_name != id.value;
  if (policy || arn || (info != nullptr && !info->empty())) {
    json.key("data").begin_object();
    if (policy) json.key("policyVersionId").value(id.version_id);
    if (arn) json.key("arn").value(logical_name);
    if (info != nullptr)
      for (const auto& [name, value] : *info) json.key(name).value(value);
    json.end_object();
  }
  json.end_object();
}

// What one finding event says; from a finding of this audit or one of the baseline that is gone.
struct OcsfFinding {
  const CheckInfo* check = nullptr;
  std::string_view resource_type, reason_code, message, finding_id, logical_name, suppression;
  const ResourceIdentifier* resource = nullptr;
  const AdditionalInfo* additional_info = nullptr;
  const std::vector<RelatedResource>* related = nullptr;
  const Evidence* evidence = nullptr;  // null for a finding of the baseline that is gone
  bool suppressed = false, fixed = false;
  int activity = kCreate;
  EpochMillis first_detected = 0;
};

void write_finding_event(JsonWriter& json, const OcsfAudit& audit, const OcsfFinding& finding) {
  json.begin_object();
  write_event_head(json, audit, finding.activity, to_string(finding.check->severity));
  // The finding's own state: new, suppressed (with the suppression's reason), or resolved.
  json.key("status_id").value(finding.fixed ? 4 : finding.suppressed ? 3 : 1);
  json.key("status").value(finding.fixed ? "Resolved" : finding.suppressed ? "Suppressed" : "New");
  if (finding.suppressed && !finding.suppression.empty()) json.key("status_detail").value(finding.suppression);
  json.key("message").value(finding.message);
  json.key("finding_info").begin_object();
  json.key("uid").value(finding.finding_id);
  json.key("title").value(fmt::format("{}: {}", finding.check->name, finding.reason_code));
  json.key("desc").value(finding.message);
  json.key("types").begin_array().value(finding.check->name).end_array();
  json.key("created_time").value(static_cast<int64_t>(finding.first_detected));
  write_analytic(json, *finding.check);
  json.end_object();
  if (finding.fixed)
    write_compliance(json, *finding.check, 1, "Pass", finding.reason_code,
                     fmt::format("fixed since the baseline: {}", finding.message));
  else write_compliance(json, *finding.check, 3, "Fail", finding.reason_code, finding.message);
  json.key("resources").begin_array();
  write_resource(json, audit, finding.resource_type, *finding.resource, finding.logical_name, finding.additional_info);
  if (finding.related != nullptr)
    for (const RelatedResource& related : *finding.related)
      write_resource(json, audit, to_string(related.type), related.identifier, {}, &related.additional_info);
  json.end_array();
  // The statements and roles the finding rests on. Compliance Finding has no attribute for them
  // (`evidences` belongs to Detection Finding, and its artifacts are endpoints, files, processes):
  // they go where OCSF puts what it does not map, in the JSON report's shape.
  if (finding.evidence != nullptr && !finding.evidence->empty()) {
    json.key("unmapped").begin_object();
    write_evidence_json(json, *finding.evidence);
    json.end_object();
  }
  json.end_object();
}

// A check's verdict: compliant, non-compliant, incomplete, not run and disabled stay distinct.
std::pair<int, const char*> compliance_status(CheckStatus status) {
  switch (status) {
    case CheckStatus::compliant: return {1, "Pass"};
    case CheckStatus::non_compliant: return {3, "Fail"};
    case CheckStatus::not_run: return {2, "Warning"};  // "did not yield a result due to missing information"
    case CheckStatus::incomplete: return {99, "Incomplete"};
    case CheckStatus::disabled: return {99, "Disabled"};
  }
  return {99, "Unknown"};
}

void write_check_event(JsonWriter& json, const OcsfAudit& audit, const CheckRun& run) {
  const CheckInfo& check = *run.check;
  const bool failing = run.status != CheckStatus::compliant && run.status != CheckStatus::disabled;
  json.begin_object();
  write_event_head(json, audit, audit.with_baseline ? kUpdate : kCreate, failing ? to_string(check.severity) : "");
  const auto [status_id, status] = compliance_status(run.status);
  json.key("message").value(fmt::format("{}: {}, {} of {} resources non-compliant", check.name, to_string(run.status),
                                        run.non_compliant_resources(), run.resources_evaluated));
  json.key("finding_info").begin_object();
  json.key("uid").value(fmt::format("fleetaudit/{}/{}/{}", audit.report.account_id, audit.report.region, check.name));
  json.key("title").value(fmt::format("{} verdict: {}", check.name, to_string(run.status)));
  json.key("desc").value(check.full_description);
  json.key("types").begin_array().value("Check verdict").end_array();
  write_analytic(json, check);
  json.end_object();
  write_compliance(json, check, status_id, status, run.error_code, run.not_run_reason);
  json.key("remediation").begin_object();
  json.key("desc").value(check.help);
  json.key("references").begin_array().value(check.help_uri).end_array();
  json.end_object();
  // The counts behind the verdict, in Device Defender's words (OCSF has no attribute for them).
  json.key("unmapped").begin_object();
  json.key("checkRunStatus").value(check_run_status(run));
  json.key("nonCompliantResourcesCount").value(run.non_compliant_resources());
  json.key("suppressedNonCompliantResourcesCount").value(run.suppressed_findings);
  json.key("totalResourcesCount").value(static_cast<int64_t>(run.resources_evaluated));
  json.end_object();
  json.end_object();
}

OcsfFinding event_of(const CheckRun& run, const Finding& finding, const FindingDrift* drift, EpochMillis clock) {
  OcsfFinding event;
  event.check = run.check;
  event.resource_type = to_string(finding.resource_type);
  event.reason_code = finding.reason_code;
  event.message = finding.message;
  event.logical_name = finding.logical_name;
  event.suppression = finding.suppression_description;
  event.resource = &finding.resource;
  event.additional_info = &finding.additional_info;
  event.related = &finding.related;
  event.evidence = &finding.evidence;
  event.suppressed = finding.suppressed;
  event.first_detected = drift != nullptr ? drift->first_detected : clock;
  if (drift != nullptr && drift->state != BaselineState::new_finding) event.activity = kUpdate;
  return event;
}

OcsfFinding event_of(const BaselineFinding& gone, const CheckInfo& check) {
  OcsfFinding event;
  event.check = &check;
  event.resource_type = gone.resource_type;
  event.reason_code = gone.reason_code;
  event.message = gone.message;
  event.finding_id = gone.finding_id;
  event.logical_name = gone.logical_name;
  event.resource = &gone.resource;
  event.fixed = true;
  event.activity = kClose;
  event.first_detected = gone.first_detected;
  return event;
}

// Writes one event a line to `text` (a JsonWriter ends each top-level value with a newline).
template <typename Write>
void append_line(std::string& text, Write write) {
  JsonWriter json(nullptr, 0);
  write(json);
  text += json.text();
}

}  // namespace

void write_ocsf(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  const OcsfAudit audit{report, aws_partition(report.region), context.drift != nullptr};
  struct Chunk {
    std::string text;
  };
  const std::vector<std::pair<uint32_t, uint32_t>> order = findings_in_report_order(report);
  format_chunks_in_order<Chunk>(
      order.size(), [](Chunk& chunk, size_t) { chunk.text.clear(); },
      [&](Chunk& chunk, size_t i) {
        const CheckRun& run = report.runs[order[i].first];
        thread_local Finding scratch;  // a row's words, reused by each finding this thread writes
        const Finding& finding = run.findings.view(order[i].second, scratch);
        const FindingDrift* drift = context.drift ? &context.drift->of(order[i].first, order[i].second) : nullptr;
        OcsfFinding event = event_of(run, finding, drift, report.clock);
        const std::string id = finding_id(*run.check, finding);
        event.finding_id = id;
        append_line(chunk.text, [&](JsonWriter& json) { write_finding_event(json, audit, event); });
      },
      [&](const Chunk& chunk) { return std::fwrite(chunk.text.data(), 1, chunk.text.size(), out) == chunk.text.size(); });
  std::string tail;
  if (context.drift != nullptr)
    for (const auto* list : {&context.drift->fixed, &context.drift->superseded})
      for (const BaselineFinding& gone : *list)
        if (const CheckInfo* check = CheckRegistry::instance().find(gone.check_name))
          append_line(tail, [&](JsonWriter& json) { write_finding_event(json, audit, event_of(gone, *check)); });
  for (const CheckRun& run : report.runs)
    append_line(tail, [&](JsonWriter& json) { write_check_event(json, audit, run); });
  std::fwrite(tail.data(), 1, tail.size(), out);
}

}  // namespace fleetaudit
