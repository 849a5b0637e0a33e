// FLEETAUDIT_SUB_UNESCAPED_POLICY_VARIABLE: ${iot:…} in a CloudFormation Fn::Sub without the `!`
// escape: CloudFormation reads it as a reference to a parameter or resource and rejects the template.
#include <fmt/format.h>

#include "analyzer/lint/lint_rule.h"

namespace fleetaudit::lint {
namespace {

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  for (size_t i = 0; i < policy.unescaped_sub_variables.size(); ++i)
    out.push_back(lint_finding(rule, policy, policy.unescaped_sub_variables[i],
                               fmt::format("A policy variable in the Fn::Sub of policy {} is written without the ! "
                                           "escape: CloudFormation reads it as one of its own references and "
                                           "rejects the template (Unresolved resource dependencies). Write ${{!…}}.",
                                           policy.name),
                               fmt::format("variable {}", i + 1)));
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_SUB_UNESCAPED_POLICY_VARIABLE",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"UNESCAPED_POLICY_VARIABLE_IN_SUB"},
            .short_description = "An IoT policy variable inside Fn::Sub is not escaped as ${!…}.",
            .full_description =
                "Fn::Sub replaces every ${NAME} with a parameter, resource or pseudo parameter. An IoT policy "
                "variable such as ${iot:Connection.Thing.ThingName} written there unescaped is read as such a "
                "reference, which does not exist: the stack fails to create or update.",
            .help = "fleetaudit checks the policy as if the variable had been escaped, so its other findings still "
                    "hold. Fix: write `${!iot:Connection.Thing.ThingName}`; Fn::Sub turns `${!` into `${` and leaves "
                    "the variable to AWS IoT.",
            .help_uri = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html",
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
