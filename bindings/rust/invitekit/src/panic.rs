//! Panics raised inside callbacks: caught at the C boundary, then resumed where Rust code waits
//! for the C library.
//!
//! * During a call made through this crate (`ffi::call_out` marks it with [`enter`]), callbacks run
//!   synchronously on the calling thread, so a thread-local slot is exactly "the call in progress
//!   on this thread": the panic is stashed there and resumed once the C function has returned.
//! * Outside such a call (a log or retry callback run by a non-blocking operation on a client's
//!   I/O thread), nothing on that thread will resume it: the panic goes to the client's [`Slot`]
//!   and the next future of that client to complete resumes it in the task that polls it.
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Mutex, PoisonError};

/// A caught panic.
pub(crate) type Payload = Box<dyn Any + Send + 'static>;

thread_local! {
    static STASHED: RefCell<Option<Payload>> = const { RefCell::new(None) };
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Marks a C call made by this crate on this thread, until dropped.
pub(crate) struct InCall(());

/// Enters a C call: callbacks that run before the guard drops belong to it.
pub(crate) fn enter() -> InCall {
    DEPTH.with(|d| d.set(d.get() + 1));
    InCall(())
}

impl Drop for InCall {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether this thread is inside a C call made by this crate.
pub(crate) fn in_call() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// Drops a payload; a panic from its destructor is swallowed (never unwinds into C).
pub(crate) fn drop_payload(p: Payload) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(p)));
}

/// The panics of one client's callbacks that ran outside a call (see the module documentation).
/// Keeps the first; later ones are dropped until it is taken.
#[derive(Debug, Default)]
pub(crate) struct Slot(Mutex<Option<Payload>>);

impl Slot {
    /// Runs `f` (the body of a callback), catching its panic into the slot. `None` means "panicked".
    pub(crate) fn catch<R>(&self, f: impl FnOnce() -> R) -> Option<R> {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(r) => Some(r),
            Err(payload) => {
                let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
                if slot.is_none() {
                    *slot = Some(payload);
                } else {
                    drop(slot);
                    drop_payload(payload);
                }
                None
            }
        }
    }

    /// Takes the kept panic, if any.
    pub(crate) fn take(&self) -> Option<Payload> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
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

    #[test]
    fn slot_keeps_the_first_panic_and_call_depth_nests() {
        let slot = Slot::default();
        assert_eq!(slot.catch(|| 1), Some(1));
        assert!(slot.take().is_none());
        assert_eq!(slot.catch(|| -> i32 { resume_unwind(Box::new("first")) }), None);
        assert_eq!(slot.catch(|| -> i32 { resume_unwind(Box::new("second")) }), None);
        assert_eq!(slot.take().unwrap().downcast_ref::<&str>(), Some(&"first"));
        assert!(slot.take().is_none());
        assert!(!in_call());
        {
            let _a = enter();
            let _b = enter();
            assert!(in_call());
        }
        assert!(!in_call());
    }
}
