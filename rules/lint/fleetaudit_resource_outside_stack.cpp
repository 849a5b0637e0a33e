// FLEETAUDIT_RESOURCE_OUTSIDE_STACK: a resource ARN in another partition, region or account than
// the one the file's other IoT ARNs agree on (arn:aws-cn:… beside arn:aws:…, eu-west-1 beside
// us-east-1): an IoT policy only acts on its own account's resources in its own region, so the
// statement grants (or denies) nothing where it is deployed.
#include <fmt/format.h>

#include <array>

#include "analyzer/lint/lint_rule.h"
#include "rules/lint/resource_arns.h"

namespace fleetaudit::lint {
namespace {

// Once per file, not per policy: every IoT ARN of the file is read once (a file of 6,000 policies
// would otherwise read 6,000 x 6,000 ARNs). Findings come policy by policy, as per-policy rules' do.
void run(const LintRule& rule, const IacFile& file, std::vector<LintFinding>& out) {
  const std::vector<ResourceArn> arns = resource_arns(file);
  std::array<std::string, kArnParts> stack;
  for (ArnPart part : {kPartition, kRegion, kAccount}) stack[part] = prevailing_literal(arns, part);
  size_t end = 0;
  for (const PolicyInput& policy : file.policies) {
    const size_t begin = end;  // resource_arns lists each policy's ARNs together, in policy order
    while (end < arns.size() && arns[end].policy == &policy) ++end;
    for (ArnPart part : {kPartition, kRegion, kAccount}) {
      if (stack[part].empty()) continue;  // no literal, or no majority: what the stack's is stays unknown
      for (size_t i = begin; i < end; ++i) {
        const ResourceArn& arn = arns[i];
        const std::string& written = arn.parts[part];
        if (!literal_part(written, part) || written == stack[part]) continue;
        out.push_back(lint_finding(
            rule, policy, arn.spans[part],
            fmt::format("Statement {} of policy {} names {}, in the {} {}, but the file's other IoT ARNs are in {}: "
                        "a policy acts on its own {}'s resources only, so this resource matches nothing where the "
                        "policy is deployed.",
                        arn.statement + 1, policy.name, arn.value->text, part_name(part), written, stack[part],
                        part_name(part)),
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
            .name = "FLEETAUDIT_RESOURCE_OUTSIDE_STACK",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"RESOURCE_IN_OTHER_PARTITION_REGION_OR_ACCOUNT"},
            .short_description = "A resource ARN is in another partition, region or account than the stack's.",
            .full_description =
                "AWS IoT authorizes a device's requests against resources of the account and region the policy "
                "lives in. A resource ARN of another partition (arn:aws-cn:… in an aws stack), region or account "
                "never matches there: an Allow grants nothing through it (the device is refused what was meant), a "
                "Deny denies nothing. It is usually a value copied from another environment.",
            .help = "The stack's partition, region and account are the literal values the file's IoT ARNs use most "
                    "(a tie, or only ${AWS::Region}-style values, decide nothing). Fix: build the ARN from the "
                    "stack's own values: `arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:…` in "
                    "CloudFormation, `data.aws_partition`, `data.aws_region` and `data.aws_caller_identity` in "
                    "Terraform.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-action-resources.html",
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
