/* shim.c - fused readers and callback trampolines of the Go binding (see shim.h). */
#include <string.h>

#include "shim.h"
#include "_cgo_export.h"

static ikgo_str S(const char *p) {
  ikgo_str s;
  s.p = p;
  s.n = p ? strlen(p) : 0;
  return s;
}

static ikgo_opt_int none_int(void) {
  ikgo_opt_int o = {0, 0};
  return o;
}

void ikgo_response_read(const ik_response *r, ikgo_response_view *v) {
  memset(v, 0, sizeof *v);
  if (!r) return;
  v->http_status = ik_response_http_status(r);
  v->provider = ik_response_provider(r);
  v->attempts = ik_response_attempts(r);
  v->elapsed_us = ik_response_elapsed_us(r);
  v->ratelimit_remaining.ok = ik_response_ratelimit_remaining(r, &v->ratelimit_remaining.v);
  v->ratelimit_reset_unix.ok = ik_response_ratelimit_reset_unix(r, &v->ratelimit_reset_unix.v);
  v->request_id = S(ik_response_request_id(r));
  {
    const uint8_t *d = NULL;
    size_t n = 0;
    if (ik_response_body(r, &d, &n)) {
      v->body.p = (const char *)d;
      v->body.n = n;
    }
  }
  v->header_count = ik_response_header_count(r);
  for (size_t i = 0; i < v->header_count && i < IKGO_INLINE_HEADERS; i++) {
    const char *name = NULL, *value = NULL;
    ik_response_header_at(r, i, &name, &value);
    v->header_name[i] = S(name);
    v->header_value[i] = S(value);
  }
}

void ikgo_error_read(const ik_error *e, ikgo_error_view *v) {
  memset(v, 0, sizeof *v);
  if (!e) return;
  v->status = ik_error_status(e);
  v->http_status = ik_error_http_status(e);
  v->provider = ik_error_provider(e);
  v->retryable = ik_error_is_retryable(e);
  v->ambiguous = ik_error_is_ambiguous(e);
  v->attempts = ik_error_attempts(e);
  v->transport_code = ik_error_transport_code(e);
  v->cancelled_by = ik_error_cancelled_by(e);
  v->retry_after_ms.ok = ik_error_retry_after_ms(e, &v->retry_after_ms.v);
  v->message = S(ik_error_message(e));
  v->operation = S(ik_error_operation(e));
  v->provider_code = S(ik_error_provider_code(e));
  v->provider_message = S(ik_error_provider_message(e));
  v->request_id = S(ik_error_request_id(e));
  {
    const uint8_t *d = NULL;
    size_t n = 0;
    v->has_body = ik_error_body(e, &d, &n);
    v->body.p = (const char *)d;
    v->body.n = n;
  }
  v->header_count = ik_error_header_count(e);
  v->field_count = ik_error_field_count(e);
  for (size_t i = 0; i < v->field_count && i < IKGO_INLINE_FIELDS; i++) {
    const char *name = NULL, *value = NULL;
    ik_error_field_at(e, i, &name, &value);
    v->field_name[i] = S(name);
    v->field_value[i] = S(value);
  }
}

void ikgo_deletion_read(const ik_deletion *d, int32_t *kind, ikgo_str *id, int32_t *deleted, ikgo_str *object,
                        ikgo_str *raw, const ik_response **resp) {
  const uint8_t *p = NULL;
  size_t n = 0;
  *kind = ik_deletion_kind(d);
  *id = S(ik_deletion_id(d));
  *deleted = ik_deletion_deleted(d);
  *object = S(ik_deletion_object(d));
  raw->p = NULL;
  raw->n = 0;
  if (ik_deletion_raw_json(d, &p, &n)) {
    raw->p = (const char *)p;
    raw->n = n;
  }
  *resp = ik_deletion_response(d);
}

void ikgo_page_read(const ik_page *p, ikgo_page_view *v) {
  const uint8_t *d = NULL;
  size_t n = 0;
  memset(v, 0, sizeof *v);
  v->kind = ik_page_kind(p);
  v->count = ik_page_count(p);
  v->has_more = ik_page_has_more(p);
  v->next_cursor = S(ik_page_next_cursor(p));
  if (ik_page_raw_json(p, &d, &n)) {
    v->raw.p = (const char *)d;
    v->raw.n = n;
  }
  v->resp = ik_page_response(p);
}

