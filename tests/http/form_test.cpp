// http/form: urlencoded bodies as Django's request.POST reads them, and the field cap that keeps
// an unauthenticated "a&a&a..." body from costing more memory than a real form.
#include "http/form.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http/http_error.hpp"

namespace {

std::string fields(std::size_t n) {
  std::string body;
  for (std::size_t i = 0; i < n; ++i) body += (i ? "&f" : "f") + std::to_string(i) + "=v";
  return body;
}

http::Request post(std::string body, std::string type = "application/x-www-form-urlencoded") {
  http::Request r;
  r.method = "POST";
  r.headers.add("Content-Type", std::move(type));
  r.body = std::move(body);
  return r;
}

TEST(Form, ParsesUrlencoded) {
  auto f = http::parse_urlencoded("username=al%69ce&password=a+b%26c&empty=&flag&bad=%zz");
  EXPECT_EQ(http::form_value(f, "username"), "alice");
  EXPECT_EQ(http::form_value(f, "password"), "a b&c");
  EXPECT_EQ(http::form_value(f, "empty"), "");
  EXPECT_EQ(f.count("flag"), 1u);
  EXPECT_EQ(http::form_value(f, "bad"), "%zz");
  EXPECT_EQ(http::form_value(f, "missing"), "");
}

TEST(Form, AThousandFieldsPass) {
  EXPECT_EQ(http::parse_urlencoded(fields(http::kMaxFormFields)).size(), http::kMaxFormFields);
}

TEST(Form, OneFieldMoreIsA400) {
  try {
    http::parse_urlencoded(fields(http::kMaxFormFields + 1));
    FAIL() << "no error";
  } catch (const http::HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(Form, EmptyPairsAreNotFields) {
  // "a&&&b" holds two fields, as in Django.
  EXPECT_EQ(http::parse_urlencoded("a&&&b").size(), 2u);
  EXPECT_NO_THROW(http::parse_urlencoded(std::string(100000, '&') + "a=1", 1));
}

TEST(Form, TheAmpersandFloodStopsAtTheCap) {
  // 2.5 MB of "a&a&a...": refused after kMaxFormFields + 1 fields, before the rest is read.
  std::string flood;
  while (flood.size() < 2'500'000) flood += "a&";
  EXPECT_THROW(http::parse_urlencoded(flood), http::HttpError);
}

TEST(Form, ParsedOncePerRequest) {
  auto r = post("a=1");
  const http::FormData& first = http::form(r);
  r.body = "a=2";  // not read again: CSRF and the view see the same fields
  EXPECT_EQ(&http::form(r), &first);
  EXPECT_EQ(http::form_value(http::form(r), "a"), "1");
}

TEST(Form, OnlyUrlencodedBodiesAreForms) {
  EXPECT_TRUE(http::form(post("a=1", "text/plain")).empty());
  EXPECT_EQ(http::form_value(
                http::form(post("a=1", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")), "a"),
            "1");
}

}  // namespace
