#pragma once
// What a report says about the audit itself, so that it can be the baseline of the next one:
// account, region, clock, a guid naming the audit, and each check's status and parameters.
#include <string>

#include "analyzer/engine/audit.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// A GUID (RFC 4122 form, version 5 bits) derived from the account, region, clock and the checks'
// outcomes: the same audit gives the same guid, so that reports stay byte-identical.
std::string audit_guid(const AuditReport& report);
// The GUID of any content, in the same form: the same content gives the same guid.
std::string guid_of(std::string_view content);

// {"accountId", "region", "auditClock", "automationGuid", "fleetauditVersion", "checks": [...],
// "diagnostics": [...], …}, the JSON report's "fleetaudit" member: everything a report says of the
// audit beside its findings (read back by read_baseline, and by `fleetaudit merge`).
void write_audit_metadata(JsonWriter& json, const AuditReport& report, std::string_view snapshot_directory);

// {"NAME": value…} of one check's resolved parameters (also in SARIF's per-check properties).
void write_check_parameters(JsonWriter& json, const CheckRun& run);

}  // namespace fleetaudit
