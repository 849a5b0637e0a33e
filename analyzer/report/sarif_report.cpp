#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/baseline/baseline.h"
#include "analyzer/report/artifact_uris.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/drift_report.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/sarif_evidence.h"
#include "analyzer/report/sarif_limits.h"
#include "analyzer/report/sarif_log.h"
#include "analyzer/report/sarif_rules.h"
#include "analyzer/report/source_positions.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/ordered_chunks.h"

namespace fleetaudit {

namespace {

// %SRCROOT%, which every relative artifact URI is under: GitHub and other consumers read it as
// the checkout root. No uri is given, so the report does not depend on where the checkout lives.
void write_source_root(JsonWriter& json) {
  write_sarif_source_root(json, "The directory the audit ran in (the checkout), or --sarif-root.");
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
                  const FindingDrift* drift, const AuditReport* tagged) {
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
  const std::string digest = finding_identity_digest(*run.check, finding);
  json.key("partialFingerprints").begin_object();
  json.key("primaryLocationLineHash").value(digest.substr(0, 16) + ":1");
  json.end_object();
  if (drift != nullptr) write_sarif_result_drift(json, *drift);
  json.key("properties").begin_object();
  json.key("findingId").value(finding_id_of_digest(digest));
  json.key("resourceIdentifier").value(finding.resource.key());
  if (run.check->reason_codes.size() > 1) json.key("reasonForNonComplianceCode").value(finding.reason_code);
  if (tagged != nullptr) json.key("accountId").value(tagged->account_id).key("region").value(tagged->region);
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
void warn_over_github_limits(Diagnostics* warnings, size_t results, std::optional<uint64_t> gzipped_bytes) {
  if (warnings == nullptr) return;
  if (results > kGitHubMaxResultsPerRun)
    warnings->warning({}, fmt::format("the SARIF report has {} results; GitHub code scanning rejects a run of more "
                                      "than {}: use --sarif-max-results {} to keep the most important (--format json "
                                      "has them all)",
                                      results, kGitHubMaxResultsPerRun, kGitHubMaxResultsPerRun));
  if (gzipped_bytes && *gzipped_bytes >= kGitHubMaxGzipBytes)
    warnings->warning({}, fmt::format("the SARIF report is {} bytes gzip-compressed; GitHub code scanning rejects "
                                      "uploads of 10 MB or more compressed: lower --sarif-max-results (--format json "
                                      "has every finding)",
                                      *gzipped_bytes));
}

// A finding's drift, when there is a baseline.
const FindingDrift* result_drift(const ReportContext& context, size_t run_index, size_t finding_index) {
  if (context.drift == nullptr) return nullptr;
  return &context.drift->of(run_index, finding_index);
}

// What one audit's part of a SARIF log is written from.
struct SarifAudit {
  const ReportContext& context;
  SourcePositions positions;
  ArtifactUris uris;
  SarifSelection selection;
  bool with_suppressions = false;  // SARIF: once one result of a run carries `suppressions`, every result must

  explicit SarifAudit(const ReportContext& audit)
      : context(audit),
        positions(locate_findings(audit.snapshot_directory, audit.report)),
        uris(audit.snapshot_directory, audit.sarif_root),
        selection(select_sarif_results(audit.report, audit.sarif_omit_suppressed, audit.sarif_max_results)) {
    if (!audit.sarif_omit_suppressed)
      for (const CheckRun& run : audit.report.runs) with_suppressions |= run.suppressed_findings > 0;
  }
};

void write_driver(JsonWriter& json) {
  std::vector<const CheckInfo*> rules;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) rules.push_back(&check);
  write_sarif_tool(json, rules);
}

// One invocation: whether the audit of a snapshot succeeded, its notifications, its account and clock.
void write_invocation(JsonWriter& json, const SarifAudit& audit, const std::vector<std::string>& problems = {}) {
  const ReportContext& context = audit.context;
  const AuditReport& report = context.report;
  json.begin_object();
  json.key("executionSuccessful").value(!report.input_problems() && problems.empty());
  json.key("toolExecutionNotifications").begin_array();
  for (const std::string& problem : problems)
    write_notification(json, "error", problem, nullptr, {}, std::nullopt, audit.uris);
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const CheckRun& run = report.runs[i];
    // An incomplete check, or one not run for an unreadable input, failed: an error, not a note.
    if (run.status == CheckStatus::not_run || run.status == CheckStatus::disabled ||
        run.status == CheckStatus::incomplete)
      write_notification(json, run.input_problem ? "error" : "note",
                         fmt::format("{} {}: {}", run.check->name, to_string(run.status), run.not_run_reason), nullptr,
                         run.check->name, i, audit.uris);
  }
  if (context.sarif_max_results)
    write_left_out_notifications(json, report, audit.selection, *context.sarif_max_results, audit.uris);
  for (const Diagnostic& diagnostic : report.diagnostics.items())
    write_notification(json, diagnostic.severity == DiagnosticSeverity::error ? "error" : "warning",
                       diagnostic.render(), &diagnostic, {}, std::nullopt, audit.uris);
  if (context.drift != nullptr) write_sarif_drift_notifications(json, *context.drift);
  json.end_array();
  json.key("properties").begin_object();
  json.key("auditClock").value(format_iso8601(report.clock));
  json.key("auditClockSource").value(report.clock_source);
  json.key("accountId").value(report.account_id);
  json.key("region").value(report.region);
  json.end_object();
  json.end_object();
}

// The audit's results (and the fixed ones, with a baseline), appended to the open results array.
// `tagged`: each result names its account and region (several audits share the run).
void write_results(JsonWriter& json, const SarifAudit& audit, bool tagged, bool& any_written) {
  const ReportContext& context = audit.context;
  const AuditReport& report = context.report;
  // Results are formatted a chunk at a time on every core and written in order: a report of
  // hundreds of thousands of findings is mostly this loop. Only a round of chunks is held.
  const std::vector<SarifResultRef>& results = audit.selection.results;
  const bool before = any_written;
  format_chunks_in_order<JsonWriter>(
      results.size(), [&](JsonWriter& part, size_t first) { part.continue_from(json, before || first > 0); },
      [&](JsonWriter& part, size_t i) {
        thread_local Finding scratch;  // a row's words, reused by each finding this thread writes
        const CheckRun& run = report.runs[results[i].rule_index];
        write_result(part, run, results[i].rule_index, run.findings.view(results[i].finding_index, scratch),
                     audit.positions, audit.uris, audit.with_suppressions,
                     result_drift(context, results[i].rule_index, results[i].finding_index),
                     tagged ? &report : nullptr);
      },
      [&](const JsonWriter& part) {
        json.append(part);
        return true;
      });
  any_written |= !results.empty();
  if (context.drift != nullptr) {
    write_sarif_absent_results(json, report, *context.drift, audit.with_suppressions);
    any_written |= !context.drift->fixed.empty();
  }
}

// Each check's verdict for one audit: a clean audit and a blind one differ here.
void write_check_verdicts(JsonWriter& json, const AuditReport& report) {
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
}

// The Debian weak-key blocklist the key-quality checks ran against: a partial list must not pass
// for a complete one.
void write_blocklist_properties(JsonWriter& json, const AuditReport& report) {
  json.key("weakKeyBlocklistEntries").value(report.weak_key_blocklist_entries);
  json.key("weakKeyBlocklistSizes").value(report.weak_key_blocklist_summary);
  json.key("weakKeyBlocklistSource").value(report.weak_key_blocklist_directory);
}

// One run of one audit. `category`: the automationDetails id that tells the runs of one log apart.
void write_run(JsonWriter& json, const SarifAudit& audit, std::string_view category,
               const std::vector<std::string>& problems = {}) {
  const ReportContext& context = audit.context;
  const AuditReport& report = context.report;
  json.begin_object();
  write_driver(json);
  json.key("invocations").begin_array();
  write_invocation(json, audit, problems);
  json.end_array();
  // A guid naming this audit, so that this report can be the baseline of the next one.
  json.key("automationDetails").begin_object();
  if (!category.empty()) json.key("id").value(category);
  json.key("guid").value(audit_guid(report)).end_object();
  if (context.drift != nullptr) json.key("baselineGuid").value(context.drift->baseline_guid);
  write_source_root(json);
  json.key("columnKind").value("unicodeCodePoints");
  json.key("results").begin_array();
  bool any_written = false;
  write_results(json, audit, false, any_written);
  json.end_array();
  json.key("properties").begin_object();
  write_blocklist_properties(json, report);
  write_check_verdicts(json, report);
  json.end_object();
  json.end_object();
}

// The audits of many snapshots in one run: each an invocation, each result tagged with its account
// and region, each audit's verdicts under properties.audits.
void write_shared_run(JsonWriter& json, const std::vector<SarifAudit>& audits,
                      const std::vector<std::string>& problems) {
  json.begin_object();
  write_driver(json);
  json.key("invocations").begin_array();
  for (size_t i = 0; i < audits.size(); ++i)
    write_invocation(json, audits[i], i == 0 ? problems : std::vector<std::string>());
  json.end_array();
  std::string guids;
  for (const SarifAudit& audit : audits) guids += audit_guid(audit.context.report) + "\n";
  json.key("automationDetails").begin_object().key("id").value("fleetaudit/organization/");
  json.key("guid").value(guid_of(guids)).end_object();
  write_source_root(json);
  json.key("columnKind").value("unicodeCodePoints");
  json.key("results").begin_array();
  bool any_written = false;
  for (const SarifAudit& audit : audits) write_results(json, audit, true, any_written);
  json.end_array();
  json.key("properties").begin_object();
  json.key("audits").begin_array();
  for (const SarifAudit& audit : audits) {
    const AuditReport& report = audit.context.report;
    json.begin_object();
    json.key("accountId").value(report.account_id);
    json.key("region").value(report.region);
    json.key("automationGuid").value(audit_guid(report));
    if (audit.context.drift != nullptr) json.key("baselineGuid").value(audit.context.drift->baseline_guid);
    write_blocklist_properties(json, report);
    write_check_verdicts(json, report);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_object();
}

// Writes the log, built in memory when GitHub may take it (to learn its compressed size); a larger
// one (rejected anyway, and said so) streams.
void write_log(std::FILE* out, Diagnostics* warnings, size_t results, const std::function<void(JsonWriter&)>& runs) {
  const bool measure = results <= kGitHubMaxResultsPerRun;
  JsonWriter json(measure ? nullptr : out);
  begin_sarif_log(json);
  runs(json);
  end_sarif_log(json);
  std::optional<uint64_t> gzipped;
  if (measure) {
    if (json.text().size() >= kGitHubMaxGzipBytes) gzipped = gzip_size(json.text());  // smaller never compresses over
    std::fwrite(json.text().data(), 1, json.text().size(), out);
  } else {
    json.flush();
  }
  warn_over_github_limits(warnings, results, gzipped);
}

// A run of no audit (every account of an organization failed): what failed, and no results.
void write_empty_run(JsonWriter& json, const std::vector<std::string>& problems) {
  json.begin_object();
  write_driver(json);
  json.key("invocations").begin_array().begin_object();
  json.key("executionSuccessful").value(false);
  json.key("toolExecutionNotifications").begin_array();
  for (const std::string& problem : problems) {
    json.begin_object().key("level").value("error");
    json.key("message").begin_object().key("text").value(problem).end_object();
    json.end_object();
  }
  json.end_array();
  json.end_object().end_array();
  json.key("results").begin_array().end_array();
  json.end_object();
}

}  // namespace

void write_sarif(const ReportContext& context, std::FILE* out) {
  const SarifAudit audit(context);
  write_log(out, context.warnings, audit.selection.results.size(),
            [&](JsonWriter& json) { write_run(json, audit, {}); });
}

void write_sarif_of_audits(const std::vector<ReportContext>& contexts, const std::vector<std::string>& problems,
                           std::FILE* out) {
  std::vector<SarifAudit> audits;
  audits.reserve(contexts.size());
  for (const ReportContext& context : contexts) audits.emplace_back(context);
  Diagnostics* warnings = contexts.empty() ? nullptr : contexts.front().warnings;
  if (audits.empty()) return write_log(out, warnings, 0, [&](JsonWriter& json) { write_empty_run(json, problems); });
  if (audits.size() <= kGitHubMaxRunsPerFile) {
    size_t most = 0;
    for (const SarifAudit& audit : audits) most = std::max(most, audit.selection.results.size());
    write_log(out, warnings, most, [&](JsonWriter& json) {
      for (size_t i = 0; i < audits.size(); ++i) {
        const ReportContext& context = audits[i].context;
        write_run(json, audits[i], "fleetaudit/" + context.snapshot_identity + "/",
                  i == 0 ? problems : std::vector<std::string>());
      }
    });
    return;
  }
  size_t total = 0;
  for (const SarifAudit& audit : audits) total += audit.selection.results.size();
  write_log(out, warnings, total, [&](JsonWriter& json) { write_shared_run(json, audits, problems); });
}

}  // namespace fleetaudit
