package invitekit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// waitOK waits (at most 30 s) for an operation that must succeed.
func waitOK[T any](t *testing.T, what string, op *Op[T], err error) T {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: start: %v", what, err)
	}
	ctx, cancel := context.WithTimeout(bg, 30*time.Second)
	defer cancel()
	v, err := op.Wait(ctx)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	select {
	case <-op.Done():
	default:
		t.Fatalf("%s: Wait returned before Done was closed", what)
	}
	return v
}

// waitErr waits (at most 30 s) for an operation that must fail.
func waitErr[T any](t *testing.T, what string, op *Op[T], err error) *Error {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: start: %v", what, err)
	}
	ctx, cancel := context.WithTimeout(bg, 30*time.Second)
	defer cancel()
	_, err = op.Wait(ctx)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: want an *Error, got %v", what, err)
	}
	return e
}

// opsSettle returns OpsInFlight once it is 0, or after 5 s: the library
// counts an operation until its callback has returned, a moment after Done
// is closed.
func opsSettle(c *Client) int64 {
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := c.OpsInFlight()
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(time.Millisecond)
	}
}

func checkOp[T any](t *testing.T, op *Op[T], p Provider, name string, rt ResultType) {
	t.Helper()
	if op.Provider() != p || op.Operation() != name || op.ResultType() != rt {
		t.Fatalf("op facts: %v %q %v, want %v %q %v", op.Provider(), op.Operation(), op.ResultType(), p, name, rt)
	}
}

