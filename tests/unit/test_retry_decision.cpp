// The retry engine's decisions as tables, without a server (core/retry.hpp):
// what a failed attempt means (classify_curl, classify_http) and whether and
// when to try again (decide_retry). The same functions decide for blocking
// and non-blocking calls.
#include <gtest/gtest.h>

#include <string>

#include "core/retry.hpp"

using namespace ik::detail;

namespace {
const ProviderTraits &openai() { return provider_traits(IK_PROVIDER_OPENAI); }
const ProviderTraits &twilio() { return provider_traits(IK_PROVIDER_TWILIO); }
}  // namespace

TEST(RetryDecision, CurlFailures) {
  struct Row {
    CURLcode code;
    bool sent;
    Method method;
    ik_status status;
    bool retryable, not_reached, ambiguous;
  } rows[] = {
      {CURLE_COULDNT_CONNECT, false, Method::Post, IK_STATUS_TRANSPORT, true, true, false},
      {CURLE_COULDNT_RESOLVE_HOST, false, Method::Get, IK_STATUS_TRANSPORT, true, true, false},
      {CURLE_RECV_ERROR, true, Method::Post, IK_STATUS_TRANSPORT, true, false, true},
      {CURLE_RECV_ERROR, true, Method::Get, IK_STATUS_TRANSPORT, true, false, false},
      {CURLE_SEND_ERROR, false, Method::Post, IK_STATUS_TRANSPORT, true, true, false},
      {CURLE_GOT_NOTHING, true, Method::Delete, IK_STATUS_TRANSPORT, true, false, false},
      {CURLE_OPERATION_TIMEDOUT, true, Method::Post, IK_STATUS_TIMEOUT, true, false, true},
      {CURLE_PARTIAL_FILE, true, Method::Get, IK_STATUS_TRANSPORT, true, false, false},
      {CURLE_PEER_FAILED_VERIFICATION, false, Method::Get, IK_STATUS_TLS, false, true, false},
      {CURLE_SSL_CONNECT_ERROR, true, Method::Get, IK_STATUS_TLS, true, false, false},
      {CURLE_UNSUPPORTED_PROTOCOL, false, Method::Get, IK_STATUS_UNSUPPORTED, false, true, false},
      {CURLE_OUT_OF_MEMORY, true, Method::Get, IK_STATUS_NO_MEMORY, false, false, false},
      {CURLE_WRITE_ERROR, true, Method::Get, IK_STATUS_TRANSPORT, false, false, false},
  };
  for (const auto &r : rows) {
    SCOPED_TRACE(std::string(curl_easy_strerror(r.code)) + (r.sent ? " sent" : " not sent"));
    const Verdict v = classify_curl(r.code, r.sent, r.method);
    EXPECT_EQ(v.status, r.status);
    EXPECT_EQ(v.retryable, r.retryable);
    EXPECT_EQ(v.not_reached, r.not_reached);
    EXPECT_EQ(v.ambiguous, r.ambiguous);
  }
}

TEST(RetryDecision, HttpStatuses) {
  struct Row {
    int32_t http;
    const char *should_retry;
    Method method;
    const ProviderTraits *traits;
    const char *code;  // OpenAI error.code, or nullptr
    ik_status status;
    bool retryable, not_reached, ambiguous;
  } rows[] = {
      {400, nullptr, Method::Post, &openai(), nullptr, IK_STATUS_BAD_REQUEST, false, false, false},
      {401, nullptr, Method::Get, &twilio(), nullptr, IK_STATUS_AUTHENTICATION, false, false, false},
      {404, nullptr, Method::Get, &twilio(), nullptr, IK_STATUS_NOT_FOUND, false, false, false},
      {408, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_TIMEOUT, true, false, true},
      {409, nullptr, Method::Post, &openai(), nullptr, IK_STATUS_CONFLICT, true, false, false},
      {409, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_CONFLICT, false, false, false},
      {429, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_RATE_LIMITED, true, true, false},
      {429, nullptr, Method::Post, &openai(), "insufficient_quota", IK_STATUS_RATE_LIMITED, false, true, false},
      {429, "true", Method::Post, &openai(), "insufficient_quota", IK_STATUS_RATE_LIMITED, true, true, false},
      {500, nullptr, Method::Post, &openai(), nullptr, IK_STATUS_SERVER_ERROR, true, false, true},
      {500, nullptr, Method::Get, &openai(), nullptr, IK_STATUS_SERVER_ERROR, true, false, false},
      {500, "false", Method::Get, &openai(), nullptr, IK_STATUS_SERVER_ERROR, false, false, false},
      {501, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_SERVER_ERROR, true, false, false},
      {502, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_SERVER_ERROR, true, false, true},
      {503, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_SERVER_ERROR, true, true, false},
      {504, nullptr, Method::Post, &twilio(), nullptr, IK_STATUS_SERVER_ERROR, true, false, true},
      {418, " TRUE ", Method::Get, &twilio(), nullptr, IK_STATUS_HTTP_OTHER, true, false, false},
      {302, nullptr, Method::Get, &twilio(), nullptr, IK_STATUS_HTTP_OTHER, false, false, false},
  };
  for (const auto &r : rows) {
    SCOPED_TRACE(std::to_string(r.http) + " " + r.traits->name + (r.should_retry ? " x-should-retry" : ""));
    ErrorInfo parsed;
    if (r.code) parsed.set_field("code", r.code);
    const Verdict v = classify_http(r.http, r.should_retry, r.method, *r.traits, parsed);
    EXPECT_EQ(v.status, r.status);
    EXPECT_EQ(v.retryable, r.retryable);
    EXPECT_EQ(v.not_reached, r.not_reached);
    EXPECT_EQ(v.ambiguous, r.ambiguous);
  }
}

