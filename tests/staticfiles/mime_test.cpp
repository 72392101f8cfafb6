#include "staticfiles/mime.hpp"

#include <gtest/gtest.h>

TEST(Mime, KnownExtensions) {
  EXPECT_EQ(staticfiles::content_type_for("css/site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(staticfiles::content_type_for("a/b.SVG"), "image/svg+xml");
  EXPECT_EQ(staticfiles::content_type_for("x.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(staticfiles::content_type_for("i.png"), "image/png");
}

TEST(Mime, UnknownIsOctetStream) {
  EXPECT_EQ(staticfiles::content_type_for("README"), "application/octet-stream");
  EXPECT_EQ(staticfiles::content_type_for("dir.d/file"), "application/octet-stream");
  EXPECT_EQ(staticfiles::content_type_for("x.unknownext"), "application/octet-stream");
}
