/*
 * invitekit/common.h - status codes, providers, owned buffers, versions,
 * features and global initialisation.
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
 *  - `const char *` returned by an accessor is BORROWED: it stays valid until
 *    the object it came from is freed. NULL means "absent" (or JSON null).
 *  - Only fixed-width types cross the ABI: no C enum, bool, bitfield or
 *    varargs. Booleans are int32_t (0/1); tri-state values use IK_TRI_*.
 */
#ifndef INVITEKIT_COMMON_H
#define INVITEKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <invitekit/export.h>
#include <invitekit/version.h>

IK_BEGIN_DECLS

/* Opaque handle types (defined by the library; see the topic headers). */
typedef struct ik_error ik_error;                 /* error.h */
typedef struct ik_client ik_client;               /* client.h */
typedef struct ik_cancel_token ik_cancel_token;   /* client.h */
typedef struct ik_response ik_response;           /* response.h */
typedef struct ik_page ik_page;                   /* pager.h */
typedef struct ik_pager ik_pager;                 /* pager.h */
typedef struct ik_openai_invite ik_openai_invite; /* openai.h */
typedef struct ik_openai_invite_deleted ik_openai_invite_deleted; /* openai.h */
typedef struct ik_twilio_invite ik_twilio_invite; /* twilio.h */
typedef struct ik_twilio_user ik_twilio_user;     /* twilio.h */
typedef struct ik_fastly_invitation ik_fastly_invitation; /* fastly.h */

/* ------------------------------------------------------------------------ */
/* Status codes. The numbers are stable forever and never reused. Bindings   */
/* must treat an unknown value as "other error".                             */
/* ------------------------------------------------------------------------ */
typedef int32_t ik_status;

#define IK_STATUS_OK                 0
#define IK_STATUS_INVALID_ARGUMENT   1  /* NULL handle/argument, bad value, bad options version */
#define IK_STATUS_INVALID_UTF8       2  /* an input string is not valid UTF-8 */
#define IK_STATUS_NO_MEMORY          3
#define IK_STATUS_TRANSPORT          4  /* DNS, connect, reset, broken transfer, proxy */
#define IK_STATUS_TLS                5  /* certificate or TLS handshake failure */
#define IK_STATUS_TIMEOUT            6  /* attempt timeout or overall deadline exceeded */
#define IK_STATUS_CANCELLED          7  /* cancel token triggered or a callback asked to stop */
#define IK_STATUS_BAD_REQUEST        8  /* HTTP 400 */
#define IK_STATUS_AUTHENTICATION     9  /* HTTP 401 */
#define IK_STATUS_PERMISSION_DENIED 10  /* HTTP 403 */
#define IK_STATUS_NOT_FOUND         11  /* HTTP 404 */
#define IK_STATUS_CONFLICT          12  /* HTTP 409 */
#define IK_STATUS_UNPROCESSABLE     13  /* HTTP 422 */
#define IK_STATUS_RATE_LIMITED      14  /* HTTP 429 */
#define IK_STATUS_SERVER_ERROR      15  /* HTTP 5xx */
#define IK_STATUS_HTTP_OTHER        16  /* any other unexpected HTTP status (incl. refused redirects) */
#define IK_STATUS_PARSE             17  /* malformed or unexpected response body */
#define IK_STATUS_RESPONSE_TOO_LARGE 18 /* response exceeded max_response_bytes */
#define IK_STATUS_NO_CREDENTIALS    19  /* no credentials configured for the provider */
#define IK_STATUS_UNSUPPORTED       20  /* feature not available in this build */
#define IK_STATUS_INTERNAL          21  /* a bug in invitekit; the message says more */

/* Static English text for a status; never NULL (unknown values give "unknown status"). */
IK_API const char *ik_status_str(ik_status status);
/* Stable machine name for a status ("IK_STATUS_NOT_FOUND"); never NULL. */
IK_API const char *ik_status_name(ik_status status);

/* ------------------------------------------------------------------------ */
/* Providers                                                                 */
/* ------------------------------------------------------------------------ */
#define IK_PROVIDER_NONE   0
#define IK_PROVIDER_TWILIO 1
#define IK_PROVIDER_OPENAI 2
#define IK_PROVIDER_FASTLY 3

/* "twilio", "openai", "fastly" or "none"; never NULL. */
IK_API const char *ik_provider_name(int32_t provider);

/* Tri-state values for nullable booleans in responses. */
#define IK_TRI_NULL  (-1)
#define IK_TRI_FALSE 0
#define IK_TRI_TRUE  1

/* ------------------------------------------------------------------------ */
/* Owned buffers                                                             */
/* ------------------------------------------------------------------------ */
/*
 * A caller-owned struct whose contents the library allocates. Initialise it
 * with IK_BUF_INIT or ik_buf_init(); the library fills `data` (always followed
 * by a NUL byte that `len` does not count) and the caller releases the contents
 * with ik_buf_dispose(). On failure the buffer is left empty.
 */
typedef struct ik_buf {
  uint8_t *data;
  size_t len;
  size_t reserved; /* library use; do not touch */
} ik_buf;

#define IK_BUF_INIT { NULL, 0, 0 }

/* Zero-initialises *buf. NULL-safe. */
IK_API void ik_buf_init(ik_buf *buf);
/* Frees the contents of *buf and resets it to empty. NULL-safe, idempotent. */
IK_API void ik_buf_dispose(ik_buf *buf);

/* ------------------------------------------------------------------------ */
/* Versions and features                                                     */
/* ------------------------------------------------------------------------ */
/* Run-time library version, e.g. "0.1.0". Static string. */
IK_API const char *ik_version_string(void);
/* MAJOR*10000 + MINOR*100 + PATCH of the loaded library. */
IK_API int32_t ik_version_number(void);
/* Writes the three components (any pointer may be NULL). */
IK_API void ik_version(int32_t *major, int32_t *minor, int32_t *patch);
/* ABI version string of the loaded library ("0.1"); equals IK_ABI_VERSION when
 * header and library agree. Bindings check it once at start-up. */
IK_API const char *ik_abi_version(void);

#define IK_FEATURE_THREADS 0x1u /* ik_client may be used from many threads at once */
#define IK_FEATURE_HTTPS   0x2u /* libcurl was built with TLS support */
#define IK_FEATURE_HTTP2   0x4u /* libcurl supports HTTP/2 */
#define IK_FEATURE_ASYNCH_DNS 0x8u /* DNS resolution is cancellable (threaded resolver) */
/* Bitmask of IK_FEATURE_* for this build and the libcurl it runs on. */
IK_API uint32_t ik_features(void);
/* Version of the libcurl the library runs on, e.g. "7.88.1". Static string. */
IK_API const char *ik_libcurl_version(void);

/* ------------------------------------------------------------------------ */
/* Global initialisation                                                     */
/* ------------------------------------------------------------------------ */
/*
 * Optional: every constructor initialises the library lazily and thread-safely.
 * ik_global_init() may be called to do it up front (e.g. before threads start);
 * calls are reference-counted. ik_global_cleanup() drops one reference; it never
 * calls curl_global_cleanup() (a host process may use libcurl itself).
 * Errors: IK_STATUS_INTERNAL if libcurl's global init fails.
 */
IK_API ik_status ik_global_init(ik_error **out_err);
IK_API void ik_global_cleanup(void);

/* Limits, as functions for bindings that cannot read macros. */
IK_API int64_t ik_default_max_response_bytes(void);

IK_END_DECLS

#endif /* INVITEKIT_COMMON_H */
