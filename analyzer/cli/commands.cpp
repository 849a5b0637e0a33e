#include "analyzer/cli/commands.h"

#include "analyzer/cli/audit_steps.h"
#include "analyzer/cli/report_formats.h"
#include "analyzer/organization/snapshot_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <memory>

#include "analyzer/access/access_report.h"
#include "analyzer/baseline/fail_on.h"
#include "analyzer/engine/audit.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/mapped_file.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/mitigate/mitigation_outputs.h"
#include "analyzer/mitigate/script_values.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/leave_for_exit.h"
#include "analyzer/util/terminal_text.h"
#include "analyzer/x509/weak_key_blocklist.h"

namespace fleetaudit {

// Messages echo names from the snapshot and the user's files: escaped, they cannot forge a line
// or send a terminal control code.
void print_error(std::FILE* errors, const std::string& message) {
  fmt::print(errors, "fleetaudit: error: {}\n", escape_control_in_message(message));
}

namespace {

std::optional<EpochMillis> parse_clock(const std::string& text) {
  if (auto iso = parse_iso8601(text)) return iso;
  double seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error == std::errc() && end == text.data() + text.size()) return epoch_seconds_to_millis(seconds);
  return std::nullopt;
}

// The audit clock must be a time AWS could report: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
constexpr EpochMillis kLatestClock = 253402300799999;

using FileLoader = bool (*)(load::FileReader&, load::ondemand::parser&, Snapshot&);

// Loads one file on its own into `scratch`. False when it cannot be read or holds problems; the
// problems are printed to `errors` unless it is null, and `open_error` says why it could not be opened.
bool load_alone(const std::string& path, FileLoader loader, Snapshot& scratch, std::FILE* errors,
                std::string& open_error) {
  auto bytes = ByteSource::open_file(path, open_error);
  if (!bytes) return false;
  Diagnostics diagnostics;
  load::FileReader reader(path, *bytes, diagnostics);
  load::ondemand::parser parser;
  const bool ok = loader(reader, parser, scratch);
  if (errors != nullptr)
    for (const Diagnostic& diagnostic : diagnostics.items()) print_error(errors, diagnostic.render());
  return ok && !diagnostics.has_errors();
}

// Reads a --config file (the body of update-account-audit-configuration) and validates it.
std::optional<AuditConfiguration> read_configuration(const std::string& path, std::FILE* errors) {
  Snapshot scratch;
  std::string error;
  if (!load_alone(path, load::load_audit_configuration, scratch, errors, error) || !scratch.audit_configuration) {
    if (!error.empty()) print_error(errors, fmt::format("cannot read --config {}: {}", path, error));
    return std::nullopt;
  }
  std::vector<std::string> notes;
  std::vector<std::string> problems = validate_configuration(*scratch.audit_configuration, true, notes);
  for (const std::string& problem : problems) print_error(errors, fmt::format("{}: {}", path, problem));
  if (!problems.empty()) return std::nullopt;
  return std::move(scratch.audit_configuration);
}

// Reads a --suppressions file (the output of list-audit-suppressions).
std::optional<std::vector<AuditSuppression>> read_suppressions(const std::string& path, std::FILE* errors) {
  Snapshot scratch;
  std::string error;
  if (!load_alone(path, load::load_audit_suppressions, scratch, errors, error)) {
    if (!error.empty()) print_error(errors, fmt::format("cannot read --suppressions {}: {}", path, error));
    return std::nullopt;
  }
  return std::move(scratch.suppressions);
}

// Whether some check this audit runs reads device certificates' PEMs, decided before loading:
// from --config, else from the snapshot's own audit-configuration.json (small, so read twice;
// when it cannot be read, the PEMs are decoded and the real load reports the problem).
bool audit_reads_pems(const AuditOptions& options, const std::string& directory) {
  if (options.configuration) return pems_needed(&*options.configuration);
  Snapshot scratch;
  std::string error;
  const bool read = load_alone(directory + "/" + file_name(SnapshotFile::audit_configuration),
                               load::load_audit_configuration, scratch, nullptr, error);
  if (!error.empty()) return pems_needed(nullptr);  // no configuration: every check runs
  if (!read || !scratch.audit_configuration) return true;
  return pems_needed(&*scratch.audit_configuration);
}

// Security Hub files every finding under its account and region: without them, nothing to import.
std::optional<std::string> asff_unwritable(const AuditReport& report) {
  if (!report.account_id.empty() && !report.region.empty()) return std::nullopt;
  return "--format asff needs the snapshot's account id and region (manifest.json accountId and region)";
}

// Every --format of `audit`, in the order --help lists them.
constexpr AuditReportFormat kAuditReportFormats[] = {
    {"sarif", "", write_sarif},
    {"json", "list-audit-findings shape", write_aws_findings},
    {"text", "", write_text},
    {"html", "for a browser", write_html},
    {"notification", "Device Defender's SNS audit-notification message", write_audit_notification},
    {"asff", "Security Hub BatchImportFindings findings", write_asff, asff_unwritable},
    {"ocsf", "OCSF 1.6 Compliance Finding events, JSON Lines", write_ocsf},
};

// A product ARN that is not one would be refused by Security Hub finding by finding: said before
// the audit runs, which takes minutes on a large fleet.
std::optional<std::string> product_arn_problem(const std::string& product_arn) {
  if (product_arn.empty() ||
      (product_arn.starts_with("arn:") && product_arn.find(":securityhub:") != std::string::npos &&
       product_arn.find(":product/") != std::string::npos && product_arn.find_first_of(" \t\r\n") == std::string::npos))
    return std::nullopt;
  return fmt::format("--asff-product-arn \"{}\": expected a Security Hub product ARN, "
                     "arn:PARTITION:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT",
                     product_arn);
}

}  // namespace

