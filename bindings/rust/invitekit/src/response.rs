//! Exchange metadata and deletion results.
use std::ffi::CString;
use std::ptr;
use std::time::{Duration, SystemTime};

use crate::error::Provider;
use crate::ffi;
use crate::page::Kind;
use crate::sys;

/// Declares `$name` as the borrowed view of a C object: an opaque, zero-sized type that is only
/// ever used behind a reference made from the object's pointer (the `foreign-types` pattern), so
/// that `&'a $name` carries the lifetime of whatever owns the C object.
macro_rules! borrowed_view {
    ($(#[$doc:meta])* $name:ident => $raw:ty) => {
        $(#[$doc])*
        #[repr(transparent)]
        pub struct $name($raw);

        impl $name {
            /// # Safety
            /// `p` is a live, non-NULL object that outlives `'a` and is not mutated meanwhile.
            #[allow(dead_code)]
            pub(crate) unsafe fn from_ptr<'a>(p: *const $raw) -> &'a $name {
                debug_assert!(!p.is_null());
                // SAFETY: $name is a transparent wrapper of the zero-sized opaque type (alignment
                // 1), and `p` is non-NULL and live for 'a by the caller's contract.
                unsafe { &*(p as *const $name) }
            }

            #[allow(dead_code)]
            pub(crate) fn as_ptr(&self) -> *const $raw {
                self as *const $name as *const $raw
            }
        }

        // SAFETY: result objects are immutable and may be read and shared from any thread
        // (client.h THREAD SAFETY rule 3).
        unsafe impl Send for $name {}
        // SAFETY: as above.
        unsafe impl Sync for $name {}
    };
}
pub(crate) use borrowed_view;

/// Declares `$owned`, the owning handle of a C result object, dereferencing to its borrowed view.
macro_rules! owned_handle {
    ($(#[$doc:meta])* $owned:ident => $view:ident, $raw:ty, $free:path) => {
        $(#[$doc])*
        pub struct $owned(std::ptr::NonNull<$raw>);

        impl $owned {
            /// # Safety
            /// `p` is an object the caller owns (written through an out-parameter).
            #[allow(dead_code)]
            pub(crate) unsafe fn from_owned(p: std::ptr::NonNull<$raw>) -> $owned {
                $owned(p)
            }
        }

        impl std::ops::Deref for $owned {
            type Target = $view;
            fn deref(&self) -> &$view {
                // SAFETY: we own a live object; the view borrows `self`.
                unsafe { $view::from_ptr(self.0.as_ptr()) }
            }
        }

        impl AsRef<$view> for $owned {
            fn as_ref(&self) -> &$view {
                self
            }
        }

        impl std::borrow::Borrow<$view> for $owned {
            fn borrow(&self) -> &$view {
                self
            }
        }

        impl Drop for $owned {
            fn drop(&mut self) {
                // SAFETY: we own the object and nothing borrowed from it outlives `self`.
                unsafe { $free(self.0.as_ptr()) }
            }
        }

        impl std::fmt::Debug for $owned {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&**self, f)
            }
        }

        // SAFETY: result objects are immutable and may be read, shared and freed from any thread
        // (client.h THREAD SAFETY rule 3); results never refer to the client.
        unsafe impl Send for $owned {}
        // SAFETY: as above.
        unsafe impl Sync for $owned {}
    };
}
pub(crate) use owned_handle;

/// String accessors of a borrowed view: `pub fn name(&self) -> Option<&str>`.
macro_rules! str_accessors {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> Option<&str> {
            // SAFETY: a live object borrowed for the lifetime of &self; the string is borrowed
            // from it (NULL when absent).
            unsafe { crate::ffi::opt_str($f(self.as_ptr())) }
        }
    )*};
}
pub(crate) use str_accessors;

