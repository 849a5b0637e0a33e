// CA_CERTIFICATE_EXPIRING_CHECK: a registered CA certificate in use that expires soon or has expired.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

// AWS offers no threshold setting for CA certificates: always 30 days.
constexpr int64_t kThresholdDays = 30;

CheckResult run(const CheckContext& context) {
  return certificate_rules::run_expiring(context, certificate_rules::Kind::ca, kThresholdDays);
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "CA_CERTIFICATE_EXPIRING_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::ca_certificate,
    .reason_codes = {std::begin(certificate_rules::kExpiringReasonCodes), std::end(certificate_rules::kExpiringReasonCodes)},
    .short_description = "A CA certificate in use expires within 30 days or has expired.",
    .full_description =
        "A CA certificate in status ACTIVE whose validity.notAfter is at or before the audit clock plus 30 days "
        "(CERTIFICATE_APPROACHING_EXPIRATION), or at or before the audit clock (CERTIFICATE_PAST_EXPIRATION). "
        "Once the CA expires, AWS IoT can no longer register device certificates it signs. The threshold is "
        "fixed at 30 days, as in AWS; both bounds are inclusive.",
    .help =
        "The finding's EXPIRATION_TIME is notAfter in epoch milliseconds, as AWS writes it.\n\n"
        "Fix: register a new CA certificate (`aws iot register-ca-certificate`), move device registration "
        "(just-in-time registration, fleet provisioning templates) to it, and re-issue device certificates "
        "under the new CA before the old one expires.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-ca-cert-approaching-expiration.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::ca_certificates}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_CA_CERTIFICATE"},
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
