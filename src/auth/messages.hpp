// auth: Django's messages framework: one-time notices ("The fortune “…” was added
// successfully.") a view adds for the next page this browser shows, kept in the session until a
// page takes them. Levels and tags as Django's (DEBUG messages are not kept, as with Django's
// default MESSAGE_LEVEL). Knows nothing of templates: a page turns what take() returns into
// whatever it renders.
//
//   auth::messages::success(request, "Saved.");     // in the view that saves, before redirecting
//   for (const auto& m : auth::messages::take(request)) ...   // in the page shown next
#pragma once

#include <string>
#include <vector>

#include "http/request.hpp"

namespace auth::messages {

enum class Level { kDebug = 10, kInfo = 20, kSuccess = 25, kWarning = 30, kError = 40 };

struct Message {
  Level level = Level::kInfo;
  std::string text;
  std::string extra_tags;

  // "success", "error", ... (Django's level_tag).
  std::string level_tag() const;
  // extra_tags then level_tag, space-separated (Django's tags).
  std::string tags() const;
};

// Adds a message for the next page (needs the session middleware).
void add(http::Request& request, Level level, std::string text, std::string extra_tags = "");
inline void info(http::Request& r, std::string text) { add(r, Level::kInfo, std::move(text)); }
inline void success(http::Request& r, std::string text) {
  add(r, Level::kSuccess, std::move(text));
}
inline void warning(http::Request& r, std::string text) {
  add(r, Level::kWarning, std::move(text));
}
inline void error(http::Request& r, std::string text) { add(r, Level::kError, std::move(text)); }

// The messages waiting for this browser, oldest first; they are then gone. None without a
// session.
std::vector<Message> take(http::Request& request);

}  // namespace auth::messages
