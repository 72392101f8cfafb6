// Fuzz target: a template's source through the lexer, parser and renderer (site authors write
// templates; a bad one must be an error, never a crash).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "templates/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const templates::Engine engine(templates::EngineOptions{});
  templates::Context context;
  context.set("name", "world");
  context.set("items", templates::Value::List{templates::Value(1), templates::Value("<b>")});
  try {
    (void)engine.render_string(std::string_view(reinterpret_cast<const char*>(data), size),
                               context);
  } catch (const templates::Error&) {
  }
  return 0;
}
