// Percent-encoding (path segments, query and form components) and the form/query builder.
// (One of the jobs of core/encoding.hpp, which includes them all.)
#pragma once

#include <string>
#include <string_view>

namespace ik::detail {

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

}  // namespace ik::detail
