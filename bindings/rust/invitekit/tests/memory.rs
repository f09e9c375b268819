//! A million create/drop cycles of objects the C library allocates: resident memory stays flat.
mod common;

use invitekit::{CallOptions, CancelToken, Client, ListOptions, Status};

#[test]
fn a_million_objects_leave_rss_flat() {
    const N: usize = 1_000_000;
    let client = Client::builder().ignore_env(true).build().unwrap();
    let token = CancelToken::new().unwrap();
    let warm = |i: usize| {
        // Each round allocates in C: a cancel token and an error object (copied into an `Error`
        // and freed), and fills ik_call_options / ik_list_options through their _init functions.
        // No network.
        let t = CancelToken::new().unwrap();
        if i % 2 == 0 {
            t.cancel();
        }
        let call = CallOptions::new().cancel(if i % 3 == 0 { &t } else { &token }).header("X-N: 1");
        if i % 2 == 0 {
            // Client-side validation in C: an ik_error is built, copied and freed.
            let err = client.twilio_user_fetch("ISbad", "x", Some(&call)).unwrap_err();
            assert_eq!(err.status(), Status::InvalidArgument);
        } else {
            // ik_list_options_init + ik_call_options_init, then NO_CREDENTIALS before any I/O.
            let list = ListOptions::new().page_size(10).provider_cursor("2");
            let err = client.fastly_invitation_list(&list, Some(&call)).unwrap_err();
            assert_eq!(err.status(), Status::NoCredentials);
        }
    };
    for i in 0..20_000 {
        warm(i);
    }
    let before = common::rss_kib();
    for i in 0..N {
        warm(i);
    }
    let after = common::rss_kib();
    let growth = after.saturating_sub(before);
    eprintln!("RSS before {before} KiB, after {after} KiB, growth {growth} KiB over {N} rounds");
    assert!(growth < 4 * 1024, "RSS grew by {growth} KiB over {N} rounds");
}