/// Optional timestamp accessors: `pub fn name(&self) -> Option<SystemTime>` from `_unix`.
macro_rules! time_accessors {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> Option<std::time::SystemTime> {
            // SAFETY: a live object; `o` is a valid out-pointer.
            crate::ffi::opt_i64(|o| unsafe { $f(self.as_ptr(), o) }).map(crate::ffi::unix_time)
        }
    )*};
}
pub(crate) use time_accessors;

/// Optional integer accessors: `pub fn name(&self) -> Option<i64>`.
macro_rules! i64_accessors {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> Option<i64> {
            // SAFETY: a live object; `o` is a valid out-pointer.
            crate::ffi::opt_i64(|o| unsafe { $f(self.as_ptr(), o) })
        }
    )*};
}
pub(crate) use i64_accessors;

/// The accessors every result has: `raw_json` (borrowed bytes), `raw_json_str`
/// and `response`, over the result's `ik_*_raw_json` and `ik_*_response`.
macro_rules! json_and_response {
    ($(#[$raw_doc:meta])* raw_json => $raw:path; $(#[$resp_doc:meta])* response => $resp:path;) => {
        $(#[$raw_doc])*
        pub fn raw_json(&self) -> Option<&[u8]> {
            // SAFETY: a live object borrowed for the lifetime of &self; the bytes are borrowed
            // from it.
            unsafe { crate::ffi::bytes(|d, l| $raw(self.as_ptr(), d, l)) }
        }
        /// [`raw_json`](Self::raw_json) as text.
        pub fn raw_json_str(&self) -> Option<&str> {
            self.raw_json().and_then(|b| std::str::from_utf8(b).ok())
        }
        $(#[$resp_doc])*
        pub fn response(&self) -> &crate::response::Response {
            // SAFETY: the response is borrowed from this live object.
            unsafe { crate::response::response_ref($resp(self.as_ptr())) }
        }
    };
}
pub(crate) use json_and_response;

borrowed_view! {
    /// Metadata of the HTTP exchange behind a result: status, request id, headers, rate limits,
    /// attempts, timing, body. Always borrowed from its result (`response()` of an invite, a
    /// user, a page or a deletion).
    Response => sys::ik_response
}

impl Response {
    /// HTTP status of the final attempt (e.g. 200, 201, 204).
    pub fn http_status(&self) -> u16 {
        // SAFETY: a live response.
        u16::try_from(unsafe { sys::ik_response_http_status(self.as_ptr()) }).unwrap_or(0)
    }
    /// Provider of the call.
    pub fn provider(&self) -> Provider {
        // SAFETY: a live response.
        Provider::from_code(unsafe { sys::ik_response_provider(self.as_ptr()) })
    }
    str_accessors! {
        /// The provider's request id header.
        request_id => sys::ik_response_request_id;
    }
    /// The first value of a response header (case-insensitive name), e.g.
    /// `"x-ratelimit-remaining-requests"` or `"Fastly-RateLimit-Remaining"`.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = CString::new(name).ok()?;
        // SAFETY: a live response and a valid C string; the value is borrowed from the response.
        unsafe { ffi::opt_str(sys::ik_response_header(self.as_ptr(), name.as_ptr())) }
    }
    /// Every response header, in arrival order.
    pub fn headers(&self) -> Headers<'_> {
        // SAFETY: a live response.
        let count = unsafe { sys::ik_response_header_count(self.as_ptr()) };
        Headers { resp: self, next: 0, count }
    }
    /// Remaining requests reported by the provider's rate-limit header.
    pub fn ratelimit_remaining(&self) -> Option<i64> {
        // SAFETY: a live response; `o` is a valid out-pointer.
        ffi::opt_i64(|o| unsafe { sys::ik_response_ratelimit_remaining(self.as_ptr(), o) })
    }
    /// When the rate limit resets (`Fastly-RateLimit-Reset`).
    pub fn ratelimit_reset(&self) -> Option<SystemTime> {
        // SAFETY: a live response; `o` is a valid out-pointer.
        ffi::opt_i64(|o| unsafe { sys::ik_response_ratelimit_reset_unix(self.as_ptr(), o) }).map(ffi::unix_time)
    }
    /// Attempts the call needed (1 = the first try succeeded).
    pub fn attempts(&self) -> u32 {
        // SAFETY: a live response.
        u32::try_from(unsafe { sys::ik_response_attempts(self.as_ptr()) }).unwrap_or(0)
    }
    /// Wall time of the whole call, retries included.
    pub fn elapsed(&self) -> Duration {
        // SAFETY: a live response.
        Duration::from_micros(u64::try_from(unsafe { sys::ik_response_elapsed_us(self.as_ptr()) }).unwrap_or(0))
    }
    /// The raw response body, when it had one.
    pub fn body(&self) -> Option<&[u8]> {
        // SAFETY: a live response; the bytes are borrowed from it.
        unsafe { ffi::bytes(|d, l| sys::ik_response_body(self.as_ptr(), d, l)) }
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("http_status", &self.http_status())
            .field("provider", &self.provider())
            .field("request_id", &self.request_id())
            .field("attempts", &self.attempts())
            .finish_non_exhaustive()
    }
}

/// Iterator over the headers of a [`Response`], as `(name, value)`.
#[derive(Debug, Clone)]
pub struct Headers<'a> {
    resp: &'a Response,
    next: usize,
    count: usize,
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'a str, &'a str);
    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        while self.next < self.count {
            let i = self.next;
            self.next += 1;
            let (mut n, mut v) = (ptr::null(), ptr::null());
            // SAFETY: a live response, i in range, valid out-pointers; the strings are borrowed
            // from the response ('a).
            unsafe {
                if sys::ik_response_header_at(self.resp.as_ptr(), i, &mut n, &mut v) == 1 {
                    return Some((ffi::opt_str(n).unwrap_or(""), ffi::opt_str(v).unwrap_or("")));
                }
            }
        }
        None
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.count - self.next))
    }
}

