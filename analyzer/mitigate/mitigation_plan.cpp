#include "analyzer/mitigate/mitigation_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

namespace fleetaudit {

const char* to_string(ExecutionStatus status) {
  return status == ExecutionStatus::pending ? "PENDING" : "SKIPPED";
}

namespace {

// AWS lets a thing belong to at most 10 thing groups.
constexpr size_t kMaximumGroupsPerThing = 10;
// AWS keeps at most five versions of a policy.
constexpr size_t kMaximumPolicyVersions = 5;

uint64_t version_number(std::string_view id) {
  uint64_t number = 0;
  std::from_chars(id.data(), id.data() + id.size(), number);
  return number;
}

struct PolicyVersionState {
  std::string id;
  bool is_default = false;
};

// What one action does to one finding, or why it cannot apply.
struct Outcome {
  std::vector<PlannedChange> changes;
  std::optional<std::string> cannot_apply;
  std::string note;
};

// The account as the plan changes it, execution after execution: later executions see earlier ones.
class Planner {
public:
  explicit Planner(const Snapshot& snapshot) : snapshot_(snapshot), certificate_status_(snapshot.certificates.status) {
    for (uint32_t row = 0; row < snapshot.ca_certificates.size(); ++row)
      ca_rows_.emplace(snapshot.text(snapshot.ca_certificates.certificate_id[row]), row);
    ca_status_ = snapshot.ca_certificates.status;
  }

  Outcome apply(const MitigationAction& action, const MitigationFinding& finding) {
    switch (action.type) {
      case MitigationActionType::update_device_certificate: return deactivate_certificate(finding);
      case MitigationActionType::update_ca_certificate: return deactivate_ca_certificate(finding);
      case MitigationActionType::add_things_to_thing_group: return add_things_to_groups(action, finding);
      case MitigationActionType::replace_default_policy_version: return replace_default_version(finding);
      case MitigationActionType::enable_iot_logging: return enable_logging(action);
      case MitigationActionType::publish_finding_to_sns:
        return {{{PlannedChange::Kind::publish_finding, action.topic_arn, sns_message(finding), {}, {}}}, {}, {}};
    }
    return {};
  }

private:
  static Outcome cannot(std::string why) { return {{}, std::move(why), {}}; }

  std::optional<uint32_t> certificate_row(const MitigationFinding& finding) const {
    if (finding.resource.kind != ResourceIdentifier::Kind::device_certificate_id) return std::nullopt;
    StringId id = snapshot_.strings.find(finding.resource.value);
    if (id == kNoString || id >= snapshot_.certificate_row_by_id.size()) return std::nullopt;
    uint32_t row = snapshot_.certificate_row_by_id[id];
    if (row == kNoRow) return std::nullopt;
    return row;
  }

  static std::string not_found(const MitigationFinding& finding, std::string_view what) {
    return fmt::format("{} {} is not in the snapshot", what, finding.resource.value);
  }

  Outcome deactivate_certificate(const MitigationFinding& finding) {
    if (finding.resource.kind != ResourceIdentifier::Kind::device_certificate_id)
      return cannot(fmt::format("the finding's resource is a {}, not a device certificate", finding.resource.member_name()));
    auto row = certificate_row(finding);
    if (!row) return cannot(not_found(finding, "certificate"));
    CertificateStatus& status = certificate_status_[*row];
    if (status == CertificateStatus::revoked)
      return cannot(fmt::format("certificate {} is REVOKED; AWS cannot change a revoked certificate's status",
                                finding.resource.value));
    Outcome outcome{{{PlannedChange::Kind::deactivate_certificate, finding.resource.value, "INACTIVE",
                      to_string(status), {}}},
                    {},
                    {}};
    if (status == CertificateStatus::inactive) outcome.note = "the certificate is already INACTIVE; the call changes nothing";
    status = CertificateStatus::inactive;
    return outcome;
  }

