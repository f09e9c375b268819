//! Exactly once without blocking (`*_ensure_async`, C `ik_<resource>_ensure_start` and
//! `ik_op_ensure_outcome`) against invitekit-emulator, for the four resources: created then
//! present, recovered after a create whose answer is lost, eight ensures of one person at once on
//! one client (one creates), and cancellation of an ensure parked behind another.
mod common;

use std::time::{Duration, Instant};

use common::exec::{assert_send_static, block_on, join_all, settle};
use common::{CHANNEL, Emulator, SERVICE};
use invitekit::{
    CallOptions, CancelledBy, Client, EnsureOutcome, FastlyInvitation, FastlyInvitationCreate, ListOptions, OpFuture,
    OpenAiInvite, OpenAiInviteCreate, Provider, Status, TwilioInvite, TwilioUser, TwilioUserParams,
};

/// Starts a non-blocking ensure of one person on a client.
type StartEnsure<T> = Box<dyn Fn(&Client) -> OpFuture<(T, EnsureOutcome)>>;

/// One person of one resource: how to ensure it without blocking and how to count its objects.
struct Person<T> {
    ensure: StartEnsure<T>,
    /// The object's id (OpenAI and Fastly `id`, Twilio `sid`).
    id: fn(&T) -> Option<String>,
    /// How many objects the server holds for this person.
    count: Box<dyn Fn(&Client) -> usize>,
    /// A fault that breaks the create's answer mid-body (the create is processed).
    lost_create: &'static str,
    operation: &'static str,
    provider: Provider,
}

fn openai(name: &str) -> Person<OpenAiInvite> {
    let email = format!("{name}@example.com");
    let listed = email.clone();
    Person {
        ensure: Box::new(move |c| {
            c.openai_invite_ensure_async(&OpenAiInviteCreate::new(email.as_str(), "reader"), None)
        }),
        id: |i| i.id().map(str::to_owned),
        count: Box::new(move |c| {
            let page = c.openai_invite_list(&ListOptions::new().page_size(100), None).unwrap();
            assert!(!page.has_more());
            page.iter().filter(|i| i.email() == Some(listed.as_str())).count()
        }),
        lost_create: "POST /v1/organization/invites count=1 reset-mid-body",
        operation: "invites.ensure",
        provider: Provider::OpenAi,
    }
}

fn twilio_invite(name: &str) -> Person<TwilioInvite> {
    let identity = name.to_owned();
    let listed = identity.clone();
    Person {
        ensure: Box::new(move |c| c.twilio_invite_ensure_async(SERVICE, CHANNEL, &identity, None, None)),
        id: |i| i.sid().map(str::to_owned),
        count: Box::new(move |c| {
            let page = c.twilio_invite_list(SERVICE, CHANNEL, &[listed.as_str()], &ListOptions::new(), None).unwrap();
            assert!(page.iter().all(|i| i.identity() == Some(listed.as_str())));
            page.len()
        }),
        lost_create: "POST /v1/Services/*/Channels/*/Invites count=1 reset-mid-body",
        operation: "invites.ensure",
        provider: Provider::Twilio,
    }
}

fn twilio_user(name: &str) -> Person<TwilioUser> {
    // An identity that needs encoding in the fetch path.
    let identity = format!("{name} x/y|z");
    let listed = identity.clone();
    Person {
        ensure: Box::new(move |c| {
            c.twilio_user_ensure_async(SERVICE, &TwilioUserParams::create(identity.as_str()), None)
        }),
        id: |u| u.sid().map(str::to_owned),
        count: Box::new(move |c| {
            let page = c.twilio_user_list(SERVICE, &ListOptions::new().page_size(100), None).unwrap();
            assert!(!page.has_more());
            page.iter().filter(|u| u.identity() == Some(listed.as_str())).count()
        }),
        lost_create: "POST /v2/Services/*/Users count=1 reset-mid-body",
        operation: "users.ensure",
        provider: Provider::Twilio,
    }
}

