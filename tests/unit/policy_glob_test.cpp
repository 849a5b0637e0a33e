#include "analyzer/policy/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace fleetaudit::policy {
namespace {

bool matches(std::string_view pattern, std::string_view text) { return Glob::compile(pattern).matches(text); }

TEST(PolicyGlob, StarMatchesAnyRunIncludingSlashAndColon) {
  EXPECT_TRUE(matches("*", ""));
  EXPECT_TRUE(matches("*", "arn:aws:iot:us-east-1:1:topic/a/b"));
  EXPECT_TRUE(matches("topic/*", "topic/a/b/c"));
  EXPECT_TRUE(matches("a*c", "ac"));
  EXPECT_TRUE(matches("a*c", "a:b/c"));
  EXPECT_FALSE(matches("a*c", "a:b/cd"));
  EXPECT_FALSE(matches("topic/*", "topics/a"));
}

TEST(PolicyGlob, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(matches("a?c", "abc"));
  EXPECT_TRUE(matches("a?c", "a/c"));
  EXPECT_FALSE(matches("a?c", "ac"));
  EXPECT_FALSE(matches("a?c", "abbc"));
  EXPECT_TRUE(matches("???", "xyz"));
  EXPECT_FALSE(matches("???", "xy"));
}

TEST(PolicyGlob, EmptyPatternMatchesOnlyEmptyText) {
  EXPECT_TRUE(matches("", ""));
  EXPECT_FALSE(matches("", "a"));
  EXPECT_TRUE(Glob::compile("").tokens().empty());
}

TEST(PolicyGlob, ManyStarsCollapseAndStillMatch) {
  EXPECT_EQ(Glob::compile("a***b").tokens().size(), 3u);
  EXPECT_TRUE(matches("****", "anything"));
  EXPECT_TRUE(matches("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(matches("*a*b*c*", "xxcxxbxxaxx"));
}

TEST(PolicyGlob, PathologicalPatternIsFast) {
  const std::string text(200000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(matches("a*a*a*a*a*a*b", text));
  EXPECT_TRUE(matches("a*a*a*a*a*a*a", text));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // Exponential backtracking would not finish at all; linear work takes milliseconds.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 3000);
}

TEST(PolicyGlob, EscapesStandForLiteralCharacters) {
  EXPECT_TRUE(matches("a${*}b", "a*b"));
  EXPECT_FALSE(matches("a${*}b", "axb"));
  EXPECT_TRUE(matches("a${?}b", "a?b"));
  EXPECT_FALSE(matches("a${?}b", "axb"));
  EXPECT_TRUE(matches("${$}{x}", "${x}"));
  EXPECT_EQ(Glob::compile("${*}").tokens()[0].kind, GlobTokenKind::literal);
}

TEST(PolicyGlob, UnfinishedVariableSyntaxIsLiteral) {
  EXPECT_TRUE(matches("a${b", "a${b"));
  EXPECT_TRUE(matches("a${}", "a${}"));
}

TEST(PolicyGlob, VariablesAreSingleTokensThatMatchNoConcreteText) {
  const Glob glob = Glob::compile("client/${iot:ClientId}");
  ASSERT_EQ(glob.tokens().size(), 8u);
  EXPECT_EQ(glob.tokens().back().kind, GlobTokenKind::variable);
  EXPECT_EQ(glob.variable_name(glob.tokens().back()), "iot:ClientId");
  EXPECT_FALSE(glob.matches("client/${iot:ClientId}"));
  EXPECT_TRUE(iequals(glob.variable_name(glob.tokens().back()), "IOT:clientid"));
}

TEST(PolicyGlob, CaseInsensitiveModeIsForActions) {
  EXPECT_TRUE(Glob::compile("IOT:connect", true).matches("iot:Connect"));
  EXPECT_TRUE(Glob::compile("iot:*SHADOW", true).matches("iot:GetThingShadow"));
  EXPECT_FALSE(Glob::compile("IOT:connect").matches("iot:Connect"));
}

}  // namespace
}  // namespace fleetaudit::policy
