#include "analyzer/load/loaders.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::load {

namespace {

struct PendingVersion {
  std::string version_id;
  std::string document;
  const char* document_at = nullptr;  // where policyDocument stands in the file
  const char* start = nullptr;        // the element holding this version
  JsonPath document_path;
  bool is_default = false;
};

// AWS refuses an IoT policy document longer than 2,048 characters, white space not counted: one
// past it was never deployed as written (a hand-made or hostile snapshot). Said, then judged with
// the smaller work budget the policy model gives such documents.
void warn_past_aws_limit(RecordReader& record, const PendingVersion& version, std::string_view policy_name) {
  size_t characters = 0;
  for (char c : version.document) characters += c != ' ' && c != '\t' && c != '\n' && c != '\r';
  if (characters <= policy::kIotPolicyCharacters) return;
  record.warn_at(version.document_at, version.document_path,
                 fmt::format("policy {} version {}: the document is {} characters without white space, past AWS's "
                             "limit of {} for an IoT policy; it is judged with a smaller work budget",
                             policy_name, version.version_id, characters, policy::kIotPolicyCharacters));
}

// versions[index]: a policy version other than the default, kept when it is whole.
void read_other_version(RecordReader& record, ondemand::value element, int64_t index,
                        std::vector<PendingVersion>& versions) {
  PendingVersion version;
  version.start = location_of(element);
  version.document_path = record.path("versions", index, "policyDocument");
  auto entry = record.object(element, record.path("versions", index));
  if (!entry) return;
  bool has_id = false, has_text = false;
  for_each_field(record, *entry, record.path("versions", index), [&](std::string_view inner, ondemand::value v) {
    if (inner == "policyVersionId") {
      if (auto text = record.string(v, record.path("versions", index, "policyVersionId"))) {
        version.version_id.assign(*text);
        has_id = true;
      }
    } else if (inner == "policyDocument") {
      version.document_at = location_of(v);
      if (auto text = record.string(v, version.document_path)) {
        version.document.assign(*text);
        has_text = true;
      }
    } else {
      record.consume(v, record.path("versions", index, inner));
    }
  });
  if (record.broken()) return;
  if (!has_id) {
    record.fail_at(version.start, record.path("versions", index, "policyVersionId"),
                   "missing required field policyVersionId");
  } else if (!has_text) {
    record.fail_at(version.start, version.document_path, "missing required field policyDocument");
  } else {
    versions.push_back(std::move(version));
  }
}

// The policy and its versions (the default one first) as table rows; a version whose document is
// not valid is reported and left out.
void store_policy(FileReader& file, RecordReader& record, StringId name, StringId arn,
                  const std::vector<PendingVersion>& versions, Snapshot& snapshot) {
  PolicyTable& policies = snapshot.policies;
  const uint32_t policy_row = static_cast<uint32_t>(policies.size());
  policies.name.push_back(name);
  policies.arn.push_back(arn);
  policies.default_version_id.push_back(snapshot.strings.intern(versions[0].version_id));
  policies.source.push_back(file.offset_of(record.start()));

  PolicyVersionTable& table = snapshot.policy_versions;
  for (size_t i = 0; i < versions.size(); ++i) {
    const PendingVersion& version = versions[i];
    // The default version may be listed again among "versions": keep one row.
    if (i > 0 && version.version_id == versions[0].version_id) continue;
    const uint32_t version_row = static_cast<uint32_t>(table.size());
    const uint32_t first = static_cast<uint32_t>(snapshot.policy_statements.size());
    if (auto problem = policy::append_policy_document(version.document, version_row, snapshot.policy_statements)) {
      record.fail_at(version.document_at, version.document_path,
                     fmt::format("policy {} version {}: the policy document is not valid: {}{}{} (at character {})",
                                 snapshot.text(name), version.version_id, problem->json_path,
                                 problem->json_path.empty() ? "" : ": ", problem->message, problem->offset + 1));
      continue;
    }
    warn_past_aws_limit(record, version, snapshot.text(name));
    table.policy_row.push_back(policy_row);
    table.version_id.push_back(snapshot.strings.intern(version.version_id));
    table.is_default.push_back(i == 0 ? 1 : 0);
    table.first_statement.push_back(first);
    table.end_statement.push_back(static_cast<uint32_t>(snapshot.policy_statements.size()));
    table.source.push_back(file.offset_of(version.start));
  }
}

}  // namespace

// policies.json: `aws iot get-policy` per policy (the default version), with an optional
// "versions" list of `aws iot get-policy-version` outputs for the other versions.
bool load_policies(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  std::vector<PendingVersion> versions;
  return for_each_record(file, parser, "policies", [&](RecordReader& record, ondemand::object object) {
    versions.clear();
    StringId name = kNoString, arn = kNoString;
    PendingVersion default_version;
    default_version.is_default = true;
    default_version.start = record.start();
    default_version.document_path = record.path("policyDocument");
    bool has_document = false, has_default_id = false;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "policyName") {
        if (auto text = record.string(value, record.path("policyName"))) name = snapshot.strings.intern(*text);
      } else if (key == "policyArn") {
        if (auto text = record.string(value, record.path("policyArn"))) arn = snapshot.strings.intern(*text);
      } else if (key == "policyDocument") {
        default_version.document_at = location_of(value);
        if (auto text = record.string(value, record.path("policyDocument"))) {
          default_version.document.assign(*text);
          has_document = true;
        }
      } else if (key == "defaultVersionId") {
        if (auto text = record.string(value, record.path("defaultVersionId"))) {
          default_version.version_id.assign(*text);
          has_default_id = true;
        }
      } else if (key == "versions") {
        auto array = record.array(value, record.path("versions"));
        if (!array) return;
        for_each_element(record, *array, record.path("versions"), [&](int64_t index, ondemand::value element) {
          read_other_version(record, element, index, versions);
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && name == kNoString) record.fail(record.path("policyName"), "missing required field policyName");
    if (record.ok() && !has_document)
      record.fail(record.path("policyDocument"), "missing required field policyDocument");
    if (record.ok() && !has_default_id)
      record.fail(record.path("defaultVersionId"), "missing required field defaultVersionId");
    if (!record.ok()) return;

    versions.insert(versions.begin(), std::move(default_version));
    store_policy(file, record, name, arn, versions, snapshot);
  });
}

}  // namespace fleetaudit::load
