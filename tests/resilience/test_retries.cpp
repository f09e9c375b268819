// Resilience: the retry engine through the public C ABI - which failures are
// retried for which methods and providers, how many times, how long the
// engine waits (backoff and server-directed waits, read through the retry
// callback), and the create-POST safety rules.
#include "ops.hpp"

using namespace res;

namespace {

class Retries : public ::testing::Test {
 protected:
  ClientPtr client() { return cfg.make(); }
  void with_retry_sink() { sink.attach(cfg.o); }

  // Scripts `first` and then the operation's success; expects the call to
  // succeed on its second attempt, with the same request sent twice.
  void second_attempt_succeeds(const ik_client *c, const Op &o, Reply first, const ik_call_options *co = nullptr) {
    server.clear();
    server.enqueue(std::move(first));
    server.enqueue(o.success());
    Outcome out;
    o.run(c, co, out);
    EXPECT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    EXPECT_EQ(out.attempts, 2) << "ik_response_attempts";
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[1].method, reqs[0].method);
    EXPECT_EQ(reqs[1].target, reqs[0].target);
    EXPECT_EQ(reqs[1].body, reqs[0].body);
  }
  // The same, returning the one retry the callback saw.
  ik_retry_info retried_once(const ik_client *c, const Op &o, Reply first) {
    {
      std::lock_guard<std::mutex> lk(sink.mu);
      sink.calls.clear();
      sink.operations.clear();
    }
    second_attempt_succeeds(c, o, std::move(first));
    auto calls = sink.snapshot();
    EXPECT_EQ(calls.size(), 1u);
    return calls.empty() ? ik_retry_info{} : calls[0];
  }

  MockServer server;
  Cfg cfg{server.base_url()};
  RetrySink sink;
};

// ---------------------------------------------------------------------------
// Which statuses are retried
// ---------------------------------------------------------------------------
TEST_F(Retries, RetryableStatusesForGetAndDelete) {
  with_retry_sink();
  auto c = client();
  for (int status : {408, 429, 500, 502, 503, 504}) {
    for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
      SCOPED_TRACE(std::string(o->name) + " after HTTP " + std::to_string(status));
      const ik_retry_info ri = retried_once(c.get(), *o, error_reply(o->provider, status));
      EXPECT_EQ(ri.attempt, 1);
      EXPECT_EQ(ri.http_status, status);
      EXPECT_EQ(ri.provider, o->provider);
      EXPECT_EQ(ri.delay_ms, 20);
      EXPECT_EQ(ri.server_directed, 0);
    }
  }
}

TEST_F(Retries, ExhaustedRetriesReportEveryAttempt) {
  auto c = client();
  for (int status : {408, 429, 500, 502, 503, 504}) {
    for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
      SCOPED_TRACE(std::string(o->name) + " HTTP " + std::to_string(status));
      server.clear();
      for (int i = 0; i < 3; ++i) server.enqueue(error_reply(o->provider, status));
      server.enqueue(o->success());  // never reached: the default is 2 retries
      Outcome out;
      o->run(c.get(), nullptr, out);
      ASSERT_NE(out.status, IK_STATUS_OK);
      EXPECT_EQ(out.status, status == 408   ? IK_STATUS_TIMEOUT
                            : status == 429 ? IK_STATUS_RATE_LIMITED
                                            : IK_STATUS_SERVER_ERROR)
          << out.err.what();
      EXPECT_EQ(ik_error_attempts(out.err.get()), 3);
      EXPECT_EQ(ik_error_http_status(out.err.get()), status);
      EXPECT_EQ(ik_error_is_retryable(out.err.get()), 1);
      EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 0);
      EXPECT_EQ(ik_error_provider(out.err.get()), o->provider);
      EXPECT_EQ(str(ik_error_operation(out.err.get())), o->operation);
      EXPECT_EQ(server.request_count(), 3u);
    }
  }
}

TEST_F(Retries, NonRetryableStatusesAreNotRetried) {
  with_retry_sink();
  auto c = client();
  for (int status : {400, 401, 403, 404, 422}) {
    for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
      SCOPED_TRACE(std::string(o->name) + " HTTP " + std::to_string(status));
      server.clear();
      server.enqueue(error_reply(o->provider, status));
      server.enqueue(o->success());
      Outcome out;
      o->run(c.get(), nullptr, out);
      EXPECT_NE(out.status, IK_STATUS_OK);
      EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
      EXPECT_EQ(ik_error_is_retryable(out.err.get()), 0);
      EXPECT_EQ(server.request_count(), 1u);
    }
  }
  EXPECT_TRUE(sink.snapshot().empty());
}

