#include "core/client.hpp"
#include "core/engine.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/encoding.hpp"
#include "core/provider.hpp"
#include "core/transport.hpp"

namespace ik::detail {

namespace {

std::optional<std::string> env(const char *name, bool ignore_env) {
  if (ignore_env) return std::nullopt;
  const char *v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

}  // namespace

// explicit option > environment variable(s) > nothing
std::optional<std::string> pick(const char *explicit_value, const char *what, bool ignore_env,
                                std::initializer_list<const char *> env_names) {
  if (explicit_value) {
    check_text(explicit_value, what, false);
    return std::string(explicit_value);
  }
  for (const char *n : env_names) {
    if (auto v = env(n, ignore_env)) {
      if (!valid_utf8(*v))
        fail(IK_STATUS_INVALID_UTF8, std::string("environment variable ") + n + " is not valid UTF-8");
      return v;
    }
  }
  return std::nullopt;
}

std::string normalise_base_url(const std::string &url, const char *what) {
  auto parts = parse_url(url);
  if (!parts) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must be an http:// or https:// URL");
  if (parts->has_userinfo) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not contain credentials");
  if (url.find_first_of("?#") != std::string::npos)
    fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not contain a query or fragment");
  std::string out = url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

namespace {

int32_t level_from_text(const std::string &v) {
  std::string s = to_lower(trim(v));
  if (s == "trace") return IK_LOG_TRACE;
  if (s == "debug" || s == "true" || s == "1") return IK_LOG_DEBUG;
  if (s == "info") return IK_LOG_INFO;
  if (s == "warn" || s == "warning") return IK_LOG_WARN;
  if (s == "error") return IK_LOG_ERROR;
  return IK_LOG_OFF;
}

// Every time setting (ms) is negative -> INVALID_ARGUMENT, 0 -> default,
// otherwise clamped to kMaxSettingMs (30 days) so that no arithmetic on it
// (microseconds, backoff growth, std::chrono) can overflow. docs/DESIGN.md §3.2.
int64_t positive_or(int64_t v, int64_t dflt, const char *what) {
  if (v < 0) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not be negative");
  return v == 0 ? dflt : std::min(v, kMaxSettingMs);
}

}  // namespace

// TWILIO_EDGE / TWILIO_REGION become labels of the API host name: only a
// strict DNS label is accepted (letters, digits, inner '-', 1..63
// characters), so that no value can move the host ("attacker.example/").
// The value is not echoed: the message names the setting only.
void check_host_label(const std::string &v, const char *what) {
  bool ok = !v.empty() && v.size() <= 63 && v.front() != '-' && v.back() != '-';
  for (char c : v) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
  }
  if (!ok)
    fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) +
                                         " must be a single host-name label (letters, digits and inner '-', at most "
                                         "63 characters), such as 'sydney' or 'au1'");
}

