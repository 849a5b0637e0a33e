#include "analyzer/load/json_syntax.h"

#include <gtest/gtest.h>

namespace fleetaudit {
namespace {

TEST(JsonSyntax, AcceptsWellFormed) {
  EXPECT_FALSE(find_syntax_error(R"({"a": [1, -2.5e3, true, false, null, "x\u00e9\n"], "b": {}})"));
  EXPECT_FALSE(find_syntax_error("  []  \n"));
}

TEST(JsonSyntax, PointsAtTheFirstError) {
  auto missing_comma = find_syntax_error("{\"a\": 1 \"b\": 2}");
  ASSERT_TRUE(missing_comma);
  EXPECT_EQ(missing_comma->offset, 8u);
  EXPECT_EQ(missing_comma->message, "expected ',' or '}' after an object member");

  auto bad_literal = find_syntax_error("[true, tru]");
  ASSERT_TRUE(bad_literal);
  EXPECT_EQ(bad_literal->offset, 7u);

  auto unterminated = find_syntax_error("{\"a\": \"abc");
  ASSERT_TRUE(unterminated);
  EXPECT_EQ(unterminated->offset, 6u);
  EXPECT_EQ(unterminated->message, "unterminated string");

  auto trailing = find_syntax_error("{} x");
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->offset, 3u);

  auto leading_zero = find_syntax_error("[01]");
  ASSERT_TRUE(leading_zero);
  EXPECT_EQ(leading_zero->message, "invalid number: leading zero");

  EXPECT_TRUE(find_syntax_error("[1,]"));
  EXPECT_TRUE(find_syntax_error(""));
  EXPECT_TRUE(find_syntax_error("{\"a\" 1}"));
  EXPECT_TRUE(find_syntax_error("\"\xff\""));
}

TEST(JsonSyntax, DeepNestingDoesNotOverflowTheStack) {
  std::string deep(1000000, '[');
  EXPECT_TRUE(find_syntax_error(deep));
  deep += std::string(1000000, ']');
  EXPECT_FALSE(find_syntax_error(deep));
}

}  // namespace
}  // namespace fleetaudit
