#include "analyzer/lint/lint_run.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <optional>
#include <thread>

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

LintedFile lint_read(IacFile file, EpochMillis now) {
  LintedFile linted;
  linted.file = std::move(file);
  IacFile& iac = linted.file;
  if (iac.kind.empty() || !iac.problems.empty()) {
    // A file that does not parse is reported as such; one that parses is checked as far as it was read.
    bool parsed = true;
    for (const Diagnostic& problem : iac.problems) parsed &= problem.message.rfind("not valid ", 0) != 0;
    if (iac.kind.empty() || !parsed) return linted;
  }
  run_template_checks(iac, nullptr, now, linted.findings);
  for (const LintRule& rule : LintRuleRegistry::instance().rules()) {
    if (rule.run_on_file != nullptr) rule.run_on_file(rule, iac, linted.findings);
    if (rule.run == nullptr) continue;
    for (const PolicyInput& policy : iac.policies) rule.run(rule, policy, iac, linted.findings);
  }
  for (LintFinding& finding : linted.findings) finding.identity += "\n" + iac.source->path();
  sort_findings(linted.findings);
  apply_suppressions(iac, linted.findings);
  return linted;
}

// A policy file a .tf reads with file() is linted as that resource's policy (its name, its
// attachments): not a second time on its own.
void drop_policy_files_read_by_terraform(std::vector<LintedFile>& files) {
  std::set<std::filesystem::path> read;
  std::error_code ignored;
  for (const LintedFile& linted : files)
    for (const auto& other : linted.file.other_sources) read.insert(std::filesystem::weakly_canonical(other->path(), ignored));
  if (read.empty()) return;
  std::erase_if(files, [&](const LintedFile& linted) {
    const std::string& kind = linted.file.kind;
    return (kind == "IoT policy document" || kind == "JSON") &&
           read.count(std::filesystem::weakly_canonical(linted.file.source->path(), ignored)) > 0;
  });
}

// A .gitignore keeps files out of lint, not out of a deployment (git deploys what is committed):
// what it kept out is said, a warning that names the first few.
void note_ignored_files(LintRun& run) {
  if (run.ignored.empty()) return;
  constexpr size_t kNamed = 10;
  std::string names;
  for (size_t i = 0; i < run.ignored.size() && i < kNamed; ++i) names += (i ? ", " : "") + run.ignored[i];
  if (run.ignored.size() > kNamed) names += fmt::format(" and {} more", run.ignored.size() - kNamed);
  run.problems.warning({}, fmt::format("a .gitignore kept {} file(s) named like IaC out of the lint, which git still "
                                       "deploys if they are committed (name them as PATHs to lint them): {}",
                                       run.ignored.size(), names));
}

}  // namespace

std::vector<const CheckInfo*> LintRun::rules() const {
  std::vector<const CheckInfo*> rules;
  for (const CheckInfo* check : template_decidable_checks()) rules.push_back(check);
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

EpochMillis current_clock() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

LintedFile lint_text(std::string text, const std::string& display_path, EpochMillis now, const ReadBoundary* boundary) {
  IacFile file = read_iac_text(std::move(text), display_path, boundary);
  file.boundary = nullptr;  // the boundary is the caller's: kept only while the file is read
  return lint_read(std::move(file), now);
}

bool excluded(std::string_view path, const std::vector<std::string>& excludes) {
  for (const std::string& glob : excludes) {
    const std::string under = glob + "/*";
    for (size_t start = 0; start != std::string_view::npos;) {
      const std::string part(path.substr(start));
      if (fnmatch(glob.c_str(), part.c_str(), 0) == 0 || fnmatch(under.c_str(), part.c_str(), 0) == 0) return true;
      const size_t slash = path.find('/', start);
      start = slash == std::string_view::npos ? slash : slash + 1;
    }
  }
  return false;
}

LintRun lint_paths(const std::vector<std::string>& paths, EpochMillis now, const std::vector<std::string>& excludes) {
  LintRun run;
  const LintInputs found = lint_inputs(paths, run.problems);
  run.ignored = found.ignored;
  std::vector<std::string> inputs = found.files;
  std::erase_if(inputs, [&](const std::string& input) { return excluded(input, excludes); });
  // Files are independent: linted on every core, reported in input order.
  struct Slot {
    std::optional<LintedFile> linted;
    uint64_t bytes = 0;
    std::string unreadable;  // why, when it could not be read
  };
  std::vector<Slot> slots(inputs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      // Only a regular file inside the boundary, of bounded size: never a FIFO (which would hang), a
      // device (/dev/zero: endless) nor a link to a file of this machine's.
      std::string text, error;
      if (!read_regular_file(inputs[i], text, error, kMaxLintFileBytes, &found.boundary)) {
        slots[i].unreadable = error.empty() ? "cannot be read" : error;
        continue;
      }
      slots[i].bytes = text.size();
      slots[i].linted = lint_text(std::move(text), inputs[i], now, &found.boundary);
    }
  };
  const size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), inputs.size());
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  for (size_t i = 0; i < inputs.size(); ++i) {
    Slot& slot = slots[i];
    if (!slot.unreadable.empty()) {
      run.problems.error(inputs[i], slot.unreadable + "; not read");
      continue;
    }
    ++run.files_read;
    run.bytes_read += slot.bytes;
    if (!slot.linted->file.kind.empty() || !slot.linted->file.problems.empty()) run.files.push_back(std::move(*slot.linted));
  }
  drop_policy_files_read_by_terraform(run.files);
  note_ignored_files(run);
  // Linting nothing is no pass: a PATH of no IaC, or a .gitignore that ignores everything.
  if (run.files_read == 0 && !run.problems.has_errors())
    run.problems.error(paths.size() == 1 ? paths[0] : std::string(),
                       run.ignored.empty() ? "no file to lint was found (*.json, *.yaml, *.yml, *.template, *.tf)"
                                           : "every file to lint was ignored by a .gitignore; nothing was read");
  return run;
}

}  // namespace fleetaudit::lint
