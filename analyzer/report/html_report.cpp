// The report for people: one self-contained HTML file. Everything is rendered here, on the
// server side of the file, so the page shows its content (pictures included: inline SVG) without
// script; a small inline script only filters rows and adds copy buttons. A Content-Security-Policy
// that names the one style and the one script by their hashes lets nothing else run or load: the
// file never touches the network, and a name from the snapshot can only ever be text.
//
// Read in triage order: the verdicts in one sentence, the checks that fail first (most severe
// first), pictures of the fleet, then the findings grouped by severity and check. Every list is
// bounded (analyzer/report/html/finding_rows.h), so the page stays a few megabytes at any size.
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/html/charts.h"
#include "analyzer/report/html/finding_rows.h"
#include "analyzer/report/html/html_text.h"
#include "analyzer/report/html/triage.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

namespace {

using html::escape;
using html::thousands;

constexpr std::string_view kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header,main{padding:0 24px}header{background:#17324d;color:#fff;padding:16px 24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px;margin:22px 0 6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{font-weight:600}
.verdicts{font-size:17px;font-weight:600;margin:16px 0 4px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #c8ccd1;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}.sev-CRITICAL{color:#8b0000;font-weight:700}.sev-HIGH{color:#a33a00;font-weight:700}
.sev-MEDIUM{color:#6b4e00}.sev-LOW{color:#2f4f2f}.state{font-weight:600;white-space:nowrap}
.badge{display:inline-block;border:1px solid #555;border-radius:3px;padding:0 4px;font-size:12px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:12px 0}
code{font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere}code.id{white-space:nowrap}
table.findings{table-layout:fixed}table.findings td{overflow-wrap:anywhere}
.c-state{width:7em}.c-resource{width:22%}.c-reason{width:14%}.c-message{width:30%}.things{display:block;font-size:13px}
ul.details{margin:0;padding-left:1.1em}ul.details ul{padding-left:1.1em}.key{font-weight:600;font-size:12px}
.copy{font-size:11px;margin-left:4px;padding:0 4px}
#checks td:last-child{min-width:12em}.charts{display:flex;flex-wrap:wrap;gap:0 40px;align-items:flex-end}
.charts>h2{flex-basis:100%}figure.chart{margin:8px 0 18px}svg.chart{max-width:100%;height:auto}figcaption{font-size:13px;color:#333}
a:focus,input:focus,select:focus,summary:focus,button:focus{outline:3px solid #1f6feb}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;color:#000;padding:4px}
.more{font-style:italic}[hidden]{display:none}
@media print{
body{font-size:10.5px}header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 8px}
header,main{padding-left:0;padding-right:0}.filters,.copy,.skip{display:none}
a{color:inherit;text-decoration:none}tr,figure,li{break-inside:avoid}h2,h3{break-after:avoid}
thead{display:table-header-group}th{background:none}code{font-size:10px}
.verdicts{font-size:13px}h1{font-size:18px}#checks td:last-child{min-width:0}table{width:99.5%}
.things{font-size:10px}.key{font-size:9px}.c-state{width:5em}
})";

constexpr std::string_view kScript = R"(
(function(){
  var text=document.getElementById('filter-text'),severity=document.getElementById('filter-severity'),
      state=document.getElementById('filter-state'),shown=document.getElementById('shown-count');
  var rows=Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  // What a row matches: its text and the whole ids its tooltips hold.
  var haystacks=rows.map(function(row){
    var titles=Array.prototype.map.call(row.querySelectorAll('[title]'),function(e){return e.title;});
    return (row.textContent+' '+titles.join(' ')).toLowerCase();
  });
  function apply(){
    var needle=text.value.toLowerCase(),count=0;
    rows.forEach(function(row,i){
      var keep=(!needle||haystacks[i].indexOf(needle)>=0)&&
               (!severity.value||row.dataset.severity===severity.value)&&
               (!state.value||row.dataset.state===state.value);
      row.hidden=!keep;if(keep)count++;
    });
    shown.textContent=String(count);
  }
  [text,severity,state].forEach(function(input){input.addEventListener('input',apply);});
  document.querySelectorAll('code.id[title]').forEach(function(code){
    var button=document.createElement('button');
    button.type='button';button.className='copy';button.textContent='Copy';
    button.setAttribute('aria-label','Copy '+code.title);
    button.addEventListener('click',function(){
      navigator.clipboard.writeText(code.title).then(function(){button.textContent='Copied';},
                                                     function(){button.textContent='Copy failed';});
    });
    code.after(button);
  });
  apply();
})();)";

// CSP source expression of an inline element's exact text: 'sha256-BASE64'.
std::string csp_hash(std::string_view content) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest.data());
  std::array<unsigned char, 4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1> encoded{};
  EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest.size()));
  return "'sha256-" + std::string(reinterpret_cast<const char*>(encoded.data())) + "'";
}

