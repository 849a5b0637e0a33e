#include "analyzer/cli/lint_command.h"

#include <fmt/format.h>

#include <memory>

#include "analyzer/baseline/fail_on.h"
#include "analyzer/cli/commands.h"
#include "analyzer/cli/report_formats.h"
#include "analyzer/report/lint_reports.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

bool fails(const lint::LintRun& run, const FailOn& fail_on) {
  for (const lint::LintedFile& linted : run.files)
    for (const lint::LintFinding& finding : linted.findings)
      if (!finding.suppressed &&
          (fail_on.kind == FailOn::Kind::any || static_cast<int>(finding.check->severity) <= static_cast<int>(fail_on.at_least)))
        return true;
  return false;
}

constexpr LintReportFormat kLintReportFormats[] = {
    {"text", "", lint::write_lint_text, true},
    {"json", "", lint::write_lint_json},
    {"sarif", "", lint::write_lint_sarif},
};

}  // namespace

std::span<const LintReportFormat> lint_report_formats() { return kLintReportFormats; }

int run_lint_command(const LintCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  const LintReportFormat* format = format_named(lint_report_formats(), options.format);
  if (format == nullptr) {
    fmt::print(errors, "fleetaudit: error: unknown --format {}; use {}\n", escape_control(options.format),
               described_formats(lint_report_formats()));
    return kUsageOrInputError;
  }
  const std::optional<FailOn> fail_on = parse_fail_on(options.fail_on);
  if (!fail_on || fail_on->kind == FailOn::Kind::new_findings) {
    fmt::print(errors, "fleetaudit: error: --fail-on must be any or a severity (LOW, MEDIUM, HIGH, CRITICAL), not {}\n",
               escape_control(options.fail_on));
    return kUsageOrInputError;
  }
  EpochMillis now = lint::current_clock();
  if (options.now) {
    const std::optional<EpochMillis> clock = parse_audit_clock(*options.now, errors);
    if (!clock) return kUsageOrInputError;
    now = *clock;
  }
  const lint::LintRun run = lint::lint_paths(options.paths, now, options.excludes);
  // Opened once every input is read: a linted file given as --output is refused (output_file.h).
  std::optional<OutputFile> file;
  if (!options.output_path.empty() && !(file = open_output(options.output_path, "--output", errors)))
    return kUsageOrInputError;
  std::FILE* out = file ? file->stream() : standard_output;
  format->write(run, out);
  // With a report in a file (or not for a person), the problems are said on standard error too.
  if (out != standard_output || !format->states_problems) {
    for (const Diagnostic& problem : run.problems.items())
      fmt::print(errors, "fleetaudit: {}\n", escape_control(problem.render()));
    for (const lint::LintedFile& linted : run.files)
      for (const Diagnostic& problem : linted.file.problems)
        fmt::print(errors, "fleetaudit: {}{}\n", problem.severity == DiagnosticSeverity::error ? "error: " : "",
                   escape_control(problem.render()));
  }
  if (!finish_output(file, options.output_path, "--output", standard_output, errors)) return kUsageOrInputError;
  if (run.input_errors()) return kUsageOrInputError;
  return fails(run, *fail_on) ? kNonCompliant : kCompliant;
}

}  // namespace fleetaudit
