//! Pagination, threads, cancellation, callbacks and drop orders against invitekit-emulator.
mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{CHANNEL, Emulator, SERVICE};
use invitekit::{
    CallOptions, CancelToken, CancelledBy, Client, Kind, ListOptions, LogLevel, OpenAiInvite, Page, Pager, Status,
};

#[test]
fn page_item_cursor_resumes_at_any_item() {
    let Some(emu) = Emulator::start(25, &[]) else { return };
    let client = emu.client();
    let ids = |c: &str| -> Vec<String> {
        client
            .openai_invite_pager(&ListOptions::new().page_size(10).cursor(c))
            .unwrap()
            .map(|i| i.unwrap().id().unwrap().to_owned())
            .collect()
    };
    let all = ids("");
    assert_eq!(all.len(), 25);
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10)).unwrap();
    let mut first = 0;
    while let Some(page) = pager.next_page().unwrap() {
        for i in 0..=page.len() {
            let cursor = page.item_cursor(i).unwrap();
            if first + i == all.len() {
                assert_eq!(cursor, "", "the list ends with this page");
            } else {
                assert_eq!(ids(&cursor), all[first + i..], "page at {first}, index {i}");
            }
        }
        let err = page.item_cursor(page.len() + 1).unwrap_err();
        assert_eq!(err.status(), Status::InvalidArgument);
        first += page.len();
    }
    assert_eq!(first, 25);

    // A page cut by max_items: its end is the first item not delivered.
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10).max_items(13)).unwrap();
    let cut = pager.pages().map(Result::unwrap).last().unwrap();
    assert_eq!(cut.len(), 3);
    assert_eq!(ids(&cut.item_cursor(3).unwrap()), all[13..]);
    assert_eq!(cut.item_cursor(3).unwrap(), pager.cursor().unwrap());
}

#[test]
fn pagination_items_pages_max_items_and_cursors() {
    let Some(emu) = Emulator::start(25, &[]) else { return };
    let client = emu.client();
    let all: Vec<String> = client
        .openai_invite_pager(&ListOptions::new().page_size(10))
        .unwrap()
        .map(|i| i.unwrap().id().unwrap().to_owned())
        .collect();
    assert_eq!(all.len(), 25);

    // Page by page.
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10)).unwrap();
    assert_eq!(pager.kind(), Kind::OpenAiInvite);
    let counts: Vec<usize> = pager.pages().map(|p| p.unwrap().len()).collect();
    assert_eq!(counts, [10, 10, 5]);
    assert!(pager.is_done());
    assert_eq!(pager.cursor().unwrap(), "");
    assert!(pager.next_page().unwrap().is_none());

    // max_items stops exactly, by items and by pages.
    let n = client.openai_invite_pager(&ListOptions::new().page_size(10).max_items(13)).unwrap().count();
    assert_eq!(n, 13);
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10).max_items(15)).unwrap();
    let counts: Vec<usize> = pager.pages().map(|p| p.unwrap().len()).collect();
    assert_eq!(counts, [10, 5]);

    // Resume after max_items and mid-page from the cursor.
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10).max_items(13)).unwrap();
    for _ in pager.by_ref() {}
    assert!(pager.is_done());
    assert_eq!(pager.items_delivered(), 13);
    let cursor = pager.cursor().unwrap();
    assert!(!cursor.is_empty());
    let rest: Vec<String> = client
        .openai_invite_pager(&ListOptions::new().page_size(10).cursor(&cursor))
        .unwrap()
        .map(|i| i.unwrap().id().unwrap().to_owned())
        .collect();
    assert_eq!(rest, all[13..]);

    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(10)).unwrap();
    let first4: Vec<OpenAiInvite> = pager.by_ref().take(4).map(Result::unwrap).collect();
    assert_eq!(first4.len(), 4);
    assert!(!pager.is_done());
    let cursor = pager.cursor().unwrap();
    let next = client.openai_invite_pager(&ListOptions::new().cursor(cursor)).unwrap().next().unwrap().unwrap();
    assert_eq!(next.id(), Some(all[4].as_str()));

    // Provider cursor (after=) on a single list.
    let page = client.openai_invite_list(&ListOptions::new().page_size(5).provider_cursor(&all[9]), None).unwrap();
    assert_eq!(page.openai_first_id(), Some(all[10].as_str()));

    // A failed page is retried by the next call; the items already delivered stay delivered.
    let mut pager = client.twilio_user_pager(SERVICE, &ListOptions::new().page_size(10)).unwrap();
    assert_eq!(pager.by_ref().take(10).count(), 10);
    emu.add_faults(&["GET /v2/Services/*/Users count=1 status=503"]);
    let err = pager.next().unwrap().unwrap_err();
    assert_eq!(err.status(), Status::ServerError);
    assert_eq!(pager.items_delivered(), 10);
    // The iterator ends after an error; an explicit call retries the same page, then it goes on.
    assert!(pager.next().is_none());
    let eleventh = pager.next_item().unwrap().unwrap();
    assert_eq!(eleventh.identity(), Some("user-0011"));
    assert_eq!(pager.count(), 14);

    // A persistent failure cannot make count() loop.
    emu.add_faults(&["GET /v2/Services/*/Users status=503"]);
    let pager = client.twilio_user_pager(SERVICE, &ListOptions::new()).unwrap();
    assert_eq!(pager.count(), 1);
    emu.clear_faults();
}

