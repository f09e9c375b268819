/**
 * @file invitekit/error.h
 * @brief The immutable error object.
 * @ingroup errors
 */
/**
 * @defgroup errors Errors
 * @brief Status codes tell what class of failure; ik_error tells everything else.
 *
 * A failed call returns a non-zero ik_status and, when the caller passed a
 * non-NULL out_err, a new ik_error. The object is immutable: it may be read,
 * shared and freed from any thread. Every `const char *` accessor returns a
 * string BORROWED from the error (valid until ik_error_free) or NULL when the
 * field is absent. Secrets (Authorization, Fastly-Key, tokens, passwords) never
 * appear in any field: request headers are not stored, and URLs and messages
 * are redacted before the object is built.
 *
 * All accessors accept NULL and then return the "absent" value.
 * @{
 */
#ifndef INVITEKIT_ERROR_H
#define INVITEKIT_ERROR_H

#include <invitekit/common.h>

IK_BEGIN_DECLS

/** Status of the failure (never IK_STATUS_OK for a real error). */
IK_API ik_status ik_error_status(const ik_error *err);

/** Human-readable message: what failed and why, e.g.
 * "openai invites.retrieve: HTTP 404 Not Found: No invite found with id 'x'". Never NULL
 * for a non-NULL err. */
IK_API const char *ik_error_message(const ik_error *err);

/** HTTP status of the last response received, or 0 when none was received. */
IK_API int32_t ik_error_http_status(const ik_error *err);

/** IK_PROVIDER_* of the call that failed (IK_PROVIDER_NONE for argument errors
 * not tied to a provider). */
IK_API int32_t ik_error_provider(const ik_error *err);

/** Operation name, e.g. "invites.create" (with the provider: "openai"). */
IK_API const char *ik_error_operation(const ik_error *err);

/** The provider's machine-readable error code as text: Twilio's integer `code`
 * in decimal ("20404"), OpenAI's error.code ("invalid_api_key"; falls back to
 * error.type when code is null), Fastly's errors[0].code (or title). */
IK_API const char *ik_error_provider_code(const ik_error *err);

/** The provider's own error message (Twilio `message`, OpenAI error.message,
 * Fastly "title: detail" of errors[0] (or the one that is present), or
 * `msg`/`detail`). */
IK_API const char *ik_error_provider_message(const ik_error *err);

/**
 * Provider-specific extra fields by name, or NULL:
 *  Twilio:  "more_info", "details" (JSON text), and for RFC 9457 bodies
 *           "type", "title", "detail", "instance".
 *  OpenAI:  "type", "param", "code".
 *  Fastly:  "title", "detail", "id", "status", "code", "meta" (JSON text),
 *           "msg", "type" (problem+json), "errors" (the whole errors[] as JSON).
 *  Any provider: "content_type" of the error response, "url" (redacted).
 */
IK_API const char *ik_error_field(const ik_error *err, const char *name);

/** Number of provider-specific fields the error carries (the names above that
 * were present), and the i-th one (0-based): returns 1 and sets *name and
 * *value (borrowed; either pointer may be NULL) when i is in range, else 0 and
 * NULLs. Lets a binding copy every field, including ones added later. */
IK_API size_t ik_error_field_count(const ik_error *err);
/** The i-th provider-specific field (0-based): returns 1 and sets *name and *value
 * (borrowed; either pointer may be NULL) when i is in range, else 0 and NULLs. */
IK_API int32_t ik_error_field_at(const ik_error *err, size_t i, const char **name, const char **value);

/** Request id from the response headers (OpenAI x-request-id, Twilio
 * Twilio-Request-Id, Fastly x-request-id / fastly-request-id), or NULL. */
IK_API const char *ik_error_request_id(const ik_error *err);

/** Value of a response header of the last attempt (case-insensitive name; the
 * first value if repeated), e.g. "Fastly-RateLimit-Remaining" or
 * "x-ratelimit-remaining-requests". NULL if absent or no response. Borrowed. */
IK_API const char *ik_error_header(const ik_error *err, const char *name);

/** Number of response headers of the last attempt (0 when no response was
 * received), and the i-th one (0-based, in arrival order): returns 1 and sets
 * *name and *value (borrowed; either pointer may be NULL) when i is in range,
 * else 0 and NULLs. */
IK_API size_t ik_error_header_count(const ik_error *err);
/** The i-th response header of the last attempt (0-based, in arrival order):
 * returns 1 and sets *name and *value (borrowed; either pointer may be NULL) when
 * i is in range, else 0 and NULLs. */
IK_API int32_t ik_error_header_at(const ik_error *err, size_t i, const char **name, const char **value);

/** Server-directed retry delay in milliseconds from retry-after-ms, Retry-After
 * (seconds or HTTP date) or Fastly-RateLimit-Reset: returns 1 and sets *out
 * when the server gave one, else 0. out may be NULL. */
IK_API int32_t ik_error_retry_after_ms(const ik_error *err, int64_t *out);

/** 1 if the same call may succeed when repeated later (connection failures,
 * timeouts, 408/429/5xx unless the server said otherwise, and for OpenAI also
 * 409, which its SDKs retry), else 0. The engine retries such failures itself
 * (max_retries), except a create whose outcome is ambiguous. */
IK_API int32_t ik_error_is_retryable(const ik_error *err);

/** 1 if the request may have been processed by the server even though the call
 * failed (e.g. a POST whose connection broke after it was sent). A create that
 * fails with an ambiguous outcome may have created the object: look it up
 * before creating it again. */
IK_API int32_t ik_error_is_ambiguous(const ik_error *err);

/** Number of attempts made (1 = no retry). 0 if no request was sent. */
IK_API int32_t ik_error_attempts(const ik_error *err);

/** libcurl's CURLcode of the last attempt, 0 if the transfer itself worked. */
IK_API int32_t ik_error_transport_code(const ik_error *err);

/** Who stopped a call that failed with IK_STATUS_CANCELLED. */
#define IK_CANCELLED_BY_NONE           0 /**< the call was not cancelled */
#define IK_CANCELLED_BY_TOKEN          1 /**< an ik_cancel_token (ik_call_options.cancel) */
#define IK_CANCELLED_BY_RETRY_CALLBACK 2 /**< the client's retry callback vetoed a retry */
#define IK_CANCELLED_BY_OPERATION      3 /**< ik_op_cancel() on a non-blocking operation (since 0.2.1) */
#define IK_CANCELLED_BY_CLIENT_FREE    4 /**< ik_client_free() with the operation in flight (since 0.2.1) */

/** IK_CANCELLED_BY_* for an IK_STATUS_CANCELLED error, IK_CANCELLED_BY_NONE
 * otherwise. A binding tells its own abort (a callback that returned non-zero)
 * from any other failure with it. When a retry callback vetoes a retry, the
 * HTTP status, headers, body and provider fields of the attempt that failed
 * stay readable on the error. */
IK_API int32_t ik_error_cancelled_by(const ik_error *err);

/** Raw response body of the last attempt. Borrowed; a NUL follows it. Returns 1
 * and sets *data and *len when a body was received (possibly empty), 0 (and
 * NULL/0) otherwise. data and len may be NULL. */
IK_API int32_t ik_error_body(const ik_error *err, const uint8_t **data, size_t *len);

/** Frees the error. NULL-safe. */
IK_API void ik_error_free(ik_error *err);

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_ERROR_H */
