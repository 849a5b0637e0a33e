#include "analyzer/util/json_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace fleetaudit {
namespace {

TEST(JsonEscape, EscapesOnlyWhatJsonRequires) {
  std::string out;
  append_json_escaped(out, "plain é \"quoted\" back\\slash\nnew\ttab\x01\x1f end");
  EXPECT_EQ(out, "\"plain é \\\"quoted\\\" back\\\\slash\\nnew\\ttab\\u0001\\u001f end\"");
  out.clear();
  append_json_escaped(out, "");
  EXPECT_EQ(out, "\"\"");
}

// The escaper skips plain text a word at a time: every byte value, at every offset within and
// around a word, next to neighbours high and low, must come out as the byte-by-byte rule says.
std::string escaped_byte_by_byte(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
    else out.push_back(static_cast<char>(c));
  }
  return out + "\"";
}

TEST(JsonEscape, EveryByteAtEveryOffsetOfAWord) {
  int compared = 0;
  for (char filler : {'a', '\x7f', '\x80', '\xff', '!', '#', '[', ']'}) {
    for (size_t length = 1; length <= 19; ++length) {
      for (size_t at = 0; at < length; ++at) {
        for (int byte = 0; byte < 256; ++byte) {
          std::string text(length, filler);
          text[at] = static_cast<char>(byte);
          std::string out;
          append_json_escaped(out, text);
          ASSERT_EQ(out, escaped_byte_by_byte(text)) << "length " << length << ", byte " << byte << " at " << at;
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 8 * 190 * 256);
}

TEST(JsonWriter, NestedDocumentWithIndentation) {
  JsonWriter json;
  json.begin_object().key("a").begin_array().value(1).value("x").end_array().key("b").value(true).end_object();
  EXPECT_EQ(json.text(), "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": true\n}\n");
}

}  // namespace
}  // namespace fleetaudit
