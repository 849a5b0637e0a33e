#pragma once
// A SARIF result's relatedLocations, made from the finding's typed evidence (never its message):
// each statement or role the finding rests on, as a logical location with its facts as properties.
#include "analyzer/engine/finding.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// Writes "relatedLocations" when the finding carries evidence; nothing otherwise.
void write_sarif_evidence(JsonWriter& json, const Finding& finding);

}  // namespace fleetaudit
