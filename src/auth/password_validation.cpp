#include "auth/password_validation.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_set>

namespace auth {

namespace {

constexpr const char* kCommonPasswords[] = {
#include "auth/common_passwords.inc"
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Characters, not bytes (UTF-8 continuation bytes do not count), as Python's len().
std::size_t char_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool exceeds_maximum_length_ratio(std::string_view password, std::string_view value) {
  const double pwd_len = static_cast<double>(password.size());
  const double value_len = static_cast<double>(value.size());
  return pwd_len >= 10 * value_len && value_len < kMaxSimilarity / 2 * pwd_len;
}

// re.split(r'\W+', value) + [value]
std::vector<std::string> parts_of(const std::string& value) {
  std::vector<std::string> out;
  std::string current;
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || u >= 0x80) {
      current.push_back(c);
    } else if (!current.empty() || out.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  out.push_back(current);
  out.push_back(value);
  return out;
}

}  // namespace

double quick_ratio(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  std::array<int, 256> counts{};
  for (char c : b) ++counts[static_cast<unsigned char>(c)];
  std::size_t matches = 0;
  for (char c : a) {
    int& n = counts[static_cast<unsigned char>(c)];
    if (n > 0) {
      --n;
      ++matches;
    }
  }
  return 2.0 * static_cast<double>(matches) / static_cast<double>(a.size() + b.size());
}

bool is_common_password(std::string_view password) {
  static const std::unordered_set<std::string_view> kSet(std::begin(kCommonPasswords), std::end(kCommonPasswords));
  auto b = password.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return kSet.count("") > 0;
  auto e = password.find_last_not_of(" \t\r\n");
  return kSet.count(lower(password.substr(b, e - b + 1))) > 0;
}

std::vector<std::string> validate_password(std::string_view password, const PasswordContext& user) {
  std::vector<std::string> problems;
  const std::string pw = lower(password);
  const std::pair<const char*, const std::string*> attributes[] = {
      {"username", &user.username}, {"first name", &user.first_name},
      {"last name", &user.last_name}, {"email address", &user.email}};
  for (const auto& [label, value] : attributes) {
    if (value->empty()) continue;
    bool similar = false;
    for (const auto& part : parts_of(lower(*value))) {
      if (exceeds_maximum_length_ratio(pw, part)) continue;
      if (quick_ratio(pw, part) >= kMaxSimilarity) similar = true;
    }
    if (similar) {
      problems.push_back(std::string("The password is too similar to the ") + label + ".");
      break;
    }
  }
  if (char_count(password) < kMinPasswordLength)
    problems.push_back("This password is too short. It must contain at least " +
                       std::to_string(kMinPasswordLength) + " characters.");
  if (is_common_password(password)) problems.push_back("This password is too common.");
  if (!password.empty() &&
      std::all_of(password.begin(), password.end(), [](char c) { return c >= '0' && c <= '9'; }))
    problems.push_back("This password is entirely numeric.");
  return problems;
}

}  // namespace auth
