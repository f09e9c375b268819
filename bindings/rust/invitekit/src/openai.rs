//! OpenAI organization invites.
use std::ffi::CString;
use std::mem::MaybeUninit;
use std::ptr;

use crate::client::Client;
use crate::ensure::EnsureOutcome;
use crate::error::Error;
use crate::ffi;
use crate::op::{self, OpFuture, try_op};
use crate::options::{CallOptions, ListOptions, with_call};
use crate::page::{Page, Pager};
use crate::response::{Deletion, borrowed_view, json_and_response, owned_handle, str_accessors, time_accessors};
use crate::sys;

borrowed_view! {
    /// An OpenAI organization invite, borrowed: from a [`Page`] (for the page's lifetime) or from
    /// an owned [`OpenAiInvite`] (through `Deref`).
    OpenAiInviteRef => sys::ik_openai_invite
}

owned_handle! {
    /// An owned OpenAI organization invite (from create, retrieve or a pager). Dereferences to
    /// [`OpenAiInviteRef`], where the accessors are.
    OpenAiInvite => OpenAiInviteRef, sys::ik_openai_invite, sys::ik_openai_invite_free
}

/// A project of an invite, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAiProjectRef<'a> {
    /// Project id.
    pub id: Option<&'a str>,
    /// `"member"` or `"owner"`.
    pub role: Option<&'a str>,
}

impl OpenAiInviteRef {
    str_accessors! {
        /// `"organization.invite"`.
        object => sys::ik_openai_invite_object;
        /// The invite id (`invite-…`).
        id => sys::ik_openai_invite_id;
        /// The invited email address.
        email => sys::ik_openai_invite_email;
        /// `"owner"` or `"reader"`.
        role => sys::ik_openai_invite_role;
        /// `"accepted"`, `"expired"` or `"pending"`.
        status => sys::ik_openai_invite_status;
    }
    time_accessors! {
        /// When the invite was created (also read from the older `invited_at`).
        created_at => sys::ik_openai_invite_created_at_unix;
        /// When the invite expires.
        expires_at => sys::ik_openai_invite_expires_at_unix;
        /// When the invite was accepted.
        accepted_at => sys::ik_openai_invite_accepted_at_unix;
    }
    /// Number of projects (an absent `projects` field reads as none; see
    /// [`has_projects`](Self::has_projects)).
    pub fn project_count(&self) -> usize {
        // SAFETY: a live invite.
        unsafe { sys::ik_openai_invite_project_count(self.as_ptr()) }
    }
    /// Project `i`.
    pub fn project(&self, i: usize) -> Option<OpenAiProjectRef<'_>> {
        let (mut id, mut role) = (ptr::null(), ptr::null());
        // SAFETY: a live invite and valid out-pointers; the strings are borrowed from the invite.
        unsafe {
            (sys::ik_openai_invite_project_at(self.as_ptr(), i, &mut id, &mut role) == 1)
                .then(|| OpenAiProjectRef { id: ffi::opt_str(id), role: ffi::opt_str(role) })
        }
    }
    /// Every project.
    pub fn projects(&self) -> impl ExactSizeIterator<Item = OpenAiProjectRef<'_>> + '_ {
        (0..self.project_count()).map(move |i| self.project(i).unwrap_or(OpenAiProjectRef { id: None, role: None }))
    }
    /// Whether the response carried a `projects` field at all.
    pub fn has_projects(&self) -> bool {
        // SAFETY: a live invite.
        unsafe { sys::ik_openai_invite_has_projects(self.as_ptr()) != 0 }
    }
    json_and_response! {
        /// The invite's JSON: the whole body for a single-object result, the item's own bytes for an
        /// item of a page.
        raw_json => sys::ik_openai_invite_raw_json;
        /// Exchange metadata (for a page item: the page's).
        response => sys::ik_openai_invite_response;
    }
}

impl std::fmt::Debug for OpenAiInviteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiInvite")
            .field("id", &self.id())
            .field("email", &self.email())
            .field("role", &self.role())
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

/// A project an invited user joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAiProject {
    /// Project id.
    pub id: String,
    /// `"member"` or `"owner"`.
    pub role: String,
}

impl OpenAiProject {
    /// A project and the role in it.
    pub fn new(id: impl Into<String>, role: impl Into<String>) -> OpenAiProject {
        OpenAiProject { id: id.into(), role: role.into() }
    }
}

/// Inputs of [`Client::openai_invite_create`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenAiInviteCreate {
    /// Email address to invite (required).
    pub email: String,
    /// `"reader"` or `"owner"` (required).
    pub role: String,
    /// `None` omits `projects` (the user joins the default project); `Some(vec![])` sends an empty
    /// array (no project at all).
    pub projects: Option<Vec<OpenAiProject>>,
}

impl OpenAiInviteCreate {
    /// An invite without the `projects` field.
    pub fn new(email: impl Into<String>, role: impl Into<String>) -> OpenAiInviteCreate {
        OpenAiInviteCreate { email: email.into(), role: role.into(), projects: None }
    }
    /// Sends `projects` (possibly empty).
    pub fn projects(mut self, projects: Vec<OpenAiProject>) -> Self {
        self.projects = Some(projects);
        self
    }

