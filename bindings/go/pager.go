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

// kindOps binds the generic Page and Iterator to one item kind.
type kindOps[T any] struct {
	kind         Kind
	readPageItem func(p *C.ik_page, i int, rc *respCache) (item T, genericID string, matches bool, ok bool)
	next         func(pg *C.ik_pager, co *C.ik_call_options, prev unsafe.Pointer, out *unsafe.Pointer, rc *respCache, cerr **C.ik_error) (T, C.ik_status)
	free         func(p unsafe.Pointer)
	pageMeta     func(p *C.ik_page, pm *PageMeta)
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

// readPage copies a page and frees it. Crossings: 1 for the page, 1 per item,
// 1 for the response, and 2 (OpenAI), 7 (Twilio) or 8 (Fastly) for the metadata.
func readPage[T any](p *C.ik_page, k *kindOps[T]) *Page[T] {
	if p == nil {
		return nil
	}
	defer C.ik_page_free(p)
	var v C.ikgo_page_view
	C.ikgo_page_read(p, &v)
	pg := &Page[T]{Kind: Kind(v.kind), HasMore: v.has_more != 0, NextCursor: gostr(v.next_cursor), Raw: rawOf(v.raw)}
	pg.Response = readResponse(v.resp, pg.Raw, v.raw.p)
	k.pageMeta(p, &pg.Meta)
	n := int(v.count)
	pg.Items = make([]T, 0, n)
	pg.ItemIDs = make([]string, 0, n)
	pg.genericOK = make([]bool, 0, n)
	rc := &respCache{ptr: v.resp, resp: pg.Response}
	for i := 0; i < n; i++ {
		item, id, ok, found := k.readPageItem(p, i, rc)
		if !found {
			break
		}
		pg.Items = append(pg.Items, item)
		pg.ItemIDs = append(pg.ItemIDs, id)
		pg.genericOK = append(pg.genericOK, ok)
	}
	return pg
}

// Iterator walks a list item by item (Next/Item) or page by page
// (NextPage/Page), in the style of database/sql.Rows. It is not safe for
// concurrent use (one goroutine at a time). Close it when done; a finalizer
// closes a leaked one. It may be closed before or after its Client.
//
// Cost: one cgo crossing per item (the pager step, the item's fields and the
// release of the previous item are fused), plus one to read the response
// metadata when a new page starts.
type Iterator[T any] struct {
	c    *Client
	op   string
	k    *kindOps[T]
	cos  []CallOption
	ptr  *C.ik_pager
	prev unsafe.Pointer // last owned C item, kept so its response stays alive (respCache)
	rc   respCache
	item T
	page *Page[T]
	err  error
	done bool

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
	it.ptr = pg
	runtime.KeepAlive(c)
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

// step runs one pager call with the iterator's call options and context.
func (it *Iterator[T]) step(ctx context.Context, fn func(pg *C.ik_pager, co *C.ik_call_options, cerr **C.ik_error) C.ik_status) (C.ik_status, bool) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		it.err = ctxError(it.op, err)
		return 0, false
	}
	c := it.c
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		it.err = closedError(it.op)
		return 0, false
	}
	env, err := newCallEnv(ctx, it.cos, c.hasRetry)
	if err != nil {
		it.err = err
		return 0, false
	}
	defer env.free()
	if err := it.watch(ctx); err != nil {
		it.err = err
		return 0, false
	}
	if it.stop != nil {
		env.opts.cancel = it.tok
	}
	st, cerr := env.run(func(co *C.ik_call_options, ce **C.ik_error) C.ik_status { return fn(it.ptr, co, ce) })
	runtime.KeepAlive(c)
	if st != C.IK_STATUS_OK {
		it.err = env.fail(ctx, st, cerr, it.op)
		if env.cs != nil && env.cs.panicked {
			panic(env.cs.panicVal)
		}
		return st, false
	}
	return st, true
}

// Next advances to the next item, fetching a page when needed. It returns
// false at the end of the list, after MaxItems items, or on error (see Err).
// ctx bounds the page request, if one is made.
func (it *Iterator[T]) Next(ctx context.Context) bool {
	if it.err != nil || it.done {
		return false
	}
	if it.ptr == nil {
		it.err = &Error{Status: StatusInvalidArgument, Operation: it.op, Message: it.op + ": the iterator is closed", cause: ErrClosed}
		return false
	}
	var item T
	var got bool
	_, ok := it.step(ctx, func(pg *C.ik_pager, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		var out unsafe.Pointer
		var st C.ik_status
		item, st = it.k.next(pg, co, it.prev, &out, &it.rc, ce)
		if st == C.IK_STATUS_OK {
			it.prev = out // the previous item was freed by the fused step
			got = out != nil
		}
		return st
	})
	if !ok {
		return false
	}
	if !got {
		it.done = true
		return false
	}
	it.item = item
	return true
}

// Item returns the current item (after a Next that returned true).
func (it *Iterator[T]) Item() T { return it.item }

// NextPage fetches the next page (only the items still wanted when MaxItems
// cuts it short). It returns false at the end or on error (see Err).
func (it *Iterator[T]) NextPage(ctx context.Context) bool {
	if it.err != nil || it.done {
		return false
	}
	if it.ptr == nil {
		it.err = &Error{Status: StatusInvalidArgument, Operation: it.op, Message: it.op + ": the iterator is closed", cause: ErrClosed}
		return false
	}
	var out *C.ik_page
	_, ok := it.step(ctx, func(pg *C.ik_pager, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_pager_next_page(pg, co, &out, ce)
	})
	if !ok {
		return false
	}
	if out == nil {
		it.done = true
		it.page = nil
		return false
	}
	it.page = readPage(out, it.k)
	return true
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
	return int64(C.ik_pager_items_delivered(it.ptr))
}

// Done reports whether the iteration is over.
func (it *Iterator[T]) Done() bool {
	if it.ptr == nil {
		return it.done
	}
	return it.done || C.ik_pager_done(it.ptr) == 1
}

// Close releases the iterator. Idempotent; always returns nil.
func (it *Iterator[T]) Close() error {
	it.unwatch()
	if it.prev != nil {
		it.k.free(it.prev)
		it.prev = nil
	}
	it.rc = respCache{}
	if it.ptr != nil {
		C.ik_pager_free(it.ptr)
		it.ptr = nil
	}
	if it.tok != nil {
		C.ik_cancel_token_free(it.tok)
		it.tok = nil
	}
	runtime.SetFinalizer(it, nil)
	return nil
}
