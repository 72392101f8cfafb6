#include "staticfiles/serve.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "http/http_error.hpp"
#include "staticfiles/mime.hpp"

namespace staticfiles {

namespace fs = std::filesystem;

std::optional<fs::path> find_file(const std::vector<fs::path>& roots, std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return std::nullopt;
  // Every segment must be a plain name: no "", ".", "..", NUL or backslash.
  std::size_t start = 0;
  while (start <= relative.size()) {
    auto end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    auto segment = relative.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    if (segment.find('\0') != std::string_view::npos || segment.find('\\') != std::string_view::npos)
      return std::nullopt;
    start = end + 1;
  }
  for (const auto& root : roots) {
    std::error_code ec;
    fs::path candidate = root / fs::path(std::string(relative));
    if (!fs::is_regular_file(candidate, ec)) continue;
    // A symlink inside the root must not lead outside it.
    auto real_root = fs::canonical(root, ec);
    if (ec) continue;
    auto real_file = fs::canonical(candidate, ec);
    if (ec) continue;
    auto [r, f] = std::mismatch(real_root.begin(), real_root.end(), real_file.begin(), real_file.end());
    if (r != real_root.end()) continue;
    return candidate;
  }
  return std::nullopt;
}

bool is_hashed_name(std::string_view filename) {
  auto slash = filename.rfind('/');
  auto base = slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  auto last_dot = base.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  auto prev_dot = base.rfind('.', last_dot - 1);
  if (prev_dot == std::string_view::npos) return false;
  auto hash = base.substr(prev_dot + 1, last_dot - prev_dot - 1);
  if (hash.size() != 12) return false;  // Django's ManifestStaticFilesStorage: 12 hex digits
  for (char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

namespace {

std::string http_date(fs::file_time_type when) {
  auto sys = std::chrono::file_clock::to_sys(when);
  std::time_t t = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// "bytes=0-99", "bytes=100-", "bytes=-50" against `size`: [first, last] or nullopt when
// unsatisfiable. Multiple ranges are answered with the whole file (allowed by RFC 9110).
enum class RangeResult { kNone, kOk, kUnsatisfiable };
RangeResult parse_range(std::string_view header, std::uint64_t size, std::uint64_t& first,
                        std::uint64_t& last) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return RangeResult::kNone;
  auto spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return RangeResult::kNone;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::kNone;
  auto parse = [](std::string_view text, std::uint64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
  };
  auto a = spec.substr(0, dash);
  auto b = spec.substr(dash + 1);
  std::uint64_t x = 0, y = 0;
  if (a.empty()) {  // suffix range: the last y bytes
    if (!parse(b, y)) return RangeResult::kNone;
    if (y == 0 || size == 0) return RangeResult::kUnsatisfiable;
    first = y >= size ? 0 : size - y;
    last = size - 1;
    return RangeResult::kOk;
  }
  if (!parse(a, x)) return RangeResult::kNone;
  if (b.empty()) y = size == 0 ? 0 : size - 1;
  else if (!parse(b, y) || y < x) return RangeResult::kNone;
  if (x >= size) return RangeResult::kUnsatisfiable;
  first = x;
  last = std::min(y, size - 1);
  return RangeResult::kOk;
}

}  // namespace

http::Handler static_view(std::vector<fs::path> roots) {
  return [roots = std::move(roots)](http::Request& request) {
    std::string relative(request.param("path"));
    auto file = find_file(roots, relative);
    if (!file) throw http::HttpError(404, "no static file '" + relative + "'");

    std::error_code ec;
    auto size = fs::file_size(*file, ec);
    auto mtime = fs::last_write_time(*file, ec);
    if (ec) throw http::HttpError(404, "cannot stat static file '" + relative + "'");
    char etag[64];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                  static_cast<unsigned long long>(mtime.time_since_epoch().count()));

    http::Response response;
    response.headers.set("Content-Type", std::string(content_type_for(relative)));
    response.headers.set("ETag", etag);
    response.headers.set("Last-Modified", http_date(mtime));
    response.headers.set("Accept-Ranges", "bytes");
    response.headers.set("Cache-Control", is_hashed_name(relative)
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
    if (auto inm = request.headers.get("If-None-Match")) {
      // Weak comparison, as RFC 9110 asks for If-None-Match; "*" matches any.
      std::string_view list = *inm;
      bool match = list == "*";
      std::string_view tag = etag;
      for (std::size_t pos = 0; !match && pos < list.size();) {
        auto comma = list.find(',', pos);
        auto item = list.substr(pos, comma == std::string_view::npos ? list.npos : comma - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.substr(0, 2) == "W/") item.remove_prefix(2);
        match = item == tag;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
      }
      if (match) {
        response.status = 304;
        response.headers.remove("Content-Type");
        return response;
      }
    }

    std::ifstream in(*file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    std::string body = std::move(content).str();

    auto range = request.headers.get("Range");
    bool range_applies = range && request.method == "GET";
    if (range_applies) {
      if (auto if_range = request.headers.get("If-Range"); if_range && *if_range != etag)
        range_applies = false;
    }
    if (range_applies) {
      std::uint64_t first = 0, last = 0;
      switch (parse_range(*range, body.size(), first, last)) {
        case RangeResult::kOk:
          response.status = 206;
          response.headers.set("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                    std::to_string(last) + "/" +
                                                    std::to_string(body.size()));
          response.body = body.substr(first, last - first + 1);
          return response;
        case RangeResult::kUnsatisfiable:
          response.status = 416;
          response.headers.set("Content-Range", "bytes */" + std::to_string(body.size()));
          response.headers.set("Content-Type", "text/plain; charset=utf-8");
          return response;
        case RangeResult::kNone: break;
      }
    }
    response.body = std::move(body);
    return response;
  };
}

}  // namespace staticfiles
