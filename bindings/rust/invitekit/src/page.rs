//! Pages and pagers.
use std::marker::PhantomData;
use std::ptr::NonNull;

use crate::client::Client;
use crate::error::{Error, Status};
use crate::fastly::{FastlyInvitation, FastlyInvitationRef};
use crate::ffi;
use crate::op::{self, NextPageFuture, OpFuture};
use crate::openai::{OpenAiInvite, OpenAiInviteRef};
use crate::options::{CallOptions, with_call};
use crate::response::json_and_response;
use crate::sys;
use crate::twilio::{TwilioInvite, TwilioInviteRef, TwilioUser, TwilioUserRef};

/// The kind of item a page, a pager or a deletion is about (`IK_KIND_*`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// None.
    None,
    /// OpenAI organization invites.
    OpenAiInvite,
    /// Twilio Chat v1 channel invites.
    TwilioInvite,
    /// Twilio Chat v2 users.
    TwilioUser,
    /// Fastly invitations.
    FastlyInvitation,
    /// A kind this binding does not know.
    Other(i32),
}

impl Kind {
    /// The kind for a C code.
    pub fn from_code(code: i32) -> Kind {
        match code {
            sys::IK_KIND_NONE => Kind::None,
            sys::IK_KIND_OPENAI_INVITE => Kind::OpenAiInvite,
            sys::IK_KIND_TWILIO_INVITE => Kind::TwilioInvite,
            sys::IK_KIND_TWILIO_USER => Kind::TwilioUser,
            sys::IK_KIND_FASTLY_INVITATION => Kind::FastlyInvitation,
            c => Kind::Other(c),
        }
    }
    /// The C code (`IK_KIND_*`).
    pub fn code(self) -> i32 {
        match self {
            Kind::None => sys::IK_KIND_NONE,
            Kind::OpenAiInvite => sys::IK_KIND_OPENAI_INVITE,
            Kind::TwilioInvite => sys::IK_KIND_TWILIO_INVITE,
            Kind::TwilioUser => sys::IK_KIND_TWILIO_USER,
            Kind::FastlyInvitation => sys::IK_KIND_FASTLY_INVITATION,
            Kind::Other(c) => c,
        }
    }
}

/// One page of a list, holding items of type `T` ([`OpenAiInvite`], [`TwilioInvite`],
/// [`TwilioUser`] or [`FastlyInvitation`]). Owned, immutable, `Send + Sync`, independent of the
/// client. Items are lent out as borrowed views ([`get`](Page::get), [`iter`](Page::iter)) that
/// live as long as the page.
pub struct Page<T> {
    raw: NonNull<sys::ik_page>,
    _items: PhantomData<fn() -> T>,
}

// SAFETY: pages are immutable and may be read, shared and freed from any thread (pager.h: "Pages
// and items are immutable and thread-safe").
unsafe impl<T> Send for Page<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Page<T> {}

impl<T> Drop for Page<T> {
    fn drop(&mut self) {
        // SAFETY: we own the page; items borrowed from it cannot outlive `self`.
        unsafe { sys::ik_page_free(self.raw.as_ptr()) }
    }
}

macro_rules! page_str {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> Option<&str> {
            // SAFETY: a live page; the string is borrowed from it.
            unsafe { ffi::opt_str($f(self.as_ptr())) }
        }
    )*};
}

macro_rules! page_i64 {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> Option<i64> {
            // SAFETY: a live page; `o` is a valid out-pointer.
            ffi::opt_i64(|o| unsafe { $f(self.as_ptr(), o) })
        }
    )*};
}

impl<T> Page<T> {
    /// # Safety
    /// `p` is a page the caller owns whose items are of type `T`.
    pub(crate) unsafe fn from_owned(p: NonNull<sys::ik_page>) -> Page<T> {
        Page { raw: p, _items: PhantomData }
    }

    fn as_ptr(&self) -> *const sys::ik_page {
        self.raw.as_ptr()
    }

