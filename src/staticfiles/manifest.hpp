// staticfiles: the manifest `staticfiles.json`, mapping each collected name to its hashed name,
// in Django 3.2's format: {"paths": {"css/site.css": "css/site.55e7cbb9ba48.css"}, "version":
// "1.0"}. Immutable once built, so one Manifest loaded at start-up may be read by every thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace staticfiles {

inline constexpr std::string_view kManifestName = "staticfiles.json";
inline constexpr std::string_view kManifestVersion = "1.0";

class Manifest {
 public:
  using Paths = std::map<std::string, std::string, std::less<>>;

  Manifest() = default;
  explicit Manifest(Paths paths) : paths_(std::move(paths)) {}

  // Parses a manifest; throws Error for malformed JSON or a version other than "1.0" (Django's
  // "Couldn't load manifest 'staticfiles.json' (version 1.0)").
  static Manifest parse(std::string_view json);
  // The manifest in `static_root`, nullopt when there is none; throws Error when unreadable or
  // malformed.
  static std::optional<Manifest> load(const std::filesystem::path& static_root);

  // The hashed name for `name` ("css/site.css"), keeping a "?query" or "#fragment" suffix as
  // Django's stored_name() does; nullopt when the manifest lacks it.
  std::optional<std::string> lookup(std::string_view name) const;

  const Paths& paths() const { return paths_; }
  // json.dumps({"paths": ..., "version": "1.0"}) byte for byte (keys in sorted order).
  std::string to_json() const;

 private:
  Paths paths_;
};

}  // namespace staticfiles
