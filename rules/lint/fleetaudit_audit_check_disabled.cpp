// FLEETAUDIT_AUDIT_CHECK_DISABLED: an AWS::IoT::AccountAuditConfiguration turns off an audit check
// that fleetaudit can run: the account's scheduled audits stop reporting what it finds.
#include <fmt/format.h>

#include "analyzer/lint/lint_rule.h"

namespace fleetaudit::lint {
namespace {

void run(const LintRule& rule, const IacFile& file, std::vector<LintFinding>& out) {
  for (const DisabledAuditCheckInput& disabled : file.disabled_audit_checks)
    out.push_back(lint_finding(rule, disabled.origin, disabled.where,
                               fmt::format("The account audit configuration {} disables {}: Device Defender's "
                                           "audits of the account no longer report what it finds.",
                                           disabled.origin.resource, disabled.key),
                               disabled.key));
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_AUDIT_CHECK_DISABLED",
            .aliases = {},
            .severity = Severity::medium,
            .resource_type = ResourceType::account_settings,
            .reason_codes = {"AUDIT_CHECK_DISABLED"},
            .short_description = "An AWS::IoT::AccountAuditConfiguration disables an audit check.",
            .full_description =
                "A check in AuditCheckConfigurations with Enabled: false is not run by the account's on-demand "
                "or scheduled audits, so the misconfigurations it looks for go unreported in that account.",
            .help = "Reported for the checks fleetaudit can run itself (`fleetaudit checks`), whether written as "
                    "CloudFormation's property name (`DeviceCertificateExpiringCheck`) or the API's "
                    "(`DEVICE_CERTIFICATE_EXPIRING_CHECK`). Fix: set `Enabled: true`, or, when the check does not "
                    "apply to the account, suppress this finding with the reason.",
            .help_uri = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iot-accountauditconfiguration.html",
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
