#include "staticfiles/css_rewrite.hpp"

#include <gtest/gtest.h>

#include <map>

#include "staticfiles/error.hpp"
#include "staticfiles/url_parts.hpp"

namespace {

// Hashes by appending ".H" before the extension; records the targets asked for.
struct FakeLookup {
  std::vector<std::string> asked;
  staticfiles::StoredNameLookup fn() {
    return [this](const std::string& target) {
      asked.push_back(target);
      auto key = staticfiles::py::normpath(target);
      auto dot = key.rfind('.');
      return key.substr(0, dot) + ".H" + key.substr(dot);
    };
  }
};

std::string rewrite(std::string_view css, FakeLookup& lookup,
                    std::string_view name = "css/site.css") {
  return staticfiles::rewrite_css(name, css, "/static/", lookup.fn());
}

}  // namespace

TEST(CssRewrite, UrlWithAndWithoutQuotesBecomesDoubleQuoted) {
  FakeLookup l;
  EXPECT_EQ(rewrite("a{b:url(../img/a.png)}", l), "a{b:url(\"../img/a.H.png\")}");
  EXPECT_EQ(rewrite("a{b:url('../img/a.png')}", l), "a{b:url(\"../img/a.H.png\")}");
  EXPECT_EQ(rewrite("a{b:URL(  x.png)}", l), "a{b:url(\"x.H.png\")}");
  EXPECT_EQ(l.asked.front(), "css/../img/a.png");
}

TEST(CssRewrite, ImportWithQuotesBecomesImportUrl) {
  FakeLookup l;
  EXPECT_EQ(rewrite("@import \"base.css\";", l), "@import url(\"base.H.css\");");
  EXPECT_EQ(rewrite("@import 'theme/dark.css' screen;", l),
            "@import url(\"theme/dark.H.css\") screen;");
  EXPECT_EQ(rewrite("@import url(base.css);", l), "@import url(\"base.H.css\");");
}

TEST(CssRewrite, DataUrisAndAbsoluteUrlsStayAsWritten) {
  FakeLookup l;
  for (std::string css :
       {"a{b:url(data:image/png;base64,AAAA)}", "a{b:url('http://x.org/a.png')}",
        "a{b:url(https://x.org/a.png)}", "a{b:url(//cdn.x.org/a.png)}", "a{b:url(/media/a.png)}"})
    EXPECT_EQ(rewrite(css, l), css);
  EXPECT_TRUE(l.asked.empty());
}

TEST(CssRewrite, UrlsUnderStaticUrlAreHashedFromTheRoot) {
  FakeLookup l;
  EXPECT_EQ(rewrite("a{b:url(/static/img/a.png)}", l), "a{b:url(\"/static/img/a.H.png\")}");
  EXPECT_EQ(l.asked.back(), "img/a.png");
}

TEST(CssRewrite, FragmentsAndTheIefixHackAreKept) {
  FakeLookup l;
  EXPECT_EQ(rewrite("src:url('f.eot?#iefix')", l), "src:url(\"f.H.eot?#iefix\")");
  EXPECT_EQ(rewrite("src:url(f.svg#icon)", l), "src:url(\"f.H.svg#icon\")");
  EXPECT_EQ(rewrite("filter:url(#blur)", l), "filter:url(\"#blur\")");  // a folder: not hashed
}

TEST(CssRewrite, FoldersAreNotHashed) {
  FakeLookup l;
  EXPECT_EQ(rewrite("a{b:url(../img/)}", l), "a{b:url(\"../img/\")}");
  EXPECT_TRUE(l.asked.empty());
}

TEST(CssRewrite, ReferencesAreUnquoted) {
  FakeLookup l;
  EXPECT_EQ(rewrite("a{b:url(my%20img.png)}", l), "a{b:url(\"my img.H.png\")}");
  EXPECT_EQ(l.asked.back(), "css/my img.png");
}

TEST(CssRewrite, AUrlDoesNotSpanLines) {
  FakeLookup l;
  std::string css = "a{b:url(x.png\n)}";
  EXPECT_EQ(rewrite(css, l), css);
}

TEST(CssRewrite, ErrorsFromTheLookupPropagate) {
  auto missing = [](const std::string& t) -> std::string { throw staticfiles::Error("no " + t); };
  EXPECT_THROW(staticfiles::rewrite_css("a.css", "a{b:url(x.png)}", "/static/", missing),
               staticfiles::Error);
}

TEST(CssRewrite, OnlyDotCssFilesAreAdjustable) {
  EXPECT_TRUE(staticfiles::is_adjustable("css/a.css"));
  EXPECT_FALSE(staticfiles::is_adjustable("css/a.CSS"));
  EXPECT_FALSE(staticfiles::is_adjustable("css/a.scss.map"));
}
