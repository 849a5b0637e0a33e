#include "analyzer/baseline/baseline.h"

#include "analyzer/load/input_files.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <unordered_map>

#include "analyzer/engine/check.h"

namespace fleetaudit {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
// A value that may be missing: lookups through a missing one stay missing (simdjson carries the error).
using Node = simdjson::simdjson_result<element>;

std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Reads a report's members with their types checked: a baseline is untrusted input, and a member
// of the wrong type read as absent would change the verdict (findings that are not an array read
// as none, and every finding of this audit as new). An absent member, or null, reads as empty; the
// first member present with another type is the problem, named by its JSON path.
class Members {
public:
  std::optional<std::string> problem;

  void fail(const std::string& path, std::string_view expected) {
    if (!problem) problem = fmt::format("{}: expected {}", path, expected);
  }

  // The member `key` of `holder`; an error when it is absent or null.
  static Node present(Node holder, std::string_view key) {
    Node value = holder.at_key(key);
    if (value.is_null()) return Node(simdjson::NO_SUCH_FIELD);
    return value;
  }

  std::string text(Node holder, std::string_view key, const std::string& path) {
    Node value = present(holder, key);
    std::string_view text;
    if (value.error()) return {};
    if (value.get_string().get(text)) fail(member_path(path, key), "a string");
    return std::string(text);
  }

  bool boolean(Node holder, std::string_view key, const std::string& path) {
    Node value = present(holder, key);
    bool flag = false;
    if (!value.error() && value.get_bool().get(flag)) fail(member_path(path, key), "true or false");
    return flag;
  }

  // An object member: the member itself, or an error Node when it is absent or not an object.
  Node object_at(Node holder, std::string_view key, const std::string& path) {
    Node value = present(holder, key);
    if (!value.error() && !value.is_object()) {
      fail(member_path(path, key), "an object");
      return Node(simdjson::INCORRECT_TYPE);
    }
    return value;
  }

  // Calls each(item, item_path) for every element of the array member `key`.
  template <typename Each>
  void each(Node holder, std::string_view key, const std::string& path, Each each_item) {
    Node value = present(holder, key);
    if (value.error()) return;
    array items;
    if (value.get_array().get(items)) return fail(member_path(path, key), "an array");
    size_t index = 0;
    for (element item : items) each_item(Node(std::move(item)), fmt::format("{}[{}]", member_path(path, key), index++));
  }

