// util/utf8.h and util/ascii.h: the one UTF-8 validator against an encoder oracle, ASCII folding.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "analyzer/util/ascii.h"
#include "analyzer/util/utf8.h"

namespace fleetaudit {
namespace {

std::string encode(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// Every scalar value encodes to a sequence the validator accepts whole, with its value.
TEST(Utf8, EveryScalarValueRoundTrips) {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string bytes = encode(c);
    char32_t decoded = 0;
    ASSERT_EQ(utf8_sequence(bytes, 0, &decoded), bytes.size()) << static_cast<uint32_t>(c);
    ASSERT_EQ(decoded, c);
    ASSERT_EQ(first_invalid_utf8(bytes), std::string_view::npos);
    // Cut short, it is no character.
    if (bytes.size() > 1) {
      ASSERT_EQ(utf8_sequence(std::string_view(bytes).substr(0, bytes.size() - 1), 0), 0u);
    }
  }
}

// Every two-byte string is accepted exactly when the encoder makes it (two ASCII characters or
// one of U+0080-U+07FF).
TEST(Utf8, TwoByteStringsAgreeWithTheEncoder) {
  std::set<std::string> made;
  for (char32_t a = 0; a < 0x80; ++a)
    for (char32_t b = 0; b < 0x80; ++b) made.insert(encode(a) + encode(b));
  for (char32_t c = 0x80; c < 0x800; ++c) made.insert(encode(c));
  for (unsigned a = 0; a < 256; ++a)
    for (unsigned b = 0; b < 256; ++b) {
      const std::string bytes{static_cast<char>(a), static_cast<char>(b)};
      EXPECT_EQ(first_invalid_utf8(bytes) == std::string_view::npos, made.count(bytes) == 1) << a << " " << b;
    }
}

TEST(Utf8, RejectsSurrogatesOverlongAndPastTheEnd) {
  EXPECT_EQ(first_invalid_utf8("ok \xED\xA0\x80"), 3u);    // U+D800
  EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0u);       // overlong '/'
  EXPECT_EQ(first_invalid_utf8("a\xF4\x90\x80\x80"), 1u);  // U+110000
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(first_invalid_utf8("caf\xC3\xA9"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8(""), std::string_view::npos);
}

TEST(Ascii, CaseAndHex) {
  EXPECT_TRUE(iequals("iot:Publish", "IOT:publish"));
  EXPECT_FALSE(iequals("iot:Publish", "iot:Publis"));
  EXPECT_FALSE(iequals("\xC3\x89", "\xC3\xA9"));  // É and é: ASCII folding only
  EXPECT_TRUE(istarts_with("Credentials-IoT:ThingName", "credentials-iot:"));
  EXPECT_FALSE(istarts_with("cred", "credentials-iot:"));
  EXPECT_EQ(ascii_lower(std::string_view("AbC-\xC3\x89")), "abc-\xC3\x89");
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('f'), 15);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
  EXPECT_EQ(kLowerHexDigits[10], 'a');
}

}  // namespace
}  // namespace fleetaudit
