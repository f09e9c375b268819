// Self-test of tests/support/mock_server: the other suites rely on it, so its
// recording, scripting and faults are checked here with an independent client
// (cpp-httplib's, and a raw socket where the client library would hide things).
#include "mock_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace iktest;
using namespace std::chrono_literals;

namespace {

// Sends `raw` on a fresh connection and reads until EOF/RST or 5 s. Returns
// what was received; *reset is set when the connection ended with an error.
std::string raw_exchange(int port, const std::string &raw, bool *reset = nullptr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    ::close(fd);
    if (reset) *reset = true;
    return {};
  }
  (void)::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  char buf[4096];
  bool err = false;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      err = true;
      break;
    }
    if (n == 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (reset) *reset = err;
  return got;
}

}  // namespace

TEST(MockServer, BaseUrlIsLoopbackEphemeral) {
  MockServer s;
  EXPECT_GT(s.port(), 0);
  EXPECT_EQ(s.base_url(), "http://127.0.0.1:" + std::to_string(s.port()));
}

TEST(MockServer, UnscriptedRequestGets599) {
  MockServer s;
  httplib::Client c("127.0.0.1", s.port());
  auto r = c.Get("/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 599);
  EXPECT_NE(r->body.find("no reply scripted"), std::string::npos);
}

TEST(MockServer, RecordsRawTargetHeadersBody) {
  MockServer s;
  s.enqueue(Reply::json(201, "{\"ok\":true}", {{"x-request-id", "req_1"}}));
  httplib::Client c("127.0.0.1", s.port());
  httplib::Headers h = {{"X-Test", "a"}, {"X-Test", "b"}};
  auto r = c.Post("/a%2Fb/c?x=1&y=%5B2%5D", h, "{\"k\":1}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "{\"ok\":true}");
  EXPECT_EQ(r->get_header_value("x-request-id"), "req_1");
  ASSERT_EQ(s.request_count(), 1u);
  const auto q = s.last_request();
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.target, "/a%2Fb/c?x=1&y=%5B2%5D");
  EXPECT_EQ(q.path, "/a%2Fb/c");
  EXPECT_EQ(q.query, "x=1&y=%5B2%5D");
  EXPECT_EQ(q.body, "{\"k\":1}");
  EXPECT_EQ(q.header("content-type"), "application/json");
  EXPECT_EQ(q.header_count("x-test"), 2u);
  EXPECT_FALSE(q.has_header("REMOTE_ADDR"));
  EXPECT_EQ(q.header("absent"), "");
}

TEST(MockServer, QueueThenHandler) {
  MockServer s;
  s.enqueue(Reply::json(200, "first"));
  s.set_handler([](const RecordedRequest &r) { return Reply::json(200, "handler:" + r.path); });
  httplib::Client c("127.0.0.1", s.port());
  auto r1 = c.Get("/one");
  auto r2 = c.Get("/two");
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->body, "first");
  EXPECT_EQ(r2->body, "handler:/two");
  EXPECT_EQ(s.pending_replies(), 0u);
}

TEST(MockServer, CountsConnectionsWithKeepAlive) {
  MockServer s;
  s.set_handler([](const RecordedRequest &) { return Reply::json(200, "{}"); });
  {
    httplib::Client c("127.0.0.1", s.port());
    c.set_keep_alive(true);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(c.Get("/k"));
  }
  EXPECT_EQ(s.request_count(), 20u);
  EXPECT_EQ(s.connections(), 1u);
  {
    httplib::Client c2("127.0.0.1", s.port());
    ASSERT_TRUE(c2.Get("/k"));
  }
  EXPECT_EQ(s.connections(), 2u);
  s.clear();
  EXPECT_EQ(s.request_count(), 0u);
  EXPECT_EQ(s.connections(), 0u);
}

TEST(MockServer, WaitForRequestsIsBounded) {
  MockServer s;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(s.wait_for_requests(1, 100ms));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  s.set_handler([](const RecordedRequest &) { return Reply::json(200, "{}"); });
  std::thread t([&] {
    httplib::Client c("127.0.0.1", s.port());
    (void)c.Get("/x");
  });
  EXPECT_TRUE(s.wait_for_requests(1, 5s));
  t.join();
}

