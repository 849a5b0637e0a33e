// FLEETAUDIT_VARIABLE_WITHOUT_VERSION: policy variables in a document without "Version": "2012-10-17",
// where AWS IoT reads ${…} as literal text.
#include <fmt/format.h>

#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"

namespace fleetaudit::lint {
namespace {

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  const Node* version = policy.document.get("Version");
  if (version != nullptr && version->is_string() && version->text == "2012-10-17") return;
  for (const StatementView& statement : statements_of(policy.document)) {
    std::vector<const Node*> values = strings_of(statement.resources);
    for (const Node* value : condition_strings(statement)) values.push_back(value);
    for (const Node* value : values) {
      const auto variables = variables_in(value->text);
      if (variables.empty()) continue;
      const auto& [start, length] = variables.front();
      const std::string variable = value->text.substr(start, length);
      out.push_back(lint_finding(
          rule, policy, value->text_span(start, start + length),
          fmt::format("Policy {} uses the policy variable {} but {}: AWS IoT substitutes variables only in "
                      "documents of version 2012-10-17, so {} is literal text and statement {} {} nothing "
                      "through it.",
                      policy.name, variable,
                      version == nullptr ? "has no \"Version\"" : fmt::format("has \"Version\": \"{}\"", version->text),
                      variable, statement.index + 1, statement.deny ? "denies" : "allows"),
          variable));
      return;  // one finding per document: adding the Version fixes every variable
    }
  }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_VARIABLE_WITHOUT_VERSION",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"POLICY_VARIABLE_WITHOUT_VERSION"},
            .short_description = "An IoT policy uses ${…} policy variables without \"Version\": \"2012-10-17\".",
            .full_description =
                "Policy variables such as ${iot:Connection.Thing.ThingName} are substituted only in policy "
                "documents whose Version is 2012-10-17. Without it they are literal text: an Allow scoped with one "
                "grants nothing, and a Deny scoped with one denies nothing.",
            .help = "Reported once per document, at its first variable (in a Resource or a Condition value). "
                    "Fix: add `\"Version\": \"2012-10-17\"` at the top of the policy document.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-variables.html",
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
