#include "staticfiles/s3_storage.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <set>
#include <thread>
#include <vector>

#include "aws/error.hpp"
#include "staticfiles/error.hpp"
#include "staticfiles/mime.hpp"

namespace staticfiles {

namespace {

std::string unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
    etag = etag.substr(1, etag.size() - 2);
  return etag;
}

std::string_view cache_control_for(FileRole role) {
  return role == FileRole::kHashed ? kImmutableCacheControl : kShortCacheControl;
}

}  // namespace

S3Storage::S3Storage(std::shared_ptr<const aws::S3Client> client, std::string bucket,
                     S3StorageOptions options)
    : client_(std::move(client)), bucket_(std::move(bucket)), options_(std::move(options)) {
  if (options_.max_threads == 0) options_.max_threads = 1;
}

std::string S3Storage::location() const { return "s3://" + bucket_ + "/" + options_.prefix; }

void S3Storage::refresh() {
  std::vector<aws::S3Object> listing;
  try {
    listing = client_->list_all_objects(bucket_, options_.prefix);
  } catch (const aws::Error& e) {
    throw Error("cannot list " + location() + ": " + e.what());
  }
  std::lock_guard lock(mutex_);
  objects_.clear();
  for (auto& object : listing)
    if (object.key.size() > options_.prefix.size())
      objects_[object.key.substr(options_.prefix.size())] = {object.size,
                                                             unquote(std::move(object.etag))};
  listed_ = true;
}

void S3Storage::ensure_listed() {
  {
    std::lock_guard lock(mutex_);
    if (listed_) return;
  }
  refresh();
}

bool S3Storage::has_files() {
  ensure_listed();
  std::lock_guard lock(mutex_);
  return !objects_.empty();
}

std::optional<std::string> S3Storage::read(std::string_view name) {
  try {
    return client_->get_object(bucket_, key_of(name)).body;
  } catch (const aws::Error& e) {
    if (e.code() == "NoSuchKey" || e.http_status() == 404) return std::nullopt;
    throw Error("cannot read '" + std::string(name) + "' from " + location() + ": " + e.what());
  }
}

bool S3Storage::contains_locked(const StoredFile& file) const {
  auto it = objects_.find(file.name);
  if (it == objects_.end()) return false;
  if (it->second.size != file.content->size()) return false;
  if (file.role == FileRole::kHashed) return true;  // its name is its content's hash
  return !file.md5.empty() && it->second.etag == file.md5;
}

bool S3Storage::contains(const StoredFile& file) {
  ensure_listed();
  std::lock_guard lock(mutex_);
  return contains_locked(file);
}

std::vector<const StoredFile*> S3Storage::changed(std::span<const StoredFile> files) {
  ensure_listed();
  std::lock_guard lock(mutex_);
  std::vector<const StoredFile*> out;
  for (const auto& file : files)
    if (!contains_locked(file)) out.push_back(&file);
  return out;
}

void S3Storage::write(const StoredFile& file) {
  aws::PutObjectOptions put;
  put.content_type = std::string(content_type_for(file.name));
  put.cache_control = std::string(cache_control_for(file.role));
  std::string etag;
  try {
    etag = unquote(client_->put_object(bucket_, key_of(file.name), *file.content, put));
  } catch (const aws::Error& e) {
    throw Error("cannot upload static file '" + file.name + "' to " + location() + file.name +
                ": " + e.what());
  }
  {
    std::lock_guard lock(mutex_);
    objects_[file.name] = {file.content->size(), etag};
  }
  if (file.role == FileRole::kManifest && clear_pending_) {
    clear_pending_ = false;
    delete_unreferenced(*file.content);
  }
}

void S3Storage::write_all(std::span<const StoredFile* const> files) {
  if (files.empty()) return;
  const std::size_t threads = std::min(options_.max_threads, files.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  auto worker = [&] {
    while (!failed.load()) {
      std::size_t i = next.fetch_add(1);
      if (i >= files.size()) return;
      try {
        write(*files[i]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  }  // joined
  if (first_error) std::rethrow_exception(first_error);
}

void S3Storage::clear() {
  // Deleting now would break tasks still serving the previous version, and a failed run
  // would leave the bucket empty; remember the previous manifest and delete after the new one.
  ensure_listed();
  if (auto json = read(kManifestName)) {
    try {
      previous_manifest_ = Manifest::parse(*json);
    } catch (const Error& e) {
      throw Error("cannot --clear " + location() + ": previous " + std::string(kManifestName) +
                  " is unreadable (" + e.what() + ")");
    }
  }
  clear_pending_ = true;
}

void S3Storage::delete_unreferenced(const std::string& new_manifest_json) {
  std::set<std::string, std::less<>> keep{std::string(kManifestName)};
  auto add = [&keep](const Manifest& m) {
    for (const auto& [name, hashed] : m.paths()) {
      keep.insert(name);
      keep.insert(hashed);
    }
  };
  add(Manifest::parse(new_manifest_json));
  if (previous_manifest_) add(*previous_manifest_);
  std::vector<std::string> keys;
  {
    std::lock_guard lock(mutex_);
    for (auto it = objects_.begin(); it != objects_.end();) {
      if (keep.contains(it->first)) {
        ++it;
      } else {
        keys.push_back(key_of(it->first));
        it = objects_.erase(it);
      }
    }
  }
  if (keys.empty()) return;
  aws::DeleteObjectsResult result;
  try {
    result = client_->delete_objects(bucket_, keys);
  } catch (const aws::Error& e) {
    throw Error("cannot delete old static files from " + location() + ": " + e.what());
  }
  if (!result.errors.empty())
    throw Error("cannot delete '" + result.errors.front().key + "' from " + location() + ": " +
                result.errors.front().code + " " + result.errors.front().message);
}

std::shared_ptr<const aws::S3Client> make_static_s3_client(
    const std::string& region, std::shared_ptr<aws::CredentialsProvider> credentials,
    const aws::Env& env) {
  aws::Env with_region = env;
  if (!region.empty())
    with_region = [env, region](const std::string& name) -> std::optional<std::string> {
      if (name == "AWS_REGION") return region;
      return env(name);
    };
  try {
    return std::make_shared<const aws::S3Client>(
        aws::client_config_from_env(aws::s3_service(), with_region, std::move(credentials)));
  } catch (const aws::Error& e) {
    throw Error(std::string("STATIC_BUCKET_NAME: cannot make an S3 client: ") + e.what());
  }
}

std::shared_ptr<const Manifest> load_s3_manifest_if_present(const aws::S3Client& client,
                                                            const std::string& bucket,
                                                            const std::string& prefix) {
  const std::string key = prefix + std::string(kManifestName);
  std::string json;
  try {
    json = client.get_object(bucket, key).body;
  } catch (const aws::Error& e) {
    if (e.code() == "NoSuchKey" || e.http_status() == 404) return nullptr;
    throw Error("cannot read s3://" + bucket + "/" + key + ": " + e.what());
  }
  try {
    return std::make_shared<const Manifest>(Manifest::parse(json));
  } catch (const Error& e) {
    throw Error("s3://" + bucket + "/" + key + ": " + e.what());
  }
}

}  // namespace staticfiles
