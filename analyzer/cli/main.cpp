// fleetaudit: an offline AWS IoT Device Defender audit of an exported fleet snapshot.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>

#include "analyzer/cli/commands.h"
#include "analyzer/cli/lint_command.h"
#include "analyzer/cli/plan_jobs_command.h"
#include "analyzer/cli/report_formats.h"
#include "analyzer/load/byte_source.h"
#include "analyzer/report/organization_reports.h"

namespace {

using namespace fleetaudit;

// The SARIF options `audit` and `merge` share.
void add_sarif_options(CLI::App* command, bool& omit_suppressed, std::optional<size_t>& max_results,
                       std::string& root) {
  command->add_flag("--sarif-omit-suppressed", omit_suppressed,
                    "Leave suppressed findings out of SARIF (for consumers that ignore SARIF suppressions)");
  command
      ->add_option("--sarif-max-results", max_results,
                   "Keep only the N most important SARIF results (by severity, then check, then resource); "
                   "GitHub code scanning rejects a run of more than 25000")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--sarif-root", root,
                      "Directory SARIF artifact URIs are relative to (the repository root GitHub reads them "
                      "from); default: the current directory");
}

CLI::App* add_audit_command(CLI::App& app, AuditCommandOptions& audit) {
  CLI::App* audit_command = app.add_subcommand(
      "audit", "Run every enabled check on a snapshot, or on each snapshot below a directory, and write one report");
  audit_command
      ->add_option("SNAPSHOT_DIR", audit.snapshot_directory,
                   "Directory of the exported snapshot; or a directory of several (fleetaudit-export "
                   "--organization's OUT_DIR, or any folders up to 3 deep holding a manifest.json): each is "
                   "audited in turn, by account, region and path, into one report")
      ->required();
  audit_command->add_option("--format", audit.format, "Report format: " + described_formats(audit_report_formats()))
      ->check(CLI::IsMember(format_names(audit_report_formats())))
      ->capture_default_str();
  audit_command->add_option("--output", audit.output_path,
                            "Write the report to FILE instead of standard output (never over an input: written "
                            "beside FILE and renamed into place)");
  audit_command->add_option("--config", audit.config_path,
                            "Audit configuration (body of update-account-audit-configuration); replaces the "
                            "snapshot's audit-configuration.json");
  audit_command->add_option("--now", audit.now,
                            "Audit clock (ISO 8601 or epoch seconds); default: manifest.exportedAt");
  audit_command->add_option("--suppressions", audit.suppressions_path,
                            "Audit suppressions (output of list-audit-suppressions), honoured with the snapshot's "
                            "audit-suppressions.json");
  add_sarif_options(audit_command, audit.sarif_omit_suppressed, audit.sarif_max_results, audit.sarif_root);
  audit_command->add_option("--weak-key-blocklists", audit.weak_key_blocklists,
                            "Directory of Debian weak-key blocklists (openssl-blacklist blacklist.RSA-<bits> "
                            "files); default: the PARTIAL sample shipped in data/weak-keys");
  audit_command->add_option("--asff-product-arn", audit.asff_product_arn,
                            "ProductArn of --format asff findings; default: the account's own "
                            "arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default");
  audit_command->add_option("--baseline", audit.baseline_path,
                            "An earlier fleetaudit report (JSON or SARIF) of the same account and region, or an "
                            "organization's JSON report (each account and region matched with its own audit there): "
                            "findings are marked new, updated or unchanged, and fixed ones are listed");
  audit_command->add_option("--fail-on", audit.fail_on,
                            "Which unsuppressed findings make the exit status 1: any, new (new or updated since "
                            "--baseline), or a severity (LOW, MEDIUM, HIGH, CRITICAL: that one or higher)")
      ->capture_default_str();
  audit_command->add_flag("--timings", audit.timings,
                          "Print the wall time of each phase (each file loaded, each check, the report) to standard "
                          "error");
  audit_command->footer(
      "Exit status: 0 every "
      "check that ran is compliant (suppressed findings do not count); 1 non-compliant findings; 2 usage error or "
      "input that could not be read, in any snapshot, or an account organization.json says could not be exported "
      "(the report is still written).");
  return audit_command;
}

