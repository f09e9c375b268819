/**
 * @file invitekit/client.h
 * @brief The client, its options, per-call options, cancel tokens, logging and
 * the retry callback.
 * @ingroup client
 */
/**
 * @defgroup client Client, options, cancellation, logging
 * @brief One thread-safe client per process (or per set of credentials).
 *
 * THREAD SAFETY
 *  1. ik_global_init/ik_global_cleanup may be called from any thread.
 *  2. An ik_client is safe to use from many threads at once (like Go's
 *     http.Client or .NET's HttpClient): every operation takes a
 *     `const ik_client *`. Connections are pooled per client and reused
 *     (keep-alive, TLS session reuse, HTTP/2 when offered); a call never opens
 *     a new connection when an idle one to the same host exists.
 *     ik_client_free must not race with calls on the same client.
 *  3. Result objects (errors, responses, pages, invites, users) are immutable
 *     and may be read, shared and freed from any thread.
 *  4. There is no thread-local state: errors are returned, not stashed.
 *  5. Callbacks (log, retry) run synchronously on the thread that made the
 *     call, may run concurrently when several threads use one client, must not
 *     call back into the same client, and are never invoked after
 *     ik_client_free returns. Their user_data is released with the matching
 *     *_user_data_free function (if set) when ik_client_free is called.
 *  6. ik_cancel_token_cancel may be called from any thread at any time.
 *  7. ANY FREE ORDER IS SAFE. A pager keeps its client alive internally (a
 *     reference count), so the client and the pagers made from it may be
 *     released in any order, from any thread (garbage collectors' finalizers
 *     run in no defined order). After ik_client_free, a pager of that client
 *     fails every call that would send a request (ik_pager_next_*) with
 *     IK_STATUS_INVALID_ARGUMENT ("the client was freed"), while
 *     ik_pager_cursor and its other accessors keep working, so the position
 *     can still be saved and resumed with another client. ik_client_free
 *     closes the connections, wipes the secrets and releases the callbacks'
 *     user data before it returns; the client's memory goes with its last
 *     pager. Results (pages, items, errors, deletions) never refer to the
 *     client.
 *
 * EMBEDDING: the library prints nothing unless a log callback or one of the log
 * environment variables asks it to, installs no signal handler or atexit hook,
 * sets CURLOPT_NOSIGNAL on every transfer, never calls curl_global_cleanup, and
 * may be dlopen'ed/dlclose'd repeatedly.
 * @{
 */
#ifndef INVITEKIT_CLIENT_H
#define INVITEKIT_CLIENT_H

#include <invitekit/common.h>

IK_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Logging                                                                   */
/* ------------------------------------------------------------------------ */
#define IK_LOG_OFF   0 /**< no logging */
#define IK_LOG_ERROR 1 /**< errors only */
#define IK_LOG_WARN  2 /**< warnings and errors */
#define IK_LOG_INFO  3 /**< informational events, warnings and errors */
#define IK_LOG_DEBUG 4 /**< debugging details as well */
#define IK_LOG_TRACE 5 /**< also logs request and response bodies (still redacted) */

/** "error", "warn", "info", "debug", "trace" or "off"; never NULL. */
IK_API const char *ik_log_level_name(int32_t level);

/**
 * One log event. All strings are borrowed for the duration of the callback and
 * may be NULL. Credentials never appear: Authorization, Fastly-Key,
 * Proxy-Authorization and Cookie header values and credential query parameters
 * are replaced by "[REDACTED]". Append-only: check `version` before reading
 * fields added later.
 */
typedef struct ik_log_record {
  uint32_t version;       /**< IK_LOG_RECORD_VERSION of the library that wrote it */
  int32_t level;          /**< IK_LOG_* */
  const char *message;    /**< one line, human readable */
  int32_t provider;       /**< IK_PROVIDER_* */
  const char *operation;  /**< e.g. "invites.create" */
  const char *method;     /**< "GET", "POST", "DELETE" */
  const char *url;        /**< full URL with secrets redacted */
  int32_t http_status;    /**< 0 if no response (yet) */
  int32_t attempt;        /**< 1-based attempt number, 0 if not tied to an attempt */
  int64_t latency_us;     /**< duration of the attempt, -1 if not applicable */
  const char *request_id; /**< provider request id header, if any */
} ik_log_record;
/** Version of the ik_log_record layout declared by this header. */
#define IK_LOG_RECORD_VERSION 1
/** The ik_log_record version this library writes. */
IK_API uint32_t ik_log_record_version(void);

