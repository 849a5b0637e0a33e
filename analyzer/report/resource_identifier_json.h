#pragma once
// AWS's ResourceIdentifier as JSON, shared by the findings report and the mitigation plan.
#include "analyzer/engine/finding.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// {"deviceCertificateId": "…"} or {"policyVersionIdentifier": {"policyName", "policyVersionId"}}.
void write_resource_identifier(JsonWriter& json, const ResourceIdentifier& identifier);

}  // namespace fleetaudit