CLI::App* add_merge_command(CLI::App& app, MergeCommandOptions& merge) {
  CLI::App* merge_command = app.add_subcommand(
      "merge",
      "Merge the JSON reports of audits run as separate jobs into one report, the same as auditing their "
      "snapshots together");
  merge_command
      ->add_option("REPORT", merge.reports,
                   "JSON reports of fleetaudit audit (of a snapshot, or of a directory of snapshots); and an "
                   "organization export's organization.json, to name the accounts it could not export")
      ->required();
  merge_command
      ->add_option("--format", merge.format,
                   fmt::format("Report format: {}", fmt::join(format_names(organization_formats()), ", ")))
      ->check(CLI::IsMember(format_names(organization_formats())))
      ->capture_default_str();
  merge_command->add_option("--output", merge.output_path,
                            "Write the report to FILE instead of standard output (never over an input)");
  merge_command
      ->add_option("--prefer", merge.prefer,
                   "Two reports of the same account and region with different audit clocks are refused; "
                   "newer or older says which to keep")
      ->check(CLI::IsMember({"newer", "older"}));
  merge_command->add_option("--baseline", merge.baseline_path,
                            "An earlier report (an organization's JSON report, or one snapshot's): each account and "
                            "region is matched with its own earlier findings");
  merge_command
      ->add_option("--fail-on", merge.fail_on,
                   "Which unsuppressed findings make the exit status 1: any, new, or a severity")
      ->capture_default_str();
  add_sarif_options(merge_command, merge.sarif_omit_suppressed, merge.sarif_max_results, merge.sarif_root);
  merge_command->add_option("--asff-product-arn", merge.asff_product_arn, "ProductArn of --format asff findings");
  merge_command->footer(
      "Exit status as audit's over all the reports: 0 compliant; 1 non-compliant findings; 2 usage error, a report "
      "that could not be read or merged, or an audit in them with input problems or an account not exported.");
  return merge_command;
}

CLI::App* add_checks_command(CLI::App& app, ChecksCommandOptions& checks) {
  CLI::App* checks_command = app.add_subcommand("checks", "List the check catalogue: name, severity, resource, parameters");
  checks_command->add_option("--config", checks.config_path, "Show which checks this audit configuration enables");
  return checks_command;
}

CLI::App* add_mitigate_command(CLI::App& app, MitigateCommandOptions& mitigate) {
  CLI::App* mitigate_command = app.add_subcommand(
      "mitigate", "Apply mitigation actions to findings: a plan to review, an AWS CLI script, a mitigated preview");
  mitigate_command->add_option("SNAPSHOT_DIR", mitigate.snapshot_directory, "Directory of the exported snapshot")
      ->required();
  mitigate_command
      ->add_option("--actions", mitigate.actions_path,
                   "JSON: {\"actions\": [create-mitigation-action input…], \"task\": "
                   "start-audit-mitigation-actions-task input}")
      ->required();
  mitigate_command->add_option("--findings", mitigate.findings_path,
                               "Findings to mitigate (fleetaudit audit --format json); default: audit the snapshot now");
  mitigate_command->add_option("--plan", mitigate.plan_path, "Write the plan (every execution and its changes) as JSON");
  mitigate_command->add_option("--script", mitigate.script_path,
                               "Write a bash script of AWS CLI calls performing the plan (dry run unless --execute)");
  mitigate_command->add_option("--apply-to", mitigate.apply_to,
                               "Write a copy of the snapshot with the plan applied into this new or empty directory "
                               "(regular files and directories only; links that are not followed are named)");
  mitigate_command->footer(
      "Prints a summary of the plan. Exit status: 0 the plan was written; 2 usage error, invalid actions or input "
      "that could not be read.");
  return mitigate_command;
}

