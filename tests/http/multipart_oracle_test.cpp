// multipart/form-data against Django's own MultiPartParser (Debian python3-django) as the oracle:
// the fields and files of each well-formed body, as a browser or curl sends them, must be what
// Django reads (names, values, filenames, content types, bytes); a body past Django's caps must
// be refused by both. Label: oracle.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/form.hpp"
#include "http/http_error.hpp"

#ifndef MYSITE_MULTIPART_ORACLE
#define MYSITE_MULTIPART_ORACLE "tests/http/django_multipart_oracle.py"
#endif

namespace {

std::string base64(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], kTable[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], '='};
  }
  return out;
}

struct Case {
  std::string name;
  std::string content_type;
  std::string body;
};

std::string part(std::string_view head, std::string_view content,
                 std::string_view boundary = "XyZ") {
  return "--" + std::string(boundary) + "\r\n" + std::string(head) + "\r\n\r\n" +
         std::string(content) + "\r\n";
}

std::vector<Case> cases() {
  const std::string type = "multipart/form-data; boundary=XyZ";
  std::vector<Case> out;
  // As Chromium sends a form with text, a repeated name, a file and an empty file input.
  out.push_back(
      {"browser form", type,
       part("Content-Disposition: form-data; name=\"csrfmiddlewaretoken\"", "t0k3n") +
           part("Content-Disposition: form-data; name=\"tag\"", "a") +
           part("Content-Disposition: form-data; name=\"tag\"", "b") +
           part("Content-Disposition: form-data; name=\"note\"", "line 1\r\nline 2\r\n--XyY") +
           part("Content-Disposition: form-data; name=\"doc\"; filename=\"report.pdf\"\r\n"
                "Content-Type: application/pdf",
                std::string("%PDF-1.4\0\x01\xff binary", 17)) +
           part("Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
                "Content-Type: application/octet-stream",
                "") +
           "--XyZ--\r\n"});
  out.push_back(
      {"utf-8 names and values", type,
       part("Content-Disposition: form-data; name=\"caf\xc3\xa9\"",
            "cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
            "e") +
           part("Content-Disposition: form-data; name=\"f\"; filename=\"\xc3\xa9t\xc3\xa9.txt\"",
                "x") +
           "--XyZ--"});
  out.push_back({"filename* (RFC 5987) wins over filename", type,
                 part("Content-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; "
                      "filename*=UTF-8''na%C3%AFve.txt",
                      "x") +
                     "--XyZ--"});
  out.push_back(
      {"a Windows path in the filename", type,
       part("Content-Disposition: form-data; name=\"f\"; filename=\"C:\\\\Users\\\\me\\\\a.txt\"",
            "x") +
           part("Content-Disposition: form-data; name=\"g\"; filename=\"../../etc/passwd\"", "y") +
           "--XyZ--"});
  out.push_back({"quoted boundary, preamble and epilogue",
                 "multipart/form-data; boundary=\"a:b c\"",
                 "preamble\r\n" + part("Content-Disposition: form-data; name=\"x\"", "1", "a:b c") +
                     "--a:b c--\r\nepilogue\r\n"});
  out.push_back(
      {"header names in any case, no part content type", type,
       part("CONTENT-DISPOSITION: FORM-DATA; NAME=\"Upper\"", "v") +
           part("content-disposition: form-data; name=\"f\"; filename=\"n.bin\"", "bytes") +
           "--XyZ--"});
  out.push_back({"a part without a name is skipped", type,
                 part("Content-Disposition: form-data; filename=\"x.txt\"", "lost") +
                     part("Content-Disposition: form-data; name=\"kept\"", "k") + "--XyZ--"});
  out.push_back({"an escaped quote in a name", type,
                 part("Content-Disposition: form-data; name=\"a\\\"b\"", "q") + "--XyZ--"});
  out.push_back({"empty value and empty body part", type,
                 part("Content-Disposition: form-data; name=\"e\"", "") + "--XyZ--"});
  out.push_back({"no body", type, ""});
  std::string many;
  for (int i = 0; i < 1001; ++i) many += part("Content-Disposition: form-data; name=\"f\"", "v");
  out.push_back({"1001 fields", type, many + "--XyZ--"});
  std::string many_files;
  for (int i = 0; i < 101; ++i)
    many_files += part("Content-Disposition: form-data; name=\"u\"; filename=\"u.txt\"", "x");
  out.push_back({"101 files", type, many_files + "--XyZ--"});
  return out;
}

nlohmann::json ours(const Case& c) {
  try {
    auto boundary = http::multipart_boundary(c.content_type);
    if (!boundary) return {{"error", "no boundary"}};
    auto parsed = http::parse_multipart(c.body, *boundary);
    nlohmann::json fields = nlohmann::json::array(), files = nlohmann::json::array();
    for (const auto& [k, v] : parsed.fields) fields.push_back({k, base64(v)});
    for (const auto& [k, f] : parsed.files)
      files.push_back({k, f.filename, f.content_type, base64(f.content)});
    return {{"fields", fields}, {"files", files}};
  } catch (const http::HttpError& e) {
    return {{"error", std::to_string(e.status())}};
  }
}

// Django keeps keys in first-appearance order; ours are sorted by name (equal names in order).
nlohmann::json by_name(nlohmann::json list) {
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return a[0].template get<std::string>() < b[0].template get<std::string>();
  });
  return list;
}

TEST(MultipartOracle, WhatDjangoReadsFromEachBody) {
  const auto all = cases();
  const auto input =
      std::filesystem::temp_directory_path() / ("multipart-oracle-" + std::to_string(::getpid()));
  {
    std::ofstream f(input);
    for (const auto& c : all)
      f << nlohmann::json{{"content_type", c.content_type}, {"body", base64(c.body)}}.dump()
        << "\n";
  }
  FILE* pipe =
      ::popen(("/usr/bin/python3 " MYSITE_MULTIPART_ORACLE " < " + input.string()).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  const int rc = ::pclose(pipe);
  std::filesystem::remove(input);
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) GTEST_SKIP() << "Django not installed";
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << text;

  std::size_t i = 0, start = 0;
  for (; start < text.size() && i < all.size(); ++i) {
    const auto end = text.find('\n', start);
    const auto django = nlohmann::json::parse(text.substr(start, end - start));
    start = end + 1;
    const auto mine = ours(all[i]);
    if (django.contains("error")) {
      // TooManyFieldsSent, TooManyFilesSent: Django answers 400 (SuspiciousOperation).
      EXPECT_EQ(mine.value("error", ""), "400")
          << all[i].name << ": Django raised " << django["error"];
      continue;
    }
    ASSERT_FALSE(mine.contains("error"))
        << all[i].name << ": ours refused, Django read " << django.dump();
    EXPECT_EQ(mine["fields"], by_name(django["fields"])) << all[i].name;
    EXPECT_EQ(mine["files"], by_name(django["files"])) << all[i].name;
  }
  EXPECT_EQ(i, all.size()) << text;
}

}  // namespace
