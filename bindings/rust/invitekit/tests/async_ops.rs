//! The non-blocking API (`*_async`, `OpFuture`, `Pager::next_page_async`) against
//! invitekit-emulator, driven by a minimal executor written for the tests (`common::exec`: thread
//! park/unpark `Waker`).
mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use common::exec::{LIMIT, assert_send_static, block_on, block_on_with, join_all, settle, thread_waker};
use common::{CHANNEL, Emulator, SERVICE};
use invitekit::{
    CallOptions, CancelToken, CancelledBy, Client, CompletionMode, FastlyInvitationCreate, Kind, ListOptions, OpFuture,
    OpenAiInvite, OpenAiInviteCreate, Provider, Status, TwilioUserParams,
};

#[test]
fn every_operation_without_blocking() {
    let Some(emu) = Emulator::start(5, &[]) else { return };
    let client = emu.client();

    // OpenAI: create, retrieve, list, delete.
    let create = client.openai_invite_create_async(&OpenAiInviteCreate::new("async@example.com", "reader"), None);
    assert_send_static(&create);
    assert_eq!(create.operation(), Some("invites.create"));
    assert_eq!(create.provider(), Provider::OpenAi);
    let inv = block_on(create).unwrap();
    assert_eq!(inv.email(), Some("async@example.com"));
    assert_eq!(inv.response().http_status(), 200);
    let id = inv.id().unwrap().to_string();
    let got = block_on(client.openai_invite_retrieve_async(&id, None)).unwrap();
    assert_eq!(got.id(), Some(id.as_str()));
    let page = block_on(client.openai_invite_list_async(&ListOptions::new().page_size(100), None)).unwrap();
    assert_eq!(page.kind(), Kind::OpenAiInvite);
    assert_eq!(page.len(), 6);
    assert!(page.iter().any(|i| i.id() == Some(id.as_str())));
    let del = block_on(client.openai_invite_delete_async(&id, None)).unwrap();
    assert_eq!(del.kind(), Kind::OpenAiInvite);
    assert_eq!(del.deleted(), Some(true));

    // Twilio channel invites: create, fetch, list, delete.
    let inv = block_on(client.twilio_invite_create_async(SERVICE, CHANNEL, "async-someone", None, None)).unwrap();
    assert_eq!(inv.identity(), Some("async-someone"));
    assert_eq!(inv.response().http_status(), 201);
    let sid = inv.sid().unwrap().to_string();
    let got = block_on(client.twilio_invite_fetch_async(SERVICE, CHANNEL, &sid, None)).unwrap();
    assert_eq!(got.sid(), Some(sid.as_str()));
    let page =
        block_on(client.twilio_invite_list_async(SERVICE, CHANNEL, &["async-someone"], &ListOptions::new(), None))
            .unwrap();
    assert_eq!(page.kind(), Kind::TwilioInvite);
    assert_eq!(page.iter().map(|i| i.identity().unwrap()).collect::<Vec<_>>(), ["async-someone"]);
    let del = block_on(client.twilio_invite_delete_async(SERVICE, CHANNEL, &sid, None)).unwrap();
    assert_eq!(del.response().http_status(), 204);

    // Twilio users: create, fetch, list, update, delete (an identity that needs encoding).
    let identity = "async ciao#hola/x|é";
    let user = block_on(client.twilio_user_create_async(
        SERVICE,
        &TwilioUserParams::create(identity).friendly_name("A"),
        None,
    ))
    .unwrap();
    assert_eq!(user.identity(), Some(identity));
    let got = block_on(client.twilio_user_fetch_async(SERVICE, identity, None)).unwrap();
    assert_eq!(got.sid(), user.sid());
    let page = block_on(client.twilio_user_list_async(SERVICE, &ListOptions::new().page_size(100), None)).unwrap();
    assert_eq!(page.kind(), Kind::TwilioUser);
    assert!(page.iter().any(|u| u.identity() == Some(identity)));
    let updated = block_on(client.twilio_user_update_async(
        SERVICE,
        identity,
        &TwilioUserParams::update().friendly_name("B"),
        None,
    ))
    .unwrap();
    assert_eq!(updated.friendly_name(), Some("B"));
    let del = block_on(client.twilio_user_delete_async(SERVICE, identity, None)).unwrap();
    assert_eq!(del.id(), Some(identity));

    // Fastly: create, list, delete.
    let created =
        block_on(client.fastly_invitation_create_async(&FastlyInvitationCreate::new("async@example.com"), None))
            .unwrap();
    assert_eq!(created.email(), Some("async@example.com"));
    let page = block_on(client.fastly_invitation_list_async(&ListOptions::new().page_size(100), None)).unwrap();
    assert_eq!(page.kind(), Kind::FastlyInvitation);
    assert!(page.iter().any(|i| i.email() == Some("async@example.com")));
    let del = block_on(client.fastly_invitation_delete_async(created.id().unwrap(), None)).unwrap();
    assert_eq!(del.deleted(), Some(true));

    // Without an executor: wait() blocks the thread.
    let page = client.openai_invite_list_async(&ListOptions::new(), None).wait().unwrap();
    assert_eq!(page.len(), 5);
    settle(&client);
}

