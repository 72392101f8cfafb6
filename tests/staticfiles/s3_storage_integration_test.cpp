// S3Storage against tests/tools/fake_aws.py, which verifies every request's SigV4 signature and
// each PutObject's Content-MD5: first run uploads everything with its Content-Type and
// Cache-Control, a second run uploads nothing, a changed file uploads its copies plus the
// manifest, a failed upload leaves the previous manifest and names the file, and --clear keeps
// what the previous manifest names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "staticfiles/collect.hpp"
#include "staticfiles/error.hpp"
#include "staticfiles/s3_storage.hpp"
#include "tests/aws/fake_aws_process.hpp"

namespace fs = std::filesystem;
using staticfiles::collect_static;
using staticfiles::CollectOptions;
using staticfiles::S3Storage;

namespace {

constexpr const char* kBucket = "static-bucket";

class S3StorageTest : public ::testing::Test {
 protected:
  aws_test::FakeAws fake;
  std::shared_ptr<const aws::S3Client> s3 =
      std::make_shared<const aws::S3Client>(fake.client_config(aws_test::test_credentials()));
  fs::path src =
      fs::temp_directory_path() / ("mysite-s3-collect-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());

  void SetUp() override {
    fs::remove_all(src);
    put("css/site.css", "body{background:url(../img/bg.png)}\n");
    put("img/bg.png", "PNG-1");
    put("js/app.js", "console.log(1)\n");
  }
  void TearDown() override { fs::remove_all(src); }

  void put(const std::string& name, const std::string& content) {
    fs::create_directories((src / name).parent_path());
    std::ofstream(src / name, std::ios::binary) << content;
  }
  staticfiles::CollectResult collect(bool clear = false) {
    S3Storage storage(s3, kBucket);
    return collect_static({src}, storage, {.static_url = "/static/", .clear = clear});
  }
  std::string manifest_json() { return s3->get_object(kBucket, "static/staticfiles.json").body; }
  bool exists(const std::string& name) {
    return s3->head_object(kBucket, "static/" + name).has_value();
  }
};

TEST_F(S3StorageTest, FirstRunUploadsEverythingWithContentTypeAndCacheControl) {
  auto result = collect();
  EXPECT_EQ(result.copied, 3U);
  EXPECT_EQ(result.post_processed, 3U);
  ASSERT_EQ(result.written.size(), 7U);
  EXPECT_EQ(result.written.back(), "staticfiles.json");
  EXPECT_EQ(fake.count("s3:PutObject"), 7);
  EXPECT_EQ(fake.count("s3:ListObjectsV2"), 1);

  const auto css = *result.manifest.lookup("css/site.css");
  auto hashed = s3->head_object(kBucket, "static/" + css);
  ASSERT_TRUE(hashed);
  EXPECT_EQ(hashed->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(hashed->cache_control, "public, max-age=31536000, immutable");
  auto png = s3->head_object(kBucket, "static/" + *result.manifest.lookup("img/bg.png"));
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content_type, "image/png");
  EXPECT_EQ(png->cache_control, "public, max-age=31536000, immutable");
  auto plain = s3->head_object(kBucket, "static/js/app.js");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(plain->cache_control, "public, max-age=60");
  auto manifest = s3->head_object(kBucket, "static/staticfiles.json");
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->content_type, "application/json");
  EXPECT_EQ(manifest->cache_control, "public, max-age=60");
  EXPECT_EQ(manifest_json(), result.manifest.to_json());
  // The CSS was rewritten to the hashed image name.
  EXPECT_NE(
      s3->get_object(kBucket, "static/" + css).body.find(*result.manifest.lookup("img/bg.png")),
      std::string::npos);
}

TEST_F(S3StorageTest, SecondRunUploadsNothing) {
  collect();
  fake.reset();
  auto result = collect();
  EXPECT_EQ(result.copied, 0U);
  EXPECT_EQ(result.unmodified, 3U);
  EXPECT_TRUE(result.written.empty());
  EXPECT_FALSE(result.manifest_written);
  EXPECT_EQ(fake.count("s3:PutObject"), 0);
  EXPECT_EQ(fake.count("s3:ListObjectsV2"), 1);
}

TEST_F(S3StorageTest, ChangedFileUploadsItsCopiesAndTheManifest) {
  auto first = collect();
  put("js/app.js", "console.log(2)\n");
  fake.reset();
  auto result = collect();
  const auto app = *result.manifest.lookup("js/app.js");
  EXPECT_NE(app, *first.manifest.lookup("js/app.js"));
  EXPECT_EQ(result.written, (std::vector<std::string>{app, "js/app.js", "staticfiles.json"}));
  EXPECT_EQ(fake.count("s3:PutObject"), 3);
  EXPECT_EQ(manifest_json(), result.manifest.to_json());
  EXPECT_TRUE(exists(*first.manifest.lookup("js/app.js")));  // old tasks still need it
}

TEST_F(S3StorageTest, FailedUploadLeavesThePreviousManifestAndNamesTheFile) {
  auto first = collect();
  put("js/app.js", "console.log(2)\n");
  put("css/site.css", "body{color:red;background:url(../img/bg.png)}\n");
  S3Storage storage(s3, kBucket);
  ASSERT_TRUE(storage.has_files());  // the listing is made; the next S3 request is a PutObject
  fake.fail_next(1, 403, "AccessDenied", "s3");
  try {
    collect_static({src}, storage, {.static_url = "/static/"});
    FAIL() << "collect_static should have thrown";
  } catch (const staticfiles::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot upload static file '"), std::string::npos) << what;
    EXPECT_TRUE(what.find("js/app.") != std::string::npos ||
                what.find("css/site.") != std::string::npos)
        << what;
    EXPECT_NE(what.find("AccessDenied"), std::string::npos) << what;
  }
  EXPECT_EQ(fake.count("s3:injected"), 1);
  EXPECT_EQ(manifest_json(), first.manifest.to_json());

  // Retrying after the failure completes the deploy.
  auto result = collect();
  EXPECT_TRUE(result.manifest_written);
  EXPECT_EQ(manifest_json(), result.manifest.to_json());
}

TEST_F(S3StorageTest, ThrottlingBeyondRetriesFailsWithoutTouchingTheManifest) {
  auto first = collect();
  put("js/app.js", "console.log(3)\n");
  S3Storage storage(s3, kBucket);
  ASSERT_TRUE(storage.has_files());
  fake.fail_next(1000, 503, "SlowDown", "s3");
  EXPECT_THROW(collect_static({src}, storage, {.static_url = "/static/"}), staticfiles::Error);
  fake.reset();
  EXPECT_EQ(manifest_json(), first.manifest.to_json());
}

TEST_F(S3StorageTest, ClearKeepsWhatThePreviousManifestNames) {
  auto v1 = collect();
  put("js/app.js", "console.log(2)\n");
  auto v2 = collect();
  s3->put_object(kBucket, "static/stray.txt", "left over");
  s3->put_object(kBucket, "elsewhere/keep.txt", "not ours");
  put("js/app.js", "console.log(3)\n");
  auto v3 = collect(/*clear=*/true);

  EXPECT_EQ(manifest_json(), v3.manifest.to_json());
  EXPECT_TRUE(exists(*v3.manifest.lookup("js/app.js")));
  EXPECT_TRUE(exists(*v2.manifest.lookup("js/app.js")));   // the previous manifest names it
  EXPECT_FALSE(exists(*v1.manifest.lookup("js/app.js")));  // named by neither
  EXPECT_FALSE(exists("stray.txt"));
  EXPECT_TRUE(exists("css/site.css"));
  EXPECT_TRUE(exists(*v3.manifest.lookup("css/site.css")));
  EXPECT_TRUE(s3->head_object(kBucket, "elsewhere/keep.txt").has_value());
}

TEST_F(S3StorageTest, ManifestLoadsFromS3ForStaticTag) {
  EXPECT_EQ(staticfiles::load_s3_manifest_if_present(*s3, kBucket), nullptr);
  auto result = collect();
  auto manifest = staticfiles::load_s3_manifest_if_present(*s3, kBucket);
  ASSERT_NE(manifest, nullptr);
  EXPECT_EQ(manifest->paths(), result.manifest.paths());
}

}  // namespace
