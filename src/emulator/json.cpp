#include "json.hpp"

namespace emu::json {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else
    return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (overlong || surrogate || cp > 0x10FFFF) return 0;
  return len;
}

}  // namespace

void append_quoted(std::string &out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      default: break;
    }
    if (c < 0x20) {
      out += "\\u00";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  out.push_back('"');
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_quoted(out, s);
  return out;
}

void Object::key(std::string_view k) {
  if (buf_.size() > 1) buf_.push_back(',');
  append_quoted(buf_, k);
  buf_.push_back(':');
}

Object &Object::str(std::string_view k, std::string_view value) {
  key(k);
  append_quoted(buf_, value);
  return *this;
}

Object &Object::opt_str(std::string_view k, const std::optional<std::string> &value) {
  return value ? str(k, *value) : null(k);
}

Object &Object::num(std::string_view k, std::int64_t value) {
  key(k);
  buf_ += std::to_string(value);
  return *this;
}

Object &Object::opt_num(std::string_view k, const std::optional<std::int64_t> &value) {
  return value ? num(k, *value) : null(k);
}

Object &Object::boolean(std::string_view k, bool value) {
  key(k);
  buf_ += value ? "true" : "false";
  return *this;
}

Object &Object::null(std::string_view k) {
  key(k);
  buf_ += "null";
  return *this;
}

Object &Object::raw(std::string_view k, std::string_view json_text) {
  key(k);
  buf_.append(json_text);
  return *this;
}

std::string Object::done() {
  buf_.push_back('}');
  return std::move(buf_);
}

void Array::sep() {
  if (buf_.size() > 1) buf_.push_back(',');
}

Array &Array::str(std::string_view value) {
  sep();
  append_quoted(buf_, value);
  return *this;
}

Array &Array::raw(std::string_view json_text) {
  sep();
  buf_.append(json_text);
  return *this;
}

std::string Array::done() {
  buf_.push_back(']');
  return std::move(buf_);
}

}  // namespace emu::json