// TestAsyncEveryOperation runs the sixteen Start* operations and the
// iterator's StartNextPage against the emulator, with the same checks as
// the blocking tests.
func TestAsyncEveryOperation(t *testing.T) {
	c := newTestClient(t)

	t.Run("openai", func(t *testing.T) {
		op, err := c.StartCreateOpenAIInvite(bg, OpenAIInviteCreate{Email: "go-async@example.com", Role: "reader",
			Projects: []OpenAIProject{{ID: "proj_1", Role: "member"}}})
		if err == nil {
			checkOp(t, op, ProviderOpenAI, "invites.create", ResultOpenAIInvite)
		}
		inv := waitOK(t, "create", op, err)
		if inv.Email != "go-async@example.com" || inv.Status != "pending" || len(inv.Projects) != 1 ||
			inv.Response == nil || inv.Response.HTTPStatus != 200 || string(inv.Response.Body) != string(inv.Raw) {
			t.Fatalf("create: %+v", inv)
		}
		op2, err := c.StartRetrieveOpenAIInvite(bg, inv.ID)
		got := waitOK(t, "retrieve", op2, err)
		if got.ID != inv.ID || got.Email != inv.Email {
			t.Fatalf("retrieve: %+v", got)
		}
		op3, err := c.StartListOpenAIInvites(bg, ListOptions{PageSize: 5})
		if err == nil {
			checkOp(t, op3, ProviderOpenAI, "invites.list", ResultPage)
		}
		page := waitOK(t, "list", op3, err)
		if len(page.Items) != 5 || !page.HasMore || page.Items[0].Email != "invitee-0001@example.com" ||
			page.Kind != KindOpenAIInvite || page.Items[0].Response != page.Response {
			t.Fatalf("list: %+v", page)
		}
		op4, err := c.StartDeleteOpenAIInvite(bg, inv.ID)
		if err == nil {
			checkOp(t, op4, ProviderOpenAI, "invites.delete", ResultDeletion)
		}
		del := waitOK(t, "delete", op4, err)
		if del.ID != inv.ID || del.Deleted == nil || !*del.Deleted || del.Kind != KindOpenAIInvite {
			t.Fatalf("delete: %+v", del)
		}
	})

	t.Run("twilio invites", func(t *testing.T) {
		op, err := c.StartCreateTwilioInvite(bg, emuService, "general", "go-async|1", "")
		if err == nil {
			checkOp(t, op, ProviderTwilio, "invites.create", ResultTwilioInvite)
		}
		inv := waitOK(t, "create", op, err)
		if inv.Identity != "go-async|1" || !strings.HasPrefix(inv.SID, "IN") || inv.Response.HTTPStatus != 201 {
			t.Fatalf("create: %+v", inv)
		}
		op2, err := c.StartFetchTwilioInvite(bg, emuService, "general", inv.SID)
		if got := waitOK(t, "fetch", op2, err); got.SID != inv.SID {
			t.Fatalf("fetch: %+v", got)
		}
		op3, err := c.StartListTwilioInvites(bg, emuService, "general", []string{"go-async|1", "nobody"}, ListOptions{})
		if page := waitOK(t, "list", op3, err); len(page.Items) != 1 || page.Items[0].SID != inv.SID || page.Kind != KindTwilioInvite {
			t.Fatalf("list: %+v", page)
		}
		op4, err := c.StartDeleteTwilioInvite(bg, emuService, "general", inv.SID)
		if del := waitOK(t, "delete", op4, err); del.ID != inv.SID || del.Response.HTTPStatus != 204 {
			t.Fatalf("delete: %+v", del)
		}
		op5, err := c.StartFetchTwilioInvite(bg, emuService, "general", inv.SID)
		e := waitErr(t, "fetch deleted", op5, err)
		if !errors.Is(e, ErrNotFound) || e.ProviderCode != "20404" {
			t.Fatalf("404: %v", e)
		}
	})

	t.Run("twilio users", func(t *testing.T) {
		op, err := c.StartCreateTwilioUser(bg, emuService, TwilioUserParams{Identity: "go-async a|b", FriendlyName: String("Go")})
		if err == nil {
			checkOp(t, op, ProviderTwilio, "users.create", ResultTwilioUser)
		}
		u := waitOK(t, "create", op, err)
		if u.Identity != "go-async a|b" || u.FriendlyName == nil || *u.FriendlyName != "Go" {
			t.Fatalf("create: %+v", u)
		}
		op2, err := c.StartFetchTwilioUser(bg, emuService, "go-async a|b")
		if f := waitOK(t, "fetch", op2, err); f.SID != u.SID {
			t.Fatalf("fetch: %+v", f)
		}
		op3, err := c.StartUpdateTwilioUser(bg, emuService, u.SID, TwilioUserParams{FriendlyName: String("")})
		if up := waitOK(t, "update", op3, err); up.FriendlyName == nil || *up.FriendlyName != "" {
			t.Fatalf("update: %+v", up)
		}
		op4, err := c.StartListTwilioUsers(bg, emuService, ListOptions{PageSize: 3})
		if page := waitOK(t, "list", op4, err); len(page.Items) != 3 || page.Items[0].Identity != "user-0001" || page.NextCursor == "" {
			t.Fatalf("list: %+v", page)
		}
		dup, err := c.StartCreateTwilioUser(bg, emuService, TwilioUserParams{Identity: "user-0001"})
		e := waitErr(t, "duplicate", dup, err)
		if !errors.Is(e, ErrConflict) {
			t.Fatalf("duplicate: %v", e)
		}
		op5, err := c.StartDeleteTwilioUser(bg, emuService, "go-async a|b")
		if del := waitOK(t, "delete", op5, err); del.ID != "go-async a|b" || del.Kind != KindTwilioUser {
			t.Fatalf("delete: %+v", del)
		}
	})

	t.Run("fastly", func(t *testing.T) {
		op, err := c.StartCreateFastlyInvitation(bg, FastlyInvitationCreate{Email: "go-async@example.com", Role: "engineer",
			Roles: []string{"r1", "r2"}, Services: []FastlyServiceGrant{{ServiceID: "svc1", Permission: "full"}}})
		if err == nil {
			checkOp(t, op, ProviderFastly, "invitations.create", ResultFastlyInvitation)
		}
		inv := waitOK(t, "create", op, err)
		if inv.Email != "go-async@example.com" || len(inv.Roles) != 2 || len(inv.ServiceInvitations) != 1 {
			t.Fatalf("create: %+v", inv)
		}
		op2, err := c.StartListFastlyInvitations(bg, ListOptions{PageSize: 10, ProviderCursor: "2"})
		if page := waitOK(t, "list", op2, err); len(page.Items) != 10 || page.Items[0].Email != "invitee-0011@example.com" ||
			page.Meta.FastlyCurrentPage == nil || *page.Meta.FastlyCurrentPage != 2 {
			t.Fatalf("list: %+v", page)
		}
		op3, err := c.StartDeleteFastlyInvitation(bg, inv.ID)
		if del := waitOK(t, "delete", op3, err); del.ID != inv.ID {
			t.Fatalf("delete: %+v", del)
		}
		op4, err := c.StartDeleteFastlyInvitation(bg, inv.ID)
		e := waitErr(t, "second delete", op4, err)
		if !errors.Is(e, ErrNotFound) {
			t.Fatalf("second delete: %v", e)
		}
	})
}

