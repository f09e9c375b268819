#include "core/headers.hpp"

#include "core/text.hpp"

namespace ik::detail {

void Headers::add(std::string_view name, std::string_view value) {
  if (buf_.empty()) buf_.reserve(512);
  const auto n = static_cast<uint32_t>(buf_.size());
  buf_.append(name.data(), name.size());
  buf_.push_back('\0');
  const auto v = static_cast<uint32_t>(buf_.size());
  buf_.append(value.data(), value.size());
  buf_.push_back('\0');
  idx_.emplace_back(n, v);
}

const char *Headers::find(std::string_view name) const {
  for (const auto &i : idx_) {
    if (iequals(std::string_view(buf_.data() + i.first, i.second - i.first - 1), name)) return buf_.data() + i.second;
  }
  return nullptr;
}

}  // namespace ik::detail
