#include "analyzer/report/html/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "analyzer/baseline/drift.h"
#include "analyzer/report/html/html_text.h"
#include "analyzer/report/html/triage.h"

namespace fleetaudit::html {

namespace {

constexpr std::array<const char*, 4> kSeverityColours = {"#8b0000", "#a33a00", "#8a6d00", "#2f5f2f"};
const char* colour_of(Severity severity) { return kSeverityColours[static_cast<size_t>(severity)]; }

struct Bar {
  std::string label;  // under the bar, short
  std::string range;  // what the bar counts, in the tooltip and the description
  uint64_t count = 0;
  const char* colour = "#4a6f96";
  bool past_marker = false;  // at or past the marked threshold
};

struct VerticalChart {
  std::string id;
  std::string title;
  std::string summary;  // shown under the picture and read first
  std::string axis;     // what the labels under the bars measure
  std::vector<Bar> bars;
  std::optional<double> marker;  // in bar slots from the left
  std::string marker_label;
};

constexpr int kSlot = 50, kBarWidth = 42, kLeft = 8, kTop = 36, kPlotHeight = 150;

void write_vertical_chart(std::string& page, const VerticalChart& chart) {
  const int width = kLeft * 2 + kSlot * static_cast<int>(chart.bars.size());
  const int height = kTop + kPlotHeight + 44;
  uint64_t most = 1;
  for (const Bar& bar : chart.bars) most = std::max(most, bar.count);
  std::string description = chart.summary + " " + chart.axis + ":";
  for (const Bar& bar : chart.bars) description += fmt::format(" {}: {};", bar.range, thousands(bar.count));
  description.back() = '.';
  page += fmt::format("<figure class=\"chart\"><svg id=\"{0}\" class=\"chart\" role=\"img\" aria-labelledby=\"{0}-title\" "
                      "aria-describedby=\"{0}-desc\" width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\">"
                      "<title id=\"{0}-title\">{3}</title><desc id=\"{0}-desc\">{4}</desc>\n",
                      chart.id, width, height, escape(chart.title), escape(description));
  const int baseline = kTop + kPlotHeight;
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    const int x = kLeft + kSlot * static_cast<int>(i) + (kSlot - kBarWidth) / 2;
    const int bar_height = bar.count == 0 ? 0 : std::max(1, static_cast<int>(bar.count * kPlotHeight / most));
    page += fmt::format("<rect class=\"bar{}\" data-count=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
                        "<title>{}: {}</title></rect>",
                        bar.past_marker ? " past" : "", bar.count, x, baseline - bar_height, kBarWidth, bar_height,
                        bar.colour, escape(bar.range), thousands(bar.count));
    page += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>", x + kBarWidth / 2,
                        baseline - bar_height - 4, thousands(bar.count));
    page += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n", x + kBarWidth / 2,
                        baseline + 15, escape(bar.label));
  }
  page += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#555\"/>", kLeft, width - kLeft, baseline);
  if (chart.marker) {
    const int x = kLeft + static_cast<int>(*chart.marker * kSlot);
    page += fmt::format("<line class=\"marker\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#000\" "
                        "stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"{3}\" y=\"{4}\" font-size=\"12\" "
                        "text-anchor=\"{5}\">{6}</text>",
                        x, kTop - 14, baseline, x + (x > width / 2 ? -4 : 4), kTop - 18, x > width / 2 ? "end" : "start",
                        escape(chart.marker_label));
  }
  page += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text></svg>\n", kLeft, baseline + 36, escape(chart.axis));
  page += fmt::format("<figcaption>{}</figcaption></figure>\n", escape(chart.summary));
}

// The value of the first check parameter named `name` (an AWS configuration name such as
// CERT_AGE_THRESHOLD_IN_DAYS), with the check that declares it.
struct Threshold {
  int64_t days = 0;
  std::string_view check;
  bool disabled = false;  // the check does not run: the mark is its configured value all the same
};
std::optional<Threshold> parameter_named(const AuditReport& report, std::string_view name) {
  for (const CheckRun& run : report.runs)
    for (const auto& [parameter, value] : run.parameters)
      if (parameter == name) return Threshold{value, run.check->name, run.status == CheckStatus::disabled};
  return std::nullopt;
}