#[test]
fn pager_pages_without_blocking() {
    let Some(emu) = Emulator::start(7, &[]) else { return };
    let client = emu.client();
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(3)).unwrap();
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = block_on(pager.next_page_async()).unwrap() {
        sizes.push(page.len());
        ids.extend(page.iter().map(|i| i.id().unwrap().to_string()));
    }
    assert_eq!(sizes, [3, 3, 1]);
    assert!(pager.is_done());
    assert_eq!(pager.items_delivered(), 7);
    assert!(block_on(pager.next_page_async()).unwrap().is_none(), "past the end: None again");
    let blocking: Vec<String> = client
        .openai_invite_pager(&ListOptions::new().page_size(3))
        .unwrap()
        .map(|i| i.unwrap().id().unwrap().to_string())
        .collect();
    assert_eq!(ids, blocking);

    // Other kinds, explicit call options, max_items.
    let mut pager = client.twilio_user_pager(SERVICE, &ListOptions::new().page_size(2).max_items(3)).unwrap();
    let opts = CallOptions::new().deadline(Duration::from_secs(10));
    let first = block_on(pager.next_page_with_async(Some(&opts))).unwrap().unwrap();
    let second = block_on(pager.next_page_with_async(Some(&opts))).unwrap().unwrap();
    assert_eq!((first.len(), second.len()), (2, 1));
    assert!(block_on(pager.next_page_with_async(None)).unwrap().is_none());
    let mut pager = client.fastly_invitation_pager(&ListOptions::new().page_size(100)).unwrap();
    assert_eq!(pager.next_page_async().wait().unwrap().unwrap().len(), 7);

    // A failed page leaves the pager where it was; the next call retries it.
    let mut pager = client.twilio_invite_pager(SERVICE, CHANNEL, &[], &ListOptions::new()).unwrap();
    emu.add_faults(&["GET /v1/Services/*/Channels/*/Invites count=1 status=503"]);
    let err = block_on(pager.next_page_async()).unwrap_err();
    assert_eq!(err.status(), Status::ServerError);
    assert_eq!(pager.next().map(|r| r.is_ok()), None, "the iterator ends after an error");
    let page = block_on(pager.next_page_async()).unwrap().unwrap();
    assert_eq!(page.len(), 7);

    // A page fetch dropped in flight is cancelled; the pager stays where it was.
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(3)).unwrap();
    emu.add_faults(&["GET /v1/organization/invites* count=1 latency=5000"]);
    let start = Instant::now();
    drop(pager.next_page_async());
    settle(&client);
    assert!(start.elapsed() < Duration::from_secs(4));
    let page = block_on(pager.next_page_async()).unwrap().unwrap();
    assert_eq!(page.item_id(0), Some(ids[0].as_str()));
    assert_eq!(pager.items_delivered(), 3);
}