#define RAW(fn, x, v)                      \
  do {                                     \
    const uint8_t *d_ = NULL;              \
    size_t n_ = 0;                         \
    if (fn(x, &d_, &n_)) {                 \
      (v)->raw.p = (const char *)d_;       \
      (v)->raw.n = n_;                     \
    }                                      \
  } while (0)

#define OPTINT(fn, x, dst) ((dst).ok = fn(x, &(dst).v))

void ikgo_openai_invite_read(const ik_openai_invite *x, ikgo_openai_invite_view *v) {
  memset(v, 0, sizeof *v);
  v->object = S(ik_openai_invite_object(x));
  v->id = S(ik_openai_invite_id(x));
  v->email = S(ik_openai_invite_email(x));
  v->role = S(ik_openai_invite_role(x));
  v->status = S(ik_openai_invite_status(x));
  OPTINT(ik_openai_invite_created_at_unix, x, v->created_at);
  OPTINT(ik_openai_invite_expires_at_unix, x, v->expires_at);
  OPTINT(ik_openai_invite_accepted_at_unix, x, v->accepted_at);
  v->has_projects = ik_openai_invite_has_projects(x);
  v->project_count = ik_openai_invite_project_count(x);
  for (size_t i = 0; i < v->project_count && i < IKGO_INLINE_LIST; i++) {
    const char *id = NULL, *role = NULL;
    ik_openai_invite_project_at(x, i, &id, &role);
    v->project_id[i] = S(id);
    v->project_role[i] = S(role);
  }
  RAW(ik_openai_invite_raw_json, x, v);
  v->resp = ik_openai_invite_response(x);
  v->self = x;
}

void ikgo_twilio_invite_read(const ik_twilio_invite *x, ikgo_twilio_invite_view *v) {
  memset(v, 0, sizeof *v);
  v->sid = S(ik_twilio_invite_sid(x));
  v->account_sid = S(ik_twilio_invite_account_sid(x));
  v->channel_sid = S(ik_twilio_invite_channel_sid(x));
  v->service_sid = S(ik_twilio_invite_service_sid(x));
  v->identity = S(ik_twilio_invite_identity(x));
  v->role_sid = S(ik_twilio_invite_role_sid(x));
  v->created_by = S(ik_twilio_invite_created_by(x));
  v->url = S(ik_twilio_invite_url(x));
  v->date_created = S(ik_twilio_invite_date_created(x));
  v->date_updated = S(ik_twilio_invite_date_updated(x));
  OPTINT(ik_twilio_invite_date_created_unix, x, v->date_created_unix);
  OPTINT(ik_twilio_invite_date_updated_unix, x, v->date_updated_unix);
  RAW(ik_twilio_invite_raw_json, x, v);
  v->resp = ik_twilio_invite_response(x);
}

void ikgo_twilio_user_read(const ik_twilio_user *x, ikgo_twilio_user_view *v) {
  memset(v, 0, sizeof *v);
  v->sid = S(ik_twilio_user_sid(x));
  v->account_sid = S(ik_twilio_user_account_sid(x));
  v->service_sid = S(ik_twilio_user_service_sid(x));
  v->attributes = S(ik_twilio_user_attributes(x));
  v->friendly_name = S(ik_twilio_user_friendly_name(x));
  v->role_sid = S(ik_twilio_user_role_sid(x));
  v->identity = S(ik_twilio_user_identity(x));
  v->is_online = ik_twilio_user_is_online(x);
  v->is_notifiable = ik_twilio_user_is_notifiable(x);
  v->date_created = S(ik_twilio_user_date_created(x));
  v->date_updated = S(ik_twilio_user_date_updated(x));
  OPTINT(ik_twilio_user_date_created_unix, x, v->date_created_unix);
  OPTINT(ik_twilio_user_date_updated_unix, x, v->date_updated_unix);
  OPTINT(ik_twilio_user_joined_channels_count, x, v->joined_channels_count);
  v->link_user_channels = S(ik_twilio_user_link_user_channels(x));
  v->link_user_bindings = S(ik_twilio_user_link_user_bindings(x));
  v->url = S(ik_twilio_user_url(x));
  RAW(ik_twilio_user_raw_json, x, v);
  v->resp = ik_twilio_user_response(x);
}