TEST(RetryDecision, WhetherAndWhenToRetry) {
  constexpr int64_t kNow = 1'000'000'000;
  struct Row {
    const char *what;
    bool retryable, not_reached, create, retry_ambiguous_posts;
    int attempt, max_retries;
    int64_t server_delay, backoff, max_server_wait;
    int32_t policy;
    int64_t deadline_in_ms;  // -1 = none
    int32_t http;
    bool retry;
    int64_t delay;
    bool server_directed, clear_retryable;
    const char *note;  // substring of the note, or "" for none
  } rows[] = {
      {"not retryable", false, false, false, false, 1, 2, -1, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 400, false, 0,
       false, false, ""},
      {"GET 500 backoff", true, false, false, false, 1, 2, -1, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 500, true, 100,
       false, false, ""},
      {"retries used up", true, false, false, false, 3, 2, -1, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 500, false, 0,
       false, false, ""},
      {"ambiguous create", true, false, true, false, 1, 2, -1, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 500, false, 0,
       false, false, ""},
      {"ambiguous create, caller allows", true, false, true, true, 1, 2, -1, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1,
       500, true, 100, false, false, ""},
      {"create not reached (429)", true, true, true, false, 1, 2, 1000, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 429,
       true, 1000, true, false, ""},
      {"server wait over the cap: give up", true, true, false, false, 1, 2, 120000, 100, 60000, IK_SERVER_WAIT_GIVE_UP,
       -1, 429, false, 0, true, false, "more than max_server_wait_ms"},
      {"server wait over the cap: capped", true, true, false, false, 1, 2, 120000, 100, 60000, IK_SERVER_WAIT_CAP, -1,
       429, true, 60000, true, false, ""},
      {"wait passes the deadline (429)", true, true, false, false, 1, 2, 5000, 100, 60000, IK_SERVER_WAIT_GIVE_UP, 1000,
       429, false, 0, true, true, "would pass the deadline"},
      {"backoff passes the deadline (500)", true, false, false, false, 1, 2, -1, 2000, 60000, IK_SERVER_WAIT_GIVE_UP,
       1000, 500, false, 0, false, false, "would pass the deadline"},
      {"backoff within the deadline", true, false, false, false, 1, 2, -1, 200, 60000, IK_SERVER_WAIT_GIVE_UP, 1000,
       500, true, 200, false, false, ""},
      {"server says 0", true, true, false, false, 1, 2, 0, 100, 60000, IK_SERVER_WAIT_GIVE_UP, -1, 503, true, 0, true,
       false, ""},
      {"huge server delay, capped", true, true, false, false, 1, 2, int64_t{3'153'600'000'000}, 100, 60000,
       IK_SERVER_WAIT_CAP, -1, 429, true, 60000, true, false, ""},
  };
  for (const auto &r : rows) {
    SCOPED_TRACE(r.what);
    RetryInput in;
    in.verdict.retryable = r.retryable;
    in.verdict.not_reached = r.not_reached;
    in.create = r.create;
    in.retry_ambiguous_posts = r.retry_ambiguous_posts;
    in.attempt = r.attempt;
    in.max_retries = r.max_retries;
    in.server_delay_ms = r.server_delay;
    in.backoff_ms = r.backoff;
    in.max_server_wait_ms = r.max_server_wait;
    in.server_wait_policy = r.policy;
    in.now_us = kNow;
    in.deadline_us = r.deadline_in_ms < 0 ? INT64_MAX : kNow + r.deadline_in_ms * 1000;
    in.http_status = r.http;
    const RetryDecision d = decide_retry(in);
    EXPECT_EQ(d.retry, r.retry);
    if (r.retry) {
      EXPECT_EQ(d.delay_ms, r.delay);
    }
    if (r.retry || *r.note) {
      EXPECT_EQ(d.server_directed, r.server_directed);
    }
    EXPECT_EQ(d.clear_retryable, r.clear_retryable);
    if (*r.note) {
      EXPECT_NE(d.note.find(r.note), std::string::npos) << d.note;
    } else {
      EXPECT_TRUE(d.note.empty()) << d.note;
    }
  }
}
