#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/report/drift_report.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/ordered_chunks.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

constexpr size_t kWidth = 80;

// Word-wraps `text` to kWidth columns; the first line starts with `first`, the others with
// `indent` (same width). Control characters in it are escaped: a name cannot forge a line.
std::string wrap(std::string_view raw, std::string_view indent, std::string_view first = {}) {
  const std::string escaped = escape_control(raw);
  const std::string_view text = escaped;
  std::string out, line(first.empty() ? indent : first);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line.assign(indent);
    }
    if (line.size() > indent.size()) line += ' ';
    // A word wider than the page (an ARN, say) is cut at the margin.
    while (line.size() + word.size() > kWidth && line.size() < kWidth) {
      size_t room = kWidth - line.size();
      out += line + std::string(word.substr(0, room)) + "\n";
      word.remove_prefix(room);
      line.assign(indent);
    }
    line += word;
    pos = end + 1;
  }
  if (line.size() > indent.size()) out += line + "\n";
  return out;
}

std::string status_label(const CheckRun& run) {
  switch (run.status) {
    case CheckStatus::compliant: return "compliant";
    case CheckStatus::non_compliant: return "NON-COMPLIANT";
    case CheckStatus::incomplete: return "INCOMPLETE";
    case CheckStatus::not_run: return "not run";
    case CheckStatus::disabled: return "disabled";
  }
  return "";
}

// One finding: its resource, then its message, wrapped and escaped.
void append_finding(std::string& text, const Finding& finding) {
  const std::string_view member = finding.resource.member_name();
  text += wrap(std::string(member) + " " + finding.resource.key().substr(member.size() + 1), "    ", "  - ");
  text += wrap(finding.message, "    ");
  if (finding.suppressed)
    text += wrap("Suppressed" + (finding.suppression_description.empty() ? std::string(".")
                                                                         : ": " + finding.suppression_description),
                 "    ");
}

}  // namespace

std::string wrap_for_terminal(std::string_view text, std::string_view indent, std::string_view first) {
  return wrap(text, indent, first);
}

void write_text(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  std::string text;
  text += fmt::format("fleetaudit {} audit of {}\n", FLEETAUDIT_VERSION, escape_control(context.snapshot_directory));
  if (!report.account_id.empty())
    text += fmt::format("Account {}{}\n", escape_control(report.account_id),
                        report.region.empty() ? "" : ", " + escape_control(report.region));
  text += fmt::format("Audit clock {} ({})\n", format_iso8601(report.clock), report.clock_source);
  text += fmt::format("Debian weak-key blocklist: {} entries ({})\n  from {}\n\n", report.weak_key_blocklist_entries,
                      report.weak_key_blocklist_summary, escape_control(report.weak_key_blocklist_directory));
  if (context.drift != nullptr) text += drift_text(report, *context.drift);  // what changed comes first

  size_t open = 0, suppressed = 0, not_run = 0, incomplete = 0;
  text += "Checks\n";
  for (const CheckRun& run : report.runs) {
    std::string detail;
    if (run.status == CheckStatus::non_compliant || run.status == CheckStatus::compliant ||
        run.status == CheckStatus::incomplete)
      detail = fmt::format("{} of {} non-compliant{}", run.non_compliant_resources(), run.resources_evaluated,
                           run.suppressed_findings > 0 ? fmt::format(" ({} suppressed)", run.suppressed_findings) : "");
    // A name too long for the 80-column line goes on a line of its own, indented like the details.
    if (25 + run.check->name.size() <= 80)
      text += fmt::format("  {:<13} {:<8} {}\n", status_label(run), to_string(run.check->severity), run.check->name);
    else
      text += fmt::format("  {:<13} {:<8}\n{:4}{}\n", status_label(run), to_string(run.check->severity), "",
                          run.check->name);
    if (!detail.empty()) text += fmt::format("{:25}{}\n", "", detail);
    if (!run.not_run_reason.empty()) text += wrap(run.not_run_reason, std::string(25, ' '));
    open += run.findings.size() - run.suppressed_findings;
    suppressed += run.suppressed_findings;
    not_run += run.status == CheckStatus::not_run ? 1 : 0;
    incomplete += run.status == CheckStatus::incomplete ? 1 : 0;
  }

  for (const CheckRun& run : report.runs) {
    if (run.findings.empty()) continue;
    text += fmt::format("\n{} ({}, {} finding{})\n", run.check->name, to_string(run.check->severity),
                        run.findings.size(), run.findings.size() == 1 ? "" : "s");
    if (fwrite(text.data(), 1, text.size(), out) != text.size()) return;
    text.clear();
    bool written = true;
    format_chunks_in_order<std::string>(
        run.findings.size(), [](std::string& part, size_t) { part.clear(); },
        [&](std::string& part, size_t i) {
          thread_local Finding scratch;  // a row's words, reused by each finding this thread writes
          append_finding(part, run.findings.view(i, scratch));
        },
        [&](const std::string& part) { return written = fwrite(part.data(), 1, part.size(), out) == part.size(); });
    if (!written) return;
  }

  if (!report.diagnostics.items().empty()) {
    text += fmt::format("\nInput problems ({})\n", report.diagnostics.items().size());
    for (const Diagnostic& diagnostic : report.diagnostics.items()) text += wrap(diagnostic.render(), "  ");
  }
  text += fmt::format("\nSummary: {} finding{}{} in {} check{}; {} check{} not run{}{}.\n", open, open == 1 ? "" : "s",
                      suppressed > 0 ? fmt::format(" (and {} suppressed)", suppressed) : "", report.runs.size(), report.runs.size() == 1 ? "" : "s", not_run, not_run == 1 ? "" : "s",
                      incomplete > 0 ? fmt::format("; {} incomplete", incomplete) : "",
                      report.input_problems() ? "; some input could not be read or decided (see above)" : "");
  fwrite(text.data(), 1, text.size(), out);
}

}  // namespace fleetaudit
