// templates (internal): the text of {% lorem %}: the common "Lorem ipsum" paragraph and words,
// as Django prints them, and random Latin words, sentences and paragraphs after them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace templates::detail {

inline constexpr std::int64_t kMaxLoremCount = 10000;

extern const std::string_view kLoremParagraph;

// `count` words separated by single spaces: with `common`, the paragraph's first 19 words first.
std::string lorem_words(std::int64_t count, bool common);
// One to four random sentences.
std::string lorem_paragraph();

}  // namespace templates::detail
