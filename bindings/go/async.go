package invitekit

// Non-blocking operations (async.h, ABI 0.2.1). This file holds the //export
// completion trampoline; cgo therefore allows only declarations in its
// preamble (the C side is in shim.c).

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// CompletionMode says where the completions of non-blocking operations run
// (Options.CompletionMode, fixed when the client is created).
type CompletionMode int32

const (
	// CompletionsIOThread (default): operations complete on the client's I/O
	// thread; Op.Done is closed as soon as the response is in.
	CompletionsIOThread CompletionMode = C.IK_COMPLETIONS_IO_THREAD
	// CompletionsQueued: completed operations wait in a queue until
	// Client.Dispatch (or Op.Wait, which dispatches while it waits) runs
	// them; Client.CompletionFD is readable while some wait.
	CompletionsQueued CompletionMode = C.IK_COMPLETIONS_QUEUED
	// CompletionsIOThreadRelay: on the client's I/O thread too, but a slow
	// completion cannot hold back the others: after 5 to 10 ms the library's
	// loop moves on to a new thread (IK_COMPLETIONS_IO_THREAD_RELAY, library
	// 0.2.4; older libraries refuse it with StatusInvalidArgument). This
	// binding's completions only close a channel, so the default suits it; the
	// mode is here for completeness and for callers that share one client with
	// C code whose callbacks block.
	CompletionsIOThreadRelay CompletionMode = C.IK_COMPLETIONS_IO_THREAD_RELAY
)

// String returns "io_thread", "queued" or "io_thread_relay".
func (m CompletionMode) String() string {
	switch m {
	case CompletionsIOThread:
		return "io_thread"
	case CompletionsQueued:
		return "queued"
	case CompletionsIOThreadRelay:
		return "io_thread_relay"
	}
	return fmt.Sprintf("CompletionMode(%d)", int32(m))
}

// ResultType is what a non-blocking operation produces (ik_op_result_type).
type ResultType int32

const (
	ResultNone             ResultType = C.IK_RESULT_NONE
	ResultOpenAIInvite     ResultType = C.IK_RESULT_OPENAI_INVITE
	ResultTwilioInvite     ResultType = C.IK_RESULT_TWILIO_INVITE
	ResultTwilioUser       ResultType = C.IK_RESULT_TWILIO_USER
	ResultFastlyInvitation ResultType = C.IK_RESULT_FASTLY_INVITATION
	ResultDeletion         ResultType = C.IK_RESULT_DELETION
	ResultPage             ResultType = C.IK_RESULT_PAGE
)

var resultTypeNames = map[ResultType]string{
	ResultNone: "IK_RESULT_NONE", ResultOpenAIInvite: "IK_RESULT_OPENAI_INVITE",
	ResultTwilioInvite: "IK_RESULT_TWILIO_INVITE", ResultTwilioUser: "IK_RESULT_TWILIO_USER",
	ResultFastlyInvitation: "IK_RESULT_FASTLY_INVITATION", ResultDeletion: "IK_RESULT_DELETION",
	ResultPage: "IK_RESULT_PAGE",
}

// String returns the C name, e.g. "IK_RESULT_PAGE".
func (r ResultType) String() string {
	if s, ok := resultTypeNames[r]; ok {
		return s
	}
	return fmt.Sprintf("IK_RESULT(%d)", int32(r))
}

// Op is a non-blocking operation started by one of the Client.Start*
// methods (or Iterator.StartNextPage). It completes exactly once: Done is
// closed, and Wait returns the result, a plain Go value copied out of the C
// object (which is freed at completion), or the *Error.
//
// An Op is safe for concurrent use. It needs no release: the C handle is
// freed at completion. A client in CompletionsQueued mode completes its
// operations only when Client.Dispatch or Op.Wait runs.
type Op[T any] struct {
	c        *Client // keeps the client reachable (no finalizer) while in flight
	queued   bool
	opName   string // for errors raised by the binding
	cname    string // ik_op_operation
	provider Provider
	rtype    ResultType
	done     chan struct{}
	take     func(op *C.ik_op, cerr **C.ik_error) (T, C.ik_status)

	hasDeadline bool
	deadline    time.Time

	mu        sync.Mutex
	ptr       *C.ik_op // the caller's reference (out_op); freed once completed and unused
	users     int      // goroutines inside ik_op_cancel / ik_op_wait with ptr
	completed bool
	cause     error // why the binding cancelled it (a context's error)

	// written by the completion, read after done is closed
	val T
	err error
}

