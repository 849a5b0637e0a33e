#include "analyzer/report/html/organization_page.h"

#include <fmt/format.h>

#include <string>

#include "analyzer/report/html/html_text.h"
#include "analyzer/util/time.h"

namespace fleetaudit::html {

namespace {

// One cell of the overview: the verdict, and for a check that ran, its non-compliant resources.
std::string overview_cell(const CheckRun& run) {
  const bool ran = run.status == CheckStatus::compliant || run.status == CheckStatus::non_compliant ||
                   run.status == CheckStatus::incomplete;
  const std::string counts =
      ran ? fmt::format(" {} of {}", thousands(run.non_compliant_resources()), thousands(run.resources_evaluated)) : "";
  return fmt::format("<td class=\"{}\" title=\"{}\">{}{}</td>", to_string(run.status),
                     escape(std::string(run.check->name) + ": " + to_string(run.status) +
                            (run.not_run_reason.empty() ? "" : " (" + run.not_run_reason + ")")),
                     to_string(run.status), counts);
}

void write_overview(std::string& page, const OrganizationReport& organization,
                    const std::vector<ReportContext>& contexts) {
  page +=
      "<h2 id=\"overview\">Accounts and checks</h2>\n<table id=\"organization-overview\"><thead><tr>"
      "<th scope=\"col\">Account/region</th><th scope=\"col\">Open findings</th>";
  for (const CheckInfo& check : CheckRegistry::instance().checks())
    page += fmt::format("<th scope=\"col\">{}</th>", breakable_name(check.name));
  page += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < contexts.size(); ++i) {
    const AuditReport& report = contexts[i].report;
    page += fmt::format("<tr><th scope=\"row\"><a href=\"#audit-{}\">{}</a></th><td>{}</td>", i,
                        escape(contexts[i].snapshot_identity), thousands(report.unsuppressed_findings()));
    for (const CheckRun& run : report.runs) page += overview_cell(run);
    page += "</tr>\n";
  }
  for (const AccountFailure& failure : organization.failures)
    page += fmt::format("<tr class=\"not-run\"><th scope=\"row\">{}</th><td colspan=\"{}\">not run: {}</td></tr>\n",
                        escape(failure_scope(failure)), CheckRegistry::instance().checks().size() + 1,
                        escape(failure.reason));
  page += "</tbody></table>\n";
}

void write_audit(std::string& page, const ReportContext& context, size_t index) {
  const AuditReport& report = context.report;
  page += fmt::format("<section id=\"audit-{}\"><h2>{}</h2>\n<p>Snapshot <code>{}</code>, audit clock {} ({}).</p>\n",
                      index, escape(context.snapshot_identity), escape(context.snapshot_directory),
                      format_iso8601(report.clock), escape(report.clock_source));
  page +=
      "<table><thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Severity</th><th scope=\"col\">Resource</th>"
      "<th scope=\"col\">Finding</th></tr></thead><tbody>\n";
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings)
      page += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>\n", breakable_name(run.check->name),
                          to_string(run.check->severity), escape(finding.resource.key()), escape(finding.message),
                          finding.suppressed ? " (suppressed)" : "");
  page += "</tbody></table>\n";
  if (!report.diagnostics.items().empty()) {
    page += "<ul class=\"input-problems\">\n";
    for (const Diagnostic& diagnostic : report.diagnostics.items())
      page += fmt::format("<li>{}</li>\n", escape(diagnostic.render()));
    page += "</ul>\n";
  }
  page += "</section>\n";
}

}  // namespace

void write_organization_page(const OrganizationReport& organization, const std::vector<ReportContext>& contexts,
                             std::FILE* out) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'; "
      "form-action 'none'\">\n<meta name=\"viewport\" content=\"width=device-width\">\n";
  page += fmt::format("<title>fleetaudit audit of {} snapshots</title></head><body>\n", contexts.size());
  page += fmt::format(
      "<header><h1>fleetaudit audit of {} snapshot{}</h1><p>fleetaudit {}; {} account{} or region{} "
      "could not be exported.</p></header>\n<main>\n",
      contexts.size(), contexts.size() == 1 ? "" : "s", FLEETAUDIT_VERSION, organization.failures.size(),
      organization.failures.size() == 1 ? "" : "s", organization.failures.size() == 1 ? "" : "s");
  write_overview(page, organization, contexts);
  for (size_t i = 0; i < contexts.size(); ++i) write_audit(page, contexts[i], i);
  page += "</main>\n</body></html>\n";
  std::fwrite(page.data(), 1, page.size(), out);
}

}  // namespace fleetaudit::html