    fn to_raw(&self) -> Result<RawCreate, Error> {
        let email = ffi::cstring(&self.email, "email")?;
        let role = ffi::cstring(&self.role, "role")?;
        let projects = self
            .projects
            .iter()
            .flatten()
            .map(|p| Ok((ffi::cstring(&p.id, "project id")?, ffi::cstring(&p.role, "project role")?)))
            .collect::<Result<Vec<(CString, CString)>, Error>>()?;
        let refs: Vec<sys::ik_openai_project_ref> = projects
            .iter()
            .map(|(id, role)| sys::ik_openai_project_ref { id: id.as_ptr(), role: role.as_ptr() })
            .collect();
        let mut raw = MaybeUninit::<sys::ik_openai_invite_create_params>::zeroed();
        ffi::call(|e| {
            // SAFETY: a valid, writable struct and version.
            unsafe {
                sys::ik_openai_invite_create_params_init(
                    raw.as_mut_ptr(),
                    sys::IK_OPENAI_INVITE_CREATE_PARAMS_VERSION,
                    e,
                )
            }
        })?;
        // SAFETY: initialised by ik_openai_invite_create_params_init.
        let mut p = unsafe { raw.assume_init() };
        p.email = email.as_ptr();
        p.role = role.as_ptr();
        p.send_projects = ffi::to_optbool(self.projects.as_ref().map(|_| true));
        p.projects = if refs.is_empty() { ptr::null() } else { refs.as_ptr() };
        p.projects_count = refs.len();
        // Moving the CStrings and Vecs into the holder does not move their heap buffers.
        Ok(RawCreate { raw: p, _strings: (email, role, projects), _refs: refs })
    }
}

/// An `ik_openai_invite_create_params` and everything it points to.
struct RawCreate {
    raw: sys::ik_openai_invite_create_params,
    _strings: (CString, CString, Vec<(CString, CString)>),
    _refs: Vec<sys::ik_openai_project_ref>,
}

impl Client {
    /// Invites a user (`POST /organization/invites`). Not retried after an ambiguous failure
    /// unless enabled.
    pub fn openai_invite_create(
        &self,
        params: &OpenAiInviteCreate,
        call: Option<&CallOptions>,
    ) -> Result<OpenAiInvite, Error> {
        let p = params.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and the strings it points to outlive the call.
                |out, err| unsafe { sys::ik_openai_invite_create(self.as_ptr(), &p.raw, c, out, err) },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { OpenAiInvite::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// Invites a user exactly once: looks for an invite with the same email (an expired one does
    /// not count), creates one only when none is found, and after an ambiguous create failure (or
    /// a 409) looks again (at most 3 rounds). Returns the invite found or created and what
    /// happened. Calls on one client for the same email are serialized; nothing prevents two
    /// creates across clients or processes.
    pub fn openai_invite_ensure(
        &self,
        params: &OpenAiInviteCreate,
        call: Option<&CallOptions>,
    ) -> Result<(OpenAiInvite, EnsureOutcome), Error> {
        let p = params.to_raw()?;
        let mut outcome = 0i32;
        let inv = with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client; `p` and its strings outlive the call; valid out-pointers.
                |out, err| unsafe { sys::ik_openai_invite_ensure(self.as_ptr(), &p.raw, c, out, &mut outcome, err) },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { OpenAiInvite::from_owned(o) }),
            )
        })
        .and_then(required)?;
        Ok((inv, EnsureOutcome::from_code(outcome)))
    }

    /// Retrieves an invite by id (`GET /organization/invites/{invite_id}`).
    pub fn openai_invite_retrieve(&self, invite_id: &str, call: Option<&CallOptions>) -> Result<OpenAiInvite, Error> {
        let id = ffi::cstring(invite_id, "invite_id")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe { sys::ik_openai_invite_retrieve(self.as_ptr(), id.as_ptr(), c, out, err) },
                // SAFETY: an owned invite.
                |o| o.map(|o| unsafe { OpenAiInvite::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// One page of invites (`GET /organization/invites?limit=&after=`); `max_items` is ignored.
    pub fn openai_invite_list(
        &self,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> Result<Page<OpenAiInvite>, Error> {
        let l = list.to_raw()?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid options and out-pointers.
                |out, err| unsafe { sys::ik_openai_invite_list(self.as_ptr(), l.as_ptr(), c, out, err) },
                // SAFETY: an owned page of OpenAI invites.
                |o| o.map(|o| unsafe { Page::from_owned(o) }),
            )
        })
        .and_then(required)
    }

    /// A pager over all invites.
    pub fn openai_invite_pager(&self, list: &ListOptions) -> Result<Pager<OpenAiInvite>, Error> {
        let l = list.to_raw()?;
        // SAFETY: a live client and valid options and out-pointers.
        Pager::create(self, |out, err| unsafe { sys::ik_openai_invite_pager(self.as_ptr(), l.as_ptr(), out, err) })
    }

    /// Deletes an invite (`DELETE /organization/invites/{invite_id}`); an accepted invite cannot
    /// be deleted.
    pub fn openai_invite_delete(&self, invite_id: &str, call: Option<&CallOptions>) -> Result<Deletion, Error> {
        let id = ffi::cstring(invite_id, "invite_id")?;
        with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live client and valid strings and out-pointers.
                |out, err| unsafe { sys::ik_openai_invite_delete(self.as_ptr(), id.as_ptr(), c, out, err) },
                // SAFETY: an owned deletion.
                |o| o.map(|o| unsafe { Deletion::from_owned(o) }),
            )
        })
        .and_then(required)
    }
}

