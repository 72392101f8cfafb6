#include "staticfiles/url_parts.hpp"

#include <gtest/gtest.h>

namespace py = staticfiles::py;

TEST(UrlParts, UnquoteDecodesUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(py::unquote("a%20b.png"), "a b.png");
  EXPECT_EQ(py::unquote("caf%C3%A9"), "caf\xC3\xA9");
  EXPECT_EQ(py::unquote("%FF"), "\xEF\xBF\xBD");
  EXPECT_EQ(py::unquote("100%"), "100%");
  EXPECT_EQ(py::unquote("%zz%4"), "%zz%4");
}

TEST(UrlParts, NormpathLikePosixpath) {
  EXPECT_EQ(py::normpath("css/../img/./a.png"), "img/a.png");
  EXPECT_EQ(py::normpath("../x.png"), "../x.png");
  EXPECT_EQ(py::normpath("a//b/"), "a/b");
  EXPECT_EQ(py::normpath(""), ".");
  EXPECT_EQ(py::normpath("css/.."), ".");
  EXPECT_EQ(py::normpath("/a/../../b"), "/b");
}

TEST(UrlParts, DirnameAndJoin) {
  EXPECT_EQ(py::dirname("css/site.css"), "css");
  EXPECT_EQ(py::dirname("site.css"), "");
  EXPECT_EQ(py::join("", "a.png"), "a.png");
  EXPECT_EQ(py::join("css", "../a.png"), "css/../a.png");
}

TEST(UrlParts, UrldefragDropsAnEmptyQueryBeforeAFragment) {
  auto d = py::urldefrag("font.eot?#iefix");
  EXPECT_EQ(d.url, "font.eot");
  EXPECT_EQ(d.fragment, "iefix");
  d = py::urldefrag("a.svg?v=1#x");
  EXPECT_EQ(d.url, "a.svg?v=1");
  EXPECT_EQ(d.fragment, "x");
  d = py::urldefrag("a.png?");
  EXPECT_EQ(d.url, "a.png?");
  EXPECT_EQ(d.fragment, "");
}

TEST(UrlParts, SplitextMovesOnlyTheLastExtension) {
  auto s = py::splitext("a.tar.gz");
  EXPECT_EQ(s.root, "a.tar");
  EXPECT_EQ(s.ext, ".gz");
  s = py::splitext(".bashrc");
  EXPECT_EQ(s.root, ".bashrc");
  EXPECT_EQ(s.ext, "");
  s = py::splitext("Makefile");
  EXPECT_EQ(s.ext, "");
}

TEST(UrlParts, StripRemovesUnicodeWhitespace) {
  EXPECT_EQ(py::strip(" \t a.png \xC2\xA0"), "a.png");
  EXPECT_EQ(py::strip("   "), "");
}
