#include "analyzer/engine/finding.h"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

namespace fleetaudit {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::critical: return "CRITICAL";
    case Severity::high: return "HIGH";
    case Severity::medium: return "MEDIUM";
    case Severity::low: return "LOW";
  }
  return "";
}

const char* to_string(ResourceType type) {
  switch (type) {
    case ResourceType::device_certificate: return "DEVICE_CERTIFICATE";
    case ResourceType::ca_certificate: return "CA_CERTIFICATE";
    case ResourceType::iot_policy: return "IOT_POLICY";
    case ResourceType::cognito_identity_pool: return "COGNITO_IDENTITY_POOL";
    case ResourceType::client_id: return "CLIENT_ID";
    case ResourceType::account_settings: return "ACCOUNT_SETTINGS";
    case ResourceType::role_alias: return "ROLE_ALIAS";
    case ResourceType::iam_role: return "IAM_ROLE";
    case ResourceType::issuer_certificate: return "ISSUER_CERTIFICATE";
  }
  return "";
}

std::optional<ResourceType> resource_type_named(std::string_view name) {
  for (uint8_t i = 0; i <= static_cast<uint8_t>(ResourceType::issuer_certificate); ++i)
    if (name == to_string(static_cast<ResourceType>(i))) return static_cast<ResourceType>(i);
  return std::nullopt;
}

const char* ResourceIdentifier::member_name() const {
  switch (kind) {
    case Kind::device_certificate_id: return "deviceCertificateId";
    case Kind::ca_certificate_id: return "caCertificateId";
    case Kind::cognito_identity_pool_id: return "cognitoIdentityPoolId";
    case Kind::client_id: return "clientId";
    case Kind::policy_version: return "policyVersionIdentifier";
    case Kind::account: return "account";
    case Kind::iam_role_arn: return "iamRoleArn";
    case Kind::role_alias_arn: return "roleAliasArn";
  }
  return "";
}

namespace {
// The pieces key() joins.
struct KeyPieces {
  std::string_view pieces[5];
  size_t count;
  explicit KeyPieces(const ResourceIdentifier& id)
      : pieces{id.member_name(), "=", id.value, "@", id.version_id},
        count(id.kind == ResourceIdentifier::Kind::policy_version ? 5 : 3) {}
};
}  // namespace

int compare_keys(const ResourceIdentifier& a, const ResourceIdentifier& b) {
  const KeyPieces left(a), right(b);
  size_t i = 0, j = 0;            // piece
  size_t at_i = 0, at_j = 0;      // offset within it
  for (;;) {
    while (i < left.count && at_i == left.pieces[i].size()) ++i, at_i = 0;
    while (j < right.count && at_j == right.pieces[j].size()) ++j, at_j = 0;
    if (i == left.count || j == right.count) return (i == left.count ? 0 : 1) - (j == right.count ? 0 : 1);
    const size_t span = std::min(left.pieces[i].size() - at_i, right.pieces[j].size() - at_j);
    if (int c = left.pieces[i].substr(at_i, span).compare(right.pieces[j].substr(at_j, span)); c != 0) return c;
    at_i += span;
    at_j += span;
  }
}

std::string ResourceIdentifier::key() const {
  std::string out = member_name();
  out += '=';
  out += value;
  if (kind == Kind::policy_version) {
    out += '@';
    out += version_id;
  }
  return out;
}

std::optional<ResourceIdentifier> parse_resource_key(std::string_view key) {
  const size_t equals = key.find('=');
  if (equals == std::string_view::npos || equals + 1 == key.size()) return std::nullopt;
  for (uint8_t k = 0; k <= static_cast<uint8_t>(ResourceIdentifier::Kind::role_alias_arn); ++k) {
    ResourceIdentifier id{static_cast<ResourceIdentifier::Kind>(k), {}, {}};
    if (key.substr(0, equals) != id.member_name()) continue;
    std::string_view value = key.substr(equals + 1);
    if (id.kind == ResourceIdentifier::Kind::policy_version) {
      // Policy names may hold '@'; version ids are digits, so the last '@' separates them.
      const size_t at = value.rfind('@');
      if (at == std::string_view::npos || at == 0 || at + 1 == value.size()) return std::nullopt;
      id.version_id = std::string(value.substr(at + 1));
      value = value.substr(0, at);
    }
    id.value = std::string(value);
    return id;
  }
  return std::nullopt;
}

namespace {
std::string sid_suffix(std::string_view sid, std::string_view before, std::string_view after) {
  return sid.empty() ? std::string() : fmt::format("{}Sid \"{}\"{}", before, sid, after);
}
}  // namespace

std::string example_text(const StatementEvidence& grant) {
  return fmt::format("{} on {} (statement {}{})", grant.action, grant.witness, grant.number,
                     sid_suffix(grant.sid, ", ", ""));
}

std::string other_policy_statement_text(const StatementEvidence& statement) {
  return fmt::format("policy {} statement {}{}", statement.policy, statement.number,
                     sid_suffix(statement.sid, " (", ")"));
}

std::string deny_text(const StatementEvidence& deny) {
  std::string text = fmt::format("statement {} ({})", deny.number, deny.resource);
  if (deny.kind != StatementEvidence::Kind::bypassed_deny) return text;
  text += fmt::format(", bypassed through statement {}: subscribing to {}", deny.through, deny.witness);
  if (!deny.topic.empty()) text += fmt::format(" receives {}", deny.topic);
  return text;
}

std::string role_text(const RoleEvidence& role) {
  switch (role.use) {
    case RoleEvidence::Use::authenticated: return fmt::format("authenticated role {}", role.role_arn);
    case RoleEvidence::Use::unauthenticated: return fmt::format("unauthenticated role {}", role.role_arn);
    case RoleEvidence::Use::role_mapping:
      return fmt::format("role-mapping role {} (provider {})", role.role_arn, role.provider);
  }
  return "";
}

namespace {
std::atomic<WordingRewrite> wording_rewrite{nullptr};
}  // namespace

void set_wording_rewrite_for_tests(WordingRewrite rewrite) { wording_rewrite = rewrite; }

void apply_wording_rewrite(Finding& finding) {
  const WordingRewrite rewrite = wording_rewrite.load(std::memory_order_relaxed);
  if (rewrite != nullptr) rewrite(finding);
}

const char* to_string(StatementEvidence::Kind kind) {
  switch (kind) {
    case StatementEvidence::Kind::grants: return "grants";
    case StatementEvidence::Kind::takes_back: return "takesBack";
    case StatementEvidence::Kind::wildcard_deny: return "wildcardDeny";
    case StatementEvidence::Kind::bypassed_deny: return "bypassedDeny";
  }
  return "grants";
}

std::optional<StatementEvidence::Kind> statement_evidence_kind_named(std::string_view name) {
  for (auto kind : {StatementEvidence::Kind::grants, StatementEvidence::Kind::takes_back,
                    StatementEvidence::Kind::wildcard_deny, StatementEvidence::Kind::bypassed_deny})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

const char* to_string(RoleEvidence::Use use) {
  switch (use) {
    case RoleEvidence::Use::authenticated: return "authenticated";
    case RoleEvidence::Use::unauthenticated: return "unauthenticated";
    case RoleEvidence::Use::role_mapping: return "roleMapping";
  }
  return "authenticated";
}

std::optional<RoleEvidence::Use> role_evidence_use_named(std::string_view name) {
  for (auto use :
       {RoleEvidence::Use::authenticated, RoleEvidence::Use::unauthenticated, RoleEvidence::Use::role_mapping})
    if (name == to_string(use)) return use;
  return std::nullopt;
}

}  // namespace fleetaudit
