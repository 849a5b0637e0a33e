#pragma once
// The report's pictures: inline SVG drawn here, so they need no script, and each carries its
// numbers as text (a title and a description a screen reader reads, a count beside every bar).
#include <string>
#include <vector>

#include "analyzer/engine/audit.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit {
struct Drift;
}

namespace fleetaudit::html {

// Device certificates in use by age (from creationDate), with the age threshold marked, and by
// expiry (already expired, then each of the next 13 weeks), from the snapshot's certificate table.
void write_certificate_charts(std::string& page, const Snapshot& snapshot, const AuditReport& report);
// Open findings per severity, and per check in `order` (coloured by severity, linked to the check's findings).
void write_findings_charts(std::string& page, const AuditReport& report, const std::vector<size_t>& order);
// Findings of the baseline audit and of this one: kept, fixed, new.
void write_drift_chart(std::string& page, const Drift& drift);

}  // namespace fleetaudit::html
