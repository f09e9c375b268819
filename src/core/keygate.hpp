// Mutual exclusion per key (one person of one resource), for blocking callers
// and for non-blocking operations alike: a blocking caller waits on a
// condition variable; a non-blocking operation parks without a thread and is
// handed the key by whoever releases it. Keys are exact strings, so two people
// never wait for each other.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ik::detail {

class KeyGate {
 public:
  // Called with the gate's lock held when the key passes to a parked waiter:
  // must be quick and must not call back into the gate.
  using Grant = std::function<void()>;

  class Held {  // RAII ownership taken by a blocking caller
   public:
    Held(KeyGate &gate, std::string key) : gate_(&gate), key_(std::move(key)) {}
    Held(Held &&o) noexcept : gate_(o.gate_), key_(std::move(o.key_)) { o.gate_ = nullptr; }
    Held(const Held &) = delete;
    Held &operator=(const Held &) = delete;
    Held &operator=(Held &&) = delete;
    ~Held() {
      if (gate_) gate_->release(key_);
    }

   private:
    KeyGate *gate_;
    std::string key_;
  };

  // Blocks until the key is free, then holds it until the returned value is destroyed.
  Held lock(const std::string &key);
  // Takes the key now (true), or parks `id` in its queue (false): grant() runs
  // when the key passes to it, after which the waiter holds it and must
  // release() it.
  bool acquire_or_park(const std::string &key, const void *id, Grant grant);
  // Removes a parked waiter; false when it is not parked (already granted).
  bool withdraw(const std::string &key, const void *id);
  // Passes the key to the next waiter in arrival order, or frees it.
  void release(const std::string &key);
  // Keys held now (for tests).
  size_t held() const;

 private:
  struct Waiter {
    const void *id;
    Grant grant;
  };
  mutable std::mutex mu_;
  std::condition_variable cv_;                                // blocking waiters
  std::unordered_map<std::string, std::deque<Waiter>> keys_;  // present = held; the queue = who waits, in order
};

}  // namespace ik::detail