fn fastly(name: &str) -> Person<FastlyInvitation> {
    let email = format!("{name}@example.com");
    let listed = email.clone();
    Person {
        ensure: Box::new(move |c| {
            c.fastly_invitation_ensure_async(&FastlyInvitationCreate::new(email.as_str()).role("engineer"), None)
        }),
        id: |i| i.id().map(str::to_owned),
        count: Box::new(move |c| {
            let page = c.fastly_invitation_list(&ListOptions::new().page_size(100), None).unwrap();
            assert!(!page.has_more());
            page.iter().filter(|i| i.email() == Some(listed.as_str())).count()
        }),
        lost_create: "POST /invitations count=1 reset-mid-body",
        operation: "invitations.ensure",
        provider: Provider::Fastly,
    }
}

/// The three checks every resource gets, each on its own person.
fn exactly_once<T: Send + 'static>(person: fn(&str) -> Person<T>) {
    let Some(emu) = Emulator::start(2, &[]) else { return };
    let client = emu.client();

    // Absent: created; again: present, the same object; one object on the server.
    let p = person("ens-a");
    let fut = (p.ensure)(&client);
    assert_send_static(&fut);
    assert_eq!(fut.operation(), Some(p.operation));
    assert_eq!(fut.provider(), p.provider);
    let (created, outcome) = block_on(fut).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    let (present, outcome) = block_on((p.ensure)(&client)).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert!((p.id)(&created).is_some());
    assert_eq!((p.id)(&created), (p.id)(&present));
    assert_eq!((p.count)(&client), 1);
    // OpFuture::wait, without an executor, sees the same.
    let (waited, outcome) = (p.ensure)(&client).wait().unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert_eq!((p.id)(&waited), (p.id)(&created));

    // The create's answer is lost mid-body (the object was created): the second lookup finds it.
    let p = person("ens-lost");
    emu.add_faults(&[p.lost_create]);
    let r = block_on((p.ensure)(&client));
    emu.clear_faults();
    let (recovered, outcome) = r.unwrap();
    assert_eq!(outcome, EnsureOutcome::Recovered);
    assert_eq!((p.count)(&client), 1, "exactly one object after the lost answer");
    let (again, outcome) = block_on((p.ensure)(&client)).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert_eq!((p.id)(&again), (p.id)(&recovered));

    // Eight ensures of one person started at once on one client: they run one after another, in
    // the order they were started, so the first creates and the seven others find it.
    let p = person("ens-crowd");
    let futs: Vec<_> = (0..8).map(|_| (p.ensure)(&client)).collect();
    let results: Vec<_> = block_on(join_all(futs)).into_iter().map(Result::unwrap).collect();
    let outcomes: Vec<EnsureOutcome> = results.iter().map(|(_, o)| *o).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == EnsureOutcome::Created).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == EnsureOutcome::Present).count(), 7, "{outcomes:?}");
    assert_eq!(outcomes[0], EnsureOutcome::Created, "started first, created: {outcomes:?}");
    let id = (p.id)(&results[0].0);
    assert!(results.iter().all(|(x, _)| (p.id)(x) == id));
    assert_eq!((p.count)(&client), 1, "exactly one object after eight ensures");
    settle(&client);
}

#[test]
fn openai_invite_ensure_async() {
    exactly_once(openai);
}

#[test]
fn twilio_invite_ensure_async() {
    exactly_once(twilio_invite);
}

#[test]
fn twilio_user_ensure_async() {
    exactly_once(twilio_user);
}

#[test]
fn fastly_invitation_ensure_async() {
    exactly_once(fastly);
}

