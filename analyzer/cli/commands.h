#pragma once
// The CLI's commands as library calls: tests run them without a process.
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/access/access_report.h"
#include "analyzer/util/output_file.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

enum ExitStatus : int { kCompliant = 0, kNonCompliant = 1, kUsageOrInputError = 2 };

struct AuditCommandOptions {
  std::string snapshot_directory;
  std::string format = "sarif";  // one of audit_report_formats()
  std::string output_path;       // empty: standard output
  std::string config_path;       // empty: the snapshot's audit-configuration.json, if any
  std::optional<std::string> now;  // --now; absent: manifest.exportedAt
  std::string suppressions_path;  // --suppressions: list-audit-suppressions output
  bool sarif_omit_suppressed = false;
  std::optional<size_t> sarif_max_results;  // --sarif-max-results: keep the N most important results
  std::string sarif_root;                   // --sarif-root: SARIF URIs relative to it (default: the current directory)
  std::string weak_key_blocklists;  // empty: the shipped partial sample
  bool timings = false;             // --timings: phase wall times on standard error
  std::string baseline_path;        // --baseline: an earlier JSON or SARIF report
  std::string fail_on = "any";      // --fail-on: any, new, or a severity
  std::string asff_product_arn;     // --asff-product-arn; empty: the account's default product
};

struct AuditReport;
struct ReportContext;

// One --format of `audit` (report_formats.h reads the table).
struct AuditReportFormat {
  std::string_view name;
  std::string_view description;  // said after the name in --help; may be empty
  void (*write)(const ReportContext&, std::FILE*);
  // Why the format cannot be written for this audit (nullopt: it can); checked before any output.
  std::optional<std::string> (*unwritable)(const AuditReport&) = nullptr;
};
// The table --help, validation and dispatch read: sarif, json, text, html, notification, asff, ocsf.
std::span<const AuditReportFormat> audit_report_formats();

// Runs `fleetaudit audit`; writes the report to the output and problems to `errors`.
// The audit clock of --now (ISO 8601 with an offset, or epoch seconds, 1970 to 9999); nullopt after
// printing what is wrong.
std::optional<EpochMillis> parse_audit_clock(const std::string& text, std::FILE* errors);

// An output option's file (output_file.h); nullopt after printing why it cannot be written.
std::optional<OutputFile> open_output(const std::string& path, const char* option, std::FILE* errors,
                                      bool executable = false);
// Commits `file` (when there is one) or finishes `standard_output`; false after printing the reason
// a write failed (the command then exits 2).
bool finish_output(std::optional<OutputFile>& file, const std::string& path, const char* option,
                   std::FILE* standard_output, std::FILE* errors);

int run_audit_command(const AuditCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

struct MergeCommandOptions {
  std::vector<std::string> reports;  // JSON reports of `fleetaudit audit` (of a snapshot or of a DIR)
  std::string format = "json";
  std::string output_path;
  std::string prefer;         // --prefer newer|older: which of two audits of one account and region wins
  std::string baseline_path;  // --baseline: each account and region against its own earlier audit
  std::string fail_on = "any";
  bool sarif_omit_suppressed = false;
  std::optional<size_t> sarif_max_results;
  std::string sarif_root;
  std::string asff_product_arn;
};
// Runs `fleetaudit merge`: one report of the audits the JSON reports hold, byte for byte what
// `fleetaudit audit` of their snapshots together writes.
int run_merge_command(const MergeCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

struct ChecksCommandOptions {
  std::string config_path;
};
int run_checks_command(const ChecksCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

struct MitigateCommandOptions {
  std::string snapshot_directory;
  std::string actions_path;   // {"actions": [create-mitigation-action…], "task": start-audit-mitigation-actions-task}
  std::string findings_path;  // empty: audit the snapshot in this run
  std::string plan_path;      // empty: no plan file
  std::string script_path;    // empty: no script
  std::string apply_to;       // empty: no preview snapshot
};
// Runs `fleetaudit mitigate`: prints the plan's summary, writes the files asked for.
int run_mitigate_command(const MitigateCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

struct AccessCommandOptions {
  std::string snapshot_directory;
  std::string thing;     // --thing: a device's effective permissions
  std::string action;    // --action with --resource: who may perform it there
  std::string resource;
  std::string format = "text";  // one of access_formats()
};
// `access`'s answers, a row a format: what --help, validation and dispatch read.
struct AccessFormat {
  std::string_view name;
  std::string_view description;
  void (*write_thing)(const Snapshot&, const access::ThingPermissions&, std::FILE*);
  void (*write_resource)(const Snapshot&, policy::DataPlaneAction, const std::string&, const access::ResourceAccess&,
                         std::FILE*);
};
std::span<const AccessFormat> access_formats();
// Runs `fleetaudit access`: prints the answer; exit status 0, or 2 on bad arguments or input.
int run_access_command(const AccessCommandOptions& options, std::FILE* standard_output, std::FILE* errors);

}  // namespace fleetaudit
