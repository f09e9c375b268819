#include "core/transport.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>
#include <type_traits>

#include "core/encoding.hpp"
#include "core/retry.hpp"

namespace ik::detail {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int kMaxRedirects = 5;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

// The first of the provider's request-id headers that the response has
// (read from the raw header lines: no index is built for it).
std::string_view request_id_of(const Headers &h, const ProviderTraits &traits, bool *found) {
  return h.get_first(traits.request_id_headers, found);
}

// Single-line, bounded excerpt of a non-JSON body for messages (the <title>
// of an HTML page when there is one).
std::string body_excerpt(std::string_view ct, const std::string &body) {
  std::string_view b = body;
  if (ct.find("html") != std::string_view::npos || b.find("<html") != std::string_view::npos ||
      b.find("<HTML") != std::string_view::npos) {
    std::string lower = to_lower(b.substr(0, std::min<size_t>(b.size(), 65536)));
    auto t = lower.find("<title>");
    auto te = lower.find("</title>");
    if (t != std::string::npos && te != std::string::npos && te > t) b = b.substr(t + 7, te - t - 7);
  }
  std::string out;
  for (char c : b.substr(0, std::min<size_t>(b.size(), 300))) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  std::string t = trim(out);
  if (!valid_utf8(t)) return "(non-UTF-8 body)";
  return t;
}

size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud);
size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud);
int prereq_cb(void *ud, char *, char *, int, int);

// Frees a header list after wiping its lines (they hold credentials).
void free_wiped(curl_slist *list) {
  for (curl_slist *n = list; n; n = n->next) explicit_bzero(n->data, std::strlen(n->data));
  curl_slist_free_all(list);
}

struct SlistGuard {
  curl_slist *list = nullptr;
  ~SlistGuard() { free_wiped(list); }
  void add(const std::string &line) {
    curl_slist *n = curl_slist_append(list, line.c_str());
    if (!n) throw std::bad_alloc();
    list = n;
  }
};

}  // namespace

void share_lock(CURL *, curl_lock_data data, curl_lock_access, void *ud) {
  static_cast<Transport *>(ud)->share_locks_[data].lock();
}
void share_unlock(CURL *, curl_lock_data data, void *ud) { static_cast<Transport *>(ud)->share_locks_[data].unlock(); }

const char *method_name(Method m) {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Delete: return "DELETE";
  }
  return "GET";
}

namespace {
// The characters encode_path_segment leaves as they are (RFC 3986 unreserved).
struct Unreserved {
  bool table[256] = {};
  constexpr Unreserved() {
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = table[c + 32] = true;
    for (int c = '0'; c <= '9'; ++c) table[c] = true;
    table[static_cast<unsigned char>('-')] = table[static_cast<unsigned char>('.')] = true;
    table[static_cast<unsigned char>('_')] = table[static_cast<unsigned char>('~')] = true;
  }
};
constexpr Unreserved kUnreserved;

// True when encode_path_segment(s) == s: unreserved characters only, and not
// "." or ".." (which it encodes).
bool plain_segment(std::string_view s) {
  for (unsigned char c : s) {
    if (!kUnreserved.table[c]) return false;
  }
  return s != "." && s != "..";
}
}  // namespace

std::string expand_path(const char *tmpl, std::initializer_list<std::string_view> segments) {
  // One allocation for the usual case (ids that need no encoding): the
  // template's literal runs and the segments are appended in place.
  const size_t tlen = std::strlen(tmpl);
  size_t want = tlen;
  for (std::string_view s : segments) want += s.size();
  std::string out;
  out.reserve(want);
  auto it = segments.begin();
  const char *lit = tmpl;
  for (const char *p = tmpl; *p; ++p) {
    if (p[0] == '{' && p[1] == '}') {
      if (it == segments.end()) fail(IK_STATUS_INTERNAL, "path template has more segments than values");
      out.append(lit, static_cast<size_t>(p - lit));
      const std::string_view seg = *it++;
      if (plain_segment(seg))
        out.append(seg.data(), seg.size());
      else
        out += encode_path_segment(seg);
      ++p;
      lit = p + 1;
    }
  }
  out.append(lit, static_cast<size_t>(tmpl + tlen - lit));
  return out;
}