// opHandles counts the completion handles not yet deleted (tests check that
// each is deleted exactly once).
var opHandles int64

// opCompleter is the value behind a completion's cgo.Handle.
type opCompleter interface {
	complete(op *C.ik_op)
}

// goOpComplete is the completion callback of every non-blocking operation
// (through ikgo_op_trampoline in shim.c). It runs exactly once per started
// operation, on the client's I/O thread or on a dispatching thread, and
// deletes the operation's handle. It never unwinds into C.
//
//export goOpComplete
func goOpComplete(op *C.ik_op, ud C.uintptr_t) {
	defer func() { _ = recover() }()
	h := cgo.Handle(ud)
	oc, _ := h.Value().(opCompleter)
	h.Delete()
	atomic.AddInt64(&opHandles, -1)
	if oc != nil {
		oc.complete(op)
	}
}

func (o *Op[T]) complete(op *C.ik_op) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			o.val = zero
			o.err = bindingError(StatusInternal, o.opName, fmt.Sprintf("%s: panic while reading the result: %v", o.opName, r))
		}
		o.mu.Lock()
		o.completed = true
		o.c = nil
		o.maybeFreeLocked()
		o.mu.Unlock()
		close(o.done)
	}()
	if st := C.ik_op_status(op); st != C.IK_STATUS_OK {
		var e, cerr *C.ik_error
		if ts := C.ik_op_take_error(op, &e, &cerr); ts != C.IK_STATUS_OK {
			o.err = newError(ts, cerr, o.opName, nil)
			return
		}
		o.err = o.fail(st, e)
		return
	}
	var cerr *C.ik_error
	v, ts := o.take(op, &cerr)
	if ts != C.IK_STATUS_OK {
		o.err = newError(ts, cerr, o.opName, nil)
		return
	}
	o.val = v
}

// fail turns the operation's error into the *Error Wait returns, frees cerr.
func (o *Op[T]) fail(st C.ik_status, cerr *C.ik_error) *Error {
	err := newError(st, cerr, o.opName, nil)
	o.mu.Lock()
	cause := o.cause
	o.mu.Unlock()
	switch {
	case err.Status == StatusCancelled && err.CancelledBy == CancelledByClientFree:
		err.cause = ErrClosed
	case err.Status == StatusCancelled && err.CancelledBy == CancelledByOperation:
		err.cause = cause
	case err.Status == StatusTimeout && o.hasDeadline && !time.Now().Before(o.deadline):
		err.cause = context.DeadlineExceeded
	}
	return err
}

func (o *Op[T]) maybeFreeLocked() {
	if o.completed && o.users == 0 && o.ptr != nil {
		C.ik_op_free(o.ptr)
		o.ptr = nil
	}
}

// acquire returns the C handle for a call outside o.mu (nil once freed).
func (o *Op[T]) acquire() *C.ik_op {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ptr == nil {
		return nil
	}
	o.users++
	return o.ptr
}

func (o *Op[T]) release() {
	o.mu.Lock()
	o.users--
	o.maybeFreeLocked()
	o.mu.Unlock()
}

func (o *Op[T]) cancel(cause error) {
	o.mu.Lock()
	if o.completed {
		o.mu.Unlock()
		return
	}
	if o.cause == nil {
		o.cause = cause
	}
	o.mu.Unlock()
	if p := o.acquire(); p != nil {
		C.ik_op_cancel(p)
		o.release()
	}
}

// Cancel requests cancellation and returns at once. Unless it completed
// first, the operation then completes with an error matching ErrCancelled
// (CancelledBy == CancelledByOperation). Safe from any goroutine, any number
// of times, before or after completion.
func (o *Op[T]) Cancel() { o.cancel(nil) }

// Done is closed when the operation has completed (in CompletionsQueued
// mode: when its completion has been dispatched).
func (o *Op[T]) Done() <-chan struct{} { return o.done }

