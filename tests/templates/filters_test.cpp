// Filters through the engine: one expectation per Django rule that matters for byte equality.
#include <gtest/gtest.h>

#include "templates/engine.hpp"

namespace templates {
namespace {

std::string render(std::string_view source, Context ctx = {}) {
  Engine engine(EngineOptions{});
  return engine.render_string(source, ctx);
}

TEST(FiltersTest, EscapeIsConditional) {
  Context ctx;
  ctx.set("x", Value("<&>"));
  EXPECT_EQ(render("{{ x|escape|escape }}", ctx), "&lt;&amp;&gt;");
  EXPECT_EQ(render("{{ x|safe }}", ctx), "<&>");
}

TEST(FiltersTest, UpperIsNotSafeSoLiteralIsEscapedAfterwards) {
  EXPECT_EQ(render("{{ \"<b>\"|upper }}"), "&lt;B&gt;");
  EXPECT_EQ(render("{{ \"<b>\"|lower }}"), "<b>");  // lower is_safe keeps the literal safe
}

TEST(FiltersTest, DefaultReturnsSafeLiteralUnescaped) {
  EXPECT_EQ(render("{{ missing|default:\"<i>\" }}"), "<i>");
}

TEST(FiltersTest, JoinOfAStringJoinsItsCharactersButAChainCannotFillMemory) {
  Context ctx;
  ctx.set("word", Value("abc"));
  EXPECT_EQ(render("{{ word|join:\"-\" }}", ctx), "a-b-c");
  // Found by the template fuzzer: each join multiplies the length by its separator's, so eight
  // chained joins of a 3-byte string would make about 19 GB; past 16 MiB it is an error.
  const std::string sep(40, 'x');
  std::string chain = "{{ word";
  for (int i = 0; i < 8; ++i) chain += "|join:\"" + sep + "\"";
  chain += " }}";
  try {
    render(chain, ctx);
    FAIL() << "an 8-join chain rendered";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("join: the result would be over 16 MiB"),
              std::string::npos)
        << e.what();
  }
}

TEST(FiltersTest, Floatformat) {
  Context ctx;
  ctx.set("a", Value(34.23234));
  ctx.set("b", Value(34.0));
  ctx.set("c", Value(34.26));
  EXPECT_EQ(render("{{ a|floatformat }} {{ b|floatformat }} {{ c|floatformat }}", ctx),
            "34.2 34 34.3");
  EXPECT_EQ(render("{{ a|floatformat:3 }} {{ b|floatformat:3 }} {{ c|floatformat:\"-3\" }}", ctx),
            "34.232 34.000 34.260");
}

TEST(FiltersTest, TruncationUsesEllipsis) {
  Context ctx;
  ctx.set("s", Value("Hello world"));
  EXPECT_EQ(render("{{ s|truncatechars:5 }}", ctx), "Hell\xE2\x80\xA6");
  EXPECT_EQ(render("{{ s|truncatewords:1 }}", ctx), "Hello \xE2\x80\xA6");
}

TEST(FiltersTest, DateFormats) {
  Context ctx;
  DateTime dt;
  dt.epoch_seconds = 1709647629;  // 2024-03-05T14:07:09Z
  ctx.set("d", Value(dt));
  EXPECT_EQ(render("{{ d|date:\"D, d M Y H:i:s\" }}", ctx), "Tue, 05 Mar 2024 14:07:09");
  EXPECT_EQ(render("{{ d|date:\"jS F, P\" }}", ctx), "5th March, 2:07 p.m.");
  EXPECT_EQ(render("{{ d }}", ctx), "March 5, 2024, 2:07 p.m.");
}

TEST(FiltersTest, UnknownFilterIsASyntaxError) { EXPECT_THROW(render("{{ x|nope }}"), Error); }

TEST(FiltersTest, MissingRequiredArgumentIsASyntaxError) {
  EXPECT_THROW(render("{{ x|default }}"), Error);
}

}  // namespace
}  // namespace templates
