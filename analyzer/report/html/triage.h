#pragma once
// The order a reviewer reads an audit in: what fails first, the most severe first.
#include <string>
#include <vector>

#include "analyzer/engine/audit.h"

namespace fleetaudit::html {

// Non-compliant, incomplete, not run, compliant, disabled: 0 to 4.
int verdict_rank(CheckStatus status);

// Indexes into report.runs by verdict rank, then severity (CRITICAL first), then name.
std::vector<size_t> runs_in_verdict_order(const AuditReport& report);
// Indexes of the runs with findings by severity, then name: the order of the findings sections.
std::vector<size_t> runs_in_severity_order(const AuditReport& report);

// One line a manager reads: "4 checks non-compliant: 2 CRITICAL, 1 MEDIUM, 1 LOW; 3 checks could
// not run: 2 HIGH, 1 LOW; 12 compliant; 2 disabled." Only the verdicts some check has are named.
std::string verdict_sentence(const AuditReport& report);

}  // namespace fleetaudit::html
