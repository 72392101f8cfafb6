#include "staticfiles/serve.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/http_error.hpp"

namespace fs = std::filesystem;

namespace {

class StaticServe : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("mysite-static-" + std::to_string(::getpid()));
  fs::path outside = fs::temp_directory_path() / ("mysite-outside-" + std::to_string(::getpid()));
  http::Handler view;

  void SetUp() override {
    fs::create_directories(root / "css");
    fs::create_directories(outside);
    std::ofstream(root / "css" / "site.css") << "body { color: red; }\n";
    std::ofstream(root / "app.0123456789ab.js") << "console.log(1);";
    std::ofstream(outside / "secret.txt") << "secret";
    fs::create_symlink(outside / "secret.txt", root / "link.txt");
    view = staticfiles::static_view({root});
  }
  void TearDown() override {
    fs::remove_all(root);
    fs::remove_all(outside);
  }

  http::Response get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {},
                     std::string method = "GET") {
    http::Request r;
    r.method = method;
    r.params["path"] = path;
    for (auto& [k, v] : headers) r.headers.add(k, v);
    return view(r);
  }
  int status(const std::string& path) {
    try {
      return get(path).status;
    } catch (const http::HttpError& e) {
      return e.status();
    }
  }
};

TEST_F(StaticServe, ServesWithTypeEtagAndCaching) {
  auto r = get("css/site.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body { color: red; }\n");
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "text/css; charset=utf-8");
  EXPECT_FALSE(r.headers.get("ETag").value_or("").empty());
  EXPECT_EQ(r.headers.get("Cache-Control").value_or(""), "no-cache");
  EXPECT_EQ(get("app.0123456789ab.js").headers.get("Cache-Control").value_or(""),
            "public, max-age=31536000, immutable");
}

TEST_F(StaticServe, IfNoneMatchGives304) {
  auto etag = std::string(get("css/site.css").headers.get("ETag").value_or(""));
  auto r = get("css/site.css", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(get("css/site.css", {{"If-None-Match", "W/" + etag}}).status, 304);
  EXPECT_EQ(get("css/site.css", {{"If-None-Match", "\"other\", " + etag}}).status, 304);
  EXPECT_EQ(get("css/site.css", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(StaticServe, RangeRequests) {
  auto r = get("css/site.css", {{"Range", "bytes=0-3"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "body");
  EXPECT_EQ(r.headers.get("Content-Range").value_or(""), "bytes 0-3/21");
  EXPECT_EQ(get("css/site.css", {{"Range", "bytes=-2"}}).body, "}\n");
  EXPECT_EQ(get("css/site.css", {{"Range", "bytes=19-"}}).body, "}\n");
  EXPECT_EQ(get("css/site.css", {{"Range", "bytes=21-"}}).status, 416);
  EXPECT_EQ(get("css/site.css", {{"Range", "bytes=5-2"}}).status, 200);
  EXPECT_EQ(get("css/site.css", {{"Range", "bytes=0-1,4-5"}}).status, 200);
}

TEST_F(StaticServe, RefusesTraversal) {
  EXPECT_EQ(status("../" + outside.filename().string() + "/secret.txt"), 404);
  EXPECT_EQ(status("css/../../" + outside.filename().string() + "/secret.txt"), 404);
  EXPECT_EQ(status("css/../css/site.css"), 404);
  EXPECT_EQ(status("./css/site.css"), 404);
  EXPECT_EQ(status("/etc/passwd"), 404);
  EXPECT_EQ(status("css//site.css"), 404);
  EXPECT_EQ(status("css\\site.css"), 404);
  EXPECT_EQ(status(std::string("css/site.css\0x", 14)), 404);
  EXPECT_EQ(status("../../../etc/passwd"), 404);
}

TEST_F(StaticServe, RefusesSymlinkLeavingRoot) { EXPECT_EQ(status("link.txt"), 404); }

TEST_F(StaticServe, MissingFileAndDirectoryAre404) {
  EXPECT_EQ(status("css/missing.css"), 404);
  EXPECT_EQ(status("css"), 404);
  EXPECT_EQ(status(""), 404);
}

TEST(HashedName, RecognisesDjangoHashes) {
  EXPECT_TRUE(staticfiles::is_hashed_name("css/site.0123456789ab.css"));
  EXPECT_FALSE(staticfiles::is_hashed_name("css/site.css"));
  EXPECT_FALSE(staticfiles::is_hashed_name("css/site.0123456789AB.css"));
  EXPECT_FALSE(staticfiles::is_hashed_name("site.0123456789a.css"));
}

}  // namespace
