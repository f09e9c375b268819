//! Non-blocking operations (`async.h`) as std `Future`s.
//!
//! One shape for the twenty-one `_start` functions: [`start`] hands the C library a completion
//! callback ([`on_complete`], one instance per result type) and a strong reference to a shared
//! state (`Arc<Shared<T>>`) as its user data. The C library runs the callback exactly once per
//! accepted operation; the callback takes the result (or the error) out of the operation, stores
//! it in the shared state, wakes the stored `Waker` and releases its reference. The future holds
//! the other reference and a handle of the operation (`out_op`), used to cancel it when the
//! future is dropped early: the callback still runs later and touches nothing but its own
//! reference to the shared state.
use std::ffi::c_void;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::client::Client;
use crate::ensure::EnsureOutcome;
use crate::error::{Error, Provider, Status};
use crate::fastly::FastlyInvitation;
use crate::ffi;
use crate::openai::{OpenAiInvite, required};
use crate::options::{CallOptions, RawCallOptions};
use crate::page::{Page, Pager};
use crate::panic::{self, Payload};
use crate::response::Deletion;
use crate::sys;
use crate::twilio::{TwilioInvite, TwilioUser};

/// What a completion hands over: one of the owned result types.
pub(crate) trait OpOutput: Sized + Send + 'static {
    /// The `IK_RESULT_*` of the operations that produce it.
    const RESULT_TYPE: i32;
    /// Takes the outcome out of a completed operation.
    ///
    /// # Safety
    /// `op` is NULL or a completed operation producing [`Self::RESULT_TYPE`], borrowed for the
    /// duration of its completion callback.
    unsafe fn take(op: *mut sys::ik_op) -> Result<Self, Error>;
}

type Taker<R> = unsafe extern "C" fn(*mut sys::ik_op, *mut *mut R, *mut *mut sys::ik_error) -> sys::ik_status;

/// The outcome of a completed operation: its result object (owned, possibly NULL) or its error.
///
/// # Safety
/// As [`OpOutput::take`]; `take` is the taker of the operation's result type.
unsafe fn outcome<R>(op: *mut sys::ik_op, take: Taker<R>) -> Result<Option<NonNull<R>>, Error> {
    let mut err: *mut sys::ik_error = ptr::null_mut();
    // SAFETY: NULL-safe; `op` is completed, so this is its final status.
    let status = unsafe { sys::ik_op_status(op) };
    if status == sys::IK_STATUS_OK {
        let mut out: *mut R = ptr::null_mut();
        // SAFETY: a completed operation of this result type and valid out-pointers.
        let s = unsafe { take(op, &mut out, &mut err) };
        if s != sys::IK_STATUS_OK {
            // SAFETY: `err` is NULL or an error object handed to us; from_raw frees it.
            return Err(unsafe { Error::from_raw(s, err) });
        }
        return Ok(NonNull::new(out));
    }
    let mut op_err: *mut sys::ik_error = ptr::null_mut();
    // SAFETY: a completed operation and valid out-pointers.
    let s = unsafe { sys::ik_op_take_error(op, &mut op_err, &mut err) };
    if s != sys::IK_STATUS_OK {
        // SAFETY: as above.
        return Err(unsafe { Error::from_raw(s, err) });
    }
    // SAFETY: `op_err` is NULL or the operation's error, now ours; from_raw frees it.
    Err(unsafe { Error::from_raw(status, op_err) })
}

macro_rules! single_outputs {
    ($($t:ty => $rt:path, $take:path;)*) => {$(
        impl OpOutput for $t {
            const RESULT_TYPE: i32 = $rt;
            unsafe fn take(op: *mut sys::ik_op) -> Result<Self, Error> {
                // SAFETY: forwarded contract; the taker matches the result type.
                let raw = unsafe { outcome(op, $take) }?;
                // SAFETY: an owned object of this type, handed over by the taker.
                required(raw.map(|p| unsafe { <$t>::from_owned(p) }))
            }
        }
    )*};
}

