// Numbers: strict decimal integers and non-negative decimal numbers.
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ik::detail {

// Strict decimal integer (optional sign).
std::optional<int64_t> parse_int(std::string_view s);
// Non-negative decimal number, possibly fractional ("1.5").
std::optional<double> parse_number(std::string_view s);

}  // namespace ik::detail
