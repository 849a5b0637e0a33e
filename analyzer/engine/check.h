#pragma once
// What a check is: its metadata (as Device Defender names it) and one function that sweeps the tables.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/engine/findings.h"
#include "analyzer/tables/snapshot.h"
#include "analyzer/x509/weak_key_blocklist.h"

namespace fleetaudit {

struct CheckParameter {
  std::string_view name;  // as in auditCheckConfigurations[check].configuration
  int64_t default_value;
  int64_t minimum;
  int64_t maximum;
  std::string_view description;
};

struct CheckContext {
  const Snapshot& snapshot;
  EpochMillis now;                                          // the audit clock
  std::vector<std::pair<std::string_view, int64_t>> parameters;  // every declared parameter, resolved
  const x509::WeakKeyBlocklist& weak_keys;                       // Debian weak-key blocklists

  int64_t parameter(std::string_view name) const {
    for (const auto& [parameter_name, value] : parameters)
      if (parameter_name == name) return value;
    return 0;
  }
};

struct CheckResult {
  Findings findings;
  uint64_t resources_evaluated = 0;
  // Set when the check could not be decided from this snapshot (said as "not run: why").
  std::optional<std::string> not_run_reason;
  // What the run could not judge (e.g. a part that needs data the snapshot lacks), reported as
  // warnings under the check's name.
  std::vector<std::string> notes;
  // Input problems met while evaluating (file, message): reported like loading problems (exit
  // status 2), and the check is incomplete.
  std::vector<std::pair<std::string, std::string>> input_problems;
  // Resources the check could not decide within its work bounds ("policy P version 1: …"): the
  // check is incomplete, never compliant, and the audit exits with status 2.
  std::vector<std::string> undecided;
};

// The AWS Security Finding Format type (namespace/category[/classifier]) most checks' findings carry.
inline constexpr std::string_view kSecurityHubVulnerabilities = "Software and Configuration Checks/Vulnerabilities";

struct CheckInfo {
  std::string_view name;                  // the AWS check name (or FLEETAUDIT_… for our own)
  std::vector<std::string_view> aliases;  // other spellings accepted where a check name is read
  Severity severity;
  ResourceType resource_type;
  std::vector<std::string_view> reason_codes;
  std::string_view short_description;
  std::string_view full_description;
  std::string_view help;  // how to fix, in Markdown
  std::string_view help_uri;
  std::vector<CheckParameter> parameters;
  // Each group names files of which at least one must be in the snapshot, else "not run".
  std::vector<std::vector<SnapshotFile>> required_inputs;
  // Files the check also reads when they are there: one with gaps leaves the check incomplete.
  std::vector<SnapshotFile> optional_inputs = {};
  CheckResult (*run)(const CheckContext&);
  // Mitigation action types (MitigationActionType names) this check's findings may use: for AWS's
  // checks, AWS's table (https://docs.aws.amazon.com/iot-device-defender/latest/devguide/dd-mitigation-actions.html).
  std::vector<std::string_view> mitigation_actions = {};
  // `fleetaudit lint` runs the check on the snapshot a template declares: every input the check
  // reads can be declared completely in a template (no account history, usage or connections).
  bool decidable_from_template = false;
  // Reads the facts extracted from device certificates' PEMs (key, issuer, serial, digests).
  // When no enabled check does, the loader skips that work, most of a snapshot's cost.
  bool reads_device_certificate_pems = false;
  // One of fleetaudit's own checks (FLEETAUDIT_…), which no AWS audit configuration lists: a
  // configuration that does not name it leaves it enabled.
  bool fleetaudit_own = false;
  // The ASFF `Types` entry of this check's Security Hub findings (as Device Defender's integration
  // types them: a shared identity is "Unusual Behaviors", a known-weak key a CVE).
  std::string_view security_hub_type = kSecurityHubVulnerabilities;
};

// All checks, sorted by name. Filled by RegisterCheck objects in rules/.
class CheckRegistry {
public:
  static CheckRegistry& instance();
  void add(CheckInfo info);
  const std::vector<CheckInfo>& checks() const { return checks_; }
  // By name or alias; nullptr when unknown.
  const CheckInfo* find(std::string_view name) const;
  size_t index_of(const CheckInfo& check) const { return static_cast<size_t>(&check - checks_.data()); }

private:
  std::vector<CheckInfo> checks_;
};

struct RegisterCheck {
  explicit RegisterCheck(CheckInfo info) { CheckRegistry::instance().add(std::move(info)); }
};

}  // namespace fleetaudit
