#pragma once
// A JSON report read back into the audit it reports, so that `fleetaudit merge` renders every
// format from reports exactly as `fleetaudit audit` renders them from the audit.
#include <optional>
#include <string>

#include "analyzer/baseline/baseline.h"
#include "analyzer/engine/audit.h"

namespace fleetaudit {

// nullopt with `error` set when the report names a check this fleetaudit does not have (or lacks
// one it has: it was written by another version), a status or resource type it does not know.
std::optional<AuditReport> audit_from_report(const Baseline& audit, std::string& error);

}  // namespace fleetaudit
