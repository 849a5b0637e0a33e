#include <fmt/format.h>

#include <map>

#include "analyzer/report/lint_reports.h"
#include "analyzer/lint/utf8_text.h"
#include "analyzer/report/sarif_log.h"
#include "analyzer/report/sarif_rules.h"
#include "analyzer/util/digest.h"

namespace fleetaudit::lint {

namespace {

void write_region(JsonWriter& json, const SourceFile& source, Span span) {
  const Region region = source.region(span);
  json.key("region").begin_object();
  json.key("startLine").value(region.start_line);
  json.key("startColumn").value(region.start_column);
  json.key("endLine").value(region.end_line);
  json.key("endColumn").value(region.end_column);
  json.end_object();
}

void write_physical(JsonWriter& json, const ArtifactUris& uris, const SourceFile& source, Span span) {
  json.key("physicalLocation").begin_object();
  write_sarif_artifact_location(json, uris, source.path());
  write_region(json, source, span);
  json.end_object();
}

void write_problem(JsonWriter& json, const ArtifactUris& uris, const Diagnostic& problem) {
  json.begin_object();
  json.key("level").value(problem.severity == DiagnosticSeverity::error ? "error" : "warning");
  json.key("message").begin_object().key("text").value(well_formed_utf8(problem.render())).end_object();
  if (!problem.file.empty()) {
    json.key("locations").begin_array().begin_object();
    json.key("physicalLocation").begin_object();
    write_sarif_artifact_location(json, uris, problem.file);
    if (problem.line > 0)
      json.key("region").begin_object().key("startLine").value(problem.line).key("startColumn").value(problem.column).end_object();
    json.end_object();
    json.end_object().end_array();
  }
  json.end_object();
}

void write_result(JsonWriter& json, const ArtifactUris& uris, const SourceFile& source, const LintFinding& finding,
                  size_t rule_index, bool with_suppressions) {
  json.begin_object();
  json.key("ruleId").value(finding.check->name);
  json.key("ruleIndex").value(rule_index);
  json.key("message").begin_object().key("text").value(well_formed_utf8(finding.message)).end_object();
  json.key("locations").begin_array().begin_object();
  write_physical(json, uris, source, finding.where);
  if (!finding.origin.resource.empty()) {
    json.key("logicalLocations").begin_array().begin_object();
    json.key("fullyQualifiedName")
        .value(well_formed_utf8(finding.origin.cdk_path.empty() ? finding.origin.resource : finding.origin.cdk_path));
    json.key("kind").value("resource");
    json.end_object().end_array();
  }
  json.end_object().end_array();
  if (!finding.related.empty()) {
    json.key("relatedLocations").begin_array();
    for (size_t i = 0; i < finding.related.size(); ++i) {
      json.begin_object();
      json.key("id").value(i + 1);
      write_physical(json, uris, source, finding.related[i]);
      json.end_object();
    }
    json.end_array();
  }
  json.key("partialFingerprints").begin_object();
  json.key("primaryLocationLineHash").value(lint_fingerprint(finding));
  json.end_object();
  if (!finding.reason_code.empty()) {
    json.key("properties").begin_object();
    json.key("reasonForNonComplianceCode").value(finding.reason_code);
    json.end_object();
  }
  if (with_suppressions) {
    json.key("suppressions").begin_array();
    if (finding.suppressed) {
      json.begin_object().key("kind").value("inSource").key("status").value("accepted");
      if (!finding.justification.empty()) json.key("justification").value(well_formed_utf8(finding.justification));
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

}  // namespace

std::string lint_fingerprint(const LintFinding& finding) { return sha256_hex(finding.identity).substr(0, 16) + ":1"; }

void write_lint_sarif(const LintRun& run, std::FILE* out) {
  const ArtifactUris uris(".", "");
  const std::vector<const CheckInfo*> rules = run.rules();
  std::map<std::string_view, size_t> rule_index;
  for (size_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i]->name, i);
  JsonWriter json(out);
  begin_sarif_log(json);
  json.begin_object();
  write_sarif_tool(json, rules);

  json.key("invocations").begin_array().begin_object();
  json.key("executionSuccessful").value(!run.input_errors());
  json.key("toolExecutionNotifications").begin_array();
  for (const Diagnostic& problem : run.problems.items()) write_problem(json, uris, problem);
  for (const LintedFile& linted : run.files)
    for (const Diagnostic& problem : linted.file.problems) write_problem(json, uris, problem);
  json.end_array();
  json.end_object().end_array();
  json.key("automationDetails").begin_object().key("id").value("fleetaudit-lint/").end_object();
  write_sarif_source_root(json, "The directory fleetaudit lint ran in.");
  json.key("columnKind").value("unicodeCodePoints");

  // SARIF: once one result of a run carries `suppressions`, every result of the run must.
  bool with_suppressions = false;
  for (const LintedFile& linted : run.files)
    for (const LintFinding& finding : linted.findings) with_suppressions |= finding.suppressed;
  json.key("results").begin_array();
  for (const LintedFile& linted : run.files)
    for (const LintFinding& finding : linted.findings)
      write_result(json, uris, linted.source_of(finding), finding, rule_index[finding.check->name], with_suppressions);
  json.end_array();
  json.key("properties").begin_object();
  json.key("filesRead").value(run.files_read);
  json.key("iacFiles").begin_array();
  for (const LintedFile& linted : run.files)
    if (!linted.file.kind.empty())
      json.begin_object().key("uri").value(uris.uri(linted.file.source->path())).key("kind").value(linted.file.kind).end_object();
  json.end_array();
  json.end_object();
  json.end_object();
  end_sarif_log(json);
  json.flush();
  std::fputc('\n', out);
}

}  // namespace fleetaudit::lint
