//! Twilio Chat v1 Channel Invites and Chat v2 Users.
use std::ffi::{CString, c_char};
use std::mem::MaybeUninit;
use std::ptr;

use crate::client::Client;
use crate::ensure::EnsureOutcome;
use crate::error::Error;
use crate::ffi;
use crate::op::{self, OpFuture, try_op};
use crate::openai::required;
use crate::options::{CallOptions, ListOptions, with_call};
use crate::page::{Page, Pager};
use crate::response::{
    Deletion, borrowed_view, i64_accessors, json_and_response, owned_handle, str_accessors, time_accessors,
};
use crate::sys;

borrowed_view! {
    /// A Twilio Chat v1 channel invite, borrowed (from a [`Page`] or an owned [`TwilioInvite`]).
    TwilioInviteRef => sys::ik_twilio_invite
}

owned_handle! {
    /// An owned Twilio channel invite. Dereferences to [`TwilioInviteRef`].
    TwilioInvite => TwilioInviteRef, sys::ik_twilio_invite, sys::ik_twilio_invite_free
}

impl TwilioInviteRef {
    str_accessors! {
        /// Invite SID (`IN…`).
        sid => sys::ik_twilio_invite_sid;
        /// Account SID.
        account_sid => sys::ik_twilio_invite_account_sid;
        /// Channel SID.
        channel_sid => sys::ik_twilio_invite_channel_sid;
        /// Service SID.
        service_sid => sys::ik_twilio_invite_service_sid;
        /// Invited identity.
        identity => sys::ik_twilio_invite_identity;
        /// Role SID.
        role_sid => sys::ik_twilio_invite_role_sid;
        /// Who created the invite.
        created_by => sys::ik_twilio_invite_created_by;
        /// Resource URL.
        url => sys::ik_twilio_invite_url;
        /// Creation date, ISO 8601 text as received.
        date_created => sys::ik_twilio_invite_date_created;
        /// Update date, ISO 8601 text as received.
        date_updated => sys::ik_twilio_invite_date_updated;
    }
    time_accessors! {
        /// Creation date.
        date_created_time => sys::ik_twilio_invite_date_created_unix;
        /// Update date.
        date_updated_time => sys::ik_twilio_invite_date_updated_unix;
    }
    json_and_response! {
        /// The invite's JSON (whole body, or the item's bytes in a page body).
        raw_json => sys::ik_twilio_invite_raw_json;
        /// Exchange metadata.
        response => sys::ik_twilio_invite_response;
    }
}

impl std::fmt::Debug for TwilioInviteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioInvite")
            .field("sid", &self.sid())
            .field("identity", &self.identity())
            .finish_non_exhaustive()
    }
}

borrowed_view! {
    /// A Twilio Chat v2 user, borrowed (from a [`Page`] or an owned [`TwilioUser`]).
    TwilioUserRef => sys::ik_twilio_user
}

owned_handle! {
    /// An owned Twilio user. Dereferences to [`TwilioUserRef`].
    TwilioUser => TwilioUserRef, sys::ik_twilio_user, sys::ik_twilio_user_free
}

impl TwilioUserRef {
    str_accessors! {
        /// User SID (`US…`).
        sid => sys::ik_twilio_user_sid;
        /// Account SID.
        account_sid => sys::ik_twilio_user_account_sid;
        /// Service SID.
        service_sid => sys::ik_twilio_user_service_sid;
        /// The attributes: a string holding JSON, exactly as the API returns it.
        attributes => sys::ik_twilio_user_attributes;
        /// Friendly name.
        friendly_name => sys::ik_twilio_user_friendly_name;
        /// Role SID.
        role_sid => sys::ik_twilio_user_role_sid;
        /// Identity.
        identity => sys::ik_twilio_user_identity;
        /// Creation date, ISO 8601 text as received.
        date_created => sys::ik_twilio_user_date_created;
        /// Update date, ISO 8601 text as received.
        date_updated => sys::ik_twilio_user_date_updated;
        /// `links.user_channels`.
        link_user_channels => sys::ik_twilio_user_link_user_channels;
        /// `links.user_bindings`.
        link_user_bindings => sys::ik_twilio_user_link_user_bindings;
        /// Resource URL.
        url => sys::ik_twilio_user_url;
    }
    time_accessors! {
        /// Creation date.
        date_created_time => sys::ik_twilio_user_date_created_unix;
        /// Update date.
        date_updated_time => sys::ik_twilio_user_date_updated_unix;
    }
    i64_accessors! {
        /// `joined_channels_count`.
        joined_channels_count => sys::ik_twilio_user_joined_channels_count;
    }
    /// `is_online` (`None` when absent or null: the Reachability Indicator is off).
    pub fn is_online(&self) -> Option<bool> {
        // SAFETY: a live user.
        ffi::optbool(unsafe { sys::ik_twilio_user_is_online(self.as_ptr()) })
    }
    /// `is_notifiable` (`None` when absent or null).
    pub fn is_notifiable(&self) -> Option<bool> {
        // SAFETY: a live user.
        ffi::optbool(unsafe { sys::ik_twilio_user_is_notifiable(self.as_ptr()) })
    }
    json_and_response! {
        /// The user's JSON (whole body, or the item's bytes in a page body).
        raw_json => sys::ik_twilio_user_raw_json;
        /// Exchange metadata.
        response => sys::ik_twilio_user_response;
    }
}

