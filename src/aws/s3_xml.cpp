#include "aws/s3_xml.hpp"

#include "aws/error.hpp"
#include "aws/xml.hpp"

namespace aws {

ListObjectsPage parse_list_objects_v2(std::string_view body) {
  const XmlElement root = parse_xml(body);
  if (root.name != "ListBucketResult") {
    throw Error("InvalidResponse", "ListObjectsV2: unexpected document");
  }
  ListObjectsPage page;
  for (const XmlElement* c : root.children_named("Contents")) {
    S3Object object;
    object.key = c->child_text("Key");
    const std::string size = c->child_text("Size");
    object.size = size.empty() ? 0 : std::stoull(size);
    object.etag = c->child_text("ETag");
    object.last_modified = c->child_text("LastModified");
    page.objects.push_back(std::move(object));
  }
  for (const XmlElement* p : root.children_named("CommonPrefixes")) {
    page.common_prefixes.push_back(p->child_text("Prefix"));
  }
  page.is_truncated = root.child_text("IsTruncated") == "true";
  page.next_continuation_token = root.child_text("NextContinuationToken");
  return page;
}

std::string delete_objects_body(const std::vector<std::string>& keys) {
  std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  body += R"(<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
  for (const auto& key : keys) body += "<Object><Key>" + xml_escape(key) + "</Key></Object>";
  body += "<Quiet>false</Quiet></Delete>";
  return body;
}

DeleteObjectsResult parse_delete_objects(std::string_view body) {
  const XmlElement root = parse_xml(body);
  if (root.name != "DeleteResult")
    throw Error("InvalidResponse", "DeleteObjects: unexpected document");
  DeleteObjectsResult result;
  for (const XmlElement* d : root.children_named("Deleted"))
    result.deleted.push_back(d->child_text("Key"));
  for (const XmlElement* e : root.children_named("Error")) {
    result.errors.push_back(
        {e->child_text("Key"), e->child_text("Code"), e->child_text("Message")});
  }
  return result;
}

}  // namespace aws
