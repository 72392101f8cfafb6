#include "templates/engine.hpp"

#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <system_error>
#include <unordered_map>

#include "templates/engine_access.hpp"
#include "templates/fragment_cache.hpp"
#include "templates/nodes.hpp"
#include "templates/parser.hpp"
#include "templates/text.hpp"

namespace templates {

using detail::CompiledTemplate;

struct Engine::Impl {
  EngineOptions options;
  mutable detail::FragmentCache fragments;  // {% cache %}
  mutable std::shared_mutex mutex;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, std::shared_ptr<const CompiledTemplate>, NameHash,
                             std::equal_to<>>
      cache;

  // First existing file for name in options.dirs; names may not escape their directory.
  std::optional<std::filesystem::path> find_file(std::string_view name) const {
    std::filesystem::path relative = std::filesystem::path(name).lexically_normal();
    if (name.empty() || relative.is_absolute() || relative.empty() || *relative.begin() == "..")
      return std::nullopt;
    for (const auto& dir : options.dirs) {
      std::filesystem::path candidate = dir / relative;
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    }
    return std::nullopt;
  }

  std::shared_ptr<const CompiledTemplate> load(std::string_view name) const {
    auto path = find_file(name);
    if (!path) throw Error("TemplateDoesNotExist: " + std::string(name));
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(*path, ec);
    std::ifstream in(*path, std::ios::binary);
    if (!in) throw Error("TemplateDoesNotExist: " + std::string(name));
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Django reads templates in text mode: universal newlines turn \r\n and \r into \n.
    std::string source;
    source.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\r') {
        source += raw[i];
      } else {
        source += '\n';
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      }
    }
    auto tmpl = std::make_shared<CompiledTemplate>();
    tmpl->name = std::string(name);
    tmpl->path = *path;
    tmpl->mtime = mtime;
    tmpl->libraries = &options.libraries;
    detail::parse_template(*tmpl, source);
    return tmpl;
  }

  bool stale(const CompiledTemplate& tmpl) const {
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(tmpl.path, ec);
    return ec || mtime != tmpl.mtime;
  }

  std::shared_ptr<const CompiledTemplate> get(std::string_view name) const {
    {
      std::shared_lock lock(mutex);
      auto it = cache.find(name);
      if (it != cache.end() && !(options.auto_reload && stale(*it->second))) return it->second;
    }
    auto tmpl = load(name);  // parse outside the lock; a racing thread may parse too, harmlessly
    std::unique_lock lock(mutex);
    cache[std::string(name)] = tmpl;
    return tmpl;
  }

  std::string render(const CompiledTemplate& tmpl, const Engine& engine,
                     const Context& context) const {
    detail::RenderState state(engine, &context);
    detail::RenderContext render_context;
    state.render_context = &render_context;
    std::string out;
    out.reserve(4096);
    tmpl.nodes.render(state, out);
    return out;
  }
};

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

Engine::~Engine() = default;

std::string Engine::render(std::string_view name, const Context& context) const {
  auto tmpl = impl_->get(name);
  return impl_->render(*tmpl, *this, context);
}

std::string Engine::render_string(std::string_view source, const Context& context) const {
  CompiledTemplate tmpl;
  tmpl.name = "<string>";
  tmpl.libraries = &impl_->options.libraries;
  detail::parse_template(tmpl, source);
  return impl_->render(tmpl, *this, context);
}

void Engine::check(std::string_view name) const { impl_->get(name); }

std::string Engine::debug_html(const Error& error) const {
  if (!error.located() || error.file().empty()) return std::string();
  const auto path = impl_->find_file(error.file());
  if (!path) return std::string();
  std::ifstream file(*path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  const int failing = error.line();
  std::string html = "<h2>Template error</h2>\n<p>In template <code>" +
                     text::escape(path->string()) + "</code>, error at line <strong>" +
                     std::to_string(failing) + "</strong></p>\n<p class=\"message\">" +
                     text::escape(error.message()) + "</p>\n<table class=\"source\">\n";
  constexpr int kAround = 5;  // lines shown before and after, as Django
  const int first = std::max(1, failing - kAround);
  const int last = std::min(static_cast<int>(lines.size()), failing + kAround);
  for (int n = first; n <= last; ++n) {
    const std::string& line = lines[static_cast<std::size_t>(n - 1)];
    html += n == failing ? "<tr class=\"error\"><th>" : "<tr><th>";
    html += std::to_string(n) + "</th><td><pre>";
    const std::size_t at =
        n == failing && !error.token().empty() ? line.find(error.token()) : std::string::npos;
    if (at == std::string::npos) {
      html += text::escape(line);
    } else {
      html += text::escape(std::string_view(line).substr(0, at)) + "<mark>" +
              text::escape(error.token()) + "</mark>" +
              text::escape(std::string_view(line).substr(at + error.token().size()));
    }
    html += "</pre></td></tr>\n";
  }
  html += "</table>\n";
  return html;
}

namespace detail {

std::shared_ptr<const CompiledTemplate> EngineAccess::get_template(const Engine& engine,
                                                                   std::string_view name) {
  return engine.impl_->get(name);
}

FragmentCache& EngineAccess::fragment_cache(const Engine& engine) {
  return engine.impl_->fragments;
}

const std::string& EngineAccess::static_prefix(const Engine& engine) {
  return engine.impl_->options.static_prefix;
}

std::string EngineAccess::static_url(const Engine& engine, std::string_view path) {
  if (engine.impl_->options.static_url) return engine.impl_->options.static_url(path);
  // urljoin(STATIC_URL, quote(path)) for STATIC_URL = '/static/'.
  if (!path.empty() && path.front() == '/') return text::url_quote(path);
  return "/static/" + text::url_quote(path);
}

std::string EngineAccess::reverse_url(const Engine& engine, std::string_view name,
                                      const std::vector<std::string>& args) {
  if (!engine.impl_->options.reverse_url)
    throw Error("NoReverseMatch: Reverse for '" + std::string(name) + "' not found.");
  return engine.impl_->options.reverse_url(name, args);
}

}  // namespace detail
}  // namespace templates
