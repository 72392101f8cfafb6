// Filters that follow a value's structure: dictsort, dictsortreversed, unordered_list, and
// linebreaks. As django/template/defaultfilters.py (3.2): what Django turns into '' is '' here,
// what it lets raise throws templates::Error.
#include <algorithm>
#include <string>
#include <vector>

#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// Nesting deeper than this in unordered_list is refused (Python would hit its recursion limit).
constexpr int kMaxListDepth = 100;

struct NoKey {};  // Django catches it and renders ''

// operator.itemgetter(arg)(item) for an arg float() accepts.
Value item_of(const Value& item, const Value& arg) {
  if (item.is_map()) {
    if (!arg.is_string()) throw Error("dictsort: KeyError: " + to_python_str(arg));
    const Value* found = item.map().find(arg.str());
    if (!found) throw Error("dictsort: KeyError: '" + arg.str() + "'");
    return *found;
  }
  if (!(item.is_list() || item.is_string()) || !(arg.is_int() || arg.is_bool())) throw NoKey{};
  Value::List elements;
  python_items(item, elements);
  auto index = *python_int(arg);
  const auto size = static_cast<std::int64_t>(elements.size());
  if (index < 0) index += size;
  if (index < 0 || index >= size) throw Error("dictsort: IndexError: index out of range");
  return elements[static_cast<std::size_t>(index)];
}

// Django's chain of __getitem__ and getattr over "a.b.c".
Value attribute_of(const Value& item, const std::string& path) {
  Value current = item;
  std::size_t from = 0;
  while (true) {
    const std::size_t dot = path.find('.', from);
    const std::string_view part = std::string_view(path).substr(
        from, dot == std::string::npos ? std::string::npos : dot - from);
    std::optional<Value> next;
    if (current.is_map()) {
      if (const Value* found = current.map().find(part)) next = *found;
    } else if (current.is_object()) {
      next = current.object().lookup(part);
    }
    if (!next) throw NoKey{};
    current = std::move(*next);
    if (dot == std::string::npos) return current;
    from = dot + 1;
  }
}

Value dictsort(const Value& in, const Value* arg, bool reverse) {
  Value::List items;
  if (!python_items(in, items)) return Value("");
  const bool numeric = python_float(*arg).has_value();
  if (!numeric && !arg->is_string()) return Value("");  // float(None): TypeError
  std::string storage;
  const std::string& path = arg_string(arg, storage);
  if (!numeric && (path.empty() || path[0] == '_' || path.find("._") != std::string::npos))
    return Value("");  // private attributes are refused
  struct Keyed {
    Value key;
    Value item;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(items.size());
  try {
    for (Value& item : items) {
      Value key = numeric ? item_of(item, *arg) : attribute_of(item, path);
      keyed.push_back({std::move(key), std::move(item)});
    }
    // Python's sorted(): stable, and with reverse=True equal keys keep their order.
    std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
      const auto less = reverse ? python_less(b.key, a.key) : python_less(a.key, b.key);
      if (!less) throw NoKey{};  // TypeError: not comparable
      return *less;
    });
  } catch (const NoKey&) {
    return Value("");
  }
  Value::List sorted;
  sorted.reserve(keyed.size());
  for (Keyed& k : keyed) sorted.push_back(std::move(k.item));
  return Value(std::move(sorted));
}

// Django's walk_items: an item followed by a list is that item's children.
void list_items(const Value::List& items, int tabs, bool autoescape, std::string& out) {
  if (tabs > kMaxListDepth) throw Error("unordered_list: nested more than 100 deep");
  const std::string indent(static_cast<std::size_t>(tabs), '\t');
  bool first = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& item = items[i];
    const Value* children = nullptr;
    if (i + 1 < items.size() && items[i + 1].is_list()) children = &items[++i];
    if (!first) out += '\n';
    first = false;
    out += indent;
    out += "<li>";
    out += autoescape ? conditional_escape(item).str() : to_python_str(item);
    if (children && !children->list().empty()) {
      out += '\n' + indent + "<ul>\n";
      list_items(children->list(), tabs + 1, autoescape, out);
      out += '\n' + indent + "</ul>\n" + indent;
    }
    out += "</li>";
  }
}

}  // namespace

Value dictsort_filter(const Value& in, const Value* arg, bool) { return dictsort(in, arg, false); }
Value dictsortreversed_filter(const Value& in, const Value* arg, bool) {
  return dictsort(in, arg, true);
}

Value unordered_list_filter(const Value& in, const Value*, bool autoescape) {
  Value::List items;
  if (!python_items(in, items)) throw Error("unordered_list: the value is not a list");
  std::string out;
  list_items(items, 1, autoescape, out);
  return mark_safe(std::move(out));
}

Value linebreaks_filter(const Value& in, const Value*, bool autoescape) {
  const bool escape = autoescape && !in.is_safe();
  // normalize_newlines, then paragraphs split at two or more newlines.
  std::string s;
  const std::string& raw = in.str();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r') {
      s.push_back('\n');
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      s.push_back(raw[i]);
    }
  }
  std::string out;
  std::size_t from = 0;
  while (true) {
    std::size_t at = s.find("\n\n", from);
    const std::string_view paragraph =
        std::string_view(s).substr(from, at == std::string::npos ? std::string::npos : at - from);
    if (from > 0) out += "\n\n";
    out += "<p>";
    std::string body = escape ? text::escape(paragraph) : std::string(paragraph);
    for (char c : body) {
      if (c == '\n')
        out += "<br>";
      else
        out.push_back(c);
    }
    out += "</p>";
    if (at == std::string::npos) break;
    while (at < s.size() && s[at] == '\n') ++at;
    from = at;
  }
  return mark_safe(std::move(out));
}

}  // namespace templates::detail