struct Transport::Slot {
  CURL *easy = nullptr;
  CURLM *multi = nullptr;              // blocking calls only, created on first use
  char errbuf[CURL_ERROR_SIZE] = {0};  // CURLOPT_ERRORBUFFER for the handle's life
  int64_t t0_us = 0;                   // when the attempt's transfer started
  // Options as last set on the easy handle, so that setup() only sets what
  // differs from the previous transfer (every transfer of a slot goes
  // through setup()).
  int method = -1;                     // Method, -1 before the first transfer
  curl_slist *http_headers = nullptr;  // CURLOPT_HTTPHEADER as set
  bool own_headers = false;            // ... a per-request list, reset by collect()
  long timeout_ms = -1, connect_timeout_ms = -1;
  std::string body;
  Headers headers;
  int64_t max_bytes = 0;
  bool too_large = false;
  // libcurl re-sends a request by itself when a reused connection dies
  // before any response byte. For a create that could duplicate it, so the
  // second send of one transfer is blocked (see prereq_cb).
  int sends = 0;
  bool forbid_resend = false;
  bool resend_blocked = false;
  ~Slot() {
    if (multi) curl_multi_cleanup(multi);
    if (easy) curl_easy_cleanup(easy);
  }
};

namespace {
size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud) {
  auto *s = static_cast<Transport::Slot *>(ud);
  size_t n = size * nmemb;
  if (static_cast<int64_t>(s->body.size() + n) > s->max_bytes) {
    s->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  if (s->body.empty()) {
    // One allocation of the announced size plus simdjson's padding.
    curl_off_t cl = -1;
    curl_easy_getinfo(s->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    size_t want = (cl > 0 && cl <= s->max_bytes ? static_cast<size_t>(cl) : n) + simdjson::SIMDJSON_PADDING;
    s->body.reserve(want);
  }
  s->body.append(ptr, n);
  return n;
}

// Called by libcurl right before each time it sends the request.
int prereq_cb(void *ud, char *, char *, int, int) {
  auto *s = static_cast<Transport::Slot *>(ud);
  if (++s->sends > 1 && s->forbid_resend) {
    s->resend_blocked = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

// Every header line is kept as received (one append); names and values are
// split only when something reads them (Headers).
size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud) {
  auto *s = static_cast<Transport::Slot *>(ud);
  const size_t n = size * nmemb;
  if (n >= 5 && std::memcmp(ptr, "HTTP/", 5) == 0) {
    s->headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  if (n > 2) s->headers.append_line(ptr, n);  // not the blank end line (Headers skips lines without a name)
  return n;
}
}  // namespace

Transport::Transport(const ClientConfig &cfg) : cfg_(cfg), rng_(std::random_device{}()) {
  share_ = curl_share_init();
  if (!share_) throw std::bad_alloc();
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, share_lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, share_unlock);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

Transport::~Transport() {
  slots_.clear();  // easy handles must go before the share
  if (share_) curl_share_cleanup(share_);
  for (auto &entry : header_cache_) free_wiped(entry.second);
}

curl_slist *Transport::endpoint_headers(const Endpoint &ep) const {
  std::lock_guard<std::mutex> lk(header_mu_);
  for (const auto &entry : header_cache_) {
    if (entry.first == &ep) return entry.second;
  }
  SlistGuard list;
  const ProviderConfig &pc = cfg_.provider(ep.provider);
  list.add(pc.auth_header);
  list.add("User-Agent: " + cfg_.user_agent);  // cheaper per request than CURLOPT_USERAGENT
  for (const auto &h : pc.static_headers) list.add(h);
  // An endpoint without an Accept type sends none (libcurl would add "*/*").
  list.add(ep.accept ? std::string("Accept: ") + ep.accept : std::string("Accept:"));
  if (ep.content_type) list.add(std::string("Content-Type: ") + ep.content_type);
  if (ep.method == Method::Post) list.add("Expect:");
  header_cache_.emplace_back(&ep, list.list);
  list.list = nullptr;
  return header_cache_.back().second;
}

Transport::Slot *Transport::acquire() const {
  {
    std::lock_guard<std::mutex> lk(pool_mu_);
    if (!idle_.empty()) {
      Slot *s = idle_.back();  // LIFO: the warmest connection
      idle_.pop_back();
      return s;
    }
  }
  auto slot = std::make_unique<Slot>();
  slot->easy = curl_easy_init();
  if (!slot->easy) throw std::bad_alloc();
  CURL *e = slot->easy;
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, slot.get());
  curl_easy_setopt(e, CURLOPT_SHARE, share_);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, slot.get());
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, slot.get());
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, cfg_.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, cfg_.verify_tls ? 2L : 0L);
  if (!cfg_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, cfg_.ca_file.c_str());
  if (cfg_.proxy)
    curl_easy_setopt(e, CURLOPT_PROXY, cfg_.proxy->c_str());
  else if (cfg_.no_proxy_env)
    curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(cfg_.max_response_bytes));
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, slot->errbuf);
  slot->max_bytes = cfg_.max_response_bytes;
  std::lock_guard<std::mutex> lk(pool_mu_);
  slots_.push_back(std::move(slot));
  return slots_.back().get();
}

