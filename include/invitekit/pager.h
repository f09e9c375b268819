/**
 * @file invitekit/pager.h
 * @brief Pages and the one pager over the three pagination schemes.
 * @ingroup pagination
 */
/**
 * @defgroup pagination Pagination
 * @brief Pages, kind-generic page items, pagers and resumable cursors.
 *
 * Schemes:
 *  - Twilio: follow meta.next_page_url exactly as given (it carries PageToken)
 *    until it is null. The next URL must be on the client's Twilio base URL
 *    (same scheme, host and port); otherwise nothing is sent (credentials never
 *    leave the configured host) and the call fails with IK_STATUS_PARSE (a
 *    server's next_page_url: a response problem) or IK_STATUS_INVALID_ARGUMENT
 *    (a caller's provider_cursor).
 *  - OpenAI: after=\<last_id\> while has_more is true.
 *  - Fastly: page[number]=N+1 until links.next is null/absent or
 *    meta.current_page >= meta.total_pages.
 *
 * PAGE SIZE and MAXIMUM ITEMS are separate settings (the vendors reuse the
 * word "limit" for both). The page size is clamped to the endpoint's maximum
 * (Twilio invites 1000, Twilio users 100, OpenAI 100, Fastly 100); 0 lets the
 * server choose (Twilio 50, OpenAI 20, Fastly 20). max_items stops iteration
 * exactly: never one item too many.
 *
 * PAGINATION THAT DOES NOT ADVANCE (a cursor already followed, a page that
 * repeats the previous page's items, a Fastly links.next pointing backwards)
 * stops the pager with IK_STATUS_PARSE ("the server's pagination did not
 * advance"), instead of requesting the same pages forever.
 *
 * A pager holds at most one page in memory, whatever the number of items.
 * When a page request fails, the call returns the error, the items already
 * delivered stay delivered, and calling again retries the same page.
 *
 * A pager is a cursor: use it from one thread at a time (it may move between
 * threads). Pages and items are immutable and thread-safe.
 *
 * LIFETIMES: a pager holds a reference to its client, so the two may be freed
 * in any order (client.h, THREAD SAFETY rule 7). Items borrowed from a page
 * (ik_page_*_at) live as long as the page; items from ik_pager_next_<kind> are
 * owned and independent of the pager and of the page they came from.
 * @{
 */
#ifndef INVITEKIT_PAGER_H
#define INVITEKIT_PAGER_H

#include <invitekit/common.h>
#include <invitekit/client.h>

IK_BEGIN_DECLS

/** Kinds of item a page holds. */
#define IK_KIND_NONE              0 /**< no items */
#define IK_KIND_OPENAI_INVITE     1 /**< ik_openai_invite */
#define IK_KIND_TWILIO_INVITE     2 /**< ik_twilio_invite */
#define IK_KIND_TWILIO_USER       3 /**< ik_twilio_user */
#define IK_KIND_FASTLY_INVITATION 4 /**< ik_fastly_invitation */

/** Options for list operations and pagers. Zero means default. */
typedef struct ik_list_options {
  uint32_t version;   /**< IK_LIST_OPTIONS_VERSION */
  int32_t page_size;  /**< items per request; 0 = server default; clamped to the endpoint maximum; < 0 is invalid */
  int64_t max_items;  /**< pagers stop after this many items; 0 = no limit; < 0 is invalid */
  const char *cursor; /**< resume point from ik_pager_cursor() or ik_page_next_cursor(); NULL = start */
  /** Start from a cursor in the provider's own terms instead (not with `cursor`):
   * OpenAI: the invite id to list after (after=); Fastly: the page number
   * (page[number]=); Twilio: a next_page_url on the configured host, or a
   * PageToken. NULL = not used. */
  const char *provider_cursor;
} ik_list_options;

/** Version of the ik_list_options layout declared by this header. */
#define IK_LIST_OPTIONS_VERSION 1
/** Static initialiser: version set, every other field zero (default). */
#define IK_LIST_OPTIONS_INIT \
  { IK_LIST_OPTIONS_VERSION, 0, 0, NULL, NULL }

/** Zero-fills *opts and sets its version.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL opts, version 0 or newer than
 * ik_list_options_version()). */
IK_API ik_status ik_list_options_init(ik_list_options *opts, uint32_t version, ik_error **out_err);
/** The newest ik_list_options version this library accepts. */
IK_API uint32_t ik_list_options_version(void);

