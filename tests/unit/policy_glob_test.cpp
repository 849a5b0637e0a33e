#include "analyzer/policy/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace fleetaudit::policy {
namespace {

const std::string kPrefix = "arn:aws:iot:us-east-1:123456789012:";
const std::string kOther(kFreshName);

bool matches(std::string_view pattern, std::string_view text) { return Glob::compile(pattern).matches(text); }

bool reaches(std::string_view pattern, const std::string& subject) {
  return glob_reaches(Glob::compile(pattern), subject);
}


bool covers(std::string_view deny, std::string_view allow) {
  return glob_covers(Glob::compile(deny), Glob::compile(allow));
}

bool overlap(std::string_view a, std::string_view b) { return globs_overlap(Glob::compile(a), Glob::compile(b)); }

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
  EXPECT_FALSE(reaches("a*a*a*a*a*a*b", text));
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

TEST(PolicyGlobReaches, FreshNameIsReachedOnlyThroughWildcards) {
  const std::string client = kPrefix + "client/" + kOther;
  EXPECT_TRUE(reaches(kPrefix + "client/*", client));
  EXPECT_TRUE(reaches("*", client));
  EXPECT_TRUE(reaches(kPrefix + "client/?", client));      // a one-character name
  EXPECT_TRUE(reaches(kPrefix + "client/?????", client));  // a five-character name
  EXPECT_TRUE(reaches(kPrefix + "client/?*?", client));
  EXPECT_FALSE(reaches(kPrefix + "client/MyThing*", client));
  EXPECT_FALSE(reaches(kPrefix + "client/*x", client));
  EXPECT_FALSE(reaches(kPrefix + "client/", client));
  EXPECT_FALSE(reaches(kPrefix + "client/${iot:Connection.Thing.ThingName}", client));
}

TEST(PolicyGlobReaches, FreshNameInsideALongerSubject) {
  const std::string shadow = kPrefix + "topic/$aws/things/" + kOther + "/shadow/update";
  EXPECT_TRUE(reaches(kPrefix + "topic/$aws/things/*/shadow/update", shadow));
  EXPECT_TRUE(reaches(kPrefix + "topic/$aws/things/*", shadow));
  EXPECT_TRUE(reaches(kPrefix + "topic/$aws/things/?" "?/shadow/*", shadow));
  EXPECT_FALSE(reaches(kPrefix + "topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*", shadow));
  EXPECT_FALSE(reaches(kPrefix + "topic/sensors/*", shadow));
  // Plain matching keeps MQTT wildcards literal.
  EXPECT_FALSE(reaches(kPrefix + "topic/$aws/things/#", shadow));
  EXPECT_FALSE(reaches(kPrefix + "topic/$aws/things/+/shadow/update", shadow));
}

TEST(PolicyGlobReaches, TwoFreshNames) {
  const std::string named_shadow = kPrefix + "thing/" + kOther + "/" + kOther;
  EXPECT_TRUE(reaches(kPrefix + "thing/*/*", named_shadow));
  EXPECT_TRUE(reaches(kPrefix + "thing/?/??", named_shadow));
  EXPECT_FALSE(reaches(kPrefix + "thing/MyThing1/*", named_shadow));
}

TEST(PolicyGlobCovers, EqualPatternsAndStar) {
  EXPECT_TRUE(covers("topicfilter/a/*", "topicfilter/a/*"));
  EXPECT_TRUE(covers("*", "topicfilter/anything/#"));
  EXPECT_FALSE(covers("topicfilter/a/b", "topicfilter/a/*"));
}

TEST(PolicyGlobCovers, LiteralPrefixWithTrailingStar) {
  EXPECT_TRUE(covers("topicfilter/$aws/*", "topicfilter/$aws/things/#"));
  EXPECT_TRUE(covers("topicfilter/$aws/*", "topicfilter/$aws/"));
  EXPECT_TRUE(covers("topicfilter/a*", "topicfilter/a?x"));
  EXPECT_FALSE(covers("topicfilter/b/*", "topicfilter/a/*"));
  EXPECT_FALSE(covers("topicfilter/$aws/things/*", "topicfilter/$aws/*"));
  EXPECT_FALSE(covers("topicfilter/?/*", "topicfilter/a/b"));         // a wildcard inside the prefix
  EXPECT_FALSE(covers("topicfilter/a/*/c", "topicfilter/a/b/c"));     // not a trailing star
  EXPECT_FALSE(covers("topicfilter/building/#", "topicfilter/building/a"));  // '#' is literal
}

TEST(PolicyGlobCovers, ComparesTokensNotText) {
  // Text "topicfilter/$" is a prefix of "topicfilter/${*}x", but the Allow means the literal '*'.
  EXPECT_FALSE(covers("topicfilter/$*", "topicfilter/${*}x"));
  EXPECT_TRUE(covers("topicfilter/${iot:ClientId}/*", "topicfilter/${IOT:CLIENTID}/x"));
  EXPECT_FALSE(covers("topicfilter/${iot:ClientId}/*", "topicfilter/abc/x"));
}

TEST(PolicyGlobOverlap, SomeStringMatchesBoth) {
  EXPECT_TRUE(overlap("a*", "*b"));
  EXPECT_TRUE(overlap("a?c", "abc"));
  EXPECT_FALSE(overlap("a?c", "abd"));
  EXPECT_FALSE(overlap("a/*", "b/*"));
  EXPECT_TRUE(overlap("", ""));
  EXPECT_TRUE(overlap("", "*"));
  EXPECT_FALSE(overlap("", "a"));
  EXPECT_FALSE(overlap("a*b*c", "a*d"));
  EXPECT_TRUE(overlap("tf/${x}", "tf/abc"));  // the variable may take any value
}

}  // namespace
}  // namespace fleetaudit::policy
