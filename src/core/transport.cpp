#include "core/transport.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "core/encoding.hpp"

namespace ik::detail {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int kMaxRedirects = 5;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

const char *const kRequestIdHeaders[] = {"x-request-id", "twilio-request-id", "t-request-id", "fastly-request-id",
                                         "x-fastly-request-id"};

const char *request_id_of(const Headers &h) {
  for (const char *n : kRequestIdHeaders) {
    if (const char *v = h.find(n)) return v;
  }
  return nullptr;
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

std::string expand_path(const char *tmpl, std::initializer_list<std::string_view> segments) {
  std::string out;
  auto it = segments.begin();
  for (const char *p = tmpl; *p; ++p) {
    if (p[0] == '{' && p[1] == '}') {
      if (it == segments.end()) fail(IK_STATUS_INTERNAL, "path template has more segments than values");
      out += encode_path_segment(*it++);
      ++p;
    } else {
      out.push_back(*p);
    }
  }
  return out;
}

struct Transport::Slot {
  CURL *easy = nullptr;
  CURLM *multi = nullptr;
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

struct Transport::Attempt {
  CURLcode code = CURLE_OK;
  bool cancelled = false;
  bool too_large = false;
  bool resend_blocked = false;  // the connection died after a create was sent; not re-sent
  bool sent = false;  // request bytes were written to a connection
  int32_t http_status = 0;
  Headers headers;
  std::string body;
  std::string curl_message;
  std::string redirect_url;
  int64_t latency_us = 0;
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

size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud) {
  auto *s = static_cast<Transport::Slot *>(ud);
  const size_t n = size * nmemb;
  std::string_view line(ptr, n);
  if (line.size() >= 5 && line.compare(0, 5, "HTTP/") == 0) {
    s->headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  s->headers.add(line.substr(0, colon), trim_view(line.substr(colon + 1)));
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
  slot->multi = curl_multi_init();
  if (!slot->easy || !slot->multi) throw std::bad_alloc();
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

void Transport::perform(Slot &slot, const std::string &url, Method method, const std::string &body,
                        curl_slist *headers, int64_t timeout_ms, int64_t connect_timeout_ms, ik_cancel_token *cancel,
                        bool forbid_resend, Attempt &out) const {
  CURL *e = slot.easy;
  slot.body.clear();
  slot.headers.clear();
  slot.too_large = false;
  slot.sends = 0;
  slot.forbid_resend = forbid_resend;
  slot.resend_blocked = false;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  switch (method) {
    case Method::Get:
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
      break;
    case Method::Post:
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
      break;
    case Method::Delete:
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, timeout_ms)));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(1, std::min(connect_timeout_ms, timeout_ms))));
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = 0;
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);

  const int64_t t0 = now_us();
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
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
  out.latency_us = now_us() - t0;

  long status = 0, new_conns = 0, req_size = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &new_conns);
  curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &req_size);
  connections_opened_.fetch_add(new_conns, std::memory_order_relaxed);
  out.cancelled = cancelled;
  out.resend_blocked = slot.resend_blocked;
  out.code = cancelled ? CURLE_ABORTED_BY_CALLBACK : code;
  out.too_large = slot.too_large || code == CURLE_FILESIZE_EXCEEDED;
  out.sent = req_size > 0;
  out.http_status = static_cast<int32_t>(status);
  out.body = std::move(slot.body);
  out.headers = std::move(slot.headers);
  out.curl_message = errbuf[0] ? errbuf : curl_easy_strerror(out.code);
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

ik_status status_for_curl(CURLcode c) {
  switch (c) {
    case CURLE_OPERATION_TIMEDOUT: return IK_STATUS_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED: return IK_STATUS_TLS;
    case CURLE_OUT_OF_MEMORY: return IK_STATUS_NO_MEMORY;
    case CURLE_UNSUPPORTED_PROTOCOL: return IK_STATUS_UNSUPPORTED;
    default: return IK_STATUS_TRANSPORT;
  }
}

bool curl_retryable(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: return true;
    default: return false;
  }
}

bool provably_not_sent(CURLcode c, bool sent) {
  return c == CURLE_COULDNT_RESOLVE_HOST || c == CURLE_COULDNT_RESOLVE_PROXY || c == CURLE_COULDNT_CONNECT || !sent;
}

}  // namespace

int64_t server_delay_ms(const Headers &h, int32_t http_status, int32_t provider) {
  if (const char *v = h.find("retry-after-ms")) {
    if (auto n = parse_number(trim(v))) return clamp_ms(*n);
  }
  if (const char *v = h.find("retry-after")) {
    if (auto n = parse_number(trim(v))) return clamp_ms(*n * 1000.0);
    if (auto t = parse_http_date(v)) return ms_until(*t);
  }
  if (provider == IK_PROVIDER_FASTLY && http_status == 429) {
    if (const char *v = h.find("fastly-ratelimit-reset")) {
      if (auto t = parse_int(trim(v))) return ms_until(*t);
    }
  }
  return -1;
}

