// tests/resilience/res_util.hpp - shared helpers of the resilience suites:
// client options for all three providers pointed at one MockServer, page
// generators that model each provider's pagination scheme, a per-provider
// view of the list/pager API, log and retry collectors, stderr capture and
// process probes (fd count, RSS).
//
// Everything goes through the public C ABI; servers listen on 127.0.0.1 only.
#ifndef IKTEST_RES_UTIL_HPP
#define IKTEST_RES_UTIL_HPP

#include <gtest/gtest.h>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <list>
#include <map>
#include <thread>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ik_test.hpp"
#include "mock_fixture.hpp"

namespace res {

using namespace iktest;
using Clock = std::chrono::steady_clock;

inline const char *const kService = "IS0123456789abcdef0123456789abcdef";
inline const char *const kChannel = "CHresilience";
inline const char *const kTwilioSid = "AC0123456789abcdef0123456789abcdef";

inline int64_t ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------
// Client options for the three providers, all pointed at one server.
// Retries: library default count (2), no jitter, 20 ms base delay.
// ---------------------------------------------------------------------------
struct Cfg : OwnedOptions {
  explicit Cfg(const std::string &base) {
    o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
    o.openai_admin_key = hold("sk-admin-test");
    o.openai_base_url = hold(base + "/v1");
    o.twilio_account_sid = hold(kTwilioSid);
    o.twilio_auth_token = hold("twilio-token");
    o.twilio_base_url = hold(base);
    o.fastly_api_token = hold("fastly-token");
    o.fastly_base_url = hold(base);
    o.connect_timeout_ms = 5000;
    o.attempt_timeout_ms = 10000;
    o.max_retries = 0;  // library default: 2
    o.jitter = IK_JITTER_NONE;
    o.retry_base_delay_ms = 20;
  }
};

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// Decoded query parameters (last value wins).
inline std::map<std::string, std::string> query_map(const std::string &q) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < q.size()) {
    size_t amp = q.find('&', start);
    if (amp == std::string::npos) amp = q.size();
    std::string kv = q.substr(start, amp - start);
    size_t eq = kv.find('=');
    if (!kv.empty()) {
      if (eq == std::string::npos)
        out[pct_decode(kv, true)] = "";
      else
        out[pct_decode(kv.substr(0, eq), true)] = pct_decode(kv.substr(eq + 1), true);
    }
    start = amp + 1;
  }
  return out;
}

inline std::string qparam(const RecordedRequest &r, const std::string &key) {
  auto m = query_map(r.query);
  auto it = m.find(key);
  return it == m.end() ? std::string("<absent>") : it->second;
}

// Trailing decimal digits of an id ("inv_000123" -> 123), -1 if none.
inline long index_of(const std::string &id) {
  size_t i = id.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(id[i - 1]))) --i;
  if (i == id.size()) return -1;
  return std::stol(id.substr(i));
}

inline std::string pad(long n, int width) {
  std::string s = std::to_string(n);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width) - s.size(), '0');
  return s;
}

// IMF-fixdate for an absolute Unix time.
inline std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

inline std::string openai_err(const std::string &msg, const char *type = "server_error", const char *code = nullptr) {
  return openai_error_json(msg, type, nullptr, code);
}

// ---------------------------------------------------------------------------
// Paged list models (server side) and the matching client API (per kind).
// ---------------------------------------------------------------------------
enum class Kind { OpenAI, TwilioInvites, TwilioUsers, Fastly };

inline const char *kind_name(Kind k) {
  switch (k) {
    case Kind::OpenAI: return "OpenAI";
    case Kind::TwilioInvites: return "TwilioInvites";
    case Kind::TwilioUsers: return "TwilioUsers";
    case Kind::Fastly: return "Fastly";
  }
  return "?";
}

inline std::string item_id(Kind k, long i) {
  switch (k) {
    case Kind::OpenAI: return "invite-" + pad(i, 7);
    case Kind::TwilioInvites: return "IN" + pad(i, 32);
    case Kind::TwilioUsers: return "US" + pad(i, 32);
    case Kind::Fastly: return "fy" + pad(i, 7);
  }
  return "";
}

inline std::string list_path(Kind k) {
  switch (k) {
    case Kind::OpenAI: return "/v1/organization/invites";
    case Kind::TwilioInvites: return std::string("/v1/Services/") + kService + "/Channels/" + kChannel + "/Invites";
    case Kind::TwilioUsers: return std::string("/v2/Services/") + kService + "/Users";
    case Kind::Fastly: return "/invitations";
  }
  return "";
}