/// Non-blocking twins of the operations: the same arguments, an [`OpFuture`] of the same result.
impl Client {
    /// [`openai_invite_create`](Self::openai_invite_create) without blocking.
    pub fn openai_invite_create_async(
        &self,
        params: &OpenAiInviteCreate,
        call: Option<&CallOptions>,
    ) -> OpFuture<OpenAiInvite> {
        let p = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and the strings it points to outlive the call (the library
            // copies them); valid call options, callback and out-pointers.
            unsafe { sys::ik_openai_invite_create_start(self.as_ptr(), &p.raw, c, cb, ud, out, err) }
        })
    }

    /// [`openai_invite_ensure`](Self::openai_invite_ensure) without blocking: an [`OpFuture`] of
    /// the invite found or created and the [`EnsureOutcome`].
    ///
    /// The same rounds as the blocking call (look up, create only if absent, look again after an
    /// ambiguous create or a 409), each request sent by the client's I/O thread, and the same
    /// errors. Ensures of one client for the same email, blocking and non-blocking alike, run one
    /// after another in the order they were started, so exactly one of them creates. An ensure
    /// waiting for its turn holds no thread; dropping its future (or [`OpFuture::cancel`]) ends
    /// it with [`Status::Cancelled`](crate::Status::Cancelled) before it sends anything.
    /// [`OpFuture::operation`] is `"invites.ensure"`.
    ///
    /// ```no_run
    /// # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
    /// use invitekit::{EnsureOutcome, OpenAiInviteCreate};
    /// let params = OpenAiInviteCreate::new("ada@example.com", "reader");
    /// let (invite, outcome) = client.openai_invite_ensure_async(&params, None).await?;
    /// match outcome {
    ///     EnsureOutcome::Created | EnsureOutcome::Recovered => println!("invited: {:?}", invite.id()),
    ///     _ => println!("already invited ({outcome}): {:?}", invite.id()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn openai_invite_ensure_async(
        &self,
        params: &OpenAiInviteCreate,
        call: Option<&CallOptions>,
    ) -> OpFuture<(OpenAiInvite, EnsureOutcome)> {
        let p = try_op!(params.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client; `p` and the strings it points to outlive the call (the library
            // copies them); valid call options, callback and out-pointers.
            unsafe { sys::ik_openai_invite_ensure_start(self.as_ptr(), &p.raw, c, cb, ud, out, err) }
        })
    }

    /// [`openai_invite_retrieve`](Self::openai_invite_retrieve) without blocking.
    pub fn openai_invite_retrieve_async(&self, invite_id: &str, call: Option<&CallOptions>) -> OpFuture<OpenAiInvite> {
        let id = try_op!(ffi::cstring(invite_id, "invite_id"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, a valid string, call options, callback and out-pointers.
            unsafe { sys::ik_openai_invite_retrieve_start(self.as_ptr(), id.as_ptr(), c, cb, ud, out, err) }
        })
    }

    /// [`openai_invite_list`](Self::openai_invite_list) (one page) without blocking.
    pub fn openai_invite_list_async(
        &self,
        list: &ListOptions,
        call: Option<&CallOptions>,
    ) -> OpFuture<Page<OpenAiInvite>> {
        let l = try_op!(list.to_raw());
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, valid list and call options, callback and out-pointers; the
            // page holds OpenAI invites.
            unsafe { sys::ik_openai_invite_list_start(self.as_ptr(), l.as_ptr(), c, cb, ud, out, err) }
        })
    }

    /// [`openai_invite_delete`](Self::openai_invite_delete) without blocking.
    pub fn openai_invite_delete_async(&self, invite_id: &str, call: Option<&CallOptions>) -> OpFuture<Deletion> {
        let id = try_op!(ffi::cstring(invite_id, "invite_id"));
        op::start(Some(self), self.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live client, a valid string, call options, callback and out-pointers.
            unsafe { sys::ik_openai_invite_delete_start(self.as_ptr(), id.as_ptr(), c, cb, ud, out, err) }
        })
    }
}

/// A successful call that must have written its object.
pub(crate) fn required<T>(v: Option<T>) -> Result<T, Error> {
    v.ok_or_else(|| Error::local(crate::error::Status::Internal, "the library reported success but returned no object"))
}
