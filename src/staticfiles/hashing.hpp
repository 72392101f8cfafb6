// staticfiles: content hashes and hashed names, as Django 3.2's HashedFilesMixin makes them:
// the first 12 hex digits of the MD5 of the content, inserted before the extension.
//   hashed_name("css/site.css", file_hash(content)) == "css/site.55e7cbb9ba48.css"
#pragma once

#include <string>
#include <string_view>

namespace staticfiles {

// Number of hex digits of the MD5 that name a file (Django's file_hash()).
inline constexpr std::size_t kHashDigits = 12;

// The MD5 of `content` as 32 lowercase hex digits.
std::string md5_hex(std::string_view content);

// The first kHashDigits of md5_hex(content).
std::string file_hash(std::string_view content);

// "dir/root.<hash>.ext" for "dir/root.ext"; "Makefile.<hash>" without an extension;
// "a.tar.<hash>.gz" (only the last extension moves, as os.path.splitext does).
std::string hashed_name(std::string_view name, std::string_view hash);

}  // namespace staticfiles
