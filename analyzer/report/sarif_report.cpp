#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/baseline/drift_report.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/artifact_uris.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/sarif_evidence.h"
#include "analyzer/report/sarif_limits.h"
#include "analyzer/report/sarif_rules.h"
#include "analyzer/report/source_positions.h"
#include "analyzer/util/digest.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/ordered_chunks.h"

namespace fleetaudit {

namespace {

// %SRCROOT%, which every relative artifact URI is under: GitHub and other consumers read it as
// the checkout root. No uri is given, so the report does not depend on where the checkout lives.
void write_source_root(JsonWriter& json) {
  json.key("originalUriBaseIds").begin_object();
  json.key("%SRCROOT%").begin_object();
  json.key("description").begin_object();
  json.key("text").value("The directory the audit ran in (the checkout), or --sarif-root.");
  json.end_object();
  json.end_object();
  json.end_object();
}

void write_notification(JsonWriter& json, const char* level, const std::string& text, const Diagnostic* where,
                        std::string_view rule_id, std::optional<size_t> rule_index, const ArtifactUris& uris) {
  json.begin_object();
  json.key("level").value(level);
  json.key("message").begin_object().key("text").value(text).end_object();
  if (where != nullptr && !where->file.empty()) {
    json.key("locations").begin_array().begin_object();
    json.key("physicalLocation").begin_object();
    write_sarif_artifact_location(json, uris, where->file);
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

// One result on one line, with only what is not shared: the rule (level, severity, resource type,
// a single reason code) is named once in tool.driver.rules, the snapshot directory is in the
// URI. A 1M-thing audit writes hundreds of thousands of these. (GitHub rejects results whose
// message is an id into rule.messageStrings without text, so the text stays whole.)
void write_result(JsonWriter& json, const CheckRun& run, size_t rule_index, const Finding& finding,
                  const SourcePositions& positions, const ArtifactUris& uris, bool with_suppressions,
                  const FindingDrift* drift) {
  json.begin_object();
  const int indent = json.indent();
  json.set_indent(0);
  json.key("ruleId").value(run.check->name);
  json.key("ruleIndex").value(rule_index);
  json.key("message").begin_object().key("text").value(finding.message).end_object();
  json.key("locations").begin_array().begin_object();
  if (finding.location.file != SnapshotFile::count) {
    json.key("physicalLocation").begin_object();
    write_sarif_artifact_location(json, uris, file_name(finding.location.file));
    if (const TextPosition* position = positions.find({finding.location.file, finding.location.offset})) {
      json.key("region").begin_object();
      json.key("startLine").value(position->line);
      json.key("startColumn").value(position->column);
      json.end_object();
    }
    json.end_object();
  }
  json.key("logicalLocations").begin_array().begin_object();
  json.key("fullyQualifiedName").value(finding.logical_name);
  json.end_object().end_array();
  json.end_object().end_array();
  write_sarif_evidence(json, finding);
  // Identity from the check and the resource, never the line: a re-exported snapshot keeps its alerts.
  // The fingerprint and the finding id are both cut from this one digest.
  const std::string digest = sha256_hex(finding_identity(*run.check, finding));
  json.key("partialFingerprints").begin_object();
  json.key("primaryLocationLineHash").value(digest.substr(0, 16) + ":1");
  json.end_object();
  if (drift != nullptr) write_sarif_result_drift(json, *drift);
  json.key("properties").begin_object();
  json.key("findingId").value(finding_id_of_digest(digest));
  json.key("resourceIdentifier").value(finding.resource.key());
  if (run.check->reason_codes.size() > 1) json.key("reasonForNonComplianceCode").value(finding.reason_code);
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
  json.set_indent(indent);
}

// Says, per check, how many results --sarif-max-results left out, and where they all are.
void write_left_out_notifications(JsonWriter& json, const AuditReport& report, const SarifSelection& selection,
                                  size_t max_results, const ArtifactUris& uris) {
  for (size_t i = 0; i < report.runs.size(); ++i) {
    if (selection.left_out[i] == 0) continue;
    const CheckRun& run = report.runs[i];
    write_notification(json, "warning",
                       fmt::format("{}: {} of its {} results left out by --sarif-max-results {} (the most important "
                                   "are kept: by severity, then check, then resource); the JSON report "
                                   "(--format json) has every finding.",
                                   run.check->name, selection.left_out[i], selection.left_out[i] + selection.kept[i],
                                   max_results),
                       nullptr, run.check->name, i, uris);
  }
}

// Over GitHub code scanning's limits the upload would be rejected: say so, naming the option.
void warn_over_github_limits(std::FILE* warnings, size_t results, std::optional<uint64_t> gzipped_bytes) {
  if (warnings == nullptr) return;
  if (results > kGitHubMaxResultsPerRun)
    fmt::print(warnings,
               "fleetaudit: warning: the SARIF report has {} results; GitHub code scanning rejects a run of more "
               "than {}: use --sarif-max-results {} to keep the most important (--format json has them all)\n",
               results, kGitHubMaxResultsPerRun, kGitHubMaxResultsPerRun);
  if (gzipped_bytes && *gzipped_bytes >= kGitHubMaxGzipBytes)
    fmt::print(warnings,
               "fleetaudit: warning: the SARIF report is {} bytes gzip-compressed; GitHub code scanning rejects "
               "uploads of 10 MB or more compressed: lower --sarif-max-results (--format json has every finding)\n",
               *gzipped_bytes);
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
  const ArtifactUris uris(context.snapshot_directory, context.sarif_root);
  const SarifSelection selection =
      select_sarif_results(report, context.sarif_omit_suppressed, context.sarif_max_results);
  // A report GitHub may take is built in memory, to learn its compressed size; a larger one
  // (rejected anyway, and said so) streams.
  const bool measure = selection.results.size() <= kGitHubMaxResultsPerRun;
  JsonWriter json(measure ? nullptr : out);
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
  for (const CheckRun& run : report.runs) write_sarif_rule(json, *run.check);
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
                         run.check->name, i, uris);
  }
  if (context.sarif_max_results) write_left_out_notifications(json, report, selection, *context.sarif_max_results, uris);
  for (const Diagnostic& diagnostic : report.diagnostics.items())
    write_notification(json, diagnostic.severity == DiagnosticSeverity::error ? "error" : "warning", diagnostic.render(),
                       &diagnostic, {}, std::nullopt, uris);
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
  write_source_root(json);
  json.key("columnKind").value("unicodeCodePoints");

  // SARIF: once one result of a run carries `suppressions`, every result of the run must.
  bool with_suppressions = false;
  if (!context.sarif_omit_suppressed)
    for (const CheckRun& run : report.runs) with_suppressions |= run.suppressed_findings > 0;

  json.key("results").begin_array();
  // Results are formatted a chunk at a time on every core and written in order: a report of
  // hundreds of thousands of findings is mostly this loop. Only a round of chunks is held.
  const std::vector<SarifResultRef>& results = selection.results;
  format_chunks_in_order<JsonWriter>(
      results.size(), [&](JsonWriter& part, size_t first) { part.continue_from(json, first > 0); },
      [&](JsonWriter& part, size_t i) {
        write_result(part, report.runs[results[i].rule_index], results[i].rule_index, *results[i].finding, positions,
                     uris, with_suppressions, result_drift(context, results[i].rule_index, results[i].finding));
      },
      [&](const JsonWriter& part) {
        json.append(part);
        return true;
      });
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
  std::optional<uint64_t> gzipped;
  if (measure) {
    if (json.text().size() >= kGitHubMaxGzipBytes) gzipped = gzip_size(json.text());  // smaller never compresses over
    std::fwrite(json.text().data(), 1, json.text().size(), out);
  } else {
    json.flush();
  }
  warn_over_github_limits(context.warnings, results.size(), gzipped);
}

}  // namespace fleetaudit
