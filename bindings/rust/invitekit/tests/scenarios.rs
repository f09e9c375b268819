//! Runs every language-neutral scenario of tests/scenarios/*.json (format `invitekit-scenario/1`,
//! described in tests/scenarios/README.md) through the Rust API against invitekit-emulator.
mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use common::Emulator;
use common::exec::block_on;
use common::json::{self, Json};
use invitekit::{
    CallOptions, CancelledBy, Client, EnsureOutcome, Error, FastlyInvitation, FastlyInvitationCreate,
    FastlyInvitationRef, FastlyServiceGrant, Jitter, Kind, ListOptions, OpFuture, OpenAiInvite, OpenAiInviteCreate,
    OpenAiInviteRef, OpenAiProject, Page, Pager, Response, ServerWaitPolicy, TwilioInvite, TwilioInviteRef, TwilioUser,
    TwilioUserParams, TwilioUserRef,
};

const MAX_ITEMS: usize = 100_000;
const MAX_PAGES: usize = 10_000;
const FIELD_NAMES: [&str; 15] = [
    "more_info",
    "details",
    "type",
    "title",
    "detail",
    "instance",
    "param",
    "code",
    "status",
    "msg",
    "id",
    "meta",
    "errors",
    "content_type",
    "url",
];

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/scenarios")
}

type Vars = HashMap<String, Json>;

fn obj(pairs: Vec<(&str, Json)>) -> Json {
    Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn s(v: Option<&str>) -> Json {
    Json::str_or_null(v)
}

fn unix(t: Option<std::time::SystemTime>) -> Json {
    Json::int_or_null(t.map(|t| match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }))
}

fn bytes(b: Option<&[u8]>) -> Json {
    b.map_or(Json::Null, |b| Json::Str(String::from_utf8_lossy(b).into_owned()))
}

fn kind_name(k: Kind) -> Json {
    Json::Str(
        match k {
            Kind::OpenAiInvite => "IK_KIND_OPENAI_INVITE",
            Kind::TwilioInvite => "IK_KIND_TWILIO_INVITE",
            Kind::TwilioUser => "IK_KIND_TWILIO_USER",
            Kind::FastlyInvitation => "IK_KIND_FASTLY_INVITATION",
            _ => "IK_KIND_NONE",
        }
        .to_owned(),
    )
}

// ------------------------------------------------------------------------------------------
// Actual values
// ------------------------------------------------------------------------------------------

fn with_response(mut v: Json, r: &Response) -> Json {
    if let Json::Obj(o) = &mut v {
        o.push(("http_status".into(), Json::Int(r.http_status().into())));
        o.push(("attempts".into(), Json::Int(r.attempts().into())));
        o.push(("request_id".into(), s(r.request_id())));
        o.push(("provider".into(), Json::Str(r.provider().name().to_owned())));
        o.push(("ratelimit_remaining".into(), Json::int_or_null(r.ratelimit_remaining())));
        o.push(("ratelimit_reset_unix".into(), unix(r.ratelimit_reset())));
    }
    v
}

fn openai_json(i: &OpenAiInviteRef) -> Json {
    obj(vec![
        ("object", s(i.object())),
        ("id", s(i.id())),
        ("email", s(i.email())),
        ("role", s(i.role())),
        ("status", s(i.status())),
        ("created_at_unix", unix(i.created_at())),
        ("expires_at_unix", unix(i.expires_at())),
        ("accepted_at_unix", unix(i.accepted_at())),
        ("projects", Json::Arr(i.projects().map(|p| obj(vec![("id", s(p.id)), ("role", s(p.role))])).collect())),
        ("has_projects", Json::Bool(i.has_projects())),
        ("raw_json", bytes(i.raw_json())),
    ])
}

fn twilio_invite_json(i: &TwilioInviteRef) -> Json {
    obj(vec![
        ("sid", s(i.sid())),
        ("account_sid", s(i.account_sid())),
        ("channel_sid", s(i.channel_sid())),
        ("service_sid", s(i.service_sid())),
        ("identity", s(i.identity())),
        ("role_sid", s(i.role_sid())),
        ("created_by", s(i.created_by())),
        ("url", s(i.url())),
        ("date_created", s(i.date_created())),
        ("date_updated", s(i.date_updated())),
        ("date_created_unix", unix(i.date_created_time())),
        ("date_updated_unix", unix(i.date_updated_time())),
        ("raw_json", bytes(i.raw_json())),
    ])
}

