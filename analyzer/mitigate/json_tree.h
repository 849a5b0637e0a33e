#pragma once
// An editable JSON value for rewriting snapshot files: numbers and literals keep their source text
// (epoch times such as 1706868471.208 are written back byte for byte), strings are decoded.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fleetaudit {

struct JsonMember;

struct JsonNode {
  enum class Kind : unsigned char { object, array, string, literal };
  Kind kind = Kind::literal;
  std::string text;  // string: decoded; literal: a number, true, false or null as written
  std::vector<JsonMember> members;  // object, in source order
  std::vector<JsonNode> items;                            // array

  // Defined below the struct: clang needs JsonNode complete to build its members from {}.
  static JsonNode string_value(std::string_view text);
  static JsonNode literal(std::string_view raw);
  static JsonNode object_value();
  static JsonNode array_value();

  JsonNode* find(std::string_view key);
  // The string at `key`, or empty when absent or not a string.
  std::string_view string_at(std::string_view key);
  // Replaces the member in place (keeping its position), or appends it.
  void set(std::string_view key, JsonNode value);
  void erase(std::string_view key);
};

// One member of an object. Not std::pair: clang's pair needs JsonNode complete inside JsonNode.
struct JsonMember {
  JsonMember(std::string key, JsonNode value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  JsonNode second;
};

inline JsonNode JsonNode::string_value(std::string_view text) { return {Kind::string, std::string(text), {}, {}}; }
inline JsonNode JsonNode::literal(std::string_view raw) { return {Kind::literal, std::string(raw), {}, {}}; }
inline JsonNode JsonNode::object_value() { return {Kind::object, {}, {}, {}}; }
inline JsonNode JsonNode::array_value() { return {Kind::array, {}, {}, {}}; }

// Appends `node`, pretty-printed with 2-space indentation, as if it stood at nesting `depth`.
void append_json(std::string& out, const JsonNode& node, int depth);

// Reads a whole JSON file (small files only). nullopt with `error` set when it cannot.
std::optional<JsonNode> read_json_file(const std::string& path, std::string& error);

// Rewrites the snapshot file `input` (`{"KEY": [records…], …}`) into `output`, record by record so
// that files of millions of records never sit in memory whole: each element of `records_key` passes
// through `edit_record`, then what `extra_records` returns (called once, after the last record) is
// appended to that array (created when absent). An empty `input` writes a new file.
// Other members are kept as they are. Returns a message when it cannot.
std::optional<std::string> rewrite_records_file(const std::string& input, const std::string& output,
                                                std::string_view records_key,
                                                const std::function<void(JsonNode&)>& edit_record,
                                                const std::function<std::vector<JsonNode>()>& extra_records);

}  // namespace fleetaudit
