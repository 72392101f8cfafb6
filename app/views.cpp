#include "app/views.hpp"

#include <algorithm>

#include "db/pool.hpp"
#include "templates/engine.hpp"

namespace app {

http::Response home(http::Request&, cli::Services& services) {
  templates::Context context;
  return http::Response::html(200, services.templates.render("home.html", context));
}

http::Response fortunes(http::Request&, cli::Services& services) {
  struct Fortune {
    std::int64_t id;
    std::string message;
  };
  std::vector<Fortune> rows;
  {
    auto conn = services.db->acquire();
    for (const db::Row& row : conn->query("SELECT id, message FROM fortune"))
      rows.push_back({row.get<std::int64_t>(0), row.get<std::string>(1)});
  }
  rows.push_back({0, "Additional fortune added at request time."});
  // Byte order of UTF-8 is code-point order, which is how Python and the other
  // implementations of the test sort.
  std::sort(rows.begin(), rows.end(),
            [](const Fortune& a, const Fortune& b) { return a.message < b.message; });

  templates::Value::List list;
  list.reserve(rows.size());
  for (auto& f : rows) {
    templates::Map item;
    item.set("id", f.id);
    item.set("message", std::move(f.message));
    list.emplace_back(std::move(item));
  }
  templates::Context context;
  context.set("fortunes", templates::Value(std::move(list)));
  return http::Response::html(200, services.templates.render("fortunes.html", context));
}

}  // namespace app
