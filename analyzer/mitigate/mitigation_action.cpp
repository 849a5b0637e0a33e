#include "analyzer/mitigate/mitigation_action.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "analyzer/engine/check.h"
#include "analyzer/load/json_syntax.h"
#include "analyzer/mitigate/allowed_actions.h"
#include "analyzer/mitigate/script_values.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

const char* to_string(MitigationActionType type) {
  switch (type) {
    case MitigationActionType::update_device_certificate: return "UPDATE_DEVICE_CERTIFICATE";
    case MitigationActionType::update_ca_certificate: return "UPDATE_CA_CERTIFICATE";
    case MitigationActionType::add_things_to_thing_group: return "ADD_THINGS_TO_THING_GROUP";
    case MitigationActionType::replace_default_policy_version: return "REPLACE_DEFAULT_POLICY_VERSION";
    case MitigationActionType::enable_iot_logging: return "ENABLE_IOT_LOGGING";
    case MitigationActionType::publish_finding_to_sns: return "PUBLISH_FINDING_TO_SNS";
  }
  return "";
}

const char* params_key(MitigationActionType type) {
  switch (type) {
    case MitigationActionType::update_device_certificate: return "updateDeviceCertificateParams";
    case MitigationActionType::update_ca_certificate: return "updateCACertificateParams";
    case MitigationActionType::add_things_to_thing_group: return "addThingsToThingGroupParams";
    case MitigationActionType::replace_default_policy_version: return "replaceDefaultPolicyVersionParams";
    case MitigationActionType::enable_iot_logging: return "enableIoTLoggingParams";
    case MitigationActionType::publish_finding_to_sns: return "publishFindingToSnsParams";
  }
  return "";
}