#[test]
fn hundreds_in_flight_from_one_thread() {
    let Some(emu) = Emulator::start(3, &[]) else { return };
    let client = emu.builder().max_connections(16).build().unwrap();
    const N: usize = 240;
    // Every request is on its way before the first poll.
    let futs: Vec<OpFuture<OpenAiInvite>> = (0..N)
        .map(|i| {
            client.openai_invite_create_async(&OpenAiInviteCreate::new(format!("n{i}@example.com"), "reader"), None)
        })
        .collect();
    assert!(client.ops_in_flight() > 0);
    let w = thread_waker();
    let results = block_on_with(&w, join_all(futs));
    assert_eq!(results.len(), N);
    for (i, r) in results.iter().enumerate() {
        let inv = r.as_ref().unwrap_or_else(|e| panic!("op {i}: {e}"));
        assert_eq!(inv.email(), Some(format!("n{i}@example.com").as_str()));
    }
    assert!(w.wakes.load(Ordering::SeqCst) > 0);
    settle(&client);

    // Mixed result types at once, read back through the list.
    let lists: Vec<_> =
        (0..20).map(|_| client.openai_invite_list_async(&ListOptions::new().page_size(1), None)).collect();
    let dels: Vec<_> = results
        .iter()
        .take(20)
        .map(|r| client.openai_invite_delete_async(r.as_ref().unwrap().id().unwrap(), None))
        .collect();
    let (lists, dels) = block_on(async { (join_all(lists).await, join_all(dels).await) });
    assert!(lists.iter().all(|p| p.as_ref().unwrap().len() == 1));
    assert!(dels.iter().all(|d| d.as_ref().unwrap().deleted() == Some(true)));
    let page = block_on(client.openai_invite_list_async(&ListOptions::new().page_size(100), None)).unwrap();
    assert!(page.has_more());
}

#[test]
fn dropping_a_future_cancels_it_and_frees_its_state() {
    let Some(emu) = Emulator::start(2, &["GET /v1/organization/invites* latency=5000"]) else { return };
    let client = emu.client();
    let start = Instant::now();

    // Polled once (its state holds our waker), then dropped.
    let w = thread_waker();
    let mut fut = client.openai_invite_list_async(&ListOptions::new(), None);
    let waker = Waker::from(Arc::clone(&w));
    assert!(Pin::new(&mut fut).poll(&mut Context::from_waker(&waker)).is_pending());
    drop(waker);
    assert_eq!(Arc::strong_count(&w), 2, "the shared state holds a clone of the waker");
    assert_eq!(client.ops_in_flight(), 1);
    assert!(!fut.is_done());
    drop(fut);
    assert_eq!(Arc::strong_count(&w), 1, "dropping the future released the waker at once");
    // The completion still runs (cancelled) on the I/O thread, without waiting for the 5 s latency,
    // and releases the state (see also the unit test op::tests).
    settle(&client);
    assert_eq!(w.wakes.load(Ordering::SeqCst), 0, "a dropped future is not woken");

    // Never polled, dropped at once; many of them.
    for _ in 0..50 {
        drop(client.openai_invite_retrieve_async("invite-nope", None));
    }
    settle(&client);
    assert!(start.elapsed() < Duration::from_secs(4), "cancellation took {:?}", start.elapsed());

    // OpFuture::cancel keeps the future: it resolves to the cancellation.
    let fut = client.openai_invite_list_async(&ListOptions::new(), None);
    thread::sleep(Duration::from_millis(50));
    fut.cancel();
    let err = block_on(fut).unwrap_err();
    assert_eq!(err.status(), Status::Cancelled);
    assert_eq!(err.cancelled_by(), CancelledBy::Operation);
    assert!(start.elapsed() < Duration::from_secs(4));

    // The client survives all of it.
    emu.clear_faults();
    assert_eq!(block_on(client.openai_invite_list_async(&ListOptions::new(), None)).unwrap().len(), 2);
    settle(&client);
}

#[test]
fn cancel_token_cancels_a_future() {
    let Some(emu) = Emulator::start(2, &["GET /v2/Services/*/Users* latency=5000"]) else { return };
    let client = emu.client();
    let token = CancelToken::new().unwrap();
    let start = Instant::now();
    // The call options (and their clone of the token) go right away: the operation keeps the token.
    let fut = client.twilio_user_fetch_async(SERVICE, "user-0001", Some(&CallOptions::new().cancel(&token)));
    let canceller = {
        let token = token.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            token.cancel();
        })
    };
    drop(token);
    let err = block_on(fut).unwrap_err();
    canceller.join().unwrap();
    assert_eq!(err.status(), Status::Cancelled);
    assert_eq!(err.cancelled_by(), CancelledBy::Token);
    assert_eq!(err.provider(), Provider::Twilio);
    assert!(start.elapsed() < Duration::from_secs(3), "cancellation took {:?}", start.elapsed());

    // Dropping the client while a cancelled future's completion may still be pending is fine.
    let token = CancelToken::new().unwrap();
    token.cancel();
    let fut = client.twilio_user_list_async(SERVICE, &ListOptions::new(), Some(&CallOptions::new().cancel(&token)));
    drop(token);
    let err = fut.wait().unwrap_err();
    assert_eq!(err.cancelled_by(), CancelledBy::Token);
}

