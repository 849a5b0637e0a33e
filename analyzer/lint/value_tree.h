#pragma once
// The one tree both front ends (JSON and YAML) produce: values with the byte span they came from,
// and for strings, where each byte of the decoded text was written (through escapes, quotes and
// block-scalar indentation), so that a finding can point at one character inside a value.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit::lint {

// Byte offsets [begin, end) in the file the value was read from.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Node {
  enum class Kind : uint8_t { null, boolean, number, string, sequence, mapping };
  Kind kind = Kind::null;
  std::string tag;   // a YAML tag as written ("!Sub", "!Ref"); empty in JSON and for untagged values
  std::string text;  // scalars: the decoded text
  // Strings: file offset of each byte of `text`, then one more for the end. Empty when the text was
  // made up by the reader (e.g. an unknown value's stand-in): its bytes are located at `span`.
  std::vector<uint32_t> offsets;
  Span span;
  std::vector<Node> keys;   // mapping keys (strings), in order
  std::vector<Node> items;  // sequence items, or mapping values (items[i] belongs to keys[i])

  bool is(Kind k) const { return kind == k; }
  bool is_string() const { return kind == Kind::string; }
  // The value under `key` in a mapping; nullptr when absent or not a mapping.
  const Node* get(std::string_view key) const;
  Node* get(std::string_view key);
  // The span of bytes [from, to) of a string's text (the whole value when it has no offsets).
  Span text_span(size_t from, size_t to) const;
  // A string's text without its quotes (the whole value when it has no offsets).
  Span text_extent() const { return text_span(0, text.size()); }
};

// A string node whose text maps byte by byte onto `offsets`.
Node string_node(std::string text, std::vector<uint32_t> offsets, Span span);

}  // namespace fleetaudit::lint