single_outputs! {
    OpenAiInvite => sys::IK_RESULT_OPENAI_INVITE, sys::ik_op_take_openai_invite;
    TwilioInvite => sys::IK_RESULT_TWILIO_INVITE, sys::ik_op_take_twilio_invite;
    TwilioUser => sys::IK_RESULT_TWILIO_USER, sys::ik_op_take_twilio_user;
    FastlyInvitation => sys::IK_RESULT_FASTLY_INVITATION, sys::ik_op_take_fastly_invitation;
    Deletion => sys::IK_RESULT_DELETION, sys::ik_op_take_deletion;
}

/// An ensure operation (`ik_<resource>_ensure_start`): the object found or created, as the
/// blocking `*_ensure` returns it, and what happened (`ik_op_ensure_outcome`, read here in the
/// completion callback, while the operation is borrowed).
macro_rules! ensure_outputs {
    ($($t:ty;)*) => {$(
        impl OpOutput for ($t, EnsureOutcome) {
            const RESULT_TYPE: i32 = <$t as OpOutput>::RESULT_TYPE;
            unsafe fn take(op: *mut sys::ik_op) -> Result<Self, Error> {
                // SAFETY: forwarded contract; an ensure operation produces the object's result type.
                let object = unsafe { <$t as OpOutput>::take(op) }?;
                // SAFETY: NULL-safe; `op` is completed (its outcome is final).
                let code = unsafe { sys::ik_op_ensure_outcome(op) };
                Ok((object, EnsureOutcome::from_code(code)))
            }
        }
    )*};
}

ensure_outputs! {
    OpenAiInvite;
    TwilioInvite;
    TwilioUser;
    FastlyInvitation;
}

/// A list operation's page (always present).
impl<K: 'static> OpOutput for Page<K> {
    const RESULT_TYPE: i32 = sys::IK_RESULT_PAGE;
    unsafe fn take(op: *mut sys::ik_op) -> Result<Self, Error> {
        // SAFETY: forwarded contract. The callers only start list operations of item type K.
        let raw = unsafe { outcome(op, sys::ik_op_take_page) }?;
        // SAFETY: an owned page whose items are K (the operation was started for K).
        required(raw.map(|p| unsafe { Page::from_owned(p) }))
    }
}

/// A pager's next page (`None` after the last one).
impl<K: 'static> OpOutput for Option<Page<K>> {
    const RESULT_TYPE: i32 = sys::IK_RESULT_PAGE;
    unsafe fn take(op: *mut sys::ik_op) -> Result<Self, Error> {
        // SAFETY: forwarded contract.
        let raw = unsafe { outcome(op, sys::ik_op_take_page) }?;
        // SAFETY: an owned page of the pager's kind K.
        Ok(raw.map(|p| unsafe { Page::from_owned(p) }))
    }
}

/// What the completion callback and the future share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// The client's slot for callback panics outside calls, forwarded to this future.
    panics: Option<Arc<panic::Slot>>,
    /// `ik_call_options.cancel` must stay alive until the callback has run.
    _token: Option<CancelToken>,
}

struct State<T> {
    outcome: Option<Result<T, Error>>,
    /// A log or retry callback's panic, resumed by the poll that returns the outcome.
    panic: Option<Payload>,
    waker: Option<Waker>,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing that can panic runs under the lock except `Waker::clone`; the state stays valid.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The completion callback of every operation whose result is `T`.
///
/// # Safety
/// Called by the C library exactly once per operation started by [`start`] with `T`: `user_data`
/// is the strong reference `start` made with `Arc::into_raw`, `op` the completed operation.
unsafe extern "C" fn on_complete<T: OpOutput>(op: *mut sys::ik_op, user_data: *mut c_void) {
    if user_data.is_null() {
        return;
    }
    // SAFETY: reclaims the strong reference handed over by `start` for this callback, which runs
    // exactly once (async.h), so it is reclaimed exactly once.
    let shared = unsafe { Arc::from_raw(user_data as *const Shared<T>) };
    // Nothing may unwind into C: taking the outcome, the user's `Waker::wake` and the drops.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `op` is this operation, completed, borrowed for the callback; its result type
        // is T's (`start` was instantiated with T for a `_start` function producing it).
        let outcome = unsafe { T::take(op) };
        // Forward a callback panic only to a future that still exists (it holds the other
        // reference); otherwise it stays in the client's slot for the next one.
        let panic = if Arc::strong_count(&shared) > 1 { shared.panics.as_ref().and_then(|s| s.take()) } else { None };
        let waker = {
            let mut st = shared.lock();
            st.outcome = Some(outcome);
            st.panic = panic;
            st.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }));
    // If the future is gone, this is the last reference: the result and the token are freed here.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(shared)));
}