// TestAsyncErrors: an HTTP error (404) arrives through Wait; argument errors
// come from the Start* call itself and start nothing.
func TestAsyncErrors(t *testing.T) {
	c := newTestClient(t)
	op, err := c.StartRetrieveOpenAIInvite(bg, "invite-does-not-exist")
	e := waitErr(t, "404", op, err)
	if !errors.Is(e, ErrNotFound) || e.HTTPStatus != 404 || e.Provider != ProviderOpenAI || e.RequestID == "" ||
		len(e.Body) == 0 || e.Operation != "invites.retrieve" {
		t.Fatalf("404: %#v", e)
	}
	if v, ok := e.Field("type"); !ok || v != "invalid_request_error" {
		t.Fatalf("field type: %q %v", v, ok)
	}
	// Wait again: the same outcome.
	if _, err2 := op.Wait(bg); err2 != error(e) {
		t.Fatalf("second Wait: %v", err2)
	}

	in := opsSettle(c)
	op2, err := c.StartCreateTwilioInvite(bg, "ISnot-a-sid", "general", "someone", "")
	if op2 != nil || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad SID: %v %v", op2, err)
	}
	if _, err := c.StartListOpenAIInvites(bg, ListOptions{PageSize: -1}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad page size: %v", err)
	}
	if _, err := c.StartFetchTwilioUser(bg, emuService, "bad\xffutf8"); !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("bad UTF-8: %v", err)
	}
	if _, err := c.StartRetrieveOpenAIInvite(bg, "x", WithHeader("Authorization", "nope")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad header: %v", err)
	}
	if n := c.OpsInFlight(); n != in {
		t.Fatalf("rejected starts left %d ops in flight (was %d)", n, in)
	}
	cctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := c.StartRetrieveOpenAIInvite(cctx, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
	if _, err := c.CompletionFD(); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("CompletionFD in the I/O-thread mode: %v", err)
	}
	if n, err := c.Dispatch(0); n != 0 || err != nil {
		t.Fatalf("Dispatch in the I/O-thread mode: %d %v", n, err)
	}
}