    /// Kind of the items.
    pub fn kind(&self) -> Kind {
        // SAFETY: a live page.
        Kind::from_code(unsafe { sys::ik_page_kind(self.as_ptr()) })
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        // SAFETY: a live page.
        unsafe { sys::ik_page_count(self.as_ptr()) }
    }
    /// Whether the page holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// A resumable cursor (for [`ListOptions::cursor`](crate::ListOptions::cursor)) from which a
    /// new pager delivers this page's items from `index` on, then the rest of the list: a checkpoint
    /// in the middle of a page. `index == len()` is where the page ends: the first item a
    /// `max_items` stop left out, else the next page, or the empty string when the list ends here.
    /// [`Status::InvalidArgument`] when `index > len()` (library 0.2.3: `ik_page_item_cursor`).
    pub fn item_cursor(&self, index: usize) -> Result<String, Error> {
        let mut buf = ffi::Buf::new();
        // SAFETY: a live page and a valid, initialised ik_buf.
        ffi::call(|e| unsafe { sys::ik_page_item_cursor(self.as_ptr(), index, buf.as_mut_ptr(), e) })?;
        Ok(String::from_utf8_lossy(buf.as_bytes()).into_owned())
    }
    /// Whether the provider says another page follows.
    pub fn has_more(&self) -> bool {
        // SAFETY: a live page.
        unsafe { sys::ik_page_has_more(self.as_ptr()) != 0 }
    }
    page_str! {
        /// Opaque cursor of the next page (for [`ListOptions::cursor`](crate::ListOptions::cursor)),
        /// `None` on the last page.
        next_cursor => sys::ik_page_next_cursor;
        /// OpenAI `first_id` (`None` for other kinds).
        openai_first_id => sys::ik_page_openai_first_id;
        /// OpenAI `last_id`.
        openai_last_id => sys::ik_page_openai_last_id;
        /// Twilio `meta.key`.
        twilio_key => sys::ik_page_twilio_key;
        /// Twilio `meta.url`.
        twilio_url => sys::ik_page_twilio_url;
        /// Twilio `meta.first_page_url`.
        twilio_first_page_url => sys::ik_page_twilio_first_page_url;
        /// Twilio `meta.previous_page_url`.
        twilio_previous_page_url => sys::ik_page_twilio_previous_page_url;
        /// Twilio `meta.next_page_url`.
        twilio_next_page_url => sys::ik_page_twilio_next_page_url;
        /// Fastly `links.first`.
        fastly_link_first => sys::ik_page_fastly_link_first;
        /// Fastly `links.last`.
        fastly_link_last => sys::ik_page_fastly_link_last;
        /// Fastly `links.prev`.
        fastly_link_prev => sys::ik_page_fastly_link_prev;
        /// Fastly `links.next`.
        fastly_link_next => sys::ik_page_fastly_link_next;
    }
    page_i64! {
        /// Twilio `meta.page`.
        twilio_page => sys::ik_page_twilio_page;
        /// Twilio `meta.page_size`.
        twilio_page_size => sys::ik_page_twilio_page_size;
        /// Fastly `meta.current_page`.
        fastly_current_page => sys::ik_page_fastly_current_page;
        /// Fastly `meta.per_page`.
        fastly_per_page => sys::ik_page_fastly_per_page;
        /// Fastly `meta.record_count`.
        fastly_record_count => sys::ik_page_fastly_record_count;
        /// Fastly `meta.total_pages`.
        fastly_total_pages => sys::ik_page_fastly_total_pages;
    }
    json_and_response! {
        /// The whole response body of this page, exactly as received.
        raw_json => sys::ik_page_raw_json;
        /// Exchange metadata.
        response => sys::ik_page_response;
    }
    /// Identifier of item `i`, whatever its kind (OpenAI `id`, Twilio `sid`, Fastly `id`).
    pub fn item_id(&self, i: usize) -> Option<&str> {
        // SAFETY: a live page; out-of-range indexes give NULL.
        unsafe { ffi::opt_str(sys::ik_page_item_id(self.as_ptr(), i)) }
    }
    /// The JSON of item `i`, exactly the bytes of the page body (not NUL-terminated).
    pub fn item_raw_json(&self, i: usize) -> Option<&[u8]> {
        // SAFETY: a live page; the bytes are borrowed from it.
        unsafe { ffi::bytes(|d, l| sys::ik_page_item_raw_json(self.as_ptr(), i, d, l)) }
    }
    /// The identifiers of every item, in order.
    pub fn item_ids(&self) -> impl ExactSizeIterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(move |i| self.item_id(i))
    }
}

