//! Raw FFI declarations for libinvitekit, C ABI 0.2 as of library 0.2.4 (`include/invitekit/*.h`,
//! including the non-blocking calls of `async.h`).
//!
//! Hand-written, no bindgen. Every exported function of `tests/abi/symbols.txt` is declared here;
//! the `signatures` test compares each declaration with `tests/abi/functions.txt` and the `layout`
//! test compares every `#[repr(C)]` struct with the output of `tests/abi/layout_printer.c`.
//!
//! Conventions (see `common.h`): every fallible function returns [`ik_status`] and takes
//! `*mut *mut ik_error` last; what a function writes through an out-parameter is owned by the caller
//! (released with its `_free`), what it returns is borrowed from the object it was read from.
//! Use the safe `invitekit` crate unless you need the raw ABI.
//!
//! # Linking
//!
//! The build script (std only) takes the first of: `INVITEKIT_LIB_DIR` (a directory holding the
//! library), `pkg-config --libs invitekit` (skipped with `INVITEKIT_NO_PKG_CONFIG=1`; point
//! `PKG_CONFIG_PATH` at `<build>/meson-uninstalled` for a Meson build tree), a bare `-linvitekit`.
//!
//! `INVITEKIT_STATIC=1` links `libinvitekit.a` (next to the `.so` in a Meson build's `src/`, and
//! in `libinvitekit-dev`) statically and its own dependencies dynamically from the system: the
//! packages of `pkg-config --print-requires-private invitekit` (libcurl, simdjson) through their
//! plain `pkg-config --libs`, and invitekit's own `Libs.private` (`-lstdc++ -lpthread`); where
//! pkg-config is absent or does not know invitekit, `-lcurl -lsimdjson -lstdc++ -lpthread`.
//! `pkg-config --static` is not used: it would also demand the static libraries of libcurl's
//! private dependencies (zstd, nghttp2, krb5, …), which distributions do not ship. A program so
//! linked has no `NEEDED` entry for `libinvitekit.so`.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{CStr, c_char, c_void};
use core::marker::{PhantomData, PhantomPinned};

/// The ABI version these declarations were written against (`IK_ABI_VERSION`). Compare it with
/// [`ik_abi_version`] at start-up.
pub const IK_ABI_VERSION: &CStr = c"0.2";

macro_rules! opaque {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[repr(C)]
        pub struct $name {
            _data: [u8; 0],
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    )*};
}

opaque! {
    /// An immutable error object (`error.h`).
    ik_error;
    /// A thread-safe client (`client.h`).
    ik_client;
    /// A cancel token (`client.h`).
    ik_cancel_token;
    /// Exchange metadata, always borrowed from a result (`response.h`).
    ik_response;
    /// One page of a list (`pager.h`).
    ik_page;
    /// A pager over a list (`pager.h`).
    ik_pager;
    /// An OpenAI organization invite (`openai.h`).
    ik_openai_invite;
    /// The result of a delete (`response.h`).
    ik_deletion;
    /// A Twilio Chat v1 channel invite (`twilio.h`).
    ik_twilio_invite;
    /// A Twilio Chat v2 user (`twilio.h`).
    ik_twilio_user;
    /// A Fastly invitation (`fastly.h`).
    ik_fastly_invitation;
    /// An operation started without blocking, reference-counted (`async.h`).
    ik_op;
}

// ---------------------------------------------------------------------------------------------
// common.h
// ---------------------------------------------------------------------------------------------

/// A status code; 0 is [`IK_STATUS_OK`]. Unknown values must be treated as "other error".
pub type ik_status = i32;
pub const IK_STATUS_OK: ik_status = 0;
pub const IK_STATUS_INVALID_ARGUMENT: ik_status = 1;
pub const IK_STATUS_INVALID_UTF8: ik_status = 2;
pub const IK_STATUS_NO_MEMORY: ik_status = 3;
pub const IK_STATUS_TRANSPORT: ik_status = 4;
pub const IK_STATUS_TLS: ik_status = 5;
pub const IK_STATUS_TIMEOUT: ik_status = 6;
pub const IK_STATUS_CANCELLED: ik_status = 7;
pub const IK_STATUS_BAD_REQUEST: ik_status = 8;
pub const IK_STATUS_AUTHENTICATION: ik_status = 9;
pub const IK_STATUS_PERMISSION_DENIED: ik_status = 10;
pub const IK_STATUS_NOT_FOUND: ik_status = 11;
pub const IK_STATUS_CONFLICT: ik_status = 12;
pub const IK_STATUS_UNPROCESSABLE: ik_status = 13;
pub const IK_STATUS_RATE_LIMITED: ik_status = 14;
pub const IK_STATUS_SERVER_ERROR: ik_status = 15;
pub const IK_STATUS_HTTP_OTHER: ik_status = 16;
pub const IK_STATUS_PARSE: ik_status = 17;
pub const IK_STATUS_RESPONSE_TOO_LARGE: ik_status = 18;
pub const IK_STATUS_NO_CREDENTIALS: ik_status = 19;
pub const IK_STATUS_UNSUPPORTED: ik_status = 20;
pub const IK_STATUS_INTERNAL: ik_status = 21;
/// A blocking call or wait on the client's own I/O thread; an operation not complete yet (0.2.1).
pub const IK_STATUS_WOULD_BLOCK: ik_status = 22;

