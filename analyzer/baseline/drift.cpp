#include "analyzer/baseline/drift.h"

#include <fmt/format.h>

#include <unordered_map>

namespace fleetaudit {

const char* to_string(BaselineState state) {
  switch (state) {
    case BaselineState::new_finding: return "new";
    case BaselineState::updated: return "updated";
    case BaselineState::unchanged: return "unchanged";
    case BaselineState::absent: return "absent";
  }
  return "";
}

namespace {

// The identity drift matches on: the identity of suppressions and SARIF fingerprints without the
// policy version, so that a new version of a policy found before is that finding, updated.
std::string match_key(std::string_view check_name, const ResourceIdentifier& resource, std::string_view reason_code) {
  return fmt::format("{}\n{}={}\n{}", check_name, resource.member_name(), resource.value, reason_code);
}

bool ran(std::string_view status) { return status == "compliant" || status == "non-compliant"; }
bool ran(CheckStatus status) { return status == CheckStatus::compliant || status == CheckStatus::non_compliant; }

void note_coverage(const AuditReport& report, const Baseline& baseline, const std::vector<size_t>& baseline_counts,
                   Drift& drift) {
  for (const BaselineCheck& before : baseline.checks) {
    const CheckRun* now = nullptr;
    for (const CheckRun& run : report.runs)
      if (run.check->name == before.name) now = &run;
    if (now == nullptr) {
      if (ran(before.status))
        drift.coverage_notes.push_back(fmt::format("{} ran in the baseline ({}) and is not a check of this fleetaudit",
                                                   before.name, before.status));
      continue;
    }
    const size_t index = static_cast<size_t>(now - report.runs.data());
    if (ran(before.status) && !ran(now->status))
      drift.coverage_notes.push_back(fmt::format(
          "{} ran in the baseline ({}) and is {} now: {}; its {} baseline finding(s) are not re-evaluated", before.name,
          before.status, to_string(now->status), now->not_run_reason, baseline_counts[index]));
    else if (!ran(before.status) && ran(now->status))
      drift.coverage_notes.push_back(fmt::format("{} runs now; it was {} in the baseline{}", before.name, before.status,
                                                 before.reason.empty() ? "" : " (" + before.reason + ")"));
    if (!ran(before.status) || !ran(now->status)) continue;
    for (const auto& [name, value] : now->parameters)
      for (const auto& [old_name, old_value] : before.parameters)
        if (old_name == name && old_value != value)
          drift.coverage_notes.push_back(fmt::format("{}: the audit configuration changed {} from {} to {}",
                                                     before.name, name, old_value, value));
  }
}

}  // namespace

std::optional<std::string> foreign_baseline(const AuditReport& report, const Baseline& baseline) {
  if (baseline.account_id == report.account_id && baseline.region == report.region) return std::nullopt;
  auto where = [](const std::string& account, const std::string& region) {
    return fmt::format("account {} in region {}", account.empty() ? "(none)" : account,
                       region.empty() ? "(none)" : region);
  };
  return fmt::format("--baseline {} is an audit of {}, this snapshot is {}: refusing to compare audits of "
                     "different fleets",
                     baseline.path, where(baseline.account_id, baseline.region),
                     where(report.account_id, report.region));
}

Drift compute_drift(const AuditReport& report, const Baseline& baseline) {
  Drift drift;
  drift.baseline_path = baseline.path;
  drift.baseline_format = baseline.format;
  drift.baseline_clock = baseline.clock;
  drift.baseline_guid = baseline.guid;

  std::unordered_map<std::string, std::vector<size_t>> baseline_by_key;
  for (size_t i = 0; i < baseline.findings.size(); ++i) {
    const BaselineFinding& finding = baseline.findings[i];
    baseline_by_key[match_key(finding.check_name, finding.resource, finding.reason_code)].push_back(i);
  }
  std::vector<bool> matched(baseline.findings.size(), false);
  std::vector<size_t> baseline_counts(report.runs.size(), 0);
  std::unordered_map<std::string_view, size_t> run_of_check;
  for (size_t r = 0; r < report.runs.size(); ++r) run_of_check.emplace(report.runs[r].check->name, r);
  for (const BaselineFinding& finding : baseline.findings)
    if (auto it = run_of_check.find(finding.check_name); it != run_of_check.end()) ++baseline_counts[it->second];

  drift.by_run.resize(report.runs.size());
  // First the same version (unchanged), then what is left: another version of a known finding is
  // updated (taking a baseline finding not matched yet, if one is left), the rest new.
  std::vector<std::pair<size_t, size_t>> pending;
  Finding scratch;  // a finding held as a row, worded
  for (size_t r = 0; r < report.runs.size(); ++r) {
    const CheckRun& run = report.runs[r];
    drift.by_run[r].resize(run.findings.size());
    for (size_t f = 0; f < run.findings.size(); ++f) {
      const Finding& finding = run.findings.view(f, scratch);
      FindingDrift& state = drift.by_run[r][f];
      state.first_detected = report.clock;
      auto it = baseline_by_key.find(match_key(run.check->name, finding.resource, finding.reason_code));
      bool same = false;
      if (it != baseline_by_key.end())
        for (size_t candidate : it->second)
          if (!matched[candidate] && baseline.findings[candidate].resource.version_id == finding.resource.version_id) {
            matched[candidate] = same = true;
            state.state = BaselineState::unchanged;
            state.first_detected = baseline.findings[candidate].first_detected;
            break;
          }
      if (!same) pending.emplace_back(r, f);
    }
  }
  for (const auto& [r, f] : pending) {
    const CheckRun& run = report.runs[r];
    FindingDrift& state = drift.by_run[r][f];
    const Finding& finding = run.findings.view(f, scratch);
    auto it = baseline_by_key.find(match_key(run.check->name, finding.resource, finding.reason_code));
    if (it == baseline_by_key.end()) continue;  // new
    state.state = BaselineState::updated;
    state.first_detected = baseline.findings[it->second.front()].first_detected;
    for (size_t candidate : it->second)
      if (!matched[candidate]) {
        matched[candidate] = true;
        state.first_detected = baseline.findings[candidate].first_detected;
        drift.superseded.push_back(baseline.findings[candidate]);
        break;
      }
  }
  for (const auto& states : drift.by_run)
    for (const FindingDrift& state : states) {
      drift.new_findings += state.state == BaselineState::new_finding ? 1 : 0;
      drift.updated += state.state == BaselineState::updated ? 1 : 0;
      drift.unchanged += state.state == BaselineState::unchanged ? 1 : 0;
    }
  // Gone since the baseline, where the check ran this time: a check that did not run fixed nothing.
  for (size_t i = 0; i < baseline.findings.size(); ++i) {
    if (matched[i]) continue;
    auto it = run_of_check.find(baseline.findings[i].check_name);
    if (it != run_of_check.end() && ran(report.runs[it->second].status)) drift.fixed.push_back(baseline.findings[i]);
  }
  note_coverage(report, baseline, baseline_counts, drift);
  return drift;
}

std::string drift_summary(const Drift& drift) {
  return fmt::format("{} new, {} updated, {} unchanged, {} fixed since the audit of {}", drift.new_findings,
                     drift.updated, drift.unchanged, drift.fixed.size(), format_iso8601(drift.baseline_clock));
}

}  // namespace fleetaudit
