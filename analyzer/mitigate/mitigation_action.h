#pragma once
// Mitigation actions and the task that applies them, as Device Defender defines them
// (CreateMitigationAction, StartAuditMitigationActionsTask), read from one ACTIONS.json file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit {

enum class MitigationActionType : uint8_t {
  update_device_certificate,
  update_ca_certificate,
  add_things_to_thing_group,
  replace_default_policy_version,
  enable_iot_logging,
  publish_finding_to_sns,
};
inline constexpr MitigationActionType kAllMitigationActionTypes[] = {
    MitigationActionType::update_device_certificate,      MitigationActionType::update_ca_certificate,
    MitigationActionType::add_things_to_thing_group,      MitigationActionType::replace_default_policy_version,
    MitigationActionType::enable_iot_logging,             MitigationActionType::publish_finding_to_sns,
};
const char* to_string(MitigationActionType type);  // "UPDATE_DEVICE_CERTIFICATE"
const char* params_key(MitigationActionType type);  // "updateDeviceCertificateParams"
std::optional<MitigationActionType> mitigation_action_type_from(std::string_view text);
const char* to_string(LogLevel level);

// The input of `aws iot create-mitigation-action`.
struct MitigationAction {
  std::string name;
  std::string role_arn;
  MitigationActionType type = MitigationActionType::publish_finding_to_sns;
  std::vector<std::string> thing_group_names;  // addThingsToThingGroupParams
  bool override_dynamic_groups = false;
  std::string logging_role_arn;  // enableIoTLoggingParams
  LogLevel log_level = LogLevel::error;
  std::string topic_arn;  // publishFindingToSnsParams
};

// The input of `aws iot start-audit-mitigation-actions-task`.
struct MitigationTask {
  enum class Target : uint8_t { finding_ids, reason_code_filter, audit_task_id };
  std::string task_id;
  Target target = Target::finding_ids;
  std::vector<std::string> finding_ids;
  std::vector<std::pair<std::string, std::vector<std::string>>> reason_code_filter;  // check -> codes
  std::string audit_task_id;
  // Check name (as registered) -> indexes into MitigationDefinition::actions, applied in order.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> check_actions;
};

struct MitigationDefinition {
  std::vector<MitigationAction> actions;
  MitigationTask task;
};

// Parses ACTIONS.json (`{"actions": [...], "task": {...}}`) and validates it as AWS would: every
// problem is appended to `errors` (naming the action or the check), and nullopt is returned.
std::optional<MitigationDefinition> parse_mitigation_definition(std::string_view json_text,
                                                                std::vector<std::string>& errors);

}  // namespace fleetaudit