namespace {

// Each provider's credentials, endpoints and headers (its descriptor).
void resolve_providers(const ik_client_options *o, bool no_env, ClientConfig &cfg) {
  for (size_t id = 0; id < cfg.providers.size(); ++id) {
    const ProviderTraits &traits = provider_traits(static_cast<int32_t>(id));
    if (traits.resolve && traits.id == static_cast<int32_t>(id)) traits.resolve(*o, no_env, cfg.providers[id]);
  }
  for (auto &p : cfg.providers) {
    for (const auto &h : p.static_headers) {
      if (h.find_first_of("\r\n") != std::string::npos)
        fail(IK_STATUS_INVALID_ARGUMENT, "header values must not contain line breaks");
    }
    if (p.auth_header.find_first_of("\r\n") != std::string::npos)
      fail(IK_STATUS_INVALID_ARGUMENT, "credentials must not contain line breaks");
  }
}

void resolve_transport(const ik_client_options *o, ClientConfig &cfg) {
  check_text(o->user_agent_suffix, "user_agent_suffix", false);
  // Appended in place: GCC 12 warns (-Warray-bounds, a known false positive of
  // its std::string operator+ chains) on the equivalent "a" + b + "c" + d.
  cfg.user_agent.assign("invitekit/").append(IK_VERSION_STRING).append(" libcurl/");
  cfg.user_agent.append(curl_version_info(CURLVERSION_NOW)->version);
  if (o->user_agent_suffix && *o->user_agent_suffix) {
    if (std::strpbrk(o->user_agent_suffix, "\r\n"))
      fail(IK_STATUS_INVALID_ARGUMENT, "user_agent_suffix must not contain line breaks");
    cfg.user_agent += " ";
    cfg.user_agent += o->user_agent_suffix;
  }
  cfg.connect_timeout_ms = positive_or(o->connect_timeout_ms, 10000, "connect_timeout_ms");
  cfg.attempt_timeout_ms = positive_or(o->attempt_timeout_ms, 60000, "attempt_timeout_ms");
  cfg.deadline_ms = positive_or(o->deadline_ms, 0, "deadline_ms");
  cfg.verify_tls = (o->flags & IK_CLIENT_INSECURE_NO_VERIFY) == 0;
  check_text(o->ca_file, "ca_file", false);
  if (o->ca_file) cfg.ca_file = o->ca_file;
  check_text(o->proxy, "proxy", false);
  if (o->proxy) cfg.proxy = std::string(o->proxy);
  cfg.no_proxy_env = (o->flags & (IK_CLIENT_NO_PROXY_ENV | IK_CLIENT_IGNORE_ENV)) != 0;
  if (o->max_response_bytes < 0) fail(IK_STATUS_INVALID_ARGUMENT, "max_response_bytes must not be negative");
  cfg.max_response_bytes = o->max_response_bytes == 0 ? ik_default_max_response_bytes() : o->max_response_bytes;
}

void resolve_retries(const ik_client_options *o, ClientConfig &cfg) {
  auto &r = cfg.retry;
  if (o->max_retries < -1) fail(IK_STATUS_INVALID_ARGUMENT, "max_retries must be -1 (none), 0 (default) or positive");
  r.max_retries = o->max_retries == 0 ? 2 : (o->max_retries < 0 ? 0 : std::min(o->max_retries, kMaxRetries));
  if (o->jitter < IK_JITTER_FULL || o->jitter > IK_JITTER_NONE)
    fail(IK_STATUS_INVALID_ARGUMENT, "jitter is not an IK_JITTER_* value");
  r.jitter = o->jitter;
  r.base_delay_ms = positive_or(o->retry_base_delay_ms, 500, "retry_base_delay_ms");
  r.max_delay_ms = positive_or(o->retry_max_delay_ms, 8000, "retry_max_delay_ms");
  r.max_server_wait_ms = positive_or(o->max_server_wait_ms, 60000, "max_server_wait_ms");
  if (o->server_wait_policy != IK_SERVER_WAIT_GIVE_UP && o->server_wait_policy != IK_SERVER_WAIT_CAP)
    fail(IK_STATUS_INVALID_ARGUMENT, "server_wait_policy is not an IK_SERVER_WAIT_* value");
  r.server_wait_policy = o->server_wait_policy;
  r.retry_ambiguous_posts = (o->flags & IK_CLIENT_RETRY_AMBIGUOUS_POSTS) != 0;
  r.cb = o->retry_cb;
  r.user_data = o->retry_user_data;
  r.user_data_free = o->retry_user_data_free;
}

void resolve_logging(const ik_client_options *o, bool no_env, ClientConfig &cfg) {
  auto &lg = cfg.logger;
  if (o->log_level < IK_LOG_OFF || o->log_level > IK_LOG_TRACE)
    fail(IK_STATUS_INVALID_ARGUMENT, "log_level is not an IK_LOG_* value");
  if (o->log_cb) {
    lg.cb = o->log_cb;
    lg.user_data = o->log_user_data;
    lg.user_data_free = o->log_user_data_free;
    lg.level = o->log_level == IK_LOG_OFF ? IK_LOG_INFO : o->log_level;
  } else if (!no_env) {
    int32_t lvl = IK_LOG_OFF;
    if (auto v = env("INVITEKIT_LOG", false)) lvl = std::max(lvl, level_from_text(*v));
    if (auto v = env("OPENAI_LOG", false)) lvl = std::max(lvl, level_from_text(*v));
    if (auto v = env("TWILIO_LOG_LEVEL", false)) lvl = std::max(lvl, level_from_text(*v));
    if (auto v = env("FASTLY_DEBUG_MODE", false)) {
      if (level_from_text(*v) != IK_LOG_OFF) lvl = std::max(lvl, static_cast<int32_t>(IK_LOG_DEBUG));
    }
    if (o->log_level != IK_LOG_OFF && lvl != IK_LOG_OFF) lvl = o->log_level;
    lg.level = lvl;
    lg.to_stderr = lvl != IK_LOG_OFF;
  }
}

// Non-blocking engine (version 2 fields; a version 1 struct ends before them).
void resolve_engine(const ik_client_options *o, ClientConfig &cfg) {
  if (o->version >= 2) {
    if (o->completion_mode != IK_COMPLETIONS_IO_THREAD && o->completion_mode != IK_COMPLETIONS_QUEUED &&
        o->completion_mode != IK_COMPLETIONS_IO_THREAD_RELAY)
      fail(IK_STATUS_INVALID_ARGUMENT, "completion_mode is not an IK_COMPLETIONS_* value");
    cfg.completion_mode = o->completion_mode;
    if (o->max_connections < 0) fail(IK_STATUS_INVALID_ARGUMENT, "max_connections must not be negative");
    cfg.max_connections = o->max_connections == 0 ? 64 : std::min(o->max_connections, kMaxConnections);
  }
}

}  // namespace