// TestAsync500InFlight starts 500 operations from one goroutine, then waits
// for all of them.
func TestAsync500InFlight(t *testing.T) {
	c := newTestClient(t, func(o *Options) { o.MaxConnections = 16 })
	page, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 20})
	if err != nil || len(page.Items) < 10 {
		t.Fatalf("seed list: %v", err)
	}
	emu.addFaults(t, "GET /v1/organization/invites/* latency=20")
	const n = 500
	start := time.Now()
	ops := make([]*Op[*OpenAIInvite], n)
	for i := range ops {
		op, err := c.StartRetrieveOpenAIInvite(bg, page.Items[i%len(page.Items)].ID)
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		ops[i] = op
	}
	started := time.Since(start)
	inFlight := c.OpsInFlight()
	if inFlight <= 0 || inFlight > n {
		t.Fatalf("OpsInFlight after starting %d: %d", n, inFlight)
	}
	ctx, cancel := context.WithTimeout(bg, 120*time.Second)
	defer cancel()
	for i, op := range ops {
		inv, err := op.Wait(ctx)
		if err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
		if inv.ID != page.Items[i%len(page.Items)].ID {
			t.Fatalf("op %d: got %s", i, inv.ID)
		}
	}
	if got := opsSettle(c); got != 0 {
		t.Fatalf("OpsInFlight after all completed: %d", got)
	}
	if conns := c.ConnectionsOpened(); conns > 16+1 {
		t.Errorf("connections opened: %d (MaxConnections 16)", conns)
	}
	t.Logf("%d ops: started in %v (%d in flight), all done in %v, %d connections", n, started, inFlight,
		time.Since(start), c.ConnectionsOpened())
}

// TestAsyncCancellation: the Start* context, Wait's context and Cancel stop
// a request in flight.
func TestAsyncCancellation(t *testing.T) {
	c := newTestClient(t)
	emu.addFaults(t, "GET /v1/organization/invites* latency=3000")

	// the context of the Start* call, cancelled mid-request
	ctx, cancel := context.WithCancel(bg)
	op, err := c.StartRetrieveOpenAIInvite(ctx, "invite-x")
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	select {
	case <-op.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("not done 2 s after the context was cancelled")
	}
	_, err = op.Wait(bg)
	var e *Error
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) || !errors.As(err, &e) ||
		e.CancelledBy != CancelledByOperation || time.Since(start) > 2*time.Second {
		t.Fatalf("start context: %v (%v) after %v", err, e, time.Since(start))
	}

	// Wait's own context
	lop, err := c.StartListOpenAIInvites(bg, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(bg, 100*time.Millisecond)
	defer wcancel()
	start = time.Now()
	_, err = lop.Wait(wctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrCancelled) || time.Since(start) > 2*time.Second {
		t.Fatalf("Wait context: %v after %v", err, time.Since(start))
	}

	// a deadline on the Start* context
	dctx, dcancel := context.WithTimeout(bg, 150*time.Millisecond)
	defer dcancel()
	op2, err := c.StartRetrieveOpenAIInvite(dctx, "invite-x")
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if _, err = op2.Wait(bg); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(start))
	}

	// Cancel, twice, and once more after completion
	op3, err := c.StartRetrieveOpenAIInvite(bg, "invite-x")
	if err != nil {
		t.Fatal(err)
	}
	op3.Cancel()
	op3.Cancel()
	_, err = op3.Wait(bg)
	if !errors.Is(err, ErrCancelled) || errors.Is(err, context.Canceled) || !errors.As(err, &e) || e.CancelledBy != CancelledByOperation {
		t.Fatalf("Cancel: %v", err)
	}
	op3.Cancel()

	// the pager's next page, cancelled: the pager is unchanged and usable
	it := c.OpenAIInvites(bg, ListOptions{PageSize: 5})
	defer it.Close()
	op4, err := it.StartNextPage(bg)
	if err != nil {
		t.Fatal(err)
	}
	op4.Cancel()
	if _, err := op4.Wait(bg); !errors.Is(err, ErrCancelled) {
		t.Fatalf("pager cancel: %v", err)
	}
	if it.ItemsDelivered() != 0 {
		t.Fatalf("a cancelled page moved the pager: %d", it.ItemsDelivered())
	}
	if got := opsSettle(c); got != 0 {
		t.Fatalf("OpsInFlight: %d", got)
	}
}

