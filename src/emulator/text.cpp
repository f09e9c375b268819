#include "text.hpp"

#include <cctype>
#include <charconv>
#include <ctime>

namespace emu {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

Params parse_params(std::string_view text) {
  Params out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    const std::string_view pair = text.substr(pos, amp - pos);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(percent_decode(pair, true), std::string());
      } else {
        out.emplace_back(percent_decode(pair.substr(0, eq), true), percent_decode(pair.substr(eq + 1), true));
      }
    }
    pos = amp + 1;
  }
  return out;
}

std::string format_params(const Params &params) {
  std::string out;
  for (const auto &[k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(k);
    out.push_back('=');
    out += percent_encode(v);
  }
  return out;
}

std::optional<std::string> param(const Params &params, std::string_view key) {
  for (const auto &[k, v] : params) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::vector<std::string> params_all(const Params &params, std::string_view key) {
  std::vector<std::string> out;
  for (const auto &[k, v] : params) {
    if (k == key) out.push_back(v);
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::vector<std::string> decode_segments(std::string_view raw_path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < raw_path.size()) {
    std::size_t slash = raw_path.find('/', pos);
    if (slash == std::string_view::npos) slash = raw_path.size();
    if (slash > pos) out.push_back(percent_decode(raw_path.substr(pos, slash - pos), false));
    pos = slash + 1;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : in) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string iso8601(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: O(|p|·|t|) worst case.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool is_twilio_sid(std::string_view s, std::string_view prefix) {
  if (s.size() != 34 || s.substr(0, 2) != prefix) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (hex_value(s[i]) < 0) return false;
  }
  return true;
}

}  // namespace emu
