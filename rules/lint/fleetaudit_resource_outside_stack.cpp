// FLEETAUDIT_RESOURCE_OUTSIDE_STACK: a resource ARN in another partition, region or account than
// the one the file's other IoT ARNs agree on (arn:aws-cn:… beside arn:aws:…, eu-west-1 beside
// us-east-1): an IoT policy only acts on its own account's resources in its own region, so the
// statement grants (or denies) nothing where it is deployed.
#include <fmt/format.h>

#include "analyzer/lint/lint_rule.h"
#include "rules/lint/resource_arns.h"

namespace fleetaudit::lint {
namespace {

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& file, std::vector<LintFinding>& out) {
  const std::vector<ResourceArn> arns = resource_arns(file);
  for (ArnPart part : {kPartition, kRegion, kAccount}) {
    const std::string stack = prevailing_literal(arns, part);
    if (stack.empty()) continue;  // no literal, or no majority: what the stack's is stays unknown
    for (const ResourceArn& arn : arns) {
      const std::string& written = arn.parts[part];
      if (arn.policy != &policy || !literal_part(written, part) || written == stack) continue;
      out.push_back(lint_finding(
          rule, policy, arn.spans[part],
          fmt::format("Statement {} of policy {} names {}, in the {} {}, but the file's other IoT ARNs are in {}: a "
                      "policy acts on its own {}'s resources only, so this resource matches nothing where the "
                      "policy is deployed.",
                      arn.statement + 1, policy.name, arn.value->text, part_name(part), written, stack,
                      part_name(part)),
          arn.value->text + "\n" + std::string(part_name(part))));
    }
  }
}

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
    .run = run,
});

}  // namespace
}  // namespace fleetaudit::lint
