#include <fmt/format.h>

#include "analyzer/report/lint_reports.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit::lint {

void write_lint_text(const LintRun& run, std::FILE* out) {
  size_t shown = 0, suppressed = 0;
  // Paths, messages and justifications come from the files linted: escaped, none can forge a line.
  for (const Diagnostic& problem : run.problems.items()) fmt::print(out, "{}\n", escape_control(problem.render()));
  for (const LintedFile& linted : run.files) {
    for (const Diagnostic& problem : linted.file.problems)
      fmt::print(out, "{}{}\n", problem.severity == DiagnosticSeverity::error ? "error: " : "",
                 escape_control(problem.render()));
    for (const LintFinding& finding : linted.findings) {
      if (finding.suppressed) {
        ++suppressed;
        continue;
      }
      ++shown;
      const SourceFile& source = linted.source_of(finding);
      const Region region = source.region(finding.where);
      fmt::print(out, "{}:{}:{}: {} {}: {}\n", escape_control(source.path()), region.start_line, region.start_column,
                 to_string(finding.check->severity), finding.check->name, escape_control(finding.message));
    }
  }
  size_t iac = 0, not_checked = 0;
  for (const LintedFile& linted : run.files) {
    iac += linted.file.kind.empty() ? 0 : 1;
    not_checked += linted.file.not_checked;
  }
  fmt::print(out, "{} finding(s), {} suppressed, in {} IaC file(s) of {} read{}{}\n", shown, suppressed, iac,
             run.files_read,
             not_checked == 0 ? std::string()
                              : fmt::format("; {} IoT resource(s) or value(s) not checked (the warnings above say why)",
                                            not_checked),
             run.input_errors() ? "; some input could not be read" : "");
}

}  // namespace fleetaudit::lint