#[test]
fn errors_are_typed() {
    let Some(emu) = Emulator::start(1, &[]) else { return };
    let client = emu.client();
    let err = block_on(client.openai_invite_retrieve_async("invite-does-not-exist", None)).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(err.provider(), Provider::OpenAi);
    assert!(err.operation().unwrap().contains("invites"));
    assert!(err.request_id().unwrap().starts_with("req_"));
    assert_eq!(err.field("type"), Some("invalid_request_error"));
    assert!(err.body().unwrap().starts_with(b"{"));
    assert_eq!(err.attempts(), 1);
    let err = block_on(client.twilio_user_delete_async(SERVICE, "nobody", None)).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.provider_code(), Some("20404"));
    let err = block_on(client.fastly_invitation_delete_async("nope", None)).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.provider(), Provider::Fastly);

    // Argument errors: from the binding (NUL byte) and from the library's checks, at the first poll.
    let err = block_on(client.twilio_invite_create_async(SERVICE, CHANNEL, "a\0b", None, None)).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    let err = block_on(client.twilio_invite_fetch_async("ISbad", CHANNEL, "IN1", None)).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    assert_eq!(err.http_status(), None);
    let err = block_on(client.openai_invite_list_async(&ListOptions::new(), Some(&CallOptions::new().header("bad"))))
        .unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);

    // A 503 then retried: the same retry engine as the blocking calls.
    let retrying = emu.builder().max_retries(2).retry_base_delay(Duration::from_millis(10)).build().unwrap();
    emu.add_faults(&["GET /invitations count=1 status=503"]);
    let page = block_on(retrying.fastly_invitation_list_async(&ListOptions::new(), None)).unwrap();
    assert_eq!(page.response().attempts(), 2);
}

#[test]
fn futures_are_send_and_run_anywhere() {
    fn check<F: Future + Send + 'static>(_: &F) {}
    let Some(emu) = Emulator::start(2, &[]) else { return };
    let client = emu.client();
    let fut = client.fastly_invitation_list_async(&ListOptions::new(), None);
    check(&fut);
    // Started here, awaited on another thread, after the client value is gone.
    drop(client);
    let page = thread::spawn(move || block_on(fut)).join().unwrap().unwrap();
    assert_eq!(page.len(), 2);
}

/// The statuses of blocking calls made by a future's waker, woken on the I/O thread of a client in `mode`
/// (None when the emulator is not available).
fn blocking_calls_from_a_waker(mode: CompletionMode) -> Option<Vec<Status>> {
    // Late enough that the first poll registers the waker before the completion.
    let emu = Emulator::start(2, &["GET /v1/organization/invites* count=1 latency=300"])?;
    let client = emu.builder().completion_mode(mode).build().unwrap();

    /// A waker that makes a blocking call on whatever thread wakes it.
    struct Calling {
        client: Client,
        seen: Mutex<Vec<Status>>,
        thread: Thread,
    }
    impl Wake for Calling {
        fn wake(self: Arc<Self>) {
            let status = match self.client.openai_invite_list(&ListOptions::new(), None) {
                Ok(_) => Status::Other(0),
                Err(e) => e.status(),
            };
            self.seen.lock().unwrap().push(status);
            self.thread.unpark();
        }
    }
    let calling = Arc::new(Calling { client: client.clone(), seen: Mutex::new(Vec::new()), thread: thread::current() });
    let waker = Waker::from(Arc::clone(&calling));
    let mut fut = client.openai_invite_list_async(&ListOptions::new(), None);
    let start = Instant::now();
    let page = loop {
        if let Poll::Ready(r) = Pin::new(&mut fut).poll(&mut Context::from_waker(&waker)) {
            break r.unwrap();
        }
        assert!(start.elapsed() < LIMIT);
        thread::park_timeout(Duration::from_millis(100));
    };
    assert_eq!(page.len(), 2);
    let seen = calling.seen.lock().unwrap().clone();
    Some(seen)
}

#[test]
fn a_blocking_call_from_a_waker_would_block() {
    let Some(seen) = blocking_calls_from_a_waker(CompletionMode::IoThread) else { return };
    assert_eq!(seen, [Status::WouldBlock], "one wake, on the I/O thread, where blocking calls fail");
}

