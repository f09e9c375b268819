//! Per-call options, list options, and what the callbacks receive.
use std::ffi::{CString, c_char};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::error::{Error, Provider, Status};
use crate::ffi;
use crate::sys;

/// Per-call overrides of the client's settings (`ik_call_options`). Unset fields use the
/// client's value.
///
/// ```
/// # use std::time::Duration;
/// let opts = invitekit::CallOptions::new()
///     .deadline(Duration::from_secs(5))
///     .max_retries(1)
///     .header("Prefer: example=full");
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: i32,
    retry_ambiguous_posts: Option<bool>,
    cancel: Option<CancelToken>,
    headers: Vec<String>,
}

impl CallOptions {
    /// Options that change nothing.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }
    /// Connection timeout for this call.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Timeout of each attempt.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }
    /// Overall deadline of the call (retries and backoff included), from its start.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }
    /// Retries after the first attempt (0 = no retry).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = if n == 0 { -1 } else { i32::try_from(n).unwrap_or(i32::MAX) };
        self
    }
    /// Whether a create whose outcome is ambiguous may be retried (it may then be duplicated);
    /// overrides the client's setting.
    pub fn retry_ambiguous_posts(mut self, yes: bool) -> Self {
        self.retry_ambiguous_posts = Some(yes);
        self
    }
    /// A token that cancels the call from another thread.
    pub fn cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }
    /// Adds an extra request header, `"Name: value"` (it cannot replace Authorization,
    /// Fastly-Key, Content-Type or Host).
    pub fn header(mut self, header: impl Into<String>) -> Self {
        self.headers.push(header.into());
        self
    }

    /// The cancel token, which a non-blocking operation keeps alive until it completes.
    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The C struct for one call; borrows `self` (the header strings and the token).
    pub(crate) fn to_raw(&self) -> Result<RawCallOptions<'_>, Error> {
        let mut raw = MaybeUninit::<sys::ik_call_options>::zeroed();
        // SAFETY: a valid, writable struct and version; out_err provided by `call`.
        ffi::call(|e| unsafe { sys::ik_call_options_init(raw.as_mut_ptr(), sys::IK_CALL_OPTIONS_VERSION, e) })?;
        // SAFETY: initialised by ik_call_options_init (and all-zero is a valid value anyway).
        let mut raw = unsafe { raw.assume_init() };
        raw.connect_timeout_ms = self.connect_timeout.map_or(0, ffi::millis);
        raw.attempt_timeout_ms = self.attempt_timeout.map_or(0, ffi::millis);
        raw.deadline_ms = self.deadline.map_or(0, ffi::millis);
        raw.max_retries = self.max_retries;
        raw.retry_ambiguous_posts = ffi::to_optbool(self.retry_ambiguous_posts);
        raw.cancel = self.cancel.as_ref().map_or(ptr::null_mut(), CancelToken::as_ptr);
        let headers =
            self.headers.iter().map(|h| ffi::cstring(h, "extra header")).collect::<Result<Vec<CString>, Error>>()?;
        let ptrs: Vec<*const c_char> = headers.iter().map(|h| h.as_ptr()).collect();
        raw.extra_headers = if ptrs.is_empty() { ptr::null() } else { ptrs.as_ptr() };
        raw.extra_headers_count = ptrs.len();
        Ok(RawCallOptions { raw, _headers: headers, _ptrs: ptrs, _opts: PhantomData })
    }
}

/// An `ik_call_options` and the memory its pointers point into.
pub(crate) struct RawCallOptions<'a> {
    raw: sys::ik_call_options,
    _headers: Vec<CString>,
    _ptrs: Vec<*const c_char>,
    _opts: PhantomData<&'a CallOptions>,
}

impl RawCallOptions<'_> {
    pub(crate) fn as_ptr(&self) -> *const sys::ik_call_options {
        &self.raw
    }
}

/// Runs `f` with the C call options for `opts` (NULL for `None`).
pub(crate) fn with_call<T>(
    opts: Option<&CallOptions>,
    f: impl FnOnce(*const sys::ik_call_options) -> Result<T, Error>,
) -> Result<T, Error> {
    match opts {
        None => f(ptr::null()),
        Some(o) => {
            let raw = o.to_raw()?;
            f(raw.as_ptr())
        }
    }
}

