// aws: the XML reader and writer S3 needs: Debian's expat checks well-formedness (matching tags,
// one root, entities, UTF-8) and builds a small tree (namespace prefixes dropped, attributes
// ignored); a DOCTYPE and nesting deeper than 64 are refused. Knows nothing of S3's names.
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
