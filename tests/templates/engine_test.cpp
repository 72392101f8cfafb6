// Engine behaviour: loading, errors with file and line, inheritance, include, caching and
// reloading, concurrent renders.
#include "templates/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace templates {
namespace {

namespace fs = std::filesystem;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("templates_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  EngineOptions options(bool auto_reload = false) {
    EngineOptions o;
    o.dirs = {dir_};
    o.auto_reload = auto_reload;
    return o;
  }

  fs::path dir_;
};

TEST_F(EngineTest, SyntaxErrorNamesFileAndLine) {
  write("home.html", "line1\nline2\n{% if x %}\n{% endfor %}\n");
  Engine engine(options());
  try {
    engine.check("home.html");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "home.html");
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(std::string(e.what()).rfind("home.html:4: Invalid block tag 'endfor'", 0), 0u)
        << e.what();
  }
}

TEST_F(EngineTest, UnclosedTagNamesTheOpeningLine) {
  write("a.html", "\n\n{% for x in y %}\nnever closed\n");
  Engine engine(options());
  try {
    engine.check("a.html");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(std::string(e.what()).find("endfor"), std::string::npos);
  }
}

TEST_F(EngineTest, SyntaxErrorInsideIncludedTemplateNamesThatTemplate) {
  write("outer.html", "{% include \"inner.html\" %}");
  write("inner.html", "ok\n{{ x|nosuchfilter }}");
  Engine engine(options());
  try {
    engine.render("outer.html", Context());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "inner.html");
    EXPECT_EQ(e.line(), 2);
  }
}

TEST_F(EngineTest, MissingTemplateThrows) {
  Engine engine(options());
  EXPECT_THROW(engine.render("nope.html", Context()), Error);
  EXPECT_THROW(engine.check("../etc/passwd"), Error);
}

TEST_F(EngineTest, DirsAreSearchedInOrder) {
  write("first/page.html", "first");
  write("second/page.html", "second");
  write("second/only.html", "only-second");
  EngineOptions o;
  o.dirs = {dir_ / "first", dir_ / "second"};
  Engine engine(o);
  EXPECT_EQ(engine.render("page.html", Context()), "first");
  EXPECT_EQ(engine.render("only.html", Context()), "only-second");
}

TEST_F(EngineTest, AutoescapeOnByDefaultAndSwitchable) {
  Engine engine(options());
  Context ctx;
  ctx.set("x", Value("<a href='x'>&\"</a>"));
  EXPECT_EQ(engine.render_string("{{ x }}", ctx),
            "&lt;a href=&#x27;x&#x27;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(engine.render_string("{% autoescape off %}{{ x }}{% endautoescape %}", ctx),
            "<a href='x'>&\"</a>");
  ctx.set("s", mark_safe("<b>"));
  EXPECT_EQ(engine.render_string("{{ s }}", ctx), "<b>");
}

TEST_F(EngineTest, IncludeWithAndOnly) {
  write("inc.html", "[{{ a }}|{{ b }}]");
  Engine engine(options());
  Context ctx;
  ctx.set("a", Value("A"));
  ctx.set("b", Value("B"));
  EXPECT_EQ(engine.render_string("{% include \"inc.html\" %}", ctx), "[A|B]");
  EXPECT_EQ(engine.render_string("{% include \"inc.html\" with a=\"x\" %}", ctx), "[x|B]");
  EXPECT_EQ(engine.render_string("{% include \"inc.html\" with a=\"x\" only %}", ctx), "[x|]");
  EXPECT_EQ(engine.render_string("{% include \"inc.html\" only %}", ctx), "[|]");
}

TEST_F(EngineTest, ThreeLevelInheritanceWithBlockSuper) {
  write("base.html", "<{% block a %}base-a{% endblock %}|{% block b %}base-b{% endblock %}>");
  write("mid.html",
        "{% extends \"base.html\" %}{% block a %}mid-a({{ block.super }}){% endblock %}");
  write("leaf.html",
        "{% extends \"mid.html\" %}{% block a %}leaf-a({{ block.super }}){% endblock %}"
        "{% block b %}leaf-b{% endblock %}");
  Engine engine(options());
  EXPECT_EQ(engine.render("leaf.html", Context()), "<leaf-a(mid-a(base-a))|leaf-b>");
  EXPECT_EQ(engine.render("mid.html", Context()), "<mid-a(base-a)|base-b>");
}

