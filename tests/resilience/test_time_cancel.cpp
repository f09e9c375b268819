// Resilience: time limits (per-attempt timeout, overall deadline, connect
// timeout) and cancellation from another thread, through the public C ABI.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "ops.hpp"

using namespace res;
using namespace std::chrono_literals;

namespace {

Reply hang(int ms = 5000) {
  Reply r = Reply::faulty(Fault::Hang);
  r.hang_ms = ms;
  return r;
}

Reply slow_body(const Reply &good, int chunks, int delay_ms) {
  Reply r = good;
  r.fault = Fault::SlowBody;
  r.slow_chunks = chunks;
  r.delay_ms = delay_ms;
  r.body += std::string(static_cast<size_t>(chunks) * 16, ' ');
  return r;
}

class Time : public ::testing::Test {
 protected:
  MockServer server;
  Cfg cfg{server.base_url()};
};

// ---------------------------------------------------------------------------
// Per-attempt timeout
// ---------------------------------------------------------------------------
TEST_F(Time, AttemptTimeoutAgainstAHangingServer) {
  cfg.o.attempt_timeout_ms = 300;
  cfg.o.max_retries = -1;
  auto c = cfg.make();
  for (const Op *o : ops_with({Verb::Get})) {
    SCOPED_TRACE(o->name);
    server.clear();
    server.enqueue(hang());
    Outcome out;
    const auto t0 = Clock::now();
    o->run(c.get(), nullptr, out);
    const int64_t ms = ms_since(t0);
    EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
    EXPECT_EQ(ik_error_cancelled_by(out.err.get()), IK_CANCELLED_BY_NONE) << "a timeout is not a cancellation";
    EXPECT_GE(ms, 250);
    EXPECT_LT(ms, 3000);
    EXPECT_EQ(ik_error_attempts(out.err.get()), 1);
    EXPECT_EQ(ik_error_is_retryable(out.err.get()), 1);
    EXPECT_EQ(ik_error_http_status(out.err.get()), 0);
  }
}

TEST_F(Time, AttemptTimeoutPerCallOverridesTheClient) {
  cfg.o.max_retries = -1;  // client: 10 s per attempt
  auto c = cfg.make();
  server.enqueue(hang());
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.attempt_timeout_ms = 250;
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), &co, out);
  EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
  EXPECT_LT(ms_since(t0), 3000);
}

TEST_F(Time, AttemptTimeoutAppliesToEachAttempt) {
  cfg.o.attempt_timeout_ms = 250;
  auto c = cfg.make();
  server.enqueue(hang());
  server.enqueue(hang());
  server.enqueue(op("openai_retrieve").success());
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), nullptr, out);
  ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
  EXPECT_EQ(out.attempts, 3);
  EXPECT_GE(ms_since(t0), 2 * 250 - 20);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(Time, AttemptTimeoutCoversATricklingBody) {
  cfg.o.attempt_timeout_ms = 400;
  cfg.o.max_retries = -1;
  auto c = cfg.make();
  // Bytes keep arriving, but the whole response takes ~1.5 s.
  server.enqueue(slow_body(op("openai_retrieve").success(), 6, 300));
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), nullptr, out);
  EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
  EXPECT_LT(ms_since(t0), 1200);
  // A slow body that finishes in time is fine.
  server.enqueue(slow_body(op("openai_retrieve").success(), 3, 50));
  Outcome out2;
  op("openai_retrieve").run(c.get(), nullptr, out2);
  EXPECT_EQ(out2.status, IK_STATUS_OK) << out2.err.what();
}