TEST_F(Retries, Conflict409RetriedForOpenAIOnly) {
  auto c = client();
  for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
    SCOPED_TRACE(o->name);
    if (o->provider == IK_PROVIDER_OPENAI) {
      second_attempt_succeeds(c.get(), *o, error_reply(o->provider, 409));
    } else {
      server.clear();
      server.enqueue(error_reply(o->provider, 409));
      Outcome out;
      o->run(c.get(), nullptr, out);
      EXPECT_EQ(out.status, IK_STATUS_CONFLICT) << out.err.what();
      EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
      EXPECT_EQ(server.request_count(), 1u);
    }
  }
}

// ---------------------------------------------------------------------------
// Connection failures
// ---------------------------------------------------------------------------
TEST_F(Retries, ConnectionResetBeforeAnyResponseRetriedForGet) {
  RawResetServer reset;
  Cfg rc(reset.base_url());
  auto c = rc.make();
  size_t expected_conns = 0;
  for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
    SCOPED_TRACE(o->name);
    Outcome out;
    o->run(c.get(), nullptr, out);
    expected_conns += 3;
    EXPECT_EQ(out.status, IK_STATUS_TRANSPORT) << out.err.what();
    EXPECT_EQ(ik_error_attempts(out.err.get()), 3);
    EXPECT_EQ(ik_error_http_status(out.err.get()), 0);
    EXPECT_NE(ik_error_transport_code(out.err.get()), 0);
    EXPECT_EQ(ik_error_is_retryable(out.err.get()), 1);
    EXPECT_TRUE(reset.wait_for_connections(expected_conns, std::chrono::seconds(5)));
    EXPECT_EQ(reset.connections(), expected_conns);
  }
}

TEST_F(Retries, ConnectionRefusedRetriedForGet) {
  const int port = unused_port();
  Cfg rc("http://127.0.0.1:" + std::to_string(port));
  RetrySink rs;
  rs.attach(rc.o);
  auto c = rc.make();
  for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
    SCOPED_TRACE(o->name);
    rs.calls.clear();
    Outcome out;
    o->run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_TRANSPORT) << out.err.what();
    EXPECT_EQ(ik_error_attempts(out.err.get()), 3);
    EXPECT_EQ(ik_error_is_retryable(out.err.get()), 1);
    EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 0);
    auto calls = rs.snapshot();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].status, IK_STATUS_TRANSPORT);
    EXPECT_EQ(calls[0].http_status, 0);
  }
}

TEST_F(Retries, BrokenResponsesRetriedForGet) {
  auto c = client();
  for (Fault f : {Fault::ResetMidBody, Fault::Truncate}) {
    for (const Op *o : ops_with({Verb::Get})) {
      SCOPED_TRACE(std::string(o->name) + (f == Fault::Truncate ? " truncated" : " reset mid-body"));
      second_attempt_succeeds(c.get(), *o, broken(o->success(), f));
    }
  }
}

// ---------------------------------------------------------------------------
// How many retries
// ---------------------------------------------------------------------------
TEST_F(Retries, MaxRetriesFromClientAndPerCall) {
  const Op &o = op("openai_retrieve");
  auto attempts_with = [&](int32_t client_max, int32_t call_max, bool use_call) {
    Cfg c2(server.base_url());
    c2.o.max_retries = client_max;
    auto c = c2.make();
    server.clear();
    for (int i = 0; i < 10; ++i) server.enqueue(error_reply(o.provider, 500));
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.max_retries = call_max;
    Outcome out;
    o.run(c.get(), use_call ? &co : nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_SERVER_ERROR);
    EXPECT_EQ(static_cast<size_t>(ik_error_attempts(out.err.get())), server.request_count());
    return ik_error_attempts(out.err.get());
  };
  EXPECT_EQ(attempts_with(0, 0, false), 3) << "default: 2 retries";
  EXPECT_EQ(attempts_with(4, 0, false), 5);
  EXPECT_EQ(attempts_with(-1, 0, false), 1);
  EXPECT_EQ(attempts_with(4, 0, true), 5) << "call option 0 keeps the client's value";
  EXPECT_EQ(attempts_with(4, 1, true), 2);
  EXPECT_EQ(attempts_with(4, -1, true), 1);
  EXPECT_EQ(attempts_with(-1, 3, true), 4);
  EXPECT_EQ(attempts_with(0, 5, true), 6);
}

