#include "cli/readiness.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include "db/error.hpp"

namespace cli {

namespace {
constexpr std::chrono::milliseconds kCheckoutTimeout{1000};
}  // namespace

http::Handler readiness_view(db::Pool& pool, db::MigrationSet migrations) {
  // Once every migration is applied it stays so for the life of this process (the code that
  // declares migrations cannot change under it), so the history is read until then only.
  auto migrated = std::make_shared<std::atomic<bool>>(false);
  auto set = std::make_shared<const db::MigrationSet>(std::move(migrations));
  return [&pool, migrated, set](http::Request&) {
    auto unready = [](const char* why) {
      auto r = http::Response::text(503, std::string("not ready: ") + why + "\n");
      r.headers.set("Cache-Control", "no-store");
      return r;
    };
    try {
      auto conn = pool.acquire(kCheckoutTimeout);
      if (!conn->ping()) {
        conn->mark_broken();
        return unready("the database does not answer");
      }
      if (!migrated->load()) {
        if (set->has_pending(*conn)) return unready("migrations are pending");
        migrated->store(true);
      }
    } catch (const db::Error&) {
      return unready("the database does not answer");
    }
    auto r = http::Response::text(200, "ready\n");
    r.headers.set("Cache-Control", "no-store");
    return r;
  };
}

}  // namespace cli
