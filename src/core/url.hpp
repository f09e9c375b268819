// URLs: parsing into parts, same-origin checks, redaction of credentials, secret header names.
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ik::detail {

struct UrlParts {
  std::string scheme;      // lower-case
  std::string host;        // lower-case, without brackets
  int port = 0;            // explicit or the scheme default
  std::string path_query;  // from the first '/' after the authority ("/" if empty)
  bool has_userinfo = false;
};
std::optional<UrlParts> parse_url(std::string_view url);
// Same scheme, host and port.
bool same_origin(std::string_view a, std::string_view b);

// Replaces userinfo and the values of credential-like query parameters
// (token, key, secret, password, auth, signature, sig, code...) by [REDACTED].
std::string redact_url(std::string_view url);
// True for headers whose values must never be shown.
bool is_secret_header(std::string_view name);

}  // namespace ik::detail