// Twelve bars of a quarter threshold each, then one for three thresholds and older: the marked
// threshold falls between the fourth and the fifth.
void write_age_chart(std::string& page, const Snapshot& snapshot, const AuditReport& report) {
  const std::optional<Threshold> threshold = parameter_named(report, "CERT_AGE_THRESHOLD_IN_DAYS");
  const int64_t threshold_days = threshold ? threshold->days : 365;
  const EpochMillis width = threshold_days * kMillisPerDay / 4;  // exact: a day's milliseconds divide by 4
  constexpr size_t kBars = 13;
  std::array<uint64_t, kBars> counts{};
  uint64_t undated = 0, dated = 0, after_clock = 0;
  const CertificateTable& table = snapshot.certificates;
  for (size_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    const EpochMillis created = table.creation_date[row];
    if (created == kMissingTime) {
      ++undated;
      continue;
    }
    ++dated;
    // A hostile creationDate may lie near either end of int64: saturate rather than overflow.
    EpochMillis age = 0;
    if (__builtin_sub_overflow(report.clock, created, &age)) age = created > report.clock ? INT64_MIN : INT64_MAX;
    if (age < 0) ++after_clock;
    ++counts[std::min<size_t>(kBars - 1, age < 0 ? 0 : static_cast<size_t>(age / width))];
  }
  VerticalChart chart;
  chart.id = "age-chart";
  chart.title = "Device certificates in use by age";
  uint64_t past = 0;
  for (size_t i = 0; i < kBars; ++i) {
    const int64_t from = static_cast<int64_t>(i) * width / kMillisPerDay;
    const int64_t to = static_cast<int64_t>(i + 1) * width / kMillisPerDay;
    Bar bar;
    bar.label = i + 1 < kBars ? thousands(static_cast<uint64_t>(from)) : "≥" + thousands(static_cast<uint64_t>(from));
    bar.range = i + 1 < kBars ? fmt::format("{} to under {} days old", thousands(from), thousands(to))
                              : fmt::format("{} days old or more", thousands(from));
    bar.count = counts[i];
    bar.past_marker = i >= 4;
    bar.colour = bar.past_marker ? "#a33a00" : "#4a6f96";
    if (bar.past_marker) past += counts[i];
    chart.bars.push_back(std::move(bar));
  }
  chart.summary = fmt::format("{} device certificates in use with a registration date; {} of them registered {} days "
                              "or more before the audit{}.",
                              thousands(dated), thousands(past), thousands(threshold_days),
                              threshold ? fmt::format(" (the threshold of {}{})", threshold->check, threshold->disabled ? ", which is disabled" : "")
                                        : std::string());
  if (undated > 0) chart.summary += fmt::format(" {} without a registration date are not shown.", thousands(undated));
  if (after_clock > 0)
    chart.summary += fmt::format(" {} registered after the audit clock are counted in the first bar.", thousands(after_clock));
  chart.axis = "Age in days, from creationDate to the audit clock";
  chart.marker = 4.0;
  chart.marker_label = fmt::format("threshold {} days", thousands(threshold_days));
  write_vertical_chart(page, chart);
}

