// `fleetaudit audit DIR` over an organization's snapshots, and `fleetaudit merge` of per-job reports:
// both end in one OrganizationReport, written by the same writers, so that merging the reports of
// jobs gives the bytes of auditing their snapshots together.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "analyzer/baseline/audit_from_report.h"
#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/cli/audit_steps.h"
#include "analyzer/cli/report_formats.h"
#include "analyzer/organization/snapshot_set.h"
#include "analyzer/util/leave_for_exit.h"

namespace fleetaudit {

namespace {

// The drift of one audit of an organization against its own account and region's earlier audit;
// an account and region the baseline does not hold has every finding new, and says so.
Drift organization_drift(const AuditReport& report, const ReportContents& baseline) {
  const Baseline* match = baseline_for(baseline, report);
  if (match != nullptr && match->account_id == report.account_id && match->region == report.region)
    return compute_drift(report, *match);
  Baseline none;
  none.path = baseline.audits.front().path;
  none.format = baseline.audits.front().format;
  none.clock = baseline.audits.front().clock;
  none.account_id = report.account_id;
  none.region = report.region;
  Drift drift = compute_drift(report, none);
  drift.coverage_notes.push_back(fmt::format("the baseline holds no audit of account {} in {}: every finding is new",
                                             report.account_id, report.region));
  return drift;
}

struct Settings {
  const OrganizationFormat* format = nullptr;
  std::string output_path;
  FailOn fail_on;
  const ReportContents* baseline = nullptr;
};

// Writes the report, prints each audit's input problems, and returns the exit status over all of
// them: 2 when any snapshot or account could not be read, else 1 when any audit fails --fail-on.
int finish(OrganizationReport& organization, const Settings& settings, const AuditCommandOptions& report_options,
           std::FILE* standard_output, std::FILE* errors) {
  sort_audits(organization);
  if (settings.baseline != nullptr)
    for (AuditedSnapshot& audit : organization.audits)
      audit.drift = organization_drift(audit.report, *settings.baseline);
  // The format's own check (audit's table) holds for every audit: asff needs each one's account.
  const AuditReportFormat* row = format_named(audit_report_formats(), settings.format->name);
  if (row != nullptr && row->unwritable)
    for (const AuditedSnapshot& audit : organization.audits)
      if (const auto problem = row->unwritable(audit.report)) {
        print_error(errors, fmt::format("{}: {}", audit.directory, *problem));
        return kUsageOrInputError;
      }
  std::optional<OutputFile> file;
  if (!settings.output_path.empty() && !(file = open_output(settings.output_path, "--output", errors)))
    return kUsageOrInputError;
  std::vector<ReportContext> contexts;
  Diagnostics report_warnings;
  for (const AuditedSnapshot& audit : organization.audits) {
    contexts.push_back(report_context(report_options, audit, &report_warnings));
    contexts.back().snapshot_identity = audit.identity();
  }
  settings.format->write(organization, contexts, file ? file->stream() : standard_output);
  print_diagnostics(report_warnings, {}, errors);
  if (!finish_output(file, settings.output_path, "--output", standard_output, errors)) return kUsageOrInputError;
  bool fails = false;
  for (const AuditedSnapshot& audit : organization.audits) {
    print_diagnostics(audit.report.diagnostics, audit.identity() + ": ", errors);
    fails |= audit_fails(audit.report, audit.drift ? &*audit.drift : nullptr, settings.fail_on);
  }
  for (const AccountFailure& failure : organization.failures)
    print_error(errors, fmt::format("{}: not audited: {}", failure_scope(failure), failure.reason));
  // Nothing audited is no verdict: never a pass.
  if (organization.audits.empty()) {
    print_error(errors, "no snapshot was audited: none was found, or every one failed");
    return kUsageOrInputError;
  }
  return organization.input_problems() ? kUsageOrInputError : fails ? kNonCompliant : kCompliant;
}

const OrganizationFormat* organization_format_or_say(const std::string& name, std::FILE* errors) {
  const OrganizationFormat* format = organization_format_named(name);
  if (format == nullptr)
    print_error(errors, fmt::format("--format {} is not written for several snapshots; use one of {}", name,
                                    organization_format_names()));
  return format;
}

}  // namespace

int run_organization_audit(const AuditCommandOptions& options, PreparedAudit& prepared, std::FILE* standard_output,
                           std::FILE* errors) {
  Settings settings{organization_format_or_say(options.format, errors), options.output_path, prepared.fail_on,
                    prepared.baseline ? &*prepared.baseline : nullptr};
  if (settings.format == nullptr) return kUsageOrInputError;
  std::string error;
  std::optional<SnapshotSet> set = find_snapshots(options.snapshot_directory, error);
  if (!set) {
    print_error(errors, error);
    return kUsageOrInputError;
  }
  PhaseTimings timings;  // every snapshot's phases, one after another
  if (options.timings) prepared.audit_options.timings = &timings;
  OrganizationReport organization;
  organization.failures = std::move(set->failures);
  // One snapshot after another, each with every core; its tables are freed before the next is
  // loaded, so memory is bounded by the largest snapshot and the findings, not by the sum.
  for (const SnapshotEntry& entry : set->snapshots) {
    std::unique_ptr<Snapshot> snapshot;
    std::optional<AuditedSnapshot> audit = audit_snapshot(entry.directory, prepared.audit_options, snapshot, errors);
    snapshot.reset();
    if (!audit) {
      organization.failures.push_back({entry.account_id.empty() ? entry.directory : entry.account_id, entry.region,
                                       "its snapshot could not be read (" + entry.directory + ")"});
      continue;
    }
    organization.audits.push_back(std::move(*audit));
  }
  const int status = finish(organization, settings, options, standard_output, errors);
  if (options.timings) timings.print(errors);
  leave_for_exit(std::move(organization));
  return status;
}

namespace {

// The audits of one report read back, or nullopt after printing why the report cannot be merged.
std::optional<OrganizationReport> read_for_merge(const std::string& path, std::FILE* errors) {
  std::string error;
  if (std::filesystem::path(path).filename() == kOrganizationFile) {
    OrganizationReport read;  // the accounts an organization export could not read
    if (auto problem = read_organization_failures(path, read.failures)) {
      print_error(errors, fmt::format("cannot merge {}", *problem));
      return std::nullopt;
    }
    return read;
  }
  std::optional<ReportContents> contents = read_report(path, error);
  if (contents && !contents->audits.empty() && contents->audits.front().format != "JSON")
    error = "a SARIF report; merge reads the JSON reports of fleetaudit audit --format json";
  if (!contents || !error.empty()) {
    print_error(errors, fmt::format("cannot merge {}: {}", path, error));
    return std::nullopt;
  }
  OrganizationReport read;
  read.failures = std::move(contents->failures);
  for (const Baseline& stated : contents->audits) {
    std::optional<AuditReport> report = audit_from_report(stated, error);
    if (!report) {
      print_error(errors, fmt::format("cannot merge {}: {}", path, error));
      return std::nullopt;
    }
    read.audits.push_back({stated.snapshot, std::move(*report), std::nullopt});
  }
  return read;
}

// Two audits of one account and region: the same audit (same clock and guid) is taken once;
// different clocks need --prefer; anything else is refused. False after printing why.
bool keep_one(std::map<std::string, std::pair<AuditedSnapshot, std::string>>& kept, AuditedSnapshot audit,
              const std::string& path, const std::string& prefer, std::FILE* errors) {
  const std::string identity = audit.identity();
  auto it = kept.find(identity);
  if (it == kept.end()) {
    kept.emplace(identity, std::make_pair(std::move(audit), path));
    return true;
  }
  const AuditReport& held = it->second.first.report;
  const bool same_clock = held.clock == audit.report.clock;
  if (same_clock && audit_guid(held) == audit_guid(audit.report)) return true;
  if (same_clock || prefer.empty()) {
    print_error(errors, fmt::format("{} and {} both hold an audit of {} ({} and {}){}", it->second.second, path,
                                    identity, format_iso8601(held.clock), format_iso8601(audit.report.clock),
                                    same_clock ? " with the same clock and different findings: merge one of them"
                                               : ": say which to keep with --prefer newer or --prefer older"));
    return false;
  }
  const bool newer = audit.report.clock > held.clock;
  if (newer == (prefer == "newer")) it->second = std::make_pair(std::move(audit), path);
  return true;
}

}  // namespace

int run_merge_command(const MergeCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  Settings settings{organization_format_or_say(options.format, errors), options.output_path, {}, nullptr};
  if (settings.format == nullptr) return kUsageOrInputError;
  if (!options.prefer.empty() && options.prefer != "newer" && options.prefer != "older") {
    print_error(errors, fmt::format("unknown --prefer {}; use newer or older", options.prefer));
    return kUsageOrInputError;
  }
  std::optional<FailOn> fail_on = parse_fail_on_option(options.fail_on, options.baseline_path, errors);
  if (!fail_on) return kUsageOrInputError;
  settings.fail_on = *fail_on;
  std::optional<ReportContents> baseline;
  if (!options.baseline_path.empty() && !(baseline = read_baseline_option(options.baseline_path, errors)))
    return kUsageOrInputError;
  settings.baseline = baseline ? &*baseline : nullptr;
  OrganizationReport organization;
  std::map<std::string, std::pair<AuditedSnapshot, std::string>> kept;
  for (const std::string& path : options.reports) {
    std::optional<OrganizationReport> read = read_for_merge(path, errors);
    if (!read) return kUsageOrInputError;
    for (AuditedSnapshot& audit : read->audits)
      if (!keep_one(kept, std::move(audit), path, options.prefer, errors)) return kUsageOrInputError;
    for (AccountFailure& failure : read->failures) organization.failures.push_back(std::move(failure));
  }
  for (auto& [identity, audit] : kept) organization.audits.push_back(std::move(audit.first));
  // The same failure named by two reports is one failure.
  sort_audits(organization);
  organization.failures.erase(std::unique(organization.failures.begin(), organization.failures.end(),
                                          [](const AccountFailure& a, const AccountFailure& b) {
                                            return a.account_id == b.account_id && a.region == b.region &&
                                                   a.reason == b.reason;
                                          }),
                              organization.failures.end());
  AuditCommandOptions report_options;
  report_options.sarif_omit_suppressed = options.sarif_omit_suppressed;
  report_options.sarif_max_results = options.sarif_max_results;
  report_options.sarif_root = options.sarif_root;
  report_options.asff_product_arn = options.asff_product_arn;
  return finish(organization, settings, report_options, standard_output, errors);
}

}  // namespace fleetaudit
