#pragma once
// One report of many audits: the snapshots of an organization (`fleetaudit audit DIR`), or the
// per-job reports `fleetaudit merge` reads back. Each format says, per account and region, what
// was found, and names the accounts that could not be exported as not run.
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/baseline/baseline.h"
#include "analyzer/baseline/drift.h"
#include "analyzer/report/reporters.h"

namespace fleetaudit {

struct AuditedSnapshot {
  std::string directory;  // the snapshot directory as audited (DIR/ACCOUNT/REGION)
  AuditReport report;
  std::optional<Drift> drift;  // --baseline: against this account and region's own earlier audit
  std::string identity() const { return snapshot_identity(report.account_id, report.region, directory); }
};

struct OrganizationReport {
  std::vector<AuditedSnapshot> audits;   // by account, region, then directory
  // Accounts or regions not audited: those the export could not read, links not followed, exported
  // regions whose snapshot is missing, snapshots that could not be read. Each reason says which.
  std::vector<AccountFailure> failures;
  // Some snapshot could not be read or decided, or some account was not exported (exit status 2).
  bool input_problems() const;
};

// The order audits are reported in: account, region, then directory.
void sort_audits(OrganizationReport& organization);

// The formats of an organization's report, given a ReportContext per audit (in report order).
struct OrganizationFormat {
  std::string_view name;
  void (*write)(const OrganizationReport&, const std::vector<ReportContext>&, std::FILE*);
};
// The table `merge` and `audit DIR` dispatch on, and `merge --help` and its validation read.
std::span<const OrganizationFormat> organization_formats();
// nullptr for a format an organization's report is not written in.
const OrganizationFormat* organization_format_named(std::string_view name);
// The names of the formats, for messages.
std::string organization_format_names();

// An account that could not be exported, as a reader sees it: "111122223333 (all regions)".
std::string failure_scope(const AccountFailure& failure);

}  // namespace fleetaudit