/* ------------------------------------------------------------------------ */
/* Pages                                                                     */
/* ------------------------------------------------------------------------ */
/** IK_KIND_* of the items. */
IK_API int32_t ik_page_kind(const ik_page *page);
/** Number of items in the page. */
IK_API size_t ik_page_count(const ik_page *page);
/** 1 if the provider says another page follows, else 0. */
IK_API int32_t ik_page_has_more(const ik_page *page);
/** Opaque cursor of the NEXT page (pass as ik_list_options.cursor), or NULL on
 * the last page. Borrowed. */
IK_API const char *ik_page_next_cursor(const ik_page *page);
/** The whole response body of this page, exactly as received. Borrowed; a NUL
 * follows. Returns 1 and sets *data and *len when the page has a body, else 0. */
IK_API int32_t ik_page_raw_json(const ik_page *page, const uint8_t **data, size_t *len);
/** Exchange metadata (borrowed from the page). */
IK_API const ik_response *ik_page_response(const ik_page *page);

/** Typed items, BORROWED from the page (valid until ik_page_free). NULL when
 * the index is out of range or the page holds another kind. */
IK_API const ik_openai_invite *ik_page_openai_invite_at(const ik_page *page, size_t i);
IK_API const ik_twilio_invite *ik_page_twilio_invite_at(
    const ik_page *page, size_t i); /**< Borrowed; NULL when out of range or another kind. */
IK_API const ik_twilio_user *ik_page_twilio_user_at(const ik_page *page,
                                                    size_t i); /**< Borrowed; NULL when out of range or another kind. */
IK_API const ik_fastly_invitation *ik_page_fastly_invitation_at(
    const ik_page *page, size_t i); /**< Borrowed; NULL when out of range or another kind. */

/** Kind-generic item access, so that a caller that only prints or forwards
 * items never switches on the kind.
 * ik_page_item_id: the item's identifier (OpenAI `id`, Twilio `sid`, Fastly
 * `id`), borrowed from the page; NULL when i is out of range or the item has
 * none. ik_page_item_raw_json: the item's own JSON, exactly the bytes of the
 * page body; returns 1 and sets *data and *len (borrowed from the page; not
 * guaranteed to be NUL-terminated: always use len), 0 when i is out of range. */
IK_API const char *ik_page_item_id(const ik_page *page, size_t i);
IK_API int32_t ik_page_item_raw_json(
    const ik_page *page, size_t i, const uint8_t **data,
    size_t *len); /**< 1 and *data, *len (borrowed; not guaranteed to be NUL-terminated) when i is in range, else 0. */

/** OpenAI list metadata (NULL for other kinds). */
IK_API const char *ik_page_openai_first_id(const ik_page *page);
IK_API const char *ik_page_openai_last_id(const ik_page *page); /**< Borrowed; NULL for other kinds or when absent. */

/** Twilio `meta` (NULL / 0 for other kinds or absent fields). */
IK_API int32_t ik_page_twilio_page(const ik_page *page, int64_t *out);
IK_API int32_t ik_page_twilio_page_size(
    const ik_page *page, int64_t *out); /**< 1 and *out when present; 0 for other kinds or when absent. */