impl<T> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("kind", &self.kind())
            .field("len", &self.len())
            .field("has_more", &self.has_more())
            .finish_non_exhaustive()
    }
}

/// Iterator over the borrowed items of a [`Page`].
#[derive(Debug)]
pub struct PageItems<'a, T> {
    page: &'a Page<T>,
    next: usize,
    len: usize,
}

/// A pager over a whole list: item by item (it is an `Iterator<Item = Result<T, Error>>`) or page
/// by page ([`next_page`](Pager::next_page), [`pages`](Pager::pages)). It holds at most one page
/// in memory, stops exactly at [`ListOptions::max_items`](crate::ListOptions::max_items), and can
/// be resumed elsewhere from its [`cursor`](Pager::cursor).
///
/// **Lifetime**: the pager holds a clone of its [`Client`] (which is an `Arc`), so the client
/// value you built may be dropped first; the C client is freed after the last pager. Items a pager
/// yields are owned and outlive it.
///
/// **Threads**: `Send` (a pager may move between threads) but not `Sync`: it is a cursor, used by
/// one thread at a time.
///
/// **Errors**: when fetching a page fails, the iterator yields the error once and then ends (so
/// that `count()`, `filter_map(Result::ok)` and the like cannot loop on a persistent failure). The
/// pager itself stays where it was: [`next_item`](Pager::next_item) /
/// [`next_page`](Pager::next_page) retry the same page, and once one of them succeeds the iterator
/// goes on.
pub struct Pager<T> {
    raw: NonNull<sys::ik_pager>,
    client: Client,
    call: Option<CallOptions>,
    /// The iterator yielded an error and ends until an explicit call succeeds.
    stopped: bool,
    _items: PhantomData<fn() -> T>,
}

// SAFETY: pager.h: "A pager is a cursor: use it from one thread at a time (it may move between
// threads)". Not Sync: `&Pager` is not shared (NonNull keeps the auto trait off).
unsafe impl<T> Send for Pager<T> {}

impl<T> Drop for Pager<T> {
    fn drop(&mut self) {
        // SAFETY: we own the pager; it drops its own reference to the C client (any order is safe,
        // and our `client` field is dropped after this, so no free races with a call anyway).
        unsafe { sys::ik_pager_free(self.raw.as_ptr()) }
    }
}

impl<T> Pager<T> {
    /// Makes a pager with `create`, a call to one of the `ik_*_pager` functions.
    pub(crate) fn create(
        client: &Client,
        create: impl FnOnce(*mut *mut sys::ik_pager, *mut *mut sys::ik_error) -> sys::ik_status,
    ) -> Result<Pager<T>, Error> {
        let raw = ffi::call_out(create, |raw| raw)?
            .ok_or_else(|| Error::local(Status::Internal, "the library returned no pager"))?;
        Ok(Pager { raw, client: client.clone(), call: None, stopped: false, _items: PhantomData })
    }

    fn as_ptr(&self) -> *const sys::ik_pager {
        self.raw.as_ptr()
    }