TEST_F(Retries, ExponentialBackoffWithoutJitter) {
  cfg.o.max_retries = 5;
  cfg.o.retry_max_delay_ms = 200;
  with_retry_sink();
  auto c = client();
  for (int i = 0; i < 5; ++i) server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503));
  server.enqueue(op("openai_retrieve").success());
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), nullptr, out);
  const int64_t elapsed = ms_since(t0);
  ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
  EXPECT_EQ(out.attempts, 6);
  auto calls = sink.snapshot();
  ASSERT_EQ(calls.size(), 5u);
  const int64_t want[] = {20, 40, 80, 160, 200};  // base * 2^(n-1), capped at retry_max_delay_ms
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].attempt, static_cast<int32_t>(i + 1));
    EXPECT_EQ(calls[i].delay_ms, want[i]) << "retry " << i + 1;
    EXPECT_EQ(calls[i].server_directed, 0);
    EXPECT_EQ(calls[i].status, IK_STATUS_SERVER_ERROR);
    EXPECT_EQ(calls[i].http_status, 503);
  }
  EXPECT_GE(elapsed, 20 + 40 + 80 + 160 + 200 - 10) << "the engine actually waits";
}

TEST_F(Retries, JitterStaysWithinBounds) {
  for (int32_t jitter : {IK_JITTER_FULL, IK_JITTER_DECORRELATED}) {
    SCOPED_TRACE(jitter == IK_JITTER_FULL ? "full" : "decorrelated");
    Cfg c2(server.base_url());
    c2.o.jitter = jitter;
    c2.o.max_retries = 4;
    c2.o.retry_base_delay_ms = 10;
    c2.o.retry_max_delay_ms = 60;
    RetrySink rs;
    rs.attach(c2.o);
    auto c = c2.make();
    server.clear();
    for (int i = 0; i < 5; ++i) server.enqueue(error_reply(IK_PROVIDER_OPENAI, 500));
    Outcome out;
    op("openai_retrieve").run(c.get(), nullptr, out);
    EXPECT_EQ(ik_error_attempts(out.err.get()), 5);
    auto calls = rs.snapshot();
    ASSERT_EQ(calls.size(), 4u);
    for (const auto &ri : calls) {
      EXPECT_GE(ri.delay_ms, 0);
      EXPECT_LE(ri.delay_ms, 60) << "never above retry_max_delay_ms";
      EXPECT_EQ(ri.server_directed, 0);
    }
  }
}

// ---------------------------------------------------------------------------
// Server-directed waits
// ---------------------------------------------------------------------------
TEST_F(Retries, RetryAfterMsHeader) {
  with_retry_sink();
  auto c = client();
  const auto t0 = Clock::now();
  const ik_retry_info ri =
      retried_once(c.get(), op("openai_retrieve"),
                   error_reply(IK_PROVIDER_OPENAI, 503, {{"retry-after-ms", "150"}, {"Retry-After", "5"}}));
  EXPECT_GE(ms_since(t0), 140);
  EXPECT_EQ(ri.delay_ms, 150) << "retry-after-ms wins over Retry-After";
  EXPECT_EQ(ri.server_directed, 1);
}

TEST_F(Retries, RetryAfterSeconds) {
  with_retry_sink();
  auto c = client();
  for (const char *secs : {"0", "1"}) {
    for (const Op *o : ops_with({Verb::Get})) {
      if (std::string(secs) == "1" && o->provider != IK_PROVIDER_OPENAI) continue;  // one real 1 s wait is enough
      SCOPED_TRACE(std::string(o->name) + " Retry-After: " + secs);
      const ik_retry_info ri = retried_once(c.get(), *o, error_reply(o->provider, 429, {{"Retry-After", secs}}));
      EXPECT_EQ(ri.delay_ms, std::stoll(secs) * 1000);
      EXPECT_EQ(ri.server_directed, 1);
      EXPECT_EQ(ri.status, IK_STATUS_RATE_LIMITED);
    }
  }
}

