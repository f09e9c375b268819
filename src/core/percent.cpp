#include "core/percent.hpp"

#include <cctype>
#include <cstring>

namespace ik::detail {

namespace {
constexpr char kHex[] = "0123456789ABCDEF";

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_pct(std::string &out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}
}  // namespace

std::string encode_path_segment(std::string_view s) {
  if (s == ".") return "%2E";
  if (s == "..") return "%2E%2E";
  bool plain = true;
  for (unsigned char c : s) plain = plain && unreserved(c);
  if (plain) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    if (unreserved(c))
      out.push_back(static_cast<char>(c));
    else
      append_pct(out, c);
  }
  return out;
}

std::string encode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    if (unreserved(c) || c == '*')
      out.push_back(static_cast<char>(c));
    else
      append_pct(out, c);
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

void FormBuilder::add(std::string_view key, std::string_view value, bool literal_key) {
  if (!out_.empty()) out_.push_back('&');
  if (literal_key)
    out_.append(key);
  else
    out_ += encode_component(key);
  out_.push_back('=');
  out_ += encode_component(value);
}

}  // namespace ik::detail
