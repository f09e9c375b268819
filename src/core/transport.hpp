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
#include "core/provider.hpp"

namespace ik::detail {

struct ErrorInfo;
struct Verdict;
struct RetryDecision;

// Server-directed delay of a response in ms (retry-after-ms, Retry-After in
// seconds or as an HTTP date, Fastly-RateLimit-Reset on a Fastly 429), or -1;
// clamped to [0, ~100 years] whatever the header says.
int64_t server_delay_ms(const Headers &h, int32_t http_status, int32_t provider);

// One HTTP exchange: a request through its attempts, same-origin redirects
// and backoff waits. The blocking path (Transport::execute) and the
// non-blocking engine (core/engine.hpp) drive the same steps:
//   begin -> { start_attempt -> setup -> (transfer) -> collect -> conclude }*
struct Exchange {
  const Request *req = nullptr;      // borrowed: outlives the exchange
  const CallSettings *cs = nullptr;  // borrowed: outlives the exchange
  std::string url;
  std::string shown_url;              // the redacted URL, computed only when something shows it
  curl_slist *headers = nullptr;      // what is sent: the endpoint's shared list or own_headers
  curl_slist *own_headers = nullptr;  // per-request copy (extra headers); wiped and freed by the destructor
  int64_t start_us = 0;
  int64_t deadline_us = INT64_MAX;  // INT64_MAX = none
  int attempt = 0;
  int redirects = 0;
  int64_t prev_delay = 0;
  // "openai invites.create: ", the start of every error message (built only for errors).
  std::string prefix() const;
  Exchange() = default;
  Exchange(const Exchange &) = delete;
  Exchange &operator=(const Exchange &) = delete;
  ~Exchange();
};

class Transport {
 public:
  explicit Transport(const ClientConfig &cfg);
  ~Transport();
  Transport(const Transport &) = delete;
  Transport &operator=(const Transport &) = delete;

  // Sends the request with retries on the calling thread; returns the
  // successful (2xx) response or throws Error with every field of the
  // ik_error filled in. On the client's own I/O thread it throws
  // IK_STATUS_WOULD_BLOCK (io_thread marks that thread).
  ResponsePtr execute(const Request &req, const CallSettings &cs) const;

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

  struct Slot;  // a pooled easy handle (with its own multi handle for blocking calls)
  // The outcome of one attempt.
  struct Attempt {
    CURLcode code = CURLE_OK;
    int32_t cancelled_by = IK_CANCELLED_BY_NONE;  // the transfer was aborted by a cancellation
    bool too_large = false;
    bool resend_blocked = false;  // the connection died after a create was sent; not re-sent
    bool sent = false;            // request bytes were written to a connection
    int32_t http_status = 0;
    Headers headers;
    std::string body;
    std::string curl_message;
    std::string redirect_url;
    int64_t latency_us = 0;
  };

  // ---- the steps of an exchange (see Exchange) ----
  // Resolves URL and headers; throws (no credentials, foreign absolute URL).
  void begin(Exchange &x, const Request &req, const CallSettings &cs) const;
  // Counts the attempt and returns its timeout; throws when the call's cancel
  // token fired or its deadline passed.
  int64_t start_attempt(Exchange &x) const;
  // Prepares the slot's easy handle for one attempt.
  void setup(Slot &slot, const Exchange &x, int64_t timeout_ms) const;
  // Reads the finished (or aborted) transfer of the slot into out.
  void collect(Slot &slot, CURLcode code, int32_t cancelled_by, Attempt &out) const;
  // Logs the attempt and decides: returns the response on success; returns
  // nullptr with *retry_delay_ms set to retry (0 after a redirect); throws
  // Error when the call has failed. Runs the retry callback.
  std::unique_ptr<ik_response> conclude(Exchange &x, Attempt &a, int64_t *retry_delay_ms) const;
  // The error of an operation cancelled by `by` (IK_CANCELLED_BY_*) before
  // its next attempt or, with during_backoff, while waiting to retry; one
  // wording for every cancellation (cancel_text), also for the non-blocking
  // engine's operations that never began an exchange.
  static Error cancelled(const Endpoint &ep, int attempts, int32_t by, bool during_backoff);
  static Error cancelled(const Exchange &x, int32_t by, bool during_backoff) {
    return cancelled(*x.req->ep, x.attempt, by, during_backoff);
  }
  static const char *cancel_text(int32_t by, bool during_backoff);

  Slot *acquire() const;
  void release(Slot *s) const;
  CURL *easy_of(Slot *s) const;

  // The thread that runs a client's non-blocking engine (nullptr elsewhere).
  static thread_local const Transport *io_thread;

 private:
  // The steps of conclude (transport.cpp).
  template <class Ptr>
  Ptr conclude_as(Exchange &x, Attempt &a, int64_t *retry_delay_ms) const;
  template <class Ptr>
  Ptr success_response(Exchange &x, Attempt &a, std::string_view rid, bool has_rid, LogFields &lf) const;
  bool follow_redirect(Exchange &x, const Attempt &a) const;
  int64_t retry_or_throw(Exchange &x, ErrorInfo &info, const Verdict &v, const LogFields &lf) const;
  void run_retry_callback(const Exchange &x, ErrorInfo &info, const RetryDecision &d) const;
  void perform(Slot &slot, const Exchange &x, int64_t timeout_ms, Attempt &out) const;
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
