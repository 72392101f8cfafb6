// staticfiles: Content-Type by file extension, for serving and (later) S3 uploads.
#pragma once

#include <string_view>

namespace staticfiles {

// "text/css; charset=utf-8" for "site.css"; "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view filename) noexcept;

}  // namespace staticfiles