void Transport::release(Slot *s) const {
  std::lock_guard<std::mutex> lk(pool_mu_);
  idle_.push_back(s);
}

Transport::ParserLease::~ParserLease() {
  std::lock_guard<std::mutex> lk(t_.parser_mu_);
  t_.parsers_.push_back(std::move(p_));
}

Transport::ParserLease Transport::parser() const {
  {
    std::lock_guard<std::mutex> lk(parser_mu_);
    if (!parsers_.empty()) {
      auto p = std::move(parsers_.back());
      parsers_.pop_back();
      return ParserLease(*this, std::move(p));
    }
  }
  return ParserLease(*this, std::make_unique<simdjson::dom::parser>());
}

CURL *Transport::easy_of(Slot *s) const { return s->easy; }

thread_local const Transport *Transport::io_thread = nullptr;

Exchange::~Exchange() { free_wiped(own_headers); }

std::string Exchange::prefix() const {
  return std::string(provider_traits(req->ep->provider).name) + " " + req->ep->operation + ": ";
}

void Transport::setup(Slot &slot, const Exchange &x, int64_t timeout_ms) const {
  CURL *e = slot.easy;
  slot.body.clear();
  slot.headers.clear();
  slot.too_large = false;
  slot.sends = 0;
  slot.forbid_resend = x.req->ep->create && !x.cs->retry_ambiguous_posts;
  slot.resend_blocked = false;
  curl_easy_setopt(e, CURLOPT_URL, x.url.c_str());
  // The options below keep their values between transfers of the handle:
  // each is set only when it differs from the slot's previous transfer.
  const Method method = x.req->ep->method;
  switch (method) {
    case Method::Get:
      if (slot.method != static_cast<int>(Method::Get)) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
      }
      break;
    case Method::Post:  // the body changes with every request
      if (slot.method != static_cast<int>(Method::Post)) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(x.req->body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, x.req->body.data());
      break;
    case Method::Delete:
      if (slot.method != static_cast<int>(Method::Delete)) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
      }
      break;
  }
  slot.method = static_cast<int>(method);
  if (slot.http_headers != x.headers) {
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x.headers);
    slot.http_headers = x.headers;
  }
  slot.own_headers = x.own_headers != nullptr;
  const long t = static_cast<long>(std::max<int64_t>(1, timeout_ms));
  if (slot.timeout_ms != t) {
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t);
    slot.timeout_ms = t;
  }
  const long ct = static_cast<long>(std::max<int64_t>(1, std::min(x.cs->connect_timeout_ms, timeout_ms)));
  if (slot.connect_timeout_ms != ct) {
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ct);
    slot.connect_timeout_ms = ct;
  }
  slot.errbuf[0] = 0;
  slot.t0_us = now_us();
}

void Transport::perform(Slot &slot, const Exchange &x, int64_t timeout_ms, Attempt &out) const {
  if (!slot.multi) {
    slot.multi = curl_multi_init();
    if (!slot.multi) throw std::bad_alloc();
  }
  setup(slot, x, timeout_ms);
  CURL *e = slot.easy;
  ik_cancel_token *cancel = x.cs->cancel;
  CURLMcode mc = curl_multi_add_handle(slot.multi, e);
  if (mc != CURLM_OK) fail(IK_STATUS_INTERNAL, std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc));
  if (cancel) cancel->attach(slot.multi);
  int running = 1;
  CURLcode code = CURLE_OK;
  bool cancelled = false;
  while (true) {
    mc = curl_multi_perform(slot.multi, &running);
    if (mc != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
    if (!running) break;
    if (cancel && cancel->cancelled.load(std::memory_order_acquire)) {
      cancelled = true;
      break;
    }
    mc = curl_multi_poll(slot.multi, nullptr, 0, 1000, nullptr);
    if (mc != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
  }
  if (!cancelled && running == 0) {
    int left = 0;
    while (CURLMsg *msg = curl_multi_info_read(slot.multi, &left)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) code = msg->data.result;
    }
  }
  curl_multi_remove_handle(slot.multi, e);  // a transfer still running is aborted and its connection closed
  if (cancel) cancel->detach(slot.multi);
  collect(slot, code, cancelled ? IK_CANCELLED_BY_TOKEN : IK_CANCELLED_BY_NONE, out);
}

