#pragma once
// ARNs the snapshot does not store but the reports name resources by.
#include <string>
#include <string_view>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit {

// arn:aws:iot:REGION:ACCOUNT:cert/ID, or the bare id when the manifest lacks region or account.
std::string certificate_arn(const Snapshot& snapshot, std::string_view certificate_id);
// The same ARN (of a CA certificate when `ca`) into `out`, reusing its capacity.
void assign_certificate_arn(std::string& out, const Snapshot& snapshot, std::string_view certificate_id, bool ca);
// arn:aws:iot:REGION:ACCOUNT:cacert/ID, or the bare id when the manifest lacks region or account.
std::string ca_certificate_arn(const Snapshot& snapshot, std::string_view certificate_id);

// Up to `limit` names joined by ", ", with "and N more" when the list is longer.
std::string join_names(const std::vector<std::string_view>& names, size_t limit);

}  // namespace fleetaudit