IK_API const char *ik_page_twilio_key(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_twilio_url(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_twilio_first_page_url(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_twilio_previous_page_url(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_twilio_next_page_url(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */

/** Fastly `links` and `meta` (NULL / 0 for other kinds or absent fields). */
IK_API const char *ik_page_fastly_link_first(const ik_page *page);
IK_API const char *ik_page_fastly_link_last(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_fastly_link_prev(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API const char *ik_page_fastly_link_next(
    const ik_page *page); /**< Borrowed from the page; NULL for other kinds or when absent. */
IK_API int32_t ik_page_fastly_current_page(
    const ik_page *page, int64_t *out); /**< 1 and *out when present; 0 for other kinds or when absent. */
IK_API int32_t ik_page_fastly_per_page(const ik_page *page,
                                       int64_t *out); /**< 1 and *out when present; 0 for other kinds or when absent. */
IK_API int32_t ik_page_fastly_record_count(
    const ik_page *page, int64_t *out); /**< 1 and *out when present; 0 for other kinds or when absent. */
IK_API int32_t ik_page_fastly_total_pages(
    const ik_page *page, int64_t *out); /**< 1 and *out when present; 0 for other kinds or when absent. */

/**
 * A resumable cursor into this page (since 0.2.3): the same opaque form as
 * ik_pager_cursor's (pass it as ik_list_options.cursor), from which a new
 * pager delivers this page's items from `index` on (item `index` first), then
 * the rest of the list. 0 <= index <= ik_page_count(page); index ==
 * ik_page_count(page) is where this page ends: the first item not delivered
 * when max_items cut the page short, otherwise the next page (the same cursor
 * as ik_page_next_cursor), or the empty string when the list ends with this
 * page. For pages from a pager (ik_pager_next_page and its _start, also the
 * rest of a page after item-by-item calls such as
 * ik_pager_next_openai_invite, and a page cut by max_items) and from the
 * single-page ik_*_list calls; exact also when the pager skipped empty pages
 * or a cursor's already-delivered items on the way to this page. Lets a
 * caller that reads page by page checkpoint in the middle of a page. Written
 * to *out (dispose with ik_buf_dispose).
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL page/out, index > ik_page_count).
 */
IK_API ik_status ik_page_item_cursor(const ik_page *page, size_t index, ik_buf *out, ik_error **out_err);

/** Frees the page and every item borrowed from it. NULL-safe. */
IK_API void ik_page_free(ik_page *page);

/* ------------------------------------------------------------------------ */
/* Pagers (created by ik_openai_invite_pager, ik_twilio_invite_pager,        */
/* ik_twilio_user_pager, ik_fastly_invitation_pager)                         */
/* ------------------------------------------------------------------------ */
/** IK_KIND_* the pager yields. */
IK_API int32_t ik_pager_kind(const ik_pager *pager);

/**
 * Fetches the next page. On success *out receives a page to free with
 * ik_page_free, or NULL when the iteration is over (max_items reached or no
 * more pages). When max_items cuts a page short, the page holds only the items
 * still wanted. call_opts may be NULL.
 * Errors: those of the underlying list operation; the pager stays at the same
 * position, so the call can be repeated.
 */
IK_API ik_status ik_pager_next_page(ik_pager *pager, const ik_call_options *call_opts, ik_page **out,
                                    ik_error **out_err);

/**
 * Item-by-item iteration: the next item as a new OWNED object (free it with
 * its ik_<kind>_free), or NULL when the iteration is over. Fetches a page
 * only when the current one is used up. IK_STATUS_INVALID_ARGUMENT if the
 * pager yields another kind.
 */
IK_API ik_status ik_pager_next_openai_invite(ik_pager *pager, const ik_call_options *call_opts, ik_openai_invite **out,
                                             ik_error **out_err);
IK_API ik_status ik_pager_next_twilio_invite(
    ik_pager *pager, const ik_call_options *call_opts, ik_twilio_invite **out,
    ik_error **out_err); /**< Next Twilio invite, owned (ik_twilio_invite_free); NULL when over. */
IK_API ik_status
ik_pager_next_twilio_user(ik_pager *pager, const ik_call_options *call_opts, ik_twilio_user **out,
                          ik_error **out_err); /**< Next Twilio user, owned (ik_twilio_user_free); NULL when over. */
IK_API ik_status ik_pager_next_fastly_invitation(
    ik_pager *pager, const ik_call_options *call_opts, ik_fastly_invitation **out,
    ik_error **out_err); /**< Next Fastly invitation, owned (ik_fastly_invitation_free); NULL when over. */

/** Items delivered so far (by pages and by items). */
IK_API int64_t ik_pager_items_delivered(const ik_pager *pager);
/** 1 once the iteration is over. */
IK_API int32_t ik_pager_done(const ik_pager *pager);

/**
 * A resumable cursor: an opaque ASCII string from which a new pager (in this
 * or another process, via ik_list_options.cursor) continues exactly where this
 * one stopped: in the middle of a page, and also after a max_items stop (it
 * then points at the first item not delivered). Written to *out (dispose with
 * ik_buf_dispose). Once the whole list has been read, the cursor is the empty
 * string.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL pager/out).
 */
IK_API ik_status ik_pager_cursor(const ik_pager *pager, ik_buf *out, ik_error **out_err);

/** Frees the pager (not the pages or items it handed out) and drops its
 * reference to the client. NULL-safe. */
IK_API void ik_pager_free(ik_pager *pager);

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_PAGER_H */
