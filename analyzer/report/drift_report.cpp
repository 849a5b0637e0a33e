#include "analyzer/report/drift_report.h"

#include <fmt/format.h>

#include "analyzer/report/reporters.h"
#include "analyzer/report/resource_identifier_json.h"

namespace fleetaudit {

namespace {

const char* sarif_level_of(std::string_view severity) {
  if (severity == "CRITICAL" || severity == "HIGH") return "error";
  if (severity == "MEDIUM") return "warning";
  return "note";
}

std::string resource_label(const ResourceIdentifier& resource) {
  return fmt::format("{} {}{}", resource.member_name(), resource.value,
                     resource.version_id.empty() ? "" : "@" + resource.version_id);
}

}  // namespace

void write_sarif_result_drift(JsonWriter& json, const FindingDrift& drift) {
  json.key("baselineState").value(to_string(drift.state));
  json.key("provenance").begin_object().key("firstDetectionTimeUtc").value(format_iso8601(drift.first_detected));
  json.end_object();
}

void write_sarif_absent_results(JsonWriter& json, const AuditReport& report, const Drift& drift,
                                bool with_suppressions) {
  for (const BaselineFinding& fixed : drift.fixed) {
    size_t rule_index = 0;
    const CheckInfo* check = nullptr;
    for (size_t i = 0; i < report.runs.size(); ++i)
      if (report.runs[i].check->name == fixed.check_name) rule_index = i, check = report.runs[i].check;
    if (check == nullptr) continue;  // drift.fixed holds only checks that ran in this audit
    Finding as_found{};
    as_found.resource = fixed.resource;
    as_found.reason_code = fixed.reason_code;
    const std::string digest = finding_identity_digest(*check, as_found);
    json.begin_object();
    json.key("ruleId").value(check->name);
    json.key("ruleIndex").value(rule_index);
    json.key("level").value(sarif_level_of(fixed.severity));
    json.key("kind").value("fail");
    json.key("message").begin_object().key("text").value(fixed.message).end_object();
    json.key("locations").begin_array().begin_object();
    json.key("logicalLocations").begin_array().begin_object();
    json.key("name").value(fixed.resource.version_id.empty() ? fixed.resource.value
                                                             : fixed.resource.value + "@" + fixed.resource.version_id);
    if (!fixed.logical_name.empty()) json.key("fullyQualifiedName").value(fixed.logical_name);
    json.key("kind").value("resource");
    json.end_object().end_array();
    json.end_object().end_array();
    json.key("partialFingerprints").begin_object();
    json.key("primaryLocationLineHash")
        .value(fixed.fingerprint.empty() ? digest.substr(0, 16) + ":1" : fixed.fingerprint);
    json.end_object();
    json.key("baselineState").value("absent");
    json.key("provenance").begin_object().key("firstDetectionTimeUtc").value(format_iso8601(fixed.first_detected));
    json.end_object();
    json.key("properties").begin_object();
    json.key("findingId")
        .value(fixed.finding_id.empty() ? std::string(finding_id_of_digest(digest)) : fixed.finding_id);
    json.key("resourceType").value(fixed.resource_type);
    json.key("resourceIdentifier").value(fixed.resource.key());
    json.key("reasonForNonComplianceCode").value(fixed.reason_code);
    json.key("severity").value(fixed.severity);
    json.end_object();
    if (with_suppressions) {
      json.key("suppressions").begin_array();
      if (fixed.suppressed)
        json.begin_object().key("kind").value("external").key("status").value("accepted").end_object();
      json.end_array();
    }
    json.end_object();
  }
}

void write_sarif_drift_notifications(JsonWriter& json, const Drift& drift) {
  for (const std::string& note : drift.coverage_notes) {
    json.begin_object();
    json.key("level").value("note");
    json.key("message").begin_object().key("text").value("Since the baseline: " + note).end_object();
    json.end_object();
  }
}

void write_json_finding_drift(JsonWriter& json, const FindingDrift& drift) {
  json.key("baselineState").value(to_string(drift.state));
  json.key("firstDetectionTime").value(format_iso8601(drift.first_detected));
}

void write_json_drift(JsonWriter& json, const Drift& drift) {
  json.key("drift").begin_object();
  json.key("baseline").value(drift.baseline_path);
  json.key("baselineFormat").value(drift.baseline_format);
  json.key("baselineAuditClock").value(format_iso8601(drift.baseline_clock));
  json.key("baselineGuid").value(drift.baseline_guid);
  json.key("new").value(drift.new_findings);
  json.key("updated").value(drift.updated);
  json.key("unchanged").value(drift.unchanged);
  json.key("fixed").value(drift.fixed.size());
  json.key("summary").value(drift_summary(drift));
  json.key("coverageNotes").begin_array();
  for (const std::string& note : drift.coverage_notes) json.value(note);
  json.end_array();
  json.end_object();
  json.key("fixedFindings").begin_array();
  for (const BaselineFinding& fixed : drift.fixed) {
    json.begin_object();
    if (!fixed.finding_id.empty()) json.key("findingId").value(fixed.finding_id);
    json.key("checkName").value(fixed.check_name);
    json.key("severity").value(fixed.severity);
    json.key("nonCompliantResource").begin_object();
    json.key("resourceType").value(fixed.resource_type);
    json.key("resourceIdentifier");
    write_resource_identifier(json, fixed.resource);
    json.end_object();
    json.key("reasonForNonCompliance").value(fixed.message);
    json.key("reasonForNonComplianceCode").value(fixed.reason_code);
    json.key("isSuppressed").value(fixed.suppressed);
    json.key("baselineState").value("absent");
    json.key("firstDetectionTime").value(format_iso8601(fixed.first_detected));
    json.end_object();
  }
  json.end_array();
}

std::string drift_text(const AuditReport& report, const Drift& drift) {
  std::string text =
      wrap_for_terminal(fmt::format("Baseline: {} ({})", drift.baseline_path, drift.baseline_format), "  ");
  text += wrap_for_terminal(drift_summary(drift), "  ");
  if (drift.new_findings + drift.updated > 0) {
    text += "\nNew and updated since the baseline\n";
    for (size_t r = 0; r < report.runs.size(); ++r)
      for (size_t f = 0; f < report.runs[r].findings.size(); ++f) {
        const FindingDrift& state = drift.of(r, f);
        if (state.state == BaselineState::unchanged) continue;
        const Finding& finding = report.runs[r].findings[f];
        text += wrap_for_terminal(
            fmt::format("{} {} ({}){}", to_string(state.state), report.runs[r].check->name,
                        to_string(report.runs[r].check->severity), finding.suppressed ? ", suppressed" : ""),
            "    ", "  - ");
        text += wrap_for_terminal(resource_label(finding.resource), "    ");
        text += wrap_for_terminal(finding.message, "    ");
      }
  }
  if (!drift.fixed.empty()) {
    text += "\nFixed since the baseline\n";
    for (const BaselineFinding& fixed : drift.fixed) {
      text += wrap_for_terminal(
          fmt::format("{} ({}), first seen {}", fixed.check_name, fixed.severity, format_iso8601(fixed.first_detected)),
          "    ", "  - ");
      text += wrap_for_terminal(resource_label(fixed.resource), "    ");
    }
  }
  if (!drift.coverage_notes.empty()) {
    text += "\nCoverage changes since the baseline\n";
    for (const std::string& note : drift.coverage_notes) text += wrap_for_terminal(note, "    ", "  - ");
  }
  return text + "\n";
}

}  // namespace fleetaudit
