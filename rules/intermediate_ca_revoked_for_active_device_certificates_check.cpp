// INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK: device certificates in use under a CA
// that its own issuer revoked.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

CheckResult run(const CheckContext& context) {
  using namespace certificate_rules;
  const Snapshot& snapshot = context.snapshot;
  CheckResult result;
  if ((result.not_run_reason = crls_missing(snapshot))) return result;
  report_expired_crls(context, result);
  // Which registered CAs did their issuers revoke?
  const CertificateTable& cas = snapshot.ca_certificates;
  std::vector<const RevocationList*> ca_revoked_by(cas.size(), nullptr);
  bool any = false;
  for (uint32_t row = 0; row < cas.size(); ++row)
    any |= (ca_revoked_by[row] = revoked_by(snapshot, cas.facts[row])) != nullptr;
  const CertificateTable& devices = snapshot.certificates;
  for (uint32_t row = 0; row < devices.size(); ++row) {
    if (!is_in_use(devices.status[row]) || !devices.facts[row].parsed) continue;
    ++result.resources_evaluated;
    if (!any) continue;
    // The device's issuer: the registered CA whose subject and key identifier match.
    const x509::CertificateFacts& facts = devices.facts[row];
    for (uint32_t ca = 0; ca < cas.size(); ++ca) {
      if (ca_revoked_by[ca] == nullptr || cas.facts[ca].subject_digest != facts.issuer_digest) continue;
      if (facts.authority_key_id.size && cas.facts[ca].subject_key_id.size &&
          !(facts.authority_key_id == cas.facts[ca].subject_key_id))
        continue;
      std::string_view ca_id = snapshot.text(cas.certificate_id[ca]);
      Finding finding = finding_for(
          snapshot, Kind::device, row, "INTERMEDIATE_CA_REVOKED_BY_ISSUER",
          fmt::format("Device certificate {} ({}) was issued by CA {}, which its issuer revoked ({}).",
                      snapshot.text(devices.certificate_id[row]), to_string(devices.status[row]), ca_id,
                      ca_revoked_by[ca]->file));
      finding.additional_info = {{"CRL", ca_revoked_by[ca]->file}};
      finding.related.push_back(
          {ResourceType::ca_certificate, {ResourceIdentifier::Kind::ca_certificate_id, std::string(ca_id), {}}, {}});
      result.findings.push_back(std::move(finding));
      break;
    }
  }
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"INTERMEDIATE_CA_REVOKED_BY_ISSUER"},
    .short_description = "Device certificates in use were issued by a CA that its issuer revoked.",
    .full_description =
        "A device certificate in status ACTIVE or PENDING_TRANSFER whose issuing CA (a registered CA certificate "
        "matched by name and key identifier) is on its own issuer's certificate revocation list. Everything the "
        "revoked intermediate signed should no longer be trusted.",
    .help =
        "Lists come from the snapshot's crls/ folder (PEM or DER) and are used only when their signature "
        "verifies against the issuing CA certificate in ca-certificates.json. A list that cannot be read or "
        "verified, or that has expired, is reported as an input problem. Without crls/ the check is not run.\n\n"
        "Fix: re-issue the devices' certificates under a valid CA, then deactivate or revoke these "
        "(`aws iot update-certificate --certificate-id ID --new-status REVOKED`) and the revoked CA "
        "(`aws iot update-ca-certificate --certificate-id ID --new-status INACTIVE`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-intermediate-ca-revoked-active-device-cert.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}, {SnapshotFile::ca_certificates}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_DEVICE_CERTIFICATE", "ADD_THINGS_TO_THING_GROUP"},
    .reads_device_certificate_pems = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
