#include "staticfiles/storage.hpp"

namespace staticfiles {

std::vector<const StoredFile*> Storage::changed(std::span<const StoredFile> files) {
  std::vector<const StoredFile*> out;
  for (const auto& file : files)
    if (!contains(file)) out.push_back(&file);
  return out;
}

void Storage::write_all(std::span<const StoredFile* const> files) {
  for (const auto* file : files) write(*file);
}

}  // namespace staticfiles
