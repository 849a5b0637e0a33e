// The plan for a reviewer (JSON) and its summary for a person (text).
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "analyzer/mitigate/mitigation_outputs.h"
#include "analyzer/report/resource_identifier_json.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/terminal_text.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

namespace {

void write_change(JsonWriter& json, const PlannedChange& change) {
  json.begin_object();
  switch (change.kind) {
    case PlannedChange::Kind::deactivate_certificate:
    case PlannedChange::Kind::deactivate_ca_certificate:
      json.key("operation").value(change.kind == PlannedChange::Kind::deactivate_certificate ? "UpdateCertificate"
                                                                                             : "UpdateCACertificate");
      json.key("certificateId").value(change.resource);
      json.key("statusBefore").value(change.before);
      json.key("newStatus").value(change.target);
      break;
    case PlannedChange::Kind::add_thing_to_thing_group:
      json.key("operation").value("AddThingToThingGroup");
      json.key("thingName").value(change.resource);
      json.key("thingGroupName").value(change.target);
      json.key("overrideDynamicGroups").value(change.override_dynamic_groups);
      break;
    case PlannedChange::Kind::delete_policy_version:
      json.key("operation").value("DeletePolicyVersion");
      json.key("policyName").value(change.resource);
      json.key("policyVersionId").value(change.target);
      json.key("why").value(change.why);
      break;
    case PlannedChange::Kind::create_default_policy_version:
      json.key("operation").value("CreatePolicyVersion");
      json.key("policyName").value(change.resource);
      json.key("expectedPolicyVersionId").value(change.target);
      json.key("setAsDefault").value(true);
      json.key("replacesDefaultVersionId").value(change.before);
      json.key("policyDocument").value(kDenyAllPolicyDocument);
      break;
    case PlannedChange::Kind::set_v2_logging_options:
      json.key("operation").value("SetV2LoggingOptions");
      json.key("roleArn").value(change.resource);
      json.key("defaultLogLevel").value(change.target);
      json.key("disableAllLogs").value(false);
      json.key("before").value(change.before);
      break;
    case PlannedChange::Kind::publish_finding:
      json.key("operation").value("Publish");
      json.key("topicArn").value(change.resource);
      json.key("message").value(change.target);
      break;
  }
  json.end_object();
}

// What an action touches, counted in the unit a person thinks in.
struct ActionSummary {
  size_t pending = 0;
  size_t skipped = 0;
  std::unordered_set<std::string_view> resources;  // views into the plan
  size_t calls = 0;
};

std::string resources_touched(MitigationActionType type, size_t count) {
  const char* unit = "";
  switch (type) {
    case MitigationActionType::update_device_certificate: unit = count == 1 ? "certificate" : "certificates"; break;
    case MitigationActionType::update_ca_certificate: unit = count == 1 ? "CA certificate" : "CA certificates"; break;
    case MitigationActionType::add_things_to_thing_group: unit = count == 1 ? "thing" : "things"; break;
    case MitigationActionType::replace_default_policy_version: unit = count == 1 ? "policy" : "policies"; break;
    case MitigationActionType::enable_iot_logging: unit = "account logging options"; break;
    case MitigationActionType::publish_finding_to_sns: unit = count == 1 ? "message" : "messages"; break;
  }
  return fmt::format("{} {}", count, unit);
}

std::vector<ActionSummary> summarise(const MitigationPlan& plan) {
  std::vector<ActionSummary> summaries(plan.definition->actions.size());
  for (const PlannedExecution& execution : plan.executions) {
    ActionSummary& summary = summaries[execution.action];
    (execution.status == ExecutionStatus::pending ? summary.pending : summary.skipped) += 1;
    for (const PlannedChange& change : execution.changes) {
      ++summary.calls;
      summary.resources.insert(change.kind == PlannedChange::Kind::publish_finding
                                   ? plan.findings[execution.finding].finding_id
                                   : change.resource);
    }
  }
  return summaries;
}

}  // namespace

