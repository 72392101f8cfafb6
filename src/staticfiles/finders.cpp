#include "staticfiles/finders.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "staticfiles/error.hpp"

namespace staticfiles {

namespace fs = std::filesystem;

bool is_ignored(std::string_view base) {
  return base == "CVS" || (!base.empty() && (base.front() == '.' || base.back() == '~'));
}

namespace {

void walk(const fs::path& dir, const std::string& prefix, std::set<fs::path>& visiting,
          std::vector<FoundFile>& out) {
  std::error_code ec;
  auto real = fs::canonical(dir, ec);
  if (ec) throw Error("cannot list static folder '" + dir.string() + "': " + ec.message());
  if (!visiting.insert(real).second) return;          // a link back to a folder above: stop
  std::vector<std::pair<std::string, bool>> entries;  // name, is_directory
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (is_ignored(name)) continue;
    std::error_code type_ec;
    entries.emplace_back(std::move(name), it->is_directory(type_ec));
  }
  if (ec) throw Error("cannot list static folder '" + dir.string() + "': " + ec.message());
  std::sort(entries.begin(), entries.end());
  // Files first, then folders, as Django's get_files() yields them.
  for (const auto& [name, is_dir] : entries)
    if (!is_dir) out.push_back({prefix + name, dir / name});
  for (const auto& [name, is_dir] : entries)
    if (is_dir) walk(dir / name, prefix + name + "/", visiting, out);
  visiting.erase(real);
}

}  // namespace

FoundFiles find_static_files(const std::vector<fs::path>& source_dirs) {
  FoundFiles found;
  std::unordered_set<std::string> seen;
  for (const auto& dir : source_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<FoundFile> files;
    std::set<fs::path> visiting;
    walk(dir, "", visiting, files);
    for (auto& file : files) {
      if (seen.insert(file.name).second)
        found.files.push_back(std::move(file));
      else
        found.shadowed.push_back(std::move(file));
    }
  }
  return found;
}

}  // namespace staticfiles
