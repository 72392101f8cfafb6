// staticfiles: the S3 backend of Storage (STATIC_BUCKET_NAME), under a key prefix ("static/").
// One ListObjectsV2 of the prefix answers has_files()/changed()/contains(): a file is present
// when its key's ETag is the MD5 of its bytes (single-part puts), or, for a hashed name (its
// name is its hash), when the size matches. Uploads run in parallel on a bounded number of
// threads, each with Content-Type by extension and Cache-Control by role (hashed: a year,
// immutable; originals and the manifest: 60 s). clear() deletes nothing at once: after the new
// manifest is stored it deletes only the objects under the prefix that neither the new nor the
// previous manifest names, so tasks still on the previous version keep their files.
// Lives in its own target (mysite_staticfiles_s3) so that mysite_staticfiles needs no AWS.
//   S3Storage storage(std::make_shared<aws::S3Client>(config), "my-bucket");
//   collect_static(dirs, storage, options);
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/client.hpp"
#include "aws/s3.hpp"
#include "staticfiles/manifest.hpp"
#include "staticfiles/storage.hpp"

namespace staticfiles {

inline constexpr std::string_view kImmutableCacheControl = "public, max-age=31536000, immutable";
inline constexpr std::string_view kShortCacheControl = "public, max-age=60";

struct S3StorageOptions {
  std::string prefix = "static/";  // key prefix, ends with '/'
  std::size_t max_threads = 8;     // parallel uploads
};

class S3Storage final : public Storage {
 public:
  S3Storage(std::shared_ptr<const aws::S3Client> client, std::string bucket,
            S3StorageOptions options = {});

  std::string location() const override;  // "s3://bucket/static/"
  bool has_files() override;
  std::optional<std::string> read(std::string_view name) override;
  bool contains(const StoredFile& file) override;
  void write(const StoredFile& file) override;
  void clear() override;
  std::vector<const StoredFile*> changed(std::span<const StoredFile> files) override;
  void write_all(std::span<const StoredFile* const> files) override;

  // The listing this storage compares against; made on first need, updated by each write.
  void refresh();
  const std::string& bucket() const { return bucket_; }
  std::string key_of(std::string_view name) const { return options_.prefix + std::string(name); }

 private:
  struct Listed {
    std::uint64_t size = 0;
    std::string etag;  // without quotes
  };
  void ensure_listed();
  bool contains_locked(const StoredFile& file) const;
  void delete_unreferenced(const std::string& new_manifest_json);

  std::shared_ptr<const aws::S3Client> client_;
  std::string bucket_;
  S3StorageOptions options_;
  std::mutex mutex_;
  bool listed_ = false;
  std::map<std::string, Listed> objects_;  // by name under the prefix
  bool clear_pending_ = false;
  std::optional<Manifest> previous_manifest_;  // read by clear()
};

// The S3 client for STATIC_BUCKET_NAME: region `region` (the AWS_REGION setting; empty: the
// environment's), endpoint/retries/CA from `env` (AWS_ENDPOINT_URL[_S3], ...), `credentials`.
std::shared_ptr<const aws::S3Client> make_static_s3_client(
    const std::string& region, std::shared_ptr<aws::CredentialsProvider> credentials,
    const aws::Env& env = aws::system_env());

// {% static %} with STATIC_BUCKET_NAME: the manifest at `prefix`staticfiles.json in `bucket`,
// or null when there is none. Throws Error when it cannot be read or parsed.
std::shared_ptr<const Manifest> load_s3_manifest_if_present(const aws::S3Client& client,
                                                            const std::string& bucket,
                                                            const std::string& prefix = "static/");

}  // namespace staticfiles