/** Log callback (ik_client_options.log_cb): receives each log event with the
 * log_user_data given in the options; the record is borrowed for the call. */
typedef void (*ik_log_cb)(const ik_log_record *record, void *user_data);

/* ------------------------------------------------------------------------ */
/* Retry callback                                                            */
/* ------------------------------------------------------------------------ */
/** Describes a retry the engine is about to make. Borrowed for the callback. */
typedef struct ik_retry_info {
  uint32_t version;        /**< IK_RETRY_INFO_VERSION */
  int32_t provider;        /**< IK_PROVIDER_* */
  const char *operation;   /**< e.g. "users.fetch" */
  int32_t attempt;         /**< the attempt that just failed (1-based) */
  ik_status status;        /**< how it failed */
  int32_t http_status;     /**< 0 if no response */
  int64_t delay_ms;        /**< how long the engine will wait before the next attempt */
  int32_t server_directed; /**< 1 if delay_ms comes from a server header */
} ik_retry_info;
/** Version of the ik_retry_info layout declared by this header. */
#define IK_RETRY_INFO_VERSION 1
/** The ik_retry_info version this library writes. */
IK_API uint32_t ik_retry_info_version(void);

/** Return 0 to let the retry happen, non-zero to veto it: the call then fails
 * with IK_STATUS_CANCELLED, ik_error_cancelled_by() == IK_CANCELLED_BY_RETRY_CALLBACK,
 * and the HTTP status, headers, body and provider fields of the attempt that
 * just failed. */
typedef int32_t (*ik_retry_cb)(const ik_retry_info *info, void *user_data);

/* ------------------------------------------------------------------------ */
/* Client options                                                            */
/* ------------------------------------------------------------------------ */
/** Backoff jitter */
#define IK_JITTER_FULL         0 /**< delay = random(0, min(cap, base * 2^(attempt-1))) (default) */
#define IK_JITTER_DECORRELATED 1 /**< delay = min(cap, random(base, previous * 3)) */
#define IK_JITTER_NONE         2 /**< delay = min(cap, base * 2^(attempt-1)); for tests */

/** What to do when a server asks to wait longer than max_server_wait_ms. */
#define IK_SERVER_WAIT_GIVE_UP 0 /**< fail now with the rate-limit error (default) */
#define IK_SERVER_WAIT_CAP     1 /**< wait max_server_wait_ms, then retry */

/** Client flags */
#define IK_CLIENT_IGNORE_ENV            0x1u /**< do not read any environment variable */
#define IK_CLIENT_INSECURE_NO_VERIFY    0x2u /**< disable TLS peer and host verification (never do this in production) */
#define IK_CLIENT_NO_PROXY_ENV          0x4u /**< ignore http_proxy/https_proxy/no_proxy */
#define IK_CLIENT_RETRY_AMBIGUOUS_POSTS 0x8u /**< also retry a create whose outcome is ambiguous (may duplicate it) */

