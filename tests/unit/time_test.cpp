#include "analyzer/util/time.h"

#include <gtest/gtest.h>

namespace fleetaudit {
namespace {

TEST(Iso8601, CliV2FormWithOffsetAndMicroseconds) {
  // 2018-10-31T14:52:31.983-07:00 is 1541022751.983 epoch seconds (the AWS CLI example).
  EXPECT_EQ(parse_iso8601("2018-10-31T14:52:31.983000-07:00"), 1541022751983);
  EXPECT_EQ(parse_iso8601("2018-10-31T14:52:31-07:00"), 1541022751000);
}

TEST(Iso8601, UtcForms) {
  EXPECT_EQ(parse_iso8601("2014-07-30T17:09:20Z"), 1406740160000);
  EXPECT_EQ(parse_iso8601("2014-07-30T17:09:20+00:00"), 1406740160000);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601("2049-12-31T23:59:59Z"), 2524607999000);  // AWS-issued certificates expire here
}

TEST(Iso8601, PositiveOffsetAndLeapDay) {
  EXPECT_EQ(parse_iso8601("2024-02-29T01:30:00+05:30"), parse_iso8601("2024-02-28T20:00:00Z"));
}

TEST(Iso8601, RejectsMalformed) {
  EXPECT_FALSE(parse_iso8601("2018-10-31T14:52:31"));  // no offset: ambiguous instant
  EXPECT_FALSE(parse_iso8601("2018-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2018-10-31T14:52:31.Z"));
  EXPECT_FALSE(parse_iso8601("2018-10-31T14:52:31Zjunk"));
  EXPECT_FALSE(parse_iso8601(""));
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

TEST(EpochSeconds, FractionalSecondsRoundToMillis) {
  EXPECT_EQ(epoch_seconds_to_millis(1541022751.983), 1541022751983);
  EXPECT_EQ(epoch_seconds_to_millis(1541022631.0), 1541022631000);
  EXPECT_FALSE(epoch_seconds_to_millis(1e300));
}

TEST(FormatIso8601, RoundTrips) {
  EXPECT_EQ(format_iso8601(1541022751983), "2018-10-31T21:52:31.983Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
  for (EpochMillis t : {EpochMillis{951782400000}, EpochMillis{2524607999000}, EpochMillis{1709170200123}})
    EXPECT_EQ(parse_iso8601(format_iso8601(t)), t);
}

TEST(FormatIso8601, FourDigitYearsAndBeyond) {
  EXPECT_EQ(format_iso8601(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(951825600007), "2000-02-29T12:00:00.007Z");  // a leap day
  // A day's every field carried at once, and a spread of instants across four-digit years.
  EXPECT_EQ(format_iso8601(1704067199999), "2023-12-31T23:59:59.999Z");
  for (EpochMillis t = -62135596800000; t < 253402300799999; t += 7777777777777)
    EXPECT_EQ(parse_iso8601(format_iso8601(t)), t) << format_iso8601(t);
}

}  // namespace
}  // namespace fleetaudit
