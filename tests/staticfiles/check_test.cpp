#include "staticfiles/check.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "staticfiles/collect.hpp"
#include "staticfiles/local_storage.hpp"

namespace fs = std::filesystem;

namespace {

class CheckManifest : public ::testing::Test {
 protected:
  fs::path base = fs::temp_directory_path() / ("mysite-check-" + std::to_string(::getpid()));
  fs::path src = base / "src";
  fs::path root = base / "root";

  void SetUp() override {
    fs::remove_all(base);
    put("css/site.css", "body{background:url(../img/bg.png)}");
    put("img/bg.png", "PNG");
  }
  void TearDown() override { fs::remove_all(base); }
  void put(const std::string& name, const std::string& content) {
    fs::create_directories((src / name).parent_path());
    std::ofstream(src / name, std::ios::binary) << content;
  }
  void collect() {
    staticfiles::LocalStorage storage(root);
    staticfiles::collect_static({src}, storage, {});
  }
  std::vector<std::string> check() { return staticfiles::check_manifest(root, {src}, "/static/"); }
};

bool mentions(const std::vector<std::string>& problems, std::string_view text) {
  for (const auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_F(CheckManifest, ReportsAMissingManifest) {
  auto problems = check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(mentions(problems, "no staticfiles.json"));
}

TEST_F(CheckManifest, IsQuietAfterCollectstatic) {
  collect();
  EXPECT_TRUE(check().empty());
}

TEST_F(CheckManifest, ReportsEntriesWhoseFilesAreGone) {
  collect();
  auto manifest = staticfiles::Manifest::load(root);
  fs::remove(root / *manifest->lookup("img/bg.png"));
  EXPECT_TRUE(mentions(check(), "which STATIC_ROOT"));
}

TEST_F(CheckManifest, ReportsSourceFilesNotInTheManifestOrChanged) {
  collect();
  put("js/new.js", "1");
  put("img/bg.png", "PNG2");
  auto problems = check();
  EXPECT_TRUE(mentions(problems, "'js/new.js' is not in staticfiles.json"));
  EXPECT_TRUE(mentions(problems, "'img/bg.png' changed"));
  EXPECT_TRUE(mentions(problems, "'css/site.css' changed"));
}

TEST_F(CheckManifest, ReportsAManifestThatCannotBeParsed) {
  fs::create_directories(root);
  std::ofstream(root / "staticfiles.json") << "{";
  EXPECT_TRUE(mentions(check(), "Couldn't load manifest"));
}
