// JSON: parsing with simdjson's DOM API (see docs/DESIGN.md for why) and a
// small writer for request bodies. Parsing is never hand-written.
#pragma once

#include <invitekit/common.h>
#include <simdjson.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ik::detail {

// A string that may be absent (or JSON null): the C accessors return NULL then.
struct OptStr {
  std::string s;
  bool set = false;
  const char *c() const { return set ? s.c_str() : nullptr; }
  void assign(std::string_view v) {
    s.assign(v);
    set = true;
  }
};

// A string field of a result (an item or a single object): a view of
// unescaped, NUL-terminated text in the TextArena of the body it was parsed
// from, which the result keeps alive (types.hpp, ParsedBody); unset when the
// field is absent or JSON null. Copying it copies no text.
struct Field {
  std::string_view v;
  bool set = false;
  const char *c() const { return set ? v.data() : nullptr; }
};

// The text of the string fields of the results parsed from one body: a
// single block allocated once, of a capacity that bounds what is added (the
// body's size: each field comes from its own JSON string literal, whose
// quotes leave room for the NUL and whose escapes only shrink). It never
// grows, so the views it hands out stay valid as long as it lives.
class TextArena {
 public:
  explicit TextArena(size_t capacity) : buf_(new char[capacity]), cap_(capacity) {}
  // A NUL-terminated copy of s; throws Error(IK_STATUS_INTERNAL) past the capacity.
  std::string_view add(std::string_view s) {
    if (s.size() >= cap_ - used_) overflow();
    char *p = buf_.get() + used_;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    used_ += s.size() + 1;
    return {p, s.size()};
  }

 private:
  [[noreturn]] static void overflow();
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t used_ = 0;
};

struct OptInt {
  int64_t v = 0;
  bool set = false;
};

using JsonElement = simdjson::dom::element;
using JsonObject = simdjson::dom::object;

// A document parsed by a DOM parser: its root, and what the parse left in the
// parser that the DOM does not keep (the byte position of every structural
// character, see array_item_slices). Valid until the parser parses again.
struct JsonDoc {
  JsonElement root;
  const simdjson::dom::parser *parser = nullptr;
  std::string_view body;
  operator JsonElement() const { return root; }  // NOLINT: a JsonDoc is read as its root
};

// Parses `body` (which must have SIMDJSON_PADDING bytes of capacity beyond its
// size, see pad_for_parse) and returns the document; throws Error(IK_STATUS_PARSE).
JsonDoc parse_json(simdjson::dom::parser &parser, const std::string &body, std::string_view what);
// Ensures the capacity simdjson needs to parse `s` without copying it.
void pad_for_parse(std::string &s);

// Readers of a member's value `e` (found: false when the member is absent):
// absent and null read as unset; a value of the wrong type throws
// Error(IK_STATUS_PARSE) naming the member `key`. The get_* readers below and
// Members are both built on them.
Field field_of(bool found, JsonElement e, std::string_view key, TextArena &text);
OptInt int_of(bool found, JsonElement e, std::string_view key);
ik_optbool bool_of(bool found, JsonElement e, std::string_view key);
std::optional<JsonObject> obj_of(bool found, JsonElement e, std::string_view key);
std::optional<simdjson::dom::array> arr_of(bool found, JsonElement e, std::string_view key);

// n bytes equal (a short key compared inline, eight bytes at a time).
inline bool same_bytes(const char *a, const char *b, size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n > 0; ++a, ++b, --n)
    if (*a != *b) return false;
  return true;
}

// The members of an object that a mapper reads, found in one walk over the
// object's fields instead of one at_key scan per member. `keys` is the
// mapper's list (index it with an enum); a field is compared with the key
// after the last one matched first (objects usually arrive in the order the
// mapper lists them), by length before bytes. Of duplicate keys the first wins,
// as with simdjson's at_key; unknown keys are skipped.
template <size_t N>
class Members {
  static_assert(N > 0 && N <= 64, "a mapper reads 1 to 64 members of an object");