/**
 * Options for ik_client_new. Initialise with ik_client_options_init() (or
 * IK_CLIENT_OPTIONS_INIT); a zero value in any field means "default". All
 * strings are copied by ik_client_new; NULL means "not set".
 *
 * RESOLUTION ORDER (first match wins, per field):
 *   1. the explicit option below;
 *   2. the vendors' environment variables (skipped with IK_CLIENT_IGNORE_ENV):
 *      Twilio:  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY,
 *               TWILIO_API_SECRET, TWILIO_EDGE, TWILIO_REGION
 *      OpenAI:  OPENAI_ADMIN_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID
 *      Fastly:  FASTLY_API_TOKEN, then FASTLY_API_KEY; FASTLY_API_URL
 *      Proxy:   https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY, no_proxy/NO_PROXY
 *               (read by libcurl; skipped with IK_CLIENT_NO_PROXY_ENV)
 *      Logging: INVITEKIT_LOG, OPENAI_LOG, TWILIO_LOG_LEVEL, FASTLY_DEBUG_MODE
 *               (only used when no log_cb is given; they log to stderr)
 *   3. the built-in default.
 *   An explicit option always wins over its environment variable even when
 *   other fields of the same provider come from the environment.
 *
 * Twilio credentials: an API key (twilio_api_key "SK..." + twilio_api_secret)
 * is used when both are set, with twilio_account_sid identifying the account;
 * otherwise twilio_account_sid + twilio_auth_token. The Authorization header
 * of each provider is computed once, in ik_client_new.
 *
 * Base URLs: twilio_base_url replaces "https://chat.twilio.com" (and disables
 * the edge/region host rewrite); with an edge/region the host becomes
 * chat.{edge}.{region}.twilio.com (region defaults to us1 when only an edge is
 * given). openai_base_url replaces "https://api.openai.com/v1";
 * fastly_base_url replaces "https://api.fastly.com". A base URL must be http or
 * https; a trailing slash is ignored. twilio_edge and twilio_region (and
 * TWILIO_EDGE / TWILIO_REGION) must each be one DNS label
 * ([A-Za-z0-9], inner '-', at most 63 characters): anything else fails with
 * IK_STATUS_INVALID_ARGUMENT before anything is sent.
 *
 * RANGES of the time and count settings (here and in ik_call_options):
 * every *_ms setting (timeouts, deadline, retry delays, max_server_wait_ms) is
 * negative -> IK_STATUS_INVALID_ARGUMENT, 0 -> the default, 1..2592000000
 * (30 days) as given, larger -> clamped to 30 days; max_retries is -1 -> no
 * retries, below -1 -> IK_STATUS_INVALID_ARGUMENT, 0 -> the default (2),
 * 1..100 as given, larger -> clamped to 100; max_response_bytes is negative
 * -> IK_STATUS_INVALID_ARGUMENT, 0 -> 16 MiB. No setting can overflow the
 * library's time arithmetic.
 */
typedef struct ik_client_options {
  uint32_t version; /**< IK_CLIENT_OPTIONS_VERSION */
  uint32_t flags;   /**< IK_CLIENT_* */

  /* Twilio */
  const char *twilio_account_sid; /**< Twilio account SID (TWILIO_ACCOUNT_SID) */
  const char *twilio_auth_token;  /**< Twilio auth token (TWILIO_AUTH_TOKEN) */
  const char *twilio_api_key;     /**< Twilio API key "SK..." (TWILIO_API_KEY) */
  const char *twilio_api_secret;  /**< Twilio API key secret (TWILIO_API_SECRET) */
  const char *twilio_edge;        /**< Twilio edge, one DNS label (TWILIO_EDGE) */
  const char *twilio_region;      /**< Twilio region, one DNS label (TWILIO_REGION) */
  const char *twilio_base_url;    /**< replaces "https://chat.twilio.com" */

  /* OpenAI */
  const char *openai_admin_key;    /**< OpenAI admin key (OPENAI_ADMIN_KEY) */
  const char *openai_organization; /**< sent as OpenAI-Organization */
  const char *openai_project;      /**< sent as OpenAI-Project */
  const char *openai_base_url;     /**< replaces "https://api.openai.com/v1" (OPENAI_BASE_URL) */

  /* Fastly */
  const char *fastly_api_token; /**< Fastly API token (FASTLY_API_TOKEN, then FASTLY_API_KEY) */
  const char *fastly_base_url;  /**< replaces "https://api.fastly.com" (FASTLY_API_URL) */

  /* Transport */
  const char *user_agent_suffix; /**< appended to "invitekit/<version> libcurl/<version>" */
  int64_t connect_timeout_ms;    /**< default 10000 */
  int64_t attempt_timeout_ms;    /**< per attempt, default 60000 */
  int64_t deadline_ms;           /**< whole call incl. retries and backoff; default 0 = none */
  const char *ca_file;           /**< PEM bundle replacing the system CAs */
  const char *proxy;             /**< e.g. "http://proxy:3128"; overrides the environment */
  int64_t max_response_bytes;    /**< default ik_default_max_response_bytes() (16 MiB) */

  /* Retries (see docs/DESIGN.md "Retries") */
  int32_t max_retries;             /**< retries after the first attempt; default 2; -1 = none */
  int32_t jitter;                  /**< IK_JITTER_* */
  int64_t retry_base_delay_ms;     /**< default 500 */
  int64_t retry_max_delay_ms;      /**< default 8000 */
  int64_t max_server_wait_ms;      /**< cap on server-directed waits; default 60000 */
  int32_t server_wait_policy;      /**< IK_SERVER_WAIT_* */
  ik_retry_cb retry_cb;            /**< called before each retry; NULL = none */
  void *retry_user_data;           /**< passed to retry_cb; owned by the client after ik_client_new succeeds */
  ik_free_cb retry_user_data_free; /**< releases retry_user_data when the client is freed; may be NULL */

  /* Logging */
  int32_t log_level;             /**< IK_LOG_*; default IK_LOG_INFO when log_cb is set */
  ik_log_cb log_cb;              /**< receives log events; NULL = none (environment logging applies) */
  void *log_user_data;           /**< passed to log_cb; owned by the client after ik_client_new succeeds */
  ik_free_cb log_user_data_free; /**< releases log_user_data when the client is freed; may be NULL */

  /* Non-blocking calls (version 2, since 0.2.1; async.h) */
  int32_t completion_mode; /**< IK_COMPLETIONS_*; default IK_COMPLETIONS_IO_THREAD */
  int32_t max_connections; /**< open connections of the non-blocking engine; 0 = default (64), max 4096 */
} ik_client_options;

