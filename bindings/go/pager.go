package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
	"unsafe"
)

// kindOps binds the generic Page and Iterator to one item kind. The C side
// (shim.c) reads items of every kind through the same record functions; decode
// is the kind's Go half.
type kindOps[T any] struct {
	kind     Kind
	decode   func(rr *recReader, rc *respCache, dst *T) // sets every field of *dst
	pageMeta func(p *C.ik_page, pm *PageMeta)
}

func goptrC(p *C.char) *string {
	if p == nil {
		return nil
	}
	s := C.GoString(p)
	return &s
}

func optIntC(f func(*C.int64_t) C.int32_t) *int64 {
	var v C.int64_t
	if f(&v) != 1 {
		return nil
	}
	x := int64(v)
	return &x
}

// PageMeta is the provider's list metadata of a page (nil fields = absent or
// another provider).
type PageMeta struct {
	OpenAIFirstID, OpenAILastID *string

	TwilioPage, TwilioPageSize                                      *int64
	TwilioKey, TwilioURL, TwilioFirstPageURL, TwilioPreviousPageURL *string
	TwilioNextPageURL                                               *string

	FastlyLinkFirst, FastlyLinkLast, FastlyLinkPrev, FastlyLinkNext       *string
	FastlyCurrentPage, FastlyPerPage, FastlyRecordCount, FastlyTotalPages *int64
}

// Page is one page of a list.
type Page[T any] struct {
	Kind    Kind
	Items   []T
	HasMore bool // the provider says another page follows
	// NextCursor resumes after this page (ListOptions.Cursor); "" on the last page.
	NextCursor string
	// ItemIDs are the kind-generic ids of the items (OpenAI id, Twilio sid, Fastly id).
	ItemIDs  []string
	Meta     PageMeta
	Raw      json.RawMessage // the whole page body
	Response *Response

	genericOK []bool // kind-generic id/raw JSON equal the typed item's
}

// readPage copies a page and frees it. Crossings: 1 for the page view, 2 for
// the record of all its items (filled, then copied into a buffer of the exact
// size), 2 for the record's C memory, 1 for the response, 1 to free the page,
// and 2 (OpenAI), 7 (Twilio) or 8 (Fastly) for the metadata. It panics if C memory for the
// record cannot be allocated (as Go does when its own memory runs out).
func readPage[T any](p *C.ik_page, k *kindOps[T]) *Page[T] {
	if p == nil {
		return nil
	}
	defer C.ik_page_free(p)
	r := C.ikgo_recs_new()
	if r == nil {
		panic("invitekit: out of C memory reading a page")
	}
	defer C.ikgo_recs_delete(r)
	C.ikgo_recs_page(r, p, C.int32_t(k.kind), 0, 1, nil, 0)
	rs := newRecSet(r, nil)
	if rs.oom {
		panic("invitekit: out of C memory reading a page")
	}
	return buildPage(p, &rs, 0, k)
}

// buildPage makes the Page of p whose items [from, count) rs holds (read
// with their kind-generic ids).
func buildPage[T any](p *C.ik_page, rs *recSet, from int, k *kindOps[T]) *Page[T] {
	var v C.ikgo_page_view
	C.ikgo_page_read(p, &v)
	pg := &Page[T]{Kind: Kind(v.kind), HasMore: v.has_more != 0, NextCursor: gostr(v.next_cursor)}
	if rs.baseP != nil && v.raw.p == rs.baseP && int(v.raw.n) == len(rs.base) {
		pg.Raw = json.RawMessage(rs.base) // the body, copied once with the items' record
	} else {
		pg.Raw = rawOf(v.raw)
	}
	pg.Response = readResponse(v.resp, pg.Raw, v.raw.p)
	k.pageMeta(p, &pg.Meta)
	n := rs.count
	pg.Items = make([]T, n)
	pg.ItemIDs = make([]string, n)
	pg.genericOK = make([]bool, n)
	rc := &respCache{ptr: v.resp, resp: pg.Response}
	rr := new(recReader)
	for i := 0; i < n; i++ {
		rs.item(rr, i)
		k.decode(rr, rc, &pg.Items[i])
		pg.ItemIDs[i] = rr.str() // the kind-generic id: the item's last span
		pg.genericOK[i] = rs.gok[i] != 0
	}
	return pg
}

