// FLEETAUDIT_CERTIFICATE_SNAPSHOT_INTEGRITY_CHECK (fleetaudit's own): the snapshot's description of a
// certificate disagrees with the certificate's own bytes.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

using certificate_rules::Kind;

void sweep(const CheckContext& context, Kind kind, CheckResult& result) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = certificate_rules::table_of(snapshot, kind);
  for (uint32_t row = 0; row < table.size(); ++row) {
    const x509::CertificateFacts& facts = table.facts[row];
    if (!facts.parsed) continue;
    ++result.resources_evaluated;
    std::string_view id = snapshot.text(table.certificate_id[row]);
    if (!facts.id_matches_der)
      result.findings.push_back(certificate_rules::finding_for(
          snapshot, kind, row, "FLEETAUDIT_CERTIFICATE_ID_MISMATCH",
          fmt::format("certificateId {} is not the SHA-256 of the certificate in certificatePem: the description "
                      "and the certificate do not belong together.",
                      id)));
    std::string validity;
    if (table.not_before[row] != kMissingTime && table.not_before[row] != facts.not_before)
      validity += fmt::format("validity.notBefore {} but the certificate says {}", format_iso8601(table.not_before[row]),
                              format_iso8601(facts.not_before));
    if (table.not_after[row] != kMissingTime && table.not_after[row] != facts.not_after)
      validity += fmt::format("{}validity.notAfter {} but the certificate says {}", validity.empty() ? "" : "; ",
                              format_iso8601(table.not_after[row]), format_iso8601(facts.not_after));
    if (!validity.empty())
      result.findings.push_back(certificate_rules::finding_for(
          snapshot, kind, row, "FLEETAUDIT_CERTIFICATE_VALIDITY_MISMATCH",
          fmt::format("Certificate {}: {}.", id, validity)));
  }
}

CheckResult run(const CheckContext& context) {
  CheckResult result;
  sweep(context, Kind::device, result);
  sweep(context, Kind::ca, result);
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "FLEETAUDIT_CERTIFICATE_SNAPSHOT_INTEGRITY_CHECK",
    .aliases = {},
    .severity = Severity::medium,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"FLEETAUDIT_CERTIFICATE_ID_MISMATCH", "FLEETAUDIT_CERTIFICATE_VALIDITY_MISMATCH"},
    .short_description = "A certificate's description in the snapshot disagrees with its PEM.",
    .full_description =
        "fleetaudit's own check, not an AWS Device Defender check. AWS IoT's certificateId is the SHA-256 of the "
        "certificate's DER, and validity.notBefore/notAfter are copied from the certificate. When they disagree "
        "with certificatePem, the snapshot was assembled wrongly (descriptions and PEMs mixed up) or edited, and "
        "every certificate finding about that row may be wrong. Applies to device and CA certificates in every "
        "status.",
    .help =
        "Severity MEDIUM: not a weakness of the fleet itself, but it makes the audit of that certificate "
        "untrustworthy, which a reviewer must know.\n\n"
        "Fix: re-export the snapshot (`aws iot describe-certificate` / `describe-ca-certificate`) without "
        "editing it; if the mismatch persists, find out who changed the export.",
    .help_uri = "https://docs.aws.amazon.com/iot/latest/apireference/API_CertificateDescription.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates, SnapshotFile::ca_certificates}},
    .run = run,
    .reads_device_certificate_pems = true,
    .fleetaudit_own = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
