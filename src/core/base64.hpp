// Base64 (standard and URL-safe alphabets).
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ik::detail {

std::string base64_encode(std::string_view in, bool url_safe = false, bool pad = true);
std::optional<std::string> base64_decode(std::string_view in);  // accepts both alphabets, padding optional

}  // namespace ik::detail
