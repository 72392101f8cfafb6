#include "aws/xml.hpp"

#include <cctype>

#include "aws/error.hpp"
#include "aws/strings.hpp"

namespace aws {
namespace {

[[noreturn]] void fail(std::string_view what) {
  throw Error("InvalidResponse", cat({"malformed XML: ", what}));
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string decode_entities(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos) fail("unterminated entity");
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp")
      out.push_back('&');
    else if (entity == "lt")
      out.push_back('<');
    else if (entity == "gt")
      out.push_back('>');
    else if (entity == "quot")
      out.push_back('"');
    else if (entity == "apos")
      out.push_back('\'');
    else if (!entity.empty() && entity[0] == '#') {
      const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      const std::string digits(entity.substr(hex ? 2 : 1));
      if (digits.empty()) fail("empty character reference");
      append_utf8(out, std::stoul(digits, nullptr, hex ? 16 : 10));
    } else {
      fail("unknown entity");
    }
    i = semi;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view doc) : doc_(doc) {}

  XmlElement parse_document() {
    skip_misc();
    XmlElement root = parse_element();
    return root;
  }

 private:
  void skip_misc() {
    for (;;) {
      while (pos_ < doc_.size() && std::isspace(static_cast<unsigned char>(doc_[pos_]))) ++pos_;
      if (starts("<?"))
        skip_past("?>");
      else if (starts("<!--"))
        skip_past("-->");
      else if (starts("<!"))
        skip_past(">");
      else
        return;
    }
  }
  bool starts(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }
  void skip_past(std::string_view s) {
    const std::size_t at = doc_.find(s, pos_);
    if (at == std::string_view::npos) fail("unterminated markup");
    pos_ = at + s.size();
  }
  static std::string local(std::string_view name) {
    const std::size_t colon = name.find(':');
    return std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
  }

  XmlElement parse_element() {
    if (!starts("<")) fail("expected an element");
    const std::size_t close = doc_.find('>', pos_);
    if (close == std::string_view::npos) fail("unterminated tag");
    std::string_view tag = doc_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    const std::size_t name_end = tag.find_first_of(" \t\r\n");
    XmlElement element;
    element.name = local(tag.substr(0, name_end));
    if (element.name.empty()) fail("empty tag name");
    if (self_closing) return element;
    for (;;) {
      const std::size_t lt = doc_.find('<', pos_);
      if (lt == std::string_view::npos) fail("unterminated element");
      element.text += decode_entities(doc_.substr(pos_, lt - pos_));
      pos_ = lt;
      if (starts("</")) {
        skip_past(">");
        return element;
      }
      if (starts("<![CDATA[")) {
        const std::size_t end = doc_.find("]]>", pos_);
        if (end == std::string_view::npos) fail("unterminated CDATA");
        element.text += std::string(doc_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (starts("<!--")) {
        skip_past("-->");
      } else if (starts("<?")) {
        skip_past("?>");
      } else {
        element.children.push_back(parse_element());
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
};

}  // namespace

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

XmlElement parse_xml(std::string_view document) { return Parser(document).parse_document(); }

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