TEST_F(Retries, RetryAfterHttpDate) {
  with_retry_sink();
  auto c = client();
  const std::string date = http_date(std::time(nullptr) + 2);
  ik_retry_info ri =
      retried_once(c.get(), op("openai_retrieve"), error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", date}}));
  EXPECT_EQ(ri.server_directed, 1) << "Retry-After: " << date;
  EXPECT_GE(ri.delay_ms, 900) << date;  // whole seconds: 1 or 2 s from now
  EXPECT_LE(ri.delay_ms, 2000) << date;

  // A date in the past means "now".
  const std::string past = http_date(std::time(nullptr) - 100);
  ri = retried_once(c.get(), op("openai_retrieve"), error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", past}}));
  EXPECT_EQ(ri.delay_ms, 0);
  EXPECT_EQ(ri.server_directed, 1);
}

TEST_F(Retries, RetryAfterVisibleOnTheError) {
  cfg.o.max_retries = -1;
  auto c = client();
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 429, {{"Retry-After", "7"}}));
  Outcome out;
  op("openai_retrieve").run(c.get(), nullptr, out);
  EXPECT_EQ(out.status, IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, out.err.get()), 7000);
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503, {{"retry-after-ms", "250"}}));
  Outcome out2;
  op("openai_retrieve").run(c.get(), nullptr, out2);
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, out2.err.get()), 250);
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503));
  Outcome out3;
  op("openai_retrieve").run(c.get(), nullptr, out3);
  int64_t none = 0;
  EXPECT_EQ(ik_error_retry_after_ms(out3.err.get(), &none), 0) << "no server-directed delay: not present";
  EXPECT_EQ(ik_error_retry_after_ms(out3.err.get(), nullptr), 0);
}

TEST_F(Retries, XShouldRetryOverridesTheStatus) {
  with_retry_sink();
  auto c = client();
  for (const Op *o : ops_with({Verb::Get})) {
    SCOPED_TRACE(o->name);
    // true on a 400: retried.
    server.clear();
    server.enqueue(error_reply(o->provider, 400, {{"x-should-retry", "true"}}));
    server.enqueue(o->success());
    Outcome out;
    o->run(c.get(), nullptr, out);
    ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    EXPECT_EQ(out.attempts, 2);
    EXPECT_EQ(server.request_count(), 2u);
    // false on a 503: not retried, and not reported as retryable.
    server.clear();
    server.enqueue(error_reply(o->provider, 503, {{"x-should-retry", "false"}}));
    server.enqueue(o->success());
    Outcome out2;
    o->run(c.get(), nullptr, out2);
    EXPECT_EQ(out2.status, IK_STATUS_SERVER_ERROR);
    EXPECT_EQ(ik_error_attempts(out2.err.get()), 1);
    EXPECT_EQ(ik_error_is_retryable(out2.err.get()), 0);
    EXPECT_EQ(server.request_count(), 1u);
  }
}

TEST_F(Retries, FastlyRateLimitResetOn429) {
  with_retry_sink();
  auto c = client();
  const std::string reset = std::to_string(static_cast<long long>(std::time(nullptr)) + 1);
  const ik_retry_info ri = retried_once(
      c.get(), op("fastly_list"),
      error_reply(IK_PROVIDER_FASTLY, 429, {{"Fastly-RateLimit-Remaining", "0"}, {"Fastly-RateLimit-Reset", reset}}));
  EXPECT_EQ(ri.server_directed, 1);
  EXPECT_GE(ri.delay_ms, 0);
  EXPECT_LE(ri.delay_ms, 1000);

  // The reset is also the retry-after of the error.
  Cfg c2(server.base_url());
  c2.o.max_retries = -1;
  auto nc = c2.make();
  const std::string later = std::to_string(static_cast<long long>(std::time(nullptr)) + 30);
  server.enqueue(error_reply(IK_PROVIDER_FASTLY, 429, {{"Fastly-RateLimit-Reset", later}}));
  Outcome out2;
  op("fastly_list").run(nc.get(), nullptr, out2);
  EXPECT_EQ(out2.status, IK_STATUS_RATE_LIMITED);
  int64_t ms = -1;
  ASSERT_EQ(ik_error_retry_after_ms(out2.err.get(), &ms), 1);
  EXPECT_GE(ms, 28000);
  EXPECT_LE(ms, 30000);
}

