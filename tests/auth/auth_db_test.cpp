// Users, authentication, sessions and login on a real database: SQLite always, MariaDB when run
// by tests/tools/with_mariadb.sh (the same tests, instantiated per backend).
#include <gtest/gtest.h>

#include <sstream>

#include "auth/login.hpp"
#include "auth/session.hpp"
#include "auth/user.hpp"
#include "backend.hpp"
#include "db/pool.hpp"

namespace {

using db::testing::BackendParam;

auth::HasherPolicy fast() {
  auth::HasherPolicy p;
  p.pbkdf2_iterations = 1000;
  return p;
}

class AuthDb : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    if (!backend_)
      GTEST_SKIP() << "backend " << GetParam().name << " not available (run via with_mariadb.sh)";
    pool_ = std::make_unique<db::Pool>([this] { return backend_->open(); },
                                       db::PoolOptions{.max_size = 4});
    db::MigrationSet set;
    auth::add_migrations(set);
    std::ostringstream out;
    auto lease = pool_->acquire();
    set.migrate(*lease, out);
  }
  void TearDown() override {
    pool_.reset();
    backend_.reset();
  }

  // One request through session + auth middleware around `view`.
  http::Response send(http::Request& r, const http::Handler& view) {
    auto sessions = auth::session_middleware(*pool_, session_options);
    auto authm = auth::auth_middleware(kSecretKey);
    return sessions(r, [&](http::Request& req) { return authm(req, view); });
  }
  static http::Request request(const std::string& cookie = "") {
    http::Request r;
    r.method = "GET";
    r.path = "/";
    r.remote_address = "127.0.0.1";
    r.headers.set("Host", "example.com");
    if (!cookie.empty()) r.headers.set("Cookie", "sessionid=" + cookie);
    return r;
  }
  static std::string cookie_value(const http::Response& response) {
    for (const auto& h : response.headers)
      if (http::iequals(h.name, "Set-Cookie") && h.value.rfind("sessionid=", 0) == 0)
        return h.value.substr(10, h.value.find(';') - 10);
    return "<none>";
  }
  static std::string set_cookie(const http::Response& response) {
    for (const auto& h : response.headers)
      if (http::iequals(h.name, "Set-Cookie") && h.value.rfind("sessionid=", 0) == 0)
        return h.value;
    return "";
  }
  std::int64_t session_rows() {
    auto lease = pool_->acquire();
    return lease->query_row("SELECT COUNT(*) FROM mysite_session").get<std::int64_t>(0);
  }
  std::int64_t make_user(const std::string& name, const std::string& password, bool staff = false) {
    auto lease = pool_->acquire();
    auth::User u;
    u.username = name;
    u.email = name + "@EXAMPLE.com";
    u.is_staff = staff;
    return auth::create_user(*lease, u, password, fast());
  }

  static constexpr const char* kSecretKey = "test-secret-key";
  std::unique_ptr<db::testing::Backend> backend_;
  std::unique_ptr<db::Pool> pool_;
  std::int64_t clock_ = 1'700'000'000;
  auth::SessionOptions session_options{
      .cookie_age = 1209600, .idle_timeout = 0, .trust = {1}, .now = [this] { return clock_; }};
};

TEST_P(AuthDb, MigrationsAreRerunnableAndMatchDjangosColumns) {
  auto lease = pool_->acquire();
  db::MigrationSet set;
  auth::add_migrations(set);
  std::ostringstream out;
  EXPECT_TRUE(set.migrate(*lease, out).applied.empty());
  // Every step runs again without error (MySQL DDL is not transactional).
  for (const auto& m : set.migrations())
    for (const auto& step : m.steps) lease->execute(step.sql_for(backend_->dialect()));
  auto row = lease->query_row(
      "SELECT id, password, last_login, is_superuser, username, first_name, last_name, email, "
      "is_staff, "
      "is_active, date_joined FROM auth_user WHERE 1 = 0 UNION ALL SELECT 1, 'p', NULL, 0, 'u', "
      "'', '', '', 0, 1, "
      "'2024-01-01 00:00:00'");
  EXPECT_EQ(row.size(), 11u);
}

