/*
 * shim.h - C helpers of the Go binding (declarations only: cgo forbids
 * definitions in the preamble of a file that has //export functions).
 *
 * Fused readers: one cgo crossing fills a view struct (response, error, page,
 * deletion) or an item record (ikgo_rec: an item's fields copied into one Go
 * byte buffer) instead of one crossing per accessor; an iterator step
 * (ikgo_iter_next) is one crossing per item. Strings are {p, n}; p == NULL
 * means absent/null.
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

/* Item records: one item's fields flattened so that Go copies them, one
 * memcpy per field, into ONE Go-allocated buffer (ikgo_rec_copy) and builds
 * its strings as substrings of it. A record lives in C memory, so the Go side
 * passes no Go pointer but the byte buffer, which holds none (no cgo pointer
 * walk). Field order is the kind's (shim.c's rec_<kind> and the matching
 * <kind>FromRec in Go): span 0 is the raw JSON, then the kind's strings and
 * list entries; nums are the optional integers, booleans and list counts. */
#define IKGO_REC_NUMS 8

typedef struct ikgo_span {
  const char *p; /* the C bytes (valid while the item lives) */
  int64_t off;   /* offset in the Go buffer (set by ikgo_rec_copy) */
  int64_t n;     /* length; -1 = absent or null */
} ikgo_span;

typedef struct ikgo_rec {
  ikgo_span *span; /* malloc'd; grows to the largest item seen */
  size_t nspan, span_cap;
  int64_t num[IKGO_REC_NUMS];
  int32_t num_ok[IKGO_REC_NUMS]; /* 0 = absent */
  size_t nnum;
  size_t need;        /* bytes of every span together */
  int32_t copied;     /* 1 once ikgo_rec_copy wrote the spans into a buffer */
  int32_t oom;        /* 1 when growing span failed: the record is incomplete */
  int32_t generic_ok; /* page items: the kind-generic id and raw JSON equal the typed item's */
  const ik_response *resp;
  const void *item; /* the item the record describes (borrowed) */
} ikgo_rec;

/* The C side of a Go Iterator: the pager, the owned current item (freed by
 * the next step, after the new item was obtained, so that two consecutive
 * items never share the address of a response: Go compares them to share one
 * *Response per page), a failed step's error, and the current item's record. */
typedef struct ikgo_iter {
  ik_pager *pager; /* owned */
  const ik_call_options *co; /* the page requests' options (C memory the Go side owns) */
  int32_t kind;
  void *item; /* owned */
  ik_error *err;
  ikgo_rec rec;
} ikgo_iter;

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

/* Records (see ikgo_rec). ikgo_rec_item fills r from an item of the kind;
 * ikgo_rec_copy copies the spans into buf when r->need <= cap (and sets
 * r->copied); both return r->need. ikgo_rec_new/ikgo_rec_delete: a record in C
 * memory (NULL on allocation failure). */
size_t ikgo_rec_item(ikgo_rec *r, int32_t kind, const void *item);
size_t ikgo_rec_copy(ikgo_rec *r, unsigned char *buf, size_t cap);
ikgo_rec *ikgo_rec_new(void);
void ikgo_rec_delete(ikgo_rec *r);
/* Item i of a page into r (kind: the page's), with the kind-generic id as one
 * more span and r->generic_ok; copied into buf when it fits. 0 if out of range. */
int32_t ikgo_rec_page_item(ikgo_rec *r, const ik_page *p, int32_t kind, size_t i, unsigned char *buf, size_t cap);

/* Iterators. ikgo_iter_new takes ownership of the pager (NULL on allocation
 * failure, the pager then freed). ikgo_iter_next is one item step, one
 * crossing: ik_pager_next_<kind> with it->co, then (on success with an item)
 * its record, copied into buf when it fits (see rec.copied), then (on
 * success) the previous item freed. On failure it->err holds the error (the
 * caller takes it); after success it->item is NULL at the end of the list.
 * `it` is passed as an integer: it is C memory, and as a pointer argument cgo
 * would walk the pointer fields of the struct on every call, looking for Go
 * pointers that cannot be there. ikgo_iter_free frees the item, the record
 * and the pager. */
ikgo_iter *ikgo_iter_new(ik_pager *pager, int32_t kind);
ik_status ikgo_iter_next(uintptr_t it, unsigned char *buf, size_t cap);
void ikgo_iter_free(ikgo_iter *it);
/* Zeroed C memory for an iterator's call options (free with free()). */
ik_call_options *ikgo_call_options_new(void);

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
