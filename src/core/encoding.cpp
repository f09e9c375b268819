#include "core/encoding.hpp"

#include <cctype>
#include <cmath>
#include <cstring>
#include <ctime>
#include <strings.h>

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

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool read_digits(std::string_view s, size_t &pos, size_t n, int &out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

int month_from_name(std::string_view m) {
  static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (m.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (strncasecmp(m.data(), names[i], 3) == 0) return i + 1;
  }
  return 0;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_utf8(std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

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

std::string base64_encode(std::string_view in, bool url_safe, bool pad) {
  const char *alpha = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                               : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  const auto *p = reinterpret_cast<const unsigned char *>(in.data());
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out.push_back(alpha[(v >> 18) & 63]);
    out.push_back(alpha[(v >> 12) & 63]);
    out.push_back(alpha[(v >> 6) & 63]);
    out.push_back(alpha[v & 63]);
  }
  if (i < in.size()) {
    uint32_t v = p[i] << 16;
    if (i + 1 < in.size()) v |= p[i + 1] << 8;
    out.push_back(alpha[(v >> 18) & 63]);
    out.push_back(alpha[(v >> 12) & 63]);
    if (i + 1 < in.size())
      out.push_back(alpha[(v >> 6) & 63]);
    else if (pad)
      out.push_back('=');
    if (pad) out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<UrlParts> parse_url(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos || p == 0) return std::nullopt;
  UrlParts u;
  u.scheme = to_lower(url.substr(0, p));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(p + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  u.path_query = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (!u.path_query.empty() && u.path_query[0] == '?') u.path_query = "/" + u.path_query;
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    u.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority[0] == '[') {
    auto rb = authority.find(']');
    if (rb == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, rb - 1);
    if (rb + 1 < authority.size()) {
      if (authority[rb + 1] != ':') return std::nullopt;
      port = authority.substr(rb + 2);
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
  }
  if (host.empty()) return std::nullopt;
  u.host = to_lower(host);
  if (!port.empty()) {
    auto v = parse_int(port);
    if (!v || *v <= 0 || *v > 65535) return std::nullopt;
    u.port = static_cast<int>(*v);
  } else {
    u.port = u.scheme == "https" ? 443 : 80;
  }
  return u;
}

bool same_origin(std::string_view a, std::string_view b) {
  auto pa = parse_url(a), pb = parse_url(b);
  return pa && pb && pa->scheme == pb->scheme && pa->host == pb->host && pa->port == pb->port;
}

namespace {
bool secret_param(std::string_view key) {
  std::string k = to_lower(percent_decode(key));
  static const char *needles[] = {"token",     "key", "secret",     "password", "passwd", "auth",
                                  "signature", "sig", "credential", "session",  "code"};
  for (const char *n : needles) {
    if (k.find(n) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  auto scheme_end = url.find("://");
  std::string_view rest = url;
  if (scheme_end != std::string_view::npos) {
    out.append(url.substr(0, scheme_end + 3));
    rest = url.substr(scheme_end + 3);
    size_t auth_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, auth_end);
    auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      out.append("[REDACTED]@");
      authority = authority.substr(at + 1);
    }
    out.append(authority);
    rest = auth_end == std::string_view::npos ? std::string_view() : rest.substr(auth_end);
  }
  auto q = rest.find('?');
  if (q == std::string_view::npos) {
    out.append(rest);
    return out;
  }
  out.append(rest.substr(0, q + 1));
  std::string_view query = rest.substr(q + 1);
  std::string_view fragment;
  auto hash = query.find('#');
  if (hash != std::string_view::npos) {
    fragment = query.substr(hash);
    query = query.substr(0, hash);
  }
  bool first = true;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && secret_param(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append("[REDACTED]");
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  out.append(fragment);
  return out;
}

bool is_secret_header(std::string_view name) {
  return iequals(name, "authorization") || iequals(name, "fastly-key") || iequals(name, "proxy-authorization") ||
         iequals(name, "cookie") || iequals(name, "set-cookie") || iequals(name, "x-api-key") ||
         iequals(name, "api-key");
}

std::optional<int64_t> parse_iso8601(std::string_view s) {
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, mo) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':') return std::nullopt;
    if (!read_digits(s, pos, 2, mi)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, sec)) return std::nullopt;
    }
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
    if (pos < s.size()) {
      char z = s[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh, om = 0;
        if (!read_digits(s, pos, 2, oh)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !read_digits(s, pos, 2, om)) return std::nullopt;
        offset = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
      } else {
        return std::nullopt;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec -
         offset;
}

std::optional<int64_t> parse_http_date(std::string_view s) {
  // Tokenise on spaces, commas and colons; accept the three RFC 9110 forms.
  std::vector<std::string_view> t;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',') ++j;
    if (j > i) t.push_back(s.substr(i, j - i));
    i = j;
  }
  int day = 0, mon = 0, year = 0, hh = 0, mm = 0, ss = 0;
  auto parse_time = [&](std::string_view tv) {
    size_t p = 0;
    return read_digits(tv, p, 2, hh) && p < tv.size() && tv[p++] == ':' && read_digits(tv, p, 2, mm) && p < tv.size() &&
           tv[p++] == ':' && read_digits(tv, p, 2, ss) && p == tv.size();
  };
  if (t.size() >= 5 && t[1].size() <= 2 && month_from_name(t[2])) {
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    auto dv = parse_int(t[1]);
    auto yv = parse_int(t[3]);
    if (!dv || !yv || !parse_time(t[4])) return std::nullopt;
    day = static_cast<int>(*dv);
    mon = month_from_name(t[2]);
    year = static_cast<int>(*yv);
  } else if (t.size() >= 3 && t[1].find('-') != std::string_view::npos) {
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    auto d1 = t[1].find('-'), d2 = t[1].rfind('-');
    auto dv = parse_int(t[1].substr(0, d1));
    mon = month_from_name(t[1].substr(d1 + 1, d2 - d1 - 1));
    auto yv = parse_int(t[1].substr(d2 + 1));
    if (!dv || !mon || !yv || !parse_time(t[2])) return std::nullopt;
    day = static_cast<int>(*dv);
    year = static_cast<int>(*yv);
    if (year < 100) year += year < 70 ? 2000 : 1900;
  } else if (t.size() >= 5 && month_from_name(t[1])) {
    // asctime: Sun Nov  6 08:49:37 1994
    mon = month_from_name(t[1]);
    auto dv = parse_int(t[2]);
    auto yv = parse_int(t[4]);
    if (!dv || !yv || !parse_time(t[3])) return std::nullopt;
    day = static_cast<int>(*dv);
    year = static_cast<int>(*yv);
  } else {
    return std::nullopt;
  }
  if (mon < 1 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 +
         ss;
}

std::optional<int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return std::nullopt;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v)) return std::nullopt;
  }
  return neg ? -v : v;
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  double v = 0;
  size_t i = 0;
  bool digits = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    digits = true;
  }
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      v += (s[i] - '0') * scale;
      scale /= 10;
      digits = true;
    }
  }
  if (!digits || i != s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view trim_view(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

void wipe(std::string &s) {
  if (!s.empty()) explicit_bzero(s.data(), s.size());
  s.clear();
}

}  // namespace ik::detail