TEST_F(EngineTest, RendersConcurrentlyFromFourThreads) {
  write("base.html", "{% block body %}{% endblock %}");
  write("page.html",
        "{% extends \"base.html\" %}{% block body %}{% for i in items %}{% cycle \"a\" \"b\" %}{{ "
        "i }}"
        "{% endfor %}{% endblock %}");
  Engine engine(options());
  Context ctx;
  ctx.set("items", Value(Value::List{Value(1), Value(2), Value(3)}));
  const std::string expected = "a1b2a3";
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (engine.render("page.html", ctx) != expected) ++mismatches;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(EngineTest, AutoReloadPicksUpChangedFile) {
  write("page.html", "one");
  Engine reloading(options(true));
  Engine cached(options(false));
  EXPECT_EQ(reloading.render("page.html", Context()), "one");
  EXPECT_EQ(cached.render("page.html", Context()), "one");
  write("page.html", "two");
  // Make sure the modification time differs even on coarse-grained file systems.
  fs::last_write_time(dir_ / "page.html",
                      fs::last_write_time(dir_ / "page.html") + std::chrono::seconds(2));
  EXPECT_EQ(reloading.render("page.html", Context()), "two");
  EXPECT_EQ(cached.render("page.html", Context()), "one");
}

TEST_F(EngineTest, UrlAndStaticHooks) {
  EngineOptions o = options();
  o.static_url = [](std::string_view path) { return "https://cdn.example/" + std::string(path); };
  o.reverse_url = [](std::string_view name, const std::vector<std::string>& args) -> std::string {
    if (name == "fortune" && args.size() == 1) return "/fortunes/" + args[0] + "/";
    throw Error("NoReverseMatch: " + std::string(name));
  };
  Engine engine(o);
  Context ctx;
  EXPECT_EQ(
      engine.render_string("{% load static %}{% static \"a.css\" %} {% url \"fortune\" 3 %}", ctx),
      "https://cdn.example/a.css /fortunes/3/");
  EXPECT_THROW(engine.render_string("{% url \"missing\" %}", ctx), Error);
  EXPECT_EQ(engine.render_string("{% url \"missing\" as u %}[{{ u }}]", ctx), "[]");
}

TEST_F(EngineTest, ContextScopesAreRespected) {
  Engine engine(options());
  Context ctx;
  ctx.set("x", Value("outer"));
  ctx.push();
  ctx.set("x", Value("inner"));
  EXPECT_EQ(engine.render_string("{{ x }}", ctx), "inner");
  ctx.pop();
  EXPECT_EQ(engine.render_string("{{ x }}", ctx), "outer");
}

class User : public Object {
 public:
  std::optional<Value> lookup(std::string_view key) const override {
    if (key == "name") return Value("<Ann>");
    if (key == "is_staff") return Value(true);
    return std::nullopt;
  }
  std::string str() const override { return "User<Ann>"; }
};

TEST_F(EngineTest, ObjectsAnswerLookupsAndPrintThroughStr) {
  Engine engine(options());
  Context ctx;
  ctx.set("user", Value(std::shared_ptr<const Object>(std::make_shared<User>())));
  EXPECT_EQ(
      engine.render_string(
          "{{ user.name }}|{{ user }}|{% if user.is_staff %}staff{% endif %}|{{ user.missing }}|",
          ctx),
      "&lt;Ann&gt;|User&lt;Ann&gt;|staff||");
}

TEST_F(EngineTest, RenderErrorsNameTemplateAndLine) {
  write("page.html", "ok\n\n{% url \"nowhere\" %}");
  Engine engine(options());
  try {
    engine.render("page.html", Context());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "page.html");
    EXPECT_EQ(e.line(), 3);
  }
}

TEST_F(EngineTest, RecursiveExtendsAndIncludeFailCleanly) {
  write("loop.html", "{% extends \"loop.html\" %}");
  write("self.html", "x{% include \"self.html\" %}");
  Engine engine(options());
  EXPECT_THROW(engine.render("loop.html", Context()), Error);
  EXPECT_THROW(engine.render("self.html", Context()), Error);
}

TEST_F(EngineTest, DeepNestingIsASyntaxErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "{% if x %}";
  Engine engine(options());
  EXPECT_THROW(engine.render_string(deep, Context()), Error);
}

TEST_F(EngineTest, CrlfTemplateFilesRenderWithLf) {
  write("crlf.html", "a\r\nb\rc");
  Engine engine(options());
  EXPECT_EQ(engine.render("crlf.html", Context()), "a\nb\nc");
}

}  // namespace
}  // namespace templates

namespace templates {
namespace {

TEST_F(EngineTest, DebugHtmlShowsTheTemplateLineAndTokenEscaped) {
  write("page.html", "line 1\n<b>line 2</b>\nline 3 {% bogus_tag arg %} after\nline 4\n");
  Engine engine(options());
  try {
    engine.check("page.html");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.token(), "{% bogus_tag arg %}");
    const std::string html = engine.debug_html(e);
    EXPECT_NE(html.find((dir_ / "page.html").string()), std::string::npos) << html;
    EXPECT_NE(html.find("error at line <strong>3</strong>"), std::string::npos) << html;
    EXPECT_NE(html.find("line 3 <mark>{% bogus_tag arg %}</mark> after"), std::string::npos)
        << html;
    EXPECT_NE(html.find("&lt;b&gt;line 2&lt;/b&gt;"), std::string::npos) << html;
    EXPECT_NE(html.find("Invalid block tag"), std::string::npos) << html;
  }
}

TEST_F(EngineTest, DebugHtmlOfARenderErrorShowsItsLineWithoutAToken) {
  write("page.html", "a\n{{ n|divisibleby:0 }}\nc\n");
  Engine engine(options());
  Context context;
  context.set("n", Value(4));
  try {
    engine.render("page.html", context);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_TRUE(e.token().empty());
    const std::string html = engine.debug_html(e);
    EXPECT_NE(html.find("error at line <strong>2</strong>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<mark>"), std::string::npos) << html;
  }
  // An error naming no template of this engine gets no details.
  EXPECT_EQ(engine.debug_html(Error("elsewhere")), "");
  EXPECT_EQ(engine.debug_html(Error("x", "no-such.html", 1)), "");
}

}  // namespace
}  // namespace templates