std::span<const AuditReportFormat> audit_report_formats() { return kAuditReportFormats; }

std::optional<EpochMillis> parse_audit_clock(const std::string& text, std::FILE* errors) {
  const std::optional<EpochMillis> clock = parse_clock(text);
  if (!clock) {
    print_error(errors, fmt::format("--now \"{}\": expected an ISO 8601 time with an offset "
                                    "(2026-06-01T00:00:00Z) or epoch seconds",
                                    text));
    return std::nullopt;
  }
  if (*clock < 0 || *clock > kLatestClock) {
    print_error(errors, fmt::format("--now \"{}\": out of range; the audit clock must lie between "
                                    "1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z (epoch seconds 0 to 253402300799)",
                                    text));
    return std::nullopt;
  }
  return clock;
}

std::optional<OutputFile> open_output(const std::string& path, const char* option, std::FILE* errors, bool executable) {
  std::string error;
  std::optional<OutputFile> file = OutputFile::open(path, error, executable);
  if (!file) print_error(errors, fmt::format("cannot write {} {}: {}", option, path, error));
  return file;
}

bool finish_output(std::optional<OutputFile>& file, const std::string& path, const char* option,
                   std::FILE* standard_output, std::FILE* errors) {
  std::string error;
  if (file ? file->commit(error) : finish_stream(standard_output, error)) return true;
  print_error(errors, file ? fmt::format("cannot write {} {}: {}", option, path, error)
                           : fmt::format("cannot write to standard output: {}", error));
  return false;
}

