//! The client, its builder and the callback trampolines.
use std::ffi::{CString, c_void};
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Provider, Status};
use crate::ffi;
use crate::options::{CompletionMode, Jitter, LogLevel, LogRecord, RetryInfo, ServerWaitPolicy};
use crate::panic;
use crate::sys;

type LogFn = dyn Fn(&LogRecord<'_>) + Send + Sync + 'static;
type RetryFn = dyn Fn(&RetryInfo<'_>) -> bool + Send + Sync + 'static;

// The user data of a callback is a per-client `Arc<CallbackData<dyn Fn…>>` turned into a thin raw
// pointer: the C client holds one strong reference and releases it through the `ik_free_cb`
// (exactly once, when ik_client_free runs). `build` keeps a second reference to that per-client
// `Arc` until ik_client_new has returned, so that a failed ik_client_new leaks nothing whether or
// not it called the free function (client.h does not say which): the count tells.

/// A callback's closure and where its panics go when it runs outside a call (on the client's I/O
/// thread, for a non-blocking operation; see `panic`).
struct CallbackData<F: ?Sized> {
    f: Arc<F>,
    panics: Arc<panic::Slot>,
}

impl<F: ?Sized> CallbackData<F> {
    /// Runs the callback's body, catching a panic: stashed for the blocking call in progress on
    /// this thread, or kept in the client's slot for its next completing future.
    fn run<R>(&self, body: impl FnOnce(&F) -> R) -> Option<R> {
        if panic::in_call() { panic::wrap(|| body(&self.f)) } else { self.panics.catch(|| body(&self.f)) }
    }
}

unsafe extern "C" fn log_trampoline(record: *const sys::ik_log_record, user_data: *mut c_void) {
    if record.is_null() || user_data.is_null() {
        return;
    }
    // SAFETY: user_data is the `Arc<CallbackData<LogFn>>` pointer given to ik_client_new, alive
    // until the free function runs, which happens after the last callback (client.h rule 5).
    let data = unsafe { &*(user_data as *const CallbackData<LogFn>) };
    // SAFETY: the record is valid for the duration of the callback.
    let record = unsafe { LogRecord::from_raw(&*record) };
    data.run(|f| f(&record));
}

unsafe extern "C" fn retry_trampoline(info: *const sys::ik_retry_info, user_data: *mut c_void) -> i32 {
    if info.is_null() || user_data.is_null() {
        return 0;
    }
    // SAFETY: as in log_trampoline.
    let data = unsafe { &*(user_data as *const CallbackData<RetryFn>) };
    // SAFETY: the info struct is valid for the duration of the callback.
    let info = unsafe { RetryInfo::from_raw(&*info) };
    // true = let the retry happen (0); false or a panic = veto (non-zero). A veto fails the call
    // with IK_STATUS_CANCELLED / IK_CANCELLED_BY_RETRY_CALLBACK; a caught panic then resumes.
    match data.run(|f| f(&info)) {
        Some(true) => 0,
        _ => 1,
    }
}

unsafe extern "C" fn free_log(user_data: *mut c_void) {
    if !user_data.is_null() {
        // SAFETY: gives back the strong reference made by Arc::into_raw for the C client.
        let arc = unsafe { Arc::from_raw(user_data as *const CallbackData<LogFn>) };
        // A panic in the closure's destructor must not unwind into C.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(arc)));
    }
}

unsafe extern "C" fn free_retry(user_data: *mut c_void) {
    if !user_data.is_null() {
        // SAFETY: gives back the strong reference made by Arc::into_raw for the C client.
        let arc = unsafe { Arc::from_raw(user_data as *const CallbackData<RetryFn>) };
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(arc)));
    }
}

struct ClientInner {
    raw: NonNull<sys::ik_client>,
    /// Panics of this client's log and retry callbacks run by non-blocking operations.
    panics: Arc<panic::Slot>,
}

// SAFETY: client.h THREAD SAFETY rule 2: an ik_client is safe to use from many threads at once;
// every operation takes `const ik_client *`. The only non-const function, ik_client_free, runs in
// Drop, when no other reference (hence no call in progress) exists.
unsafe impl Send for ClientInner {}
// SAFETY: as above.
unsafe impl Sync for ClientInner {}

