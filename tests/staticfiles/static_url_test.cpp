#include "staticfiles/static_url.hpp"

#include <gtest/gtest.h>

#include "staticfiles/error.hpp"

using staticfiles::make_static_url;
using staticfiles::Manifest;

namespace {

std::shared_ptr<const Manifest> manifest() {
  return std::make_shared<const Manifest>(Manifest::Paths{
      {"css/site.css", "css/site.0123456789ab.css"}, {"img/a b.png", "img/a b.0123456789ab.png"}});
}

}  // namespace

TEST(StaticUrl, ResolvesThroughTheManifest) {
  auto url = make_static_url({"/static/", false, manifest()});
  EXPECT_EQ(url("css/site.css"), "/static/css/site.0123456789ab.css");
  EXPECT_EQ(url("img/a b.png"), "/static/img/a%20b.0123456789ab.png");
  EXPECT_EQ(url("css/site.css?v=1"), "/static/css/site.0123456789ab.css?v=1");
  EXPECT_EQ(url("css/"), "/static/css/");
}

TEST(StaticUrl, AMissingEntryIsAnErrorWithDebugOff) {
  auto url = make_static_url({"https://example.com/static/", false, manifest()});
  try {
    url("css/missing.css");
    FAIL() << "expected MissingManifestEntry";
  } catch (const staticfiles::MissingManifestEntry& e) {
    EXPECT_STREQ(e.what(), "Missing staticfiles manifest entry for 'css/missing.css'");
  }
}

TEST(StaticUrl, AMissingEntryIsPlainWithDebugOn) {
  auto url = make_static_url({"/static/", true, manifest()});
  EXPECT_EQ(url("css/missing.css"), "/static/css/missing.css");
  EXPECT_EQ(url("css/site.css"), "/static/css/site.0123456789ab.css");
}

TEST(StaticUrl, WithoutAManifestNamesStayPlain) {
  auto url = make_static_url({"/static/", false, nullptr});
  EXPECT_EQ(url("css/site.css"), "/static/css/site.css");
  EXPECT_EQ(url("img/a b.png"), "/static/img/a%20b.png");
}
