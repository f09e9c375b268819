// The retry engine's decisions as pure functions (no I/O, no clock, no
// randomness): what a failed attempt means, and whether and when to try
// again. The transport (blocking calls) and the engine (non-blocking calls)
// both decide through these; tests/unit/test_retry_decision.cpp checks them
// with tables, without a server.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "core/provider.hpp"

namespace ik::detail {

// What one failed attempt means.
struct Verdict {
  ik_status status = IK_STATUS_INTERNAL;
  bool retryable = false;    // worth another attempt (if the rules below allow it)
  bool not_reached = false;  // the server provably did not act on the request
  bool ambiguous = false;    // a POST that may have taken effect
};

// A transfer that failed below HTTP (curl code != CURLE_OK). `sent`: request
// bytes were written to a connection.
Verdict classify_curl(CURLcode code, bool sent, Method method);

// A complete HTTP response outside 2xx. `parsed` is the error as the
// provider's error parser filled it (OpenAI's insufficient_quota 429);
// `should_retry` is the x-should-retry header (nullptr if absent).
Verdict classify_http(int32_t http_status, const char *should_retry, Method method, const ProviderTraits &traits,
                      const ErrorInfo &parsed);

struct RetryInput {
  Verdict verdict;
  bool create = false;                 // the endpoint creates (never repeated when ambiguous)
  bool retry_ambiguous_posts = false;  // the caller allows repeating an ambiguous create
  int attempt = 1;                     // attempts made so far (1 = the first failed)
  int max_retries = 0;
  int64_t server_delay_ms = -1;  // server-directed wait (server_delay_ms()), -1 = none
  int64_t backoff_ms = 0;        // this attempt's jittered exponential backoff
  int64_t max_server_wait_ms = 0;
  int32_t server_wait_policy = IK_SERVER_WAIT_GIVE_UP;
  int64_t now_us = 0;
  int64_t deadline_us = INT64_MAX;  // INT64_MAX = no deadline
  int32_t http_status = 0;
};

struct RetryDecision {
  bool retry = false;
  int64_t delay_ms = 0;          // wait before the next attempt (retry only)
  bool server_directed = false;  // the wait came from the server
  std::string note;              // appended to the error's message when not retrying (may be empty)
  bool clear_retryable = false;  // the error must no longer claim to be retryable
};

RetryDecision decide_retry(const RetryInput &in);

}  // namespace ik::detail