// Query parameter carrying the page size, and the endpoint maximum / default.
inline const char *size_param(Kind k) {
  switch (k) {
    case Kind::OpenAI: return "limit";
    case Kind::TwilioInvites:
    case Kind::TwilioUsers: return "PageSize";
    case Kind::Fastly: return "page[size]";
  }
  return "";
}
inline int max_page_size(Kind k) {
  switch (k) {
    case Kind::OpenAI: return 100;
    case Kind::TwilioInvites: return 1000;
    case Kind::TwilioUsers: return 100;
    case Kind::Fastly: return 100;
  }
  return 0;
}
inline int default_page_size(Kind k) {
  switch (k) {
    case Kind::OpenAI: return 20;
    case Kind::TwilioInvites:
    case Kind::TwilioUsers: return 50;
    case Kind::Fastly: return 20;
  }
  return 0;
}

inline std::string item_json(Kind k, long i) {
  const std::string id = item_id(k, i);
  switch (k) {
    case Kind::OpenAI:
      return "{\"object\":\"organization.invite\",\"id\":\"" + id + "\",\"email\":\"u" + std::to_string(i) +
             "@example.com\",\"role\":\"reader\",\"status\":\"pending\",\"created_at\":1711471533}";
    case Kind::TwilioInvites: return "{\"sid\":\"" + id + "\",\"identity\":\"id" + std::to_string(i) + "\"}";
    case Kind::TwilioUsers: return "{\"sid\":\"" + id + "\",\"identity\":\"id" + std::to_string(i) + "\"}";
    case Kind::Fastly:
      return "{\"id\":\"" + id + "\",\"type\":\"invitation\",\"attributes\":{\"email\":\"u" + std::to_string(i) +
             "@example.com\"}}";
  }
  return "{}";
}

// Serves `total` items of one kind, generating each page on the fly from the
// request (so it is constant in memory). Honours the page size the client asks
// for (even above the real maximum: clamping is the client's job).
struct PagedList {
  PagedList() = default;
  PagedList(Kind k, long n, std::string b) : kind(k), total(n), base(std::move(b)) {}

  Kind kind = Kind::OpenAI;
  long total = 0;
  std::string base;              // the server's base URL (for Twilio/Fastly links)
  std::string extra_next_query;  // appended to Twilio next_page_url (e.g. "&Token=SECRET")
  HeaderList headers;            // added to every page reply
  // Optional hook: return true and fill *r to override the reply for a request.
  std::function<bool(const RecordedRequest &, Reply *)> override_reply;

  Reply operator()(const RecordedRequest &r) const {
    Reply over;
    if (override_reply && override_reply(r, &over)) return over;
    if (r.path != list_path(kind)) return Reply::json(404, "{\"message\":\"no such path " + r.path + "\"}");
    auto q = query_map(r.query);
    auto num = [&](const std::string &key, long dflt) -> long {
      auto it = q.find(key);
      if (it == q.end() || it->second.empty()) return dflt;
      return std::stol(it->second);
    };
    const long size = num(size_param(kind), default_page_size(kind));
    long start = 0;
    long page_no = 0;
    switch (kind) {
      case Kind::OpenAI:
        if (q.count("after")) start = index_of(q["after"]) + 1;
        break;
      case Kind::TwilioInvites:
      case Kind::TwilioUsers:
        if (q.count("PageToken")) start = index_of(q["PageToken"]);
        page_no = num("Page", 0);
        break;
      case Kind::Fastly:
        page_no = num("page[number]", 1);
        start = (page_no - 1) * size;
        break;
    }
    const long end = std::min(total, start + size);
    std::string items;
    for (long i = start; i < end; ++i) {
      if (i > start) items += ",";
      items += item_json(kind, i);
    }
    const bool more = end < total;
    std::string body;
    switch (kind) {
      case Kind::OpenAI:
        body = "{\"object\":\"list\",\"data\":[" + items +
               "],\"first_id\":" + (end > start ? "\"" + item_id(kind, start) + "\"" : std::string("null")) +
               ",\"last_id\":" + (end > start ? "\"" + item_id(kind, end - 1) + "\"" : std::string("null")) +
               ",\"has_more\":" + (more ? "true" : "false") + "}";
        break;
      case Kind::TwilioInvites:
      case Kind::TwilioUsers: {
        const std::string key = kind == Kind::TwilioInvites ? "invites" : "users";
        const std::string url = base + r.path;
        const std::string first = url + "?PageSize=" + std::to_string(size) + "&Page=0";
        const std::string next = url + "?PageSize=" + std::to_string(size) + "&Page=" + std::to_string(page_no + 1) +
                                 "&PageToken=PT" + std::to_string(end) + extra_next_query;
        body = "{\"" + key + "\":[" + items + "],\"meta\":{\"page\":" + std::to_string(page_no) +
               ",\"page_size\":" + std::to_string(size) + ",\"first_page_url\":\"" + first +
               "\",\"previous_page_url\":null,\"url\":\"" + base + r.target +
               "\",\"next_page_url\":" + (more ? "\"" + next + "\"" : std::string("null")) + ",\"key\":\"" + key +
               "\"}}";
        break;
      }
      case Kind::Fastly: {
        const long pages = std::max<long>(1, (total + size - 1) / size);
        auto link = [&](long n) {
          return "\"" + base + "/invitations?page%5Bnumber%5D=" + std::to_string(n) +
                 "&page%5Bsize%5D=" + std::to_string(size) + "\"";
        };
        body = "{\"data\":[" + items + "],\"links\":{\"first\":" + link(1) + ",\"last\":" + link(pages) +
               ",\"prev\":" + (page_no > 1 ? link(page_no - 1) : std::string("null")) +
               ",\"next\":" + (more ? link(page_no + 1) : std::string("null")) +
               "},\"meta\":{\"current_page\":" + std::to_string(page_no) + ",\"per_page\":" + std::to_string(size) +
               ",\"record_count\":" + std::to_string(total) + ",\"total_pages\":" + std::to_string(pages) + "}}";
        break;
      }
    }
    Reply rep = Reply::json(200, body, headers);
    if (kind == Kind::Fastly) rep.content_type = "application/vnd.api+json";
    return rep;
  }
};

