//! Fastly invitations.
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
    /// A Fastly invitation, borrowed (from a [`Page`] or an owned [`FastlyInvitation`]).
    FastlyInvitationRef => sys::ik_fastly_invitation
}

owned_handle! {
    /// An owned Fastly invitation. Dereferences to [`FastlyInvitationRef`].
    FastlyInvitation => FastlyInvitationRef, sys::ik_fastly_invitation, sys::ik_fastly_invitation_free
}

impl FastlyInvitationRef {
    str_accessors! {
        /// Invitation id.
        id => sys::ik_fastly_invitation_id;
        /// `"invitation"`.
        kind => sys::ik_fastly_invitation_type;
        /// Invited email address.
        email => sys::ik_fastly_invitation_email;
        /// Legacy role.
        role => sys::ik_fastly_invitation_role;
        /// Creation time, text as received.
        created_at => sys::ik_fastly_invitation_created_at;
        /// Update time, text as received.
        updated_at => sys::ik_fastly_invitation_updated_at;
        /// Deletion time, text as received.
        deleted_at => sys::ik_fastly_invitation_deleted_at;
        /// Customer id (`relationships.customer`).
        customer_id => sys::ik_fastly_invitation_customer_id;
    }
    time_accessors! {
        /// Creation time.
        created_at_time => sys::ik_fastly_invitation_created_at_unix;
        /// Update time.
        updated_at_time => sys::ik_fastly_invitation_updated_at_unix;
        /// Deletion time.
        deleted_at_time => sys::ik_fastly_invitation_deleted_at_unix;
    }
    i64_accessors! {
        /// `attributes.status_code` (0 inactive, 1 active).
        status_code => sys::ik_fastly_invitation_status_code;
    }
    /// `attributes.limit_services`.
    pub fn limit_services(&self) -> Option<bool> {
        // SAFETY: a live invitation.
        ffi::optbool(unsafe { sys::ik_fastly_invitation_limit_services(self.as_ptr()) })
    }
    /// IAM role ids (`attributes.roles[]`).
    pub fn roles(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        // SAFETY: a live invitation.
        let n = unsafe { sys::ik_fastly_invitation_role_count(self.as_ptr()) };
        // SAFETY: a live invitation, i in range; the string is borrowed from it.
        (0..n).map(move |i| unsafe { ffi::opt_str(sys::ik_fastly_invitation_role_at(self.as_ptr(), i)) }.unwrap_or(""))
    }
    /// Service invitation ids (`relationships.service_invitations.data[].id`).
    pub fn service_invitations(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        // SAFETY: a live invitation.
        let n = unsafe { sys::ik_fastly_invitation_service_invitation_count(self.as_ptr()) };
        (0..n).map(move |i| {
            // SAFETY: a live invitation, i in range; the string is borrowed from it.
            unsafe { ffi::opt_str(sys::ik_fastly_invitation_service_invitation_at(self.as_ptr(), i)) }.unwrap_or("")
        })
    }
    json_and_response! {
        /// The invitation's JSON (the `data` resource of a create; the item's bytes in a page body).
        raw_json => sys::ik_fastly_invitation_raw_json;
        /// Exchange metadata (rate limits: [`Response::ratelimit_remaining`](crate::Response::ratelimit_remaining)).
        response => sys::ik_fastly_invitation_response;
    }
}

impl std::fmt::Debug for FastlyInvitationRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastlyInvitation").field("id", &self.id()).field("email", &self.email()).finish_non_exhaustive()
    }
}

/// A service the invitee gets access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastlyServiceGrant {
    /// Service id.
    pub service_id: String,
    /// `"full"`, `"read_only"`, `"purge_select"` or `"purge_all"`.
    pub permission: String,
}

impl FastlyServiceGrant {
    /// A grant.
    pub fn new(service_id: impl Into<String>, permission: impl Into<String>) -> FastlyServiceGrant {
        FastlyServiceGrant { service_id: service_id.into(), permission: permission.into() }
    }
}

/// Inputs of [`Client::fastly_invitation_create`]. `None`/empty = not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FastlyInvitationCreate {
    /// Email address (required).
    pub email: String,
    /// Legacy role (user, tls_viewer, tls_admin, billing, engineer, superuser).
    pub role: Option<String>,
    /// IAM role ids.
    pub roles: Vec<String>,
    /// `limit_services`.
    pub limit_services: Option<bool>,
    /// `relationships.customer`.
    pub customer_id: Option<String>,
    /// `relationships.service_invitations`.
    pub services: Vec<FastlyServiceGrant>,
}