TEST_P(AuthDb, UserCrudAndPermissions) {
  auto id = make_user("alice", "a long passphrase", true);
  auto lease = pool_->acquire();
  auto u = auth::find_user(*lease, "alice");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->id, id);
  EXPECT_EQ(u->email, "alice@example.com");  // domain normalised
  EXPECT_TRUE(u->is_staff && u->is_active && !u->is_superuser);
  EXPECT_FALSE(u->last_login);
  EXPECT_EQ(u->date_joined.size(), 26u);
  EXPECT_TRUE(auth::check_password("a long passphrase", u->password).ok);
  EXPECT_THROW(make_user("alice", "x"), db::Error);  // unique
  EXPECT_THROW(make_user("bad name", "x"), std::invalid_argument);

  u->first_name = "Alice";
  u->is_active = false;
  auth::update_user(*lease, *u);
  EXPECT_EQ(auth::find_user_by_id(*lease, id)->first_name, "Alice");
  EXPECT_EQ(auth::count_users(*lease), 1);
  EXPECT_EQ(auth::list_users(*lease).size(), 1u);

  u->is_active = true;
  EXPECT_FALSE(auth::has_perm(*lease, *u, "fortunes.change_fortune"));
  auth::grant_perm(*lease, id, "fortunes.change_fortune");
  auth::grant_perm(*lease, id, "fortunes.change_fortune");
  EXPECT_TRUE(auth::has_perm(*lease, *u, "fortunes.change_fortune"));
  EXPECT_EQ(auth::user_permissions(*lease, id),
            std::vector<std::string>{"fortunes.change_fortune"});
  u->is_active = false;
  EXPECT_FALSE(auth::has_perm(*lease, *u, "fortunes.change_fortune"));
  auth::User root;
  root.is_superuser = true;
  EXPECT_TRUE(auth::has_perm(*lease, root, "anything.at_all"));
  auth::revoke_perm(*lease, id, "fortunes.change_fortune");
  EXPECT_TRUE(auth::user_permissions(*lease, id).empty());

  auth::LogEntry entry;
  entry.user_id = id;
  entry.object_type = "auth.user";
  entry.object_id = std::to_string(id);
  entry.object_repr = "alice";
  entry.action_flag = 2;
  entry.change_message = "Changed first_name.";
  auth::add_log_entry(*lease, entry);
  auto log = auth::recent_log_entries(*lease, 10);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].object_repr, "alice");
  auth::delete_user(*lease, id);
  EXPECT_FALSE(auth::find_user(*lease, "alice"));
}

TEST_P(AuthDb, AuthenticateUpgradesOutdatedHashes) {
  make_user("bob", "bobs passphrase");
  std::vector<std::string> logged;
  auth::AuthenticatorOptions options;
  options.policy.pbkdf2_iterations = 2000;
  options.max_concurrent_hashes = 1;
  options.log_sink = [&](std::string_view l) { logged.emplace_back(l); };
  auth::Authenticator authenticator(options);
  auto lease = pool_->acquire();
  auto wrong = authenticator.authenticate(*lease, "bob", "wrong", "1.2.3.4");
  EXPECT_EQ(wrong.status, auth::AuthStatus::kInvalid);
  auto unknown = authenticator.authenticate(*lease, "nobody", "x", "1.2.3.4");
  EXPECT_EQ(unknown.status, auth::AuthStatus::kInvalid);
  auto ok = authenticator.authenticate(*lease, "bob", "bobs passphrase", "1.2.3.4");
  ASSERT_EQ(ok.status, auth::AuthStatus::kOk);
  EXPECT_EQ(auth::find_user(*lease, "bob")->password.rfind("pbkdf2_sha256$2000$", 0), 0u);
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_NE(logged[0].find("\"result\":\"failure\""), std::string::npos) << logged[0];
  EXPECT_NE(logged[0].find("\"client\":\"1.2.3.4\""), std::string::npos);
  EXPECT_NE(logged[2].find("\"username\":\"bob\""), std::string::npos);
  for (const auto& l : logged) EXPECT_EQ(l.find("passphrase"), std::string::npos) << l;
  // An inactive user cannot log in, even with the right password.
  auto u = *auth::find_user(*lease, "bob");
  u.is_active = false;
  auth::update_user(*lease, u);
  EXPECT_EQ(authenticator.authenticate(*lease, "bob", "bobs passphrase", "1.2.3.4").status,
            auth::AuthStatus::kInvalid);
}

