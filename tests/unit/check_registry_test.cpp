#include <gtest/gtest.h>

#include "analyzer/engine/check.h"

namespace fleetaudit {
namespace {

// The catalogue this build must hold; a rule dropped by the linker shows up here.
TEST(CheckRegistry, HoldsExactlyTheCatalogueSortedByName) {
  std::vector<std::string> names;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) names.emplace_back(check.name);
  EXPECT_EQ(names, (std::vector<std::string>{"DEVICE_CERTIFICATE_SHARED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
                                             "LOGGING_DISABLED_CHECK"}));
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
  }
  EXPECT_EQ(CheckRegistry::instance().find("NO_SUCH_CHECK"), nullptr);
}

}  // namespace
}  // namespace fleetaudit
