#pragma once
// `fleetaudit plan-jobs`: the snapshots of an organization export, one job each, for the runner the
// user already has (a GitHub Actions matrix, a Kubernetes Indexed Job). fleetaudit schedules nothing.
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit {

// One snapshot to audit in a job. Every value was read from an untrusted manifest and checked:
// `account` is 12 digits, `region` an AWS Region name, `folder` a relative path of [A-Za-z0-9._-]
// names (none starting with '.' or '-'), so that none can be read as shell syntax, an option or a
// path leading elsewhere.
struct PlannedSnapshot {
  std::string account;
  std::string region;
  std::string folder;  // relative to the export directory, '/'-separated; "." for the directory itself
  bool complete = true;  // false: the exporter did not finish it (the audit says "incomplete")
  std::string incomplete_reason;
};

// An account or region organization.json lists without a snapshot to audit.
struct MissingSnapshot {
  std::string account;
  std::string region;  // empty: the whole account
  std::string result;  // organization.json's result: failed, interrupted, skipped, or "missing"
  std::string reason;
  bool failure = true;  // false for an account that is not ACTIVE (skipped on purpose)
};

struct JobPlan {
  std::vector<PlannedSnapshot> snapshots;  // sorted by account, region, folder
  std::vector<MissingSnapshot> missing;    // sorted by account, region
  // Input that makes the plan unusable: an unreadable or hostile manifest, two snapshots of one
  // account and region, a folder that could not be searched. Escaped for a terminal.
  std::vector<std::string> errors;
  bool has_failures() const;  // a snapshot incomplete, or an account or region failed
};

// Finds the snapshots under `directory` (snapshot_folders.h), reads each manifest's accountId,
// region and complete, and organization.json when there is one.
JobPlan plan_jobs(const std::string& directory);

bool is_account_id(std::string_view text);
bool is_region_name(std::string_view text);  // [a-z]{2}(-[a-z]+)+-[0-9], as the exporter checks
bool is_plan_folder(std::string_view text);

}  // namespace fleetaudit
