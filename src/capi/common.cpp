// Status strings, providers, buffers, versions, features, global init, error
// accessors.
#include <curl/curl.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "capi/accessors.hpp"
#include "capi/guard.hpp"
#include "core/encoding.hpp"

using namespace ik::detail;

namespace ik::detail {
namespace {
std::once_flag g_init_once;
CURLcode g_init_result = CURLE_OK;
std::atomic<int64_t> g_init_refs{0};
}  // namespace

void global_init_once() {
  std::call_once(g_init_once, [] { g_init_result = curl_global_init(CURL_GLOBAL_ALL); });
  if (g_init_result != CURLE_OK) {
    fail(IK_STATUS_INTERNAL, std::string("curl_global_init failed: ") + curl_easy_strerror(g_init_result));
  }
}
}  // namespace ik::detail

extern "C" {

IK_API const char *ik_status_str(ik_status s) {
  switch (s) {
    case IK_STATUS_OK: return "success";
    case IK_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case IK_STATUS_INVALID_UTF8: return "invalid UTF-8 in an input string";
    case IK_STATUS_NO_MEMORY: return "out of memory";
    case IK_STATUS_TRANSPORT: return "network error";
    case IK_STATUS_TLS: return "TLS error";
    case IK_STATUS_TIMEOUT: return "timed out";
    case IK_STATUS_CANCELLED: return "cancelled";
    case IK_STATUS_BAD_REQUEST: return "bad request (HTTP 400)";
    case IK_STATUS_AUTHENTICATION: return "authentication failed (HTTP 401)";
    case IK_STATUS_PERMISSION_DENIED: return "permission denied (HTTP 403)";
    case IK_STATUS_NOT_FOUND: return "not found (HTTP 404)";
    case IK_STATUS_CONFLICT: return "conflict (HTTP 409)";
    case IK_STATUS_UNPROCESSABLE: return "unprocessable request (HTTP 422)";
    case IK_STATUS_RATE_LIMITED: return "rate limited (HTTP 429)";
    case IK_STATUS_SERVER_ERROR: return "server error (HTTP 5xx)";
    case IK_STATUS_HTTP_OTHER: return "unexpected HTTP status";
    case IK_STATUS_PARSE: return "malformed response";
    case IK_STATUS_RESPONSE_TOO_LARGE: return "response too large";
    case IK_STATUS_NO_CREDENTIALS: return "no credentials configured";
    case IK_STATUS_UNSUPPORTED: return "not supported";
    case IK_STATUS_INTERNAL: return "internal error";
    case IK_STATUS_WOULD_BLOCK: return "would block";
    default: return "unknown status";
  }
}

IK_API const char *ik_status_name(ik_status s) {
  switch (s) {
    case IK_STATUS_OK: return "IK_STATUS_OK";
    case IK_STATUS_INVALID_ARGUMENT: return "IK_STATUS_INVALID_ARGUMENT";
    case IK_STATUS_INVALID_UTF8: return "IK_STATUS_INVALID_UTF8";
    case IK_STATUS_NO_MEMORY: return "IK_STATUS_NO_MEMORY";
    case IK_STATUS_TRANSPORT: return "IK_STATUS_TRANSPORT";
    case IK_STATUS_TLS: return "IK_STATUS_TLS";
    case IK_STATUS_TIMEOUT: return "IK_STATUS_TIMEOUT";
    case IK_STATUS_CANCELLED: return "IK_STATUS_CANCELLED";
    case IK_STATUS_BAD_REQUEST: return "IK_STATUS_BAD_REQUEST";
    case IK_STATUS_AUTHENTICATION: return "IK_STATUS_AUTHENTICATION";
    case IK_STATUS_PERMISSION_DENIED: return "IK_STATUS_PERMISSION_DENIED";
    case IK_STATUS_NOT_FOUND: return "IK_STATUS_NOT_FOUND";
    case IK_STATUS_CONFLICT: return "IK_STATUS_CONFLICT";
    case IK_STATUS_UNPROCESSABLE: return "IK_STATUS_UNPROCESSABLE";
    case IK_STATUS_RATE_LIMITED: return "IK_STATUS_RATE_LIMITED";
    case IK_STATUS_SERVER_ERROR: return "IK_STATUS_SERVER_ERROR";
    case IK_STATUS_HTTP_OTHER: return "IK_STATUS_HTTP_OTHER";
    case IK_STATUS_PARSE: return "IK_STATUS_PARSE";
    case IK_STATUS_RESPONSE_TOO_LARGE: return "IK_STATUS_RESPONSE_TOO_LARGE";
    case IK_STATUS_NO_CREDENTIALS: return "IK_STATUS_NO_CREDENTIALS";
    case IK_STATUS_UNSUPPORTED: return "IK_STATUS_UNSUPPORTED";
    case IK_STATUS_INTERNAL: return "IK_STATUS_INTERNAL";
    case IK_STATUS_WOULD_BLOCK: return "IK_STATUS_WOULD_BLOCK";
    default: return "IK_STATUS_UNKNOWN";
  }
}

IK_API const char *ik_provider_name(int32_t provider) {
  switch (provider) {
    case IK_PROVIDER_TWILIO: return "twilio";
    case IK_PROVIDER_OPENAI: return "openai";
    case IK_PROVIDER_FASTLY: return "fastly";
    default: return "none";
  }
}

IK_API const char *ik_ensure_outcome_name(int32_t outcome) {
  switch (outcome) {
    case IK_ENSURE_PRESENT: return "present";
    case IK_ENSURE_PRESENT_DIFFERENT: return "present_different";
    case IK_ENSURE_CREATED: return "created";
    case IK_ENSURE_RECOVERED: return "recovered";
    default: return "unknown";
  }
}

IK_API const char *ik_log_level_name(int32_t level) {
  switch (level) {
    case IK_LOG_ERROR: return "error";
    case IK_LOG_WARN: return "warn";
    case IK_LOG_INFO: return "info";
    case IK_LOG_DEBUG: return "debug";
    case IK_LOG_TRACE: return "trace";
    default: return "off";
  }
}

IK_API void ik_buf_init(ik_buf *buf) {
  if (!buf) return;
  buf->data = nullptr;
  buf->len = 0;
  buf->reserved = 0;
}

IK_API void ik_buf_dispose(ik_buf *buf) {
  if (!buf) return;
  if (buf->data) {
    explicit_bzero(buf->data, buf->len);
    std::free(buf->data);
  }
  ik_buf_init(buf);
}

IK_API const char *ik_version_string(void) { return IK_VERSION_STRING; }
IK_API int32_t ik_version_number(void) { return IK_VERSION_NUMBER; }
IK_API void ik_version(int32_t *major, int32_t *minor, int32_t *patch) {
  if (major) *major = IK_VERSION_MAJOR;
  if (minor) *minor = IK_VERSION_MINOR;
  if (patch) *patch = IK_VERSION_PATCH;
}
IK_API const char *ik_abi_version(void) { return IK_ABI_VERSION; }

IK_API uint32_t ik_features(void) {
  uint32_t f = IK_FEATURE_THREADS;
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  if (v) {
    if (v->features & CURL_VERSION_SSL) f |= IK_FEATURE_HTTPS;
    if (v->features & CURL_VERSION_HTTP2) f |= IK_FEATURE_HTTP2;
    if (v->features & CURL_VERSION_ASYNCHDNS) f |= IK_FEATURE_ASYNCH_DNS;
  }
  return f;
}

IK_API const char *ik_libcurl_version(void) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  return v && v->version ? v->version : "unknown";
}

