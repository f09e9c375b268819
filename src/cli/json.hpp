// invitekit CLI - JSON text helpers. No parser: the library hands out valid
// JSON text, which these functions only re-indent or escape into.
#pragma once

#include <string>
#include <string_view>

namespace ikcli::json {

// Appends `s` as a JSON string literal (with quotes). Invalid UTF-8 bytes are
// replaced by U+FFFD so the output is always valid JSON.
void append_string(std::string &out, std::string_view s);
std::string quote(std::string_view s);

// Re-formats already-valid JSON text: pretty (2-space indent, one member per
// line) or compact (all insignificant whitespace removed). Tracks only string
// and escape state and the nesting depth.
std::string reformat(std::string_view text, bool pretty);

}  // namespace ikcli::json