// TestAsyncCloseWithOpsInFlight: Close cancels the operations in flight and
// their completions have run when it returns.
func TestAsyncCloseWithOpsInFlight(t *testing.T) {
	for _, mode := range []CompletionMode{CompletionsIOThread, CompletionsQueued, CompletionsIOThreadRelay} {
		t.Run(mode.String(), func(t *testing.T) {
			c := newTestClient(t, func(o *Options) { o.CompletionMode = mode })
			emu.addFaults(t, "GET /v1/organization/invites* latency=2000")
			var ops []*Op[*OpenAIInvite]
			for i := 0; i < 8; i++ {
				op, err := c.StartRetrieveOpenAIInvite(bg, fmt.Sprint("invite-", i))
				if err != nil {
					t.Fatal(err)
				}
				ops = append(ops, op)
			}
			it := c.OpenAIInvites(bg, ListOptions{})
			defer it.Close()
			pop, err := it.StartNextPage(bg)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond) // let some requests go out
			start := time.Now()
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 1500*time.Millisecond {
				t.Fatalf("Close took %v", d)
			}
			for i, op := range ops {
				select {
				case <-op.Done():
				default:
					t.Fatalf("op %d not complete when Close returned", i)
				}
				_, err := op.Wait(bg)
				var e *Error
				if !errors.Is(err, ErrCancelled) || !errors.Is(err, ErrClosed) || !errors.As(err, &e) || e.CancelledBy != CancelledByClientFree {
					t.Fatalf("op %d: %v", i, err)
				}
			}
			select {
			case <-pop.Done():
			default:
				t.Fatal("the pager's op was not complete when Close returned")
			}
			if _, err := pop.Wait(bg); !errors.Is(err, ErrCancelled) {
				t.Fatalf("pager op: %v", err)
			}
			if _, err := c.StartRetrieveOpenAIInvite(bg, "x"); !errors.Is(err, ErrClosed) {
				t.Fatalf("start after Close: %v", err)
			}
			if _, err := it.StartNextPage(bg); !errors.Is(err, ErrClosed) {
				t.Fatalf("next page after Close: %v", err)
			}
			if c.OpsInFlight() != 0 {
				t.Fatal("OpsInFlight after Close")
			}
		})
	}
}

// TestAsyncPagerNextPage walks a list with StartNextPage and compares it with
// the blocking iterator; the iterator may be closed while a page is in flight.
func TestAsyncPagerNextPage(t *testing.T) {
	c := newTestClient(t)
	var want []string
	ref := c.OpenAIInvites(bg, ListOptions{PageSize: 7, MaxItems: 20})
	for ref.Next(bg) {
		want = append(want, ref.Item().ID)
	}
	if ref.Err() != nil || len(want) != 20 {
		t.Fatalf("reference: %d %v", len(want), ref.Err())
	}
	_ = ref.Close()

	it := c.OpenAIInvites(bg, ListOptions{PageSize: 7, MaxItems: 20})
	defer it.Close()
	var got []string
	var sizes []int
	for i := 0; i < 10; i++ {
		op, err := it.StartNextPage(bg)
		if err == nil {
			checkOp(t, op, ProviderOpenAI, "invites.list", ResultPage)
		}
		page := waitOK(t, "next page", op, err)
		if page == nil {
			break
		}
		sizes = append(sizes, len(page.Items))
		for _, inv := range page.Items {
			got = append(got, inv.ID)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(sizes) != "[7 7 6]" || !it.Done() || it.ItemsDelivered() != 20 {
		t.Fatalf("pages %v: %v, want %v", sizes, got, want)
	}
	if cur, err := it.Cursor(); err != nil || cur == "" { // MaxItems reached: resumable
		t.Fatalf("cursor after MaxItems: %q %v", cur, err)
	}

	// busy while in flight, then usable again
	emu.addFaults(t, "GET /v1/organization/invites* count=1 latency=300")
	it2 := c.OpenAIInvites(bg, ListOptions{PageSize: 5})
	op, err := it2.StartNextPage(bg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := it2.Cursor(); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("cursor of a busy pager: %v", err)
	}
	if page := waitOK(t, "slow page", op, err); len(page.Items) != 5 {
		t.Fatalf("slow page: %d", len(page.Items))
	}
	if !it2.Next(bg) || it2.Item().ID != want[5] {
		t.Fatalf("Next after StartNextPage: %v", it2.Err())
	}
	// closed while a page is in flight: the page (the rest of the one Next
	// started) still arrives
	op, err = it2.StartNextPage(bg)
	if err != nil {
		t.Fatal(err)
	}
	_ = it2.Close()
	if page := waitOK(t, "page of a closed iterator", op, err); len(page.Items) != 4 || page.Items[0].ID != want[6] {
		t.Fatalf("page of a closed iterator: %d items", len(page.Items))
	}
	if _, err := it2.StartNextPage(bg); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed iterator: %v", err)
	}
}

func fdReadable(t *testing.T, fd int, timeout time.Duration) bool {
	t.Helper()
	var set syscall.FdSet
	set.Bits[fd/64] |= 1 << (uint(fd) % 64)
	tv := syscall.NsecToTimeval(timeout.Nanoseconds())
	for {
		n, err := syscall.Select(fd+1, &set, nil, nil, &tv)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			t.Fatalf("select: %v", err)
		}
		return n > 0
	}
}

