#include "analyzer/report/html/evidence_list.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyzer/report/html/html_text.h"

namespace fleetaudit::html {

namespace {

// Patterns and ARNs are long: each value is cut as a cell's text is, and stays escaped.
constexpr size_t kValueShown = 300;

std::string code(std::string_view value) { return fmt::format("<code>{}</code>", capped_text(value, kValueShown)); }

// "statement 3 (Sid X)", "policy P statement 2": the statement as AWS's console numbers it.
std::string statement_name(const StatementEvidence& statement) {
  std::string text;
  if (!statement.policy.empty())
    text = fmt::format("policy <b class=\"name\">{}</b> ", capped_text(statement.policy, kValueShown));
  text += fmt::format("statement <b>{}</b>", statement.number);
  if (!statement.sid.empty()) text += fmt::format(" (Sid {})", code(statement.sid));
  return text;
}

std::string statement_item(const StatementEvidence& statement) {
  using Kind = StatementEvidence::Kind;
  std::string text = statement_name(statement);
  switch (statement.kind) {
    case Kind::grants:
      text += fmt::format(" grants {} on {}", code(statement.action), code(statement.witness));
      if (!statement.resource.empty()) text += " through " + code(statement.resource);
      break;
    case Kind::takes_back:
      text += " denies";
      if (!statement.resource.empty()) text += " " + code(statement.resource);
      text += ", taking back what this policy grants";
      break;
    case Kind::wildcard_deny:
      text += fmt::format(" denies {}, whose MQTT wildcard a policy reads literally", code(statement.resource));
      break;
    case Kind::bypassed_deny:
      text += fmt::format(" denies subscribing to {}, bypassed through statement <b>{}</b> by subscribing to {}",
                          code(statement.resource), statement.through, code(statement.witness));
      if (!statement.topic.empty()) text += ", which receives " + code(statement.topic);
      break;
  }
  return fmt::format("<li data-evidence=\"{}\">{}</li>", to_string(statement.kind), text);
}

std::string role_item(const RoleEvidence& role) {
  std::string text = fmt::format("{} role {}",
                                 role.use == RoleEvidence::Use::authenticated     ? "authenticated"
                                 : role.use == RoleEvidence::Use::unauthenticated ? "unauthenticated"
                                                                                  : "role-mapping",
                                 code(role.role_arn));
  if (!role.provider.empty()) text += " for provider " + code(role.provider);
  return fmt::format("<li data-evidence=\"{}\">{}</li>", to_string(role.use), text);
}

}  // namespace

std::string evidence_list(const Evidence& evidence) {
  if (evidence.empty()) return {};
  const size_t total = evidence.statements.size() + evidence.roles.size();
  std::string text = "<ul class=\"evidence\">";
  size_t shown = 0;
  for (const StatementEvidence& statement : evidence.statements)
    if (shown < kEvidenceShownPerFinding) {
      text += statement_item(statement);
      ++shown;
    }
  for (const RoleEvidence& role : evidence.roles)
    if (shown < kEvidenceShownPerFinding) {
      text += role_item(role);
      ++shown;
    }
  if (shown < total)
    text += fmt::format("<li class=\"more\">… and {} more: <code>--format json</code> lists them all.</li>",
                        thousands(total - shown));
  return text + "</ul>";
}

}  // namespace fleetaudit::html