// Wait waits for the operation and returns its result or error. When ctx is
// done first, Wait cancels the operation and returns its outcome: an error
// matching ErrCancelled and ctx.Err() (context.Canceled or
// context.DeadlineExceeded), or the result if the operation completed first.
// In CompletionsQueued mode Wait runs the client's queued completions on the
// calling goroutine while it waits (ik_op_wait). Wait may be called any
// number of times and from several goroutines.
func (o *Op[T]) Wait(ctx context.Context) (T, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-o.done:
		return o.val, o.err
	default:
	}
	if o.queued {
		if err := o.waitDispatching(ctx); err != nil {
			var zero T
			return zero, err
		}
		<-o.done
		return o.val, o.err
	}
	select {
	case <-o.done:
	case <-ctx.Done():
		o.cancel(ctx.Err())
		<-o.done // a cancelled operation completes at the engine's next turn
	}
	return o.val, o.err
}

// waitDispatching waits in ik_op_wait slices (which dispatch the client's
// queued completions), cancelling the operation once ctx is done.
func (o *Op[T]) waitDispatching(ctx context.Context) error {
	p := o.acquire()
	if p == nil {
		return nil // completed: the completion freed the handle
	}
	defer o.release()
	cancelled := false
	for C.ik_op_done(p) == 0 {
		if !cancelled && ctx.Err() != nil {
			o.cancel(ctx.Err())
			cancelled = true
		}
		var cerr *C.ik_error
		switch st := C.ik_op_wait(p, 50, &cerr); st {
		case C.IK_STATUS_OK:
		case C.IK_STATUS_TIMEOUT:
			C.ik_error_free(cerr)
		default:
			return newError(st, cerr, o.opName, nil)
		}
	}
	return nil
}

// Provider is the provider the operation talks to.
func (o *Op[T]) Provider() Provider { return o.provider }

// Operation is the operation's name, e.g. "invites.create".
func (o *Op[T]) Operation() string { return o.cname }

// ResultType is what the operation produces.
func (o *Op[T]) ResultType() ResultType { return o.rtype }

type startFunc func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer,
	out **C.ik_op, cerr **C.ik_error) C.ik_status

// startOp starts one non-blocking operation: start makes exactly one C
// _start call on cl (valid while startOp holds the client's read lock).
func startOp[T any](c *Client, ctx context.Context, op string, cos []CallOption,
	take func(*C.ik_op, **C.ik_error) (T, C.ik_status), start startFunc) (*Op[T], error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(op, err)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, closedError(op)
	}
	env, err := newCallEnv(ctx, cos, false)
	if err != nil {
		return nil, err
	}
	defer env.free() // the library copies the call options when it starts
	o := &Op[T]{c: c, queued: c.queued, opName: op, done: make(chan struct{}), take: take,
		hasDeadline: env.hasDeadline, deadline: env.deadline}
	h := cgo.NewHandle(opCompleter(o))
	atomic.AddInt64(&opHandles, 1)
	var p *C.ik_op
	var cerr *C.ik_error
	st := start(c.ptr, env.opts, C.ikgo_op_cb(), C.ikgo_op_user_data(C.uintptr_t(h)), &p, &cerr)
	runtime.KeepAlive(c)
	if st != C.IK_STATUS_OK {
		h.Delete() // the callback never runs
		atomic.AddInt64(&opHandles, -1)
		return nil, env.fail(ctx, st, cerr, op)
	}
	// p is ours until we free it; the completion may already be running.
	// (the completion reads none of the fields set here before o.mu)
	var prov, rt C.int32_t
	var name *C.char
	C.ikgo_op_info(p, &prov, &rt, &name)
	o.provider, o.rtype, o.cname = Provider(prov), ResultType(rt), cstr(name)
	o.mu.Lock()
	o.ptr = p
	o.maybeFreeLocked()
	o.mu.Unlock()
	if d := ctx.Done(); d != nil {
		go func() {
			select {
			case <-d:
				o.cancel(ctx.Err())
			case <-o.done:
			}
		}()
	}
	return o, nil
}

// OpsInFlight is the number of non-blocking operations started on the
// client and not yet completed (0 for a closed client). An operation counts
// until its completion has returned, a moment after its Done is closed.
func (c *Client) OpsInFlight() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return 0
	}
	n := int64(C.ik_client_ops_in_flight(c.ptr))
	runtime.KeepAlive(c)
	return n
}