pub const IK_PROVIDER_NONE: i32 = 0;
pub const IK_PROVIDER_TWILIO: i32 = 1;
pub const IK_PROVIDER_OPENAI: i32 = 2;
pub const IK_PROVIDER_FASTLY: i32 = 3;

/// An optional boolean: [`IK_OPTBOOL_UNSET`] (0), [`IK_OPTBOOL_TRUE`] or [`IK_OPTBOOL_FALSE`].
pub type ik_optbool = i32;
pub const IK_OPTBOOL_UNSET: ik_optbool = 0;
pub const IK_OPTBOOL_TRUE: ik_optbool = 1;
pub const IK_OPTBOOL_FALSE: ik_optbool = 2;

/// Releases a callback's user data; called exactly once, when the holder is released.
pub type ik_free_cb = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

/// A caller-owned buffer whose contents the library allocates (`ik_buf_dispose`).
#[repr(C)]
#[derive(Debug)]
pub struct ik_buf {
    pub data: *mut u8,
    pub len: usize,
    /// Library use; do not touch.
    pub reserved: usize,
}

/// `IK_BUF_INIT`.
pub const IK_BUF_INIT: ik_buf = ik_buf { data: core::ptr::null_mut(), len: 0, reserved: 0 };

// Exactly-once invitations: what an ensure call did (`int32_t *out_outcome`).
pub const IK_ENSURE_PRESENT: i32 = 1;
pub const IK_ENSURE_PRESENT_DIFFERENT: i32 = 2;
pub const IK_ENSURE_CREATED: i32 = 3;
pub const IK_ENSURE_RECOVERED: i32 = 4;

pub const IK_FEATURE_THREADS: u32 = 0x1;
pub const IK_FEATURE_HTTPS: u32 = 0x2;
pub const IK_FEATURE_HTTP2: u32 = 0x4;
pub const IK_FEATURE_ASYNCH_DNS: u32 = 0x8;

