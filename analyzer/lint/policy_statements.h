#pragma once
// Reading a policy document's statements as written (the tree, with positions), for pointing at
// the values a finding is about. What they mean is the policy model's business (analyzer/policy).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/lint/document_json.h"
#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

struct StatementView {
  size_t index = 0;  // in the Statement list
  const Node* node = nullptr;
  bool deny = false;
  const Node* actions = nullptr;    // Action or NotAction value
  const Node* resources = nullptr;  // Resource or NotResource value
  bool not_action = false, not_resource = false;
};

std::vector<StatementView> statements_of(const Node& document);
// The strings of a value that is a string or a list of strings.
std::vector<const Node*> strings_of(const Node* value);

// The span inside a resource string to point at: its first wildcard after the resource type
// ("topic/*" points at '*'), else its first wildcard, else in a topic filter its first MQTT + or
// #, else its first policy variable, else its text.
Span culprit_span(const Node& resource);
// The resource of statement `index` whose text (with the stack's parts) is `text`; nullptr if none.
const Node* statement_resource(const Node& document, size_t index, std::string_view text, const StackContext& stack);
// Whether a document names an IoT action (iot:…, iotjobsdata:…, or "*"): an IoT policy, not an IAM one.
bool names_iot_action(const Node& document);
// The first action or resource ARN of another service than AWS IoT's (iot, iotjobsdata, and
// greengrass, whose data-plane actions IoT policies authorise): `logs:CreateLogGroup`,
// `arn:aws:dynamodb:…`. A document that names one is an IAM policy. Empty when there is none.
std::string other_service_named(const Node& document);
// The resource type of an IoT ARN (`topic` in arn:aws:iot:R:A:topic/…): [begin, end) in `text`;
// nullopt when `text` is not an IoT ARN or its type is not written literally.
std::optional<std::pair<size_t, size_t>> arn_resource_type(std::string_view text);
// Whether a statement's Action (not NotAction) list names `action`, through wildcards too
// (case-insensitive, as AWS compares actions).
bool statement_names_action(const StatementView& statement, std::string_view action);
// Each string value of a statement's Condition (operator -> key -> value or values).
std::vector<const Node*> condition_strings(const StatementView& statement);
// The closest of `names` to `name` (case-insensitive edit distance at most `most`); empty if none.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& names, size_t most);
// The first MQTT + or # after the resource type, outside variables; else the text without quotes.
Span mqtt_wildcard_span(const Node& resource);
// Each ${…} in a string: (byte index of '$', length).
std::vector<std::pair<size_t, size_t>> variables_in(std::string_view text);

}  // namespace fleetaudit::lint
