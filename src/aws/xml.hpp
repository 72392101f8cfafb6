// aws: the minimal XML reader and writer S3 needs (elements, text, entities; namespaces and
// attributes ignored). Knows nothing of S3's element names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aws {

struct XmlElement {
  std::string name;  // local name, prefix dropped
  std::string text;  // concatenated character data directly inside this element
  std::vector<XmlElement> children;

  // First child named `name`, or nullptr.
  const XmlElement* child(std::string_view name) const;
  // Text of the first child named `name`, or "".
  std::string child_text(std::string_view name) const;
  // All children named `name`, in order.
  std::vector<const XmlElement*> children_named(std::string_view name) const;
};

// Parses a document and returns its root element. Throws aws::Error("InvalidResponse").
XmlElement parse_xml(std::string_view document);

// Escapes & < > " ' for element text.
std::string xml_escape(std::string_view text);

}  // namespace aws
