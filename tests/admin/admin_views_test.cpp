// The admin site through the real middleware pipeline (sessions, auth, CSRF, error pages) and
// router, without sockets: permission rules, the change list's search/order/pagination, add
// with errors beside the fields, change, delete with confirmation, the log, and escaping.
// Runs on SQLite always and on MariaDB when run by tests/tools/with_mariadb.sh.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "admin/crud.hpp"
#include "admin/views.hpp"
#include "auth/csrf.hpp"
#include "auth/session.hpp"
#include "auth/user.hpp"
#include "backend.hpp"
#include "db/pool.hpp"
#include "http/form.hpp"
#include "http/pipeline.hpp"

namespace {

using db::testing::BackendParam;

constexpr const char* kSecretKey = "admin-test-secret-key";
const std::string kPassword = "correct horse battery staple";

auth::HasherPolicy fast() {
  auth::HasherPolicy p;
  p.pbkdf2_iterations = 1000;
  return p;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class AdminViews : public ::testing::TestWithParam<BackendParam> {
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
    lease->execute(
        backend_->sql("CREATE TABLE fortune (id INTEGER PRIMARY KEY AUTOINCREMENT, message "
                      "VARCHAR(2048) NOT NULL)",
                      "CREATE TABLE fortune (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message "
                      "VARCHAR(2048) NOT NULL) "
                      "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));
    lease->execute(
        "INSERT INTO fortune (id, message) VALUES (1, 'Any program that runs right is obsolete.')");
    lease->execute(
        "INSERT INTO fortune (id, message) VALUES (2, '<script>alert(\"This should not be "
        "displayed in a browser alert box.\");</script>')");

    site_.register_model(admin::user_model_admin());
    site_.register_model({.app_label = "fortunes",
                          .model_name = "fortune",
                          .table = "fortune",
                          .fields = {{.name = "message", .label = "Message", .max_length = 2048}},
                          .list_display = {"id", "message"},
                          .search_fields = {"message"},
                          .ordering = "id"});
    templates::EngineOptions engine_options;
    engine_options.dirs = {MYSITE_ADMIN_TEMPLATES};
    engine_ = std::make_unique<templates::Engine>(std::move(engine_options));
    auth::AuthenticatorOptions authenticator_options;
    authenticator_options.policy = fast();
    authenticator_ = std::make_unique<auth::Authenticator>(std::move(authenticator_options));
    router_.include("admin/", admin::admin_urls(site_, *pool_, *engine_, *authenticator_,
                                                {.secret_key = kSecretKey}));

    http::PipelineOptions pipeline;
    pipeline.host_names = {"example.com"};
    pipeline.access_log = false;
    pipeline.error_sink = [](std::string_view) {};
    pipeline.site_layers.push_back(auth::session_middleware(*pool_, {}));
    pipeline.site_layers.push_back(auth::auth_middleware(kSecretKey));
    pipeline.site_layers.push_back(auth::csrf_middleware({}));
    handler_ = http::default_pipeline(std::move(pipeline),
                                      [this](http::Request& r) { return router_.dispatch(r); });
    cookies_["csrftoken"] = "abcdefghijklmnopqrstuvwxyzABCDEF";
  }
  void TearDown() override {
    handler_ = nullptr;
    pool_.reset();
    backend_.reset();
  }

  std::int64_t make_user(const std::string& name, bool staff, bool superuser = false) {
    auto lease = pool_->acquire();
    auth::User user;
    user.username = name;
    user.is_superuser = superuser;
    user.is_staff = staff;
    return auth::create_user(*lease, user, kPassword, fast());
  }

  // One request through the pipeline, with this test's cookie jar.
  http::Response send(const std::string& method, const std::string& target,
                      const std::string& body = "") {
    http::Request r;
    r.method = method;
    http::set_target(r, target);
    r.remote_address = "127.0.0.1";
    r.headers.set("Host", "example.com");
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) r.headers.set("Cookie", cookie);
    if (method == "POST") {
      r.headers.set("Content-Type", "application/x-www-form-urlencoded");
      r.body = body + (body.empty() ? "" : "&") +
               "csrfmiddlewaretoken=" + auth::mask_csrf_secret(cookies_["csrftoken"]);
    }
    auto response = handler_(r);
    for (const auto& h : response.headers) {
      if (!http::iequals(h.name, "Set-Cookie")) continue;
      const auto eq = h.value.find('=');
      const auto semi = h.value.find(';');
      std::string name = h.value.substr(0, eq), value = h.value.substr(eq + 1, semi - eq - 1);
      if (value.empty() || contains(h.value, "Max-Age=0"))
        cookies_.erase(name);
      else
        cookies_[name] = value;
    }
    return response;
  }
  static std::string form(std::initializer_list<std::pair<std::string, std::string>> fields) {
    std::string out;
    for (const auto& [k, v] : fields)
      out += (out.empty() ? "" : "&") + k + "=" + http::percent_encode(v, "");
    return out;
  }
  http::Response log_in(const std::string& name) {
    return send("POST", "/admin/login/",
                form({{"username", name}, {"password", kPassword}, {"next", "/admin/"}}));
  }
  std::string fortune(std::int64_t id) {
    auto lease = pool_->acquire();
    auto row = lease->query_optional("SELECT message FROM fortune WHERE id = ?", id);
    return row ? row->get<std::string>(0) : "<deleted>";
  }

  std::unique_ptr<db::testing::Backend> backend_;
  std::unique_ptr<db::Pool> pool_;
  admin::Site site_;
  std::unique_ptr<templates::Engine> engine_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  http::Router router_;
  http::Handler handler_;
  std::map<std::string, std::string> cookies_;
};

// ---- who gets in ----

TEST_P(AdminViews, AnonymousIsSentToTheLoginPageWithNext) {
  for (const std::string path :
       {"/admin/", "/admin/fortunes/fortune/", "/admin/fortunes/fortune/1/change/"}) {
    auto r = send("GET", path);
    EXPECT_EQ(r.status, 302) << path;
    EXPECT_EQ(r.headers.get("Location").value_or(""),
              "/admin/login/?next=" + http::percent_encode(path))
        << path;
  }
  auto login = send("GET", "/admin/login/?next=/admin/fortunes/fortune/");
  EXPECT_EQ(login.status, 200);
  EXPECT_TRUE(contains(login.body, "name=\"csrfmiddlewaretoken\""));
  EXPECT_TRUE(contains(login.body, "value=\"/admin/fortunes/fortune/\""));
}

TEST_P(AdminViews, LoginRedirectsToNextButNeverOffSite) {
  make_user("boss", true, true);
  auto r = send(
      "POST", "/admin/login/",
      form({{"username", "boss"}, {"password", kPassword}, {"next", "/admin/fortunes/fortune/"}}));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/");
  send("POST", "/admin/logout/");
  r = send("POST", "/admin/login/",
           form({{"username", "boss"}, {"password", kPassword}, {"next", "//evil.example/"}}));
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/");
}

TEST_P(AdminViews, WrongPasswordShowsTheFormAgain) {
  make_user("boss", true, true);
  auto r = send("POST", "/admin/login/", form({{"username", "boss"}, {"password", "nope"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(
      contains(r.body, "Please enter the correct username and password for a staff account"));
  EXPECT_EQ(send("GET", "/admin/").status, 302);
}

TEST_P(AdminViews, NonStaffUserIsSentToTheLoginPage) {
  make_user("visitor", false);
  auto r = log_in("visitor");
  EXPECT_EQ(r.status, 200);  // the form again, not logged in
  EXPECT_TRUE(contains(r.body, "staff account"));
  EXPECT_EQ(send("GET", "/admin/").status, 302);
}

TEST_P(AdminViews, InactiveStaffUserIsSentToTheLoginPage) {
  auto id = make_user("gone", true, true);
  {
    auto lease = pool_->acquire();
    auto u = *auth::find_user_by_id(*lease, id);
    u.is_active = false;
    auth::update_user(*lease, u);
  }
  log_in("gone");
  EXPECT_EQ(send("GET", "/admin/").status, 302);
}

TEST_P(AdminViews, StaffWithoutPermissionGets403AndSeesNoModels) {
  auto id = make_user("clerk", true);
  ASSERT_EQ(log_in("clerk").status, 302);
  auto index = send("GET", "/admin/");
  EXPECT_EQ(index.status, 200);
  EXPECT_FALSE(contains(index.body, "/admin/fortunes/fortune/"));
  EXPECT_TRUE(contains(index.body, "permission to view or edit anything"));
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/").status, 403);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/add/").status, 403);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/1/change/").status, 403);
  EXPECT_EQ(send("POST", "/admin/fortunes/fortune/1/delete/").status, 403);
  EXPECT_EQ(send("GET", "/admin/auth/user/").status, 403);
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");

  {
    auto lease = pool_->acquire();
    auth::grant_perm(*lease, id, "fortunes.view_fortune");
  }
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/").status, 200);
  EXPECT_TRUE(contains(send("GET", "/admin/").body, "/admin/fortunes/fortune/"));
  // The view permission: the change page, read-only, and nothing may be posted to it.
  auto view = send("GET", "/admin/fortunes/fortune/1/change/");
  EXPECT_EQ(view.status, 200);
  EXPECT_TRUE(contains(view.body, "<h1>View fortune</h1>"));
  EXPECT_TRUE(contains(view.body, "<div class=\"readonly\" id=\"id_message\">Any program"));
  EXPECT_FALSE(contains(view.body, "<textarea"));
  EXPECT_FALSE(contains(view.body, "name=\"_save\""));
  EXPECT_FALSE(contains(view.body, "deletelink"));
  EXPECT_EQ(send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", "x"}})).status,
            403);
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/1/history/").status, 200);
  EXPECT_EQ(send("GET", "/admin/auth/user/").status, 403);
  {
    auto lease = pool_->acquire();
    auth::grant_perm(*lease, id, "fortunes.change_fortune");
  }
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/1/change/").status, 200);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/1/delete/").status, 403);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/add/").status, 403);
}

TEST_P(AdminViews, SuperuserSeesEveryModel) {
  make_user("boss", true, true);
  ASSERT_EQ(log_in("boss").status, 302);
  auto index = send("GET", "/admin/");
  EXPECT_EQ(index.status, 200);
  EXPECT_TRUE(contains(index.body, "/admin/auth/user/"));
  EXPECT_TRUE(contains(index.body, "/admin/fortunes/fortune/"));
  EXPECT_EQ(send("GET", "/admin/auth/user/").status, 200);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/add/").status, 200);
  EXPECT_EQ(send("GET", "/admin/nothing/here/").status, 404);
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/999/change/").status, 404);
}

TEST_P(AdminViews, UnsafeMethodsNeedTheCsrfToken) {
  make_user("boss", true, true);
  log_in("boss");
  http::Request r;
  r.method = "POST";
  http::set_target(r, "/admin/fortunes/fortune/1/delete/");
  r.headers.set("Host", "example.com");
  r.headers.set("Cookie",
                "sessionid=" + cookies_["sessionid"] + "; csrftoken=" + cookies_["csrftoken"]);
  EXPECT_EQ(handler_(r).status, 403);
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");
}

TEST_P(AdminViews, LogoutEndsTheSession) {
  make_user("boss", true, true);
  log_in("boss");
  EXPECT_EQ(send("GET", "/admin/").status, 200);
  auto out = send("POST", "/admin/logout/");
  EXPECT_EQ(out.status, 302);
  EXPECT_EQ(out.headers.get("Location").value_or(""), "/admin/login/");
  EXPECT_EQ(send("GET", "/admin/").status, 302);
  EXPECT_EQ(send("GET", "/admin/logout/").status, 405);  // POST only
}

// ---- change list ----

TEST_P(AdminViews, ChangeListPaginatesAHundredPerPage) {
  make_user("boss", true, true);
  log_in("boss");
  {
    auto lease = pool_->acquire();
    for (int i = 0; i < 248; ++i)
      lease->execute("INSERT INTO fortune (message) VALUES (?)",
                     "bulk " + std::to_string(1000 + i));
  }
  auto first = send("GET", "/admin/fortunes/fortune/");
  EXPECT_TRUE(contains(first.body, "Page 1 of 3")) << first.body;
  EXPECT_TRUE(contains(first.body, "250 fortunes"));
  EXPECT_TRUE(contains(first.body, "bulk 1097"));
  EXPECT_FALSE(contains(first.body, "bulk 1098"));  // id 100 is bulk 1097 (two seeded rows first)
  auto third = send("GET", "/admin/fortunes/fortune/?p=3");
  EXPECT_TRUE(contains(third.body, "Page 3 of 3"));
  EXPECT_TRUE(contains(third.body, "bulk 1247"));
  EXPECT_FALSE(contains(third.body, "bulk 1197"));
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/?p=99").body, "Page 3 of 3"));
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/?p=junk").body, "Page 1 of 3"));
}

TEST_P(AdminViews, ChangeListSearchEscapesWildcards) {
  make_user("boss", true, true);
  log_in("boss");
  {
    auto lease = pool_->acquire();
    lease->execute(
        "INSERT INTO fortune (message) VALUES ('100% sure'), ('1000 things'), ('a_b'), ('axb')");
  }
  auto r = send("GET", "/admin/fortunes/fortune/?q=" + http::percent_encode("100%", ""));
  EXPECT_TRUE(contains(r.body, "100% sure"));
  EXPECT_FALSE(contains(r.body, "1000 things"));
  EXPECT_TRUE(contains(r.body, "1 fortunes"));
  r = send("GET", "/admin/fortunes/fortune/?q=a_b");
  EXPECT_TRUE(contains(r.body, "a_b"));
  EXPECT_FALSE(contains(r.body, "axb"));
  r = send("GET", "/admin/fortunes/fortune/?q=PROGRAM");  // case-insensitive
  EXPECT_TRUE(contains(r.body, "Any program"));
  r = send("GET", "/admin/fortunes/fortune/?q=" + http::percent_encode("' OR 1=1 --", ""));
  EXPECT_TRUE(contains(r.body, "0 fortunes"));
}

TEST_P(AdminViews, ChangeListOrdersOnlyByListedColumns) {
  make_user("boss", true, true);
  make_user("alice", true);
  make_user("zed", true);
  log_in("boss");
  auto position = [](const std::string& body, const std::string& text) { return body.find(text); };
  auto asc = send("GET", "/admin/auth/user/?o=username").body;
  EXPECT_LT(position(asc, ">alice<"), position(asc, ">zed<"));
  auto desc = send("GET", "/admin/auth/user/?o=-username").body;
  EXPECT_GT(position(desc, ">alice<"), position(desc, ">zed<"));
  EXPECT_TRUE(contains(desc, "class=\"descending\""));
  // Not in list_display: the default ordering (username ascending), never the column.
  EXPECT_EQ(admin::effective_ordering(*site_.find("auth", "user"), "password"), "username");
  EXPECT_EQ(admin::effective_ordering(*site_.find("auth", "user"), "-id; DROP TABLE auth_user"),
            "username");
  auto bogus =
      send("GET", "/admin/auth/user/?o=" + http::percent_encode("id; DROP TABLE auth_user", ""));
  EXPECT_EQ(bogus.status, 200);
  EXPECT_LT(position(bogus.body, ">alice<"), position(bogus.body, ">zed<"));
}

// ---- add, change, delete, log ----

TEST_P(AdminViews, AddShowsErrorsBesideTheFields) {
  make_user("boss", true, true);
  log_in("boss");
  auto r = send("POST", "/admin/fortunes/fortune/add/", form({{"message", ""}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Please correct the errors below."));
  auto field = r.body.find("field-message errors");
  ASSERT_NE(field, std::string::npos) << r.body;
  EXPECT_NE(r.body.find("This field is required.", field), std::string::npos);

  r = send("POST", "/admin/fortunes/fortune/add/", form({{"message", std::string(2049, 'x')}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "at most 2048 characters (it has 2049)"));
  EXPECT_EQ(
      send("POST", "/admin/fortunes/fortune/add/", form({{"message", std::string(2048, 'x')}}))
          .status,
      302);

  r = send("POST", "/admin/auth/user/add/",
           form({{"username", "bad name!"}, {"email", "not-an-address"}, {"is_staff", "1"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Enter a valid username."));
  EXPECT_TRUE(contains(r.body, "Enter a valid email address."));
  EXPECT_TRUE(contains(r.body, "value=\"bad name!\""));  // what was typed comes back, escaped
  EXPECT_TRUE(contains(r.body, "id=\"id_is_staff\" value=\"1\" checked"));
}

TEST_P(AdminViews, AddWritesTheRowAndALogEntry) {
  auto boss = make_user("boss", true, true);
  log_in("boss");
  auto r = send("POST", "/admin/fortunes/fortune/add/", form({{"message", "Fresh fortune"}}));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/");
  const std::string fresh = "Fresh-Start-2026";
  r = send("POST", "/admin/auth/user/add/",
           form({{"username", "newbie"},
                 {"email", "New@Example.COM"},
                 {"is_active", "1"},
                 {"password1", fresh},
                 {"password2", fresh}}));
  EXPECT_EQ(r.status, 302);
  auto user_lease = std::make_unique<db::Pool::Lease>(pool_->acquire());
  auto& lease = *user_lease;
  auto user = auth::find_user(*lease, "newbie");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->email, "New@example.com");
  EXPECT_TRUE(auth::check_password(fresh, user->password, fast()).ok) << user->password;
  EXPECT_FALSE(user->is_staff);
  EXPECT_EQ(r.headers.get("Location").value_or(""),
            "/admin/auth/user/" + std::to_string(user->id) + "/change/");
  auto log = auth::recent_log_entries(*lease, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].object_type, "auth.user");
  EXPECT_EQ(log[0].object_repr, "newbie");
  EXPECT_EQ(log[0].action_flag, 1);
  EXPECT_EQ(log[0].user_id, boss);
  EXPECT_EQ(log[1].object_repr, "Fresh fortune");
  // A second user with the same name is a form error, not a 500.
  user_lease.reset();
  r = send("POST", "/admin/auth/user/add/",
           form({{"username", "newbie"}, {"password1", fresh}, {"password2", fresh}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "already exists"));
}

TEST_P(AdminViews, AddingAUserAsksForThePasswordTwiceAndValidatesIt) {
  make_user("boss", true, true);
  log_in("boss");
  auto page = send("GET", "/admin/auth/user/add/");
  EXPECT_TRUE(contains(page.body, "name=\"password1\""));
  EXPECT_TRUE(contains(page.body, "name=\"password2\""));
  EXPECT_FALSE(contains(send("GET", "/admin/fortunes/fortune/add/").body, "password1"));
  auto r = send("POST", "/admin/auth/user/add/", form({{"username", "carol"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "field-password1 errors"));
  r = send(
      "POST", "/admin/auth/user/add/",
      form(
          {{"username", "carol"}, {"password1", "Long-Enough-1"}, {"password2", "Long-Enough-2"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "The two password fields didn’t match."));
  r = send("POST", "/admin/auth/user/add/",
           form({{"username", "carol"}, {"password1", "password"}, {"password2", "password"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "This password is too common."));
  EXPECT_FALSE(contains(r.body, "value=\"password\""));  // a password is never sent back
  auto lease = pool_->acquire();
  EXPECT_FALSE(auth::find_user(*lease, "carol"));  // nothing was written
}

TEST_P(AdminViews, ChangeUpdatesTheRowAndLogsWhatChanged) {
  make_user("boss", true, true);
  log_in("boss");
  auto form_page = send("GET", "/admin/fortunes/fortune/1/change/");
  EXPECT_TRUE(contains(form_page.body, ">Any program that runs right is obsolete.</textarea>"));
  auto r =
      send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", "Changed & saved"}}));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(fortune(1), "Changed & saved");
  auto index = send("GET", "/admin/");
  EXPECT_TRUE(contains(index.body, "Changed &amp; saved"));
  EXPECT_TRUE(contains(index.body, "Changed Message."));
  EXPECT_TRUE(contains(index.body, "boss"));
  auto lease = pool_->acquire();
  auto log = auth::recent_log_entries(*lease, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action_flag, 2);
  EXPECT_EQ(log[0].object_id, "1");
}

TEST_P(AdminViews, EachSaveSaysSoOnceAndTheButtonChoosesTheNextPage) {
  make_user("boss", true, true);
  log_in("boss");
  auto page = send("GET", "/admin/fortunes/fortune/add/");
  EXPECT_TRUE(contains(page.body, "name=\"_addanother\""));
  EXPECT_TRUE(contains(page.body, "name=\"_continue\""));
  // Save: back to the list, which says what happened, once.
  auto r = send("POST", "/admin/fortunes/fortune/add/", form({{"message", "One <b>"}}));
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/");
  auto list = send("GET", "/admin/fortunes/fortune/");
  EXPECT_TRUE(contains(list.body,
                       "<li class=\"success\">The fortune \u201cOne &lt;b&gt;\u201d was added "
                       "successfully.</li>"))
      << list.body;
  EXPECT_FALSE(contains(send("GET", "/admin/fortunes/fortune/").body, "was added successfully"));
  // Save and add another: the empty form again.
  r = send("POST", "/admin/fortunes/fortune/add/",
           form({{"message", "Two"}, {"_addanother", "1"}}));
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/add/");
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/add/").body,
                       "was added successfully. You may add another fortune below."));
  // Save and continue editing: the same object's form.
  r = send("POST", "/admin/fortunes/fortune/1/change/",
           form({{"message", "Edited"}, {"_continue", "1"}}));
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/1/change/");
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/1/change/").body,
                       "The fortune \u201cEdited\u201d was changed successfully. You may edit it "
                       "again below."));
  // Delete.
  send("POST", "/admin/fortunes/fortune/1/delete/");
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/").body,
                       "The fortune \u201cEdited\u201d was deleted successfully."));
}

TEST_P(AdminViews, SaveAndAddAnotherNeedsTheAddPermission) {
  auto editor = make_user("editor", true);
  {
    auto lease = pool_->acquire();
    auth::grant_perm(*lease, editor, "fortunes.change_fortune");
  }
  log_in("editor");
  EXPECT_FALSE(contains(send("GET", "/admin/fortunes/fortune/1/change/").body, "_addanother"));
  auto r = send("POST", "/admin/fortunes/fortune/1/change/",
                form({{"message", "By the editor"}, {"_addanother", "1"}}));
  EXPECT_EQ(r.headers.get("Location").value_or(""), "/admin/fortunes/fortune/");
}

TEST_P(AdminViews, DeleteSelectedAsksFirstThenDeletesThemAllAndSaysHowMany) {
  make_user("boss", true, true);
  log_in("boss");
  auto list = send("GET", "/admin/fortunes/fortune/");
  EXPECT_TRUE(
      contains(list.body, "<option value=\"delete_selected\">Delete selected fortunes</option>"));
  EXPECT_TRUE(contains(list.body, "name=\"_selected_action\" value=\"2\""));
  const std::string selected = form({{"action", "delete_selected"},
                                     {"_selected_action", "1"},
                                     {"_selected_action", "2"},
                                     {"_selected_action", "999"}});
  auto confirm = send("POST", "/admin/fortunes/fortune/", selected);
  EXPECT_EQ(confirm.status, 200);
  EXPECT_TRUE(contains(confirm.body, "Are you sure you want to delete the selected fortunes?"));
  EXPECT_TRUE(contains(confirm.body, "Any program that runs right is obsolete."));
  EXPECT_TRUE(contains(confirm.body, "&lt;script&gt;"));              // escaped, as everywhere
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");  // nothing deleted yet
  auto r = send("POST", "/admin/fortunes/fortune/", selected + "&post=yes");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(fortune(1), "<deleted>");
  EXPECT_EQ(fortune(2), "<deleted>");
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/").body,
                       "<li class=\"success\">Successfully deleted 2 fortunes.</li>"));
  auto lease = pool_->acquire();
  auto log = auth::recent_log_entries(*lease, 5);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action_flag, 3);
  EXPECT_EQ(log[1].action_flag, 3);
}

TEST_P(AdminViews, DeleteSelectedNeedsASelectionAnActionAndThePermission) {
  auto viewer = make_user("viewer", true);
  {
    auto lease = pool_->acquire();
    auth::grant_perm(*lease, viewer, "fortunes.change_fortune");
  }
  make_user("boss", true, true);
  log_in("boss");
  send("POST", "/admin/fortunes/fortune/", form({{"action", "delete_selected"}}));
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/").body,
                       "Items must be selected in order to perform actions on them."));
  send("POST", "/admin/fortunes/fortune/", form({{"_selected_action", "1"}}));
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/").body, "No action selected."));
  EXPECT_EQ(send("POST", "/admin/fortunes/fortune/", form({{"action", "drop_table"}})).status, 400);
  send("POST", "/admin/logout/");
  log_in("viewer");
  EXPECT_FALSE(contains(send("GET", "/admin/fortunes/fortune/").body, "delete_selected"));
  EXPECT_EQ(send("POST", "/admin/fortunes/fortune/",
                 form({{"action", "delete_selected"}, {"_selected_action", "1"}, {"post", "yes"}}))
                .status,
            403);
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");
}

TEST_P(AdminViews, HistoryListsTheObjectsLogEntriesOldestFirst) {
  make_user("boss", true, true);
  log_in("boss");
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/1/history/").body,
                       "This object doesn’t have a change history."));
  send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", "First edit"}}));
  send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", "First edit"}}));
  send("POST", "/admin/fortunes/fortune/2/change/", form({{"message", "Other object"}}));
  send("GET", "/admin/");  // shows (and so clears) the messages of those saves
  auto page = send("GET", "/admin/fortunes/fortune/1/history/");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Change history: First edit"));
  const auto changed = page.body.find("Changed Message.");
  const auto nothing = page.body.find("No fields changed.");
  EXPECT_NE(changed, std::string::npos);
  EXPECT_NE(nothing, std::string::npos);
  EXPECT_LT(changed, nothing);  // oldest first
  EXPECT_TRUE(contains(page.body, "<td>boss</td>"));
  EXPECT_FALSE(contains(page.body, "Other object"));
  EXPECT_TRUE(contains(send("GET", "/admin/fortunes/fortune/1/change/").body,
                       "href=\"/admin/fortunes/fortune/1/history/\""));
  EXPECT_EQ(send("GET", "/admin/fortunes/fortune/999/history/").status, 404);
}

TEST_P(AdminViews, ListFiltersNarrowTheChangeListOnBooleansAndDates) {
  make_user("boss", true, true);
  make_user("alice", true);
  make_user("bob", false);
  {
    auto lease = pool_->acquire();
    lease->execute("UPDATE auth_user SET date_joined = ? WHERE username = ?",
                   std::string("2001-06-15 12:00:00"), std::string("bob"));
  }
  log_in("boss");
  auto all = send("GET", "/admin/auth/user/");
  EXPECT_TRUE(contains(all.body, "id=\"changelist-filter\""));
  EXPECT_TRUE(contains(all.body, ">Past 7 days</a>"));
  EXPECT_TRUE(contains(all.body, "<li class=\"selected\"><a href=\"?\">All</a></li>"));
  const auto listed = [&](const http::Response& page, const std::string& name) {
    return contains(page.body, ">" + name + "</a></th>");
  };
  EXPECT_TRUE(listed(all, "alice") && listed(all, "bob") && listed(all, "boss"));
  auto staff = send("GET", "/admin/auth/user/?is_staff__exact=1");
  EXPECT_TRUE(listed(staff, "alice") && listed(staff, "boss"));
  EXPECT_FALSE(listed(staff, "bob"));
  EXPECT_TRUE(
      contains(staff.body, "<li class=\"selected\"><a href=\"?is_staff__exact=1\">Yes</a>"));
  auto not_staff = send("GET", "/admin/auth/user/?is_staff__exact=0");
  EXPECT_TRUE(listed(not_staff, "bob"));
  EXPECT_FALSE(listed(not_staff, "alice"));
  // Dates: the range is [gte, lt), on both databases' stored datetimes.
  auto joined_2001 =
      send("GET", "/admin/auth/user/?date_joined__gte=2001-01-01&date_joined__lt=2002-01-01");
  EXPECT_TRUE(listed(joined_2001, "bob"));
  EXPECT_FALSE(listed(joined_2001, "alice"));
  // Combined with a search and another filter, and kept by the search form and the sort links.
  auto both = send("GET", "/admin/auth/user/?q=b&is_staff__exact=1");
  EXPECT_TRUE(listed(both, "boss"));
  EXPECT_FALSE(listed(both, "bob") || listed(both, "alice"));
  EXPECT_TRUE(contains(both.body, "<input type=\"hidden\" name=\"is_staff__exact\" value=\"1\">"));
  EXPECT_TRUE(contains(both.body, "?q=b&amp;is_staff__exact=1&amp;o="));
  // A value that is not a filter's is ignored, never put into SQL.
  auto bogus =
      send("GET", "/admin/auth/user/?is_staff__exact=1%27%20OR%201=1&date_joined__gte=yesterday");
  EXPECT_EQ(bogus.status, 200);
  EXPECT_TRUE(listed(bogus, "alice") && listed(bogus, "bob"));
}

TEST_P(AdminViews, TheIndexShowsOnlyTheUsersOwnActions) {
  // As Django's "My actions": a staff user does not learn what other staff users changed.
  make_user("boss", true, true);
  make_user("other", true, true);
  log_in("boss");
  send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", "Changed by the boss"}}));
  EXPECT_TRUE(contains(send("GET", "/admin/").body, "Changed by the boss"));
  send("POST", "/admin/logout/");
  log_in("other");
  auto index = send("GET", "/admin/");
  EXPECT_EQ(index.status, 200);
  EXPECT_FALSE(contains(index.body, "Changed by the boss"));
  EXPECT_TRUE(contains(index.body, "None available"));
}

TEST_P(AdminViews, ChangeWithErrorsKeepsTheRow) {
  make_user("boss", true, true);
  log_in("boss");
  EXPECT_EQ(send("POST", "/admin/fortunes/fortune/1/change/", form({{"message", ""}})).status, 400);
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");
}

TEST_P(AdminViews, DeleteAsksFirstThenDeletes) {
  make_user("boss", true, true);
  log_in("boss");
  auto confirm = send("GET", "/admin/fortunes/fortune/1/delete/");
  EXPECT_EQ(confirm.status, 200);
  EXPECT_TRUE(contains(
      confirm.body,
      "Are you sure you want to delete the fortune “Any program that runs right is obsolete.”?"));
  EXPECT_EQ(fortune(1), "Any program that runs right is obsolete.");
  auto r = send("POST", "/admin/fortunes/fortune/1/delete/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(fortune(1), "<deleted>");
  auto lease = pool_->acquire();
  auto log = auth::recent_log_entries(*lease, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action_flag, 3);
  EXPECT_EQ(log[0].object_repr, "Any program that runs right is obsolete.");
}

TEST_P(AdminViews, DeletingAUserRemovesTheirSessions) {
  make_user("boss", true, true);
  auto victim = make_user("victim", true, true);
  log_in("boss");
  EXPECT_EQ(send("POST", "/admin/auth/user/" + std::to_string(victim) + "/delete/").status, 302);
  auto lease = pool_->acquire();
  EXPECT_FALSE(auth::find_user(*lease, "victim"));
}

TEST_P(AdminViews, SetPasswordHashesAndValidates) {
  make_user("boss", true, true);
  auto id = make_user("staffer", true);
  log_in("boss");
  const std::string url = "/admin/auth/user/" + std::to_string(id) + "/password/";
  auto r = send("POST", url, form({{"new_password1", "12345678"}, {"new_password2", "12345678"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "entirely numeric"));
  r = send("POST", url,
           form({{"new_password1", "a long new secret"}, {"new_password2", "another"}}));
  EXPECT_TRUE(contains(r.body, "didn’t match"));
  r = send("POST", url,
           form({{"new_password1", "a long new secret"}, {"new_password2", "a long new secret"}}));
  EXPECT_EQ(r.status, 302);
  auto lease = pool_->acquire();
  auto user = auth::find_user_by_id(*lease, id);
  EXPECT_TRUE(auth::check_password("a long new secret", user->password, fast()).ok);
  EXPECT_FALSE(contains(send("GET", "/admin/auth/user/" + std::to_string(id) + "/change/").body,
                        user->password));
}

TEST_P(AdminViews, PasswordChangeAsksForTheOldPassword) {
  make_user("boss", true, true);
  log_in("boss");
  auto r = send("POST", "/admin/password_change/",
                form({{"old_password", "wrong"},
                      {"new_password1", "a long new secret"},
                      {"new_password2", "a long new secret"}}));
  EXPECT_TRUE(contains(r.body, "Your old password was entered incorrectly"));
  r = send("POST", "/admin/password_change/",
           form({{"old_password", kPassword},
                 {"new_password1", "a long new secret"},
                 {"new_password2", "a long new secret"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Your password was changed."));
  EXPECT_EQ(send("GET", "/admin/").status, 200);  // still logged in
}

// ---- escaping ----

TEST_P(AdminViews, ScriptInAFortuneIsEscapedInListAndForm) {
  make_user("boss", true, true);
  log_in("boss");
  for (const std::string path : {"/admin/fortunes/fortune/", "/admin/fortunes/fortune/2/change/",
                                 "/admin/fortunes/fortune/2/delete/"}) {
    auto body = send("GET", path).body;
    EXPECT_FALSE(contains(body, "<script>")) << path;
    EXPECT_TRUE(contains(body, "&lt;script&gt;alert(&quot;This should not")) << path;
  }
  send("POST", "/admin/fortunes/fortune/2/change/",
       form({{"message", "<img src=x onerror=alert(1)>"}}));
  EXPECT_FALSE(contains(send("GET", "/admin/").body, "<img src=x"));
  auto search =
      send("GET", "/admin/fortunes/fortune/?q=" + http::percent_encode("\"><script>", ""));
  EXPECT_FALSE(contains(search.body, "\"><script>"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminViews,
                         ::testing::Values(BackendParam{"Sqlite", db::testing::make_sqlite_backend},
                                           BackendParam{"MariaDb",
                                                        db::testing::make_mariadb_backend}),
                         db::testing::backend_param_name);

// ---- the registry ----

TEST(AdminRegistry, ListFiltersMustBeBooleanOrDatetimeFields) {
  admin::Site site;
  EXPECT_THROW(site.register_model({.app_label = "fortunes",
                                    .model_name = "fortune",
                                    .table = "fortune",
                                    .fields = {{.name = "message", .label = "Message"}},
                                    .list_filter = {"message"}}),
               std::invalid_argument);
}

TEST(AdminRegistry, RejectsNamesThatAreNotIdentifiers) {
  admin::Site site;
  auto model = [] {
    return admin::ModelAdmin{
        .app_label = "shop", .model_name = "item", .table = "item", .fields = {{.name = "title"}}};
  };
  auto bad_table = model();
  bad_table.table = "item; DROP TABLE x";
  EXPECT_THROW(site.register_model(bad_table), std::invalid_argument);
  auto bad_field = model();
  bad_field.fields[0].name = "title)";
  EXPECT_THROW(site.register_model(bad_field), std::invalid_argument);
  auto bad_display = model();
  bad_display.list_display = {"price"};
  EXPECT_THROW(site.register_model(bad_display), std::invalid_argument);
  auto bad_order = model();
  bad_order.ordering = "-price";
  EXPECT_THROW(site.register_model(bad_order), std::invalid_argument);
  site.register_model(model());
  EXPECT_THROW(site.register_model(model()), std::invalid_argument);  // twice
  const auto* item = site.find("shop", "item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->verbose_name_plural, "items");
  EXPECT_EQ(item->ordering, "-id");
  EXPECT_EQ(item->permission("change"), "shop.change_item");
}

// The README's example, verbatim: registering a model is one call.
TEST(AdminRegistry, ReadmeExampleRegisters) {
  admin::Site site;
  site.register_model({
      .app_label = "shop",
      .model_name = "product",
      .table = "product",
      .fields =
          {
              {.name = "name", .label = "Name", .max_length = 200},
              {.name = "price_cents", .label = "Price (cents)", .type = admin::FieldType::kInt},
              {.name = "in_stock",
               .label = "In stock",
               .type = admin::FieldType::kBool,
               .required = false},
              {.name = "contact",
               .label = "Contact",
               .type = admin::FieldType::kEmail,
               .required = false},
          },
      .list_display = {"id", "name", "price_cents", "in_stock"},
      .search_fields = {"name"},
      .list_filter = {"in_stock"},
      .ordering = "name",
  });
  ASSERT_NE(site.find("shop", "product"), nullptr);
  EXPECT_EQ(site.find("shop", "product")->permission("view"), "shop.view_product");
}

TEST(AdminRegistry, LikePatternEscapesWildcards) {
  EXPECT_EQ(admin::like_pattern("a%b_c!d"), "%a!%b!_c!!d%");
  EXPECT_EQ(admin::like_pattern(""), "%%");
}

}  // namespace