impl Drop for ClientInner {
    fn drop(&mut self) {
        let in_call = panic::enter();
        // SAFETY: the last reference to the client: no call can race with the free. It closes
        // the connections, wipes the secrets and releases the callbacks' user data. Every
        // non-blocking operation of it has completed: each future holds a `Client` (a pager's
        // future borrows the pager, which holds one).
        unsafe { sys::ik_client_free(self.raw.as_ptr()) };
        drop(in_call);
        panic::discard();
        if let Some(p) = self.panics.take() {
            panic::drop_payload(p);
        }
    }
}

/// A client for the sixteen operations of the four APIs, blocking (`openai_invite_create`, …) or
/// not (`openai_invite_create_async`, …, returning an [`OpFuture`]).
///
/// **Thread safety**: `Client` is `Send + Sync`. The C client is documented safe to use from many
/// threads at once (every operation takes a `const ik_client *`, connections are pooled per
/// client), so share one client between threads, by reference, by `clone()` (an `Arc` inside) or
/// in an `Arc<Client>`. The C client is freed when the last clone and the last [`Pager`] made from
/// it are dropped.
///
/// [`Pager`]: crate::Pager
/// [`OpFuture`]: crate::OpFuture
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("raw", &self.inner.raw).finish()
    }
}

impl Client {
    /// A builder for a client's options.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with every default: credentials, base URLs, proxies and logging from the
    /// environment (`OPENAI_ADMIN_KEY`, `TWILIO_ACCOUNT_SID`, `FASTLY_API_TOKEN`, …).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::default().build()
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ik_client {
        self.inner.raw.as_ptr()
    }

    /// Where the panics of callbacks run by non-blocking operations wait for a future to resume them.
    pub(crate) fn panics(&self) -> &Arc<panic::Slot> {
        &self.inner.panics
    }

    /// The base URL the client uses for a provider.
    pub fn base_url(&self, provider: Provider) -> Option<&str> {
        // SAFETY: a live client; the string is borrowed from it, valid while &self is.
        unsafe { ffi::opt_str(sys::ik_client_base_url(self.as_ptr(), provider.code())) }
    }

    /// Whether credentials are configured for a provider.
    pub fn has_credentials(&self, provider: Provider) -> bool {
        // SAFETY: a live client.
        unsafe { sys::ik_client_has_credentials(self.as_ptr(), provider.code()) != 0 }
    }

    /// Number of TCP connections the client has opened so far (connection reuse diagnostics).
    pub fn connections_opened(&self) -> u64 {
        // SAFETY: a live client.
        u64::try_from(unsafe { sys::ik_client_connections_opened(self.as_ptr()) }).unwrap_or(0)
    }

    /// Non-blocking operations started and not completed yet (their completion not yet run).
    pub fn ops_in_flight(&self) -> u64 {
        // SAFETY: a live client.
        u64::try_from(unsafe { sys::ik_client_ops_in_flight(self.as_ptr()) }).unwrap_or(0)
    }

    /// The descriptor that is readable while completions wait to be run by
    /// [`dispatch`](Self::dispatch) (a Linux eventfd), for a client built with
    /// [`CompletionMode::Queued`]: add it to an event loop (epoll, poll, mio…), then call
    /// `dispatch` when it fires. Borrowed from the client: do not read, write or close it.
    /// Fails with [`Status::InvalidArgument`] in [`CompletionMode::IoThread`].
    ///
    /// [`CompletionMode::Queued`]: crate::CompletionMode::Queued
    /// [`CompletionMode::IoThread`]: crate::CompletionMode::IoThread
    #[cfg(unix)]
    pub fn completion_fd(&self) -> Result<std::os::fd::BorrowedFd<'_>, Error> {
        let mut fd = -1i32;
        // SAFETY: a live client and valid out-pointers.
        ffi::call(|e| unsafe { sys::ik_client_completion_fd(self.as_ptr(), &mut fd, e) })?;
        if fd < 0 {
            return Err(Error::local(Status::Internal, "ik_client_completion_fd returned no descriptor"));
        }
        // SAFETY: an open descriptor owned by the C client until ik_client_free, which cannot run
        // while `&self` (a reference to the client) is alive.
        Ok(unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) })
    }

    /// Runs up to `max` queued completions (0 = all queued now) on this thread and returns how
    /// many ran; never waits for new ones. In [`CompletionMode::Queued`] this is what wakes the
    /// futures of the client's non-blocking operations; in the default mode there is nothing to
    /// dispatch (0).
    ///
    /// [`CompletionMode::Queued`]: crate::CompletionMode::Queued
    pub fn dispatch(&self, max: usize) -> Result<usize, Error> {
        let max = i32::try_from(max).unwrap_or(i32::MAX);
        let mut ran = 0i32;
        // SAFETY: a live client and valid out-pointers; the callbacks that run are this crate's
        // completion trampolines, which never unwind.
        ffi::call(|e| unsafe { sys::ik_client_dispatch(self.as_ptr(), max, &mut ran, e) })?;
        Ok(usize::try_from(ran).unwrap_or(0))
    }
}

