#include "analyzer/lint/finding_placement.h"

#include <optional>
#include <string>
#include <vector>

#include "analyzer/lint/policy_statements.h"

namespace fleetaudit::lint {

namespace {

// The statement numbered `number` (from 1) of the document.
const StatementView* statement_numbered(const std::vector<StatementView>& statements, uint32_t number) {
  for (const StatementView& statement : statements)
    if (statement.index + 1 == number) return &statement;
  return nullptr;
}

// The value of an Allow statement that grants: the resource the evidence names (narrowed to its
// wildcard), the NotResource list, else the statement's Resource or the statement.
Span granting_value(const StatementView& statement, const std::string& resource, const StackContext& stack) {
  if (statement.resources == nullptr) return statement.node->span;
  if (statement.not_resource)
    return statement.resources->is_string() ? statement.resources->text_extent() : statement.resources->span;
  if (!resource.empty())
    for (const Node* value : strings_of(statement.resources))
      if (stack_text(value->text, stack) == resource) return culprit_span(*value);
  return statement.resources->span;
}

void add_span(LintFinding& out, Span span, bool& placed) {
  if (!placed) {
    out.where = span;
    placed = true;
    return;
  }
  if (span.begin == out.where.begin && span.end == out.where.end) return;
  for (const Span& related : out.related)
    if (related.begin == span.begin && related.end == span.end) return;
  out.related.push_back(span);
}

}  // namespace

void place_policy_finding(const PolicyInput& policy, const Finding& finding, const StackContext& stack,
                          LintFinding& out) {
  bool placed = false;
  const std::vector<StatementView> statements = statements_of(policy.document);
  // Grants first (the first is the finding's location), then the Denies the check names.
  for (const StatementEvidence& grant : finding.evidence.statements)
    if (grant.kind == StatementEvidence::Kind::grants && grant.policy.empty())
      if (const StatementView* statement = statement_numbered(statements, grant.number))
        add_span(out, granting_value(*statement, grant.resource, stack), placed);
  for (const StatementEvidence& deny : finding.evidence.statements)
    if (deny.kind == StatementEvidence::Kind::wildcard_deny || deny.kind == StatementEvidence::Kind::bypassed_deny)
      if (deny.number > 0)
        if (const Node* value = statement_resource(policy.document, deny.number - 1, deny.resource, stack))
          add_span(out, mqtt_wildcard_span(*value), placed);  // its + or # (the literal MQTT wildcard), else all of it
  if (placed) out.source = policy.document_source;  // the spans are the document's; the anchor the file's
  else out.where = policy.anchor;
}

}  // namespace fleetaudit::lint
