#include "staticfiles/post_process.hpp"

#include <unordered_map>
#include <unordered_set>

#include "staticfiles/css_rewrite.hpp"
#include "staticfiles/error.hpp"
#include "staticfiles/hashing.hpp"
#include "staticfiles/url_parts.hpp"

namespace staticfiles {

namespace {

class Processor {
 public:
  Processor(const std::vector<SourceFile>& files, std::string_view static_url)
      : static_url_(static_url) {
    out_.reserve(files.size());
    for (const auto& f : files) {
      index_.emplace(f.name, out_.size());
      out_.push_back({f.name, {}, f.content, f.content, {}, {}});
      for (auto dir = py::dirname(f.name); !dir.empty(); dir = py::dirname(dir)) dirs_.emplace(dir);
    }
  }

  std::vector<ProcessedFile> run() {
    for (std::size_t i = 0; i < out_.size(); ++i) finish(i);
    return std::move(out_);
  }

 private:
  enum class State { kPending, kInProgress, kDone };

  // Gives out_[i] its hashed name (and for CSS its rewritten content), depth first.
  void finish(std::size_t i) {
    if (state_.size() < out_.size()) state_.resize(out_.size(), State::kPending);
    if (state_[i] == State::kDone) return;
    auto& file = out_[i];  // out_ never grows after construction
    if (file.md5.empty()) file.md5 = md5_hex(*file.content);
    if (!is_adjustable(file.name)) {
      file.processed_md5 = file.md5;
      file.hashed_name = hashed_name(file.name, std::string_view(file.md5).substr(0, kHashDigits));
      state_[i] = State::kDone;
      return;
    }
    if (state_[i] == State::kInProgress)
      throw Error("Max post-process passes exceeded: CSS references form a cycle through '" +
                  file.name + "'");
    if (!py::is_utf8(*file.content))  // Django decodes CSS as UTF-8 before rewriting it
      throw Error("Post-processing '" + file.name + "' failed: not valid UTF-8");
    state_[i] = State::kInProgress;
    std::string rewritten;
    try {
      rewritten = rewrite_css(file.name, *file.content, static_url_,
                              [this](const std::string& target) { return stored_name(target); });
    } catch (const Error& e) {
      std::string what = e.what();
      if (what.rfind("Post-processing", 0) == 0 || what.rfind("Max post-process", 0) == 0) throw;
      throw Error("Post-processing '" + file.name + "' failed: " + what);
    }
    file.processed_md5 = md5_hex(rewritten);
    file.hashed_name =
        hashed_name(file.name, std::string_view(file.processed_md5).substr(0, kHashDigits));
    file.processed = std::make_shared<const std::string>(std::move(rewritten));
    state_[i] = State::kDone;
  }

  // HashedFilesMixin._stored_name(): the hashed name of a known file, else a name hashed from
  // the stored (original) content, keeping any query and fragment.
  std::string stored_name(const std::string& target) {
    std::string key = py::normpath(target);
    if (auto it = index_.find(key); it != index_.end()) {
      finish(it->second);
      return out_[it->second].hashed_name;
    }
    // HashedFilesMixin.hashed_name(name) with no content: read the file the storage holds.
    auto parsed = py::urlsplit(py::unquote(key));
    std::string clean(py::strip(parsed.path));
    auto it = index_.find(clean);
    if (it == index_.end()) {
      if (clean == "." || dirs_.count(clean)) return key;  // a directory: Django keeps the name
      throw Error("The file '" + clean + "' could not be found");
    }
    auto& target_file = out_[it->second];
    if (target_file.md5.empty()) target_file.md5 = md5_hex(*target_file.content);
    std::string name = hashed_name(clean, std::string_view(target_file.md5).substr(0, kHashDigits));
    if (!parsed.query.empty())
      name += "?" + parsed.query;
    else if (key.find("?#") != std::string::npos)
      name += "?";
    if (!parsed.fragment.empty()) name += "#" + parsed.fragment;
    return name;
  }

  std::string_view static_url_;
  std::vector<ProcessedFile> out_;
  std::vector<State> state_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_set<std::string> dirs_;
};

}  // namespace

std::vector<ProcessedFile> post_process(const std::vector<SourceFile>& files,
                                        std::string_view static_url) {
  return Processor(files, static_url).run();
}

}  // namespace staticfiles
