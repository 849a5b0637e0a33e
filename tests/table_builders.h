#pragma once
// Rows added to a snapshot's tables by hand, for tests that build a snapshot without files.
#include <string>
#include <string_view>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit::testing {

// An ACTIVE device certificate without PEM facts; returns its row.
inline uint32_t add_certificate(Snapshot& snapshot, std::string_view id) {
  CertificateTable& certificates = snapshot.certificates;
  certificates.certificate_id.push_back(snapshot.strings.intern(id));
  certificates.ca_certificate_id.push_back(kNoString);
  certificates.status.push_back(CertificateStatus::active);
  certificates.creation_date.push_back(0);
  certificates.not_before.push_back(kMissingTime);
  certificates.not_after.push_back(kMissingTime);
  certificates.facts.emplace_back();
  certificates.source.push_back(0);
  return static_cast<uint32_t>(certificates.size() - 1);
}

// The ARN of a certificate in the test account, split as the loader splits it.
inline SplitArn certificate_arn(Snapshot& snapshot, std::string_view id) {
  return intern_split_arn(snapshot.strings, "arn:aws:iot:us-east-1:123456789012:cert/" + std::string(id));
}

inline void add_attachment(Snapshot& snapshot, StringId thing, SplitArn principal) {
  ThingPrincipalTable& attachments = snapshot.thing_principals;
  attachments.thing_name.push_back(thing);
  attachments.principal.push_back(principal);
  attachments.association.push_back(ThingPrincipalTable::Association::unspecified);
  attachments.source.push_back(0);
}

}  // namespace fleetaudit::testing