/// Reads the borrowed response of a result.
///
/// # Safety
/// `p` is the non-NULL response of a result that outlives `'a`.
pub(crate) unsafe fn response_ref<'a>(p: *const sys::ik_response) -> &'a Response {
    // SAFETY: forwarded contract. Every result carries a response; a NULL here would be a library
    // bug, caught in debug builds.
    unsafe { Response::from_ptr(p) }
}

borrowed_view! {
    /// The borrowed view of a [`Deletion`].
    DeletionRef => sys::ik_deletion
}

owned_handle! {
    /// The result of a delete, the same type for every provider (`ik_deletion`).
    Deletion => DeletionRef, sys::ik_deletion, sys::ik_deletion_free
}

impl DeletionRef {
    /// Kind of the deleted object.
    pub fn kind(&self) -> Kind {
        // SAFETY: a live deletion.
        Kind::from_code(unsafe { sys::ik_deletion_kind(self.as_ptr()) })
    }
    str_accessors! {
        /// Id of the deleted object: the id the server reported (OpenAI) or the id/identity the
        /// call was given (Twilio and Fastly answer 204 without a body).
        id => sys::ik_deletion_id;
        /// The body's `object` field (`"organization.invite.deleted"` for OpenAI), `None` without a body.
        object => sys::ik_deletion_object;
    }
    /// Whether the server says the object is deleted (`None` when absent or null).
    pub fn deleted(&self) -> Option<bool> {
        // SAFETY: a live deletion.
        ffi::optbool(unsafe { sys::ik_deletion_deleted(self.as_ptr()) })
    }
    json_and_response! {
        /// The response body (OpenAI); `None` for a 204 answer.
        raw_json => sys::ik_deletion_raw_json;
        /// Exchange metadata.
        response => sys::ik_deletion_response;
    }
}

impl std::fmt::Debug for DeletionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deletion")
            .field("kind", &self.kind())
            .field("id", &self.id())
            .field("deleted", &self.deleted())
            .finish()
    }
}
