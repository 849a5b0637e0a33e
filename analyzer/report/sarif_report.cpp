#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/baseline/drift_report.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/source_positions.h"
#include "analyzer/util/digest.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

namespace {

// GitHub code scanning ranks alerts by this number (its thresholds: >9 critical, >=7 high, >=4 medium).
const char* security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.5";
    case Severity::low: return "2.0";
  }
  return "0.0";
}

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "none";
}

// The SNAPSHOT base: relative to the checkout root when the user gave a relative directory.
void write_snapshot_base(JsonWriter& json, std::string_view given) {
  // Built with appends only: GCC 12 at -O3 misreports erase/insert on std::string (-Wrestrict).
  std::string_view trimmed = given;
  if (trimmed.substr(0, 2) == "./") trimmed.remove_prefix(2);
  std::string directory(trimmed.empty() ? "." : trimmed);
  if (directory.back() != '/') directory.push_back('/');
  json.key("originalUriBaseIds").begin_object();
  json.key("SNAPSHOT").begin_object();
  if (directory.front() == '/') {
    json.key("uri").value("file://" + directory);
  } else {
    json.key("uri").value(directory);
    json.key("uriBaseId").value("%SRCROOT%");
  }
  json.key("description").begin_object().key("text").value("The fleet snapshot directory that was audited.").end_object();
  json.end_object();
  json.end_object();
}

void write_rule(JsonWriter& json, const CheckInfo& check) {
  json.begin_object();
  json.key("id").value(check.name);
  json.key("shortDescription").begin_object().key("text").value(check.short_description).end_object();
  json.key("fullDescription").begin_object().key("text").value(check.full_description).end_object();
  json.key("help").begin_object();
  json.key("text").value(check.help);
  json.key("markdown").value(check.help);
  json.end_object();
  if (!check.help_uri.empty()) json.key("helpUri").value(check.help_uri);
  json.key("defaultConfiguration").begin_object().key("level").value(sarif_level(check.severity)).end_object();
  json.key("properties").begin_object();
  json.key("security-severity").value(security_severity(check.severity));
  json.key("severity").value(to_string(check.severity));
  json.key("resourceType").value(to_string(check.resource_type));
  json.key("tags").begin_array().value("security").value("aws-iot").value("device-defender").end_array();
  json.key("reasonCodes").begin_array();
  for (std::string_view code : check.reason_codes) json.value(code);
  json.end_array();
  json.end_object();
  json.end_object();
}

void write_notification(JsonWriter& json, const char* level, const std::string& text, const Diagnostic* where,
                        std::string_view rule_id, std::optional<size_t> rule_index) {
  json.begin_object();
  json.key("level").value(level);
  json.key("message").begin_object().key("text").value(text).end_object();
  if (where != nullptr && !where->file.empty()) {
    json.key("locations").begin_array().begin_object();
    json.key("physicalLocation").begin_object();
    json.key("artifactLocation").begin_object().key("uri").value(where->file).key("uriBaseId").value("SNAPSHOT").end_object();
    if (where->line > 0) {
      json.key("region").begin_object().key("startLine").value(where->line).key("startColumn").value(where->column).end_object();
    }
    json.end_object();
    json.end_object().end_array();
  }
  if (!rule_id.empty()) {
    json.key("associatedRule").begin_object().key("id").value(rule_id);
    if (rule_index) json.key("index").value(*rule_index);
    json.end_object();
  }
  json.end_object();
}