void write_header(std::string& page, const ReportContext& context) {
  const AuditReport& report = context.report;
  page += "<a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n";
  page += "<header><h1>fleetaudit audit</h1><dl>";
  page += fmt::format("<dt>Account</dt><dd>{}</dd><dt>Region</dt><dd>{}</dd>", escape(report.account_id),
                      escape(report.region));
  page += fmt::format("<dt>Audit clock</dt><dd>{} ({})</dd>", format_iso8601(report.clock), escape(report.clock_source));
  page += fmt::format("<dt>Snapshot</dt><dd><code>{}</code></dd>", escape(context.snapshot_directory));
  page += fmt::format("<dt>fleetaudit</dt><dd>{}</dd>", FLEETAUDIT_VERSION);
  if (context.drift != nullptr)
    page += fmt::format("<dt>Baseline</dt><dd><code>{}</code> ({}, audit of {})</dd>", escape(context.drift->baseline_path),
                        context.drift->baseline_format, format_iso8601(context.drift->baseline_clock));
  page += "</dl></header>\n";
}

void write_summary(std::string& page, const AuditReport& report) {
  size_t suppressed = 0;
  for (const CheckRun& run : report.runs) suppressed += run.suppressed_findings;
  page += fmt::format("<p id=\"verdicts\" class=\"verdicts\">{}</p>\n", escape(html::verdict_sentence(report)));
  page += fmt::format("<p id=\"summary\">{} open findings in {} checks; {} suppressed.</p>\n",
                      thousands(report.unsuppressed_findings()), report.runs.size(), thousands(suppressed));
}

constexpr std::string_view kCheckColumns =
    "<thead><tr><th scope=\"col\">Verdict</th><th scope=\"col\">Severity</th><th scope=\"col\">Check</th>"
    "<th scope=\"col\">Resources evaluated</th><th scope=\"col\">Non-compliant</th><th scope=\"col\">Suppressed</th>"
    "<th scope=\"col\">Why</th></tr></thead><tbody>\n";

void write_check_row(std::string& page, const CheckRun& run) {
  const std::string breakable = html::breakable_name(run.check->name);
  const std::string name =
      run.findings.empty() ? breakable : fmt::format("<a href=\"#check-{}\">{}</a>", run.check->name, breakable);
  page += fmt::format(
      "<tr data-check=\"{}\" data-verdict=\"{}\"><td class=\"state\">{}</td><td class=\"sev-{}\">{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      run.check->name, to_string(run.status), to_string(run.status), to_string(run.check->severity),
      to_string(run.check->severity), name, thousands(run.resources_evaluated), thousands(run.non_compliant_resources()),
      thousands(run.suppressed_findings), escape(run.not_run_reason));
}

// The checks that failed or could not run in a table; the compliant and disabled ones after
// them, folded (the verdict sentence counts them; a print opens nothing, so it lists only those).
void write_check_summary(std::string& page, const AuditReport& report) {
  page += "<h2 id=\"checks-heading\">Checks, failing first</h2>\n<table id=\"checks\" aria-labelledby=\"checks-heading\">";
  page += kCheckColumns;
  const std::vector<size_t> order = html::runs_in_verdict_order(report);
  size_t at = 0;
  for (; at < order.size() && html::verdict_rank(report.runs[order[at]].status) <= 2; ++at)
    write_check_row(page, report.runs[order[at]]);
  page += "</tbody></table>\n";
  if (at == order.size()) return;
  size_t compliant = 0;
  for (size_t i = at; i < order.size(); ++i) compliant += report.runs[order[i]].status == CheckStatus::compliant ? 1 : 0;
  page += fmt::format("<details id=\"passing-checks\"><summary>{} compliant and {} disabled check{}</summary>"
                      "<table aria-label=\"Compliant and disabled checks\">",
                      compliant, order.size() - at - compliant, order.size() - at == 1 ? "" : "s");
  page += kCheckColumns;
  for (; at < order.size(); ++at) write_check_row(page, report.runs[order[at]]);
  page += "</tbody></table></details>\n";
}

