#include "core/retry.hpp"

#include "core/encoding.hpp"

namespace ik::detail {

namespace {
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
}  // namespace

Verdict classify_curl(CURLcode code, bool sent, Method method) {
  Verdict v;
  v.status = status_for_curl(code);
  v.retryable = curl_retryable(code);
  v.not_reached = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY ||
                  code == CURLE_COULDNT_CONNECT || !sent;
  v.ambiguous = method == Method::Post && !v.not_reached;
  return v;
}

Verdict classify_http(int32_t s, const char *should_retry, Method method, const ProviderTraits &traits,
                      const ErrorInfo &parsed) {
  Verdict v;
  v.status = status_for_http(s);
  v.retryable = s == 408 || s == 429 || (s >= 500 && s <= 599) || (s == 409 && traits.retry_409);
  if (s == 429 && traits.non_retryable_429 && traits.non_retryable_429(parsed)) v.retryable = false;
  if (should_retry) {
    if (iequals(trim(should_retry), "true")) v.retryable = true;
    if (iequals(trim(should_retry), "false")) v.retryable = false;
  }
  // A create is safe to repeat only when the server provably did not act.
  v.not_reached = s == 429 || s == 503;
  v.ambiguous = method == Method::Post && (s == 408 || s == 500 || s == 502 || s == 504);
  return v;
}

RetryDecision decide_retry(const RetryInput &in) {
  RetryDecision d;
  if (!in.verdict.retryable) return d;
  if (in.create && !in.verdict.not_reached && !in.retry_ambiguous_posts) return d;
  if (in.attempt > in.max_retries) return d;
  d.server_directed = in.server_delay_ms >= 0;
  int64_t delay = in.backoff_ms;
  if (d.server_directed) {
    delay = in.server_delay_ms;
    if (delay > in.max_server_wait_ms) {
      if (in.server_wait_policy == IK_SERVER_WAIT_GIVE_UP) {
        d.note = " (server asked to wait " + std::to_string(delay) + " ms, more than max_server_wait_ms)";
        return d;
      }
      delay = in.max_server_wait_ms;
    }
  }
  // delay is at most ~100 years (server_delay_ms clamps) or kMaxSettingMs:
  // delay * 1000 cannot overflow.
  if (in.deadline_us != INT64_MAX && in.now_us + delay * 1000 >= in.deadline_us) {
    d.note = " (no retry: the wait of " + std::to_string(delay) + " ms would pass the deadline)";
    d.clear_retryable = d.server_directed && in.http_status == 429;
    return d;
  }
  d.retry = true;
  d.delay_ms = delay;
  return d;
}

}  // namespace ik::detail
