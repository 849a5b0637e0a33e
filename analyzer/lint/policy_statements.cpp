#include "analyzer/lint/policy_statements.h"

#include <cctype>
#include <optional>
#include <string>

namespace fleetaudit::lint {

std::vector<StatementView> statements_of(const Node& document) {
  std::vector<StatementView> views;
  const Node* statement = document.get("Statement");
  if (statement == nullptr) return views;
  std::vector<const Node*> nodes;
  if (statement->is(Node::Kind::mapping)) nodes.push_back(statement);
  if (statement->is(Node::Kind::sequence))
    for (const Node& item : statement->items) nodes.push_back(&item);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = *nodes[i];
    if (!node.is(Node::Kind::mapping)) continue;
    StatementView view;
    view.index = i;
    view.node = &node;
    const Node* effect = node.get("Effect");
    view.deny = effect != nullptr && effect->text == "Deny";
    view.actions = node.get("Action");
    if (view.actions == nullptr && (view.actions = node.get("NotAction")) != nullptr) view.not_action = true;
    view.resources = node.get("Resource");
    if (view.resources == nullptr && (view.resources = node.get("NotResource")) != nullptr) view.not_resource = true;
    views.push_back(view);
  }
  return views;
}

std::vector<const Node*> strings_of(const Node* value) {
  std::vector<const Node*> strings;
  if (value == nullptr) return strings;
  if (value->is_string()) strings.push_back(value);
  if (value->is(Node::Kind::sequence))
    for (const Node& item : value->items)
      if (item.is_string()) strings.push_back(&item);
  return strings;
}

std::vector<std::pair<size_t, size_t>> variables_in(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> found;
  for (size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", at + 2)) {
    const size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) break;
    found.emplace_back(at, close - at + 1);
  }
  return found;
}

const Node* statement_resource(const Node& document, size_t index, std::string_view text, const StackContext& stack) {
  for (const StatementView& statement : statements_of(document))
    if (statement.index == index)
      for (const Node* resource : strings_of(statement.resources))
        if (stack_text(resource->text, stack) == text) return resource;
  return nullptr;
}

bool names_iot_action(const Node& document) {
  for (const StatementView& statement : statements_of(document))
    for (const Node* action : strings_of(statement.actions)) {
      std::string lower;
      for (char c : action->text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (lower == "*" || lower.rfind("iot:", 0) == 0 || lower.rfind("iotjobsdata:", 0) == 0) return true;
    }
  return false;
}

Span culprit_span(const Node& resource) {
  const std::string& text = resource.text;
  const auto variables = variables_in(text);
  auto inside_variable = [&](size_t at) {
    for (const auto& [start, length] : variables)
      if (at >= start && at < start + length) return true;
    return false;
  };
  // arn:partition:service:region:account:TYPE/… : the resource part starts after the fifth colon.
  size_t resource_part = std::string::npos;
  for (size_t i = 0, colons = 0; i < text.size() && resource_part == std::string::npos; ++i)
    if (text[i] == ':' && ++colons == 5) resource_part = i;
  const size_t after_type = resource_part == std::string::npos ? 0 : text.find('/', resource_part);
  std::optional<size_t> first_any, first_after_type;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] != '*' && text[i] != '?') || inside_variable(i)) continue;
    if (!first_any) first_any = i;
    if (after_type != std::string::npos && i > after_type && !first_after_type) first_after_type = i;
  }
  if (first_after_type) return resource.text_span(*first_after_type, *first_after_type + 1);
  if (first_any) return resource.text_span(*first_any, *first_any + 1);
  if (!variables.empty()) return resource.text_span(variables[0].first, variables[0].first + variables[0].second);
  return resource.span;
}

}  // namespace fleetaudit::lint
