#include "analyzer/access/access_report.h"

#include <fmt/format.h>

#include "analyzer/util/json_writer.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit::access {

namespace {

using policy::RequestDecision;

std::string safe(std::string_view text) { return escape_control(text); }

std::string certificate_id(const Snapshot& snapshot, uint32_t row) {
  return std::string(snapshot.text(snapshot.certificates.certificate_id[row]));
}

// " if its Condition holds, for some client ids"
std::string terms(bool conditional, uint8_t depends) {
  std::string text;
  if (conditional) text += " if its Condition holds";
  if (depends & policy::kDependsOnClientId) text += text.empty() ? " for some client ids" : ", for some client ids";
  if (depends & policy::kDependsOnOtherVariable)
    text += text.empty() ? " depending on the device's variables" : ", depending on the device's variables";
  return text;
}

// policy P version V statement N (Sid "x")
std::string describe(const Snapshot& snapshot, uint32_t statement) {
  const StatementOrigin origin = origin_of(snapshot, statement);
  return fmt::format("policy {} version {} statement {}{}", safe(origin.policy), safe(origin.version), origin.index,
                     origin.sid.empty() ? "" : fmt::format(" (Sid \"{}\")", safe(origin.sid)));
}

std::string describe_role_statement(const Snapshot& snapshot, uint32_t role_row, uint32_t statement) {
  const std::string_view sid = snapshot.iam.statements.sid(statement);
  return fmt::format("role {} statement {}{}", safe(snapshot.text(snapshot.iam.roles.name[role_row])),
                     statement - snapshot.iam.roles.first_statement[role_row] + 1,
                     sid.empty() ? "" : fmt::format(" (Sid \"{}\")", safe(sid)));
}

std::vector<std::string> dependencies(uint8_t depends) {
  std::vector<std::string> names;
  if (depends & policy::kDependsOnClientId) names.emplace_back("iot:ClientId");
  if (depends & policy::kDependsOnOtherVariable) names.emplace_back("otherVariables");
  return names;
}

void write_statement_json(JsonWriter& json, const StatementOrigin& origin) {
  json.key("policyName").value(origin.policy);
  json.key("policyVersionId").value(origin.version);
  json.key("statement").value(origin.index);
  json.key("sid").value(origin.sid);
}

void write_terms_json(JsonWriter& json, bool conditional, uint8_t depends) {
  json.key("conditional").value(conditional);
  json.key("dependsOn").begin_array();
  for (const std::string& name : dependencies(depends)) json.value(name);
  json.end_array();
}

const char* role_kind(RolePrincipal::Kind kind) {
  return kind == RolePrincipal::Kind::cognito_pool ? "cognitoIdentityPool" : "roleAlias";
}

std::string role_principal_text(const Snapshot& snapshot, const RolePrincipal& role) {
  const std::string arn = safe(snapshot.text(snapshot.iam.roles.arn[role.role_row]));
  if (role.kind == RolePrincipal::Kind::cognito_pool)
    return fmt::format("cognito-pool {} ({} role {})", safe(role.name), safe(role.detail), arn);
  return fmt::format("role-alias {} (role {})", safe(role.name), arn);
}

std::string certificate_principal_text(const Snapshot& snapshot, const CertificatePrincipal& principal) {
  const std::string thing =
      principal.thing == kNoString ? "(no thing)" : "thing " + safe(snapshot.text(principal.thing));
  return fmt::format("{} certificate {} ({})", thing, safe(certificate_id(snapshot, principal.certificate_row)),
                     to_string(snapshot.certificates.status[principal.certificate_row]));
}

std::string grants_text(const RequestDecision& decision, const auto& describe_statement) {
  std::string text;
  for (const policy::Grant& grant : decision.allowed_by)
    text += (text.empty() ? "" : "; ") + describe_statement(grant.statement) + terms(grant.conditional, grant.depends);
  return text;
}

std::string denies_text(const RequestDecision& decision, const auto& describe_statement) {
  std::string text;
  for (uint32_t statement : decision.denied_by) text += (text.empty() ? "" : "; ") + describe_statement(statement);
  return text;
}

}  // namespace