/// The caller's reference to an operation (`out_op`).
struct OpHandle(NonNull<sys::ik_op>);

// SAFETY: async.h: ik_op_cancel may be called from any thread, ik_op_free never blocks and may be
// called before, during or after completion (the reference count is atomic), and the accessors
// used through `&OpHandle` (done, provider, operation, wait) are thread-safe reads or waits.
unsafe impl Send for OpHandle {}
// SAFETY: as above.
unsafe impl Sync for OpHandle {}

impl Drop for OpHandle {
    fn drop(&mut self) {
        // SAFETY: our reference; cancelling a completed operation has no effect, and before
        // completion the callback still runs (and reclaims its own reference to the state).
        unsafe {
            sys::ik_op_cancel(self.0.as_ptr());
            sys::ik_op_free(self.0.as_ptr());
        }
    }
}

struct Running<T> {
    op: OpHandle,
    shared: Arc<Shared<T>>,
    /// Keeps the client open while the operation runs (dropping the last `Client` would cancel
    /// it); `None` for a pager's page (the pager holds its client).
    _client: Option<Client>,
}

impl<T> Drop for Running<T> {
    fn drop(&mut self) {
        // A dropped future is not woken, and its waker (often a reference to its task) goes now
        // rather than when the cancelled operation completes. Then `op` drops: cancel and release.
        let waker = self.shared.lock().waker.take();
        drop(waker);
    }
}

enum FutState<T> {
    /// `_start` refused the arguments (or they could not be converted): the callback never runs.
    Failed(Error),
    Running(Running<T>),
    Done,
}

/// A non-blocking operation: a `Future` of its result, returned by every `*_async` method.
///
/// * The request starts when the method is called (not at the first poll), on the client's I/O
///   thread, so a future that is never polled still makes progress; the future owns everything
///   it needs (`'static`, `Send`) and may be awaited from any executor: the C library's
///   completion callback wakes its `Waker`. No runtime is needed.
/// * Argument errors (a NUL byte, a bad UTF-8 string…) come out of the first poll.
/// * **Dropping** it before it completes cancels the operation ([`CancelledBy::Operation`]); the
///   completion still happens on the I/O thread and frees whatever the operation produced.
///   [`CallOptions::cancel`] tokens work too ([`CancelledBy::Token`]).
/// * Completions run on the client's I/O thread, or in [`Client::dispatch`] for a client built
///   with [`CompletionMode::Queued`](crate::CompletionMode::Queued). A blocking call made from a
///   `Waker` on the I/O thread fails with [`Status::WouldBlock`].
/// * A panic in the client's log or retry callback while it runs a non-blocking operation is
///   caught on the I/O thread and resumed by the poll of the client's next future that completes.
///
/// [`CancelledBy::Operation`]: crate::CancelledBy::Operation
/// [`CancelledBy::Token`]: crate::CancelledBy::Token
#[must_use = "the operation runs anyway, but dropping its future cancels it"]
pub struct OpFuture<T> {
    state: FutState<T>,
}

// Nothing is pinned: the state is behind an `Arc` and the C side never sees the future itself.
impl<T> Unpin for OpFuture<T> {}

impl<T> std::fmt::Debug for OpFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("OpFuture");
        match &self.state {
            FutState::Failed(e) => d.field("error", e),
            FutState::Running(r) => {
                // SAFETY: a live operation handle.
                let result_type = unsafe { sys::ik_op_result_type(r.op.0.as_ptr()) };
                d.field("operation", &self.operation())
                    .field("result_type", &result_type)
                    .field("done", &self.is_done())
            }
            FutState::Done => d.field("done", &true),
        };
        d.finish_non_exhaustive()
    }
}

impl<T> OpFuture<T> {
    pub(crate) fn failed(e: Error) -> OpFuture<T> {
        OpFuture { state: FutState::Failed(e) }
    }

    fn handle(&self) -> Option<*mut sys::ik_op> {
        match &self.state {
            FutState::Running(r) => Some(r.op.0.as_ptr()),
            _ => None,
        }
    }

