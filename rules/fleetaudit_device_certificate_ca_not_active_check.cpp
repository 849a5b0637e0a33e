// FLEETAUDIT_DEVICE_CERTIFICATE_CA_NOT_ACTIVE_CHECK (fleetaudit's own): an ACTIVE device certificate whose
// registered CA is INACTIVE or no longer registered.
#include <unordered_map>

#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& devices = snapshot.certificates;
  const CertificateTable& cas = snapshot.ca_certificates;
  std::unordered_map<StringId, uint32_t> ca_row;
  for (uint32_t row = 0; row < cas.size(); ++row) ca_row.emplace(cas.certificate_id[row], row);
  CheckResult result;
  for (uint32_t row = 0; row < devices.size(); ++row) {
    if (devices.status[row] != CertificateStatus::active || devices.ca_certificate_id[row] == kNoString) continue;
    ++result.resources_evaluated;
    std::string_view id = snapshot.text(devices.certificate_id[row]);
    std::string_view ca = snapshot.text(devices.ca_certificate_id[row]);
    auto found = ca_row.find(devices.ca_certificate_id[row]);
    if (found != ca_row.end() && cas.status[found->second] == CertificateStatus::active) continue;
    const bool missing = found == ca_row.end();
    Finding finding = certificate_rules::finding_for(
        snapshot, certificate_rules::Kind::device, row,
        missing ? "FLEETAUDIT_CA_CERTIFICATE_NOT_REGISTERED" : "FLEETAUDIT_CA_CERTIFICATE_INACTIVE",
        missing ? fmt::format("Device certificate {} is ACTIVE but its CA {} is not in ca-certificates.json.", id, ca)
                : fmt::format("Device certificate {} is ACTIVE but its CA {} is INACTIVE.", id, ca));
    finding.related.push_back({ResourceType::ca_certificate,
                               {ResourceIdentifier::Kind::ca_certificate_id, std::string(ca), {}},
                               {}});
    result.findings.push_back(std::move(finding));
  }
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "FLEETAUDIT_DEVICE_CERTIFICATE_CA_NOT_ACTIVE_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"FLEETAUDIT_CA_CERTIFICATE_INACTIVE", "FLEETAUDIT_CA_CERTIFICATE_NOT_REGISTERED"},
    .short_description = "An ACTIVE device certificate names a CA that is INACTIVE or not registered.",
    .full_description =
        "fleetaudit's own check, not an AWS Device Defender check. A device certificate in status ACTIVE whose "
        "caCertificateId is INACTIVE in ca-certificates.json, or absent from it. A CA is usually deactivated "
        "or deleted to retire it, often because its key is no longer trusted; certificates it issued that stay "
        "ACTIVE keep that trust alive. Certificates without a caCertificateId (issued by AWS IoT) are not "
        "evaluated.",
    .help =
        "Severity MEDIUM: the certificates are not known to be compromised, but they contradict the decision "
        "to retire their CA, and a missing CA may also mean the export is incomplete.\n\n"
        "Fix: re-issue the devices' certificates under an ACTIVE CA and deactivate these "
        "(`aws iot update-certificate --certificate-id ID --new-status INACTIVE`), or, if the CA is still "
        "trusted, reactivate it (`aws iot update-ca-certificate --certificate-id CA_ID --new-status ACTIVE`).",
    .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/manage-your-CA-certs.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}, {SnapshotFile::ca_certificates}},
    .run = run,
    .fleetaudit_own = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
