// The report for people: one self-contained HTML file. Everything is rendered here, on the
// server side of the file, so the page shows its content without script; a small inline script
// only filters rows. A Content-Security-Policy that names the one style and the one script by
// their hashes lets nothing else run or load: the file never touches the network, and a name
// from the snapshot can only ever be text.
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <string>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/terminal_text.h"
#include "analyzer/util/time.h"

namespace fleetaudit {

namespace {

// Findings rendered per check; the rest are counted, and the JSON report has them all. Keeps an
// 850,000-finding audit a file a browser opens in a second.
constexpr size_t kFindingsShownPerCheck = 500;

constexpr std::string_view kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header,main{padding:0 24px}header{background:#17324d;color:#fff;padding:16px 24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #c8ccd1;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}.sev-CRITICAL{color:#8b0000;font-weight:700}.sev-HIGH{color:#a33a00;font-weight:700}
.sev-MEDIUM{color:#6b4e00}.sev-LOW{color:#2f4f2f}.state{font-weight:600}
.badge{display:inline-block;border:1px solid #555;border-radius:3px;padding:0 4px;font-size:12px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:12px 0}
code{font-family:ui-monospace,monospace;font-size:13px;word-break:break-all}
a:focus,input:focus,select:focus,summary:focus{outline:3px solid #1f6feb}
.more{font-style:italic}[hidden]{display:none})";

constexpr std::string_view kScript = R"(
(function(){
  var text=document.getElementById('filter-text'),severity=document.getElementById('filter-severity'),
      state=document.getElementById('filter-state'),shown=document.getElementById('shown-count');
  function apply(){
    var needle=text.value.toLowerCase(),count=0;
    document.querySelectorAll('tr.finding').forEach(function(row){
      var keep=(!needle||row.textContent.toLowerCase().indexOf(needle)>=0)&&
               (!severity.value||row.dataset.severity===severity.value)&&
               (!state.value||row.dataset.state===state.value);
      row.hidden=!keep;if(keep)count++;
    });
    shown.textContent=String(count);
  }
  [text,severity,state].forEach(function(input){input.addEventListener('input',apply);});
  apply();
})();)";

// Text from the snapshot as HTML text: markup characters as entities, control characters as
// visible escapes (as in the text report).
std::string html(std::string_view raw) {
  const std::string text = escape_control(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

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
  page += "<header><h1>fleetaudit audit</h1><dl>";
  page += fmt::format("<dt>Account</dt><dd>{}</dd><dt>Region</dt><dd>{}</dd>", html(report.account_id),
                      html(report.region));
  page += fmt::format("<dt>Audit clock</dt><dd>{} ({})</dd>", format_iso8601(report.clock), html(report.clock_source));
  page += fmt::format("<dt>Snapshot</dt><dd><code>{}</code></dd>", html(context.snapshot_directory));
  page += fmt::format("<dt>fleetaudit</dt><dd>{}</dd>", FLEETAUDIT_VERSION);
  if (context.drift != nullptr)
    page += fmt::format("<dt>Baseline</dt><dd><code>{}</code> ({}, audit of {})</dd>", html(context.drift->baseline_path),
                        context.drift->baseline_format, format_iso8601(context.drift->baseline_clock));
  page += "</dl></header>\n";
}

// One bar per severity: the open findings of that severity.
void write_severity_chart(std::string& page, const AuditReport& report) {
  const std::array<Severity, 4> severities = {Severity::critical, Severity::high, Severity::medium, Severity::low};
  std::array<size_t, 4> open{};
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings)
      if (!finding.suppressed)
        for (size_t i = 0; i < severities.size(); ++i) open[i] += run.check->severity == severities[i] ? 1 : 0;
  const size_t most = std::max<size_t>(1, *std::max_element(open.begin(), open.end()));
  page += "<h2 id=\"chart\">Open findings by severity</h2>\n";
  page += "<svg role=\"img\" aria-labelledby=\"chart\" width=\"520\" height=\"136\" viewBox=\"0 0 520 136\">";
  const std::array<const char*, 4> colours = {"#8b0000", "#a33a00", "#6b4e00", "#2f4f2f"};
  for (size_t i = 0; i < severities.size(); ++i) {
    const size_t width = open[i] * 360 / most;
    const size_t y = 6 + i * 32;
    page += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>", y + 16, to_string(severities[i]));
    page += fmt::format("<rect x=\"90\" y=\"{}\" width=\"{}\" height=\"22\" fill=\"{}\"/>", y, std::max<size_t>(width, 1),
                        colours[i]);
    page += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" class=\"bar-count\">{}</text>", 96 + width, y + 16, open[i]);
  }
  page += "</svg>\n";
}

void write_check_summary(std::string& page, const AuditReport& report) {
  page += "<h2>Checks</h2>\n<table id=\"checks\"><thead><tr><th scope=\"col\">Verdict</th><th scope=\"col\">Severity</th>"
          "<th scope=\"col\">Check</th><th scope=\"col\">Resources evaluated</th><th scope=\"col\">Non-compliant</th>"
          "<th scope=\"col\">Suppressed</th><th scope=\"col\">Why</th></tr></thead><tbody>\n";
  for (const CheckRun& run : report.runs) {
    page += fmt::format(
        "<tr data-check=\"{}\" data-verdict=\"{}\"><td class=\"state\">{}</td><td class=\"sev-{}\">{}</td>"
        "<td><a href=\"#check-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        run.check->name, to_string(run.status), to_string(run.status), to_string(run.check->severity),
        to_string(run.check->severity), run.check->name, run.check->name, run.resources_evaluated,
        run.non_compliant_resources(), run.suppressed_findings, html(run.not_run_reason));
  }
  page += "</tbody></table>\n";
}

void write_filters(std::string& page, bool with_drift) {
  page += "<div class=\"filters\" role=\"search\">"
          "<label>Text <input id=\"filter-text\" type=\"search\"></label>"
          "<label>Severity <select id=\"filter-severity\"><option value=\"\">any</option><option>CRITICAL</option>"
          "<option>HIGH</option><option>MEDIUM</option><option>LOW</option></select></label>"
          "<label>State <select id=\"filter-state\"><option value=\"\">any</option><option>open</option>"
          "<option>suppressed</option>";
  if (with_drift) page += "<option>new</option><option>updated</option><option>unchanged</option>";
  page += "</select></label><span><span id=\"shown-count\">0</span> findings shown</span></div>\n";
}

std::string related_text(const Finding& finding) {
  std::string text;
  for (const RelatedResource& related : finding.related)
    text += (text.empty() ? "" : "; ") + std::string(to_string(related.type)) + " " + related.identifier.key();
  for (const auto& [key, value] : finding.additional_info) text += (text.empty() ? "" : "; ") + key + ": " + value;
  return text;
}

void write_findings(std::string& page, const ReportContext& context) {
  const AuditReport& report = context.report;
  page += "<h2>Findings</h2>\n";
  write_filters(page, context.drift != nullptr);
  for (size_t r = 0; r < report.runs.size(); ++r) {
    const CheckRun& run = report.runs[r];
    if (run.findings.empty()) continue;
    const char* severity = to_string(run.check->severity);
    page += fmt::format("<section id=\"check-{}\"><h3>{} <span class=\"sev-{}\">{}</span> — {} finding{}</h3>\n",
                        run.check->name, run.check->name, severity, severity, run.findings.size(),
                        run.findings.size() == 1 ? "" : "s");
    page += fmt::format("<p>{}</p>\n", html(run.check->short_description));
    page += "<table><thead><tr><th scope=\"col\">State</th><th scope=\"col\">Resource</th><th scope=\"col\">Reason</th>"
            "<th scope=\"col\">What it allows / why</th><th scope=\"col\">Related</th></tr></thead><tbody>\n";
    const size_t shown = std::min(run.findings.size(), kFindingsShownPerCheck);
    for (size_t f = 0; f < shown; ++f) {
      const Finding& finding = run.findings[f];
      std::string state = finding.suppressed ? "suppressed" : "open";
      if (context.drift != nullptr && !finding.suppressed) state = to_string(context.drift->of(r, f).state);
      page += fmt::format(
          "<tr class=\"finding\" data-severity=\"{}\" data-state=\"{}\"><td><span class=\"badge\">{}</span></td>"
          "<td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          severity, state, state, html(finding.resource.key()), html(finding.reason_code), html(finding.message),
          html(related_text(finding)));
    }
    page += "</tbody></table>\n";
    if (shown < run.findings.size())
      page += fmt::format("<p class=\"more\">… and {} more findings of this check, not shown here: the JSON report "
                          "(<code>--format json</code>) has every one.</p>\n",
                          run.findings.size() - shown);
    page += fmt::format("<p>How to fix: <a href=\"{}\" rel=\"noreferrer\">{}</a></p></section>\n",
                        html(run.check->help_uri), html(run.check->help_uri));
  }
}

void write_fixed(std::string& page, const Drift& drift) {
  page += fmt::format("<h2 id=\"drift\">Since the audit of {}</h2>\n<p>{} new, {} updated, {} unchanged, {} fixed.</p>\n",
                      format_iso8601(drift.baseline_clock), drift.new_findings, drift.updated, drift.unchanged,
                      drift.fixed.size());
  if (!drift.fixed.empty()) {
    page += "<table id=\"fixed\"><thead><tr><th scope=\"col\">Fixed since</th><th scope=\"col\">Check</th>"
            "<th scope=\"col\">Resource</th><th scope=\"col\">Reason then</th></tr></thead><tbody>\n";
    for (const BaselineFinding& fixed : drift.fixed)
      page += fmt::format("<tr><td><span class=\"badge\">fixed</span></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                          html(fixed.check_name), html(fixed.resource.key()), html(fixed.message));
    page += "</tbody></table>\n";
  }
  for (const std::string& note : drift.coverage_notes) page += fmt::format("<p>Note: {}</p>\n", html(note));
}

}  // namespace

void write_html(const ReportContext& context, std::FILE* out) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  page += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; "
                      "script-src {}; base-uri 'none'; form-action 'none'\">\n",
                      csp_hash(kStyle), csp_hash(kScript));
  page += "<meta name=\"viewport\" content=\"width=device-width\">\n";
  page += fmt::format("<title>fleetaudit audit of {}</title>\n", html(context.report.account_id));
  page += "<style>" + std::string(kStyle) + "</style></head><body>\n";
  write_header(page, context);
  page += "<main>\n";
  const AuditReport& report = context.report;
  page += fmt::format("<p id=\"summary\">{} open findings in {} checks; {} suppressed.</p>\n",
                      report.unsuppressed_findings(), report.runs.size(),
                      [&] {
                        size_t suppressed = 0;
                        for (const CheckRun& run : report.runs) suppressed += run.suppressed_findings;
                        return suppressed;
                      }());
  write_severity_chart(page, report);
  if (context.drift != nullptr) write_fixed(page, *context.drift);
  write_check_summary(page, report);
  write_findings(page, context);
  page += "</main>\n<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  std::fwrite(page.data(), 1, page.size(), out);
}

}  // namespace fleetaudit