 public:
  Members(JsonObject o, const std::array<std::string_view, N> &keys) : keys_(keys) {
    constexpr uint64_t all = N == 64 ? ~uint64_t{0} : (uint64_t{1} << N) - 1;
    size_t hint = 0;
    for (auto it = o.begin(), end = o.end(); it != end && found_ != all; ++it) {
      const std::string_view k = it.key();
      size_t i = hint;
      for (size_t n = 0; n < N; ++n, i = (i + 1 == N ? 0 : i + 1)) {
        if (keys_[i].size() != k.size() || !same_bytes(keys_[i].data(), k.data(), k.size())) continue;
        if (!(found_ >> i & 1)) {
          v_[i] = it.value();
          found_ |= uint64_t{1} << i;
        }
        hint = i + 1 == N ? 0 : i + 1;
        break;
      }
    }
  }
  bool has(size_t i) const { return found_ >> i & 1; }
  Field text(size_t i, TextArena &text) const {
    std::string_view sv;  // the common case inline: a string without NUL
    if (has(i) && v_[i].get_string().get(sv) == simdjson::SUCCESS && !std::memchr(sv.data(), '\0', sv.size()))
      return Field{text.add(sv), true};
    return field_of(has(i), v_[i], keys_[i], text);
  }
  OptInt integer(size_t i) const { return int_of(has(i), v_[i], keys_[i]); }
  ik_optbool boolean(size_t i) const { return bool_of(has(i), v_[i], keys_[i]); }
  std::optional<JsonObject> object(size_t i) const { return obj_of(has(i), v_[i], keys_[i]); }
  std::optional<simdjson::dom::array> array(size_t i) const { return arr_of(has(i), v_[i], keys_[i]); }

 private:
  const std::array<std::string_view, N> &keys_;
  std::array<JsonElement, N> v_{};
  uint64_t found_ = 0;
};

// Single-member readers (metadata, error bodies): absent and null read as
// unset; a value of the wrong type throws Error(IK_STATUS_PARSE) naming the field.
OptStr get_str(JsonObject obj, std::string_view key);
// A string element (e.g. of an array) as text; what names it in errors. Throws
// Error(IK_STATUS_PARSE) unless it is a string without an embedded NUL.
std::string_view as_text(JsonElement e, std::string_view what);
// get_str for results: the text goes into the result's arena, not a string.
Field get_field(JsonObject obj, std::string_view key, TextArena &text);
OptInt get_int(JsonObject obj, std::string_view key);
ik_optbool get_bool(JsonObject obj, std::string_view key);  // IK_OPTBOOL_*; absent/null = UNSET
std::optional<JsonObject> get_obj(JsonObject obj, std::string_view key);
std::optional<simdjson::dom::array> get_arr(JsonObject obj, std::string_view key);
JsonObject as_object(JsonElement e, std::string_view what);
// Compact JSON text of an element.
std::string to_json(JsonElement e);

// Lenient reading of an error body: calls fn with the root object when the
// body is a JSON object, otherwise does nothing (the caller keeps the raw text).
template <class Fn>
void with_json_object(const std::string &body, Fn &&fn) {
  if (body.empty()) return;
  std::string copy = body;
  pad_for_parse(copy);
  simdjson::dom::parser parser;
  JsonElement root;
  if (parser.parse(copy.data(), copy.size(), false).get(root) != simdjson::SUCCESS) return;
  JsonObject o;
  if (root.get_object().get(o) != simdjson::SUCCESS) return;
  fn(o);
}
// A field as text: a string's value, any other JSON value as compact JSON;
// absent or null reads as unset. Never throws (for error bodies).
OptStr get_text(JsonObject obj, std::string_view key);

// The first member `key` of the root object of doc (as at_key finds it), with
// its position among the root's members; nullopt when absent.
std::optional<std::pair<size_t, JsonElement>> find_root_member(const JsonDoc &doc, std::string_view key);
// The exact bytes of each element of the array that is the value of the
// `member`-th member (0-based, document order) of doc's root object, from the
// first byte of the element to its last (a container's closing bracket; no
// whitespace around), appended to out as views into doc.body. No second
// parse: the bounds come from the structural positions of doc's parse
// (simdjson's stage 1, which the DOM parser keeps until its next parse),
// walked with a depth counter. Throws Error(IK_STATUS_PARSE) when the
// structure is not the one described (which a parse that succeeded excludes).
void array_item_slices(const JsonDoc &doc, size_t member, std::vector<std::string_view> &out);
// The exact bytes of the value of the `member`-th member of doc's root object
// (as array_item_slices: from the same parse, no whitespace around), a view
// into doc.body. Throws Error(IK_STATUS_PARSE) like array_item_slices.
std::string_view member_slice(const JsonDoc &doc, size_t member);

// Appends a JSON string literal (quoted, escaped) to out.
void json_quote(std::string &out, std::string_view s);

// Streaming writer for request bodies: w.begin_object(); w.key("a"); w.value("x"); ...
class JsonWriter {
 public:
  JsonWriter &begin_object();
  JsonWriter &end_object();
  JsonWriter &begin_array();
  JsonWriter &end_array();
  JsonWriter &key(std::string_view k);
  JsonWriter &value(std::string_view s);
  JsonWriter &value(const char *s) { return value(std::string_view(s)); }
  JsonWriter &value(bool b);
  JsonWriter &value(int64_t v);
  JsonWriter &null();
  // key + string value in one step
  JsonWriter &field(std::string_view k, std::string_view v) { return key(k).value(v); }
  std::string take() { return std::move(out_); }
  const std::string &str() const { return out_; }

 private:
  void sep();
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace ik::detail
