#include <fmt/format.h>

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/iam/policy_text.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/top_level_arrays.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::load {

namespace {

// A policy document: a JSON object (CLI output) or a URL-encoded JSON string (SDKs). Fills
// `text` with the JSON text and tells whether it had to be decoded; false after reporting what was
// wrong.
bool read_document(RecordReader& record, ondemand::value value, const JsonPath& path, std::string& text,
                   bool& decoded) {
  decoded = false;
  const char* at = location_of(value);
  ondemand::json_type type;
  if (auto code = value.type().get(type); code) {
    record.error(code, at, path, "a policy document");
    return false;
  }
  if (type == ondemand::json_type::string) {
    auto encoded = record.string(value, path);
    if (!encoded) return false;
    auto decoded_text = iam::document_text_from_string(*encoded);
    if (!decoded_text) {
      record.fail_at(at, path, "the policy document string is neither JSON nor valid URL encoding");
      return false;
    }
    decoded = *decoded_text != *encoded;
    text = std::move(*decoded_text);
    return true;
  }
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    std::string_view raw;
    if (auto code = value.get_object().get(object); code) {
      record.error(code, at, path, "an object");
      return false;
    }
    if (auto code = object.raw_json().get(raw); code) {
      record.error(code, at, path, "a policy document");
      return false;
    }
    text.assign(raw);
    return true;
  }
  record.fail_at(at, path, "expected a policy document (a JSON object or a URL-encoded JSON string)");
  record.consume(value, path);
  return false;
}

// Parses `text` into `table` as statements of `owner_row`; reports a bad document at `at`.
bool parse_document(RecordReader& record, const char* at, const JsonPath& path, std::string_view what,
                    const std::string& text, bool decoded, uint32_t owner_row, policy::PolicyStatementTable& table) {
  auto problem = policy::append_policy_document(text, owner_row, table);
  if (!problem) return true;
  record.fail_at(at, path,
                 fmt::format("{}: the policy document is not valid: {}{}{} (at character {}{})", what, problem->json_path,
                             problem->json_path.empty() ? "" : ": ", problem->message, problem->offset + 1,
                             decoded ? " of the URL-decoded document" : ""));
  return false;
}

struct PendingRole {
  StringId arn = kNoString;
  StringId name = kNoString;
  uint32_t first_inline = 0, end_inline = 0;  // in the inline staging table
  std::vector<StringId> managed_policy_arns;
  uint64_t source = 0;
  int64_t index = 0;  // in RoleDetailList
};

void copy_statements(const policy::PolicyStatementTable& from, uint32_t first, uint32_t end, uint32_t owner_row,
                     policy::PolicyStatementTable& to, std::vector<std::string_view>& actions,
                     std::vector<std::string_view>& resources) {
  for (uint32_t statement = first; statement < end; ++statement) {
    actions.clear();
    resources.clear();
    for (StringId id : from.actions(statement)) actions.push_back(from.pattern(id));
    for (StringId id : from.resources(statement)) resources.push_back(from.pattern(id));
    to.append(owner_row, from.flags(statement), actions, resources, from.sid(statement));
  }
}

constexpr std::array<std::string_view, 2> kArrays{"RoleDetailList", "Policies"};

// What the file holds before roles are assembled: statements staged per inline and managed
// policy, and the roles with the policies they name.
struct Staged {
  policy::PolicyStatementTable inline_statements, managed_statements;
  std::vector<PendingRole> roles;
  // Managed policy ARN -> statement range of its default version in managed_statements.
  std::unordered_map<StringId, std::pair<uint32_t, uint32_t>> managed_by_arn;
  std::string text;  // a document's text, reused
};

// RolePolicyList[index]: an inline policy, staged as statements of role `role_index`.
void read_inline_policy(RecordReader& record, ondemand::value element, int64_t index, uint32_t role_index,
                        Staged& staged) {
  auto entry = record.object(element, record.path("RolePolicyList", index));
  if (!entry) return;
  std::string policy_name;
  const char* document_at = nullptr;
  bool has_document = false, decoded = false;
  const JsonPath document_path = record.path("RolePolicyList", index, "PolicyDocument");
  for_each_field(record, *entry, record.path("RolePolicyList", index), [&](std::string_view inner, ondemand::value v) {
    if (inner == "PolicyName") {
      if (auto name = record.string(v, record.path("RolePolicyList", index, "PolicyName"))) policy_name.assign(*name);
    } else if (inner == "PolicyDocument") {
      document_at = location_of(v);
      has_document = read_document(record, v, document_path, staged.text, decoded);
    } else {
      record.consume(v, record.path("RolePolicyList", index, inner));
    }
  });
  if (record.broken() || !has_document) return;
  parse_document(record, document_at, document_path, fmt::format("inline policy {}", policy_name), staged.text, decoded,
                 role_index, staged.inline_statements);
}

// AttachedManagedPolicies[index]: the ARN of a managed policy the role attaches.
void read_attached_policy(RecordReader& record, ondemand::value element, int64_t index, Snapshot& snapshot,
                          PendingRole& role) {
  auto entry = record.object(element, record.path("AttachedManagedPolicies", index));
  if (!entry) return;
  for_each_field(record, *entry, record.path("AttachedManagedPolicies", index),
                 [&](std::string_view inner, ondemand::value v) {
                   if (inner == "PolicyArn") {
                     if (auto arn = record.string(v, record.path("AttachedManagedPolicies", index, "PolicyArn")))
                       role.managed_policy_arns.push_back(snapshot.strings.intern(*arn));
                   } else {
                     record.consume(v, record.path("AttachedManagedPolicies", index, inner));
                   }
                 });
}

// One record of RoleDetailList.
void read_role(FileReader& file, RecordReader& record, ondemand::object object, Snapshot& snapshot, Staged& staged) {
  PendingRole role;
  role.source = file.offset_of(record.start());
  role.index = static_cast<int64_t>(staged.roles.size());
  const uint32_t role_index = static_cast<uint32_t>(staged.roles.size());
  role.first_inline = static_cast<uint32_t>(staged.inline_statements.size());
  for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
    if (key == "Arn") {
      if (auto arn = record.string(value, record.path("Arn"))) role.arn = snapshot.strings.intern(*arn);
    } else if (key == "RoleName") {
      if (auto name = record.string(value, record.path("RoleName"))) role.name = snapshot.strings.intern(*name);
    } else if (key == "RolePolicyList") {
      auto list = record.array(value, record.path("RolePolicyList"));
      if (!list) return;
      for_each_element(record, *list, record.path("RolePolicyList"), [&](int64_t index, ondemand::value element) {
        read_inline_policy(record, element, index, role_index, staged);
      });
    } else if (key == "AttachedManagedPolicies") {
      auto list = record.array(value, record.path("AttachedManagedPolicies"));
      if (!list) return;
      for_each_element(record, *list, record.path("AttachedManagedPolicies"),
                       [&](int64_t index, ondemand::value element) {
                         read_attached_policy(record, element, index, snapshot, role);
                       });
    } else {
      record.consume(value, record.path(key));
    }
  });
  if (record.broken()) return;
  role.end_inline = static_cast<uint32_t>(staged.inline_statements.size());
  if (record.ok() && role.arn == kNoString) record.fail(record.path("Arn"), "missing required field Arn");
  // A role with a bad policy is left out: judging it on part of its policies could miss a Deny.
  if (!record.ok()) {
    if (role.arn != kNoString) snapshot.iam.unreadable_role_arns.push_back(role.arn);
    role.arn = kNoString;
  }
  staged.roles.push_back(std::move(role));
}