// The client-side list API of one kind, behind one interface.
struct Api {
  Kind kind;

  ik_status pager(const ik_client *c, const ik_list_options *lo, ik_pager **out, ik_error **err) const {
    switch (kind) {
      case Kind::OpenAI: return ik_openai_invite_pager(c, lo, out, err);
      case Kind::TwilioInvites: return ik_twilio_invite_pager(c, kService, kChannel, nullptr, 0, lo, out, err);
      case Kind::TwilioUsers: return ik_twilio_user_pager(c, kService, lo, out, err);
      case Kind::Fastly: return ik_fastly_invitation_pager(c, lo, out, err);
    }
    return IK_STATUS_INTERNAL;
  }
  ik_status list(const ik_client *c, const ik_list_options *lo, const ik_call_options *co, ik_page **out,
                 ik_error **err) const {
    switch (kind) {
      case Kind::OpenAI: return ik_openai_invite_list(c, lo, co, out, err);
      case Kind::TwilioInvites: return ik_twilio_invite_list(c, kService, kChannel, nullptr, 0, lo, co, out, err);
      case Kind::TwilioUsers: return ik_twilio_user_list(c, kService, lo, co, out, err);
      case Kind::Fastly: return ik_fastly_invitation_list(c, lo, co, out, err);
    }
    return IK_STATUS_INTERNAL;
  }
  // Item-by-item: *id receives the item's id, or stays empty at the end.
  ik_status next_item(ik_pager *p, const ik_call_options *co, std::string *id, ik_error **err) const {
    id->clear();
    ik_status st = IK_STATUS_INTERNAL;
    switch (kind) {
      case Kind::OpenAI: {
        ik_openai_invite *x = nullptr;
        st = ik_pager_next_openai_invite(p, co, &x, err);
        if (x) *id = str(ik_openai_invite_id(x));
        ik_openai_invite_free(x);
        break;
      }
      case Kind::TwilioInvites: {
        ik_twilio_invite *x = nullptr;
        st = ik_pager_next_twilio_invite(p, co, &x, err);
        if (x) *id = str(ik_twilio_invite_sid(x));
        ik_twilio_invite_free(x);
        break;
      }
      case Kind::TwilioUsers: {
        ik_twilio_user *x = nullptr;
        st = ik_pager_next_twilio_user(p, co, &x, err);
        if (x) *id = str(ik_twilio_user_sid(x));
        ik_twilio_user_free(x);
        break;
      }
      case Kind::Fastly: {
        ik_fastly_invitation *x = nullptr;
        st = ik_pager_next_fastly_invitation(p, co, &x, err);
        if (x) *id = str(ik_fastly_invitation_id(x));
        ik_fastly_invitation_free(x);
        break;
      }
    }
    return st;
  }
  std::string page_item_id(const ik_page *pg, size_t i) const {
    switch (kind) {
      case Kind::OpenAI: return str(ik_openai_invite_id(ik_page_openai_invite_at(pg, i)));
      case Kind::TwilioInvites: return str(ik_twilio_invite_sid(ik_page_twilio_invite_at(pg, i)));
      case Kind::TwilioUsers: return str(ik_twilio_user_sid(ik_page_twilio_user_at(pg, i)));
      case Kind::Fastly: return str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(pg, i)));
    }
    return "";
  }
};