void Transport::collect(Slot &slot, CURLcode code, int32_t cancelled_by, Attempt &out) const {
  CURL *e = slot.easy;
  if (slot.own_headers) {  // the exchange frees its own list: libcurl must not keep it
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
    slot.http_headers = nullptr;
    slot.own_headers = false;
  }
  out.latency_us = now_us() - slot.t0_us;
  const bool cancelled = cancelled_by != IK_CANCELLED_BY_NONE;
  long status = 0, new_conns = 0, req_size = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &new_conns);
  curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &req_size);
  connections_opened_.fetch_add(new_conns, std::memory_order_relaxed);
  out.cancelled_by = cancelled_by;
  out.resend_blocked = slot.resend_blocked;
  out.code = cancelled ? CURLE_ABORTED_BY_CALLBACK : code;
  out.too_large = slot.too_large || code == CURLE_FILESIZE_EXCEEDED;
  out.sent = req_size > 0;
  out.http_status = static_cast<int32_t>(status);
  out.body = std::move(slot.body);
  out.headers = std::move(slot.headers);
  out.curl_message = slot.errbuf[0] && !cancelled ? slot.errbuf : curl_easy_strerror(out.code);
  if (out.http_status >= 300 && out.http_status < 400) {
    char *loc = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc) out.redirect_url = loc;
  }
  slot.body = std::string();
  slot.headers = Headers();
}

int64_t Transport::backoff_ms(int attempt, int64_t prev_delay) const {
  const auto &r = cfg_.retry;
  // base and cap are at most kMaxSettingMs (resolve_config), and so is
  // prev_delay (a backoff or a server wait already capped by
  // max_server_wait_ms): nothing below can overflow.
  const int64_t base = r.base_delay_ms;
  const int64_t cap = r.max_delay_ms;
  double exp = static_cast<double>(base) * static_cast<double>(1ULL << std::clamp(attempt - 1, 0, 30));
  int64_t ceiling = static_cast<int64_t>(std::min<double>(static_cast<double>(cap), exp));
  std::lock_guard<std::mutex> lk(rng_mu_);
  switch (r.jitter) {
    case IK_JITTER_NONE: return ceiling;
    case IK_JITTER_DECORRELATED: {
      int64_t lo = base, hi = std::max(lo, prev_delay * 3);
      std::uniform_int_distribution<int64_t> d(lo, hi);
      return std::min(cap, d(rng_));
    }
    default: {
      std::uniform_int_distribution<int64_t> d(0, ceiling);
      return d(rng_);
    }
  }
}

namespace {

// Waits are clamped to ~100 years so that absurd values meet the cap
// instead of overflowing.
constexpr double kMaxWaitMs = 100.0 * 365 * 86400 * 1000;

int64_t clamp_ms(double ms) {
  if (!(ms > 0)) return 0;  // also NaN
  return static_cast<int64_t>(std::min(ms, kMaxWaitMs));
}

// Milliseconds from now until a Unix time in seconds (0 if it has passed).
int64_t ms_until(int64_t unix_seconds) {
  return clamp_ms((static_cast<double>(unix_seconds) - static_cast<double>(std::time(nullptr))) * 1000.0);
}

}  // namespace

int64_t server_delay_ms(const Headers &h, int32_t http_status, int32_t provider) {
  bool found = false;
  std::string_view v = h.get("retry-after-ms", &found);  // values come trimmed
  if (found) {
    if (auto n = parse_number(v)) return clamp_ms(*n);
  }
  v = h.get("retry-after", &found);
  if (found) {
    if (auto n = parse_number(v)) return clamp_ms(*n * 1000.0);
    if (auto t = parse_http_date(v)) return ms_until(*t);
  }
  const char *reset = provider_traits(provider).rate_limit_reset_header;
  if (reset && http_status == 429) {
    v = h.get(reset, &found);
    if (found) {
      if (auto t = parse_int(v)) return ms_until(*t);
    }
  }
  return -1;
}

namespace {
// An error of the operation (provider and operation set).
Error op_error(const Endpoint &ep, ik_status status, std::string message) {
  ErrorInfo info;
  info.status = status;
  info.message = std::move(message);
  info.provider = ep.provider;
  info.operation = ep.operation;
  return Error(std::move(info));
}
}  // namespace