  Outcome deactivate_ca_certificate(const MitigationFinding& finding) {
    if (finding.resource.kind != ResourceIdentifier::Kind::ca_certificate_id)
      return cannot(fmt::format("the finding's resource is a {}, not a CA certificate", finding.resource.member_name()));
    auto found = ca_rows_.find(finding.resource.value);
    if (found == ca_rows_.end()) return cannot(not_found(finding, "CA certificate"));
    CertificateStatus& status = ca_status_[found->second];
    Outcome outcome{{{PlannedChange::Kind::deactivate_ca_certificate, finding.resource.value, "INACTIVE",
                      to_string(status), {}}},
                    {},
                    {}};
    if (status == CertificateStatus::inactive) outcome.note = "the CA certificate is already INACTIVE; the call changes nothing";
    status = CertificateStatus::inactive;
    return outcome;
  }

  std::vector<std::string>& groups_of(StringId thing) {
    if (!groups_loaded_) {
      const ThingGroupMembershipTable& table = snapshot_.thing_groups;
      for (size_t row = 0; row < table.size(); ++row)
        groups_[table.thing_name[row]].emplace_back(snapshot_.text(table.group_name[row]));
      groups_loaded_ = true;
    }
    return groups_[thing];
  }

  Outcome add_things_to_groups(const MitigationAction& action, const MitigationFinding& finding) {
    if (finding.resource.kind != ResourceIdentifier::Kind::device_certificate_id)
      return cannot(fmt::format("the finding's resource is a {}, not a device certificate", finding.resource.member_name()));
    auto row = certificate_row(finding);
    if (!row) return cannot(not_found(finding, "certificate"));
    Outcome outcome;
    auto things = snapshot_.things_by_certificate.of(*row);
    for (StringId thing : things) {
      std::vector<std::string>& groups = groups_of(thing);
      size_t added = 0;
      for (const std::string& group : action.thing_group_names)
        if (std::find(groups.begin(), groups.end(), group) == groups.end()) ++added;
      if (groups.size() + added > kMaximumGroupsPerThing)
        return cannot(fmt::format("thing {} would belong to {} thing groups; AWS allows at most {}",
                                  snapshot_.text(thing), groups.size() + added, kMaximumGroupsPerThing));
    }
    for (StringId thing : things) {
      std::vector<std::string>& groups = groups_of(thing);
      for (const std::string& group : action.thing_group_names) {
        if (std::find(groups.begin(), groups.end(), group) != groups.end()) continue;
        groups.push_back(group);
        outcome.changes.push_back({PlannedChange::Kind::add_thing_to_thing_group, std::string(snapshot_.text(thing)),
                                   group, {}, {}, action.override_dynamic_groups});
      }
    }
    if (things.empty()) outcome.note = "no thing is attached to the certificate";
    else if (outcome.changes.empty()) outcome.note = "every attached thing is already in the groups";
    return outcome;
  }

  std::vector<PolicyVersionState>* versions_of(std::string_view policy_name) {
    if (policy_rows_.empty()) {
      for (uint32_t row = 0; row < snapshot_.policies.size(); ++row)
        policy_rows_.emplace(snapshot_.text(snapshot_.policies.name[row]), row);
    }
    auto found = policy_rows_.find(policy_name);
    if (found == policy_rows_.end()) return nullptr;
    auto [state, inserted] = policy_versions_.try_emplace(found->second);
    if (inserted) {
      const PolicyVersionTable& table = snapshot_.policy_versions;
      if (policy_version_rows_.rows() == 0 && table.size() > 0) {
        std::vector<std::pair<uint32_t, uint32_t>> edges;
        for (uint32_t row = 0; row < table.size(); ++row) edges.emplace_back(table.policy_row[row], row);
        policy_version_rows_ = Adjacency::from_edges(snapshot_.policies.size(), edges);
      }
      if (policy_version_rows_.rows() > found->second)
        for (uint32_t row : policy_version_rows_.of(found->second))
          state->second.push_back({std::string(snapshot_.text(table.version_id[row])), table.is_default[row] != 0});
    }
    return &state->second;
  }

