#include "templates/library.hpp"

#include <deque>

#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/filters.hpp"

namespace templates {

struct Library::Impl {
  struct UserFilter {
    std::string name;
    Filter fn;
    detail::FilterDef def;
  };
  std::deque<UserFilter> filters;  // a deque: the FilterDefs never move
  std::map<std::string, Tag, std::less<>> tags;
};

Value conditional_escape(const Value& value) { return detail::conditional_escape(value); }

const Value* TagArguments::kwarg(std::string_view name) const {
  for (const auto& [key, value] : kwargs)
    if (key == name) return &value;
  return nullptr;
}

Library::Library() : impl_(std::make_unique<Impl>()) {}
Library::~Library() = default;

Library& Library::filter(std::string name, Filter fn, FilterFlags flags) {
  if (!fn) throw Error("filter '" + name + "': no function");
  auto& added = impl_->filters.emplace_back();
  added.name = std::move(name);
  added.fn = std::move(fn);
  added.def.name = added.name;
  added.def.min_args = flags.takes_arg && !flags.arg_optional ? 1 : 0;
  added.def.max_args = flags.takes_arg ? 1 : 0;
  added.def.is_safe = flags.is_safe;
  added.def.string_input = flags.string_input;
  added.def.user = &added.fn;
  return *this;
}

Library& Library::simple_tag(std::string name, SimpleTag fn) {
  if (!fn) throw Error("tag '" + name + "': no function");
  impl_->tags[std::move(name)] = Tag{TagKind::kSimple, std::move(fn), {}, {}, {}};
  return *this;
}

Library& Library::inclusion_tag(std::string name, std::string template_name, InclusionTag fn) {
  if (!fn) throw Error("tag '" + name + "': no function");
  impl_->tags[std::move(name)] =
      Tag{TagKind::kInclusion, {}, std::move(fn), {}, std::move(template_name)};
  return *this;
}

Library& Library::block_tag(std::string name, BlockTag fn) {
  if (!fn) throw Error("tag '" + name + "': no function");
  impl_->tags[std::move(name)] = Tag{TagKind::kBlock, {}, {}, std::move(fn), {}};
  return *this;
}

const detail::FilterDef* Library::find_filter(std::string_view name) const {
  for (const auto& f : impl_->filters)
    if (f.name == name) return &f.def;
  return nullptr;
}

const Library::Tag* Library::find_tag(std::string_view name) const {
  auto it = impl_->tags.find(name);
  return it == impl_->tags.end() ? nullptr : &it->second;
}

std::vector<std::string> Library::filter_names() const {
  std::vector<std::string> names;
  for (const auto& f : impl_->filters) names.push_back(f.name);
  return names;
}

std::vector<std::string> Library::tag_names() const {
  std::vector<std::string> names;
  for (const auto& [name, tag] : impl_->tags) names.push_back(name);
  return names;
}

}  // namespace templates