TEST_P(AuthDb, EveryFailedLoginCostsOneHashWhateverTheAccount) {
  // Timing must not tell an unknown user, a user with an unusable password (Django's
  // CVE-2024-39329) and a wrong password apart: each costs exactly one hash.
  make_user("dave", "daves passphrase");
  {
    auto lease = pool_->acquire();
    auth::User erin;
    erin.username = "erin";
    auth::create_user(*lease, erin, std::nullopt);  // an unusable password
  }
  auth::AuthenticatorOptions options;
  options.policy = fast();
  auth::Authenticator authenticator(options);
  auto lease = pool_->acquire();
  for (const char* username : {"dave", "erin", "nobody"}) {
    const auto before = auth::hashes_computed();
    EXPECT_EQ(authenticator.authenticate(*lease, username, "wrong", "7.7.7.7").status,
              auth::AuthStatus::kInvalid);
    EXPECT_EQ(auth::hashes_computed() - before, 1u) << username;
  }
}

TEST_P(AuthDb, ThrottledAttemptsAreRefusedWithoutHashing) {
  make_user("carol", "carols passphrase");
  auth::AuthenticatorOptions options;
  options.policy = fast();
  auth::Authenticator authenticator(options);
  auto lease = pool_->acquire();
  for (int i = 0; i < auth::LoginThrottle::kFreeFailures; ++i)
    authenticator.authenticate(*lease, "carol", "wrong", "5.5.5.5");
  auto throttled = authenticator.authenticate(*lease, "carol", "carols passphrase", "5.5.5.5");
  EXPECT_EQ(throttled.status, auth::AuthStatus::kThrottled);
  EXPECT_GT(throttled.retry_after.count(), 0);
  EXPECT_EQ(authenticator.authenticate(*lease, "carol", "carols passphrase", "6.6.6.6").status,
            auth::AuthStatus::kOk);
}

TEST_P(AuthDb, AnonymousVisitorsCostNoRow) {
  auto r = request();
  auto response = send(r, [](http::Request& req) {
    EXPECT_EQ(auth::user(req), nullptr);
    return http::Response::text(200, "hi");
  });
  EXPECT_EQ(session_rows(), 0);
  EXPECT_EQ(set_cookie(response), "");
  // A view that never touches the session does not even read it.
  auto r2 = request(std::string(64, 'a'));
  auto untouched = send(r2, [](http::Request&) { return http::Response::text(200, "static"); });
  EXPECT_FALSE(untouched.headers.contains("Vary"));
}