/** Where the completion callbacks of non-blocking calls run (async.h). */
#define IK_COMPLETIONS_IO_THREAD 0 /**< on the client's I/O thread (default) */
#define IK_COMPLETIONS_QUEUED    1 /**< queued; run by ik_client_dispatch() on the caller's thread */
/** On the client's I/O thread, which hands its loop over to a new thread when a callback runs longer than 5 to
 *  10 ms (IK_RELAY_AFTER_MS), so a slow or blocking callback cannot hold back or deadlock the client's other calls
 *  (since 0.2.4; async.h). A request started from one of its callbacks is written before the start call returns
 *  (since 0.2.5). Older libraries reject it with IK_STATUS_INVALID_ARGUMENT. */
#define IK_COMPLETIONS_IO_THREAD_RELAY 2
/** How long a callback may run before an IK_COMPLETIONS_IO_THREAD_RELAY client's loop moves to another thread:
 *  between this and twice this many milliseconds. */
#define IK_RELAY_AFTER_MS 5

/** Version of the ik_client_options layout declared by this header. */
#define IK_CLIENT_OPTIONS_VERSION 2
/** Static initialiser: version set, every other field zero (default). */
#define IK_CLIENT_OPTIONS_INIT                                                                                        \
  {                                                                                                                   \
    IK_CLIENT_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
        0, 0, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, 0                         \
  }

/**
 * Zero-fills *opts and sets opts->version = version.
 * Errors: IK_STATUS_INVALID_ARGUMENT if opts is NULL or version is 0 or newer
 * than this library knows (ik_client_options_version()).
 */
IK_API ik_status ik_client_options_init(ik_client_options *opts, uint32_t version, ik_error **out_err);
/** The newest ik_client_options version this library accepts. */
IK_API uint32_t ik_client_options_version(void);

/**
 * Creates a client. opts may be NULL (all defaults, credentials from the
 * environment). Credentials may be missing for providers the caller does not
 * use: a call to such a provider fails with IK_STATUS_NO_CREDENTIALS.
 * Errors: IK_STATUS_INVALID_ARGUMENT (NULL out, bad version, bad base URL,
 * negative timeout), IK_STATUS_INVALID_UTF8, IK_STATUS_NO_MEMORY.
 * On success *out receives a client to release with ik_client_free(), which
 * takes over the callbacks' user data (retry_user_data, log_user_data) and
 * releases it through their *_user_data_free. On failure neither free function
 * is called: the caller still owns the user data.
 */