void ikgo_fastly_invitation_read(const ik_fastly_invitation *x, ikgo_fastly_invitation_view *v) {
  memset(v, 0, sizeof *v);
  v->id = S(ik_fastly_invitation_id(x));
  v->type = S(ik_fastly_invitation_type(x));
  v->email = S(ik_fastly_invitation_email(x));
  v->role = S(ik_fastly_invitation_role(x));
  v->limit_services = ik_fastly_invitation_limit_services(x);
  v->role_count = ik_fastly_invitation_role_count(x);
  for (size_t i = 0; i < v->role_count && i < IKGO_INLINE_LIST; i++) v->roles[i] = S(ik_fastly_invitation_role_at(x, i));
  OPTINT(ik_fastly_invitation_status_code, x, v->status_code);
  v->created_at = S(ik_fastly_invitation_created_at(x));
  v->updated_at = S(ik_fastly_invitation_updated_at(x));
  v->deleted_at = S(ik_fastly_invitation_deleted_at(x));
  OPTINT(ik_fastly_invitation_created_at_unix, x, v->created_at_unix);
  OPTINT(ik_fastly_invitation_updated_at_unix, x, v->updated_at_unix);
  OPTINT(ik_fastly_invitation_deleted_at_unix, x, v->deleted_at_unix);
  v->customer_id = S(ik_fastly_invitation_customer_id(x));
  v->service_invitation_count = ik_fastly_invitation_service_invitation_count(x);
  for (size_t i = 0; i < v->service_invitation_count && i < IKGO_INLINE_LIST; i++)
    v->service_invitations[i] = S(ik_fastly_invitation_service_invitation_at(x, i));
  RAW(ik_fastly_invitation_raw_json, x, v);
  v->resp = ik_fastly_invitation_response(x);
  v->self = x;
}

static void generic_read(const ik_page *p, size_t i, ikgo_str typed_id, ikgo_str typed_raw, ikgo_generic_view *g) {
  const uint8_t *d = NULL;
  size_t n = 0;
  g->id = S(ik_page_item_id(p, i));
  g->matches_typed = 0;
  if (!ik_page_item_raw_json(p, i, &d, &n)) return;
  if ((g->id.p == NULL) != (typed_id.p == NULL)) return;
  if (g->id.p && strcmp(g->id.p, typed_id.p) != 0) return;
  if (n != typed_raw.n || (n && memcmp(d, typed_raw.p, n) != 0)) return;
  g->matches_typed = 1;
}

int32_t ikgo_page_openai_invite_read(const ik_page *p, size_t i, ikgo_openai_invite_view *v, ikgo_generic_view *g) {
  const ik_openai_invite *x = ik_page_openai_invite_at(p, i);
  if (!x) return 0;
  ikgo_openai_invite_read(x, v);
  generic_read(p, i, v->id, v->raw, g);
  return 1;
}

int32_t ikgo_page_twilio_invite_read(const ik_page *p, size_t i, ikgo_twilio_invite_view *v, ikgo_generic_view *g) {
  const ik_twilio_invite *x = ik_page_twilio_invite_at(p, i);
  if (!x) return 0;
  ikgo_twilio_invite_read(x, v);
  generic_read(p, i, v->sid, v->raw, g);
  return 1;
}

int32_t ikgo_page_twilio_user_read(const ik_page *p, size_t i, ikgo_twilio_user_view *v, ikgo_generic_view *g) {
  const ik_twilio_user *x = ik_page_twilio_user_at(p, i);
  if (!x) return 0;
  ikgo_twilio_user_read(x, v);
  generic_read(p, i, v->sid, v->raw, g);
  return 1;
}