impl std::fmt::Debug for TwilioUserRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioUser")
            .field("sid", &self.sid())
            .field("identity", &self.identity())
            .finish_non_exhaustive()
    }
}

/// Inputs of [`Client::twilio_user_create`] and [`Client::twilio_user_update`]. `None` = not
/// sent; `Some("")` = sent empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwilioUserParams {
    /// Required for create; must be `None` for update (the API cannot change it).
    pub identity: Option<String>,
    /// Role SID (`RL…`).
    pub role_sid: Option<String>,
    /// JSON text.
    pub attributes: Option<String>,
    /// Friendly name.
    pub friendly_name: Option<String>,
    /// `X-Twilio-Webhook-Enabled`; `None` = no header.
    pub webhook_enabled: Option<bool>,
}

impl TwilioUserParams {
    /// Parameters of a create.
    pub fn create(identity: impl Into<String>) -> TwilioUserParams {
        TwilioUserParams { identity: Some(identity.into()), ..TwilioUserParams::default() }
    }
    /// Parameters of an update (nothing set yet).
    pub fn update() -> TwilioUserParams {
        TwilioUserParams::default()
    }
    /// Sets the role SID.
    pub fn role_sid(mut self, v: impl Into<String>) -> Self {
        self.role_sid = Some(v.into());
        self
    }
    /// Sets the attributes (JSON text).
    pub fn attributes(mut self, v: impl Into<String>) -> Self {
        self.attributes = Some(v.into());
        self
    }
    /// Sets the friendly name.
    pub fn friendly_name(mut self, v: impl Into<String>) -> Self {
        self.friendly_name = Some(v.into());
        self
    }
    /// Sets `X-Twilio-Webhook-Enabled`.
    pub fn webhook_enabled(mut self, v: bool) -> Self {
        self.webhook_enabled = Some(v);
        self
    }

    fn to_raw(&self) -> Result<(sys::ik_twilio_user_params, [Option<CString>; 4]), Error> {
        let strings = [
            ffi::opt_cstring(self.identity.as_deref(), "identity")?,
            ffi::opt_cstring(self.role_sid.as_deref(), "role_sid")?,
            ffi::opt_cstring(self.attributes.as_deref(), "attributes")?,
            ffi::opt_cstring(self.friendly_name.as_deref(), "friendly_name")?,
        ];
        let mut raw = MaybeUninit::<sys::ik_twilio_user_params>::zeroed();
        // SAFETY: a valid, writable struct and version.
        ffi::call(|e| unsafe {
            sys::ik_twilio_user_params_init(raw.as_mut_ptr(), sys::IK_TWILIO_USER_PARAMS_VERSION, e)
        })?;
        // SAFETY: initialised by ik_twilio_user_params_init.
        let mut p = unsafe { raw.assume_init() };
        p.identity = ffi::opt_ptr(&strings[0]);
        p.role_sid = ffi::opt_ptr(&strings[1]);
        p.attributes = ffi::opt_ptr(&strings[2]);
        p.friendly_name = ffi::opt_ptr(&strings[3]);
        p.webhook_enabled = ffi::to_optbool(self.webhook_enabled);
        // The CStrings' heap buffers do not move when the array is moved out.
        Ok((p, strings))
    }
}

