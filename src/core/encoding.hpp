// Encoding: UTF-8 validation, percent-encoding (path segments, query and form
// components), query/form builders, base64, URL origins and redaction, time
// parsing. One implementation for every provider.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ik::detail {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

bool valid_utf8(std::string_view s);

// Percent-encodes everything but RFC 3986 unreserved characters. A segment
// that is exactly "." or ".." is encoded as %2E / %2E%2E so that no URL
// normaliser can treat it as a dot-segment.
std::string encode_path_segment(std::string_view s);
// application/x-www-form-urlencoded component (space as %20, which every
// server decodes; '*', '-', '.', '_', '~' literal).
std::string encode_component(std::string_view s);
std::string percent_decode(std::string_view s);

// Builds "k=v&k=v" with encoded keys and values; repeated keys are kept in
// order (Identity=a&Identity=b). Keys given as literal (e.g. "page[number]")
// are sent with literal brackets when `literal_key` is true.
class FormBuilder {
 public:
  void add(std::string_view key, std::string_view value, bool literal_key = false);
  bool empty() const { return out_.empty(); }
  const std::string &str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string base64_encode(std::string_view in, bool url_safe = false, bool pad = true);
std::optional<std::string> base64_decode(std::string_view in);  // accepts both alphabets, padding optional

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

// ISO 8601 / RFC 3339 date-time to Unix seconds (UTC offsets honoured).
std::optional<int64_t> parse_iso8601(std::string_view s);
// HTTP-date (IMF-fixdate, RFC 850, asctime) to Unix seconds.
std::optional<int64_t> parse_http_date(std::string_view s);
// Strict decimal integer (optional sign).
std::optional<int64_t> parse_int(std::string_view s);
// Non-negative decimal number, possibly fractional ("1.5").
std::optional<double> parse_number(std::string_view s);

std::string_view trim_view(std::string_view s);  // without surrounding spaces, tabs, CR, LF
std::string trim(std::string_view s);

// Securely erases a string's bytes (the compiler may not elide it).
void wipe(std::string &s);

}  // namespace ik::detail
