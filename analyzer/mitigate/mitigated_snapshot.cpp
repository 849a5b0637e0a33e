// The preview: a copy of the snapshot with the plan applied, in the snapshot's own file shapes.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "analyzer/load/input_files.h"
#include "analyzer/mitigate/json_tree.h"
#include "analyzer/mitigate/mitigation_outputs.h"
#include "analyzer/util/output_file.h"

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

// Copies one regular file (opened inside the snapshot's boundary) to a new file `to`.
std::optional<std::string> copy_regular_file(const fs::path& from, const fs::path& to, const std::string& shown,
                                             const ReadBoundary& boundary) {
  uint64_t size = 0;
  std::string error;
  const int in = open_regular_file(from.string(), size, error, &boundary);
  if (in < 0) return fmt::format("cannot copy {}: {}", shown, error);
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (out < 0) {
    ::close(in);
    return fmt::format("cannot create {}: {}", to.string(), std::strerror(errno));
  }
  std::vector<char> block(1 << 16);
  std::optional<std::string> problem;
  for (;;) {
    const ssize_t got = ::read(in, block.data(), block.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got < 0) problem = fmt::format("cannot read {}: {}", shown, std::strerror(errno));
      break;
    }
    for (ssize_t done = 0; done < got && !problem;) {
      const ssize_t put = ::write(out, block.data() + done, static_cast<size_t>(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) problem = fmt::format("cannot write {}: {}", to.string(), std::strerror(errno));
      else done += put;
    }
    if (problem) break;
  }
  ::close(in);
  if (::close(out) != 0 && !problem) problem = fmt::format("cannot write {}: {}", to.string(), std::strerror(errno));
  return problem;
}

// The snapshot's regular files and directories under `from` copied into `to` (which exists). A link
// is never walked into; one that leads to a regular file inside the snapshot is copied as that file.
std::optional<std::string> copy_tree(const fs::path& from, const fs::path& to, const std::string& shown_prefix,
                                     const ReadBoundary& boundary, std::vector<std::string>& skipped, int depth) {
  constexpr int kMaxDepth = 64;
  if (depth > kMaxDepth) return fmt::format("{} is nested more than {} directories deep; not copied", shown_prefix, kMaxDepth);
  std::string error;
  std::optional<std::vector<FolderEntry>> entries = list_folder(from.string(), error);
  if (!entries) return fmt::format("cannot list {}: {}", from.string(), error);
  for (const FolderEntry& entry : *entries) {
    const std::string shown = shown_prefix.empty() ? entry.name : shown_prefix + "/" + entry.name;
    const fs::path source = from / entry.name, target = to / entry.name;
    struct stat link {};
    if (lstat(source.c_str(), &link) != 0) return fmt::format("cannot copy {}: {}", shown, std::strerror(errno));
    if (S_ISLNK(link.st_mode)) {
      if (auto outside = boundary.refusal(source.string())) {
        skipped.push_back(shown + ": a symbolic link that " + *outside);
        continue;
      }
      if (entry.info.kind != PathKind::regular) {
        skipped.push_back(shown + ": a symbolic link " +
                          (entry.info.kind == PathKind::directory ? std::string("to a directory; links are not walked")
                                                                  : entry.info.problem));
        continue;
      }
    } else if (S_ISDIR(link.st_mode)) {
      std::error_code created;
      if (!fs::create_directory(target, created))
        return fmt::format("cannot create {}: {}", target.string(), created.message());
      if (auto problem = copy_tree(source, target, shown, boundary, skipped, depth + 1)) return problem;
      continue;
    } else if (!S_ISREG(link.st_mode)) {
      return fmt::format("cannot copy {}: {} (the preview copies regular files and directories only)", shown,
                         entry.info.problem.empty() ? "is not a regular file" : entry.info.problem);
    }
    if (auto problem = copy_regular_file(source, target, shown, boundary)) return problem;
  }
  return std::nullopt;
}

// The snapshot's files and the preview's, by name: a source that does not exist is "".
struct PreviewFiles {
  fs::path input, output;
  std::string source(const char* name) const {
    std::error_code error;
    fs::path path = input / name;
    return fs::exists(path, error) ? path.string() : std::string();
  }
  std::string target(const char* name) const { return (output / name).string(); }
};