/// Options of list calls and pagers (`ik_list_options`). Page size and maximum items are separate
/// settings; zero/unset means "default".
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    page_size: u32,
    max_items: u64,
    cursor: Option<String>,
    provider_cursor: Option<String>,
}

impl ListOptions {
    /// Defaults: server page size, no item limit, from the start.
    pub fn new() -> ListOptions {
        ListOptions::default()
    }
    /// Items per request (clamped to the endpoint's maximum; 0 = the server's default).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n;
        self
    }
    /// Pagers stop after exactly this many items (0 = no limit). Ignored by single-page lists.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = n;
        self
    }
    /// Resume from an invitekit cursor ([`Pager::cursor`](crate::Pager::cursor) or
    /// [`Page::next_cursor`](crate::Page::next_cursor)).
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }
    /// Start from a cursor in the provider's own terms instead: OpenAI an invite id (`after=`),
    /// Fastly a page number, Twilio a `next_page_url` on the configured host or a `PageToken`.
    pub fn provider_cursor(mut self, cursor: impl Into<String>) -> Self {
        self.provider_cursor = Some(cursor.into());
        self
    }

    pub(crate) fn to_raw(&self) -> Result<RawListOptions<'_>, Error> {
        let mut raw = MaybeUninit::<sys::ik_list_options>::zeroed();
        // SAFETY: a valid, writable struct and version; out_err provided by `call`.
        ffi::call(|e| unsafe { sys::ik_list_options_init(raw.as_mut_ptr(), sys::IK_LIST_OPTIONS_VERSION, e) })?;
        // SAFETY: initialised by ik_list_options_init.
        let mut raw = unsafe { raw.assume_init() };
        let cursor = ffi::opt_cstring(self.cursor.as_deref(), "cursor")?;
        let provider_cursor = ffi::opt_cstring(self.provider_cursor.as_deref(), "provider_cursor")?;
        raw.page_size = i32::try_from(self.page_size).unwrap_or(i32::MAX);
        raw.max_items = i64::try_from(self.max_items).unwrap_or(i64::MAX);
        raw.cursor = ffi::opt_ptr(&cursor);
        raw.provider_cursor = ffi::opt_ptr(&provider_cursor);
        Ok(RawListOptions { raw, _cursor: cursor, _provider_cursor: provider_cursor, _opts: PhantomData })
    }
}

/// An `ik_list_options` and the strings it points to.
pub(crate) struct RawListOptions<'a> {
    raw: sys::ik_list_options,
    _cursor: Option<CString>,
    _provider_cursor: Option<CString>,
    _opts: PhantomData<&'a ListOptions>,
}

impl RawListOptions<'_> {
    pub(crate) fn as_ptr(&self) -> *const sys::ik_list_options {
        &self.raw
    }
}

/// Log levels (`IK_LOG_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Errors.
    Error,
    /// Warnings.
    Warn,
    /// Information (the default when a log callback is set).
    Info,
    /// Debugging.
    Debug,
    /// Also request and response bodies (still redacted).
    Trace,
}

impl LogLevel {
    pub(crate) fn code(self) -> i32 {
        match self {
            LogLevel::Off => sys::IK_LOG_OFF,
            LogLevel::Error => sys::IK_LOG_ERROR,
            LogLevel::Warn => sys::IK_LOG_WARN,
            LogLevel::Info => sys::IK_LOG_INFO,
            LogLevel::Debug => sys::IK_LOG_DEBUG,
            LogLevel::Trace => sys::IK_LOG_TRACE,
        }
    }
    fn from_code(code: i32) -> LogLevel {
        match code {
            sys::IK_LOG_ERROR => LogLevel::Error,
            sys::IK_LOG_WARN => LogLevel::Warn,
            sys::IK_LOG_INFO => LogLevel::Info,
            sys::IK_LOG_DEBUG => LogLevel::Debug,
            c if c >= sys::IK_LOG_TRACE => LogLevel::Trace,
            _ => LogLevel::Off,
        }
    }
    /// `"error"`, `"warn"`, `"info"`, `"debug"`, `"trace"` or `"off"` (`ik_log_level_name`).
    pub fn name(self) -> &'static str {
        // SAFETY: accepts any value, returns a static string.
        unsafe { ffi::static_str(sys::ik_log_level_name(self.code())) }
    }
}

