#include "analyzer/lint/policy_statements.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "analyzer/policy/arn.h"
#include "analyzer/policy/glob.h"
#include "analyzer/util/ascii.h"

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
  // Greengrass actions alone say IoT policy only beside an IoT resource ARN (a core device's
  // thing): a Greengrass administrator's IAM policy names them too, on greengrass ARNs or "*".
  bool greengrass = false, iot_arn = false;
  for (const StatementView& statement : statements_of(document)) {
    for (const Node* action : strings_of(statement.actions)) {
      const std::string lower = ascii_lower(action->text);
      if (lower == "*" || lower.rfind("iot:", 0) == 0 || lower.rfind("iotjobsdata:", 0) == 0) return true;
      greengrass |= lower.rfind("greengrass:", 0) == 0;
    }
    for (const Node* resource : strings_of(statement.resources)) iot_arn |= arn_resource_type(resource->text).has_value();
  }
  return greengrass && iot_arn;
}

std::string other_service_named(const Node& document) {
  auto iot_service = [](std::string_view service) {
    const std::string lower = ascii_lower(service);
    return lower == "iot" || lower == "iotjobsdata" || lower == "greengrass";
  };
  for (const StatementView& statement : statements_of(document)) {
    for (const Node* action : strings_of(statement.actions)) {
      const size_t colon = action->text.find(':');
      if (colon != std::string::npos && !iot_service(std::string_view(action->text).substr(0, colon)))
        return action->text;
    }
    if (statement.not_resource) continue;
    for (const Node* resource : strings_of(statement.resources)) {
      const std::optional<policy::Arn> arn = policy::parse_arn(resource->text);
      if (!arn) continue;
      const std::string_view service = arn->service.text;
      if (!service.empty() && service.find_first_of("*?$<{") == std::string_view::npos && !iot_service(service))
        return resource->text;
    }
  }
  return {};
}

std::optional<std::pair<size_t, size_t>> arn_resource_type(std::string_view text) {
  const std::optional<policy::Arn> arn = policy::parse_arn(text);
  if (!arn || arn->service.text != "iot" || arn->resource.text.find('/') == std::string_view::npos) return std::nullopt;
  const policy::ArnPart type = arn->resource_type();
  if (type.text.empty() || type.text.find_first_of("*?$<") != std::string_view::npos) return std::nullopt;
  return std::make_pair(type.at, type.end());
}

bool statement_names_action(const StatementView& statement, std::string_view action) {
  if (statement.not_action) return false;
  for (const Node* pattern : strings_of(statement.actions))
    if (policy::Glob::compile(pattern->text, true).matches(std::string(action))) return true;
  return false;
}

std::vector<const Node*> condition_strings(const StatementView& statement) {
  std::vector<const Node*> strings;
  const Node* condition = statement.node->get("Condition");
  if (condition == nullptr) return strings;
  for (const Node& by_operator : condition->items)
    for (const Node& value : by_operator.items)
      for (const Node* text : strings_of(&value)) strings.push_back(text);
  return strings;
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const bool same = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

namespace {

// The words of a name, lower case and sorted: "iot:PublishRetain" and "iot:RetainPublish" are both
// {iot, publish, retain}; "iot:Connection.Thing.ThingName" splits at '.' and ':' as well.
std::vector<std::string> sorted_words(std::string_view name) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = c >= 'A' && c <= 'Z';
    if (c == ':' || c == '.' || c == '-' || c == '_' || c == '/') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (upper && !words.back().empty() && i > 0 && !(name[i - 1] >= 'A' && name[i - 1] <= 'Z')) words.emplace_back();
    words.back().push_back(ascii_lower(c));
  }
  if (words.back().empty()) words.pop_back();
  std::sort(words.begin(), words.end());
  return words;
}

}  // namespace

std::string closest_name(std::string_view name, const std::vector<std::string_view>& names, size_t most) {
  std::string best;
  size_t best_distance = most + 1;
  for (std::string_view candidate : names) {
    const size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) best = std::string(candidate), best_distance = distance;
  }
  if (!best.empty()) return best;
  // The same words in another order (iot:PublishRetain for iot:RetainPublish), which no small edit reaches.
  const std::vector<std::string> words = sorted_words(name);
  for (std::string_view candidate : names)
    if (sorted_words(candidate) == words) return std::string(candidate);
  return best;
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
  if (text.find(":topicfilter/") != std::string::npos) {
    const Span mqtt = mqtt_wildcard_span(resource);
    if (mqtt.end - mqtt.begin == 1) return mqtt;
  }
  if (!variables.empty()) return resource.text_span(variables[0].first, variables[0].first + variables[0].second);
  return resource.text_extent();
}

Span mqtt_wildcard_span(const Node& resource) {
  const std::string& text = resource.text;
  const auto type = arn_resource_type(text);
  const auto variables = variables_in(text);
  for (size_t i = type ? type->second : 0; i < text.size(); ++i) {
    if (text[i] != '+' && text[i] != '#') continue;
    bool inside = false;
    for (const auto& [start, length] : variables) inside |= i >= start && i < start + length;
    if (!inside) return resource.text_span(i, i + 1);
  }
  return resource.text_extent();
}

}  // namespace fleetaudit::lint
