#include "analyzer/report/sarif_rules.h"

namespace fleetaudit {

// GitHub code scanning ranks alerts by this number (its thresholds: >9 critical, >=7 high, >=4 medium).
const char* security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.5";
    case Severity::low: return "2.0";
  }
  return "0.0";
}

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "none";
}

void write_sarif_artifact_location(JsonWriter& json, const ArtifactUris& uris, std::string_view file) {
  json.key("artifactLocation").begin_object();
  json.key("uri").value(uris.uri(file));
  if (uris.under_root(file)) json.key("uriBaseId").value("%SRCROOT%");
  json.end_object();
}

void write_sarif_rule(JsonWriter& json, const CheckInfo& check) {
  json.begin_object();
  json.key("id").value(check.name);
  json.key("shortDescription").begin_object().key("text").value(check.short_description).end_object();
  json.key("fullDescription").begin_object().key("text").value(check.full_description).end_object();
  json.key("help").begin_object();
  json.key("text").value(check.help);
  json.key("markdown").value(check.help);
  json.end_object();
  if (!check.help_uri.empty()) json.key("helpUri").value(check.help_uri);
  json.key("defaultConfiguration").begin_object().key("level").value(sarif_level(check.severity)).end_object();
  json.key("properties").begin_object();
  json.key("security-severity").value(security_severity(check.severity));
  json.key("severity").value(to_string(check.severity));
  json.key("resourceType").value(to_string(check.resource_type));
  json.key("tags").begin_array().value("security").value("aws-iot").value("device-defender").end_array();
  json.key("reasonCodes").begin_array();
  for (std::string_view code : check.reason_codes) json.value(code);
  json.end_array();
  json.end_object();
  json.end_object();
}

}  // namespace fleetaudit
