#pragma once
// What the certificate checks share: naming a device or CA certificate row as a finding's resource.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "analyzer/engine/check.h"
#include "analyzer/engine/resource_names.h"

namespace fleetaudit::certificate_rules {

enum class Kind : uint8_t { device, ca };

inline const CertificateTable& table_of(const Snapshot& snapshot, Kind kind) {
  return kind == Kind::ca ? snapshot.ca_certificates : snapshot.certificates;
}

// A finding about one row of certificates.json or ca-certificates.json.
inline Finding finding_for(const Snapshot& snapshot, Kind kind, uint32_t row, std::string reason_code,
                           std::string message) {
  const CertificateTable& table = table_of(snapshot, kind);
  std::string_view id = snapshot.text(table.certificate_id[row]);
  Finding finding;
  finding.resource_type = kind == Kind::ca ? ResourceType::ca_certificate : ResourceType::device_certificate;
  finding.resource = {kind == Kind::ca ? ResourceIdentifier::Kind::ca_certificate_id
                                       : ResourceIdentifier::Kind::device_certificate_id,
                      std::string(id),
                      {}};
  finding.reason_code = std::move(reason_code);
  finding.message = std::move(message);
  finding.location = {kind == Kind::ca ? SnapshotFile::ca_certificates : SnapshotFile::certificates,
                      table.source[row]};
  finding.logical_name = kind == Kind::ca ? ca_certificate_arn(snapshot, id) : certificate_arn(snapshot, id);
  return finding;
}

// The rows `matches` holds for: a first sweep of the columns, so that a check with many findings
// reserves them at once instead of growing their vector (fresh pages each time) as it goes.
template <typename Predicate>
size_t count_rows(const CertificateTable& table, Predicate matches) {
  size_t count = 0;
  for (uint32_t row = 0; row < table.size(); ++row) count += matches(row) ? 1 : 0;
  return count;
}

// Whole days, rounded down, for messages.
inline int64_t whole_days(EpochMillis span) { return span / kMillisPerDay; }

// The expiry checks: a certificate in use whose notAfter is at or before now + threshold is
// approaching expiration; at or before now it is past expiration. Both bounds are inclusive: a
// certificate whose notAfter is exactly the audit clock is no longer valid (RFC 5280 makes notAfter
// the last valid instant, and the clock has reached it), and "within N days" includes day N.
inline CheckResult run_expiring(const CheckContext& context, Kind kind, int64_t threshold_days) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = table_of(snapshot, kind);
  const EpochMillis horizon = context.now + threshold_days * kMillisPerDay;
  auto expiring = [&](uint32_t row) {
    const EpochMillis not_after = table.not_after[row];
    return is_in_use(table.status[row]) && not_after != kMissingTime && not_after <= horizon;
  };
  CheckResult result;
  result.findings.reserve(count_rows(table, expiring));
  for (uint32_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    ++result.resources_evaluated;
    if (!expiring(row)) continue;
    const EpochMillis not_after = table.not_after[row];
    const bool past = not_after <= context.now;
    std::string_view id = snapshot.text(table.certificate_id[row]);
    std::string message =
        past ? fmt::format("{} certificate {} ({}) expired on {}, {} day(s) before the audit.",
                           kind == Kind::ca ? "CA" : "Device", id, to_string(table.status[row]),
                           format_iso8601(not_after), whole_days(context.now - not_after))
             : fmt::format("{} certificate {} ({}) expires on {}, in {} day(s) (threshold {} days).",
                           kind == Kind::ca ? "CA" : "Device", id, to_string(table.status[row]),
                           format_iso8601(not_after), whole_days(not_after - context.now), threshold_days);
    Finding finding = finding_for(snapshot, kind, row,
                                  past ? "CERTIFICATE_PAST_EXPIRATION" : "CERTIFICATE_APPROACHING_EXPIRATION",
                                  std::move(message));
    finding.additional_info = {{"EXPIRATION_TIME", std::to_string(not_after)}};
    result.findings.push_back(std::move(finding));
  }
  return result;
}

