#pragma once
// An earlier fleetaudit report (JSON or SARIF) read back as the baseline of a new audit.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

// A finding of the baseline: enough to match it and, when it is gone, to report it fixed.
struct BaselineFinding {
  std::string check_name;  // the registry's spelling when the check is known
  ResourceIdentifier resource;
  std::string resource_type;
  std::string reason_code;
  std::string message;
  std::string severity;
  std::string finding_id;
  std::string fingerprint;   // SARIF partialFingerprints.primaryLocationLineHash
  std::string logical_name;  // the resource's ARN or id
  EpochMillis first_detected = 0;
  bool suppressed = false;
  // Read from JSON reports only: what the other formats need, for `fleetaudit merge`.
  AdditionalInfo additional_info;
  std::vector<RelatedResource> related;
  SourceLocation location;
  std::string suppression_description;
  std::string snapshot;  // an organization report's: the identity of the snapshot it belongs to
  Evidence evidence;     // what the finding rests on (the JSON report's "evidence")
};

// What the baseline said of one check: its status and the parameters it ran with.
struct BaselineCheck {
  std::string name;
  std::string status;  // as to_string(CheckStatus) writes it, e.g. "non-compliant"
  std::string reason;  // why it did not run
  std::vector<std::pair<std::string, int64_t>> parameters;
  std::string error_code;  // JSON reports only, as the rest of this block
  bool input_problem = false;
  int64_t resources_evaluated = 0;
};

struct Baseline {
  std::string path;
  std::string format;  // "JSON" or "SARIF"
  std::string account_id;
  std::string region;
  EpochMillis clock = 0;
  std::string guid;  // the automation guid of that audit
  std::vector<BaselineCheck> checks;
  std::vector<BaselineFinding> findings;  // what was found then (a SARIF baseline's absent results are not)
  // JSON reports only: the rest of what the report said of the audit.
  std::string clock_source;
  std::string snapshot;  // the snapshot directory as the audit was given it
  bool export_unfinished = false;
  int64_t weak_key_blocklist_entries = 0;
  std::string weak_key_blocklist_summary, weak_key_blocklist_directory;
  std::vector<Diagnostic> diagnostics;
};

// An account (and region) an organization export could not read: audited as "not run".
struct AccountFailure {
  std::string account_id;
  std::string region;  // empty: the whole account
  std::string reason;
};

// Every audit a report holds: one for the report of a snapshot, one per snapshot for the report of
// an organization (`fleetaudit audit DIR`), with the accounts that could not be exported.
struct ReportContents {
  std::vector<Baseline> audits;
  std::vector<AccountFailure> failures;
};

// Reads an earlier `fleetaudit audit` report, telling JSON from SARIF by its content. nullopt with
// `error` set when the file cannot be read or is not a fleetaudit report with its audit metadata.
std::optional<Baseline> read_baseline(const std::string& path, std::string& error);
// "ACCOUNT/REGION", or the snapshot's path when its manifest names neither: what tells one
// snapshot's audit from another's in an organization's reports.
std::string snapshot_identity(const std::string& account_id, const std::string& region, const std::string& directory);

// Reads a report that may be an organization's (JSON), or a snapshot's (JSON or SARIF).
std::optional<ReportContents> read_report(const std::string& path, std::string& error);

}  // namespace fleetaudit