fn cstrings(values: &[&str], what: &str) -> Result<(Vec<CString>, Vec<*const c_char>), Error> {
    let owned = values.iter().map(|v| ffi::cstring(v, what)).collect::<Result<Vec<_>, _>>()?;
    let ptrs = owned.iter().map(|s| s.as_ptr()).collect();
    Ok((owned, ptrs))
}

impl Client {
    /// Creates a channel invite (`POST …/Channels/{channel}/Invites`); `role_sid` may be `None`.
    pub fn twilio_invite_create(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identity: &str,
        role_sid: Option<&str>,
        call: Option<&CallOptions>,
    ) -> Result<TwilioInvite, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let identity = ffi::cstring(identity, "identity")?;
        let role = ffi::opt_cstring(role_sid, "role_sid")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_invite_create(
                        self.as_ptr(),
                        service.as_ptr(),
                        channel.as_ptr(),
                        identity.as_ptr(),
                        ffi::opt_ptr(&role),
                        c,
                        out,
                        err,
                    )
                },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { TwilioInvite::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Invites an identity to a channel exactly once: looks the identity's invites up, creates one
    /// only if absent, and after an ambiguous create failure (or a 409) looks again. A found
    /// invite is [`EnsureOutcome::Present`] when `role_sid` is `None` or equal to its role.
    pub fn twilio_invite_ensure(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identity: &str,
        role_sid: Option<&str>,
        call: Option<&CallOptions>,
    ) -> Result<(TwilioInvite, EnsureOutcome), Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let identity = ffi::cstring(identity, "identity")?;
        let role = ffi::opt_cstring(role_sid, "role_sid")?;
        let mut outcome = 0i32;
        let inv = with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_invite_ensure(
                        self.as_ptr(),
                        service.as_ptr(),
                        channel.as_ptr(),
                        identity.as_ptr(),
                        ffi::opt_ptr(&role),
                        c,
                        out,
                        &mut outcome,
                        err,
                    )
                },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { TwilioInvite::from_owned(o) }),
            )
        })
        .and_then(required)?;
        Ok((inv, EnsureOutcome::from_code(outcome)))
    }

    /// Fetches a channel invite by SID.
    pub fn twilio_invite_fetch(
        &self,
        service_sid: &str,
        channel_sid: &str,
        invite_sid: &str,
        call: Option<&CallOptions>,
    ) -> Result<TwilioInvite, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let sid = ffi::cstring(invite_sid, "invite_sid")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_invite_fetch(
                        self.as_ptr(),
                        service.as_ptr(),
                        channel.as_ptr(),
                        sid.as_ptr(),
                        c,
                        out,
                        err,
                    )
                },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { TwilioInvite::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// One page of channel invites, filtered on any of `identities` (empty = no filter).
    pub fn twilio_invite_list(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identities: &[&str],
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> Result<Page<TwilioInvite>, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let (_owned, ids) = cstrings(identities, "identity")?;
        let l = list.to_raw()?;
        let ids_ptr = if ids.is_empty() { ptr::null() } else { ids.as_ptr() };
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client, valid strings (`ids` points into `_owned`), options and
                // out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_invite_list(
                        self.as_ptr(),
                        service.as_ptr(),
                        channel.as_ptr(),
                        ids_ptr,
                        ids.len(),
                        l.as_ptr(),
                        c,
                        out,
                        err,
                    )
                },
                // SAFETY: an owned page of Twilio invites.
                |o| o.map(|o| unsafe { Page::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// A pager over the channel invites, filtered on any of `identities` (empty = no filter).
    pub fn twilio_invite_pager(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identities: &[&str],
        list: &ListOptions,
    ) -> Result<Pager<TwilioInvite>, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let (_owned, ids) = cstrings(identities, "identity")?;
        let l = list.to_raw()?;
        let ids_ptr = if ids.is_empty() { ptr::null() } else { ids.as_ptr() };
        Pager::create(self, |out, err| {
            // SAFETY: a live client, valid strings, options and out-pointers (the library copies
            // the filters into the pager).
            unsafe {
                sys::ik_twilio_invite_pager(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    ids_ptr,
                    ids.len(),
                    l.as_ptr(),
                    out,
                    err,
                )
            }
        })
    }

    /// Deletes a channel invite (204).
    pub fn twilio_invite_delete(
        &self,
        service_sid: &str,
        channel_sid: &str,
        invite_sid: &str,
        call: Option<&CallOptions>,
    ) -> Result<Deletion, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let channel = ffi::cstring(channel_sid, "channel_sid")?;
        let sid = ffi::cstring(invite_sid, "invite_sid")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_invite_delete(
                        self.as_ptr(),
                        service.as_ptr(),
                        channel.as_ptr(),
                        sid.as_ptr(),
                        c,
                        out,
                        err,
                    )
                },
                // SAFETY: an owned deletion.
                |o| o.map(|o| unsafe { Deletion::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Creates a user (`POST /v2/Services/{ServiceSid}/Users`). The identity is percent-encoded
    /// wherever it appears in a path later, so any text works.
    pub fn twilio_user_create(
        &self,
        service_sid: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> Result<TwilioUser, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let (p, _strings) = params.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and its strings outlive the call.
                |out, err| unsafe { sys::ik_twilio_user_create(self.as_ptr(), service.as_ptr(), &p, c, out, err) },
                // SAFETY: an owned user.
                |o| o.map(|o| unsafe { TwilioUser::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Creates a user exactly once (`params.identity` is required): fetches it by identity,
    /// creates it only if absent, and after an ambiguous create failure or a 409 looks again. A
    /// found user is [`EnsureOutcome::Present`] when every field `params` sets equals the user's.
    pub fn twilio_user_ensure(
        &self,
        service_sid: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> Result<(TwilioUser, EnsureOutcome), Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let (p, _strings) = params.to_raw()?;
        let mut outcome = 0i32;
        let user = with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and its strings outlive the call; valid out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_user_ensure(self.as_ptr(), service.as_ptr(), &p, c, out, &mut outcome, err)
                },
                // SAFETY: an owned user.
                |o| o.map(|o| unsafe { TwilioUser::from_owned(o) }),
            )
        })
        .and_then(required)?;
        Ok((user, EnsureOutcome::from_code(outcome)))
    }

    /// Fetches a user by SID (`US…`) or identity.
    pub fn twilio_user_fetch(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        call: Option<&CallOptions>,
    ) -> Result<TwilioUser, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let who = ffi::cstring(sid_or_identity, "sid_or_identity")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_user_fetch(self.as_ptr(), service.as_ptr(), who.as_ptr(), c, out, err)
                },
                // SAFETY: an owned user.
                |o| o.map(|o| unsafe { TwilioUser::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// One page of users.
    pub fn twilio_user_list(
        &self,
        service_sid: &str,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> Result<Page<TwilioUser>, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let l = list.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings, options and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_user_list(self.as_ptr(), service.as_ptr(), l.as_ptr(), c, out, err)
                },
                // SAFETY: an owned page of Twilio users.
                |o| o.map(|o| unsafe { Page::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// A pager over the users.
    pub fn twilio_user_pager(&self, service_sid: &str, list: &ListOptions) -> Result<Pager<TwilioUser>, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let l = list.to_raw()?;
        Pager::create(self, |out, err| {
            // SAFETY: a live client and valid strings, options and out-pointers.
            unsafe { sys::ik_twilio_user_pager(self.as_ptr(), service.as_ptr(), l.as_ptr(), out, err) }
        })
    }

    /// Updates a user by SID or identity (`params.identity` must be `None`).
    pub fn twilio_user_update(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> Result<TwilioUser, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let who = ffi::cstring(sid_or_identity, "sid_or_identity")?;
        let (p, _strings) = params.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p`, its strings and the other strings outlive the call.
                |out, err| unsafe {
                    sys::ik_twilio_user_update(self.as_ptr(), service.as_ptr(), who.as_ptr(), &p, c, out, err)
                },
                // SAFETY: an owned user.
                |o| o.map(|o| unsafe { TwilioUser::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Deletes a user by SID or identity (204).
    pub fn twilio_user_delete(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        call: Option<&CallOptions>,
    ) -> Result<Deletion, Error> {
        let service = ffi::cstring(service_sid, "service_sid")?;
        let who = ffi::cstring(sid_or_identity, "sid_or_identity")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe {
                    sys::ik_twilio_user_delete(self.as_ptr(), service.as_ptr(), who.as_ptr(), c, out, err)
                },
                // SAFETY: an owned deletion.
                |o| o.map(|o| unsafe { Deletion::from_owned(o) }),
            )
        })
        .and_then(required)
    }
}

/// Non-blocking twins of the operations: the same arguments, an [`OpFuture`] of the same result.
impl Client {
    /// [`twilio_invite_create`](Self::twilio_invite_create) without blocking.
    pub fn twilio_invite_create_async(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identity: &str,
        role_sid: Option<&str>,
        call: Option<&CallOptions>,
    ) -> OpFuture<TwilioInvite> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let channel = try_op!(ffi::cstring(channel_sid, "channel_sid"));
        let identity = try_op!(ffi::cstring(identity, "identity"));
        let role = try_op!(ffi::opt_cstring(role_sid, "role_sid"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_invite_create_start(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    identity.as_ptr(),
                    ffi::opt_ptr(&role),
                    c,
                    cb,
                    ud,
                    out,
                    err,
                )
            }
        })
    }

    /// [`twilio_invite_ensure`](Self::twilio_invite_ensure) without blocking: an [`OpFuture`] of
    /// the invite found or created and the [`EnsureOutcome`]. Serialized per identity and
    /// channel with the client's other ensures, cancelled by dropping the future, as
    /// [`openai_invite_ensure_async`](Self::openai_invite_ensure_async);
    /// [`OpFuture::operation`] is `"invites.ensure"`.
    ///
    /// ```no_run
    /// # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
    /// let (invite, outcome) = client
    ///     .twilio_invite_ensure_async("IS00000000000000000000000000000000", "CH00000000000000000000000000000000", "ada", None, None)
    ///     .await?;
    /// println!("{outcome}: {:?}", invite.sid());
    /// # Ok(())
    /// # }
    /// ```
    pub fn twilio_invite_ensure_async(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identity: &str,
        role_sid: Option<&str>,
        call: Option<&CallOptions>,
    ) -> OpFuture<(TwilioInvite, EnsureOutcome)> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let channel = try_op!(ffi::cstring(channel_sid, "channel_sid"));
        let identity = try_op!(ffi::cstring(identity, "identity"));
        let role = try_op!(ffi::opt_cstring(role_sid, "role_sid"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_invite_ensure_start(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    identity.as_ptr(),
                    ffi::opt_ptr(&role),
                    c,
                    cb,
                    ud,
                    out,
                    err,
                )
            }
        })
    }

    /// [`twilio_invite_fetch`](Self::twilio_invite_fetch) without blocking.
    pub fn twilio_invite_fetch_async(
        &self,
        service_sid: &str,
        channel_sid: &str,
        invite_sid: &str,
        call: Option<&CallOptions>,
    ) -> OpFuture<TwilioInvite> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let channel = try_op!(ffi::cstring(channel_sid, "channel_sid"));
        let sid = try_op!(ffi::cstring(invite_sid, "invite_sid"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_invite_fetch_start(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    sid.as_ptr(),
                    c,
                    cb,
                    ud,
                    out,
                    err,
                )
            }
        })
    }

    /// [`twilio_invite_list`](Self::twilio_invite_list) (one page) without blocking.
    pub fn twilio_invite_list_async(
        &self,
        service_sid: &str,
        channel_sid: &str,
        identities: &[&str],
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> OpFuture<Page<TwilioInvite>> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let channel = try_op!(ffi::cstring(channel_sid, "channel_sid"));
        let (_owned, ids) = try_op!(cstrings(identities, "identity"));
        let l = try_op!(list.to_raw());
        let ids_ptr = if ids.is_empty() { ptr::null() } else { ids.as_ptr() };
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings (`ids` points into `_owned`; the library copies
            // them), list and call options, callback and out-pointers; the page holds invites.
            unsafe {
                sys::ik_twilio_invite_list_start(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    ids_ptr,
                    ids.len(),
                    l.as_ptr(),
                    c,
                    cb,
                    ud,
                    out,
                    err,
                )
            }
        })
    }

    /// [`twilio_invite_delete`](Self::twilio_invite_delete) without blocking.
    pub fn twilio_invite_delete_async(
        &self,
        service_sid: &str,
        channel_sid: &str,
        invite_sid: &str,
        call: Option<&CallOptions>,
    ) -> OpFuture<Deletion> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let channel = try_op!(ffi::cstring(channel_sid, "channel_sid"));
        let sid = try_op!(ffi::cstring(invite_sid, "invite_sid"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_invite_delete_start(
                    self.as_ptr(),
                    service.as_ptr(),
                    channel.as_ptr(),
                    sid.as_ptr(),
                    c,
                    cb,
                    ud,
                    out,
                    err,
                )
            }
        })
    }

    /// [`twilio_user_create`](Self::twilio_user_create) without blocking.
    pub fn twilio_user_create_async(
        &self,
        service_sid: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> OpFuture<TwilioUser> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let (p, _strings) = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and its strings outlive the call (the library copies
            // them); valid call options, callback and out-pointers.
            unsafe { sys::ik_twilio_user_create_start(self.as_ptr(), service.as_ptr(), &p, c, cb, ud, out, err) }
        })
    }

    /// [`twilio_user_ensure`](Self::twilio_user_ensure) without blocking (`params.identity` is
    /// required): an [`OpFuture`] of the user found or created and the [`EnsureOutcome`].
    /// Serialized per identity with the client's other ensures, cancelled by dropping the future,
    /// as [`openai_invite_ensure_async`](Self::openai_invite_ensure_async);
    /// [`OpFuture::operation`] is `"users.ensure"`.
    ///
    /// ```no_run
    /// # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
    /// use invitekit::TwilioUserParams;
    /// let params = TwilioUserParams::create("ada").friendly_name("Ada");
    /// let (user, outcome) =
    ///     client.twilio_user_ensure_async("IS00000000000000000000000000000000", &params, None).await?;
    /// println!("{outcome}: {:?}", user.sid());
    /// # Ok(())
    /// # }
    /// ```
    pub fn twilio_user_ensure_async(
        &self,
        service_sid: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> OpFuture<(TwilioUser, EnsureOutcome)> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let (p, _strings) = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and its strings outlive the call (the library copies
            // them); valid call options, callback and out-pointers.
            unsafe { sys::ik_twilio_user_ensure_start(self.as_ptr(), service.as_ptr(), &p, c, cb, ud, out, err) }
        })
    }

    /// [`twilio_user_fetch`](Self::twilio_user_fetch) without blocking.
    pub fn twilio_user_fetch_async(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        call: Option<&CallOptions>,
    ) -> OpFuture<TwilioUser> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let who = try_op!(ffi::cstring(sid_or_identity, "sid_or_identity"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_user_fetch_start(self.as_ptr(), service.as_ptr(), who.as_ptr(), c, cb, ud, out, err)
            }
        })
    }

    /// [`twilio_user_list`](Self::twilio_user_list) (one page) without blocking.
    pub fn twilio_user_list_async(
        &self,
        service_sid: &str,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> OpFuture<Page<TwilioUser>> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let l = try_op!(list.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, a valid string, list and call options, callback and
            // out-pointers; the page holds users.
            unsafe { sys::ik_twilio_user_list_start(self.as_ptr(), service.as_ptr(), l.as_ptr(), c, cb, ud, out, err) }
        })
    }

    /// [`twilio_user_update`](Self::twilio_user_update) without blocking.
    pub fn twilio_user_update_async(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        params: &TwilioUserParams,
        call: Option<&CallOptions>,
    ) -> OpFuture<TwilioUser> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let who = try_op!(ffi::cstring(sid_or_identity, "sid_or_identity"));
        let (p, _strings) = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; valid strings, `p` and its strings (the library copies them),
            // call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_user_update_start(self.as_ptr(), service.as_ptr(), who.as_ptr(), &p, c, cb, ud, out, err)
            }
        })
    }

    /// [`twilio_user_delete`](Self::twilio_user_delete) without blocking.
    pub fn twilio_user_delete_async(
        &self,
        service_sid: &str,
        sid_or_identity: &str,
        call: Option<&CallOptions>,
    ) -> OpFuture<Deletion> {
        let service = try_op!(ffi::cstring(service_sid, "service_sid"));
        let who = try_op!(ffi::cstring(sid_or_identity, "sid_or_identity"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid strings, call options, callback and out-pointers.
            unsafe {
                sys::ik_twilio_user_delete_start(self.as_ptr(), service.as_ptr(), who.as_ptr(), c, cb, ud, out, err)
            }
        })
    }
}
