// FLEETAUDIT_MQTT_WILDCARD_IN_TOPIC: MQTT + or # in a topic/ resource of an Allow for Publish or
// Receive, where policies match them as the literal characters (the Deny case is AWS's
// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK).
#include <fmt/format.h>

#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"

namespace fleetaudit::lint {
namespace {

constexpr std::string_view kTopicActions[] = {"iot:Publish", "iot:Receive", "iot:RetainPublish",
                                              "iot:GetRetainedMessage"};

// The first + or # of the topic part outside a ${…} variable, or npos.
size_t mqtt_wildcard(std::string_view text, size_t topic_start) {
  const auto variables = variables_in(text);
  for (size_t i = topic_start; i < text.size(); ++i) {
    if (text[i] != '+' && text[i] != '#') continue;
    bool inside = false;
    for (const auto& [start, length] : variables) inside |= i >= start && i < start + length;
    if (!inside) return i;
  }
  return std::string_view::npos;
}

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  for (const StatementView& statement : statements_of(policy.document)) {
    if (statement.deny || statement.not_resource) continue;
    std::string_view named;
    for (std::string_view action : kTopicActions)
      if (named.empty() && statement_names_action(statement, action)) named = action;
    if (named.empty()) continue;
    for (const Node* resource : strings_of(statement.resources)) {
      const auto type_at = arn_resource_type(resource->text);
      if (!type_at || std::string_view(resource->text).substr(type_at->first, type_at->second - type_at->first) != "topic")
        continue;
      const size_t at = mqtt_wildcard(resource->text, type_at->second + 1);
      if (at == std::string_view::npos) continue;
      out.push_back(lint_finding(
          rule, policy, resource->text_span(at, at + 1),
          fmt::format("Statement {} of policy {} allows {} on {}, where '{}' is not an MQTT wildcard: a topic "
                      "resource matches it only as the literal character, so the grant covers only topics "
                      "that contain it. Use * (or a topicfilter/ resource for iot:Subscribe).",
                      statement.index + 1, policy.name, named, resource->text, resource->text[at]),
          resource->text));
    }
  }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_MQTT_WILDCARD_IN_TOPIC",
            .aliases = {},
            .severity = Severity::low,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"MQTT_WILDCARD_IN_TOPIC_RESOURCE"},
            .short_description = "An Allow for publishing or receiving names a topic with MQTT + or #, which are literal there.",
            .full_description =
                "In IoT policy resources only * and ? are wildcards. `topic/sensors/#` allows the one topic "
                "named `sensors/#`, not the subtree, so devices are denied what the author meant to allow.",
            .help = "Checked on Allow statements for iot:Publish, iot:Receive, iot:RetainPublish and "
                    "iot:GetRetainedMessage (also through action wildcards). The same mistake in a Deny is "
                    "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK's. Fix: `topic/sensors/*` for the subtree; keep + "
                    "and # for topicfilter/ resources of iot:Subscribe, where they are the filter's own characters.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/pub-sub-policy.html",
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