namespace {

// Every option of `audit` read and checked before any snapshot is: a wrong one is a usage error
// at once, not after minutes of loading.
std::optional<PreparedAudit> prepare_audit(const AuditCommandOptions& options, std::FILE* errors) {
  PreparedAudit prepared;
  prepared.format = format_named(audit_report_formats(), options.format);
  if (prepared.format == nullptr) {
    std::string names;
    for (const AuditReportFormat& known : kAuditReportFormats)
      names += (names.empty() ? "" : ", ") + std::string(known.name);
    print_error(errors, fmt::format("unknown --format {}; use one of {}", options.format, names));
    return std::nullopt;
  }
  if (auto problem = product_arn_problem(options.asff_product_arn)) {
    print_error(errors, *problem);
    return std::nullopt;
  }
  if (options.now && !(prepared.audit_options.now = parse_audit_clock(*options.now, errors))) return std::nullopt;
  if (!options.config_path.empty()) {
    prepared.audit_options.configuration = read_configuration(options.config_path, errors);
    if (!prepared.audit_options.configuration) return std::nullopt;
    prepared.audit_options.configuration_source = options.config_path;
  }
  if (!options.weak_key_blocklists.empty()) {
    // Read it now: a wrong directory is a usage error, not a report that silently checked nothing.
    x509::WeakKeyBlocklist probe;
    std::vector<std::string> problems = probe.load(options.weak_key_blocklists);
    if (probe.entries() == 0) {
      print_error(errors, fmt::format("--weak-key-blocklists: {}", problems.empty() ? "no entries" : problems.front()));
      return std::nullopt;
    }
    prepared.audit_options.weak_key_blocklists = options.weak_key_blocklists;
  }
  std::optional<FailOn> fail_on = parse_fail_on_option(options.fail_on, options.baseline_path, errors);
  if (!fail_on) return std::nullopt;
  prepared.fail_on = *fail_on;
  if (!options.baseline_path.empty() && !(prepared.baseline = read_baseline_option(options.baseline_path, errors)))
    return std::nullopt;
  if (!options.suppressions_path.empty()) {
    auto suppressions = read_suppressions(options.suppressions_path, errors);
    if (!suppressions) return std::nullopt;
    prepared.audit_options.suppressions = std::move(*suppressions);
  }
  return prepared;
}

// The drift of one audit against its own account and region's audit in the baseline (the one
// audit of a snapshot's report; the matching one of an organization's). nullopt after printing why
// a snapshot's report of another account cannot be its baseline.
std::optional<Drift> drift_of_single(const AuditReport& report, const ReportContents& baseline, std::FILE* errors) {
  const Baseline* match = baseline_for(baseline, report);
  if (match == nullptr) match = &baseline.audits.front();  // said foreign below
  if (auto refusal = foreign_baseline(report, *match)) {
    print_error(errors, *refusal);
    return std::nullopt;
  }
  return compute_drift(report, *match);
}

}  // namespace

std::optional<FailOn> parse_fail_on_option(const std::string& text, const std::string& baseline_path,
                                           std::FILE* errors) {
  const std::optional<FailOn> fail_on = parse_fail_on(text);
  if (!fail_on) {
    print_error(errors, fmt::format("unknown --fail-on {}; use any, new, LOW, MEDIUM, HIGH or CRITICAL", text));
    return std::nullopt;
  }
  if (fail_on->kind == FailOn::Kind::new_findings && baseline_path.empty()) {
    print_error(errors, "--fail-on new needs --baseline (the report that findings are new against)");
    return std::nullopt;
  }
  return fail_on;
}

std::optional<ReportContents> read_baseline_option(const std::string& path, std::FILE* errors) {
  std::string error;
  std::optional<ReportContents> contents = read_report(path, error);
  if (!contents) print_error(errors, fmt::format("cannot read --baseline {}: {}", path, error));
  return contents;
}

const Baseline* baseline_for(const ReportContents& baseline, const AuditReport& report) {
  if (baseline.audits.size() == 1) return &baseline.audits.front();
  for (const Baseline& audit : baseline.audits)
    if (audit.account_id == report.account_id && audit.region == report.region) return &audit;
  return nullptr;
}

std::optional<AuditedSnapshot> audit_snapshot(const std::string& directory, const AuditOptions& audit_options,
                                              std::unique_ptr<Snapshot>& snapshot, std::FILE* errors) {
  snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  LoadOptions load_options;
  load_options.timings = audit_options.timings;
  load_options.device_certificate_pems = audit_reads_pems(audit_options, directory);
  if (auto usage = load_snapshot(directory, *snapshot, diagnostics, load_options)) {
    print_error(errors, *usage);
    return std::nullopt;
  }
  return AuditedSnapshot{directory, run_audit(*snapshot, audit_options, std::move(diagnostics)), std::nullopt};
}

void print_diagnostics(const Diagnostics& diagnostics, std::string_view prefix, std::FILE* errors) {
  // A warning's rendering says "warning:" itself, after its location.
  for (const Diagnostic& diagnostic : diagnostics.items())
    fmt::print(errors, "fleetaudit: {}{}{}\n", diagnostic.severity == DiagnosticSeverity::error ? "error: " : "",
               escape_control_in_message(prefix), escape_control_in_message(diagnostic.render()));
}

