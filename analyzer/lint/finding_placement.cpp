#include "analyzer/lint/finding_placement.h"

#include <re2/re2.h>

#include <optional>
#include <string>
#include <vector>

#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/glob.h"

namespace fleetaudit::lint {

namespace {

// Byte-wise (Latin-1), as the messages' ARNs may hold any bytes a template held.
re2::RE2::Options byte_patterns() {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  return options;
}

// "Statement[2] (arn:…)" in a finding's message: the statements the check names (0-based).
// RE2, not std::regex: its matching is linear and its compiled patterns are safe to share
// between the threads that lint files (std::regex's locale cache is not).
std::vector<std::pair<size_t, std::string>> statements_named(const std::string& message) {
  static const re2::RE2 mention(R"(Statement\[(\d+)\] \(([^)]*)\))", byte_patterns());
  std::vector<std::pair<size_t, std::string>> named;
  re2::StringPiece rest(message);
  size_t index = 0;
  std::string arn;
  while (re2::RE2::FindAndConsume(&rest, mention, &index, &arn)) named.emplace_back(index, arn);
  return named;
}

// "iot:Connect on ARN (statement 2, …)" in EXAMPLES: each broad action's witness and the
// statement (1-based) that allows it, as the breadth evaluator wrote them.
std::vector<std::pair<size_t, std::string>> witnesses_of(const Finding& finding) {
  static const re2::RE2 example(R"(\S+ on (.+?) \(statement (\d+))", byte_patterns());
  std::vector<std::pair<size_t, std::string>> witnesses;
  for (const auto& [key, value] : finding.additional_info) {
    if (key != "EXAMPLES") continue;
    re2::StringPiece rest(value);
    std::string witness;
    size_t statement = 0;
    while (re2::RE2::FindAndConsume(&rest, example, &witness, &statement)) witnesses.emplace_back(statement, witness);
  }
  return witnesses;
}

// The value of statement `index` (0-based) that grants `witness`: the resource whose pattern
// matches it (narrowed to its wildcard), the NotResource list, else the statement.
std::optional<Span> granting_value(const PolicyInput& policy, size_t index, const std::string& witness,
                                   const StackContext& stack) {
  for (const StatementView& statement : statements_of(policy.document)) {
    if (statement.index != index) continue;
    if (statement.resources == nullptr) return statement.node->span;
    if (statement.not_resource)
      return statement.resources->is_string() ? statement.resources->text_extent() : statement.resources->span;
    const std::vector<const Node*> resources = strings_of(statement.resources);
    for (const Node* resource : resources)  // its variables as the text the example spells them in
      if (policy::Glob::compile(policy::variables_as_literal_text(stack_text(resource->text, stack))).matches(witness))
        return culprit_span(*resource);
    for (const Node* resource : resources)  // a variable the evaluator read as another device's name
      if (resource->text.find_first_of("*?$") != std::string::npos) return culprit_span(*resource);
    return statement.resources->span;
  }
  return std::nullopt;
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
  for (const auto& [statement, witness] : witnesses_of(finding))
    if (statement > 0)
      if (std::optional<Span> span = granting_value(policy, statement - 1, witness, stack)) add_span(out, *span, placed);
  for (const auto& [index, text] : statements_named(finding.message))
    if (const Node* value = statement_resource(policy.document, index, text, stack))
      add_span(out, mqtt_wildcard_span(*value), placed);  // its + or # (the literal MQTT wildcard), else all of it
  if (placed) out.source = policy.document_source;  // the spans are the document's; the anchor the file's
  else out.where = policy.anchor;
}


}  // namespace fleetaudit::lint
