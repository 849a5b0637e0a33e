#pragma once
// Running the checks over a loaded snapshot.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/check.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/phase_timings.h"

namespace fleetaudit {

// incomplete: the check ran, but on inputs of which some records or parts could not be read;
// its findings stand, its silence does not. Never reported as compliant.
enum class CheckStatus : uint8_t { compliant, non_compliant, incomplete, not_run, disabled };
const char* to_string(CheckStatus status);

struct CheckRun {
  const CheckInfo* check = nullptr;
  CheckStatus status = CheckStatus::not_run;
  std::string not_run_reason;  // why it was not run, disabled, or is incomplete
  std::string error_code;      // auditDetails errorCode, for not run, disabled and incomplete
  bool input_problem = false;  // incomplete, or not run because an input could not be read
  Findings findings;           // sorted by resource key
  uint64_t resources_evaluated = 0;
  size_t suppressed_findings = 0;
  std::vector<std::pair<std::string_view, int64_t>> parameters;

  // Distinct resources among the findings: a resource may fail for several reason codes.
  size_t non_compliant_resources() const;
};

struct AuditOptions {
  std::optional<EpochMillis> now;                // --now
  std::optional<AuditConfiguration> configuration;  // --config; replaces the snapshot's
  std::string configuration_source;              // file name, for messages
  std::vector<AuditSuppression> suppressions;    // --suppressions; added to the snapshot's
  std::string weak_key_blocklists;               // --weak-key-blocklists; empty: the shipped sample
  PhaseTimings* timings = nullptr;               // when set, each check's run time is recorded
  // The caller keeps the snapshot for as long as the report: the checks that fail many resources
  // may keep their findings as rows of its tables (findings.h), worded as reports read them.
  // Otherwise every finding is held whole, and the snapshot may be freed once the audit returns.
  bool findings_may_refer_to_snapshot = false;
};

struct AuditReport {
  EpochMillis clock = 0;
  std::string clock_source;  // "--now", "manifest.exportedAt" or "the current time"
  std::string account_id;
  std::string region;
  std::vector<CheckRun> runs;  // one per registered check, sorted by name
  // The Debian weak-key blocklists the key-quality checks ran against, stated in every report.
  std::string weak_key_blocklist_directory;  // --weak-key-blocklists, or "the shipped partial sample"
  size_t weak_key_blocklist_entries = 0;
  std::string weak_key_blocklist_summary;  // "RSA-1024: 613, RSA-2048: 613"
  Diagnostics diagnostics;     // input problems, and notes about the configuration
  // The snapshot's manifest says the export did not finish: whatever ran, the audit is of part
  // of the account (exit status 2 even when no check that ran read a missing file).
  bool export_unfinished = false;

  size_t unsuppressed_findings() const;
  // Some input could not be read or evaluated (exit status 2).
  bool input_problems() const;
};

// Validates a configuration against the registry: unknown check names and parameter values out
// of range are errors. Returns the messages (empty when valid). `strict`: unknown names are
// errors (a user's --config) rather than notes (an account's own configuration).
std::vector<std::string> validate_configuration(const AuditConfiguration& configuration, bool strict,
                                                std::vector<std::string>& notes);

// Whether a check runs under this configuration (none: every check runs).
bool check_enabled(const AuditConfiguration* configuration, const CheckInfo& check);
// Whether some check enabled under this configuration reads device certificates' PEMs.
bool pems_needed(const AuditConfiguration* configuration);

// Runs every registered check. `diagnostics` (from loading) are carried into the report.
AuditReport run_audit(const Snapshot& snapshot, const AuditOptions& options, Diagnostics diagnostics);

// What makes a finding itself: the check, the resource, and the reason code when the check has several.
std::string finding_identity(const CheckInfo& check, const Finding& finding);
// A stable id for a finding: the same check and resource give the same id in every run.
std::string finding_id(const CheckInfo& check, const Finding& finding);
// sha256_hex(finding_identity(…)), the identity built in a reused buffer (reports take one a finding).
std::string finding_identity_digest(const CheckInfo& check, const Finding& finding);
// The same id, cut from sha256_hex(finding_identity(…)) by a caller that needs that digest anyway.
inline std::string_view finding_id_of_digest(std::string_view identity_digest) { return identity_digest.substr(0, 32); }

}  // namespace fleetaudit
