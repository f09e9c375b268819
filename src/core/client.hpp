// Client configuration (options + environment, resolved once), logging,
// cancellation and per-call settings.
#pragma once

#include <invitekit/invitekit.h>

#include <array>
#include <initializer_list>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "core/error.hpp"
#include "core/validate.hpp"
#include "core/keygate.hpp"

namespace ik::detail {

class Transport;
class Engine;

// Ranges of the time and count settings (ik_client_options, ik_call_options):
// every *_ms value is clamped to 30 days, max_retries to 100.
constexpr int64_t kMaxSettingMs = int64_t{30} * 24 * 3600 * 1000;
constexpr int32_t kMaxRetries = 100;
// ik_client_options.max_connections is clamped to this.
constexpr int32_t kMaxConnections = 4096;

// Configuration helpers for the providers' resolve functions
// (ProviderTraits::resolve). pick: the explicit option (checked as UTF-8), else
// the first set environment variable (unless ignore_env), else nothing.
std::optional<std::string> pick(const char *explicit_value, const char *what, bool ignore_env,
                                std::initializer_list<const char *> env_names);
// An http(s) base URL without credentials, query or fragment, trailing '/' removed.
std::string normalise_base_url(const std::string &url, const char *what);
// A strict DNS label (letters, digits, inner '-', 1..63); the value is never echoed.
void check_host_label(const std::string &v, const char *what);

// One provider's resolved configuration (ClientConfig::providers[IK_PROVIDER_*]).
struct ProviderConfig {
  std::string base_url;     // without trailing slash
  std::string auth_header;  // full "Name: value" line, computed once; wiped on free
  bool has_credentials = false;
  std::vector<std::string> static_headers;  // e.g. "OpenAI-Organization: org"
};

// RetryPolicy, ClientConfig and CallSettings are only made by resolve_config()
// and resolve_call(), which bound every *_ms value to 0..kMaxSettingMs and
// max_retries to 0..kMaxRetries: the code that uses them (transport, backoff,
// deadlines) relies on that and does not check again.
struct RetryPolicy {
  int32_t max_retries = 2;
  int32_t jitter = IK_JITTER_FULL;
  int64_t base_delay_ms = 500;
  int64_t max_delay_ms = 8000;
  int64_t max_server_wait_ms = 60000;
  int32_t server_wait_policy = IK_SERVER_WAIT_GIVE_UP;
  bool retry_ambiguous_posts = false;
  ik_retry_cb cb = nullptr;
  void *user_data = nullptr;
  void (*user_data_free)(void *) = nullptr;
};

struct LogFields {
  int32_t provider = IK_PROVIDER_NONE;
  const char *operation = nullptr;
  const char *method = nullptr;
  const char *url = nullptr;  // must already be redacted
  int32_t http_status = 0;
  int32_t attempt = 0;
  int64_t latency_us = -1;
  const char *request_id = nullptr;
};

class Logger {
 public:
  int32_t level = IK_LOG_OFF;
  ik_log_cb cb = nullptr;
  void *user_data = nullptr;
  void (*user_data_free)(void *) = nullptr;
  bool to_stderr = false;

  bool enabled(int32_t lvl) const { return lvl <= level && (cb || to_stderr); }
  void log(int32_t lvl, const std::string &message, const LogFields &f) const;
};

struct ClientConfig {
  std::array<ProviderConfig, 4> providers;  // indexed by IK_PROVIDER_*
  std::string user_agent;
  int64_t connect_timeout_ms = 10000;
  int64_t attempt_timeout_ms = 60000;
  int64_t deadline_ms = 0;
  bool verify_tls = true;
  std::string ca_file;
  std::optional<std::string> proxy;
  bool no_proxy_env = false;
  int64_t max_response_bytes = 16 * 1024 * 1024;
  RetryPolicy retry;
  Logger logger;
  int32_t completion_mode = IK_COMPLETIONS_IO_THREAD;  // non-blocking engine (core/engine.hpp)
  int32_t max_connections = 64;

  const ProviderConfig &provider(int32_t p) const { return providers.at(static_cast<size_t>(p)); }
};

// Resolves options + environment into a config (explicit > env > default).
ClientConfig resolve_config(const ik_client_options *opts);

// Per-call settings: the client's values with ik_call_options applied.
struct CallSettings {
  int64_t connect_timeout_ms = 0;
  int64_t attempt_timeout_ms = 0;
  int64_t deadline_ms = 0;
  int32_t max_retries = 0;
  bool retry_ambiguous_posts = false;
  ik_cancel_token *cancel = nullptr;
  std::vector<std::string> extra_headers;
};
CallSettings resolve_call(const ClientConfig &cfg, const ik_call_options *opts);

}  // namespace ik::detail

// The client. Reference-counted so that any free order is safe (client.h,
// rule 7): ik_client_free closes it (connections, secrets, callbacks' user
// data) and drops the caller's reference; every pager holds one more.
struct ik_client {
  ik::detail::ClientConfig cfg;
  std::unique_ptr<ik::detail::Transport> transport;
  mutable std::atomic<int32_t> refs{1};
  std::atomic<bool> closed{false};
  // Serializes the ensure calls (blocking and non-blocking) of this client
  // for the same person (core/ensure.hpp).
  mutable ik::detail::KeyGate ensure_gate;
  // The non-blocking engine (core/engine.hpp), created on first use; shut
  // down by close() before the transport goes.
  mutable std::mutex engine_mu;
  mutable std::unique_ptr<ik::detail::Engine> engine_;
  ik::detail::Engine &engine() const;  // throws INVALID_ARGUMENT once closed

  const ik_client *retain() const {
    refs.fetch_add(1, std::memory_order_relaxed);
    return this;
  }
  // Drops one reference; the last one deletes the client. NULL-safe.
  static void release(const ik_client *c);
  // Closes the client once: later calls through a pager fail with INVALID_ARGUMENT.
  void close();
  ~ik_client();
};

// Cancellation: a flag plus the multi handles of the calls waiting on it, so
// that cancel() can wake them (curl_multi_wakeup) and backoff sleeps (cv).
struct ik_cancel_token {
  std::atomic<bool> cancelled{false};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<CURLM *> waiters;

  void cancel();
  void attach(CURLM *m);
  void detach(CURLM *m);
  // Sleeps up to ms; returns false if cancelled.
  bool sleep_for_ms(int64_t ms);
};