void write_resource_text(const Snapshot& snapshot, policy::DataPlaneAction action, const std::string& resource,
                         const ResourceAccess& access, std::FILE* out) {
  fmt::print(out, "{} on {}: {} certificate principal{} and {} role{} allowed\n", policy::action_name(action),
             safe(resource), access.allowed.size(), access.allowed.size() == 1 ? "" : "s", access.roles.size(),
             access.roles.size() == 1 ? "" : "s");
  auto policy_statement = [&](uint32_t statement) { return describe(snapshot, statement); };
  for (const CertificatePrincipal& principal : access.allowed)
    fmt::print(out, "ALLOWED {}: {}\n", certificate_principal_text(snapshot, principal),
               grants_text(access.decisions[principal.decision], policy_statement));
  for (const RolePrincipal& role : access.roles) {
    auto role_statement = [&](uint32_t statement) { return describe_role_statement(snapshot, role.role_row, statement); };
    fmt::print(out, "ALLOWED {}: {}\n", role_principal_text(snapshot, role), grants_text(role.decision, role_statement));
  }
  for (const CertificatePrincipal& principal : access.denied) {
    const RequestDecision& decision = access.decisions[principal.decision];
    fmt::print(out, "DENIED {}: allowed by {} but denied by {}\n", certificate_principal_text(snapshot, principal),
               grants_text(decision, policy_statement), denies_text(decision, policy_statement));
  }
  for (const RolePrincipal& role : access.denied_roles) {
    auto role_statement = [&](uint32_t statement) { return describe_role_statement(snapshot, role.role_row, statement); };
    fmt::print(out, "DENIED {}: allowed by {} but denied by {}\n", role_principal_text(snapshot, role),
               grants_text(role.decision, role_statement), denies_text(role.decision, role_statement));
  }
}