void Transport::begin(Exchange &x, const Request &req, const CallSettings &cs) const {
  const Endpoint &ep = *req.ep;
  const ProviderTraits &traits = provider_traits(ep.provider);
  const ProviderConfig &pc = cfg_.provider(ep.provider);
  x.req = &req;
  x.cs = &cs;
  x.start_us = now_us();
  // deadline_ms is at most kMaxSettingMs (30 days, resolve_call): the sum cannot overflow.
  x.deadline_us = cs.deadline_ms > 0 ? x.start_us + cs.deadline_ms * 1000 : INT64_MAX;
  x.prev_delay = cfg_.retry.base_delay_ms;

  if (!pc.has_credentials) {
    throw op_error(ep, IK_STATUS_NO_CREDENTIALS,
                   x.prefix() + "no credentials configured for " + traits.name + traits.credential_hint);
  }
  if (!req.absolute_url.empty()) {
    if (!same_origin(req.absolute_url, pc.base_url)) {
      throw op_error(ep, IK_STATUS_INVALID_ARGUMENT,
                     x.prefix() + "refusing to send credentials to " + redact_url(req.absolute_url) +
                         ": it is not on the configured base URL " + pc.base_url);
    }
    x.url = req.absolute_url;
  } else {
    x.url.reserve(pc.base_url.size() + req.path_query.size());
    x.url.append(pc.base_url).append(req.path_query);
  }
  // The endpoint's header lines are built once per client; a request with
  // extra headers gets its own copy.
  curl_slist *base_headers = endpoint_headers(ep);
  x.headers = base_headers;
  if (!req.headers.empty() || !cs.extra_headers.empty()) {
    SlistGuard own;
    for (curl_slist *n = base_headers; n; n = n->next) own.add(n->data);
    for (const auto &h : req.headers) own.add(h);
    for (const auto &h : cs.extra_headers) own.add(h);
    x.own_headers = x.headers = own.list;
    own.list = nullptr;
  }
}

const char *Transport::cancel_text(int32_t by, bool during_backoff) {
  if (by == IK_CANCELLED_BY_CLIENT_FREE) return "cancelled: the client was freed";
  return during_backoff ? "cancelled during backoff" : "cancelled";
}

Error Transport::cancelled(const Endpoint &ep, int attempts, int32_t by, bool during_backoff) {
  Error e = op_error(
      ep, IK_STATUS_CANCELLED,
      std::string(provider_traits(ep.provider).name) + " " + ep.operation + ": " + cancel_text(by, during_backoff));
  e.info().cancelled_by = by;
  e.info().attempts = attempts;
  return e;
}

int64_t Transport::start_attempt(Exchange &x) const {
  if (x.cs->cancel && x.cs->cancel->cancelled.load()) throw cancelled(x, IK_CANCELLED_BY_TOKEN, false);
  ++x.attempt;
  const int64_t now = now_us();
  if (now >= x.deadline_us) {
    ErrorInfo info;
    info.status = IK_STATUS_TIMEOUT;
    info.message = x.prefix() + "deadline of " + std::to_string(x.cs->deadline_ms) + " ms exceeded";
    info.provider = x.req->ep->provider;
    info.operation = x.req->ep->operation;
    info.attempts = x.attempt - 1;
    info.retryable = true;
    throw Error(std::move(info));
  }
  const int64_t remaining_ms = x.deadline_us == INT64_MAX ? INT64_MAX : (x.deadline_us - now + 999) / 1000;
  // The redacted URL is only computed when something will show it.
  x.shown_url.clear();
  if (cfg_.logger.enabled(IK_LOG_ERROR)) x.shown_url = redact_url(x.url);
  return std::min(x.cs->attempt_timeout_ms, remaining_ms);
}

namespace {
void log_attempt(const Logger &log, const Exchange &x, const Transport::Attempt &a, const LogFields &lf);
}  // namespace

std::unique_ptr<ik_response> Transport::conclude(Exchange &x, Attempt &a, int64_t *retry_delay_ms) const {
  return conclude_as<std::unique_ptr<ik_response>>(x, a, retry_delay_ms);
}

