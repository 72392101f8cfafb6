#include "staticfiles/manifest.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/python_json.hpp"
#include "staticfiles/error.hpp"
#include "staticfiles/url_parts.hpp"

namespace staticfiles {

namespace {

std::string bad_manifest(std::string_view why) {
  return "Couldn't load manifest '" + std::string(kManifestName) + "' (version " +
         std::string(kManifestVersion) + "): " + std::string(why);
}

}  // namespace

Manifest Manifest::parse(std::string_view json) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception&) {
    throw Error(bad_manifest("not JSON"));
  }
  if (!doc.is_object()) throw Error(bad_manifest("not a JSON object"));
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_string() ||
      version->get<std::string>() != kManifestVersion)
    throw Error(bad_manifest("missing or unknown \"version\""));
  Paths paths;
  if (auto found = doc.find("paths"); found != doc.end()) {
    if (!found->is_object()) throw Error(bad_manifest("\"paths\" is not an object"));
    for (const auto& [name, hashed] : found->items()) {
      if (!hashed.is_string())
        throw Error(bad_manifest("the entry for '" + name + "' is not a string"));
      paths.emplace(name, hashed.get<std::string>());
    }
  }
  return Manifest(std::move(paths));
}

std::optional<Manifest> Manifest::load(const std::filesystem::path& static_root) {
  auto file = static_root / std::string(kManifestName);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw Error("cannot read " + file.string());
  try {
    return parse(text.str());
  } catch (const Error& e) {
    throw Error(file.string() + ": " + e.what());
  }
}

std::optional<std::string> Manifest::lookup(std::string_view name) const {
  // ManifestFilesMixin.stored_name(): look up the path, then put query and fragment back.
  auto split = py::urlsplit(py::unquote(name));
  auto it = paths_.find(py::strip(split.path));
  if (it == paths_.end()) return std::nullopt;
  std::string out = it->second;
  if (!split.query.empty())
    out += "?" + split.query;
  else if (name.find("?#") != std::string_view::npos)
    out += "?";
  if (!split.fragment.empty()) out += "#" + split.fragment;
  return out;
}

std::string Manifest::to_json() const {
  std::string out = "{\"paths\": {";
  bool first = true;
  for (const auto& [name, hashed] : paths_) {
    if (!first) out += ", ";
    first = false;
    out += base::python_json_quote(name);
    out += ": ";
    out += base::python_json_quote(hashed);
  }
  out += "}, \"version\": \"1.0\"}";
  return out;
}

}  // namespace staticfiles
