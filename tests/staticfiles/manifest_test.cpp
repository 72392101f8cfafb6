#include "staticfiles/manifest.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "staticfiles/error.hpp"

using staticfiles::Manifest;

TEST(Manifest, WritesDjangosJsonFormat) {
  Manifest m(Manifest::Paths{{"css/site.css", "css/site.0123456789ab.css"},
                             {"img/caf\xC3\xA9.png", "img/caf\xC3\xA9.ba9876543210.png"}});
  EXPECT_EQ(m.to_json(),
            "{\"paths\": {\"css/site.css\": \"css/site.0123456789ab.css\", "
            "\"img/caf\\u00e9.png\": \"img/caf\\u00e9.ba9876543210.png\"}, \"version\": \"1.0\"}");
  EXPECT_EQ(Manifest().to_json(), "{\"paths\": {}, \"version\": \"1.0\"}");
}

TEST(Manifest, ParsesWhatItWrites) {
  Manifest m(Manifest::Paths{{"a b.css", "a b.0123456789ab.css"}});
  EXPECT_EQ(Manifest::parse(m.to_json()).paths(), m.paths());
}

TEST(Manifest, LookupKeepsQueryAndFragment) {
  Manifest m(Manifest::Paths{{"f.eot", "f.0123456789ab.eot"}});
  EXPECT_EQ(m.lookup("f.eot"), "f.0123456789ab.eot");
  EXPECT_EQ(m.lookup("f.eot?v=1#x"), "f.0123456789ab.eot?v=1#x");
  EXPECT_EQ(m.lookup("f.eot?#iefix"), "f.0123456789ab.eot?#iefix");
  EXPECT_EQ(m.lookup("missing.eot"), std::nullopt);
}

TEST(Manifest, RejectsBadJsonAndUnknownVersions) {
  EXPECT_THROW(Manifest::parse("{"), staticfiles::Error);
  EXPECT_THROW(Manifest::parse("[]"), staticfiles::Error);
  EXPECT_THROW(Manifest::parse("{\"paths\": {}, \"version\": \"2.0\"}"), staticfiles::Error);
  EXPECT_THROW(Manifest::parse("{\"paths\": {\"a\": 1}, \"version\": \"1.0\"}"),
               staticfiles::Error);
  EXPECT_NO_THROW(Manifest::parse("{\"version\": \"1.0\"}"));
}

TEST(Manifest, LoadFromAFolderWithoutOneIsNullopt) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mysite-manifest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_EQ(Manifest::load(dir), std::nullopt);
  std::ofstream(dir / "staticfiles.json") << "not json";
  EXPECT_THROW(Manifest::load(dir), staticfiles::Error);
  std::filesystem::remove_all(dir);
}
