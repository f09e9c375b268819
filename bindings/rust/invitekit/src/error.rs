//! Status codes, providers and the error type.
use std::fmt;
use std::time::Duration;

use crate::ffi;
use crate::sys;

/// What class of failure an [`Error`] is (`ik_status`). New codes may be added: match with a
/// wildcard arm; codes this binding does not know come as [`Status::Other`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// A NULL or bad argument, a bad value, a bad options version (`IK_STATUS_INVALID_ARGUMENT`).
    InvalidArgument,
    /// An input string is not valid UTF-8.
    InvalidUtf8,
    /// Out of memory.
    NoMemory,
    /// DNS, connect, reset, broken transfer, proxy.
    Transport,
    /// Certificate or TLS handshake failure.
    Tls,
    /// Attempt timeout or overall deadline exceeded.
    Timeout,
    /// A cancel token fired or a callback asked to stop (see [`Error::cancelled_by`]).
    Cancelled,
    /// HTTP 400.
    BadRequest,
    /// HTTP 401.
    Authentication,
    /// HTTP 403.
    PermissionDenied,
    /// HTTP 404.
    NotFound,
    /// HTTP 409.
    Conflict,
    /// HTTP 422.
    Unprocessable,
    /// HTTP 429.
    RateLimited,
    /// HTTP 5xx.
    ServerError,
    /// Any other unexpected HTTP status (including refused redirects).
    HttpOther,
    /// Malformed or unexpected response body.
    Parse,
    /// The response exceeded the client's maximum response size.
    ResponseTooLarge,
    /// No credentials are configured for the provider.
    NoCredentials,
    /// The feature is not available in this build.
    Unsupported,
    /// A bug in invitekit; the message says more.
    Internal,
    /// A blocking call (or a wait) made on the client's own I/O thread, e.g. from a `Waker` or
    /// a log callback run by a non-blocking operation, where it would stall the loop
    /// (`IK_STATUS_WOULD_BLOCK`).
    WouldBlock,
    /// A status code this binding does not know (or 0).
    Other(i32),
}

const STATUS_TABLE: [(Status, sys::ik_status); 22] = [
    (Status::InvalidArgument, sys::IK_STATUS_INVALID_ARGUMENT),
    (Status::InvalidUtf8, sys::IK_STATUS_INVALID_UTF8),
    (Status::NoMemory, sys::IK_STATUS_NO_MEMORY),
    (Status::Transport, sys::IK_STATUS_TRANSPORT),
    (Status::Tls, sys::IK_STATUS_TLS),
    (Status::Timeout, sys::IK_STATUS_TIMEOUT),
    (Status::Cancelled, sys::IK_STATUS_CANCELLED),
    (Status::BadRequest, sys::IK_STATUS_BAD_REQUEST),
    (Status::Authentication, sys::IK_STATUS_AUTHENTICATION),
    (Status::PermissionDenied, sys::IK_STATUS_PERMISSION_DENIED),
    (Status::NotFound, sys::IK_STATUS_NOT_FOUND),
    (Status::Conflict, sys::IK_STATUS_CONFLICT),
    (Status::Unprocessable, sys::IK_STATUS_UNPROCESSABLE),
    (Status::RateLimited, sys::IK_STATUS_RATE_LIMITED),
    (Status::ServerError, sys::IK_STATUS_SERVER_ERROR),
    (Status::HttpOther, sys::IK_STATUS_HTTP_OTHER),
    (Status::Parse, sys::IK_STATUS_PARSE),
    (Status::ResponseTooLarge, sys::IK_STATUS_RESPONSE_TOO_LARGE),
    (Status::NoCredentials, sys::IK_STATUS_NO_CREDENTIALS),
    (Status::Unsupported, sys::IK_STATUS_UNSUPPORTED),
    (Status::Internal, sys::IK_STATUS_INTERNAL),
    (Status::WouldBlock, sys::IK_STATUS_WOULD_BLOCK),
];

