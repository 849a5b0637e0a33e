#include "analyzer/lint/lint_rule.h"

#include <algorithm>

namespace fleetaudit::lint {

LintRuleRegistry& LintRuleRegistry::instance() {
  static LintRuleRegistry registry;
  return registry;
}

void LintRuleRegistry::add(LintRule rule) {
  auto at = std::lower_bound(rules_.begin(), rules_.end(), rule.info.name,
                             [](const LintRule& a, std::string_view name) { return a.info.name < name; });
  rules_.insert(at, std::move(rule));
}

const LintRule* LintRuleRegistry::find(std::string_view name) const {
  for (const LintRule& rule : rules_)
    if (rule.info.name == name) return &rule;
  return nullptr;
}

LintFinding lint_finding(const LintRule& rule, const PolicyInput& policy, Span where, std::string message,
                         std::string_view detail) {
  LintFinding finding = lint_finding(rule, policy.origin, where, std::move(message), policy.name + "\n" + std::string(detail));
  finding.source = policy.document_source;  // a rule points into the document
  return finding;
}

LintFinding lint_finding(const LintRule& rule, const Origin& origin, Span where, std::string message,
                         std::string_view detail) {
  LintFinding finding;
  finding.check = &rule.info;
  finding.reason_code = rule.info.reason_codes.empty() ? std::string() : std::string(rule.info.reason_codes.front());
  finding.message = std::move(message);
  finding.origin = origin;
  finding.where = where;
  finding.identity = std::string(rule.info.name) + "\n" + origin.resource + "\n" + std::string(detail);
  return finding;
}

}  // namespace fleetaudit::lint