impl FastlyInvitationCreate {
    /// An invitation of `email` with every other field unset.
    pub fn new(email: impl Into<String>) -> FastlyInvitationCreate {
        FastlyInvitationCreate { email: email.into(), ..FastlyInvitationCreate::default() }
    }
    /// Sets the legacy role.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    fn to_raw(&self) -> Result<RawCreate, Error> {
        let email = ffi::cstring(&self.email, "email")?;
        let role = ffi::opt_cstring(self.role.as_deref(), "role")?;
        let customer = ffi::opt_cstring(self.customer_id.as_deref(), "customer_id")?;
        let roles = self.roles.iter().map(|r| ffi::cstring(r, "roles")).collect::<Result<Vec<_>, _>>()?;
        let role_ptrs: Vec<*const c_char> = roles.iter().map(|r| r.as_ptr()).collect();
        let services = self
            .services
            .iter()
            .map(|s| Ok((ffi::cstring(&s.service_id, "service_id")?, ffi::cstring(&s.permission, "permission")?)))
            .collect::<Result<Vec<(CString, CString)>, Error>>()?;
        let grants: Vec<sys::ik_fastly_service_grant> = services
            .iter()
            .map(|(id, perm)| sys::ik_fastly_service_grant { service_id: id.as_ptr(), permission: perm.as_ptr() })
            .collect();
        let mut raw = MaybeUninit::<sys::ik_fastly_invitation_create_params>::zeroed();
        ffi::call(|e| {
            // SAFETY: a valid, writable struct and version.
            unsafe {
                sys::ik_fastly_invitation_create_params_init(
                    raw.as_mut_ptr(),
                    sys::IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION,
                    e,
                )
            }
        })?;
        // SAFETY: initialised by ik_fastly_invitation_create_params_init.
        let mut p = unsafe { raw.assume_init() };
        p.email = email.as_ptr();
        p.role = ffi::opt_ptr(&role);
        p.roles = if role_ptrs.is_empty() { ptr::null() } else { role_ptrs.as_ptr() };
        p.roles_count = role_ptrs.len();
        p.limit_services = ffi::to_optbool(self.limit_services);
        p.customer_id = ffi::opt_ptr(&customer);
        p.services = if grants.is_empty() { ptr::null() } else { grants.as_ptr() };
        p.services_count = grants.len();
        // Moving the CStrings and Vecs into the holder does not move their heap buffers.
        Ok(RawCreate { raw: p, _strings: (email, role, customer, roles, services), _ptrs: (role_ptrs, grants) })
    }
}

/// An `ik_fastly_invitation_create_params` and everything it points to.
struct RawCreate {
    raw: sys::ik_fastly_invitation_create_params,
    #[allow(clippy::type_complexity)]
    _strings: (CString, Option<CString>, Option<CString>, Vec<CString>, Vec<(CString, CString)>),
    _ptrs: (Vec<*const c_char>, Vec<sys::ik_fastly_service_grant>),
}

