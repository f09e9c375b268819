/**
 * @file invitekit/response.h
 * @brief Metadata of the HTTP exchange behind a result, and the result of a delete.
 * @ingroup responses
 */
/**
 * @defgroup responses Responses and deletions
 * @brief Exchange metadata (status, request id, rate limits, timing) and deletion results.
 *
 * Every result (an invite, a user, a page, a deletion) carries an ik_response:
 * HTTP status, request id, rate-limit headers, attempt count, timing, body.
 * An ik_response is always BORROWED from the result it was read from (through
 * ik_<result>_response()) and stays valid until that result is freed; there is
 * no ik_response_free. Immutable and thread-safe to read.
 *
 * Every delete operation of every provider hands out the same owned result
 * type, ik_deletion, through an optional out-parameter.
 * @{
 */
#ifndef INVITEKIT_RESPONSE_H
#define INVITEKIT_RESPONSE_H

#include <invitekit/common.h>

IK_BEGIN_DECLS

/** HTTP status of the final attempt (e.g. 200, 201, 204). 0 for NULL. */
IK_API int32_t ik_response_http_status(const ik_response *resp);

/** Provider of the call (IK_PROVIDER_*); IK_PROVIDER_NONE for NULL. */
IK_API int32_t ik_response_provider(const ik_response *resp);

/** Request id header (OpenAI x-request-id, Twilio Twilio-Request-Id, Fastly
 * x-request-id / fastly-request-id) or NULL. Borrowed. */
IK_API const char *ik_response_request_id(const ik_response *resp);

/** First value of a response header (case-insensitive name), or NULL. Borrowed.
 * Rate limits: "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
 * "x-ratelimit-reset-requests" (OpenAI), "Fastly-RateLimit-Remaining",
 * "Fastly-RateLimit-Reset" (Fastly). */
IK_API const char *ik_response_header(const ik_response *resp, const char *name);

/** Number of response headers (0 for NULL). */
IK_API size_t ik_response_header_count(const ik_response *resp);
/** The i-th response header (0-based, in arrival order): returns 1 and sets
 * *name and *value (borrowed; either pointer may be NULL) when i is in range,
 * else 0 and NULLs. */
IK_API int32_t ik_response_header_at(const ik_response *resp, size_t i, const char **name, const char **value);

/** Remaining requests reported by the provider's rate-limit header
 * (Fastly-RateLimit-Remaining or x-ratelimit-remaining-requests): returns 1 and
 * sets *out, or 0 when the header is absent or not a number. */
IK_API int32_t ik_response_ratelimit_remaining(const ik_response *resp, int64_t *out);
/** Rate-limit reset as Unix seconds (Fastly-RateLimit-Reset): 1 and *out, or 0. */
IK_API int32_t ik_response_ratelimit_reset_unix(const ik_response *resp, int64_t *out);

/** Attempts the call needed (1 = the first try succeeded); 0 for NULL. */
IK_API int32_t ik_response_attempts(const ik_response *resp);

/** Wall time of the whole call including retries, in microseconds; 0 for NULL. */
IK_API int64_t ik_response_elapsed_us(const ik_response *resp);

/** Raw response body. Borrowed; a NUL follows it. Returns 1 and sets *data and
 * *len when the response had a body (len > 0), else 0 and NULL/0. data and len
 * may be NULL. */
IK_API int32_t ik_response_body(const ik_response *resp, const uint8_t **data, size_t *len);

/* ------------------------------------------------------------------------ */
/* Deletion results                                                          */
/* ------------------------------------------------------------------------ */

/** IK_KIND_* of the deleted object (pager.h); IK_KIND_NONE for NULL. */
IK_API int32_t ik_deletion_kind(const ik_deletion *del);

/** Id of the deleted object: the id the server reported (OpenAI's body `id`)
 * or, for APIs that answer 204 without a body (Twilio, Fastly), the id or
 * identity the call was given. Borrowed. */
IK_API const char *ik_deletion_id(const ik_deletion *del);

/** Whether the server says the object is deleted: OpenAI's `deleted` field
 * (IK_OPTBOOL_UNSET when absent or null); IK_OPTBOOL_TRUE for a 204 answer. */
IK_API ik_optbool ik_deletion_deleted(const ik_deletion *del);

/** The body's `object` field ("organization.invite.deleted" for OpenAI), NULL
 * when the answer had no body. Borrowed. */
IK_API const char *ik_deletion_object(const ik_deletion *del);

/** The response body as received (OpenAI); 0 and NULL/0 for a 204 answer.
 * Borrowed; a NUL follows it. */
IK_API int32_t ik_deletion_raw_json(const ik_deletion *del, const uint8_t **data, size_t *len);

/** Exchange metadata, borrowed from the deletion. */
IK_API const ik_response *ik_deletion_response(const ik_deletion *del);

/** Frees a deletion result. NULL-safe. */
IK_API void ik_deletion_free(ik_deletion *del);

IK_END_DECLS

/** @} */

#endif /* INVITEKIT_RESPONSE_H */