/// Options of a [`Client`] (`ik_client_options`). Unset options take the environment's value
/// (unless [`ignore_env`](Self::ignore_env)), else the library default.
#[derive(Default)]
pub struct ClientBuilder {
    flags: u32,
    strings: Vec<(StrField, String)>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: u64,
    max_retries: i32,
    jitter: Jitter,
    retry_base_delay: Option<Duration>,
    retry_max_delay: Option<Duration>,
    max_server_wait: Option<Duration>,
    server_wait_policy: ServerWaitPolicy,
    log_level: Option<LogLevel>,
    log_cb: Option<Arc<LogFn>>,
    retry_cb: Option<Arc<RetryFn>>,
    completion_mode: CompletionMode,
    max_connections: u32,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets are not printed.
        f.debug_struct("ClientBuilder")
            .field("flags", &self.flags)
            .field("fields_set", &self.strings.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .field("max_retries", &self.max_retries)
            .field("completion_mode", &self.completion_mode)
            .field("max_connections", &self.max_connections)
            .field("log_callback", &self.log_cb.is_some())
            .field("retry_callback", &self.retry_cb.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrField {
    TwilioAccountSid,
    TwilioAuthToken,
    TwilioApiKey,
    TwilioApiSecret,
    TwilioEdge,
    TwilioRegion,
    TwilioBaseUrl,
    OpenAiAdminKey,
    OpenAiOrganization,
    OpenAiProject,
    OpenAiBaseUrl,
    FastlyApiToken,
    FastlyBaseUrl,
    UserAgentSuffix,
    CaFile,
    Proxy,
}

impl StrField {
    fn name(self) -> &'static str {
        match self {
            StrField::TwilioAccountSid => "twilio_account_sid",
            StrField::TwilioAuthToken => "twilio_auth_token",
            StrField::TwilioApiKey => "twilio_api_key",
            StrField::TwilioApiSecret => "twilio_api_secret",
            StrField::TwilioEdge => "twilio_edge",
            StrField::TwilioRegion => "twilio_region",
            StrField::TwilioBaseUrl => "twilio_base_url",
            StrField::OpenAiAdminKey => "openai_admin_key",
            StrField::OpenAiOrganization => "openai_organization",
            StrField::OpenAiProject => "openai_project",
            StrField::OpenAiBaseUrl => "openai_base_url",
            StrField::FastlyApiToken => "fastly_api_token",
            StrField::FastlyBaseUrl => "fastly_base_url",
            StrField::UserAgentSuffix => "user_agent_suffix",
            StrField::CaFile => "ca_file",
            StrField::Proxy => "proxy",
        }
    }

    fn slot(self, o: &mut sys::ik_client_options) -> &mut *const std::ffi::c_char {
        match self {
            StrField::TwilioAccountSid => &mut o.twilio_account_sid,
            StrField::TwilioAuthToken => &mut o.twilio_auth_token,
            StrField::TwilioApiKey => &mut o.twilio_api_key,
            StrField::TwilioApiSecret => &mut o.twilio_api_secret,
            StrField::TwilioEdge => &mut o.twilio_edge,
            StrField::TwilioRegion => &mut o.twilio_region,
            StrField::TwilioBaseUrl => &mut o.twilio_base_url,
            StrField::OpenAiAdminKey => &mut o.openai_admin_key,
            StrField::OpenAiOrganization => &mut o.openai_organization,
            StrField::OpenAiProject => &mut o.openai_project,
            StrField::OpenAiBaseUrl => &mut o.openai_base_url,
            StrField::FastlyApiToken => &mut o.fastly_api_token,
            StrField::FastlyBaseUrl => &mut o.fastly_base_url,
            StrField::UserAgentSuffix => &mut o.user_agent_suffix,
            StrField::CaFile => &mut o.ca_file,
            StrField::Proxy => &mut o.proxy,
        }
    }
}

macro_rules! string_options {
    ($($(#[$doc:meta])* $method:ident => $field:ident;)*) => {$(
        $(#[$doc])*
        pub fn $method(self, value: impl Into<String>) -> Self {
            self.set(StrField::$field, value.into())
        }
    )*};
}

impl ClientBuilder {
    fn set(mut self, field: StrField, value: String) -> Self {
        self.strings.retain(|(f, _)| *f != field);
        self.strings.push((field, value));
        self
    }

    fn flag(mut self, flag: u32, on: bool) -> Self {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
        self
    }

    string_options! {
        /// Twilio Account SID (`AC…`); with an auth token, or identifying the account of an API key.
        twilio_account_sid => TwilioAccountSid;
        /// Twilio auth token.
        twilio_auth_token => TwilioAuthToken;
        /// Twilio API key SID (`SK…`), used with [`twilio_api_secret`](Self::twilio_api_secret).
        twilio_api_key => TwilioApiKey;
        /// Twilio API key secret.
        twilio_api_secret => TwilioApiSecret;
        /// Twilio edge (host becomes `chat.{edge}.{region}.twilio.com`).
        twilio_edge => TwilioEdge;
        /// Twilio region.
        twilio_region => TwilioRegion;
        /// Replaces `https://chat.twilio.com` (and disables the edge/region rewrite).
        twilio_base_url => TwilioBaseUrl;
        /// OpenAI admin key.
        openai_admin_key => OpenAiAdminKey;
        /// Sent as `OpenAI-Organization`.
        openai_organization => OpenAiOrganization;
        /// Sent as `OpenAI-Project`.
        openai_project => OpenAiProject;
        /// Replaces `https://api.openai.com/v1`.
        openai_base_url => OpenAiBaseUrl;
        /// Fastly API token.
        fastly_api_token => FastlyApiToken;
        /// Replaces `https://api.fastly.com`.
        fastly_base_url => FastlyBaseUrl;
        /// Appended to the `User-Agent` (`invitekit/<version> libcurl/<version>`).
        user_agent_suffix => UserAgentSuffix;
        /// A PEM bundle replacing the system CAs.
        ca_file => CaFile;
        /// A proxy, e.g. `http://proxy:3128`; overrides the environment.
        proxy => Proxy;
    }

    /// Twilio credentials: Account SID and auth token.
    pub fn twilio_credentials(self, account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        self.twilio_account_sid(account_sid).twilio_auth_token(auth_token)
    }

    /// Sets all three base URLs to one server (e.g. `invitekit-emulator`): Twilio and Fastly at
    /// `url`, OpenAI at `url + "/v1"`.
    pub fn base_url_for_all(self, url: &str) -> Self {
        let url = url.trim_end_matches('/');
        self.twilio_base_url(url).fastly_base_url(url).openai_base_url(format!("{url}/v1"))
    }

    /// Do not read any environment variable (`IK_CLIENT_IGNORE_ENV`).
    pub fn ignore_env(self, yes: bool) -> Self {
        self.flag(sys::IK_CLIENT_IGNORE_ENV, yes)
    }
    /// Disable TLS peer and host verification (`IK_CLIENT_INSECURE_NO_VERIFY`); never in production.
    pub fn insecure_no_verify(self, yes: bool) -> Self {
        self.flag(sys::IK_CLIENT_INSECURE_NO_VERIFY, yes)
    }
    /// Ignore `http_proxy`/`https_proxy`/`no_proxy` (`IK_CLIENT_NO_PROXY_ENV`).
    pub fn no_proxy_env(self, yes: bool) -> Self {
        self.flag(sys::IK_CLIENT_NO_PROXY_ENV, yes)
    }
    /// Also retry a create whose outcome is ambiguous, which may duplicate it
    /// (`IK_CLIENT_RETRY_AMBIGUOUS_POSTS`).
    pub fn retry_ambiguous_posts(self, yes: bool) -> Self {
        self.flag(sys::IK_CLIENT_RETRY_AMBIGUOUS_POSTS, yes)
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Timeout of each attempt (default 60 s).
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }
    /// Deadline of a whole call, retries and backoff included (default none).
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }
    /// Maximum response size in bytes (default [`default_max_response_bytes`](crate::default_max_response_bytes)).
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = n;
        self
    }
    /// Retries after the first attempt (default 2; 0 = none).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = if n == 0 { -1 } else { i32::try_from(n).unwrap_or(i32::MAX) };
        self
    }
    /// Backoff jitter.
    pub fn jitter(mut self, j: Jitter) -> Self {
        self.jitter = j;
        self
    }
    /// Base backoff delay (default 500 ms).
    pub fn retry_base_delay(mut self, d: Duration) -> Self {
        self.retry_base_delay = Some(d);
        self
    }
    /// Maximum backoff delay (default 8 s).
    pub fn retry_max_delay(mut self, d: Duration) -> Self {
        self.retry_max_delay = Some(d);
        self
    }
    /// Cap on server-directed waits (default 60 s).
    pub fn max_server_wait(mut self, d: Duration) -> Self {
        self.max_server_wait = Some(d);
        self
    }
    /// What to do when a server asks to wait longer than the cap.
    pub fn server_wait_policy(mut self, p: ServerWaitPolicy) -> Self {
        self.server_wait_policy = p;
        self
    }
    /// Minimum level of the events passed to the log callback (default [`LogLevel::Info`]).
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// Where the completions of non-blocking operations (the `*_async` methods) run: on the
    /// client's I/O thread (the default), or queued for [`Client::dispatch`].
    pub fn completion_mode(mut self, mode: CompletionMode) -> Self {
        self.completion_mode = mode;
        self
    }
    /// Connections the non-blocking engine may open at once (0 = default, 64; at most 4096).
    /// Blocking calls are not limited by it.
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n;
        self
    }

