// The site's own template tags and filters, `{% load mysite_tags %}`: one of each kind a site
// can register (templates/library.hpp), used by templates/base.html.
//
//   {{ "C++ on AWS"|initials }}                     filter             "CoA"
//   {% copyright "mysite" since=2024 %}             simple tag         "© 2024–2026 mysite"
//   {% nav_link "/fortunes/" "Fortunes" %}          inclusion tag      renders nav_link.html
//   {% card title="About" %}...{% endcard %}        block tag          wraps the rendered body
#include <chrono>
#include <memory>
#include <string>

#include "app/urls.hpp"
#include "templates/error.hpp"
#include "templates/library.hpp"

namespace app {

namespace {

using templates::Map;
using templates::TagArguments;
using templates::Value;

// The first letter of each word, spaces dropped: "C++ on AWS" -> "CoA".
Value initials(const Value& value, const Value*, bool) {
  std::string out;
  bool at_word_start = true;
  for (char c : value.str()) {
    if (c == ' ') {
      at_word_start = true;
    } else if (at_word_start) {
      out.push_back(c);
      at_word_start = false;
    }
  }
  return Value(out);
}

int current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

// {% copyright OWNER [since=YEAR] %}: "© 2024–2026 OWNER" (escaped, as any tag's plain result).
Value copyright(const TagArguments& a) {
  if (a.args.size() != 1) throw templates::Error("copyright takes one argument, the owner");
  const int year = current_year();
  std::string years = std::to_string(year);
  if (const Value* since = a.kwarg("since"); since && since->is_int() && since->as_int() < year)
    years = std::to_string(since->as_int()) + "\u2013" + years;
  return Value("\u00a9 " + years + " " + templates::to_python_str(a.args[0]));
}

// {% nav_link URL LABEL %}: the context of nav_link.html.
Map nav_link(const TagArguments& a) {
  if (a.args.size() != 2) throw templates::Error("nav_link takes a URL and a label");
  Map context;
  context.set("url", a.args[0]);
  context.set("label", a.args[1]);
  return context;
}

// {% card title=TITLE %}BODY{% endcard %}: the body in a titled section.
Value card(const TagArguments& a, const Value& body) {
  std::string html = "<section class=\"card\">";
  if (const Value* title = a.kwarg("title"))
    html += "<h2>" + templates::conditional_escape(*title).str() + "</h2>";
  html += body.str();  // already rendered, and escaped where it had to be
  html += "</section>";
  return Value::safe(std::move(html));
}

}  // namespace

void template_libraries(templates::Libraries& libraries) {
  auto tags = std::make_shared<templates::Library>();
  tags->filter("initials", initials, {.string_input = true});
  tags->simple_tag("copyright", copyright);
  tags->inclusion_tag("nav_link", "nav_link.html", nav_link);
  tags->block_tag("card", card);
  libraries["mysite_tags"] = std::move(tags);
}

}  // namespace app
