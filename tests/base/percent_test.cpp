// base::percent_decode_lenient: the lenient %XX rule shared by forms, multipart, S3 keys and
// collectstatic (Python's unquote_to_bytes / unquote_plus).
#include "base/percent.hpp"

#include <gtest/gtest.h>

namespace {

TEST(PercentDecodeLenient, DecodesWellFormedEscapesInEitherCase) {
  EXPECT_EQ(base::percent_decode_lenient("a%20b%2fc%2Fd"), "a b/c/d");
  EXPECT_EQ(base::percent_decode_lenient("%C3%A9"), "\xc3\xa9");
  EXPECT_EQ(base::percent_decode_lenient("%00"), std::string(1, '\0'));
}

TEST(PercentDecodeLenient, KeepsMalformedEscapesAsTheyAre) {
  EXPECT_EQ(base::percent_decode_lenient("%zz%4"), "%zz%4");
  EXPECT_EQ(base::percent_decode_lenient("100%"), "100%");
  EXPECT_EQ(base::percent_decode_lenient("%%41"), "%A");
  EXPECT_EQ(base::percent_decode_lenient(""), "");
}

TEST(PercentDecodeLenient, PlusIsASpaceOnlyInForms) {
  EXPECT_EQ(base::percent_decode_lenient("a+b%2B", true), "a b+");
  EXPECT_EQ(base::percent_decode_lenient("a+b%2B"), "a+b+");
}

TEST(HexDigitValue, AllSixteenDigitsAndNothingElse) {
  EXPECT_EQ(base::hex_digit_value('0'), 0);
  EXPECT_EQ(base::hex_digit_value('9'), 9);
  EXPECT_EQ(base::hex_digit_value('a'), 10);
  EXPECT_EQ(base::hex_digit_value('F'), 15);
  EXPECT_EQ(base::hex_digit_value('g'), -1);
  EXPECT_EQ(base::hex_digit_value('/'), -1);
}

}  // namespace
