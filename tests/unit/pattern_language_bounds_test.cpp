// Large inputs end in an answer or in "too complex", within the default budget, never a hang.
// (Time and memory are measured by running this suite alone, not asserted.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/policy/foreign_access.h"

namespace fleetaudit::policy {
namespace {

const ArnScope kScope{"aws", "eu-west-1", "123456789012"};
const std::string kArn = "arn:aws:iot:eu-west-1:123456789012:";

StatementLanguage statement(const std::string& pattern) {
  auto read = [](std::string_view) { return VariableReading::device_name; };
  return StatementLanguage{{*resolve_pattern(Glob::compile(pattern), read)}, false};
}

std::string repeated(std::string_view piece, size_t times) {
  std::string text;
  for (size_t i = 0; i < times; ++i) text += piece;
  return text;
}

bool decided_or_too_complex(const ForeignAccess& access) {
  return access.answer == LanguageAnswer::found || access.answer == LanguageAnswer::empty ||
         (access.answer == LanguageAnswer::too_complex && !access.reason.empty());
}

TEST(PatternLanguageBounds, ResourcesOf200kCharacters) {
  const std::string stars = kArn + "topic/" + repeated("a*", 100'000);
  const std::string questions = kArn + "topic/" + repeated("?*", 100'000);
  const std::string literal = kArn + "topic/" + repeated("ab/", 66'666);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {stars, kArn + "topic/*"}, {kArn + "topic/*", stars}, {questions, stars}, {stars, questions},
      {literal, kArn + "topic/a*"}, {literal + "*", literal + "?*"}};
  for (const auto& [allow, deny] : cases) {
    const std::vector<StatementLanguage> allowed{statement(allow)}, denied{statement(deny)};
    const ForeignAccess access = find_foreign_access(ResourceFamily::topic, kScope, allowed, denied);
    EXPECT_TRUE(decided_or_too_complex(access));
    std::cout << "200k: answer " << static_cast<int>(access.answer) << " " << access.reason << "\n";
  }
}

TEST(PatternLanguageBounds, TenThousandStatements) {
  std::vector<StatementLanguage> allowed, denied, broad;
  for (int i = 0; i < 10'000; ++i) {
    allowed.push_back(statement(kArn + "topic/sensors/dev" + std::to_string(i) + "/*"));
    denied.push_back(statement(kArn + "topic/*/" + std::to_string(i) + "/secret"));
    broad.push_back(statement(kArn + "topic/*/" + std::to_string(i)));
  }
  for (const auto* allows : {&allowed, &broad}) {
    const ForeignAccess access = find_foreign_access(ResourceFamily::topic, kScope, *allows, denied);
    EXPECT_TRUE(decided_or_too_complex(access));
    std::cout << "10k: answer " << static_cast<int>(access.answer) << " " << access.reason << "\n";
  }
  // Every broad grant denied again, statement by statement.
  const ForeignAccess access = find_foreign_access(ResourceFamily::topic, kScope, broad, broad);
  EXPECT_TRUE(decided_or_too_complex(access));
  std::cout << "10k denied: answer " << static_cast<int>(access.answer) << " " << access.reason << "\n";
}

}  // namespace
}  // namespace fleetaudit::policy