ClientConfig resolve_config(const ik_client_options *o) {
  ik_client_options zero{};
  zero.version = IK_CLIENT_OPTIONS_VERSION;
  if (!o) o = &zero;
  check_version(o->version, IK_CLIENT_OPTIONS_VERSION, "ik_client_options");
  const bool no_env = (o->flags & IK_CLIENT_IGNORE_ENV) != 0;
  ClientConfig cfg;
  resolve_providers(o, no_env, cfg);
  resolve_transport(o, cfg);
  resolve_retries(o, cfg);
  resolve_logging(o, no_env, cfg);
  resolve_engine(o, cfg);
  return cfg;
}

CallSettings resolve_call(const ClientConfig &cfg, const ik_call_options *o) {
  CallSettings s;
  s.connect_timeout_ms = cfg.connect_timeout_ms;
  s.attempt_timeout_ms = cfg.attempt_timeout_ms;
  s.deadline_ms = cfg.deadline_ms;
  s.max_retries = cfg.retry.max_retries;
  s.retry_ambiguous_posts = cfg.retry.retry_ambiguous_posts;
  if (!o) return s;
  check_version(o->version, IK_CALL_OPTIONS_VERSION, "ik_call_options");
  s.connect_timeout_ms = positive_or(o->connect_timeout_ms, s.connect_timeout_ms, "ik_call_options.connect_timeout_ms");
  s.attempt_timeout_ms = positive_or(o->attempt_timeout_ms, s.attempt_timeout_ms, "ik_call_options.attempt_timeout_ms");
  s.deadline_ms = positive_or(o->deadline_ms, s.deadline_ms, "ik_call_options.deadline_ms");
  if (o->max_retries < -1) fail(IK_STATUS_INVALID_ARGUMENT, "ik_call_options.max_retries must be >= -1");
  if (o->max_retries == -1) s.max_retries = 0;
  if (o->max_retries > 0) s.max_retries = std::min(o->max_retries, kMaxRetries);
  check_optbool(o->retry_ambiguous_posts, "ik_call_options.retry_ambiguous_posts");
  if (o->retry_ambiguous_posts == IK_OPTBOOL_TRUE) s.retry_ambiguous_posts = true;
  if (o->retry_ambiguous_posts == IK_OPTBOOL_FALSE) s.retry_ambiguous_posts = false;
  s.cancel = o->cancel;
  if (o->extra_headers_count && !o->extra_headers)
    fail(IK_STATUS_INVALID_ARGUMENT, "ik_call_options.extra_headers is NULL but extra_headers_count is not 0");
  for (size_t i = 0; i < o->extra_headers_count; ++i) {
    const char *h = o->extra_headers[i];
    check_text(h, "ik_call_options.extra_headers[i]", true);
    std::string_view hv(h);
    auto colon = hv.find(':');
    if (colon == std::string_view::npos || colon == 0 || hv.find_first_of("\r\n") != std::string_view::npos)
      fail(IK_STATUS_INVALID_ARGUMENT, "extra header must be \"Name: value\" on one line");
    std::string name = trim(hv.substr(0, colon));
    if (iequals(name, "authorization") || iequals(name, "fastly-key") || iequals(name, "content-type") ||
        iequals(name, "host") || iequals(name, "content-length"))
      fail(IK_STATUS_INVALID_ARGUMENT, "extra header '" + name + "' cannot be overridden");
    s.extra_headers.emplace_back(hv);
  }
  return s;
}