namespace {
// The fields of an attempt's log records (they point into x and *rid_text; no
// request id when rid_text is null).
LogFields attempt_fields(const Exchange &x, const Transport::Attempt &a, const std::string *rid_text) {
  LogFields lf;
  lf.provider = x.req->ep->provider;
  lf.operation = x.req->ep->operation;
  lf.method = method_name(x.req->ep->method);
  lf.url = x.shown_url.c_str();
  lf.http_status = a.http_status;
  lf.attempt = x.attempt;
  lf.latency_us = a.latency_us;
  lf.request_id = rid_text ? rid_text->c_str() : nullptr;
  return lf;
}

// The error's fields that every failure has (status and message come later).
ErrorInfo failure_info(const Exchange &x, const Transport::Attempt &a, std::string_view rid, bool has_rid) {
  ErrorInfo info;
  info.provider = x.req->ep->provider;
  info.operation = x.req->ep->operation;
  info.attempts = x.attempt;
  info.transport_code = static_cast<int32_t>(a.code);
  info.http_status = a.code == CURLE_OK ? a.http_status : 0;
  if (has_rid) {
    info.has_request_id = true;
    info.request_id = rid;
  }
  info.set_field("url", x.shown_url);
  return info;
}

// Failures that are never retried: cancelled, a create that cannot be re-sent,
// a response over max_response_bytes. Throws for those; returns otherwise.
void throw_if_final(const Exchange &x, Transport::Attempt &a, ErrorInfo &info, int64_t max_response_bytes) {
  const Method method = x.req->ep->method;
  if (a.cancelled_by != IK_CANCELLED_BY_NONE) {
    info.status = IK_STATUS_CANCELLED;
    info.cancelled_by = a.cancelled_by;
    info.message = x.prefix() + Transport::cancel_text(a.cancelled_by, false);
    info.ambiguous = method == Method::Post && a.sent;
  } else if (a.resend_blocked) {
    info.status = IK_STATUS_TRANSPORT;
    info.message = x.prefix() + "the connection closed after the request was sent, before any response (" +
                   x.shown_url + "); a create is not sent again, so its outcome is unknown";
    info.ambiguous = true;
    info.retryable = true;
  } else if (a.too_large) {
    info.status = IK_STATUS_RESPONSE_TOO_LARGE;
    info.message =
        x.prefix() + "response larger than max_response_bytes (" + std::to_string(max_response_bytes) + " bytes)";
    info.http_status = a.http_status;
    info.ambiguous = method == Method::Post;
  } else {
    return;
  }
  info.headers = std::move(a.headers);
  throw Error(std::move(info));
}

// Why a 3xx was not followed (appended to "HTTP 3xx ...").
std::string redirect_note(const Exchange &x, const Transport::Attempt &a, const std::string &base_url) {
  if (a.redirect_url.empty()) return " (redirect without Location)";
  if (!same_origin(a.redirect_url, base_url))
    return " (redirect to " + redact_url(a.redirect_url) +
           " not followed: credentials are only sent to the configured base URL)";
  if (x.redirects >= kMaxRedirects)
    return " (too many redirects: " + std::to_string(x.redirects) + " followed, the next to " +
           redact_url(a.redirect_url) + " not followed; a redirect loop?)";
  return " (redirect to " + redact_url(a.redirect_url) + " not followed: a POST is only redirected by 307/308)";
}

// A complete HTTP response outside 2xx: the provider's error fields, the
// message and the verdict.
Verdict classify_http_failure(const Exchange &x, const Transport::Attempt &a, const ProviderTraits &traits,
                              const std::string &base_url, ErrorInfo &info) {
  const int32_t s = a.http_status;
  const char *ct = a.headers.find("content-type");
  info.has_body = !a.body.empty();
  if (info.has_body) info.body = a.body;
  if (ct) info.set_field("content_type", ct);
  traits.parse_error(info, ct ? std::string_view(ct) : std::string_view(), a.body);
  const Verdict v = classify_http(s, a.headers.find("x-should-retry"), x.req->ep->method, traits, info);
  std::string msg = "HTTP " + std::to_string(s);
  if (*http_reason(s)) msg += std::string(" ") + http_reason(s);
  if (s >= 300 && s < 400) msg += redirect_note(x, a, base_url);
  if (info.has_provider_message && !info.provider_message.empty()) {
    msg += ": " + info.provider_message;
  } else if (!a.body.empty()) {
    std::string ex = body_excerpt(ct ? ct : "", a.body);
    if (!ex.empty()) msg += ": " + ex;
  }
  info.message = x.prefix() + msg;
  return v;
}

// A transfer that failed below HTTP, or an HTTP failure: the verdict, with
// status, message, server delay and headers filled into info.
Verdict classify_failure(const Exchange &x, Transport::Attempt &a, const ProviderTraits &traits,
                         const std::string &base_url, ErrorInfo &info) {
  Verdict v;
  if (a.code != CURLE_OK) {
    v = classify_curl(a.code, a.sent, x.req->ep->method);
    info.message = x.prefix() + a.curl_message + " (" + x.shown_url + ")";
    if (a.http_status > 0) info.http_status = a.http_status;
  } else {
    v = classify_http_failure(x, a, traits, base_url, info);
  }
  info.status = v.status;
  info.ambiguous = v.ambiguous;
  info.retry_after_ms = server_delay_ms(a.headers, info.http_status, x.req->ep->provider);
  info.headers = std::move(a.headers);
  info.retryable = v.retryable;
  return v;
}
}  // namespace

