// The preview: a copy of the snapshot with the plan applied, in the snapshot's own file shapes.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "analyzer/mitigate/json_tree.h"
#include "analyzer/mitigate/mitigation_outputs.h"

namespace fleetaudit {

namespace {

namespace fs = std::filesystem;

// The plan's net effect, resource by resource.
struct PlannedState {
  std::unordered_map<std::string, std::string> certificate_status;
  std::unordered_map<std::string, std::string> ca_certificate_status;
  std::map<std::string, std::vector<std::string>> groups_added;  // thing -> groups, in plan order
  struct PolicyEdit {
    std::string new_default_version;  // empty: the default stays
    std::set<std::string> deleted_versions;
  };
  std::map<std::string, PolicyEdit> policies;
  std::optional<std::pair<std::string, std::string>> logging;  // role, level
};

PlannedState net_effect(const MitigationPlan& plan) {
  PlannedState state;
  for (const PlannedExecution& execution : plan.executions) {
    if (execution.status != ExecutionStatus::pending) continue;
    for (const PlannedChange& change : execution.changes) {
      switch (change.kind) {
        case PlannedChange::Kind::deactivate_certificate:
          state.certificate_status[change.resource] = change.target;
          break;
        case PlannedChange::Kind::deactivate_ca_certificate:
          state.ca_certificate_status[change.resource] = change.target;
          break;
        case PlannedChange::Kind::add_thing_to_thing_group:
          state.groups_added[change.resource].push_back(change.target);
          break;
        case PlannedChange::Kind::delete_policy_version:
          state.policies[change.resource].deleted_versions.insert(change.target);
          break;
        case PlannedChange::Kind::create_default_policy_version:
          state.policies[change.resource].new_default_version = change.target;
          break;
        case PlannedChange::Kind::set_v2_logging_options:
          state.logging = std::make_pair(change.resource, change.target);
          break;
        case PlannedChange::Kind::publish_finding: break;  // changes nothing in the account
      }
    }
  }
  return state;
}

std::string group_arn(const MitigationPlan& plan, const std::string& group) {
  if (plan.region.empty() || plan.account_id.empty()) return {};
  return fmt::format("arn:aws:iot:{}:{}:thinggroup/{}", plan.region, plan.account_id, group);
}

JsonNode group_record(const MitigationPlan& plan, const std::string& group) {
  JsonNode record = JsonNode::object_value();
  record.set("groupName", JsonNode::string_value(group));
  std::string arn = group_arn(plan, group);
  if (!arn.empty()) record.set("groupArn", JsonNode::string_value(arn));
  return record;
}

// One policy of policies.json (get-policy output plus "versions"), edited as the plan leaves it.
void edit_policy(JsonNode& policy, const PlannedState::PolicyEdit& edit) {
  std::string old_default(policy.string_at("defaultVersionId"));
  JsonNode versions = JsonNode::array_value();
  if (JsonNode* existing = policy.find("versions"); existing != nullptr && existing->kind == JsonNode::Kind::array)
    versions = std::move(*existing);
  if (!edit.new_default_version.empty()) {
    // The old default becomes an ordinary version (a get-policy-version record), unless deleted.
    bool listed = false;
    for (JsonNode& version : versions.items)
      if (version.string_at("policyVersionId") == old_default) {
        version.set("isDefaultVersion", JsonNode::literal("false"));
        listed = true;
      }
    if (!listed && !edit.deleted_versions.contains(old_default)) {
      JsonNode record = JsonNode::object_value();
      for (const char* key : {"policyArn", "policyName", "policyDocument"})
        if (JsonNode* value = policy.find(key)) record.set(key, *value);
      record.set("policyVersionId", JsonNode::string_value(old_default));
      record.set("isDefaultVersion", JsonNode::literal("false"));
      for (const char* key : {"creationDate", "lastModifiedDate", "generationId"})
        if (JsonNode* value = policy.find(key)) record.set(key, *value);
      versions.items.insert(versions.items.begin(), std::move(record));
    }
    policy.set("policyDocument", JsonNode::string_value(kDenyAllPolicyDocument));
    policy.set("defaultVersionId", JsonNode::string_value(edit.new_default_version));
  }
  std::erase_if(versions.items, [&](JsonNode& version) {
    return edit.deleted_versions.contains(std::string(version.string_at("policyVersionId")));
  });
  if (versions.items.empty()) policy.erase("versions");
  else policy.set("versions", std::move(versions));
}

}  // namespace

std::optional<std::string> write_mitigated_snapshot(const MitigationPlan& plan, const std::string& snapshot_directory,
                                                    const std::string& output_directory) {
  std::error_code error;
  const fs::path input(snapshot_directory), output(output_directory);
  if (fs::exists(output, error)) {
    if (fs::equivalent(input, output, error))
      return fmt::format("--apply-to {} is the snapshot itself; the preview never touches its input", output_directory);
    if (!fs::is_directory(output, error) || !fs::is_empty(output, error))
      return fmt::format("--apply-to {} exists and is not an empty directory", output_directory);
  }
  // A preview inside the snapshot would copy itself into itself.
  const fs::path input_path = fs::weakly_canonical(input, error), output_path = fs::weakly_canonical(output, error);
  auto [input_end, inside] = std::mismatch(input_path.begin(), input_path.end(), output_path.begin(), output_path.end());
  if (input_end == input_path.end())
    return fmt::format("--apply-to {} is inside the snapshot {}; write the preview elsewhere", output_directory,
                       snapshot_directory);
  fs::create_directories(output, error);
  if (error) return fmt::format("cannot create {}: {}", output_directory, error.message());
  fs::copy(input, output, fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
  if (error) return fmt::format("cannot copy {} to {}: {}", snapshot_directory, output_directory, error.message());

  const PlannedState state = net_effect(plan);
  auto source = [&](const char* name) {
    fs::path path = input / name;
    return fs::exists(path, error) ? path.string() : std::string();
  };
  auto target = [&](const char* name) { return (output / name).string(); };
  auto set_status = [](const std::unordered_map<std::string, std::string>& statuses) {
    return [&statuses](JsonNode& record) {
      auto found = statuses.find(std::string(record.string_at("certificateId")));
      if (found != statuses.end()) record.set("status", JsonNode::string_value(found->second));
    };
  };

  if (!state.certificate_status.empty())
    if (auto problem = rewrite_records_file(source("certificates.json"), target("certificates.json"),
                                            "certificateDescriptions", set_status(state.certificate_status), nullptr))
      return problem;
  if (!state.ca_certificate_status.empty())
    if (auto problem = rewrite_records_file(source("ca-certificates.json"), target("ca-certificates.json"),
                                            "certificateDescriptions", set_status(state.ca_certificate_status), nullptr))
      return problem;

  if (!state.groups_added.empty()) {
    std::set<std::string> listed;
    auto add_groups = [&](JsonNode& record) {
      std::string thing(record.string_at("thingName"));
      auto found = state.groups_added.find(thing);
      if (found == state.groups_added.end()) return;
      listed.insert(thing);
      JsonNode* groups = record.find("thingGroups");
      if (groups == nullptr || groups->kind != JsonNode::Kind::array) {
        record.set("thingGroups", JsonNode::array_value());
        groups = record.find("thingGroups");
      }
      for (const std::string& group : found->second) groups->items.push_back(group_record(plan, group));
    };
    // Things the file does not list yet get a record of their own, after the others.
    auto new_records = [&] {
      std::vector<JsonNode> records;
      for (const auto& [thing, groups] : state.groups_added) {
        if (listed.contains(thing)) continue;
        JsonNode record = JsonNode::object_value();
        record.set("thingName", JsonNode::string_value(thing));
        JsonNode list = JsonNode::array_value();
        for (const std::string& group : groups) list.items.push_back(group_record(plan, group));
        record.set("thingGroups", std::move(list));
        records.push_back(std::move(record));
      }
      return records;
    };
    if (auto problem = rewrite_records_file(source("thing-groups.json"), target("thing-groups.json"),
                                            "thingGroupMemberships", add_groups, new_records))
      return problem;
  }

  if (!state.policies.empty()) {
    auto edit = [&](JsonNode& policy) {
      auto found = state.policies.find(std::string(policy.string_at("policyName")));
      if (found != state.policies.end()) edit_policy(policy, found->second);
    };
    if (auto problem = rewrite_records_file(source("policies.json"), target("policies.json"), "policies", edit, nullptr))
      return problem;
  }

  if (state.logging) {
    JsonNode logging = JsonNode::object_value();
    if (std::string path = source("logging-v2.json"); !path.empty()) {
      std::string read_error;
      auto existing = read_json_file(path, read_error);
      if (!existing) return fmt::format("cannot read {}: {}", path, read_error);
      if (existing->kind == JsonNode::Kind::object) logging = std::move(*existing);
    }
    logging.set("roleArn", JsonNode::string_value(state.logging->first));
    logging.set("defaultLogLevel", JsonNode::string_value(state.logging->second));
    logging.set("disableAllLogs", JsonNode::literal("false"));
    std::string text;
    append_json(text, logging, 0);
    text += '\n';
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(target("logging-v2.json").c_str(), "wb"),
                                                         &std::fclose);
    if (!file || std::fwrite(text.data(), 1, text.size(), file.get()) != text.size())
      return fmt::format("cannot write {}", target("logging-v2.json"));
  }
  return std::nullopt;
}

}  // namespace fleetaudit