    /// Requests cancellation (from any thread, through a shared reference): the future then
    /// resolves to a [`Status::Cancelled`] error, unless the operation completed first.
    pub fn cancel(&self) {
        if let Some(op) = self.handle() {
            // SAFETY: a live operation handle; ik_op_cancel is thread-safe.
            unsafe { sys::ik_op_cancel(op) }
        }
    }

    /// Whether the operation has completed (its completion has run); then the next poll is ready.
    pub fn is_done(&self) -> bool {
        match self.handle() {
            // SAFETY: a live operation handle.
            Some(op) => unsafe { sys::ik_op_done(op) != 0 },
            None => true,
        }
    }

    /// The operation's name, e.g. `"invites.create"` (`None` when it could not start).
    pub fn operation(&self) -> Option<&'static str> {
        // SAFETY: a live operation handle; the name has static storage.
        self.handle().and_then(|op| unsafe { ffi::opt_str(sys::ik_op_operation(op)) })
    }

    /// The provider the operation talks to ([`Provider::None`] when it could not start).
    pub fn provider(&self) -> Provider {
        // SAFETY: a live operation handle.
        Provider::from_code(self.handle().map_or(sys::IK_PROVIDER_NONE, |op| unsafe { sys::ik_op_provider(op) }))
    }

    /// Blocks the calling thread until the operation completes or `timeout` passes: `Ok(true)`
    /// when it has completed (the next poll is ready), `Ok(false)` on timeout (it goes on). In
    /// [`CompletionMode::Queued`](crate::CompletionMode::Queued) it runs the client's queued
    /// completions on this thread meanwhile. Fails with [`Status::WouldBlock`] on the client's
    /// I/O thread.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<bool, Error> {
        self.wait_ms(ffi::millis(timeout))
    }

    fn wait_ms(&self, ms: i64) -> Result<bool, Error> {
        let Some(op) = self.handle() else { return Ok(true) };
        // SAFETY: a live operation handle and a valid out-pointer; the completions this may run
        // (queued mode) are this crate's trampolines, which never unwind.
        match ffi::call(|e| unsafe { sys::ik_op_wait(op, ms, e) }) {
            Ok(()) => Ok(true),
            Err(e) if e.status() == Status::Timeout => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Blocks the calling thread until the operation completes and returns its result: the
    /// future without an executor. Fails with [`Status::WouldBlock`] on the client's I/O thread
    /// (the operation is then cancelled, as the future is consumed).
    pub fn wait(mut self) -> Result<T, Error> {
        self.wait_ms(-1)?;
        match self.try_take() {
            Some(r) => r,
            None => Err(Error::local(Status::Internal, "the operation completed without an outcome")),
        }
    }

    /// The outcome if it is there; resumes a forwarded callback panic.
    fn try_take(&mut self) -> Option<Result<T, Error>> {
        match std::mem::replace(&mut self.state, FutState::Done) {
            FutState::Failed(e) => Some(Err(e)),
            FutState::Done => {
                Some(Err(Error::local(Status::InvalidArgument, "the operation's result was already taken")))
            }
            FutState::Running(r) => {
                let mut st = r.shared.lock();
                let Some(outcome) = st.outcome.take() else {
                    drop(st);
                    self.state = FutState::Running(r);
                    return None;
                };
                let panic = st.panic.take();
                drop(st);
                drop(r); // releases the operation handle (completed: no cancel) and the client
                if let Some(p) = panic {
                    drop(outcome);
                    resume_unwind(p);
                }
                Some(outcome)
            }
        }
    }
}

impl<T> Future for OpFuture<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let FutState::Running(r) = &this.state {
            let mut st = r.shared.lock();
            if st.outcome.is_none() {
                // Registered under the lock: the callback either sees this waker or has already
                // stored the outcome (then this poll returns it).
                if !st.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    st.waker = Some(cx.waker().clone());
                }
                return Poll::Pending;
            }
        } else if let FutState::Done = this.state {
            panic!("OpFuture polled after it returned its result");
        }
        match this.try_take() {
            Some(r) => Poll::Ready(r),
            None => Poll::Pending, // unreachable: the outcome was seen under the lock
        }
    }
}

