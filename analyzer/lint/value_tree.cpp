#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

const Node* Node::get(std::string_view key) const {
  if (kind != Kind::mapping) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i].text == key) return &items[i];
  return nullptr;
}

Node* Node::get(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node&>(*this).get(key));
}

Span Node::text_span(size_t from, size_t to) const {
  if (offsets.size() != text.size() + 1 || from > to || to > text.size()) return span;
  if (from == to) return {offsets[from], offsets[from]};
  // The span ends where the next byte starts, which takes in a whole escape (\u002a is 6 bytes,
  // 7 when it is itself escaped in a JSON string: \\u002a); a larger gap is a folded line break
  // or indentation, which is not part of the value.
  const uint32_t last = offsets[to - 1];
  return {offsets[from], offsets[to] > last && offsets[to] - last <= 12 ? offsets[to] : last + 1};
}

Node string_node(std::string text, std::vector<uint32_t> offsets, Span span) {
  Node node;
  node.kind = Node::Kind::string;
  node.text = std::move(text);
  node.offsets = std::move(offsets);
  node.span = span;
  return node;
}

}  // namespace fleetaudit::lint
