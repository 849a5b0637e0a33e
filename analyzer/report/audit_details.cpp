#include "analyzer/report/audit_details.h"

#include "analyzer/report/aws_vocabulary.h"

namespace fleetaudit {

std::string_view check_run_status(const CheckRun& run) {
  switch (run.status) {
    case CheckStatus::compliant: return "COMPLETED_COMPLIANT";
    case CheckStatus::non_compliant: return "COMPLETED_NON_COMPLIANT";
    case CheckStatus::incomplete:
    case CheckStatus::not_run: return "FAILED";
    case CheckStatus::disabled: return "CANCELED";  // not attempted, by the configuration's choice
  }
  return "FAILED";
}

std::string_view bounded_error_message(std::string_view text) {
  constexpr size_t kMaxMessage = 2048;  // AWS's ErrorMessage
  return cut_utf8(text, kMaxMessage);
}

void write_audit_details(JsonWriter& json, const AuditReport& report) {
  json.begin_object();
  for (const CheckRun& run : report.runs) {
    json.key(run.check->name).begin_object();
    json.key("checkRunStatus").value(check_run_status(run));
    json.key("checkCompliant").value(run.status == CheckStatus::compliant);
    json.key("totalResourcesCount").value(static_cast<int64_t>(run.resources_evaluated));
    json.key("nonCompliantResourcesCount").value(run.non_compliant_resources());
    json.key("suppressedNonCompliantResourcesCount").value(run.suppressed_findings);
    if (!run.error_code.empty()) json.key("errorCode").value(run.error_code);
    if (!run.not_run_reason.empty()) json.key("message").value(bounded_error_message(run.not_run_reason));
    json.end_object();
  }
  json.end_object();
}

}  // namespace fleetaudit