std::optional<MitigationActionType> mitigation_action_type_from(std::string_view text) {
  for (MitigationActionType type : kAllMitigationActionTypes)
    if (text == to_string(type)) return type;
  return std::nullopt;
}

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "DEBUG";
    case LogLevel::info: return "INFO";
    case LogLevel::error: return "ERROR";
    case LogLevel::warn: return "WARN";
    case LogLevel::disabled: return "DISABLED";
  }
  return "";
}

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// AWS's pattern for action names and task ids: [a-zA-Z0-9_-]+, 1..128 characters.
bool is_valid_name(std::string_view text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Reads fields of one JSON object, saying what is missing or mistyped under a readable path.
class FieldReader {
public:
  FieldReader(object value, std::string path, std::vector<std::string>& errors)
      : object_(value), path_(std::move(path)), errors_(&errors) {}

  std::optional<std::string> string(std::string_view key, bool required) {
    element value;
    if (object_.at_key(key).get(value)) {
      if (required) error(key, "missing required field");
      return std::nullopt;
    }
    std::string_view text;
    if (value.get_string().get(text)) {
      error(key, "expected a string");
      return std::nullopt;
    }
    return std::string(text);
  }
  std::optional<bool> boolean(std::string_view key) {
    element value;
    if (object_.at_key(key).get(value)) return std::nullopt;
    bool flag = false;
    if (value.get_bool().get(flag)) {
      error(key, "expected true or false");
      return std::nullopt;
    }
    return flag;
  }
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required) {
    element value;
    if (object_.at_key(key).get(value)) {
      if (required) error(key, "missing required field");
      return std::nullopt;
    }
    array items;
    if (value.get_array().get(items)) {
      error(key, "expected an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> result;
    for (element item : items) {
      std::string_view text;
      if (item.get_string().get(text)) {
        error(key, "expected an array of strings");
        return std::nullopt;
      }
      result.emplace_back(text);
    }
    return result;
  }
  std::optional<object> child(std::string_view key, bool required) {
    element value;
    if (object_.at_key(key).get(value)) {
      if (required) error(key, "missing required field");
      return std::nullopt;
    }
    object result;
    if (value.get_object().get(result)) {
      error(key, "expected an object");
      return std::nullopt;
    }
    return result;
  }
  void error(std::string_view key, std::string_view message) {
    errors_->push_back(fmt::format("{}.{}: {}", path_, key, message));
  }
  const std::string& path() const { return path_; }

private:
  object object_;
  std::string path_;
  std::vector<std::string>* errors_;
};

// The parameter block of `action.type`: what AWS accepts, and the values a plan needs.
void read_action_parameters(FieldReader& param, MitigationAction& action) {
  switch (action.type) {
    case MitigationActionType::update_device_certificate:
    case MitigationActionType::update_ca_certificate:
      if (auto verb = param.string("action", true); verb && *verb != "DEACTIVATE")
        param.error("action", fmt::format("\"{}\" is not supported; the only value is DEACTIVATE", *verb));
      break;
    case MitigationActionType::add_things_to_thing_group:
      if (auto groups = param.strings("thingGroupNames", true)) {
        if (groups->empty() || groups->size() > 10)
          param.error("thingGroupNames", "must name 1 to 10 thing groups");
        for (const std::string& group : *groups)
          if (!is_thing_group_name(group))
            param.error("thingGroupNames", fmt::format("\"{}\" is not a thing group name AWS accepts ([a-zA-Z0-9:_-]+, "
                                                       "1 to 128 characters)",
                                                       escape_control(group)));
        action.thing_group_names = std::move(*groups);
      }
      action.override_dynamic_groups = param.boolean("overrideDynamicGroups").value_or(false);
      break;
    case MitigationActionType::replace_default_policy_version:
      if (auto name = param.string("templateName", true); name && *name != "BLANK_POLICY")
        param.error("templateName", fmt::format("\"{}\" is not supported; the only value is BLANK_POLICY", *name));
      break;
    case MitigationActionType::enable_iot_logging:
      if (auto role = param.string("roleArnForLogging", true)) action.logging_role_arn = *role;
      if (auto level = param.string("logLevel", true)) {
        auto parsed = log_level_from(*level);
        if (!parsed)
          param.error("logLevel", fmt::format("\"{}\" is not a log level; use DEBUG, INFO, ERROR or WARN", *level));
        else if (*parsed == LogLevel::disabled)
          param.error("logLevel", "DISABLED is not allowed for ENABLE_IOT_LOGGING; use DEBUG, INFO, ERROR or WARN");
        else
          action.log_level = *parsed;
      }
      break;
    case MitigationActionType::publish_finding_to_sns:
      if (auto topic = param.string("topicArn", true)) {
        action.topic_arn = *topic;
        if (topic->empty() || topic->size() > 350) param.error("topicArn", "must be 1 to 350 characters");
      }
      break;
  }
}

std::optional<MitigationAction> parse_action(object value, size_t index, std::vector<std::string>& errors) {
  size_t errors_before = errors.size();
  MitigationAction action;
  FieldReader fields(value, fmt::format("actions[{}]", index), errors);
  if (auto name = fields.string("actionName", true)) {
    action.name = *name;
    if (!is_valid_name(action.name))
      fields.error("actionName", fmt::format("\"{}\" must be 1 to 128 letters, digits, _ or -", action.name));
    else fields = FieldReader(value, fmt::format("action {}", action.name), errors);
  }
  if (auto role = fields.string("roleArn", true)) action.role_arn = *role;
  auto params = fields.child("actionParams", true);
  if (!params) return std::nullopt;

  std::vector<MitigationActionType> given;
  for (MitigationActionType type : kAllMitigationActionTypes) {
    element block;
    if (!params->at_key(params_key(type)).get(block)) given.push_back(type);
  }
  for (auto member : *params) {
    const std::string_view key = member.key;
    if (std::none_of(std::begin(kAllMitigationActionTypes), std::end(kAllMitigationActionTypes),
                     [&](MitigationActionType type) { return key == params_key(type); }))
      fields.error("actionParams", fmt::format("unknown parameter block {}", key));
  }
  if (given.size() != 1) {
    std::string names;
    for (MitigationActionType type : given) names += fmt::format("{}{}", names.empty() ? "" : ", ", params_key(type));
    fields.error("actionParams", given.empty() ? std::string("must hold exactly one parameter block, found none")
                                               : fmt::format("must hold exactly one parameter block, found {}: {}",
                                                             given.size(), names));
    return std::nullopt;
  }
  action.type = given.front();
  auto block = FieldReader(*params, fields.path(), errors).child(params_key(action.type), true);
  if (!block) return std::nullopt;
  FieldReader param(*block, fmt::format("{}.actionParams.{}", fields.path(), params_key(action.type)), errors);
  read_action_parameters(param, action);
  if (errors.size() != errors_before) return std::nullopt;
  return action;
}

std::string valid_check_names() {
  std::string names;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) names += fmt::format("\n  {}", check.name);
  return names;
}

// task.target.auditCheckToReasonCodeFilter: each check's reason codes, checked against the check's own.
void parse_reason_code_filter(object filter, MitigationTask& task, std::vector<std::string>& errors) {
  for (auto [check_name, codes] : filter) {
    const CheckInfo* check = CheckRegistry::instance().find(check_name);
    if (check == nullptr) {
      errors.push_back(fmt::format("task.target.auditCheckToReasonCodeFilter: unknown check {}; valid check names:{}",
                                   check_name, valid_check_names()));
      continue;
    }
    std::vector<std::string> list;
    array items;
    if (codes.get_array().get(items)) {
      errors.push_back(
          fmt::format("task.target.auditCheckToReasonCodeFilter.{}: expected an array of reason codes", check_name));
      continue;
    }
    for (element item : items) {
      std::string_view code;
      if (item.get_string().get(code)) continue;
      if (std::find(check->reason_codes.begin(), check->reason_codes.end(), code) == check->reason_codes.end())
        errors.push_back(fmt::format(
            "task.target.auditCheckToReasonCodeFilter.{}: {} is not a reason code of this check", check_name, code));
      list.emplace_back(code);
    }
    task.reason_code_filter.emplace_back(std::string(check->name), std::move(list));
  }
}

// task.target: exactly one of findingIds, auditCheckToReasonCodeFilter and auditTaskId.
void parse_target(object target, MitigationTask& task, std::vector<std::string>& errors) {
  FieldReader target_fields(target, "task.target", errors);
  int members = 0;
  if (auto ids = target_fields.strings("findingIds", false)) {
    ++members;
    task.target = MitigationTask::Target::finding_ids;
    task.finding_ids = std::move(*ids);
    if (task.finding_ids.empty()) target_fields.error("findingIds", "must list at least one finding id");
  }
  if (auto filter = target_fields.child("auditCheckToReasonCodeFilter", false)) {
    ++members;
    task.target = MitigationTask::Target::reason_code_filter;
    parse_reason_code_filter(*filter, task, errors);
  }
  if (auto audit_task = target_fields.string("auditTaskId", false)) {
    ++members;
    task.target = MitigationTask::Target::audit_task_id;
    task.audit_task_id = *audit_task;
  }
  if (members != 1)
    errors.push_back(
        fmt::format("task.target: must hold exactly one of findingIds, auditCheckToReasonCodeFilter and "
                    "auditTaskId, found {}",
                    members));
}

// task.auditCheckToActionsMapping[check_name]: action names, each defined, valid and allowed for the check.
void parse_check_actions(std::string_view check_name, element names, MitigationDefinition& definition,
                         const std::vector<std::string>& rejected_names, std::vector<std::string>& errors) {
  MitigationTask& task = definition.task;
  const CheckInfo* check = CheckRegistry::instance().find(check_name);
  if (check == nullptr) {
    errors.push_back(fmt::format("task.auditCheckToActionsMapping: unknown check {}; valid check names:{}", check_name,
                                 valid_check_names()));
    return;
  }
  std::vector<MitigationActionType> allowed = allowed_mitigation_actions(check->name);
  std::vector<uint32_t> indexes;
  array items;
  if (names.get_array().get(items) || items.size() == 0) {
    errors.push_back(
        fmt::format("task.auditCheckToActionsMapping.{}: expected a non-empty array of action names", check_name));
    return;
  }
  for (element item : items) {
    std::string_view name;
    if (item.get_string().get(name)) {
      errors.push_back(fmt::format("task.auditCheckToActionsMapping.{}: expected action names (strings)", check_name));
      continue;
    }
    auto action = std::find_if(definition.actions.begin(), definition.actions.end(),
                               [&](const MitigationAction& candidate) { return candidate.name == name; });
    if (action == definition.actions.end()) {
      if (std::find(rejected_names.begin(), rejected_names.end(), name) != rejected_names.end()) continue;
      errors.push_back(
          fmt::format("task.auditCheckToActionsMapping.{}: no action named {} in \"actions\"", check_name, name));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), action->type) == allowed.end()) {
      std::string allowed_names;
      for (MitigationActionType type : allowed)
        allowed_names += fmt::format("{}{}", allowed_names.empty() ? "" : ", ", to_string(type));
      errors.push_back(fmt::format("action {} ({}) cannot be applied to {} findings; this check allows {}", name,
                                   to_string(action->type), check->name,
                                   allowed_names.empty() ? std::string("no mitigation action") : allowed_names));
      continue;
    }
    indexes.push_back(static_cast<uint32_t>(action - definition.actions.begin()));
  }
  auto existing = std::find_if(task.check_actions.begin(), task.check_actions.end(),
                               [&](const auto& entry) { return entry.first == check->name; });
  if (existing != task.check_actions.end())
    errors.push_back(fmt::format("task.auditCheckToActionsMapping: {} is mapped twice", check->name));
  else task.check_actions.emplace_back(std::string(check->name), std::move(indexes));
}

