#include "staticfiles/collect.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "staticfiles/error.hpp"
#include "staticfiles/finders.hpp"
#include "staticfiles/hashing.hpp"
#include "staticfiles/post_process.hpp"

namespace staticfiles {

namespace {

std::shared_ptr<const std::string> read_source(const FoundFile& file) {
  auto fail = [&file](const std::string& why) {
    return Error("cannot read static file '" + file.name + "' (" + file.path.string() +
                 "): " + why);
  };
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw fail("not a regular file");
  }
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == content.size()) content.resize(content.size() + 4096);  // grew since fstat
    ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw fail(std::strerror(err));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  content.resize(got);
  return std::make_shared<const std::string>(std::move(content));
}

}  // namespace

CollectResult collect_static(const std::vector<std::filesystem::path>& source_dirs,
                             Storage& storage, const CollectOptions& options) {
  CollectResult result;
  auto found = find_static_files(source_dirs);
  for (const auto& file : found.shadowed)
    result.warnings.push_back("Found another file with the destination path '" + file.name + "' (" +
                              file.path.string() +
                              "). It will be ignored since only the first encountered file is "
                              "collected. If this is not what you want, make sure every static "
                              "file has a unique path.");
  result.skipped = found.shadowed.size();

  for (const auto& file : found.files)
    if (file.name == kManifestName)
      throw Error("static file '" + file.path.string() +
                  "' would be overwritten by the manifest; rename it");

  std::vector<SourceFile> sources;
  sources.reserve(found.files.size());
  for (const auto& file : found.files) sources.push_back({file.name, read_source(file)});
  auto processed = post_process(sources, options.static_url);

  // Two stored forms per source file: files[2i] hashed, files[2i+1] plain. The hashed copy goes
  // first so that the plain copy of a file that was not rewritten can be linked to it.
  std::vector<StoredFile> files;
  files.reserve(processed.size() * 2);
  Manifest::Paths paths;
  for (auto& p : processed) {
    files.push_back({p.hashed_name, p.processed, FileRole::kHashed, p.processed_md5, {}});
    files.push_back({p.name, p.content, FileRole::kOriginal, p.md5,
                     p.processed == p.content ? p.hashed_name : std::string()});
    paths.emplace(p.name, p.hashed_name);
  }
  result.manifest = Manifest(std::move(paths));
  StoredFile manifest{std::string(kManifestName),
                      std::make_shared<const std::string>(result.manifest.to_json()),
                      FileRole::kManifest,
                      {},
                      {}};
  manifest.md5 = md5_hex(*manifest.content);

  bool clear = options.clear && storage.has_files();
  if (clear && !options.dry_run) storage.clear();
  std::vector<const StoredFile*> changed;
  if (clear) {
    for (const auto& f : files) changed.push_back(&f);
  } else {
    changed = storage.changed(files);
  }

  std::vector<char> is_changed(files.size(), 0);
  for (const auto* f : changed) is_changed[static_cast<std::size_t>(f - files.data())] = 1;
  for (std::size_t i = 0; i < processed.size(); ++i) {
    bool hashed = is_changed[2 * i], plain = is_changed[2 * i + 1];
    if (plain || hashed)
      ++result.copied;
    else
      ++result.unmodified;
    if (hashed) ++result.post_processed;
  }
  bool manifest_changed = clear || !storage.contains(manifest);

  if (!options.dry_run) {
    storage.write_all(changed);
    for (const auto* f : changed) result.written.push_back(f->name);
    if (manifest_changed) {
      storage.write(manifest);  // last: readers switch to the new names only now
      result.written.push_back(manifest.name);
    }
  }
  result.manifest_written = manifest_changed;
  return result;
}

std::string summary(const CollectResult& r, std::string_view location) {
  std::string out = std::to_string(r.copied) + (r.copied == 1 ? " static file" : " static files") +
                    " copied to '" + std::string(location) + "'";
  if (r.unmodified > 0) out += ", " + std::to_string(r.unmodified) + " unmodified";
  if (r.skipped > 0) out += ", " + std::to_string(r.skipped) + " skipped";
  if (r.post_processed > 0) out += ", " + std::to_string(r.post_processed) + " post-processed";
  out += ".";
  return out;
}

}  // namespace staticfiles