    /// The client the pager uses.
    pub fn client(&self) -> &Client {
        &self.client
    }
    /// Kind of the items.
    pub fn kind(&self) -> Kind {
        // SAFETY: a live pager.
        Kind::from_code(unsafe { sys::ik_pager_kind(self.as_ptr()) })
    }
    /// Items delivered so far (by items and by pages).
    pub fn items_delivered(&self) -> u64 {
        // SAFETY: a live pager.
        u64::try_from(unsafe { sys::ik_pager_items_delivered(self.as_ptr()) }).unwrap_or(0)
    }
    /// Whether the iteration is over.
    pub fn is_done(&self) -> bool {
        // SAFETY: a live pager.
        unsafe { sys::ik_pager_done(self.as_ptr()) != 0 }
    }
    /// A resumable cursor: pass it to [`ListOptions::cursor`](crate::ListOptions::cursor) to
    /// continue exactly where this pager stopped (mid-page and after a `max_items` stop too).
    /// Empty once the whole list has been read.
    pub fn cursor(&self) -> Result<String, Error> {
        let mut buf = ffi::Buf::new();
        // SAFETY: a live pager and a valid, initialised ik_buf.
        ffi::call(|e| unsafe { sys::ik_pager_cursor(self.as_ptr(), buf.as_mut_ptr(), e) })?;
        Ok(String::from_utf8_lossy(buf.as_bytes()).into_owned())
    }

    /// Sets the call options used by the `Iterator` implementation, [`next_page`](Self::next_page)
    /// and [`pages`](Self::pages) (deadline, cancel token, extra headers…).
    pub fn set_call_options(&mut self, opts: Option<CallOptions>) {
        self.call = opts;
    }
    /// As [`set_call_options`](Self::set_call_options), builder style.
    pub fn with_call_options(mut self, opts: CallOptions) -> Self {
        self.call = Some(opts);
        self
    }

    /// The next page (`None` when the iteration is over), with the stored call options.
    pub fn next_page(&mut self) -> Result<Option<Page<T>>, Error> {
        let call = self.call.take();
        let r = self.next_page_with(call.as_ref());
        self.call = call;
        r
    }

    /// The next page with explicit call options.
    pub fn next_page_with(&mut self, call: Option<&CallOptions>) -> Result<Option<Page<T>>, Error> {
        let pager = self.raw.as_ptr();
        let r = with_call(call, |c| {
            ffi::call_out(
                // SAFETY: a live pager used by this thread only (&mut self); valid out-pointers.
                |out, err| unsafe { sys::ik_pager_next_page(pager, c, out, err) },
                // SAFETY: an owned page of this pager's kind.
                |p| p.map(|p| unsafe { Page::from_owned(p) }),
            )
        });
        self.stopped = r.is_err();
        r
    }
}

impl<T: 'static> Pager<T> {
    /// The next page without blocking (`None` when the iteration is over), with the stored call
    /// options. The pager is borrowed until the future completes; see [`NextPageFuture`].
    pub fn next_page_async(&mut self) -> NextPageFuture<'_, T> {
        let call = self.call.take();
        let op = self.start_next_page(call.as_ref());
        self.call = call;
        NextPageFuture::new(op, self)
    }

    /// [`next_page_async`](Self::next_page_async) with explicit call options.
    pub fn next_page_with_async(&mut self, call: Option<&CallOptions>) -> NextPageFuture<'_, T> {
        let op = self.start_next_page(call);
        NextPageFuture::new(op, self)
    }

    fn start_next_page(&mut self, call: Option<&CallOptions>) -> OpFuture<Option<Page<T>>> {
        let pager = self.raw.as_ptr();
        op::start(None, self.client.panics(), call, |c, cb, ud, out, err| {
            // SAFETY: a live pager used by this thread only (&mut self, borrowed by the returned
            // future until it completes); valid call options, callback and out-pointers. The
            // pages it produces are of this pager's kind T.
            unsafe { sys::ik_pager_next_page_start(pager, c, cb, ud, out, err) }
        })
    }
}

impl<T> Pager<T> {
    pub(crate) fn set_stopped(&mut self, stopped: bool) {
        self.stopped = stopped;
    }

    /// One step of an iterator: ends after an error (see the type's documentation).
    fn iterate<R>(&mut self, step: impl FnOnce(&mut Self) -> Result<Option<R>, Error>) -> Option<Result<R, Error>> {
        if self.stopped {
            return None;
        }
        step(self).transpose()
    }

