// policy::allow_deny_verdicts, the automaton set-up access's per-thing permissions call: what each
// Allow keeps once every Deny is taken away, and which Denies take something from the Allows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/policy/glob.h"
#include "analyzer/policy/pattern_language.h"

namespace fleetaudit::policy {
namespace {

StatementLanguage language(std::vector<std::string> patterns, bool complement = false) {
  StatementLanguage out;
  out.complement = complement;
  auto read = [](std::string_view) { return VariableReading::device_name; };
  for (const std::string& text : patterns) out.patterns.push_back(*resolve_pattern(Glob::compile(text), read));
  return out;
}

TEST(AllowDenyVerdicts, WhatIsLeftAndWhichDeniesOverlap) {
  const std::vector<StatementLanguage> allows = {language({"topic/a/*"}), language({"topic/b/x"})};
  const std::vector<StatementLanguage> denies = {language({"topic/b/*"}), language({"topic/c/*"}),
                                                 language({"topic/a/secret"})};
  WorkMeter meter(1'000'000);
  const AllowDenyVerdicts verdicts = allow_deny_verdicts(allows, denies, &meter);
  // topic/a/* keeps all but topic/a/secret; topic/b/x is wholly denied.
  EXPECT_EQ(verdicts.left_of_allow, (std::vector<LanguageAnswer>{LanguageAnswer::found, LanguageAnswer::empty}));
  // The c/ Deny takes nothing from the Allows; the others do.
  EXPECT_EQ(verdicts.deny_overlaps, (std::vector<uint8_t>{1, 0, 1}));
}

TEST(AllowDenyVerdicts, NotResourceDenyAndNoDenies) {
  WorkMeter meter(1'000'000);
  const std::vector<StatementLanguage> allows = {language({"topic/a"})};
  // NotResource topic/a: denies every resource but topic/a.
  const AllowDenyVerdicts verdicts = allow_deny_verdicts(allows, std::vector{language({"topic/a"}, true)}, &meter);
  EXPECT_EQ(verdicts.left_of_allow, std::vector<LanguageAnswer>{LanguageAnswer::found});
  EXPECT_EQ(verdicts.deny_overlaps, std::vector<uint8_t>{0});
  EXPECT_TRUE(allow_deny_verdicts(allows, {}, &meter).deny_overlaps.empty());
}

}  // namespace
}  // namespace fleetaudit::policy
