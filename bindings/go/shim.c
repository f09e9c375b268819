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

/* ---- records ---- */

static void recs_reset(ikgo_recs *r) {
  r->base = NULL;
  r->base_len = 0;
  r->ntime = 0;
  r->nlist = 0;
  r->buf = NULL;
  r->cap = 0;
  r->nspan = 0;
  r->nnum = 0;
  r->count = 0;
  r->need = 0;
  r->copied = 0;
  r->oom = 0;
}

/* Room for one more item's per-item entries (and the count + 1 sentinels). */
static int recs_item_room(ikgo_recs *r) {
  if (r->count + 2 <= r->item_cap) return 1;
  size_t cap = r->item_cap ? 2 * r->item_cap : 8;
  while (cap < r->count + 2) cap *= 2;
  uint32_t *fs = (uint32_t *)realloc(r->first_span, cap * sizeof *fs);
  if (fs) r->first_span = fs;
  uint32_t *fn = (uint32_t *)realloc(r->first_num, cap * sizeof *fn);
  if (fn) r->first_num = fn;
  const ik_response **rs = (const ik_response **)realloc((void *)r->resp, cap * sizeof *rs);
  if (rs) r->resp = rs;
  uint8_t *g = (uint8_t *)realloc(r->generic_ok, cap * sizeof *g);
  if (g) r->generic_ok = g;
  if (!fs || !fn || !rs || !g) return 0;
  r->item_cap = cap;
  return 1;
}

/* Room for `spans` more spans and `nums` more nums (recs_add reserves an
 * item's worth before filling it, so that rec_bytes and rec_num do not check). */
static int recs_reserve(ikgo_recs *r, size_t spans, size_t nums) {
  if (r->nspan + spans > r->span_cap) {
    size_t cap = r->span_cap ? 2 * r->span_cap : 64;
    while (cap < r->nspan + spans) cap *= 2;
    ikgo_span *s = (ikgo_span *)realloc(r->span, cap * sizeof *s);
    if (!s) return 0;
    r->span = s;
    r->span_cap = cap;
  }
  if (r->nnum + nums > r->num_cap) {
    size_t cap = r->num_cap ? 2 * r->num_cap : 32;
    while (cap < r->nnum + nums) cap *= 2;
    int64_t *n = (int64_t *)realloc(r->num, cap * sizeof *n);
    if (n) r->num = n;
    int32_t *o = (int32_t *)realloc(r->num_ok, cap * sizeof *o);
    if (o) r->num_ok = o;
    if (!n || !o) return 0;
    r->num_cap = cap;
  }
  return 1;
}

/* A span (room reserved). Bytes inside the base are not copied again; the
 * others are written to the caller's buffer at once while they fit (the
 * buffer is then complete unless r->need ends above r->cap: ikgo_recs_copy). */
static inline void rec_bytes(ikgo_recs *r, const char *p, size_t n, int present) {
  ikgo_span *s = &r->span[r->nspan++];
  if (!present) {
    s->p = p;
    s->off = 0;
    s->n = -1;
    return;
  }
  s->n = (int64_t)n;
  if (n > 0 && r->base && p >= r->base && n <= r->base_len && (size_t)(p - r->base) <= r->base_len - n) {
    s->p = NULL; /* bytes of the base: already in the buffer */
    s->off = (int64_t)(p - r->base);
    return;
  }
  s->p = p;
  s->off = (int64_t)r->need;
  if (n > 0 && r->need + n <= r->cap) memcpy(r->buf + r->need, p, n);
  r->need += n;
}

static inline void rec_str(ikgo_recs *r, const char *p) { rec_bytes(r, p, p ? strlen(p) : 0, p != NULL); }

static inline void rec_num(ikgo_recs *r, int32_t ok, int64_t v) {
  r->num_ok[r->nnum] = ok;
  r->num[r->nnum++] = v;
}

#define REC_RAW(fn, x)         \
  do {                         \
    const uint8_t *d_ = NULL;  \
    size_t n_ = 0;             \
    int ok_ = fn(x, &d_, &n_); \
    rec_bytes(r, (const char *)d_, n_, ok_); \
  } while (0)

#define REC_OPTINT(fn, x)     \
  do {                        \
    int64_t v_ = 0;           \
    int32_t ok_ = fn(x, &v_); \
    rec_num(r, ok_, v_);      \
  } while (0)

#define REC_TIME(fn, x)       \
  do {                        \
    int64_t v_ = 0;           \
    int32_t ok_ = fn(x, &v_); \
    rec_num(r, ok_, v_);      \
    r->ntime += ok_ != 0;     \
  } while (0)

