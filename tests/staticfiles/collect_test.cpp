#include "staticfiles/collect.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "staticfiles/error.hpp"
#include "staticfiles/hashing.hpp"
#include "staticfiles/local_storage.hpp"

namespace fs = std::filesystem;
using staticfiles::collect_static;
using staticfiles::CollectOptions;
using staticfiles::LocalStorage;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A storage that fails on its Nth write, to stand for a disk or network failure mid-run.
class FailingStorage final : public staticfiles::Storage {
 public:
  FailingStorage(LocalStorage& inner, int fail_at) : inner_(inner), left_(fail_at) {}
  std::string location() const override { return inner_.location(); }
  bool has_files() override { return inner_.has_files(); }
  std::optional<std::string> read(std::string_view n) override { return inner_.read(n); }
  bool contains(const staticfiles::StoredFile& f) override { return inner_.contains(f); }
  void write(const staticfiles::StoredFile& f) override {
    if (--left_ == 0) throw staticfiles::Error("cannot write '" + f.name + "': injected failure");
    inner_.write(f);
  }
  void clear() override { inner_.clear(); }

 private:
  LocalStorage& inner_;
  int left_;
};

class Collect : public ::testing::Test {
 protected:
  fs::path base = fs::temp_directory_path() / ("mysite-collect-" + std::to_string(::getpid()));
  fs::path src = base / "src";
  fs::path root = base / "root";
  LocalStorage storage{root};

  void SetUp() override {
    fs::remove_all(base);
    put("css/site.css", "body{background:url(../img/bg.png)}\n");
    put("img/bg.png", "PNG-1");
    put("js/app.js", "console.log(1)\n");
  }
  void TearDown() override { fs::remove_all(base); }

  void put(const std::string& name, const std::string& content, const fs::path& dir = {}) {
    fs::path p = (dir.empty() ? src : dir) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  staticfiles::CollectResult run(CollectOptions options = {}) {
    return collect_static({src}, storage, options);
  }
};

}  // namespace

TEST_F(Collect, FirstRunStoresPlainAndHashedCopiesAndTheManifestLast) {
  auto r = run();
  EXPECT_EQ(r.copied, 3u);
  EXPECT_EQ(r.unmodified, 0u);
  EXPECT_EQ(r.post_processed, 3u);
  ASSERT_EQ(r.written.size(), 7u);
  EXPECT_EQ(r.written.back(), "staticfiles.json");
  auto hashed_png = "img/bg." + staticfiles::file_hash("PNG-1") + ".png";
  EXPECT_EQ(slurp(root / hashed_png), "PNG-1");
  EXPECT_EQ(slurp(root / "img/bg.png"), "PNG-1");
  EXPECT_EQ(slurp(root / "staticfiles.json"), r.manifest.to_json());
  EXPECT_EQ(r.manifest.lookup("img/bg.png"), hashed_png);
  auto css = slurp(root / *r.manifest.lookup("css/site.css"));
  EXPECT_EQ(css,
            "body{background:url(\"../img/bg." + staticfiles::file_hash("PNG-1") + ".png\")}\n");
  EXPECT_EQ(staticfiles::summary(r, "/x"), "3 static files copied to '/x', 3 post-processed.");
}

TEST_F(Collect, SecondRunCopiesNothing) {
  run();
  auto manifest_time = fs::last_write_time(root / "staticfiles.json");
  auto r = run();
  EXPECT_EQ(r.copied, 0u);
  EXPECT_EQ(r.unmodified, 3u);
  EXPECT_TRUE(r.written.empty());
  EXPECT_FALSE(r.manifest_written);
  EXPECT_EQ(fs::last_write_time(root / "staticfiles.json"), manifest_time);
  EXPECT_EQ(staticfiles::summary(r, "/x"), "0 static files copied to '/x', 3 unmodified.");
}

TEST_F(Collect, AChangedFileCopiesThatFilePlusTheManifest) {
  auto first = run();
  put("js/app.js", "console.log(2)\n");
  auto r = run();
  EXPECT_EQ(r.copied, 1u);
  EXPECT_EQ(r.unmodified, 2u);
  EXPECT_EQ(r.post_processed, 1u);
  auto hashed = "js/app." + staticfiles::file_hash("console.log(2)\n") + ".js";
  EXPECT_EQ(r.written, (std::vector<std::string>{hashed, "js/app.js", "staticfiles.json"}));
  // The old hashed copy stays for servers still running the previous version.
  EXPECT_TRUE(fs::exists(root / *first.manifest.lookup("js/app.js")));
}

