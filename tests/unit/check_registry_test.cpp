#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "analyzer/engine/check.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

// One check, one file: rules/<check name in lower case>.cpp. A rule dropped by the linker, or a
// file registering a check under another name, shows up here.
TEST(CheckRegistry, HoldsExactlyOneCheckPerRuleFileSortedByName) {
  std::vector<std::string> expected;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_dir() + "/rules")) {
    if (entry.path().extension() != ".cpp") continue;
    std::string name = entry.path().stem().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
    expected.push_back(name);
  }
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> names;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) names.emplace_back(check.name);
  EXPECT_EQ(names, expected);
  EXPECT_GE(names.size(), 3u);
}

TEST(CheckRegistry, EveryCheckIsFullyDescribed) {
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    EXPECT_FALSE(check.reason_codes.empty()) << check.name;
    EXPECT_FALSE(check.short_description.empty()) << check.name;
    EXPECT_FALSE(check.full_description.empty()) << check.name;
    EXPECT_FALSE(check.help.empty()) << check.name;
    EXPECT_EQ(check.help_uri.rfind("https://", 0), 0u) << check.name;
    EXPECT_NE(check.run, nullptr) << check.name;
    EXPECT_EQ(CheckRegistry::instance().find(check.name), &check);
    for (const CheckParameter& parameter : check.parameters) {
      EXPECT_LE(parameter.minimum, parameter.default_value) << check.name << " " << parameter.name;
      EXPECT_LE(parameter.default_value, parameter.maximum) << check.name << " " << parameter.name;
    }
  }
  EXPECT_EQ(CheckRegistry::instance().find("NO_SUCH_CHECK"), nullptr);
}

}  // namespace
}  // namespace fleetaudit