    /// A log callback. It runs on the thread making the call (for a non-blocking operation: on
    /// the client's I/O thread), possibly on several threads at once, must not call into the same
    /// client, and never runs after the client is freed; it is dropped when the C client is freed.
    /// A panic inside it is caught and resumed when the call returns (for a non-blocking
    /// operation: from the next future of the client that completes).
    pub fn log_callback(mut self, f: impl Fn(&LogRecord<'_>) + Send + Sync + 'static) -> Self {
        self.log_cb = Some(Arc::new(f));
        self
    }

    /// A callback consulted before every retry: return `true` to let it happen, `false` to stop
    /// the call, which then fails with [`Status::Cancelled`] and
    /// [`CancelledBy::RetryCallback`](crate::CancelledBy::RetryCallback) (the failed attempt's
    /// HTTP status, headers and body stay on the error). A panic vetoes the retry and resumes when
    /// the call returns. Same threading rules as [`log_callback`](Self::log_callback).
    pub fn retry_callback(mut self, f: impl Fn(&RetryInfo<'_>) -> bool + Send + Sync + 'static) -> Self {
        self.retry_cb = Some(Arc::new(f));
        self
    }

    /// Creates the client. The library copies every option; the builder can be reused.
    pub fn build(&self) -> Result<Client, Error> {
        crate::version::check_abi()?;
        let mut raw = MaybeUninit::<sys::ik_client_options>::zeroed();
        // SAFETY: a valid, writable struct and version; out_err provided by `call`.
        ffi::call(|e| unsafe { sys::ik_client_options_init(raw.as_mut_ptr(), sys::IK_CLIENT_OPTIONS_VERSION, e) })?;
        // SAFETY: initialised by ik_client_options_init.
        let mut o = unsafe { raw.assume_init() };
        let strings = self
            .strings
            .iter()
            .map(|(f, v)| Ok((*f, ffi::cstring(v, f.name())?)))
            .collect::<Result<Vec<(StrField, CString)>, Error>>()?;
        for (field, value) in &strings {
            *field.slot(&mut o) = value.as_ptr();
        }
        o.flags = self.flags;
        o.connect_timeout_ms = self.connect_timeout.map_or(0, ffi::millis);
        o.attempt_timeout_ms = self.attempt_timeout.map_or(0, ffi::millis);
        o.deadline_ms = self.deadline.map_or(0, ffi::millis);
        o.max_response_bytes = i64::try_from(self.max_response_bytes).unwrap_or(i64::MAX);
        o.max_retries = self.max_retries;
        o.jitter = self.jitter.code();
        o.retry_base_delay_ms = self.retry_base_delay.map_or(0, ffi::millis);
        o.retry_max_delay_ms = self.retry_max_delay.map_or(0, ffi::millis);
        o.max_server_wait_ms = self.max_server_wait.map_or(0, ffi::millis);
        o.server_wait_policy = self.server_wait_policy.code();
        o.log_level = self.log_level.map_or(sys::IK_LOG_OFF, LogLevel::code);
        o.completion_mode = self.completion_mode.code();
        o.max_connections = i32::try_from(self.max_connections).unwrap_or(i32::MAX);
        // Per-client user data: we keep `log_ud`/`retry_ud`, the C client gets one more reference.
        let panics = Arc::new(panic::Slot::default());
        let log_ud =
            self.log_cb.as_ref().map(|f| Arc::new(CallbackData { f: Arc::clone(f), panics: Arc::clone(&panics) }));
        let retry_ud =
            self.retry_cb.as_ref().map(|f| Arc::new(CallbackData { f: Arc::clone(f), panics: Arc::clone(&panics) }));
        let log_ptr = log_ud.as_ref().map(|ud| Arc::into_raw(Arc::clone(ud)));
        let retry_ptr = retry_ud.as_ref().map(|ud| Arc::into_raw(Arc::clone(ud)));
        if let Some(p) = log_ptr {
            o.log_cb = Some(log_trampoline);
            o.log_user_data = p as *mut c_void;
            o.log_user_data_free = Some(free_log);
        }
        if let Some(p) = retry_ptr {
            o.retry_cb = Some(retry_trampoline);
            o.retry_user_data = p as *mut c_void;
            o.retry_user_data_free = Some(free_retry);
        }
        let result = ffi::call_out(
            // SAFETY: `o` and the strings it points to live until the call returns (the library
            // copies them); both out-pointers are valid.
            |out, err| unsafe { sys::ik_client_new(&o, out, err) },
            |raw| raw.map(|raw| Client { inner: Arc::new(ClientInner { raw, panics }) }),
        );
        match result {
            Ok(Some(client)) => Ok(client),
            other => {
                // ik_client_new failed: the C side may or may not have released the user data
                // (client.h does not say). Nobody else knows these per-client Arcs, so the count
                // tells whether the reference handed over is still outstanding.
                if let (Some(p), Some(ours)) = (log_ptr, &log_ud)
                    && Arc::strong_count(ours) == 2
                {
                    // SAFETY: the reference made by into_raw above was not released by C.
                    drop(unsafe { Arc::from_raw(p) });
                }
                if let (Some(p), Some(ours)) = (retry_ptr, &retry_ud)
                    && Arc::strong_count(ours) == 2
                {
                    // SAFETY: as above.
                    drop(unsafe { Arc::from_raw(p) });
                }
                match other {
                    Err(e) => Err(e),
                    _ => Err(Error::local(Status::Internal, "ik_client_new returned no client")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct DropCounter(Arc<AtomicUsize>);
    impl Drop for DropCounter {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn callbacks_are_released_with_the_client() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (d1, d2) = (DropCounter(drops.clone()), DropCounter(drops.clone()));
        let builder = Client::builder()
            .ignore_env(true)
            .log_callback(move |_| {
                let _ = &d1;
            })
            .retry_callback(move |_| {
                let _ = &d2;
                true
            });
        let client = builder.build().unwrap();
        let client2 = client.clone();
        drop(builder);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        drop(client);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        drop(client2);
        assert_eq!(drops.load(Ordering::SeqCst), 2, "ik_client_free released both user data");
    }

    #[test]
    fn failed_build_leaks_no_callback() {
        let drops = Arc::new(AtomicUsize::new(0));
        let d = DropCounter(drops.clone());
        let builder = Client::builder().ignore_env(true).openai_base_url("ftp://nope").log_callback(move |_| {
            let _ = &d;
        });
        let err = builder.build().unwrap_err();
        assert_eq!(err.status(), Status::InvalidArgument);
        let log = builder.log_cb.as_ref().unwrap();
        assert_eq!(Arc::strong_count(log), 1, "the C side's reference was given back");
        drop(builder);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn client_options() {
        let c = Client::builder()
            .ignore_env(true)
            .twilio_credentials("AC00000000000000000000000000000000", "t")
            .base_url_for_all("http://127.0.0.1:9/")
            .build()
            .unwrap();
        assert_eq!(c.base_url(Provider::OpenAi), Some("http://127.0.0.1:9/v1"));
        assert_eq!(c.base_url(Provider::Fastly), Some("http://127.0.0.1:9"));
        assert_eq!(c.base_url(Provider::Other(42)), None);
        assert!(c.has_credentials(Provider::Twilio));
        assert!(!c.has_credentials(Provider::OpenAi));
        assert_eq!(c.connections_opened(), 0);
        let e = Client::builder().ignore_env(true).proxy("a\0b").build().unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument);
        assert!(e.message().contains("proxy"));
        fn check<T: Send + Sync>() {}
        check::<Client>();
        check::<ClientBuilder>();
    }
}
