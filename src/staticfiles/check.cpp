#include "staticfiles/check.hpp"

#include "staticfiles/collect.hpp"
#include "staticfiles/error.hpp"

namespace staticfiles {

namespace {

// A storage that records nothing, so collect_static() can work out the manifest dry.
class NullStorage final : public Storage {
 public:
  std::string location() const override { return "(check)"; }
  bool has_files() override { return false; }
  std::optional<std::string> read(std::string_view) override { return std::nullopt; }
  bool contains(const StoredFile&) override { return true; }
  void write(const StoredFile&) override {}
  void clear() override {}
};

}  // namespace

std::vector<std::string> check_manifest(const std::filesystem::path& static_root,
                                        const std::vector<std::filesystem::path>& source_dirs,
                                        std::string_view static_url) {
  std::vector<std::string> problems;
  const std::string where = "STATIC_ROOT '" + static_root.string() + "'";
  std::optional<Manifest> manifest;
  try {
    manifest = Manifest::load(static_root);
  } catch (const Error& e) {
    problems.push_back(std::string(e.what()) + "; run `mysite collectstatic`");
    return problems;
  }
  if (!manifest) {
    problems.push_back(where + " has no " + std::string(kManifestName) +
                       ", so static URLs use plain names that CDNs may cache stale; run "
                       "`mysite collectstatic`");
    return problems;
  }
  for (const auto& [name, hashed] : manifest->paths()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(static_root / hashed, ec))
      problems.push_back(std::string(kManifestName) + " maps '" + name + "' to '" + hashed +
                         "', which " + where + " lacks; run `mysite collectstatic`");
  }
  NullStorage dry;
  CollectResult expected;
  try {
    CollectOptions options;
    options.static_url = std::string(static_url);
    options.dry_run = true;
    expected = collect_static(source_dirs, dry, options);
  } catch (const Error& e) {
    problems.push_back(std::string("collectstatic would fail: ") + e.what());
    return problems;
  }
  for (const auto& [name, hashed] : expected.manifest.paths()) {
    auto found = manifest->paths().find(name);
    if (found == manifest->paths().end())
      problems.push_back("static file '" + name + "' is not in " + std::string(kManifestName) +
                         "; run `mysite collectstatic`");
    else if (found->second != hashed)
      problems.push_back("static file '" + name + "' changed since the last collectstatic (" +
                         found->second + " is now " + hashed + "); run `mysite collectstatic`");
  }
  return problems;
}

}  // namespace staticfiles
