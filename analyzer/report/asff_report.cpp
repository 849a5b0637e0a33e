// Findings in the AWS Security Finding Format, shaped as AWS IoT Device Defender's Security Hub
// integration sends them ("Integration with AWS Security Hub" in the Device Defender guide): one
// AuditFinding record per non-compliant resource, one CheckSummary record per check that ran.
#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/aws_vocabulary.h"
#include "analyzer/report/evidence_json.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/digest.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/ordered_chunks.h"

namespace fleetaudit {

namespace {

// ASFF's limits (Security Hub user guide, "AWS Security Finding Format (ASFF)").
constexpr size_t kMaxId = 512;
constexpr size_t kMaxTitle = 256;
constexpr size_t kMaxDescription = 1024;
constexpr size_t kMaxFieldKey = 128;
constexpr size_t kMaxFieldValue = 2048;
constexpr size_t kMaxProductFields = 50;
constexpr size_t kMaxResources = 32;
constexpr size_t kMaxResourceId = 512;
constexpr size_t kMaxOtherValue = 1024;  // Resource.Details.Other values

// The name that stands where Device Defender writes a scheduled audit's name in a CheckSummary's
// Id: each check keeps one summary record that every import updates.
constexpr std::string_view kAuditName = "fleetaudit";

struct AsffAudit {
  std::string account, region, partition, product_arn, task_id, clock;
  EpochMillis clock_millis = 0;
};

// One AuditFinding record, from a finding of this audit or one of the baseline that is gone.
struct AsffRecord {
  const CheckInfo* check = nullptr;
  std::string_view resource_type;  // "IOT_POLICY"
  const ResourceIdentifier* resource = nullptr;
  std::string_view reason_code, message, severity, finding_id, logical_name, suppression;
  const AdditionalInfo* additional_info = nullptr;
  const std::vector<RelatedResource>* related = nullptr;
  const Evidence* evidence = nullptr;  // null for a finding of the baseline that is gone
  bool suppressed = false;
  bool archived = false;            // fixed (or superseded) since the baseline
  std::string_view baseline_state;  // new, updated, unchanged, fixed; empty without --baseline
  EpochMillis created_at = 0;
};

// Security Hub's fields are NonEmptyString (".*\S.*"): a blank name from a hostile snapshot is
// written as a visible placeholder, never as an empty value the import would refuse.
std::string_view non_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos ? std::string_view("(blank)") : text;
}

// Percent-encodes what would blur the "/"-separated Id parts (and anything outside plain ASCII).
void append_id_part(std::string& id, std::string_view part) {
  for (const char c : part) {
    const unsigned char byte = static_cast<unsigned char>(c);
    const bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
                       std::string_view("._:@=+,-").find(c) != std::string_view::npos;
    if (plain) id.push_back(c);
    else id += fmt::format("%{:02X}", byte);
  }
}

// account/RESOURCE_TYPE/resource id parts/CHECK/REASON_CODE, as Device Defender's Ids; one too long
// for ASFF (512) keeps its shape with the resource parts replaced by their digest.
std::string audit_finding_id(const AsffAudit& audit, const AsffRecord& record) {
  std::string resource;
  append_id_part(resource, record.resource->value);
  if (record.resource->kind == ResourceIdentifier::Kind::policy_version) {
    resource.push_back('/');
    append_id_part(resource, record.resource->version_id);
  }
  auto assemble = [&](std::string_view resource_parts) {
    std::string id;
    append_id_part(id, audit.account);
    id += '/';
    append_id_part(id, record.resource_type);
    id += fmt::format("/{}/", resource_parts);
    append_id_part(id, record.check->name);
    id += '/';
    append_id_part(id, record.reason_code);
    return id;
  };
  std::string id = assemble(resource);
  if (id.size() > kMaxId) id = assemble("sha256-" + sha256_hex(resource).substr(0, 32));
  return id;
}

int normalized_severity(std::string_view label) {
  // The lower bound of each label's band in Security Hub's Normalized scale, as Device Defender
  // sends CRITICAL (90) and MEDIUM (40).
  if (label == "CRITICAL") return 90;
  if (label == "HIGH") return 70;
  if (label == "MEDIUM") return 40;
  return 1;
}

void write_common_head(JsonWriter& json, const AsffAudit& audit, std::string_view id, std::string_view generator,
                       std::string_view type, EpochMillis created_at) {
  json.key("SchemaVersion").value("2018-10-08");
  json.key("Id").value(id);
  json.key("ProductArn").value(audit.product_arn);
  json.key("ProductName").value("fleetaudit");
  json.key("CompanyName").value("fleetaudit");
  json.key("Region").value(non_blank(audit.region));
  json.key("GeneratorId").value(generator);
  json.key("AwsAccountId").value(non_blank(audit.account));
  json.key("Types").begin_array().value(type).end_array();
  json.key("CreatedAt").value(format_iso8601(created_at));
  json.key("UpdatedAt").value(audit.clock);
}

void write_severity_and_text(JsonWriter& json, std::string_view severity, std::string_view title,
                             std::string_view description) {
  json.key("Severity").begin_object();
  json.key("Label").value(severity);
  json.key("Normalized").value(normalized_severity(severity));
  json.end_object();
  json.key("Title").value(cut_utf8(non_blank(title), kMaxTitle));
  json.key("Description").value(cut_utf8(non_blank(description), kMaxDescription));
}

void write_common_tail(JsonWriter& json, std::string_view workflow, bool archived, std::string_view severity,
                       std::string_view type) {
  json.key("Workflow").begin_object().key("Status").value(workflow).end_object();
  json.key("RecordState").value(archived ? "ARCHIVED" : "ACTIVE");
  json.key("FindingProviderFields").begin_object();
  json.key("Severity").begin_object().key("Label").value(severity).end_object();
  json.key("Types").begin_array().value(type).end_array();
  json.end_object();
}

// ProductFields, bounded as ASFF bounds them (50 pairs, keys 128, values 2048).
class ProductFields {
public:
  explicit ProductFields(JsonWriter& json) : json_(json) { json_.key("ProductFields").begin_object(); }
  ~ProductFields() { json_.end_object(); }
  void add(std::string_view key, std::string_view value) {
    if (count_ == kMaxProductFields) return;
    ++count_;
    json_.key(cut_utf8(key, kMaxFieldKey)).value(cut_utf8(non_blank(value), kMaxFieldValue));
  }
  size_t room() const { return kMaxProductFields - count_; }

private:
  JsonWriter& json_;
  size_t count_ = 0;
};

std::string capitalized(std::string_view name) {
  std::string text(name);
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

// The typed evidence after the additional info, as "fleetaudit/Evidence/N/Member" pairs (N from 1:
// statements, then roles; the members named as evidence_json.h names them for ASFF), each item
// whole or not at all (up to 9 pairs): a finding with many items lists those that fit in ASFF's 50
// pairs and counts the rest (the JSON and SARIF reports list them all), leaving a pair for
// RelatedResourcesNotListed.
void write_evidence_fields(ProductFields& fields, const Evidence& evidence) {
  std::vector<EvidenceMembers> items;
  for (const StatementEvidence& statement : evidence.statements) items.emplace_back(statement);
  for (const RoleEvidence& role : evidence.roles) items.emplace_back(role);
  size_t listed = 0;
  for (const EvidenceMembers& item : items) {
    if (fields.room() < item.size() + 2) break;
    ++listed;
    for (const EvidenceMember& member : item)
      fields.add(fmt::format("fleetaudit/Evidence/{}/{}", listed, member.field_name),
                 member.is_number ? std::to_string(member.number) : std::string(member.text));
  }
  if (listed < items.size()) fields.add("fleetaudit/EvidenceNotListed", std::to_string(items.size() - listed));
}

void write_audit_finding_fields(JsonWriter& json, const AsffAudit& audit, const AsffRecord& record) {
  ProductFields fields(json);
  fields.add("CheckName", record.check->name);
  fields.add("TaskId", audit.task_id);
  fields.add("TaskType", "ON_DEMAND_AUDIT_TASK");
  if (record.resource->kind == ResourceIdentifier::Kind::policy_version) {
    fields.add("PolicyName", record.resource->value);
    fields.add("PolicyVersionId", record.resource->version_id);
  } else {
    fields.add(capitalized(record.resource->member_name()), record.resource->value);
  }
  fields.add("IsSuppressed", record.suppressed ? "true" : "false");
  fields.add("ReasonForNonComplianceCode", record.reason_code);
  fields.add("ResourceType", record.resource_type);
  fields.add("FindingId", record.finding_id);
  fields.add("ReportType", "AuditFinding");
  fields.add("TaskStartTime", std::to_string(audit.clock_millis));
  if (!record.baseline_state.empty()) fields.add("fleetaudit/BaselineState", record.baseline_state);
  if (record.suppressed && !record.suppression.empty()) fields.add("fleetaudit/SuppressionDescription", record.suppression);
  // The additional info leaves a pair for RelatedResourcesNotListed, and one more for
  // EvidenceNotListed when there is evidence.
  const bool evidence = record.evidence != nullptr && !record.evidence->empty();
  const size_t reserved = evidence ? 2 : 1;
  if (record.additional_info != nullptr)
    for (const auto& [name, value] : *record.additional_info)
      if (fields.room() > reserved) fields.add("fleetaudit/AdditionalInfo/" + name, value);
  if (evidence) write_evidence_fields(fields, *record.evidence);
  const size_t related = record.related == nullptr ? 0 : record.related->size();
  if (related + 1 > kMaxResources)
    fields.add("fleetaudit/RelatedResourcesNotListed", std::to_string(related + 1 - kMaxResources));
}

void write_resource(JsonWriter& json, const AsffAudit& audit, std::string_view aws_type,
                    const ResourceIdentifier& identifier, std::string_view logical_name) {
  const auto type = resource_type_named(aws_type);
  json.begin_object();
  json.key("Type").value(type ? security_hub_resource_type(*type) : std::string_view("Other"));
  json.key("Id").value(cut_utf8(non_blank(identifier.value), kMaxResourceId));
  json.key("Partition").value(audit.partition);
  json.key("Region").value(non_blank(audit.region));
  const bool policy = identifier.kind == ResourceIdentifier::Kind::policy_version;
  const bool arn = logical_name.starts_with("arn:") && logical_name != identifier.value;
  if (policy || arn) {
    json.key("Details").begin_object().key("Other").begin_object();
    if (policy) json.key("PolicyVersionId").value(cut_utf8(non_blank(identifier.version_id), kMaxOtherValue));
    if (arn) json.key("Arn").value(cut_utf8(logical_name, kMaxOtherValue));
    json.end_object().end_object();
  }
  json.end_object();
}

void write_audit_finding(JsonWriter& json, const AsffAudit& audit, const AsffRecord& record) {
  json.begin_object();
  const int indent = json.indent();
  json.set_indent(0);  // one record a line: a million-finding file stays readable a record at a time
  const std::string_view type = record.check->security_hub_type;
  write_common_head(json, audit, audit_finding_id(audit, record), record.finding_id, type, record.created_at);
  const std::string resource = resource_display_name(*record.resource);
  std::string description =
      record.baseline_state == "superseded"
          ? fmt::format("{} {} was reported as non-compliant for {}; the audit of {} reports another version instead.",
                        record.resource_type, resource, record.check->name, audit.clock)
      : record.archived
          ? fmt::format("{} {} was reported as non-compliant for {} and is compliant in the audit of {}.",
                        record.resource_type, resource, record.check->name, audit.clock)
          : fmt::format("{} {} is reported as non-compliant for {} by fleetaudit audit task {}. The non-compliant "
                        "reason is {}",
                        record.resource_type, resource, record.check->name, audit.task_id, record.message);
  write_severity_and_text(json, record.severity, fmt::format("{}: {}", record.check->name, record.reason_code),
                          description);
  write_audit_finding_fields(json, audit, record);
  json.key("Resources").begin_array();
  write_resource(json, audit, record.resource_type, *record.resource, record.logical_name);
  if (record.related != nullptr)
    for (size_t i = 0; i < record.related->size() && i + 1 < kMaxResources; ++i) {
      const RelatedResource& related = (*record.related)[i];
      write_resource(json, audit, to_string(related.type), related.identifier, {});
    }
  json.end_array();
  const std::string_view workflow = record.archived ? "RESOLVED" : record.suppressed ? "SUPPRESSED" : "NEW";
  write_common_tail(json, workflow, record.archived, record.severity, type);
  json.set_indent(indent);
  json.end_object();
}

std::string summary_title(const CheckRun& run) {
  switch (run.status) {
    case CheckStatus::compliant: return fmt::format("{} Summary: Completed, compliant", run.check->name);
    case CheckStatus::non_compliant:
      return fmt::format("{} Summary: Completed with {} non-compliant resources", run.check->name,
                         run.non_compliant_resources());
    case CheckStatus::incomplete:
      return fmt::format("{} Summary: Failed ({}): incomplete, {} non-compliant resources found", run.check->name,
                         run.error_code, run.non_compliant_resources());
    case CheckStatus::not_run:
    case CheckStatus::disabled: break;
  }
  return fmt::format("{} Summary: Failed ({}): not run", run.check->name, run.error_code);
}

std::string summary_description(const AsffAudit& audit, const CheckRun& run) {
  if (run.status == CheckStatus::not_run)
    return fmt::format("Task {} of the fleetaudit audit could not run {}: {}", audit.task_id, run.check->name,
                       run.not_run_reason);
  std::string text = fmt::format(
      "Task {} of the fleetaudit audit completes. {} non-compliant resources are found for {} out of {} resources "
      "in the account.",
      audit.task_id, run.non_compliant_resources(), run.check->name, run.resources_evaluated);
  if (run.resources_evaluated > 0)
    text += fmt::format(" The percentage of non-compliant resources is {:.1f}%.",
                        100.0 * static_cast<double>(run.non_compliant_resources()) /
                            static_cast<double>(run.resources_evaluated));
  if (run.status == CheckStatus::incomplete)
    text += fmt::format(" The check is incomplete, so its silence proves nothing: {}", run.not_run_reason);
  return text;
}

void write_check_summary(JsonWriter& json, const AsffAudit& audit, const CheckRun& run) {
  json.begin_object();
  const int indent = json.indent();
  json.set_indent(0);
  std::string id;
  append_id_part(id, audit.account);
  id += fmt::format("/ON_DEMAND_AUDIT_TASK/{}/{}", kAuditName, run.check->name);
  const std::string_view type = run.check->security_hub_type;
  const char* severity = to_string(run.check->severity);
  write_common_head(json, audit, id, audit.task_id, type, audit.clock_millis);
  write_severity_and_text(json, severity, summary_title(run), summary_description(audit, run));
  {
    ProductFields fields(json);
    fields.add("TaskId", audit.task_id);
    fields.add("TaskType", "ON_DEMAND_AUDIT_TASK");
    fields.add("CheckName", run.check->name);
    fields.add("ReportType", "CheckSummary");
    fields.add("CheckRunStatus", check_run_status(run));
    fields.add("NonCompliantResourcesCount", std::to_string(run.non_compliant_resources()));
    // Device Defender's documented example spells this field so; a rule written against it still matches.
    fields.add("NonComopliantResourcesCount", std::to_string(run.non_compliant_resources()));
    fields.add("SuppressedNonCompliantResourcesCount", std::to_string(run.suppressed_findings));
    fields.add("TotalResourcesCount", std::to_string(run.resources_evaluated));
    fields.add("fleetaudit/Verdict", to_string(run.status));
    if (!run.error_code.empty()) fields.add("ErrorCode", run.error_code);
    if (!run.not_run_reason.empty()) fields.add("Message", bounded_error_message(run.not_run_reason));
  }
  json.key("Resources").begin_array().begin_object();
  json.key("Type").value("AwsIotAuditTask");
  json.key("Id").value(audit.task_id);
  json.key("Partition").value(audit.partition);
  json.key("Region").value(non_blank(audit.region));
  json.end_object().end_array();
  // A summary stays active while its check is non-compliant or could not decide (Device Defender's rule).
  write_common_tail(json, "NEW", run.status == CheckStatus::compliant, severity, type);
  json.set_indent(indent);
  json.end_object();
}

AsffRecord record_of(const CheckRun& run, const Finding& finding, const FindingDrift* drift, EpochMillis clock) {
  AsffRecord record;
  record.check = run.check;
  record.resource_type = to_string(finding.resource_type);
  record.resource = &finding.resource;
  record.reason_code = finding.reason_code;
  record.message = finding.message;
  record.severity = to_string(run.check->severity);
  record.logical_name = finding.logical_name;
  record.suppression = finding.suppression_description;
  record.additional_info = &finding.additional_info;
  record.related = &finding.related;
  record.evidence = &finding.evidence;
  record.suppressed = finding.suppressed;
  // Never after UpdatedAt, even when a baseline's clock ran ahead of this audit's.
  record.created_at = drift != nullptr ? std::min(drift->first_detected, clock) : clock;
  if (drift != nullptr) record.baseline_state = to_string(drift->state);
  return record;
}

AsffRecord record_of(const BaselineFinding& gone, const CheckInfo& check, std::string_view state) {
  AsffRecord record;
  record.check = &check;
  record.resource_type = gone.resource_type;
  record.resource = &gone.resource;
  record.reason_code = gone.reason_code;
  record.message = gone.message;
  record.severity = to_string(check.severity);
  record.finding_id = gone.finding_id;
  record.logical_name = gone.logical_name;
  record.archived = true;
  record.baseline_state = state;
  record.created_at = gone.first_detected;
  return record;
}

// With --baseline, the findings gone since then are written ARCHIVED so that Security Hub stops
// showing them. Drift lists only findings of checks that ran this time (a check that did not run
// fixed nothing), and a baseline holds findings only of checks that ran then.
void write_retired_findings(const ReportContext& context, const AsffAudit& audit, JsonWriter& json) {
  if (context.drift == nullptr) return;
  const std::pair<const std::vector<BaselineFinding>*, std::string_view> lists[] = {
      {&context.drift->fixed, "fixed"}, {&context.drift->superseded, "superseded"}};
  for (const auto& [list, state] : lists)
    for (const BaselineFinding& gone : *list)
      if (const CheckInfo* check = CheckRegistry::instance().find(gone.check_name))
        write_audit_finding(json, audit, record_of(gone, *check, state));
}

}  // namespace

std::string default_security_hub_product_arn(const AuditReport& report) {
  return fmt::format("arn:{}:securityhub:{}:{}:product/{}/default", aws_partition(report.region), report.region,
                     report.account_id, report.account_id);
}

void write_asff_elements(JsonWriter& json, const ReportContext& context, bool after_others) {
  const AuditReport& report = context.report;
  AsffAudit audit{
      report.account_id,
      report.region,
      std::string(aws_partition(report.region)),
      context.asff_product_arn.empty() ? default_security_hub_product_arn(report) : context.asff_product_arn,
      audit_task_id(report),
      format_iso8601(report.clock),
      report.clock};
  const std::vector<std::pair<uint32_t, uint32_t>> order = findings_in_report_order(report);
  format_chunks_in_order<JsonWriter>(
      order.size(), [&](JsonWriter& part, size_t first) { part.continue_from(json, after_others || first > 0); },
      [&](JsonWriter& part, size_t i) {
        const CheckRun& run = report.runs[order[i].first];
        thread_local Finding scratch;  // a row's words, reused by each finding this thread writes
        const Finding& finding = run.findings.view(order[i].second, scratch);
        const FindingDrift* drift = context.drift ? &context.drift->of(order[i].first, order[i].second) : nullptr;
        AsffRecord record = record_of(run, finding, drift, report.clock);
        const std::string id = finding_id(*run.check, finding);
        record.finding_id = id;
        write_audit_finding(part, audit, record);
      },
      [&](const JsonWriter& part) {
        json.append(part);
        return true;
      });
  write_retired_findings(context, audit, json);
  for (const CheckRun& run : report.runs)
    if (run.status != CheckStatus::disabled) write_check_summary(json, audit, run);
}

void write_asff(const ReportContext& context, std::FILE* out) {
  JsonWriter json(out);
  json.begin_object();
  json.key("Findings").begin_array();
  write_asff_elements(json, context, false);
  json.end_array();
  json.end_object();
  json.flush();
}

}  // namespace fleetaudit