TEST_F(Collect, AChangedImageAlsoRewritesTheCssThatNamesIt) {
  run();
  put("img/bg.png", "PNG-2");
  auto r = run();
  EXPECT_EQ(r.copied, 2u);  // the image, and site.css whose hashed copy changed
  EXPECT_EQ(r.post_processed, 2u);
}

TEST_F(Collect, AnUnreadableSourceLeavesThePreviousManifestAndNamesTheFile) {
  run();
  auto before = slurp(root / "staticfiles.json");
  put("js/app.js", "console.log(2)\n");
  fs::create_symlink(base / "nowhere.png", src / "img" / "broken.png");
  try {
    run();
    FAIL() << "expected an error";
  } catch (const staticfiles::Error& e) {
    EXPECT_NE(std::string(e.what()).find("img/broken.png"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(root / "staticfiles.json"), before);
}

TEST_F(Collect, AWriteFailureMidRunLeavesThePreviousManifestAndNamesTheFile) {
  run();
  auto before = slurp(root / "staticfiles.json");
  put("js/app.js", "console.log(2)\n");
  put("img/bg.png", "PNG-2");
  FailingStorage failing(storage, 2);
  try {
    collect_static({src}, failing, {});
    FAIL() << "expected an error";
  } catch (const staticfiles::Error& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(root / "staticfiles.json"), before);
}

TEST_F(Collect, DryRunWritesNothing) {
  CollectOptions options;
  options.dry_run = true;
  auto r = run(options);
  EXPECT_EQ(r.copied, 3u);
  EXPECT_TRUE(r.written.empty());
  EXPECT_FALSE(fs::exists(root));
}

TEST_F(Collect, ClearRemovesWhatThePreviousRunsLeft) {
  run();
  std::ofstream(root / "stale.txt") << "old";
  CollectOptions options;
  options.clear = true;
  auto r = run(options);
  EXPECT_FALSE(fs::exists(root / "stale.txt"));
  EXPECT_EQ(r.copied, 3u);
  EXPECT_TRUE(fs::exists(root / "staticfiles.json"));
}

TEST_F(Collect, TheFirstFolderWinsAndIgnoredNamesAreLeftOut) {
  fs::path other = base / "other";
  put("js/app.js", "shadowed", other);
  put("js/extra.js", "extra", other);
  put(".hidden", "x");
  put("notes.txt~", "x");
  put("CVS/Entries", "x");
  auto r = collect_static({src, other}, storage, {});
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("js/app.js"), std::string::npos);
  EXPECT_EQ(slurp(root / "js/app.js"), "console.log(1)\n");
  EXPECT_TRUE(r.manifest.lookup("js/extra.js"));
  EXPECT_FALSE(r.manifest.lookup(".hidden"));
  EXPECT_FALSE(r.manifest.lookup("notes.txt~"));
  EXPECT_FALSE(r.manifest.lookup("CVS/Entries"));
  EXPECT_NE(staticfiles::summary(r, "/x").find(", 1 skipped"), std::string::npos);
}

TEST_F(Collect, WritesLeaveNoTemporaryFiles) {
  run();
  for (const auto& entry : fs::recursive_directory_iterator(root))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(Collect, ABrokenCssReferenceFailsBeforeWritingAnything) {
  put("css/bad.css", "a{b:url(missing.png)}");
  EXPECT_THROW(run(), staticfiles::Error);
  EXPECT_FALSE(fs::exists(root));
}

TEST_F(Collect, ASourceFileNamedLikeTheManifestIsRefused) {
  put("staticfiles.json", "{}");
  EXPECT_THROW(run(), staticfiles::Error);
}

TEST_F(Collect, ThePlainCopyOfAnUnchangedFileIsAHardLinkToItsHashedCopy) {
  auto r = run();
  EXPECT_EQ(fs::hard_link_count(root / "img/bg.png"), 2u);
  EXPECT_TRUE(fs::equivalent(root / "img/bg.png", root / *r.manifest.lookup("img/bg.png")));
  EXPECT_EQ(fs::hard_link_count(root / "css/site.css"), 1u);  // rewritten: two different files
}

TEST_F(Collect, APlainFileEditedInPlaceIsCopiedAgain) {
  run();
  // GIVEN someone rewrote the plain copy of a CSS file (not a link) with other bytes, same size
  std::string css = slurp(root / "css/site.css");
  css[0] = css[0] == 'b' ? 'c' : 'b';
  fs::remove(root / "css/site.css");
  std::ofstream(root / "css/site.css", std::ios::binary) << css;
  // THEN the next run puts it back
  auto r = run();
  EXPECT_EQ(r.copied, 1u);
  EXPECT_EQ(slurp(root / "css/site.css"), "body{background:url(../img/bg.png)}\n");
}