impl Status {
    /// The status for a C code (unknown codes and 0 give [`Status::Other`]).
    pub fn from_code(code: i32) -> Status {
        STATUS_TABLE.iter().find(|(_, c)| *c == code).map_or(Status::Other(code), |(s, _)| *s)
    }

    /// The C code (`IK_STATUS_*`).
    pub fn code(self) -> i32 {
        match self {
            Status::Other(c) => c,
            s => STATUS_TABLE.iter().find(|(t, _)| *t == s).map_or(-1, |(_, c)| *c),
        }
    }

    /// The stable machine name, e.g. `"IK_STATUS_NOT_FOUND"` (`ik_status_name`).
    pub fn name(self) -> &'static str {
        // SAFETY: ik_status_name accepts any value and returns a static string, never NULL.
        unsafe { ffi::static_str(sys::ik_status_name(self.code())) }
    }

    /// Static English text, e.g. `"not found"` (`ik_status_str`).
    pub fn description(self) -> &'static str {
        // SAFETY: ik_status_str accepts any value and returns a static string, never NULL.
        unsafe { ffi::static_str(sys::ik_status_str(self.code())) }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// The provider of a call (`IK_PROVIDER_*`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Not tied to a provider (e.g. an argument error).
    None,
    /// Twilio.
    Twilio,
    /// OpenAI.
    OpenAi,
    /// Fastly.
    Fastly,
    /// A provider this binding does not know.
    Other(i32),
}

impl Provider {
    /// The provider for a C code.
    pub fn from_code(code: i32) -> Provider {
        match code {
            sys::IK_PROVIDER_NONE => Provider::None,
            sys::IK_PROVIDER_TWILIO => Provider::Twilio,
            sys::IK_PROVIDER_OPENAI => Provider::OpenAi,
            sys::IK_PROVIDER_FASTLY => Provider::Fastly,
            c => Provider::Other(c),
        }
    }

    /// The C code (`IK_PROVIDER_*`).
    pub fn code(self) -> i32 {
        match self {
            Provider::None => sys::IK_PROVIDER_NONE,
            Provider::Twilio => sys::IK_PROVIDER_TWILIO,
            Provider::OpenAi => sys::IK_PROVIDER_OPENAI,
            Provider::Fastly => sys::IK_PROVIDER_FASTLY,
            Provider::Other(c) => c,
        }
    }

