#include "app.hpp"

#include "json.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <thread>

namespace emu {

namespace {

Vendor classify(const std::vector<std::string> &s) {
  if (s.size() >= 2 && (s[0] == "v1" || s[0] == "v2") && s[1] == "Services") return Vendor::Twilio;
  if (s.size() >= 2 && s[0] == "v1" && s[1] == "organization") return Vendor::OpenAI;
  if (!s.empty() && s[0] == "organization") return Vendor::OpenAI;
  if (!s.empty() && s[0] == "invitations") return Vendor::Fastly;
  if (!s.empty() && s[0] == "__emulator") return Vendor::Control;
  return Vendor::Unknown;
}

const char *vendor_content_type(Vendor v) { return v == Vendor::Fastly ? kJsonApi : kJson; }

// http://<Host> when the Host header is a plain host[:port]; the listening
// address otherwise.
// The URL clients reach this emulator at, for absolute links (Twilio
// next_page_url, Fastly links). A reverse proxy in front (e.g. Prism in proxy
// mode, which rewrites Host) names the public host in X-Forwarded-Host.
std::string base_url(const httplib::Request &req) {
  auto plain = [](const std::string &h) {
    return !h.empty() && h.size() < 256 &&
           h.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
               std::string::npos;
  };
  std::string forwarded = req.get_header_value("X-Forwarded-Host");
  if (auto comma = forwarded.find(','); comma != std::string::npos) forwarded.resize(comma);  // first hop
  if (plain(forwarded)) return "http://" + forwarded;
  const std::string host = req.get_header_value("Host");
  return "http://" + (plain(host) ? host : "127.0.0.1:" + std::to_string(req.local_port));
}

// A request id in the vendor's style: OpenAI "req_" + 32 hex, Twilio "RQ" + 32 hex.
std::string random_request_id(const char *prefix) {
  thread_local Rng rng(std::hash<std::thread::id>()(std::this_thread::get_id()) ^
                       static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  return prefix + rng.hex(32);
}

// The file descriptor of the connection this request arrived on, found by
// matching the socket's peer address and port (-1 if none matches).
int connection_fd(const httplib::Request &req) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (const dirent *entry = readdir(dir)) {
    const auto fd = parse_int(entry->d_name);
    if (!fd || *fd == dirfd(dir)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof local, plen = sizeof peer;
    if (getsockname(static_cast<int>(*fd), reinterpret_cast<sockaddr *>(&local), &llen) != 0) continue;
    if (getpeername(static_cast<int>(*fd), reinterpret_cast<sockaddr *>(&peer), &plen) != 0) continue;
    if (peer.ss_family != AF_INET || local.ss_family != AF_INET) continue;
    const auto &l = reinterpret_cast<const sockaddr_in &>(local);
    const auto &p = reinterpret_cast<const sockaddr_in &>(peer);
    char addr[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &p.sin_addr, addr, sizeof addr);
    if (ntohs(l.sin_port) == req.local_port && ntohs(p.sin_port) == req.remote_port && req.remote_addr == addr) {
      found = static_cast<int>(*fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

// Aborts the TCP connection with a RST. connect(AF_UNSPEC) disconnects the
// socket without closing the descriptor, which cpp-httplib still owns and
// closes later.
void abort_connection(const httplib::Request &req) {
  const int fd = connection_fd(req);
  if (fd < 0) return;
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  connect(fd, &unspec, sizeof unspec);
}

bool is_secret_header(std::string_view name) {
  return iequals(name, "Authorization") || iequals(name, "Proxy-Authorization") || iequals(name, "Fastly-Key");
}

// "Basic abc" → "Basic [REDACTED]"; values without a scheme → "[REDACTED]".
std::string redact(std::string_view name, std::string_view value) {
  if (!iequals(name, "Fastly-Key")) {
    const std::size_t space = value.find(' ');
    if (space != std::string_view::npos) return std::string(value.substr(0, space)) + " [REDACTED]";
  }
  return "[REDACTED]";
}

void sleep_ms(std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Writes the response, shaping the transfer as the fault asks.
void deliver(const httplib::Request &req, httplib::Response &res, Reply reply, const Fault *fault) {
  res.status = reply.status;
  for (auto &[k, v] : reply.headers) res.set_header(k, v);
  const FaultAction action = fault ? fault->action : FaultAction::Latency;
  auto body = std::make_shared<std::string>(std::move(reply.body));
  const std::string &type = reply.content_type;
  switch (action) {
    case FaultAction::Reset:
      abort_connection(req);
      res.set_content_provider(1, "application/octet-stream",
                               [](std::size_t, std::size_t, httplib::DataSink &) { return false; });
      return;
    case FaultAction::Truncate:
      // Announce 64 bytes more than exist, send the body, then close (FIN).
      res.set_content_provider(
          body->size() + 64, type, [body](std::size_t offset, std::size_t, httplib::DataSink &sink) {
            return offset < body->size() && sink.write(body->data() + offset, body->size() - offset);
          });
      return;
    case FaultAction::ResetMidBody:
      // Full Content-Length, half of the body, then a RST.
      res.set_content_provider(std::max<std::size_t>(body->size(), 1), type,
                               [body, &req](std::size_t offset, std::size_t, httplib::DataSink &sink) {
                                 if (offset == 0 && body->size() >= 2)
                                   return sink.write(body->data(), body->size() / 2);
                                 abort_connection(req);
                                 return false;
                               });
      return;
    case FaultAction::SlowBody:
      if (!body->empty()) {
        // At most 10 chunks, spread evenly over the requested time.
        const std::size_t chunks = std::min<std::size_t>(10, body->size());
        const std::size_t chunk = (body->size() + chunks - 1) / chunks;
        const std::int64_t pause = fault->number / static_cast<std::int64_t>(chunks);
        res.set_content_provider(body->size(), type,
                                 [body, chunk, pause](std::size_t offset, std::size_t length, httplib::DataSink &sink) {
                                   sleep_ms(pause);
                                   return sink.write(body->data() + offset, std::min(chunk, length));
                                 });
        return;
      }
      break;
    default: break;
  }
  if (!type.empty()) res.set_content(*body, type);
}

bool write_all(int fd, const std::string &data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes path atomically: temporary file in the same directory, fsync,
// rename over the target, fsync the directory.
std::optional<std::string> write_atomically(const std::string &path, const std::string &data) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp + ": " + std::strerror(errno);
  const bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = "cannot write " + path + ": " + std::strerror(ok ? errno : saved_errno);
    ::unlink(tmp.c_str());
    return err;
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return std::nullopt;
}

}  // namespace

void RequestLog::add(Entry entry) {
  std::lock_guard lock(mutex_);
  entry.id = next_id_++;
  entries_.push_back(std::move(entry));
  if (entries_.size() > kCapacity) entries_.pop_front();
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::string RequestLog::to_json() const {
  std::lock_guard lock(mutex_);
  json::Array arr;
  for (const auto &e : entries_) {
    json::Object headers;
    for (const auto &[k, v] : e.headers) headers.str(k, v);
    arr.raw(json::Object()
                .num("id", static_cast<std::int64_t>(e.id))
                .str("method", e.method)
                .str("target", e.target)
                .raw("headers", headers.done())
                .str("body", e.body)
                .num("status", e.status)
                .opt_str("fault", e.fault)
                .num("duration_us", static_cast<std::int64_t>(e.duration_ms * 1000))
                .done());
  }
  return arr.done();
}

App::App(Config config) : config_(std::move(config)) {}

std::optional<std::string> App::initialise() {
  for (const auto &spec : config_.fault_specs) {
    auto parsed = parse_fault(spec);
    if (auto *err = std::get_if<std::string>(&parsed)) return "invalid --fault '" + spec + "': " + *err;
    faults_.add(std::get<Fault>(std::move(parsed)));
  }
  if (!config_.state_path.empty()) {
    std::ifstream in(config_.state_path, std::ios::binary);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      std::unique_lock lock(store_.mutex);
      if (auto err = store_.deserialize(text.str())) return config_.state_path + ": " + *err;
      return std::nullopt;
    }
  }
  if (config_.seed) {
    std::unique_lock lock(store_.mutex);
    store_.seed(*config_.seed);
  }
  return std::nullopt;
}

std::optional<std::string> App::persist() {
  if (config_.state_path.empty()) return std::nullopt;
  std::string snapshot;
  std::uint64_t generation = 0;
  {
    std::shared_lock lock(store_.mutex);
    snapshot = store_.serialize();
    generation = store_.generation();
  }
  // Snapshots are taken outside persist_mutex_, so an older one may arrive
  // after a newer one was written: only write what is newer.
  std::lock_guard lock(persist_mutex_);
  if (persisted_once_ && generation <= persisted_generation_) return std::nullopt;
  if (auto err = write_atomically(config_.state_path, snapshot)) {
    std::lock_guard err_lock(stderr_mutex_);
    std::fprintf(stderr, "invitekit-emulator: %s\n", err->c_str());
    return err;
  }
  persisted_generation_ = generation;
  persisted_once_ = true;
  return std::nullopt;
}

Reply App::respond(Vendor vendor, const Call &call, const Fault *fault) {
  const auto dispatch = [&]() -> Reply {
    switch (vendor) {
      case Vendor::Twilio: return handle_twilio(*this, call);
      case Vendor::OpenAI: return handle_openai(*this, call);
      case Vendor::Fastly: return handle_fastly(*this, call);
      case Vendor::Control: return handle_control(*this, call);
      case Vendor::Unknown: break;
    }
    return emulator_error(404, "no emulated API at " + std::string(call.raw_path));
  };
  Reply reply;
  if (fault == nullptr) {
    reply = dispatch();
  } else {
    switch (fault->action) {
      case FaultAction::Reset: return reply;  // nothing is processed or sent
      case FaultAction::Status: reply = vendor_error(vendor, static_cast<int>(fault->number)); break;
      case FaultAction::Redirect:
        reply.status = fault->redirect_status;
        reply.headers.emplace_back("Location", fault->text);
        break;
      case FaultAction::Latency:
        sleep_ms(fault->number);
        reply = dispatch();
        break;
      default: reply = dispatch(); break;
    }
    for (const auto &h : fault->headers) reply.headers.push_back(h);
    if (fault->action == FaultAction::Malformed) {
      reply.status = 200;
      reply.content_type = vendor_content_type(vendor);
      reply.body = "{\"data\": [{\"id\": \"malformed\", \"emulator_fault\": tru";
    } else if (fault->action == FaultAction::ContentType) {
      reply.content_type = fault->text;
    }
  }
  if (vendor == Vendor::OpenAI) reply.headers.emplace_back("x-request-id", random_request_id("req_"));
  if (vendor == Vendor::Twilio) reply.headers.emplace_back("Twilio-Request-Id", random_request_id("RQ"));
  return reply;
}

void App::log_line(const Call &call, int status, const Fault *fault, double ms) const {
  std::lock_guard lock(stderr_mutex_);
  std::fprintf(stderr, "invitekit-emulator: %s %.*s -> %d (%.1f ms)%s%s\n", call.req.method.c_str(),
               static_cast<int>(call.req.target.size()), call.req.target.data(), status, ms, fault ? " fault: " : "",
               fault ? fault->spec.c_str() : "");
}

void App::handle(const httplib::Request &req, httplib::Response &res) {
  const auto started = std::chrono::steady_clock::now();
  const auto [raw_path, raw_query] = split_target(req.target);
  const Call call{req, raw_path, decode_segments(raw_path), parse_params(raw_query), base_url(req)};
  const Vendor vendor = classify(call.segments);
  if (vendor == Vendor::Control) {
    deliver(req, res, respond(vendor, call, nullptr), nullptr);
    return;
  }
  const std::optional<Fault> fault = faults_.take(req.method, raw_path);
  const Fault *f = fault ? &*fault : nullptr;
  Reply reply = respond(vendor, call, f);
  const int status = f && f->action == FaultAction::Reset ? 0 : reply.status;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  RequestLog::Entry entry;
  entry.method = req.method;
  entry.target = req.target;
  for (const auto &[k, v] : req.headers) {
    if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
    const std::string value = is_secret_header(k) ? redact(k, v) : v;
    bool merged = false;
    for (auto &[ek, ev] : entry.headers) {
      if (iequals(ek, k)) {
        ev += ", " + value;
        merged = true;
      }
    }
    if (!merged) entry.headers.emplace_back(k, value);
  }
  entry.body = req.body;
  entry.status = status;
  if (f) entry.fault = f->spec;
  entry.duration_ms = ms;
  log_.add(std::move(entry));
  if (config_.log_requests) log_line(call, status, f, ms);

  deliver(req, res, std::move(reply), f);
}

}  // namespace emu