// CompletionFD returns a descriptor that is readable while completions are
// queued (CompletionsQueued only; a Linux eventfd). It is owned by the
// client and valid until Close: poll it, never read, write or close it; call
// Dispatch when it is readable.
func (c *Client) CompletionFD() (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return -1, closedError("client.completion_fd")
	}
	var fd C.int32_t
	var cerr *C.ik_error
	st := C.ik_client_completion_fd(c.ptr, &fd, &cerr)
	runtime.KeepAlive(c)
	if st != C.IK_STATUS_OK {
		return -1, newError(st, cerr, "client.completion_fd", nil)
	}
	return int(fd), nil
}

// Dispatch runs up to max queued completions (0 = all queued now) on the
// calling goroutine and returns how many ran; it never waits for new ones.
// In CompletionsIOThread mode there is nothing to dispatch (0).
func (c *Client) Dispatch(max int) (int, error) {
	if max < 0 || max > 1<<31-1 {
		return 0, bindingError(StatusInvalidArgument, "client.dispatch", "client.dispatch: max out of range")
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return 0, closedError("client.dispatch")
	}
	var ran C.int32_t
	var cerr *C.ik_error
	st := C.ik_client_dispatch(c.ptr, C.int32_t(max), &ran, &cerr)
	runtime.KeepAlive(c)
	if st != C.IK_STATUS_OK {
		return int(ran), newError(st, cerr, "client.dispatch", nil)
	}
	return int(ran), nil
}

// ---------------------------------------------------------------------------
// Result takers (run in the completion: copy the C result, then free it)

func takeOpenAIInvite(op *C.ik_op, cerr **C.ik_error) (*OpenAIInvite, C.ik_status) {
	var x *C.ik_openai_invite
	if st := C.ik_op_take_openai_invite(op, &x, cerr); st != C.IK_STATUS_OK || x == nil {
		return nil, st
	}
	return readOpenAIInvite(x), C.IK_STATUS_OK
}

func takeTwilioInvite(op *C.ik_op, cerr **C.ik_error) (*TwilioInvite, C.ik_status) {
	var x *C.ik_twilio_invite
	if st := C.ik_op_take_twilio_invite(op, &x, cerr); st != C.IK_STATUS_OK || x == nil {
		return nil, st
	}
	return readTwilioInvite(x), C.IK_STATUS_OK
}

func takeTwilioUser(op *C.ik_op, cerr **C.ik_error) (*TwilioUser, C.ik_status) {
	var x *C.ik_twilio_user
	if st := C.ik_op_take_twilio_user(op, &x, cerr); st != C.IK_STATUS_OK || x == nil {
		return nil, st
	}
	return readTwilioUser(x), C.IK_STATUS_OK
}

func takeFastlyInvitation(op *C.ik_op, cerr **C.ik_error) (*FastlyInvitation, C.ik_status) {
	var x *C.ik_fastly_invitation
	if st := C.ik_op_take_fastly_invitation(op, &x, cerr); st != C.IK_STATUS_OK || x == nil {
		return nil, st
	}
	return readFastlyInvitation(x), C.IK_STATUS_OK
}

func takeDeletion(op *C.ik_op, cerr **C.ik_error) (*Deletion, C.ik_status) {
	var x *C.ik_deletion
	if st := C.ik_op_take_deletion(op, &x, cerr); st != C.IK_STATUS_OK {
		return nil, st
	}
	return readDeletion(x), C.IK_STATUS_OK
}

// takePage returns a taker of pages of kind k (nil page past a pager's end).
func takePage[T any](k *kindOps[T]) func(*C.ik_op, **C.ik_error) (*Page[T], C.ik_status) {
	return func(op *C.ik_op, cerr **C.ik_error) (*Page[T], C.ik_status) {
		var x *C.ik_page
		if st := C.ik_op_take_page(op, &x, cerr); st != C.IK_STATUS_OK {
			return nil, st
		}
		return readPage(x, k), C.IK_STATUS_OK
	}
}

// ---------------------------------------------------------------------------
// The Start* twins of the blocking methods: same arguments, same checks
// (returned at once as the error, and then nothing was started), and an Op.
// ctx bounds the operation: when it is done, the operation is cancelled
// (its deadline is also passed to the library as the call's deadline).

// StartCreateOpenAIInvite is CreateOpenAIInvite without blocking.
func (c *Client) StartCreateOpenAIInvite(ctx context.Context, in OpenAIInviteCreate, opts ...CallOption) (*Op[*OpenAIInvite], error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invites.create", opts, takeOpenAIInvite,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_create_start(cl, &p, co, cb, ud, out, ce)
		})
}

