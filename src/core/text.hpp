// Text: ASCII case folding, UTF-8 validation, trimming, wiping secrets.
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <string>
#include <string_view>

namespace ik::detail {

bool iequals(std::string_view a, std::string_view b);  // ASCII case folding only
std::string to_lower(std::string_view s);

bool valid_utf8(std::string_view s);

std::string_view trim_view(std::string_view s);  // without surrounding spaces, tabs, CR, LF
std::string trim(std::string_view s);

// Securely erases a string's bytes (the compiler may not elide it).
void wipe(std::string &s);

}  // namespace ik::detail
