//! Small helpers shared by the wrappers: C strings in and out, the absent-value forms of
//! `common.h`, and the one way of making a fallible call.
use std::ffi::{CStr, CString, c_char};
use std::ptr::{self, NonNull};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Status};
use crate::panic;
use crate::sys;

/// Converts an input string; an interior NUL is an `InvalidArgument` error naming the input.
pub(crate) fn cstring(s: &str, what: &str) -> Result<CString, Error> {
    CString::new(s).map_err(|_| Error::local(Status::InvalidArgument, format!("{what} contains a NUL byte")))
}

/// As [`cstring`] for an optional input.
pub(crate) fn opt_cstring(s: Option<&str>, what: &str) -> Result<Option<CString>, Error> {
    s.map(|s| cstring(s, what)).transpose()
}

/// The pointer to pass for an optional C string (NULL when absent).
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// Reads a borrowed C string. NULL (absent or JSON null) and text that is not UTF-8 read as `None`
/// (the library only hands out UTF-8: it validates inputs and parses bodies as UTF-8 JSON).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_str<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL, NUL-terminated and valid for 'a by the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_str().ok()
}

/// Reads a static string the library documents as never NULL (names, versions).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string with static storage.
pub(crate) unsafe fn static_str(p: *const c_char) -> &'static str {
    // SAFETY: forwarded contract.
    unsafe { opt_str(p) }.unwrap_or("")
}

/// Copies a borrowed C string into an owned `String` (lossy for invalid UTF-8).
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string.
pub(crate) unsafe fn owned_string(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract; copied at once.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// The borrowed-bytes form: `int32_t f(obj, const uint8_t **data, size_t *len)`.
///
/// # Safety
/// `f` must be such an accessor on an object that outlives `'a`.
pub(crate) unsafe fn bytes<'a>(f: impl FnOnce(*mut *const u8, *mut usize) -> i32) -> Option<&'a [u8]> {
    let mut data: *const u8 = ptr::null();
    let mut len: usize = 0;
    if f(&mut data, &mut len) != 1 {
        return None;
    }
    if data.is_null() || len == 0 {
        return Some(&[]);
    }
    // SAFETY: the accessor returned 1, so `data` points at `len` bytes borrowed from an object the
    // caller guarantees to outlive 'a.
    Some(unsafe { std::slice::from_raw_parts(data, len) })
}

/// The optional-integer form: `int32_t f(obj, int64_t *out)` returning 1 when present.
pub(crate) fn opt_i64(f: impl FnOnce(*mut i64) -> i32) -> Option<i64> {
    let mut v = 0i64;
    (f(&mut v) == 1).then_some(v)
}

/// Reads an `ik_optbool`.
pub(crate) fn optbool(v: sys::ik_optbool) -> Option<bool> {
    match v {
        sys::IK_OPTBOOL_TRUE => Some(true),
        sys::IK_OPTBOOL_FALSE => Some(false),
        _ => None,
    }
}

/// Writes an `ik_optbool`.
pub(crate) fn to_optbool(v: Option<bool>) -> sys::ik_optbool {
    match v {
        None => sys::IK_OPTBOOL_UNSET,
        Some(true) => sys::IK_OPTBOOL_TRUE,
        Some(false) => sys::IK_OPTBOOL_FALSE,
    }
}

/// Unix seconds to `SystemTime` (negative values are before the epoch).
pub(crate) fn unix_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// A duration as the library's milliseconds: 0 stays 0 ("default"), anything else is at least 1.
pub(crate) fn millis(d: Duration) -> i64 {
    if d.is_zero() { 0 } else { i64::try_from(d.as_millis()).unwrap_or(i64::MAX).max(1) }
}

/// Makes a fallible call that writes no object: builds the `Error` from the returned error
/// object, then resumes a panic a callback raised during the call.
pub(crate) fn call(f: impl FnOnce(*mut *mut sys::ik_error) -> sys::ik_status) -> Result<(), Error> {
    call_out::<(), ()>(|_, err| f(err), |_| ())
}

/// Makes a fallible call that writes an owned object through `*out`. `wrap` takes ownership of
/// it (`None` when the call succeeded without writing one, e.g. the end of a pager). The result is
/// built before a stashed callback panic resumes, so nothing leaks while unwinding.
pub(crate) fn call_out<R, T>(
    f: impl FnOnce(*mut *mut R, *mut *mut sys::ik_error) -> sys::ik_status,
    wrap: impl FnOnce(Option<NonNull<R>>) -> T,
) -> Result<T, Error> {
    let mut out: *mut R = ptr::null_mut();
    let mut err: *mut sys::ik_error = ptr::null_mut();
    let in_call = panic::enter();
    let status = f(&mut out, &mut err);
    drop(in_call);
    let result = if status == sys::IK_STATUS_OK {
        if !err.is_null() {
            // SAFETY: an error object we own (never expected on success; freed to be safe).
            unsafe { sys::ik_error_free(err) };
        }
        Ok(wrap(NonNull::new(out)))
    } else {
        // SAFETY: `err` is NULL or an error object this call handed to us; from_raw frees it.
        Err(unsafe { Error::from_raw(status, err) })
    };
    panic::resume_if_stashed();
    result
}

/// An owned `ik_buf`: initialised with `ik_buf_init`, disposed of with `ik_buf_dispose`.
pub(crate) struct Buf(sys::ik_buf);

impl Buf {
    pub(crate) fn new() -> Buf {
        let mut b = Buf(sys::IK_BUF_INIT);
        // SAFETY: a valid, writable ik_buf.
        unsafe { sys::ik_buf_init(&mut b.0) };
        b
    }
    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::ik_buf {
        &mut self.0
    }
    pub(crate) fn as_bytes(&self) -> &[u8] {
        if self.0.data.is_null() || self.0.len == 0 {
            return &[];
        }
        // SAFETY: the library filled `data` with `len` bytes, owned by this buffer until dispose.
        unsafe { std::slice::from_raw_parts(self.0.data, self.0.len) }
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        // SAFETY: NULL-safe and idempotent; frees what the library allocated.
        unsafe { sys::ik_buf_dispose(&mut self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(optbool(sys::IK_OPTBOOL_TRUE), Some(true));
        assert_eq!(optbool(sys::IK_OPTBOOL_FALSE), Some(false));
        assert_eq!(optbool(sys::IK_OPTBOOL_UNSET), None);
        assert_eq!(optbool(42), None);
        for v in [None, Some(true), Some(false)] {
            assert_eq!(optbool(to_optbool(v)), v);
        }
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_micros(10)), 1);
        assert_eq!(millis(Duration::from_secs(2)), 2000);
        assert_eq!(millis(Duration::MAX), i64::MAX);
        assert_eq!(unix_time(0), UNIX_EPOCH);
        assert_eq!(unix_time(-1), UNIX_EPOCH - Duration::from_secs(1));
        assert_eq!(
            opt_i64(|o| {
                // SAFETY: `o` points at opt_i64's local.
                unsafe { *o = 9 };
                1
            }),
            Some(9)
        );
        assert_eq!(opt_i64(|_| 0), None);
        assert!(cstring("a\0b", "x").is_err());
        assert_eq!(cstring("ab", "x").unwrap().as_bytes(), b"ab");
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { opt_str(ptr::null()) }, None);
        // SAFETY: a static NUL-terminated string.
        assert_eq!(unsafe { opt_str(c"hé".as_ptr()) }, Some("hé"));
    }
}
