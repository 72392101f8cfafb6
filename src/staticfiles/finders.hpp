// staticfiles: finds the files collectstatic gathers, from an ordered list of source folders
// (the site's app/static, later the admin's). Like Django's finders: the first folder holding
// a name wins, and names matching Django's default ignore patterns ('CVS', '.*', '*~') are left
// out.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace staticfiles {

struct FoundFile {
  std::string name;            // "css/site.css", relative to its folder, '/'-separated
  std::filesystem::path path;  // where it is on disk
};

struct FoundFiles {
  std::vector<FoundFile> files;     // sorted by name within each folder, folders in order
  std::vector<FoundFile> shadowed;  // same name as a file of an earlier folder: not collected
};

// Walks `source_dirs` in order, following symbolic links to folders; a folder that does not
// exist is skipped. Entries that are not folders (a broken link, say) are listed as files, so
// that reading them fails with their name, as Django does.
FoundFiles find_static_files(const std::vector<std::filesystem::path>& source_dirs);

// Django's default ignore patterns on a base name: "CVS", ".*", "*~".
bool is_ignored(std::string_view base_name);

}  // namespace staticfiles
