#include "analyzer/lint/document_json.h"

#include <array>
#include <map>

#include "analyzer/lint/iac_model.h"
#include "analyzer/policy/arn.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit::lint {

namespace {

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  if (from == to) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void write(JsonWriter& json, const Node& node, const StackContext& stack) {
  switch (node.kind) {
    case Node::Kind::mapping:
      json.begin_object();
      for (size_t i = 0; i < node.keys.size(); ++i) {
        json.key(node.keys[i].text);
        write(json, node.items[i], stack);
      }
      json.end_object();
      return;
    case Node::Kind::sequence:
      json.begin_array();
      for (const Node& item : node.items) write(json, item, stack);
      json.end_array();
      return;
    case Node::Kind::string: json.value(stack_text(node.text, stack)); return;
    case Node::Kind::boolean: json.value(node.text == "true" || node.text == "True"); return;
    case Node::Kind::number: json.raw_number(node.text); return;
    case Node::Kind::null: json.value(std::string_view("")); return;
  }
}

void collect_arns(const Node& node, std::vector<std::string_view>& arns) {
  if (node.is_string() && node.text.rfind("arn:", 0) == 0) arns.push_back(node.text);
  for (const Node& item : node.items) collect_arns(item, arns);
}

bool literal_part(size_t field, std::string_view part) {
  using Field = policy::ArnScope::Field;
  return !part.empty() && part.find_first_of("<>*?$") == std::string_view::npos &&
         !policy::ArnScope::placeholder(static_cast<Field>(field), part);
}

}  // namespace

std::string stack_text(std::string_view text, const StackContext& stack) {
  // Placeholders in an IoT ARN's partition, region or account are the stack's own (the policy
  // model's rule), then the stand-ins are the stack's parts.
  std::string out = text.rfind("arn:", 0) == 0
                        ? policy::ArnScope{stack.partition, stack.region, stack.account}.with_own_fields(text)
                        : std::string(text);
  out = replace_all(std::move(out), kStackPartition, stack.partition);
  out = replace_all(std::move(out), kStackRegion, stack.region);
  return replace_all(std::move(out), kStackAccount, stack.account);
}

std::string document_json(const Node& document, const StackContext& stack) {
  JsonWriter json(nullptr, 0);
  write(json, document, stack);
  return json.text();
}

StackContext stack_context_of(const std::vector<const Node*>& documents) {
  std::vector<std::string_view> arns;
  for (const Node* document : documents) collect_arns(*document, arns);
  // Parts 1, 3 and 4 of arn:PARTITION:SERVICE:REGION:ACCOUNT:…, counted where literal.
  std::array<std::map<std::string, size_t>, 3> counts;
  for (std::string_view text : arns) {
    const std::optional<policy::Arn> arn = policy::parse_arn(text);
    if (!arn || arn->service.text != "iot") continue;
    const std::array<std::string_view, 3> wanted{arn->partition.text, arn->region.text, arn->account.text};
    for (size_t i = 0; i < 3; ++i)
      if (literal_part(i, wanted[i])) ++counts[i][std::string(wanted[i])];
  }
  auto most_common = [&](size_t i, std::string_view fallback) {
    std::string best(fallback);
    size_t seen = 0;
    for (const auto& [value, count] : counts[i])
      if (count > seen) best = value, seen = count;
    return best;
  };
  return {most_common(0, kStackPartition), most_common(1, kStackRegion), most_common(2, kStackAccount)};
}

}  // namespace fleetaudit::lint
