#pragma once
// An earlier fleetaudit report (JSON or SARIF) read back as the baseline of a new audit.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/finding.h"
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
};

// What the baseline said of one check: its status and the parameters it ran with.
struct BaselineCheck {
  std::string name;
  std::string status;  // as to_string(CheckStatus) writes it, e.g. "non-compliant"
  std::string reason;  // why it did not run
  std::vector<std::pair<std::string, int64_t>> parameters;
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
};

// Reads an earlier `fleetaudit audit` report, telling JSON from SARIF by its content. nullopt with
// `error` set when the file cannot be read or is not a fleetaudit report with its audit metadata.
std::optional<Baseline> read_baseline(const std::string& path, std::string& error);

}  // namespace fleetaudit
