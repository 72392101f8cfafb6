#include "staticfiles/hashing.hpp"

#include <gtest/gtest.h>

using staticfiles::file_hash;
using staticfiles::hashed_name;
using staticfiles::md5_hex;

TEST(Hashing, Md5OfKnownInputs) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6");
}

TEST(Hashing, FileHashIsTheFirstTwelveHexDigits) {
  EXPECT_EQ(file_hash(""), "d41d8cd98f00");
  EXPECT_EQ(file_hash("").size(), staticfiles::kHashDigits);
}

TEST(Hashing, HashGoesBeforeTheLastExtension) {
  EXPECT_EQ(hashed_name("css/site.css", "0123456789ab"), "css/site.0123456789ab.css");
  EXPECT_EQ(hashed_name("a.tar.gz", "0123456789ab"), "a.tar.0123456789ab.gz");
  EXPECT_EQ(hashed_name("LICENSE", "0123456789ab"), "LICENSE.0123456789ab");
  EXPECT_EQ(hashed_name("dir/.rc", "0123456789ab"), "dir/.rc.0123456789ab");
  EXPECT_EQ(hashed_name("img/a b.png", "0123456789ab"), "img/a b.0123456789ab.png");
}
