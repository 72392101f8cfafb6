#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/http_error.hpp"

namespace {

http::Request make(std::string method, std::string target) {
  http::Request r;
  r.method = std::move(method);
  EXPECT_TRUE(http::set_target(r, target));
  return r;
}

http::Handler echo(std::string tag) {
  return [tag](http::Request& r) {
    std::string body = tag;
    for (const auto& [k, v] : r.params) body += " " + k + "=" + v;
    return http::Response::text(200, body);
  };
}

int status_of(const http::Router& router, http::Request r) {
  try {
    return router.dispatch(r).status;
  } catch (const http::HttpError& e) {
    return e.status();
  }
}

TEST(Router, MatchesLiteralAndRootPaths) {
  http::Router router;
  router.get("", echo("home"), "home").get("ping/", echo("ping"), "ping");
  auto r = make("GET", "/");
  EXPECT_EQ(router.dispatch(r).body, "home");
  r = make("GET", "/ping/");
  EXPECT_EQ(router.dispatch(r).body, "ping");
}

TEST(Router, TypedParametersFollowDjangoConverters) {
  http::Router router;
  router.get("items/<int:id>/", echo("int"));
  router.get("posts/<slug:name>/", echo("slug"));
  router.get("files/<path:rest>", echo("path"));
  router.get("u/<uuid:key>/", echo("uuid"));
  router.get("s/<name>/", echo("str"));

  auto r = make("GET", "/items/42/");
  EXPECT_EQ(router.dispatch(r).body, "int id=42");
  EXPECT_EQ(r.param_int("id"), 42);
  EXPECT_EQ(status_of(router, make("GET", "/items/4x/")), 404);
  EXPECT_EQ(status_of(router, make("GET", "/items/-1/")), 404);

  r = make("GET", "/posts/hello-world_2/");
  EXPECT_EQ(router.dispatch(r).body, "slug name=hello-world_2");
  EXPECT_EQ(status_of(router, make("GET", "/posts/a.b/")), 404);

  r = make("GET", "/files/a/b/c.txt");
  EXPECT_EQ(router.dispatch(r).body, "path rest=a/b/c.txt");

  r = make("GET", "/u/123e4567-e89b-12d3-a456-426614174000/");
  EXPECT_EQ(router.dispatch(r).body, "uuid key=123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(status_of(router, make("GET", "/u/123e4567-e89b-12d3-a456-42661417400/")), 404);

  r = make("GET", "/s/a%20b/");
  EXPECT_EQ(router.dispatch(r).body, "str name=a b");
  EXPECT_EQ(status_of(router, make("GET", "/s/a/b/")), 404);
}

TEST(Router, UnknownPathIs404) {
  http::Router router;
  router.get("a/", echo("a"));
  EXPECT_EQ(status_of(router, make("GET", "/b/")), 404);
}

TEST(Router, WrongMethodIs405WithAllow) {
  http::Router router;
  router.get("a/", echo("a"));
  router.add("form/", echo("form"), "form", {"GET", "POST"});
  try {
    auto r = make("DELETE", "/form/");
    router.dispatch(r);
    FAIL() << "expected 405";
  } catch (const http::HttpError& e) {
    EXPECT_EQ(e.status(), 405);
    EXPECT_EQ(e.headers().get("Allow").value_or(""), "GET, HEAD, POST");
  }
  EXPECT_EQ(status_of(router, make("POST", "/a/")), 405);
  EXPECT_EQ(status_of(router, make("POST", "/form/")), 200);
}

TEST(Router, HeadIsAllowedWhereGetIs) {
  http::Router router;
  router.get("a/", echo("a"));
  EXPECT_EQ(status_of(router, make("HEAD", "/a/")), 200);
}

TEST(Router, AppendSlashRedirectsKeepingQueryString) {
  http::Router router;
  router.get("fortunes/", echo("f"));
  auto r = make("GET", "/fortunes?x=1&y=%20");
  auto response = router.dispatch(r);
  EXPECT_EQ(response.status, 301);
  EXPECT_EQ(response.headers.get("Location").value_or(""), "/fortunes/?x=1&y=%20");
  // No redirect when the slashed path would not match either.
  EXPECT_EQ(status_of(router, make("GET", "/nothing")), 404);
}

TEST(Router, AppendSlashNeverRedirectsOffSite) {
  // Django's CVE-2018-14574: with a catch-all route, "//evil.example" would be redirected to the
  // scheme-relative "//evil.example/", another site. The leading "//" goes out as "/%2F".
  http::Router router;
  router.get("<path:rest>/", echo("any"));
  auto r = make("GET", "//evil.example");
  auto response = router.dispatch(r);
  EXPECT_EQ(response.status, 301);
  EXPECT_EQ(response.headers.get("Location").value_or(""), "/%2Fevil.example/");
  auto q = make("GET", "//evil.example?next=1");
  EXPECT_EQ(router.dispatch(q).headers.get("Location").value_or(""), "/%2Fevil.example/?next=1");
}

TEST(Router, AppendSlashCanBeTurnedOff) {
  http::Router router;
  router.get("fortunes/", echo("f"));
  router.set_append_slash(false);
  EXPECT_EQ(status_of(router, make("GET", "/fortunes")), 404);
}

TEST(Router, ReverseFillsParametersAndChecksThem) {
  http::Router router;
  router.get("", echo("home"), "home");
  router.get("items/<int:id>/", echo("int"), "item");
  router.get("s/<str:name>/", echo("str"), "named");
  EXPECT_EQ(router.reverse("home"), "/");
  EXPECT_EQ(router.reverse("item", {"7"}), "/items/7/");
  EXPECT_EQ(router.reverse("item", {"x"}), std::nullopt);
  EXPECT_EQ(router.reverse("item", {}), std::nullopt);
  EXPECT_EQ(router.reverse("item", {"1", "2"}), std::nullopt);
  EXPECT_EQ(router.reverse("missing"), std::nullopt);
  EXPECT_EQ(router.reverse("named", {"a b"}), "/s/a%20b/");
}

TEST(Router, RejectsBadPatternsAndDuplicateNames) {
  http::Router router;
  EXPECT_THROW(router.get("a/<int:id/", echo("x")), std::invalid_argument);
  EXPECT_THROW(router.get("a/<float:id>/", echo("x")), std::invalid_argument);
  router.get("a/", echo("a"), "a");
  EXPECT_THROW(router.get("b/", echo("b"), "a"), std::invalid_argument);
}

TEST(Router, IncludeAddsPrefixedRoutes) {
  http::Router admin;
  admin.get("", echo("index"), "admin-index");
  admin.get("login/", echo("login"), "admin-login");
  http::Router site;
  site.include("admin/", admin);
  auto r = make("GET", "/admin/login/");
  EXPECT_EQ(site.dispatch(r).body, "login");
  EXPECT_EQ(site.reverse("admin-index"), "/admin/");
}

}  // namespace

namespace {

TEST(Router, SaysWhereTheViewADispatchWouldCallRuns) {
  http::Router inner;
  inner.get("fast/", echo("f"), "inner_fast", http::Runs::kOnIoThread);
  inner.get("slow/", echo("s"), "inner_slow");
  http::Router router;
  router.get("ping/", echo("p"), "ping", http::Runs::kOnIoThread);
  router.add("form/", echo("g"), "form_get", {"GET"}, http::Runs::kOnIoThread);
  router.add("form/", echo("p"), "form_post", {"POST"});
  router.get("db/<int:id>/", echo("d"), "db");
  router.include("in/", inner);

  EXPECT_TRUE(router.runs_on_io_thread("/ping/", "GET"));
  EXPECT_TRUE(router.runs_on_io_thread("/ping/", "HEAD"));
  EXPECT_FALSE(router.runs_on_io_thread("/db/7/", "GET"));  // the default: may block
  EXPECT_TRUE(router.runs_on_io_thread("/form/", "GET"));
  EXPECT_FALSE(router.runs_on_io_thread("/form/", "POST"));   // per route, by method
  EXPECT_TRUE(router.runs_on_io_thread("/in/fast/", "GET"));  // include keeps it
  EXPECT_FALSE(router.runs_on_io_thread("/in/slow/", "GET"));
  // No view runs: a 404, a 405 or the append-slash redirect is answered at once.
  EXPECT_TRUE(router.runs_on_io_thread("/nowhere/", "GET"));
  EXPECT_TRUE(router.runs_on_io_thread("/db/7/", "DELETE"));
  EXPECT_TRUE(router.runs_on_io_thread("/db/7", "GET"));
}

}  // namespace