  Outcome replace_default_version(const MitigationFinding& finding) {
    if (finding.resource.kind != ResourceIdentifier::Kind::policy_version)
      return cannot(fmt::format("the finding's resource is a {}, not a policy version", finding.resource.member_name()));
    const std::string& policy = finding.resource.value;
    const std::string& flagged = finding.resource.version_id;
    std::vector<PolicyVersionState>* versions = versions_of(policy);
    if (versions == nullptr) return cannot(fmt::format("policy {} is not in the snapshot", policy));
    auto find_version = [&](std::string_view id) {
      return std::find_if(versions->begin(), versions->end(), [&](const PolicyVersionState& v) { return v.id == id; });
    };
    auto flagged_version = find_version(flagged);
    Outcome outcome;
    if (flagged_version == versions->end()) {
      outcome.note = fmt::format("version {} of policy {} is already gone (an earlier execution removed it, or it is "
                                 "not in the snapshot)",
                                 flagged, policy);
      return outcome;
    }
    auto delete_version = [&](std::string id, std::string why) {
      outcome.changes.push_back({PlannedChange::Kind::delete_policy_version, policy, id, {}, std::move(why)});
      versions->erase(find_version(id));
    };
    if (!flagged_version->is_default) {
      // Blanking the default here would cut off every device of a policy whose default version is
      // fine; deleting the flagged version is what closes the finding.
      auto current = std::find_if(versions->begin(), versions->end(), [](const PolicyVersionState& v) { return v.is_default; });
      delete_version(flagged, fmt::format("the flagged version; it is not the default, so the default version {} stays",
                                          current == versions->end() ? std::string("(unknown)") : current->id));
      return outcome;
    }
    if (versions->size() >= kMaximumPolicyVersions) {
      auto oldest = versions->end();
      for (auto version = versions->begin(); version != versions->end(); ++version)
        if (!version->is_default && (oldest == versions->end() || version_number(version->id) < version_number(oldest->id)))
          oldest = version;
      if (oldest != versions->end())
        delete_version(oldest->id, "AWS keeps at most five versions: the oldest non-default version makes room");
    }
    uint64_t newest = 0;
    for (const PolicyVersionState& version : *versions) newest = std::max(newest, version_number(version.id));
    std::string new_id = std::to_string(newest + 1);
    outcome.changes.push_back({PlannedChange::Kind::create_default_policy_version, policy, new_id, flagged, {}});
    for (PolicyVersionState& version : *versions) version.is_default = false;
    versions->push_back({new_id, true});
    delete_version(flagged, "the flagged version, no longer the default: deleting it keeps SetDefaultPolicyVersion "
                            "from restoring it");
    return outcome;
  }

  Outcome enable_logging(const MitigationAction& action) {
    std::string before;
    if (logging_set_by_plan_) {
      before = "enabled by an earlier execution of this plan";
    } else if (!snapshot_.logging_v2) {
      before = "unknown (the snapshot has no logging-v2.json)";
    } else if (!snapshot_.logging_v2->configured) {
      before = "v2 logging not configured";
    } else {
      const LoggingV2& current = *snapshot_.logging_v2;
      before = fmt::format("defaultLogLevel {}, disableAllLogs {}",
                           current.default_level ? to_string(*current.default_level) : "(unset)",
                           current.disable_all_logs ? "true" : "false");
    }
    logging_set_by_plan_ = true;
    return {{{PlannedChange::Kind::set_v2_logging_options, action.logging_role_arn, to_string(action.log_level), before,
              {}}},
            {},
            {}};
  }

