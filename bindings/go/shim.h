/*
 * shim.h - C helpers of the Go binding (declarations only: cgo forbids
 * definitions in the preamble of a file that has //export functions).
 *
 * Fused readers: one cgo crossing fills a view struct with every field of one
 * item (borrowed pointers + lengths), so reading an item costs one crossing
 * instead of twenty. Strings are {p, n}; p == NULL means absent/null.
 */
#ifndef INVITEKIT_GO_SHIM_H
#define INVITEKIT_GO_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <invitekit/invitekit.h>

/* Compile-time ABI check: this binding is written for ABI 0.2 (version.h's
 * IK_ABI_VERSION_MAJOR/MINOR; the SONAME is libinvitekit.so.0.2). */
#if !defined(IK_ABI_VERSION_MAJOR) || IK_ABI_VERSION_MAJOR != 0 || IK_ABI_VERSION_MINOR != 2
#error "invitekit Go binding: the invitekit headers found are not ABI 0.2 (IK_ABI_VERSION must be \"0.2\")"
#endif
/* ... and calls functions added in 0.2.2 (ik_<resource>_ensure_start,
 * ik_op_ensure_outcome): say so instead of cgo's "could not determine what
 * C.ik_... refers to". */
#if !defined(IK_VERSION_NUMBER) || IK_VERSION_NUMBER < 202
#error "invitekit Go binding: needs the invitekit 0.2.2 headers or later (non-blocking ensure)"
#endif

#define IKGO_INLINE_LIST 8   /* list entries carried inline in a view */
#define IKGO_INLINE_HEADERS 32
#define IKGO_INLINE_FIELDS 16

typedef struct ikgo_str {
  const char *p;
  size_t n;
} ikgo_str;

typedef struct ikgo_opt_int {
  int32_t ok;
  int64_t v;
} ikgo_opt_int;

typedef struct ikgo_response_view {
  int32_t http_status;
  int32_t provider;
  int32_t attempts;
  int64_t elapsed_us;
  ikgo_opt_int ratelimit_remaining;
  ikgo_opt_int ratelimit_reset_unix;
  ikgo_str request_id;
  ikgo_str body;
  size_t header_count;
  ikgo_str header_name[IKGO_INLINE_HEADERS];
  ikgo_str header_value[IKGO_INLINE_HEADERS];
} ikgo_response_view;

typedef struct ikgo_openai_invite_view {
  ikgo_str object, id, email, role, status;
  ikgo_opt_int created_at, expires_at, accepted_at;
  int32_t has_projects;
  size_t project_count;
  ikgo_str project_id[IKGO_INLINE_LIST];
  ikgo_str project_role[IKGO_INLINE_LIST];
  ikgo_str raw;
  const ik_response *resp;
  const ik_openai_invite *self; /* for projects beyond IKGO_INLINE_LIST */
} ikgo_openai_invite_view;

typedef struct ikgo_twilio_invite_view {
  ikgo_str sid, account_sid, channel_sid, service_sid, identity, role_sid, created_by, url;
  ikgo_str date_created, date_updated;
  ikgo_opt_int date_created_unix, date_updated_unix;
  ikgo_str raw;
  const ik_response *resp;
} ikgo_twilio_invite_view;

typedef struct ikgo_twilio_user_view {
  ikgo_str sid, account_sid, service_sid, attributes, friendly_name, role_sid, identity;
  int32_t is_online, is_notifiable;
  ikgo_str date_created, date_updated;
  ikgo_opt_int date_created_unix, date_updated_unix, joined_channels_count;
  ikgo_str link_user_channels, link_user_bindings, url;
  ikgo_str raw;
  const ik_response *resp;
} ikgo_twilio_user_view;

typedef struct ikgo_fastly_invitation_view {
  ikgo_str id, type, email, role;
  int32_t limit_services;
  size_t role_count;
  ikgo_str roles[IKGO_INLINE_LIST];
  ikgo_opt_int status_code;
  ikgo_str created_at, updated_at, deleted_at;
  ikgo_opt_int created_at_unix, updated_at_unix, deleted_at_unix;
  ikgo_str customer_id;
  size_t service_invitation_count;
  ikgo_str service_invitations[IKGO_INLINE_LIST];
  ikgo_str raw;
  const ik_response *resp;
  const ik_fastly_invitation *self; /* for lists beyond IKGO_INLINE_LIST */
} ikgo_fastly_invitation_view;

