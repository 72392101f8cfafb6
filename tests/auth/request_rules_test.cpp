// Proxy trust (client address, HTTPS), CSRF (one test per rejection reason), login throttling
// with an injectable clock, and form parsing. No database.
#include <gtest/gtest.h>

#include <algorithm>

#include "auth/client.hpp"
#include "auth/csrf.hpp"
#include "auth/throttle.hpp"
#include "http/router.hpp"

namespace {

http::Request request(std::string method = "GET", std::string path = "/") {
  http::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
  r.remote_address = "10.0.0.9";
  r.headers.set("Host", "example.com");
  return r;
}

// ---- proxy trust ----

TEST(ProxyTrust, NoProxiesMeansThePeerAndPlainHttp) {
  auto r = request();
  r.headers.set("X-Forwarded-For", "1.2.3.4");
  r.headers.set("X-Forwarded-Proto", "https");
  EXPECT_EQ(auth::client_address(r, {0}), "10.0.0.9");
  EXPECT_FALSE(auth::is_secure(r, {0}));
}

TEST(ProxyTrust, HopCountingFromTheRight) {
  auto r = request();
  // A client forged "6.6.6.6"; CloudFront appended the viewer 1.2.3.4, the ALB appended
  // CloudFront's 130.176.0.1.
  r.headers.set("X-Forwarded-For", "6.6.6.6, 1.2.3.4, 130.176.0.1");
  EXPECT_EQ(auth::client_address(r, {2}), "1.2.3.4");
  EXPECT_EQ(auth::client_address(r, {1}), "130.176.0.1");
  EXPECT_EQ(auth::client_address(r, {3}), "6.6.6.6");
  // Fewer entries than proxies: the chain is incomplete, so the peer, and never HTTPS.
  EXPECT_EQ(auth::client_address(r, {4}), "10.0.0.9");
  r.headers.set("X-Forwarded-Proto", "https");
  EXPECT_FALSE(auth::is_secure(r, {4}));
  EXPECT_TRUE(auth::is_secure(r, {2}));
}

TEST(ProxyTrust, RepeatedHeaderFieldsCountAsOneList) {
  auto r = request();
  r.headers.add("X-Forwarded-For", "1.2.3.4");
  r.headers.add("X-Forwarded-For", "130.176.0.1");
  EXPECT_EQ(auth::client_address(r, {2}), "1.2.3.4");
}

TEST(ProxyTrust, SecureRules) {
  auto r = request();
  r.headers.set("X-Forwarded-For", "1.2.3.4");
  EXPECT_FALSE(auth::is_secure(r, {1}));              // no proto header
  r.headers.set("X-Forwarded-Proto", "http, https");  // the nearest proxy wrote the last value
  EXPECT_TRUE(auth::is_secure(r, {1}));
  r.headers.set("X-Forwarded-Proto", "https, http");
  EXPECT_FALSE(auth::is_secure(r, {1}));
  // CloudFront's viewer protocol wins when present.
  r.headers.set("X-Forwarded-Proto", "https");
  r.headers.set("CloudFront-Forwarded-Proto", "http");
  EXPECT_FALSE(auth::is_secure(r, {1}));
  r.headers.set("CloudFront-Forwarded-Proto", "HTTPS");
  EXPECT_TRUE(auth::is_secure(r, {1}));
}

// ---- CSRF ----

const std::string kSecret = "abcdefghijklmnopqrstuvwxyzABCDEF";  // 32 alphanumerics

class Csrf : public ::testing::Test {
 protected:
  http::Response send(http::Request r) {
    auto middleware = auth::csrf_middleware(options);
    reached = false;
    return middleware(r, [this](http::Request&) {
      reached = true;
      return http::Response::text(200, "ok");
    });
  }
  http::Request post(bool with_cookie = true, std::string token = "") {
    auto r = request("POST", "/form/");
    if (with_cookie) r.headers.set("Cookie", "csrftoken=" + kSecret);
    r.headers.set("Content-Type", "application/x-www-form-urlencoded");
    r.body = "a=1&csrfmiddlewaretoken=" + (token.empty() ? auth::mask_csrf_secret(kSecret) : token);
    return r;
  }
  http::Request secure_post() {
    auto r = post();
    r.headers.set("X-Forwarded-For", "1.2.3.4");
    r.headers.set("X-Forwarded-Proto", "https");
    return r;
  }
  void expect_rejected(http::Request r, const std::string& reason) {
    EXPECT_EQ(auth::csrf_rejection_reason(r, options), reason);
    options.debug = true;
    auto response = send(r);
    EXPECT_EQ(response.status, 403);
    EXPECT_FALSE(reached);
    EXPECT_NE(response.body.find(http::html_escape(reason)), std::string::npos) << response.body;
    options.debug = false;
    auto quiet = send(r);
    EXPECT_EQ(quiet.status, 403);
    EXPECT_EQ(quiet.body.find(http::html_escape(reason)),
              std::string::npos);  // reason only in DEBUG
  }

