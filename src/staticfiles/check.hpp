// staticfiles: what `mysite check` says about the collected files: a missing or unreadable
// manifest, entries naming files STATIC_ROOT lacks, and source files that are not in the
// manifest or have changed since the last collectstatic.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace staticfiles {

// One line per problem, each saying what to do; empty when all is well. Reads the source files
// and works out their hashed names (as collectstatic would) without writing anything.
std::vector<std::string> check_manifest(const std::filesystem::path& static_root,
                                        const std::vector<std::filesystem::path>& source_dirs,
                                        std::string_view static_url);

}  // namespace staticfiles