fn twilio_user_json(u: &TwilioUserRef) -> Json {
    obj(vec![
        ("sid", s(u.sid())),
        ("account_sid", s(u.account_sid())),
        ("service_sid", s(u.service_sid())),
        ("attributes", s(u.attributes())),
        ("friendly_name", s(u.friendly_name())),
        ("role_sid", s(u.role_sid())),
        ("identity", s(u.identity())),
        ("is_online", Json::bool_or_null(u.is_online())),
        ("is_notifiable", Json::bool_or_null(u.is_notifiable())),
        ("date_created", s(u.date_created())),
        ("date_updated", s(u.date_updated())),
        ("date_created_unix", unix(u.date_created_time())),
        ("date_updated_unix", unix(u.date_updated_time())),
        ("joined_channels_count", Json::int_or_null(u.joined_channels_count())),
        ("link_user_channels", s(u.link_user_channels())),
        ("link_user_bindings", s(u.link_user_bindings())),
        ("url", s(u.url())),
        ("raw_json", bytes(u.raw_json())),
    ])
}

fn fastly_json(i: &FastlyInvitationRef) -> Json {
    obj(vec![
        ("id", s(i.id())),
        ("type", s(i.kind())),
        ("email", s(i.email())),
        ("limit_services", Json::bool_or_null(i.limit_services())),
        ("role", s(i.role())),
        ("roles", Json::Arr(i.roles().map(|r| Json::Str(r.to_owned())).collect())),
        ("status_code", Json::int_or_null(i.status_code())),
        ("created_at", s(i.created_at())),
        ("updated_at", s(i.updated_at())),
        ("deleted_at", s(i.deleted_at())),
        ("created_at_unix", unix(i.created_at_time())),
        ("updated_at_unix", unix(i.updated_at_time())),
        ("deleted_at_unix", unix(i.deleted_at_time())),
        ("customer_id", s(i.customer_id())),
        ("service_invitations", Json::Arr(i.service_invitations().map(|r| Json::Str(r.to_owned())).collect())),
        ("raw_json", bytes(i.raw_json())),
    ])
}

/// One kind of item: how to read it as JSON and its typed id.
trait ScenarioItem: Sized {
    type View: ?Sized;
    fn item_json(v: &Self::View) -> Json;
    fn typed_id(v: &Self::View) -> Option<&str>;
    fn typed_raw(v: &Self::View) -> Option<&[u8]>;
    fn page_items(p: &Page<Self>) -> Vec<&Self::View>;
    fn pager_next(p: &mut Pager<Self>) -> Result<Option<Self>, Error>;
    fn owned_view(o: &Self) -> &Self::View;
}

macro_rules! scenario_item {
    ($t:ty, $view:ty, $json:ident, $id:ident) => {
        impl ScenarioItem for $t {
            type View = $view;
            fn item_json(v: &$view) -> Json {
                $json(v)
            }
            fn typed_id(v: &$view) -> Option<&str> {
                v.$id()
            }
            fn typed_raw(v: &$view) -> Option<&[u8]> {
                v.raw_json()
            }
            fn page_items(p: &Page<$t>) -> Vec<&$view> {
                p.iter().collect()
            }
            fn pager_next(p: &mut Pager<$t>) -> Result<Option<$t>, Error> {
                p.next_item()
            }
            fn owned_view(o: &$t) -> &$view {
                o
            }
        }
    };
}
scenario_item!(OpenAiInvite, OpenAiInviteRef, openai_json, id);
scenario_item!(TwilioInvite, TwilioInviteRef, twilio_invite_json, sid);
scenario_item!(TwilioUser, TwilioUserRef, twilio_user_json, sid);
scenario_item!(FastlyInvitation, FastlyInvitationRef, fastly_json, id);

fn page_json<T: ScenarioItem>(p: &Page<T>) -> Json {
    let items: Vec<Json> = T::page_items(p)
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let mut j = T::item_json(item);
            let matches = p.item_id(i) == T::typed_id(item) && p.item_raw_json(i) == T::typed_raw(item);
            if let Json::Obj(o) = &mut j {
                o.push(("generic_matches_typed".into(), Json::Bool(matches)));
            }
            j
        })
        .collect();
    let v = obj(vec![
        ("kind", kind_name(p.kind())),
        ("count", Json::Int(p.len() as i64)),
        ("has_more", Json::Bool(p.has_more())),
        ("next_cursor", s(p.next_cursor())),
        ("items", Json::Arr(items)),
        ("item_ids", Json::Arr(p.item_ids().map(s).collect())),
        ("openai_first_id", s(p.openai_first_id())),
        ("openai_last_id", s(p.openai_last_id())),
        ("twilio_page", Json::int_or_null(p.twilio_page())),
        ("twilio_page_size", Json::int_or_null(p.twilio_page_size())),
        ("twilio_key", s(p.twilio_key())),
        ("twilio_url", s(p.twilio_url())),
        ("twilio_first_page_url", s(p.twilio_first_page_url())),
        ("twilio_previous_page_url", s(p.twilio_previous_page_url())),
        ("twilio_next_page_url", s(p.twilio_next_page_url())),
        ("fastly_link_first", s(p.fastly_link_first())),
        ("fastly_link_last", s(p.fastly_link_last())),
        ("fastly_link_prev", s(p.fastly_link_prev())),
        ("fastly_link_next", s(p.fastly_link_next())),
        ("fastly_current_page", Json::int_or_null(p.fastly_current_page())),
        ("fastly_per_page", Json::int_or_null(p.fastly_per_page())),
        ("fastly_record_count", Json::int_or_null(p.fastly_record_count())),
        ("fastly_total_pages", Json::int_or_null(p.fastly_total_pages())),
        ("raw_json", bytes(p.raw_json())),
    ]);
    with_response(v, p.response())
}