TEST_F(Retries, ServerWaitAboveCapGivesUpAtOnce) {
  cfg.o.max_server_wait_ms = 1000;
  cfg.o.server_wait_policy = IK_SERVER_WAIT_GIVE_UP;
  with_retry_sink();
  auto c = client();
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 429, {{"Retry-After", "120"}}));
  server.enqueue(op("openai_retrieve").success());
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), nullptr, out);
  EXPECT_LT(ms_since(t0), 1000);
  EXPECT_EQ(out.status, IK_STATUS_RATE_LIMITED) << out.err.what();
  EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, out.err.get()), 120000);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(sink.snapshot().empty());
}

TEST_F(Retries, ServerWaitAboveCapIsCapped) {
  cfg.o.max_server_wait_ms = 1000;
  cfg.o.server_wait_policy = IK_SERVER_WAIT_CAP;
  with_retry_sink();
  auto c = client();
  const ik_retry_info ri =
      retried_once(c.get(), op("openai_retrieve"), error_reply(IK_PROVIDER_OPENAI, 429, {{"Retry-After", "120"}}));
  EXPECT_EQ(ri.delay_ms, 1000);
  EXPECT_EQ(ri.server_directed, 1);
}

// A server asking for an absurdly long wait must meet the cap (give up by
// default), never wrap around into "retry now" or a negative delay.
TEST_F(Retries, AbsurdServerWaitsMeetTheCap) {
  with_retry_sink();
  auto c = client();
  struct Case {
    const char *op;
    int32_t provider;
    HeaderList headers;
  };
  const Case cases[] = {
      {"openai_retrieve", IK_PROVIDER_OPENAI, {{"Retry-After", std::string(30, '9')}}},
      {"openai_retrieve", IK_PROVIDER_OPENAI, {{"retry-after-ms", std::string(30, '9')}}},
      {"fastly_list", IK_PROVIDER_FASTLY, {{"Fastly-RateLimit-Reset", "9000000000000000000"}}},
  };
  for (const auto &cs : cases) {
    SCOPED_TRACE(cs.headers[0].first + ": " + cs.headers[0].second);
    server.clear();
    sink.calls.clear();
    server.enqueue(error_reply(cs.provider, 429, cs.headers));
    server.enqueue(op(cs.op).success());
    Outcome out;
    op(cs.op).run(c.get(), nullptr, out);
    for (const auto &ri : sink.snapshot()) EXPECT_GE(ri.delay_ms, 0) << "negative delay handed to the retry callback";
    EXPECT_EQ(out.status, IK_STATUS_RATE_LIMITED)
        << "a wait beyond max_server_wait_ms gives up (IK_SERVER_WAIT_GIVE_UP)";
    EXPECT_EQ(server.request_count(), 1u);
    if (out.err) {
      int64_t ms = -1;
      EXPECT_EQ(ik_error_retry_after_ms(out.err.get(), &ms), 1);
      EXPECT_GT(ms, 60000);
    }
  }
}

TEST_F(Retries, OpenAIInsufficientQuotaIsNotRetried) {
  with_retry_sink();
  auto c = client();
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 429, {{"Retry-After", "0"}}, "insufficient_quota"));
  server.enqueue(op("openai_retrieve").success());
  Outcome out;
  op("openai_retrieve").run(c.get(), nullptr, out);
  EXPECT_EQ(out.status, IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(str(ik_error_provider_code(out.err.get())), "insufficient_quota");
  EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
  EXPECT_EQ(ik_error_is_retryable(out.err.get()), 0);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(sink.snapshot().empty());
  // An ordinary rate limit is retried.
  server.clear();
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 429, {{"Retry-After", "0"}}, "rate_limit_exceeded"));
  server.enqueue(op("openai_retrieve").success());
  Outcome out2;
  op("openai_retrieve").run(c.get(), nullptr, out2);
  EXPECT_EQ(out2.status, IK_STATUS_OK) << out2.err.what();
  EXPECT_EQ(out2.attempts, 2);
}

