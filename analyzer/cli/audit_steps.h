#pragma once
// The steps `audit` (of a snapshot or of an organization) and `merge` share: options read and
// checked, a snapshot loaded and audited, the report written, the exit status.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/baseline/baseline.h"
#include "analyzer/baseline/fail_on.h"
#include "analyzer/cli/commands.h"
#include "analyzer/report/organization_reports.h"

namespace fleetaudit {

struct PreparedAudit {
  const AuditReportFormat* format = nullptr;
  AuditOptions audit_options;
  FailOn fail_on;
  std::optional<ReportContents> baseline;  // --baseline
};

// "fleetaudit: error: MESSAGE", escaped.
void print_error(std::FILE* errors, const std::string& message);
// --fail-on, checked against --baseline; nullopt after printing what is wrong.
std::optional<FailOn> parse_fail_on_option(const std::string& text, const std::string& baseline_path,
                                           std::FILE* errors);
// --baseline: a report of a snapshot or of an organization; nullopt after printing why not.
std::optional<ReportContents> read_baseline_option(const std::string& path, std::FILE* errors);
// The baseline's audit of the report's account and region (its only audit, for a snapshot's
// report); nullptr when an organization's baseline holds none.
const Baseline* baseline_for(const ReportContents& baseline, const AuditReport& report);
// Loads and audits one snapshot (the tables stay in `snapshot`, for the HTML report); nullopt after
// printing why the directory could not be read at all.
std::optional<AuditedSnapshot> audit_snapshot(const std::string& directory, const AuditOptions& audit_options,
                                              std::unique_ptr<Snapshot>& snapshot, std::FILE* errors);
// Diagnostics (an audit's input problems, a report's warnings) on standard error, each after
// `prefix` (the snapshot's identity), escaped.
void print_diagnostics(const Diagnostics& diagnostics, std::string_view prefix, std::FILE* errors);
// A report's settings from the command line, for one audit.
// What its writer warns of goes to `warnings`.
ReportContext report_context(const AuditCommandOptions& options, const AuditedSnapshot& audit, Diagnostics* warnings);

// `fleetaudit audit DIR` where DIR holds several snapshots.
int run_organization_audit(const AuditCommandOptions& options, PreparedAudit& prepared, std::FILE* standard_output,
                           std::FILE* errors);

}  // namespace fleetaudit
