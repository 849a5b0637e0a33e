#include "analyzer/report/sarif_log.h"

#include "analyzer/report/sarif_rules.h"

namespace fleetaudit {

void begin_sarif_log(JsonWriter& json) {
  json.begin_object();
  json.key("$schema").value(
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
  json.key("version").value("2.1.0");
  json.key("runs").begin_array();
}

void end_sarif_log(JsonWriter& json) {
  json.end_array();
  json.end_object();
}

void write_sarif_tool(JsonWriter& json, const std::vector<const CheckInfo*>& rules) {
  json.key("tool").begin_object().key("driver").begin_object();
  json.key("name").value("fleetaudit");
  json.key("semanticVersion").value(FLEETAUDIT_VERSION);
  json.key("version").value(FLEETAUDIT_VERSION);
  json.key("informationUri").value("https://github.com/fleetaudit/fleetaudit");
  json.key("rules").begin_array();
  for (const CheckInfo* rule : rules) write_sarif_rule(json, *rule);
  json.end_array();
  json.end_object().end_object();
}

void write_sarif_source_root(JsonWriter& json, std::string_view description) {
  json.key("originalUriBaseIds").begin_object();
  json.key("%SRCROOT%").begin_object();
  json.key("description").begin_object().key("text").value(description).end_object();
  json.end_object();
  json.end_object();
}

}  // namespace fleetaudit