TEST_F(Retries, FastlyResetBeyondDeadlineIsNotRetried) {
  with_retry_sink();
  auto c = client();
  const std::string reset = std::to_string(static_cast<long long>(std::time(nullptr)) + 30);
  server.enqueue(error_reply(IK_PROVIDER_FASTLY, 429, {{"Fastly-RateLimit-Reset", reset}}));
  server.enqueue(op("fastly_list").success());
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.deadline_ms = 2000;
  Outcome out;
  const auto t0 = Clock::now();
  op("fastly_list").run(c.get(), &co, out);
  EXPECT_LT(ms_since(t0), 1000) << "fails at once instead of waiting";
  EXPECT_EQ(out.status, IK_STATUS_RATE_LIMITED) << out.err.what();
  EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_NE(str(ik_error_message(out.err.get())).find("deadline"), std::string::npos) << out.err.what();
  EXPECT_TRUE(sink.snapshot().empty());
}

// ---------------------------------------------------------------------------
// Creates (POST) are never sent twice unless provably not processed
// ---------------------------------------------------------------------------
TEST_F(Retries, CreateNotRetriedAfterAmbiguousStatus) {
  with_retry_sink();
  auto c = client();
  for (int status : {500, 502, 504, 408}) {
    for (const Op *o : ops_with({Verb::Create})) {
      SCOPED_TRACE(std::string(o->name) + " HTTP " + std::to_string(status));
      server.clear();
      server.enqueue(error_reply(o->provider, status));
      server.enqueue(o->success());
      Outcome out;
      o->run(c.get(), nullptr, out);
      EXPECT_NE(out.status, IK_STATUS_OK);
      EXPECT_EQ(server.request_count(), 1u) << "a create must not be sent twice";
      EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
      EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 1);
      EXPECT_EQ(ik_error_http_status(out.err.get()), status);
    }
  }
  EXPECT_TRUE(sink.snapshot().empty());
}

TEST_F(Retries, CreateNotRetriedAfterMidBodyReset) {
  auto c = client();
  for (Fault f : {Fault::ResetMidBody, Fault::Truncate}) {
    for (const Op *o : ops_with({Verb::Create})) {
      SCOPED_TRACE(o->name);
      server.clear();
      server.enqueue(broken(o->success(), f));
      server.enqueue(o->success());
      Outcome out;
      o->run(c.get(), nullptr, out);
      EXPECT_EQ(out.status, IK_STATUS_TRANSPORT) << out.err.what();
      EXPECT_EQ(server.request_count(), 1u);
      EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
      EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 1);
    }
  }
}

TEST_F(Retries, CreateNotRetriedAfterResetOnceRequestWasRead) {
  RawResetServer reset;
  Cfg rc(reset.base_url());
  auto c = rc.make();
  size_t conns = 0;
  for (const Op *o : ops_with({Verb::Create})) {
    SCOPED_TRACE(o->name);
    Outcome out;
    o->run(c.get(), nullptr, out);
    ++conns;
    EXPECT_EQ(out.status, IK_STATUS_TRANSPORT) << out.err.what();
    EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
    EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 1);
    EXPECT_TRUE(reset.wait_for_connections(conns, std::chrono::seconds(5)));
    EXPECT_EQ(reset.connections(), conns) << "sent once";
  }
}

TEST_F(Retries, CreateNotRetriedAfterAttemptTimeout) {
  cfg.o.attempt_timeout_ms = 300;
  auto c = client();
  const Op &o = op("openai_create");
  Reply hang = Reply::faulty(Fault::Hang);
  hang.hang_ms = 2000;
  server.enqueue(hang);
  server.enqueue(o.success());
  Outcome out;
  o.run(c.get(), nullptr, out);
  EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 1);
}

TEST_F(Retries, CreateRetriedWhenProvablyNotProcessed) {
  with_retry_sink();
  auto c = client();
  for (int status : {429, 503}) {
    for (const Op *o : ops_with({Verb::Create})) {
      SCOPED_TRACE(std::string(o->name) + " HTTP " + std::to_string(status));
      second_attempt_succeeds(c.get(), *o, error_reply(o->provider, status));
    }
  }
}

