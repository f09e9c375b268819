/**
 * @file invitekit/common.h
 * @brief Status codes, providers, optional booleans, owned buffers, versions,
 * features and global initialisation.
 * @ingroup common
 */
/**
 * @defgroup common Conventions, status codes and versions
 * @brief What every other header relies on.
 *
 * Conventions used by every invitekit header:
 *  - Every exported symbol starts with ik_ (functions, types) or IK_ (macros).
 *  - Every fallible function returns ik_status (0 = IK_STATUS_OK) and takes
 *    `ik_error **out_err` as its LAST parameter. out_err may be NULL (the
 *    caller does not want details); otherwise *out_err must be NULL on entry
 *    and is set to a new error object if and only if the function fails.
 *    Release it with ik_error_free(). There is no thread-local "last error".
 *  - Constructors write the new object through an out-parameter and set it to
 *    NULL on failure; every ik_<object>_free() accepts NULL.
 *  - Strings are UTF-8 and NUL-terminated. Invalid UTF-8 input is rejected
 *    with IK_STATUS_INVALID_UTF8. The library copies every input before the
 *    call returns and keeps no caller pointer.
 *  - OWNERSHIP, one rule for every type: an object written through an
 *    out-parameter (`T **out`) is OWNED by the caller and released with its
 *    ik_<type>_free(); a pointer RETURNED by a function (`const char *`,
 *    `const T *`) is BORROWED from the object it was read from and stays valid
 *    until that object is freed. Owned byte results use ik_buf.
 *  - Absent values, one form per kind of value:
 *      strings:        NULL means absent or JSON null;
 *      booleans:       ik_optbool, where 0 (IK_OPTBOOL_UNSET) means
 *                      unset/absent/null, so that an _INIT-ed struct leaves
 *                      every optional input unset;
 *      integers and timestamps: `int32_t ik_x_field(const ik_x *, int64_t *out)`
 *                      returns 1 and writes *out when present, 0 otherwise
 *                      (out may be NULL to test presence);
 *      timestamps:     Unix seconds through `<field>_unix` accessors of that
 *                      form; where the API sends text, the text itself through
 *                      the accessor without the suffix;
 *      bytes:          `int32_t ik_x_y(const ik_x *, const uint8_t **data,
 *                      size_t *len)` returns 1 and sets both when present,
 *                      0 and NULL/0 otherwise (data and len may be NULL).
 *                      Always use len: whole bodies are followed by a NUL
 *                      byte, but items' raw JSON (a slice of a body) is not
 *                      guaranteed to be NUL-terminated.
 *  - Lists inside an object: `size_t ik_x_<item>_count(const ik_x *)` and
 *    `ik_x_<item>_at(const ik_x *, size_t i, ...)`, with i from 0.
 *  - Versioned structs (inputs) start with `uint32_t version` and have an
 *    `IK_<X>_VERSION` macro, an `IK_<X>_INIT` initialiser, `ik_<x>_init()` and
 *    `ik_<x>_version()`. Zero in any field means "default"/"unset".
 *  - Only fixed-width types cross the ABI: no C enum, bool, bitfield or
 *    varargs. Plain booleans are int32_t 0/1.
 * @{
 */
#ifndef INVITEKIT_COMMON_H
#define INVITEKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <invitekit/export.h>
#include <invitekit/version.h>

IK_BEGIN_DECLS

/** Opaque handle types (defined by the library; see the topic headers). */
typedef struct ik_error ik_error;                         /**< error.h */
typedef struct ik_client ik_client;                       /**< client.h */
typedef struct ik_cancel_token ik_cancel_token;           /**< client.h */
typedef struct ik_response ik_response;                   /**< response.h */
typedef struct ik_page ik_page;                           /**< pager.h */
typedef struct ik_pager ik_pager;                         /**< pager.h */
typedef struct ik_openai_invite ik_openai_invite;         /**< openai.h */
typedef struct ik_deletion ik_deletion;                   /**< response.h */
typedef struct ik_twilio_invite ik_twilio_invite;         /**< twilio.h */
typedef struct ik_twilio_user ik_twilio_user;             /**< twilio.h */
typedef struct ik_fastly_invitation ik_fastly_invitation; /**< fastly.h */

