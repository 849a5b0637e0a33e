#pragma once
// What the certificate checks share: naming a device or CA certificate row as a finding's resource.
#include <fmt/format.h>

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
  CheckResult result;
  for (uint32_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    ++result.resources_evaluated;
    const EpochMillis not_after = table.not_after[row];
    if (not_after == kMissingTime || not_after > horizon) continue;
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

}  // namespace fleetaudit::certificate_rules