unsafe extern "C" {
    pub fn ik_status_str(status: ik_status) -> *const c_char;
    pub fn ik_status_name(status: ik_status) -> *const c_char;
    pub fn ik_provider_name(provider: i32) -> *const c_char;
    pub fn ik_ensure_outcome_name(outcome: i32) -> *const c_char;
    pub fn ik_buf_init(buf: *mut ik_buf);
    pub fn ik_buf_dispose(buf: *mut ik_buf);
    pub fn ik_version_string() -> *const c_char;
    pub fn ik_version_number() -> i32;
    pub fn ik_version(major: *mut i32, minor: *mut i32, patch: *mut i32);
    pub fn ik_abi_version() -> *const c_char;
    pub fn ik_features() -> u32;
    pub fn ik_libcurl_version() -> *const c_char;
    pub fn ik_global_init(out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_global_cleanup();
    pub fn ik_default_max_response_bytes() -> i64;
}

// ---------------------------------------------------------------------------------------------
// error.h
// ---------------------------------------------------------------------------------------------

pub const IK_CANCELLED_BY_NONE: i32 = 0;
pub const IK_CANCELLED_BY_TOKEN: i32 = 1;
pub const IK_CANCELLED_BY_RETRY_CALLBACK: i32 = 2;
/// [`ik_op_cancel`] on a non-blocking operation (0.2.1).
pub const IK_CANCELLED_BY_OPERATION: i32 = 3;
/// [`ik_client_free`] with the operation in flight (0.2.1).
pub const IK_CANCELLED_BY_CLIENT_FREE: i32 = 4;

unsafe extern "C" {
    pub fn ik_error_status(err: *const ik_error) -> ik_status;
    pub fn ik_error_message(err: *const ik_error) -> *const c_char;
    pub fn ik_error_http_status(err: *const ik_error) -> i32;
    pub fn ik_error_provider(err: *const ik_error) -> i32;
    pub fn ik_error_operation(err: *const ik_error) -> *const c_char;
    pub fn ik_error_provider_code(err: *const ik_error) -> *const c_char;
    pub fn ik_error_provider_message(err: *const ik_error) -> *const c_char;
    pub fn ik_error_field(err: *const ik_error, name: *const c_char) -> *const c_char;
    pub fn ik_error_field_count(err: *const ik_error) -> usize;
    pub fn ik_error_field_at(
        err: *const ik_error,
        i: usize,
        name: *mut *const c_char,
        value: *mut *const c_char,
    ) -> i32;
    pub fn ik_error_request_id(err: *const ik_error) -> *const c_char;
    pub fn ik_error_header(err: *const ik_error, name: *const c_char) -> *const c_char;
    pub fn ik_error_header_count(err: *const ik_error) -> usize;
    pub fn ik_error_header_at(
        err: *const ik_error,
        i: usize,
        name: *mut *const c_char,
        value: *mut *const c_char,
    ) -> i32;
    pub fn ik_error_retry_after_ms(err: *const ik_error, out: *mut i64) -> i32;
    pub fn ik_error_is_retryable(err: *const ik_error) -> i32;
    pub fn ik_error_is_ambiguous(err: *const ik_error) -> i32;
    pub fn ik_error_attempts(err: *const ik_error) -> i32;
    pub fn ik_error_transport_code(err: *const ik_error) -> i32;
    pub fn ik_error_cancelled_by(err: *const ik_error) -> i32;
    pub fn ik_error_body(err: *const ik_error, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_error_free(err: *mut ik_error);
}

// ---------------------------------------------------------------------------------------------
// client.h
// ---------------------------------------------------------------------------------------------

pub const IK_LOG_OFF: i32 = 0;
pub const IK_LOG_ERROR: i32 = 1;
pub const IK_LOG_WARN: i32 = 2;
pub const IK_LOG_INFO: i32 = 3;
pub const IK_LOG_DEBUG: i32 = 4;
pub const IK_LOG_TRACE: i32 = 5;

/// One log event; every string is borrowed for the duration of the callback and may be NULL.
#[repr(C)]
#[derive(Debug)]
pub struct ik_log_record {
    pub version: u32,
    pub level: i32,
    pub message: *const c_char,
    pub provider: i32,
    pub operation: *const c_char,
    pub method: *const c_char,
    pub url: *const c_char,
    pub http_status: i32,
    pub attempt: i32,
    pub latency_us: i64,
    pub request_id: *const c_char,
}
pub const IK_LOG_RECORD_VERSION: u32 = 1;

pub type ik_log_cb = Option<unsafe extern "C" fn(record: *const ik_log_record, user_data: *mut c_void)>;

/// Describes a retry the engine is about to make; borrowed for the callback.
#[repr(C)]
#[derive(Debug)]
pub struct ik_retry_info {
    pub version: u32,
    pub provider: i32,
    pub operation: *const c_char,
    pub attempt: i32,
    pub status: ik_status,
    pub http_status: i32,
    pub delay_ms: i64,
    pub server_directed: i32,
}
pub const IK_RETRY_INFO_VERSION: u32 = 1;

/// Returns 0 to let the retry happen, non-zero to veto it.
pub type ik_retry_cb = Option<unsafe extern "C" fn(info: *const ik_retry_info, user_data: *mut c_void) -> i32>;

pub const IK_JITTER_FULL: i32 = 0;
pub const IK_JITTER_DECORRELATED: i32 = 1;
pub const IK_JITTER_NONE: i32 = 2;

pub const IK_SERVER_WAIT_GIVE_UP: i32 = 0;
pub const IK_SERVER_WAIT_CAP: i32 = 1;

pub const IK_CLIENT_IGNORE_ENV: u32 = 0x1;
pub const IK_CLIENT_INSECURE_NO_VERIFY: u32 = 0x2;
pub const IK_CLIENT_NO_PROXY_ENV: u32 = 0x4;
pub const IK_CLIENT_RETRY_AMBIGUOUS_POSTS: u32 = 0x8;

/// Options for [`ik_client_new`]; initialise with [`ik_client_options_init`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_client_options {
    pub version: u32,
    pub flags: u32,
    pub twilio_account_sid: *const c_char,
    pub twilio_auth_token: *const c_char,
    pub twilio_api_key: *const c_char,
    pub twilio_api_secret: *const c_char,
    pub twilio_edge: *const c_char,
    pub twilio_region: *const c_char,
    pub twilio_base_url: *const c_char,
    pub openai_admin_key: *const c_char,
    pub openai_organization: *const c_char,
    pub openai_project: *const c_char,
    pub openai_base_url: *const c_char,
    pub fastly_api_token: *const c_char,
    pub fastly_base_url: *const c_char,
    pub user_agent_suffix: *const c_char,
    pub connect_timeout_ms: i64,
    pub attempt_timeout_ms: i64,
    pub deadline_ms: i64,
    pub ca_file: *const c_char,
    pub proxy: *const c_char,
    pub max_response_bytes: i64,
    pub max_retries: i32,
    pub jitter: i32,
    pub retry_base_delay_ms: i64,
    pub retry_max_delay_ms: i64,
    pub max_server_wait_ms: i64,
    pub server_wait_policy: i32,
    pub retry_cb: ik_retry_cb,
    pub retry_user_data: *mut c_void,
    pub retry_user_data_free: ik_free_cb,
    pub log_level: i32,
    pub log_cb: ik_log_cb,
    pub log_user_data: *mut c_void,
    pub log_user_data_free: ik_free_cb,
    /// `IK_COMPLETIONS_*` (version 2).
    pub completion_mode: i32,
    /// Open connections of the non-blocking engine; 0 = default (64), at most 4096 (version 2).
    pub max_connections: i32,
}
/// Version 2 (0.2.1) appended `completion_mode` and `max_connections`; version 1 is still accepted.
pub const IK_CLIENT_OPTIONS_VERSION: u32 = 2;

/// Completion callbacks run on the client's I/O thread (default).
pub const IK_COMPLETIONS_IO_THREAD: i32 = 0;
/// Completion callbacks are queued and run by [`ik_client_dispatch`] on the caller's thread.
pub const IK_COMPLETIONS_QUEUED: i32 = 1;
/// On the I/O thread; a callback running longer than `IK_RELAY_AFTER_MS` (to twice that) moves the
/// loop to a new thread (library 0.2.4).
pub const IK_COMPLETIONS_IO_THREAD_RELAY: i32 = 2;
/// See `IK_COMPLETIONS_IO_THREAD_RELAY`.
pub const IK_RELAY_AFTER_MS: i32 = 5;

/// Per-call overrides; initialise with [`ik_call_options_init`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_call_options {
    pub version: u32,
    pub connect_timeout_ms: i64,
    pub attempt_timeout_ms: i64,
    pub deadline_ms: i64,
    pub max_retries: i32,
    pub retry_ambiguous_posts: ik_optbool,
    pub cancel: *mut ik_cancel_token,
    pub extra_headers: *const *const c_char,
    pub extra_headers_count: usize,
}
pub const IK_CALL_OPTIONS_VERSION: u32 = 1;

