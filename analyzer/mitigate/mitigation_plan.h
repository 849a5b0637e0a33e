#pragma once
// A mitigation plan: one execution per (finding, action), in order, with the exact changes it makes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/audit.h"
#include "analyzer/mitigate/mitigation_action.h"

namespace fleetaudit {

// An audit finding as a mitigation task sees it: from this run's audit or from a findings file.
struct MitigationFinding {
  std::string finding_id;
  std::string task_id;
  std::string check_name;
  std::string severity;
  std::string resource_type;
  ResourceIdentifier resource;
  std::string reason_code;
  std::string message;
  EpochMillis task_start_time = 0;
  EpochMillis finding_time = 0;
  bool suppressed = false;
};

// The findings of an audit report, in report order.
std::vector<MitigationFinding> findings_of(const AuditReport& report);
// Reads fleetaudit's (AWS-shaped) JSON output, `{"findings": [AuditFinding…]}`; problems go to `errors`.
std::optional<std::vector<MitigationFinding>> parse_findings(std::string_view json_text,
                                                             std::vector<std::string>& errors);

// One AWS call's worth of change to the account.
struct PlannedChange {
  enum class Kind : uint8_t {
    deactivate_certificate,     // resource: certificate id; before: its status
    deactivate_ca_certificate,  // resource: CA certificate id; before: its status
    add_thing_to_thing_group,   // resource: thing name; target: group name
    delete_policy_version,      // resource: policy name; target: version id
    create_default_policy_version,  // resource: policy name; target: new version id; before: old default
    set_v2_logging_options,     // resource: logging role ARN; target: level; before: current state
    publish_finding,            // resource: topic ARN; target: the SNS message (JSON)
  };
  Kind kind;
  std::string resource;
  std::string target;
  std::string before;
  std::string why;  // for policy version deletions: which version and why
  bool override_dynamic_groups = false;
};

enum class ExecutionStatus : uint8_t { pending, skipped };
const char* to_string(ExecutionStatus status);

struct PlannedExecution {
  uint32_t finding = 0;  // index into MitigationPlan::findings
  uint32_t action = 0;   // index into MitigationDefinition::actions
  ExecutionStatus status = ExecutionStatus::pending;
  std::string reason;  // why skipped, or a note on a pending execution that changes nothing
  std::vector<PlannedChange> changes;
};

struct MitigationPlan {
  const MitigationDefinition* definition = nullptr;
  std::string findings_source;  // "audit of DIR" or the --findings file
  std::string region;           // from the snapshot's manifest; may be empty
  std::string account_id;
  std::optional<EpochMillis> snapshot_exported_at;  // manifest.exportedAt: how old the plan's view is
  std::vector<MitigationFinding> findings;  // only those the task targets and maps to actions
  std::vector<PlannedExecution> executions;
  size_t targeted_without_actions = 0;  // targeted findings of checks the task maps to no action
};

// The policy document REPLACE_DEFAULT_POLICY_VERSION installs: it grants nothing.
inline constexpr std::string_view kDenyAllPolicyDocument =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:*","Resource":"*"}]})";

// Plans the task against the snapshot's state. A finding id the task targets but the findings lack
// is an error (returned in `errors`, with an empty plan).
MitigationPlan build_mitigation_plan(const Snapshot& snapshot, const MitigationDefinition& definition,
                                     std::vector<MitigationFinding> findings, std::vector<std::string>& errors);

// The message PUBLISH_FINDING_TO_SNS sends: the finding as AWS publishes it (times in epoch ms).
std::string sns_message(const MitigationFinding& finding);

}  // namespace fleetaudit