fn deletion_json(d: &invitekit::Deletion) -> Json {
    obj(vec![
        ("kind", kind_name(d.kind())),
        ("id", s(d.id())),
        ("deleted", Json::bool_or_null(d.deleted())),
        ("object", s(d.object())),
        ("raw_json", bytes(d.raw_json())),
    ])
}

fn error_json(e: &Error) -> Json {
    let status = Json::Str(e.status().name().to_owned());
    obj(vec![
        ("status", status.clone()),
        ("error_status", status),
        ("message", Json::Str(e.message().to_owned())),
        ("http_status", Json::Int(e.http_status().map_or(0, i64::from))),
        ("provider", Json::Str(e.provider().name().to_owned())),
        ("operation", s(e.operation())),
        ("provider_code", s(e.provider_code())),
        ("provider_message", s(e.provider_message())),
        ("request_id", s(e.request_id())),
        ("retry_after_ms", Json::int_or_null(e.retry_after().map(|d| d.as_millis() as i64))),
        ("retryable", Json::Bool(e.is_retryable())),
        ("ambiguous", Json::Bool(e.is_ambiguous())),
        ("attempts", Json::Int(e.attempts().into())),
        ("transport_code", Json::Int(e.transport_code().into())),
        (
            "cancelled_by",
            Json::Str(
                match e.cancelled_by() {
                    CancelledBy::None => "none",
                    CancelledBy::Token => "token",
                    CancelledBy::RetryCallback => "retry_callback",
                    _ => "unknown",
                }
                .to_owned(),
            ),
        ),
        ("fields", obj(FIELD_NAMES.iter().map(|n| (*n, s(e.field(n)))).collect())),
        ("body", bytes(e.body())),
    ])
}

// ------------------------------------------------------------------------------------------
// Arguments
// ------------------------------------------------------------------------------------------

/// Replaces every `"$var"` string in `v` by the saved value.
fn resolve(v: &Json, vars: &Vars) -> Result<Json, String> {
    Ok(match v {
        Json::Str(s) if s.starts_with('$') => {
            vars.get(&s[1..]).cloned().ok_or_else(|| format!("undefined variable {s}"))?
        }
        Json::Arr(a) => Json::Arr(a.iter().map(|x| resolve(x, vars)).collect::<Result<_, _>>()?),
        Json::Obj(o) => {
            Json::Obj(o.iter().map(|(k, x)| Ok((k.clone(), resolve(x, vars)?))).collect::<Result<_, String>>()?)
        }
        other => other.clone(),
    })
}

struct Args<'a>(&'a Json);

