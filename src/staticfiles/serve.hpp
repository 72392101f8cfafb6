// staticfiles: serves files under STATIC_URL from local folders, as `mysite serve` does in the
// embedded default (on AWS, CloudFront serves /static/* from S3 and this is not reached).
// Uses http's plain types; knows nothing of templates or the database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/handler.hpp"

namespace staticfiles {

// The file that `relative` ("css/site.css") names in the first of `roots` holding it; nullopt
// for a name that tries to leave its root ("../x", "/etc/passwd", "a/./b", NUL, backslash).
std::optional<std::filesystem::path> find_file(const std::vector<std::filesystem::path>& roots,
                                               std::string_view relative);

// True for names with a content hash before the extension ("site.3f2a9c0d1e4b.css").
bool is_hashed_name(std::string_view filename);

// A view for a route "static/<path:path>": GET/HEAD with Content-Type, ETag, If-None-Match
// (304), Last-Modified, single-range Range requests (206/416), Cache-Control immutable for
// hashed names and no-cache otherwise. Missing files and traversal attempts answer 404.
http::Handler static_view(std::vector<std::filesystem::path> roots);

}  // namespace staticfiles