// TestAsyncQueuedMode: completions wait for Dispatch (driven by the
// completion descriptor) or for Wait, which dispatches.
func TestAsyncQueuedMode(t *testing.T) {
	c := newTestClient(t, func(o *Options) { o.CompletionMode = CompletionsQueued; o.MaxConnections = 4 })
	fd, err := c.CompletionFD()
	if err != nil || fd < 0 {
		t.Fatalf("CompletionFD: %d %v", fd, err)
	}
	op, err := c.StartListTwilioUsers(bg, emuService, ListOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatal("no completion within 10 s")
		}
		if !fdReadable(t, fd, 100*time.Millisecond) {
			select {
			case <-op.Done():
				t.Fatal("Done closed without a Dispatch")
			default:
			}
			continue
		}
		n, err := c.Dispatch(0)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
	}
	select {
	case <-op.Done():
	default:
		t.Fatal("Dispatch ran a completion but Done is open")
	}
	if page := waitOK(t, "dispatched", op, nil); len(page.Items) != 2 || page.Items[0].Identity != "user-0001" {
		t.Fatalf("page: %+v", page)
	}
	// Wait dispatches by itself.
	op2, err := c.StartFetchTwilioUser(bg, emuService, "user-0002")
	if u := waitOK(t, "Wait dispatching", op2, err); u.Identity != "user-0002" {
		t.Fatalf("user: %+v", u)
	}
	// Wait's context cancels while it dispatches.
	emu.addFaults(t, "GET /v2/Services/* latency=3000")
	op3, err := c.StartFetchTwilioUser(bg, emuService, "user-0003")
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := op3.Wait(wctx); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrCancelled) || time.Since(start) > 2*time.Second {
		t.Fatalf("queued Wait with a context: %v after %v", err, time.Since(start))
	}
	if n, err := c.Dispatch(0); n != 0 || err != nil {
		t.Fatalf("nothing left to dispatch: %d %v", n, err)
	}
	if _, err := c.Dispatch(-1); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("Dispatch(-1): %v", err)
	}
}

