#include "analyzer/cli/plan_jobs_command.h"

#include <fmt/format.h>

#include "analyzer/cli/commands.h"
#include "analyzer/load/input_files.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

// Names on standard error what the plan leaves out or what will audit as incomplete.
void report_gaps(const JobPlan& plan, std::FILE* errors) {
  for (const MissingSnapshot& gap : plan.missing)
    fmt::print(errors, "fleetaudit: warning: {}{}: {}; it is not in the plan\n", escape_control(gap.account),
               gap.region.empty() ? "" : " in " + escape_control(gap.region), escape_control(gap.reason));
  for (const PlannedSnapshot& snapshot : plan.snapshots)
    if (!snapshot.complete)
      fmt::print(errors,
                 "fleetaudit: warning: {}: the export of account {} in {} did not finish ({}); its audit will "
                 "say which checks are incomplete\n",
                 snapshot.folder, snapshot.account, snapshot.region,
                 snapshot.incomplete_reason.empty() ? "no reason given" : escape_control(snapshot.incomplete_reason));
}

std::optional<std::string> refused_options(const PlanJobsCommandOptions& options, const JobPlan& plan) {
  if (options.format == "github-matrix") {
    if (options.max_jobs == 0 || options.max_jobs > kGithubMatrixJobLimit)
      return fmt::format("--max-jobs must be 1 to {} (GitHub runs at most {} jobs of a matrix per workflow run)",
                         kGithubMatrixJobLimit, kGithubMatrixJobLimit);
    return std::nullopt;
  }
  if (auto refused = refused_kubernetes_option(options.kubernetes)) return refused;
  if (kubernetes_plan_bytes(plan) > (size_t{1} << 20) - 4096)
    return fmt::format("{} snapshots do not fit in one ConfigMap (1 MiB); plan part of the directory at a time",
                       plan.snapshots.size());
  return std::nullopt;
}

}  // namespace

int run_plan_jobs_command(const PlanJobsCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  if (inspect_path(options.directory).kind != PathKind::directory) {
    fmt::print(errors,
               "fleetaudit: error: {} is not a directory; give the directory fleetaudit-export "
               "--organization wrote\n",
               escape_control(options.directory));
    return kUsageOrInputError;
  }
  const JobPlan plan = plan_jobs(options.directory);
  for (const std::string& error : plan.errors) fmt::print(errors, "fleetaudit: error: {}\n", error);
  if (!plan.errors.empty()) {
    fmt::print(errors,
               "fleetaudit: error: no plan written: every snapshot must be readable and name its account and "
               "region\n");
    return kUsageOrInputError;
  }
  report_gaps(plan, errors);
  if (plan.snapshots.empty()) {
    fmt::print(errors, "fleetaudit: error: no snapshot (a folder with manifest.json) under {}\n",
               escape_control(options.directory));
    return kUsageOrInputError;
  }
  if (auto refused = refused_options(options, plan)) {
    fmt::print(errors, "fleetaudit: error: {}\n", *refused);
    return kUsageOrInputError;
  }
  std::optional<OutputFile> file;
  if (!options.output_path.empty() && !(file = open_output(options.output_path, "--output", errors)))
    return kUsageOrInputError;
  std::FILE* out = file ? file->stream() : standard_output;
  if (options.format == "github-matrix") write_github_matrix(plan, options.max_jobs, out);
  else write_kubernetes_job(plan, options.kubernetes, out);
  if (!finish_output(file, options.output_path, "--output", standard_output, errors)) return kUsageOrInputError;
  return plan.has_failures() ? kNonCompliant : kCompliant;
}

}  // namespace fleetaudit