/// Starts a non-blocking operation with `start`, a call to one of the `_start` functions taking
/// `(call_opts, cb, user_data, out_op, out_err)`. `client` is kept alive by the future (and
/// gives the panic slot); `panics` overrides the slot for a pager's page.
pub(crate) fn start<T: OpOutput>(
    client: Option<&Client>,
    panics: &Arc<panic::Slot>,
    call: Option<&CallOptions>,
    start: impl FnOnce(
        *const sys::ik_call_options,
        sys::ik_op_cb,
        *mut c_void,
        *mut *mut sys::ik_op,
        *mut *mut sys::ik_error,
    ) -> sys::ik_status,
) -> OpFuture<T> {
    let raw_call = match call.map(CallOptions::to_raw).transpose() {
        Ok(r) => r,
        Err(e) => return OpFuture::failed(e),
    };
    let c = raw_call.as_ref().map_or(ptr::null(), RawCallOptions::as_ptr);
    let shared = Arc::new(Shared {
        state: Mutex::new(State { outcome: None, panic: None, waker: None }),
        panics: Some(Arc::clone(panics)),
        _token: call.and_then(CallOptions::cancel_token).cloned(),
    });
    let user_data = Arc::into_raw(Arc::clone(&shared)).cast_mut().cast::<c_void>();
    let cb: sys::ik_op_cb = Some(on_complete::<T>);
    // The C library copies the arguments (the call options' strings too) before it returns.
    let started = ffi::call_out(|out, err| start(c, cb, user_data, out, err), |op| op);
    match started {
        Err(e) => {
            // SAFETY: `_start` failed, so the callback never runs: the reference handed over is
            // still ours to release.
            drop(unsafe { Arc::from_raw(user_data as *const Shared<T>) });
            OpFuture::failed(e)
        }
        // Accepted without a handle (not expected: `out_op` is given); the callback still runs
        // and releases its reference.
        Ok(None) => OpFuture::failed(Error::local(Status::Internal, "the library returned no operation handle")),
        Ok(Some(op)) => {
            // SAFETY: a live operation handle (ours).
            debug_assert_eq!(unsafe { sys::ik_op_result_type(op.as_ptr()) }, T::RESULT_TYPE);
            OpFuture { state: FutState::Running(Running { op: OpHandle(op), shared, _client: client.cloned() }) }
        }
    }
}

/// Unwraps a preparation step of an `*_async` method, or returns a failed future.
macro_rules! try_op {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return $crate::op::OpFuture::failed(e),
        }
    };
}
pub(crate) use try_op;

/// The future of [`Pager::next_page_async`]: the next page, `None` after the last one. Borrows the
/// pager until it completes: the C pager is busy meanwhile. Dropping it early cancels the fetch
/// (the pager stays where it was, and is usable again once the cancelled fetch has completed; calls
/// made before then fail with [`Status::InvalidArgument`]).
#[must_use = "the fetch runs anyway, but dropping its future cancels it"]
pub struct NextPageFuture<'a, T> {
    op: OpFuture<Option<Page<T>>>,
    pager: &'a mut Pager<T>,
}

impl<T> std::fmt::Debug for NextPageFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NextPageFuture").field("op", &self.op).finish()
    }
}

impl<'a, T> NextPageFuture<'a, T> {
    pub(crate) fn new(op: OpFuture<Option<Page<T>>>, pager: &'a mut Pager<T>) -> Self {
        NextPageFuture { op, pager }
    }
    /// As [`OpFuture::cancel`].
    pub fn cancel(&self) {
        self.op.cancel()
    }
    /// As [`OpFuture::is_done`].
    pub fn is_done(&self) -> bool {
        self.op.is_done()
    }
    /// As [`OpFuture::wait`].
    pub fn wait(self) -> Result<Option<Page<T>>, Error> {
        let r = self.op.wait();
        self.pager.set_stopped(r.is_err());
        r
    }
}

