#include "analyzer/lint/template_roles.h"

#include <fmt/format.h>

#include "analyzer/policy/arn.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::lint {

namespace {

// The template role a role ARN names (by the role name after role/ and any path), or nullptr.
const RoleInput* role_of_arn(const IacFile& file, const std::string& arn) {
  const std::optional<std::string_view> name = policy::arn_role_name(arn);
  if (!name) return nullptr;
  for (const RoleInput& role : file.roles)
    if (role.name == *name) return &role;
  return nullptr;
}

std::string role_arn(const RoleInput& role, const StackContext& stack) {
  return fmt::format("arn:{}:iam::{}:role/{}", stack.partition, stack.account, role.name);
}

// The role's statements, all or none: judging a role on part of its policies could miss a Deny.
bool append_role(IacFile& file, const RoleInput& role, const StackContext& stack, Snapshot& snapshot) {
  std::vector<std::string> documents;
  for (size_t i = 0; i < role.documents.size(); ++i) {
    documents.push_back(document_json(role.documents[i], stack));
    policy::PolicyStatementTable scratch;
    if (auto error = policy::append_policy_document(documents.back(), 0, scratch)) {
      file.problem(DiagnosticSeverity::error, role.document_spans[i],
                   fmt::format("role {}: {}{}{}; the role is not checked", role.name, error->json_path,
                               error->json_path.empty() ? "" : ": ", error->message));
      return false;
    }
  }
  IamTables& iam = snapshot.iam;
  const uint32_t row = static_cast<uint32_t>(iam.roles.size());
  iam.roles.arn.push_back(snapshot.strings.intern(role_arn(role, stack)));
  iam.roles.name.push_back(snapshot.strings.intern(role.name));
  iam.roles.first_statement.push_back(static_cast<uint32_t>(iam.statements.size()));
  for (const std::string& document : documents) (void)policy::append_policy_document(document, row, iam.statements);
  iam.roles.end_statement.push_back(static_cast<uint32_t>(iam.statements.size()));
  iam.roles.source.push_back(0);
  return true;
}

const char* what_uses(const RoleUseInput& use) {
  switch (use.kind) {
    case RoleUseInput::Kind::role_alias: return "role alias";
    case RoleUseInput::Kind::authenticated: return "identity pool (authenticated role)";
    case RoleUseInput::Kind::unauthenticated: return "identity pool (unauthenticated role)";
  }
  return "";
}

// Why the role of `use` cannot be judged from this template; empty when it can.
std::string unchecked_because(const RoleUseInput& use, const RoleInput* role) {
  if (role == nullptr)
    return fmt::format("its role {} is not a role of this template (another stack's?)",
                       use.role_arn.empty() ? "<not a string>" : use.role_arn);
  if (!role->unknown_managed_policies.empty())
    return fmt::format("its role {} has policies the template does not give ({})", role->name,
                       role->unknown_managed_policies.front());
  return {};
}

void add_use(const RoleUseInput& use, StringId arn, uint32_t role_row, const StackContext& stack, Snapshot& snapshot) {
  IamTables& iam = snapshot.iam;
  if (use.kind == RoleUseInput::Kind::role_alias) {
    iam.role_aliases.alias.push_back(snapshot.strings.intern(use.holder));
    iam.role_aliases.alias_arn.push_back(snapshot.strings.intern(
        fmt::format("arn:{}:iot:{}:{}:rolealias/{}", stack.partition, stack.region, stack.account, use.holder)));
    iam.role_aliases.role_arn.push_back(arn);
    iam.role_aliases.role_row.push_back(role_row);
    iam.role_aliases.source.push_back(0);
    iam.role_aliases.json_path.push_back(kNoString);
    snapshot.present[static_cast<size_t>(SnapshotFile::role_aliases)] = true;
    return;
  }
  IdentityPoolRoleTable& pools = iam.pool_roles;
  pools.pool_id.push_back(snapshot.strings.intern(use.holder));
  pools.kind.push_back(use.kind == RoleUseInput::Kind::authenticated ? IdentityPoolRoleTable::Kind::authenticated
                                                                     : IdentityPoolRoleTable::Kind::unauthenticated);
  pools.role_arn.push_back(arn);
  pools.provider.push_back(kNoString);
  pools.role_row.push_back(role_row);
  pools.source.push_back(0);
  pools.json_path.push_back(kNoString);
  snapshot.present[static_cast<size_t>(SnapshotFile::cognito_identity_pool_roles)] = true;
}

}  // namespace

void add_roles(IacFile& file, TemplateSnapshot& built) {
  Snapshot& snapshot = built.snapshot;
  built.role_use_role_arn.assign(file.role_uses.size(), {});
  built.role_use_role.assign(file.role_uses.size(), 0);
  std::unordered_map<const RoleInput*, uint32_t> row_of;  // the roles appended, on first use
  for (size_t i = 0; i < file.role_uses.size(); ++i) {
    const RoleUseInput& use = file.role_uses[i];
    const RoleInput* role = role_of_arn(file, use.role_arn);
    if (std::string why = unchecked_because(use, role); !why.empty()) {
      file.unchecked(use.where,
                   fmt::format("{} {}: {}; its role checks are not run for it", what_uses(use), use.holder, why));
      continue;
    }
    auto [found, added] = row_of.emplace(role, static_cast<uint32_t>(snapshot.iam.roles.size()));
    if (added && !append_role(file, *role, built.stack, snapshot)) found->second = UINT32_MAX;
    if (found->second == UINT32_MAX) continue;
    const std::string arn = role_arn(*role, built.stack);
    add_use(use, snapshot.strings.intern(arn), found->second, built.stack, snapshot);
    built.role_use_role_arn[i] = arn;
    built.role_use_role[i] = static_cast<size_t>(role - file.roles.data());
    built.role_by_arn.emplace(arn, built.role_use_role[i]);
    if (use.kind == RoleUseInput::Kind::role_alias)
      built.role_use_by_alias_arn.emplace(snapshot.text(snapshot.iam.role_aliases.alias_arn.back()), i);
  }
  if (!snapshot.iam.roles.arn.empty())
    snapshot.present[static_cast<size_t>(SnapshotFile::iam_authorization_details)] = true;
}

}  // namespace fleetaudit::lint
