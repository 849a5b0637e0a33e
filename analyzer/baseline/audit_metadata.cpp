#include "analyzer/baseline/audit_metadata.h"

#include <fmt/format.h>

#include "analyzer/util/digest.h"

namespace fleetaudit {

std::string audit_guid(const AuditReport& report) {
  std::string content = fmt::format("{}\n{}\n{}\n", report.account_id, report.region, report.clock);
  for (const CheckRun& run : report.runs)
    content += fmt::format("{} {} {} {}\n", run.check->name, to_string(run.status), run.resources_evaluated,
                           run.findings.size());
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

void write_audit_metadata(JsonWriter& json, const AuditReport& report) {
  json.begin_object();
  json.key("fleetauditVersion").value(FLEETAUDIT_VERSION);
  json.key("accountId").value(report.account_id);
  json.key("region").value(report.region);
  json.key("auditClock").value(format_iso8601(report.clock));
  json.key("automationGuid").value(audit_guid(report));
  json.key("checks").begin_array();
  for (const CheckRun& run : report.runs) {
    json.begin_object();
    json.key("checkName").value(run.check->name);
    json.key("status").value(to_string(run.status));
    if (!run.not_run_reason.empty()) json.key("reason").value(run.not_run_reason);
    json.key("parameters");
    write_check_parameters(json, run);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace fleetaudit
