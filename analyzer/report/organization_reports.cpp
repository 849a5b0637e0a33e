#include "analyzer/report/organization_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "analyzer/baseline/audit_metadata.h"
#include "analyzer/engine/check_inputs.h"
#include "analyzer/report/audit_details.h"
#include "analyzer/report/drift_report.h"
#include "analyzer/report/html/organization_page.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

bool OrganizationReport::input_problems() const {
  return !failures.empty() || std::any_of(audits.begin(), audits.end(),
                                          [](const AuditedSnapshot& audit) { return audit.report.input_problems(); });
}

void sort_audits(OrganizationReport& organization) {
  std::sort(organization.audits.begin(), organization.audits.end(),
            [](const AuditedSnapshot& a, const AuditedSnapshot& b) {
              return std::tie(a.report.account_id, a.report.region, a.directory) <
                     std::tie(b.report.account_id, b.report.region, b.directory);
            });
  std::sort(organization.failures.begin(), organization.failures.end(),
            [](const AccountFailure& a, const AccountFailure& b) {
              return std::tie(a.account_id, a.region, a.reason) < std::tie(b.account_id, b.region, b.reason);
            });
}

std::string failure_scope(const AccountFailure& failure) {
  return failure.account_id + (failure.region.empty() ? " (all regions)" : "/" + failure.region);
}

