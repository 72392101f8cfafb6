// base::python_json_quote against what Python's json.dumps() writes (ensure_ascii).
#include "base/python_json.hpp"

#include <gtest/gtest.h>

namespace {

TEST(PythonJson, QuotesLikeJsonDumps) {
  EXPECT_EQ(base::python_json_quote("caf\xC3\xA9/\"q\"\\\n"), "\"caf\\u00e9/\\\"q\\\"\\\\\\n\"");
  EXPECT_EQ(base::python_json_quote("\xF0\x9F\x98\x80"), "\"\\ud83d\\ude00\"");  // surrogate pair
  EXPECT_EQ(base::python_json_quote("\x7F\x01\t\r\b\f"), "\"\\u007f\\u0001\\t\\r\\b\\f\"");
  EXPECT_EQ(base::python_json_quote(""), "\"\"");
  EXPECT_EQ(base::python_json_quote("\xFF"), "\"\\udcff\"");  // not UTF-8: surrogateescape
}

}  // namespace