// StartRetrieveOpenAIInvite is RetrieveOpenAIInvite without blocking.
func (c *Client) StartRetrieveOpenAIInvite(ctx context.Context, inviteID string, opts ...CallOption) (*Op[*OpenAIInvite], error) {
	var s cstrs
	defer s.free()
	id := s.str(inviteID)
	return startOp(c, ctx, "invites.retrieve", opts, takeOpenAIInvite,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_retrieve_start(cl, id, co, cb, ud, out, ce)
		})
}

// StartListOpenAIInvites is ListOpenAIInvites (one page) without blocking.
func (c *Client) StartListOpenAIInvites(ctx context.Context, lo ListOptions, opts ...CallOption) (*Op[*Page[OpenAIInvite]], error) {
	var s cstrs
	defer s.free()
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invites.list", opts, takePage(openaiKind),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_list_start(cl, &l, co, cb, ud, out, ce)
		})
}

// StartDeleteOpenAIInvite is DeleteOpenAIInvite without blocking.
func (c *Client) StartDeleteOpenAIInvite(ctx context.Context, inviteID string, opts ...CallOption) (*Op[*Deletion], error) {
	var s cstrs
	defer s.free()
	id := s.str(inviteID)
	return startOp(c, ctx, "invites.delete", opts, takeDeletion,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_delete_start(cl, id, co, cb, ud, out, ce)
		})
}

// StartCreateTwilioInvite is CreateTwilioInvite without blocking.
func (c *Client) StartCreateTwilioInvite(ctx context.Context, serviceSID, channelSID, identity, roleSID string, opts ...CallOption) (*Op[*TwilioInvite], error) {
	var s cstrs
	defer s.free()
	svc, ch, id, role := s.str(serviceSID), s.str(channelSID), s.str(identity), s.opt(roleSID)
	return startOp(c, ctx, "invites.create", opts, takeTwilioInvite,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_create_start(cl, svc, ch, id, role, co, cb, ud, out, ce)
		})
}

// StartFetchTwilioInvite is FetchTwilioInvite without blocking.
func (c *Client) StartFetchTwilioInvite(ctx context.Context, serviceSID, channelSID, inviteSID string, opts ...CallOption) (*Op[*TwilioInvite], error) {
	var s cstrs
	defer s.free()
	svc, ch, sid := s.str(serviceSID), s.str(channelSID), s.str(inviteSID)
	return startOp(c, ctx, "invites.fetch", opts, takeTwilioInvite,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_fetch_start(cl, svc, ch, sid, co, cb, ud, out, ce)
		})
}

// StartListTwilioInvites is ListTwilioInvites (one page) without blocking.
func (c *Client) StartListTwilioInvites(ctx context.Context, serviceSID, channelSID string, identities []string, lo ListOptions, opts ...CallOption) (*Op[*Page[TwilioInvite]], error) {
	var s cstrs
	defer s.free()
	svc, ch := s.str(serviceSID), s.str(channelSID)
	ids, n := identitiesC(&s, identities)
	defer C.free(unsafe.Pointer(ids))
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invites.list", opts, takePage(twilioInviteKind),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_list_start(cl, svc, ch, ids, n, &l, co, cb, ud, out, ce)
		})
}

// StartDeleteTwilioInvite is DeleteTwilioInvite without blocking.
func (c *Client) StartDeleteTwilioInvite(ctx context.Context, serviceSID, channelSID, inviteSID string, opts ...CallOption) (*Op[*Deletion], error) {
	var s cstrs
	defer s.free()
	svc, ch, sid := s.str(serviceSID), s.str(channelSID), s.str(inviteSID)
	return startOp(c, ctx, "invites.delete", opts, takeDeletion,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_delete_start(cl, svc, ch, sid, co, cb, ud, out, ce)
		})
}

// StartCreateTwilioUser is CreateTwilioUser without blocking.
func (c *Client) StartCreateTwilioUser(ctx context.Context, serviceSID string, p TwilioUserParams, opts ...CallOption) (*Op[*TwilioUser], error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "users.create", opts, takeTwilioUser,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_create_start(cl, svc, &cp, co, cb, ud, out, ce)
		})
}

