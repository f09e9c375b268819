#include "core/json.hpp"

#include <invitekit/common.h>

#include <cstring>

#include "core/error.hpp"

namespace ik::detail {

void pad_for_parse(std::string &s) {
  if (s.capacity() < s.size() + simdjson::SIMDJSON_PADDING) s.reserve(s.size() + simdjson::SIMDJSON_PADDING);
}

// The slicing of array items reads the structural positions that the DOM
// parser's stage 1 leaves in parser.implementation (public in simdjson.h, but
// documented as "@private [for benchmarking access]"): checked here against the
// simdjson major version this was written and tested for (3.x), and by
// tests/unit/test_core_units.cpp (ArraySlices) against an independent slicer.
static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3,
              "array_item_slices reads dom::parser internals of simdjson 3.x: re-check it before a new major version");

JsonDoc parse_json(simdjson::dom::parser &parser, const std::string &body, std::string_view what) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
    fail(IK_STATUS_INTERNAL, "JSON buffer without padding");
  }
  JsonElement root;
  auto err = parser.parse(body.data(), body.size(), false).get(root);
  if (err) {
    fail(IK_STATUS_PARSE, std::string("malformed JSON in ") + std::string(what) + ": " + simdjson::error_message(err));
  }
  return JsonDoc{root, &parser, std::string_view(body)};
}

namespace {
[[noreturn]] void wrong_type(std::string_view key, const char *expected) {
  fail(IK_STATUS_PARSE, "unexpected response: field '" + std::string(key) + "' is not " + expected);
}
}  // namespace

std::string_view as_text(JsonElement e, std::string_view what) {
  std::string_view sv;
  if (e.get_string().get(sv) != simdjson::SUCCESS) wrong_type(what, "a string");
  // The C accessors return NUL-terminated strings: a value with an embedded
  // NUL (\u0000) would be read cut short, so it is refused, never truncated.
  if (sv.find('\0') != std::string_view::npos)
    fail(IK_STATUS_PARSE, "unexpected response: field '" + std::string(what) + "' contains a NUL character (\\u0000)");
  return sv;
}

namespace {
// The member `key` of obj (the first one, as at_key finds it), if present.
bool member_of(JsonObject obj, std::string_view key, JsonElement &e) {
  return obj.at_key(key).get(e) == simdjson::SUCCESS;
}
// A string member's text, or nothing when absent or null.
std::optional<std::string_view> text_of(bool found, JsonElement e, std::string_view key) {
  if (!found || e.is_null()) return std::nullopt;
  return as_text(e, key);
}
}  // namespace

OptStr get_str(JsonObject obj, std::string_view key) {
  OptStr out;
  JsonElement e;
  const bool found = member_of(obj, key, e);
  if (auto t = text_of(found, e, key)) out.assign(*t);
  return out;
}

void TextArena::overflow() { fail(IK_STATUS_INTERNAL, "field text beyond its body's size"); }

Field field_of(bool found, JsonElement e, std::string_view key, TextArena &text) {
  Field out;
  if (auto t = text_of(found, e, key)) out = Field{text.add(*t), true};
  return out;
}

Field get_field(JsonObject obj, std::string_view key, TextArena &text) {
  JsonElement e;
  const bool found = member_of(obj, key, e);
  return field_of(found, e, key, text);
}

// Integers outside int64_t (a number >= 2^63 such as 1e300 or
// 18446744073709551615, or a digit string that does not fit) are a parse
// error naming the field, never converted (docs/DESIGN.md, "Hostile input").
OptInt int_of(bool found, JsonElement e, std::string_view key) {
  OptInt out;
  if (!found || e.is_null()) return out;
  auto out_of_range = [&]() {
    fail(IK_STATUS_PARSE, "unexpected response: field '" + std::string(key) + "' is out of range for a 64-bit integer");
  };
  int64_t v;
  if (e.get_int64().get(v) == simdjson::SUCCESS) {
    out.v = v;
    out.set = true;
    return out;
  }
  if (e.is_uint64()) out_of_range();  // >= 2^63
  double d;
  if (e.get_double().get(d) == simdjson::SUCCESS) {
    // [-2^63, 2^63): the only doubles whose conversion to int64_t is defined.
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) out_of_range();
    // Integral iff converting to int64_t (truncating, defined in this range)
    // and back gives d: no libm call (std::trunc needs -lm where it is not
    // inlined, e.g. -O0, and the Go binding's static link has no -lm).
    const int64_t v = static_cast<int64_t>(d);
    if (static_cast<double>(v) == d) {
      out.v = v;
      out.set = true;
      return out;
    }
    wrong_type(key, "an integer");
  }
  // Some generators send integers as strings ("0"/"1").
  std::string_view sv;
  if (e.get_string().get(sv) == simdjson::SUCCESS) {
    int64_t acc = 0;
    bool ok = !sv.empty();
    bool overflow = false;
    for (char c : sv) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      if (!overflow && (__builtin_mul_overflow(acc, 10, &acc) || __builtin_add_overflow(acc, c - '0', &acc)))
        overflow = true;
    }
    if (ok && overflow) out_of_range();
    if (ok) {
      out.v = acc;
      out.set = true;
      return out;
    }
  }
  wrong_type(key, "an integer");
}

