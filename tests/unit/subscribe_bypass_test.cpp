// The misconfiguration check's bypass question and the MQTT filter languages it rests on.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "analyzer/policy/mqtt_filters.h"
#include "analyzer/policy/subscribe_bypass.h"

namespace fleetaudit::policy {
namespace {

const ArnScope kScope{"aws", "us-east-1", "123456789012"};
const std::string kArn = "arn:aws:iot:us-east-1:123456789012:";

StatementLanguage statement(std::initializer_list<std::string> patterns) {
  StatementLanguage language;
  auto read = [](std::string_view) { return VariableReading::device_name; };
  for (const std::string& pattern : patterns) language.patterns.push_back(*resolve_pattern(Glob::compile(pattern), read));
  return language;
}

SubscribeBypass ask(const std::string& deny_filter, std::vector<StatementLanguage> subscribe_allowed,
                    std::vector<StatementLanguage> receive_allowed, std::vector<StatementLanguage> receive_denied = {},
                    bool concrete = false) {
  std::vector<StatementLanguage> subscribe_denied{statement({kArn + "topicfilter/" + deny_filter})};
  SubscribeQuestion question{kScope, statement({kArn + "topic/" + deny_filter}), std::nullopt, subscribe_allowed,
                             subscribe_denied, receive_allowed, receive_denied};
  if (concrete) question.intended_filter = deny_filter;
  return find_subscribe_bypass(question);
}

// AWS's example: Deny topicfilter/building/control_room/*, Allow topicfilter/building/* and Receive on
// topic/building/*: subscribing to "building/#" receives the control room's topics.
TEST(SubscribeBypass, WiderFilterReceivesTheDeniedSubtree) {
  const SubscribeBypass bypass = ask("building/control_room/*", {statement({kArn + "topicfilter/building/*"})},
                                     {statement({kArn + "topic/building/*"})});
  ASSERT_EQ(bypass.answer, LanguageAnswer::found);
  EXPECT_EQ(bypass.filter.substr(0, kArn.size() + 21), kArn + "topicfilter/building/");
  EXPECT_EQ(bypass.topic.substr(0, kArn.size() + 28), kArn + "topic/building/control_room/");
}

// The fix AWS documents: deny iot:Receive on the subtree's topics.
TEST(SubscribeBypass, ReceiveDenyClosesIt) {
  EXPECT_EQ(ask("building/control_room/*", {statement({kArn + "topicfilter/building/*"})},
                {statement({kArn + "topic/building/*"})}, {statement({kArn + "topic/building/control_room/*"})})
                .answer,
            LanguageAnswer::empty);
}

// An Allow written as a literal MQTT filter, or with ? standing for '#', bypasses the Deny too.
TEST(SubscribeBypass, LiteralFiltersAndQuestionMarks) {
  const SubscribeBypass literal = ask("building/control_room/*", {statement({kArn + "topicfilter/building/+/#"})},
                                      {statement({kArn + "topic/building/*"})});
  ASSERT_EQ(literal.answer, LanguageAnswer::found);
  EXPECT_EQ(literal.filter, kArn + "topicfilter/building/+/#");
  const SubscribeBypass question = ask("building/control_room/*", {statement({kArn + "topicfilter/building/?"})},
                                       {statement({kArn + "topic/building/*"})});
  ASSERT_EQ(question.answer, LanguageAnswer::found);
  EXPECT_EQ(question.filter, kArn + "topicfilter/building/#");
}

// Filters that cannot reach the subtree: another branch, or only the literal names.
TEST(SubscribeBypass, NoWiderFilterNoFinding) {
  EXPECT_EQ(ask("building/control_room/*", {statement({kArn + "topicfilter/building/lobby/*"})},
                {statement({kArn + "topic/building/*"})})
                .answer,
            LanguageAnswer::empty);
  EXPECT_EQ(ask("building/control_room/*", {statement({kArn + "topicfilter/building/*"})},
                {statement({kArn + "topic/building/lobby/*"})})
                .answer,
            LanguageAnswer::empty);
}

// A Deny on the literal filter "building/control_room/#" means that subtree.
TEST(SubscribeBypass, ConcreteHashFilterMeansItsSubtree) {
  const SubscribeBypass bypass = ask("building/control_room/#", {statement({kArn + "topicfilter/building/*"})},
                                     {statement({kArn + "topic/building/*"})}, {}, true);
  ASSERT_EQ(bypass.answer, LanguageAnswer::found);
  EXPECT_EQ(bypass.topic.substr(0, kArn.size() + 27), kArn + "topic/building/control_room");
}

// An independent MQTT matcher for concrete strings: '/'-separated levels, '+' one level, a last
// '#' the parent and everything below, no wildcard first level for '$' topics, invalid filters none.
bool mqtt_matches(const std::string& filter, const std::string& topic) {
  auto split = [](const std::string& text) {
    std::vector<std::string> levels{""};
    for (char c : text) {
      if (c == '/') levels.emplace_back();
      else levels.back().push_back(c);
    }
    return levels;
  };
  if (filter.empty() || topic.find_first_of("+#") != std::string::npos) return false;
  const auto f = split(filter), t = split(topic);
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i].find_first_of("+#") != std::string::npos && f[i].size() > 1) return false;
    if (f[i] == "#" && i + 1 != f.size()) return false;
  }
  if (!topic.empty() && topic[0] == '$' && (f[0] == "+" || f[0] == "#")) return false;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "#") return t.size() >= i;
    if (i >= t.size() || (f[i] != "+" && f[i] != t[i])) return false;
  }
  return f.size() == t.size();
}

// filters_receiving against brute force: every filter up to length 5 over {a,$,/,+,#} and a few
// topic languages.
TEST(MqttFilters, FiltersReceivingAgreesWithBruteForce) {
  const std::string characters = "a$/+#";
  std::vector<std::string> strings{""};
  for (size_t length = 1, begin = 0; length <= 5; ++length) {
    const size_t end = strings.size();
    for (size_t i = begin; i < end; ++i)
      for (char c : characters) strings.push_back(strings[i] + c);
    begin = end;
  }
  Alphabet alphabet;
  alphabet.mention(characters);
  const std::vector<std::vector<std::string>> languages = {{"a/a"}, {"a"}, {"$a/a", "a//a"}, {"/"}, {"a/a/a", "$"}};
  size_t compared = 0;
  for (const auto& topics : languages) {
    Nfa nfa(alphabet);
    Nfa::Fragment any = nfa.one_of(SymbolSet{});
    for (const std::string& topic : topics) any = nfa.either({any, nfa.text(topic)});
    const auto dfa = nfa.determinize(any, 1000);
    ASSERT_TRUE(dfa);
    const auto filters = filters_receiving(alphabet, *dfa, 10'000);
    ASSERT_TRUE(filters);
    for (const std::string& filter : strings) {
      bool expected = false;
      for (const std::string& topic : topics) expected |= mqtt_matches(filter, topic);
      std::vector<Symbol> symbols;
      for (char c : filter) symbols.push_back(alphabet.of(c));
      EXPECT_EQ(filters->accepts(symbols), expected) << "filter \"" << filter << "\" topics " << topics.front();
      ++compared;
    }
  }
  EXPECT_GT(compared, 10'000u);
}

}  // namespace
}  // namespace fleetaudit::policy