// StartFetchTwilioUser is FetchTwilioUser without blocking.
func (c *Client) StartFetchTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, opts ...CallOption) (*Op[*TwilioUser], error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	return startOp(c, ctx, "users.fetch", opts, takeTwilioUser,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_fetch_start(cl, svc, id, co, cb, ud, out, ce)
		})
}

// StartListTwilioUsers is ListTwilioUsers (one page) without blocking.
func (c *Client) StartListTwilioUsers(ctx context.Context, serviceSID string, lo ListOptions, opts ...CallOption) (*Op[*Page[TwilioUser]], error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "users.list", opts, takePage(twilioUserKind),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_list_start(cl, svc, &l, co, cb, ud, out, ce)
		})
}

// StartUpdateTwilioUser is UpdateTwilioUser without blocking.
func (c *Client) StartUpdateTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, p TwilioUserParams, opts ...CallOption) (*Op[*TwilioUser], error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "users.update", opts, takeTwilioUser,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_update_start(cl, svc, id, &cp, co, cb, ud, out, ce)
		})
}

// StartDeleteTwilioUser is DeleteTwilioUser without blocking.
func (c *Client) StartDeleteTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, opts ...CallOption) (*Op[*Deletion], error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	return startOp(c, ctx, "users.delete", opts, takeDeletion,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_delete_start(cl, svc, id, co, cb, ud, out, ce)
		})
}

// StartCreateFastlyInvitation is CreateFastlyInvitation without blocking.
func (c *Client) StartCreateFastlyInvitation(ctx context.Context, in FastlyInvitationCreate, opts ...CallOption) (*Op[*FastlyInvitation], error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invitations.create", opts, takeFastlyInvitation,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_fastly_invitation_create_start(cl, &p, co, cb, ud, out, ce)
		})
}

// StartListFastlyInvitations is ListFastlyInvitations (one page) without blocking.
func (c *Client) StartListFastlyInvitations(ctx context.Context, lo ListOptions, opts ...CallOption) (*Op[*Page[FastlyInvitation]], error) {
	var s cstrs
	defer s.free()
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invitations.list", opts, takePage(fastlyKind),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_fastly_invitation_list_start(cl, &l, co, cb, ud, out, ce)
		})
}

// StartDeleteFastlyInvitation is DeleteFastlyInvitation without blocking.
func (c *Client) StartDeleteFastlyInvitation(ctx context.Context, invitationID string, opts ...CallOption) (*Op[*Deletion], error) {
	var s cstrs
	defer s.free()
	id := s.str(invitationID)
	return startOp(c, ctx, "invitations.delete", opts, takeDeletion,
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_fastly_invitation_delete_start(cl, id, co, cb, ud, out, ce)
		})
}

// StartNextPage fetches the iterator's next page without blocking (the
// iterator's call options, then opts). Wait returns nil (and no error) past
// the last page. Until the Op has completed the iterator is busy: its other
// calls that use the pager (Next, NextPage, StartNextPage, Cursor) fail with
// an error matching ErrInvalidArgument; Close may be called at any time.
func (it *Iterator[T]) StartNextPage(ctx context.Context, opts ...CallOption) (*Op[*Page[T]], error) {
	if it.err != nil {
		return nil, it.err
	}
	if it.ptr == nil {
		return nil, &Error{Status: StatusInvalidArgument, Operation: it.op, Message: it.op + ": the iterator is closed", cause: ErrClosed}
	}
	if it.pos < it.recs.count {
		// The rest of the page Next started: no request, a completed Op.
		page, err := it.restPage(ctx)
		if err != nil {
			return nil, err
		}
		var prov Provider
		if page.Response != nil {
			prov = page.Response.Provider
		}
		o := &Op[*Page[T]]{c: it.c, opName: it.op, cname: it.op, provider: prov, rtype: ResultPage,
			done: make(chan struct{}), completed: true, val: page}
		close(o.done)
		return o, nil
	}
	cos := append(append([]CallOption(nil), it.cos...), opts...)
	pg := it.ptr
	op, err := startOp(it.c, ctx, it.op, cos, takePage(it.k),
		func(_ *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_pager_next_page_start(pg, co, cb, ud, out, ce)
		})
	runtime.KeepAlive(it) // no finalizer frees the pager during the start
	return op, err
}