int run_audit_command(const AuditCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  std::optional<PreparedAudit> prepared = prepare_audit(options, errors);
  if (!prepared) return kUsageOrInputError;
  if (holds_several_snapshots(options.snapshot_directory))
    return run_organization_audit(options, *prepared, standard_output, errors);
  PhaseTimings timings;
  if (options.timings) prepared->audit_options.timings = &timings;
  std::unique_ptr<Snapshot> snapshot;  // kept to the end: the report's findings may be rows of it
  prepared->audit_options.findings_may_refer_to_snapshot = true;
  std::optional<AuditedSnapshot> audit =
      audit_snapshot(options.snapshot_directory, prepared->audit_options, snapshot, errors);
  if (!audit) return kUsageOrInputError;
  const AuditReport& report = audit->report;
  if (prepared->baseline && !(audit->drift = drift_of_single(report, *prepared->baseline, errors)))
    return kUsageOrInputError;
  if (const auto problem = prepared->format->unwritable ? prepared->format->unwritable(report) : std::nullopt) {
    print_error(errors, *problem);
    return kUsageOrInputError;
  }
  // Opened once every input is read: an output that is one of them is refused (output_file.h).
  std::optional<OutputFile> file;
  if (!options.output_path.empty() && !(file = open_output(options.output_path, "--output", errors)))
    return kUsageOrInputError;
  Diagnostics report_warnings;
  ReportContext context = report_context(options, *audit, &report_warnings);
  context.snapshot = snapshot.get();
  const auto report_started = PhaseTimings::Clock::now();
  prepared->format->write(context, file ? file->stream() : standard_output);
  print_diagnostics(report_warnings, {}, errors);
  const bool written = finish_output(file, options.output_path, "--output", standard_output, errors);
  if (options.timings) {
    timings.record("write the " + options.format + " report", report_started);
    timings.print(errors);
  }
  if (!written) return kUsageOrInputError;
  print_diagnostics(report.diagnostics, {}, errors);
  const int status = report.input_problems() ? kUsageOrInputError
                     : audit_fails(report, audit->drift ? &*audit->drift : nullptr, prepared->fail_on) ? kNonCompliant
                                                                                                       : kCompliant;
  leave_for_exit(std::move(*audit));
  leave_for_exit(std::move(snapshot));
  return status;
}

ReportContext report_context(const AuditCommandOptions& options, const AuditedSnapshot& audit, Diagnostics* warnings) {
  return ReportContext{audit.report,
                       audit.directory,
                       options.sarif_omit_suppressed,
                       audit.drift ? &*audit.drift : nullptr,
                       options.sarif_max_results,
                       options.sarif_root,
                       warnings,
                       options.asff_product_arn};
}

int run_checks_command(const ChecksCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  std::optional<AuditConfiguration> configuration;
  if (!options.config_path.empty()) {
    configuration = read_configuration(options.config_path, errors);
    if (!configuration) return kUsageOrInputError;
  }
  size_t name_width = 5;  // the columns fit the longest check name and resource type
  for (const CheckInfo& check : CheckRegistry::instance().checks())
    name_width = std::max(name_width, check.name.size());
  constexpr size_t kResourceWidth = 21;  // COGNITO_IDENTITY_POOL
  std::string text = fmt::format("{:<{}} {:<8} {:<{}} {}\n", "CHECK", name_width, "SEVERITY", "RESOURCE",
                                 kResourceWidth, "ENABLED");
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    const bool enabled = check_enabled(configuration ? &*configuration : nullptr, check);
    const CheckConfigurationEntry* entry = nullptr;
    if (configuration)
      for (const CheckConfigurationEntry& candidate : configuration->checks)
        if (CheckRegistry::instance().find(candidate.check_name) == &check) entry = &candidate;
    text += fmt::format("{:<{}} {:<8} {:<{}} {}\n", check.name, name_width, to_string(check.severity),
                        to_string(check.resource_type), kResourceWidth, enabled ? "yes" : "no");
    for (const CheckParameter& parameter : check.parameters) {
      std::string value = std::to_string(parameter.default_value);
      if (entry)
        for (const auto& [name, given] : entry->parameters)
          if (name == parameter.name) value = given;
      text += fmt::format("    {} = {} ({}..{}; default {}): {}\n", parameter.name, value, parameter.minimum,
                          parameter.maximum, parameter.default_value, parameter.description);
    }
    text += fmt::format("    {}\n", check.short_description);
  }
  fwrite(text.data(), 1, text.size(), standard_output);
  std::optional<OutputFile> none;
  return finish_output(none, {}, "", standard_output, errors) ? kCompliant : kUsageOrInputError;
}