// Iterator walks a list item by item (Next/Item) or page by page
// (NextPage/Page), in the style of database/sql.Rows. It is not safe for
// concurrent use (one goroutine at a time). Close it when done; a finalizer
// closes a leaked one. It may be closed before or after its Client.
//
// Cost of Next: no cgo crossing for an item of the current page; one per
// page (ikgo_iter_next_page: the pager's next page, and every item's fields
// copied into one Go buffer), plus one to read the page's response metadata
// and one more for a page larger than the buffer sized after the recent
// pages. The items of a page share that buffer (strings and raw JSON) and a
// few slabs (pointed-to values); an item is decoded when Next reaches it.
type Iterator[T any] struct {
	c    *Client
	op   string
	k    *kindOps[T]
	cos  []CallOption
	ptr  *C.ik_pager // the pager (owned by cit)
	cit  *C.ikgo_iter
	env  *callEnv // the page requests' call options, built once in C memory
	hint bufHint
	rc   respCache
	item T
	page *Page[T]
	err  error
	done bool

	// the current page's records (the pager is past the whole page): items
	// [pos, recs.count) are still to be delivered; pendErr follows them (a
	// page whose records C could not all allocate)
	recs    recSet
	pos     int
	pendErr error
	rr      recReader

	// context watcher, reused while Next is called with the same context
	tok    *C.ik_cancel_token
	wctx   context.Context
	stop   chan struct{}
	exited chan struct{}
}

func newIterator[T any](c *Client, op string, k *kindOps[T], lo ListOptions, cos []CallOption,
	mk func(cl *C.ik_client, l *C.ik_list_options, out **C.ik_pager, ce **C.ik_error) C.ik_status) *Iterator[T] {
	it := &Iterator[T]{c: c, op: op, k: k, cos: cos}
	var s cstrs
	defer s.free()
	l, err := lo.toC(&s)
	if err != nil {
		it.err = err
		return it
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		it.err = closedError(op)
		return it
	}
	var cerr *C.ik_error
	var pg *C.ik_pager
	if st := mk(c.ptr, &l, &pg, &cerr); st != C.IK_STATUS_OK {
		it.err = newError(st, cerr, op, nil)
		return it
	}
	runtime.KeepAlive(c)
	if it.cit = C.ikgo_iter_new(pg, C.int32_t(k.kind)); it.cit == nil {
		it.err = errRecNoMemory(op)
		return it
	}
	if it.env = newIterCallEnv(cos); it.env == nil {
		C.ikgo_iter_free(it.cit)
		it.cit = nil
		it.err = errRecNoMemory(op)
		return it
	}
	it.cit.co = it.env.opts
	it.ptr = pg
	runtime.SetFinalizer(it, func(it *Iterator[T]) { _ = it.Close() })
	return it
}

func sameContext(a, b context.Context) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// watch makes sure a goroutine cancels the iterator's token when ctx is done.
func (it *Iterator[T]) watch(ctx context.Context) error {
	if ctx.Done() == nil {
		it.unwatch()
		return nil
	}
	if it.stop != nil && sameContext(ctx, it.wctx) {
		return nil
	}
	it.unwatch()
	if it.tok == nil {
		var cerr *C.ik_error
		if st := C.ik_cancel_token_new(&it.tok, &cerr); st != C.IK_STATUS_OK {
			return newError(st, cerr, it.op, nil)
		}
	} else if C.ik_cancel_token_is_cancelled(it.tok) == 1 {
		C.ik_cancel_token_reset(it.tok)
	}
	it.wctx = ctx
	it.stop, it.exited = make(chan struct{}), make(chan struct{})
	go watcher(ctx.Done(), it.stop, it.exited, it.tok)
	return nil
}

func (it *Iterator[T]) unwatch() {
	if it.stop != nil {
		close(it.stop)
		<-it.exited
		it.stop, it.exited, it.wctx = nil, nil, nil
	}
}

// begin prepares one pager call: context, client and watcher checks, and the
// call options for ctx. On false, it.err is set and the client is unlocked.
func (it *Iterator[T]) begin(ctx context.Context) bool {
	if err := ctx.Err(); err != nil {
		it.err = ctxError(it.op, err)
		return false
	}
	c := it.c
	c.mu.RLock()
	if c.ptr == nil {
		c.mu.RUnlock()
		it.err = closedError(it.op)
		return false
	}
	if err := it.watch(ctx); err != nil {
		c.mu.RUnlock()
		it.err = err
		return false
	}
	it.env.prepare(ctx, c.hasRetry)
	if it.stop != nil {
		it.env.opts.cancel = it.tok
	}
	return true
}

