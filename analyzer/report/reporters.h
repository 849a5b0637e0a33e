#pragma once
// The report formats. Each writes the whole report to `out`; the same report gives the
// same bytes.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/audit.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

struct Drift;
struct Snapshot;

struct ReportContext {
  const AuditReport& report;
  std::string snapshot_directory;  // as the user gave it
  bool sarif_omit_suppressed = false;  // leave suppressed findings out of SARIF
  const Drift* drift = nullptr;        // --baseline: what changed since that audit
  std::optional<size_t> sarif_max_results;  // keep only the most important results
  std::string sarif_root;                   // SARIF URIs are relative to it; empty: the current directory
  std::FILE* warnings = nullptr;            // where a report says what a consumer will refuse (standard error)
  std::string asff_product_arn = {};        // --asff-product-arn; empty: the account's default product
  const Snapshot* snapshot = nullptr;  // the audited tables: the HTML report draws the fleet and names things from them
  // One of several audits in one report (an organization's): ACCOUNT/REGION, or the snapshot's path.
  std::string snapshot_identity = {};
};

// SARIF 2.1.0, for GitHub code scanning and other CI.
void write_sarif(const ReportContext& context, std::FILE* out);
// One SARIF log of several audits (of an organization's snapshots): one run per audit up to GitHub's
// kGitHubMaxRunsPerFile, beyond that one run whose results carry accountId and region as properties.
// `problems` (accounts that could not be exported) are errors of the first invocation.
void write_sarif_of_audits(const std::vector<ReportContext>& contexts, const std::vector<std::string>& problems,
                           std::FILE* out);
// {"findings": [AuditFinding…]}, the shape of `aws iot list-audit-findings`.
void write_aws_findings(const ReportContext& context, std::FILE* out);
// The findings of `context`'s audit as elements of an open JSON array (`after_others`: the array
// already holds some), each AuditFinding with its account, region (and snapshot_identity, if any).
void write_aws_finding_elements(JsonWriter& json, const ReportContext& context, bool after_others);
// For a person at a terminal, 80 columns.
void write_text(const ReportContext& context, std::FILE* out);
// For a person in a browser: one self-contained HTML file (no network, script only to filter).
void write_html(const ReportContext& context, std::FILE* out);

// Device Defender's audit-notification message (the SNS message when an audit task ends): one object.
void write_audit_notification(const ReportContext& context, std::FILE* out);
// {"Findings": [AwsSecurityFinding…]} for Security Hub's BatchImportFindings, one record a line.
void write_asff(const ReportContext& context, std::FILE* out);
// The AwsSecurityFinding records of `context`'s audit as elements of an open JSON array.
void write_asff_elements(JsonWriter& json, const ReportContext& context, bool after_others);
// OCSF 1.6 Compliance Finding events (class 2003) as JSON Lines: one per finding, one per check.
void write_ocsf(const ReportContext& context, std::FILE* out);

// arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default: findings an account imports itself.
std::string default_security_hub_product_arn(const AuditReport& report);

// Word-wraps `text` to the text report's 80 columns: the first line starts with `first` (default
// `indent`), the others with `indent`.
std::string wrap_for_terminal(std::string_view text, std::string_view indent, std::string_view first = {});

// The task id every finding of one audit carries: derived from the account and the clock.
std::string audit_task_id(const AuditReport& report);

// Every finding of the report as (run index, finding index), run by run: the order the JSON reports
// list findings in, and the list they format a chunk at a time on every core.
std::vector<std::pair<uint32_t, uint32_t>> findings_in_report_order(const AuditReport& report);

}  // namespace fleetaudit