void Logger::log(int32_t lvl, const std::string &message, const LogFields &f) const {
  if (!enabled(lvl)) return;
  if (cb) {
    ik_log_record rec{};
    rec.version = IK_LOG_RECORD_VERSION;
    rec.level = lvl;
    rec.message = message.c_str();
    rec.provider = f.provider;
    rec.operation = f.operation;
    rec.method = f.method;
    rec.url = f.url;
    rec.http_status = f.http_status;
    rec.attempt = f.attempt;
    rec.latency_us = f.latency_us;
    rec.request_id = f.request_id;
    cb(&rec, user_data);
    return;
  }
  std::string line = "invitekit: ";
  line += ik_log_level_name(lvl);
  line += ": ";
  line += message;
  if (f.provider) line += std::string(" provider=") + ik_provider_name(f.provider);
  if (f.operation) line += std::string(" op=") + f.operation;
  if (f.attempt) line += " attempt=" + std::to_string(f.attempt);
  if (f.request_id) line += std::string(" request_id=") + f.request_id;
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace ik::detail

ik::detail::Engine &ik_client::engine() const {
  std::lock_guard<std::mutex> lk(engine_mu);
  if (closed.load(std::memory_order_acquire))
    ik::detail::fail(IK_STATUS_INVALID_ARGUMENT, "the client was freed (ik_client_free) before this call");
  if (!engine_) engine_ = std::make_unique<ik::detail::Engine>(*this);
  return *engine_;
}

void ik_client::close() {
  if (closed.exchange(true)) return;
  ik::detail::Engine *e;
  {
    std::lock_guard<std::mutex> lk(engine_mu);
    e = engine_.get();
  }
  if (e) e->shutdown();  // every callback has run (async.h); may run them here
  transport.reset();
  for (auto &p : cfg.providers) ik::detail::wipe(p.auth_header);
  auto &log = cfg.logger;
  if (log.user_data_free) log.user_data_free(log.user_data);
  log = ik::detail::Logger{};
  auto &retry = cfg.retry;
  if (retry.user_data_free) retry.user_data_free(retry.user_data);
  retry.cb = nullptr;
  retry.user_data = nullptr;
  retry.user_data_free = nullptr;
}

ik_client::~ik_client() { close(); }

void ik_client::release(const ik_client *c) {
  if (c && c->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete c;
}

void ik_cancel_token::cancel() {
  std::lock_guard<std::mutex> lk(mu);
  cancelled.store(true, std::memory_order_release);
  for (CURLM *m : waiters) curl_multi_wakeup(m);
  cv.notify_all();
}

void ik_cancel_token::attach(CURLM *m) {
  std::lock_guard<std::mutex> lk(mu);
  waiters.push_back(m);
}

void ik_cancel_token::detach(CURLM *m) {
  std::lock_guard<std::mutex> lk(mu);
  for (auto it = waiters.begin(); it != waiters.end(); ++it) {
    if (*it == m) {
      waiters.erase(it);
      break;
    }
  }
}

bool ik_cancel_token::sleep_for_ms(int64_t ms) {
  // Clamped: wait_for adds the duration to now() in nanoseconds.
  ms = std::clamp<int64_t>(ms, 0, ik::detail::kMaxSettingMs);
  std::unique_lock<std::mutex> lk(mu);
  return !cv.wait_for(lk, std::chrono::milliseconds(ms), [this] { return cancelled.load(); });
}
