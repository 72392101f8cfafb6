// staticfiles: the few pieces of Python's urllib.parse and posixpath that Django's
// ManifestStaticFilesStorage leans on, reproduced so our hashed names and rewritten CSS equal
// Django's byte for byte. Byte strings are UTF-8; only ASCII is treated specially.
#pragma once

#include <string>
#include <string_view>

namespace staticfiles::py {

// urllib.parse.unquote: "%20" -> " "; invalid UTF-8 produced by escapes becomes U+FFFD.
std::string unquote(std::string_view text);

// Whether `text` is well-formed UTF-8 (Python's bytes.decode('utf-8') would succeed).
bool is_utf8(std::string_view text);

// posixpath.normpath: "css/../img/./a.png" -> "img/a.png"; "" -> ".".
std::string normpath(std::string_view path);

// posixpath.dirname / posixpath.join(a, b) for the relative names we handle.
std::string_view dirname(std::string_view path);
std::string join(std::string_view a, std::string_view b);

// urllib.parse.urldefrag for scheme-less references: {"font.eot", "iefix"} for
// "font.eot?#iefix" (an empty query is dropped when a fragment is present, as urlunparse does).
struct Defragged {
  std::string url;
  std::string fragment;
};
Defragged urldefrag(std::string_view url);

// urllib.parse.urlsplit for scheme-less references: path, query and fragment.
struct SplitUrl {
  std::string path;
  std::string query;
  std::string fragment;
};
SplitUrl urlsplit(std::string_view url);

// Byte length of the Python (str, Unicode) whitespace character at text[i], or 0.
std::size_t whitespace_at(std::string_view text, std::size_t i);
// str.strip(): removes leading and trailing Python whitespace.
std::string_view strip(std::string_view text);

// os.path.splitext of a base name: {"a.tar", ".gz"}; {".bashrc", ""}; {"Makefile", ""}.
struct SplitExt {
  std::string_view root;
  std::string_view ext;
};
SplitExt splitext(std::string_view base);

}  // namespace staticfiles::py
