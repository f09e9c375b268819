#include "core/dates.hpp"

#include <strings.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <vector>

#include "core/numbers.hpp"
#include "core/text.hpp"

namespace ik::detail {

namespace {
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Whether day d exists in month m (1..12) of year y (29 February only in leap years).
bool day_exists(int64_t y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
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

std::optional<int64_t> parse_iso8601(std::string_view s) {
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, mo) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, d)) return std::nullopt;
  if (!day_exists(y, mo, d)) return std::nullopt;
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
  if (!day_exists(year, mon, day) || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 +
         ss;
}

}  // namespace ik::detail