    /// `"twilio"`, `"openai"`, `"fastly"` or `"none"` (`ik_provider_name`).
    pub fn name(self) -> &'static str {
        // SAFETY: ik_provider_name accepts any value and returns a static string, never NULL.
        unsafe { ffi::static_str(sys::ik_provider_name(self.code())) }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who stopped a call that failed with [`Status::Cancelled`] (`IK_CANCELLED_BY_*`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CancelledBy {
    /// The call was not cancelled.
    None,
    /// A [`CancelToken`](crate::CancelToken).
    Token,
    /// The client's retry callback vetoed a retry (returned `false` or panicked).
    RetryCallback,
    /// The non-blocking operation itself: [`OpFuture::cancel`](crate::OpFuture::cancel), or its
    /// future dropped before completion.
    Operation,
    /// The C client was freed with the operation in flight.
    ClientFree,
    /// A value this binding does not know.
    Other(i32),
}

impl CancelledBy {
    fn from_code(code: i32) -> CancelledBy {
        match code {
            sys::IK_CANCELLED_BY_NONE => CancelledBy::None,
            sys::IK_CANCELLED_BY_TOKEN => CancelledBy::Token,
            sys::IK_CANCELLED_BY_RETRY_CALLBACK => CancelledBy::RetryCallback,
            sys::IK_CANCELLED_BY_OPERATION => CancelledBy::Operation,
            sys::IK_CANCELLED_BY_CLIENT_FREE => CancelledBy::ClientFree,
            c => CancelledBy::Other(c),
        }
    }
}

#[derive(Debug, Clone)]
struct Inner {
    status: Status,
    message: String,
    http_status: u16,
    provider: Provider,
    operation: Option<String>,
    provider_code: Option<String>,
    provider_message: Option<String>,
    fields: Vec<(String, String)>,
    request_id: Option<String>,
    headers: Vec<(String, String)>,
    retry_after: Option<Duration>,
    retryable: bool,
    ambiguous: bool,
    attempts: u32,
    transport_code: i32,
    cancelled_by: CancelledBy,
    body: Option<Vec<u8>>,
}

/// A failed call: everything the C error object said, copied out of it (the C object is freed
/// at once). `Send + Sync + 'static`, cheap to move (one box).
#[derive(Debug, Clone)]
pub struct Error(Box<Inner>);

impl Error {
    /// An error raised by the binding itself before anything reached the library.
    pub(crate) fn local(status: Status, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            status,
            message: message.into(),
            http_status: 0,
            provider: Provider::None,
            operation: None,
            provider_code: None,
            provider_message: None,
            fields: Vec::new(),
            request_id: None,
            headers: Vec::new(),
            retry_after: None,
            retryable: false,
            ambiguous: false,
            attempts: 0,
            transport_code: 0,
            cancelled_by: CancelledBy::None,
            body: None,
        }))
    }

    /// Copies everything out of `err`, then frees it.
    ///
    /// # Safety
    /// `err` is NULL or an error object owned by the caller; it must not be used afterwards.
    pub(crate) unsafe fn from_raw(status: sys::ik_status, err: *mut sys::ik_error) -> Error {
        let status = Status::from_code(status);
        if err.is_null() {
            return Error::local(status, status.description());
        }
        let e = err.cast_const();
        // SAFETY: (every accessor below) `e` is a live error object until ik_error_free at the
        // end; borrowed strings are copied before that.
        let inner = unsafe {
            let mut headers = Vec::with_capacity(sys::ik_error_header_count(e));
            for i in 0..sys::ik_error_header_count(e) {
                let (mut n, mut v) = (std::ptr::null(), std::ptr::null());
                if sys::ik_error_header_at(e, i, &mut n, &mut v) == 1 {
                    headers.push((ffi::owned_string(n).unwrap_or_default(), ffi::owned_string(v).unwrap_or_default()));
                }
            }
            let mut fields = Vec::with_capacity(sys::ik_error_field_count(e));
            for i in 0..sys::ik_error_field_count(e) {
                let (mut n, mut v) = (std::ptr::null(), std::ptr::null());
                if sys::ik_error_field_at(e, i, &mut n, &mut v) == 1 {
                    fields.push((ffi::owned_string(n).unwrap_or_default(), ffi::owned_string(v).unwrap_or_default()));
                }
            }
            let error_status = Status::from_code(sys::ik_error_status(e));
            Inner {
                // The returned status and ik_error_status agree; prefer the object's own.
                status: if matches!(error_status, Status::Other(0)) { status } else { error_status },
                message: ffi::owned_string(sys::ik_error_message(e)).unwrap_or_else(|| status.description().into()),
                http_status: u16::try_from(sys::ik_error_http_status(e)).unwrap_or(0),
                provider: Provider::from_code(sys::ik_error_provider(e)),
                operation: ffi::owned_string(sys::ik_error_operation(e)),
                provider_code: ffi::owned_string(sys::ik_error_provider_code(e)),
                provider_message: ffi::owned_string(sys::ik_error_provider_message(e)),
                fields,
                request_id: ffi::owned_string(sys::ik_error_request_id(e)),
                headers,
                retry_after: ffi::opt_i64(|o| sys::ik_error_retry_after_ms(e, o))
                    .map(|ms| Duration::from_millis(ms.max(0) as u64)),
                retryable: sys::ik_error_is_retryable(e) != 0,
                ambiguous: sys::ik_error_is_ambiguous(e) != 0,
                attempts: u32::try_from(sys::ik_error_attempts(e)).unwrap_or(0),
                transport_code: sys::ik_error_transport_code(e),
                cancelled_by: CancelledBy::from_code(sys::ik_error_cancelled_by(e)),
                body: ffi::bytes(|d, l| sys::ik_error_body(e, d, l)).map(<[u8]>::to_vec),
            }
        };
        // SAFETY: we own `err` and nothing borrowed from it is used any more.
        unsafe { sys::ik_error_free(err) };
        Error(Box::new(inner))
    }

    /// The class of failure.
    pub fn status(&self) -> Status {
        self.0.status
    }
    /// The human-readable message, prefixed by provider and operation, e.g.
    /// `"openai invites.retrieve: HTTP 404 Not Found: Invite not found"`.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// HTTP status of the last response received; `None` when none was received.
    pub fn http_status(&self) -> Option<u16> {
        (self.0.http_status != 0).then_some(self.0.http_status)
    }
    /// The provider of the call that failed ([`Provider::None`] for argument errors).
    pub fn provider(&self) -> Provider {
        self.0.provider
    }
    /// Operation name, e.g. `"invites.create"`.
    pub fn operation(&self) -> Option<&str> {
        self.0.operation.as_deref()
    }
    /// The provider's machine-readable error code as text (Twilio `"20404"`, OpenAI
    /// `"invalid_api_key"`, Fastly `errors[0].code`).
    pub fn provider_code(&self) -> Option<&str> {
        self.0.provider_code.as_deref()
    }
    /// The provider's own error message.
    pub fn provider_message(&self) -> Option<&str> {
        self.0.provider_message.as_deref()
    }
    /// A provider-specific extra field (`ik_error_field`): Twilio `more_info`, `details`, RFC 9457
    /// `type`/`title`/`detail`/`instance`; OpenAI `type`, `param`, `code`; Fastly `title`,
    /// `detail`, `id`, `status`, `code`, `meta`, `msg`, `type`, `errors`; any provider
    /// `content_type` and `url`. Names outside this list give `None`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    /// Every extra field that was present, as `(name, value)`.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The provider's request id (`x-request-id`, `Twilio-Request-Id`, …).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// The first value of a response header of the last attempt (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.0.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// Every response header of the last attempt, in arrival order.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.0.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The server-directed retry delay (`retry-after-ms`, `Retry-After`, `Fastly-RateLimit-Reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// Whether the same call may succeed when repeated later.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }
    /// Whether the server may have processed the request although the call failed: look a
    /// created object up before creating it again.
    pub fn is_ambiguous(&self) -> bool {
        self.0.ambiguous
    }
    /// Number of attempts made (1 = no retry; 0 if no request was sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
    /// libcurl's `CURLcode` of the last attempt (0 if the transfer itself worked).
    pub fn transport_code(&self) -> i32 {
        self.0.transport_code
    }
    /// Who stopped a cancelled call.
    pub fn cancelled_by(&self) -> CancelledBy {
        self.0.cancelled_by
    }
    /// The raw response body of the last attempt, if one was received.
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trip_and_names() {
        for code in 0..=25 {
            let s = Status::from_code(code);
            assert_eq!(s.code(), code);
            assert!(!s.name().is_empty());
        }
        assert_eq!(Status::from_code(11), Status::NotFound);
        assert_eq!(Status::NotFound.name(), "IK_STATUS_NOT_FOUND");
        assert_eq!(Status::from_code(999), Status::Other(999));
        assert_eq!(Provider::from_code(2).name(), "openai");
        assert_eq!(Provider::from_code(9), Provider::Other(9));
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error>();
        let e = Error::local(Status::InvalidArgument, "x");
        assert_eq!(e.to_string(), "x");
        assert_eq!(e.http_status(), None);
        // SAFETY: NULL is allowed and means "no details".
        let e = unsafe { Error::from_raw(sys::IK_STATUS_TIMEOUT, std::ptr::null_mut()) };
        assert_eq!(e.status(), Status::Timeout);
    }
}