std::unique_ptr<ik_response> Transport::execute(const Request &req, const CallSettings &cs) const {
  const Endpoint &ep = *req.ep;
  const ProviderTraits &traits = provider_traits(ep.provider);
  const ProviderConfig &pc = cfg_.provider(ep.provider);
  const int64_t start = now_us();
  // deadline_ms is at most kMaxSettingMs (30 days, resolve_call): the sum cannot overflow.
  const int64_t deadline = cs.deadline_ms > 0 ? start + cs.deadline_ms * 1000 : INT64_MAX;
  const std::string prefix = std::string(traits.name) + " " + ep.operation + ": ";

  auto make_error = [&](ik_status st, std::string msg) {
    ErrorInfo info;
    info.status = st;
    info.message = prefix + msg;
    info.provider = ep.provider;
    info.operation = ep.operation;
    return info;
  };

  if (!pc.has_credentials) {
    throw Error(make_error(IK_STATUS_NO_CREDENTIALS,
                           std::string("no credentials configured for ") + traits.name +
                               (ep.provider == IK_PROVIDER_OPENAI   ? " (set openai_admin_key or OPENAI_ADMIN_KEY)"
                                : ep.provider == IK_PROVIDER_TWILIO ? " (set the account SID and auth token, or an API key and secret, or TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN)"
                                                                    : " (set fastly_api_token or FASTLY_API_TOKEN)")));
  }

  std::string url;
  if (!req.absolute_url.empty()) {
    if (!same_origin(req.absolute_url, pc.base_url)) {
      throw Error(make_error(IK_STATUS_INVALID_ARGUMENT,
                             "refusing to send credentials to " + redact_url(req.absolute_url) +
                                 ": it is not on the configured base URL " + pc.base_url));
    }
    url = req.absolute_url;
  } else {
    url = pc.base_url + req.path_query;
  }

  // The endpoint's header lines are built once per client; a request with
  // extra headers gets its own copy.
  curl_slist *base_headers = endpoint_headers(ep);
  SlistGuard own_headers;
  curl_slist *send_headers = base_headers;
  if (!req.headers.empty() || !cs.extra_headers.empty()) {
    for (curl_slist *n = base_headers; n; n = n->next) own_headers.add(n->data);
    for (const auto &h : req.headers) own_headers.add(h);
    for (const auto &h : cs.extra_headers) own_headers.add(h);
    send_headers = own_headers.list;
  }

  const Logger &log = cfg_.logger;
  int attempt = 0;
  int redirects = 0;
  int64_t prev_delay = cfg_.retry.base_delay_ms;
  Slot *slot = acquire();
  struct Releaser {
    const Transport *t;
    Slot *s;
    ~Releaser() { t->release(s); }
  } releaser{this, slot};

  while (true) {
    ++attempt;
    if (cs.cancel && cs.cancel->cancelled.load()) {
      auto info = make_error(IK_STATUS_CANCELLED, "cancelled");
      info.cancelled_by = IK_CANCELLED_BY_TOKEN;
      info.attempts = attempt - 1;
      throw Error(std::move(info));
    }
    const int64_t now = now_us();
    if (now >= deadline) {
      auto info = make_error(IK_STATUS_TIMEOUT, "deadline of " + std::to_string(cs.deadline_ms) + " ms exceeded");
      info.attempts = attempt - 1;
      info.retryable = true;
      throw Error(std::move(info));
    }
    const int64_t remaining_ms = deadline == INT64_MAX ? INT64_MAX : (deadline - now + 999) / 1000;
    const int64_t timeout_ms = std::min(cs.attempt_timeout_ms, remaining_ms);
    // The redacted URL is only computed when something will show it.
    std::string shown_url;
    if (log.enabled(IK_LOG_ERROR)) shown_url = redact_url(url);

    Attempt a;
    perform(*slot, url, ep.method, req.body, send_headers, timeout_ms, cs.connect_timeout_ms, cs.cancel,
            ep.create && !cs.retry_ambiguous_posts, a);
    const char *rid = request_id_of(a.headers);

    LogFields lf;
    lf.provider = ep.provider;
    lf.operation = ep.operation;
    lf.method = method_name(ep.method);
    lf.url = shown_url.c_str();
    lf.http_status = a.http_status;
    lf.attempt = attempt;
    lf.latency_us = a.latency_us;
    lf.request_id = rid;
    if (log.enabled(IK_LOG_DEBUG)) {
      std::string m = std::string(lf.method) + " " + shown_url + " -> ";
      m += a.code == CURLE_OK ? std::to_string(a.http_status) : std::string("error: ") + a.curl_message;
      m += " (" + std::to_string(a.latency_us / 1000) + "." + std::to_string((a.latency_us / 100) % 10) + " ms)";
      log.log(IK_LOG_DEBUG, m, lf);
    }
    if (log.enabled(IK_LOG_TRACE)) {
      std::string m = "request headers:";
      for (curl_slist *n = send_headers; n; n = n->next) {
        std::string_view line(n->data);
        auto c = line.find(':');
        std::string name(line.substr(0, c));
        m += "\n  " + name + ": " + (is_secret_header(name) ? std::string("[REDACTED]") : trim(line.substr(c + 1)));
      }
      if (!req.body.empty()) m += "\nrequest body: " + req.body;
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

    // ---- success ----
    if (a.code == CURLE_OK && a.http_status >= 200 && a.http_status < 300) {
      auto resp = std::make_unique<ik_response>();
      resp->provider = ep.provider;
      resp->http_status = a.http_status;
      if (rid) resp->request_id.assign(rid);
      resp->headers = std::move(a.headers);
      resp->attempts = attempt;
      resp->elapsed_us = now_us() - start;
      resp->body = std::move(a.body);
      pad_for_parse(resp->body);
      if (log.enabled(IK_LOG_INFO)) {
        lf.latency_us = resp->elapsed_us;
        log.log(IK_LOG_INFO,
                std::string(lf.method) + " " + shown_url + " -> " + std::to_string(a.http_status) +
                    (attempt > 1 ? " after " + std::to_string(attempt) + " attempts" : std::string()),
                lf);
      }
      return resp;
    }

    // ---- same-origin redirects are followed; others are refused ----
    if (a.code == CURLE_OK && a.http_status >= 300 && a.http_status < 400 && !a.redirect_url.empty()) {
      const bool keeps_method = a.http_status == 307 || a.http_status == 308;
      if (same_origin(a.redirect_url, pc.base_url) && redirects < kMaxRedirects &&
          (ep.method != Method::Post || keeps_method)) {
        ++redirects;
        --attempt;
        url = a.redirect_url;
        continue;
      }
    }

    // ---- failure: build the error ----
    if (shown_url.empty()) shown_url = redact_url(url);
    lf.url = shown_url.c_str();
    ErrorInfo info;
    info.provider = ep.provider;
    info.operation = ep.operation;
    info.attempts = attempt;
    info.transport_code = static_cast<int32_t>(a.code);
    info.http_status = a.code == CURLE_OK ? a.http_status : 0;
    if (rid) {
      info.has_request_id = true;
      info.request_id = rid;
    }
    info.set_field("url", shown_url);
    bool retryable = false;
    bool not_reached = false;
    if (a.cancelled) {
      info.status = IK_STATUS_CANCELLED;
      info.cancelled_by = IK_CANCELLED_BY_TOKEN;
      info.message = prefix + "cancelled";
      info.ambiguous = ep.method == Method::Post && a.sent;
      info.headers = std::move(a.headers);
      throw Error(std::move(info));
    }
    if (a.resend_blocked) {
      info.status = IK_STATUS_TRANSPORT;
      info.message = prefix + "the connection closed after the request was sent, before any response (" +
                     shown_url + "); a create is not sent again, so its outcome is unknown";
      info.ambiguous = true;
      info.retryable = true;
      info.headers = std::move(a.headers);
      throw Error(std::move(info));
    }
    if (a.too_large) {
      info.status = IK_STATUS_RESPONSE_TOO_LARGE;
      info.message = prefix + "response larger than max_response_bytes (" + std::to_string(cfg_.max_response_bytes) +
                     " bytes)";
      info.http_status = a.http_status;
      info.ambiguous = ep.method == Method::Post;
      info.headers = std::move(a.headers);
      throw Error(std::move(info));
    }
    if (a.code != CURLE_OK) {
      info.status = status_for_curl(a.code);
      info.message = prefix + a.curl_message + " (" + shown_url + ")";
      retryable = curl_retryable(a.code);
      not_reached = provably_not_sent(a.code, a.sent);
      info.ambiguous = ep.method == Method::Post && !not_reached;
      if (a.http_status > 0) info.http_status = a.http_status;
    } else {
      const int32_t s = a.http_status;
      const char *ct = a.headers.find("content-type");
      info.status = status_for_http(s);
      info.has_body = !a.body.empty();
      if (info.has_body) info.body = a.body;
      if (ct) info.set_field("content_type", ct);
      traits.parse_error(info, ct ? std::string_view(ct) : std::string_view(), a.body);
      std::string msg = "HTTP " + std::to_string(s);
      if (*http_reason(s)) msg += std::string(" ") + http_reason(s);
      if (s >= 300 && s < 400) {
        if (a.redirect_url.empty()) {
          msg += " (redirect without Location)";
        } else if (!same_origin(a.redirect_url, pc.base_url)) {
          msg += " (redirect to " + redact_url(a.redirect_url) +
                 " not followed: credentials are only sent to the configured base URL)";
        } else if (redirects >= kMaxRedirects) {
          msg += " (too many redirects: " + std::to_string(redirects) + " followed, the next to " +
                 redact_url(a.redirect_url) + " not followed; a redirect loop?)";
        } else {
          msg += " (redirect to " + redact_url(a.redirect_url) + " not followed: a POST is only redirected by 307/308)";
        }
      }
      if (info.has_provider_message && !info.provider_message.empty()) {
        msg += ": " + info.provider_message;
      } else if (!a.body.empty()) {
        std::string ex = body_excerpt(ct ? ct : "", a.body);
        if (!ex.empty()) msg += ": " + ex;
      }
      info.message = prefix + msg;
      retryable = s == 408 || s == 429 || (s >= 500 && s <= 599) || (s == 409 && traits.retry_409);
      if (s == 429 && traits.non_retryable_429 && traits.non_retryable_429(info)) retryable = false;
      if (const char *xs = a.headers.find("x-should-retry")) {
        if (iequals(trim(xs), "true")) retryable = true;
        if (iequals(trim(xs), "false")) retryable = false;
      }
      // A create is safe to repeat only when the server provably did not act.
      not_reached = s == 429 || s == 503;
      info.ambiguous = ep.method == Method::Post && (s == 408 || s == 500 || s == 502 || s == 504);
    }
    const int64_t server_delay = server_delay_ms(a.headers, info.http_status, ep.provider);
    info.retry_after_ms = server_delay;
    info.headers = std::move(a.headers);
    info.retryable = retryable;

    // ---- retry decision ----
    if (!retryable) throw Error(std::move(info));
    if (ep.create && !not_reached && !cs.retry_ambiguous_posts) throw Error(std::move(info));
    if (attempt > cs.max_retries) throw Error(std::move(info));
    int64_t delay;
    bool server_directed = server_delay >= 0;
    if (server_directed) {
      delay = server_delay;
      if (delay > cfg_.retry.max_server_wait_ms) {
        if (cfg_.retry.server_wait_policy == IK_SERVER_WAIT_GIVE_UP) {
          info.message += " (server asked to wait " + std::to_string(delay) + " ms, more than max_server_wait_ms)";
          throw Error(std::move(info));
        }
        delay = cfg_.retry.max_server_wait_ms;
      }
    } else {
      delay = backoff_ms(attempt, prev_delay);
    }
    prev_delay = std::max<int64_t>(delay, cfg_.retry.base_delay_ms);
    if (deadline != INT64_MAX && now_us() + delay * 1000 >= deadline) {
      info.message += " (no retry: the wait of " + std::to_string(delay) + " ms would pass the deadline)";
      if (server_directed && info.http_status == 429) info.retryable = false;
      throw Error(std::move(info));
    }
    if (cfg_.retry.cb) {
      ik_retry_info ri{};
      ri.version = IK_RETRY_INFO_VERSION;
      ri.provider = ep.provider;
      ri.operation = ep.operation;
      ri.attempt = attempt;
      ri.status = info.status;
      ri.http_status = info.http_status;
      ri.delay_ms = delay;
      ri.server_directed = server_directed ? 1 : 0;
      if (cfg_.retry.cb(&ri, cfg_.retry.user_data) != 0) {
        info.message += " (cancelled: the retry callback vetoed the retry)";
        info.status = IK_STATUS_CANCELLED;
        info.cancelled_by = IK_CANCELLED_BY_RETRY_CALLBACK;
        info.retryable = false;
        throw Error(std::move(info));
      }
    }
    if (log.enabled(IK_LOG_WARN)) {
      log.log(IK_LOG_WARN,
              "retrying " + std::string(lf.method) + " " + shown_url + " in " + std::to_string(delay) +
                  " ms after: " + info.message,
              lf);
    }
    if (cs.cancel) {
      if (!cs.cancel->sleep_for_ms(delay)) {
        ErrorInfo c = make_error(IK_STATUS_CANCELLED, "cancelled during backoff");
        c.cancelled_by = IK_CANCELLED_BY_TOKEN;
        c.attempts = attempt;
        throw Error(std::move(c));
      }
    } else if (delay > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
  }
}

}  // namespace ik::detail