// TestAsyncRetryFuncOnIOThread: a RetryFunc run for a non-blocking operation
// runs on the client's I/O thread, where a blocking call fails with
// ErrWouldBlock instead of deadlocking the engine.
func TestAsyncRetryFuncOnIOThread(t *testing.T) {
	var c *Client
	blockingErr := make(chan error, 4)
	c = newTestClient(t, func(o *Options) {
		o.MaxRetries = 1
		o.RetryFunc = func(RetryInfo) error {
			_, err := c.RetrieveOpenAIInvite(bg, "invite-x")
			blockingErr <- err
			return nil
		}
	})
	emu.addFaults(t, "GET /invitations count=1 status=503")
	op, err := c.StartListFastlyInvitations(bg, ListOptions{PageSize: 2})
	if page := waitOK(t, "retried", op, err); len(page.Items) != 2 || page.Response.Attempts != 2 {
		t.Fatalf("page: %+v", page.Response)
	}
	select {
	case err := <-blockingErr:
		if !errors.Is(err, ErrWouldBlock) {
			t.Fatalf("blocking call on the I/O thread: %v", err)
		}
	default:
		t.Fatal("RetryFunc not called")
	}
}

func TestAsyncNames(t *testing.T) {
	if ResultPage.String() != "IK_RESULT_PAGE" || ResultType(99).String() != "IK_RESULT(99)" ||
		CancelledByClientFree.String() != "client_free" || CancelledByOperation.String() != "operation" ||
		StatusWouldBlock.Name() != "IK_STATUS_WOULD_BLOCK" || CompletionsQueued.String() != "queued" ||
		CompletionsIOThread.String() != "io_thread" {
		t.Fatal("names")
	}
}

// TestAsyncHandlesReleasedRSSFlat runs many operations that fail fast (a
// refused connection), some cancelled through their context and some
// rejected by Start*: every completion handle is deleted exactly once, the
// context watchers end, and VmRSS stays flat (measured without -race).
func TestAsyncHandlesReleasedRSSFlat(t *testing.T) {
	n := 20000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	const batch = 250
	c, err := NewClient(Options{IgnoreEnv: true, MaxRetries: -1, MaxConnections: 32,
		OpenAI: OpenAIOptions{AdminKey: "k", BaseURL: "http://127.0.0.1:9/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	baseHandles := atomic.LoadInt64(&opHandles)
	baseGoroutines := runtime.NumGoroutine()
	ops := make([]*Op[*OpenAIInvite], 0, batch)
	cancels := make([]context.CancelFunc, 0, batch)
	round := func() {
		ops, cancels = ops[:0], cancels[:0]
		for i := 0; i < batch; i++ {
			if i%10 == 9 {
				if _, err := c.StartRetrieveOpenAIInvite(bg, "bad\xff"); !errors.Is(err, ErrInvalidUTF8) {
					t.Fatalf("rejected start: %v", err)
				}
				continue
			}
			ctx := bg
			if i%2 == 1 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(bg)
				cancels = append(cancels, cancel)
			}
			op, err := c.StartRetrieveOpenAIInvite(ctx, "invite-x")
			if err != nil {
				t.Fatal(err)
			}
			ops = append(ops, op)
		}
		for _, cancel := range cancels {
			cancel()
		}
		for _, op := range ops {
			if _, err := op.Wait(bg); !errors.Is(err, ErrTransport) && !errors.Is(err, ErrCancelled) {
				t.Fatalf("want a transport error or a cancellation, got %v", err)
			}
		}
	}
	warm := n / 10 / batch
	for i := 0; i < warm; i++ {
		round()
	}
	settle()
	before := vmRSSkB(t)
	for i := warm; i < n/batch; i++ {
		round()
	}
	settle()
	after := vmRSSkB(t)
	if h := atomic.LoadInt64(&opHandles); h != baseHandles {
		t.Fatalf("%d completion handles not deleted", h-baseHandles)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseGoroutines+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > baseGoroutines+2 {
		t.Fatalf("goroutines: %d, %d before", g, baseGoroutines)
	}
	t.Logf("%d operations: VmRSS %d kB -> %d kB (%+d kB)", n, before, after, after-before)
	if raceEnabled {
		t.Logf("-race: RSS not checked (the race detector's shadow memory grows with every goroutine)")
		return
	}
	if after-before > 8*1024 {
		t.Fatalf("VmRSS grew by %d kB over %d operations", after-before, n-warm*batch)
	}
}
