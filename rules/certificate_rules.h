#pragma once
// What the certificate checks share: naming a device or CA certificate row as a finding's resource.
#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <optional>
#include <span>
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

// Findings held as rows of a certificate table (engine/findings.h), for the checks that fail many
// certificates. The check's Expand sets the message and additionalInfo; everything else is the row's.
inline std::string_view certificate_row_id(const RowFindings& rows, uint32_t row) {
  const Snapshot& snapshot = *rows.snapshot;
  return snapshot.text(table_of(snapshot, static_cast<Kind>(rows.table)).certificate_id[row]);
}

inline SourceLocation certificate_row_location(const RowFindings& rows, uint32_t row) {
  const Kind kind = static_cast<Kind>(rows.table);
  return {kind == Kind::ca ? SnapshotFile::ca_certificates : SnapshotFile::certificates,
          table_of(*rows.snapshot, kind).source[row]};
}

// What finding_for sets, for a row, into `into` (its strings reused).
inline void fill_certificate_row(const RowFindings& rows, const FindingRow& row, Finding& into) {
  const Kind kind = static_cast<Kind>(rows.table);
  const Snapshot& snapshot = *rows.snapshot;
  const CertificateTable& table = table_of(snapshot, kind);
  const std::string_view id = snapshot.text(table.certificate_id[row.row]);
  into.resource_type = kind == Kind::ca ? ResourceType::ca_certificate : ResourceType::device_certificate;
  into.resource.kind =
      kind == Kind::ca ? ResourceIdentifier::Kind::ca_certificate_id : ResourceIdentifier::Kind::device_certificate_id;
  into.resource.value.assign(id);
  into.resource.version_id.clear();
  into.reason_code.assign(rows.reason_code(row));
  into.message.clear();
  into.related.clear();
  into.location = certificate_row_location(rows, row.row);
  assign_certificate_arn(into.logical_name, snapshot, id, kind == Kind::ca);
  into.evidence.statements.clear();
  into.evidence.roles.clear();
}

// Sets `info` to one entry, reusing its strings.
inline void set_single_info(AdditionalInfo& info, std::string_view key, int64_t value) {
  info.resize(1);
  info[0].first.assign(key);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  info[0].second.assign(digits, end);
}

// Rows over a certificate table, worded by `expand` (which calls fill_certificate_row first).
inline RowFindings certificate_rows(const CheckContext& context, Kind kind,
                                    std::span<const std::string_view> reason_codes, RowFindings::Expand expand) {
  RowFindings rows;
  rows.expand = expand;
  rows.resource_value = certificate_row_id;
  rows.locate = certificate_row_location;
  rows.reason_codes = reason_codes;
  rows.snapshot = &context.snapshot;
  rows.table = static_cast<int32_t>(kind);
  return rows;
}

// Whole days, rounded down, for messages.
inline int64_t whole_days(EpochMillis span) { return span / kMillisPerDay; }

// The expiry checks' reason codes, as rows index them.
inline constexpr std::string_view kExpiringReasonCodes[] = {"CERTIFICATE_APPROACHING_EXPIRATION",
                                                            "CERTIFICATE_PAST_EXPIRATION"};

// The words of an expiring row (values: the clock, the threshold).
inline void word_expiring(const RowFindings& rows, const FindingRow& row, Finding& into) {
  fill_certificate_row(rows, row, into);
  const Kind kind = static_cast<Kind>(rows.table);
  const CertificateTable& table = table_of(*rows.snapshot, kind);
  const EpochMillis not_after = table.not_after[row.row];
  const EpochMillis now = rows.values[0];
  auto out = std::back_inserter(into.message);
  thread_local std::string date;  // no allocation per finding
  date.clear();
  append_iso8601(date, not_after);
  if (not_after <= now)
    fmt::format_to(out, "{} certificate {} ({}) expired on {}, {} day(s) before the audit.",
                   kind == Kind::ca ? "CA" : "Device", into.resource.value, to_string(table.status[row.row]), date,
                   whole_days(now - not_after));
  else
    fmt::format_to(out, "{} certificate {} ({}) expires on {}, in {} day(s) (threshold {} days).",
                   kind == Kind::ca ? "CA" : "Device", into.resource.value, to_string(table.status[row.row]), date,
                   whole_days(not_after - now), rows.values[1]);
  set_single_info(into.additional_info, "EXPIRATION_TIME", not_after);
}

// The expiry checks: a certificate in use whose notAfter is at or before now + threshold is
// approaching expiration; at or before now it is past expiration. Both bounds are inclusive: a
// certificate whose notAfter is exactly the audit clock is no longer valid (RFC 5280 makes notAfter
// the last valid instant, and the clock has reached it), and "within N days" includes day N.
inline CheckResult run_expiring(const CheckContext& context, Kind kind, int64_t threshold_days) {
  const CertificateTable& table = table_of(context.snapshot, kind);
  const EpochMillis horizon = context.now + threshold_days * kMillisPerDay;
  RowFindings rows = certificate_rows(context, kind, kExpiringReasonCodes, word_expiring);
  rows.values[0] = context.now;
  rows.values[1] = threshold_days;
  CheckResult result;
  for (uint32_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    ++result.resources_evaluated;
    const EpochMillis not_after = table.not_after[row];
    if (not_after == kMissingTime || not_after > horizon) continue;
    rows.rows.push_back({.row = row, .reason = static_cast<uint8_t>(not_after <= context.now ? 1 : 0)});
  }
  result.findings.set_rows(std::move(rows));
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
