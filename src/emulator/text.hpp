// String helpers shared by the router and the vendor handlers: URL
// percent-coding, query/form parsing, Base64, timestamps, glob matching.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emu {

// Ordered, multi-valued key/value list (query strings and form bodies).
using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes (malformed escapes are kept literally). With
// plus_is_space, '+' becomes ' ' (query strings and form bodies, not paths).
std::string percent_decode(std::string_view s, bool plus_is_space);

// Encodes everything except RFC 3986 unreserved characters.
std::string percent_encode(std::string_view s);

// Parses "a=1&b=x%20y&a=2" (application/x-www-form-urlencoded rules).
Params parse_params(std::string_view text);

// Serialises a Params list back to a query string (keys and values encoded).
std::string format_params(const Params &params);

std::optional<std::string> param(const Params &params, std::string_view key);
std::vector<std::string> params_all(const Params &params, std::string_view key);

// Splits a raw request target into path and query ("?" excluded).
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

// Splits a raw path on '/', dropping empty segments, and percent-decodes
// each segment on its own (so "%2F" inside a segment stays part of it).
std::vector<std::string> decode_segments(std::string_view raw_path);

std::optional<std::string> base64_decode(std::string_view in);

// Strict decimal integer (optional leading '-'), no whitespace, no overflow.
std::optional<std::int64_t> parse_int(std::string_view s);

// 2015-07-30T20:00:00Z
std::string iso8601(std::int64_t unix_seconds);

// Glob over the whole text: '*' matches any run of characters (including
// '/'), '?' matches one character.
bool glob_match(std::string_view pattern, std::string_view text);

bool iequals(std::string_view a, std::string_view b);

// ^PP[0-9a-fA-F]{32}$ for the two-letter prefix PP.
bool is_twilio_sid(std::string_view s, std::string_view prefix);

}  // namespace emu
