// base/time: the strict RFC 3339 reader. Each field at its last valid value and one past it.
#include "base/time.hpp"

#include <gtest/gtest.h>

namespace {

using std::chrono::seconds;

std::int64_t unix_seconds(std::string_view text) {
  auto t = base::parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t ? std::chrono::duration_cast<seconds>(t->time_since_epoch()).count() : -1;
}

TEST(Rfc3339, ReadsTheFormsAwsSends) {
  EXPECT_EQ(unix_seconds("2026-11-28T07:51:00Z"), 1795852260);
  EXPECT_EQ(unix_seconds("2026-11-28T07:51:00.123456Z"), 1795852260);
  EXPECT_EQ(unix_seconds("2026-11-28T08:51:00+01:00"), 1795852260);
  EXPECT_EQ(unix_seconds("2026-11-28T06:21:00-01:30"), 1795852260);
  EXPECT_EQ(unix_seconds("2026-11-28t07:51:00z"), 1795852260);
  EXPECT_EQ(unix_seconds("1970-01-01T00:00:00Z"), 0);
}

TEST(Rfc3339, EachFieldAtItsLimit) {
  EXPECT_TRUE(base::parse_rfc3339("2026-12-31T23:59:59Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-00-01T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-00T00:00:00Z"));
  EXPECT_TRUE(base::parse_rfc3339("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-01T00:60:00Z"));
  EXPECT_EQ(unix_seconds("2016-12-31T23:59:60Z"), unix_seconds("2017-01-01T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-01T00:00:61Z"));
  EXPECT_TRUE(base::parse_rfc3339("2026-01-01T00:00:00+23:59"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-01T00:00:00+24:00"));
  EXPECT_FALSE(base::parse_rfc3339("2026-01-01T00:00:00+01:60"));
  EXPECT_TRUE(base::parse_rfc3339("1900-01-01T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("1899-12-31T23:59:59Z"));
  EXPECT_TRUE(base::parse_rfc3339("2200-12-31T23:59:59Z"));
  EXPECT_FALSE(base::parse_rfc3339("2201-01-01T00:00:00Z"));
  EXPECT_FALSE(base::parse_rfc3339("0001-01-01T00:00:00Z"));  // found by fuzzing: overflowed the clock
  EXPECT_FALSE(base::parse_rfc3339("9999-12-31T23:59:59Z"));
}

TEST(Rfc3339, RefusesWhatIsNotExactlyTheFormat) {
  for (const char* bad :
       {"", "yesterday", "2026-11-28", "2026-11-28T07:51:00",  // no offset
        "2026-1-28T07:51:00Z", "2026-11-28T7:51:00Z", " 2026-11-28T07:51:00Z",
        "+2026-11-28T07:51:00Z", "-026-11-28T07:51:00Z", "2026-11-28 07:51:00Z",
        "2026-11-28T07:51:00Z ", "2026-11-28T07:51:00.Z", "2026-11-28T07:51:00+0100",
        "2026-11-28T07:51:00+01", "2026-11-28T07:51:00+a1:00", "2026-11-28T07:51Z",
        "2026-11-28T07:51:00ZZ", "２０２６-11-28T07:51:00Z"})
    EXPECT_FALSE(base::parse_rfc3339(bad)) << bad;
}

}  // namespace