namespace {

void write_certificate_principal_json(JsonWriter& json, const Snapshot& snapshot, const ResourceAccess& access,
                                      const CertificatePrincipal& principal) {
  const RequestDecision& decision = access.decisions[principal.decision];
  json.begin_object();
  json.key("type").value("certificate");
  json.key("certificateId").value(certificate_id(snapshot, principal.certificate_row));
  json.key("certificateStatus").value(to_string(snapshot.certificates.status[principal.certificate_row]));
  if (principal.thing != kNoString) json.key("thingName").value(snapshot.text(principal.thing));
  json.key("allowedBy").begin_array();
  for (const policy::Grant& grant : decision.allowed_by) {
    json.begin_object();
    write_statement_json(json, origin_of(snapshot, grant.statement));
    write_terms_json(json, grant.conditional, grant.depends);
    json.end_object();
  }
  json.end_array();
  json.key("deniedBy").begin_array();
  for (uint32_t statement : decision.denied_by) {
    json.begin_object();
    write_statement_json(json, origin_of(snapshot, statement));
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_role_principal_json(JsonWriter& json, const Snapshot& snapshot, const RolePrincipal& role) {
  auto statement_json = [&](uint32_t statement) {
    json.key("roleName").value(snapshot.text(snapshot.iam.roles.name[role.role_row]));
    json.key("statement").value(statement - snapshot.iam.roles.first_statement[role.role_row] + 1);
    json.key("sid").value(snapshot.iam.statements.sid(statement));
  };
  json.begin_object();
  json.key("type").value(role_kind(role.kind));
  json.key(role.kind == RolePrincipal::Kind::cognito_pool ? "identityPoolId" : "roleAlias").value(role.name);
  if (role.kind == RolePrincipal::Kind::cognito_pool) json.key("roleKind").value(role.detail);
  json.key("roleArn").value(snapshot.text(snapshot.iam.roles.arn[role.role_row]));
  json.key("allowedBy").begin_array();
  for (const policy::Grant& grant : role.decision.allowed_by) {
    json.begin_object();
    statement_json(grant.statement);
    write_terms_json(json, grant.conditional, grant.depends);
    json.end_object();
  }
  json.end_array();
  json.key("deniedBy").begin_array();
  for (uint32_t statement : role.decision.denied_by) {
    json.begin_object();
    statement_json(statement);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

void write_resource_json(const Snapshot& snapshot, policy::DataPlaneAction action, const std::string& resource,
                         const ResourceAccess& access, std::FILE* out) {
  JsonWriter json(out);
  json.begin_object();
  json.key("action").value(policy::action_name(action));
  json.key("resource").value(resource);
  for (const bool allowed : {true, false}) {
    json.key(allowed ? "allowed" : "denied").begin_array();
    for (const CertificatePrincipal& principal : allowed ? access.allowed : access.denied)
      write_certificate_principal_json(json, snapshot, access, principal);
    for (const RolePrincipal& role : allowed ? access.roles : access.denied_roles)
      write_role_principal_json(json, snapshot, role);
    json.end_array();
  }
  json.end_object();
  json.flush();
  std::fputc('\n', out);
}

namespace {

std::string patterns_text(const StatementPatterns& patterns) {
  std::string text = patterns.not_resource ? "everything but " : "";
  for (size_t i = 0; i < patterns.resources.size(); ++i) text += (i ? ", " : "") + safe(patterns.resources[i]);
  return text;
}

const char* left_text(StatementPatterns::Left left) {
  switch (left) {
    case StatementPatterns::Left::some: return "";
    case StatementPatterns::Left::nothing: return " [all of it denied]";
    case StatementPatterns::Left::undecided: return " [too complex to decide what the Deny leaves]";
  }
  return "";
}

const char* left_json(StatementPatterns::Left left) {
  switch (left) {
    case StatementPatterns::Left::some: return "some";
    case StatementPatterns::Left::nothing: return "nothing";
    case StatementPatterns::Left::undecided: return "undecided";
  }
  return "";
}

std::string policy_names(const Snapshot& snapshot, const std::vector<uint32_t>& policies) {
  std::string text;
  for (uint32_t policy : policies) text += (text.empty() ? "" : ", ") + safe(snapshot.text(snapshot.policies.name[policy]));
  return text.empty() ? "none" : text;
}

}  // namespace

void write_thing_text(const Snapshot& snapshot, const ThingPermissions& permissions, std::FILE* out) {
  fmt::print(out, "thing {}: {} certificate{}\n", safe(permissions.thing), permissions.certificates.size(),
             permissions.certificates.size() == 1 ? "" : "s");
  for (const CertificatePermissions& certificate : permissions.certificates) {
    fmt::print(out, "  certificate {} ({}), policies: {}\n", safe(certificate_id(snapshot, certificate.certificate_row)),
               to_string(snapshot.certificates.status[certificate.certificate_row]),
               policy_names(snapshot, certificate.policies));
    if (certificate.actions.empty()) fmt::print(out, "    no data-plane action allowed\n");
    for (const ActionPermissions& action : certificate.actions) {
      fmt::print(out, "    {}\n", policy::action_name(action.action));
      for (const StatementPatterns& allow : action.allow)
        fmt::print(out, "      allow {}  by {}{}{}\n", patterns_text(allow), describe(snapshot, allow.statement),
                   terms(allow.conditional, allow.depends), left_text(allow.left));
      for (const StatementPatterns& deny : action.deny)
        fmt::print(out, "      deny  {}  by {}\n", patterns_text(deny), describe(snapshot, deny.statement));
    }
  }
}

void write_thing_json(const Snapshot& snapshot, const ThingPermissions& permissions, std::FILE* out) {
  JsonWriter json(out);
  auto statement_json = [&](const StatementPatterns& patterns) {
    json.begin_object();
    write_statement_json(json, origin_of(snapshot, patterns.statement));
    json.key(patterns.not_resource ? "notResources" : "resources").begin_array();
    for (const std::string& resource : patterns.resources) json.value(resource);
    json.end_array();
  };
  json.begin_object();
  json.key("thingName").value(permissions.thing);
  json.key("certificates").begin_array();
  for (const CertificatePermissions& certificate : permissions.certificates) {
    json.begin_object();
    json.key("certificateId").value(certificate_id(snapshot, certificate.certificate_row));
    json.key("certificateStatus").value(to_string(snapshot.certificates.status[certificate.certificate_row]));
    json.key("policies").begin_array();
    for (uint32_t policy : certificate.policies) json.value(snapshot.text(snapshot.policies.name[policy]));
    json.end_array();
    json.key("actions").begin_array();
    for (const ActionPermissions& action : certificate.actions) {
      json.begin_object();
      json.key("action").value(policy::action_name(action.action));
      json.key("allow").begin_array();
      for (const StatementPatterns& allow : action.allow) {
        statement_json(allow);
        write_terms_json(json, allow.conditional, allow.depends);
        json.key("leftAfterDeny").value(left_json(allow.left));
        json.end_object();
      }
      json.end_array();
      json.key("deny").begin_array();
      for (const StatementPatterns& deny : action.deny) {
        statement_json(deny);
        json.end_object();
      }
      json.end_array();
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.flush();
  std::fputc('\n', out);
}

}  // namespace fleetaudit::access
