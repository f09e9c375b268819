//! Panics raised inside callbacks: caught at the C boundary, stashed per thread, resumed once the
//! C function has returned (callbacks run synchronously on the calling thread, so a thread-local
//! slot is exactly "the call in progress on this thread").
use std::any::Any;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

thread_local! {
    static STASHED: RefCell<Option<Box<dyn Any + Send + 'static>>> = const { RefCell::new(None) };
}

/// Runs `f` (the body of a callback) unless a panic of this thread's call is already stashed;
/// catches its panic and stashes it. `None` means "did not run or panicked".
pub(crate) fn wrap<R>(f: impl FnOnce() -> R) -> Option<R> {
    if STASHED.with(|s| s.borrow().is_some()) {
        return None;
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Some(r),
        Err(payload) => {
            STASHED.with(|s| *s.borrow_mut() = Some(payload));
            None
        }
    }
}

/// Resumes the panic a callback raised during the C call that just returned on this thread.
pub(crate) fn resume_if_stashed() {
    if let Some(payload) = STASHED.with(|s| s.borrow_mut().take()) {
        resume_unwind(payload);
    }
}

/// Drops a stashed panic without resuming it (used where unwinding is not allowed: `Drop`).
pub(crate) fn discard() {
    STASHED.with(|s| s.borrow_mut().take());
}

/// Whether a panic is stashed on this thread (tests).
#[cfg(test)]
pub(crate) fn is_stashed() -> bool {
    STASHED.with(|s| s.borrow().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_stashes_and_resume_rethrows() {
        assert_eq!(wrap(|| 5), Some(5));
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(wrap(|| -> i32 { panic!("boom") }), None);
        std::panic::set_hook(prev);
        assert!(is_stashed());
        // While a panic is stashed, later callbacks of the same call do not run.
        assert_eq!(wrap(|| 7), None);
        let r = catch_unwind(resume_if_stashed);
        let payload = r.expect_err("the stashed panic resumes");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        assert!(!is_stashed());
        resume_if_stashed(); // nothing stashed: no-op
        discard();
    }
}