/* ------------------------------------------------------------------------ */
/* Status codes. The numbers are stable forever and never reused. Bindings   */
/* must treat an unknown value as "other error".                             */
/* ------------------------------------------------------------------------ */
/** Status code returned by every fallible function: IK_STATUS_OK (0) or one of the IK_STATUS_* values below. */
typedef int32_t ik_status;

#define IK_STATUS_OK                 0  /**< success */
#define IK_STATUS_INVALID_ARGUMENT   1  /**< NULL handle/argument, bad value, bad options version */
#define IK_STATUS_INVALID_UTF8       2  /**< an input string is not valid UTF-8 */
#define IK_STATUS_NO_MEMORY          3  /**< memory allocation failed */
#define IK_STATUS_TRANSPORT          4  /**< DNS, connect, reset, broken transfer, proxy */
#define IK_STATUS_TLS                5  /**< certificate or TLS handshake failure */
#define IK_STATUS_TIMEOUT            6  /**< attempt timeout or overall deadline exceeded */
#define IK_STATUS_CANCELLED          7  /**< cancel token triggered or a callback asked to stop */
#define IK_STATUS_BAD_REQUEST        8  /**< HTTP 400 */
#define IK_STATUS_AUTHENTICATION     9  /**< HTTP 401 */
#define IK_STATUS_PERMISSION_DENIED  10 /**< HTTP 403 */
#define IK_STATUS_NOT_FOUND          11 /**< HTTP 404 */
#define IK_STATUS_CONFLICT           12 /**< HTTP 409 */
#define IK_STATUS_UNPROCESSABLE      13 /**< HTTP 422 */
#define IK_STATUS_RATE_LIMITED       14 /**< HTTP 429 */
#define IK_STATUS_SERVER_ERROR       15 /**< HTTP 5xx */
#define IK_STATUS_HTTP_OTHER         16 /**< any other unexpected HTTP status (incl. refused redirects) */
#define IK_STATUS_PARSE              17 /**< malformed or unexpected response body */
#define IK_STATUS_RESPONSE_TOO_LARGE 18 /**< response exceeded max_response_bytes */
#define IK_STATUS_NO_CREDENTIALS     19 /**< no credentials configured for the provider */
#define IK_STATUS_UNSUPPORTED        20 /**< feature not available in this build */
#define IK_STATUS_INTERNAL           21 /**< a bug in invitekit; the message says more */
#define IK_STATUS_WOULD_BLOCK                                                                                    \
  22 /**< a blocking call or wait on the client's own I/O thread (async.h); an operation not complete yet (since \
        0.2.1) */

/** Static English text for a status; never NULL (unknown values give "unknown status"). */
IK_API const char *ik_status_str(ik_status status);
/** Stable machine name for a status ("IK_STATUS_NOT_FOUND"); never NULL. */
IK_API const char *ik_status_name(ik_status status);

/* ------------------------------------------------------------------------ */
/* Providers                                                                 */
/* ------------------------------------------------------------------------ */
#define IK_PROVIDER_NONE   0 /**< no provider (e.g. argument errors not tied to a provider) */
#define IK_PROVIDER_TWILIO 1 /**< Twilio */
#define IK_PROVIDER_OPENAI 2 /**< OpenAI */
#define IK_PROVIDER_FASTLY 3 /**< Fastly */

/** "twilio", "openai", "fastly" or "none"; never NULL. */
IK_API const char *ik_provider_name(int32_t provider);

/* ------------------------------------------------------------------------ */
/* Optional booleans, inputs and outputs alike                                */
/* ------------------------------------------------------------------------ */
/** An optional boolean: IK_OPTBOOL_UNSET, IK_OPTBOOL_TRUE or IK_OPTBOOL_FALSE. */
typedef int32_t ik_optbool;
/** Input: not set (not sent / the default applies). Output: absent or JSON null. */
#define IK_OPTBOOL_UNSET 0
/** true */
#define IK_OPTBOOL_TRUE 1
/** false */
#define IK_OPTBOOL_FALSE 2

/* ------------------------------------------------------------------------ */
/* Exactly-once invitations: what an ensure call did                          */
/* ------------------------------------------------------------------------ */
/*
 * The four ik_<resource>_ensure functions (openai.h, twilio.h, fastly.h) look
 * the person up, create only if absent, and after an ambiguous create failure
 * (the request may have reached the server, ik_error_is_ambiguous) or a
 * conflict look again before deciding, so that no invitation is sent twice.
 * They report what happened through `int32_t *out_outcome` (their
 * non-blocking twins, async.h, through ik_op_ensure_outcome()):
 */
