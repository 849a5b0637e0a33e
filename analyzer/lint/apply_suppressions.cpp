#include "analyzer/lint/apply_suppressions.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyzer/lint/lint_rule.h"

namespace fleetaudit::lint {

namespace {

bool names_check(const Suppression& suppression, const CheckInfo& check) {
  if (suppression.check == check.name) return true;
  for (std::string_view alias : check.aliases)
    if (suppression.check == alias) return true;
  return false;
}

bool known_check(const std::string& name) {
  return CheckRegistry::instance().find(name) != nullptr || LintRuleRegistry::instance().find(name) != nullptr;
}

// Where in the linted file a finding is written: its own span, or for a finding in a policy file
// the file reads (Terraform file()), the attribute that reads it.
uint32_t line_in_file(const IacFile& file, const LintFinding& finding) {
  Span where = finding.where;
  if (finding.source != nullptr)
    for (const PolicyInput& policy : file.policies)
      if (policy.document_source == finding.source) where = policy.anchor;
  uint32_t line = 0, column = 0;
  file.source->position(where.begin, line, column);
  return line;
}

bool covers(const Suppression& suppression, const LintFinding& finding, const IacFile& file) {
  if (!suppression.resource.empty())
    return suppression.resource == finding.origin.resource ||
           std::find(finding.other_resources.begin(), finding.other_resources.end(), suppression.resource) !=
               finding.other_resources.end();
  if (suppression.first_line == 0) return true;  // the template's own Metadata: the whole file
  const uint32_t line = line_in_file(file, finding);
  return line >= suppression.first_line && line <= suppression.last_line;
}

}  // namespace

void apply_suppressions(IacFile& file, std::vector<LintFinding>& findings) {
  for (LintFinding& finding : findings)
    for (Suppression& suppression : file.suppressions)
      if (names_check(suppression, *finding.check) && covers(suppression, finding, file)) {
        finding.suppressed = true;
        finding.justification = suppression.reason;
        suppression.used = true;
        break;
      }
  for (const Suppression& suppression : file.suppressions) {
    if (suppression.used) continue;
    file.problem(DiagnosticSeverity::warning, suppression.where,
                 known_check(suppression.check)
                     ? fmt::format("the suppression of {} matches no finding", suppression.check)
                     : fmt::format("the suppression names {}, which is no check or lint rule", suppression.check));
  }
}

}  // namespace fleetaudit::lint
