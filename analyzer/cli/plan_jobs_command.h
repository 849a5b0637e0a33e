#pragma once
// `fleetaudit plan-jobs OUT_DIR`: one job per snapshot of an organization export.
#include <cstdio>
#include <string>

#include "analyzer/jobs/job_plan_output.h"

namespace fleetaudit {

struct PlanJobsCommandOptions {
  std::string directory;
  std::string format = "github-matrix";     // github-matrix | kubernetes
  std::string output_path;                  // empty: standard output
  size_t max_jobs = kGithubMatrixJobLimit;  // github-matrix: more snapshots share jobs
  KubernetesJobOptions kubernetes;
};

// Exit status: 0 the plan holds every account and region, each complete; 1 the plan is written but
// an account or region has no snapshot (organization.json says it failed) or a snapshot is
// incomplete, each named on standard error; 2 usage error, no snapshot found, or a manifest that
// cannot be read or holds values refused (nothing is written).
int run_plan_jobs_command(const PlanJobsCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

}  // namespace fleetaudit