// PolicyVersionList[index]: staged as statements of policy `policy_index` when it is the default
// version (`has_default` then set).
void read_policy_version(RecordReader& record, ondemand::value element, int64_t index, uint32_t policy_index,
                         bool& has_default, Staged& staged) {
  auto entry = record.object(element, record.path("PolicyVersionList", index));
  if (!entry) return;
  bool is_default = false, has_document = false, decoded = false;
  const char* document_at = nullptr;
  std::string version_id;
  std::string document;
  const JsonPath document_path = record.path("PolicyVersionList", index, "Document");
  for_each_field(record, *entry, record.path("PolicyVersionList", index),
                 [&](std::string_view inner, ondemand::value v) {
                   if (inner == "IsDefaultVersion") {
                     if (auto flag = record.boolean(v, record.path("PolicyVersionList", index, "IsDefaultVersion")))
                       is_default = *flag;
                   } else if (inner == "VersionId") {
                     if (auto id = record.string(v, record.path("PolicyVersionList", index, "VersionId")))
                       version_id.assign(*id);
                   } else if (inner == "Document") {
                     document_at = location_of(v);
                     has_document = read_document(record, v, document_path, document, decoded);
                   } else {
                     record.consume(v, record.path("PolicyVersionList", index, inner));
                   }
                 });
  if (record.broken() || !is_default) return;
  if (!has_document) {
    if (record.ok()) record.fail_at(location_of(element), document_path, "missing required field Document");
    return;
  }
  has_default = true;
  parse_document(record, document_at, document_path, fmt::format("managed policy version {}", version_id), document,
                 decoded, policy_index, staged.managed_statements);
}