namespace {

std::optional<std::string> read_text_file(const std::string& path, const char* option, std::FILE* errors) {
  std::string error;
  auto bytes = MappedFile::open(path, error);
  if (!bytes) {
    print_error(errors, fmt::format("cannot read {} {}: {}", option, path, error));
    return std::nullopt;
  }
  return std::string(bytes->data(), bytes->size());
}

// Writes an output file through `write`; false (with the error printed) when it cannot.
template <typename Write>
bool write_output_file(const std::string& path, const char* option, std::FILE* errors, bool executable, Write write) {
  std::optional<OutputFile> file = open_output(path, option, errors, executable);
  if (!file) return false;
  write(file->stream());
  return finish_output(file, path, option, nullptr, errors);
}

}  // namespace

int run_mitigate_command(const MitigateCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  if (auto repeated = repeated_output(
          {{"--plan", options.plan_path}, {"--script", options.script_path}, {"--apply-to", options.apply_to}})) {
    print_error(errors, *repeated);
    return kUsageOrInputError;
  }
  auto actions_text = read_text_file(options.actions_path, "--actions", errors);
  if (!actions_text) return kUsageOrInputError;
  std::vector<std::string> problems;
  auto definition = parse_mitigation_definition(*actions_text, problems);
  for (const std::string& problem : problems) print_error(errors, fmt::format("{}: {}", options.actions_path, problem));
  if (!definition) return kUsageOrInputError;

  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  if (auto usage = load_snapshot(options.snapshot_directory, *snapshot, diagnostics)) {
    print_error(errors, *usage);
    return kUsageOrInputError;
  }
  // A plan (and a preview) built on records that could not be read would be wrong where it matters.
  if (diagnostics.has_errors()) {
    for (const Diagnostic& diagnostic : diagnostics.items()) print_error(errors, diagnostic.render());
    print_error(errors, "the snapshot has input problems; fix them before planning mitigations");
    return kUsageOrInputError;
  }

  std::vector<MitigationFinding> findings;
  std::string findings_source;
  if (!options.findings_path.empty()) {
    auto findings_text = read_text_file(options.findings_path, "--findings", errors);
    if (!findings_text) return kUsageOrInputError;
    auto parsed = parse_findings(*findings_text, problems);
    for (const std::string& problem : problems) print_error(errors, fmt::format("{}: {}", options.findings_path, problem));
    if (!parsed) return kUsageOrInputError;
    findings = std::move(*parsed);
    findings_source = options.findings_path;
  } else {
    AuditReport report = run_audit(*snapshot, AuditOptions{}, Diagnostics{});
    findings = findings_of(report);
    findings_source = "an audit of " + options.snapshot_directory + " in this run";
  }

  MitigationPlan plan = build_mitigation_plan(*snapshot, *definition, std::move(findings), problems);
  for (const std::string& problem : problems) print_error(errors, fmt::format("{}: {}", options.actions_path, problem));
  if (!problems.empty()) return kUsageOrInputError;
  plan.findings_source = findings_source;
  plan.region = std::string(snapshot->text(snapshot->manifest.region));
  plan.account_id = std::string(snapshot->text(snapshot->manifest.account_id));
  plan.snapshot_exported_at = snapshot->manifest.exported_at;
  // Nothing is written when a value could not reach AWS intact (or would reach the shell).
  problems = refused_script_values(plan);
  for (const std::string& problem : problems) print_error(errors, problem);
  if (!problems.empty()) return kUsageOrInputError;

  if (!options.plan_path.empty() && !write_output_file(options.plan_path, "--plan", errors, false,
                                                       [&](std::FILE* out) { write_plan_json(plan, out); }))
    return kUsageOrInputError;
  // The script is executable where it is readable (a new file, or the mode the old one had).
  if (!options.script_path.empty() &&
      !write_output_file(options.script_path, "--script", errors, true,
                         [&](std::FILE* out) { write_plan_script(plan, options.snapshot_directory, out); }))
    return kUsageOrInputError;
  if (!options.apply_to.empty()) {
    std::vector<std::string> skipped;
    if (auto problem = write_mitigated_snapshot(plan, options.snapshot_directory, options.apply_to, skipped)) {
      print_error(errors, *problem);
      return kUsageOrInputError;
    }
    for (const std::string& file : skipped)
      fmt::print(errors, "fleetaudit: note: --apply-to: not copied: {}\n", escape_control_in_message(file));
  }
  write_plan_summary(plan, standard_output);
  std::optional<OutputFile> none;
  return finish_output(none, {}, "", standard_output, errors) ? kCompliant : kUsageOrInputError;
}