// A 2xx: the response, logged at INFO.
template <class Ptr>
Ptr Transport::success_response(Exchange &x, Attempt &a, std::string_view rid, bool has_rid, LogFields &lf) const {
  Ptr resp;
  if constexpr (std::is_same_v<Ptr, std::shared_ptr<ik_response>>)
    resp = std::make_shared<ik_response>();  // one allocation with its control block
  else
    resp = std::make_unique<ik_response>();
  resp->provider = x.req->ep->provider;
  resp->http_status = a.http_status;
  if (has_rid) resp->request_id.assign(rid);
  resp->headers = std::move(a.headers);
  resp->attempts = x.attempt;
  resp->elapsed_us = now_us() - x.start_us;
  resp->body = std::move(a.body);
  pad_for_parse(resp->body);
  if (cfg_.logger.enabled(IK_LOG_INFO)) {
    lf.latency_us = resp->elapsed_us;
    cfg_.logger.log(IK_LOG_INFO,
                    std::string(lf.method) + " " + x.shown_url + " -> " + std::to_string(a.http_status) +
                        (x.attempt > 1 ? " after " + std::to_string(x.attempt) + " attempts" : std::string()),
                    lf);
  }
  return resp;
}

// Same-origin redirects are followed (a POST only by 307/308); others are refused.
bool Transport::follow_redirect(Exchange &x, const Attempt &a) const {
  if (a.code != CURLE_OK || a.http_status < 300 || a.http_status >= 400 || a.redirect_url.empty()) return false;
  const bool keeps_method = a.http_status == 307 || a.http_status == 308;
  if (!same_origin(a.redirect_url, cfg_.provider(x.req->ep->provider).base_url) || x.redirects >= kMaxRedirects ||
      (x.req->ep->method == Method::Post && !keeps_method))
    return false;
  ++x.redirects;
  --x.attempt;
  x.url = a.redirect_url;
  return true;
}

// The retry decision (decide_retry) and the retry callback: returns the wait
// before the next attempt, or throws the error.
int64_t Transport::retry_or_throw(Exchange &x, ErrorInfo &info, const Verdict &v, const LogFields &lf) const {
  const int64_t server_delay = info.retry_after_ms;
  RetryInput in;
  in.verdict = v;
  in.create = x.req->ep->create;
  in.retry_ambiguous_posts = x.cs->retry_ambiguous_posts;
  in.attempt = x.attempt;
  in.max_retries = x.cs->max_retries;
  in.server_delay_ms = server_delay;
  in.max_server_wait_ms = cfg_.retry.max_server_wait_ms;
  in.server_wait_policy = cfg_.retry.server_wait_policy;
  in.deadline_us = x.deadline_us;
  in.http_status = info.http_status;
  // The jittered backoff is drawn only when it can be used.
  if (v.retryable && server_delay < 0) in.backoff_ms = backoff_ms(x.attempt, x.prev_delay);
  in.now_us = now_us();
  const RetryDecision d = decide_retry(in);
  if (!d.retry) {
    info.message += d.note;
    if (d.clear_retryable) info.retryable = false;
    throw Error(std::move(info));
  }
  x.prev_delay = std::max<int64_t>(d.delay_ms, cfg_.retry.base_delay_ms);
  run_retry_callback(x, info, d);
  if (cfg_.logger.enabled(IK_LOG_WARN)) {
    cfg_.logger.log(IK_LOG_WARN,
                    "retrying " + std::string(lf.method) + " " + x.shown_url + " in " + std::to_string(d.delay_ms) +
                        " ms after: " + info.message,
                    lf);
  }
  return d.delay_ms;
}

// The retry callback may veto a retry: the call then fails as cancelled.
void Transport::run_retry_callback(const Exchange &x, ErrorInfo &info, const RetryDecision &d) const {
  if (!cfg_.retry.cb) return;
  ik_retry_info ri{};
  ri.version = IK_RETRY_INFO_VERSION;
  ri.provider = x.req->ep->provider;
  ri.operation = x.req->ep->operation;
  ri.attempt = x.attempt;
  ri.status = info.status;
  ri.http_status = info.http_status;
  ri.delay_ms = d.delay_ms;
  ri.server_directed = d.server_directed ? 1 : 0;
  if (cfg_.retry.cb(&ri, cfg_.retry.user_data) == 0) return;
  info.message += " (cancelled: the retry callback vetoed the retry)";
  info.status = IK_STATUS_CANCELLED;
  info.cancelled_by = IK_CANCELLED_BY_RETRY_CALLBACK;
  info.retryable = false;
  throw Error(std::move(info));
}

