// multipart/form-data bodies (http/form.hpp): the boundary, parts, caps and malformed bodies.
// The same parser is compared with Django's in multipart_oracle_test.cpp.
#include <gtest/gtest.h>

#include "http/form.hpp"
#include "http/http_error.hpp"

namespace {

std::string part(std::string_view disposition, std::string_view content,
                 std::string_view extra = "") {
  return "--B\r\nContent-Disposition: form-data; " + std::string(disposition) + "\r\n" +
         std::string(extra) + "\r\n" + std::string(content) + "\r\n";
}

int status_of(std::string_view body, std::size_t max_fields = http::kMaxFormFields,
              std::size_t max_files = http::kMaxFormFiles) {
  try {
    http::parse_multipart(body, "B", max_fields, max_files);
    return 200;
  } catch (const http::HttpError& e) {
    return e.status();
  }
}

TEST(Multipart, ReadsTheBoundaryOfAFormDataContentType) {
  EXPECT_EQ(http::multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(http::multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(http::multipart_boundary("multipart/form-data; charset=utf-8; boundary=x-1"), "x-1");
  EXPECT_FALSE(http::multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary=\"a\r\nb\""));
  EXPECT_FALSE(http::multipart_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(http::multipart_boundary("application/x-www-form-urlencoded"));
}

TEST(Multipart, FieldsAndFilesInTheBodysOrder) {
  auto body = part("name=\"a\"", "1") + part("name=\"a\"", "2\r\n--not-B") +
              part("name=\"f\"; filename=\"C:\\\\dir\\\\r\xc3\xa9sum\xc3\xa9.txt\"", "bytes\0here",
                   "Content-Type: text/plain\r\n") +
              "--B--\r\nepilogue";
  auto parsed = http::parse_multipart(body, "B");
  ASSERT_EQ(parsed.fields.size(), 2u);
  auto [first, last] = parsed.fields.equal_range("a");
  EXPECT_EQ(first->second, "1");
  EXPECT_EQ(std::next(first)->second, "2\r\n--not-B");
  ASSERT_EQ(parsed.files.size(), 1u);
  const auto& file = parsed.files.begin()->second;
  EXPECT_EQ(file.filename, "r\xc3\xa9sum\xc3\xa9.txt");  // no directory part
  EXPECT_EQ(file.content_type, "text/plain");
  EXPECT_EQ(file.content, "bytes");  // "\0here" was cut by the literal; the parser keeps any byte
}

TEST(Multipart, SkipsWhatDjangoSkips) {
  auto body = part("filename=\"x.txt\"", "no name") + part("name=\"empty\"; filename=\"\"", "") +
              part("name=\"dots\"; filename=\"..\"", "x") + "--B--";
  auto parsed = http::parse_multipart(body, "B");
  ASSERT_EQ(parsed.fields.size(), 1u);  // an empty file input is an empty field, as in Django
  EXPECT_EQ(http::form_value(parsed.fields, "empty"), "");
  EXPECT_TRUE(parsed.files.empty());
  EXPECT_EQ(status_of(""), 200);  // no body: no fields
}

TEST(Multipart, CapsFieldsAndFilesAtNPlusOne) {
  std::string fields, files;
  for (int i = 0; i < 4; ++i) fields += part("name=\"f" + std::to_string(i) + "\"", "v");
  for (int i = 0; i < 3; ++i) files += part("name=\"u\"; filename=\"u.txt\"", "x");
  EXPECT_EQ(status_of(fields + "--B--", 4), 200);
  EXPECT_EQ(status_of(fields + part("name=\"one-more\"", "v") + "--B--", 4), 400);
  EXPECT_EQ(status_of(files + "--B--", 4, 3), 200);
  EXPECT_EQ(status_of(files + part("name=\"u\"; filename=\"u.txt\"", "x") + "--B--", 4, 3), 400);
}

TEST(Multipart, RejectsMalformedBodies) {
  EXPECT_EQ(status_of("no delimiter at all"), 400);
  EXPECT_EQ(status_of("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed"),
            400);
  EXPECT_EQ(status_of("--B\r\nContent-Disposition: form-data; name=\"a\""),
            400);                                          // head never ends
  EXPECT_EQ(status_of("--Bjunk\r\n\r\nx\r\n--B--"), 400);  // a delimiter line with more on it
  EXPECT_EQ(status_of("--B\r\nno colon here\r\n\r\nx\r\n--B--"), 400);
  const std::string huge_head = "--B\r\nX-Pad: " + std::string(http::kMaxPartHeaderBytes, 'a') +
                                "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--";
  EXPECT_EQ(status_of(huge_head), 400);
}

TEST(Multipart, ThroughTheRequestOncePerRequest) {
  http::Request r;
  r.headers.set("Content-Type", "multipart/form-data; boundary=B");
  r.body = part("name=\"csrfmiddlewaretoken\"", "tok") +
           part("name=\"doc\"; filename=\"d.pdf\"", "%PDF") + "--B--";
  EXPECT_EQ(http::form_value(http::form(r), "csrfmiddlewaretoken"), "tok");
  ASSERT_EQ(http::files(r).count("doc"), 1u);
  EXPECT_EQ(http::files(r).find("doc")->second.content, "%PDF");
  EXPECT_EQ(&http::form(r), &http::form(r));  // parsed once

  http::Request bad;
  bad.headers.set("Content-Type", "multipart/form-data");  // no boundary
  bad.body = "x";
  EXPECT_THROW(http::form(bad), http::HttpError);
}

}  // namespace
