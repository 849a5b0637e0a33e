#include "analyzer/baseline/audit_from_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace fleetaudit {

namespace {

std::optional<CheckStatus> status_named(std::string_view name) {
  for (CheckStatus status : {CheckStatus::compliant, CheckStatus::non_compliant, CheckStatus::incomplete,
                             CheckStatus::not_run, CheckStatus::disabled})
    if (name == to_string(status)) return status;
  return std::nullopt;
}

// One check's run as the report states it; its parameters named by the registry's strings.
std::optional<CheckRun> run_from(const CheckInfo& check, const BaselineCheck& stated, std::string& error) {
  CheckRun run;
  run.check = &check;
  auto status = status_named(stated.status);
  if (!status) {
    error = fmt::format("check {}: unknown status \"{}\"", check.name, stated.status);
    return std::nullopt;
  }
  run.status = *status;
  run.not_run_reason = stated.reason;
  run.error_code = stated.error_code;
  run.input_problem = stated.input_problem;
  run.resources_evaluated = static_cast<uint64_t>(stated.resources_evaluated);
  for (const auto& parameter_value : stated.parameters) {
    // Named, not bound: clang 14 cannot capture a structured binding in a lambda.
    const auto& name = parameter_value.first;
    const auto& value = parameter_value.second;
    auto declared = std::find_if(check.parameters.begin(), check.parameters.end(),
                                 [&](const CheckParameter& parameter) { return parameter.name == name; });
    if (declared == check.parameters.end()) {
      error = fmt::format("check {}: unknown parameter {}", check.name, name);
      return std::nullopt;
    }
    run.parameters.emplace_back(declared->name, value);
  }
  return run;
}

std::optional<Finding> finding_from(const BaselineFinding& stated, std::string& error) {
  auto type = resource_type_named(stated.resource_type);
  if (!type) {
    error = fmt::format("finding {}: unknown resource type \"{}\"", stated.finding_id, stated.resource_type);
    return std::nullopt;
  }
  Finding finding{*type,
                  stated.resource,
                  stated.reason_code,
                  stated.message,
                  stated.additional_info,
                  stated.related,
                  stated.location,
                  stated.logical_name,
                  stated.evidence,
                  stated.suppressed,
                  stated.suppression_description};
  return finding;
}

}  // namespace

std::optional<AuditReport> audit_from_report(const Baseline& audit, std::string& error) {
  AuditReport report;
  report.clock = audit.clock;
  report.clock_source = audit.clock_source;
  report.account_id = audit.account_id;
  report.region = audit.region;
  report.export_unfinished = audit.export_unfinished;
  report.weak_key_blocklist_directory = audit.weak_key_blocklist_directory;
  report.weak_key_blocklist_entries = static_cast<size_t>(audit.weak_key_blocklist_entries);
  report.weak_key_blocklist_summary = audit.weak_key_blocklist_summary;
  for (const Diagnostic& diagnostic : audit.diagnostics) report.diagnostics.add(diagnostic);
  const std::vector<CheckInfo>& checks = CheckRegistry::instance().checks();
  if (audit.checks.size() != checks.size()) {
    error = fmt::format("it lists {} checks where this fleetaudit has {} (a report of another version)",
                        audit.checks.size(), checks.size());
    return std::nullopt;
  }
  for (size_t i = 0; i < checks.size(); ++i) {
    if (audit.checks[i].name != checks[i].name) {
      error = fmt::format("check {} of the report is {} here (a report of another version)", audit.checks[i].name,
                          checks[i].name);
      return std::nullopt;
    }
    auto run = run_from(checks[i], audit.checks[i], error);
    if (!run) return std::nullopt;
    report.runs.push_back(std::move(*run));
  }
  // Findings are listed run by run, each run's in report order: appended as they come.
  for (const BaselineFinding& stated : audit.findings) {
    const CheckInfo* check = CheckRegistry::instance().find(stated.check_name);
    if (check == nullptr) {
      error = fmt::format("finding {}: unknown check {}", stated.finding_id, stated.check_name);
      return std::nullopt;
    }
    auto finding = finding_from(stated, error);
    if (!finding) return std::nullopt;
    CheckRun& run = report.runs[CheckRegistry::instance().index_of(*check)];
    run.suppressed_findings += finding->suppressed ? 1 : 0;
    run.findings.push_back(std::move(*finding));
  }
  return report;
}

}  // namespace fleetaudit