// ---------------------------------------------------------------------------
// Overall deadline
// ---------------------------------------------------------------------------
TEST_F(Time, DeadlineStopsAServerDirectedWait) {
  auto c = cfg.make();
  for (int via_client = 0; via_client < 2; ++via_client) {
    SCOPED_TRACE(via_client ? "client deadline_ms" : "call deadline_ms");
    Cfg c2(server.base_url());
    c2.o.deadline_ms = 500;
    auto cc = c2.make();
    server.clear();
    server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", "30"}}));
    server.enqueue(op("openai_retrieve").success());
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.deadline_ms = 500;
    Outcome out;
    const auto t0 = Clock::now();
    op("openai_retrieve").run(via_client ? cc.get() : c.get(), via_client ? nullptr : &co, out);
    const int64_t ms = ms_since(t0);
    EXPECT_LT(ms, 2000) << "must fail well before the 30 s the server asked for";
    EXPECT_NE(out.status, IK_STATUS_OK);
    EXPECT_EQ(server.request_count(), 1u);
    const std::string msg = str(ik_error_message(out.err.get()));
    EXPECT_NE(msg.find("deadline"), std::string::npos) << msg;
    EXPECT_NE(msg.find("wait"), std::string::npos) << msg;
  }
}

TEST_F(Time, DeadlineCutsAHangingAttempt) {
  cfg.o.max_retries = 5;
  auto c = cfg.make();
  for (int i = 0; i < 6; ++i) server.enqueue(hang());
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.deadline_ms = 700;
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), &co, out);
  const int64_t ms = ms_since(t0);
  EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
  EXPECT_GE(ms, 600);
  EXPECT_LT(ms, 2500);
}

TEST_F(Time, DeadlineAcrossRetriesAndBackoff) {
  cfg.o.max_retries = 10;
  cfg.o.retry_base_delay_ms = 150;
  cfg.o.retry_max_delay_ms = 150;
  auto c = cfg.make();
  for (int i = 0; i < 11; ++i) server.enqueue(error_reply(IK_PROVIDER_OPENAI, 500));
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.deadline_ms = 500;
  Outcome out;
  const auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), &co, out);
  const int64_t ms = ms_since(t0);
  EXPECT_NE(out.status, IK_STATUS_OK);
  EXPECT_LT(ms, 1500);
  EXPECT_GE(ik_error_attempts(out.err.get()), 2);
  EXPECT_LE(ik_error_attempts(out.err.get()), 4);
  EXPECT_NE(str(ik_error_message(out.err.get())).find("deadline"), std::string::npos) << out.err.what();
}

// ---------------------------------------------------------------------------
// Connect timeout. A listening socket whose accept queue is full makes Linux
// drop further SYNs, so a connect to it stays pending: a deterministic
// connect timeout on 127.0.0.1. If this kernel answers anyway, the test is
// skipped (a connect timeout cannot be provoked on loopback otherwise).
// ---------------------------------------------------------------------------
class FullBacklogListener {
 public:
  FullBacklogListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd_, 0) != 0) return;
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len);
    port_ = ntohs(a.sin_port);
    addr_ = a;
    for (int i = 0; i < 4; ++i) fillers_.push_back(nb_connect());
  }
  ~FullBacklogListener() {
    for (int f : fillers_)
      if (f >= 0) ::close(f);
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  // True when a new connection stays pending for `ms`.
  bool connects_hang(int ms) {
    int s = nb_connect();
    if (s < 0) return false;
    pollfd p{s, POLLOUT, 0};
    const int r = ::poll(&p, 1, ms);
    ::close(s);
    return r == 0;
  }

 private:
  int nb_connect() {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) return -1;
    ::connect(s, reinterpret_cast<sockaddr *>(&addr_), sizeof addr_);
    return s;
  }
  int fd_ = -1;
  int port_ = 0;
  sockaddr_in addr_{};
  std::vector<int> fillers_;
};