impl Args<'_> {
    fn opt_str(&self, key: &str) -> Result<Option<String>, String> {
        match self.0.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Str(s)) => Ok(Some(s.clone())),
            Some(Json::Int(i)) => Ok(Some(i.to_string())),
            Some(other) => Err(format!("argument {key} should be a string, got {other}")),
        }
    }
    fn str(&self, key: &str) -> Result<String, String> {
        // A required C string that is absent is NULL: pass "" would differ, so refuse clearly.
        self.opt_str(key)?.ok_or_else(|| format!("argument {key} is required"))
    }
    fn opt_bool(&self, key: &str) -> Option<bool> {
        self.0.get(key).and_then(Json::as_bool)
    }
    fn int(&self, key: &str) -> i64 {
        self.0.get(key).and_then(Json::as_i64).unwrap_or(0)
    }
    fn strings(&self, key: &str) -> Vec<String> {
        self.0
            .get(key)
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
    fn list_options(&self) -> Result<ListOptions, String> {
        let mut l = ListOptions::new()
            .page_size(self.int("page_size").max(0) as u32)
            .max_items(self.int("max_items").max(0) as u64);
        if let Some(c) = self.opt_str("cursor")? {
            l = l.cursor(c);
        }
        if let Some(c) = self.opt_str("provider_cursor")? {
            l = l.provider_cursor(c);
        }
        Ok(l)
    }
    /// `openai.invites.create` and `.ensure`.
    fn openai_params(&self) -> Result<OpenAiInviteCreate, String> {
        let mut p = OpenAiInviteCreate::new(
            self.opt_str("email")?.unwrap_or_default(),
            self.opt_str("role")?.unwrap_or_default(),
        );
        if let Some(projects) = self.0.get("projects").and_then(Json::as_array) {
            p = p.projects(
                projects
                    .iter()
                    .map(|x| {
                        let x = Args(x);
                        Ok(OpenAiProject::new(x.str("id")?, x.str("role")?))
                    })
                    .collect::<Result<_, String>>()?,
            );
        }
        Ok(p)
    }
    /// `fastly.invitations.create` and `.ensure`.
    fn fastly_params(&self) -> Result<FastlyInvitationCreate, String> {
        let services = self
            .0
            .get("services")
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|x| {
                let x = Args(x);
                Ok(FastlyServiceGrant::new(x.str("service_id")?, x.str("permission")?))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(FastlyInvitationCreate {
            email: self.opt_str("email")?.unwrap_or_default(),
            role: self.opt_str("role")?,
            roles: self.strings("roles"),
            limit_services: self.opt_bool("limit_services"),
            customer_id: self.opt_str("customer_id")?,
            services,
        })
    }
    fn user_params(&self, create: bool) -> Result<TwilioUserParams, String> {
        Ok(TwilioUserParams {
            identity: if create { self.opt_str("identity")? } else { None },
            role_sid: self.opt_str("role_sid")?,
            attributes: self.opt_str("attributes")?,
            friendly_name: self.opt_str("friendly_name")?,
            webhook_enabled: self.opt_bool("webhook_enabled"),
        })
    }
}

fn client_for(emu: &Emulator, file_client: Option<&Json>, step_client: Option<&Json>) -> Result<Client, String> {
    let get = |key: &str| step_client.and_then(|c| c.get(key)).or_else(|| file_client.and_then(|c| c.get(key)));
    let int = |key: &str, default: i64| get(key).and_then(Json::as_i64).unwrap_or(default);
    let ms = |key: &str, default: i64| Duration::from_millis(int(key, default).max(0) as u64);
    let wrong = get("credentials").and_then(Json::as_str) == Some("wrong");
    let mut b = Client::builder()
        .ignore_env(true)
        .no_proxy_env(true)
        .base_url_for_all(&emu.url)
        .twilio_credentials(common::TWILIO_SID, if wrong { "wrong-twilio-token" } else { common::TWILIO_TOKEN })
        .openai_admin_key(if wrong { "sk-admin-wrong" } else { common::OPENAI_KEY })
        .fastly_api_token(if wrong { "wrong-fastly-token" } else { common::FASTLY_TOKEN })
        .retry_base_delay(ms("retry_base_delay_ms", 1))
        .retry_max_delay(ms("retry_max_delay_ms", 10))
        .connect_timeout(ms("connect_timeout_ms", 5000))
        .attempt_timeout(ms("attempt_timeout_ms", 10000))
        .deadline(ms("deadline_ms", 0))
        .max_server_wait(ms("max_server_wait_ms", 0))
        .retry_ambiguous_posts(get("retry_ambiguous_posts").and_then(Json::as_bool).unwrap_or(false));
    match int("max_retries", -1) {
        -1 => b = b.max_retries(0), // none
        0 => {}                     // library default
        n => b = b.max_retries(n as u32),
    }
    b = b.jitter(match get("jitter").and_then(Json::as_str).unwrap_or("none") {
        "full" => Jitter::Full,
        "decorrelated" => Jitter::Decorrelated,
        _ => Jitter::None,
    });
    b = b.server_wait_policy(match get("server_wait_policy").and_then(Json::as_str) {
        Some("cap") => ServerWaitPolicy::Cap,
        _ => ServerWaitPolicy::GiveUp,
    });
    b.build().map_err(|e| format!("client: {e}"))
}

fn call_options(call: Option<&Json>) -> Option<CallOptions> {
    let call = call?;
    let int = |k: &str| call.get(k).and_then(Json::as_i64).unwrap_or(0);
    let mut o = CallOptions::new();
    match int("max_retries") {
        -1 => o = o.max_retries(0),
        0 => {}
        n => o = o.max_retries(n as u32),
    }
    if int("deadline_ms") > 0 {
        o = o.deadline(Duration::from_millis(int("deadline_ms") as u64));
    }
    if int("attempt_timeout_ms") > 0 {
        o = o.attempt_timeout(Duration::from_millis(int("attempt_timeout_ms") as u64));
    }
    if int("connect_timeout_ms") > 0 {
        o = o.connect_timeout(Duration::from_millis(int("connect_timeout_ms") as u64));
    }
    if let Some(b) = call.get("retry_ambiguous_posts").and_then(Json::as_bool) {
        o = o.retry_ambiguous_posts(b);
    }
    Some(o)
}

fn pager_items<T: ScenarioItem>(mut p: Pager<T>, stop: usize) -> Result<Json, Error> {
    let mut ids = Vec::new();
    let limit = if stop == 0 { MAX_ITEMS } else { stop };
    while ids.len() < limit {
        match T::pager_next(&mut p)? {
            Some(item) => ids.push(s(T::typed_id(T::owned_view(&item)))),
            None => break,
        }
    }
    Ok(obj(vec![
        ("kind", kind_name(p.kind())),
        ("count", Json::Int(ids.len() as i64)),
        ("item_ids", Json::Arr(ids)),
        ("done", Json::Bool(p.is_done())),
        ("items_delivered", Json::Int(p.items_delivered() as i64)),
        ("cursor", Json::Str(p.cursor()?)),
    ]))
}

fn pager_pages<T>(mut p: Pager<T>, stop: usize) -> Result<Json, Error> {
    let mut ids = Vec::new();
    let mut counts = Vec::new();
    let limit = if stop == 0 { MAX_PAGES } else { stop };
    while counts.len() < limit {
        match p.next_page()? {
            Some(page) => {
                counts.push(Json::Int(page.len() as i64));
                ids.extend(page.item_ids().map(s));
            }
            None => break,
        }
    }
    Ok(obj(vec![
        ("kind", kind_name(p.kind())),
        ("count", Json::Int(ids.len() as i64)),
        ("item_ids", Json::Arr(ids)),
        ("pages", Json::Int(counts.len() as i64)),
        ("page_counts", Json::Arr(counts)),
        ("done", Json::Bool(p.is_done())),
        ("items_delivered", Json::Int(p.items_delivered() as i64)),
        ("cursor", Json::Str(p.cursor()?)),
    ]))
}

/// An ensure op: the blocking call, or with `nonblocking` its `_async` twin driven by the test
/// executor (`common::exec::block_on`). The result is the object plus `outcome`.
fn ensure<T>(
    nonblocking: bool,
    blocking: impl FnOnce() -> Result<(T, EnsureOutcome), Error>,
    start: impl FnOnce() -> OpFuture<(T, EnsureOutcome)>,
    object_json: impl FnOnce(&T) -> Json,
) -> Result<Json, Error> {
    let (object, outcome) = if nonblocking { block_on(start()) } else { blocking() }?;
    let mut v = object_json(&object);
    if let Json::Obj(o) = &mut v {
        o.push(("outcome".into(), Json::Str(outcome.name().to_owned())));
    }
    Ok(v)
}

/// Runs one operation (`nonblocking`: through its non-blocking twin, `*.ensure` ops only):
/// Ok(Ok(actual)) on success, Ok(Err(actual error)) on a failed call, Err(text) on a malformed step.
fn run_op(
    client: &Client,
    op: &str,
    nonblocking: bool,
    a: &Args<'_>,
    call: Option<&CallOptions>,
) -> Result<Result<Json, Error>, String> {
    if nonblocking && !op.ends_with(".ensure") {
        return Err("\"nonblocking\" is defined for the *.ensure ops only".into());
    }
    let r = match op {
        "openai.invites.create" => {
            client.openai_invite_create(&a.openai_params()?, call).map(|i| with_response(openai_json(&i), i.response()))
        }
        "openai.invites.ensure" => {
            let p = a.openai_params()?;
            ensure(
                nonblocking,
                || client.openai_invite_ensure(&p, call),
                || client.openai_invite_ensure_async(&p, call),
                |i| with_response(openai_json(i), i.response()),
            )
        }
        "openai.invites.retrieve" => client
            .openai_invite_retrieve(&a.str("invite_id")?, call)
            .map(|i| with_response(openai_json(&i), i.response())),
        "openai.invites.list" => client.openai_invite_list(&a.list_options()?, call).map(|p| page_json(&p)),
        "openai.invites.delete" => client
            .openai_invite_delete(&a.str("invite_id")?, call)
            .map(|d| with_response(deletion_json(&d), d.response())),
        "twilio.invites.create" => client
            .twilio_invite_create(
                &a.str("service_sid")?,
                &a.str("channel_sid")?,
                &a.opt_str("identity")?.unwrap_or_default(),
                a.opt_str("role_sid")?.as_deref(),
                call,
            )
            .map(|i| with_response(twilio_invite_json(&i), i.response())),
        "twilio.invites.ensure" => {
            let (service, channel) = (a.str("service_sid")?, a.str("channel_sid")?);
            let (identity, role) = (a.opt_str("identity")?.unwrap_or_default(), a.opt_str("role_sid")?);
            ensure(
                nonblocking,
                || client.twilio_invite_ensure(&service, &channel, &identity, role.as_deref(), call),
                || client.twilio_invite_ensure_async(&service, &channel, &identity, role.as_deref(), call),
                |i| with_response(twilio_invite_json(i), i.response()),
            )
        }
        "twilio.invites.fetch" => client
            .twilio_invite_fetch(&a.str("service_sid")?, &a.str("channel_sid")?, &a.str("invite_sid")?, call)
            .map(|i| with_response(twilio_invite_json(&i), i.response())),
        "twilio.invites.list" => {
            let ids = a.strings("identities");
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            client
                .twilio_invite_list(&a.str("service_sid")?, &a.str("channel_sid")?, &ids, &a.list_options()?, call)
                .map(|p| page_json(&p))
        }
        "twilio.invites.delete" => client
            .twilio_invite_delete(&a.str("service_sid")?, &a.str("channel_sid")?, &a.str("invite_sid")?, call)
            .map(|d| with_response(deletion_json(&d), d.response())),
        "twilio.users.create" => client
            .twilio_user_create(&a.str("service_sid")?, &a.user_params(true)?, call)
            .map(|u| with_response(twilio_user_json(&u), u.response())),
        "twilio.users.ensure" => {
            let (service, p) = (a.str("service_sid")?, a.user_params(true)?);
            ensure(
                nonblocking,
                || client.twilio_user_ensure(&service, &p, call),
                || client.twilio_user_ensure_async(&service, &p, call),
                |u| with_response(twilio_user_json(u), u.response()),
            )
        }
        "twilio.users.fetch" => client
            .twilio_user_fetch(&a.str("service_sid")?, &a.str("sid_or_identity")?, call)
            .map(|u| with_response(twilio_user_json(&u), u.response())),
        "twilio.users.list" => {
            client.twilio_user_list(&a.str("service_sid")?, &a.list_options()?, call).map(|p| page_json(&p))
        }
        "twilio.users.update" => client
            .twilio_user_update(&a.str("service_sid")?, &a.str("sid_or_identity")?, &a.user_params(false)?, call)
            .map(|u| with_response(twilio_user_json(&u), u.response())),
        "twilio.users.delete" => client
            .twilio_user_delete(&a.str("service_sid")?, &a.str("sid_or_identity")?, call)
            .map(|d| with_response(deletion_json(&d), d.response())),
        "fastly.invitations.create" => client
            .fastly_invitation_create(&a.fastly_params()?, call)
            .map(|i| with_response(fastly_json(&i), i.response())),
        "fastly.invitations.ensure" => {
            let p = a.fastly_params()?;
            ensure(
                nonblocking,
                || client.fastly_invitation_ensure(&p, call),
                || client.fastly_invitation_ensure_async(&p, call),
                |i| with_response(fastly_json(i), i.response()),
            )
        }
        "fastly.invitations.list" => client.fastly_invitation_list(&a.list_options()?, call).map(|p| page_json(&p)),
        "fastly.invitations.delete" => client
            .fastly_invitation_delete(&a.str("invitation_id")?, call)
            .map(|d| with_response(deletion_json(&d), d.response())),
        "pager.items" | "pager.pages" => {
            let by_items = op == "pager.items";
            let stop = a.int(if by_items { "stop_after_items" } else { "stop_after_pages" }).max(0) as usize;
            let list = a.list_options()?;
            let call = call.cloned();
            macro_rules! run {
                ($pager:expr) => {
                    $pager.and_then(|p| {
                        let p = match call {
                            Some(c) => p.with_call_options(c),
                            None => p,
                        };
                        if by_items { pager_items(p, stop) } else { pager_pages(p, stop) }
                    })
                };
            }
            match a.str("list")?.as_str() {
                "openai.invites" => run!(client.openai_invite_pager(&list)),
                "twilio.invites" => {
                    let ids = a.strings("identities");
                    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                    run!(client.twilio_invite_pager(&a.str("service_sid")?, &a.str("channel_sid")?, &ids, &list))
                }
                "twilio.users" => run!(client.twilio_user_pager(&a.str("service_sid")?, &list)),
                "fastly.invitations" => run!(client.fastly_invitation_pager(&list)),
                other => return Err(format!("unknown list {other:?}")),
            }
        }
        other => return Err(format!("unknown op {other:?}")),
    };
    Ok(r)
}

// ------------------------------------------------------------------------------------------
// Comparison
// ------------------------------------------------------------------------------------------

const MATCHER_KEYS: [&str; 7] = ["present", "contains", "prefix", "length", "min", "max", "not"];

fn is_matcher(v: &Json) -> bool {
    matches!(v, Json::Obj(o) if !o.is_empty() && o.iter().all(|(k, _)| MATCHER_KEYS.contains(&k.as_str())))
}

fn scalar_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Int(x), Json::Float(y)) | (Json::Float(y), Json::Int(x)) => (*x as f64) == *y,
        _ => a == b,
    }
}

