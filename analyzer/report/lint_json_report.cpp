#include "analyzer/report/lint_reports.h"
#include "analyzer/lint/utf8_text.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit::lint {

namespace {

void write_problem(JsonWriter& json, const Diagnostic& problem) {
  json.begin_object();
  json.key("severity").value(problem.severity == DiagnosticSeverity::error ? "error" : "warning");
  json.key("file").value(well_formed_utf8(problem.file));
  json.key("line").value(problem.line);
  json.key("column").value(problem.column);
  json.key("message").value(well_formed_utf8(problem.message));
  json.end_object();
}

}  // namespace

void write_lint_json(const LintRun& run, std::FILE* out) {
  JsonWriter json(out);
  json.begin_object();
  json.key("filesRead").value(run.files_read);
  json.key("results").begin_array();
  for (const LintedFile& linted : run.files)
    for (const LintFinding& finding : linted.findings) {
      const SourceFile& source = linted.source_of(finding);
      const Region region = source.region(finding.where);
      json.begin_object();
      json.key("ruleId").value(finding.check->name);
      json.key("severity").value(to_string(finding.check->severity));
      json.key("reasonCode").value(finding.reason_code);
      json.key("message").value(well_formed_utf8(finding.message));
      json.key("file").value(well_formed_utf8(source.path()));
      json.key("resource").value(well_formed_utf8(finding.origin.resource));
      json.key("startLine").value(region.start_line);
      json.key("startColumn").value(region.start_column);
      json.key("endLine").value(region.end_line);
      json.key("endColumn").value(region.end_column);
      json.key("fingerprint").value(lint_fingerprint(finding));
      json.key("suppressed").value(finding.suppressed);
      if (finding.suppressed) json.key("justification").value(well_formed_utf8(finding.justification));
      json.end_object();
    }
  json.end_array();
  json.key("problems").begin_array();
  for (const Diagnostic& problem : run.problems.items()) write_problem(json, problem);
  for (const LintedFile& linted : run.files)
    for (const Diagnostic& problem : linted.file.problems) write_problem(json, problem);
  json.end_array();
  json.end_object();
  json.flush();
  std::fputc('\n', out);
}

}  // namespace fleetaudit::lint