namespace {

// {"findings": [every audit's, each with accountId, region and snapshot], "fleetaudit": {"snapshots":
// [each audit's metadata], "accountFailures": [...]}, "auditDetails": {"ACCOUNT/REGION": {...}}}.
void write_json(const OrganizationReport& organization, const std::vector<ReportContext>& contexts, std::FILE* out) {
  JsonWriter json(out);
  json.begin_object();
  json.key("findings").begin_array();
  bool any = false;
  for (const ReportContext& context : contexts) {
    write_aws_finding_elements(json, context, any);
    any |= std::any_of(context.report.runs.begin(), context.report.runs.end(),
                       [](const CheckRun& run) { return !run.findings.empty(); });
  }
  json.end_array();
  json.key("fleetaudit").begin_object();
  json.key("fleetauditVersion").value(FLEETAUDIT_VERSION);
  json.key("snapshots").begin_array();
  for (const ReportContext& context : contexts) {
    json.begin_object();
    json.key("identity").value(context.snapshot_identity);
    json.key("audit");
    write_audit_metadata(json, context.report, context.snapshot_directory);
    if (context.drift != nullptr) write_json_drift(json, *context.drift);
    json.end_object();
  }
  json.end_array();
  json.key("accountFailures").begin_array();
  for (const AccountFailure& failure : organization.failures) {
    json.begin_object();
    json.key("accountId").value(failure.account_id);
    if (!failure.region.empty()) json.key("region").value(failure.region);
    json.key("status").value(to_string(CheckStatus::not_run));
    json.key("reason").value(failure.reason);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.key("auditDetails").begin_object();
  for (const ReportContext& context : contexts) {
    json.key(context.snapshot_identity);
    write_audit_details(json, context.report);
  }
  // An account that could not be exported: every check not run there, never absent.
  for (const AccountFailure& failure : organization.failures) {
    json.key(failure_scope(failure)).begin_object();
    for (const CheckInfo& check : CheckRegistry::instance().checks()) {
      json.key(check.name).begin_object();
      json.key("checkRunStatus").value("FAILED");
      json.key("checkCompliant").value(false);
      json.key("errorCode").value(std::string(kInputInsufficient));
      json.key("message").value(bounded_error_message(failure.reason));
      json.end_object();
    }
    json.end_object();
  }
  json.end_object();
  json.end_object();
  json.flush();
}

void write_sarif(const OrganizationReport& organization, const std::vector<ReportContext>& contexts, std::FILE* out) {
  std::vector<std::string> problems;
  for (const AccountFailure& failure : organization.failures)
    problems.push_back(fmt::format("{}: not run; {}", failure_scope(failure), failure.reason));
  write_sarif_of_audits(contexts, problems, out);
}

// One character per check and audit: the overview's cells.
char verdict_mark(CheckStatus status) {
  switch (status) {
    case CheckStatus::compliant: return '.';
    case CheckStatus::non_compliant: return 'X';
    case CheckStatus::incomplete: return '!';
    case CheckStatus::not_run: return '-';
    case CheckStatus::disabled: return ' ';
  }
  return '?';
}

// Accounts × checks before any finding: a row per audit, a column per check (numbered below it).
std::string overview_text(const OrganizationReport& organization, const std::vector<ReportContext>& contexts) {
  const std::vector<CheckInfo>& checks = CheckRegistry::instance().checks();
  std::string text =
      fmt::format("Overview: {} snapshot{} audited, {} account{} or region{} not exported\n", contexts.size(),
                  contexts.size() == 1 ? "" : "s", organization.failures.size(),
                  organization.failures.size() == 1 ? "" : "s", organization.failures.size() == 1 ? "" : "s");
  text +=
      "  (one column per check, numbered below: . compliant, X non-compliant, ! incomplete, - not run,\n"
      "  blank disabled; open and suppressed findings)\n";
  std::string numbers;
  for (size_t i = 0; i < checks.size(); ++i) numbers += static_cast<char>('0' + (i + 1) % 10);
  text += fmt::format("  {:<28}{}  {:>6} {:>5}\n", "ACCOUNT/REGION", numbers, "open", "supp");
  for (const ReportContext& context : contexts) {
    std::string marks;
    size_t suppressed = 0;
    for (const CheckRun& run : context.report.runs) {
      marks += verdict_mark(run.status);
      suppressed += run.suppressed_findings;
    }
    const std::string identity = escape_control(context.snapshot_identity);
    if (identity.size() > 27) text += fmt::format("  {}\n  {:<28}", identity, "");
    else text += fmt::format("  {:<28}", identity);
    text += fmt::format("{}  {:>6} {:>5}\n", marks, context.report.unsuppressed_findings(), suppressed);
  }
  for (const AccountFailure& failure : organization.failures)
    text += wrap_for_terminal(fmt::format("{}: not run, {}", failure_scope(failure), failure.reason), "      ", "  ");
  text += "  Checks:\n";
  for (size_t i = 0; i < checks.size(); ++i) text += fmt::format("  {:>4} {}\n", i + 1, checks[i].name);
  return text;
}

void write_text(const OrganizationReport& organization, const std::vector<ReportContext>& contexts, std::FILE* out) {
  std::string text = fmt::format("fleetaudit {} audit of {} snapshot{}\n\n", FLEETAUDIT_VERSION, contexts.size(),
                                 contexts.size() == 1 ? "" : "s");
  text += overview_text(organization, contexts);
  std::fwrite(text.data(), 1, text.size(), out);
  for (const ReportContext& context : contexts) {
    const std::string heading = fmt::format("\n=== {} ===\n", escape_control(context.snapshot_identity));
    std::fwrite(heading.data(), 1, heading.size(), out);
    fleetaudit::write_text(context, out);
  }
}

void write_asff(const OrganizationReport&, const std::vector<ReportContext>& contexts, std::FILE* out) {
  JsonWriter json(out);
  json.begin_object();
  json.key("Findings").begin_array();
  for (size_t i = 0; i < contexts.size(); ++i) write_asff_elements(json, contexts[i], i > 0);
  json.end_array();
  json.end_object();
  json.flush();
}

// OCSF is JSON Lines: each audit's events, one after the other, each with its own account and region.
void write_ocsf(const OrganizationReport&, const std::vector<ReportContext>& contexts, std::FILE* out) {
  for (const ReportContext& context : contexts) fleetaudit::write_ocsf(context, out);
}

// Device Defender publishes one message per account and region: a JSON array of them.
void write_notification(const OrganizationReport&, const std::vector<ReportContext>& contexts, std::FILE* out) {
  std::fputs("[\n", out);
  for (size_t i = 0; i < contexts.size(); ++i) {
    if (i > 0) std::fputs(",\n", out);
    write_audit_notification(contexts[i], out);
  }
  std::fputs("]\n", out);
}

constexpr OrganizationFormat kFormats[] = {
    {"sarif", write_sarif},
    {"json", write_json},
    {"text", write_text},
    {"html", html::write_organization_page},
    {"asff", write_asff},
    {"ocsf", write_ocsf},
    {"notification", write_notification},
};

}  // namespace

std::span<const OrganizationFormat> organization_formats() { return kFormats; }

const OrganizationFormat* organization_format_named(std::string_view name) {
  for (const OrganizationFormat& format : kFormats)
    if (format.name == name) return &format;
  return nullptr;
}

std::string organization_format_names() {
  std::string names;
  for (const OrganizationFormat& format : kFormats) names += (names.empty() ? "" : ", ") + std::string(format.name);
  return names;
}

}  // namespace fleetaudit