fn compare(path: &str, want: &Json, got: &Json, out: &mut Vec<String>) {
    if is_matcher(want) {
        for (k, operand) in want.as_object().unwrap() {
            let ok = match k.as_str() {
                "present" => operand.as_bool() == Some(!got.is_null()),
                "contains" => matches!((got, operand), (Json::Str(g), Json::Str(o)) if g.contains(o.as_str())),
                "prefix" => matches!((got, operand), (Json::Str(g), Json::Str(o)) if g.starts_with(o.as_str())),
                "length" => {
                    let len = match got {
                        Json::Arr(a) => Some(a.len() as i64),
                        Json::Str(s) => Some(s.len() as i64),
                        _ => None,
                    };
                    len.is_some() && len == operand.as_i64()
                }
                "min" => matches!((got.as_i64(), operand.as_i64()), (Some(g), Some(o)) if g >= o),
                "max" => matches!((got.as_i64(), operand.as_i64()), (Some(g), Some(o)) if g <= o),
                "not" => !scalar_eq(got, operand) && got != operand,
                _ => false,
            };
            if !ok {
                out.push(format!("{path}: {k} {operand} failed; actual {got}"));
            }
        }
        return;
    }
    match (want, got) {
        (Json::Obj(w), Json::Obj(_)) => {
            for (k, wv) in w {
                match got.get(k) {
                    None => out.push(format!("{path}.{k}: no such key in the actual value")),
                    Some(gv) => compare(&format!("{path}.{k}"), wv, gv, out),
                }
            }
        }
        (Json::Arr(w), Json::Arr(g)) => {
            if w.len() != g.len() {
                out.push(format!("{path}: expected {} elements, actual {}: {got}", w.len(), g.len()));
            } else {
                for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                    compare(&format!("{path}[{i}]"), wv, gv, out);
                }
            }
        }
        (Json::Obj(_) | Json::Arr(_), _) => out.push(format!("{path}: expected {want}, actual {got}")),
        _ => {
            if !scalar_eq(want, got) {
                out.push(format!("{path}: expected {want}, actual {got}"));
            }
        }
    }
}