int32_t ikgo_page_fastly_invitation_read(const ik_page *p, size_t i, ikgo_fastly_invitation_view *v,
                                         ikgo_generic_view *g) {
  const ik_fastly_invitation *x = ik_page_fastly_invitation_at(p, i);
  if (!x) return 0;
  ikgo_fastly_invitation_read(x, v);
  generic_read(p, i, v->id, v->raw, g);
  return 1;
}

ik_status ikgo_pager_next_openai_invite(ik_pager *p, const ik_call_options *co, ik_openai_invite *prev, ik_openai_invite **out,
                                   ikgo_openai_invite_view *v, ik_error **err) {
  ik_status st = ik_pager_next_openai_invite(p, co, out, err);
  if (st == IK_STATUS_OK) {
    if (*out) ikgo_openai_invite_read(*out, v);
    ik_openai_invite_free(prev);
  }
  return st;
}

ik_status ikgo_pager_next_twilio_invite(ik_pager *p, const ik_call_options *co, ik_twilio_invite *prev, ik_twilio_invite **out,
                                   ikgo_twilio_invite_view *v, ik_error **err) {
  ik_status st = ik_pager_next_twilio_invite(p, co, out, err);
  if (st == IK_STATUS_OK) {
    if (*out) ikgo_twilio_invite_read(*out, v);
    ik_twilio_invite_free(prev);
  }
  return st;
}

ik_status ikgo_pager_next_twilio_user(ik_pager *p, const ik_call_options *co, ik_twilio_user *prev, ik_twilio_user **out,
                                   ikgo_twilio_user_view *v, ik_error **err) {
  ik_status st = ik_pager_next_twilio_user(p, co, out, err);
  if (st == IK_STATUS_OK) {
    if (*out) ikgo_twilio_user_read(*out, v);
    ik_twilio_user_free(prev);
  }
  return st;
}

ik_status ikgo_pager_next_fastly_invitation(ik_pager *p, const ik_call_options *co, ik_fastly_invitation *prev, ik_fastly_invitation **out,
                                   ikgo_fastly_invitation_view *v, ik_error **err) {
  ik_status st = ik_pager_next_fastly_invitation(p, co, out, err);
  if (st == IK_STATUS_OK) {
    if (*out) ikgo_fastly_invitation_read(*out, v);
    ik_fastly_invitation_free(prev);
  }
  return st;
}


/* ---- callbacks ---- */

static __thread uintptr_t ikgo_current_call;

void ikgo_set_call(uintptr_t handle) { ikgo_current_call = handle; }

static int32_t ikgo_retry_cb(const ik_retry_info *info, void *user_data) {
  return goRetryTrampoline((ik_retry_info *)info, (uintptr_t)user_data, ikgo_current_call);
}

static void ikgo_log_cb(const ik_log_record *rec, void *user_data) {
  goLogTrampoline((ik_log_record *)rec, (uintptr_t)user_data);
}

static void ikgo_free_user_data(void *user_data) { goReleaseHandle((uintptr_t)user_data); }

void ikgo_set_retry(ik_client_options *o, uintptr_t handle) {
  o->retry_cb = ikgo_retry_cb;
  o->retry_user_data = (void *)handle;
  o->retry_user_data_free = ikgo_free_user_data;
}

void ikgo_set_log(ik_client_options *o, uintptr_t handle, int32_t level) {
  o->log_cb = ikgo_log_cb;
  o->log_user_data = (void *)handle;
  o->log_user_data_free = ikgo_free_user_data;
  o->log_level = level;
}

/* ---- non-blocking operations ---- */

static void ikgo_op_trampoline(ik_op *op, void *user_data) { goOpComplete(op, (uintptr_t)user_data); }

ik_op_cb ikgo_op_cb(void) { return ikgo_op_trampoline; }

void *ikgo_op_user_data(uintptr_t handle) { return (void *)handle; }

void ikgo_op_info(const ik_op *op, int32_t *provider, int32_t *result_type, const char **operation) {
  *provider = ik_op_provider(op);
  *result_type = ik_op_result_type(op);
  *operation = ik_op_operation(op);
}
