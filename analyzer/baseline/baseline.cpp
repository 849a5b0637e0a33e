#include "analyzer/baseline/baseline.h"

#include "analyzer/load/input_files.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>

#include "analyzer/engine/check.h"

namespace fleetaudit {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
// A value that may be missing: lookups through a missing one stay missing (simdjson carries the error).
using Node = simdjson::simdjson_result<element>;

std::string string_at(Node value, std::string_view key) {
  std::string_view text;
  if (value.at_key(key).get_string().get(text)) return {};
  return std::string(text);
}

// Calls `each` for every element of the array at `key` (none when it is missing or not an array).
template <typename Each>
void for_each_at(Node value, std::string_view key, Each each) {
  array items;
  if (value.at_key(key).get_array().get(items)) return;
  for (element item : items) each(Node(std::move(item)));
}

// The registry's spelling of a check name (either spelling of a check with two).
std::string canonical_check_name(const std::string& name) {
  const CheckInfo* check = CheckRegistry::instance().find(name);
  return check != nullptr ? std::string(check->name) : name;
}

// The ResourceIdentifier object of a JSON AuditFinding.
std::optional<ResourceIdentifier> identifier_of(Node identifier) {
  Node version = identifier.at_key("policyVersionIdentifier");
  if (!version.error()) {
    ResourceIdentifier id{ResourceIdentifier::Kind::policy_version, string_at(version, "policyName"),
                          string_at(version, "policyVersionId")};
    if (id.value.empty() || id.version_id.empty()) return std::nullopt;
    return id;
  }
  object members;
  if (identifier.get_object().get(members)) return std::nullopt;
  for (auto field : members) {
    std::string_view text;
    if (field.value.get_string().get(text)) continue;
    if (auto id = parse_resource_key(std::string(field.key) + "=" + std::string(text))) return id;
  }
  return std::nullopt;
}

std::vector<BaselineCheck> checks_of(Node holder) {
  std::vector<BaselineCheck> out;
  for_each_at(holder, "checks", [&](Node check) {
    BaselineCheck parsed{canonical_check_name(string_at(check, "checkName")), string_at(check, "status"),
                         string_at(check, "reason"), {}};
    object parameters;
    if (!check.at_key("parameters").get_object().get(parameters))
      for (auto parameter : parameters) {
        int64_t value = 0;
        if (!parameter.value.get_int64().get(value)) parsed.parameters.emplace_back(std::string(parameter.key), value);
      }
    if (!parsed.name.empty()) out.push_back(std::move(parsed));
  });
  return out;
}

// Account, clock and guid: without them a report cannot be a baseline.
std::optional<std::string> missing_metadata(const Baseline& baseline) {
  if (baseline.account_id.empty() || baseline.clock == 0 || baseline.guid.empty())
    return std::string("it does not name its account, audit clock and automation guid (reports written by "
                       "fleetaudit audit --format json or sarif do)");
  return std::nullopt;
}

std::optional<std::string> read_json_report(Node root, Baseline& baseline) {
  baseline.format = "JSON";
  Node metadata = root.at_key("fleetaudit");
  baseline.account_id = string_at(metadata, "accountId");
  baseline.region = string_at(metadata, "region");
  baseline.clock = parse_iso8601(string_at(metadata, "auditClock")).value_or(0);
  baseline.guid = string_at(metadata, "automationGuid");
  if (auto missing = missing_metadata(baseline)) return missing;
  baseline.checks = checks_of(metadata);
  std::optional<std::string> problem;
  size_t index = 0;
  for_each_at(root, "findings", [&](Node finding) {
    auto resource = identifier_of(finding.at_key("nonCompliantResource").at_key("resourceIdentifier"));
    if (!resource || string_at(finding, "checkName").empty()) {
      if (!problem)
        problem = fmt::format("findings[{}]: expected checkName and nonCompliantResource.resourceIdentifier", index);
      return;
    }
    ++index;
    BaselineFinding parsed;
    parsed.check_name = canonical_check_name(string_at(finding, "checkName"));
    parsed.resource = std::move(*resource);
    parsed.resource_type = string_at(finding.at_key("nonCompliantResource"), "resourceType");
    parsed.reason_code = string_at(finding, "reasonForNonComplianceCode");
    parsed.message = string_at(finding, "reasonForNonCompliance");
    parsed.severity = string_at(finding, "severity");
    parsed.finding_id = string_at(finding, "findingId");
    std::string first = string_at(finding, "firstDetectionTime");
    if (first.empty()) first = string_at(finding, "findingTime");
    parsed.first_detected = parse_iso8601(first).value_or(baseline.clock);
    bool suppressed = false;
    if (!finding.at_key("isSuppressed").get_bool().get(suppressed)) parsed.suppressed = suppressed;
    baseline.findings.push_back(std::move(parsed));
  });
  return problem;
}

std::optional<std::string> read_sarif_report(Node root, Baseline& baseline) {
  baseline.format = "SARIF";
  Node run = root.at_key("runs").at(0);
  Node properties = run.at_key("invocations").at(0).at_key("properties");
  baseline.account_id = string_at(properties, "accountId");
  baseline.region = string_at(properties, "region");
  baseline.clock = parse_iso8601(string_at(properties, "auditClock")).value_or(0);
  baseline.guid = string_at(run.at_key("automationDetails"), "guid");
  if (auto missing = missing_metadata(baseline)) return missing;
  baseline.checks = checks_of(run.at_key("properties"));
  std::optional<std::string> problem;
  size_t index = 0;
  for_each_at(run, "results", [&](Node result) {
    const size_t at = index++;
    if (string_at(result, "baselineState") == "absent") return;  // already fixed at that audit
    Node result_properties = result.at_key("properties");
    auto resource = parse_resource_key(string_at(result_properties, "resourceIdentifier"));
    if (!resource || string_at(result, "ruleId").empty()) {
      if (!problem)
        problem = fmt::format("runs[0].results[{}]: expected ruleId and properties.resourceIdentifier", at);
      return;
    }
    BaselineFinding parsed;
    parsed.check_name = canonical_check_name(string_at(result, "ruleId"));
    parsed.resource = std::move(*resource);
    parsed.resource_type = string_at(result_properties, "resourceType");
    parsed.reason_code = string_at(result_properties, "reasonForNonComplianceCode");
    parsed.severity = string_at(result_properties, "severity");
    // A compact result leaves out what its rule says once: the resource type, the severity and,
    // for a check with one reason code, that code.
    if (const CheckInfo* check = CheckRegistry::instance().find(parsed.check_name)) {
      if (parsed.resource_type.empty()) parsed.resource_type = to_string(check->resource_type);
      if (parsed.severity.empty()) parsed.severity = to_string(check->severity);
      if (parsed.reason_code.empty() && check->reason_codes.size() == 1) parsed.reason_code = std::string(check->reason_codes.front());
    }
    parsed.message = string_at(result.at_key("message"), "text");
    parsed.finding_id = string_at(result_properties, "findingId");
    parsed.fingerprint = string_at(result.at_key("partialFingerprints"), "primaryLocationLineHash");
    parsed.logical_name =
        string_at(result.at_key("locations").at(0).at_key("logicalLocations").at(0), "fullyQualifiedName");
    parsed.first_detected =
        parse_iso8601(string_at(result.at_key("provenance"), "firstDetectionTimeUtc")).value_or(baseline.clock);
    array suppressions;
    parsed.suppressed = !result.at_key("suppressions").get_array().get(suppressions) && suppressions.size() > 0;
    baseline.findings.push_back(std::move(parsed));
  });
  return problem;
}

}  // namespace

