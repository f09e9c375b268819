//! Every one of the sixteen operations against invitekit-emulator, with their results' accessors
//! and the errors' fields.
mod common;

use std::time::{Duration, UNIX_EPOCH};

use common::{CHANNEL, Emulator, SERVICE};
use invitekit::{
    CallOptions, CancelledBy, FastlyInvitationCreate, FastlyServiceGrant, Kind, ListOptions, OpenAiInviteCreate,
    OpenAiProject, Provider, Status, TwilioUserParams,
};

#[test]
fn openai_invites() {
    let Some(emu) = Emulator::start(5, &[]) else { return };
    let client = emu.client();

    // create, with and without projects
    let inv = client
        .openai_invite_create(
            &OpenAiInviteCreate::new("new@example.com", "reader")
                .projects(vec![OpenAiProject::new("proj_1", "member")]),
            None,
        )
        .unwrap();
    assert_eq!(inv.email(), Some("new@example.com"));
    assert_eq!(inv.role(), Some("reader"));
    assert_eq!(inv.status(), Some("pending"));
    assert_eq!(inv.object(), Some("organization.invite"));
    assert!(inv.id().unwrap().starts_with("invite-"));
    assert!(inv.has_projects());
    let projects: Vec<_> = inv.projects().collect();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].id, Some("proj_1"));
    assert_eq!(projects[0].role, Some("member"));
    assert!(inv.project(1).is_none());
    let created = inv.created_at().unwrap();
    assert_eq!(inv.expires_at().unwrap().duration_since(created).unwrap(), Duration::from_secs(7 * 24 * 3600));
    assert_eq!(inv.accepted_at(), None);
    assert!(inv.raw_json_str().unwrap().contains("new@example.com"));
    let resp = inv.response();
    assert_eq!(resp.http_status(), 200);
    assert_eq!(resp.provider(), Provider::OpenAi);
    assert!(resp.request_id().unwrap().starts_with("req_"));
    assert_eq!(resp.header("X-REQUEST-ID"), resp.request_id());
    assert!(resp.headers().any(|(n, _)| n.eq_ignore_ascii_case("content-type")));
    assert_eq!(resp.attempts(), 1);
    assert!(resp.elapsed() > Duration::ZERO);
    assert!(resp.body().unwrap().starts_with(b"{"));

    let bare = client.openai_invite_create(&OpenAiInviteCreate::new("bare@example.com", "owner"), None).unwrap();
    assert_eq!(bare.role(), Some("owner"));
    let empty = client
        .openai_invite_create(&OpenAiInviteCreate::new("none@example.com", "reader").projects(vec![]), None)
        .unwrap();
    assert_eq!(empty.project_count(), 0);

    // retrieve
    let id = inv.id().unwrap().to_string();
    let got = client.openai_invite_retrieve(&id, None).unwrap();
    assert_eq!(got.id(), Some(id.as_str()));
    assert_eq!(got.email(), Some("new@example.com"));

    // list: 5 seeded + 3 created
    let page = client.openai_invite_list(&ListOptions::new().page_size(100), None).unwrap();
    assert_eq!(page.kind(), Kind::OpenAiInvite);
    assert_eq!(page.len(), 8);
    assert!(!page.has_more());
    assert_eq!(page.next_cursor(), None);
    assert_eq!(page.openai_first_id(), page.item_id(0));
    assert_eq!(page.openai_last_id(), page.item_id(7));
    let emails: Vec<_> = page.iter().map(|i| i.email().unwrap()).collect();
    assert_eq!(emails[0], "invitee-0001@example.com");
    assert_eq!(emails[7], "none@example.com");
    for (i, item) in page.iter().enumerate() {
        assert_eq!(page.item_id(i), item.id());
        assert_eq!(page.item_raw_json(i), item.raw_json());
    }
    // The 5th seeded invite is accepted.
    let fifth = page.get(4).unwrap();
    assert_eq!(fifth.status(), Some("accepted"));
    assert!(fifth.accepted_at().unwrap() > fifth.created_at().unwrap());
    assert!(page.raw_json_str().unwrap().contains("\"has_more\""));
    assert_eq!(page.response().http_status(), 200);

    // pager
    let ids: Vec<String> = client
        .openai_invite_pager(&ListOptions::new().page_size(3))
        .unwrap()
        .map(|r| r.unwrap().id().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 8);
    assert_eq!(ids[0], page.item_id(0).unwrap());

    // delete
    let del = client.openai_invite_delete(&id, None).unwrap();
    assert_eq!(del.kind(), Kind::OpenAiInvite);
    assert_eq!(del.id(), Some(id.as_str()));
    assert_eq!(del.deleted(), Some(true));
    assert_eq!(del.object(), Some("organization.invite.deleted"));
    assert!(del.raw_json_str().unwrap().contains("\"deleted\":true"));
    assert_eq!(del.response().http_status(), 200);

    // 404 after delete
    let err = client.openai_invite_retrieve(&id, None).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(err.provider(), Provider::OpenAi);
    assert!(err.operation().unwrap().contains("invites"));
    assert!(err.message().starts_with("openai"));
    assert!(err.request_id().unwrap().starts_with("req_"));
    assert_eq!(err.field("type"), Some("invalid_request_error"));
    assert!(err.field("content_type").unwrap().contains("json"));
    assert!(err.body().unwrap().starts_with(b"{"));
    assert!(!err.is_retryable());
    assert!(!err.is_ambiguous());
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.cancelled_by(), CancelledBy::None);
    assert_eq!(err.transport_code(), 0);
    assert!(err.headers().count() > 0);
    assert!(err.header("x-request-id").is_some());
    assert!(err.to_string().contains("404"));

    // 400 deleting an accepted invite
    let err = client.openai_invite_delete(page.item_id(4).unwrap(), None).unwrap_err();
    assert_eq!(err.status(), Status::BadRequest);
}