unsafe extern "C" {
    pub fn ik_log_level_name(level: i32) -> *const c_char;
    pub fn ik_log_record_version() -> u32;
    pub fn ik_retry_info_version() -> u32;
    pub fn ik_client_options_init(opts: *mut ik_client_options, version: u32, out_err: *mut *mut ik_error)
    -> ik_status;
    pub fn ik_client_options_version() -> u32;
    pub fn ik_client_new(
        opts: *const ik_client_options,
        out: *mut *mut ik_client,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_client_free(client: *mut ik_client);
    pub fn ik_client_base_url(client: *const ik_client, provider: i32) -> *const c_char;
    pub fn ik_client_has_credentials(client: *const ik_client, provider: i32) -> i32;
    pub fn ik_client_connections_opened(client: *const ik_client) -> i64;
    pub fn ik_cancel_token_new(out: *mut *mut ik_cancel_token, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_cancel_token_cancel(token: *mut ik_cancel_token);
    pub fn ik_cancel_token_is_cancelled(token: *const ik_cancel_token) -> i32;
    pub fn ik_cancel_token_reset(token: *mut ik_cancel_token);
    pub fn ik_cancel_token_free(token: *mut ik_cancel_token);
    pub fn ik_call_options_init(opts: *mut ik_call_options, version: u32, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_call_options_version() -> u32;
}

// ---------------------------------------------------------------------------------------------
// response.h
// ---------------------------------------------------------------------------------------------

unsafe extern "C" {
    pub fn ik_response_http_status(resp: *const ik_response) -> i32;
    pub fn ik_response_provider(resp: *const ik_response) -> i32;
    pub fn ik_response_request_id(resp: *const ik_response) -> *const c_char;
    pub fn ik_response_header(resp: *const ik_response, name: *const c_char) -> *const c_char;
    pub fn ik_response_header_count(resp: *const ik_response) -> usize;
    pub fn ik_response_header_at(
        resp: *const ik_response,
        i: usize,
        name: *mut *const c_char,
        value: *mut *const c_char,
    ) -> i32;
    pub fn ik_response_ratelimit_remaining(resp: *const ik_response, out: *mut i64) -> i32;
    pub fn ik_response_ratelimit_reset_unix(resp: *const ik_response, out: *mut i64) -> i32;
    pub fn ik_response_attempts(resp: *const ik_response) -> i32;
    pub fn ik_response_elapsed_us(resp: *const ik_response) -> i64;
    pub fn ik_response_body(resp: *const ik_response, data: *mut *const u8, len: *mut usize) -> i32;

    pub fn ik_deletion_kind(del: *const ik_deletion) -> i32;
    pub fn ik_deletion_id(del: *const ik_deletion) -> *const c_char;
    pub fn ik_deletion_deleted(del: *const ik_deletion) -> ik_optbool;
    pub fn ik_deletion_object(del: *const ik_deletion) -> *const c_char;
    pub fn ik_deletion_raw_json(del: *const ik_deletion, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_deletion_response(del: *const ik_deletion) -> *const ik_response;
    pub fn ik_deletion_free(del: *mut ik_deletion);
}

// ---------------------------------------------------------------------------------------------
// pager.h
// ---------------------------------------------------------------------------------------------

pub const IK_KIND_NONE: i32 = 0;
pub const IK_KIND_OPENAI_INVITE: i32 = 1;
pub const IK_KIND_TWILIO_INVITE: i32 = 2;
pub const IK_KIND_TWILIO_USER: i32 = 3;
pub const IK_KIND_FASTLY_INVITATION: i32 = 4;

/// Options for list operations and pagers; initialise with [`ik_list_options_init`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_list_options {
    pub version: u32,
    pub page_size: i32,
    pub max_items: i64,
    pub cursor: *const c_char,
    pub provider_cursor: *const c_char,
}
pub const IK_LIST_OPTIONS_VERSION: u32 = 1;

unsafe extern "C" {
    pub fn ik_list_options_init(opts: *mut ik_list_options, version: u32, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_list_options_version() -> u32;

    pub fn ik_page_kind(page: *const ik_page) -> i32;
    pub fn ik_page_count(page: *const ik_page) -> usize;
    pub fn ik_page_has_more(page: *const ik_page) -> i32;
    pub fn ik_page_next_cursor(page: *const ik_page) -> *const c_char;
    pub fn ik_page_raw_json(page: *const ik_page, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_page_response(page: *const ik_page) -> *const ik_response;
    pub fn ik_page_openai_invite_at(page: *const ik_page, i: usize) -> *const ik_openai_invite;
    pub fn ik_page_twilio_invite_at(page: *const ik_page, i: usize) -> *const ik_twilio_invite;
    pub fn ik_page_twilio_user_at(page: *const ik_page, i: usize) -> *const ik_twilio_user;
    pub fn ik_page_fastly_invitation_at(page: *const ik_page, i: usize) -> *const ik_fastly_invitation;
    pub fn ik_page_item_id(page: *const ik_page, i: usize) -> *const c_char;
    pub fn ik_page_item_raw_json(page: *const ik_page, i: usize, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_page_openai_first_id(page: *const ik_page) -> *const c_char;
    pub fn ik_page_openai_last_id(page: *const ik_page) -> *const c_char;
    pub fn ik_page_twilio_page(page: *const ik_page, out: *mut i64) -> i32;
    pub fn ik_page_twilio_page_size(page: *const ik_page, out: *mut i64) -> i32;
    pub fn ik_page_twilio_key(page: *const ik_page) -> *const c_char;
    pub fn ik_page_twilio_url(page: *const ik_page) -> *const c_char;
    pub fn ik_page_twilio_first_page_url(page: *const ik_page) -> *const c_char;
    pub fn ik_page_twilio_previous_page_url(page: *const ik_page) -> *const c_char;
    pub fn ik_page_twilio_next_page_url(page: *const ik_page) -> *const c_char;
    pub fn ik_page_fastly_link_first(page: *const ik_page) -> *const c_char;
    pub fn ik_page_fastly_link_last(page: *const ik_page) -> *const c_char;
    pub fn ik_page_fastly_link_prev(page: *const ik_page) -> *const c_char;
    pub fn ik_page_fastly_link_next(page: *const ik_page) -> *const c_char;
    pub fn ik_page_fastly_current_page(page: *const ik_page, out: *mut i64) -> i32;
    pub fn ik_page_fastly_per_page(page: *const ik_page, out: *mut i64) -> i32;
    pub fn ik_page_fastly_record_count(page: *const ik_page, out: *mut i64) -> i32;
    pub fn ik_page_fastly_total_pages(page: *const ik_page, out: *mut i64) -> i32;
    /// A resumable cursor at item `index` of the page, `index <= ik_page_count` (0.2.3).
    pub fn ik_page_item_cursor(
        page: *const ik_page,
        index: usize,
        out: *mut ik_buf,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_page_free(page: *mut ik_page);

    pub fn ik_pager_kind(pager: *const ik_pager) -> i32;
    pub fn ik_pager_next_page(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_page,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_pager_next_openai_invite(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_openai_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_pager_next_twilio_invite(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_pager_next_twilio_user(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_user,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_pager_next_fastly_invitation(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_fastly_invitation,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_pager_items_delivered(pager: *const ik_pager) -> i64;
    pub fn ik_pager_done(pager: *const ik_pager) -> i32;
    pub fn ik_pager_cursor(pager: *const ik_pager, out: *mut ik_buf, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_pager_free(pager: *mut ik_pager);
}

// ---------------------------------------------------------------------------------------------
// openai.h
// ---------------------------------------------------------------------------------------------

/// A project the invited user joins.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ik_openai_project_ref {
    pub id: *const c_char,
    pub role: *const c_char,
}

/// Inputs of [`ik_openai_invite_create`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_openai_invite_create_params {
    pub version: u32,
    pub email: *const c_char,
    pub role: *const c_char,
    pub send_projects: ik_optbool,
    pub projects: *const ik_openai_project_ref,
    pub projects_count: usize,
}
pub const IK_OPENAI_INVITE_CREATE_PARAMS_VERSION: u32 = 1;

unsafe extern "C" {
    pub fn ik_openai_invite_create_params_init(
        params: *mut ik_openai_invite_create_params,
        version: u32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_create_params_version() -> u32;
    pub fn ik_openai_invite_create(
        client: *const ik_client,
        params: *const ik_openai_invite_create_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_openai_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_retrieve(
        client: *const ik_client,
        invite_id: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_openai_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_list(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_page,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_pager(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        out: *mut *mut ik_pager,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_delete(
        client: *const ik_client,
        invite_id: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_deletion,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_ensure(
        client: *const ik_client,
        params: *const ik_openai_invite_create_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_openai_invite,
        out_outcome: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_openai_invite_object(inv: *const ik_openai_invite) -> *const c_char;
    pub fn ik_openai_invite_id(inv: *const ik_openai_invite) -> *const c_char;
    pub fn ik_openai_invite_email(inv: *const ik_openai_invite) -> *const c_char;
    pub fn ik_openai_invite_role(inv: *const ik_openai_invite) -> *const c_char;
    pub fn ik_openai_invite_status(inv: *const ik_openai_invite) -> *const c_char;
    pub fn ik_openai_invite_created_at_unix(inv: *const ik_openai_invite, out: *mut i64) -> i32;
    pub fn ik_openai_invite_expires_at_unix(inv: *const ik_openai_invite, out: *mut i64) -> i32;
    pub fn ik_openai_invite_accepted_at_unix(inv: *const ik_openai_invite, out: *mut i64) -> i32;
    pub fn ik_openai_invite_project_count(inv: *const ik_openai_invite) -> usize;
    pub fn ik_openai_invite_project_at(
        inv: *const ik_openai_invite,
        i: usize,
        id: *mut *const c_char,
        role: *mut *const c_char,
    ) -> i32;
    pub fn ik_openai_invite_has_projects(inv: *const ik_openai_invite) -> i32;
    pub fn ik_openai_invite_raw_json(inv: *const ik_openai_invite, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_openai_invite_response(inv: *const ik_openai_invite) -> *const ik_response;
    pub fn ik_openai_invite_free(inv: *mut ik_openai_invite);
}

// ---------------------------------------------------------------------------------------------
// twilio.h
// ---------------------------------------------------------------------------------------------

/// Inputs of [`ik_twilio_user_create`] and [`ik_twilio_user_update`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_twilio_user_params {
    pub version: u32,
    pub identity: *const c_char,
    pub role_sid: *const c_char,
    pub attributes: *const c_char,
    pub friendly_name: *const c_char,
    pub webhook_enabled: ik_optbool,
}
pub const IK_TWILIO_USER_PARAMS_VERSION: u32 = 1;

unsafe extern "C" {
    pub fn ik_twilio_invite_create(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identity: *const c_char,
        role_sid: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_fetch(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        invite_sid: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_list(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identities: *const *const c_char,
        identity_count: usize,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_page,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_pager(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identities: *const *const c_char,
        identity_count: usize,
        list_opts: *const ik_list_options,
        out: *mut *mut ik_pager,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_delete(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        invite_sid: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_deletion,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_ensure(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identity: *const c_char,
        role_sid: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_invite,
        out_outcome: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_twilio_invite_sid(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_account_sid(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_channel_sid(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_service_sid(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_identity(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_role_sid(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_created_by(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_url(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_date_created(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_date_updated(inv: *const ik_twilio_invite) -> *const c_char;
    pub fn ik_twilio_invite_date_created_unix(inv: *const ik_twilio_invite, out: *mut i64) -> i32;
    pub fn ik_twilio_invite_date_updated_unix(inv: *const ik_twilio_invite, out: *mut i64) -> i32;
    pub fn ik_twilio_invite_raw_json(inv: *const ik_twilio_invite, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_twilio_invite_response(inv: *const ik_twilio_invite) -> *const ik_response;
    pub fn ik_twilio_invite_free(inv: *mut ik_twilio_invite);

    pub fn ik_twilio_user_params_init(
        params: *mut ik_twilio_user_params,
        version: u32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_params_version() -> u32;
    pub fn ik_twilio_user_create(
        client: *const ik_client,
        service_sid: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_user,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_fetch(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_user,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_list(
        client: *const ik_client,
        service_sid: *const c_char,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_page,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_pager(
        client: *const ik_client,
        service_sid: *const c_char,
        list_opts: *const ik_list_options,
        out: *mut *mut ik_pager,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_update(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_user,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_delete(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_deletion,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_ensure(
        client: *const ik_client,
        service_sid: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_twilio_user,
        out_outcome: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_twilio_user_sid(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_account_sid(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_service_sid(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_attributes(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_friendly_name(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_role_sid(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_identity(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_is_online(user: *const ik_twilio_user) -> ik_optbool;
    pub fn ik_twilio_user_is_notifiable(user: *const ik_twilio_user) -> ik_optbool;
    pub fn ik_twilio_user_date_created(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_date_updated(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_date_created_unix(user: *const ik_twilio_user, out: *mut i64) -> i32;
    pub fn ik_twilio_user_date_updated_unix(user: *const ik_twilio_user, out: *mut i64) -> i32;
    pub fn ik_twilio_user_joined_channels_count(user: *const ik_twilio_user, out: *mut i64) -> i32;
    pub fn ik_twilio_user_link_user_channels(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_link_user_bindings(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_url(user: *const ik_twilio_user) -> *const c_char;
    pub fn ik_twilio_user_raw_json(user: *const ik_twilio_user, data: *mut *const u8, len: *mut usize) -> i32;
    pub fn ik_twilio_user_response(user: *const ik_twilio_user) -> *const ik_response;
    pub fn ik_twilio_user_free(user: *mut ik_twilio_user);
}

// ---------------------------------------------------------------------------------------------
// fastly.h
// ---------------------------------------------------------------------------------------------

/// A service the invitee gets access to, with a permission.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ik_fastly_service_grant {
    pub service_id: *const c_char,
    pub permission: *const c_char,
}

/// Inputs of [`ik_fastly_invitation_create`].
#[repr(C)]
#[derive(Debug)]
pub struct ik_fastly_invitation_create_params {
    pub version: u32,
    pub email: *const c_char,
    pub role: *const c_char,
    pub roles: *const *const c_char,
    pub roles_count: usize,
    pub limit_services: ik_optbool,
    pub customer_id: *const c_char,
    pub services: *const ik_fastly_service_grant,
    pub services_count: usize,
}
pub const IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION: u32 = 1;

unsafe extern "C" {
    pub fn ik_fastly_invitation_create_params_init(
        params: *mut ik_fastly_invitation_create_params,
        version: u32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_create_params_version() -> u32;
    pub fn ik_fastly_invitation_create(
        client: *const ik_client,
        params: *const ik_fastly_invitation_create_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_fastly_invitation,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_list(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_page,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_pager(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        out: *mut *mut ik_pager,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_delete(
        client: *const ik_client,
        invitation_id: *const c_char,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_deletion,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_ensure(
        client: *const ik_client,
        params: *const ik_fastly_invitation_create_params,
        call_opts: *const ik_call_options,
        out: *mut *mut ik_fastly_invitation,
        out_outcome: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_fastly_invitation_id(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_type(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_email(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_limit_services(inv: *const ik_fastly_invitation) -> ik_optbool;
    pub fn ik_fastly_invitation_role(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_role_count(inv: *const ik_fastly_invitation) -> usize;
    pub fn ik_fastly_invitation_role_at(inv: *const ik_fastly_invitation, i: usize) -> *const c_char;
    pub fn ik_fastly_invitation_status_code(inv: *const ik_fastly_invitation, out: *mut i64) -> i32;
    pub fn ik_fastly_invitation_created_at(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_updated_at(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_deleted_at(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_created_at_unix(inv: *const ik_fastly_invitation, out: *mut i64) -> i32;
    pub fn ik_fastly_invitation_updated_at_unix(inv: *const ik_fastly_invitation, out: *mut i64) -> i32;
    pub fn ik_fastly_invitation_deleted_at_unix(inv: *const ik_fastly_invitation, out: *mut i64) -> i32;
    pub fn ik_fastly_invitation_customer_id(inv: *const ik_fastly_invitation) -> *const c_char;
    pub fn ik_fastly_invitation_service_invitation_count(inv: *const ik_fastly_invitation) -> usize;
    pub fn ik_fastly_invitation_service_invitation_at(inv: *const ik_fastly_invitation, i: usize) -> *const c_char;
    pub fn ik_fastly_invitation_raw_json(
        inv: *const ik_fastly_invitation,
        data: *mut *const u8,
        len: *mut usize,
    ) -> i32;
    pub fn ik_fastly_invitation_response(inv: *const ik_fastly_invitation) -> *const ik_response;
    pub fn ik_fastly_invitation_free(inv: *mut ik_fastly_invitation);
}

// ---------------------------------------------------------------------------------------------
// async.h
// ---------------------------------------------------------------------------------------------

/// Completion callback: runs exactly once per accepted operation; `op` is borrowed for the call.
pub type ik_op_cb = Option<unsafe extern "C" fn(op: *mut ik_op, user_data: *mut c_void)>;

// What an operation produces (`ik_op_result_type`).
pub const IK_RESULT_NONE: i32 = 0;
pub const IK_RESULT_OPENAI_INVITE: i32 = 1;
pub const IK_RESULT_TWILIO_INVITE: i32 = 2;
pub const IK_RESULT_TWILIO_USER: i32 = 3;
pub const IK_RESULT_FASTLY_INVITATION: i32 = 4;
pub const IK_RESULT_DELETION: i32 = 5;
pub const IK_RESULT_PAGE: i32 = 6;

unsafe extern "C" {
    pub fn ik_openai_invite_create_start(
        client: *const ik_client,
        params: *const ik_openai_invite_create_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_retrieve_start(
        client: *const ik_client,
        invite_id: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_list_start(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_openai_invite_delete_start(
        client: *const ik_client,
        invite_id: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_twilio_invite_create_start(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identity: *const c_char,
        role_sid: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_fetch_start(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        invite_sid: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_list_start(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identities: *const *const c_char,
        identity_count: usize,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_delete_start(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        invite_sid: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_twilio_user_create_start(
        client: *const ik_client,
        service_sid: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_fetch_start(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_list_start(
        client: *const ik_client,
        service_sid: *const c_char,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_update_start(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_delete_start(
        client: *const ik_client,
        service_sid: *const c_char,
        sid_or_identity: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_fastly_invitation_create_start(
        client: *const ik_client,
        params: *const ik_fastly_invitation_create_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_list_start(
        client: *const ik_client,
        list_opts: *const ik_list_options,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_delete_start(
        client: *const ik_client,
        invitation_id: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    // Exactly once, without blocking (0.2.2): the result is the object found or created, and
    // `ik_op_ensure_outcome` says what happened. Ensures of one client for the same person run one
    // after another, blocking and non-blocking alike, and one that waits holds no thread.
    pub fn ik_openai_invite_ensure_start(
        client: *const ik_client,
        params: *const ik_openai_invite_create_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_invite_ensure_start(
        client: *const ik_client,
        service_sid: *const c_char,
        channel_sid: *const c_char,
        identity: *const c_char,
        role_sid: *const c_char,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_twilio_user_ensure_start(
        client: *const ik_client,
        service_sid: *const c_char,
        params: *const ik_twilio_user_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_fastly_invitation_ensure_start(
        client: *const ik_client,
        params: *const ik_fastly_invitation_create_params,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    /// The pager is busy until the callback has run: every other call on it fails with
    /// `IK_STATUS_INVALID_ARGUMENT`, and `ik_pager_free` is deferred until then.
    pub fn ik_pager_next_page_start(
        pager: *mut ik_pager,
        call_opts: *const ik_call_options,
        cb: ik_op_cb,
        user_data: *mut c_void,
        out_op: *mut *mut ik_op,
        out_err: *mut *mut ik_error,
    ) -> ik_status;

    pub fn ik_op_done(op: *const ik_op) -> i32;
    pub fn ik_op_status(op: *const ik_op) -> ik_status;
    pub fn ik_op_result_type(op: *const ik_op) -> i32;
    pub fn ik_op_provider(op: *const ik_op) -> i32;
    pub fn ik_op_operation(op: *const ik_op) -> *const c_char;
    /// The `IK_ENSURE_*` of a completed ensure operation; 0 while it runs, when it failed, and for
    /// an operation that is not an ensure (0.2.2).
    pub fn ik_op_ensure_outcome(op: *const ik_op) -> i32;
    /// Borrowed: valid until `ik_op_free` or `ik_op_take_error`.
    pub fn ik_op_error(op: *const ik_op) -> *const ik_error;
    pub fn ik_op_take_error(op: *mut ik_op, out: *mut *mut ik_error, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_op_take_openai_invite(
        op: *mut ik_op,
        out: *mut *mut ik_openai_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_op_take_twilio_invite(
        op: *mut ik_op,
        out: *mut *mut ik_twilio_invite,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_op_take_twilio_user(
        op: *mut ik_op,
        out: *mut *mut ik_twilio_user,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_op_take_fastly_invitation(
        op: *mut ik_op,
        out: *mut *mut ik_fastly_invitation,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_op_take_deletion(op: *mut ik_op, out: *mut *mut ik_deletion, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_op_take_page(op: *mut ik_op, out: *mut *mut ik_page, out_err: *mut *mut ik_error) -> ik_status;
    /// From any thread. The callback still runs exactly once.
    pub fn ik_op_cancel(op: *mut ik_op);
    pub fn ik_op_wait(op: *mut ik_op, timeout_ms: i64, out_err: *mut *mut ik_error) -> ik_status;
    pub fn ik_op_free(op: *mut ik_op);

    /// Borrowed descriptor (Linux eventfd), valid until `ik_client_free`, `IK_COMPLETIONS_QUEUED` only.
    pub fn ik_client_completion_fd(
        client: *const ik_client,
        out_fd: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_client_dispatch(
        client: *const ik_client,
        max: i32,
        out_ran: *mut i32,
        out_err: *mut *mut ik_error,
    ) -> ik_status;
    pub fn ik_client_ops_in_flight(client: *const ik_client) -> i64;
}
