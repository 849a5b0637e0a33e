// FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK (fleetaudit's own): one public key in several device certificates.
#include <algorithm>
#include <cstring>

#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

constexpr size_t kNamesInMessage = 10;

uint64_t prefix_of(const x509::Digest16& digest) {
  uint64_t prefix;
  std::memcpy(&prefix, digest.data(), sizeof prefix);
  return prefix;
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = snapshot.certificates;
  CheckResult result;
  // Sort the certificates in use by key digest; equal keys end up next to each other.
  std::vector<std::pair<uint64_t, uint32_t>> by_key;
  by_key.reserve(table.size());
  for (uint32_t row = 0; row < table.size(); ++row)
    if (is_in_use(table.status[row]) && table.facts[row].parsed)
      by_key.emplace_back(prefix_of(table.facts[row].public_key_digest), row);
  result.resources_evaluated = by_key.size();
  std::sort(by_key.begin(), by_key.end());
  const bool have_things = snapshot.things_by_certificate.offsets.size() == table.size() + 1;
  for (size_t begin = 0, end; begin < by_key.size(); begin = end) {
    end = begin + 1;
    while (end < by_key.size() && by_key[end].first == by_key[begin].first) ++end;
    if (end - begin < 2) continue;
    const x509::Digest16& key = table.facts[by_key[begin].second].public_key_digest;
    std::vector<uint32_t> rows;
    for (size_t i = begin; i < end; ++i)
      if (table.facts[by_key[i].second].public_key_digest == key) rows.push_back(by_key[i].second);
    if (rows.size() < 2) continue;
    std::vector<StringId> things;
    if (have_things)
      for (uint32_t row : rows)
        for (StringId thing : snapshot.things_by_certificate.of(row)) things.push_back(thing);
    std::sort(things.begin(), things.end());
    things.erase(std::unique(things.begin(), things.end()), things.end());
    // One device renewing its certificate with the same key is no clone.
    if (things.size() == 1) continue;
    std::vector<std::string_view> ids, thing_names;
    for (uint32_t row : rows) ids.push_back(snapshot.text(table.certificate_id[row]));
    for (StringId thing : things) thing_names.push_back(snapshot.text(thing));
    std::sort(ids.begin(), ids.end());
    std::sort(thing_names.begin(), thing_names.end());
    uint32_t first_row = *std::min_element(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
      return snapshot.text(table.certificate_id[a]) < snapshot.text(table.certificate_id[b]);
    });
    Finding finding = certificate_rules::finding_for(
        snapshot, certificate_rules::Kind::device, first_row, "FLEETAUDIT_PUBLIC_KEY_IN_SEVERAL_CERTIFICATES",
        fmt::format("One public key is in {} certificates in use ({}), attached to {}.", ids.size(),
                    join_names(ids, kNamesInMessage),
                    thing_names.empty() ? std::string("no thing")
                                        : fmt::format("{} things: {}", thing_names.size(),
                                                      join_names(thing_names, kNamesInMessage))));
    finding.additional_info = {{"CERTIFICATE_COUNT", std::to_string(ids.size())},
                               {"CERTIFICATE_IDS", join_names(ids, SIZE_MAX)},
                               {"THING_NAMES", join_names(thing_names, SIZE_MAX)}};
    for (uint32_t row : rows) {
      if (row == first_row) continue;
      finding.related.push_back({ResourceType::device_certificate,
                                 {ResourceIdentifier::Kind::device_certificate_id,
                                  std::string(snapshot.text(table.certificate_id[row])),
                                  {}},
                                 {}});
    }
    result.findings.push_back(std::move(finding));
  }
  return result;
}

const RegisterCheck registration({
    .name = "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"FLEETAUDIT_PUBLIC_KEY_IN_SEVERAL_CERTIFICATES"},
    .short_description = "One public key appears in several device certificates in use.",
    .full_description =
        "fleetaudit's own check, not an AWS Device Defender check. Two or more certificates in status ACTIVE or "
        "PENDING_TRANSFER carry the same public key, so one private key opens all of them: devices were cloned, "
        "or a key was baked into firmware and every unit got a certificate for it. Extracting the key from one "
        "device compromises them all, and DEVICE_CERTIFICATE_SHARED_CHECK does not see it because each "
        "certificate is attached to one thing. Not reported: certificates sharing a key that are all attached to "
        "one and the same thing (a device renewing its certificate with its own key).",
    .help =
        "Severity CRITICAL, as for a shared certificate: the effect is the same. The finding lists every "
        "certificate and thing that carries the key.\n\n"
        "Fix: have every device generate its own key pair on the device (ideally in a secure element) and "
        "register a certificate for it; then revoke the certificates of the shared key "
        "(`aws iot update-certificate --certificate-id ID --new-status REVOKED`).",
    .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}},
    .optional_inputs = {SnapshotFile::thing_principals},
    .run = run,
    .reads_device_certificate_pems = true,
    .fleetaudit_own = true,
});

}  // namespace
}  // namespace fleetaudit
