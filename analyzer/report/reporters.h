#pragma once
// The three report formats. Each writes the whole report to `out`; the same report gives the
// same bytes.
#include <cstdio>
#include <string>

#include "analyzer/engine/audit.h"

namespace fleetaudit {

struct ReportContext {
  const AuditReport& report;
  std::string snapshot_directory;  // as the user gave it
  bool sarif_omit_suppressed = false;  // leave suppressed findings out of SARIF
};

// SARIF 2.1.0, for GitHub code scanning and other CI.
void write_sarif(const ReportContext& context, std::FILE* out);
// {"findings": [AuditFinding…]}, the shape of `aws iot list-audit-findings`.
void write_aws_findings(const ReportContext& context, std::FILE* out);
// For a person at a terminal, 80 columns.
void write_text(const ReportContext& context, std::FILE* out);

// The task id every finding of one audit carries: derived from the account and the clock.
std::string audit_task_id(const AuditReport& report);

}  // namespace fleetaudit