TEST_F(Retries, CreateRetriedAfterConnectionRefused) {
  const int port = unused_port();
  Cfg rc("http://127.0.0.1:" + std::to_string(port));
  auto c = rc.make();
  for (const Op *o : ops_with({Verb::Create})) {
    SCOPED_TRACE(o->name);
    Outcome out;
    o->run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_TRANSPORT) << out.err.what();
    EXPECT_EQ(ik_error_attempts(out.err.get()), 3) << "connection refused: the create never left";
    EXPECT_EQ(ik_error_is_ambiguous(out.err.get()), 0);
    EXPECT_EQ(ik_error_is_retryable(out.err.get()), 1);
  }
}

TEST_F(Retries, AmbiguousCreateRetriedWhenEnabled) {
  const Op &o = op("openai_create");
  // Client flag: after a 500 and after a broken response.
  {
    Cfg c2(server.base_url());
    c2.o.flags |= IK_CLIENT_RETRY_AMBIGUOUS_POSTS;
    auto c = c2.make();
    second_attempt_succeeds(c.get(), o, error_reply(o.provider, 500));
    second_attempt_succeeds(c.get(), o, broken(o.success(), Fault::ResetMidBody));
    // The call option IK_OPTBOOL_FALSE turns it off again.
    server.clear();
    server.enqueue(error_reply(o.provider, 500));
    server.enqueue(o.success());
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.retry_ambiguous_posts = IK_OPTBOOL_FALSE;
    Outcome out3;
    o.run(c.get(), &co, out3);
    EXPECT_EQ(out3.status, IK_STATUS_SERVER_ERROR);
    EXPECT_EQ(server.request_count(), 1u);
  }
  // Call option on a client without the flag.
  auto c = client();
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.retry_ambiguous_posts = IK_OPTBOOL_TRUE;
  for (const Op *op2 : ops_with({Verb::Create})) {
    SCOPED_TRACE(op2->name);
    second_attempt_succeeds(c.get(), *op2, error_reply(op2->provider, 500), &co);
  }
}

TEST_F(Retries, TwilioUserUpdateIsRetriedAfter500) {
  auto c = client();
  const Op &o = op("twilio_user_update");
  second_attempt_succeeds(c.get(), o, error_reply(o.provider, 500));
  EXPECT_EQ(server.requests()[0].method, "POST");
  // Broken responses too (an update is idempotent).
  second_attempt_succeeds(c.get(), o, broken(o.success(), Fault::ResetMidBody));
}

