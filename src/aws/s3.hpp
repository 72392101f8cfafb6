// aws: the S3 operations collectstatic and the site need: PutObject, HeadObject, GetObject,
// ListObjectsV2, DeleteObjects. Path-style addressing for custom endpoints (and buckets with
// dots), virtual-hosted otherwise. Knows nothing of static files or manifests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/client.hpp"
#include "aws/s3_types.hpp"

namespace aws {

class S3Client {
 public:
  explicit S3Client(ClientConfig config, bool force_path_style = false);

  // Returns the new object's ETag.
  std::string put_object(const std::string& bucket, const std::string& key, const std::string& body,
                         const PutObjectOptions& options = {}) const;

  // nullopt when the object does not exist (404); other failures throw.
  std::optional<ObjectInfo> head_object(const std::string& bucket, const std::string& key) const;

  // Throws aws::Error("NoSuchKey", ...) when the object does not exist.
  GetObjectResult get_object(const std::string& bucket, const std::string& key) const;

  // One page; pass next_continuation_token back for the next.
  ListObjectsPage list_objects_v2(const std::string& bucket,
                                  const ListObjectsOptions& options = {}) const;

  // Every object under `prefix`, following continuation tokens.
  std::vector<S3Object> list_all_objects(const std::string& bucket,
                                         const std::string& prefix = "") const;

  // Deletes in batches of 1000 (S3's limit); per-key failures come back in `errors`.
  DeleteObjectsResult delete_objects(const std::string& bucket,
                                     const std::vector<std::string>& keys) const;

  // URL of the bucket (no trailing slash) and of an object, as this client addresses them.
  std::string bucket_url(const std::string& bucket) const;
  std::string object_url(const std::string& bucket, const std::string& key) const;

 private:
  bool path_style(const std::string& bucket) const;

  Client client_;
  bool force_path_style_;
};

}  // namespace aws
