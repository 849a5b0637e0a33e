#pragma once
// What changed between a baseline audit and this one: each finding's baseline state, the findings
// fixed since, and what the audit covers differently (checks that stopped running, parameters).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/baseline/baseline.h"
#include "analyzer/engine/audit.h"

namespace fleetaudit {

// SARIF's baselineState values.
enum class BaselineState : uint8_t { new_finding, updated, unchanged, absent };
const char* to_string(BaselineState state);  // "new", "updated", "unchanged", "absent"

struct FindingDrift {
  BaselineState state = BaselineState::new_finding;
  EpochMillis first_detected = 0;  // carried from the baseline; this audit's clock when new
};

struct Drift {
  std::string baseline_path;
  std::string baseline_format;  // "JSON" or "SARIF"
  EpochMillis baseline_clock = 0;
  std::string baseline_guid;
  std::vector<std::vector<FindingDrift>> by_run;  // parallel to AuditReport::runs[i].findings
  std::vector<BaselineFinding> fixed;             // in the baseline, gone now, of checks that ran both times
  // Baseline findings of an older policy version that an updated finding replaces: a report that
  // names findings by version (Security Hub's ids) retires these.
  std::vector<BaselineFinding> superseded;
  std::vector<std::string> coverage_notes;        // checks that stopped (or started) running, parameter changes
  size_t new_findings = 0, updated = 0, unchanged = 0;

  const FindingDrift& of(size_t run, size_t finding) const { return by_run[run][finding]; }
};

// Refuses a baseline of another account or region (the message says which); nullopt when it fits.
std::optional<std::string> foreign_baseline(const AuditReport& report, const Baseline& baseline);

// Matches this audit's findings to the baseline's by check, resource (without the policy version)
// and reason code. Same version: unchanged; another version of a policy found before: updated.
Drift compute_drift(const AuditReport& report, const Baseline& baseline);

// "3 new, 1 updated, 12 unchanged, 4 fixed since the audit of 2026-11-20T08:15:42.000Z"
std::string drift_summary(const Drift& drift);

}  // namespace fleetaudit
