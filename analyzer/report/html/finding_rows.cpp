#include "analyzer/report/html/finding_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/html/evidence_list.h"
#include "analyzer/report/html/html_text.h"

namespace fleetaudit::html {

namespace {

constexpr size_t kThingsShown = 3;
// Instants beyond about the year 30,000 either way are shown as the number they are.
constexpr int64_t kFarInstant = int64_t{1} << 50;

// "thing-a, thing-b, thing-c and 2 more", from the snapshot's attachments of this certificate.
std::string things_of_certificate(std::string_view certificate_id, const Snapshot& snapshot) {
  const StringId id = snapshot.strings.find(certificate_id);
  if (id == kNoString) return {};
  const uint32_t row = certificate_row_of(snapshot, id);
  if (row == kNoRow || row + 1 >= snapshot.things_by_certificate.offsets.size()) return {};
  const auto things = snapshot.things_by_certificate.of(row);
  if (things.empty()) return "<span class=\"things\">no thing</span>";
  std::vector<std::string_view> names;
  for (StringId thing : things) names.push_back(snapshot.text(thing));
  std::sort(names.begin(), names.end());
  std::string text = things.size() == 1 ? "thing " : "things ";
  for (size_t i = 0; i < std::min(names.size(), kThingsShown); ++i)
    text += (i == 0 ? "" : ", ") + fmt::format("<b>{}</b>", escape(names[i]));
  if (names.size() > kThingsShown) text += fmt::format(" and {} more", thousands(names.size() - kThingsShown));
  return "<span class=\"things\">" + text + "</span>";
}

std::optional<int64_t> integer_of(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// An additional-info value: an instant (…_TIME, epoch milliseconds as AWS writes it) as its day,
// anything else cut to a cell's length.
std::string info_value(std::string_view key, std::string_view value, EpochMillis clock) {
  if (ends_with(key, "_TIME"))
    if (auto instant = integer_of(value); instant && *instant > -kFarInstant && *instant < kFarInstant)
      return fmt::format("<time title=\"{}\">{}</time>", escape(value), day_with_distance(*instant, clock));
  return capped_text(value, kTextShown);
}

std::string info_list(const AdditionalInfo& info, EpochMillis clock) {
  std::string text;
  for (const auto& [key, value] : info)
    text += fmt::format("<li><span class=\"key\">{}</span> {}</li>", escape(key), info_value(key, value, clock));
  return text;
}

// Element ids of the first row shown for each resource: related resources link there.
using Anchors = std::unordered_map<std::string, size_t>;

std::string related_list(const Finding& finding, const Anchors& anchors, const Snapshot* snapshot, EpochMillis clock) {
  std::string text;
  const size_t shown = std::min(finding.related.size(), kRelatedShownPerFinding);
  for (size_t i = 0; i < shown; ++i) {
    const RelatedResource& related = finding.related[i];
    const auto anchor = anchors.find(related.identifier.key());
    std::string cell = resource_cell(related.identifier, snapshot);
    if (anchor != anchors.end())
      cell = fmt::format("{} <a href=\"#f{}\">its findings</a>", cell, anchor->second);
    text += fmt::format("<li><span class=\"key\">{}</span> {}", to_string(related.type), cell);
    if (!related.additional_info.empty()) text += "<ul>" + info_list(related.additional_info, clock) + "</ul>";
    text += "</li>";
  }
  if (shown < finding.related.size())
    text += fmt::format("<li class=\"more\">… and {} more related resources: <code>--format json</code> lists them all.</li>",
                        thousands(finding.related.size() - shown));
  return text;
}

size_t shown_of(const CheckRun& run) { return std::min(run.findings.size(), kFindingsShownPerCheck); }

Anchors anchors_of(const AuditReport& report, const std::vector<size_t>& order) {
  Anchors anchors;
  size_t row = 0;
  for (size_t index : order)
    for (size_t f = 0; f < shown_of(report.runs[index]); ++f, ++row)
      anchors.try_emplace(report.runs[index].findings[f].resource.key(), row);
  return anchors;
}

void write_check_section(std::string& page, const ReportContext& context, size_t run_index, size_t& row,
                         const Anchors& anchors) {
  const CheckRun& run = context.report.runs[run_index];
  const char* severity = to_string(run.check->severity);
  page += fmt::format("<section id=\"check-{0}\" class=\"check\" data-check=\"{0}\" aria-labelledby=\"h-{0}\">"
                      "<h3 id=\"h-{0}\">{0} <span class=\"sev-{1}\">{1}</span> "
                      "— {2} finding{3}</h3>\n<p>{4}</p>\n",
                      run.check->name, severity, thousands(run.findings.size()), run.findings.size() == 1 ? "" : "s",
                      escape(run.check->short_description));
  page += "<table class=\"findings\"><colgroup><col class=\"c-state\"><col class=\"c-resource\"><col class=\"c-reason\">"
          "<col class=\"c-message\"><col class=\"c-details\"></colgroup><thead><tr><th scope=\"col\">State</th><th scope=\"col\">Resource</th><th scope=\"col\">Reason</th>"
          "<th scope=\"col\">What it allows / why</th><th scope=\"col\">Details and related resources</th></tr></thead><tbody>\n";
  const size_t shown = shown_of(run);
  Finding scratch;  // a finding held as a row, worded
  for (size_t f = 0; f < shown; ++f, ++row) {
    const Finding& finding = run.findings.view(f, scratch);
    std::string state = finding.suppressed ? "suppressed" : "open";
    if (context.drift != nullptr && !finding.suppressed) state = to_string(context.drift->of(run_index, f).state);
    page += fmt::format(
        "<tr class=\"finding\" id=\"f{}\" data-severity=\"{}\" data-state=\"{}\"><td><span class=\"badge\">{}"
        "</span></td><td class=\"resource\">{}</td><td>{}</td><td>{}{}</td><td><ul class=\"details\">{}{}</ul>"
        "</td></tr>\n",
        row, severity, state, state, resource_cell(finding.resource, context.snapshot),
        breakable_name(finding.reason_code), capped_text(finding.message, kTextShown), evidence_list(finding.evidence),
        info_list(finding.additional_info, context.report.clock),
        related_list(finding, anchors, context.snapshot, context.report.clock));
  }
  page += "</tbody></table>\n";
  if (shown < run.findings.size())
    page += fmt::format("<p class=\"more\">… and {} more findings of this check, not shown here: the JSON report "
                        "(<code>--format json</code>) has every one.</p>\n",
                        thousands(run.findings.size() - shown));
  page += fmt::format("<p>How to fix: <a href=\"{0}\" rel=\"noreferrer\">{0}</a></p></section>\n", escape(run.check->help_uri));
}

}  // namespace

std::string resource_cell(const ResourceIdentifier& resource, const Snapshot* snapshot) {
  using Kind = ResourceIdentifier::Kind;
  switch (resource.kind) {
    case Kind::device_certificate_id: {
      std::string cell = "certificate " + id_element(resource.value);
      if (snapshot != nullptr) {
        const std::string things = things_of_certificate(resource.value, *snapshot);
        if (!things.empty()) cell += " " + things;
      }
      return cell;
    }
    case Kind::ca_certificate_id: return "CA certificate " + id_element(resource.value);
    case Kind::policy_version:
      return fmt::format("policy <b class=\"name\">{}</b> version {}", escape(resource.value), escape(resource.version_id));
    case Kind::account: return "account " + escape(resource.value);
    default: return fmt::format("{} <code class=\"name\">{}</code>", resource.member_name(), escape(resource.value));
  }
}

void write_findings(std::string& page, const ReportContext& context, const std::vector<size_t>& order) {
  const Anchors anchors = anchors_of(context.report, order);
  size_t row = 0;
  for (size_t index : order) write_check_section(page, context, index, row, anchors);
}

}  // namespace fleetaudit::html
