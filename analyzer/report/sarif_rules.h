#pragma once
// The parts of a SARIF report that `audit` and `lint` share: a check's rule object (ids,
// descriptions, help, level and security-severity from its CheckInfo) and artifact locations.
#include <string_view>

#include "analyzer/engine/check.h"
#include "analyzer/report/artifact_uris.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// GitHub code scanning's security-severity of a check severity ("9.5" for critical, …).
const char* security_severity(Severity severity);
// SARIF level: error (critical, high), warning (medium), note (low).
const char* sarif_level(Severity severity);
// {"uri": …, "uriBaseId": "%SRCROOT%" when relative} under the key artifactLocation.
void write_sarif_artifact_location(JsonWriter& json, const ArtifactUris& uris, std::string_view file);
// One element of tool.driver.rules.
void write_sarif_rule(JsonWriter& json, const CheckInfo& check);

}  // namespace fleetaudit
