// Dates: ISO 8601 / RFC 3339 and HTTP-date to Unix seconds.
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ik::detail {

// ISO 8601 / RFC 3339 date-time to Unix seconds (UTC offsets honoured).
std::optional<int64_t> parse_iso8601(std::string_view s);
// HTTP-date (IMF-fixdate, RFC 850, asctime) to Unix seconds.
std::optional<int64_t> parse_http_date(std::string_view s);

}  // namespace ik::detail
