#include "staticfiles/post_process.hpp"

#include <gtest/gtest.h>

#include "staticfiles/error.hpp"
#include "staticfiles/hashing.hpp"

using staticfiles::file_hash;
using staticfiles::post_process;
using staticfiles::SourceFile;

namespace {

SourceFile file(std::string name, std::string content) {
  return {std::move(name), std::make_shared<const std::string>(std::move(content))};
}

}  // namespace

TEST(PostProcess, NonCssFilesKeepTheirBytesUnderTheHashOfThem) {
  auto out = post_process({file("img/a.png", "PNG")}, "/static/");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].hashed_name, "img/a." + file_hash("PNG") + ".png");
  EXPECT_EQ(out[0].processed, out[0].content);
}

TEST(PostProcess, CssIsHashedAfterRewriting) {
  auto out = post_process({file("css/a.css", "a{b:url(../img/a.png)}"), file("img/a.png", "PNG")},
                          "/static/");
  std::string rewritten = "a{b:url(\"../img/a." + file_hash("PNG") + ".png\")}";
  EXPECT_EQ(*out[0].processed, rewritten);
  EXPECT_EQ(out[0].hashed_name, "css/a." + file_hash(rewritten) + ".css");
}

TEST(PostProcess, NestedImportsUseTheHashOfTheRewrittenTarget) {
  // GIVEN a.css -> b.css -> c.css -> img, listed in the worst order for a single pass
  auto out = post_process({file("a.css", "@import 'b.css';"), file("b.css", "@import 'c.css';"),
                           file("c.css", "x{y:url(i.png)}"), file("i.png", "I")},
                          "/static/");
  // THEN each file names the final hashed name of the next
  std::string c = "x{y:url(\"i." + file_hash("I") + ".png\")}";
  std::string b = "@import url(\"c." + file_hash(c) + ".css\");";
  std::string a = "@import url(\"b." + file_hash(b) + ".css\");";
  EXPECT_EQ(*out[2].processed, c);
  EXPECT_EQ(*out[1].processed, b);
  EXPECT_EQ(*out[0].processed, a);
  EXPECT_EQ(out[0].hashed_name, "a." + file_hash(a) + ".css");
}

TEST(PostProcess, AQueryMakesDjangoHashTheOriginalContent) {
  auto out = post_process(
      {file("a.css", "@import 'b.css?v=1';"), file("b.css", "x{y:url(i.png)}"), file("i.png", "I")},
      "/static/");
  EXPECT_EQ(*out[0].processed, "@import url(\"b." + file_hash("x{y:url(i.png)}") + ".css?v=1\");");
}

TEST(PostProcess, FailsWhenAReferenceIsMissingAndNamesBoth) {
  try {
    post_process({file("css/a.css", "a{b:url(missing.png)}")}, "/static/");
    FAIL() << "expected an error";
  } catch (const staticfiles::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("css/a.css"), std::string::npos) << what;
    EXPECT_NE(what.find("css/missing.png"), std::string::npos) << what;
  }
}

TEST(PostProcess, FailsOnACycleOfCssReferences) {
  EXPECT_THROW(post_process({file("a.css", "@import 'b.css';"), file("b.css", "@import 'a.css';")},
                            "/static/"),
               staticfiles::Error);
  EXPECT_THROW(post_process({file("a.css", "x{y:url(a.css#self)}")}, "/static/"),
               staticfiles::Error);
}

TEST(PostProcess, FailsOnCssThatIsNotUtf8) {
  EXPECT_THROW(post_process({file("a.css", "a{content:'\xFF'}")}, "/static/"), staticfiles::Error);
}
