#include "core/url.hpp"

#include "core/numbers.hpp"
#include "core/percent.hpp"
#include "core/text.hpp"

#include <cctype>
#include <cstring>

namespace ik::detail {

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

}  // namespace ik::detail