/* OpenAI invite: raw, object, id, email, role, status, project (id, role)...;
 * nums: created_at, expires_at, accepted_at, has_projects, project_count. */
static void rec_openai_invite(ikgo_recs *r, const ik_openai_invite *x) {
  size_t n = ik_openai_invite_project_count(x);
  REC_RAW(ik_openai_invite_raw_json, x);
  rec_str(r, ik_openai_invite_object(x));
  rec_str(r, ik_openai_invite_id(x));
  rec_str(r, ik_openai_invite_email(x));
  rec_str(r, ik_openai_invite_role(x));
  rec_str(r, ik_openai_invite_status(x));
  REC_TIME(ik_openai_invite_created_at_unix, x);
  REC_TIME(ik_openai_invite_expires_at_unix, x);
  REC_TIME(ik_openai_invite_accepted_at_unix, x);
  rec_num(r, 1, ik_openai_invite_has_projects(x));
  rec_num(r, 1, (int64_t)n);
  r->nlist += n;
  if (!recs_reserve(r, 2 * n, 0)) {
    r->oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const char *id = NULL, *role = NULL;
    ik_openai_invite_project_at(x, i, &id, &role);
    rec_str(r, id);
    rec_str(r, role);
  }
  r->resp[r->count] = ik_openai_invite_response(x);
}

/* Twilio invite: raw, sid, account_sid, channel_sid, service_sid, identity,
 * role_sid, created_by, url, date_created, date_updated; nums: the two unix times. */
static void rec_twilio_invite(ikgo_recs *r, const ik_twilio_invite *x) {
  REC_RAW(ik_twilio_invite_raw_json, x);
  rec_str(r, ik_twilio_invite_sid(x));
  rec_str(r, ik_twilio_invite_account_sid(x));
  rec_str(r, ik_twilio_invite_channel_sid(x));
  rec_str(r, ik_twilio_invite_service_sid(x));
  rec_str(r, ik_twilio_invite_identity(x));
  rec_str(r, ik_twilio_invite_role_sid(x));
  rec_str(r, ik_twilio_invite_created_by(x));
  rec_str(r, ik_twilio_invite_url(x));
  rec_str(r, ik_twilio_invite_date_created(x));
  rec_str(r, ik_twilio_invite_date_updated(x));
  REC_TIME(ik_twilio_invite_date_created_unix, x);
  REC_TIME(ik_twilio_invite_date_updated_unix, x);
  r->resp[r->count] = ik_twilio_invite_response(x);
}

/* Twilio user: raw, sid, account_sid, service_sid, identity, attributes,
 * friendly_name, role_sid, date_created, date_updated, link_user_channels,
 * link_user_bindings, url; nums: is_online, is_notifiable (IK_OPTBOOL_*),
 * date_created_unix, date_updated_unix, joined_channels_count. */
static void rec_twilio_user(ikgo_recs *r, const ik_twilio_user *x) {
  REC_RAW(ik_twilio_user_raw_json, x);
  rec_str(r, ik_twilio_user_sid(x));
  rec_str(r, ik_twilio_user_account_sid(x));
  rec_str(r, ik_twilio_user_service_sid(x));
  rec_str(r, ik_twilio_user_identity(x));
  rec_str(r, ik_twilio_user_attributes(x));
  rec_str(r, ik_twilio_user_friendly_name(x));
  rec_str(r, ik_twilio_user_role_sid(x));
  rec_str(r, ik_twilio_user_date_created(x));
  rec_str(r, ik_twilio_user_date_updated(x));
  rec_str(r, ik_twilio_user_link_user_channels(x));
  rec_str(r, ik_twilio_user_link_user_bindings(x));
  rec_str(r, ik_twilio_user_url(x));
  rec_num(r, 1, ik_twilio_user_is_online(x));
  rec_num(r, 1, ik_twilio_user_is_notifiable(x));
  REC_TIME(ik_twilio_user_date_created_unix, x);
  REC_TIME(ik_twilio_user_date_updated_unix, x);
  REC_OPTINT(ik_twilio_user_joined_channels_count, x);
  r->resp[r->count] = ik_twilio_user_response(x);
}

/* Fastly invitation: raw, id, type, email, role, created_at, updated_at,
 * deleted_at, customer_id, roles..., service_invitations...; nums:
 * limit_services (IK_OPTBOOL_*), status_code, the three unix times,
 * role_count, service_invitation_count. */
