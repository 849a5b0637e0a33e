#pragma once
// A job plan written for the runner that runs it: a GitHub Actions matrix or a Kubernetes Indexed Job.
#include <cstdio>
#include <optional>
#include <string>

#include "analyzer/jobs/job_plan.h"

namespace fleetaudit {

// GitHub documents at most 256 jobs per matrix in one workflow run ("A matrix will generate a
// maximum of 256 jobs per workflow run", workflow syntax, jobs.<job_id>.strategy.matrix).
constexpr size_t kGithubMatrixJobLimit = 256;

// {"include": [{"account", "region", "snapshot"}, …]} on one line (for $GITHUB_OUTPUT), one entry
// per snapshot; with more snapshots than `max_jobs`, consecutive snapshots share a job:
// {"include": [{"job": K, "snapshots": "A/R B/R …"}, …]}, at most `max_jobs` entries, the
// snapshots separated by spaces (plan folders hold none).
void write_github_matrix(const JobPlan& plan, size_t max_jobs, std::FILE* out);

struct KubernetesJobOptions {
  std::string name = "fleetaudit-audit";                 // the Job; the ConfigMap is NAME-plan
  std::string image = "fleetaudit";                      // an image with fleetaudit on its PATH
  std::string volume_claim = "fleetaudit-organization";  // holds the export; reports go to reports/ in it
  size_t parallelism = 4;
};

// Why an option cannot be written into the manifest (not a DNS label, not an image reference).
std::optional<std::string> refused_kubernetes_option(const KubernetesJobOptions& options);

// A v1 List of a ConfigMap (key INDEX → snapshot folder) and a batch/v1 Indexed Job with one
// completion per snapshot. Its shell script names no snapshot: it reads the folder from the
// ConfigMap file /plan/$JOB_COMPLETION_INDEX into a quoted variable.
void write_kubernetes_job(const JobPlan& plan, const KubernetesJobOptions& options, std::FILE* out);

// ConfigMaps hold at most 1 MiB: the plan's ConfigMap data in bytes, to refuse one that is larger.
size_t kubernetes_plan_bytes(const JobPlan& plan);

}  // namespace fleetaudit
