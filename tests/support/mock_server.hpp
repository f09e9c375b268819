// tests/support/mock_server.hpp - a recording, scriptable HTTP server for tests.
//
// MockServer listens on 127.0.0.1 with an ephemeral port (cpp-httplib, thread
// pool, keep-alive on), records every request and answers with scripted
// replies: a FIFO queue (enqueue) first, then a handler (set_handler), else a
// loud 599. Faults simulate broken servers. RawResetServer is a bare TCP
// listener for the one fault HTTP servers cannot produce: a connection reset
// before any response byte.
//
// Everything is thread-safe. Waits are bounded and driven by condition
// variables; no sleep is used for synchronisation.
#ifndef IKTEST_MOCK_SERVER_HPP
#define IKTEST_MOCK_SERVER_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace iktest {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class Fault {
  None,
  ResetMidBody,  // headers + first half of the body (chunked, no length), then the connection is dropped
  Truncate,      // Content-Length of the whole body, only the first half is sent, then close
  SlowBody,      // body sent in `slow_chunks` pieces, `delay_ms` apart (Content-Length set)
  Hang,          // never answers: waits until the server stops or `hang_ms` elapses
};

struct Reply {
  int status = 200;
  HeaderList headers;  // extra response headers
  std::string body;
  std::string content_type = "application/json";  // empty: no Content-Type header
  int delay_ms = 0;                               // wait before answering (SlowBody: between chunks)
  Fault fault = Fault::None;
  int slow_chunks = 4;  // SlowBody only
  int hang_ms = 30000;  // Hang only (upper bound)

  static Reply json(int status, std::string body, HeaderList headers = {});
  static Reply text(int status, std::string body, std::string content_type = "text/plain");
  // 302/307/... with a Location header and an empty body.
  static Reply redirect(std::string location, int status = 302);
  static Reply faulty(Fault f, std::string body = {}, int status = 200);
};

struct RecordedRequest {
  std::string method;
  std::string target;  // raw request target, exactly as sent ("/a%2Fb?x=1")
  std::string path;    // raw path: target before '?'
  std::string query;   // raw query: target after '?' ("" when none)
  HeaderList headers;  // in arrival order, names as sent
  std::string body;
  std::string remote;  // "ip:port" of the client connection

  // First value of a header (case-insensitive), "" if absent.
  std::string header(const std::string &name) const;
  bool has_header(const std::string &name) const;
  size_t header_count(const std::string &name) const;
};

class MockServer {
 public:
  struct Options {
    size_t threads = 32;  // worker threads = max concurrent connections served
    int keep_alive_timeout_s = 5;
    size_t keep_alive_max_count = 1000000;
  };

  MockServer();
  explicit MockServer(Options opts);
  ~MockServer();
  MockServer(const MockServer &) = delete;
  MockServer &operator=(const MockServer &) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // Replies: the queue is used first (one reply per request, FIFO), then the
  // handler; with neither, 599 with a body that says so.
  void enqueue(Reply r);
  void set_handler(std::function<Reply(const RecordedRequest &)> handler);
  size_t pending_replies() const;

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  RecordedRequest last_request() const;  // default-constructed when none
  // Distinct client ip:port pairs seen = TCP connections that sent a request.
  size_t connections() const;
  // Forgets requests, connections and pending replies (not the handler).
  void clear();

  // Blocks until at least n requests were recorded or the timeout passed.
  bool wait_for_requests(size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  void handle(const httplib::Request &req, httplib::Response &res);
  bool wait_stop_for(int ms) const;  // true if the server is stopping

  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;       // new request recorded
  mutable std::condition_variable stop_cv_;  // server stopping
  bool stopping_ = false;
  bool listen_done_ = false;
  std::deque<Reply> queue_;
  std::function<Reply(const RecordedRequest &)> handler_;
  std::vector<RecordedRequest> requests_;
  std::set<std::string> remotes_;
  std::thread thread_;
};

// A TCP listener on 127.0.0.1 that accepts each connection, reads the request
// head (up to the blank line, bounded), optionally writes `prefix` (e.g. a
// partial HTTP response) and closes with SO_LINGER 0, i.e. sends a RST.
class RawResetServer {
 public:
  explicit RawResetServer(std::string prefix = {});
  ~RawResetServer();
  RawResetServer(const RawResetServer &) = delete;
  RawResetServer &operator=(const RawResetServer &) = delete;

  int port() const { return port_; }
  std::string base_url() const;
  size_t connections() const { return accepted_.load(); }
  // The request heads received so far (one per connection, raw bytes).
  std::vector<std::string> heads() const;
  bool wait_for_connections(size_t n, std::chrono::milliseconds timeout) const;

 private:
  void run();
  std::string prefix_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> accepted_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed), for
// "connection refused" tests.
int unused_port();

}  // namespace iktest

#endif  // IKTEST_MOCK_SERVER_HPP
