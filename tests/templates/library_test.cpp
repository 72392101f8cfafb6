// A site's own tags and filters (templates::Library): registered, loaded by name, parsed and
// rendered with Django's rules for safety, escaping, arguments and errors.
#include "templates/library.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "templates/engine.hpp"
#include "templates/error.hpp"

namespace templates {
namespace {

namespace fs = std::filesystem;

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("library_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto lib = std::make_shared<Library>();
    lib->filter("shout", [](const Value& v, const Value*, bool) { return Value(v.str() + "!"); },
                {.is_safe = true, .string_input = true});
    lib->filter("wrap",
                [](const Value& v, const Value* arg, bool autoescape) {
                  const std::string with = arg ? arg->str() : "*";
                  std::string out = with;
                  out += to_python_str(v);
                  out += with;
                  if (!autoescape) out += " (no escaping)";
                  return Value(out);
                },
                {.takes_arg = true, .arg_optional = true});
    lib->filter(
        "times",
        [](const Value& v, const Value* arg, bool) { return Value(v.as_int() * arg->as_int()); },
        {.takes_arg = true});
    lib->simple_tag("echo", [](const TagArguments& a) {
      std::string out;
      for (const Value& v : a.args) {
        out += '[';
        out += to_python_str(v);
        out += ']';
      }
      for (const auto& [k, v] : a.kwargs) {
        out += k;
        out += '=';
        out += to_python_str(v);
        out += ';';
      }
      return Value(out);
    });
    lib->simple_tag("bold", [](const TagArguments& a) {
      std::string out = "<b>";
      out += conditional_escape(a.args.at(0)).str();
      out += "</b>";
      return Value::safe(out);
    });
    lib->simple_tag("fails",
                    [](const TagArguments&) -> Value { throw std::runtime_error("broken"); });
    lib->inclusion_tag("item", "item.html", [](const TagArguments& a) {
      Map context;
      context.set("name", a.args.at(0));
      return context;
    });
    lib->block_tag("upper", [](const TagArguments& a, const Value& body) {
      std::string out;
      for (char c : body.str())
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (const Value* suffix = a.kwarg("suffix")) out += to_python_str(*suffix);
      return Value::safe(out);
    });
    options_.dirs = {dir_};
    options_.libraries["site_tags"] = lib;
    std::ofstream(dir_ / "item.html") << "<li>{{ name }}|{{ outer }}|{{ csrf_token }}</li>";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string render(const std::string& source, Map context = {}) {
    Engine engine(options_);
    return engine.render_string(source, Context::from_map(Value(std::move(context))));
  }

  fs::path dir_;
  EngineOptions options_;
};

TEST_F(LibraryTest, FiltersFollowDjangosSafetyRules) {
  Map c;
  c.set("plain", Value("<a>"));
  c.set("safe", Value::safe("<a>"));
  c.set("n", Value(7));
  EXPECT_EQ(render("{% load site_tags %}{{ plain|shout }} {{ safe|shout }} {{ n|shout }}", c),
            "&lt;a&gt;! <a>! 7!");
  EXPECT_EQ(render("{% load site_tags %}{{ plain|wrap }} {{ plain|wrap:'~' }}", c),
            "*&lt;a&gt;* ~&lt;a&gt;~");
  EXPECT_EQ(
      render("{% load site_tags %}{% autoescape off %}{{ plain|wrap }}{% endautoescape %}", c),
      "*<a>* (no escaping)");
  EXPECT_EQ(render("{% load site_tags %}{{ n|times:6 }}", c), "42");
  EXPECT_THROW(render("{% load site_tags %}{{ n|times }}", c), Error);    // argument required
  EXPECT_THROW(render("{% load site_tags %}{{ n|shout:1 }}", c), Error);  // takes none
}

TEST_F(LibraryTest, NothingIsAvailableBeforeLoad) {
  EXPECT_THROW(render("{{ 'x'|shout }}"), Error);
  EXPECT_THROW(render("{% echo 1 %}"), Error);
  EXPECT_THROW(render("{% load no_such_tags %}"), Error);
  // {% load NAME from LIB %} takes only those.
  EXPECT_EQ(render("{% load shout from site_tags %}{{ 'x'|shout }}"), "x!");
  EXPECT_THROW(render("{% load shout from site_tags %}{% echo 1 %}"), Error);
  EXPECT_THROW(render("{% load nothing from site_tags %}"), Error);
}

TEST_F(LibraryTest, SimpleTagsTakeArgumentsKeywordsAndAs) {
  Map c;
  c.set("user", Value("ann"));
  c.set("html", Value("<i>"));
  EXPECT_EQ(render("{% load site_tags %}{% echo user 'lit' 3 key=user|upper other=html %}", c),
            "[ann][lit][3]key=ANN;other=&lt;i&gt;;");
  EXPECT_EQ(render("{% load site_tags %}{% echo html as saved %}<{{ saved }}>", c),
            "<[&lt;i&gt;]>");
  EXPECT_EQ(render("{% load site_tags %}{% bold html %}", c), "<b>&lt;i&gt;</b>");  // safe stays
  EXPECT_EQ(render("{% load site_tags %}{% autoescape off %}{% echo html %}{% endautoescape %}", c),
            "[<i>]");
  EXPECT_THROW(render("{% load site_tags %}{% echo a=1 2 %}"), Error);    // positional after kw
  EXPECT_THROW(render("{% load site_tags %}{% echo a=1 a=2 %}"), Error);  // repeated keyword
  EXPECT_THROW(render("{% load site_tags %}{% fails %}"), std::runtime_error);
}

TEST_F(LibraryTest, InclusionTagsRenderTheirTemplateWithTheirContextAndTheCsrfToken) {
  Map c;
  c.set("outer", Value("hidden"));
  c.set("csrf_token", Value("tok"));
  c.set("who", Value("<Bo>"));
  EXPECT_EQ(render("{% load site_tags %}<ul>{% item who %}</ul>", c),
            "<ul><li>&lt;Bo&gt;||tok</li></ul>");
  EXPECT_EQ(render("{% load site_tags %}{% item who as html %}[{{ html }}]", c),
            "[<li>&lt;Bo&gt;||tok</li>]");
}

TEST_F(LibraryTest, BlockTagsGetTheirRenderedBody) {
  Map c;
  c.set("name", Value("<ann>"));
  EXPECT_EQ(render("{% load site_tags %}{% upper suffix='.' %}hi {{ name }}{% endupper %}", c),
            "HI &LT;ANN&GT;.");  // the body arrives rendered (escaped), as Django gives it
  EXPECT_THROW(render("{% load site_tags %}{% upper %}never closed"), Error);
}

}  // namespace
}  // namespace templates