/// One log event, borrowed for the duration of the log callback. Credentials never appear in it.
#[derive(Debug, Clone, Copy)]
pub struct LogRecord<'a> {
    /// Severity.
    pub level: LogLevel,
    /// One line, human readable.
    pub message: Option<&'a str>,
    /// Provider of the call.
    pub provider: Provider,
    /// Operation, e.g. `"invites.create"`.
    pub operation: Option<&'a str>,
    /// HTTP method.
    pub method: Option<&'a str>,
    /// Full URL with secrets redacted.
    pub url: Option<&'a str>,
    /// HTTP status, `None` if no response (yet).
    pub http_status: Option<u16>,
    /// 1-based attempt number, `None` if not tied to an attempt.
    pub attempt: Option<u32>,
    /// Duration of the attempt, when applicable.
    pub latency: Option<Duration>,
    /// The provider's request id, if any.
    pub request_id: Option<&'a str>,
}

impl<'a> LogRecord<'a> {
    /// # Safety
    /// `r` is a record the library passed to the log callback (valid for `'a`).
    pub(crate) unsafe fn from_raw(r: &'a sys::ik_log_record) -> LogRecord<'a> {
        // SAFETY: (each string) NULL or NUL-terminated, borrowed for the callback ('a).
        unsafe {
            LogRecord {
                level: LogLevel::from_code(r.level),
                message: ffi::opt_str(r.message),
                provider: Provider::from_code(r.provider),
                operation: ffi::opt_str(r.operation),
                method: ffi::opt_str(r.method),
                url: ffi::opt_str(r.url),
                http_status: u16::try_from(r.http_status).ok().filter(|s| *s != 0),
                attempt: u32::try_from(r.attempt).ok().filter(|a| *a != 0),
                latency: u64::try_from(r.latency_us).ok().map(Duration::from_micros),
                request_id: ffi::opt_str(r.request_id),
            }
        }
    }
}

/// A retry the engine is about to make, borrowed for the duration of the retry callback.
#[derive(Debug, Clone, Copy)]
pub struct RetryInfo<'a> {
    /// Provider of the call.
    pub provider: Provider,
    /// Operation, e.g. `"users.fetch"`.
    pub operation: Option<&'a str>,
    /// The attempt that just failed (1-based).
    pub attempt: u32,
    /// How it failed.
    pub status: Status,
    /// HTTP status of the failed attempt, `None` if no response.
    pub http_status: Option<u16>,
    /// How long the engine will wait before the next attempt.
    pub delay: Duration,
    /// Whether `delay` comes from a server header.
    pub server_directed: bool,
}

impl<'a> RetryInfo<'a> {
    /// # Safety
    /// `r` is the struct the library passed to the retry callback (valid for `'a`).
    pub(crate) unsafe fn from_raw(r: &'a sys::ik_retry_info) -> RetryInfo<'a> {
        RetryInfo {
            provider: Provider::from_code(r.provider),
            // SAFETY: NULL or NUL-terminated, borrowed for the callback.
            operation: unsafe { ffi::opt_str(r.operation) },
            attempt: u32::try_from(r.attempt).unwrap_or(0),
            status: Status::from_code(r.status),
            http_status: u16::try_from(r.http_status).ok().filter(|s| *s != 0),
            delay: Duration::from_millis(u64::try_from(r.delay_ms).unwrap_or(0)),
            server_directed: r.server_directed != 0,
        }
    }
}

/// Backoff jitter (`IK_JITTER_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    /// `random(0, min(cap, base * 2^(attempt-1)))` (the default).
    #[default]
    Full,
    /// `min(cap, random(base, previous * 3))`.
    Decorrelated,
    /// `min(cap, base * 2^(attempt-1))`; for tests.
    None,
}

impl Jitter {
    pub(crate) fn code(self) -> i32 {
        match self {
            Jitter::Full => sys::IK_JITTER_FULL,
            Jitter::Decorrelated => sys::IK_JITTER_DECORRELATED,
            Jitter::None => sys::IK_JITTER_NONE,
        }
    }
}

/// What to do when a server asks to wait longer than the maximum server wait
/// (`IK_SERVER_WAIT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerWaitPolicy {
    /// Fail at once with the rate-limit error (the default).
    #[default]
    GiveUp,
    /// Wait the maximum, then retry.
    Cap,
}