// `rejected_names`: actions already reported as invalid, so the mapping does not report them again.
void parse_task(object value, MitigationDefinition& definition, const std::vector<std::string>& rejected_names,
                std::vector<std::string>& errors) {
  MitigationTask& task = definition.task;
  FieldReader fields(value, "task", errors);
  if (auto id = fields.string("taskId", true)) {
    task.task_id = *id;
    if (!is_valid_name(task.task_id))
      fields.error("taskId", fmt::format("\"{}\" must be 1 to 128 letters, digits, _ or -", task.task_id));
  }

  if (auto target = fields.child("target", true)) parse_target(*target, task, errors);

  auto mapping = fields.child("auditCheckToActionsMapping", true);
  if (!mapping) return;
  for (auto [check_name, names] : *mapping) parse_check_actions(check_name, names, definition, rejected_names, errors);
  if (task.check_actions.empty() && errors.empty())
    errors.push_back("task.auditCheckToActionsMapping: must map at least one check to its actions");
  // Plans list checks in the registry's order, whatever order the file gives.
  std::sort(task.check_actions.begin(), task.check_actions.end());
}

}  // namespace

std::optional<MitigationDefinition> parse_mitigation_definition(std::string_view json_text,
                                                                std::vector<std::string>& errors) {
  const size_t errors_before = errors.size();
  simdjson::padded_string padded(json_text);
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(padded).get(root)) {
    auto syntax = find_syntax_error(json_text);
    if (syntax) {
      TextPosition position = position_of(json_text.data(), syntax->offset);
      errors.push_back(fmt::format("{}:{}: not valid JSON: {}", position.line, position.column, syntax->message));
    } else {
      errors.push_back("not valid JSON");
    }
    return std::nullopt;
  }
  object top;
  if (root.get_object().get(top)) {
    errors.push_back("expected an object {\"actions\": [...], \"task\": {...}}");
    return std::nullopt;
  }
  MitigationDefinition definition;
  std::vector<std::string> rejected_names;
  element actions_value;
  array actions;
  if (top.at_key("actions").get(actions_value) || actions_value.get_array().get(actions)) {
    errors.push_back("actions: missing, or not an array of create-mitigation-action inputs");
  } else {
    size_t index = 0;
    for (element item : actions) {
      object action_object;
      if (item.get_object().get(action_object)) {
        errors.push_back(fmt::format("actions[{}]: expected an object", index));
      } else if (auto action = parse_action(action_object, index, errors); !action) {
        std::string_view name;
        if (!action_object.at_key("actionName").get_string().get(name)) rejected_names.emplace_back(name);
      } else {
        bool duplicate = std::any_of(definition.actions.begin(), definition.actions.end(),
                                     [&](const MitigationAction& other) { return other.name == action->name; });
        if (duplicate) errors.push_back(fmt::format("action {}: defined twice", action->name));
        else definition.actions.push_back(std::move(*action));
      }
      ++index;
    }
  }
  element task_value;
  object task;
  if (top.at_key("task").get(task_value) || task_value.get_object().get(task))
    errors.push_back("task: missing, or not a start-audit-mitigation-actions-task input");
  else
    parse_task(task, definition, rejected_names, errors);
  if (errors.size() != errors_before) return std::nullopt;
  return definition;
}

}  // namespace fleetaudit
