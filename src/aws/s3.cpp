#include "aws/s3.hpp"

#include <algorithm>

#include "aws/crypto.hpp"
#include "aws/s3_xml.hpp"
#include "aws/strings.hpp"
#include "aws/uri.hpp"

namespace aws {
namespace {

constexpr std::size_t kMaxDeleteBatch = 1000;
constexpr std::string_view kMetaPrefix = "x-amz-meta-";

bool dns_compatible(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  return std::all_of(
             bucket.begin(), bucket.end(),
             [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }) &&
         bucket.front() != '-' && bucket.back() != '-';
}

ObjectInfo info_from(const HttpResponse& response) {
  ObjectInfo info;
  if (const auto length = response.header("content-length")) {
    info.content_length = std::stoull(*length);
  }
  info.etag = response.header("etag").value_or("");
  info.content_type = response.header("content-type").value_or("");
  info.cache_control = response.header("cache-control").value_or("");
  info.last_modified = response.header("last-modified").value_or("");
  for (const auto& [name, value] : response.headers) {
    if (name.rfind(kMetaPrefix, 0) == 0)
      info.metadata.emplace_back(name.substr(kMetaPrefix.size()), value);
  }
  return info;
}

}  // namespace

S3Client::S3Client(ClientConfig config, bool force_path_style)
    : client_(s3_service(), std::move(config)), force_path_style_(force_path_style) {}

bool S3Client::path_style(const std::string& bucket) const {
  return force_path_style_ || client_.has_custom_endpoint() || !dns_compatible(bucket);
}

std::string S3Client::bucket_url(const std::string& bucket) const {
  if (path_style(bucket)) return cat({client_.endpoint(), "/", uri_encode(bucket)});
  const std::string base = client_.endpoint();
  const std::size_t scheme_end = base.find("://") + 3;
  return cat({base.substr(0, scheme_end), bucket, ".", base.substr(scheme_end)});
}

std::string S3Client::object_url(const std::string& bucket, const std::string& key) const {
  return cat({bucket_url(bucket), "/", uri_encode(key, /*keep_slash=*/true)});
}

std::string S3Client::put_object(const std::string& bucket, const std::string& key,
                                 const std::string& body, const PutObjectOptions& options) const {
  HttpRequest request{"PUT", object_url(bucket, key), {}, {}, body};
  request.headers.emplace_back("Content-Type", options.content_type);
  request.headers.emplace_back("Content-MD5", md5_base64(body));
  if (!options.cache_control.empty())
    request.headers.emplace_back("Cache-Control", options.cache_control);
  for (const auto& [name, value] : options.metadata) {
    request.headers.emplace_back(cat({kMetaPrefix, name}), value);
  }
  return client_.send(request, ErrorFormat::xml).header("etag").value_or("");
}

std::optional<ObjectInfo> S3Client::head_object(const std::string& bucket,
                                                const std::string& key) const {
  try {
    return info_from(client_.send({"HEAD", object_url(bucket, key), {}, {}, ""}, ErrorFormat::xml));
  } catch (const Error& e) {
    if (e.http_status() == 404) return std::nullopt;
    throw;
  }
}

GetObjectResult S3Client::get_object(const std::string& bucket, const std::string& key) const {
  HttpResponse response =
      client_.send({"GET", object_url(bucket, key), {}, {}, ""}, ErrorFormat::xml);
  GetObjectResult result{info_from(response), std::move(response.body)};
  return result;
}

ListObjectsPage S3Client::list_objects_v2(const std::string& bucket,
                                          const ListObjectsOptions& options) const {
  HttpRequest request{"GET", bucket_url(bucket), {{"list-type", "2"}}, {}, ""};
  if (!options.continuation_token.empty()) {
    request.query.emplace_back("continuation-token", options.continuation_token);
  }
  if (!options.delimiter.empty()) request.query.emplace_back("delimiter", options.delimiter);
  if (options.max_keys > 0)
    request.query.emplace_back("max-keys", std::to_string(options.max_keys));
  if (!options.prefix.empty()) request.query.emplace_back("prefix", options.prefix);
  if (!options.start_after.empty()) request.query.emplace_back("start-after", options.start_after);
  return parse_list_objects_v2(client_.send(request, ErrorFormat::xml).body);
}

std::vector<S3Object> S3Client::list_all_objects(const std::string& bucket,
                                                 const std::string& prefix) const {
  std::vector<S3Object> all;
  ListObjectsOptions options;
  options.prefix = prefix;
  for (;;) {
    ListObjectsPage page = list_objects_v2(bucket, options);
    std::move(page.objects.begin(), page.objects.end(), std::back_inserter(all));
    if (!page.is_truncated || page.next_continuation_token.empty()) return all;
    options.continuation_token = page.next_continuation_token;
  }
}

DeleteObjectsResult S3Client::delete_objects(const std::string& bucket,
                                             const std::vector<std::string>& keys) const {
  DeleteObjectsResult total;
  for (std::size_t start = 0; start < keys.size(); start += kMaxDeleteBatch) {
    const std::vector<std::string> batch(
        keys.begin() + static_cast<std::ptrdiff_t>(start),
        keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + kMaxDeleteBatch)));
    HttpRequest request{
        "POST", bucket_url(bucket), {{"delete", ""}}, {}, delete_objects_body(batch)};
    request.headers.emplace_back("Content-Type", "application/xml");
    request.headers.emplace_back("Content-MD5", md5_base64(request.body));
    DeleteObjectsResult part = parse_delete_objects(client_.send(request, ErrorFormat::xml).body);
    std::move(part.deleted.begin(), part.deleted.end(), std::back_inserter(total.deleted));
    std::move(part.errors.begin(), part.errors.end(), std::back_inserter(total.errors));
  }
  return total;
}

}  // namespace aws