void write_plan_json(const MitigationPlan& plan, std::FILE* out) {
  const MitigationDefinition& definition = *plan.definition;
  const std::vector<ActionSummary> summaries = summarise(plan);
  JsonWriter json(out);
  json.begin_object();
  json.key("taskId").value(definition.task.task_id);
  json.key("findingsSource").value(plan.findings_source);
  // Where and when the plan's view of the account was taken: fleetaudit-apply checks the account it
  // changes and refuses a plan older than the operator allows.
  json.key("accountId").value(plan.account_id);
  json.key("region").value(plan.region);
  if (plan.snapshot_exported_at) json.key("snapshotExportedAt").value(format_iso8601(*plan.snapshot_exported_at));
  json.key("findings").value(plan.findings.size());
  json.key("targetedFindingsWithoutActions").value(plan.targeted_without_actions);
  json.key("actions").begin_array();
  for (size_t index = 0; index < definition.actions.size(); ++index) {
    const MitigationAction& action = definition.actions[index];
    json.begin_object();
    json.key("actionName").value(action.name);
    json.key("actionType").value(to_string(action.type));
    json.key("roleArn").value(action.role_arn);
    json.key("pending").value(summaries[index].pending);
    json.key("skipped").value(summaries[index].skipped);
    json.key("resourcesTouched").value(summaries[index].resources.size());
    json.key("calls").value(summaries[index].calls);
    json.end_object();
  }
  json.end_array();
  json.key("executions").begin_array();
  for (const PlannedExecution& execution : plan.executions) {
    const MitigationFinding& finding = plan.findings[execution.finding];
    const MitigationAction& action = definition.actions[execution.action];
    json.begin_object();
    json.key("findingId").value(finding.finding_id);
    json.key("checkName").value(finding.check_name);
    json.key("resourceType").value(finding.resource_type);
    json.key("resourceIdentifier");
    write_resource_identifier(json, finding.resource);
    json.key("actionName").value(action.name);
    json.key("actionType").value(to_string(action.type));
    json.key("status").value(to_string(execution.status));
    if (!execution.reason.empty()) json.key("reason").value(execution.reason);
    json.key("changes").begin_array();
    for (const PlannedChange& change : execution.changes) write_change(json, change);
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.flush();
}

void write_plan_summary(const MitigationPlan& plan, std::FILE* out) {
  const MitigationDefinition& definition = *plan.definition;
  const std::vector<ActionSummary> summaries = summarise(plan);
  size_t pending = 0, skipped = 0;
  for (const ActionSummary& summary : summaries) {
    pending += summary.pending;
    skipped += summary.skipped;
  }
  std::string text = fmt::format("Mitigation task {}: {} executions for {} findings ({} pending, {} skipped)\n",
                                 definition.task.task_id, plan.executions.size(), plan.findings.size(), pending, skipped);
  text += fmt::format("Findings from {}", escape_control(plan.findings_source));
  if (plan.targeted_without_actions > 0)
    text += fmt::format("; {} targeted findings belong to checks the task maps to no action", plan.targeted_without_actions);
  text += "\n\n";
  size_t name_width = 6;
  for (const MitigationAction& action : definition.actions) name_width = std::max(name_width, action.name.size());
  text += fmt::format("{:<{}}  {:<30} {:>7} {:>7}  {}\n", "ACTION", name_width, "TYPE", "PENDING", "SKIPPED", "TOUCHES");
  for (size_t index = 0; index < definition.actions.size(); ++index) {
    const MitigationAction& action = definition.actions[index];
    const ActionSummary& summary = summaries[index];
    if (summary.pending + summary.skipped == 0) continue;
    text += fmt::format("{:<{}}  {:<30} {:>7} {:>7}  {}\n", action.name, name_width, to_string(action.type),
                        summary.pending, summary.skipped, resources_touched(action.type, summary.resources.size()));
  }
  size_t shown = 0;
  for (const PlannedExecution& execution : plan.executions) {
    if (execution.status != ExecutionStatus::skipped) continue;
    if (shown == 0) text += "\nSkipped:\n";
    if (++shown > 20) {
      text += fmt::format("  … and {} more (see the plan)\n", skipped - 20);
      break;
    }
    const MitigationFinding& finding = plan.findings[execution.finding];
    // Names come from the snapshot and the findings: escaped, so they cannot forge lines.
    text += fmt::format("  {} on {} {}: {}\n", definition.actions[execution.action].name,
                        escape_control(finding.check_name), escape_control(finding.resource.key()),
                        escape_control(execution.reason));
  }
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace fleetaudit