// ---------------------------------------------------------------------------
// Log and retry collectors
// ---------------------------------------------------------------------------
struct LogLine {
  int32_t level = 0;
  std::string message;
  int32_t provider = 0;
  std::string operation, method, url, request_id;
  bool has_operation = false, has_method = false, has_url = false, has_request_id = false;
  int32_t http_status = 0;
  int32_t attempt = 0;
  int64_t latency_us = 0;
};

struct LogSink {
  mutable std::mutex mu;
  std::vector<LogLine> lines;
  static void cb(const ik_log_record *r, void *ud) {
    auto *self = static_cast<LogSink *>(ud);
    LogLine l;
    l.level = r->level;
    l.message = str(r->message);
    l.provider = r->provider;
    l.has_operation = r->operation != nullptr;
    l.operation = str(r->operation);
    l.has_method = r->method != nullptr;
    l.method = str(r->method);
    l.has_url = r->url != nullptr;
    l.url = str(r->url);
    l.has_request_id = r->request_id != nullptr;
    l.request_id = str(r->request_id);
    l.http_status = r->http_status;
    l.attempt = r->attempt;
    l.latency_us = r->latency_us;
    std::lock_guard<std::mutex> lk(self->mu);
    self->lines.push_back(std::move(l));
  }
  std::vector<LogLine> snapshot() const {
    std::lock_guard<std::mutex> lk(mu);
    return lines;
  }
  void attach(ik_client_options &o, int32_t level) {
    o.log_cb = &LogSink::cb;
    o.log_user_data = this;
    o.log_level = level;
  }
};

struct RetrySink {
  mutable std::mutex mu;
  std::condition_variable cv;
  std::vector<ik_retry_info> calls;
  std::vector<std::string> operations;
  int veto_at_attempt = 0;  // veto when info->attempt equals this (0 = never)
  static int32_t cb(const ik_retry_info *i, void *ud) {
    auto *self = static_cast<RetrySink *>(ud);
    std::lock_guard<std::mutex> lk(self->mu);
    self->calls.push_back(*i);
    self->operations.push_back(str(i->operation));
    self->calls.back().operation = nullptr;  // borrowed: do not keep it
    self->cv.notify_all();
    return (self->veto_at_attempt && i->attempt == self->veto_at_attempt) ? 1 : 0;
  }
  void attach(ik_client_options &o) {
    o.retry_cb = &RetrySink::cb;
    o.retry_user_data = this;
  }
  std::vector<ik_retry_info> snapshot() const {
    std::lock_guard<std::mutex> lk(mu);
    return calls;
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu);
    return cv.wait_for(lk, timeout, [&] { return calls.size() >= n; });
  }
};

// ---------------------------------------------------------------------------
// Process probes
// ---------------------------------------------------------------------------
inline int count_fds() {
  int n = 0;
  DIR *d = ::opendir("/proc/self/fd");
  if (!d) return -1;
  while (dirent *e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n - 1;  // the directory stream itself
}

inline long rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Redirects fd 2 into a temporary file for the life of the object.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    tmp_ = std::tmpfile();
    saved_ = ::dup(2);
    if (tmp_ && saved_ >= 0) ::dup2(::fileno(tmp_), 2);
  }
  ~StderrCapture() { finish(); }
  // Restores stderr and returns what was written to it.
  std::string finish() {
    if (done_) return text_;
    done_ = true;
    std::fflush(stderr);
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
    if (tmp_) {
      std::rewind(tmp_);
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, tmp_)) > 0) text_.append(buf, n);
      std::fclose(tmp_);
    }
    return text_;
  }

 private:
  FILE *tmp_ = nullptr;
  int saved_ = -1;
  bool done_ = false;
  std::string text_;
};

// Runs fn on another thread and joins it on destruction.
class Async {
 public:
  explicit Async(std::function<void()> fn) : t_(std::move(fn)) {}
  ~Async() { join(); }
  void join() {
    if (t_.joinable()) t_.join();
  }

 private:
  std::thread t_;
};

}  // namespace res

#endif  // IKTEST_RES_UTIL_HPP
