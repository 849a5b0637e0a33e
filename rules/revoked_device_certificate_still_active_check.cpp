// REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK: a device certificate its issuer revoked, still in use.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

CheckResult run(const CheckContext& context) {
  return certificate_rules::find_revoked_in_use(context, certificate_rules::Kind::device, "Device certificate");
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"CERTIFICATE_REVOKED_BY_ISSUER"},
    .short_description = "A device certificate revoked by its CA is still ACTIVE or PENDING_TRANSFER in AWS IoT.",
    .full_description =
        "A device certificate in status ACTIVE or PENDING_TRANSFER whose serial number is on its issuer's "
        "certificate revocation list. AWS IoT does not read CRLs, so a revoked certificate keeps working until "
        "its status is changed in AWS IoT.",
    .help =
        "Lists come from the snapshot's crls/ folder (PEM or DER, one per file). A certificate is matched to "
        "its issuer's list by issuer name and authority key identifier; a list is used only when its signature "
        "verifies against the issuing CA certificate in ca-certificates.json. A list that cannot be read or "
        "verified, or that has expired, is reported as an input problem. Without crls/ the check is not run.\n\n"
        "Fix: `aws iot update-certificate --certificate-id ID --new-status REVOKED`.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-revoked-device-cert.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}, {SnapshotFile::ca_certificates}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_DEVICE_CERTIFICATE", "ADD_THINGS_TO_THING_GROUP"},
    .reads_device_certificate_pems = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
