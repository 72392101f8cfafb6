// auth: Django's default password validators (AUTH_PASSWORD_VALIDATORS of a new project):
// minimum length 8, not too similar to the username/names/email, not a common password, not
// entirely numeric. Knows nothing of storage or HTTP.
//
//   auto problems = auth::validate_password("password1", {.username = "alice"});
//   for (const auto& p : problems) std::cerr << p << "\n";   // Django's messages
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace auth {

// The user attributes the similarity check compares with (Django's DEFAULT_USER_ATTRIBUTES).
struct PasswordContext {
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
};

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr double kMaxSimilarity = 0.7;

// Every problem with `password`, worded as Django's validators; empty when it is acceptable.
std::vector<std::string> validate_password(std::string_view password, const PasswordContext& user = {});

// Whether `password` (lower-cased, trimmed) is on Django's list of 20,000 common passwords.
bool is_common_password(std::string_view password);

// difflib.SequenceMatcher(a=a, b=b).quick_ratio(): 2 * (shared characters) / (|a| + |b|).
double quick_ratio(std::string_view a, std::string_view b);

}  // namespace auth
