// Client, options, cancel tokens, call/list options and ik_response.
#include <cstring>

#include "capi/accessors.hpp"
#include "capi/guard.hpp"
#include "core/encoding.hpp"
#include "core/engine.hpp"
#include "core/transport.hpp"
#include "core/types.hpp"

using namespace ik::detail;

extern "C" {

IK_API ik_status ik_client_options_init(ik_client_options *opts, uint32_t version, ik_error **out_err) {
  return init_struct(opts, version, IK_CLIENT_OPTIONS_VERSION, "ik_client_options", out_err);
}
IK_API uint32_t ik_client_options_version(void) { return IK_CLIENT_OPTIONS_VERSION; }

IK_API ik_status ik_call_options_init(ik_call_options *opts, uint32_t version, ik_error **out_err) {
  return init_struct(opts, version, IK_CALL_OPTIONS_VERSION, "ik_call_options", out_err);
}
IK_API uint32_t ik_call_options_version(void) { return IK_CALL_OPTIONS_VERSION; }

IK_API ik_status ik_list_options_init(ik_list_options *opts, uint32_t version, ik_error **out_err) {
  return init_struct(opts, version, IK_LIST_OPTIONS_VERSION, "ik_list_options", out_err);
}
IK_API uint32_t ik_list_options_version(void) { return IK_LIST_OPTIONS_VERSION; }

IK_API ik_status ik_client_new(const ik_client_options *opts, ik_client **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    global_init_once();
    auto client = std::make_unique<ik_client>();
    client->cfg = resolve_config(opts);
    try {
      client->transport = std::make_unique<Transport>(client->cfg);
    } catch (...) {
      // client.h: on failure the caller keeps its callbacks' user data.
      client->cfg.logger.user_data_free = nullptr;
      client->cfg.retry.user_data_free = nullptr;
      throw;
    }
    *out = client.release();
  });
}

IK_API void ik_client_free(ik_client *client) {
  if (!client) return;
  client->close();
  ik_client::release(client);
}

IK_API const char *ik_client_base_url(const ik_client *client, int32_t provider) {
  if (!client || provider < IK_PROVIDER_TWILIO || provider > IK_PROVIDER_FASTLY) return nullptr;
  return client->cfg.provider(provider).base_url.c_str();
}

IK_API int32_t ik_client_has_credentials(const ik_client *client, int32_t provider) {
  if (!client || provider < IK_PROVIDER_TWILIO || provider > IK_PROVIDER_FASTLY) return 0;
  return client->cfg.provider(provider).has_credentials ? 1 : 0;
}

IK_API int64_t ik_client_connections_opened(const ik_client *client) {
  return client ? client->transport->connections_opened() : 0;
}

// ---- cancel tokens ----

IK_API ik_status ik_cancel_token_new(ik_cancel_token **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    global_init_once();  // cancel() calls curl_multi_wakeup
    *out = new ik_cancel_token();
  });
}
IK_API void ik_cancel_token_cancel(ik_cancel_token *token) {
  if (token) token->cancel();
}
IK_API int32_t ik_cancel_token_is_cancelled(const ik_cancel_token *token) {
  return token && token->cancelled.load() ? 1 : 0;
}
IK_API void ik_cancel_token_reset(ik_cancel_token *token) {
  if (token) token->cancelled.store(false);
}
IK_API void ik_cancel_token_free(ik_cancel_token *token) { delete token; }

// ---- ik_response ----

IK_API int32_t ik_response_http_status(const ik_response *r) { return r ? r->http_status : 0; }
IK_API int32_t ik_response_provider(const ik_response *r) { return r ? r->provider : IK_PROVIDER_NONE; }
IK_API const char *ik_response_request_id(const ik_response *r) { return r ? r->request_id.c() : nullptr; }
IK_API const char *ik_response_header(const ik_response *r, const char *name) {
  if (!r || !name) return nullptr;
  return r->headers.find(name);
}
IK_API size_t ik_response_header_count(const ik_response *r) { return r ? r->headers.size() : 0; }
IK_API int32_t ik_response_header_at(const ik_response *r, size_t i, const char **name, const char **value) {
  const bool ok = r && i < r->headers.size();
  if (name) *name = ok ? r->headers.name_at(i) : nullptr;
  if (value) *value = ok ? r->headers.value_at(i) : nullptr;
  return ok ? 1 : 0;
}

namespace {
int32_t header_int(const ik_response *r, std::initializer_list<const char *> names, int64_t *out) {
  if (!r) return 0;
  for (const char *n : names) {
    if (const char *v = r->headers.find(n)) {
      if (auto x = parse_int(trim_view(v))) {
        if (out) *out = *x;
        return 1;
      }
    }
  }
  return 0;
}
}  // namespace

IK_API int32_t ik_response_ratelimit_remaining(const ik_response *r, int64_t *out) {
  return header_int(r, {"fastly-ratelimit-remaining", "x-ratelimit-remaining-requests", "x-ratelimit-remaining"}, out);
}
IK_API int32_t ik_response_ratelimit_reset_unix(const ik_response *r, int64_t *out) {
  return header_int(r, {"fastly-ratelimit-reset"}, out);
}
IK_API int32_t ik_response_attempts(const ik_response *r) { return r ? r->attempts : 0; }
IK_API int64_t ik_response_elapsed_us(const ik_response *r) { return r ? r->elapsed_us : 0; }
IK_API int32_t ik_response_body(const ik_response *r, const uint8_t **data, size_t *len) {
  return r ? bytes_of(!r->body.empty(), r->body, data, len) : bytes_of(false, {}, data, len);
}

// ---- ik_deletion ----

IK_API int32_t ik_deletion_kind(const ik_deletion *d) { return d ? d->kind : IK_KIND_NONE; }
IK_STR_ACCESSOR(ik_deletion_id, ik_deletion, id)
IK_API ik_optbool ik_deletion_deleted(const ik_deletion *d) { return d ? d->deleted : IK_OPTBOOL_UNSET; }
IK_STR_ACCESSOR(ik_deletion_object, ik_deletion, object)
IK_API int32_t ik_deletion_raw_json(const ik_deletion *d, const uint8_t **data, size_t *len) {
  return d ? bytes_of(!d->raw.empty(), d->raw, data, len) : bytes_of(false, {}, data, len);
}
IK_API const ik_response *ik_deletion_response(const ik_deletion *d) { return d ? d->resp.get() : nullptr; }
IK_API void ik_deletion_free(ik_deletion *d) { delete d; }

// ---- output struct versions ----

IK_API uint32_t ik_log_record_version(void) { return IK_LOG_RECORD_VERSION; }
IK_API uint32_t ik_retry_info_version(void) { return IK_RETRY_INFO_VERSION; }

}  // extern "C"