// ---------------------------------------------------------------------------
// The retry callback
// ---------------------------------------------------------------------------
TEST_F(Retries, RetryCallbackSeesEverythingAndCanVeto) {
  std::atomic<int> freed{0};
  cfg.o.max_retries = 5;
  sink.veto_at_attempt = 3;
  with_retry_sink();
  cfg.o.retry_user_data_free = nullptr;
  auto c = client();
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 503));
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 429, {{"Retry-After", "0"}}));
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 500));
  server.enqueue(op("twilio_user_fetch").success());
  Outcome out;
  op("twilio_user_fetch").run(c.get(), nullptr, out);
  // ABI 0.2: a veto cancels the call; the failed attempt stays readable.
  EXPECT_EQ(out.status, IK_STATUS_CANCELLED) << out.err.what();
  ASSERT_TRUE(out.err);
  EXPECT_EQ(ik_error_status(out.err.get()), IK_STATUS_CANCELLED);
  EXPECT_EQ(ik_error_cancelled_by(out.err.get()), IK_CANCELLED_BY_RETRY_CALLBACK);
  EXPECT_EQ(ik_error_attempts(out.err.get()), 3);
  EXPECT_EQ(ik_error_http_status(out.err.get()), 500) << "the HTTP status of the vetoed attempt";
  EXPECT_EQ(ik_error_provider(out.err.get()), IK_PROVIDER_TWILIO);
  EXPECT_EQ(str(ik_error_operation(out.err.get())), "users.fetch");
  EXPECT_EQ(str(ik_error_provider_code(out.err.get())), "20500") << "provider fields of the vetoed attempt";
  EXPECT_EQ(str(ik_error_provider_message(out.err.get())), "scripted failure");
  const uint8_t *body = nullptr;
  size_t body_len = 0;
  ASSERT_EQ(ik_error_body(out.err.get(), &body, &body_len), 1);
  EXPECT_NE(bytes(body, body_len).find("\"code\":20500"), std::string::npos) << bytes(body, body_len);
  EXPECT_GT(ik_error_header_count(out.err.get()), 0u) << "the headers of the vetoed attempt";
  EXPECT_EQ(str(ik_error_header(out.err.get(), "content-type")).rfind("application/json", 0), 0u);
  EXPECT_EQ(server.request_count(), 3u) << "vetoed: no 4th request";
  auto calls = sink.snapshot();
  ASSERT_EQ(calls.size(), 3u);
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].version, static_cast<uint32_t>(IK_RETRY_INFO_VERSION));
    EXPECT_EQ(calls[i].provider, IK_PROVIDER_TWILIO);
    EXPECT_EQ(sink.operations[i], "users.fetch");
    EXPECT_EQ(calls[i].attempt, static_cast<int32_t>(i + 1));
  }
  EXPECT_EQ(calls[0].status, IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(calls[0].http_status, 503);
  EXPECT_EQ(calls[0].delay_ms, 20);
  EXPECT_EQ(calls[0].server_directed, 0);
  EXPECT_EQ(calls[1].status, IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(calls[1].http_status, 429);
  EXPECT_EQ(calls[1].delay_ms, 0);
  EXPECT_EQ(calls[1].server_directed, 1);
  EXPECT_EQ(calls[2].http_status, 500);
  EXPECT_EQ(calls[2].delay_ms, 80);
  (void)freed;
}

// A veto on the first retry of every kind of operation: IK_STATUS_CANCELLED by
// the retry callback, the failed attempt's status on the error, one request.
TEST_F(Retries, VetoCancelsEveryOperationWithTheAttemptsStatus) {
  cfg.o.max_retries = 3;
  sink.veto_at_attempt = 1;
  with_retry_sink();
  auto c = client();
  for (const Op *o : ops_with({Verb::Get, Verb::Delete, Verb::Update})) {
    SCOPED_TRACE(o->name);
    server.clear();
    server.enqueue(error_reply(o->provider, 503));
    server.enqueue(o->success());
    Outcome out;
    o->run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_CANCELLED) << out.err.what();
    EXPECT_EQ(ik_error_cancelled_by(out.err.get()), IK_CANCELLED_BY_RETRY_CALLBACK);
    EXPECT_EQ(ik_error_http_status(out.err.get()), 503);
    EXPECT_EQ(ik_error_provider(out.err.get()), o->provider);
    EXPECT_EQ(str(ik_error_operation(out.err.get())), o->operation);
    EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
    EXPECT_EQ(server.request_count(), 1u);
  }
}

// Errors that are not cancellations say IK_CANCELLED_BY_NONE, also when a
// retry callback is installed and let every retry happen.
TEST_F(Retries, ExhaustedRetriesAreNotCancellations) {
  cfg.o.max_retries = 2;
  with_retry_sink();
  auto c = client();
  server.set_handler([](const RecordedRequest &) { return error_reply(IK_PROVIDER_OPENAI, 503); });
  Outcome out;
  op("openai_retrieve").run(c.get(), nullptr, out);
  EXPECT_EQ(out.status, IK_STATUS_SERVER_ERROR) << out.err.what();
  EXPECT_EQ(ik_error_cancelled_by(out.err.get()), IK_CANCELLED_BY_NONE);
  EXPECT_EQ(ik_error_attempts(out.err.get()), 3);
  EXPECT_EQ(sink.snapshot().size(), 2u);
}

TEST_F(Retries, RetryCallbackUserDataFreedWithClient) {
  static std::atomic<int> freed{0};
  freed = 0;
  int dummy = 0;
  cfg.o.retry_cb = [](const ik_retry_info *, void *) -> int32_t { return 0; };
  cfg.o.retry_user_data = &dummy;
  cfg.o.retry_user_data_free = [](void *p) {
    EXPECT_NE(p, nullptr);
    ++freed;
  };
  {
    auto c = client();
    server.enqueue(error_reply(IK_PROVIDER_OPENAI, 500));
    server.enqueue(op("openai_retrieve").success());
    Outcome out;
    op("openai_retrieve").run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_OK);
    EXPECT_EQ(freed.load(), 0);
  }
  EXPECT_EQ(freed.load(), 1);
}

}  // namespace
