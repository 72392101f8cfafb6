#include "aws/xml.hpp"

#include <expat.h>

#include <limits>
#include <memory>
#include <optional>
#include <type_traits>

#include "aws/error.hpp"
#include "aws/strings.hpp"

namespace aws {
namespace {

// AWS documents are a few levels deep; anything deeper is not one of theirs.
constexpr std::size_t kMaxDepth = 64;
// expat reports namespaced names as "uri<sep>local".
constexpr char kNamespaceSeparator = '\x01';

// Builds the element tree from expat's callbacks: each open element on a stack, moved into its
// parent when it closes.
struct TreeBuilder {
  XML_Parser parser = nullptr;
  std::vector<XmlElement> open;
  std::optional<XmlElement> root;
  std::string error;

  void stop(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }

  static void on_start(void* data, const XML_Char* name, const XML_Char**) {
    auto& b = *static_cast<TreeBuilder*>(data);
    if (b.open.size() >= kMaxDepth) return b.stop("nested deeper than 64 elements");
    std::string_view qualified(name);
    const auto separator = qualified.rfind(kNamespaceSeparator);
    XmlElement element;
    element.name = std::string(
        separator == std::string_view::npos ? qualified : qualified.substr(separator + 1));
    b.open.push_back(std::move(element));
  }

  static void on_end(void* data, const XML_Char*) {
    auto& b = *static_cast<TreeBuilder*>(data);
    XmlElement element = std::move(b.open.back());
    b.open.pop_back();
    if (b.open.empty())
      b.root = std::move(element);
    else
      b.open.back().children.push_back(std::move(element));
  }

  static void on_text(void* data, const XML_Char* text, int length) {
    auto& b = *static_cast<TreeBuilder*>(data);
    if (!b.open.empty()) b.open.back().text.append(text, static_cast<std::size_t>(length));
  }

  // No AWS response declares a DTD; refusing one refuses entity expansion attacks with it.
  static void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<TreeBuilder*>(data)->stop("a DOCTYPE is not allowed");
  }
};

}  // namespace

XmlElement parse_xml(std::string_view document) {
  if (document.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("InvalidResponse", "malformed XML: document too large");
  TreeBuilder builder;
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS("UTF-8", kNamespaceSeparator), &XML_ParserFree);
  if (!parser) throw Error("InvalidResponse", "malformed XML: cannot create a parser");
  builder.parser = parser.get();
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), TreeBuilder::on_start, TreeBuilder::on_end);
  XML_SetCharacterDataHandler(parser.get(), TreeBuilder::on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), TreeBuilder::on_doctype);
  const auto status =
      XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
  if (status != XML_STATUS_OK || !builder.root) {
    std::string why = !builder.error.empty()    ? builder.error
                      : builder.root            ? XML_ErrorString(XML_GetErrorCode(parser.get()))
                      : status == XML_STATUS_OK ? "no root element"
                                                : XML_ErrorString(XML_GetErrorCode(parser.get()));
    throw Error("InvalidResponse", cat({"malformed XML: ", why, " at line ",
                                        std::to_string(XML_GetCurrentLineNumber(parser.get()))}));
  }
  return std::move(*builder.root);
}

const XmlElement* XmlElement::child(std::string_view wanted) const {
  for (const auto& c : children) {
    if (c.name == wanted) return &c;
  }
  return nullptr;
}

std::string XmlElement::child_text(std::string_view wanted) const {
  const XmlElement* c = child(wanted);
  return c == nullptr ? std::string() : c->text;
}

std::vector<const XmlElement*> XmlElement::children_named(std::string_view wanted) const {
  std::vector<const XmlElement*> out;
  for (const auto& c : children) {
    if (c.name == wanted) out.push_back(&c);
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace aws