namespace {

constexpr AccessFormat kAccessFormats[] = {
    {"text", "", access::write_thing_text, access::write_resource_text},
    {"json", "", access::write_thing_json, access::write_resource_json},
};

// The bad-argument cases of `access`; nullopt when the options make one question.
std::optional<std::string> access_usage_problem(const AccessCommandOptions& options) {
  if (format_named(access_formats(), options.format) == nullptr)
    return fmt::format("unknown --format {}; use {}", options.format, described_formats(access_formats()));
  if (!options.thing.empty() && (!options.action.empty() || !options.resource.empty()))
    return "--thing cannot be combined with --action or --resource: ask about a thing, or about an action on a resource";
  if (options.thing.empty() && options.action.empty() && options.resource.empty())
    return "give --thing NAME, or --action ACTION with --resource ARN";
  if (options.thing.empty() && options.resource.empty()) return "--action needs --resource ARN (the resource acted on)";
  if (options.thing.empty() && options.action.empty()) return "--resource needs --action ACTION (e.g. iot:Publish)";
  if (options.action.empty()) return std::nullopt;
  const auto action = policy::data_plane_action_named(options.action);
  if (!action) {
    std::string known;
    for (unsigned i = 0; i < policy::kDataPlaneActionCount; ++i)
      known += (i ? ", " : "") + std::string(policy::action_name(static_cast<policy::DataPlaneAction>(i)));
    return fmt::format("--action {} is not a known data-plane action; use one of: {}", options.action, known);
  }
  return access::resource_problem(*action, options.resource);
}

}  // namespace

std::span<const AccessFormat> access_formats() { return kAccessFormats; }

int run_access_command(const AccessCommandOptions& options, std::FILE* standard_output, std::FILE* errors) {
  if (auto problem = access_usage_problem(options)) {
    print_error(errors, *problem);
    return kUsageOrInputError;
  }
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  LoadOptions load_options;
  load_options.device_certificate_pems = false;  // no question here reads a certificate's PEM
  if (auto usage = load_snapshot(options.snapshot_directory, *snapshot, diagnostics, load_options)) {
    print_error(errors, *usage);
    return kUsageOrInputError;
  }
  // An answer built on records that could not be read could miss the very principal asked about.
  for (const Diagnostic& diagnostic : diagnostics.items())
    fmt::print(errors, "fleetaudit: {}{}\n", diagnostic.severity == DiagnosticSeverity::error ? "error: " : "",
               escape_control_in_message(diagnostic.render()));
  if (diagnostics.has_errors()) {
    print_error(errors, "the snapshot has input problems; fix them before asking who may do what");
    return kUsageOrInputError;
  }
  const policy::PolicyReach reach = policy::compute_policy_reach(*snapshot);
  const AccessFormat& format = *format_named(access_formats(), options.format);
  if (!options.thing.empty()) {
    const auto permissions = access::what_thing_may(*snapshot, reach, options.thing);
    if (!permissions) {
      print_error(errors, fmt::format("unknown thing \"{}\": no thing of that name in thing-principals.json or "
                                      "thing-groups.json",
                                      escape_control(options.thing)));
      return kUsageOrInputError;
    }
    format.write_thing(*snapshot, *permissions, standard_output);
  } else {
    const policy::DataPlaneAction action = *policy::data_plane_action_named(options.action);
    const access::ResourceAccess access = access::who_may(*snapshot, reach, action, options.resource);
    format.write_resource(*snapshot, action, options.resource, access, standard_output);
  }
  std::optional<OutputFile> none;
  return finish_output(none, {}, "", standard_output, errors) ? kCompliant : kUsageOrInputError;
}

}  // namespace fleetaudit