void write_result(JsonWriter& json, const CheckRun& run, size_t rule_index, const Finding& finding,
                  const SourcePositions& positions, bool with_suppressions, const FindingDrift* drift) {
  json.begin_object();
  json.key("ruleId").value(run.check->name);
  json.key("ruleIndex").value(rule_index);
  json.key("level").value(sarif_level(run.check->severity));
  json.key("kind").value("fail");
  json.key("message").begin_object().key("text").value(finding.message).end_object();
  json.key("locations").begin_array().begin_object();
  if (finding.location.file != SnapshotFile::count) {
    json.key("physicalLocation").begin_object();
    json.key("artifactLocation").begin_object();
    json.key("uri").value(file_name(finding.location.file));
    json.key("uriBaseId").value("SNAPSHOT");
    json.end_object();
    if (const TextPosition* position = positions.find({finding.location.file, finding.location.offset})) {
      json.key("region").begin_object();
      json.key("startLine").value(position->line);
      json.key("startColumn").value(position->column);
      json.end_object();
    }
    json.end_object();
  }
  json.key("logicalLocations").begin_array().begin_object();
  json.key("name").value(finding.resource.version_id.empty() ? finding.resource.value
                                                              : finding.resource.value + "@" + finding.resource.version_id);
  json.key("fullyQualifiedName").value(finding.logical_name);
  json.key("kind").value("resource");
  json.end_object().end_array();
  json.end_object().end_array();
  // Identity from the check and the resource, never the line: a re-exported snapshot keeps its alerts.
  // The fingerprint and the finding id are both cut from this one digest.
  const std::string digest = sha256_hex(finding_identity(*run.check, finding));
  json.key("partialFingerprints").begin_object();
  json.key("primaryLocationLineHash").value(digest.substr(0, 16) + ":1");
  json.end_object();
  if (drift != nullptr) write_sarif_result_drift(json, *drift);
  json.key("properties").begin_object();
  json.key("findingId").value(finding_id_of_digest(digest));
  json.key("resourceType").value(to_string(finding.resource_type));
  json.key("resourceIdentifier").value(finding.resource.key());
  json.key("reasonForNonComplianceCode").value(finding.reason_code);
  json.key("severity").value(to_string(run.check->severity));
  json.end_object();
  if (with_suppressions) {
    json.key("suppressions").begin_array();
    if (finding.suppressed) {
      json.begin_object().key("kind").value("external").key("status").value("accepted");
      if (!finding.suppression_description.empty()) json.key("justification").value(finding.suppression_description);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

// A finding's drift, when there is a baseline.
const FindingDrift* result_drift(const ReportContext& context, size_t run_index, const Finding* finding) {
  if (context.drift == nullptr) return nullptr;
  const CheckRun& run = context.report.runs[run_index];
  return &context.drift->of(run_index, static_cast<size_t>(finding - run.findings.data()));
}

}  // namespace

void write_sarif(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  const SourcePositions positions = locate_findings(context.snapshot_directory, report);
  JsonWriter json(out);
  json.begin_object();
  json.key("$schema").value("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
  json.key("version").value("2.1.0");
  json.key("runs").begin_array().begin_object();

  json.key("tool").begin_object().key("driver").begin_object();
  json.key("name").value("fleetaudit");
  json.key("semanticVersion").value(FLEETAUDIT_VERSION);
  json.key("version").value(FLEETAUDIT_VERSION);
  json.key("informationUri").value("https://github.com/fleetaudit/fleetaudit");
  json.key("rules").begin_array();
  for (const CheckRun& run : report.runs) write_rule(json, *run.check);
  json.end_array();
  json.end_object().end_object();

  json.key("invocations").begin_array().begin_object();
  json.key("executionSuccessful").value(!report.input_problems());
  json.key("toolExecutionNotifications").begin_array();
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const CheckRun& run = report.runs[i];
    // An incomplete check, or one not run for an unreadable input, failed: an error, not a note.
    if (run.status == CheckStatus::not_run || run.status == CheckStatus::disabled ||
        run.status == CheckStatus::incomplete)
      write_notification(json, run.input_problem ? "error" : "note",
                         fmt::format("{} {}: {}", run.check->name, to_string(run.status), run.not_run_reason), nullptr,
                         run.check->name, i);
  }
  for (const Diagnostic& diagnostic : report.diagnostics.items())
    write_notification(json, diagnostic.severity == DiagnosticSeverity::error ? "error" : "warning", diagnostic.render(),
                       &diagnostic, {}, std::nullopt);
  if (context.drift != nullptr) write_sarif_drift_notifications(json, *context.drift);
  json.end_array();
  json.key("properties").begin_object();
  json.key("auditClock").value(format_iso8601(report.clock));
  json.key("auditClockSource").value(report.clock_source);
  json.key("accountId").value(report.account_id);
  json.key("region").value(report.region);
  json.end_object();
  json.end_object().end_array();

  // A guid naming this audit, so that this report can be the baseline of the next one.
  json.key("automationDetails").begin_object().key("guid").value(audit_guid(report)).end_object();
  if (context.drift != nullptr) json.key("baselineGuid").value(context.drift->baseline_guid);
  write_snapshot_base(json, context.snapshot_directory);
  json.key("columnKind").value("unicodeCodePoints");

  // SARIF: once one result of a run carries `suppressions`, every result of the run must.
  bool with_suppressions = false;
  if (!context.sarif_omit_suppressed)
    for (const CheckRun& run : report.runs) with_suppressions |= run.suppressed_findings > 0;

  json.key("results").begin_array();
  // Results are formatted a chunk at a time on every core and written in order: a report of
  // hundreds of thousands of findings is mostly this loop. Only a round of chunks is held.
  std::vector<std::pair<size_t, const Finding*>> results;  // (rule index, finding)
  for (size_t rule_index = 0; rule_index < report.runs.size(); ++rule_index)
    for (const Finding& finding : report.runs[rule_index].findings)
      if (!(finding.suppressed && context.sarif_omit_suppressed)) results.emplace_back(rule_index, &finding);
  constexpr size_t kChunk = 4096;
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  for (size_t round = 0; round < results.size(); round += kChunk * threads) {
    std::vector<JsonWriter> parts;
    for (size_t begin = round; begin < std::min(results.size(), round + kChunk * threads); begin += kChunk)
      parts.push_back(json.continuation(begin > 0));
    auto format = [&](size_t part) {
      const size_t begin = round + part * kChunk;
      for (size_t i = begin; i < std::min(results.size(), begin + kChunk); ++i)
        write_result(parts[part], report.runs[results[i].first], results[i].first, *results[i].second, positions,
                     with_suppressions, result_drift(context, results[i].first, results[i].second));
    };
    std::vector<std::thread> helpers;
    for (size_t part = 1; part < parts.size(); ++part) helpers.emplace_back(format, part);
    format(0);
    for (std::thread& helper : helpers) helper.join();
    for (const JsonWriter& part : parts) json.append(part);
  }
  if (context.drift != nullptr) write_sarif_absent_results(json, report, *context.drift, with_suppressions);
  json.end_array();

  json.key("properties").begin_object();
  // The Debian weak-key blocklist the key-quality checks ran against: a partial list must not pass
  // for a complete one.
  json.key("weakKeyBlocklistEntries").value(report.weak_key_blocklist_entries);
  json.key("weakKeyBlocklistSizes").value(report.weak_key_blocklist_summary);
  json.key("weakKeyBlocklistSource").value(report.weak_key_blocklist_directory);
  json.key("checks").begin_array();
  for (const CheckRun& run : report.runs) {
    json.begin_object();
    json.key("checkName").value(run.check->name);
    json.key("status").value(to_string(run.status));
    json.key("checkRunStatus").value(check_run_status(run));
    if (!run.error_code.empty()) json.key("errorCode").value(run.error_code);
    if (!run.not_run_reason.empty()) json.key("reason").value(run.not_run_reason);
    json.key("resourcesEvaluated").value(static_cast<int64_t>(run.resources_evaluated));
    json.key("nonCompliantResources").value(run.non_compliant_resources());
    json.key("suppressedNonCompliantResources").value(run.suppressed_findings);
    json.key("parameters");
    write_check_parameters(json, run);
    json.end_object();
  }
  json.end_array();
  json.end_object();

  json.end_object().end_array();
  json.end_object();
  json.flush();
}

}  // namespace fleetaudit