// Why --apply-to cannot hold the preview (the snapshot itself, inside it, or a directory with
// files); nullopt when it can.
std::optional<std::string> preview_directory_problem(const std::string& snapshot_directory,
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
  return std::nullopt;
}

// thing-groups.json with the groups the plan adds each thing to.
std::optional<std::string> write_group_memberships(const MitigationPlan& plan, const PlannedState& state,
                                                   const PreviewFiles& files) {
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
  return rewrite_records_file(files.source("thing-groups.json"), files.target("thing-groups.json"),
                              "thingGroupMemberships", add_groups, new_records);
}

// logging-v2.json with the logging the plan enables, the file's other members kept.
std::optional<std::string> write_logging(const std::pair<std::string, std::string>& role_and_level,
                                         const PreviewFiles& files) {
  JsonNode logging = JsonNode::object_value();
  if (std::string path = files.source("logging-v2.json"); !path.empty()) {
    std::string read_error;
    auto existing = read_json_file(path, read_error);
    if (!existing) return fmt::format("cannot read {}: {}", path, read_error);
    if (existing->kind == JsonNode::Kind::object) logging = std::move(*existing);
  }
  logging.set("roleArn", JsonNode::string_value(role_and_level.first));
  logging.set("defaultLogLevel", JsonNode::string_value(role_and_level.second));
  logging.set("disableAllLogs", JsonNode::literal("false"));
  std::string text;
  append_json(text, logging, 0);
  text += '\n';
  std::string write_error;
  std::optional<OutputFile> file = OutputFile::open(files.target("logging-v2.json"), write_error);
  if (!file) return fmt::format("cannot write {}: {}", files.target("logging-v2.json"), write_error);
  std::fwrite(text.data(), 1, text.size(), file->stream());
  if (!file->commit(write_error))
    return fmt::format("cannot write {}: {}", files.target("logging-v2.json"), write_error);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> write_mitigated_snapshot(const MitigationPlan& plan, const std::string& snapshot_directory,
                                                    const std::string& output_directory,
                                                    std::vector<std::string>& skipped) {
  if (auto problem = preview_directory_problem(snapshot_directory, output_directory)) return problem;
  const PreviewFiles files{snapshot_directory, output_directory};
  std::error_code error;
  fs::create_directories(files.output, error);
  if (error) return fmt::format("cannot create {}: {}", output_directory, error.message());
  const ReadBoundary boundary = ReadBoundary::around(snapshot_directory, "the snapshot directory");
  if (auto problem = copy_tree(files.input, files.output, "", boundary, skipped, 0)) return problem;

  const PlannedState state = net_effect(plan);
  auto set_status = [](const std::unordered_map<std::string, std::string>& statuses) {
    return [&statuses](JsonNode& record) {
      auto found = statuses.find(std::string(record.string_at("certificateId")));
      if (found != statuses.end()) record.set("status", JsonNode::string_value(found->second));
    };
  };
  if (!state.certificate_status.empty())
    if (auto problem = rewrite_records_file(files.source("certificates.json"), files.target("certificates.json"),
                                            "certificateDescriptions", set_status(state.certificate_status), nullptr))
      return problem;
  if (!state.ca_certificate_status.empty())
    if (auto problem =
            rewrite_records_file(files.source("ca-certificates.json"), files.target("ca-certificates.json"),
                                 "certificateDescriptions", set_status(state.ca_certificate_status), nullptr))
      return problem;
  if (!state.groups_added.empty())
    if (auto problem = write_group_memberships(plan, state, files)) return problem;
  if (!state.policies.empty()) {
    auto edit = [&](JsonNode& policy) {
      auto found = state.policies.find(std::string(policy.string_at("policyName")));
      if (found != state.policies.end()) edit_policy(policy, found->second);
    };
    if (auto problem = rewrite_records_file(files.source("policies.json"), files.target("policies.json"), "policies",
                                            edit, nullptr))
      return problem;
  }
  if (state.logging)
    if (auto problem = write_logging(*state.logging, files)) return problem;
  return std::nullopt;
}

}  // namespace fleetaudit