  // The first element of the array member `key` (an error Node when it is absent or empty).
  Node first(Node holder, std::string_view key, const std::string& path) {
    Node value = present(holder, key);
    if (!value.error() && !value.is_array()) {
      fail(member_path(path, key), "an array");
      return Node(simdjson::INCORRECT_TYPE);
    }
    return value.at(0);
  }
};

// The registry's spelling of a check name (either spelling of a check with two).
std::string canonical_check_name(const std::string& name) {
  const CheckInfo* check = CheckRegistry::instance().find(name);
  return check != nullptr ? std::string(check->name) : name;
}

// The ResourceIdentifier object of a JSON AuditFinding.
std::optional<ResourceIdentifier> identifier_of(Node identifier, const std::string& path, Members& members) {
  Node version = members.object_at(identifier, "policyVersionIdentifier", path);
  if (!version.error()) {
    const std::string at = member_path(path, "policyVersionIdentifier");
    ResourceIdentifier id{ResourceIdentifier::Kind::policy_version, members.text(version, "policyName", at),
                          members.text(version, "policyVersionId", at)};
    if (id.value.empty() || id.version_id.empty()) return std::nullopt;
    return id;
  }
  object fields;
  if (identifier.get_object().get(fields)) return std::nullopt;
  for (auto field : fields) {
    std::string_view text;
    if (field.value.get_string().get(text)) {
      members.fail(member_path(path, field.key), "a string");
      return std::nullopt;
    }
    if (auto id = parse_resource_key(std::string(field.key) + "=" + std::string(text))) return id;
  }
  return std::nullopt;
}

// An integer member: 0 when absent, a problem when it is not a non-negative integer.
int64_t count_at(Node holder, std::string_view key, const std::string& path, Members& members) {
  Node value = Members::present(holder, key);
  int64_t number = 0;
  if (!value.error() && (value.get_int64().get(number) || number < 0)) members.fail(member_path(path, key), "a count");
  return number;
}

std::vector<BaselineCheck> checks_of(Node holder, const std::string& path, Members& members) {
  std::vector<BaselineCheck> out;
  members.each(holder, "checks", path, [&](Node check, const std::string& at) {
    if (!check.is_object()) return members.fail(at, "an object");
    BaselineCheck parsed{canonical_check_name(members.text(check, "checkName", at)),
                         members.text(check, "status", at),
                         members.text(check, "reason", at),
                         {},
                         members.text(check, "errorCode", at),
                         members.boolean(check, "inputProblem", at),
                         count_at(check, "resourcesEvaluated", at, members)};
    Node parameters = members.object_at(check, "parameters", at);
    object fields;
    if (!parameters.get_object().get(fields))
      for (auto parameter : fields) {
        int64_t value = 0;
        if (parameter.value.get_int64().get(value))
          return members.fail(member_path(member_path(at, "parameters"), parameter.key), "an integer");
        parsed.parameters.emplace_back(std::string(parameter.key), value);
      }
    if (!parsed.name.empty()) out.push_back(std::move(parsed));
  });
  return out;
}

// A time member: empty when absent, a problem when it is not an ISO 8601 time.
std::optional<EpochMillis> time_at(Node holder, std::string_view key, const std::string& path, Members& members) {
  const std::string text = members.text(holder, key, path);
  if (text.empty()) return std::nullopt;
  auto time = parse_iso8601(text);
  if (!time) members.fail(member_path(path, key), "an ISO 8601 time");
  return time;
}

// Account, clock and guid: without them a report cannot be a baseline.
std::optional<std::string> missing_metadata(const Baseline& baseline) {
  if (baseline.account_id.empty() || baseline.clock == 0 || baseline.guid.empty())
    return std::string("it does not name its account, audit clock and automation guid (reports written by "
                       "fleetaudit audit --format json or sarif do)");
  return std::nullopt;
}

// A report lists each finding once: one listed twice would match once and be reported fixed the
// other time. Same check, resource (with its policy version) and reason code is the same finding.
void refuse_duplicate(const BaselineFinding& finding, const std::string& path,
                      std::unordered_map<std::string, std::string>& seen, Members& members) {
  auto [it, added] = seen.emplace(
      fmt::format("{}\n{}\n{}\n{}", finding.snapshot, finding.check_name, finding.resource.key(), finding.reason_code),
      path);
  if (!added && !members.problem)
    members.problem = fmt::format("{}: the same finding as {} (the same check, resource and reason code): a "
                                  "fleetaudit report lists each finding once",
                                  path, it->second);
}

AdditionalInfo additional_info_at(Node holder, const std::string& path, Members& members) {
  AdditionalInfo info;
  Node value = members.object_at(holder, "additionalInfo", path);
  object fields;
  if (value.get_object().get(fields)) return info;
  for (auto field : fields) {
    std::string_view text;
    if (field.value.get_string().get(text)) {
      members.fail(member_path(member_path(path, "additionalInfo"), field.key), "a string");
      break;
    }
    info.emplace_back(std::string(field.key), std::string(text));
  }
  return info;
}

std::vector<RelatedResource> related_at(Node finding, const std::string& path, Members& members) {
  std::vector<RelatedResource> related;
  members.each(finding, "relatedResources", path, [&](Node item, const std::string& at) {
    if (members.problem) return;
    auto type = resource_type_named(members.text(item, "resourceType", at));
    auto id = identifier_of(members.object_at(item, "resourceIdentifier", at), member_path(at, "resourceIdentifier"),
                            members);
    if (!type || !id) return members.fail(at, "a related resource with resourceType and resourceIdentifier");
    related.push_back({*type, std::move(*id), additional_info_at(item, at, members)});
  });
  return related;
}

SourceLocation location_at(Node finding, const std::string& path, Members& members) {
  SourceLocation location;
  Node value = members.object_at(finding, "sourceLocation", path);
  if (value.error()) return location;
  const std::string at = member_path(path, "sourceLocation");
  auto file = snapshot_file_named(members.text(value, "file", at));
  if (!file) {
    members.fail(member_path(at, "file"), "the name of a snapshot file");
    return location;
  }
  location.file = *file;
  location.offset = static_cast<uint64_t>(count_at(value, "offset", at, members));
  return location;
}

Evidence evidence_at(Node finding, const std::string& path, Members& members) {
  Evidence evidence;
  Node value = members.object_at(finding, "evidence", path);
  if (value.error()) return evidence;
  const std::string at = member_path(path, "evidence");
  members.each(value, "statements", at, [&](Node item, const std::string& item_at) {
    if (members.problem) return;
    auto kind = statement_evidence_kind_named(members.text(item, "kind", item_at));
    if (!kind) return members.fail(member_path(item_at, "kind"), "grants, takesBack, wildcardDeny or bypassedDeny");
    StatementEvidence statement;
    statement.kind = *kind;
    statement.policy = members.text(item, "policy", item_at);
    statement.number = static_cast<uint32_t>(std::min<int64_t>(count_at(item, "number", item_at, members), UINT32_MAX));
    statement.sid = members.text(item, "sid", item_at);
    statement.resource = members.text(item, "resource", item_at);
    statement.action = members.text(item, "action", item_at);
    statement.witness = members.text(item, "witness", item_at);
    statement.topic = members.text(item, "topic", item_at);
    statement.through =
        static_cast<uint32_t>(std::min<int64_t>(count_at(item, "through", item_at, members), UINT32_MAX));
    evidence.statements.push_back(std::move(statement));
  });
  members.each(value, "roles", at, [&](Node item, const std::string& item_at) {
    if (members.problem) return;
    auto use = role_evidence_use_named(members.text(item, "use", item_at));
    if (!use) return members.fail(member_path(item_at, "use"), "authenticated, unauthenticated or roleMapping");
    evidence.roles.push_back({*use, members.text(item, "roleArn", item_at), members.text(item, "provider", item_at)});
  });
  return evidence;
}

std::vector<Diagnostic> diagnostics_at(Node metadata, const std::string& path, Members& members) {
  std::vector<Diagnostic> out;
  members.each(metadata, "diagnostics", path, [&](Node item, const std::string& at) {
    Diagnostic diagnostic;
    const std::string severity = members.text(item, "severity", at);
    if (severity != "error" && severity != "warning")
      return members.fail(member_path(at, "severity"), "error or warning");
    diagnostic.severity = severity == "error" ? DiagnosticSeverity::error : DiagnosticSeverity::warning;
    diagnostic.file = members.text(item, "file", at);
    diagnostic.line = static_cast<uint32_t>(std::min<int64_t>(count_at(item, "line", at, members), UINT32_MAX));
    diagnostic.column = static_cast<uint32_t>(std::min<int64_t>(count_at(item, "column", at, members), UINT32_MAX));
    diagnostic.json_path = members.text(item, "jsonPath", at);
    diagnostic.record = members.text(item, "record", at);
    diagnostic.message = members.text(item, "message", at);
    out.push_back(std::move(diagnostic));
  });
  return out;
}

// The "fleetaudit" member of a snapshot's report, or one of an organization report's snapshots.
std::optional<std::string> read_metadata(Node metadata, const std::string& at, Baseline& baseline, Members& members) {
  baseline.account_id = members.text(metadata, "accountId", at);
  baseline.region = members.text(metadata, "region", at);
  baseline.clock = time_at(metadata, "auditClock", at, members).value_or(0);
  baseline.guid = members.text(metadata, "automationGuid", at);
  if (members.problem) return members.problem;
  if (auto missing = missing_metadata(baseline)) return missing;
  baseline.clock_source = members.text(metadata, "auditClockSource", at);
  baseline.snapshot = members.text(metadata, "snapshot", at);
  baseline.export_unfinished = members.boolean(metadata, "exportUnfinished", at);
  baseline.weak_key_blocklist_entries = count_at(metadata, "weakKeyBlocklistEntries", at, members);
  baseline.weak_key_blocklist_summary = members.text(metadata, "weakKeyBlocklistSizes", at);
  baseline.weak_key_blocklist_directory = members.text(metadata, "weakKeyBlocklistSource", at);
  baseline.checks = checks_of(metadata, at, members);
  baseline.diagnostics = diagnostics_at(metadata, at, members);
  return members.problem;
}

std::optional<BaselineFinding> read_json_finding(Node finding, const std::string& at, Members& members) {
  if (!finding.is_object()) {
    members.fail(at, "an object (an AuditFinding)");
    return std::nullopt;
  }
  Node resource_node = members.object_at(finding, "nonCompliantResource", at);
  const std::string resource_at = member_path(at, "nonCompliantResource");
  auto resource = identifier_of(members.object_at(resource_node, "resourceIdentifier", resource_at),
                                member_path(resource_at, "resourceIdentifier"), members);
  const std::string check_name = members.text(finding, "checkName", at);
  if (members.problem) return std::nullopt;
  if (!resource || check_name.empty()) {
    members.fail(at, "checkName and nonCompliantResource.resourceIdentifier");
    return std::nullopt;
  }
  BaselineFinding parsed;
  parsed.check_name = canonical_check_name(check_name);
  parsed.resource = std::move(*resource);
  parsed.resource_type = members.text(resource_node, "resourceType", resource_at);
  parsed.reason_code = members.text(finding, "reasonForNonComplianceCode", at);
  parsed.message = members.text(finding, "reasonForNonCompliance", at);
  parsed.severity = members.text(finding, "severity", at);
  parsed.finding_id = members.text(finding, "findingId", at);
  auto first = time_at(finding, "firstDetectionTime", at, members);
  if (!first) first = time_at(finding, "findingTime", at, members);
  parsed.first_detected = first.value_or(0);
  parsed.suppressed = members.boolean(finding, "isSuppressed", at);
  parsed.additional_info = additional_info_at(resource_node, resource_at, members);
  parsed.related = related_at(finding, at, members);
  parsed.location = location_at(finding, at, members);
  parsed.logical_name = members.text(finding, "logicalName", at);
  parsed.suppression_description = members.text(finding, "suppressionDescription", at);
  parsed.snapshot = members.text(finding, "snapshot", at);
  parsed.evidence = evidence_at(finding, at, members);
  return parsed;
}

std::string identity_of(const Baseline& audit) {
  return snapshot_identity(audit.account_id, audit.region, audit.snapshot);
}

// The findings of one audit, or (`by_identity` set) of an organization's, each to its audit.
void read_json_findings(Node root, ReportContents& contents, bool organization, Members& members) {
  std::unordered_map<std::string, std::string> seen;
  std::unordered_map<std::string, size_t> by_identity;
  for (size_t i = 0; i < contents.audits.size(); ++i) by_identity.emplace(identity_of(contents.audits[i]), i);
  members.each(root, "findings", "", [&](Node finding, const std::string& at) {
    if (members.problem) return;
    auto parsed = read_json_finding(finding, at, members);
    if (!parsed) return;
    size_t audit = 0;
    if (organization) {
      auto it = by_identity.find(parsed->snapshot);
      if (it == by_identity.end())
        return members.fail(member_path(at, "snapshot"), "the identity of a snapshot listed in fleetaudit.snapshots");
      audit = it->second;
    }
    const std::string account = members.text(finding, "accountId", at);
    if (!account.empty() && account != contents.audits[audit].account_id)
      return members.fail(member_path(at, "accountId"), "the account of the audit the finding belongs to");
    if (parsed->first_detected == 0) parsed->first_detected = contents.audits[audit].clock;
    if (!organization) parsed->snapshot.clear();
    refuse_duplicate(*parsed, at, seen, members);
    contents.audits[audit].findings.push_back(std::move(*parsed));
  });
}

std::vector<AccountFailure> failures_of(Node metadata, Members& members) {
  std::vector<AccountFailure> out;
  members.each(metadata, "accountFailures", "fleetaudit", [&](Node item, const std::string& at) {
    AccountFailure failure{members.text(item, "accountId", at), members.text(item, "region", at),
                           members.text(item, "reason", at)};
    if (failure.account_id.empty()) return members.fail(member_path(at, "accountId"), "an account id");
    out.push_back(std::move(failure));
  });
  return out;
}

std::optional<std::string> read_json_report(Node root, ReportContents& contents) {
  Members members;
  Node metadata = members.object_at(root, "fleetaudit", "");
  if (members.problem) return members.problem;
  Node snapshots = Members::present(metadata, "snapshots");
  if (snapshots.error()) {
    contents.audits.emplace_back().format = "JSON";
    if (auto problem = read_metadata(metadata, "fleetaudit", contents.audits.back(), members)) return problem;
  } else {
    members.each(metadata, "snapshots", "fleetaudit", [&](Node item, const std::string& at) {
      if (members.problem) return;
      if (!item.is_object()) return members.fail(at, "an object");
      contents.audits.emplace_back().format = "JSON";
      read_metadata(members.object_at(item, "audit", at), member_path(at, "audit"), contents.audits.back(), members);
    });
    contents.failures = failures_of(metadata, members);
  }
  if (members.problem) return members.problem;
  read_json_findings(root, contents, !snapshots.error(), members);
  return members.problem;
}

std::optional<std::string> read_sarif_report(Node root, Baseline& baseline) {
  baseline.format = "SARIF";
  Members members;
  Node run = members.first(root, "runs", "");
  if (!run.error() && !run.is_object()) members.fail("runs[0]", "an object");
  Node invocation = members.first(run, "invocations", "runs[0]");
  Node properties = members.object_at(invocation, "properties", "runs[0].invocations[0]");
  const std::string properties_at = "runs[0].invocations[0].properties";
  baseline.account_id = members.text(properties, "accountId", properties_at);
  baseline.region = members.text(properties, "region", properties_at);
  baseline.clock = time_at(properties, "auditClock", properties_at, members).value_or(0);
  baseline.guid = members.text(members.object_at(run, "automationDetails", "runs[0]"), "guid",
                               "runs[0].automationDetails");
  if (members.problem) return members.problem;
  if (auto missing = missing_metadata(baseline)) return missing;
  baseline.checks = checks_of(members.object_at(run, "properties", "runs[0]"), "runs[0].properties", members);
  std::unordered_map<std::string, std::string> seen;
  members.each(run, "results", "runs[0]", [&](Node result, const std::string& at) {
    if (members.problem) return;
    if (!result.is_object()) return members.fail(at, "an object (a SARIF result)");
    if (members.text(result, "baselineState", at) == "absent") return;  // already fixed at that audit
    Node result_properties = members.object_at(result, "properties", at);
    const std::string result_properties_at = member_path(at, "properties");
    auto resource = parse_resource_key(members.text(result_properties, "resourceIdentifier", result_properties_at));
    const std::string rule = members.text(result, "ruleId", at);
    if (members.problem) return;
    if (!resource || rule.empty()) return members.fail(at, "ruleId and properties.resourceIdentifier");
    BaselineFinding parsed;
    parsed.check_name = canonical_check_name(rule);
    parsed.resource = std::move(*resource);
    parsed.resource_type = members.text(result_properties, "resourceType", result_properties_at);
    parsed.reason_code = members.text(result_properties, "reasonForNonComplianceCode", result_properties_at);
    parsed.severity = members.text(result_properties, "severity", result_properties_at);
    // A compact result leaves out what its rule says once: the resource type, the severity and,
    // for a check with one reason code, that code.
    if (const CheckInfo* check = CheckRegistry::instance().find(parsed.check_name)) {
      if (parsed.resource_type.empty()) parsed.resource_type = to_string(check->resource_type);
      if (parsed.severity.empty()) parsed.severity = to_string(check->severity);
      if (parsed.reason_code.empty() && check->reason_codes.size() == 1) parsed.reason_code = std::string(check->reason_codes.front());
    }
    parsed.message = members.text(members.object_at(result, "message", at), "text", member_path(at, "message"));
    parsed.finding_id = members.text(result_properties, "findingId", result_properties_at);
    parsed.fingerprint = members.text(members.object_at(result, "partialFingerprints", at),
                                      "primaryLocationLineHash", member_path(at, "partialFingerprints"));
    Node location = members.first(result, "locations", at);
    Node logical = members.first(location, "logicalLocations", member_path(at, "locations[0]"));
    parsed.logical_name =
        members.text(logical, "fullyQualifiedName", member_path(at, "locations[0].logicalLocations[0]"));
    parsed.first_detected =
        time_at(members.object_at(result, "provenance", at), "firstDetectionTimeUtc", member_path(at, "provenance"),
                members)
            .value_or(baseline.clock);
    bool suppressed = false;
    members.each(result, "suppressions", at, [&](Node, const std::string&) { suppressed = true; });
    parsed.suppressed = suppressed;
    refuse_duplicate(parsed, at, seen, members);
    baseline.findings.push_back(std::move(parsed));
  });
  return members.problem;
}

}  // namespace

