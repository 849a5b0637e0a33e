// FLEETAUDIT_HARDCODED_ACCOUNT_OR_REGION: a literal account id or region in an IoT policy resource
// where the file otherwise uses the stack's own (${AWS::AccountId}, data.aws_caller_identity): the
// template is meant to deploy anywhere, and this one resource stays behind.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "analyzer/lint/lint_rule.h"
#include "rules/lint/resource_arns.h"

namespace fleetaudit::lint {
namespace {

// Once per file, not per policy: every IoT ARN of the file is read once (a file of 6,000 policies
// would otherwise read 6,000 x 6,000 ARNs). Findings come policy by policy, as per-policy rules' do.
void run(const LintRule& rule, const IacFile& file, std::vector<LintFinding>& out) {
  const std::vector<ResourceArn> arns = resource_arns(file);
  std::array<bool, kArnParts> stack_own{};
  for (ArnPart part : {kRegion, kAccount})  // a literal arn:aws: beside ${AWS::Partition} is common and harmless
    stack_own[part] = std::any_of(arns.begin(), arns.end(),
                                  [&](const ResourceArn& arn) { return arn.parts[part] == stack_stand_in(part); });
  size_t end = 0;
  for (const PolicyInput& policy : file.policies) {
    const size_t begin = end;  // resource_arns lists each policy's ARNs together, in policy order
    while (end < arns.size() && arns[end].policy == &policy) ++end;
    for (ArnPart part : {kRegion, kAccount}) {
      if (!stack_own[part]) continue;
      for (size_t i = begin; i < end; ++i) {
        const ResourceArn& arn = arns[i];
        const std::string& written = arn.parts[part];
        if (!literal_part(written, part)) continue;
        out.push_back(lint_finding(
            rule, policy, arn.spans[part],
            fmt::format("Statement {} of policy {} names the {} {} literally in {}, where the file's other IoT ARNs "
                        "use the stack's own ({}): deployed elsewhere, this resource still names {}.",
                        arn.statement + 1, policy.name, part_name(part), written, arn.value->text,
                        stack_part_written(part), written),
            arn.value->text + "\n" + std::string(part_name(part))));
      }
    }
  }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_HARDCODED_ACCOUNT_OR_REGION",
            .aliases = {},
            .severity = Severity::low,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"LITERAL_BESIDE_STACK_PSEUDO_PARAMETER"},
            .short_description = "A resource ARN writes an account or region literally where the file otherwise "
                                 "uses the stack's own.",
            .full_description =
                "A template whose IoT ARNs are built from ${AWS::AccountId} and ${AWS::Region} (or Terraform's "
                "data.aws_caller_identity and data.aws_region) deploys into any account and region. A resource "
                "that writes one of them literally only matches in that one account or region: deployed anywhere "
                "else, its statement grants or denies nothing through it.",
            .help = "Reported only when some IoT ARN of the same file uses the stack's own value for that part; "
                    "when the stack's own is known and differs, FLEETAUDIT_RESOURCE_OUTSIDE_STACK says so. Fix: "
                    "write the part as the others do (`${AWS::AccountId}`, "
                    "`${data.aws_caller_identity.current.account_id}`), or suppress the finding where the literal "
                    "is meant.",
            .help_uri = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html",
            .parameters = {},
            .required_inputs = {},
            .run = nullptr,
            .fleetaudit_own = true,
        },
    .run = nullptr,
    .run_on_file = run,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit::lint
