#pragma once
// fleetaudit's lint-only rules (FLEETAUDIT_…): they read an IoT policy as it is written (its
// Version, its action names, its resource types and variables), where the AWS checks read the
// snapshot built from it. Each rule is one file in rules/lint/, registered at start-up as the
// checks are; the engine names none of them.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/check.h"
#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"

namespace fleetaudit::lint {

struct LintRule {
  CheckInfo info;  // metadata as a check's; info.run is null (the rule reads the source, not a snapshot)
  // A rule reads each policy, or (run null) the file's other resources. `file` is the file the
  // policy is declared in: its other policies say what the stack looks like.
  void (*run)(const LintRule& rule, const PolicyInput& policy, const IacFile& file, std::vector<LintFinding>& out);
  void (*run_on_file)(const LintRule& rule, const IacFile& file, std::vector<LintFinding>& out) = nullptr;
};

// All lint rules, sorted by name. Filled by RegisterLintRule objects in rules/lint/.
class LintRuleRegistry {
public:
  static LintRuleRegistry& instance();
  void add(LintRule rule);
  const std::vector<LintRule>& rules() const { return rules_; }
  const LintRule* find(std::string_view name) const;

private:
  std::vector<LintRule> rules_;
};

struct RegisterLintRule {
  explicit RegisterLintRule(LintRule rule) { LintRuleRegistry::instance().add(std::move(rule)); }
};

// A finding of `rule` about `policy` at `where`. `detail` (e.g. the offending value) tells it from
// the rule's other findings on the same policy; with the policy it makes the finding's identity.
LintFinding lint_finding(const LintRule& rule, const PolicyInput& policy, Span where, std::string message,
                         std::string_view detail);
// The same for a resource other than a policy.
LintFinding lint_finding(const LintRule& rule, const Origin& origin, Span where, std::string message,
                         std::string_view detail);

}  // namespace fleetaudit::lint
