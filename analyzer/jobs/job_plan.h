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
  std::string folder;    // relative to the export directory, '/'-separated; "." for the directory itself
  bool complete = true;  // false: the exporter did not finish it (the audit says "incomplete")
  std::string incomplete_reason;
};

// An account or region organization.json says failed to export: it has no snapshot to audit.
struct MissingSnapshot {
  std::string account;
  std::string region;  // empty: the whole account
  std::string reason;
};

struct JobPlan {
  std::vector<PlannedSnapshot> snapshots;  // sorted by account, region, folder
  std::vector<MissingSnapshot> missing;    // sorted by account, region
  // Input that makes the plan unusable: an unreadable or hostile manifest, two snapshots of one
  // account and region, an unreadable organization.json. Escaped for a terminal.
  std::vector<std::string> errors;
  bool has_failures() const;  // a snapshot incomplete, or an account or region failed
};

// The snapshots and failed accounts `fleetaudit audit DIR` finds under `directory`
// (organization/snapshot_set.h), each manifest read again by the audit's loader to check its
// accountId and region and to know whether the export finished.
JobPlan plan_jobs(const std::string& directory);

bool is_account_id(std::string_view text);
bool is_region_name(std::string_view text);  // [a-z]{2}(-[a-z]+)+-[0-9], as the exporter checks
bool is_plan_folder(std::string_view text);

}  // namespace fleetaudit
