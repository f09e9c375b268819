//! Safe Rust binding of [invitekit](https://github.com/invitekit/invitekit): one client for the
//! invitation and membership APIs of Twilio (Chat v1 Channel Invites, Chat v2 Users), OpenAI
//! (organization invites) and Fastly (invitations), over the C ABI 0.2 of `libinvitekit`.
//!
//! ```no_run
//! use invitekit::{Client, ListOptions};
//!
//! # fn main() -> Result<(), invitekit::Error> {
//! let client = Client::builder().openai_admin_key("sk-admin-...").build()?;
//! for invite in client.openai_invite_pager(&ListOptions::new().page_size(100))? {
//!     let invite = invite?;
//!     println!("{} {}", invite.email().unwrap_or("?"), invite.status().unwrap_or("?"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Ownership and lifetimes
//!
//! * A [`Client`] is a cheap, cloneable handle (`Arc` inside) that is `Send + Sync`: the C client
//!   is documented thread-safe for every operation, so one client serves every thread.
//! * Results of single-object calls ([`OpenAiInvite`], [`TwilioInvite`], [`TwilioUser`],
//!   [`FastlyInvitation`], [`Deletion`]) and [`Page`]s are owned, immutable, `Send + Sync`, and
//!   independent of the client. Owned items dereference to their borrowed view
//!   ([`OpenAiInviteRef`], …), which is also what a page lends out, tied to the page's lifetime.
//! * A [`Pager`] holds a clone of its [`Client`], so the client, its pagers and every result can
//!   be dropped in any order; the C client is freed when the last of them goes.
//!
//! # Errors
//!
//! Every fallible call returns `Result<_, `[`Error`]`>`; the error is copied out of the C error
//! object (status, HTTP status, provider code and message, request id, headers, retry delay, …)
//! before that object is freed.
//!
//! # Callbacks
//!
//! Log and retry callbacks are closures ([`ClientBuilder::log_callback`],
//! [`ClientBuilder::retry_callback`]). They run on the thread that made the call (for a
//! non-blocking operation: on the client's I/O thread); a panic inside one is caught at the C
//! boundary, the call is stopped (a retry callback's veto) and the panic resumes once the C
//! function has returned (for a non-blocking operation: in the poll of the client's next future
//! that completes).
//!
//! # Exactly-once creates
//!
//! `openai_invite_ensure`, `twilio_invite_ensure`, `twilio_user_ensure` and
//! `fastly_invitation_ensure` look the person up, create only when absent, look again after an
//! ambiguous failure, and return the object with an [`EnsureOutcome`]. Their non-blocking twins
//! (`openai_invite_ensure_async`, …) return an [`OpFuture`] of the same pair. Ensures of one
//! client for the same person, blocking and non-blocking alike, run one after another in the
//! order they were started, so exactly one of them creates; one waiting for its turn holds no
//! thread, and dropping its future cancels it.
//!
//! ```no_run
//! # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
//! use invitekit::{EnsureOutcome, OpenAiInviteCreate};
//! let params = OpenAiInviteCreate::new("ada@example.com", "reader");
//! let a = client.openai_invite_ensure_async(&params, None);
//! let b = client.openai_invite_ensure_async(&params, None);
//! let ((first, created), (second, present)) = (a.await?, b.await?);
//! assert_eq!((created, present), (EnsureOutcome::Created, EnsureOutcome::Present));
//! assert_eq!(first.id(), second.id());
//! # Ok(())
//! # }
//! ```
//!
//! # Non-blocking calls
//!
//! Every operation has a twin ending in `_async` (`openai_invite_create_async`, …, and
//! [`Pager::next_page_async`]) that starts the request on the client's I/O thread and returns an
//! [`OpFuture`]: a std `Future` woken by the C library's completion callback, usable from any
//! executor (no runtime crate needed), `Send` and `'static`. Dropping it before it completes
//! cancels the operation. Hosts with their own event loop can build the client with
//! [`CompletionMode::Queued`] and run completions with [`Client::dispatch`] when
//! [`Client::completion_fd`] is readable.
//!
//! ```no_run
//! # async fn demo(client: &invitekit::Client) -> Result<(), invitekit::Error> {
//! use invitekit::OpenAiInviteCreate;
//! let a = client.openai_invite_create_async(&OpenAiInviteCreate::new("a@example.com", "reader"), None);
//! let b = client.openai_invite_create_async(&OpenAiInviteCreate::new("b@example.com", "reader"), None);
//! // Both requests are in flight now.
//! let (a, b) = (a.await?, b.await?);
//! println!("{:?} {:?}", a.id(), b.id());
//! # Ok(())
//! # }
//! ```
//!
//! # Linking
//!
//! `invitekit-sys`'s build script finds `libinvitekit` through `INVITEKIT_LIB_DIR`, then
//! `pkg-config --libs invitekit`, then a bare `-linvitekit`. With `INVITEKIT_STATIC=1` it links
//! `libinvitekit.a` into the program and the library's own dependencies (libcurl, simdjson,
//! libstdc++, pthread) as the system's shared libraries, named by pkg-config
//! (`--print-requires-private invitekit`, then the plain `--libs` of those packages) or, without
//! pkg-config, from a fixed list; the program then needs no `libinvitekit.so` at run time. See the
//! `invitekit-sys` crate and `bindings/rust/README.md`.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub use invitekit_sys as sys;

mod cancel;
mod client;
mod ensure;
mod error;
mod fastly;
mod ffi;
mod op;
mod openai;
mod options;
mod page;
mod panic;
mod response;
mod twilio;
mod version;

pub use cancel::CancelToken;
pub use client::{Client, ClientBuilder};
pub use ensure::EnsureOutcome;
pub use error::{CancelledBy, Error, Provider, Status};
pub use fastly::{FastlyInvitation, FastlyInvitationCreate, FastlyInvitationRef, FastlyServiceGrant};
pub use op::{NextPageFuture, OpFuture};
pub use openai::{OpenAiInvite, OpenAiInviteCreate, OpenAiInviteRef, OpenAiProject, OpenAiProjectRef};
pub use options::{CallOptions, CompletionMode, Jitter, ListOptions, LogLevel, LogRecord, RetryInfo, ServerWaitPolicy};
pub use page::{Kind, Page, PageItems, Pager, Pages};
pub use response::{Deletion, DeletionRef, Headers, Response};
pub use twilio::{TwilioInvite, TwilioInviteRef, TwilioUser, TwilioUserParams, TwilioUserRef};
pub use version::{
    Features, abi_version, check_abi, default_max_response_bytes, features, global_init, libcurl_version, version,
    version_number, version_string,
};
