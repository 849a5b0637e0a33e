#include "analyzer/tables/string_interner.h"

#include <gtest/gtest.h>

#include <string>

namespace fleetaudit {
namespace {

TEST(StringInterner, SameTextSameId) {
  StringInterner strings;
  StringId a = strings.intern("thermostat-1");
  StringId b = strings.intern("thermostat-2");
  EXPECT_NE(a, b);
  EXPECT_EQ(strings.intern(std::string("thermostat-1")), a);
  EXPECT_EQ(strings.view(b), "thermostat-2");
  EXPECT_EQ(strings.find("thermostat-2"), b);
  EXPECT_EQ(strings.find("absent"), kNoString);
}

TEST(StringInterner, ViewsStayValidWhileGrowing) {
  StringInterner strings;
  StringId first = strings.intern("first");
  std::string_view first_view = strings.view(first);
  for (int i = 0; i < 200000; ++i) strings.intern("name-" + std::to_string(i));
  EXPECT_EQ(strings.size(), 200001u);
  EXPECT_EQ(first_view, "first");
  EXPECT_EQ(strings.find("name-123456"), strings.intern("name-123456"));
  EXPECT_EQ(strings.view(strings.find("name-199999")), "name-199999");
}

TEST(StringInterner, EmptyStringFirst) {
  StringInterner strings;  // no arena block exists yet
  StringId empty = strings.intern("");
  EXPECT_EQ(strings.view(empty), "");
  EXPECT_EQ(strings.intern(""), empty);
  EXPECT_NE(strings.intern("x"), empty);
}

TEST(StringInterner, EmptyAndLongStrings) {
  StringInterner strings;
  StringId empty = strings.intern("");
  std::string long_text(3 << 20, 'x');  // larger than one arena block
  StringId big = strings.intern(long_text);
  EXPECT_EQ(strings.view(empty), "");
  EXPECT_EQ(strings.view(big), long_text);
  EXPECT_EQ(strings.intern(long_text), big);
}

}  // namespace
}  // namespace fleetaudit