#[test]
fn threads_share_one_client() {
    let Some(emu) = Emulator::start(20, &[]) else { return };
    let client = Arc::new(emu.client());
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for i in 0..25 {
                    match (t + i) % 4 {
                        0 => assert_eq!(
                            client.openai_invite_pager(&ListOptions::new().page_size(7)).unwrap().count(),
                            20
                        ),
                        1 => {
                            let u =
                                client.twilio_user_fetch(SERVICE, &format!("user-{:04}", 1 + i % 20), None).unwrap();
                            assert!(u.sid().is_some());
                        }
                        2 => assert_eq!(client.fastly_invitation_list(&ListOptions::new(), None).unwrap().len(), 20),
                        _ => {
                            let p =
                                client.twilio_invite_list(SERVICE, CHANNEL, &[], &ListOptions::new(), None).unwrap();
                            assert_eq!(p.len(), 20);
                        }
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // Connections are pooled: far fewer than the ~300 requests made.
    assert!(client.connections_opened() <= 64, "opened {}", client.connections_opened());
    // Results move between threads too.
    let page = client.openai_invite_list(&ListOptions::new(), None).unwrap();
    let n = std::thread::spawn(move || page.iter().count()).join().unwrap();
    assert_eq!(n, 20);
}

#[test]
fn cancel_from_another_thread() {
    let Some(emu) = Emulator::start(2, &["GET /v1/organization/invites* latency=5000"]) else { return };
    let client = emu.client();
    let token = CancelToken::new().unwrap();
    assert!(!token.is_cancelled());
    let opts = CallOptions::new().cancel(&token);
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            token.cancel();
        })
    };
    let start = Instant::now();
    let err = client.openai_invite_list(&ListOptions::new(), Some(&opts)).unwrap_err();
    let took = start.elapsed();
    canceller.join().unwrap();
    assert_eq!(err.status(), Status::Cancelled, "{err}");
    assert_eq!(err.cancelled_by(), CancelledBy::Token);
    assert!(took < Duration::from_secs(3), "cancellation took {took:?}");
    assert!(token.is_cancelled());

    // Still cancelled: fails at once. After reset it works (on another path).
    let err = client.twilio_user_fetch(SERVICE, "user-0001", Some(&opts)).unwrap_err();
    assert_eq!(err.status(), Status::Cancelled);
    token.reset();
    assert!(client.twilio_user_fetch(SERVICE, "user-0001", Some(&opts)).is_ok());

    // A pager iterates with stored call options: cancel it mid-way.
    let mut pager = client.openai_invite_pager(&ListOptions::new()).unwrap().with_call_options(opts.clone());
    token.cancel();
    let err = pager.next().unwrap().unwrap_err();
    assert_eq!(err.cancelled_by(), CancelledBy::Token);

    // Deadline.
    let err = client
        .openai_invite_list(&ListOptions::new(), Some(&CallOptions::new().deadline(Duration::from_millis(200))))
        .unwrap_err();
    assert_eq!(err.status(), Status::Timeout);
}