std::string snapshot_identity(const std::string& account_id, const std::string& region, const std::string& directory) {
  return !account_id.empty() && !region.empty() ? account_id + "/" + region : directory;
}

std::optional<ReportContents> read_report(const std::string& path, std::string& error) {
  // Through the one opener of inputs: never a FIFO or device, and remembered so that no output
  // of this run can be written over it. Bounded: a report is untrusted input.
  constexpr uint64_t kMaxReportBytes = uint64_t{4} << 30;  // simdjson's document limit
  std::string text;
  if (!read_regular_file(path, text, error, kMaxReportBytes)) return std::nullopt;
  const simdjson::padded_string padded(text);
  text = std::string();
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
  ReportContents contents;
  std::optional<std::string> problem;
  std::string format = "fleetaudit";
  if (!top.at_key("runs").error()) {
    format = "SARIF";
    // An organization's SARIF holds several audits (runs, or invocations of one run): read as one
    // audit, its other accounts' results would be taken for the first's.
    array runs;
    const bool listed = !top.at_key("runs").get_array().get(runs);
    if (listed && runs.size() > 1) {
      error = "an organization's SARIF report (several runs); use its JSON report (--format json)";
      return std::nullopt;
    }
    array invocations;
    if (listed && runs.size() == 1 && !runs.at(0)["invocations"].get_array().get(invocations) &&
        invocations.size() > 1) {
      error = "an organization's SARIF report (several invocations); use its JSON report (--format json)";
      return std::nullopt;
    }
    problem = read_sarif_report(Node(element(root)), contents.audits.emplace_back());
  } else if (!top.at_key("findings").error()) {
    format = "JSON";
    problem = read_json_report(Node(element(root)), contents);
  } else {
    problem = "neither a SARIF report (\"runs\") nor a JSON report (\"findings\")";
  }
  if (problem) {
    error = fmt::format("not usable as a {} report: {}", format, *problem);
    return std::nullopt;
  }
  for (Baseline& audit : contents.audits) audit.path = path;
  return contents;
}

std::optional<Baseline> read_baseline(const std::string& path, std::string& error) {
  std::optional<ReportContents> contents = read_report(path, error);
  if (!contents) return std::nullopt;
  if (contents->audits.size() != 1) {
    error = "an organization's report; a snapshot's audit takes the report of one snapshot as --baseline";
    return std::nullopt;
  }
  return std::move(contents->audits.front());
}

}  // namespace fleetaudit
