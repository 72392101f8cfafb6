// staticfiles: where collectstatic puts files. One interface, two backends: a local directory
// (STATIC_ROOT, local_storage.hpp) and S3 (STATIC_BUCKET_NAME, in the aws layer). The collector
// decides what to write and in what order (the manifest last); a backend only stores bytes.
//   LocalStorage storage("/srv/var/staticfiles");
//   auto result = collect_static(sources, storage, options);
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace staticfiles {

// What a stored file is, so a backend can choose its caching (S3: Cache-Control).
enum class FileRole {
  kOriginal,  // "css/site.css", as collected; may change between deploys
  kHashed,    // "css/site.55e7cbb9ba48.css"; never changes, cache for a year
  kManifest,  // "staticfiles.json"; short cache, written last
};

struct StoredFile {
  std::string name;  // relative, '/'-separated
  std::shared_ptr<const std::string> content;
  FileRole role = FileRole::kOriginal;
  std::string md5;  // md5_hex(*content): S3 compares it with the object's ETag
  // Another file of the same batch with exactly these bytes, stored before this one (the hashed
  // copy of an image, for its plain copy). A local backend hard-links it; others may ignore it.
  std::string same_as;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Where files go, for messages: "/srv/var/staticfiles" or "s3://bucket/static/".
  virtual std::string location() const = 0;
  // Whether the destination already holds any file (collectstatic then asks before overwriting).
  virtual bool has_files() = 0;
  // The bytes of `name`, nullopt when absent (the previous manifest).
  virtual std::optional<std::string> read(std::string_view name) = 0;
  // Whether `file.name` is stored with exactly `file`'s bytes.
  virtual bool contains(const StoredFile& file) = 0;
  // Stores one file so that readers see the old bytes or the new, never a part. Throws Error
  // naming the file on failure.
  virtual void write(const StoredFile& file) = 0;
  // Removes every stored file (collectstatic --clear).
  virtual void clear() = 0;

  // The files the destination lacks or holds with other bytes. The default asks contains()
  // one by one; a remote backend may answer from one listing.
  virtual std::vector<const StoredFile*> changed(std::span<const StoredFile> files);
  // Writes `files`; the default writes them one by one, a remote backend in parallel (bounded).
  // On failure throws Error naming the first file that failed; files already written stay.
  virtual void write_all(std::span<const StoredFile* const> files);
};

}  // namespace staticfiles