TEST_P(AuthDb, LoginRotatesTheKeyAndLogoutDeletesTheRow) {
  auto id = make_user("dave", "daves passphrase");
  // GIVEN an anonymous session with some data (a key an attacker could have planted)
  auto r1 = request();
  auto first = send(r1, [](http::Request& req) {
    auth::session(req).set("theme", "dark");
    return http::Response::text(200, "");
  });
  const std::string planted = cookie_value(first);
  ASSERT_EQ(planted.size(), 64u);
  EXPECT_NE(set_cookie(first).find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie(first).find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(set_cookie(first).find("Secure"), std::string::npos);
  EXPECT_EQ(session_rows(), 1);
  {  // only the key's hash is stored
    auto lease = pool_->acquire();
    EXPECT_FALSE(
        lease->query_optional("SELECT 1 FROM mysite_session WHERE session_key = ?", planted));
  }
  // WHEN the visitor logs in
  auto r2 = request(planted);
  auto second = send(r2, [&](http::Request& req) {
    auto lease = pool_->acquire();
    auth::login(req, *lease, *auth::find_user_by_id(*lease, id), kSecretKey);
    return http::Response::text(200, "");
  });
  const std::string after = cookie_value(second);
  // THEN the key changed, the old one opens nothing, data survived
  ASSERT_EQ(after.size(), 64u);
  EXPECT_NE(after, planted);
  EXPECT_EQ(session_rows(), 1);
  auto r3 = request(after);
  send(r3, [&](http::Request& req) {
    const auth::User* u = auth::user(req);
    EXPECT_TRUE(u && u->username == "dave");
    EXPECT_EQ(auth::session(req).get("theme").value_or(""), "dark");
    return http::Response::text(200, "");
  });
  auto r4 = request(planted);
  send(r4, [&](http::Request& req) {
    EXPECT_EQ(auth::user(req), nullptr);
    return http::Response::text(200, "");
  });
  {
    auto lease = pool_->acquire();
    EXPECT_TRUE(auth::find_user_by_id(*lease, id)->last_login.has_value());
  }
  // WHEN the user logs out THEN the row is gone and the cookie deleted
  auto r5 = request(after);
  auto out = send(r5, [](http::Request& req) {
    auth::logout(req);
    return http::Response::text(200, "");
  });
  EXPECT_EQ(session_rows(), 0);
  EXPECT_NE(set_cookie(out).find("Max-Age=0"), std::string::npos) << set_cookie(out);
}

TEST_P(AuthDb, PasswordChangeEndsOtherSessions) {
  auto id = make_user("erin", "erins passphrase");
  auto r1 = request();
  auto in = send(r1, [&](http::Request& req) {
    auto lease = pool_->acquire();
    auth::login(req, *lease, *auth::find_user_by_id(*lease, id), kSecretKey);
    return http::Response::text(200, "");
  });
  {
    auto lease = pool_->acquire();
    auth::set_password(*lease, id, "a new passphrase", fast());
  }
  auto r2 = request(cookie_value(in));
  send(r2, [](http::Request& req) {
    EXPECT_EQ(auth::user(req), nullptr);
    return http::Response::text(200, "");
  });
}

TEST_P(AuthDb, AbsoluteAndIdleExpiryAreEnforcedOnTheServer) {
  session_options.idle_timeout = 1800;
  auto store = [&]() {
    auto r = request();
    return cookie_value(send(r, [](http::Request& req) {
      auth::session(req).set("k", "v");
      return http::Response::text(200, "");
    }));
  };
  auto has_data = [&](const std::string& key) {
    auto r = request(key);
    bool found = false;
    send(r, [&](http::Request& req) {
      found = auth::session(req).get("k").has_value();
      return http::Response::text(200, "");
    });
    return found;
  };
  // Idle: active every 1799 s survives; 1800 s of silence ends it.
  auto key = store();
  for (int i = 0; i < 3; ++i) {
    clock_ += 1799;
    EXPECT_TRUE(has_data(key)) << i;
  }
  clock_ += 1800;
  EXPECT_FALSE(has_data(key));
  EXPECT_EQ(session_rows(), 0);
  // Absolute: even an active session ends SESSION_COOKIE_AGE after it began.
  session_options.idle_timeout = 0;
  key = store();
  clock_ += 1209599;
  EXPECT_TRUE(has_data(key));
  clock_ += 1;
  EXPECT_FALSE(has_data(key));
  {
    auto lease = pool_->acquire();
    store();
    clock_ += 2000000;
    EXPECT_EQ(auth::clear_expired_sessions(*lease, clock_), 1);
  }
}

TEST_P(AuthDb, SecureCookieOnlyOverHttpsFromTrustedProxies) {
  auto store = [&](http::Request r) {
    return set_cookie(send(r, [](http::Request& req) {
      auth::session(req).set("k", "v");
      return http::Response::text(200, "");
    }));
  };
  auto plain = request();
  plain.headers.set("X-Forwarded-Proto", "https");  // forged: no X-Forwarded-For from our proxy
  EXPECT_EQ(store(plain).find("Secure"), std::string::npos);
  auto proxied = request();
  proxied.headers.set("X-Forwarded-For", "1.2.3.4");
  proxied.headers.set("X-Forwarded-Proto", "https");
  EXPECT_NE(store(proxied).find("; Secure"), std::string::npos);
}

TEST_P(AuthDb, GuardsRedirectAnonymousAndRefuseTheUnprivileged) {
  auto id = make_user("frank", "franks passphrase");
  auto view = [](http::Request&) { return http::Response::text(200, "secret"); };
  auto guarded = auth::staff_required(view, "/admin/login/");
  auto r = request();
  r.path = "/admin/x/";
  r.query = "a=1";
  auto response = send(r, guarded);
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location").value_or(""), "/admin/login/?next=/admin/x/%3Fa%3D1");
  auto login = request();
  auto in = send(login, [&](http::Request& req) {
    auto lease = pool_->acquire();
    auth::login(req, *lease, *auth::find_user_by_id(*lease, id), kSecretKey);
    return http::Response::text(200, "");
  });
  auto r2 = request(cookie_value(in));
  EXPECT_EQ(send(r2, guarded).status, 302);  // not staff
  auto r3 = request(cookie_value(in));
  EXPECT_EQ(send(r3, auth::login_required(view, "/login/")).status, 200);
  auto r4 = request(cookie_value(in));
  EXPECT_EQ(send(r4, auth::permission_required(view, "fortunes.view_fortune", "/login/")).status,
            403);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthDb,
                         ::testing::Values(BackendParam{"Sqlite", db::testing::make_sqlite_backend},
                                           BackendParam{"MariaDb",
                                                        db::testing::make_mariadb_backend}),
                         db::testing::backend_param_name);

// ---- throttling, kept in the database: the rules of auth/throttle.hpp

class ThrottleDb : public AuthDb {
 protected:
  auth::LoginThrottle::Clock::time_point t{std::chrono::seconds(1'700'000'000)};
  auth::LoginThrottle throttle{[this] { return t; }};
  void advance(std::chrono::seconds s) { t += s; }
  std::int64_t check(std::string_view account, std::string_view address) {
    auto lease = pool_->acquire();
    return throttle.check(*lease, account, address).count();
  }
  void fail(std::string_view account, std::string_view address) {
    auto lease = pool_->acquire();
    throttle.record_failure(*lease, account, address);
  }
  void succeed(std::string_view account, std::string_view address) {
    auto lease = pool_->acquire();
    throttle.record_success(*lease, account, address);
  }
};

TEST_P(ThrottleDb, ProgressiveDelayPerAccountAndAddress) {
  for (int i = 0; i < auth::LoginThrottle::kFreeFailures; ++i) {
    EXPECT_EQ(check("alice", "1.1.1.1"), 0) << i;
    fail("alice", "1.1.1.1");
  }
  EXPECT_EQ(check("alice", "1.1.1.1"), 1);
  advance(std::chrono::seconds(1));
  EXPECT_EQ(check("alice", "1.1.1.1"), 0);
  fail("alice", "1.1.1.1");
  EXPECT_EQ(check("alice", "1.1.1.1"), 2);  // doubles
  // Another address is not slowed for this account; the name's case does not matter.
  EXPECT_EQ(check("ALICE", "2.2.2.2"), 0);
  EXPECT_EQ(check("ALICE", "1.1.1.1"), 2);
  // The delay is capped.
  for (int i = 0; i < 20; ++i) fail("alice", "1.1.1.1");
  EXPECT_EQ(check("alice", "1.1.1.1"), auth::LoginThrottle::kMaxDelay.count());
  // Failures older than the window no longer count.
  advance(auth::LoginThrottle::kWindow);
  EXPECT_EQ(check("alice", "1.1.1.1"), 0);
}

TEST_P(ThrottleDb, AddressSprayingIsSlowed) {
  for (int i = 0; i < auth::LoginThrottle::kAddressFreeFailures; ++i)
    fail("user" + std::to_string(i), "9.9.9.9");
  EXPECT_GT(check("someone-new", "9.9.9.9"), 0);
  EXPECT_EQ(check("someone-new", "8.8.8.8"), 0);
}

TEST_P(ThrottleDb, AccountCapButTheKnownAddressStillGetsIn) {
  // GIVEN alice logged in from her address before
  succeed("alice", "1.1.1.1");
  // WHEN an attacker fails 100 times from 100 addresses within the hour
  for (std::int64_t i = 0; i < auth::LoginThrottle::kMaxAccountFailures - 1; ++i)
    fail("alice", "6.6." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  EXPECT_EQ(check("alice", "7.7.7.7"), 0);  // 99 failures: still allowed
  advance(std::chrono::seconds(60));
  fail("alice", "6.6.9.9");
  // THEN new addresses are refused until enough failures are an hour old
  EXPECT_EQ(check("alice", "7.7.7.7"),
            (auth::LoginThrottle::kWindow - std::chrono::seconds(60)).count());
  // BUT alice from her known address is not locked out
  EXPECT_EQ(check("alice", "1.1.1.1"), 0);
  advance(auth::LoginThrottle::kWindow - std::chrono::seconds(60));  // the first 99 age out
  EXPECT_EQ(check("alice", "7.7.7.7"), 0);
}

TEST_P(ThrottleDb, OneIpv6Slash64IsOneAddress) {
  // Rotating through a /64 (2^64 addresses one host holds) does not reset the count.
  for (int i = 0; i < auth::LoginThrottle::kFreeFailures; ++i)
    fail("bob", "2001:db8:1:2::" + std::to_string(i + 1));
  EXPECT_GT(check("bob", "2001:db8:1:2::ffff"), 0);
  EXPECT_EQ(check("bob", "2001:db8:1:3::1"), 0);
}

TEST_P(ThrottleDb, SuccessClearsThePairAndIsRecordedOnce) {
  for (int i = 0; i < 5; ++i) fail("bob", "1.1.1.1");
  EXPECT_GT(check("bob", "1.1.1.1"), 0);
  succeed("bob", "1.1.1.1");
  succeed("bob", "1.1.1.1");  // again: the known address is updated, not duplicated
  EXPECT_EQ(check("bob", "1.1.1.1"), 0);
  auto lease = pool_->acquire();
  EXPECT_EQ(
      lease->query_row("SELECT COUNT(*) FROM mysite_login_known_address").get<std::int64_t>(0), 1);
}

TEST_P(ThrottleDb, TwoThrottlesOnOneDatabaseEnforceOneLimit) {
  // Two tasks: each its own LoginThrottle (and process memory), one database.
  auth::LoginThrottle other{[this] { return t; }};
  auto lease = pool_->acquire();
  throttle.record_failure(*lease, "carol", "3.3.3.3");
  other.record_failure(*lease, "carol", "3.3.3.3");
  throttle.record_failure(*lease, "carol", "3.3.3.3");
  EXPECT_GT(other.check(*lease, "carol", "3.3.3.3").count(), 0);
  EXPECT_GT(throttle.check(*lease, "carol", "3.3.3.3").count(), 0);
  // A new process (a restarted task) remembers it too.
  auth::LoginThrottle restarted{[this] { return t; }};
  EXPECT_GT(restarted.check(*lease, "carol", "3.3.3.3").count(), 0);
}

TEST_P(ThrottleDb, OldRowsArePrunedAfterAFailure) {
  fail("dan", "4.4.4.4");
  advance(auth::LoginThrottle::kWindow + std::chrono::seconds(61));
  fail("dan", "4.4.4.5");  // the minute since the last pruning has passed: the hour-old row goes
  auto lease = pool_->acquire();
  EXPECT_EQ(lease->query_row("SELECT COUNT(*) FROM mysite_login_failure").get<std::int64_t>(0), 1);
}

TEST_P(ThrottleDb, AnyBytesAsNameOrAddressAreStoredSafely) {
  // Not UTF-8, very long, quotes: the tables hold hashes and printable addresses only.
  const std::string junk = std::string("\xff\xfe'\"; DROP TABLE x; --") + std::string(5000, 'a');
  for (int i = 0; i < auth::LoginThrottle::kFreeFailures; ++i) fail(junk, junk);
  EXPECT_GT(check(junk, junk), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ThrottleDb,
                         ::testing::Values(BackendParam{"Sqlite", db::testing::make_sqlite_backend},
                                           BackendParam{"MariaDb",
                                                        db::testing::make_mariadb_backend}),
                         db::testing::backend_param_name);

}  // namespace