TEST(TimeConnect, ConnectTimeoutOnAFullBacklog) {
  FullBacklogListener l;
  ASSERT_GT(l.port(), 0);
  if (!l.connects_hang(300))
    GTEST_SKIP() << "this kernel completes connects to a full backlog; cannot provoke a connect timeout";
  Cfg cfg("http://127.0.0.1:" + std::to_string(l.port()));
  cfg.o.connect_timeout_ms = 300;
  cfg.o.attempt_timeout_ms = 10000;
  cfg.o.max_retries = -1;
  auto c = cfg.make();
  Outcome out;
  auto t0 = Clock::now();
  op("openai_retrieve").run(c.get(), nullptr, out);
  int64_t ms = ms_since(t0);
  EXPECT_EQ(out.status, IK_STATUS_TIMEOUT) << out.err.what();
  EXPECT_GE(ms, 250);
  EXPECT_LT(ms, 3000) << "the connect timeout, not the 10 s attempt timeout";
  // Nothing was sent: a create may be retried after a connect timeout.
  Cfg cfg2("http://127.0.0.1:" + std::to_string(l.port()));
  cfg2.o.connect_timeout_ms = 200;
  auto c2 = cfg2.make();
  Outcome out2;
  t0 = Clock::now();
  op("openai_create").run(c2.get(), nullptr, out2);
  EXPECT_EQ(out2.status, IK_STATUS_TIMEOUT) << out2.err.what();
  EXPECT_EQ(ik_error_is_ambiguous(out2.err.get()), 0);
  EXPECT_EQ(ik_error_attempts(out2.err.get()), 3);
  EXPECT_LT(ms_since(t0), 4000);
}

// ---------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------
using CancelTokenPtr = CancelPtr;

CancelTokenPtr new_token() {
  ik_cancel_token *t = nullptr;
  Err err;
  EXPECT_EQ(ik_cancel_token_new(&t, err.out()), IK_STATUS_OK) << err.what();
  return CancelTokenPtr(t);
}

// Runs `o` with the token on another thread; cancels once `ready` says so and
// reports how long the call took to return after the cancel.
struct CancelRun {
  Outcome out;
  int64_t after_cancel_ms = -1;
};

void run_and_cancel(const ik_client *c, const Op &o, ik_cancel_token *tok, const std::function<bool()> &ready,
                    CancelRun &r) {
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = tok;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Clock::time_point end{};
  std::thread t([&] {
    o.run(c, &co, r.out);
    std::lock_guard<std::mutex> lk(mu);
    end = Clock::now();
    done = true;
    cv.notify_all();
  });
  const bool is_ready = ready();
  EXPECT_TRUE(is_ready) << "the call never reached the point to cancel";
  const auto t_cancel = Clock::now();
  ik_cancel_token_cancel(tok);
  {
    std::unique_lock<std::mutex> lk(mu);
    EXPECT_TRUE(cv.wait_for(lk, 10s, [&] { return done; })) << "the call did not return within 10 s of the cancel";
  }
  t.join();
  r.after_cancel_ms = std::chrono::duration_cast<std::chrono::milliseconds>(end - t_cancel).count();
}

class Cancel : public ::testing::Test {
 protected:
  MockServer server;
  Cfg cfg{server.base_url()};
};

TEST_F(Cancel, DuringASlowResponse) {
  auto c = cfg.make();
  for (int variant = 0; variant < 2; ++variant) {
    SCOPED_TRACE(variant ? "Hang" : "SlowBody");
    server.clear();
    server.enqueue(variant ? hang(8000) : slow_body(op("openai_retrieve").success(), 10, 1000));
    auto tok = new_token();
    CancelRun r;
    run_and_cancel(
        c.get(), op("openai_retrieve"), tok.get(), [&] { return server.wait_for_requests(1, 5s); }, r);
    EXPECT_EQ(r.out.status, IK_STATUS_CANCELLED) << r.out.err.what();
    EXPECT_EQ(ik_error_cancelled_by(r.out.err.get()), IK_CANCELLED_BY_TOKEN);
    EXPECT_LT(r.after_cancel_ms, 1000) << "cancel must be prompt";
    EXPECT_EQ(ik_error_attempts(r.out.err.get()), 1);
    EXPECT_EQ(ik_error_is_ambiguous(r.out.err.get()), 0);
    EXPECT_EQ(ik_cancel_token_is_cancelled(tok.get()), 1);
  }
  // A cancelled create that was sent has an ambiguous outcome.
  server.clear();
  server.enqueue(hang(8000));
  auto tok = new_token();
  CancelRun r;
  run_and_cancel(
      c.get(), op("openai_create"), tok.get(), [&] { return server.wait_for_requests(1, 5s); }, r);
  EXPECT_EQ(r.out.status, IK_STATUS_CANCELLED) << r.out.err.what();
  EXPECT_EQ(ik_error_cancelled_by(r.out.err.get()), IK_CANCELLED_BY_TOKEN);
  EXPECT_LT(r.after_cancel_ms, 1000);
  EXPECT_EQ(ik_error_is_ambiguous(r.out.err.get()), 1);
  EXPECT_EQ(server.request_count(), 1u);
  // The client keeps working.
  server.enqueue(op("openai_retrieve").success());
  Outcome ok;
  op("openai_retrieve").run(c.get(), nullptr, ok);
  EXPECT_EQ(ok.status, IK_STATUS_OK) << ok.err.what();
}

