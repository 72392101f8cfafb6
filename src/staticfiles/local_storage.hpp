// staticfiles: the local-directory backend of Storage (STATIC_ROOT), the embedded default.
// Each file is written to a temporary name beside it and renamed into place, so a server
// reading the directory never sees half a file; a plain copy with the same bytes as its hashed
// copy is a hard link to it. contains() trusts a hashed file of the right size (its name is
// its hash) and compares the bytes of every other file.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_set>

#include "staticfiles/storage.hpp"

namespace staticfiles {

class LocalStorage final : public Storage {
 public:
  explicit LocalStorage(std::filesystem::path root);

  std::string location() const override;
  bool has_files() override;
  std::optional<std::string> read(std::string_view name) override;
  bool contains(const StoredFile& file) override;
  void write(const StoredFile& file) override;
  void clear() override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path path_of(std::string_view name) const;
  // create_directories() once per folder and run.
  void ensure_directory(const std::filesystem::path& dir);

  std::filesystem::path root_;
  int pid_;  // in temporary names
  std::mutex mutex_;
  std::unordered_set<std::string> made_dirs_;
};

}  // namespace staticfiles