OptInt get_int(JsonObject obj, std::string_view key) {
  JsonElement e;
  const bool found = member_of(obj, key, e);
  return int_of(found, e, key);
}

ik_optbool bool_of(bool found, JsonElement e, std::string_view key) {
  if (!found || e.is_null()) return IK_OPTBOOL_UNSET;
  bool b;
  if (e.get_bool().get(b) != simdjson::SUCCESS) wrong_type(key, "a boolean");
  return b ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE;
}

ik_optbool get_bool(JsonObject obj, std::string_view key) {
  JsonElement e;
  const bool found = member_of(obj, key, e);
  return bool_of(found, e, key);
}

std::optional<JsonObject> obj_of(bool found, JsonElement e, std::string_view key) {
  if (!found || e.is_null()) return std::nullopt;
  JsonObject o;
  if (e.get_object().get(o) != simdjson::SUCCESS) wrong_type(key, "an object");
  return o;
}

std::optional<JsonObject> get_obj(JsonObject obj, std::string_view key) {
  JsonElement e;
  const bool found = member_of(obj, key, e);
  return obj_of(found, e, key);
}

std::optional<simdjson::dom::array> arr_of(bool found, JsonElement e, std::string_view key) {
  if (!found || e.is_null()) return std::nullopt;
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) wrong_type(key, "an array");
  return a;
}

std::optional<simdjson::dom::array> get_arr(JsonObject obj, std::string_view key) {
  JsonElement e;
  const bool found = member_of(obj, key, e);
  return arr_of(found, e, key);
}

JsonObject as_object(JsonElement e, std::string_view what) {
  JsonObject o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    fail(IK_STATUS_PARSE, "unexpected response: " + std::string(what) + " is not a JSON object");
  }
  return o;
}

std::string to_json(JsonElement e) { return simdjson::to_string(e); }