IK_API ik_status ik_client_new(const ik_client_options *opts, ik_client **out, ik_error **out_err);

/** Frees the client: closes pooled connections, wipes stored secrets from
 * memory and releases the callbacks' user data. NULL-safe. Must not race with
 * calls on the same client. Pagers made from the client may be freed before or
 * after it (see THREAD SAFETY, rule 7). */
IK_API void ik_client_free(ik_client *client);

/** The base URL the client uses for a provider (borrowed, valid until
 * ik_client_free), or NULL for an unknown provider. */
IK_API const char *ik_client_base_url(const ik_client *client, int32_t provider);

/** 1 if credentials are configured for the provider, else 0. */
IK_API int32_t ik_client_has_credentials(const ik_client *client, int32_t provider);

/** Number of TCP connections the client has opened so far (for diagnostics and
 * tests of connection reuse). */
IK_API int64_t ik_client_connections_opened(const ik_client *client);

/* ------------------------------------------------------------------------ */
/* Cancellation                                                              */
/* ------------------------------------------------------------------------ */
/**
 * A cancel token can be passed to any number of calls (ik_call_options.cancel).
 * ik_cancel_token_cancel() makes every call using it return
 * IK_STATUS_CANCELLED promptly (within milliseconds, also during a backoff
 * sleep or a slow response); the connection in use is closed, not leaked.
 * The token stays cancelled until ik_cancel_token_reset(). Thread-safe.
 */
IK_API ik_status ik_cancel_token_new(ik_cancel_token **out, ik_error **out_err);
IK_API void ik_cancel_token_cancel(ik_cancel_token *token);                /**< NULL-safe, async-signal-unsafe */
IK_API int32_t ik_cancel_token_is_cancelled(const ik_cancel_token *token); /**< 1 if the token is cancelled, else 0 */
IK_API void ik_cancel_token_reset(ik_cancel_token *token);                 /**< NULL-safe */
/** Frees the token. It must not be in use by a call. NULL-safe. */
IK_API void ik_cancel_token_free(ik_cancel_token *token);

/* ------------------------------------------------------------------------ */
/* Per-call options                                                          */
/* ------------------------------------------------------------------------ */
/** Per-call overrides of the client's options. Every operation takes a
 * `const ik_call_options *` that may be NULL (client defaults). Zero means
 * "use the client's value". */
typedef struct ik_call_options {
  uint32_t version;                 /**< IK_CALL_OPTIONS_VERSION */
  int64_t connect_timeout_ms;       /**< 0 = the client's value */
  int64_t attempt_timeout_ms;       /**< per attempt; 0 = the client's value */
  int64_t deadline_ms;              /**< overall deadline for this call, measured from its start */
  int32_t max_retries;              /**< -1 = no retries */
  ik_optbool retry_ambiguous_posts; /**< IK_OPTBOOL_UNSET = the client's IK_CLIENT_RETRY_AMBIGUOUS_POSTS flag */
  ik_cancel_token *cancel;          /**< borrowed for the duration of the call */
  /** Extra request headers, each "Name: value" (e.g. "Prefer: example=full").
   * They cannot replace Authorization, Fastly-Key, Content-Type or Host
   * (IK_STATUS_INVALID_ARGUMENT). Copied for the call. */
  const char *const *extra_headers;
  size_t extra_headers_count; /**< number of entries in extra_headers */
} ik_call_options;

/** Version of the ik_call_options layout declared by this header. */
#define IK_CALL_OPTIONS_VERSION 1
/** Static initialiser: version set, every other field zero (the client's values). */
#define IK_CALL_OPTIONS_INIT \
  { IK_CALL_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, 0 }

/** Zero-fills *opts and sets its version. Errors as ik_client_options_init. */
IK_API ik_status ik_call_options_init(ik_call_options *opts, uint32_t version, ik_error **out_err);
/** The newest ik_call_options version this library accepts. */
IK_API uint32_t ik_call_options_version(void);

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_CLIENT_H */
