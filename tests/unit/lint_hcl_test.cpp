// The Terraform source subset: values and their positions, what stays unknown, syntax errors.
#include <gtest/gtest.h>

#include "analyzer/lint/document_json.h"
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

TEST(LintHcl, PolicyDocumentDataIsTheDocumentTheProviderRenders) {
  const IacFile file = read_iac_text(
      "data \"aws_iam_policy_document\" \"p\" {\n"
      "  statement {\n"
      "    actions   = [\"iot:Connect\"]\n"
      "    resources = [\"arn:aws:iot:*:*:client/&{iot:ClientId}\"]\n"
      "    condition {\n"
      "      test     = \"Bool\"\n"
      "      variable = \"iot:Connection.Thing.IsAttached\"\n"
      "      values   = [\"true\"]\n"
      "    }\n"
      "  }\n"
      "  statement {\n"
      "    effect        = \"Deny\"\n"
      "    not_actions   = [\"iot:Publish\"]\n"
      "    not_resources = [\"*\"]\n"
      "  }\n"
      "}\n"
      "resource \"aws_iot_policy\" \"p\" {\n  name = \"p\"\n  policy = data.aws_iam_policy_document.p.json\n}\n",
      "p.tf");
  ASSERT_TRUE(file.problems.empty()) << file.problems[0].message;
  ASSERT_EQ(file.policies.size(), 1u);
  const Node& document = file.policies[0].document;
  EXPECT_EQ(document_json(document, StackContext{}),
            R"({"Version":"2012-10-17","Statement":[{"Action":["iot:Connect"],"Resource":["arn:aws:iot:*:*:client/${iot:ClientId}"],)"
            R"("Effect":"Allow","Condition":{"Bool":{"iot:Connection.Thing.IsAttached":["true"]}}},)"
            R"({"Effect":"Deny","NotAction":["iot:Publish"],"NotResource":["*"]}]})" "\n");
  // The variable is located at what the file says: &{iot:ClientId}.
  const Node& resource = document.get("Statement")->items[0].get("Resource")->items[0];
  const size_t variable = resource.text.find("${");
  EXPECT_EQ(covered(*file.source, resource.text_span(variable, resource.text.size())), "&{iot:ClientId}");
  // The defaulted Effect is located at the block's `statement`.
  EXPECT_EQ(covered(*file.source, document.get("Statement")->items[0].get("Effect")->span), "statement");
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
