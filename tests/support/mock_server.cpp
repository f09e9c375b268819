// tests/support/mock_server.cpp - see mock_server.hpp.
#include "mock_server.hpp"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace iktest {

namespace {

bool iequals(const std::string &a, const std::string &b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// cpp-httplib adds these pseudo headers to every request; they are not sent by the client.
bool is_pseudo_header(const std::string &name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

void ignore_sigpipe_once() {
  // A server thread may write to a socket the client already closed (that is
  // what several faults provoke); the test process must not die of SIGPIPE.
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

// ---------------------------------------------------------------------------
// Reply helpers
// ---------------------------------------------------------------------------
Reply Reply::json(int status, std::string body, HeaderList headers) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

Reply Reply::text(int status, std::string body, std::string content_type) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Reply Reply::redirect(std::string location, int status) {
  Reply r;
  r.status = status;
  r.content_type.clear();
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

Reply Reply::faulty(Fault f, std::string body, int status) {
  Reply r;
  r.status = status;
  r.fault = f;
  r.body = std::move(body);
  return r;
}

// ---------------------------------------------------------------------------
// RecordedRequest
// ---------------------------------------------------------------------------
std::string RecordedRequest::header(const std::string &name) const {
  for (const auto &h : headers)
    if (iequals(h.first, name)) return h.second;
  return {};
}

bool RecordedRequest::has_header(const std::string &name) const { return header_count(name) > 0; }

size_t RecordedRequest::header_count(const std::string &name) const {
  size_t n = 0;
  for (const auto &h : headers)
    if (iequals(h.first, name)) ++n;
  return n;
}

// ---------------------------------------------------------------------------
// MockServer
// ---------------------------------------------------------------------------
struct MockServer::Impl {
  httplib::Server svr;
};

MockServer::MockServer() : MockServer(Options{}) {}

MockServer::MockServer(Options opts) : impl_(new Impl) {
  ignore_sigpipe_once();
  auto &svr = impl_->svr;
  const size_t nthreads = opts.threads;
  svr.new_task_queue = [nthreads] { return new httplib::ThreadPool(nthreads); };
  svr.set_keep_alive_max_count(opts.keep_alive_max_count);
  svr.set_keep_alive_timeout(opts.keep_alive_timeout_s);
  svr.set_read_timeout(5, 0);
  svr.set_write_timeout(5, 0);
  svr.set_payload_max_length(64u * 1024u * 1024u);
  svr.set_tcp_nodelay(true);  // no Nagle/delayed-ACK stalls between header and body writes

  auto h = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
  // Every method, every path.
  svr.Get(".*", h);
  svr.Post(".*", h);
  svr.Put(".*", h);
  svr.Patch(".*", h);
  svr.Delete(".*", h);
  svr.Options(".*", h);
  svr.set_exception_handler([](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
    res.status = 599;
    res.set_content(
        "{\"error\":{\"message\":\"MockServer: handler threw\",\"type\":\"mock\",\"param\":null,\"code\":null}}",
        "application/json");
  });

  port_ = svr.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("MockServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] {
    impl_->svr.listen_after_bind();
    std::lock_guard<std::mutex> lk(mu_);
    listen_done_ = true;
    stop_cv_.notify_all();
  });
  // httplib::Server::stop() is a no-op until the listen loop runs, so wait
  // for it (bounded) before handing the server out.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::unique_lock<std::mutex> lk(mu_);
  while (!impl_->svr.is_running() && !listen_done_ && std::chrono::steady_clock::now() < deadline)
    stop_cv_.wait_for(lk, std::chrono::milliseconds(1));
}

MockServer::~MockServer() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  // stop() only acts once the listen loop is running; repeat it until the
  // loop has ended (bounded: the loop ends after open keep-alive
  // connections close or time out, see Options::keep_alive_timeout_s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  {
    std::unique_lock<std::mutex> lk(mu_);
    while (!listen_done_ && std::chrono::steady_clock::now() < deadline) {
      lk.unlock();
      impl_->svr.stop();
      lk.lock();
      stop_cv_.wait_for(lk, std::chrono::milliseconds(10), [&] { return listen_done_; });
    }
  }
  if (thread_.joinable()) thread_.join();
}

std::string MockServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void MockServer::enqueue(Reply r) {
  std::lock_guard<std::mutex> lk(mu_);
  queue_.push_back(std::move(r));
}

void MockServer::set_handler(std::function<Reply(const RecordedRequest &)> handler) {
  std::lock_guard<std::mutex> lk(mu_);
  handler_ = std::move(handler);
}

size_t MockServer::pending_replies() const {
  std::lock_guard<std::mutex> lk(mu_);
  return queue_.size();
}

std::vector<RecordedRequest> MockServer::requests() const {
  std::lock_guard<std::mutex> lk(mu_);
  return requests_;
}

size_t MockServer::request_count() const {
  std::lock_guard<std::mutex> lk(mu_);
  return requests_.size();
}

RecordedRequest MockServer::last_request() const {
  std::lock_guard<std::mutex> lk(mu_);
  return requests_.empty() ? RecordedRequest{} : requests_.back();
}

size_t MockServer::connections() const {
  std::lock_guard<std::mutex> lk(mu_);
  return remotes_.size();
}

void MockServer::clear() {
  std::lock_guard<std::mutex> lk(mu_);
  requests_.clear();
  remotes_.clear();
  queue_.clear();
}

bool MockServer::wait_for_requests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return requests_.size() >= n; });
}

