#include "analyzer/engine/check_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "analyzer/engine/check_inputs.h"

namespace fleetaudit {

std::optional<int64_t> parameter_value(const CheckParameter& parameter, std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < parameter.minimum || value > parameter.maximum) return std::nullopt;
  return value;
}

const CheckConfigurationEntry* configuration_entry(const AuditConfiguration& configuration, const CheckInfo& check) {
  for (const CheckConfigurationEntry& entry : configuration.checks)
    if (CheckRegistry::instance().find(entry.check_name) == &check) return &entry;
  return nullptr;
}

std::vector<std::pair<std::string_view, int64_t>> resolve_parameters(const CheckInfo& check,
                                                                     const CheckConfigurationEntry* entry) {
  std::vector<std::pair<std::string_view, int64_t>> parameters;
  for (const CheckParameter& parameter : check.parameters) {
    int64_t value = parameter.default_value;
    if (entry)
      for (const auto& [name, text] : entry->parameters)
        if (name == parameter.name)
          if (auto valid = parameter_value(parameter, text)) value = *valid;
    parameters.emplace_back(parameter.name, value);
  }
  return parameters;
}

bool prepare_check_run(const CheckInfo& check, const Snapshot& snapshot, const AuditConfiguration* configuration,
                       std::string_view configuration_source, CheckRun& run) {
  run.check = &check;
  run.parameters = resolve_parameters(check, configuration ? configuration_entry(*configuration, check) : nullptr);
  if (!check_enabled(configuration, check)) {
    run.status = CheckStatus::disabled;
    run.not_run_reason = fmt::format("disabled in {}", configuration_source);
    run.error_code = "AUDIT_CHECK_DISABLED";
    return false;
  }
  const InputVerdict inputs = assess_inputs(check, snapshot);
  if (inputs.kind == InputVerdict::Kind::not_run) {
    run.status = CheckStatus::not_run;
    run.not_run_reason = inputs.reason;
    run.error_code = inputs.error_code;
    run.input_problem = inputs.unreadable;
    return false;
  }
  if (inputs.kind == InputVerdict::Kind::incomplete) {
    run.not_run_reason = inputs.reason;  // kept for the verdict once it has run
    run.error_code = inputs.error_code;
  }
  if (check.reads_device_certificate_pems && snapshot.certificates.facts.size() != snapshot.certificates.size()) {
    // The loader was told no enabled check reads the PEMs (LoadOptions::device_certificate_pems).
    run.status = CheckStatus::not_run;
    run.not_run_reason = "the device certificates' PEMs were not decoded";
    run.error_code = std::string(kInputInsufficient);
    return false;
  }
  return true;
}

CheckResult run_check(const CheckRun& run, const Snapshot& snapshot, EpochMillis clock,
                      const x509::WeakKeyBlocklist& weak_keys) {
  CheckContext context{snapshot, clock, run.parameters, weak_keys};
  CheckResult result = run.check->run(context);
  for (Finding& finding : result.findings.whole()) apply_wording_rewrite(finding);  // a test's (finding.h)
  if (!result.not_run_reason) result.findings.sort();
  return result;
}

void settle_check_run(CheckRun& run, CheckResult& result, const std::function<void(CheckRun&)>& suppress) {
  run.resources_evaluated = result.resources_evaluated;
  if (result.not_run_reason) {
    run.status = CheckStatus::not_run;
    // Input gaps found before the run say more than the check's own reason.
    run.not_run_reason =
        run.not_run_reason.empty() ? *result.not_run_reason : *result.not_run_reason + "; " + run.not_run_reason;
    run.input_problem = !run.error_code.empty();
    if (run.error_code.empty()) run.error_code = std::string(kInputInsufficient);
    return;
  }
  run.findings = std::move(result.findings);
  if (suppress) suppress(run);
  const bool open = run.findings.unsuppressed() > 0;
  run.status = open ? CheckStatus::non_compliant : CheckStatus::compliant;
  // Records it could not see, or problems met while evaluating: its silence proves nothing.
  for (const auto& problem : result.input_problems)
    run.not_run_reason +=
        fmt::format("{}{}: {}", run.not_run_reason.empty() ? "" : "; ", problem.first, problem.second);
  if (!run.not_run_reason.empty()) {
    run.status = CheckStatus::incomplete;
    run.error_code = std::string(kInputIncomplete);
    run.input_problem = true;
  }
  if (!result.undecided.empty()) {
    for (const std::string& what : result.undecided)
      run.not_run_reason += fmt::format("{}not decided: {}", run.not_run_reason.empty() ? "" : "; ", what);
    run.status = CheckStatus::incomplete;
    if (run.error_code.empty()) run.error_code = std::string(kTooComplexToDecide);
    run.input_problem = true;
  }
}

}  // namespace fleetaudit
