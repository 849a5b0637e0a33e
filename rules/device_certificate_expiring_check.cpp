// DEVICE_CERTIFICATE_EXPIRING_CHECK: a device certificate in use that expires soon or has expired.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

constexpr std::string_view kThreshold = "CERT_EXPIRATION_THRESHOLD_IN_DAYS";

CheckResult run(const CheckContext& context) {
  return certificate_rules::run_expiring(context, certificate_rules::Kind::device, context.parameter(kThreshold));
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "DEVICE_CERTIFICATE_EXPIRING_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {std::begin(certificate_rules::kExpiringReasonCodes), std::end(certificate_rules::kExpiringReasonCodes)},
    .short_description = "A device certificate in use expires within the threshold or has expired.",
    .full_description =
        "A certificate in status ACTIVE or PENDING_TRANSFER whose validity.notAfter is at or before the audit "
        "clock plus CERT_EXPIRATION_THRESHOLD_IN_DAYS (CERTIFICATE_APPROACHING_EXPIRATION), or at or before the "
        "audit clock itself (CERTIFICATE_PAST_EXPIRATION). A device whose certificate expires can no longer "
        "connect. Both bounds are inclusive: a certificate expiring exactly at the threshold is reported.",
    .help =
        "The finding's EXPIRATION_TIME is notAfter in epoch milliseconds, as AWS writes it.\n\n"
        "Fix: rotate the certificate before it expires: issue a new certificate for the device (for example "
        "through fleet provisioning or a CSR from the device), attach it to the thing and its policies, let the "
        "device switch over, then deactivate the old one "
        "(`aws iot update-certificate --certificate-id ID --new-status INACTIVE`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/device-certificate-expiring-check.html",
    .parameters = {{kThreshold, 30, 30, 3652,
                    "days before notAfter from which a certificate counts as approaching expiration"}},
    .required_inputs = {{SnapshotFile::certificates}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_DEVICE_CERTIFICATE", "ADD_THINGS_TO_THING_GROUP"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