static void rec_fastly_invitation(ikgo_recs *r, const ik_fastly_invitation *x) {
  size_t nroles = ik_fastly_invitation_role_count(x);
  size_t nsi = ik_fastly_invitation_service_invitation_count(x);
  r->nlist += nroles + nsi;
  if (!recs_reserve(r, nroles + nsi, 0)) {
    r->oom = 1;
    return;
  }
  REC_RAW(ik_fastly_invitation_raw_json, x);
  rec_str(r, ik_fastly_invitation_id(x));
  rec_str(r, ik_fastly_invitation_type(x));
  rec_str(r, ik_fastly_invitation_email(x));
  rec_str(r, ik_fastly_invitation_role(x));
  rec_str(r, ik_fastly_invitation_created_at(x));
  rec_str(r, ik_fastly_invitation_updated_at(x));
  rec_str(r, ik_fastly_invitation_deleted_at(x));
  rec_str(r, ik_fastly_invitation_customer_id(x));
  for (size_t i = 0; i < nroles; i++) rec_str(r, ik_fastly_invitation_role_at(x, i));
  for (size_t i = 0; i < nsi; i++) rec_str(r, ik_fastly_invitation_service_invitation_at(x, i));
  rec_num(r, 1, ik_fastly_invitation_limit_services(x));
  REC_OPTINT(ik_fastly_invitation_status_code, x);
  REC_TIME(ik_fastly_invitation_created_at_unix, x);
  REC_TIME(ik_fastly_invitation_updated_at_unix, x);
  REC_TIME(ik_fastly_invitation_deleted_at_unix, x);
  rec_num(r, 1, (int64_t)nroles);
  rec_num(r, 1, (int64_t)nsi);
  r->resp[r->count] = ik_fastly_invitation_response(x);
}

/* Appends one item's record (its spans and nums, its response). 0 when the
 * kind is unknown or memory ran out (the item is then not counted). */
static int recs_add(ikgo_recs *r, int32_t kind, const void *item) {
  if (!recs_item_room(r)) {
    r->oom = 1;
    return 0;
  }
  /* the scalars of the largest kind (Twilio user: 13 spans, 5 nums), plus
   * the kind-generic id; list entries are reserved by rec_<kind> */
  if (!recs_reserve(r, 16, 8)) {
    r->oom = 1;
    return 0;
  }
  const size_t nspan = r->nspan, nnum = r->nnum, need = r->need, ntime = r->ntime, nlist = r->nlist;
  r->first_span[r->count] = (uint32_t)nspan;
  r->first_num[r->count] = (uint32_t)nnum;
  r->generic_ok[r->count] = 0;
  switch (kind) {
    case IK_KIND_OPENAI_INVITE: rec_openai_invite(r, (const ik_openai_invite *)item); break;
    case IK_KIND_TWILIO_INVITE: rec_twilio_invite(r, (const ik_twilio_invite *)item); break;
    case IK_KIND_TWILIO_USER: rec_twilio_user(r, (const ik_twilio_user *)item); break;
    case IK_KIND_FASTLY_INVITATION: rec_fastly_invitation(r, (const ik_fastly_invitation *)item); break;
    default: r->oom = 1; break;
  }
  if (r->oom) { /* drop the incomplete item */
    r->nspan = nspan;
    r->nnum = nnum;
    r->need = need;
    r->ntime = ntime;
    r->nlist = nlist;
    return 0;
  }
  r->count++;
  r->first_span[r->count] = (uint32_t)r->nspan;
  r->first_num[r->count] = (uint32_t)r->nnum;
  return 1;
}

size_t ikgo_recs_item(ikgo_recs *r, int32_t kind, const void *item) {
  recs_reset(r);
  recs_add(r, kind, item);
  r->copied = 0;
  return r->need;
}

size_t ikgo_recs_copy(ikgo_recs *r, unsigned char *buf, size_t cap) {
  if (r->need > cap) return r->need;
  for (size_t i = 0; i < r->nspan; i++) { /* the offsets were set by rec_bytes */
    const ikgo_span *s = &r->span[i];
    if (s->p && s->n > 0) memcpy(buf + s->off, s->p, (size_t)s->n);
  }
  r->copied = 1;
  return r->need;
}

/* After filling with r->buf: complete when everything fitted. */
static void recs_done(ikgo_recs *r) {
  r->copied = r->need <= r->cap;
  r->buf = NULL;
  r->cap = 0;
}

ikgo_recs *ikgo_recs_new(void) { return (ikgo_recs *)calloc(1, sizeof(ikgo_recs)); }

static void recs_dispose(ikgo_recs *r) {
  free(r->span);
  free(r->num);
  free(r->num_ok);
  free(r->first_span);
  free(r->first_num);
  free((void *)r->resp);
  free(r->generic_ok);
}

void ikgo_recs_delete(ikgo_recs *r) {
  if (!r) return;
  recs_dispose(r);
  free(r);
}