#[test]
fn twilio_invites() {
    let Some(emu) = Emulator::start(3, &[]) else { return };
    let client = emu.client();
    let inv = client.twilio_invite_create(SERVICE, CHANNEL, "someone", None, None).unwrap();
    assert!(inv.sid().unwrap().starts_with("IN"));
    assert_eq!(inv.identity(), Some("someone"));
    assert_eq!(inv.service_sid(), Some(SERVICE));
    assert_eq!(inv.channel_sid(), Some(CHANNEL));
    assert_eq!(inv.account_sid(), Some(common::TWILIO_SID));
    assert_eq!(inv.role_sid(), Some("RL00000000000000000000000000000000"));
    assert_eq!(inv.created_by(), None);
    assert!(inv.url().is_some());
    assert!(inv.date_created().unwrap().ends_with('Z'));
    assert!(inv.date_created_time().unwrap() > UNIX_EPOCH);
    assert!(inv.date_updated_time().is_some() && inv.date_updated().is_some());
    assert_eq!(inv.response().http_status(), 201);
    assert!(inv.response().request_id().unwrap().starts_with("RQ"));
    assert!(inv.raw_json_str().unwrap().contains("someone"));

    let role = "RL0123456789abcdef0123456789abcdef";
    let with_role = client.twilio_invite_create(SERVICE, CHANNEL, "other", Some(role), None).unwrap();
    assert_eq!(with_role.role_sid(), Some(role));

    let sid = inv.sid().unwrap().to_string();
    let got = client.twilio_invite_fetch(SERVICE, CHANNEL, &sid, None).unwrap();
    assert_eq!(got.sid(), Some(sid.as_str()));

    let page = client.twilio_invite_list(SERVICE, CHANNEL, &[], &ListOptions::new(), None).unwrap();
    assert_eq!(page.kind(), Kind::TwilioInvite);
    assert_eq!(page.len(), 5);
    assert_eq!(page.twilio_page(), Some(0));
    assert_eq!(page.twilio_page_size(), Some(50));
    assert_eq!(page.twilio_key(), Some("invites"));
    assert!(page.twilio_url().is_some() && page.twilio_first_page_url().is_some());
    assert_eq!(page.twilio_next_page_url(), None);
    assert_eq!(page.twilio_previous_page_url(), None);
    let filtered =
        client.twilio_invite_list(SERVICE, CHANNEL, &["someone", "user-0002"], &ListOptions::new(), None).unwrap();
    let mut ids: Vec<_> = filtered.iter().map(|i| i.identity().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["someone", "user-0002"]);

    let pager = client.twilio_invite_pager(SERVICE, CHANNEL, &["other"], &ListOptions::new()).unwrap();
    let all: Vec<_> = pager.collect::<Result<Vec<_>, _>>().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].identity(), Some("other"));

    let del = client.twilio_invite_delete(SERVICE, CHANNEL, &sid, None).unwrap();
    assert_eq!(del.kind(), Kind::TwilioInvite);
    assert_eq!(del.id(), Some(sid.as_str()));
    assert_eq!(del.deleted(), Some(true));
    assert_eq!(del.object(), None);
    assert_eq!(del.raw_json(), None);
    assert_eq!(del.response().http_status(), 204);
    let err = client.twilio_invite_fetch(SERVICE, CHANNEL, &sid, None).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.provider_code(), Some("20404"));
    assert!(err.field("more_info").is_some());

    // Client-side validation: nothing is sent.
    let err = client.twilio_invite_fetch("ISbad", CHANNEL, &sid, None).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
    assert_eq!(err.http_status(), None);
    // A NUL byte is refused by the binding itself.
    let err = client.twilio_invite_create(SERVICE, CHANNEL, "a\0b", None, None).unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
}

