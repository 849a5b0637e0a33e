// REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: a registered CA certificate its issuer revoked, still ACTIVE.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

CheckResult run(const CheckContext& context) {
  return certificate_rules::find_revoked_in_use(context, certificate_rules::Kind::ca, "CA certificate");
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::ca_certificate,
    .reason_codes = {"CERTIFICATE_REVOKED_BY_ISSUER"},
    .short_description = "A CA certificate revoked by its issuer is still ACTIVE in AWS IoT.",
    .full_description =
        "A registered CA certificate in status ACTIVE whose serial number is on its issuer's certificate "
        "revocation list. AWS IoT keeps registering and trusting device certificates the revoked CA signs.",
    .help =
        "Lists come from the snapshot's crls/ folder (PEM or DER); the list of the CA's issuer must be there and "
        "its signature must verify against that issuer's certificate, which must itself be in "
        "ca-certificates.json. A list that cannot be read or verified, or that has expired, is reported as an "
        "input problem. Without crls/ the check is not run.\n\n"
        "Fix: `aws iot update-ca-certificate --certificate-id ID --new-status INACTIVE`, then re-issue the "
        "device certificates it signed under a valid CA.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-revoked-ca-cert.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::ca_certificates}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_CA_CERTIFICATE"},
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