CLI::App* add_access_command(CLI::App& app, AccessCommandOptions& access) {
  CLI::App* access_command = app.add_subcommand(
      "access", "Who may do what: a thing's effective permissions, or who may perform an action on a resource");
  access_command->add_option("SNAPSHOT_DIR", access.snapshot_directory, "Directory of the exported snapshot")->required();
  access_command->add_option("--thing", access.thing,
                             "Print this thing's effective permissions per data-plane action: the resource patterns "
                             "its certificates' policies allow (its name substituted) and the Deny patterns that take "
                             "part of them away");
  access_command->add_option("--action", access.action,
                             "With --resource: a data-plane action (iot:Connect, iot:Publish, iot:Subscribe, "
                             "iot:GetThingShadow, …)");
  access_command->add_option("--resource", access.resource,
                             "With --action: a concrete resource ARN (arn:aws:iot:REGION:ACCOUNT:topic/NAME, "
                             "client/ID, topicfilter/FILTER, thing/NAME); prints every certificate (with its thing), "
                             "Cognito identity pool role and role-alias role that may perform the action on it, with "
                             "the allowing statement");
  access_command->add_option("--format", access.format, "Output format: " + described_formats(access_formats()))
      ->check(CLI::IsMember(format_names(access_formats())))
      ->capture_default_str();
  access_command->footer(
      "Give --thing, or --action with --resource. A Deny in any policy reaching the certificate (directly or through "
      "its things' groups) wins; an Allow with a Condition is reported as allowed if the Condition holds. Exit "
      "status: 0 answered; 2 bad arguments, an unknown thing, or input that could not be read.");
  return access_command;
}

CLI::App* add_lint_command(CLI::App& app, LintCommandOptions& lint) {
  CLI::App* lint_command = app.add_subcommand(
      "lint", "Check infrastructure as code before it is deployed: IoT policies, CloudFormation/SAM templates "
              "(JSON, YAML), AWS IoT provisioning templates, Serverless Framework resources, Terraform plans "
              "(terraform show -json) and Terraform source (a subset); what it cannot judge is said as a warning");
  lint_command->add_option("PATH", lint.paths, "Files, or directories searched recursively for *.json, *.yaml, "
                                               "*.yml, *.template and *.tf (not hidden directories, node_modules, "
                                               "cdk.out/asset.*, nor what the directory's own .gitignore "
                                               "ignores, which is named in a warning). Nothing outside the PATHs "
                                               "(a file's PATH: its directory) is read: a file() call, link or "
                                               "path leading out is an error; only regular files are read")
      ->required();
  lint_command->add_option("--format", lint.format, "Report format: " + described_formats(lint_report_formats()))
      ->check(CLI::IsMember(format_names(lint_report_formats())))
      ->capture_default_str();
  lint_command->add_option("--output", lint.output_path,
                           "Write the report to FILE instead of standard output (never over an input: written "
                           "beside FILE and renamed into place)");
  lint_command->add_option("--fail-on", lint.fail_on,
                           "Which unsuppressed findings make the exit status 1: any, or a severity (LOW, MEDIUM, "
                           "HIGH, CRITICAL: that one or higher)")
      ->capture_default_str();
  lint_command->add_option("--now", lint.now,
                           "Audit clock of the certificate checks (ISO 8601 or epoch seconds); default: the current time");
  lint_command->add_option("--exclude", lint.excludes,
                           "Do not read files whose path, or a trailing part of it, matches GLOB (`*` also crosses "
                           "`/`): --exclude 'examples/*' --exclude '*.test.json'; repeatable")
      ->allow_extra_args(false);
  lint_command->footer(
      "Suppress a finding with Metadata: {fleetaudit: {ignore_checks: [CHECK], reason: WHY}} on a CloudFormation "
      "resource, or a comment `# fleetaudit:ignore CHECK WHY` at the end of a YAML or .tf line (that line) or on a line of "
      "its own (the next line and the block indented under it).\n"
      "Exit status: 0 no unsuppressed finding at or above --fail-on; 1 some; 2 usage error, a file that could not "
      "be read or parsed (the other files are still linted and reported), no file read at all, or an output that "
      "could not be written.");
  return lint_command;
}