  const Snapshot& snapshot_;
  std::vector<CertificateStatus> certificate_status_;
  std::vector<CertificateStatus> ca_status_;
  std::unordered_map<std::string_view, uint32_t> ca_rows_;
  bool groups_loaded_ = false;
  std::unordered_map<StringId, std::vector<std::string>> groups_;
  std::unordered_map<std::string_view, uint32_t> policy_rows_;
  Adjacency policy_version_rows_;
  std::unordered_map<uint32_t, std::vector<PolicyVersionState>> policy_versions_;
  bool logging_set_by_plan_ = false;
};

const std::vector<uint32_t>* actions_for(const MitigationDefinition& definition, std::string_view check_name) {
  for (const auto& [name, actions] : definition.task.check_actions)
    if (name == check_name) return &actions;
  return nullptr;
}

bool is_targeted(const MitigationTask& task, const MitigationFinding& finding,
                 const std::unordered_set<std::string_view>& finding_ids) {
  switch (task.target) {
    case MitigationTask::Target::finding_ids: return finding_ids.contains(finding.finding_id);
    case MitigationTask::Target::audit_task_id: return finding.task_id == task.audit_task_id;
    case MitigationTask::Target::reason_code_filter:
      for (const auto& [check, codes] : task.reason_code_filter)
        if (check == finding.check_name)
          return std::find(codes.begin(), codes.end(), finding.reason_code) != codes.end();
      return false;
  }
  return false;
}

}  // namespace

MitigationPlan build_mitigation_plan(const Snapshot& snapshot, const MitigationDefinition& definition,
                                     std::vector<MitigationFinding> findings, std::vector<std::string>& errors) {
  MitigationPlan plan;
  plan.definition = &definition;
  const MitigationTask& task = definition.task;
  std::unordered_set<std::string_view> wanted_ids(task.finding_ids.begin(), task.finding_ids.end());
  std::unordered_set<std::string> seen_ids;
  for (MitigationFinding& finding : findings) {
    // Findings files may use a check's other spelling.
    if (const CheckInfo* check = CheckRegistry::instance().find(finding.check_name)) finding.check_name = check->name;
    if (!is_targeted(task, finding, wanted_ids)) continue;
    if (task.target == MitigationTask::Target::finding_ids) seen_ids.insert(finding.finding_id);
    if (actions_for(definition, finding.check_name) == nullptr) {
      ++plan.targeted_without_actions;
      continue;
    }
    plan.findings.push_back(std::move(finding));
  }
  for (const std::string& id : task.finding_ids)
    if (!seen_ids.contains(id)) errors.push_back(fmt::format("task.target.findingIds: no finding has id {}", id));
  if (!errors.empty()) return plan;

  // Check by check (as the task's mapping lists them), so that the script can run each action over
  // all of a check's findings in one loop and still keep every finding's actions in order.
  auto by_check = [](const MitigationFinding& a, const MitigationFinding& b) { return a.check_name < b.check_name; };
  if (!std::is_sorted(plan.findings.begin(), plan.findings.end(), by_check))  // an audit's findings already are
    std::stable_sort(plan.findings.begin(), plan.findings.end(), by_check);

  Planner planner(snapshot);
  for (uint32_t index = 0; index < plan.findings.size(); ++index) {
    const MitigationFinding& finding = plan.findings[index];
    std::optional<std::string> blocked;
    for (uint32_t action_index : *actions_for(definition, finding.check_name)) {
      const MitigationAction& action = definition.actions[action_index];
      PlannedExecution execution{index, action_index, ExecutionStatus::pending, {}, {}};
      if (finding.suppressed) {
        execution.status = ExecutionStatus::skipped;
        execution.reason = "the finding is suppressed; AWS never runs mitigation actions on suppressed findings";
      } else if (blocked) {
        execution.status = ExecutionStatus::skipped;
        execution.reason = *blocked;
      } else {
        Outcome outcome = planner.apply(action, finding);
        if (outcome.cannot_apply) {
          execution.status = ExecutionStatus::skipped;
          execution.reason = *outcome.cannot_apply;
          blocked = fmt::format("an earlier action for this finding ({}) cannot apply", action.name);
        } else {
          execution.changes = std::move(outcome.changes);
          execution.reason = std::move(outcome.note);
        }
      }
      plan.executions.push_back(std::move(execution));
    }
  }
  return plan;
}

}  // namespace fleetaudit
