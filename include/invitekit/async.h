/**
 * @file invitekit/async.h
 * @brief Non-blocking operations: start a call, get one completion callback.
 * @ingroup async
 */
#ifndef INVITEKIT_ASYNC_H
#define INVITEKIT_ASYNC_H

#include "invitekit/client.h"
#include "invitekit/error.h"
#include "invitekit/fastly.h"
#include "invitekit/openai.h"
#include "invitekit/pager.h"
#include "invitekit/response.h"
#include "invitekit/twilio.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup async Non-blocking calls
 * @brief Every operation, and the next page of a pager, without blocking.
 *
 * Each of the sixteen operations and each of the four ensure calls has a twin
 * ending in `_start` (and the pager has ik_pager_next_page_start()). It takes
 * the same arguments as the blocking call minus its out-parameters, plus a
 * completion callback and its user data, and returns at once:
 *
 * - It returns IK_STATUS_OK when the operation was accepted. The callback then
 *   runs **exactly once**, whatever happens (success, HTTP or network error,
 *   cancellation, ik_client_free()). In the callback, ik_op_status() says how
 *   it ended and the typed ik_op_take_*() function hands over the result (the
 *   same object the blocking call would have returned) or ik_op_take_error()
 *   the error.
 * - It returns an error (and never calls the callback) when the arguments are
 *   invalid: the same argument checks as the blocking call, made before
 *   anything is queued, so a NULL, a bad UTF-8 string or a bad options version
 *   is reported to the caller directly.
 *
 * The same engine as the blocking calls: request building, retries (backoff
 * waits are timers, never a sleeping thread), deadlines, the rule that a create
 * is never sent twice, redaction and logging are shared code. Blocking calls
 * still run on the caller's thread with no thread hop.
 *
 * **Threads.** The first `_start` call on a client starts the client's I/O
 * thread: one thread and one libcurl multi handle per client, with one
 * connection pool shared by all non-blocking calls (HTTP/2 streams are
 * multiplexed on one connection when the server offers HTTP/2). The client's
 * completion mode (ik_client_options.completion_mode, fixed at creation)
 * decides where callbacks run:
 *
 * - #IK_COMPLETIONS_IO_THREAD (default): on the client's I/O thread. Keep
 *   callbacks short: the client's other non-blocking calls wait while one runs.
 * - #IK_COMPLETIONS_IO_THREAD_RELAY (since 0.2.4): on the client's I/O thread
 *   too, but a callback may be slow or block. When one has run for
 *   #IK_RELAY_AFTER_MS to twice that, the loop moves on to a new thread: the
 *   client's other calls are held back at most that long, and the rest of the
 *   callbacks run there; the thread left in the slow callback ends when it
 *   returns. Callbacks may therefore overlap once a relay happened. Blocking
 *   calls and ik_op_wait() are allowed in these callbacks (no
 *   #IK_STATUS_WOULD_BLOCK, except ik_op_wait() on the callback's own
 *   operation): they hand the loop over in the same way. This is
 *   the mode for running a host's continuations directly, e.g. the code after
 *   an `await`, without the risk of a deadlock. A relay costs one thread start;
 *   while callbacks run, a watchdog thread of the client wakes every
 *   #IK_RELAY_AFTER_MS ms (it sleeps while none run). An operation started
 *   from a callback of this mode (on the thread holding the loop) has its
 *   request written before the `_start` call returns (since 0.2.5), so its
 *   round trip overlaps the rest of the callback: e.g. the next page, asked
 *   for before the current one is processed.
 * - #IK_COMPLETIONS_QUEUED: on the thread that calls ik_client_dispatch(), for
 *   hosts with their own event loop. ik_client_completion_fd() gives a
 *   descriptor that is readable while completions wait; add it to the loop
 *   (epoll, poll, libuv's uv_poll) and call ik_client_dispatch() when it fires.
 *
 * The engine does not hand libcurl's sockets to a host loop (no
 * curl_multi_socket_action() in the ABI): the transfers stay inside the
 * library, where retries, deadlines and redaction live; the host is woken only
 * for completions.
 *
 * **Callbacks** receive the operation (borrowed for the duration of the call)
 * and may: take the result or the error, start new operations on any client,
 * cancel or free other operations, and call ik_client_free(). A blocking
 * call (or ik_op_wait()) made on the I/O thread of the same client fails with
 * #IK_STATUS_WOULD_BLOCK instead of stalling or deadlocking the loop; use a
 * `_start` call there (in the relay mode it is allowed, see above). A
 * callback must not throw (C++) or unwind (Rust panics, Go panics, C#
 * exceptions) into the library: the bindings catch first.
 *
 * **Cancellation**, from any thread: ik_op_cancel() on the handle, or the
 * ik_call_options.cancel token (which must stay alive until the callback has
 * run). Before the request is sent, during the transfer or during a backoff
 * wait, the operation ends with #IK_STATUS_CANCELLED (a create that had been
 * sent is marked ambiguous, as in the blocking call). An operation that has
 * already completed is not affected.
 *
 * **ik_client_free()** with operations in flight cancels them: each callback
 * runs (status #IK_STATUS_CANCELLED, ik_error_cancelled_by() =
 * #IK_CANCELLED_BY_CLIENT_FREE) **before ik_client_free() returns**, on the
 * I/O thread in the default mode, on the thread calling ik_client_free() in
 * the queued mode. No callback ever runs after ik_client_free() returns; in
 * the relay mode it also waits for callbacks still running on threads the
 * loop has left.
 * Called from a callback on the client's own I/O thread, ik_client_free()
 * runs the remaining callbacks right there, before it returns.
 *
 * **Handles.** `out_op` is optional. When given, the caller holds a reference
 * to the operation and releases it with ik_op_free() (before, during or after
 * completion: freeing neither cancels nor waits). Result and error objects not
 * taken are freed with the operation.
 * @{
 */

/** An operation started without blocking (opaque, reference-counted). */
typedef struct ik_op ik_op;

/**
 * Completion callback: runs exactly once per accepted operation. `op` is
 * borrowed for the duration of the call (take what you need; to keep the
 * handle, pass `out_op` when starting). Never NULL.
 */
typedef void (*ik_op_cb)(ik_op *op, void *user_data);

/** What an operation produces (ik_op_result_type()). */
#define IK_RESULT_NONE              0 /**< nothing (not a valid operation) */
#define IK_RESULT_OPENAI_INVITE     1 /**< ik_op_take_openai_invite() */
#define IK_RESULT_TWILIO_INVITE     2 /**< ik_op_take_twilio_invite() */
#define IK_RESULT_TWILIO_USER       3 /**< ik_op_take_twilio_user() */
#define IK_RESULT_FASTLY_INVITATION 4 /**< ik_op_take_fastly_invitation() */
#define IK_RESULT_DELETION          5 /**< ik_op_take_deletion() */
#define IK_RESULT_PAGE              6 /**< ik_op_take_page() (NULL after the last page of a pager) */

/* ---- starting operations (same checks and errors as the blocking twins) ---- */

/** ik_openai_invite_create() without blocking; result: IK_RESULT_OPENAI_INVITE. */
IK_API ik_status ik_openai_invite_create_start(const ik_client *client, const ik_openai_invite_create_params *params,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);
/** ik_openai_invite_retrieve() without blocking; result: IK_RESULT_OPENAI_INVITE. */
IK_API ik_status ik_openai_invite_retrieve_start(const ik_client *client, const char *invite_id,
                                                 const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                 ik_op **out_op, ik_error **out_err);
/** ik_openai_invite_list() (one page) without blocking; result: IK_RESULT_PAGE. */
IK_API ik_status ik_openai_invite_list_start(const ik_client *client, const ik_list_options *list_opts,
                                             const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                             ik_op **out_op, ik_error **out_err);
/** ik_openai_invite_delete() without blocking; result: IK_RESULT_DELETION. */
IK_API ik_status ik_openai_invite_delete_start(const ik_client *client, const char *invite_id,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);

/** ik_twilio_invite_create() without blocking; result: IK_RESULT_TWILIO_INVITE. */
IK_API ik_status ik_twilio_invite_create_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *identity, const char *role_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);
/** ik_twilio_invite_fetch() without blocking; result: IK_RESULT_TWILIO_INVITE. */
IK_API ik_status ik_twilio_invite_fetch_start(const ik_client *client, const char *service_sid, const char *channel_sid,
                                              const char *invite_sid, const ik_call_options *call_opts, ik_op_cb cb,
                                              void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_twilio_invite_list() (one page) without blocking; result: IK_RESULT_PAGE. */
IK_API ik_status ik_twilio_invite_list_start(const ik_client *client, const char *service_sid, const char *channel_sid,
                                             const char *const *identities, size_t identity_count,
                                             const ik_list_options *list_opts, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_twilio_invite_delete() without blocking; result: IK_RESULT_DELETION. */
IK_API ik_status ik_twilio_invite_delete_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *invite_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);

/** ik_twilio_user_create() without blocking; result: IK_RESULT_TWILIO_USER. */
IK_API ik_status ik_twilio_user_create_start(const ik_client *client, const char *service_sid,
                                             const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_twilio_user_fetch() without blocking; result: IK_RESULT_TWILIO_USER. */
IK_API ik_status ik_twilio_user_fetch_start(const ik_client *client, const char *service_sid,
                                            const char *sid_or_identity, const ik_call_options *call_opts, ik_op_cb cb,
                                            void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_twilio_user_list() (one page) without blocking; result: IK_RESULT_PAGE. */
IK_API ik_status ik_twilio_user_list_start(const ik_client *client, const char *service_sid,
                                           const ik_list_options *list_opts, const ik_call_options *call_opts,
                                           ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_twilio_user_update() without blocking; result: IK_RESULT_TWILIO_USER. */
IK_API ik_status ik_twilio_user_update_start(const ik_client *client, const char *service_sid,
                                             const char *sid_or_identity, const ik_twilio_user_params *params,
                                             const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                             ik_op **out_op, ik_error **out_err);
/** ik_twilio_user_delete() without blocking; result: IK_RESULT_DELETION. */
IK_API ik_status ik_twilio_user_delete_start(const ik_client *client, const char *service_sid,
                                             const char *sid_or_identity, const ik_call_options *call_opts, ik_op_cb cb,
                                             void *user_data, ik_op **out_op, ik_error **out_err);

/** ik_fastly_invitation_create() without blocking; result: IK_RESULT_FASTLY_INVITATION. */
IK_API ik_status ik_fastly_invitation_create_start(const ik_client *client,
                                                   const ik_fastly_invitation_create_params *params,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err);
/** ik_fastly_invitation_list() (one page) without blocking; result: IK_RESULT_PAGE. */
IK_API ik_status ik_fastly_invitation_list_start(const ik_client *client, const ik_list_options *list_opts,
                                                 const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                 ik_op **out_op, ik_error **out_err);
/** ik_fastly_invitation_delete() without blocking; result: IK_RESULT_DELETION. */
IK_API ik_status ik_fastly_invitation_delete_start(const ik_client *client, const char *invitation_id,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err);

/* ---- exactly once, without blocking (since 0.2.2) ---- */

/**
 * ik_openai_invite_ensure() without blocking; result: IK_RESULT_OPENAI_INVITE
 * (the invite found or created), and what happened through
 * ik_op_ensure_outcome(). The same rounds as the blocking call (look up,
 * create only if absent, look again after an ambiguous create or a 409), each
 * request sent by the client's engine, and the same errors.
 *
 * Serialization: ensures of one client for the same person (blocking and
 * non-blocking alike) run one after another, in the order they were started,
 * so exactly one of them creates. A non-blocking ensure that has to wait
 * holds no thread: it is in flight (ik_client_ops_in_flight()), and
 * ik_op_cancel(), its cancel token and ik_client_free() end it with
 * #IK_STATUS_CANCELLED before anything is sent. ik_op_operation() is
 * "invites.ensure". Argument errors are returned here (callback never runs).
 */
IK_API ik_status ik_openai_invite_ensure_start(const ik_client *client, const ik_openai_invite_create_params *params,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);
/** ik_twilio_invite_ensure() without blocking; result: IK_RESULT_TWILIO_INVITE
 * and ik_op_ensure_outcome(); "invites.ensure". As ik_openai_invite_ensure_start(). */
IK_API ik_status ik_twilio_invite_ensure_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *identity, const char *role_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err);
/** ik_twilio_user_ensure() without blocking; result: IK_RESULT_TWILIO_USER
 * and ik_op_ensure_outcome(); "users.ensure". As ik_openai_invite_ensure_start(). */
IK_API ik_status ik_twilio_user_ensure_start(const ik_client *client, const char *service_sid,
                                             const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err);
/** ik_fastly_invitation_ensure() without blocking; result:
 * IK_RESULT_FASTLY_INVITATION and ik_op_ensure_outcome(); "invitations.ensure".
 * As ik_openai_invite_ensure_start(). */
IK_API ik_status ik_fastly_invitation_ensure_start(const ik_client *client,
                                                   const ik_fastly_invitation_create_params *params,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err);

/**
 * ik_pager_next_page() without blocking; result: IK_RESULT_PAGE, NULL when the
 * pagination is over. Until the callback has run, the pager is busy: every
 * other call on it fails with IK_STATUS_INVALID_ARGUMENT, and ik_pager_free()
 * is deferred until the operation completes (it never frees a pager under a
 * running transfer). On failure the pager is unchanged, as in the blocking call.
 */
IK_API ik_status ik_pager_next_page_start(ik_pager *pager, const ik_call_options *call_opts, ik_op_cb cb,
                                          void *user_data, ik_op **out_op, ik_error **out_err);

/* ---- the operation handle ---- */

/** 1 once the operation has completed and its callback has returned, else 0. NULL-safe (0). */
IK_API int32_t ik_op_done(const ik_op *op);
/**
 * How the operation ended: IK_STATUS_OK or the error's status. Before
 * completion (outside the callback) it is #IK_STATUS_WOULD_BLOCK.
 * IK_STATUS_INVALID_ARGUMENT for NULL.
 */
IK_API ik_status ik_op_status(const ik_op *op);
/** The IK_RESULT_* the operation produces (known from the start). NULL-safe (IK_RESULT_NONE). */
IK_API int32_t ik_op_result_type(const ik_op *op);
/** The provider (IK_PROVIDER_*) of the operation. NULL-safe (IK_PROVIDER_NONE). */
IK_API int32_t ik_op_provider(const ik_op *op);
/** The operation's name ("invites.create"), static storage; NULL for NULL. */
IK_API const char *ik_op_operation(const ik_op *op);

/**
 * What a completed ensure operation (ik_<resource>_ensure_start) did: one of
 * IK_ENSURE_* (common.h), as the blocking call's *out_outcome. 0 while it
 * runs, when it failed, and for an operation that is not an ensure.
 * NULL-safe (0). Since 0.2.2.
 */
IK_API int32_t ik_op_ensure_outcome(const ik_op *op);

/**
 * The error of a failed operation, BORROWED (valid until ik_op_free(), or
 * until ik_op_take_error()); NULL while running, on success, or once taken.
 */
IK_API const ik_error *ik_op_error(const ik_op *op);
/**
 * Hands over the error: *out becomes the caller's (free it with
 * ik_error_free()), or NULL when there is none (success) or it was taken.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL op/out, operation not complete).
 */
IK_API ik_status ik_op_take_error(ik_op *op, ik_error **out, ik_error **out_err);

/**
 * Hands over the result of a successful operation: *out becomes the caller's,
 * freed with the type's ik_<x>_free(); NULL if the operation failed or the
 * result was already taken (and for a pager past its end). Errors:
 * IK_STATUS_INVALID_ARGUMENT if op or out is NULL, the operation has not
 * completed, or it produces another result type (ik_op_result_type()).
 */
IK_API ik_status ik_op_take_openai_invite(ik_op *op, ik_openai_invite **out, ik_error **out_err);
IK_API ik_status ik_op_take_twilio_invite(ik_op *op, ik_twilio_invite **out,
                                          ik_error **out_err); /**< See ik_op_take_openai_invite(). */
IK_API ik_status ik_op_take_twilio_user(ik_op *op, ik_twilio_user **out,
                                        ik_error **out_err); /**< See ik_op_take_openai_invite(). */
IK_API ik_status ik_op_take_fastly_invitation(ik_op *op, ik_fastly_invitation **out,
                                              ik_error **out_err); /**< See ik_op_take_openai_invite(). */
IK_API ik_status ik_op_take_deletion(ik_op *op, ik_deletion **out,
                                     ik_error **out_err);                       /**< See ik_op_take_openai_invite(). */
IK_API ik_status ik_op_take_page(ik_op *op, ik_page **out, ik_error **out_err); /**< See ik_op_take_openai_invite(). */

/**
 * Requests cancellation, from any thread; returns at once. The callback still
 * runs exactly once (with IK_STATUS_CANCELLED unless the operation completed
 * first). NULL-safe; no effect on a completed operation.
 */
IK_API void ik_op_cancel(ik_op *op);

/**
 * Blocks until the operation's callback has returned, or timeout_ms passes
 * (negative = no limit). In the queued completion mode it dispatches the
 * client's queued completions on the calling thread while it waits.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL), IK_STATUS_TIMEOUT (not done in
 * time; the operation goes on), IK_STATUS_WOULD_BLOCK (called on the client's
 * I/O thread, where waiting would deadlock; not in the relay mode, where the
 * loop moves on; and, in every mode, called from the operation's own
 * callback, which would wait for itself).
 */
IK_API ik_status ik_op_wait(ik_op *op, int64_t timeout_ms, ik_error **out_err);

/** Releases the caller's reference (see "Handles" above). NULL-safe; never blocks. */
IK_API void ik_op_free(ik_op *op);

/* ---- client-level ---- */

/**
 * A descriptor that is readable while completions are queued
 * (#IK_COMPLETIONS_QUEUED only). BORROWED: owned by the client, valid until
 * ik_client_free(); do not read, write or close it. Linux eventfd.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL, or the client runs callbacks on
 * its I/O thread).
 */
IK_API ik_status ik_client_completion_fd(const ik_client *client, int32_t *out_fd, ik_error **out_err);

/**
 * Runs up to `max` queued completion callbacks (0 = all queued now) on the
 * calling thread, and writes how many ran to *out_ran (may be NULL). Never
 * blocks waiting for new completions. Safe to call from several threads (each
 * callback runs once). In the default mode there is nothing to dispatch (0).
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL client).
 */
IK_API ik_status ik_client_dispatch(const ik_client *client, int32_t max, int32_t *out_ran, ik_error **out_err);

/** Operations started whose callback has not yet returned. NULL-safe (0). */
IK_API int64_t ik_client_ops_in_flight(const ik_client *client);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* INVITEKIT_ASYNC_H */
