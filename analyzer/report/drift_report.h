#pragma once
// Drift in each report format: SARIF baseline states, JSON states and fixed findings, text section.
#include <string>

#include "analyzer/baseline/drift.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// SARIF: a result's "baselineState" and "provenance".
void write_sarif_result_drift(JsonWriter& json, const FindingDrift& drift);
// SARIF: the findings fixed since the baseline, as results with baselineState "absent".
void write_sarif_absent_results(JsonWriter& json, const AuditReport& report, const Drift& drift,
                                bool with_suppressions);
// SARIF: the coverage changes, as notifications of level "note".
void write_sarif_drift_notifications(JsonWriter& json, const Drift& drift);

// JSON: a finding's "baselineState" and "firstDetectionTime" (extra AuditFinding members).
void write_json_finding_drift(JsonWriter& json, const FindingDrift& drift);
// JSON: the top-level "drift" summary and "fixedFindings" (AuditFinding-shaped, baselineState "absent").
void write_json_drift(JsonWriter& json, const Drift& drift);

// Text: the summary line, then new and updated findings, fixed ones and coverage changes.
std::string drift_text(const AuditReport& report, const Drift& drift);

}  // namespace fleetaudit
