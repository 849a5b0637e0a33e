// The Terraform source subset: values and their positions, what stays unknown, syntax errors.
#include <gtest/gtest.h>

#include "analyzer/lint/hcl_reader.h"
#include "analyzer/lint/iac_reader.h"

namespace fleetaudit::lint {
namespace {

std::string covered(const SourceFile& file, Span span) {
  return std::string(file.text().substr(span.begin, span.end - span.begin));
}

TEST(LintHcl, StringsHeredocsAndEscapesKeepPositions) {
  const SourceFile file("t.tf",
                        "resource \"x\" \"y\" {\n"
                        "  a = \"q\\\"$${iot:ClientId}/${var.stage}\"\n"
                        "  b = <<-EOT\n"
                        "      line ${data.aws_region.current.name}\n"
                        "        $${iot:ClientId}\n"
                        "    EOT\n"
                        "  nested { c = [1, true, null, {k = \"v\", \"q\": local.x[0]}] }\n"
                        "}\n");
  std::vector<HclBlock> blocks;
  ASSERT_FALSE(read_hcl(file, blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].labels, (std::vector<std::string>{"x", "y"}));
  const Node& a = *blocks[0].body.get("a");
  EXPECT_EQ(a.text, "q\"${iot:ClientId}/<var.stage>");
  const size_t variable = a.text.find("${");
  EXPECT_EQ(covered(file, a.text_span(variable, variable + 15)), "$${iot:ClientId}");
  const Node& b = *blocks[0].body.get("b");
  EXPECT_EQ(b.text, "line <AWS-Region>\n  ${iot:ClientId}\n");
  EXPECT_EQ(covered(file, b.text_span(0, 4)), "line");
  const Node& nested = *blocks[0].body.get("nested");
  const Node& list = *nested.get("c");
  ASSERT_EQ(list.items.size(), 4u);
  EXPECT_TRUE(list.items[1].is(Node::Kind::boolean));
  EXPECT_TRUE(list.items[2].is(Node::Kind::null));
  EXPECT_EQ(list.items[3].get("q")->tag, kHclReference);
  EXPECT_EQ(list.items[3].get("q")->text, "local.x[0]");
}

TEST(LintHcl, WhatTheSubsetDoesNotEvaluateIsUnknown) {
  const SourceFile file("t.tf",
                        "resource \"x\" \"y\" {\n"
                        "  a = var.on ? \"x\" : \"y\"\n"
                        "  b = [for s in var.list : upper(s)]\n"
                        "  c = file(\"policy.json\")\n"
                        "  d = jsonencode({Version = \"2012-10-17\"})\n"
                        "}\n");
  std::vector<HclBlock> blocks;
  ASSERT_FALSE(read_hcl(file, blocks));
  const Node& body = blocks[0].body;
  EXPECT_EQ(body.get("a")->tag, kHclUnknown);
  EXPECT_EQ(body.get("b")->tag, kHclUnknown);
  EXPECT_EQ(body.get("c")->text, "<file(…)>");
  EXPECT_EQ(body.get("d")->get("Version")->text, "2012-10-17");
}

TEST(LintHcl, SyntaxErrorsArePositioned) {
  const IacFile file = read_iac_text("resource \"aws_iot_policy\" \"p\" {\n  policy = \"unterminated\n}\n", "bad.tf");
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_EQ(file.problems[0].line, 2u);
  EXPECT_NE(file.problems[0].message.find("'\"' closing the string"), std::string::npos) << file.problems[0].message;
  EXPECT_TRUE(read_iac_text("variable \"x\" {}\n", "vars.tf").kind.empty());  // no IoT resource: not read
}

}  // namespace
}  // namespace fleetaudit::lint