// end finishes a pager call begun by begin: it unlocks the client and turns a
// failure into it.err (re-raising a retry callback's panic).
func (it *Iterator[T]) end(ctx context.Context, st C.ik_status, cerr *C.ik_error) bool {
	runtime.KeepAlive(it.c)
	it.c.mu.RUnlock()
	if st != C.IK_STATUS_OK {
		it.err = it.env.fail(ctx, st, cerr, it.op)
		if cs := it.env.cs; cs != nil && cs.panicked {
			panic(cs.panicVal)
		}
		return false
	}
	return true
}

// Next advances to the next item, fetching a page when needed. It returns
// false at the end of the list, after MaxItems items, or on error (see Err).
// ctx bounds the page request, if one is made.
func (it *Iterator[T]) Next(ctx context.Context) bool {
	if it.err != nil || it.done {
		return false
	}
	if it.cit == nil {
		it.err = &Error{Status: StatusInvalidArgument, Operation: it.op, Message: it.op + ": the iterator is closed", cause: ErrClosed}
		return false
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if it.pos >= it.recs.count {
		for it.pos >= it.recs.count { // (ik_pager_next_page returns no empty page but the last)
			if it.pendErr != nil {
				it.err, it.pendErr = it.pendErr, nil
				return false
			}
			if !it.nextPage(ctx, false) {
				return false
			}
		}
	} else {
		// An item of the current page: the checks of a pager call, no crossing.
		if err := ctx.Err(); err != nil {
			it.err = ctxError(it.op, err)
			return false
		}
		c := it.c
		c.mu.RLock()
		closed := c.ptr == nil
		c.mu.RUnlock()
		if closed {
			it.err = closedError(it.op)
			return false
		}
	}
	it.recs.item(&it.rr, it.pos) // (a reader of the iterator's: a local would escape through decode)
	it.pos++
	it.k.decode(&it.rr, &it.rc, &it.item)
	return true
}

// nextPage fetches the pager's next page into it.recs (one crossing, plus
// one when the page did not fit the hinted buffer, plus one for the response
// metadata when the first item is decoded). false at the end (it.done) or on
// error (it.err).
func (it *Iterator[T]) nextPage(ctx context.Context, generic bool) bool {
	if !it.begin(ctx) {
		return false
	}
	cit, env := it.cit, it.env
	// The previous page's records are about to be refilled: drop the views.
	it.recs, it.pos, it.rc = recSet{}, 0, respCache{}
	buf := it.hint.buf()
	h := C.uintptr_t(uintptr(unsafe.Pointer(cit))) // C memory: see ikgo_iter_next_page in shim.h
	g := C.int32_t(0)
	if generic {
		g = 1
	}
	var st C.ik_status
	schedPoint()
	if env.cs == nil {
		st = C.ikgo_iter_next_page(h, g, bufPtr(buf), C.size_t(len(buf)))
	} else {
		st, _ = env.run(func(*C.ik_call_options, **C.ik_error) C.ik_status {
			return C.ikgo_iter_next_page(h, g, bufPtr(buf), C.size_t(len(buf)))
		})
	}
	cerr := cit.err
	cit.err = nil
	if !it.end(ctx, st, cerr) {
		return false
	}
	if cit.page == nil {
		it.done = true
		return false
	}
	it.recs = newRecSet(&cit.rec, buf)
	it.hint.update(len(it.recs.buf))
	// The page's response, read with the page (ikgo_iter_next_page), for its items.
	it.rc = respCache{ptr: cit.resp, resp: responseOf(&cit.rview, cit.resp, it.recs.base, it.recs.baseP)}
	if it.recs.oom {
		it.pendErr = errRecNoMemory(it.op)
	}
	return true
}

// Item returns the current item (after a Next that returned true). Its
// strings, raw JSON and pointed-to values stay valid after the iterator moves
// on or is closed (they are Go memory shared with the other items of its page).
func (it *Iterator[T]) Item() T { return it.item }

// NextPage fetches the next page (only the items still wanted when MaxItems
// cuts it short). After Next delivered some items of a page, it returns the
// rest of that page. It returns false at the end or on error (see Err).
func (it *Iterator[T]) NextPage(ctx context.Context) bool {
	if it.err != nil || it.done {
		return false
	}
	if it.cit == nil {
		it.err = &Error{Status: StatusInvalidArgument, Operation: it.op, Message: it.op + ": the iterator is closed", cause: ErrClosed}
		return false
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if it.pos < it.recs.count {
		pg, err := it.restPage(ctx)
		if err != nil {
			it.err = err
			return false
		}
		it.page = pg
		return true
	}
	if it.pendErr != nil {
		it.err, it.pendErr = it.pendErr, nil
		return false
	}
	if !it.nextPage(ctx, true) {
		it.page = nil
		return false
	}
	it.page = buildPage(it.cit.page, &it.recs, 0, it.k)
	it.pos = it.recs.count
	if it.pendErr != nil {
		it.err, it.pendErr = it.pendErr, nil
	}
	return true
}

// restPage is the page of the items of the current page not yet delivered
// (with their kind-generic ids: ikgo_iter_rest), as ik_pager_next_page gives
// the rest of a page started item by item. It consumes them.
func (it *Iterator[T]) restPage(ctx context.Context) (*Page[T], error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(it.op, err)
	}
	cit := it.cit
	from := it.pos
	h := C.uintptr_t(uintptr(unsafe.Pointer(cit)))
	it.recs, it.pos = recSet{}, 0
	C.ikgo_iter_rest(h, C.size_t(from), nil, 0)
	rs := newRecSet(&cit.rec, nil)
	pg := buildPage(cit.page, &rs, from, it.k)
	it.recs = rs
	it.pos = rs.count
	if rs.oom {
		it.pendErr = errRecNoMemory(it.op) // after the items that could be read
	}
	return pg, nil
}

// Page returns the current page (after a NextPage that returned true).
func (it *Iterator[T]) Page() *Page[T] { return it.page }

// Err returns the error that stopped the iteration, if any. A failed page
// request leaves the position unchanged: a new iterator from Cursor() retries it.
func (it *Iterator[T]) Err() error {
	if it.err == nil {
		return nil
	}
	return it.err
}

// Cursor returns an opaque resumable cursor: a new iterator with
// ListOptions.Cursor set to it continues exactly after the last item delivered
// (in this or another process). It is "" once the whole list was read.
func (it *Iterator[T]) Cursor() (string, error) {
	if it.ptr == nil {
		if it.err != nil {
			return "", it.err
		}
		return "", closedError(it.op)
	}
	var buf C.ik_buf
	C.ik_buf_init(&buf)
	defer C.ik_buf_dispose(&buf)
	var cerr *C.ik_error
	if it.pos < it.recs.count && it.cit.page != nil {
		// In the middle of the page the iterator read whole (the pager is at
		// its end): the library's cursor of the next item of that page.
		if st := C.ik_page_item_cursor(it.cit.page, C.size_t(it.pos), &buf, &cerr); st != C.IK_STATUS_OK {
			return "", newError(st, cerr, it.op, nil)
		}
		return C.GoStringN((*C.char)(unsafe.Pointer(buf.data)), C.int(buf.len)), nil
	}
	if st := C.ik_pager_cursor(it.ptr, &buf, &cerr); st != C.IK_STATUS_OK {
		return "", newError(st, cerr, it.op, nil)
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(buf.data)), C.int(buf.len)), nil
}

