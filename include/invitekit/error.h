/*
 * invitekit/error.h - the immutable error object.
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
 */
#ifndef INVITEKIT_ERROR_H
#define INVITEKIT_ERROR_H

#include <invitekit/common.h>

IK_BEGIN_DECLS

/* Status of the failure (never IK_STATUS_OK for a real error). */
IK_API ik_status ik_error_status(const ik_error *err);

/* Human-readable message: what failed and why, e.g.
 * "openai invites.retrieve: HTTP 404 Not Found: No invite found with id 'x'". Never NULL
 * for a non-NULL err. */
IK_API const char *ik_error_message(const ik_error *err);

/* HTTP status of the last response received, or 0 when none was received. */
IK_API int32_t ik_error_http_status(const ik_error *err);

/* IK_PROVIDER_* of the call that failed (IK_PROVIDER_NONE for argument errors
 * not tied to a provider). */
IK_API int32_t ik_error_provider(const ik_error *err);

/* Operation name, e.g. "invites.create" (with the provider: "openai"). */
IK_API const char *ik_error_operation(const ik_error *err);

/* The provider's machine-readable error code as text: Twilio's integer `code`
 * in decimal ("20404"), OpenAI's error.code ("invalid_api_key"; falls back to
 * error.type when code is null), Fastly's errors[0].code (or title). */
IK_API const char *ik_error_provider_code(const ik_error *err);

/* The provider's own error message (Twilio `message`, OpenAI error.message,
 * Fastly errors[0].detail/title or `msg`/`detail`). */
IK_API const char *ik_error_provider_message(const ik_error *err);

/*
 * Provider-specific extra fields by name, or NULL:
 *  Twilio:  "more_info", "details" (JSON text), and for RFC 9457 bodies
 *           "type", "title", "detail", "instance".
 *  OpenAI:  "type", "param", "code".
 *  Fastly:  "title", "detail", "id", "status", "code", "meta" (JSON text),
 *           "msg", "type" (problem+json), "errors" (the whole errors[] as JSON).
 *  Any provider: "content_type" of the error response, "url" (redacted).
 */
IK_API const char *ik_error_field(const ik_error *err, const char *name);

/* Request id from the response headers (OpenAI x-request-id, Twilio
 * Twilio-Request-Id, Fastly x-request-id / fastly-request-id), or NULL. */
IK_API const char *ik_error_request_id(const ik_error *err);

/* Value of a response header of the last attempt (case-insensitive name; the
 * first value if repeated), e.g. "Fastly-RateLimit-Remaining" or
 * "x-ratelimit-remaining-requests". NULL if absent or no response. */
IK_API const char *ik_error_header(const ik_error *err, const char *name);

/* Server-directed retry delay in milliseconds from retry-after-ms, Retry-After
 * (seconds or HTTP date) or Fastly-RateLimit-Reset; -1 if none was given. */
IK_API int64_t ik_error_retry_after_ms(const ik_error *err);

/* 1 if the same call may succeed when repeated later (connection failures,
 * timeouts, 408/429/5xx unless the server said otherwise), else 0. */
IK_API int32_t ik_error_is_retryable(const ik_error *err);

/* 1 if the request may have been processed by the server even though the call
 * failed (e.g. a POST whose connection broke after it was sent). A create that
 * fails with an ambiguous outcome may have created the object: look it up
 * before creating it again. */
IK_API int32_t ik_error_is_ambiguous(const ik_error *err);

/* Number of attempts made (1 = no retry). 0 if no request was sent. */
IK_API int32_t ik_error_attempts(const ik_error *err);

/* libcurl's CURLcode of the last attempt, 0 if the transfer itself worked. */
IK_API int32_t ik_error_transport_code(const ik_error *err);

/* Raw response body of the last attempt (not NUL-terminated in general; a
 * NUL is present at data[len] for convenience). Borrowed. Returns 1 and sets
 * *data and *len when a body was received, 0 (and sets them to NULL/0) otherwise.
 * data and len may be NULL. */
IK_API int32_t ik_error_body(const ik_error *err, const uint8_t **data, size_t *len);

/* Frees the error. NULL-safe. */
IK_API void ik_error_free(ik_error *err);

IK_END_DECLS

#endif /* INVITEKIT_ERROR_H */