void write_filters(std::string& page, bool with_drift) {
  page += "<div class=\"filters\" role=\"search\">"
          "<label>Text <input id=\"filter-text\" type=\"search\"></label>"
          "<label>Severity <select id=\"filter-severity\"><option value=\"\">any</option><option>CRITICAL</option>"
          "<option>HIGH</option><option>MEDIUM</option><option>LOW</option></select></label>"
          "<label>State <select id=\"filter-state\"><option value=\"\">any</option><option>open</option>"
          "<option>suppressed</option>";
  if (with_drift) page += "<option>new</option><option>updated</option><option>unchanged</option>";
  page += "</select></label><span aria-live=\"polite\"><span id=\"shown-count\">0</span> findings shown</span></div>\n";
}

void write_fixed(std::string& page, const Drift& drift, const Snapshot* snapshot) {
  page += fmt::format("<section id=\"drift-section\"><h2 id=\"drift\">Since the audit of {}</h2>\n<p>{} new, {} updated, "
                      "{} unchanged, {} fixed.</p>\n",
                      format_iso8601(drift.baseline_clock), drift.new_findings, drift.updated, drift.unchanged,
                      drift.fixed.size());
  html::write_drift_chart(page, drift);
  if (!drift.fixed.empty()) {
    page += "<table id=\"fixed\"><thead><tr><th scope=\"col\">Fixed since</th><th scope=\"col\">Check</th>"
            "<th scope=\"col\">Resource</th><th scope=\"col\">Reason then</th></tr></thead><tbody>\n";
    const size_t shown = std::min(drift.fixed.size(), html::kFixedShown);
    for (size_t i = 0; i < shown; ++i) {
      const BaselineFinding& fixed = drift.fixed[i];
      page += fmt::format("<tr class=\"fixed\"><td><span class=\"badge\">fixed</span></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                          escape(fixed.check_name), html::resource_cell(fixed.resource, snapshot),
                          html::capped_text(fixed.message, html::kTextShown));
    }
    page += "</tbody></table>\n";
    if (shown < drift.fixed.size())
      page += fmt::format("<p class=\"more\">… and {} more fixed findings, not shown here: the SARIF report "
                          "(<code>--format sarif --baseline …</code>) lists every one as an absent result.</p>\n",
                          thousands(drift.fixed.size() - shown));
  }
  for (const std::string& note : drift.coverage_notes) page += fmt::format("<p>Note: {}</p>\n", escape(note));
  page += "</section>\n";
}

}  // namespace

void write_html(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  page += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; "
                      "script-src {}; base-uri 'none'; form-action 'none'\">\n",
                      csp_hash(kStyle), csp_hash(kScript));
  page += "<meta name=\"viewport\" content=\"width=device-width\">\n";
  page += fmt::format("<title>fleetaudit audit of {}</title>\n", escape(report.account_id));
  page += "<style>" + std::string(kStyle) + "</style></head><body>\n";
  write_header(page, context);
  page += "<main>\n";
  write_summary(page, report);
  write_check_summary(page, report);
  const std::vector<size_t> severity_order = html::runs_in_severity_order(report);
  html::write_findings_charts(page, report, severity_order);
  if (context.snapshot != nullptr) html::write_certificate_charts(page, *context.snapshot, report);
  if (context.drift != nullptr) write_fixed(page, *context.drift, context.snapshot);
  page += "<h2 id=\"findings\">Findings, most severe first</h2>\n";
  write_filters(page, context.drift != nullptr);
  html::write_findings(page, context, severity_order);
  page += "</main>\n<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  std::fwrite(page.data(), 1, page.size(), out);
}

}  // namespace fleetaudit