OptStr get_text(JsonObject obj, std::string_view key) {
  OptStr out;
  JsonElement v;
  if (obj.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return out;
  std::string_view sv;
  if (v.get_string().get(sv) == simdjson::SUCCESS)
    out.assign(sv);
  else
    out.assign(to_json(v));
  return out;
}

std::optional<std::pair<size_t, JsonElement>> find_root_member(const JsonDoc &doc, std::string_view key) {
  JsonObject root;
  if (doc.root.get_object().get(root) != simdjson::SUCCESS) return std::nullopt;
  size_t i = 0;
  for (auto it = root.begin(), end = root.end(); it != end; ++it, ++i) {
    if (it.key_equals(key)) return std::pair<size_t, JsonElement>{i, it.value()};
  }
  return std::nullopt;
}

namespace {
// +1 for an opening bracket, -1 for a closing one, 0 for any other character.
constexpr std::array<int8_t, 256> kDepthDelta = [] {
  std::array<int8_t, 256> t{};
  t['{'] = t['['] = 1;
  t['}'] = t[']'] = -1;
  return t;
}();
bool json_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
}  // namespace

namespace {
[[noreturn]] void inconsistent() {
  fail(IK_STATUS_PARSE, "unexpected response: its structure does not match its parse");
}

// The structural positions of doc's parse: stage 1 lists the byte position of
// every structural character ({}[],:) and of the first byte of every scalar
// (a string's opening quote), in increasing order; none inside strings.
class Structurals {
 public:
  explicit Structurals(const JsonDoc &doc) : body_(doc.body) {
    const auto *impl = doc.parser ? doc.parser->implementation.get() : nullptr;
    if (!impl || !impl->structural_indexes || impl->n_structural_indexes == 0) inconsistent();
    pos_ = impl->structural_indexes.get();
    n_ = impl->n_structural_indexes;
    json_ = reinterpret_cast<const unsigned char *>(body_.data());
    if (pos_[n_ - 1] >= body_.size()) inconsistent();  // not this body's parse
  }
  size_t size() const { return n_; }
  size_t at(size_t k) const { return pos_[k]; }
  unsigned char ch(size_t k) const { return k < n_ ? json_[pos_[k]] : 0; }
  int delta(size_t k) const { return kDepthDelta[json_[pos_[k]]]; }

  // The index of the first structural of the value of the `member`-th member
  // (0-based, document order) of the root object.
  size_t root_member_value(size_t member) const {
    size_t i = 0;
    if (ch(i++) != '{') inconsistent();
    for (size_t m = 0;; ++m) {
      if (ch(i) != '"' || ch(i + 1) != ':') inconsistent();
      i += 2;
      if (m == member) return i;
      i = past_value(i);
      if (ch(i++) != ',') inconsistent();
    }
  }
  // The index just past the value starting at structural i.
  size_t past_value(size_t i) const {
    int depth = 0;
    do depth += kDepthDelta[ch(i++)];
    while (depth > 0 && i < n_);
    if (depth != 0) inconsistent();
    return i;
  }
  // The bytes from structural `begin` up to the structural `end` that follows
  // the value, without the whitespace before it.
  std::string_view slice(size_t begin, size_t end) const {
    size_t b = pos_[begin], e = pos_[end];
    while (e > b && json_space(json_[e - 1])) --e;
    return body_.substr(b, e - b);
  }

 private:
  std::string_view body_;
  const uint32_t *pos_ = nullptr;
  size_t n_ = 0;
  const unsigned char *json_ = nullptr;
};
}  // namespace

void array_item_slices(const JsonDoc &doc, size_t member, std::vector<std::string_view> &out) {
  const Structurals st(doc);
  const size_t n = st.size();
  size_t i = st.root_member_value(member);
  if (st.ch(i++) != '[') inconsistent();
  if (st.ch(i) == ']') return;
  // The elements: each from its first structural to the last non-whitespace
  // byte before the ',' or ']' that follows it at the array's depth.
  size_t begin = i;
  int depth = 0;
  for (; i < n; ++i) {
    // Inside an element, four structurals at a time while the depth stays
    // at 1 or more after each (no element ends among them).
    while (depth > 0 && i + 4 <= n) {
      const int s0 = depth + st.delta(i), s1 = s0 + st.delta(i + 1), s2 = s1 + st.delta(i + 2),
                s3 = s2 + st.delta(i + 3);
      if (((s0 - 1) | (s1 - 1) | (s2 - 1) | (s3 - 1)) < 0) break;
      depth = s3;
      i += 4;
    }
    if (i >= n) break;
    const unsigned char c = st.ch(i);
    depth += kDepthDelta[c];
    if (depth > 0 || (depth == 0 && c != ',')) continue;
    if (depth < 0 && c != ']') inconsistent();
    out.push_back(st.slice(begin, i));
    if (depth < 0) return;
    if (i + 1 >= n) inconsistent();
    begin = i + 1;
  }
  inconsistent();
}

std::string_view member_slice(const JsonDoc &doc, size_t member) {
  const Structurals st(doc);
  const size_t begin = st.root_member_value(member);
  const size_t end = st.past_value(begin);
  if (end >= st.size()) inconsistent();  // the root's ',' or '}' follows every member
  return st.slice(begin, end);
}

void json_quote(std::string &out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void JsonWriter::sep() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonWriter &JsonWriter::begin_object() {
  sep();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}
JsonWriter &JsonWriter::end_object() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}
JsonWriter &JsonWriter::begin_array() {
  sep();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}
JsonWriter &JsonWriter::end_array() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}
JsonWriter &JsonWriter::key(std::string_view k) {
  sep();
  json_quote(out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
JsonWriter &JsonWriter::value(std::string_view s) {
  sep();
  json_quote(out_, s);
  return *this;
}
JsonWriter &JsonWriter::value(bool b) {
  sep();
  out_ += b ? "true" : "false";
  return *this;
}
JsonWriter &JsonWriter::value(int64_t v) {
  sep();
  out_ += std::to_string(v);
  return *this;
}
JsonWriter &JsonWriter::null() {
  sep();
  out_ += "null";
  return *this;
}

}  // namespace ik::detail