/** Already there before the call, and it matches what was asked (role, attributes given). */
#define IK_ENSURE_PRESENT 1
/** Already there before the call, but with another role or other attributes (left unchanged). */
#define IK_ENSURE_PRESENT_DIFFERENT 2
/** Absent; this call created it. */
#define IK_ENSURE_CREATED 3
/** Absent; this call's create failed ambiguously, and a second lookup found the object it created. */
#define IK_ENSURE_RECOVERED 4

/** "present", "present_different", "created", "recovered", or "unknown"; never NULL. */
IK_API const char *ik_ensure_outcome_name(int32_t outcome);

/* ------------------------------------------------------------------------ */
/* Callbacks' user data                                                       */
/* ------------------------------------------------------------------------ */
/** Releases a callback's user data; the library calls it exactly once, when
 * the object that holds the callback is released. */
typedef void (*ik_free_cb)(void *user_data);

/* ------------------------------------------------------------------------ */
/* Owned buffers                                                             */
/* ------------------------------------------------------------------------ */
/**
 * A caller-owned struct whose contents the library allocates. Initialise it
 * with IK_BUF_INIT or ik_buf_init(); the library fills `data` (always followed
 * by a NUL byte that `len` does not count) and the caller releases the contents
 * with ik_buf_dispose(). On failure the buffer is left empty.
 */
typedef struct ik_buf {
  uint8_t *data;   /**< library-allocated contents, followed by a NUL byte; NULL when empty */
  size_t len;      /**< length of data in bytes, not counting the trailing NUL */
  size_t reserved; /**< library use; do not touch */
} ik_buf;

/** Static initialiser for an empty ik_buf. */
#define IK_BUF_INIT \
  { NULL, 0, 0 }

/** Zero-initialises *buf. NULL-safe. */
IK_API void ik_buf_init(ik_buf *buf);
/** Frees the contents of *buf and resets it to empty. NULL-safe, idempotent. */
IK_API void ik_buf_dispose(ik_buf *buf);

/* ------------------------------------------------------------------------ */
/* Versions and features                                                     */
/* ------------------------------------------------------------------------ */
/** Run-time library version, e.g. "0.2.0". Static string. */
IK_API const char *ik_version_string(void);
/** MAJOR*10000 + MINOR*100 + PATCH of the loaded library. */
IK_API int32_t ik_version_number(void);
/** Writes the three components (any pointer may be NULL). */
IK_API void ik_version(int32_t *major, int32_t *minor, int32_t *patch);
/** ABI version string of the loaded library ("0.2"); equals IK_ABI_VERSION when
 * header and library agree. Bindings check it once at start-up. */
IK_API const char *ik_abi_version(void);

#define IK_FEATURE_THREADS    0x1u /**< ik_client may be used from many threads at once */
#define IK_FEATURE_HTTPS      0x2u /**< libcurl was built with TLS support */
#define IK_FEATURE_HTTP2      0x4u /**< libcurl supports HTTP/2 */
#define IK_FEATURE_ASYNCH_DNS 0x8u /**< DNS resolution is cancellable (threaded resolver) */
/** Bitmask of IK_FEATURE_* for this build and the libcurl it runs on. */
IK_API uint32_t ik_features(void);
/** Version of the libcurl the library runs on, e.g. "7.88.1". Static string. */
IK_API const char *ik_libcurl_version(void);

/* ------------------------------------------------------------------------ */
/* Global initialisation                                                     */
/* ------------------------------------------------------------------------ */
/**
 * Optional: every constructor initialises the library lazily and thread-safely.
 * ik_global_init() may be called to do it up front (e.g. before threads start);
 * calls are reference-counted. ik_global_cleanup() drops one reference; it never
 * calls curl_global_cleanup() (a host process may use libcurl itself).
 * Errors: IK_STATUS_INTERNAL if libcurl's global init fails.
 */
IK_API ik_status ik_global_init(ik_error **out_err);
/** Drops one reference taken by ik_global_init(); never calls curl_global_cleanup(). */
IK_API void ik_global_cleanup(void);

/** Limits, as functions for bindings that cannot read macros. */
IK_API int64_t ik_default_max_response_bytes(void);

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_COMMON_H */
