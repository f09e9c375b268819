#include "core/ensure.hpp"

#include <functional>
#include <string>

namespace ik::detail {

std::unique_lock<std::mutex> lock_ensure_key(const ik_client &client, std::string_view key) {
  const size_t stripe = std::hash<std::string_view>{}(key) % client.ensure_locks.size();
  return std::unique_lock<std::mutex>(client.ensure_locks[stripe]);
}

}  // namespace ik::detail
