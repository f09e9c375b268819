//! Cancel tokens.
use std::ptr::NonNull;
use std::sync::Arc;

use crate::error::{Error, Status};
use crate::ffi;
use crate::sys;

struct TokenInner {
    raw: NonNull<sys::ik_cancel_token>,
}

// SAFETY: ik_cancel_token is thread-safe (client.h: "ik_cancel_token_cancel may be called from any
// thread at any time"; the flag is atomic and the waiters list is guarded by a mutex).
unsafe impl Send for TokenInner {}
// SAFETY: as above; every operation through &TokenInner is one of the thread-safe functions.
unsafe impl Sync for TokenInner {}

impl Drop for TokenInner {
    fn drop(&mut self) {
        // SAFETY: we own the token; no call uses it any more: every call borrows the
        // `CallOptions` that holds a clone of the `CancelToken`, so the last clone goes after the
        // last call that used it.
        unsafe { sys::ik_cancel_token_free(self.raw.as_ptr()) }
    }
}

/// Cancels calls from any thread: pass it in [`CallOptions::cancel`](crate::CallOptions::cancel)
/// and call [`cancel`](Self::cancel); every call using it returns [`Status::Cancelled`] promptly
/// (also during a backoff sleep or a slow response) with
/// [`CancelledBy::Token`](crate::CancelledBy::Token). A token stays cancelled until
/// [`reset`](Self::reset).
///
/// `Clone` shares one token (an `Arc` inside); `Send + Sync`.
#[derive(Clone)]
pub struct CancelToken {
    inner: Arc<TokenInner>,
}

impl CancelToken {
    /// Creates a token that is not cancelled.
    pub fn new() -> Result<CancelToken, Error> {
        ffi::call_out(
            // SAFETY: both out-pointers are valid.
            |out, err| unsafe { sys::ik_cancel_token_new(out, err) },
            |raw| raw.map(|raw| CancelToken { inner: Arc::new(TokenInner { raw }) }),
        )?
        .ok_or_else(|| Error::local(Status::Internal, "ik_cancel_token_new returned no token"))
    }

    /// Cancels every call using the token, now and until [`reset`](Self::reset).
    pub fn cancel(&self) {
        // SAFETY: a live token; ik_cancel_token_cancel is thread-safe.
        unsafe { sys::ik_cancel_token_cancel(self.inner.raw.as_ptr()) }
    }

    /// Whether the token is cancelled.
    pub fn is_cancelled(&self) -> bool {
        // SAFETY: a live token; reading the flag is thread-safe.
        unsafe { sys::ik_cancel_token_is_cancelled(self.inner.raw.as_ptr()) != 0 }
    }

    /// Makes the token usable again.
    pub fn reset(&self) {
        // SAFETY: a live token; the flag is atomic.
        unsafe { sys::ik_cancel_token_reset(self.inner.raw.as_ptr()) }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::ik_cancel_token {
        self.inner.raw.as_ptr()
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}