TEST_F(Cancel, DuringABackoffSleep) {
  RetrySink rs;
  rs.attach(cfg.o);
  auto c = cfg.make();
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", "30"}}));
  server.enqueue(op("openai_retrieve").success());
  auto tok = new_token();
  CancelRun r;
  // The retry callback runs right before the sleep.
  run_and_cancel(
      c.get(), op("openai_retrieve"), tok.get(), [&] { return rs.wait_for(1, 5s); }, r);
  EXPECT_EQ(r.out.status, IK_STATUS_CANCELLED) << r.out.err.what();
  EXPECT_EQ(ik_error_cancelled_by(r.out.err.get()), IK_CANCELLED_BY_TOKEN) << "cancelled during the backoff sleep";
  EXPECT_LT(r.after_cancel_ms, 1000) << "the 30 s wait must be interrupted";
  EXPECT_EQ(server.request_count(), 1u);
  ASSERT_EQ(rs.snapshot().size(), 1u);
  EXPECT_EQ(rs.snapshot()[0].delay_ms, 30000);
  // Reset: the same token works again, and the client is fine.
  ik_cancel_token_reset(tok.get());
  EXPECT_EQ(ik_cancel_token_is_cancelled(tok.get()), 0);
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = tok.get();
  Outcome ok;
  op("openai_retrieve").run(c.get(), &co, ok);
  EXPECT_EQ(ok.status, IK_STATUS_OK) << ok.err.what();
  EXPECT_EQ(ok.attempts, 1);
}

TEST_F(Cancel, AlreadyCancelledTokenSendsNothing) {
  auto c = cfg.make();
  auto tok = new_token();
  ik_cancel_token_cancel(tok.get());
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = tok.get();
  for (const auto &o : all_ops()) {
    SCOPED_TRACE(o.name);
    Outcome out;
    o.run(c.get(), &co, out);
    EXPECT_EQ(out.status, IK_STATUS_CANCELLED) << out.err.what();
    EXPECT_EQ(ik_error_cancelled_by(out.err.get()), IK_CANCELLED_BY_TOKEN);
    EXPECT_EQ(ik_error_attempts(out.err.get()), 0);
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(Cancel, OneTokenCancelsConcurrentCalls) {
  auto c = cfg.make();
  for (int i = 0; i < 3; ++i) server.enqueue(hang(8000));
  auto tok = new_token();
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = tok.get();
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::vector<ik_status> st(3, IK_STATUS_INTERNAL);
  std::vector<Clock::time_point> end(3);
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) {
    ts.emplace_back([&, i] {
      Outcome out;
      op("openai_retrieve").run(c.get(), &co, out);
      std::lock_guard<std::mutex> lk(mu);
      st[static_cast<size_t>(i)] = out.status;
      end[static_cast<size_t>(i)] = Clock::now();
      ++done;
      cv.notify_all();
    });
  }
  EXPECT_TRUE(server.wait_for_requests(3, 5s));
  const auto t_cancel = Clock::now();
  ik_cancel_token_cancel(tok.get());
  {
    std::unique_lock<std::mutex> lk(mu);
    EXPECT_TRUE(cv.wait_for(lk, 10s, [&] { return done == 3; }));
  }
  for (auto &t : ts) t.join();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(st[static_cast<size_t>(i)], IK_STATUS_CANCELLED);
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(end[static_cast<size_t>(i)] - t_cancel).count(),
              1000);
  }
}

