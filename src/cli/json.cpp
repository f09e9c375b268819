#include "json.hpp"

#include <cstdint>
#include <cstdio>

namespace ikcli::json {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_seq_len(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;  // overlong
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void newline_indent(std::string &out, int depth) {
  out.push_back('\n');
  out.append(static_cast<size_t>(depth) * 2, ' ');
}

}  // namespace

void append_string(std::string &out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
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
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      ++i;
      continue;
    }
    const size_t n = utf8_seq_len(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out.push_back('"');
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_string(out, s);
  return out;
}

namespace {
// Writes the '{' or '[' at text[i]; an empty container stays on one line (its
// closing bracket is written too). Returns the index of the last character used.
size_t open_container(std::string_view text, size_t i, bool pretty, std::string &out, int &depth) {
  out.push_back(text[i]);
  size_t j = i + 1;  // look ahead past whitespace
  while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r')) ++j;
  if (j < text.size() && (text[j] == '}' || text[j] == ']')) {
    out.push_back(text[j]);
    return j;
  }
  ++depth;
  if (pretty) newline_indent(out, depth);
  return i;
}
}  // namespace

std::string reformat(std::string_view text, bool pretty) {
  std::string out;
  out.reserve(pretty ? text.size() * 2 : text.size());
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r': break;  // insignificant whitespace
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[': i = open_container(text, i, pretty, out, depth); break;
      case '}':
      case ']':
        --depth;
        if (depth < 0) depth = 0;
        if (pretty) newline_indent(out, depth);
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        if (pretty) newline_indent(out, depth);
        break;
      case ':':
        out.push_back(c);
        if (pretty) out.push_back(' ');
        break;
      default: out.push_back(c); break;
    }
  }
  return out;
}

}  // namespace ikcli::json
