#include "core/json.hpp"

#include <invitekit/common.h>

#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace ik::detail {

void pad_for_parse(std::string &s) {
  if (s.capacity() < s.size() + simdjson::SIMDJSON_PADDING) s.reserve(s.size() + simdjson::SIMDJSON_PADDING);
}

JsonElement parse_json(simdjson::dom::parser &parser, const std::string &body, std::string_view what) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
    fail(IK_STATUS_INTERNAL, "JSON buffer without padding");
  }
  JsonElement root;
  auto err = parser.parse(body.data(), body.size(), false).get(root);
  if (err) {
    fail(IK_STATUS_PARSE, std::string("malformed JSON in ") + std::string(what) + ": " + simdjson::error_message(err));
  }
  return root;
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
// A string member's text, or nothing when absent or null.
std::optional<std::string_view> find_text(JsonObject obj, std::string_view key) {
  JsonElement e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return as_text(e, key);
}
}  // namespace

OptStr get_str(JsonObject obj, std::string_view key) {
  OptStr out;
  if (auto t = find_text(obj, key)) out.assign(*t);
  return out;
}

std::string_view TextArena::add(std::string_view s) {
  if (s.size() >= cap_ - used_) fail(IK_STATUS_INTERNAL, "field text beyond its body's size");
  char *p = buf_.get() + used_;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  used_ += s.size() + 1;
  return {p, s.size()};
}

Field get_field(JsonObject obj, std::string_view key, TextArena &text) {
  Field out;
  if (auto t = find_text(obj, key)) out = Field{text.add(*t), true};
  return out;
}

// Integers outside int64_t (a number >= 2^63 such as 1e300 or
// 18446744073709551615, or a digit string that does not fit) are a parse
// error naming the field, never converted (docs/DESIGN.md, "Hostile input").
OptInt get_int(JsonObject obj, std::string_view key) {
  OptInt out;
  JsonElement e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return out;
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
    if (d == std::trunc(d)) {
      out.v = static_cast<int64_t>(d);
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

ik_optbool get_bool(JsonObject obj, std::string_view key) {
  JsonElement e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return IK_OPTBOOL_UNSET;
  bool b;
  if (e.get_bool().get(b) != simdjson::SUCCESS) wrong_type(key, "a boolean");
  return b ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE;
}

std::optional<JsonObject> get_obj(JsonObject obj, std::string_view key) {
  JsonElement e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  JsonObject o;
  if (e.get_object().get(o) != simdjson::SUCCESS) wrong_type(key, "an object");
  return o;
}

std::optional<simdjson::dom::array> get_arr(JsonObject obj, std::string_view key) {
  JsonElement e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) wrong_type(key, "an array");
  return a;
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

std::string_view object_slice(const std::string &body, std::string_view key) {
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root, member;
  std::string_view raw;
  auto err = parser.iterate(simdjson::padded_string_view(body.data(), body.size(), body.capacity())).get(doc);
  if (!err) err = doc.get_object().get(root);
  if (!err) err = root.find_field_unordered(key).get_object().get(member);
  if (!err) err = member.raw_json().get(raw);
  if (err) fail(IK_STATUS_PARSE, "malformed response: " + std::string(simdjson::error_message(err)));
  return raw;
}

std::vector<std::string_view> array_item_slices(const std::string &body, std::string_view key) {
  std::vector<std::string_view> out;
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  auto bad = [&](simdjson::error_code e) {
    fail(IK_STATUS_PARSE, "malformed list response: " + std::string(simdjson::error_message(e)));
  };
  if (auto e = parser.iterate(simdjson::padded_string_view(body.data(), body.size(), body.capacity())).get(doc)) bad(e);
  simdjson::ondemand::object root;
  if (auto e = doc.get_object().get(root)) bad(e);
  simdjson::ondemand::array arr;
  if (auto e = root.find_field_unordered(key).get_array().get(arr)) bad(e);
  for (auto item : arr) {
    simdjson::ondemand::value v;
    if (auto e = item.get(v)) bad(e);
    std::string_view raw;
    simdjson::ondemand::object o;
    if (auto e = v.get_object().get(o)) bad(e);
    if (auto e = o.raw_json().get(raw)) bad(e);
    out.push_back(raw);
  }
  return out;
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