fn lookup<'a>(v: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(v, |cur, part| match cur {
        Json::Obj(_) => cur.get(part),
        Json::Arr(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

// ------------------------------------------------------------------------------------------
// Files
// ------------------------------------------------------------------------------------------

fn run_file(path: &std::path::Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let doc = json::parse(&text)?;
    if doc.get("format").and_then(Json::as_str) != Some("invitekit-scenario/1") {
        return Err("format is not \"invitekit-scenario/1\"".into());
    }
    let seed = doc.get("emulator").and_then(|e| e.get("seed")).and_then(Json::as_i64).unwrap_or(0);
    let Some(emu) = Emulator::start(seed as u32, &[]) else { return Ok(0) };
    let file_client = doc.get("client");
    let client = client_for(&emu, file_client, None)?;
    let mut vars: Vars = HashMap::new();
    vars.insert("emulator_url".into(), Json::Str(emu.url.clone()));
    let steps = doc.get("steps").and_then(Json::as_array).ok_or("no steps")?;
    for (n, step) in steps.iter().enumerate() {
        let name = step.get("name").and_then(Json::as_str).unwrap_or("?");
        let r = run_step(&emu, &client, file_client, step, &mut vars);
        // Faults are removed after every step, pass or fail.
        if step.get("faults").is_some() {
            emu.clear_faults();
        }
        r.map_err(|e| format!("step {} ({name}): {e}", n + 1))?;
    }
    Ok(steps.len())
}

fn run_step(
    emu: &Emulator,
    file_client: &Client,
    file_opts: Option<&Json>,
    step: &Json,
    vars: &mut Vars,
) -> Result<(), String> {
    if step.get("clear_faults").and_then(Json::as_bool) == Some(true) {
        emu.clear_faults();
    }
    if let Some(faults) = step.get("faults").and_then(Json::as_array) {
        let specs: Vec<&str> = faults.iter().filter_map(Json::as_str).collect();
        emu.add_faults(&specs);
    }
    let own_client;
    let client = match step.get("client") {
        Some(c) => {
            own_client = client_for(emu, file_opts, Some(c))?;
            &own_client
        }
        None => file_client,
    };
    let call = call_options(step.get("call"));
    let op = step.get("op").and_then(Json::as_str).ok_or("no op")?;
    let nonblocking = match step.get("nonblocking") {
        None => false,
        Some(v) => v.as_bool().ok_or("nonblocking is true or false")?,
    };
    let args = resolve(step.get("args").unwrap_or(&Json::Obj(vec![])), vars)?;
    let actual = run_op(client, op, nonblocking, &Args(&args), call.as_ref())?;
    let expect = resolve(step.get("expect").ok_or("no expect")?, vars)?;
    let mut problems = Vec::new();
    let actual = match (expect.get("ok"), expect.get("error"), actual) {
        (Some(want), None, Ok(got)) => {
            compare("ok", want, &got, &mut problems);
            got
        }
        (None, Some(want), Err(e)) => {
            let got = error_json(&e);
            compare("error", want, &got, &mut problems);
            got
        }
        (Some(_), None, Err(e)) => return Err(format!("expected success, got error {}: {e}", e.status().name())),
        (None, Some(_), Ok(got)) => return Err(format!("expected an error, got success {got}")),
        _ => return Err("expect must have exactly one of ok / error".into()),
    };
    if !problems.is_empty() {
        return Err(format!("{} mismatch(es):\n    {}", problems.len(), problems.join("\n    ")));
    }
    if let Some(save) = step.get("save").and_then(Json::as_object) {
        for (var, path) in save {
            let path = path.as_str().ok_or("save paths are strings")?;
            match lookup(&actual, path) {
                Some(v) if !v.is_null() => {
                    vars.insert(var.clone(), v.clone());
                }
                _ => return Err(format!("save {var}: nothing at {path}")),
            }
        }
    }
    Ok(())
}

#[test]
fn every_scenario_file() {
    if std::env::var("INVITEKIT_EMULATOR").is_err() {
        eprintln!("SKIPPED: INVITEKIT_EMULATOR is not set");
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("tests/scenarios")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenario file in {}", scenario_dir().display());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        match run_file(f) {
            Ok(steps) => eprintln!("scenario {name}: ok ({steps} steps)"),
            Err(e) => {
                eprintln!("scenario {name}: FAILED: {e}");
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenario files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn comparison_rules() {
    let got = json::parse(r#"{"a":1,"b":"hello","c":[{"x":1},{"x":2}],"d":null}"#).unwrap();
    let mut p = Vec::new();
    compare(
        "ok",
        &json::parse(r#"{"a":1,"b":{"prefix":"he","contains":"ll","length":5},"c":[{},{"x":2}],"d":null}"#).unwrap(),
        &got,
        &mut p,
    );
    assert!(p.is_empty(), "{p:?}");
    compare("ok", &json::parse(r#"{"zz":1}"#).unwrap(), &got, &mut p);
    compare("ok", &json::parse(r#"{"c":[{}]}"#).unwrap(), &got, &mut p);
    compare("ok", &json::parse(r#"{"d":{"present":true}}"#).unwrap(), &got, &mut p);
    compare("ok", &json::parse(r#"{"a":{"min":2}}"#).unwrap(), &got, &mut p);
    compare("ok", &json::parse(r#"{"b":{"not":"hello"}}"#).unwrap(), &got, &mut p);
    assert_eq!(p.len(), 5, "{p:?}");
    assert_eq!(lookup(&got, "c.1.x"), Some(&Json::Int(2)));
    assert_eq!(lookup(&got, "c.5.x"), None);
}

#[test]
fn runner_detects_a_wrong_expectation() {
    if std::env::var("INVITEKIT_EMULATOR").is_err() {
        eprintln!("SKIPPED: INVITEKIT_EMULATOR is not set");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ik-scn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.json");
    std::fs::write(
        &file,
        r#"{"format": "invitekit-scenario/1", "emulator": {"seed": 2}, "steps": [
             {"name": "list", "op": "openai.invites.list", "args": {}, "expect": {"ok": {"count": 2, "items": [{"email": "invitee-0001@example.com"}, {}]}},
              "save": {"first": "items.0.id"}},
             {"name": "wrong", "op": "openai.invites.retrieve", "args": {"invite_id": "$first"}, "expect": {"ok": {"email": "someone-else@example.com"}}}]}"#,
    )
    .unwrap();
    let err = run_file(&file).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.starts_with("step 2 (wrong)"), "{err}");
    assert!(
        err.contains("ok.email: expected \"someone-else@example.com\", actual \"invitee-0001@example.com\""),
        "{err}"
    );
}

#[test]
fn runner_refuses_nonblocking_for_other_ops() {
    if std::env::var("INVITEKIT_EMULATOR").is_err() {
        eprintln!("SKIPPED: INVITEKIT_EMULATOR is not set");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ik-scn-nb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("nonblocking.json");
    std::fs::write(
        &file,
        r#"{"format": "invitekit-scenario/1", "emulator": {"seed": 1}, "steps": [
             {"name": "ensure", "nonblocking": true, "op": "openai.invites.ensure", "args": {"email": "nb@example.com", "role": "reader"},
              "expect": {"ok": {"outcome": "created", "email": "nb@example.com"}}},
             {"name": "list", "nonblocking": true, "op": "openai.invites.list", "args": {}, "expect": {"ok": {"count": 2}}}]}"#,
    )
    .unwrap();
    let err = run_file(&file).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.starts_with("step 2 (list)"), "{err}");
    assert!(err.contains("\"nonblocking\" is defined for the *.ensure ops only"), "{err}");
}
