// FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK (fleetaudit's own): a certificate in use with a key or
// signature weaker than AWS IoT accepts when registering certificates today.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

using certificate_rules::Kind;

// What is weak about this certificate, or an empty string. The signature of a self-signed
// certificate is not judged: nobody relies on it (a trust anchor is trusted by its key).
std::string weakness(const x509::CertificateFacts& facts) {
  using x509::KeyAlgorithm;
  std::string out;
  auto add = [&](std::string text) { out += (out.empty() ? "" : "; ") + text; };
  if (facts.key_algorithm == KeyAlgorithm::rsa && facts.key_bits < 2048)
    add(fmt::format("{}-bit RSA key (AWS IoT requires at least 2048)", facts.key_bits));
  if (facts.key_algorithm == KeyAlgorithm::ec && facts.curve != x509::Curve::p256 &&
      facts.curve != x509::Curve::p384 && facts.curve != x509::Curve::p521)
    add(fmt::format("EC key on {} (AWS IoT accepts P-256, P-384 and P-521)", to_string(facts.curve)));
  if (facts.key_algorithm == KeyAlgorithm::dsa) add(fmt::format("{}-bit DSA key", facts.key_bits));
  const auto hash = facts.signature_hash;
  if (!facts.self_signed_name &&
      (hash == x509::SignatureHash::sha1 || hash == x509::SignatureHash::md5 || hash == x509::SignatureHash::md2))
    add(fmt::format("signed with {} (collisions are practical; AWS IoT accepts SHA-256 and stronger)",
                    to_string(hash)));
  return out;
}

void sweep(const CheckContext& context, Kind kind, CheckResult& result) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = certificate_rules::table_of(snapshot, kind);
  for (uint32_t row = 0; row < table.size(); ++row) {
    const x509::CertificateFacts& facts = table.facts[row];
    if (!is_in_use(table.status[row]) || !facts.parsed) continue;
    ++result.resources_evaluated;
    std::string weak = weakness(facts);
    if (weak.empty()) continue;
    Finding finding = certificate_rules::finding_for(
        snapshot, kind, row, "FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK",
        fmt::format("{} {} ({}): {}.", kind == Kind::ca ? "CA certificate" : "Device certificate",
                    snapshot.text(table.certificate_id[row]), to_string(table.status[row]), weak));
    finding.additional_info = {{"KEY_ALGORITHM", to_string(facts.key_algorithm)},
                               {"KEY_BITS", std::to_string(facts.key_bits)},
                               {"SIGNATURE_HASH", to_string(facts.signature_hash)}};
    result.findings.push_back(std::move(finding));
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
    .name = "FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK",
    .aliases = {},
    .severity = Severity::high,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK"},
    .short_description = "A certificate in use has a key or signature weaker than AWS IoT accepts at registration.",
    .full_description =
        "fleetaudit's own check, not an AWS Device Defender check. A device or CA certificate in status ACTIVE or "
        "PENDING_TRANSFER with an RSA key under 2048 bits, an EC key on a curve other than P-256, P-384 or "
        "P-521, a DSA key, or (unless self-signed) a signature made with SHA-1, MD5 or MD2. AWS IoT rejects such "
        "keys when certificates are registered or created from a CSR today, so these are old certificates that "
        "predate the rule or were registered another way. RSA-1024 can be factored by a well-funded attacker "
        "and SHA-1 and MD5 signatures can be forged with chosen-prefix collisions.",
    .help =
        "Severity HIGH: the weakness makes impersonation feasible for a capable attacker, not for anyone (as "
        "with the CRITICAL key-quality CVEs). The signature of a self-signed certificate is not judged, because "
        "nothing relies on it.\n\n"
        "Fix: issue the device (or CA) a new certificate with an RSA-2048+ or P-256/P-384 key signed with "
        "SHA-256 or stronger, attach it, then deactivate the old one "
        "(`aws iot update-certificate --certificate-id ID --new-status INACTIVE`).",
    .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates, SnapshotFile::ca_certificates}},
    .run = run,
    .decidable_from_template = true,
    .reads_device_certificate_pems = true,
    .fleetaudit_own = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
