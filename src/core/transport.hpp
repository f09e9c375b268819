// The transport: one per client. A pool of connection slots (a curl easy
// handle + its own multi handle, so that each slot keeps its connections
// alive and a cancel can wake it), the retry engine, deadlines, cancellation
// and logging. Every one of the sixteen operations goes through execute().
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include <simdjson.h>

#include "core/client.hpp"
#include "core/types.hpp"
#include "providers/provider.hpp"

namespace ik::detail {

// Server-directed delay of a response in ms (retry-after-ms, Retry-After in
// seconds or as an HTTP date, Fastly-RateLimit-Reset on a Fastly 429), or -1;
// clamped to [0, ~100 years] whatever the header says.
int64_t server_delay_ms(const Headers &h, int32_t http_status, int32_t provider);

class Transport {
 public:
  explicit Transport(const ClientConfig &cfg);
  ~Transport();
  Transport(const Transport &) = delete;
  Transport &operator=(const Transport &) = delete;

  // Sends the request with retries; returns the successful (2xx) response or
  // throws Error with every field of the ik_error filled in.
  std::unique_ptr<ik_response> execute(const Request &req, const CallSettings &cs) const;

  int64_t connections_opened() const { return connections_opened_.load(std::memory_order_relaxed); }

  // A JSON parser borrowed from a small pool (parsers keep their buffers).
  class ParserLease {
   public:
    ParserLease(const Transport &t, std::unique_ptr<simdjson::dom::parser> p) : t_(t), p_(std::move(p)) {}
    ~ParserLease();
    ParserLease(const ParserLease &) = delete;
    simdjson::dom::parser &operator*() const { return *p_; }

   private:
    const Transport &t_;
    std::unique_ptr<simdjson::dom::parser> p_;
  };
  ParserLease parser() const;

  struct Slot;     // a pooled easy handle with its own multi handle
  struct Attempt;  // the outcome of one attempt

 private:
  Slot *acquire() const;
  void release(Slot *s) const;
  void perform(Slot &slot, const std::string &url, Method method, const std::string &body, curl_slist *headers,
               int64_t timeout_ms, int64_t connect_timeout_ms, ik_cancel_token *cancel, bool forbid_resend,
               Attempt &out) const;
  int64_t backoff_ms(int attempt, int64_t prev_delay) const;
  // Header lines of an endpoint (auth, static, Accept, Content-Type), built
  // once per client and shared read-only by every transfer.
  curl_slist *endpoint_headers(const Endpoint &ep) const;

  const ClientConfig &cfg_;
  CURLSH *share_ = nullptr;
  mutable std::mutex share_locks_[CURL_LOCK_DATA_LAST];
  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Slot>> slots_;
  mutable std::vector<Slot *> idle_;
  mutable std::mutex parser_mu_;
  mutable std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
  mutable std::mutex rng_mu_;
  mutable std::mt19937_64 rng_;
  mutable std::atomic<int64_t> connections_opened_{0};
  mutable std::mutex header_mu_;
  mutable std::vector<std::pair<const Endpoint *, curl_slist *>> header_cache_;

  friend void share_lock(CURL *, curl_lock_data, curl_lock_access, void *);
  friend void share_unlock(CURL *, curl_lock_data, void *);
};

}  // namespace ik::detail