// One record of Policies: a managed policy; only its default version counts.
void read_managed_policy(RecordReader& record, ondemand::object object, Snapshot& snapshot, Staged& staged) {
  StringId arn = kNoString;
  const uint32_t first = static_cast<uint32_t>(staged.managed_statements.size());
  bool has_default = false;
  const uint32_t policy_index = static_cast<uint32_t>(staged.managed_by_arn.size());
  for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
    if (key == "Arn") {
      if (auto text_arn = record.string(value, record.path("Arn"))) arn = snapshot.strings.intern(*text_arn);
    } else if (key == "PolicyVersionList") {
      auto list = record.array(value, record.path("PolicyVersionList"));
      if (!list) return;
      for_each_element(record, *list, record.path("PolicyVersionList"), [&](int64_t index, ondemand::value element) {
        read_policy_version(record, element, index, policy_index, has_default, staged);
      });
    } else {
      record.consume(value, record.path(key));
    }
  });
  if (record.broken()) return;
  if (record.ok() && arn == kNoString) record.fail(record.path("Arn"), "missing required field Arn");
  if (record.ok() && !has_default)
    record.fail(record.path("PolicyVersionList"), "no version has IsDefaultVersion true");
  // A managed policy that could not be read is known but empty-handed: roles using it are left out.
  if (arn != kNoString)
    staged.managed_by_arn[arn] = record.ok()
                                     ? std::make_pair(first, static_cast<uint32_t>(staged.managed_statements.size()))
                                     : std::make_pair(UINT32_MAX, UINT32_MAX);
}

// Whether every managed policy `role` attaches was read; reports one the file does not describe.
bool managed_policies_read(FileReader& file, const PendingRole& role, const Staged& staged, const Snapshot& snapshot) {
  bool complete = true;
  for (StringId policy_arn : role.managed_policy_arns) {
    auto found = staged.managed_by_arn.find(policy_arn);
    if (found == staged.managed_by_arn.end()) {
      file.report_at(role.source, JsonPath{"RoleDetailList", role.index, "AttachedManagedPolicies"},
                     fmt::format("role {} attaches managed policy {}, which the Policies list does not describe; the "
                                 "role is not evaluated (export without a --filter, or include AWSManagedPolicy)",
                                 snapshot.text(role.arn), snapshot.text(policy_arn)));
      complete = false;
    } else if (found->second.first == UINT32_MAX) {
      complete = false;  // already reported where the policy is
    }
  }
  return complete;
}

// Each role's effective statements, contiguous: inline first, then each managed policy's.
void assemble_roles(FileReader& file, Staged& staged, Snapshot& snapshot) {
  IamTables& iam = snapshot.iam;
  std::vector<std::string_view> actions, resources;
  for (const PendingRole& role : staged.roles) {
    if (role.arn == kNoString) continue;
    if (!managed_policies_read(file, role, staged, snapshot)) {
      iam.unreadable_role_arns.push_back(role.arn);
      continue;
    }
    const uint32_t row = static_cast<uint32_t>(iam.roles.size());
    iam.roles.arn.push_back(role.arn);
    iam.roles.name.push_back(role.name);
    iam.roles.first_statement.push_back(static_cast<uint32_t>(iam.statements.size()));
    copy_statements(staged.inline_statements, role.first_inline, role.end_inline, row, iam.statements, actions,
                    resources);
    for (StringId policy_arn : role.managed_policy_arns) {
      auto [first, end] = staged.managed_by_arn[policy_arn];
      copy_statements(staged.managed_statements, first, end, row, iam.statements, actions, resources);
    }
    iam.roles.end_statement.push_back(static_cast<uint32_t>(iam.statements.size()));
    iam.roles.source.push_back(role.source);
  }
}

}  // namespace

// iam-authorization-details.json: `aws iam get-account-authorization-details`, pages merged. Only
// roles and managed policies are read; users and groups are validated and ignored.
bool load_iam_authorization_details(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  Staged staged;
  const bool read = for_each_record_in_arrays(
      file, parser, kArrays, [&](std::string_view array, RecordReader& record, ondemand::object object) {
        if (array == "RoleDetailList") read_role(file, record, object, snapshot, staged);
        else read_managed_policy(record, object, snapshot, staged);
      });
  assemble_roles(file, staged, snapshot);
  return read;
}

}  // namespace fleetaudit::load
