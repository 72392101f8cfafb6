// http: multipart/form-data bodies (RFC 7578 over RFC 2046's multipart syntax), declared in
// form.hpp. Written here: Debian packages no maintained C++ multipart parser (Boost has none;
// mimetic is an e-mail MIME library), and a form body needs only this much: delimiters, a few part
// header fields, and Content-Disposition's parameters (RFC 6266, with RFC 5987's filename*).
// Every part is a view into the body until it is copied out; nothing is read past the body.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/ascii.hpp"
#include "base/percent.hpp"
#include "http/form.hpp"
#include "http/http_error.hpp"

namespace http {

namespace {

constexpr std::size_t kMaxBoundary = 70;  // RFC 2046 section 5.1.1

[[noreturn]] void malformed(const std::string& why) {
  throw HttpError(400, "malformed multipart/form-data body: " + why);
}

// A header field's value split at ';' outside quoted strings: the first item, then name=value
// parameters with names lower-cased and quoted values unescaped (RFC 9110 quoted-string).
struct HeaderValue {
  std::string item;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* param(std::string_view name) const {
    for (const auto& [k, v] : params)
      if (k == name) return &v;
    return nullptr;
  }
};

HeaderValue parse_header_value(std::string_view value) {
  HeaderValue out;
  std::size_t i = 0;
  auto read_until_semicolon = [&] {
    std::size_t start = i;
    while (i < value.size() && value[i] != ';') ++i;
    return base::trim(value.substr(start, i - start));
  };
  out.item = base::to_lower(read_until_semicolon());
  while (i < value.size()) {
    ++i;  // ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::size_t name_start = i;
    while (i < value.size() && value[i] != '=' && value[i] != ';') ++i;
    std::string name = base::to_lower(base::trim(value.substr(name_start, i - name_start)));
    std::string param;
    if (i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < value.size() && value[i] == '"') {
        ++i;
        while (i < value.size() && value[i] != '"') {
          if (value[i] == '\\' && i + 1 < value.size()) ++i;
          param.push_back(value[i++]);
        }
        if (i < value.size()) ++i;                        // closing quote
        while (i < value.size() && value[i] != ';') ++i;  // anything after it is ignored
      } else {
        param = std::string(read_until_semicolon());
      }
    }
    if (!name.empty()) out.params.emplace_back(std::move(name), std::move(param));
  }
  return out;
}

// RFC 5987 ext-value: charset'language'percent-encoded. UTF-8 (and ASCII) only, as Django.
std::optional<std::string> decode_ext_value(std::string_view v) {
  auto first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto charset = base::to_lower(v.substr(0, first));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  return base::percent_decode_lenient(v.substr(second + 1));
}

// Django's sanitize_file_name: the last path component, stripped; "." and ".." mean none.
std::string file_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  name = base::trim(name);
  if (name == "." || name == "..") return {};
  return std::string(name);
}

struct PartHead {
  std::optional<std::string> name;
  std::optional<std::string> filename;  // set: the part is a file
  std::string content_type;
};

PartHead parse_part_head(std::string_view head) {
  PartHead out;
  while (!head.empty()) {
    auto eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) malformed("a part header line has no name");
    auto field = base::to_lower(base::trim(line.substr(0, colon)));
    auto value = base::trim(line.substr(colon + 1));
    if (field == "content-disposition") {
      auto parsed = parse_header_value(value);
      if (parsed.item != "form-data") continue;  // not a form field: skipped below (no name)
      if (auto* n = parsed.param("name")) out.name = *n;
      if (auto* f = parsed.param("filename*")) out.filename = decode_ext_value(*f);
      if (!out.filename)
        if (auto* f = parsed.param("filename")) out.filename = *f;
    } else if (field == "content-type") {
      out.content_type = std::string(value);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto parsed = parse_header_value(content_type);
  if (parsed.item != "multipart/form-data") return std::nullopt;
  const std::string* b = parsed.param("boundary");
  if (b == nullptr || b->empty() || b->size() > kMaxBoundary) return std::nullopt;
  // bcharsnospace / bchars of RFC 2046; a space may not end it.
  constexpr std::string_view kSpecials = "'()+_,-./:=? ";
  for (char c : *b)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          kSpecials.find(c) != std::string_view::npos))
      return std::nullopt;
  if (b->back() == ' ') return std::nullopt;
  return *b;
}

Multipart parse_multipart(std::string_view body, std::string_view boundary, std::size_t max_fields,
                          std::size_t max_files) {
  Multipart out;
  if (body.empty()) return out;  // as Django: no body, no fields
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next_delimiter = "\r\n" + delimiter;
  // The first delimiter opens the body or follows the preamble's last CRLF.
  std::size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = 0;
  } else {
    pos = body.find(next_delimiter);
    if (pos == std::string_view::npos) malformed("no boundary delimiter");
    pos += 2;
  }
  std::size_t fields = 0;
  std::size_t file_count = 0;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return out;  // the close delimiter; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // padding
    if (body.substr(pos, 2) != "\r\n") malformed("a delimiter line does not end in CRLF");
    pos += 2;

    std::string_view head;
    if (body.substr(pos, 2) == "\r\n") {  // a part with no header fields
      pos += 2;
    } else {
      auto end = body.find("\r\n\r\n", pos);
      if (end == std::string_view::npos || end - pos > kMaxPartHeaderBytes) {
        if (end == std::string_view::npos && body.size() - pos <= kMaxPartHeaderBytes)
          malformed("a part's header section does not end");
        malformed("a part's header section is over " + std::to_string(kMaxPartHeaderBytes) +
                  " bytes");
      }
      head = body.substr(pos, end - pos);
      pos = end + 4;
    }
    auto end = body.find(next_delimiter, pos);
    if (end == std::string_view::npos) malformed("a part is not closed by a delimiter");
    std::string_view content = body.substr(pos, end - pos);
    pos = end + 2;

    PartHead part = parse_part_head(head);
    if (!part.name) continue;  // as Django: a part without a name is skipped
    std::string name(base::trim(*part.name));
    if (part.filename && !part.filename->empty()) {  // as Django: filename="" makes a field
      std::string filename = file_name(*part.filename);
      if (filename.empty()) continue;  // "..", a bare directory
      if (++file_count > max_files)
        throw HttpError(400, "The number of files exceeded " + std::to_string(max_files) +
                                 " (Django's DATA_UPLOAD_MAX_NUMBER_FILES)");
      out.files.emplace(
          std::move(name),
          UploadedFile{std::move(filename), std::move(part.content_type), std::string(content)});
    } else {
      if (++fields > max_fields)
        throw HttpError(400, "The number of form fields exceeded " + std::to_string(max_fields) +
                                 " (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)");
      out.fields.emplace(std::move(name), std::string(content));
    }
  }
}

}  // namespace http