bool MockServer::wait_stop_for(int ms) const {
  std::unique_lock<std::mutex> lk(mu_);
  return stop_cv_.wait_for(lk, std::chrono::milliseconds(ms), [&] { return stopping_; });
}

void MockServer::handle(const httplib::Request &req, httplib::Response &res) {
  RecordedRequest rec;
  rec.method = req.method;
  rec.target = req.target;
  const auto q = req.target.find('?');
  rec.path = req.target.substr(0, q);
  rec.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
  for (const auto &h : req.headers)
    if (!is_pseudo_header(h.first)) rec.headers.emplace_back(h.first, h.second);
  rec.body = req.body;
  rec.remote = req.remote_addr + ":" + std::to_string(req.remote_port);

  Reply reply;
  bool have = false;
  std::function<Reply(const RecordedRequest &)> handler;
  {
    std::lock_guard<std::mutex> lk(mu_);
    requests_.push_back(rec);
    remotes_.insert(rec.remote);
    if (!queue_.empty()) {
      reply = std::move(queue_.front());
      queue_.pop_front();
      have = true;
    } else {
      handler = handler_;
    }
  }
  cv_.notify_all();
  if (!have) {
    if (handler) {
      reply = handler(rec);
    } else {
      reply = Reply::json(599, "{\"error\":{\"message\":\"MockServer: no reply scripted for " + rec.method + " " +
                                   rec.path + "\",\"type\":\"mock_unscripted\",\"param\":null,\"code\":null}}");
    }
  }

  if (reply.fault == Fault::Hang) {
    wait_stop_for(reply.hang_ms);
    res.status = 599;
    res.set_content("MockServer: hang ended", "text/plain");
    return;
  }
  if (reply.delay_ms > 0 && reply.fault != Fault::SlowBody) {
    if (wait_stop_for(reply.delay_ms)) {
      res.status = 599;
      return;
    }
  }

  res.status = reply.status;
  for (const auto &h : reply.headers) res.set_header(h.first, h.second);

  switch (reply.fault) {
    case Fault::None:
    case Fault::Hang:
      if (!reply.body.empty() || !reply.content_type.empty()) res.set_content(reply.body, reply.content_type);
      break;
    case Fault::Truncate: {
      auto body = std::make_shared<std::string>(reply.body);
      res.set_content_provider(body->size(), reply.content_type,
                               [body](size_t offset, size_t, httplib::DataSink &sink) {
                                 const size_t half = body->size() / 2;
                                 if (offset < half) sink.write(body->data() + offset, half - offset);
                                 return false;  // abort: the declared length is never reached
                               });
      break;
    }
    case Fault::ResetMidBody: {
      auto body = std::make_shared<std::string>(reply.body);
      res.set_chunked_content_provider(reply.content_type, [body](size_t offset, httplib::DataSink &sink) {
        const size_t half = body->size() / 2;
        if (offset < half) {
          sink.write(body->data() + offset, half - offset);
          return true;  // the next call aborts, without the terminating chunk
        }
        return false;
      });
      break;
    }
    case Fault::SlowBody: {
      auto body = std::make_shared<std::string>(reply.body);
      const int chunks = std::max(1, reply.slow_chunks);
      const int delay = reply.delay_ms;
      res.set_content_provider(body->size(), reply.content_type,
                               [this, body, chunks, delay](size_t offset, size_t length, httplib::DataSink &sink) {
                                 if (offset > 0 && wait_stop_for(delay)) return false;
                                 const size_t step = std::max<size_t>(1, body->size() / static_cast<size_t>(chunks));
                                 const size_t n = std::min(step, length);
                                 return sink.write(body->data() + offset, n);
                               });
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// RawResetServer
// ---------------------------------------------------------------------------
RawResetServer::RawResetServer(std::string prefix) : prefix_(std::move(prefix)) {
  ignore_sigpipe_once();
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("RawResetServer: socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("RawResetServer: bind/listen failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

RawResetServer::~RawResetServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();  // run() polls with a 20 ms timeout
  ::close(listen_fd_);
}

std::string RawResetServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> RawResetServer::heads() const {
  std::lock_guard<std::mutex> lk(mu_);
  return heads_;
}

bool RawResetServer::wait_for_connections(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return heads_.size() >= n; });
}

void RawResetServer::run() {
  while (!stop_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    const int pr = ::poll(&pfd, 1, 20);
    if (pr <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++accepted_;
    // Read the request head, bounded in size and time (2 s).
    std::string head;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    char buf[4096];
    while (!stop_ && head.find("\r\n\r\n") == std::string::npos && head.size() < (1u << 20)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) break;
      pollfd cp{fd, POLLIN, 0};
      if (::poll(&cp, 1, static_cast<int>(std::min<long long>(left, 20))) <= 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    if (!prefix_.empty()) {
      (void)::send(fd, prefix_.data(), prefix_.size(), MSG_NOSIGNAL);
    }
    linger lg{1, 0};  // close() now sends RST instead of FIN
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    ::close(fd);
    {
      std::lock_guard<std::mutex> lk(mu_);
      heads_.push_back(std::move(head));
    }
    cv_.notify_all();
  }
}

int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 1;
  if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  // Keep the socket bound but never listening for the life of the process:
  // nobody else can take the port, and connecting to it is refused.
  static std::mutex mu;
  static std::vector<int> *kept = new std::vector<int>();  // intentionally never freed
  std::lock_guard<std::mutex> lk(mu);
  kept->push_back(fd);
  return port;
}

}  // namespace iktest
