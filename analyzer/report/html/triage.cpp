#include "analyzer/report/html/triage.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace fleetaudit::html {

int verdict_rank(CheckStatus status) {
  switch (status) {
    case CheckStatus::non_compliant: return 0;
    case CheckStatus::incomplete: return 1;
    case CheckStatus::not_run: return 2;
    case CheckStatus::compliant: return 3;
    case CheckStatus::disabled: return 4;
  }
  return 5;
}

std::vector<size_t> runs_in_verdict_order(const AuditReport& report) {
  std::vector<size_t> order(report.runs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The runs are sorted by name already: a stable sort keeps names in order within a rank.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const CheckRun& left = report.runs[a];
    const CheckRun& right = report.runs[b];
    if (verdict_rank(left.status) != verdict_rank(right.status))
      return verdict_rank(left.status) < verdict_rank(right.status);
    return left.check->severity < right.check->severity;
  });
  return order;
}

std::vector<size_t> runs_in_severity_order(const AuditReport& report) {
  std::vector<size_t> order;
  for (size_t i = 0; i < report.runs.size(); ++i)
    if (!report.runs[i].findings.empty()) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return report.runs[a].check->severity < report.runs[b].check->severity; });
  return order;
}

std::string verdict_sentence(const AuditReport& report) {
  constexpr size_t kVerdicts = 5, kSeverities = 4;
  std::array<std::array<size_t, kSeverities>, kVerdicts> counts{};
  for (const CheckRun& run : report.runs)
    ++counts[static_cast<size_t>(verdict_rank(run.status))][static_cast<size_t>(run.check->severity)];
  // The failing verdicts say which severities they hold; compliant and disabled are only counted.
  constexpr std::array<const char*, kVerdicts> kWords = {"non-compliant", "incomplete", "could not run", "compliant",
                                                         "disabled"};
  std::vector<std::string> parts;
  for (size_t verdict = 0; verdict < kVerdicts; ++verdict) {
    size_t total = 0;
    for (size_t count : counts[verdict]) total += count;
    if (total == 0) continue;
    if (verdict >= 3) {
      parts.push_back(fmt::format("{} {}", total, kWords[verdict]));
      continue;
    }
    std::vector<std::string> severities;
    for (size_t severity = 0; severity < kSeverities; ++severity)
      if (counts[verdict][severity] > 0)
        severities.push_back(fmt::format("{} {}", counts[verdict][severity], to_string(static_cast<Severity>(severity))));
    parts.push_back(fmt::format("{} check{} {}: {}", total, total == 1 ? "" : "s", kWords[verdict],
                                fmt::join(severities, ", ")));
  }
  if (parts.empty()) return "No check is registered.";
  return fmt::format("{}.", fmt::join(parts, "; "));
}

}  // namespace fleetaudit::html
