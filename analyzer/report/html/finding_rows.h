#pragma once
// The findings sections: one per check with findings, most severe first, each a bounded table.
#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/report/reporters.h"

namespace fleetaudit::html {

// Rows shown per check, related resources per finding, fixed findings: the rest are counted and
// the machine-readable reports have them all. At these bounds a page stays a few megabytes
// however many findings an audit has (measured in bench/RESULTS.md).
inline constexpr size_t kFindingsShownPerCheck = 100;
inline constexpr size_t kRelatedShownPerFinding = 8;
inline constexpr size_t kFixedShown = 100;
// Characters of a message or an additional-info value shown in a cell.
inline constexpr size_t kTextShown = 600;

// A resource as a person names it: a certificate's id shortened (whole in its tooltip) with the
// things it is attached to, a policy's name and version.
std::string resource_cell(const ResourceIdentifier& resource, const Snapshot* snapshot);

// The findings of the runs in `order` (indexes into context.report.runs).
void write_findings(std::string& page, const ReportContext& context, const std::vector<size_t>& order);

}  // namespace fleetaudit::html
