//! The minimal executor of the async tests (and of the scenario runner's `nonblocking` steps): a
//! thread park/unpark `Waker`, `block_on` and `join_all`. No runtime crate.
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use invitekit::Client;

/// No test future may take longer than this.
pub const LIMIT: Duration = Duration::from_secs(30);

/// Wakes the thread that runs `block_on`; counts its wakes.
pub struct ThreadWaker {
    thread: Thread,
    pub wakes: AtomicUsize,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.thread.unpark();
    }
}

pub fn thread_waker() -> Arc<ThreadWaker> {
    Arc::new(ThreadWaker { thread: thread::current(), wakes: AtomicUsize::new(0) })
}

/// Polls `fut` on this thread, parking between polls, until it is ready (at most [`LIMIT`]).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    block_on_with(&thread_waker(), fut)
}

pub fn block_on_with<F: Future>(w: &Arc<ThreadWaker>, fut: F) -> F::Output {
    let waker = Waker::from(Arc::clone(w));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let start = Instant::now();
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        assert!(start.elapsed() < LIMIT, "a future did not complete within {LIMIT:?}");
        // A spurious or lost unpark only costs one more poll.
        thread::park_timeout(Duration::from_millis(500));
    }
}

/// Completes when every future has (each polled only until it is ready), in order.
pub struct JoinAll<F: Future> {
    futs: Vec<Option<Pin<Box<F>>>>,
    out: Vec<Option<F::Output>>,
}

pub fn join_all<F: Future>(futs: impl IntoIterator<Item = F>) -> JoinAll<F> {
    let futs: Vec<_> = futs.into_iter().map(|f| Some(Box::pin(f))).collect();
    let out = futs.iter().map(|_| None).collect();
    JoinAll { futs, out }
}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut pending = false;
        for (slot, out) in this.futs.iter_mut().zip(this.out.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => {
                        *out = Some(v);
                        *slot = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(this.out.iter_mut().map(|o| o.take().unwrap()).collect()) }
    }
}

// The futures are boxed and the outputs are never pinned.
impl<F: Future> Unpin for JoinAll<F> {}

pub fn assert_send_static<T: Send + 'static>(_: &T) {}

/// Waits (bounded) until the client has no operation in flight.
pub fn settle(client: &Client) {
    let start = Instant::now();
    while client.ops_in_flight() != 0 {
        assert!(start.elapsed() < Duration::from_secs(10), "operations still in flight after 10 s");
        thread::sleep(Duration::from_millis(5));
    }
}
