// FLEETAUDIT_UNKNOWN_POLICY_VARIABLE: a ${…} policy variable AWS IoT does not define.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/arn.h"
#include "analyzer/policy/policy_variables.h"

namespace fleetaudit::lint {
namespace {

// Whether [start, start + length) is an IoT ARN's whole partition, region or account: a placeholder
// there (${AWS_REGION} of a shell template) decides nothing (policy::ArnScope::placeholder), so
// it is not read as a policy variable either.
bool fills_arn_field(std::string_view text, size_t start, size_t length) {
  const auto arn = policy::parse_iot_arn(text);
  if (!arn) return false;
  for (const policy::ArnPart& field : {arn->partition, arn->region, arn->account})
    if (start == field.at && length == field.text.size()) return true;
  return false;
}

// The variables of the AWS IoT Core policy documentation (iot-policy-variables.html), and the
// literal escapes ${*} ${?} ${$}.
void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  for (const StatementView& statement : statements_of(policy.document)) {
    std::vector<const Node*> values = strings_of(statement.resources);
    for (const Node* value : condition_strings(statement)) values.push_back(value);
    for (const Node* value : values)
      for (const auto& [start, length] : variables_in(value->text)) {
        const std::string name = value->text.substr(start + 2, length - 3);
        if (policy::is_known_variable(name) || fills_arn_field(value->text, start, length)) continue;
        const std::string suggestion = closest_name(name, policy::known_variable_names(), 6);
        out.push_back(lint_finding(
            rule, policy, value->text_span(start, start + length),
            fmt::format("Statement {} of policy {} uses ${{{}}}, which is not an AWS IoT policy variable{}: it never "
                        "resolves, so the statement {} nothing through {}.",
                        statement.index + 1, policy.name, name,
                        suggestion.empty() ? "" : fmt::format(" (did you mean ${{{}}}?)", suggestion),
                        statement.deny ? "denies" : "allows", value->text),
            name));
      }
  }
}

// The help's list of variables, made from the one table (policy_variables.h) so that it names
// exactly what the rule accepts, with the table's meanings.
std::string variable_line(const policy::PolicyVariable& variable) {
  // A family's row is its prefix: "iot:Certificate." is shown as ${iot:Certificate.…}.
  const std::string name = !variable.prefix               ? std::string(variable.name)
                           : variable.name.ends_with('[') ? fmt::format("{}NAME]", variable.name)
                                                          : fmt::format("{}…", variable.name);
  return fmt::format("- `${{{}}}`: {}\n", name, variable.meaning);
}

const std::string& help_text() {
  static const std::string text = [] {
    std::string in_iot_policies, elsewhere;
    for (const policy::PolicyVariable& variable : policy::policy_variables())
      (variable.home == policy::VariableHome::role_policy ? elsewhere : in_iot_policies) += variable_line(variable);
    return fmt::format(
        "Known in IoT policies (names are compared case-insensitively):\n{}\nReported in an IoT policy although AWS "
        "defines them, because only the IAM policies of the role a role alias names resolve them:\n{}\nIn a "
        "CloudFormation Fn::Sub, write ${{!iot:…}} so that CloudFormation leaves the variable to IoT.\n\nFix: use "
        "the variable's documented name; the finding suggests the closest.",
        in_iot_policies, elsewhere);
  }();
  return text;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_UNKNOWN_POLICY_VARIABLE",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"UNKNOWN_POLICY_VARIABLE"},
            .short_description = "An IoT policy uses a ${…} variable that AWS IoT does not define.",
            .full_description =
                "A misspelt variable such as ${iot:Connection.ThingName} never resolves (names are compared "
                "case-insensitively, so only the spelling matters): the resource or condition it is in matches "
                "nothing, so an Allow grants nothing and a Deny denies nothing.",
            .help = help_text(),
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
