#include "auth/messages.hpp"

#include <nlohmann/json.hpp>

#include "auth/session.hpp"

namespace auth::messages {

namespace {

constexpr const char* kSessionKey = "_messages";
constexpr std::size_t kMaxWaiting = 50;  // a view adding in a loop cannot grow the session forever

}  // namespace

std::string Message::level_tag() const {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kSuccess:
      return "success";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "";
}

std::string Message::tags() const {
  if (extra_tags.empty()) return level_tag();
  return extra_tags + " " + level_tag();
}

void add(http::Request& request, Level level, std::string text, std::string extra_tags) {
  if (level < Level::kInfo) return;  // MESSAGE_LEVEL = INFO
  Session& session = auth::session(request);
  nlohmann::json waiting = nlohmann::json::array();
  if (auto stored = session.get(kSessionKey)) {
    auto parsed = nlohmann::json::parse(*stored, nullptr, false);
    if (parsed.is_array()) waiting = std::move(parsed);
  }
  if (waiting.size() >= kMaxWaiting) waiting.erase(waiting.begin());
  waiting.push_back({static_cast<int>(level), std::move(text), std::move(extra_tags)});
  session.set(kSessionKey, waiting.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::vector<Message> take(http::Request& request) {
  if (!has_session(request)) return {};
  Session& session = auth::session(request);
  auto stored = session.get(kSessionKey);
  if (!stored) return {};
  session.erase(kSessionKey);
  std::vector<Message> out;
  auto parsed = nlohmann::json::parse(*stored, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (!item.is_array() || item.size() != 3 || !item[0].is_number_integer() ||
        !item[1].is_string() || !item[2].is_string())
      continue;
    out.push_back({static_cast<Level>(item[0].get<int>()), item[1].get<std::string>(),
                   item[2].get<std::string>()});
  }
  return out;
}

}  // namespace auth::messages
