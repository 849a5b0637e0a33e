#include "analyzer/util/json_writer.h"

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

TEST(JsonWriter, NestedDocumentWithIndentation) {
  JsonWriter json;
  json.begin_object().key("a").begin_array().value(1).value("x").end_array().key("b").value(true).end_object();
  EXPECT_EQ(json.text(), "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": true\n}\n");
}

}  // namespace
}  // namespace fleetaudit
