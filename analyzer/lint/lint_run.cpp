#include "analyzer/lint/lint_run.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "analyzer/lint/apply_suppressions.h"
#include "analyzer/lint/iac_reader.h"
#include "analyzer/lint/lint_inputs.h"
#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/template_checks.h"

namespace fleetaudit::lint {

namespace {

void sort_findings(std::vector<LintFinding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) {
    if (a.where.begin != b.where.begin) return a.where.begin < b.where.begin;
    if (a.check->name != b.check->name) return a.check->name < b.check->name;
    return a.message < b.message;
  });
}

LintedFile lint_read(IacFile file) {
  LintedFile linted;
  linted.file = std::move(file);
  IacFile& iac = linted.file;
  if (iac.kind.empty() || !iac.problems.empty()) {
    // A file that does not parse is reported as such; one that parses is checked as far as it was read.
    bool parsed = true;
    for (const Diagnostic& problem : iac.problems) parsed &= problem.message.rfind("not valid ", 0) != 0;
    if (iac.kind.empty() || !parsed) return linted;
  }
  run_template_checks(iac, nullptr, linted.findings);
  for (const PolicyInput& policy : iac.policies)
    for (const LintRule& rule : LintRuleRegistry::instance().rules()) rule.run(rule, policy, linted.findings);
  for (LintFinding& finding : linted.findings) finding.identity += "\n" + iac.source->path();
  sort_findings(linted.findings);
  apply_suppressions(iac, linted.findings);
  return linted;
}

}  // namespace

std::vector<const CheckInfo*> LintRun::rules() const {
  std::vector<const CheckInfo*> rules;
  for (std::string_view name : template_decidable_checks())
    if (const CheckInfo* check = CheckRegistry::instance().find(name)) rules.push_back(check);
  for (const LintRule& rule : LintRuleRegistry::instance().rules()) rules.push_back(&rule.info);
  return rules;
}

bool LintRun::input_errors() const {
  if (problems.has_errors()) return true;
  for (const LintedFile& linted : files)
    for (const Diagnostic& problem : linted.file.problems)
      if (problem.severity == DiagnosticSeverity::error) return true;
  return false;
}

LintedFile lint_text(std::string text, const std::string& display_path) {
  return lint_read(read_iac_text(std::move(text), display_path));
}

LintRun lint_paths(const std::vector<std::string>& paths) {
  LintRun run;
  for (const std::string& path : lint_inputs(paths, run.problems)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      run.problems.error(path, "cannot be read");
      continue;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    ++run.files_read;
    run.bytes_read += text.size();
    LintedFile linted = lint_text(std::move(text), path);
    if (!linted.file.kind.empty() || !linted.file.problems.empty()) run.files.push_back(std::move(linted));
  }
  return run;
}

}  // namespace fleetaudit::lint