#[test]
fn a_blocking_call_from_a_waker_works_in_the_relay_mode() {
    let Some(seen) = blocking_calls_from_a_waker(CompletionMode::IoThreadRelay) else { return };
    assert_eq!(seen, [Status::Other(0)], "one wake; the blocking call succeeded while the loop moved on");
}

#[test]
fn queued_completions_run_in_dispatch() {
    let Some(emu) = Emulator::start(4, &[]) else { return };
    let client = emu.builder().completion_mode(CompletionMode::Queued).build().unwrap();
    let fd = client.completion_fd().unwrap();
    use std::os::fd::AsRawFd;
    assert!(fd.as_raw_fd() >= 0);

    let futs: Vec<_> = (0..10).map(|_| client.openai_invite_list_async(&ListOptions::new(), None)).collect();
    let mut joined = Box::pin(join_all(futs));
    let w = thread_waker();
    let waker = Waker::from(Arc::clone(&w));
    let mut cx = Context::from_waker(&waker);
    assert!(joined.as_mut().poll(&mut cx).is_pending());
    // Nothing completes until this thread dispatches: wait for the descriptor, dispatch, poll.
    let start = Instant::now();
    let mut ran = 0;
    let pages = loop {
        if poll_readable(fd.as_raw_fd(), 200) {
            ran += client.dispatch(0).unwrap();
        }
        if let Poll::Ready(pages) = joined.as_mut().poll(&mut cx) {
            break pages;
        }
        assert!(start.elapsed() < LIMIT);
    };
    assert_eq!(ran, 10);
    assert!(pages.iter().all(|p| p.as_ref().unwrap().len() == 4));
    assert_eq!(w.wakes.load(Ordering::SeqCst), 10, "each completion woke the task, on this thread");
    assert_eq!(client.dispatch(0).unwrap(), 0);
    // wait() dispatches by itself in the queued mode.
    assert_eq!(client.openai_invite_list_async(&ListOptions::new(), None).wait().unwrap().len(), 4);
    let fut = client.openai_invite_list_async(&ListOptions::new(), None);
    assert!(fut.wait_timeout(Duration::from_secs(10)).unwrap());
    assert!(fut.is_done());
    assert_eq!(block_on(fut).unwrap().len(), 4);
    settle(&client);
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

unsafe extern "C" {
    // POSIX poll(2), from the C library every Rust program on Linux links anyway.
    fn poll(fds: *mut PollFd, nfds: u64, timeout: i32) -> i32;
}

fn poll_readable(fd: i32, timeout_ms: i32) -> bool {
    let mut p = PollFd { fd, events: 1 /* POLLIN */, revents: 0 };
    // SAFETY: one valid pollfd.
    unsafe { poll(&mut p, 1, timeout_ms) == 1 && p.revents & 1 != 0 }
}

#[test]
fn wait_timeout_and_log_panics_on_the_io_thread() {
    let Some(emu) = Emulator::start(2, &["GET /v1/organization/invites/* latency=3000"]) else { return };
    let client = emu.client();
    let fut = client.openai_invite_retrieve_async("invite-x", None);
    assert!(!fut.wait_timeout(Duration::from_millis(50)).unwrap(), "not done within 50 ms");
    drop(fut);
    emu.clear_faults();

    // A log callback that panics once, on the I/O thread: the panic is resumed by the poll of the
    // client's future that completes next; the client keeps working and logging afterwards.
    let logged = Arc::new(AtomicUsize::new(0));
    let l = Arc::clone(&logged);
    let client = emu
        .builder()
        .log_callback(move |_| {
            if l.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("log boom");
            }
        })
        .build()
        .unwrap();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(|| block_on(client.openai_invite_list_async(&ListOptions::new(), None))));
    std::panic::set_hook(prev);
    let payload = r.expect_err("the log callback's panic resumes in the poll");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"log boom"));
    let before = logged.load(Ordering::SeqCst);
    assert_eq!(block_on(client.openai_invite_list_async(&ListOptions::new(), None)).unwrap().len(), 2);
    assert!(logged.load(Ordering::SeqCst) > before, "log callbacks still run");
    // The blocking path is unaffected.
    assert_eq!(client.openai_invite_list(&ListOptions::new(), None).unwrap().len(), 2);
}
