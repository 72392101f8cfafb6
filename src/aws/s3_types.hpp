// aws: the values S3 operations take and return. Knows nothing of HTTP or XML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aws/http_types.hpp"

namespace aws {

struct S3Object {  // one entry of a listing
  std::string key;
  std::uint64_t size = 0;
  std::string etag;           // with its quotes, as S3 sends it
  std::string last_modified;  // ISO 8601
};

struct ObjectInfo {  // HeadObject / GetObject metadata
  std::uint64_t content_length = 0;
  std::string etag;
  std::string content_type;
  std::string cache_control;
  std::string last_modified;  // HTTP date
  Headers metadata;           // x-amz-meta-* with the prefix removed
};

struct PutObjectOptions {
  std::string content_type = "application/octet-stream";
  std::string cache_control;  // empty: not sent
  Headers metadata;           // sent as x-amz-meta-<name>
};

struct GetObjectResult {
  ObjectInfo info;
  std::string body;
};

struct ListObjectsOptions {
  std::string prefix;
  std::string delimiter;
  std::string start_after;
  std::string continuation_token;
  int max_keys = 0;  // 0: S3's default (1000)
};

struct ListObjectsPage {
  std::vector<S3Object> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;
};

struct DeleteObjectError {
  std::string key;
  std::string code;
  std::string message;
};

struct DeleteObjectsResult {
  std::vector<std::string> deleted;
  std::vector<DeleteObjectError> errors;
};

}  // namespace aws
