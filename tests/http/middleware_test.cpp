#include "http/middleware.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/http_error.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"

namespace {

http::Request get(std::string target, std::string host = "localhost") {
  http::Request r;
  r.method = "GET";
  EXPECT_TRUE(http::set_target(r, target));
  if (!host.empty()) r.headers.add("Host", host);
  return r;
}

struct Site {
  std::vector<std::string> logged;
  std::vector<std::string> errors;
  int details_asked = 0;
  http::Router router;
  http::Handler handler;

  explicit Site(bool debug = false, bool access_log = true) {
    router.get("", [](http::Request&) { return http::Response::html(200, "home"); });
    router.get("boom/", [](http::Request&) -> http::Response {
      throw std::runtime_error("secret detail: /etc/mysite.conf");
    });
    router.get("own-frame/", [](http::Request&) {
      auto r = http::Response::html(200, "x");
      r.headers.set("X-Frame-Options", "SAMEORIGIN");
      return r;
    });
    http::PipelineOptions options;
    options.debug = debug;
    options.host_names = {"localhost", ".example.com"};
    options.access_log = access_log;
    options.log_sink = [this](std::string_view line) { logged.emplace_back(line); };
    options.error_sink = [this](std::string_view msg) { errors.emplace_back(msg); };
    options.debug_details = [this](const std::exception& e) {
      ++details_asked;
      return "<p class=\"details\">" + http::html_escape(e.what()) + "</p>";
    };
    handler =
        http::default_pipeline(options, [this](http::Request& r) { return router.dispatch(r); });
  }
  http::Response operator()(http::Request r) { return handler(r); }
};

TEST(Pipeline, PingAnswersBeforeHostValidation) {
  Site site;
  auto response = site(get("/ping/", "10.0.3.17:8000"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "pong");
  EXPECT_EQ(response.headers.get("X-Frame-Options").value_or(""), "DENY");
}

TEST(Pipeline, UnlistedHostIs400) {
  Site site;
  EXPECT_EQ(site(get("/", "evil.test")).status, 400);
  EXPECT_EQ(site(get("/", "")).status, 400);
  EXPECT_EQ(site(get("/", "bad host")).status, 400);
  EXPECT_EQ(site(get("/", "localhost:8000")).status, 200);
  EXPECT_EQ(site(get("/", "www.example.com")).status, 200);
  EXPECT_EQ(site(get("/", "example.com")).status, 200);
  EXPECT_EQ(site(get("/", "notexample.com")).status, 400);
}

TEST(Pipeline, AHostPortIsDigits) {
  // The security review: "127.0.0.1:@evil.example" passed as 127.0.0.1. Django's
  // host_validation_re wants ":" and one or more digits, or nothing.
  Site site;
  EXPECT_EQ(site(get("/", "localhost:@evil.example")).status, 400);
  EXPECT_EQ(site(get("/", "localhost:")).status, 400);
  EXPECT_EQ(site(get("/", "localhost:80a")).status, 400);
  EXPECT_EQ(site(get("/", "localhost: 80")).status, 400);
  EXPECT_EQ(site(get("/", "localhost:8000")).status, 200);
  EXPECT_EQ(site(get("/", "www.example.com:443")).status, 200);
}

TEST(HostAllowed, FollowsDjangoAllowedHosts) {
  EXPECT_TRUE(http::host_allowed("example.com", {"example.com"}));
  EXPECT_TRUE(http::host_allowed("example.com.", {"example.com"}));
  EXPECT_TRUE(http::host_allowed("a.b.example.com", {".example.com"}));
  EXPECT_FALSE(http::host_allowed("badexample.com", {".example.com"}));
  EXPECT_TRUE(http::host_allowed("anything", {"*"}));
  EXPECT_FALSE(http::host_allowed("example.org", {"example.com"}));
}

TEST(Pipeline, SecurityHeadersOnEveryResponse) {
  Site site;
  for (auto response :
       {site(get("/")), site(get("/missing/")), site(get("/", "evil.test")), site(get("/boom/"))}) {
    EXPECT_EQ(response.headers.get("X-Frame-Options").value_or(""), "DENY");
    EXPECT_EQ(response.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_EQ(response.headers.get("Referrer-Policy").value_or(""), "same-origin");
    EXPECT_EQ(response.headers.get("Cross-Origin-Opener-Policy").value_or(""), "same-origin");
  }
}

TEST(Pipeline, ViewsMayOverrideASecurityHeader) {
  Site site;
  EXPECT_EQ(site(get("/own-frame/")).headers.get("X-Frame-Options").value_or(""), "SAMEORIGIN");
}

TEST(Pipeline, ErrorPagesRevealNothingWithoutDebug) {
  Site site;
  auto response = site(get("/boom/"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret detail"), std::string::npos);
  EXPECT_NE(response.body.find("Server Error (500)"), std::string::npos);
  ASSERT_EQ(site.errors.size(), 1u);
  EXPECT_NE(site.errors[0].find("secret detail"), std::string::npos);

  auto missing = site(get("/missing/"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("no route"), std::string::npos);
  EXPECT_EQ(site.details_asked, 0);  // without DEBUG the site is never asked
}

TEST(Pipeline, ErrorPagesShowDetailsWithDebugEscaped) {
  Site site(true);
  auto response = site(get("/boom/"));
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("secret detail"), std::string::npos);
  // The site's details about the exception (a template's source, say) follow, as HTML.
  EXPECT_NE(response.body.find("<p class=\"details\">secret detail"), std::string::npos);
  EXPECT_EQ(site.details_asked, 1);
  auto missing = site(get("/missing/%3Cscript%3E/"));
  EXPECT_NE(missing.body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(missing.body.find("<script>"), std::string::npos);
}

TEST(Pipeline, MethodNotAllowedCarriesAllow) {
  Site site;
  auto r = get("/");
  r.method = "POST";
  auto response = site(r);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.get("Allow").value_or(""), "GET, HEAD");
}

TEST(Pipeline, RequestIdIsGeneratedOrKept) {
  Site site;
  auto generated = site(get("/"));
  auto id = generated.headers.get("X-Request-ID").value_or("");
  EXPECT_EQ(id.size(), 16u);
  auto r = get("/");
  r.headers.add("X-Request-ID", "abc-123");
  EXPECT_EQ(site(r).headers.get("X-Request-ID").value_or(""), "abc-123");
  auto hostile = get("/");
  hostile.headers.add("X-Request-ID", "a\"b<script>");
  EXPECT_NE(site(hostile).headers.get("X-Request-ID").value_or(""), "a\"b<script>");
}

TEST(Pipeline, AccessLogWritesOneJsonLinePerRequest) {
  Site site;
  auto r = get("/missing/\"quoted\"/");
  r.remote_address = "127.0.0.1";
  site(r);
  ASSERT_EQ(site.logged.size(), 1u);
  const auto& line = site.logged[0];
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find("\"status\":404"), std::string::npos);
  EXPECT_NE(line.find("\"method\":\"GET\""), std::string::npos);
  EXPECT_NE(line.find("\"path\":\"/missing/\\\"quoted\\\"/\""), std::string::npos);
  EXPECT_NE(line.find("\"remote\":\"127.0.0.1\""), std::string::npos);
}

TEST(Pipeline, AccessLogLinesAreValidJsonWhateverThePath) {
  // "/a%FFb" decodes to a byte that is not UTF-8; the line must still be JSON a log pipeline
  // parses, and a real character ("%C3%A9" is "é") must stay itself.
  Site site;
  site(get("/a%FFb/%C3%A9/%E2%82/"));
  ASSERT_EQ(site.logged.size(), 1u);
  auto line = nlohmann::json::parse(site.logged[0]);  // throws on invalid UTF-8
  EXPECT_EQ(line["path"], "/a\uFFFDb/\u00E9/\uFFFD/");
}

TEST(Pipeline, AccessLogCanBeTurnedOff) {
  Site site(false, false);
  site(get("/"));
  EXPECT_TRUE(site.logged.empty());
}

TEST(Pipeline, AppendSlashRedirectPassesThrough) {
  Site site;
  http::Router& router = site.router;
  router.get("fortunes/", [](http::Request&) { return http::Response::html(200, "f"); });
  auto response = site(get("/fortunes"));
  EXPECT_EQ(response.status, 301);
  EXPECT_EQ(response.headers.get("Location").value_or(""), "/fortunes/");
}

}  // namespace
