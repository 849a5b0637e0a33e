// The message Device Defender publishes to SNS when an audit task ends, schema
// arn:aws:iot:::schema:auditnotification/1.0 (tests/data/audit-notification-schema.json holds the
// documented schema and says where it comes from). Consumers written for Device Defender read it
// unchanged: they look at nonCompliantChecksCount and at each check's checkName and checkRunStatus.
#include "analyzer/report/audit_details.h"
#include "analyzer/report/reporters.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

namespace {

struct CheckCounts {
  int64_t failed = 0, canceled = 0, non_compliant = 0, compliant = 0;
  int64_t total() const { return failed + canceled + non_compliant + compliant; }
};

CheckCounts count_checks(const AuditReport& report) {
  CheckCounts counts;
  for (const CheckRun& run : report.runs) {
    const std::string_view status = check_run_status(run);
    if (status == "COMPLETED_COMPLIANT") ++counts.compliant;
    else if (status == "COMPLETED_NON_COMPLIANT") ++counts.non_compliant;
    else if (status == "CANCELED") ++counts.canceled;
    else ++counts.failed;
  }
  return counts;
}

}  // namespace

void write_audit_notification(const ReportContext& context, std::FILE* out) {
  const AuditReport& report = context.report;
  const CheckCounts counts = count_checks(report);
  JsonWriter json(out);
  json.begin_object();
  json.key("accountId").value(report.account_id);
  json.key("taskId").value(audit_task_id(report));
  // The task itself failed only when no check could complete; a task whose checks partly failed
  // is COMPLETED with failedChecksCount saying how many, as in AWS.
  const bool none_completed = counts.compliant + counts.non_compliant == 0 && counts.failed > 0;
  json.key("taskStatus").value(none_completed ? "FAILED" : "COMPLETED");
  json.key("taskType").value("ON_DEMAND_AUDIT_TASK");
  json.key("failedChecksCount").value(counts.failed);
  json.key("canceledChecksCount").value(counts.canceled);
  json.key("nonCompliantChecksCount").value(counts.non_compliant);
  json.key("compliantChecksCount").value(counts.compliant);
  json.key("totalChecksCount").value(counts.total());
  json.key("taskStartTime").value(static_cast<int64_t>(report.clock));
  json.key("auditDetails").begin_array();
  for (const CheckRun& run : report.runs) {
    json.begin_object();
    json.key("checkName").value(run.check->name);
    json.key("checkRunStatus").value(check_run_status(run));
    json.key("nonCompliantResourcesCount").value(run.non_compliant_resources());
    json.key("totalResourcesCount").value(static_cast<int64_t>(run.resources_evaluated));
    if (!run.not_run_reason.empty()) json.key("message").value(bounded_error_message(run.not_run_reason));
    if (!run.error_code.empty()) json.key("errorCode").value(run.error_code);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.flush();
}

}  // namespace fleetaudit
