#include "templates/lorem.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <vector>

namespace templates::detail {

const std::string_view kLoremParagraph =
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt "
    "ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
    "laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in "
    "voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat "
    "cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

namespace {

constexpr std::array<std::string_view, 19> kCommonWords = {
    "lorem",  "ipsum", "dolor",  "sit",     "amet",   "consectetur", "adipisicing",
    "elit",   "sed",   "do",     "eiusmod", "tempor", "incididunt",  "ut",
    "labore", "et",    "dolore", "magna",   "aliqua"};

// Latin words for the random parts.
constexpr std::array<std::string_view, 48> kWords = {
    "accusamus", "alias",     "aperiam",  "aspernatur", "beatae",   "blanditiis", "commodi",
    "corporis",  "culpa",     "cumque",   "debitis",    "delectus", "deserunt",   "dicta",
    "dolorem",   "ducimus",   "eaque",    "earum",      "eligendi", "enim",       "eos",
    "error",     "eveniet",   "expedita", "facere",     "fugit",    "harum",      "illum",
    "impedit",   "ipsa",      "iusto",    "labore",     "laborum",  "magnam",     "maxime",
    "minus",     "molestiae", "nemo",     "nihil",      "nobis",    "numquam",    "officia",
    "omnis",     "placeat",   "quaerat",  "quibusdam",  "ratione",  "veniam"};

std::mt19937& generator() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return engine;
}

int random_between(int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(generator());
}

// `count` distinct random words (Python's random.sample).
std::vector<std::string_view> sample(std::size_t count) {
  std::vector<std::string_view> words(kWords.begin(), kWords.end());
  std::shuffle(words.begin(), words.end(), generator());
  words.resize(std::min(count, words.size()));
  return words;
}

std::string sentence() {
  std::string out;
  const int sections = random_between(1, 5);
  for (int s = 0; s < sections; ++s) {
    if (s > 0) out += ", ";
    const auto words = sample(static_cast<std::size_t>(random_between(3, 12)));
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (w > 0) out += ' ';
      out += words[w];
    }
  }
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  out += random_between(0, 1) == 0 ? '?' : '.';
  return out;
}

}  // namespace

std::string lorem_words(std::int64_t count, bool common) {
  std::vector<std::string_view> words;
  if (common) {
    const auto n = static_cast<std::size_t>(std::clamp<std::int64_t>(count, 0, 19));
    words.assign(kCommonWords.begin(), kCommonWords.begin() + static_cast<std::ptrdiff_t>(n));
    count -= static_cast<std::int64_t>(n);
  }
  while (count > 0) {
    const auto chunk = sample(static_cast<std::size_t>(count));
    words.insert(words.end(), chunk.begin(), chunk.end());
    count -= static_cast<std::int64_t>(chunk.size());
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += words[i];
  }
  return out;
}

std::string lorem_paragraph() {
  std::string out;
  const int sentences = random_between(1, 4);
  for (int s = 0; s < sentences; ++s) {
    if (s > 0) out += ' ';
    out += sentence();
  }
  return out;
}

}  // namespace templates::detail