// Already expired, then the next 13 weeks (91 days); later expiries are counted in the summary.
void write_expiry_chart(std::string& page, const Snapshot& snapshot, const AuditReport& report) {
  const std::optional<Threshold> threshold = parameter_named(report, "CERT_EXPIRATION_THRESHOLD_IN_DAYS");
  constexpr size_t kWeeks = 13;
  std::array<uint64_t, kWeeks + 1> counts{};  // [0]: expired
  uint64_t later = 0, undated = 0;
  const CertificateTable& table = snapshot.certificates;
  for (size_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    const EpochMillis not_after = table.not_after[row];
    if (not_after == kMissingTime) {
      ++undated;
      continue;
    }
    EpochMillis left = 0;
    if (__builtin_sub_overflow(not_after, report.clock, &left)) left = not_after > report.clock ? INT64_MAX : INT64_MIN;
    if (left <= 0) ++counts[0];  // notAfter reached: no longer valid, as the expiry check counts it
    else if (left > static_cast<EpochMillis>(kWeeks) * 7 * kMillisPerDay) ++later;
    else ++counts[1 + static_cast<size_t>((left - 1) / (7 * kMillisPerDay))];
  }
  VerticalChart chart;
  chart.id = "expiry-chart";
  chart.title = "Device certificates in use by expiry";
  Bar expired{"expired", "already expired", counts[0], "#8b0000", true};
  chart.bars.push_back(std::move(expired));
  uint64_t soon = 0;
  for (size_t week = 1; week <= kWeeks; ++week) {
    soon += counts[week];
    chart.bars.push_back(Bar{fmt::format("≤{}", week * 7),
                             fmt::format("expiring in {} to {} days", (week - 1) * 7, week * 7), counts[week], "#4a6f96",
                             false});
  }
  chart.summary = fmt::format("{} device certificates in use have expired; {} expire within the next {} days, {} later.",
                              thousands(counts[0]), thousands(soon), kWeeks * 7, thousands(later));
  if (undated > 0) chart.summary += fmt::format(" {} have no notAfter date.", thousands(undated));
  chart.axis = "Days from the audit clock to notAfter";
  if (threshold && threshold->days <= static_cast<int64_t>(kWeeks * 7)) {
    chart.marker = 1.0 + static_cast<double>(threshold->days) / 7.0;
    chart.marker_label = fmt::format("threshold {} days ({}{})", threshold->days, threshold->check,
                                     threshold->disabled ? ", disabled" : "");
  }
  write_vertical_chart(page, chart);
}

}  // namespace

void write_certificate_charts(std::string& page, const Snapshot& snapshot, const AuditReport& report) {
  page += "<section id=\"certificates\" class=\"charts\"><h2>The fleet's device certificates</h2>\n";
  write_age_chart(page, snapshot, report);
  write_expiry_chart(page, snapshot, report);
  page += "</section>\n";
}

void write_findings_charts(std::string& page, const AuditReport& report, const std::vector<size_t>& order) {
  std::array<uint64_t, 4> by_severity{};
  std::vector<std::pair<size_t, uint64_t>> by_check;  // run, open findings
  for (size_t index : order) {
    const CheckRun& run = report.runs[index];
    const uint64_t open = run.findings.unsuppressed();
    by_severity[static_cast<size_t>(run.check->severity)] += open;
    if (open > 0) by_check.emplace_back(index, open);
  }
  page += "<section id=\"findings-charts\" class=\"charts\"><h2>Open findings</h2>\n";
  VerticalChart severities;
  severities.id = "severity-chart";
  severities.title = "Open findings by severity";
  uint64_t total = 0;
  for (size_t s = 0; s < by_severity.size(); ++s) {
    const char* name = to_string(static_cast<Severity>(s));
    severities.bars.push_back(Bar{name, fmt::format("{} findings", name), by_severity[s], kSeverityColours[s], false});
    total += by_severity[s];
  }
  severities.summary = fmt::format("{} open findings.", thousands(total));
  severities.axis = "Severity";
  write_vertical_chart(page, severities);

  // One row a check: its name, a bar as long as its share of the most, the count; a link to its findings.
  constexpr int kLabel = 420, kBars = 300, kRow = 22;
  const int height = 26 + kRow * static_cast<int>(by_check.size());
  uint64_t most = 1;
  for (const auto& entry : by_check) most = std::max(most, entry.second);
  std::string description;
  for (const auto& [index, open] : by_check)
    description += fmt::format("{} ({}): {}; ", report.runs[index].check->name, to_string(report.runs[index].check->severity),
                               thousands(open));
  if (!description.empty()) description.resize(description.size() - 2);
  page += fmt::format("<figure class=\"chart\"><svg id=\"check-chart\" class=\"chart\" role=\"img\" "
                      "aria-labelledby=\"check-chart-title\" aria-describedby=\"check-chart-desc\" width=\"{0}\" "
                      "height=\"{1}\" viewBox=\"0 0 {0} {1}\"><title id=\"check-chart-title\">Open findings per check"
                      "</title><desc id=\"check-chart-desc\">{2}.</desc>\n",
                      kLabel + kBars + 90, height, description.empty() ? "No open findings" : escape(description));
  for (size_t s = 0; s < kSeverityColours.size(); ++s)
    page += fmt::format("<rect x=\"{}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\" "
                        "font-size=\"12\">{}</text>",
                        kLabel + 100 * static_cast<int>(s) - 300, kSeverityColours[s], kLabel + 100 * static_cast<int>(s) - 284,
                        to_string(static_cast<Severity>(s)));
  for (size_t row = 0; row < by_check.size(); ++row) {
    const CheckRun& run = report.runs[by_check[row].first];
    const uint64_t open = by_check[row].second;
    const int y = 26 + kRow * static_cast<int>(row);
    const int length = std::max(2, static_cast<int>(open * kBars / most));
    page += fmt::format("<a href=\"#check-{0}\"><text x=\"{1}\" y=\"{2}\" font-size=\"12\" text-anchor=\"end\">{0}</text>"
                        "<rect class=\"bar\" data-check=\"{0}\" data-count=\"{3}\" x=\"{4}\" y=\"{5}\" width=\"{6}\" "
                        "height=\"16\" fill=\"{7}\"><title>{0} ({8}): {9} open findings</title></rect>"
                        "<text x=\"{10}\" y=\"{2}\" font-size=\"12\">{9}</text></a>\n",
                        escape(run.check->name), kLabel - 6, y + 13, open, kLabel, y, length,
                        colour_of(run.check->severity), to_string(run.check->severity), thousands(open),
                        kLabel + length + 5);
  }
  page += "</svg><figcaption>Open findings per check, most severe first; each bar links to the check's findings."
          "</figcaption></figure>\n</section>\n";
}