TEST_F(Cancel, PagerCallCancelledThenResumesTheSamePage) {
  PagedList model{Kind::OpenAI, 30, server.base_url()};
  auto c = cfg.make();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(c.get(), &lo, &p, err.out()), IK_STATUS_OK);
  PagerPtr pager(p);
  server.set_handler([model](const RecordedRequest &r) { return model(r); });
  ik_page *pg = nullptr;
  ASSERT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  ik_page_free(pg);
  // The second page hangs; cancel it from another thread.
  server.enqueue(hang(8000));
  auto tok = new_token();
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = tok.get();
  ik_status st = IK_STATUS_INTERNAL;
  Err cerr;
  std::thread t([&] {
    ik_page *x = nullptr;
    st = ik_pager_next_page(p, &co, &x, cerr.out());
    ik_page_free(x);
  });
  EXPECT_TRUE(server.wait_for_requests(2, 5s));
  ik_cancel_token_cancel(tok.get());
  t.join();
  EXPECT_EQ(st, IK_STATUS_CANCELLED) << cerr.what();
  EXPECT_EQ(ik_error_cancelled_by(cerr.get()), IK_CANCELLED_BY_TOKEN);
  EXPECT_EQ(ik_pager_items_delivered(p), 10);
  pg = nullptr;
  ASSERT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(pg);
  ASSERT_TRUE(pg);
  EXPECT_EQ(str(ik_openai_invite_id(ik_page_openai_invite_at(pg, 0))), item_id(Kind::OpenAI, 10));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].target, reqs[1].target);
}

TEST_F(Cancel, NoFdLeakAfter50CancelledCalls) {
  RetrySink rs;
  rs.attach(cfg.o);
  auto c = cfg.make();
  // Warm up: the pooled connection and the handles exist before counting.
  server.enqueue(op("openai_retrieve").success());
  {
    Outcome ok;
    op("openai_retrieve").run(c.get(), nullptr, ok);
    ASSERT_EQ(ok.status, IK_STATUS_OK) << ok.err.what();
  }
  const int fds0 = count_fds();
  ASSERT_GT(fds0, 0);
  const int64_t conns0 = ik_client_connections_opened(c.get());
  auto tok = new_token();
  int cancelled = 0;
  for (int i = 0; i < 50; ++i) {
    ik_cancel_token_reset(tok.get());
    CancelRun r;
    if (i % 2 == 0) {
      // During a response that never comes: the connection must be closed.
      const size_t n = server.request_count();
      server.enqueue(hang(300));
      run_and_cancel(
          c.get(), op("openai_retrieve"), tok.get(), [&] { return server.wait_for_requests(n + 1, 5s); }, r);
    } else {
      // During a backoff sleep.
      const size_t n = rs.snapshot().size();
      server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", "30"}}));
      run_and_cancel(
          c.get(), op("openai_retrieve"), tok.get(), [&] { return rs.wait_for(n + 1, 5s); }, r);
    }
    if (r.out.status == IK_STATUS_CANCELLED) ++cancelled;
    EXPECT_LT(r.after_cancel_ms, 1000) << "call " << i;
  }
  EXPECT_EQ(cancelled, 50);
  // Still working afterwards.
  server.enqueue(op("openai_retrieve").success());
  Outcome ok;
  op("openai_retrieve").run(c.get(), nullptr, ok);
  EXPECT_EQ(ok.status, IK_STATUS_OK) << ok.err.what();
  // The server's side of the cancelled connections closes once its hanging
  // handlers end (300 ms); wait for that, bounded.
  int fds1 = count_fds();
  for (int i = 0; i < 250 && fds1 > fds0 + 4; ++i) {
    std::this_thread::sleep_for(20ms);
    fds1 = count_fds();
  }
  EXPECT_LE(fds1, fds0 + 4) << "fds before: " << fds0 << ", after 50 cancelled calls: " << fds1;
  RecordProperty("connections_opened", std::to_string(ik_client_connections_opened(c.get()) - conns0));
}

}  // namespace