TEST(MockServer, ConcurrentClients) {
  MockServer s;
  s.set_handler([](const RecordedRequest &r) { return Reply::json(200, r.path); });
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", s.port());
      c.set_keep_alive(true);
      for (int i = 0; i < 25; ++i) {
        const std::string p = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto r = c.Get(p);
        if (r && r->body == p) ++ok;
      }
    });
  for (auto &t : ts) t.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(s.request_count(), 200u);
  EXPECT_LE(s.connections(), 8u);
}

TEST(MockServer, TruncateDeclaresMoreThanItSends) {
  MockServer s;
  s.enqueue(Reply::faulty(Fault::Truncate, std::string(1000, 'x')));
  const std::string got = raw_exchange(s.port(), "GET /t HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(got.find("Content-Length: 1000"), std::string::npos) << got.substr(0, 300);
  const auto hdr_end = got.find("\r\n\r\n");
  ASSERT_NE(hdr_end, std::string::npos);
  EXPECT_EQ(got.size() - (hdr_end + 4), 500u);
}

TEST(MockServer, ResetMidBodyIsChunkedAndUnterminated) {
  MockServer s;
  s.enqueue(Reply::faulty(Fault::ResetMidBody, std::string(1000, 'y'), 200));
  const std::string got = raw_exchange(s.port(), "GET /t HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got.substr(0, 300);
  EXPECT_EQ(got.find("\r\n0\r\n\r\n"), std::string::npos);  // no terminating chunk
  EXPECT_NE(got.find(std::string(500, 'y')), std::string::npos);
}

TEST(MockServer, SlowBodyArrivesWhole) {
  MockServer s;
  Reply r = Reply::faulty(Fault::SlowBody, std::string(400, 'z'));
  r.delay_ms = 30;
  r.slow_chunks = 4;
  s.enqueue(r);
  httplib::Client c("127.0.0.1", s.port());
  const auto t0 = std::chrono::steady_clock::now();
  auto res = c.Get("/slow");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, std::string(400, 'z'));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 80ms);
}

TEST(MockServer, HangEndsWhenServerStops) {
  const auto t0 = std::chrono::steady_clock::now();
  std::thread client;
  {
    MockServer s;
    s.enqueue(Reply::faulty(Fault::Hang));
    client = std::thread([port = s.port()] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(20, 0);
      (void)c.Get("/hang");
    });
    ASSERT_TRUE(s.wait_for_requests(1, 5s));
  }  // destructor must end the hang promptly
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
}

TEST(MockServer, Redirect) {
  MockServer s;
  s.enqueue(Reply::redirect("http://127.0.0.1:1/elsewhere", 307));
  httplib::Client c("127.0.0.1", s.port());
  auto r = c.Get("/r");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 307);
  EXPECT_EQ(r->get_header_value("Location"), "http://127.0.0.1:1/elsewhere");
}

TEST(RawResetServer, ResetsAfterReadingTheHead) {
  RawResetServer s;
  bool reset = false;
  const std::string got = raw_exchange(s.port(), "GET /x HTTP/1.1\r\nHost: y\r\n\r\n", &reset);
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(reset);
  ASSERT_TRUE(s.wait_for_connections(1, 5s));
  EXPECT_EQ(s.connections(), 1u);
  EXPECT_EQ(s.heads().at(0).rfind("GET /x HTTP/1.1\r\n", 0), 0u);
}

TEST(RawResetServer, PrefixThenReset) {
  RawResetServer s("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"obj");
  bool reset = false;
  const std::string got = raw_exchange(s.port(), "GET /x HTTP/1.1\r\nHost: y\r\n\r\n", &reset);
  EXPECT_TRUE(reset);
  // The bytes may or may not be delivered before the RST; when they are, they are the prefix.
  if (!got.empty()) {
    EXPECT_EQ(got.rfind("HTTP/1.1 200 OK", 0), 0u);
  }
}

TEST(UnusedPort, ConnectionRefused) {
  const int p = unused_port();
  ASSERT_GT(p, 0);
  httplib::Client c("127.0.0.1", p);
  c.set_connection_timeout(2, 0);
  auto r = c.Get("/");
  EXPECT_FALSE(r);
}