impl Client {
    /// Creates an invitation (`POST /invitations`).
    pub fn fastly_invitation_create(
        &self,
        params: &FastlyInvitationCreate,
        call: Option<&CallOptions>,
    ) -> Result<FastlyInvitation, Error> {
        let p = params.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and everything it points to outlive the call.
                |out, err| unsafe { sys::ik_fastly_invitation_create(self.as_ptr(), &p.raw, c, out, err) },
                // SAFETY: an owned invitation.
                |o| o.map(|o| unsafe { FastlyInvitation::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Invites an email exactly once: lists the invitations for the same email (a deleted one
    /// does not count), creates one only if absent, and after an ambiguous create failure looks
    /// again. A found invitation is [`EnsureOutcome::Present`] when `role` is unset or equal and
    /// `limit_services` unset or equal.
    pub fn fastly_invitation_ensure(
        &self,
        params: &FastlyInvitationCreate,
        call: Option<&CallOptions>,
    ) -> Result<(FastlyInvitation, EnsureOutcome), Error> {
        let p = params.to_raw()?;
        let mut outcome = 0i32;
        let inv = with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and everything it points to outlive the call.
                |out, err| unsafe {
                    sys::ik_fastly_invitation_ensure(self.as_ptr(), &p.raw, c, out, &mut outcome, err)
                },
                // SAFETY: an owned invitation.
                |o| o.map(|o| unsafe { FastlyInvitation::from_owned(o) }),
            )
        })
        .and_then(required)?;
        Ok((inv, EnsureOutcome::from_code(outcome)))
    }

    /// One page of invitations (`GET /invitations?page[number]=&page[size]=`).
    pub fn fastly_invitation_list(
        &self,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> Result<Page<FastlyInvitation>, Error> {
        let l = list.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid options and out-pointers.
                |out, err| unsafe { sys::ik_fastly_invitation_list(self.as_ptr(), l.as_ptr(), c, out, err) },
                // SAFETY: an owned page of Fastly invitations.
                |o| o.map(|o| unsafe { Page::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// A pager over all invitations.
    pub fn fastly_invitation_pager(&self, list: &ListOptions) -> Result<Pager<FastlyInvitation>, Error> {
        let l = list.to_raw()?;
        // SAFETY: a live client and valid options and out-pointers.
        Pager::create(self, |out, err| unsafe { sys::ik_fastly_invitation_pager(self.as_ptr(), l.as_ptr(), out, err) })
    }

    /// Deletes an invitation (204).
    pub fn fastly_invitation_delete(&self, invitation_id: &str, call: Option<&CallOptions>) -> Result<Deletion, Error> {
        let id = ffi::cstring(invitation_id, "invitation_id")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe { sys::ik_fastly_invitation_delete(self.as_ptr(), id.as_ptr(), c, out, err) },
                // SAFETY: an owned deletion.
                |o| o.map(|o| unsafe { Deletion::from_owned(o) }),
            )
        })
        .and_then(required)
    }
}

/// Non-blocking twins of the operations: the same arguments, an [`OpFuture`] of the same result.
impl Client {
    /// [`fastly_invitation_create`](Self::fastly_invitation_create) without blocking.
    pub fn fastly_invitation_create_async(
        &self,
        params: &FastlyInvitationCreate,
        call: Option<&CallOptions>,
    ) -> OpFuture<FastlyInvitation> {
        let p = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and everything it points to outlive the call (the library
            // copies them); valid call options, callback and out-pointers.
            unsafe { sys::ik_fastly_invitation_create_start(self.as_ptr(), &p.raw, c, cb, ud, out, err) }
        })
    }

    /// [`fastly_invitation_ensure`](Self::fastly_invitation_ensure) without blocking: an
    /// [`OpFuture`] of the invitation found or created and the [`EnsureOutcome`]. Serialized per
    /// email with the client's other ensures, cancelled by dropping the future, as
    /// [`openai_invite_ensure_async`](Self::openai_invite_ensure_async);
    /// [`OpFuture::operation`] is `"invitations.ensure"`.
    ///
    /// ```no_run
    /// # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
    /// use invitekit::FastlyInvitationCreate;
    /// let params = FastlyInvitationCreate::new("ada@example.com").role("engineer");
    /// let (invitation, outcome) = client.fastly_invitation_ensure_async(&params, None).await?;
    /// println!("{outcome}: {:?}", invitation.id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn fastly_invitation_ensure_async(
        &self,
        params: &FastlyInvitationCreate,
        call: Option<&CallOptions>,
    ) -> OpFuture<(FastlyInvitation, EnsureOutcome)> {
        let p = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and everything it points to outlive the call (the library
            // copies them); valid call options, callback and out-pointers.
            unsafe { sys::ik_fastly_invitation_ensure_start(self.as_ptr(), &p.raw, c, cb, ud, out, err) }
        })
    }

    /// [`fastly_invitation_list`](Self::fastly_invitation_list) (one page) without blocking.
    pub fn fastly_invitation_list_async(
        &self,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> OpFuture<Page<FastlyInvitation>> {
        let l = try_op!(list.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid list and call options, callback and out-pointers; the
            // page holds Fastly invitations.
            unsafe { sys::ik_fastly_invitation_list_start(self.as_ptr(), l.as_ptr(), c, cb, ud, out, err) }
        })
    }

    /// [`fastly_invitation_delete`](Self::fastly_invitation_delete) without blocking.
    pub fn fastly_invitation_delete_async(
        &self,
        invitation_id: &str,
        call: Option<&CallOptions>,
    ) -> OpFuture<Deletion> {
        let id = try_op!(ffi::cstring(invitation_id, "invitation_id"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, a valid string, call options, callback and out-pointers.
            unsafe { sys::ik_fastly_invitation_delete_start(self.as_ptr(), id.as_ptr(), c, cb, ud, out, err) }
        })
    }
}