/// Waits (bounded) until the client has `n` operations in flight.
fn wait_in_flight(client: &Client, n: u64, within: Duration) {
    let start = Instant::now();
    while client.ops_in_flight() != n {
        assert!(start.elapsed() < within, "{} in flight, not {n}, after {within:?}", client.ops_in_flight());
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn cancelling_a_parked_ensure_leaves_the_others_alone() {
    let Some(emu) = Emulator::start(2, &[]) else { return };
    let client = emu.client();
    let params = OpenAiInviteCreate::new("parked@example.com", "reader");

    // The first ensure's lookup is slow: it holds the person's key meanwhile, the others park.
    emu.add_faults(&["GET /v1/organization/invites* count=1 latency=3000"]);
    let first = client.openai_invite_ensure_async(&params, None);
    let mut parked: Vec<_> = (0..4).map(|_| client.openai_invite_ensure_async(&params, None)).collect();
    assert_eq!(client.ops_in_flight(), 5, "parked ensures are in flight");

    // Dropping a parked ensure's future cancels it at once (nothing was sent, no thread waits).
    drop(parked.remove(1));
    wait_in_flight(&client, 4, Duration::from_secs(2));
    assert!(!first.is_done(), "the first ensure still holds the key");
    // OpFuture::cancel on another: its future resolves to the cancellation, before the first ends.
    let cancelled = parked.remove(1);
    cancelled.cancel();
    let err = block_on(cancelled).unwrap_err();
    assert_eq!(err.status(), Status::Cancelled);
    assert_eq!(err.cancelled_by(), CancelledBy::Operation);
    assert_eq!(err.http_status(), None);
    assert!(!first.is_done(), "cancelled while parked, not after the first ensure");

    // The others go on, in order: the first creates, the two left find it.
    let (created, outcome) = block_on(first).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    let rest = block_on(join_all(parked));
    assert_eq!(rest.len(), 2);
    for r in rest {
        let (inv, outcome) = r.unwrap();
        assert_eq!(outcome, EnsureOutcome::Present);
        assert_eq!(inv.id(), created.id());
    }
    assert_eq!((openai("parked").count)(&client), 1);
    settle(&client);

    // Dropping the ensure that holds the key (during its slow lookup) passes the key on: the next
    // one creates, the one after it finds that.
    let params = OpenAiInviteCreate::new("holder@example.com", "reader");
    emu.add_faults(&["GET /v1/organization/invites* count=1 latency=3000"]);
    let holder = client.openai_invite_ensure_async(&params, None);
    let next = client.openai_invite_ensure_async(&params, None);
    let last = client.openai_invite_ensure_async(&params, None);
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    drop(holder);
    let (a, outcome) = block_on(next).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    let (b, outcome) = block_on(last).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert_eq!(a.id(), b.id());
    assert!(start.elapsed() < Duration::from_millis(2500), "the key waited for the cancelled lookup");
    emu.clear_faults();
    assert_eq!((openai("holder").count)(&client), 1);

    // A cancel token works on an ensure as on any operation.
    let token = invitekit::CancelToken::new().unwrap();
    token.cancel();
    let err = block_on(client.openai_invite_ensure_async(
        &OpenAiInviteCreate::new("token@example.com", "reader"),
        Some(&CallOptions::new().cancel(&token)),
    ))
    .unwrap_err();
    assert_eq!(err.cancelled_by(), CancelledBy::Token);
    assert_eq!((openai("token").count)(&client), 0);
    settle(&client);
}

#[test]
fn argument_errors_come_out_of_the_first_poll() {
    let Some(emu) = Emulator::start(1, &[]) else { return };
    let client = emu.client();
    // The binding's own check (a NUL byte) and the library's (an invalid role, an empty identity).
    let f = client.twilio_invite_ensure_async(SERVICE, CHANNEL, "a\0b", None, None);
    assert!(f.is_done());
    assert_eq!(f.operation(), None);
    assert_eq!(block_on(f).unwrap_err().status(), Status::InvalidArgument);
    let err = block_on(client.openai_invite_ensure_async(&OpenAiInviteCreate::new("x@example.com", "admin"), None))
        .unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    assert_eq!(err.http_status(), None);
    assert_eq!(err.attempts(), 0);
    let err = block_on(client.twilio_user_ensure_async(SERVICE, &TwilioUserParams::update(), None)).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    let err = block_on(client.fastly_invitation_ensure_async(&FastlyInvitationCreate::new(""), None)).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    assert_eq!(client.ops_in_flight(), 0);
    // Nothing was created.
    assert_eq!(client.openai_invite_list(&ListOptions::new(), None).unwrap().len(), 1);
}