std::optional<Baseline> read_baseline(const std::string& path, std::string& error) {
  // Through the one opener of inputs: never a FIFO or device, and remembered so that no output
  // of this run can be written over it.
  std::string text;
  if (!read_regular_file(path, text, error)) return std::nullopt;
  const simdjson::padded_string padded(text);
  simdjson::dom::parser parser;
  element root;
  if (auto failure = parser.parse(padded).get(root)) {
    error = fmt::format("not valid JSON ({})", simdjson::error_message(failure));
    return std::nullopt;
  }
  object top;
  if (root.get_object().get(top)) {
    error = "expected a JSON object (a fleetaudit JSON or SARIF report)";
    return std::nullopt;
  }
  Baseline baseline;
  baseline.path = path;
  std::optional<std::string> problem;
  if (!top.at_key("runs").error())
    problem = read_sarif_report(Node(element(root)), baseline);
  else if (!top.at_key("findings").error())
    problem = read_json_report(Node(element(root)), baseline);
  else
    problem = "neither a SARIF report (\"runs\") nor a JSON report (\"findings\")";
  if (problem) {
    error = fmt::format("not usable as a {} baseline: {}", baseline.format.empty() ? "fleetaudit" : baseline.format,
                        *problem);
    return std::nullopt;
  }
  return baseline;
}

}  // namespace fleetaudit
