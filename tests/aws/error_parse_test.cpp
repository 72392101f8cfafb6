// Unit: service error bodies become aws::Error with the service's own code, and the XML reader
// S3 listings rely on.
#include "aws/error_parse.hpp"

#include <gtest/gtest.h>

#include "aws/crypto.hpp"
#include "aws/s3_xml.hpp"
#include "aws/xml.hpp"

namespace {

aws::HttpResponse response(int status, std::string body, aws::Headers headers = {}) {
  return {status, std::move(headers), std::move(body)};
}

TEST(ErrorParseTest, JsonTypeWithNamespacePrefix) {
  const aws::Error e = aws::parse_error_response(
      response(400, R"({"__type":"com.amazonaws.ssm#ParameterNotFound","message":"nope"})"),
      aws::ErrorFormat::json);
  EXPECT_EQ(e.code(), "ParameterNotFound");
  EXPECT_EQ(e.message(), "nope");
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.http_status(), 400);
}

TEST(ErrorParseTest, JsonThrottlingIsRetryable) {
  const aws::Error e = aws::parse_error_response(
      response(400, R"({"__type":"ThrottlingException","Message":"Rate exceeded"})"),
      aws::ErrorFormat::json);
  EXPECT_EQ(e.code(), "ThrottlingException");
  EXPECT_EQ(e.message(), "Rate exceeded");
  EXPECT_TRUE(e.retryable());
}

TEST(ErrorParseTest, HeaderCodeWhenTheBodyHasNone) {
  const aws::Error e = aws::parse_error_response(
      response(400, "",
               {{"x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/"}}),
      aws::ErrorFormat::json);
  EXPECT_EQ(e.code(), "AccessDeniedException");
}

TEST(ErrorParseTest, S3XmlKeepsOnlyCodeAndMessage) {
  const aws::Error e = aws::parse_error_response(
      response(
          403,
          "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>bad &amp; wrong"
          "</Message><StringToSign>AWS4-HMAC-SHA256\n...</StringToSign>"
          "<SignatureProvided>abc</SignatureProvided></Error>"),
      aws::ErrorFormat::xml);
  EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(e.message(), "bad & wrong");
  EXPECT_EQ(std::string(e.what()).find("StringToSign"), std::string::npos);
  EXPECT_EQ(std::string(e.what()).find("AWS4"), std::string::npos);
}

TEST(ErrorParseTest, EmptyOrGarbledBodiesFallBackToTheStatus) {
  EXPECT_EQ(aws::parse_error_response(response(404, ""), aws::ErrorFormat::xml).code(), "NotFound");
  const aws::Error e =
      aws::parse_error_response(response(503, "<html>busy"), aws::ErrorFormat::xml);
  EXPECT_EQ(e.code(), "ServiceUnavailable");
  EXPECT_TRUE(e.retryable());
}

TEST(XmlTest, ElementsTextEntitiesNamespacesAndCdata) {
  const aws::XmlElement root = aws::parse_xml(
      "<?xml version=\"1.0\"?><!-- c --><a:Root xmlns:a=\"x\"><Item id=\"1\">one &lt;1&gt; "
      "&#233;&#x41;</Item>"
      "<Item/><Other><![CDATA[<raw>]]></Other></a:Root>");
  EXPECT_EQ(root.name, "Root");
  ASSERT_EQ(root.children_named("Item").size(), 2U);
  EXPECT_EQ(root.child_text("Item"),
            "one <1> \xC3\xA9"
            "A");
  EXPECT_EQ(root.child_text("Other"), "<raw>");
  EXPECT_EQ(root.child_text("Missing"), "");
  EXPECT_THROW(aws::parse_xml("<a><b></a"), aws::Error);
  EXPECT_EQ(aws::xml_escape("a&<>\"'"), "a&amp;&lt;&gt;&quot;&apos;");
}

TEST(XmlTest, RefusesWhatIsNotWellFormed) {
  // One case per rule the security review found missing or a parser must hold.
  for (const char* bad : {"<a><b>1</c></a>",                 // mismatched end tag
                          "<a>1</a><b/>",                     // two roots
                          "<a>1</a>trailing",                 // text after the root
                          "",                                 // no root
                          "<a>&unknown;</a>",                 // undefined entity
                          "<a>&#0;</a>",                      // not a character
                          "<a>\xff</a>",                      // not UTF-8
                          "<a b='1' b='2'/>",                  // duplicate attribute
                          "<!DOCTYPE a [<!ENTITY x \"xx\">]><a>&x;</a>"})  // a DTD
    EXPECT_THROW(aws::parse_xml(bad), aws::Error) << bad;
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += "<a>";
  for (int i = 0; i < 65; ++i) deep += "</a>";
  EXPECT_THROW(aws::parse_xml(deep), aws::Error);
  EXPECT_NO_THROW(aws::parse_xml(deep.substr(3, deep.size() - 7)));  // 64 levels
}

TEST(XmlTest, TheErrorNamesNoContent) {
  try {
    aws::parse_xml("<Error><Code>secret-value</Wrong></Error>");
    FAIL();
  } catch (const aws::Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret-value"), std::string::npos) << e.what();
  }
}

TEST(S3XmlTest, ListAndDeleteDocuments) {
  const aws::ListObjectsPage page = aws::parse_list_objects_v2(
      "<ListBucketResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>tok</NextContinuationToken><Contents><Key>a &amp; "
      "b</Key><Size>12</Size>"
      "<ETag>\"e\"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>"
      "<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>");
  ASSERT_EQ(page.objects.size(), 1U);
  EXPECT_EQ(page.objects[0].key, "a & b");
  EXPECT_EQ(page.objects[0].size, 12U);
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_continuation_token, "tok");
  EXPECT_EQ(page.common_prefixes, std::vector<std::string>{"p/"});
  EXPECT_NE(aws::delete_objects_body({"x<y"}).find("<Key>x&lt;y</Key>"), std::string::npos);
  const auto result = aws::parse_delete_objects(
      "<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code>"
      "<Message>no</Message></Error></DeleteResult>");
  EXPECT_EQ(result.deleted, std::vector<std::string>{"a"});
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_EQ(result.errors[0].code, "AccessDenied");
}

TEST(CryptoTest, KnownDigestsAndBase64) {
  EXPECT_EQ(aws::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(aws::md5_base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(aws::base64_encode("ab"), "YWI=");
  EXPECT_EQ(aws::base64_decode("YWI="), "ab");
  EXPECT_EQ(aws::base64_decode("AAECAwQ="), std::string("\x00\x01\x02\x03\x04", 5));
  EXPECT_THROW(aws::base64_decode("abc"), aws::Error);
}

}  // namespace