#[test]
fn twilio_users() {
    let Some(emu) = Emulator::start(3, &[]) else { return };
    let client = emu.client();
    let identity = "ciao#hola/x y|é";
    let user = client
        .twilio_user_create(
            SERVICE,
            &TwilioUserParams::create(identity).friendly_name("Ciao").attributes(r#"{"a":1}"#).webhook_enabled(false),
            None,
        )
        .unwrap();
    assert_eq!(user.identity(), Some(identity));
    assert_eq!(user.friendly_name(), Some("Ciao"));
    assert_eq!(user.attributes(), Some(r#"{"a":1}"#));
    assert!(user.sid().unwrap().starts_with("US"));
    assert_eq!(user.service_sid(), Some(SERVICE));
    assert_eq!(user.account_sid(), Some(common::TWILIO_SID));
    assert_eq!(user.role_sid(), Some("RL00000000000000000000000000000001"));
    assert_eq!(user.is_online(), None);
    assert_eq!(user.is_notifiable(), None);
    assert!(user.link_user_channels().is_some() && user.link_user_bindings().is_some() && user.url().is_some());
    assert!(user.date_created().is_some() && user.date_updated().is_some());
    assert!(user.date_created_time().is_some() && user.date_updated_time().is_some());
    let _ = user.joined_channels_count();
    assert_eq!(user.response().http_status(), 201);

    let by_identity = client.twilio_user_fetch(SERVICE, identity, None).unwrap();
    assert_eq!(by_identity.sid(), user.sid());
    let by_sid = client.twilio_user_fetch(SERVICE, user.sid().unwrap(), None).unwrap();
    assert_eq!(by_sid.identity(), Some(identity));

    let updated =
        client.twilio_user_update(SERVICE, identity, &TwilioUserParams::update().friendly_name(""), None).unwrap();
    assert_eq!(updated.friendly_name(), Some(""));
    assert_eq!(updated.response().http_status(), 200);

    let page = client.twilio_user_list(SERVICE, &ListOptions::new().page_size(2), None).unwrap();
    assert_eq!(page.kind(), Kind::TwilioUser);
    assert_eq!(page.len(), 2);
    assert!(page.has_more());
    assert!(page.twilio_next_page_url().is_some());
    assert_eq!(page.twilio_key(), Some("users"));
    let next = client
        .twilio_user_list(SERVICE, &ListOptions::new().page_size(2).cursor(page.next_cursor().unwrap()), None)
        .unwrap();
    assert_eq!(next.len(), 2);
    assert_eq!(next.get(1).unwrap().identity(), Some(identity));

    let pager = client.twilio_user_pager(SERVICE, &ListOptions::new()).unwrap();
    assert_eq!(pager.kind(), Kind::TwilioUser);
    assert_eq!(pager.count(), 4);

    // Duplicate identity: 409
    let err = client.twilio_user_create(SERVICE, &TwilioUserParams::create(identity), None).unwrap_err();
    assert_eq!(err.status(), Status::Conflict);
    assert_eq!(err.provider_code(), Some("50201"));

    let del = client.twilio_user_delete(SERVICE, identity, None).unwrap();
    assert_eq!(del.kind(), Kind::TwilioUser);
    assert_eq!(del.id(), Some(identity));
    assert_eq!(del.deleted(), Some(true));
    let err = client.twilio_user_fetch(SERVICE, identity, None).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    let del = client.twilio_user_delete(SERVICE, "user-0001", None).unwrap();
    assert_eq!(del.response().http_status(), 204);
}

#[test]
fn fastly_invitations() {
    let Some(emu) = Emulator::start(4, &[]) else { return };
    let client = emu.client();
    let created = client
        .fastly_invitation_create(
            &FastlyInvitationCreate {
                email: "f@example.com".into(),
                role: Some("engineer".into()),
                roles: vec!["role_a".into(), "role_b".into()],
                limit_services: Some(true),
                customer_id: Some("cust0000000000000000001".into()),
                services: vec![FastlyServiceGrant::new("svc1", "full"), FastlyServiceGrant::new("svc2", "read_only")],
            },
            None,
        )
        .unwrap();
    assert_eq!(created.email(), Some("f@example.com"));
    assert_eq!(created.kind(), Some("invitation"));
    assert_eq!(created.role(), Some("engineer"));
    assert_eq!(created.roles().collect::<Vec<_>>(), ["role_a", "role_b"]);
    assert_eq!(created.limit_services(), Some(true));
    assert_eq!(created.customer_id(), Some("cust0000000000000000001"));
    assert_eq!(created.service_invitations().len(), 2);
    assert_eq!(created.status_code(), Some(1));
    assert!(created.created_at().is_some() && created.created_at_time().is_some());
    assert!(created.updated_at().is_some() && created.updated_at_time().is_some());
    assert_eq!(created.deleted_at(), None);
    assert_eq!(created.deleted_at_time(), None);
    assert!(created.raw_json_str().unwrap().contains("f@example.com"));
    assert_eq!(created.response().http_status(), 200);

    let minimal = client.fastly_invitation_create(&FastlyInvitationCreate::new("m@example.com"), None).unwrap();
    assert_eq!(minimal.role(), Some("user"));
    assert_eq!(minimal.customer_id(), Some("emuCustomer00000000000"));

    let page = client.fastly_invitation_list(&ListOptions::new().page_size(2), None).unwrap();
    assert_eq!(page.kind(), Kind::FastlyInvitation);
    assert_eq!(page.len(), 2);
    assert_eq!(page.fastly_current_page(), Some(1));
    assert_eq!(page.fastly_per_page(), Some(2));
    assert_eq!(page.fastly_record_count(), Some(6));
    assert_eq!(page.fastly_total_pages(), Some(3));
    assert!(page.fastly_link_first().is_some() && page.fastly_link_last().is_some());
    assert!(page.fastly_link_next().is_some());
    assert_eq!(page.fastly_link_prev(), None);
    assert_eq!(page.get(0).unwrap().email(), Some("invitee-0001@example.com"));
    let third = client.fastly_invitation_list(&ListOptions::new().page_size(2).provider_cursor("3"), None).unwrap();
    assert_eq!(third.get(1).unwrap().email(), Some("m@example.com"));

    let mut pager = client.fastly_invitation_pager(&ListOptions::new().page_size(4)).unwrap();
    let counts: Vec<usize> = pager.pages().map(|p| p.unwrap().len()).collect();
    assert_eq!(counts, [4, 2]);
    assert!(pager.is_done());
    assert_eq!(pager.items_delivered(), 6);

    let id = created.id().unwrap().to_string();
    let del = client.fastly_invitation_delete(&id, None).unwrap();
    assert_eq!(del.kind(), Kind::FastlyInvitation);
    assert_eq!(del.id(), Some(id.as_str()));
    assert_eq!(del.deleted(), Some(true));
    let err = client.fastly_invitation_delete(&id, None).unwrap_err();
    assert_eq!(err.status(), Status::NotFound);
    assert_eq!(err.provider(), Provider::Fastly);
    assert!(err.field("errors").is_some());
}

#[test]
fn wrong_credentials_and_retries() {
    let Some(emu) = Emulator::start(1, &[]) else { return };
    let bad = emu.builder().openai_admin_key("sk-admin-wrong").build().unwrap();
    let err = bad.openai_invite_list(&ListOptions::new(), None).unwrap_err();
    assert_eq!(err.status(), Status::Authentication);
    assert_eq!(err.provider_code(), Some("invalid_api_key"));

    let none = Emulator::builder(&emu).build().unwrap();
    assert!(none.has_credentials(Provider::Fastly));
    let no_creds = invitekit::Client::builder().ignore_env(true).base_url_for_all(&emu.url).build().unwrap();
    let err = no_creds.fastly_invitation_list(&ListOptions::new(), None).unwrap_err();
    assert_eq!(err.status(), Status::NoCredentials);

    emu.add_faults(&["GET /invitations count=2 status=429 retry-after-ms=5 fastly-ratelimit-remaining=0"]);
    let client = emu.builder().max_retries(2).retry_base_delay(Duration::from_millis(1)).build().unwrap();
    let page = client.fastly_invitation_list(&ListOptions::new(), None).unwrap();
    assert_eq!(page.response().attempts(), 3);
    emu.add_faults(&[
        "GET /invitations status=429 retry-after-ms=5 fastly-ratelimit-remaining=0 fastly-ratelimit-reset=1700000000",
    ]);
    let err = client.fastly_invitation_list(&ListOptions::new(), Some(&CallOptions::new().max_retries(1))).unwrap_err();
    assert_eq!(err.status(), Status::RateLimited);
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.retry_after(), Some(Duration::from_millis(5)));
    assert!(err.is_retryable());
    assert_eq!(err.header("fastly-ratelimit-remaining"), Some("0"));
    emu.clear_faults();

    emu.add_faults(&["GET /invitations fastly-ratelimit-remaining=7 fastly-ratelimit-reset=1700000000 latency=0"]);
    let page = client.fastly_invitation_list(&ListOptions::new(), None).unwrap();
    assert_eq!(page.response().ratelimit_remaining(), Some(7));
    assert_eq!(page.response().ratelimit_reset(), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    emu.clear_faults();

    // Extra headers reach the server; forbidden ones are refused before sending.
    let ok = client.fastly_invitation_list(&ListOptions::new(), Some(&CallOptions::new().header("X-Trace: 1")));
    assert!(ok.is_ok());
    let err = client
        .fastly_invitation_list(&ListOptions::new(), Some(&CallOptions::new().header("Fastly-Key: x")))
        .unwrap_err();
    assert_eq!(err.status(), Status::InvalidArgument);
}

#[test]
fn exactly_once_ensure() {
    use invitekit::EnsureOutcome;
    let Some(emu) = Emulator::start(3, &[]) else { return };
    let client = emu.client();

    let params = OpenAiInviteCreate::new("once@example.com", "reader");
    let (a, outcome) = client.openai_invite_ensure(&params, None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    let (b, outcome) = client.openai_invite_ensure(&params, None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert_eq!(a.id(), b.id());
    let (_, outcome) =
        client.openai_invite_ensure(&OpenAiInviteCreate::new("ONCE@example.com", "owner"), None).unwrap();
    assert_eq!(outcome, EnsureOutcome::PresentDifferent);
    assert_eq!(outcome.name(), "present_different");

    let (inv, outcome) = client.twilio_invite_ensure(SERVICE, CHANNEL, "user-0001", None, None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    assert_eq!(inv.identity(), Some("user-0001"));
    let (_, outcome) = client.twilio_invite_ensure(SERVICE, CHANNEL, "newbie", None, None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);

    let (user, outcome) = client.twilio_user_ensure(SERVICE, &TwilioUserParams::create("ensured x/y"), None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    assert_eq!(user.identity(), Some("ensured x/y"));
    let (_, outcome) = client
        .twilio_user_ensure(SERVICE, &TwilioUserParams::create("ensured x/y").friendly_name("other"), None)
        .unwrap();
    assert_eq!(outcome, EnsureOutcome::PresentDifferent);

    let (_, outcome) =
        client.fastly_invitation_ensure(&FastlyInvitationCreate::new("invitee-0002@example.com"), None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Present);
    let (f, outcome) =
        client.fastly_invitation_ensure(&FastlyInvitationCreate::new("fresh@example.com"), None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Created);
    assert_eq!(f.email(), Some("fresh@example.com"));

    // An ambiguous create failure is recovered by the second lookup.
    emu.add_faults(&["POST /v1/organization/invites count=1 reset-mid-body"]);
    let (_, outcome) =
        client.openai_invite_ensure(&OpenAiInviteCreate::new("amb@example.com", "reader"), None).unwrap();
    assert_eq!(outcome, EnsureOutcome::Recovered);
    emu.clear_faults();
}
