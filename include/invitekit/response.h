/*
 * invitekit/response.h - metadata of the HTTP exchange behind a result.
 *
 * Every result (an invite, a user, a page, a delete) carries an ik_response:
 * status, request id, rate-limit headers, attempt count, timing. Objects
 * obtained from a result with *_response() are BORROWED from that result;
 * delete operations hand out an owned ik_response released with
 * ik_response_free(). Immutable and thread-safe to read.
 */
#ifndef INVITEKIT_RESPONSE_H
#define INVITEKIT_RESPONSE_H

#include <invitekit/common.h>

IK_BEGIN_DECLS

/* HTTP status of the final attempt (e.g. 200, 201, 204). 0 for NULL. */
IK_API int32_t ik_response_http_status(const ik_response *resp);

/* Provider of the call (IK_PROVIDER_*). */
IK_API int32_t ik_response_provider(const ik_response *resp);

/* Request id header (OpenAI x-request-id, Twilio Twilio-Request-Id, Fastly
 * x-request-id / fastly-request-id) or NULL. Borrowed. */
IK_API const char *ik_response_request_id(const ik_response *resp);

/* First value of a response header (case-insensitive), or NULL. Borrowed.
 * Rate limits: "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
 * "x-ratelimit-reset-requests" (OpenAI), "Fastly-RateLimit-Remaining",
 * "Fastly-RateLimit-Reset" (Fastly). */
IK_API const char *ik_response_header(const ik_response *resp, const char *name);

/* Number of response headers, and the i-th one (0-based, in arrival order).
 * ik_response_header_at returns 1 and sets *name and *value (borrowed) when i is
 * in range, else 0. */
IK_API size_t ik_response_header_count(const ik_response *resp);
IK_API int32_t ik_response_header_at(const ik_response *resp, size_t i, const char **name, const char **value);

/* Remaining requests reported by the provider's rate-limit header
 * (Fastly-RateLimit-Remaining or x-ratelimit-remaining-requests): returns 1 and
 * sets *out, or 0 when the header is absent or not a number. */
IK_API int32_t ik_response_ratelimit_remaining(const ik_response *resp, int64_t *out);
/* Rate-limit reset as Unix seconds (Fastly-RateLimit-Reset): 1 and *out, or 0. */
IK_API int32_t ik_response_ratelimit_reset(const ik_response *resp, int64_t *out);

/* Attempts the call needed (1 = first try succeeded). */
IK_API int32_t ik_response_attempts(const ik_response *resp);

/* Wall time of the whole call including retries, in microseconds. */
IK_API int64_t ik_response_elapsed_us(const ik_response *resp);

/* Raw response body (may be empty; a NUL follows it). Borrowed. Returns 1
 * when a body is present (len > 0), else 0; data/len may be NULL. */
IK_API int32_t ik_response_body(const ik_response *resp, const uint8_t **data, size_t *len);

/* Frees an OWNED response (from a delete operation). Never call it on a
 * borrowed one. NULL-safe. */
IK_API void ik_response_free(ik_response *resp);

IK_END_DECLS

#endif /* INVITEKIT_RESPONSE_H */
