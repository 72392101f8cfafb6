// staticfiles: rewrites the references in a CSS file to hashed names, with the two patterns of
// Django 3.2's HashedFilesMixin, applied one after the other to the whole text:
//   url(...)          r"""(url\(['"]{0,1}\s*(.*?)["']{0,1}\))"""   ->  url("<hashed>")
//   @import "..."     r"""(@import\s*["']\s*(.*?)["'])"""          ->  @import url("<hashed>")
// References starting with a lowercase scheme ("data:", "http:") and absolute paths outside
// STATIC_URL ("/media/x.png", "//cdn/x.png") stay as written; fragments ("#iefix", "?#iefix")
// are kept. Knows nothing of files: a lookup gives the hashed name of a target.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace staticfiles {

// The name a reference's target is stored under, for a target name that is relative to the
// static root, percent-decoded and without fragment, not yet normalised ("css/../img/a.png",
// possibly with "?query"). Throws Error when the target does not exist.
using StoredNameLookup = std::function<std::string(const std::string& target)>;

// `content` of the CSS file `name` ("css/site.css") with every reference rewritten.
std::string rewrite_css(std::string_view name, std::string_view content,
                        std::string_view static_url, const StoredNameLookup& stored_name);

// Whether Django post-processes `name` for references: fnmatchcase(name, "*.css").
bool is_adjustable(std::string_view name);

}  // namespace staticfiles
