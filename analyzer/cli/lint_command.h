#pragma once
// `fleetaudit lint PATH...`: infrastructure-as-code checked before it is deployed.
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit {

namespace lint {
struct LintRun;
}

// One --format of `lint` (report_formats.h reads the table).
struct LintReportFormat {
  std::string_view name;
  std::string_view description;  // said after the name in --help; may be empty
  void (*write)(const lint::LintRun&, std::FILE*);
  // The report states the files' problems itself, for a person reading it on standard output;
  // otherwise (or written to --output) they are said on standard error too.
  bool states_problems = false;
};
// The table --help, validation and dispatch read: text, json, sarif.
std::span<const LintReportFormat> lint_report_formats();

struct LintCommandOptions {
  std::vector<std::string> paths;  // files and directories (searched recursively)
  std::string format = "text";     // one of lint_report_formats()
  std::string output_path;         // empty: standard output
  std::string fail_on = "any";     // any, or a severity: that one or higher makes the exit status 1
  std::optional<std::string> now;  // the audit clock of the certificate checks; default: the current time
  std::vector<std::string> excludes;  // --exclude GLOB: files whose path (or a trailing part of it) matches are not read
};

// Exit status: 0 no unsuppressed finding at or above --fail-on; 1 some; 2 a usage error or a file
// that could not be read or parsed (every other file is still linted and reported).
int run_lint_command(const LintCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

}  // namespace fleetaudit