template <class Ptr>
Ptr Transport::conclude_as(Exchange &x, Attempt &a, int64_t *retry_delay_ms) const {
  const ProviderTraits &traits = provider_traits(x.req->ep->provider);
  const Logger &log = cfg_.logger;
  bool has_rid = false;
  const std::string_view rid = request_id_of(a.headers, traits, &has_rid);
  const bool log_rid = has_rid && log.enabled(IK_LOG_ERROR);
  std::string rid_text;  // NUL-terminated for the log record, only when something logs
  if (log_rid) rid_text.assign(rid);
  LogFields lf = attempt_fields(x, a, log_rid ? &rid_text : nullptr);
  log_attempt(log, x, a, lf);

  if (a.code == CURLE_OK && a.http_status >= 200 && a.http_status < 300)
    return success_response<Ptr>(x, a, rid, has_rid, lf);
  if (follow_redirect(x, a)) {
    *retry_delay_ms = 0;
    return nullptr;
  }
  if (x.shown_url.empty()) x.shown_url = redact_url(x.url);
  lf.url = x.shown_url.c_str();
  ErrorInfo info = failure_info(x, a, rid, has_rid);
  throw_if_final(x, a, info, cfg_.max_response_bytes);
  const Verdict v = classify_failure(x, a, traits, cfg_.provider(x.req->ep->provider).base_url, info);
  *retry_delay_ms = retry_or_throw(x, info, v, lf);
  return nullptr;
}

namespace {
// The DEBUG line and the TRACE dump of one attempt (secrets redacted).
void log_attempt(const Logger &log, const Exchange &x, const Transport::Attempt &a, const LogFields &lf) {
  if (log.enabled(IK_LOG_DEBUG)) {
    std::string m = std::string(lf.method) + " " + x.shown_url + " -> ";
    m += a.code == CURLE_OK ? std::to_string(a.http_status) : std::string("error: ") + a.curl_message;
    m += " (" + std::to_string(a.latency_us / 1000) + "." + std::to_string((a.latency_us / 100) % 10) + " ms)";
    log.log(IK_LOG_DEBUG, m, lf);
  }
  if (!log.enabled(IK_LOG_TRACE)) return;
  std::string m = "request headers:";
  for (curl_slist *n = x.headers; n; n = n->next) {
    std::string_view line(n->data);
    auto c = line.find(':');
    std::string name(line.substr(0, c));
    m += "\n  " + name + ": " + (is_secret_header(name) ? std::string("[REDACTED]") : trim(line.substr(c + 1)));
  }
  if (!x.req->body.empty()) m += "\nrequest body: " + x.req->body;
  m += "\nresponse headers:";
  for (size_t i = 0; i < a.headers.size(); ++i) {
    const char *name = a.headers.name_at(i);
    std::string value = is_secret_header(name) ? std::string("[REDACTED]") : std::string(a.headers.value_at(i));
    if (iequals(name, "location") || iequals(name, "content-location")) value = redact_url(value);
    m += std::string("\n  ") + name + ": " + value;
  }
  if (!a.body.empty()) m += "\nresponse body: " + body_excerpt("", a.body);
  log.log(IK_LOG_TRACE, m, lf);
}
}  // namespace

ResponsePtr Transport::execute(const Request &req, const CallSettings &cs) const {
  if (io_thread == this) {
    throw op_error(*req.ep, IK_STATUS_WOULD_BLOCK,
                   std::string(provider_traits(req.ep->provider).name) + " " + req.ep->operation +
                       ": a blocking call on the client's own I/O thread (from a completion callback) would stall "
                       "every non-blocking call of the client; use the _start variant there");
  }
  Exchange x;
  begin(x, req, cs);
  Slot *slot = acquire();
  struct Releaser {
    const Transport *t;
    Slot *s;
    ~Releaser() { t->release(s); }
  } releaser{this, slot};
  while (true) {
    const int64_t timeout_ms = start_attempt(x);
    Attempt a;
    perform(*slot, x, timeout_ms, a);
    int64_t delay = 0;
    if (auto resp = conclude_as<std::shared_ptr<ik_response>>(x, a, &delay)) return resp;
    if (cs.cancel) {
      if (!cs.cancel->sleep_for_ms(delay)) throw cancelled(x, IK_CANCELLED_BY_TOKEN, true);
    } else if (delay > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
  }
}

}  // namespace ik::detail