  static auth::CsrfOptions behind_one_proxy() {
    auth::CsrfOptions o;
    o.trust = {1};
    return o;
  }
  auth::CsrfOptions options = behind_one_proxy();
  bool reached = false;
};

TEST_F(Csrf, MaskRoundTripsAndVaries) {
  auto a = auth::mask_csrf_secret(kSecret);
  auto b = auth::mask_csrf_secret(kSecret);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(auth::unmask_csrf_token(a), kSecret);
}

TEST_F(Csrf, SafeMethodsPassAndValidPostPasses) {
  EXPECT_EQ(send(request("GET")).status, 200);
  EXPECT_EQ(send(request("HEAD")).status, 200);
  EXPECT_EQ(send(post()).status, 200);
  EXPECT_TRUE(reached);
  // The unmasked secret and the header are accepted too.
  auto header = post();
  header.body.clear();
  header.headers.set("X-CSRFToken", auth::mask_csrf_secret(kSecret));
  EXPECT_EQ(send(header).status, 200);
  EXPECT_EQ(send(post(true, kSecret)).status, 200);
}

TEST_F(Csrf, EveryUnsafeMethodIsChecked) {
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) {
    auto r = request(m, "/x/");
    EXPECT_EQ(send(r).status, 403) << m;
  }
}

TEST_F(Csrf, RejectsNoCookie) { expect_rejected(post(false), "CSRF cookie not set."); }

TEST_F(Csrf, RejectsMissingToken) {
  auto r = post();
  r.body = "a=1";
  expect_rejected(r, "CSRF token missing.");
}

TEST_F(Csrf, RejectsBadTokenLength) {
  expect_rejected(post(true, std::string(63, 'a')), "CSRF token from POST has incorrect length.");
}

TEST_F(Csrf, RejectsBadTokenCharacters) {
  expect_rejected(post(true, std::string(63, 'a') + "-"),
                  "CSRF token from POST has invalid characters.");
}

TEST_F(Csrf, RejectsBadCookie) {
  auto r = post();
  r.headers.set("Cookie", "csrftoken=short");
  expect_rejected(r, "CSRF cookie has incorrect length.");
}

TEST_F(Csrf, RejectsTokenMismatch) {
  expect_rejected(post(true, auth::mask_csrf_secret(std::string(32, 'Z'))),
                  "CSRF token from POST incorrect.");
  auto header = post();
  header.body.clear();
  header.headers.set("X-CSRFToken", std::string(32, 'Z'));
  expect_rejected(header, "CSRF token from the 'X-CSRFToken' HTTP header incorrect.");
}

TEST_F(Csrf, RejectsBadOrigin) {
  auto r = post();
  r.headers.set("Origin", "http://evil.example");
  expect_rejected(
      r, "Origin checking failed - http://evil.example does not match any trusted origins.");
  // The request's own origin, and a trusted one, pass.
  r.headers.set("Origin", "http://example.com");
  EXPECT_EQ(send(r).status, 200);
  auto s = secure_post();
  s.headers.set("Origin", "http://example.com");  // scheme must match under HTTPS
  EXPECT_EQ(send(s).status, 403);
  s.headers.set("Origin", "https://example.com");
  EXPECT_EQ(send(s).status, 200);
  options.trusted_origins = {"https://*.partner.example"};
  s.headers.set("Origin", "https://app.partner.example");
  EXPECT_EQ(send(s).status, 200);
}

TEST_F(Csrf, RejectsNoRefererUnderHttps) {
  expect_rejected(secure_post(), "Referer checking failed - no Referer.");
}

TEST_F(Csrf, RejectsMalformedReferer) {
  auto r = secure_post();
  r.headers.set("Referer", "not a url");
  expect_rejected(r, "Referer checking failed - Referer is malformed.");
}

