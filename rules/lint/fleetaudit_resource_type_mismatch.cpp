// FLEETAUDIT_RESOURCE_TYPE_MISMATCH: a statement's actions never act on its resource's type
// (iot:Publish on topicfilter/…, iot:Subscribe on topic/…), so that resource grants or denies nothing.
#include <fmt/format.h>

#include <string>

#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/actions.h"

namespace fleetaudit::lint {
namespace {

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  for (const StatementView& statement : statements_of(policy.document)) {
    if (statement.not_action || statement.not_resource) continue;
    // Only statements whose every action is a data-plane action named exactly: a wildcard or
    // another action may well act on the resource.
    std::vector<std::string_view> types;
    std::string names;
    bool decidable = true;
    for (const Node* action : strings_of(statement.actions)) {
      const std::string_view type = policy::resource_type_acted_on(action->text);
      decidable &= !type.empty();
      types.push_back(type);
      names += (names.empty() ? "" : ", ") + action->text;
    }
    if (!decidable || types.empty()) continue;
    for (const Node* resource : strings_of(statement.resources)) {
      const auto type_at = arn_resource_type(resource->text);
      if (!type_at) continue;
      const std::string_view type = std::string_view(resource->text).substr(type_at->first, type_at->second - type_at->first);
      bool matches = false;
      for (std::string_view wanted : types) matches |= wanted == type;
      if (!policy::data_plane_resource_type(type) || matches) continue;
      std::string expected;
      for (std::string_view wanted : types)
        if (expected.find(std::string(wanted) + "/") == std::string::npos)
          expected += (expected.empty() ? "" : " or ") + std::string(wanted) + "/";
      out.push_back(lint_finding(
          rule, policy, resource->text_span(type_at->first, type_at->second),
          fmt::format("Statement {} of policy {} {} {} on a {}/ resource, but AWS IoT authorizes {} on {} resources "
                      "only: this resource {} nothing.",
                      statement.index + 1, policy.name, statement.deny ? "denies" : "allows", names, type,
                      types.size() > 1 ? "these actions" : "it", expected, statement.deny ? "denies" : "grants"),
          resource->text));
    }
  }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_RESOURCE_TYPE_MISMATCH",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"ACTION_NEVER_ACTS_ON_RESOURCE_TYPE"},
            .short_description = "A statement's actions never act on the type of one of its resources.",
            .full_description =
                "Each IoT data-plane action is authorized on one resource type: iot:Connect on client/, "
                "iot:Publish, Receive and RetainPublish on topic/, iot:Subscribe on topicfilter/, the shadow and "
                "job actions on thing/. A resource of another type in the statement is never matched: an Allow "
                "grants nothing through it and a Deny denies nothing.",
            .help = "Reported for statements whose actions are all data-plane actions named exactly (a wildcard "
                    "action may act on any type). Fix: write the resource with the type the action expects, e.g. "
                    "`iot:Subscribe` on `arn:aws:iot:REGION:ACCOUNT:topicfilter/sensors/*` and `iot:Receive` on "
                    "`…:topic/sensors/*`.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-action-resources.html",
            .parameters = {},
            .required_inputs = {},
            .run = nullptr,
            .fleetaudit_own = true,
        },
    .run = run,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit::lint