/* Kind-generic view of a page item, read in the same crossing as the typed one. */
typedef struct ikgo_generic_view {
  ikgo_str id;
  int32_t matches_typed; /* generic id and raw JSON equal the typed item's */
} ikgo_generic_view;

typedef struct ikgo_page_view {
  int32_t kind;
  size_t count;
  int32_t has_more;
  ikgo_str next_cursor;
  ikgo_str raw;
  const ik_response *resp;
} ikgo_page_view;

typedef struct ikgo_error_view {
  ik_status status;
  int32_t http_status, provider, retryable, ambiguous, attempts, transport_code, cancelled_by;
  ikgo_opt_int retry_after_ms;
  ikgo_str message, operation, provider_code, provider_message, request_id;
  int32_t has_body;
  ikgo_str body;
  size_t header_count;
  size_t field_count;                       /* ik_error_field_count */
  ikgo_str field_name[IKGO_INLINE_FIELDS];  /* the first ik_error_field_at entries */
  ikgo_str field_value[IKGO_INLINE_FIELDS];
} ikgo_error_view;

void ikgo_response_read(const ik_response *r, ikgo_response_view *v);
void ikgo_error_read(const ik_error *e, ikgo_error_view *v);
void ikgo_deletion_read(const ik_deletion *d, int32_t *kind, ikgo_str *id, int32_t *deleted, ikgo_str *object,
                        ikgo_str *raw, const ik_response **resp);
void ikgo_page_read(const ik_page *p, ikgo_page_view *v);

void ikgo_openai_invite_read(const ik_openai_invite *x, ikgo_openai_invite_view *v);
void ikgo_twilio_invite_read(const ik_twilio_invite *x, ikgo_twilio_invite_view *v);
void ikgo_twilio_user_read(const ik_twilio_user *x, ikgo_twilio_user_view *v);
void ikgo_fastly_invitation_read(const ik_fastly_invitation *x, ikgo_fastly_invitation_view *v);

/* Item i of a page: typed view + generic view, one crossing. 0 if out of range. */
int32_t ikgo_page_openai_invite_read(const ik_page *p, size_t i, ikgo_openai_invite_view *v, ikgo_generic_view *g);
int32_t ikgo_page_twilio_invite_read(const ik_page *p, size_t i, ikgo_twilio_invite_view *v, ikgo_generic_view *g);
int32_t ikgo_page_twilio_user_read(const ik_page *p, size_t i, ikgo_twilio_user_view *v, ikgo_generic_view *g);
int32_t ikgo_page_fastly_invitation_read(const ik_page *p, size_t i, ikgo_fastly_invitation_view *v,
                                         ikgo_generic_view *g);

/* Pager item step, one crossing: ik_pager_next_<kind>, then (on success with an
 * item) the view, then (on success) frees prev, the caller's previous item. */
ik_status ikgo_pager_next_openai_invite(ik_pager *p, const ik_call_options *co, ik_openai_invite *prev,
                                        ik_openai_invite **out, ikgo_openai_invite_view *v, ik_error **err);
ik_status ikgo_pager_next_twilio_invite(ik_pager *p, const ik_call_options *co, ik_twilio_invite *prev,
                                        ik_twilio_invite **out, ikgo_twilio_invite_view *v, ik_error **err);
ik_status ikgo_pager_next_twilio_user(ik_pager *p, const ik_call_options *co, ik_twilio_user *prev,
                                      ik_twilio_user **out, ikgo_twilio_user_view *v, ik_error **err);
ik_status ikgo_pager_next_fastly_invitation(ik_pager *p, const ik_call_options *co, ik_fastly_invitation *prev,
                                            ik_fastly_invitation **out, ikgo_fastly_invitation_view *v,
                                            ik_error **err);

/* Callbacks: the user data is a cgo.Handle value carried in the void*. */
void ikgo_set_retry(ik_client_options *o, uintptr_t handle);
void ikgo_set_log(ik_client_options *o, uintptr_t handle, int32_t level);
/* Per-thread "current call" handle read by the retry trampoline (the library
 * runs callbacks synchronously on the calling thread). */
void ikgo_set_call(uintptr_t handle);

/* Non-blocking operations (async.h): the one completion trampoline (it calls
 * the exported goOpComplete with the user data, a cgo.Handle value), the user
 * data for a handle, and the operation's fixed facts read in one crossing. */
ik_op_cb ikgo_op_cb(void);
void *ikgo_op_user_data(uintptr_t handle);
void ikgo_op_info(const ik_op *op, int32_t *provider, int32_t *result_type, const char **operation);

#endif
