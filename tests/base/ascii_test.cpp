// base::to_lower and base::trim: ASCII only, whatever the C locale.
#include "base/ascii.hpp"

#include <gtest/gtest.h>

namespace {

TEST(Ascii, ToLowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(base::to_lower("Form-Data; NAME=X"), "form-data; name=x");
  EXPECT_EQ(base::to_lower("\xc3\x89T\xc3\x89"), "\xc3\x89t\xc3\x89");  // UTF-8 bytes untouched
  EXPECT_EQ(base::to_lower(""), "");
}

TEST(Ascii, TrimRemovesSpacesTabsAndLineEndsAtBothEnds) {
  EXPECT_EQ(base::trim(" \t value \r\n"), "value");
  EXPECT_EQ(base::trim("a b"), "a b");
  EXPECT_EQ(base::trim(" \t\r\n"), "");
}

}  // namespace