// Kind is the kind of item the iterator yields.
func (it *Iterator[T]) Kind() Kind {
	if it.ptr == nil {
		return it.k.kind
	}
	return Kind(C.ik_pager_kind(it.ptr))
}

// ItemsDelivered is the number of items delivered so far (by items and pages).
func (it *Iterator[T]) ItemsDelivered() int64 {
	if it.ptr == nil {
		return 0
	}
	// the pager counts the whole current page
	return int64(C.ik_pager_items_delivered(it.ptr)) - int64(it.recs.count-it.pos)
}

// Done reports whether the iteration is over.
func (it *Iterator[T]) Done() bool {
	if it.ptr == nil {
		return it.done
	}
	return it.done || (it.pos >= it.recs.count && it.pendErr == nil && C.ik_pager_done(it.ptr) == 1)
}

// Close releases the iterator. Idempotent; always returns nil.
func (it *Iterator[T]) Close() error {
	it.unwatch()
	it.rc = respCache{}
	it.recs, it.pos, it.rr = recSet{}, 0, recReader{} // views of the C record, freed below
	if it.cit != nil {
		C.ikgo_iter_free(it.cit) // the current page, the record and the pager
		it.cit, it.ptr = nil, nil
	}
	if it.env != nil {
		it.env.free()
		it.env = nil
	}
	if it.tok != nil {
		C.ik_cancel_token_free(it.tok)
		it.tok = nil
	}
	runtime.SetFinalizer(it, nil)
	return nil
}