    /// Iterates page by page (with the stored call options).
    pub fn pages(&mut self) -> Pages<'_, T> {
        Pages { pager: self }
    }
}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("kind", &self.kind())
            .field("items_delivered", &self.items_delivered())
            .field("done", &self.is_done())
            .finish_non_exhaustive()
    }
}

/// Page-by-page iterator of a [`Pager`]: `Iterator<Item = Result<Page<T>, Error>>`.
#[derive(Debug)]
pub struct Pages<'a, T> {
    pager: &'a mut Pager<T>,
}

impl<T> Iterator for Pages<'_, T> {
    type Item = Result<Page<T>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.pager.iterate(Pager::next_page)
    }
}

macro_rules! kind_impls {
    ($owned:ident, $view:ident, $at:path, $next:path) => {
        impl Page<$owned> {
            /// Item `i`, borrowed from the page.
            pub fn get(&self, i: usize) -> Option<&$view> {
                // SAFETY: a live page of this kind; out-of-range indexes give NULL.
                let p = unsafe { $at(self.as_ptr(), i) };
                // SAFETY: a non-NULL item borrowed from the page, which outlives the reference.
                (!p.is_null()).then(|| unsafe { $view::from_ptr(p) })
            }
            /// The items, borrowed from the page.
            pub fn iter(&self) -> PageItems<'_, $owned> {
                PageItems { page: self, next: 0, len: self.len() }
            }
        }

        impl<'a> Iterator for PageItems<'a, $owned> {
            type Item = &'a $view;
            fn next(&mut self) -> Option<&'a $view> {
                while self.next < self.len {
                    self.next += 1;
                    if let Some(item) = self.page.get(self.next - 1) {
                        return Some(item);
                    }
                }
                None
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.len - self.next, Some(self.len - self.next))
            }
        }

        impl ExactSizeIterator for PageItems<'_, $owned> {}

        impl<'a> IntoIterator for &'a Page<$owned> {
            type Item = &'a $view;
            type IntoIter = PageItems<'a, $owned>;
            fn into_iter(self) -> PageItems<'a, $owned> {
                self.iter()
            }
        }

        impl Pager<$owned> {
            /// The next item, owned (`None` when the iteration is over), with explicit call
            /// options. Fetches a page only when the current one is used up.
            pub fn next_item_with(&mut self, call: Option<&CallOptions>) -> Result<Option<$owned>, Error> {
                let pager = self.raw.as_ptr();
                let r = with_call(call, |c| {
                    ffi::call_out(
                        // SAFETY: a live pager of this kind used by this thread only (&mut self).
                        |out, err| unsafe { $next(pager, c, out, err) },
                        // SAFETY: an owned item.
                        |p| p.map(|p| unsafe { $owned::from_owned(p) }),
                    )
                });
                self.stopped = r.is_err();
                r
            }
            /// The next item with the stored call options.
            pub fn next_item(&mut self) -> Result<Option<$owned>, Error> {
                let call = self.call.take();
                let r = self.next_item_with(call.as_ref());
                self.call = call;
                r
            }
        }

        impl Iterator for Pager<$owned> {
            type Item = Result<$owned, Error>;
            fn next(&mut self) -> Option<Self::Item> {
                self.iterate(|p: &mut Pager<$owned>| p.next_item())
            }
        }
    };
}

kind_impls!(OpenAiInvite, OpenAiInviteRef, sys::ik_page_openai_invite_at, sys::ik_pager_next_openai_invite);
kind_impls!(TwilioInvite, TwilioInviteRef, sys::ik_page_twilio_invite_at, sys::ik_pager_next_twilio_invite);
kind_impls!(TwilioUser, TwilioUserRef, sys::ik_page_twilio_user_at, sys::ik_pager_next_twilio_user);
kind_impls!(
    FastlyInvitation,
    FastlyInvitationRef,
    sys::ik_page_fastly_invitation_at,
    sys::ik_pager_next_fastly_invitation
);
