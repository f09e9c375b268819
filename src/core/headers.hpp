// Header lists: request/extra headers as pairs, and response headers in one
// buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ik::detail {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Response headers in one buffer ("name\0value\0..."): one allocation per
// response instead of two per header. Immutable once built.
class Headers {
 public:
  void add(std::string_view name, std::string_view value);
  // First value for name (case-insensitive), NUL-terminated; nullptr if absent.
  const char *find(std::string_view name) const;
  size_t size() const { return idx_.size(); }
  const char *name_at(size_t i) const { return buf_.data() + idx_[i].first; }
  const char *value_at(size_t i) const { return buf_.data() + idx_[i].second; }
  void clear() {
    buf_.clear();
    idx_.clear();
  }

 private:
  std::string buf_;
  std::vector<std::pair<uint32_t, uint32_t>> idx_;
};

}  // namespace ik::detail