static const void *page_item_at(const ik_page *p, int32_t kind, size_t i) {
  switch (kind) {
    case IK_KIND_OPENAI_INVITE: return ik_page_openai_invite_at(p, i);
    case IK_KIND_TWILIO_INVITE: return ik_page_twilio_invite_at(p, i);
    case IK_KIND_TWILIO_USER: return ik_page_twilio_user_at(p, i);
    case IK_KIND_FASTLY_INVITATION: return ik_page_fastly_invitation_at(p, i);
    default: return NULL;
  }
}

/* The kind-generic id as one more span of the last item, and whether the
 * kind-generic id and raw JSON equal the typed ones. */
static void recs_generic(ikgo_recs *r, const ik_page *p, int32_t kind, size_t i) {
  const size_t k = r->count - 1, first = r->first_span[k];
  /* the typed id: span 2 for OpenAI (after raw and object), span 1 otherwise */
  const ikgo_span typed_id = r->span[first + (kind == IK_KIND_OPENAI_INVITE ? 2 : 1)];
  const ikgo_span typed_raw = r->span[first];
  const char *gid = ik_page_item_id(p, i);
  const uint8_t *d = NULL;
  size_t n = 0;
  rec_str(r, gid); /* room reserved by recs_add */
  r->first_span[r->count] = (uint32_t)r->nspan;
  if (ik_page_item_raw_json(p, i, &d, &n) && (gid == NULL) == (typed_id.n < 0) &&
      (gid == NULL || ((size_t)typed_id.n == strlen(gid) && memcmp(gid, typed_id.p ? typed_id.p : r->base + typed_id.off, (size_t)typed_id.n) == 0)) &&
      typed_raw.n == (int64_t)n && (n == 0 || memcmp(d, typed_raw.p ? typed_raw.p : r->base + typed_raw.off, n) == 0))
    r->generic_ok[k] = 1;
}

size_t ikgo_recs_page(ikgo_recs *r, const ik_page *p, int32_t kind, size_t from, int32_t generic, unsigned char *buf,
                      size_t cap) {
  const uint8_t *body = NULL;
  size_t body_len = 0;
  recs_reset(r);
  if (ik_page_raw_json(p, &body, &body_len) && body) {
    r->base = (const char *)body;
    r->base_len = body_len;
    r->need = body_len;
  }
  const size_t n = ik_page_count(p);
  r->buf = buf;
  r->cap = cap;
  for (size_t i = from; i < n; i++) {
    const void *x = page_item_at(p, kind, i);
    if (!x || !recs_add(r, kind, x)) break;
    if (generic) recs_generic(r, p, kind, i);
  }
  if (from < n && r->count < n - from) r->oom = 1; /* an item missing (out of memory, or another kind) */
  recs_done(r);
  return r->need;
}

/* ---- iterators ---- */

ikgo_iter *ikgo_iter_new(ik_pager *pager, int32_t kind) {
  ikgo_iter *it = (ikgo_iter *)calloc(1, sizeof *it);
  if (!it) {
    ik_pager_free(pager);
    return NULL;
  }
  it->pager = pager;
  it->kind = kind;
  return it;
}

ik_status ikgo_iter_next_page(uintptr_t handle, int32_t generic, unsigned char *buf, size_t cap) {
  ikgo_iter *it = (ikgo_iter *)handle;
  ik_page *page = NULL;
  ik_error_free(it->err);
  it->err = NULL;
  ik_page_free(it->page);
  it->page = NULL;
  it->resp = NULL;
  recs_reset(&it->rec);
  ik_status st = ik_pager_next_page(it->pager, it->co, &page, &it->err);
  if (st != IK_STATUS_OK || !page) return st;
  it->page = page;
  it->resp = ik_page_response(page);
  ikgo_response_read(it->resp, &it->rview);
  ikgo_recs_page(&it->rec, page, it->kind, 0, generic, buf, cap);
  return st;
}

size_t ikgo_iter_rest(uintptr_t handle, size_t from, unsigned char *buf, size_t cap) {
  ikgo_iter *it = (ikgo_iter *)handle;
  if (!it->page) {
    recs_reset(&it->rec);
    return 0;
  }
  return ikgo_recs_page(&it->rec, it->page, it->kind, from, 1, buf, cap);
}

void ikgo_iter_free(ikgo_iter *it) {
  if (!it) return;
  ik_page_free(it->page);
  ik_error_free(it->err);
  recs_dispose(&it->rec);
  ik_pager_free(it->pager);
  free(it);
}

ik_call_options *ikgo_call_options_new(void) { return (ik_call_options *)calloc(1, sizeof(ik_call_options)); }


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
