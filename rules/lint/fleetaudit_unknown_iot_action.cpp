// FLEETAUDIT_UNKNOWN_IOT_ACTION: an iot: or iotjobsdata: action name AWS does not define (iot:Publsh).
#include <fmt/format.h>

#include <string>

#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/actions.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::lint {
namespace {

std::string lower(std::string_view text) { return ascii_lower(text); }

bool iot_prefixed(std::string_view action) {
  const std::string name = lower(action);
  return name.rfind("iot:", 0) == 0 || name.rfind("iotjobsdata:", 0) == 0;
}

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  for (const StatementView& statement : statements_of(policy.document))
    for (const Node* action : strings_of(statement.actions)) {
      if (!iot_prefixed(action->text) || policy::matches_iot_action(action->text)) continue;
      const std::string suggestion = closest_name(action->text, policy::iot_action_names(), 3);
      out.push_back(lint_finding(
          rule, policy, action->text_extent(),
          fmt::format("Statement {} of policy {} names the action {}, which AWS IoT does not define{}: the statement "
                      "{} nothing through it.",
                      statement.index + 1, policy.name, action->text,
                      suggestion.empty() ? "" : fmt::format(" (did you mean {}?)", suggestion),
                      statement.deny ? "denies" : "allows"),
          action->text));
    }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_UNKNOWN_IOT_ACTION",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"UNKNOWN_ACTION"},
            .short_description = "An IoT policy names an iot: or iotjobsdata: action that does not exist.",
            .full_description =
                "AWS accepts any action name in a policy, so a misspelt one (iot:Publsh) is silently never "
                "matched: an Allow grants less than intended and, worse, a Deny denies nothing.",
            .help = "Each action under iot: and iotjobsdata: (a wildcard pattern too) must name, or match, an action "
                    "AWS defines: the operations of the AWS IoT API and the data-plane actions (iot:Connect, "
                    "Publish, Subscribe, Receive, RetainPublish, GetRetainedMessage, ListRetainedMessages, the "
                    "shadow and job actions, DeleteConnection, AssumeRoleWithCertificate). The list is "
                    "analyzer/policy/iot_action_names.inc, generated from botocore's model "
                    "(scripts/generate-iot-action-names.py). Fix: correct the name; the finding suggests the "
                    "closest one.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-actions.html",
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
