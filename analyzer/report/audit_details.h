#pragma once
// Each check's verdict in the shape of `aws iot describe-audit-task`'s auditDetails.
#include <string_view>

#include "analyzer/engine/audit.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// AuditCheckRunStatus: COMPLETED_COMPLIANT, COMPLETED_NON_COMPLIANT; FAILED for a check that is
// incomplete or not run; CANCELED for one the configuration disables. checkCompliant is true only
// for COMPLETED_COMPLIANT, as in AWS.
std::string_view check_run_status(const CheckRun& run);

// A check's reason as AWS's ErrorMessage holds it: at most 2048 bytes, cut at a character boundary.
std::string_view bounded_error_message(std::string_view text);

// {"CHECK": AuditCheckDetails, …} for every check, in registry order.
void write_audit_details(JsonWriter& json, const AuditReport& report);

}  // namespace fleetaudit
