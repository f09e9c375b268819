/*
 * shim.h - C helpers of the Go binding (declarations only: cgo forbids
 * definitions in the preamble of a file that has //export functions).
 *
 * Fused readers: one cgo crossing fills a view struct (response, error, page,
 * deletion) or a record (ikgo_recs: the fields of an item, or of every item of
 * a page, copied into one Go byte buffer) instead of one crossing per
 * accessor; an iterator step (ikgo_iter_next_page) is one crossing per page. Strings are {p, n}; p == NULL
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
 * ik_op_ensure_outcome) and 0.2.3 (ik_page_item_cursor), and names the
 * completion mode of 0.2.4: say so instead of cgo's "could not determine
 * what C.ik_... refers to". */
#if !defined(IK_VERSION_NUMBER) || IK_VERSION_NUMBER < 204
#error "invitekit Go binding: needs the invitekit 0.2.4 headers or later (IK_COMPLETIONS_IO_THREAD_RELAY)"
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

/* Records: the items of a page (or one item) flattened so that ONE crossing
 * copies every field of every item, one memcpy per field, into ONE
 * Go-allocated byte buffer (ikgo_recs_copy), and Go builds each item's strings
 * as substrings of it and its raw JSON as a capacity-limited slice of it. The
 * record lives in C memory, so the Go side passes no Go pointer but the byte
 * buffer, which holds none (no cgo pointer walk), and reads the record's
 * arrays directly (C memory, no crossing). Item i's spans are
 * span[first_span[i] .. first_span[i+1]) and its nums num[first_num[i] ..
 * first_num[i+1]). Field order is the kind's (shim.c's rec_<kind> and the
 * matching <kind>FromRec in Go): span 0 is the raw JSON, then the kind's
 * strings and list entries (and, for pages read with `generic`, the
 * kind-generic id last); nums are the optional integers, booleans and list
 * counts. A page's record starts with the page body (the base), which the
 * Go side copies itself (one Go memmove: it reads C memory without a
 * crossing), and a span inside it (an item's raw JSON) is not copied again:
 * p is NULL and off its offset in the body. The same record serves fetches (one item), pages and
 * iterators. */
typedef struct ikgo_span {
  const char *p; /* the C bytes (valid while the item lives) */
  int64_t off;   /* offset in the Go buffer (set by ikgo_recs_copy) */
  int64_t n;     /* length; -1 = absent or null */
} ikgo_span;

typedef struct ikgo_recs {
  ikgo_span *span; /* malloc'd arrays, grown to the largest page seen */
  size_t nspan, span_cap;
  int64_t *num;
  int32_t *num_ok; /* 0 = absent */
  size_t nnum, num_cap;
  uint32_t *first_span, *first_num; /* count + 1 entries each */
  const ik_response **resp;         /* per item */
  uint8_t *generic_ok;              /* per item: the kind-generic id and raw JSON equal the typed item's */
  size_t count, item_cap;
  const char *base; /* a page's body, copied first into the buffer (NULL: none) */
  size_t base_len;
  size_t ntime, nlist; /* present timestamps; list entries (sizes of the Go slabs) */
  unsigned char *buf;  /* while filling: the caller's buffer, written as the spans come */
  size_t cap;
  size_t need;    /* bytes of the base and of every span outside it */
  int32_t copied; /* 1 once ikgo_recs_copy wrote the spans into a buffer */
  int32_t oom;    /* 1 when growing an array failed: count holds the complete items */
} ikgo_recs;

/* The C side of a Go Iterator: the pager, the owned current page (freed by
 * the next page step; Iterator.Cursor in its middle is ik_page_item_cursor of
 * it), a failed step's error, and the current page's records. */
typedef struct ikgo_iter {
  ik_pager *pager;           /* owned */
  const ik_call_options *co; /* the page requests' options (C memory the Go side owns) */
  int32_t kind;
  ik_page *page; /* owned */
  ik_error *err;
  ikgo_recs rec;
  const ik_response *resp;   /* the page's response ... */
  ikgo_response_view rview;  /* ... read with the page (C memory: no cgo pointer walk) */
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

/* Records (see ikgo_recs). ikgo_recs_item fills r with one item of the
 * kind; ikgo_recs_page with items [from, count) of a page (kind: the page's),
 * with the kind-generic id as one more span per item and generic_ok when
 * `generic`, and copies them into buf when they fit. ikgo_recs_copy copies
 * the spans into buf when r->need <= cap (and sets r->copied). All return
 * r->need. ikgo_recs_new/ikgo_recs_delete: a record in C memory (NULL on
 * allocation failure). */
size_t ikgo_recs_item(ikgo_recs *r, int32_t kind, const void *item);
size_t ikgo_recs_page(ikgo_recs *r, const ik_page *p, int32_t kind, size_t from, int32_t generic, unsigned char *buf,
                      size_t cap);
size_t ikgo_recs_copy(ikgo_recs *r, unsigned char *buf, size_t cap);
ikgo_recs *ikgo_recs_new(void);
void ikgo_recs_delete(ikgo_recs *r);

/* Iterators. ikgo_iter_new takes ownership of the pager (NULL on allocation
 * failure, the pager then freed). ikgo_iter_next_page is one page step, one
 * crossing: the previous page freed, ik_pager_next_page with it->co (the next page, or the rest of the current
 * one), then every item's record (ikgo_recs_page from 0, `generic` as given),
 * copied into buf when it fits (see rec.copied). On failure it->err holds the
 * error (the caller takes it) and the pager is where it was; after success
 * it->page is NULL at the end of the list. ikgo_iter_rest re-reads items
 * [from, count) of the current page with the kind-generic ids (a page asked
 * for after some of its items were delivered one by one). `it` is passed as an
 * integer: it is C memory, and as a pointer argument cgo would walk the
 * pointer fields of the struct on every call, looking for Go pointers that
 * cannot be there. ikgo_iter_free frees the page, the record and the pager. */
ikgo_iter *ikgo_iter_new(ik_pager *pager, int32_t kind);
ik_status ikgo_iter_next_page(uintptr_t it, int32_t generic, unsigned char *buf, size_t cap);
size_t ikgo_iter_rest(uintptr_t it, size_t from, unsigned char *buf, size_t cap);
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
