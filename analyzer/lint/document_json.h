#pragma once
// A resolved policy document written back as JSON text, the form the policy model parses.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

// The stack a template deploys into, as far as its ARNs say: each part is the literal most of its
// IoT ARNs use, else the stand-in (kStackRegion, …) that pseudo parameters resolved to.
struct StackContext {
  std::string partition, region, account;
};

// YAML scalars are written as JSON strings, except booleans, numbers and nulls of JSON input.
// The stand-ins for the stack's partition, region and account are replaced by `stack`'s.
std::string document_json(const Node& document, const StackContext& stack);

// `text` with the stand-ins replaced by `stack`'s parts.
std::string stack_text(std::string_view text, const StackContext& stack);

// The stack context that the IoT ARNs in these documents point to.
StackContext stack_context_of(const std::vector<const Node*>& documents);

}  // namespace fleetaudit::lint