IK_API ik_status ik_global_init(ik_error **out_err) {
  return guard(out_err, [&] {
    global_init_once();
    g_init_refs.fetch_add(1);
  });
}

IK_API void ik_global_cleanup(void) {
  int64_t v = g_init_refs.load();
  while (v > 0 && !g_init_refs.compare_exchange_weak(v, v - 1)) {
  }
}

IK_API int64_t ik_default_max_response_bytes(void) { return 16 * 1024 * 1024; }

// ---- ik_error ----

IK_API ik_status ik_error_status(const ik_error *err) { return err ? err->e.status : IK_STATUS_OK; }
IK_API const char *ik_error_message(const ik_error *err) { return err ? err->e.message.c_str() : nullptr; }
IK_API int32_t ik_error_http_status(const ik_error *err) { return err ? err->e.http_status : 0; }
IK_API int32_t ik_error_provider(const ik_error *err) { return err ? err->e.provider : IK_PROVIDER_NONE; }
IK_API const char *ik_error_operation(const ik_error *err) {
  return err && !err->e.operation.empty() ? err->e.operation.c_str() : nullptr;
}
IK_API const char *ik_error_provider_code(const ik_error *err) {
  return err && err->e.has_provider_code ? err->e.provider_code.c_str() : nullptr;
}
IK_API const char *ik_error_provider_message(const ik_error *err) {
  return err && err->e.has_provider_message ? err->e.provider_message.c_str() : nullptr;
}
IK_API const char *ik_error_field(const ik_error *err, const char *name) {
  if (!err || !name) return nullptr;
  const std::string *v = err->e.field(name);
  return v ? v->c_str() : nullptr;
}
IK_API size_t ik_error_field_count(const ik_error *err) { return err ? err->e.fields.size() : 0; }
IK_API int32_t ik_error_field_at(const ik_error *err, size_t i, const char **name, const char **value) {
  const bool ok = err && i < err->e.fields.size();
  if (name) *name = ok ? err->e.fields[i].first.c_str() : nullptr;
  if (value) *value = ok ? err->e.fields[i].second.c_str() : nullptr;
  return ok ? 1 : 0;
}
IK_API const char *ik_error_request_id(const ik_error *err) {
  return err && err->e.has_request_id ? err->e.request_id.c_str() : nullptr;
}
IK_API const char *ik_error_header(const ik_error *err, const char *name) {
  if (!err || !name) return nullptr;
  return err->e.headers.find(name);
}
IK_API size_t ik_error_header_count(const ik_error *err) { return err ? err->e.headers.size() : 0; }
IK_API int32_t ik_error_header_at(const ik_error *err, size_t i, const char **name, const char **value) {
  const bool ok = err && i < err->e.headers.size();
  if (name) *name = ok ? err->e.headers.name_at(i) : nullptr;
  if (value) *value = ok ? err->e.headers.value_at(i) : nullptr;
  return ok ? 1 : 0;
}
IK_API int32_t ik_error_retry_after_ms(const ik_error *err, int64_t *out) {
  if (!err || err->e.retry_after_ms < 0) return 0;
  if (out) *out = err->e.retry_after_ms;
  return 1;
}
IK_API int32_t ik_error_cancelled_by(const ik_error *err) {
  return err && err->e.status == IK_STATUS_CANCELLED ? err->e.cancelled_by : IK_CANCELLED_BY_NONE;
}
IK_API int32_t ik_error_is_retryable(const ik_error *err) { return err && err->e.retryable ? 1 : 0; }
IK_API int32_t ik_error_is_ambiguous(const ik_error *err) { return err && err->e.ambiguous ? 1 : 0; }
IK_API int32_t ik_error_attempts(const ik_error *err) { return err ? err->e.attempts : 0; }
IK_API int32_t ik_error_transport_code(const ik_error *err) { return err ? err->e.transport_code : 0; }
IK_API int32_t ik_error_body(const ik_error *err, const uint8_t **data, size_t *len) {
  return err ? bytes_of(err->e.has_body, err->e.body, data, len) : bytes_of(false, {}, data, len);
}
IK_API void ik_error_free(ik_error *err) { delete err; }

}  // extern "C"

namespace ik::detail {
void fill_buf(ik_buf *out, const std::string &s) {
  auto *p = static_cast<uint8_t *>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = 0;
  out->data = p;
  out->len = s.size();
  out->reserved = s.size() + 1;
}
}  // namespace ik::detail