impl<T> Future for NextPageFuture<'_, T> {
    type Output = Result<Option<Page<T>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.op).poll(cx);
        if let Poll::Ready(r) = &r {
            // As in Pager::next_page: the iterator ends after an error, until a call succeeds.
            this.pager.set_stopped(r.is_err());
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn futures_are_send_and_unpin() {
        fn check<F: Future + Send + Unpin + 'static>() {}
        check::<OpFuture<OpenAiInvite>>();
        check::<OpFuture<Page<TwilioUser>>>();
        check::<OpFuture<Deletion>>();
        check::<OpFuture<(TwilioUser, EnsureOutcome)>>();
        fn check_borrowed<F: Future + Send + Unpin>() {}
        check_borrowed::<NextPageFuture<'_, FastlyInvitation>>();
    }

    #[test]
    fn a_refused_start_never_leaks_its_state() {
        let client = Client::builder().ignore_env(true).openai_admin_key("k").build().unwrap();
        // An interior NUL is refused before the C call; a NULL-free but empty id by the library.
        let f = client.openai_invite_retrieve_async("a\0b", None);
        assert!(f.is_done());
        assert_eq!(f.operation(), None);
        assert_eq!(f.provider(), Provider::None);
        assert_eq!(f.wait().unwrap_err().status(), Status::InvalidArgument);
        let f = client.openai_invite_retrieve_async("", None);
        assert_eq!(f.wait().unwrap_err().status(), Status::InvalidArgument);
        assert_eq!(client.ops_in_flight(), 0);
        assert_eq!(client.dispatch(0).unwrap(), 0);
        assert_eq!(client.completion_fd().unwrap_err().status(), Status::InvalidArgument);
    }

    struct CountingWaker(std::sync::atomic::AtomicUsize);
    impl std::task::Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn settle(client: &Client) {
        let start = std::time::Instant::now();
        while client.ops_in_flight() != 0 {
            assert!(start.elapsed() < Duration::from_secs(10), "still in flight after 10 s");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A server that completes the TCP handshake (the listen backlog) and never answers.
    fn silent_client() -> (std::net::TcpListener, Client) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let client = Client::builder()
            .ignore_env(true)
            .no_proxy_env(true)
            .base_url_for_all(&url)
            .openai_admin_key("k")
            .max_retries(0)
            .build()
            .unwrap();
        (listener, client)
    }

    #[test]
    fn a_dropped_future_is_cancelled_and_its_state_freed_by_the_completion() {
        let (_listener, client) = silent_client();
        let counter = Arc::new(CountingWaker(0.into()));
        let waker = Waker::from(Arc::clone(&counter));
        let mut fut = client.openai_invite_list_async(&crate::ListOptions::new(), None);
        assert!(Pin::new(&mut fut).poll(&mut Context::from_waker(&waker)).is_pending());
        let FutState::Running(r) = &fut.state else { panic!("not running") };
        let state = Arc::downgrade(&r.shared);
        assert_eq!(state.strong_count(), 2, "the future's reference and the callback's");
        assert_eq!(client.ops_in_flight(), 1);
        drop(fut);
        // The callback still runs (the operation is cancelled) and releases the last reference.
        settle(&client);
        let start = std::time::Instant::now();
        while state.strong_count() != 0 {
            assert!(start.elapsed() < Duration::from_secs(10), "the state was not released");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(counter.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(Arc::strong_count(&counter), 2, "only `waker` is left");

        // OpFuture::cancel: the future resolves to the cancellation.
        let fut = client.openai_invite_list_async(&crate::ListOptions::new(), None);
        fut.cancel();
        let e = fut.wait().unwrap_err();
        assert_eq!(e.status(), Status::Cancelled);
        assert_eq!(e.cancelled_by(), crate::CancelledBy::Operation);

        // Dropping the last client with a cancelled operation still pending is fine too.
        let f = client.openai_invite_list_async(&crate::ListOptions::new(), None);
        drop(client);
        drop(f);
    }

    #[test]
    fn dropping_the_client_never_cancels_a_live_future() {
        let (_listener, client) = silent_client();
        let token = crate::CancelToken::new().unwrap();
        let call = crate::CallOptions::new().cancel(&token);
        let fut = client.openai_invite_retrieve_async("invite-1", Some(&call));
        drop((client, call));
        // The future holds the client: the operation goes on until the token fires.
        assert!(!fut.wait_timeout(Duration::from_millis(100)).unwrap());
        token.cancel();
        let e = fut.wait().unwrap_err();
        assert_eq!(e.cancelled_by(), crate::CancelledBy::Token);
    }
}