#[test]
fn log_and_retry_callbacks() {
    let Some(emu) = Emulator::start(2, &[]) else { return };
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let retries = Arc::new(AtomicUsize::new(0));
    let (l, r) = (lines.clone(), retries.clone());
    let client = emu
        .builder()
        .max_retries(3)
        .retry_base_delay(Duration::from_millis(1))
        .log_level(LogLevel::Debug)
        .log_callback(move |rec| {
            l.lock().unwrap().push(format!("{:?} {} {}", rec.level, rec.provider, rec.message.unwrap_or("")));
        })
        .retry_callback(move |info| {
            r.fetch_add(1, Ordering::SeqCst);
            assert_eq!(info.status, Status::ServerError);
            info.attempt < 2 // allow the first retry, veto the second
        })
        .build()
        .unwrap();
    assert!(client.openai_invite_list(&ListOptions::new(), None).is_ok());
    assert!(!lines.lock().unwrap().is_empty());
    assert!(lines.lock().unwrap().iter().all(|l| !l.contains("sk-admin-emulator")), "no secret in logs");

    emu.add_faults(&["GET /v1/organization/invites status=500"]);
    let err = client.openai_invite_list(&ListOptions::new(), None).unwrap_err();
    assert_eq!(err.status(), Status::Cancelled);
    assert_eq!(err.cancelled_by(), CancelledBy::RetryCallback);
    assert_eq!(err.http_status(), Some(500), "the failed attempt's status stays on the error");
    assert_eq!(err.attempts(), 2);
    assert_eq!(retries.load(Ordering::SeqCst), 2);
    emu.clear_faults();
}

#[test]
fn panics_in_callbacks_resume_after_the_call() {
    let Some(emu) = Emulator::start(2, &[]) else { return };
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let client = emu
        .builder()
        .max_retries(3)
        .retry_base_delay(Duration::from_millis(1))
        .retry_callback(move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            panic!("retry callback panicked")
        })
        .build()
        .unwrap();
    emu.add_faults(&["GET /invitations status=503"]);
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(|| client.fastly_invitation_list(&ListOptions::new(), None)));
    std::panic::set_hook(prev);
    let payload = r.expect_err("the callback's panic resumes after the C call");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"retry callback panicked"));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the panic vetoed the retry");
    emu.clear_faults();
    // The client is still usable and nothing is left stashed.
    assert!(client.fastly_invitation_list(&ListOptions::new(), None).is_ok());

    let client =
        emu.builder().log_level(LogLevel::Info).log_callback(|_| panic!("log callback panicked")).build().unwrap();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(|| client.fastly_invitation_list(&ListOptions::new(), None)));
    std::panic::set_hook(prev);
    assert!(r.is_err());
}

#[test]
fn every_drop_order() {
    let Some(emu) = Emulator::start(12, &[]) else { return };

    // Client before pager: the pager keeps the client alive and keeps working.
    let client = emu.client();
    let mut pager = client.openai_invite_pager(&ListOptions::new().page_size(5)).unwrap();
    let first = pager.next().unwrap().unwrap();
    drop(client);
    assert_eq!(pager.count(), 11);
    // Items after both.
    assert!(first.email().unwrap().starts_with("invitee-"));

    // Pager before client.
    let client = emu.client();
    let mut pager = client.twilio_user_pager(SERVICE, &ListOptions::new().page_size(5)).unwrap();
    let page = pager.next_page().unwrap().unwrap();
    let item = pager.next_item().unwrap().unwrap();
    drop(pager);
    assert!(client.twilio_user_fetch(SERVICE, "user-0001", None).is_ok());
    drop(client);
    // Pages, borrowed items and owned items after both.
    assert_eq!(page.len(), 5);
    assert_eq!(page.get(0).unwrap().identity(), Some("user-0001"));
    assert_eq!(item.identity(), Some("user-0006"));

    // Pager moved to another thread, client dropped here meanwhile.
    let client = emu.client();
    let pager: Pager<invitekit::FastlyInvitation> = client.fastly_invitation_pager(&ListOptions::new()).unwrap();
    let h = std::thread::spawn(move || pager.count());
    drop(client);
    assert_eq!(h.join().unwrap(), 12);

    // Single results and pages outlive their client.
    let client = emu.client();
    let page: Page<invitekit::TwilioInvite> =
        client.twilio_invite_list(SERVICE, CHANNEL, &[], &ListOptions::new(), None).unwrap();
    let victim = client.fastly_invitation_list(&ListOptions::new(), None).unwrap().item_id(0).unwrap().to_owned();
    let deletion = client.fastly_invitation_delete(&victim, None).unwrap();
    let user = client.twilio_user_fetch(SERVICE, "user-0002", None).unwrap();
    let clone: Client = client.clone();
    drop(client);
    drop(clone);
    assert_eq!(page.len(), 12);
    assert_eq!(page.iter().next().unwrap().identity(), Some("user-0001"));
    assert_eq!(deletion.id(), Some(victim.as_str()));
    assert_eq!(user.identity(), Some("user-0002"));
}