void write_drift_chart(std::string& page, const Drift& drift) {
  const uint64_t kept = drift.unchanged + drift.updated;
  const uint64_t fixed = drift.fixed.size(), added = drift.new_findings;
  const uint64_t most = std::max<uint64_t>(1, std::max(kept + fixed, kept + added));
  constexpr int kLength = 420;
  auto length = [&](uint64_t count) { return static_cast<int>(count * kLength / most); };
  const std::string then = day_of(drift.baseline_clock);
  page += fmt::format(
      "<figure class=\"chart\"><svg id=\"drift-chart\" class=\"chart\" role=\"img\" aria-labelledby=\"drift-chart-title\" "
      "aria-describedby=\"drift-chart-desc\" width=\"720\" height=\"84\" viewBox=\"0 0 720 84\">"
      "<title id=\"drift-chart-title\">Findings then and now</title><desc id=\"drift-chart-desc\">The audit of {0}: "
      "{1} findings, of which {2} are fixed now. This audit: {3} findings, of which {4} are new.</desc>\n",
      then, thousands(kept + fixed), thousands(fixed), thousands(kept + added), thousands(added));
  auto row = [&](int y, const char* label, uint64_t extra, const char* extra_class, const char* colour) {
    page += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>", y + 14, label);
    page += fmt::format("<rect x=\"90\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"#9aa7b4\"><title>kept: {}</title></rect>", y,
                        length(kept), thousands(kept));
    page += fmt::format("<rect class=\"bar {}\" data-count=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"{}\">"
                        "<title>{}: {}</title></rect>",
                        extra_class, extra, 90 + length(kept), y, length(extra), colour, extra_class, thousands(extra));
    page += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{} kept + {} {}</text>\n",
                        96 + length(kept) + length(extra), y + 14, thousands(kept), thousands(extra), extra_class);
  };
  row(8, "then", fixed, "fixed", "#2f7d32");
  row(40, "now", added, "new", "#8b0000");
  page += "</svg><figcaption>Findings of the baseline audit (then) and of this one (now): kept, fixed, new.</figcaption>"
          "</figure>\n";
}

}  // namespace fleetaudit::html