// The key-quality checks: an RSA key in use made by Infineon's RSALib (ROCA) or by Debian's broken
// OpenSSL (on the weak-key blocklist). Certificates whose PEM could not be read are not evaluated
// (the loader reported them).
inline CheckResult run_key_quality(const CheckContext& context, Kind kind) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = table_of(snapshot, kind);
  const char* noun = kind == Kind::ca ? "CA certificate" : "Device certificate";
  CheckResult result;
  for (uint32_t row = 0; row < table.size(); ++row) {
    const x509::CertificateFacts& facts = table.facts[row];
    if (!is_in_use(table.status[row]) || !facts.parsed) continue;
    ++result.resources_evaluated;
    if (facts.key_algorithm != x509::KeyAlgorithm::rsa) continue;
    std::string_view id = snapshot.text(table.certificate_id[row]);
    if (facts.roca_vulnerable) {
      Finding finding = finding_for(
          snapshot, kind, row, "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361",
          fmt::format("{} {} ({}) has a {}-bit RSA key generated by Infineon RSALib (ROCA, CVE-2017-15361): its "
                      "private key can be computed from the public key.",
                      noun, id, to_string(table.status[row]), facts.key_bits));
      finding.additional_info = {{"KEY_ALGORITHM", "RSA"}, {"KEY_BITS", std::to_string(facts.key_bits)}};
      result.findings.push_back(std::move(finding));
    }
    if (context.weak_keys.contains(facts.key_bits, facts.debian_fingerprint)) {
      Finding finding = finding_for(
          snapshot, kind, row, "CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166",
          fmt::format("{} {} ({}) has a {}-bit RSA key on the Debian weak-key blocklist (CVE-2008-0166): the key "
                      "came from Debian's broken OpenSSL random number generator and its private key is public.",
                      noun, id, to_string(table.status[row]), facts.key_bits));
      finding.additional_info = {{"KEY_ALGORITHM", "RSA"},
                                 {"KEY_BITS", std::to_string(facts.key_bits)},
                                 {"BLOCKLIST_ENTRIES", std::to_string(context.weak_keys.entries())}};
      result.findings.push_back(std::move(finding));
    }
  }
  return result;
}

// The revocation checks. nullopt when they can run; else why not (no crls/ folder).
inline std::optional<std::string> crls_missing(const Snapshot& snapshot) {
  if (snapshot.crls) return std::nullopt;
  return std::string("the snapshot has no crls/ folder");
}

// An expired list is an input problem: its revocations still count (a revocation is never undone),
// but later revocations are missing from it.
inline void report_expired_crls(const CheckContext& context, CheckResult& result) {
  for (const RevocationList& list : *context.snapshot.crls)
    if (list.next_update != kMissingTime && list.next_update <= context.now)
      result.input_problems.emplace_back(
          list.file, fmt::format("expired: nextUpdate {} is not after the audit clock; revocations published "
                                 "since are missing",
                                 format_iso8601(list.next_update)));
}

// The list from this certificate's issuer that revokes it, or nullptr.
inline const RevocationList* revoked_by(const Snapshot& snapshot, const x509::CertificateFacts& facts) {
  if (!facts.parsed || facts.serial.truncated) return nullptr;
  for (const RevocationList& list : *snapshot.crls)
    if (list.covers(facts) && list.revokes(facts.serial)) return &list;
  return nullptr;
}

// The revoked-CA and revoked-device checks: every certificate in use of `kind` that its issuer's
// list revokes. `noun` starts the message ("Device certificate", "CA certificate").
inline CheckResult find_revoked_in_use(const CheckContext& context, Kind kind, std::string_view noun) {
  const Snapshot& snapshot = context.snapshot;
  CheckResult result;
  if ((result.not_run_reason = crls_missing(snapshot))) return result;
  report_expired_crls(context, result);
  const CertificateTable& table = table_of(snapshot, kind);
  for (uint32_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row]) || !table.facts[row].parsed) continue;
    ++result.resources_evaluated;
    const RevocationList* list = revoked_by(snapshot, table.facts[row]);
    if (list == nullptr) continue;
    Finding finding = finding_for(snapshot, kind, row, "CERTIFICATE_REVOKED_BY_ISSUER",
                                  fmt::format("{} {} is {} in AWS IoT but its issuer revoked it ({}).", noun,
                                              snapshot.text(table.certificate_id[row]),
                                              to_string(table.status[row]), list->file));
    finding.additional_info = {{"CRL", list->file}};
    result.findings.push_back(std::move(finding));
  }
  return result;
}

}  // namespace fleetaudit::certificate_rules