impl ServerWaitPolicy {
    pub(crate) fn code(self) -> i32 {
        match self {
            ServerWaitPolicy::GiveUp => sys::IK_SERVER_WAIT_GIVE_UP,
            ServerWaitPolicy::Cap => sys::IK_SERVER_WAIT_CAP,
        }
    }
}

/// Where a client runs the completions of its non-blocking operations (`IK_COMPLETIONS_*`), which
/// is where the futures' `Waker`s are woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompletionMode {
    /// On the client's I/O thread, as soon as an operation completes (the default). Nothing else
    /// to do: any executor works.
    #[default]
    IoThread,
    /// Queued until [`Client::dispatch`](crate::Client::dispatch) runs them on the calling
    /// thread, for hosts with their own event loop: watch
    /// [`Client::completion_fd`](crate::Client::completion_fd). The cancelled completions of
    /// dropped futures wait for a dispatch too (or for the client to be freed, which runs them).
    Queued,
    /// On the client's I/O thread, like [`IoThread`](CompletionMode::IoThread), but a waker that is
    /// slow or blocks (an executor that runs the task right there, a blocking call) is safe: after
    /// 5 to 10 ms the I/O loop moves on to a new thread (`IK_COMPLETIONS_IO_THREAD_RELAY`, library
    /// 0.2.4), so the client's other operations are held back at most that long and blocking calls
    /// there work instead of failing with [`Status::WouldBlock`](crate::Status::WouldBlock).
    IoThreadRelay,
}

impl CompletionMode {
    pub(crate) fn code(self) -> i32 {
        match self {
            CompletionMode::IoThread => sys::IK_COMPLETIONS_IO_THREAD,
            CompletionMode::Queued => sys::IK_COMPLETIONS_QUEUED,
            CompletionMode::IoThreadRelay => sys::IK_COMPLETIONS_IO_THREAD_RELAY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_options_to_raw() {
        let token = CancelToken::new().unwrap();
        let o = CallOptions::new()
            .deadline(Duration::from_millis(1500))
            .attempt_timeout(Duration::from_secs(1))
            .connect_timeout(Duration::from_secs(2))
            .max_retries(0)
            .retry_ambiguous_posts(true)
            .cancel(&token)
            .header("Prefer: example=full")
            .header("X-A: b");
        let raw = o.to_raw().unwrap();
        // SAFETY: the pointer is valid while `raw` lives.
        let r = unsafe { &*raw.as_ptr() };
        assert_eq!(r.version, sys::IK_CALL_OPTIONS_VERSION);
        assert_eq!((r.deadline_ms, r.attempt_timeout_ms, r.connect_timeout_ms), (1500, 1000, 2000));
        assert_eq!(r.max_retries, -1);
        assert_eq!(r.retry_ambiguous_posts, sys::IK_OPTBOOL_TRUE);
        assert_eq!(r.cancel, token.as_ptr());
        assert_eq!(r.extra_headers_count, 2);
        // SAFETY: two valid C strings.
        let h1 = unsafe { std::ffi::CStr::from_ptr(*r.extra_headers.add(1)) };
        assert_eq!(h1.to_str().unwrap(), "X-A: b");
        assert!(CallOptions::new().header("a\0b").to_raw().is_err());
    }

    #[test]
    fn list_options_to_raw() {
        let o = ListOptions::new().page_size(10).max_items(u64::MAX).cursor("c1").provider_cursor("p");
        let raw = o.to_raw().unwrap();
        // SAFETY: valid while `raw` lives.
        let r = unsafe { &*raw.as_ptr() };
        assert_eq!((r.page_size, r.max_items), (10, i64::MAX));
        // SAFETY: valid C strings while `raw` lives.
        unsafe {
            assert_eq!(ffi::opt_str(r.cursor), Some("c1"));
            assert_eq!(ffi::opt_str(r.provider_cursor), Some("p"));
        }
        let defaults = ListOptions::new();
        let raw = defaults.to_raw().unwrap();
        // SAFETY: valid while `raw` lives.
        let r = unsafe { &*raw.as_ptr() };
        assert!(r.cursor.is_null() && r.provider_cursor.is_null() && r.page_size == 0);
    }

    #[test]
    fn log_level_names() {
        assert_eq!(LogLevel::Debug.name(), "debug");
        assert_eq!(LogLevel::from_code(LogLevel::Warn.code()), LogLevel::Warn);
    }
}
