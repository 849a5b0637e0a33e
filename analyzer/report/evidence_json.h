#pragma once
// A finding's typed evidence (finding.h's Evidence) as JSON: "evidence": {"statements": [...],
// "roles": [...]}, the members named as baseline.cpp reads them back. The JSON report writes it
// beside the AuditFinding shape (for `merge`), OCSF under `unmapped`: one shape, not two.
#include "analyzer/engine/finding.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

void write_evidence_json(JsonWriter& json, const Evidence& evidence);

}  // namespace fleetaudit
