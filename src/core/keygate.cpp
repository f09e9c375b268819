#include "core/keygate.hpp"

#include <algorithm>

namespace ik::detail {

KeyGate::Held KeyGate::lock(const std::string &key) {
  bool granted = false;  // set by release(), under mu_
  if (!acquire_or_park(key, &granted, [&granted] { granted = true; })) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return granted; });
  }
  return Held(*this, key);
}

bool KeyGate::acquire_or_park(const std::string &key, const void *id, Grant grant) {
  std::lock_guard<std::mutex> lk(mu_);
  auto [it, fresh] = keys_.try_emplace(key);
  if (fresh) return true;
  it->second.push_back(Waiter{id, std::move(grant)});
  return false;
}

bool KeyGate::withdraw(const std::string &key, const void *id) {
  std::lock_guard<std::mutex> lk(mu_);
  auto it = keys_.find(key);
  if (it == keys_.end()) return false;
  auto &q = it->second;
  auto w = std::find_if(q.begin(), q.end(), [id](const Waiter &x) { return x.id == id; });
  if (w == q.end()) return false;
  q.erase(w);
  return true;
}

void KeyGate::release(const std::string &key) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = keys_.find(key);
    if (it == keys_.end()) return;
    if (it->second.empty()) {
      keys_.erase(it);
      return;
    }
    Waiter next = std::move(it->second.front());
    it->second.pop_front();
    next.grant();
    wake = true;
  }
  // Blocking waiters check their own flag; a parked operation's grant has
  // already handed it to its engine.
  if (wake) cv_.notify_all();
}

size_t KeyGate::held() const {
  std::lock_guard<std::mutex> lk(mu_);
  return keys_.size();
}

}  // namespace ik::detail
