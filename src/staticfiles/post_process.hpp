// staticfiles: Django 3.2's ManifestStaticFilesStorage.post_process() as a pure function of the
// collected files: every file gets a hashed name; CSS files get their references rewritten and
// are hashed after rewriting. Where Django repeats passes until nothing changes (at most 5),
// we resolve references depth-first, which reaches the same fixed point; a cycle of CSS
// references is an error, as Django's "Max post-process passes exceeded" is.
//   auto processed = post_process({{"css/a.css", content}}, "/static/");
//   processed[0].hashed_name == "css/a.0f3e9c1b2a4d.css"
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace staticfiles {

// A collected file: its name under the static root and its bytes.
struct SourceFile {
  std::string name;  // "css/site.css", '/'-separated
  std::shared_ptr<const std::string> content;
};

struct ProcessedFile {
  std::string name;                              // "css/site.css"
  std::string hashed_name;                       // "css/site.55e7cbb9ba48.css"
  std::shared_ptr<const std::string> content;    // as collected
  std::shared_ptr<const std::string> processed;  // stored under hashed_name (== content unless CSS)
  std::string md5;                               // md5_hex(*content)
  std::string processed_md5;                     // md5_hex(*processed)
};

// Hashes every file and rewrites CSS references; returns the files in the order given.
// `static_url` decides which absolute references are ours ("/static/img/a.png").
// Throws Error naming the CSS file and the reference for a missing target, a cycle, or
// CSS that is not UTF-8 (Django fails on each).
std::vector<ProcessedFile> post_process(const std::vector<SourceFile>& files,
                                        std::string_view static_url);

}  // namespace staticfiles