TEST_F(Csrf, RejectsInsecureReferer) {
  auto r = secure_post();
  r.headers.set("Referer", "http://example.com/form/");
  expect_rejected(r, "Referer checking failed - Referer is insecure while host is secure.");
}

TEST_F(Csrf, RejectsBadReferer) {
  auto r = secure_post();
  r.headers.set("Referer", "https://evil.example/form/");
  expect_rejected(
      r,
      "Referer checking failed - https://evil.example/form/ does not match any trusted origins.");
  r.headers.set("Referer", "https://example.com/form/");
  EXPECT_EQ(send(r).status, 200);
  options.trusted_origins = {"https://evil.example"};
  r.headers.set("Referer", "https://evil.example/form/");
  EXPECT_EQ(send(r).status, 200);
}

TEST_F(Csrf, ExemptPathsSkipTheCheck) {
  options.exempt = {"hooks/<slug:name>/"};
  auto r = request("POST", "/hooks/deploy/");
  EXPECT_EQ(send(r).status, 200);
  auto other = request("POST", "/hooks/deploy/x/");
  EXPECT_EQ(send(other).status, 403);
}

TEST_F(Csrf, RequestsNoViewWillSeeAreNotChecked) {
  options.reaches_view = [](const http::Request& r) { return r.path != "/get-only/"; };
  EXPECT_EQ(send(request("POST", "/get-only/")).status, 200);  // the router then answers 405
  EXPECT_EQ(send(request("POST", "/form/")).status, 403);
}

TEST(Router, RoutesToViewKnowsMethods) {
  http::Router router;
  router.get("", [](http::Request&) { return http::Response{}; });
  router.add("form/", [](http::Request&) { return http::Response{}; }, "", {"GET", "POST"});
  EXPECT_FALSE(router.routes_to_view("/", "POST"));
  EXPECT_TRUE(router.routes_to_view("/", "HEAD"));
  EXPECT_TRUE(router.routes_to_view("/form/", "POST"));
  EXPECT_FALSE(router.routes_to_view("/nope/", "POST"));
}

TEST_F(Csrf, TokenUseSetsTheCookie) {
  auto middleware = auth::csrf_middleware(options);
  auto r = request();
  std::string token;
  auto response = middleware(r, [&](http::Request& req) {
    token = auth::csrf_token(req);
    return http::Response::text(200, "form");
  });
  auto cookie = std::string(response.headers.get("Set-Cookie").value_or(""));
  ASSERT_EQ(cookie.rfind("csrftoken=", 0), 0u) << cookie;
  auto secret = cookie.substr(10, 32);
  EXPECT_EQ(auth::unmask_csrf_token(token), secret);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP
  // A page that never asks for the token sets no cookie.
  auto plain = middleware(r, [](http::Request&) { return http::Response::text(200, "x"); });
  EXPECT_FALSE(plain.headers.contains("Set-Cookie"));
}

// ---- throttling: the keys (the rules run on a database in auth_db_test.cpp) ----

TEST(ThrottleAddress, AnIpv6ClientIsItsSlash64) {
  using auth::LoginThrottle;
  EXPECT_EQ(LoginThrottle::address_key("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LoginThrottle::address_key("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LoginThrottle::address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::address_key("2001:DB8:1:2:0:0:0:9"), "2001:db8:1:2::/64");
  EXPECT_NE(LoginThrottle::address_key("2001:db8:1:3::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::address_key("not an address"), "not an address");
  EXPECT_EQ(LoginThrottle::address_key(std::string(1000, 'x')).size(), 46u);
  // Bytes that are not printable ASCII (a forwarded header can carry anything) are hashed.
  EXPECT_EQ(LoginThrottle::address_key("\xff\x01junk").rfind("sha256:", 0), 0u);
  EXPECT_EQ(LoginThrottle::address_key("\xff\x01junk").size(), 71u);
}

TEST(ThrottleAddress, AnAccountIsTheHashOfItsLowerCasedName) {
  using auth::LoginThrottle;
  EXPECT_EQ(LoginThrottle::account_key("Alice"), LoginThrottle::account_key("alice"));
  EXPECT_NE(LoginThrottle::account_key("alice"), LoginThrottle::account_key("alice2"));
  EXPECT_EQ(LoginThrottle::account_key(std::string(100000, '\xff')).size(), 64u);
}

}  // namespace
