#include "analyzer/baseline/audit_metadata.h"

#include <fmt/format.h>

#include "analyzer/util/digest.h"

namespace fleetaudit {

std::string audit_guid(const AuditReport& report) {
  std::string content = fmt::format("{}\n{}\n{}\n", report.account_id, report.region, report.clock);
  for (const CheckRun& run : report.runs)
    content += fmt::format("{} {} {} {}\n", run.check->name, to_string(run.status), run.resources_evaluated,
                           run.findings.size());
  return guid_of(content);
}

std::string guid_of(std::string_view content) {
  std::string hex = sha256_hex(content).substr(0, 32);
  hex[12] = '5';                                                       // version
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4),
                     hex.substr(20, 12));
}

void write_check_parameters(JsonWriter& json, const CheckRun& run) {
  json.begin_object();
  for (const auto& [name, value] : run.parameters) json.key(name).value(value);
  json.end_object();
}

void write_audit_metadata(JsonWriter& json, const AuditReport& report, std::string_view snapshot_directory) {
  json.begin_object();
  json.key("fleetauditVersion").value(FLEETAUDIT_VERSION);
  json.key("accountId").value(report.account_id);
  json.key("region").value(report.region);
  json.key("auditClock").value(format_iso8601(report.clock));
  json.key("automationGuid").value(audit_guid(report));
  // What the other formats say of the audit, so that `fleetaudit merge` can render them from this.
  json.key("auditClockSource").value(report.clock_source);
  json.key("snapshot").value(snapshot_directory);
  if (report.export_unfinished) json.key("exportUnfinished").value(true);
  json.key("weakKeyBlocklistEntries").value(report.weak_key_blocklist_entries);
  json.key("weakKeyBlocklistSizes").value(report.weak_key_blocklist_summary);
  json.key("weakKeyBlocklistSource").value(report.weak_key_blocklist_directory);
  json.key("checks").begin_array();
  for (const CheckRun& run : report.runs) {
    json.begin_object();
    json.key("checkName").value(run.check->name);
    json.key("status").value(to_string(run.status));
    if (!run.not_run_reason.empty()) json.key("reason").value(run.not_run_reason);
    if (!run.error_code.empty()) json.key("errorCode").value(run.error_code);
    if (run.input_problem) json.key("inputProblem").value(true);
    json.key("resourcesEvaluated").value(static_cast<int64_t>(run.resources_evaluated));
    json.key("parameters");
    write_check_parameters(json, run);
    json.end_object();
  }
  json.end_array();
  json.key("diagnostics").begin_array();
  for (const Diagnostic& diagnostic : report.diagnostics.items()) {
    json.begin_object();
    json.key("severity").value(diagnostic.severity == DiagnosticSeverity::error ? "error" : "warning");
    if (!diagnostic.file.empty()) json.key("file").value(diagnostic.file);
    if (diagnostic.line > 0) json.key("line").value(diagnostic.line).key("column").value(diagnostic.column);
    if (!diagnostic.json_path.empty()) json.key("jsonPath").value(diagnostic.json_path);
    if (!diagnostic.record.empty()) json.key("record").value(diagnostic.record);
    json.key("message").value(diagnostic.message);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace fleetaudit
