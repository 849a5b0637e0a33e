// LOGGING_DISABLED_CHECK: AWS IoT logs to CloudWatch are turned off.
#include <fmt/format.h>

#include "analyzer/engine/check.h"

namespace fleetaudit {
namespace {

bool v2_logging_enabled(const LoggingV2& options) {
  return options.configured && !options.disable_all_logs && options.default_level &&
         *options.default_level != LogLevel::disabled;
}

bool v1_logging_enabled(const LoggingV1& options) {
  return options.role_arn != kNoString && options.level && *options.level != LogLevel::disabled;
}

std::string describe_v2(const Snapshot& snapshot) {
  if (!snapshot.logging_v2) return "v2 logging options were not exported";
  const LoggingV2& options = *snapshot.logging_v2;
  if (!options.configured) return "v2 logging was never configured";
  if (options.disable_all_logs) return "v2 logging has disableAllLogs set";
  if (!options.default_level) return "v2 logging has no default log level";
  return "v2 default log level is DISABLED";
}

std::string describe_v1(const Snapshot& snapshot) {
  if (!snapshot.logging_v1) return "v1 logging options were not exported";
  const LoggingV1& options = *snapshot.logging_v1;
  if (options.role_arn == kNoString) return "v1 logging has no role";
  if (!options.level) return "v1 logging has no log level";
  return "v1 log level is DISABLED";
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  CheckResult result;
  // A logging file that was present but unreadable leaves the answer unknown, not compliant.
  if (!snapshot.logging_v1 && !snapshot.logging_v2) {
    result.not_run_reason = "the logging options in the snapshot could not be read";
    return result;
  }
  result.resources_evaluated = 1;
  if ((snapshot.logging_v2 && v2_logging_enabled(*snapshot.logging_v2)) ||
      (snapshot.logging_v1 && v1_logging_enabled(*snapshot.logging_v1)))
    return result;
  std::string account(snapshot.text(snapshot.manifest.account_id));
  if (account.empty()) account = "unknown-account";
  Finding finding;
  finding.resource_type = ResourceType::account_settings;
  finding.resource = {ResourceIdentifier::Kind::account, account, {}};
  finding.reason_code = "LOGGING_DISABLED";
  finding.message = fmt::format("AWS IoT logging is disabled for account {}: {}; {}.", account,
                                describe_v2(snapshot), describe_v1(snapshot));
  SnapshotFile where = snapshot.logging_v2 ? SnapshotFile::logging_v2 : SnapshotFile::logging_v1;
  finding.location = {where, 0};
  finding.logical_name = account;
  result.findings.push_back(std::move(finding));
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "LOGGING_DISABLED_CHECK",
    .aliases = {},
    .severity = Severity::low,
    .resource_type = ResourceType::account_settings,
    .reason_codes = {"LOGGING_DISABLED"},
    .short_description = "AWS IoT logging to CloudWatch is not enabled.",
    .full_description =
        "Neither v2 logging (get-v2-logging-options: disableAllLogs false and a default log level other than "
        "DISABLED) nor v1 logging (get-logging-options: a role and a log level other than DISABLED) is enabled. "
        "Without logs, connection failures, authorization denials and attacks leave no trace.",
    .help =
        "Turn on v2 logging with a role that may write to CloudWatch Logs:\n"
        "`aws iot set-v2-logging-options --role-arn ROLE_ARN --default-log-level ERROR --no-disable-all-logs`.\n"
        "ERROR or WARN keeps the volume (and cost) low; raise it per thing group with "
        "`aws iot set-v2-logging-level` while investigating.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-logging-disabled.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::logging_v2, SnapshotFile::logging_v1}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "ENABLE_IOT_LOGGING"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