CLI::App* add_plan_jobs_command(CLI::App& app, PlanJobsCommandOptions& options) {
  CLI::App* plan_jobs_command = app.add_subcommand(
      "plan-jobs",
      "Plan one job per snapshot of an organization export, for a GitHub Actions matrix or a Kubernetes "
      "Indexed Job (fleetaudit schedules nothing itself)");
  plan_jobs_command
      ->add_option("OUT_DIR", options.directory,
                   "The directory fleetaudit-export --organization wrote (or any folders with a "
                   "manifest.json, at most 3 levels down, found as audit OUT_DIR finds them; "
                   "nothing outside it is read)")
      ->required();
  plan_jobs_command
      ->add_option("--format", options.format,
                   "github-matrix: {\"include\": [{\"account\", \"region\", \"snapshot\"}, ...]} on one line, for "
                   "strategy.matrix; kubernetes: a List of a ConfigMap (index -> snapshot) and an Indexed Job (JSON, "
                   "which kubectl apply -f reads)")
      ->check(CLI::IsMember({"github-matrix", "kubernetes"}))
      ->capture_default_str();
  plan_jobs_command->add_option("--output", options.output_path, "Write the plan to FILE instead of standard output");
  plan_jobs_command
      ->add_option("--max-jobs", options.max_jobs,
                   "github-matrix: at most N entries; with more snapshots, consecutive ones share a job (entries "
                   "{\"job\": K, \"snapshots\": \"A/R B/R ...\"}). GitHub runs at most 256 jobs of a matrix per "
                   "workflow run")
      ->capture_default_str();
  plan_jobs_command->add_option("--image", options.kubernetes.image, "kubernetes: the image holding fleetaudit")
      ->capture_default_str();
  plan_jobs_command
      ->add_option("--volume-claim", options.kubernetes.volume_claim,
                   "kubernetes: the PersistentVolumeClaim holding OUT_DIR (mounted read-only at /organization); "
                   "reports are written to its reports/ folder as job-INDEX.json")
      ->capture_default_str();
  plan_jobs_command
      ->add_option("--name", options.kubernetes.name, "kubernetes: the Job's name (the ConfigMap is NAME-plan)")
      ->capture_default_str();
  plan_jobs_command->add_option("--parallelism", options.kubernetes.parallelism, "kubernetes: pods running at once")
      ->capture_default_str();
  plan_jobs_command->footer(
      "An account or region that organization.json lists as failed has no snapshot: it is named on standard error. "
      "Exit status: 0 every account and region in the plan, each complete; 1 the plan is written, but an account or "
      "region failed to export or a snapshot is incomplete (named on standard error); 2 usage error, no snapshot, "
      "or a manifest that cannot be read or whose accountId, region or folder name is refused (nothing written).");
  return plan_jobs_command;
}

int run(int argc, char** argv) {
  CLI::App app{"fleetaudit: audit an exported AWS IoT fleet snapshot offline, as AWS IoT Device Defender would"};
  app.set_version_flag("--version", std::string("fleetaudit ") + FLEETAUDIT_VERSION);
  app.require_subcommand(1);

  AuditCommandOptions audit;
  CLI::App* audit_command = add_audit_command(app, audit);
  MergeCommandOptions merge;
  CLI::App* merge_command = add_merge_command(app, merge);

  ChecksCommandOptions checks;
  add_checks_command(app, checks);  // the command run when no other is
  MitigateCommandOptions mitigate;
  CLI::App* mitigate_command = add_mitigate_command(app, mitigate);
  AccessCommandOptions access;
  CLI::App* access_command = add_access_command(app, access);
  LintCommandOptions lint;
  CLI::App* lint_command = add_lint_command(app, lint);

  PlanJobsCommandOptions plan_jobs;
  CLI::App* plan_jobs_command = add_plan_jobs_command(app, plan_jobs);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : kUsageOrInputError;
  }
  // Every command writes its standard output here, so that a failed write is reported with its reason.
  std::FILE* out = checked_standard_output();
  if (*audit_command) return run_audit_command(audit, out, stderr);
  if (*merge_command) return run_merge_command(merge, out, stderr);
  if (*mitigate_command) return run_mitigate_command(mitigate, out, stderr);
  if (*access_command) return run_access_command(access, out, stderr);
  if (*lint_command) return run_lint_command(lint, out, stderr);
  if (*plan_jobs_command) return run_plan_jobs_command(plan_jobs, out, stderr);
  return run_checks_command(checks, out, stderr);
}

}  // namespace

// The last line of defence: whatever a command failed to handle is reported, never a crash.
int main(int argc, char** argv) {
  fleetaudit::exit_cleanly_when_a_mapped_file_shrinks();
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("fleetaudit: error: out of memory; the input is too large or too complex to audit here\n", stderr);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fleetaudit: error: internal error: %s\n", error.what());
  } catch (...) {
    std::fputs("fleetaudit: error: internal error (unknown exception)\n", stderr);
  }
  std::fflush(stdout);
  return fleetaudit::kUsageOrInputError;
}
