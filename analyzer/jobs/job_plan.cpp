#include "analyzer/jobs/job_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "analyzer/load/byte_source.h"
#include "analyzer/load/input_files.h"
#include "analyzer/load/loaders.h"
#include "analyzer/organization/snapshot_set.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_name_character(char c) {
  return is_lower(c) || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '_' || c == '-';
}

std::string quoted_value(std::string_view text) { return "\"" + escape_control(text.substr(0, 80)) + "\""; }

// The manifest of `folder` (relative to `directory`), read by the audit's own manifest loader.
void plan_snapshot(const std::string& directory, const std::string& folder, JobPlan& plan) {
  const std::string relative = folder == "." ? "manifest.json" : folder + "/manifest.json";
  if (!is_plan_folder(folder)) {
    plan.errors.push_back(
        fmt::format("{}: the folder name {} is not one plan-jobs passes to a job (expected names "
                    "of [A-Za-z0-9._-] not starting with '.' or '-', as the exporter writes)",
                    escape_control(relative), quoted_value(folder)));
    return;
  }
  const ReadBoundary boundary = ReadBoundary::around(directory, "the directory given to plan-jobs");
  std::string error;
  std::optional<ByteSource> bytes = ByteSource::open_file(directory + "/" + relative, error, &boundary);
  if (!bytes) {
    plan.errors.push_back(fmt::format("{}: cannot read: {}", escape_control(relative), error));
    return;
  }
  Diagnostics diagnostics;
  Snapshot snapshot;
  load::FileReader reader(relative, *bytes, diagnostics);
  load::ondemand::parser parser;
  load::load_manifest(reader, parser, snapshot);
  for (const Diagnostic& problem : diagnostics.items())
    if (problem.severity == DiagnosticSeverity::error) plan.errors.push_back(escape_control(problem.render()));
  if (diagnostics.has_errors()) return;
  const Manifest& manifest = snapshot.manifest;
  const auto text = [&](StringId id) {
    return id == kNoString ? std::string() : std::string(snapshot.strings.view(id));
  };
  PlannedSnapshot planned{text(manifest.account_id), text(manifest.region), folder, manifest.complete != false,
                          manifest.export_error};
  if (!is_account_id(planned.account))
    plan.errors.push_back(
        fmt::format("{}: accountId {} is not a 12-digit AWS account id", escape_control(relative),
                    manifest.account_id == kNoString ? std::string("is missing and") : quoted_value(planned.account)));
  if (!is_region_name(planned.region))
    plan.errors.push_back(
        fmt::format("{}: region {} is not an AWS Region name (expected [a-z]{{2}}(-[a-z]+)+-[0-9], "
                    "such as eu-west-1)",
                    escape_control(relative),
                    manifest.region == kNoString ? std::string("is missing and") : quoted_value(planned.region)));
  if (is_account_id(planned.account) && is_region_name(planned.region)) plan.snapshots.push_back(std::move(planned));
}

}  // namespace

bool is_account_id(std::string_view text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), is_digit);
}

bool is_region_name(std::string_view text) {
  // [a-z]{2}(-[a-z]+)+-[0-9]
  if (text.size() < 6 || text.size() > 32 || !is_lower(text[0]) || !is_lower(text[1]) || text[2] != '-') return false;
  if (!is_digit(text.back()) || text[text.size() - 2] != '-') return false;
  const std::string_view words = text.substr(3, text.size() - 5);  // ([a-z]+-)* [a-z]+
  if (words.empty() || words.front() == '-' || words.back() == '-') return false;
  for (size_t i = 0; i < words.size(); ++i)
    if (!is_lower(words[i]) && !(words[i] == '-' && words[i - 1] != '-')) return false;
  return true;
}

bool is_plan_folder(std::string_view text) {
  if (text == ".") return true;
  if (text.empty() || text.size() > 255) return false;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('/', start), text.size());
    const std::string_view name = text.substr(start, end - start);
    if (name.empty() || name.front() == '.' || name.front() == '-' ||
        !std::all_of(name.begin(), name.end(), is_name_character))
      return false;
    start = end + 1;
  }
  return true;
}

bool JobPlan::has_failures() const {
  return !missing.empty() || std::any_of(snapshots.begin(), snapshots.end(),
                                         [](const PlannedSnapshot& snapshot) { return !snapshot.complete; });
}

JobPlan plan_jobs(const std::string& directory) {
  JobPlan plan;
  // The snapshots and failures `fleetaudit audit OUT_DIR` audits: the merged jobs cover the same.
  std::string error;
  const std::optional<SnapshotSet> found = find_snapshots(directory, error);
  if (!found) {
    plan.errors.push_back(escape_control(error));
    return plan;
  }
  for (const SnapshotEntry& snapshot : found->snapshots) plan_snapshot(directory, snapshot.relative, plan);
  for (const AccountFailure& failure : found->failures)
    plan.missing.push_back({failure.account_id, failure.region, failure.reason});
  return plan;
}

}  // namespace fleetaudit
