// Minimal JSON *writer* for the emulator (parsing is done with simdjson).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emu::json {

// Appends `s` as a quoted JSON string. Control characters are escaped and any
// byte sequence that is not valid UTF-8 is replaced by U+FFFD, so the output is
// always valid JSON whatever the input bytes were.
void append_quoted(std::string &out, std::string_view s);
std::string quote(std::string_view s);

// Builds one JSON object. Member names are written as given (quoted).
class Object {
 public:
  Object &str(std::string_view key, std::string_view value);
  Object &opt_str(std::string_view key, const std::optional<std::string> &value);
  Object &num(std::string_view key, std::int64_t value);
  Object &opt_num(std::string_view key, const std::optional<std::int64_t> &value);
  Object &boolean(std::string_view key, bool value);
  Object &null(std::string_view key);
  Object &raw(std::string_view key, std::string_view json_text);
  std::string done();

 private:
  void key(std::string_view k);
  std::string buf_ = "{";
};

// Builds one JSON array.
class Array {
 public:
  Array &str(std::string_view value);
  Array &raw(std::string_view json_text);
  std::string done();

 private:
  void sep();
  std::string buf_ = "[";
};

}  // namespace emu::json
