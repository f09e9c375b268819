package invitekit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLibraryVersions(t *testing.T) {
	if got := LibraryABIVersion(); got != ABIVersion {
		t.Fatalf("ik_abi_version() = %q, want %q", got, ABIVersion)
	}
	if err := checkABI(); err != nil {
		t.Fatal(err)
	}
	maj, min, pat := LibraryVersionParts()
	if LibraryVersionNumber() != maj*10000+min*100+pat || LibraryVersion() != fmt.Sprintf("%d.%d.%d", maj, min, pat) {
		t.Fatalf("versions disagree: %s %d", LibraryVersion(), LibraryVersionNumber())
	}
	if LibcurlVersion() == "" || DefaultMaxResponseBytes() <= 0 {
		t.Fatal("libcurl version / max response bytes")
	}
	if LibraryFeatures()&FeatureThreads == 0 {
		t.Fatal("the library does not report IK_FEATURE_THREADS")
	}
	if StatusNotFound.Name() != "IK_STATUS_NOT_FOUND" || StatusNotFound.String() == "" {
		t.Fatal(StatusNotFound.Name())
	}
	if Status(999).Name() == "" || ProviderOpenAI.String() != "openai" || LogDebug.String() != "debug" {
		t.Fatal("names")
	}
}

func TestNewClientErrors(t *testing.T) {
	_, err := NewClient(Options{IgnoreEnv: true, OpenAI: OpenAIOptions{BaseURL: "ftp://nope"}})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrInvalidArgument) || e.Message == "" {
		t.Fatalf("bad base URL: %v", err)
	}
	// A failed NewClient with callbacks releases the callbacks' handles.
	_, err = NewClient(Options{IgnoreEnv: true, Fastly: FastlyOptions{BaseURL: "gopher://x"},
		Logger: LoggerFunc(func(LogRecord) {}), RetryFunc: func(RetryInfo) error { return nil }})
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatal(err)
	}
	// No credentials: the call fails, not the constructor.
	c, err := NewClient(Options{IgnoreEnv: true, OpenAI: OpenAIOptions{BaseURL: "http://127.0.0.1:9/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.HasCredentials(ProviderOpenAI) {
		t.Fatal("credentials without any")
	}
	if c.BaseURL(ProviderOpenAI) != "http://127.0.0.1:9/v1" {
		t.Fatal(c.BaseURL(ProviderOpenAI))
	}
	_, err = c.RetrieveOpenAIInvite(bg, "invite-x")
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("want ErrNoCredentials, got %v", err)
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	c := newTestClient(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := c.RetrieveOpenAIInvite(bg, "invite-x")
	if !errors.Is(err, ErrClosed) || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("use after Close: %v", err)
	}
	it := c.OpenAIInvites(bg, ListOptions{})
	if it.Next(bg) || !errors.Is(it.Err(), ErrClosed) {
		t.Fatalf("iterator of a closed client: %v", it.Err())
	}
	_ = it.Close()
	_ = it.Close()
	if c.BaseURL(ProviderOpenAI) != "" || c.HasCredentials(ProviderOpenAI) || c.ConnectionsOpened() != 0 {
		t.Fatal("accessors after Close")
	}
}

func TestOpenAIInvites(t *testing.T) {
	c := newTestClient(t)
	inv, err := c.CreateOpenAIInvite(bg, OpenAIInviteCreate{Email: "go-a@example.com", Role: "reader",
		Projects: []OpenAIProject{{ID: "proj_1", Role: "member"}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "go-a@example.com" || inv.Role != "reader" || inv.Status != "pending" || !inv.HasProjects ||
		len(inv.Projects) != 1 || inv.Projects[0] != (OpenAIProject{"proj_1", "member"}) {
		t.Fatalf("created: %+v", inv)
	}
	if inv.CreatedAt == nil || inv.ExpiresAt == nil || inv.AcceptedAt != nil || inv.ExpiresAt.Sub(*inv.CreatedAt) != 7*24*time.Hour {
		t.Fatalf("timestamps: %v %v %v", inv.CreatedAt, inv.ExpiresAt, inv.AcceptedAt)
	}
	if inv.Response == nil || inv.Response.HTTPStatus != 200 || inv.Response.Attempts != 1 ||
		!strings.HasPrefix(inv.Response.RequestID, "req_") || inv.Response.Header("X-Request-Id") != inv.Response.RequestID {
		t.Fatalf("response: %+v", inv.Response)
	}
	var m map[string]interface{}
	if err := json.Unmarshal(inv.Raw, &m); err != nil || m["id"] != inv.ID {
		t.Fatalf("raw: %s %v", inv.Raw, err)
	}
	if string(inv.Response.Body) != string(inv.Raw) {
		t.Fatal("body != raw for a single object")
	}
	// projects = [] is sent and differs from omitted
	inv2, err := c.CreateOpenAIInvite(bg, OpenAIInviteCreate{Email: "go-b@example.com", Role: "owner", SendProjects: true})
	if err != nil || inv2.Projects == nil || len(inv2.Projects) != 0 {
		t.Fatalf("empty projects: %+v %v", inv2, err)
	}
	got, err := c.RetrieveOpenAIInvite(bg, inv.ID)
	if err != nil || got.ID != inv.ID || got.Email != inv.Email {
		t.Fatalf("retrieve: %+v %v", got, err)
	}
	page, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 5})
	if err != nil || len(page.Items) != 5 || !page.HasMore || page.NextCursor == "" || page.Kind != KindOpenAIInvite {
		t.Fatalf("list: %+v %v", page, err)
	}
	if page.Items[0].Email != "invitee-0001@example.com" || page.ItemIDs[0] != page.Items[0].ID ||
		page.Meta.OpenAIFirstID == nil || *page.Meta.OpenAIFirstID != page.Items[0].ID || !page.genericOK[0] {
		t.Fatalf("page items: %+v", page.Items[0])
	}
	if page.Items[0].Response != page.Response {
		t.Fatal("items of a page share the page's response")
	}
	page2, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 5, Cursor: page.NextCursor})
	if err != nil || page2.Items[0].Email != "invitee-0006@example.com" {
		t.Fatalf("cursor: %v", err)
	}
	del, err := c.DeleteOpenAIInvite(bg, inv.ID)
	if err != nil || del.ID != inv.ID || del.Deleted == nil || !*del.Deleted || del.Object == nil ||
		*del.Object != "organization.invite.deleted" || del.Kind != KindOpenAIInvite || len(del.Raw) == 0 {
		t.Fatalf("delete: %+v %v", del, err)
	}
	_, err = c.RetrieveOpenAIInvite(bg, inv.ID)
	var e *Error
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &e) || e.HTTPStatus != 404 || e.Provider != ProviderOpenAI ||
		e.Operation == "" || e.RequestID == "" || e.ProviderMessage == "" || len(e.Body) == 0 || e.Retryable ||
		e.Attempts != 1 || e.Header("x-request-id") != e.RequestID {
		t.Fatalf("404: %#v", err)
	}
	if v, ok := e.Field("type"); !ok || v != "invalid_request_error" {
		t.Fatalf("field type: %q %v", v, ok)
	}
	// Deleting an accepted (every 5th seeded) invite: 400.
	_, err = c.DeleteOpenAIInvite(bg, page.Items[4].ID)
	if !errors.Is(err, ErrBadRequest) {
		t.Fatalf("delete accepted: %v", err)
	}
	if page.Items[4].AcceptedAt == nil || page.Items[4].Status != "accepted" {
		t.Fatalf("seeded accepted: %+v", page.Items[4])
	}
}

func TestTwilioInvites(t *testing.T) {
	c := newTestClient(t)
	inv, err := c.CreateTwilioInvite(bg, emuService, "general", "go-user|1", "")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Identity != "go-user|1" || !strings.HasPrefix(inv.SID, "IN") || inv.RoleSID == nil || inv.CreatedBy != nil ||
		inv.DateCreated == nil || inv.DateCreatedText == nil || inv.Response.HTTPStatus != 201 {
		t.Fatalf("create: %+v", inv)
	}
	got, err := c.FetchTwilioInvite(bg, emuService, "general", inv.SID)
	if err != nil || got.SID != inv.SID || got.ChannelSID != inv.ChannelSID {
		t.Fatalf("fetch: %v", err)
	}
	page, err := c.ListTwilioInvites(bg, emuService, "general", []string{"go-user|1", "nobody"}, ListOptions{})
	if err != nil || len(page.Items) != 1 || page.Items[0].SID != inv.SID || page.Meta.TwilioPageSize == nil {
		t.Fatalf("list filtered: %+v %v", page, err)
	}
	it := c.TwilioInvites(bg, emuService, emuChannel, nil, ListOptions{PageSize: 10})
	n := 0
	for it.Next(bg) {
		n++
	}
	if it.Err() != nil || n != 25 {
		t.Fatalf("iterate: %d %v", n, it.Err())
	}
	_ = it.Close()
	del, err := c.DeleteTwilioInvite(bg, emuService, "general", inv.SID)
	if err != nil || del.ID != inv.SID || del.Deleted == nil || !*del.Deleted || del.Object != nil || del.Raw != nil ||
		del.Response.HTTPStatus != 204 {
		t.Fatalf("delete: %+v %v", del, err)
	}
	_, err = c.FetchTwilioInvite(bg, emuService, "general", inv.SID)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) || e.ProviderCode != "20404" {
		t.Fatalf("404: %v", err)
	}
	if _, ok := e.Field("more_info"); !ok {
		t.Fatal("more_info")
	}
	_, err = c.FetchTwilioInvite(bg, "ISbad", "general", inv.SID)
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("SID validation: %v", err)
	}
}

func TestTwilioUsers(t *testing.T) {
	c := newTestClient(t)
	u, err := c.CreateTwilioUser(bg, emuService, TwilioUserParams{Identity: "go a|b/c d", FriendlyName: String("Go"),
		Attributes: String(`{"k":1}`), WebhookEnabled: Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if u.Identity != "go a|b/c d" || *u.FriendlyName != "Go" || *u.Attributes != `{"k":1}` || u.IsOnline != nil ||
		u.LinkUserChannels == nil || u.URL == nil {
		t.Fatalf("create: %+v", u)
	}
	f, err := c.FetchTwilioUser(bg, emuService, "go a|b/c d")
	if err != nil || f.SID != u.SID {
		t.Fatalf("fetch by identity: %v", err)
	}
	up, err := c.UpdateTwilioUser(bg, emuService, u.SID, TwilioUserParams{FriendlyName: String("")})
	if err != nil || up.FriendlyName == nil || *up.FriendlyName != "" {
		t.Fatalf("update: %+v %v", up, err)
	}
	page, err := c.ListTwilioUsers(bg, emuService, ListOptions{PageSize: 3})
	if err != nil || len(page.Items) != 3 || page.Items[0].Identity != "user-0001" || page.Meta.TwilioNextPageURL == nil ||
		page.NextCursor == "" {
		t.Fatalf("list: %+v %v", page, err)
	}
	_, err = c.CreateTwilioUser(bg, emuService, TwilioUserParams{Identity: "user-0001"})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	del, err := c.DeleteTwilioUser(bg, emuService, "go a|b/c d")
	if err != nil || del.ID != "go a|b/c d" || del.Kind != KindTwilioUser {
		t.Fatalf("delete: %+v %v", del, err)
	}
}

func TestFastlyInvitations(t *testing.T) {
	c := newTestClient(t)
	inv, err := c.CreateFastlyInvitation(bg, FastlyInvitationCreate{Email: "go@example.com", Role: "engineer",
		Roles: []string{"r1", "r2"}, LimitServices: Bool(true), CustomerID: "cust123",
		Services: []FastlyServiceGrant{{ServiceID: "svc1", Permission: "full"}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "go@example.com" || inv.Type != "invitation" || *inv.Role != "engineer" || len(inv.Roles) != 2 ||
		inv.LimitServices == nil || !*inv.LimitServices || *inv.CustomerID != "cust123" || len(inv.ServiceInvitations) != 1 ||
		inv.StatusCode == nil || *inv.StatusCode != 1 || inv.CreatedAt == nil || inv.DeletedAt != nil {
		t.Fatalf("create: %+v", inv)
	}
	page, err := c.ListFastlyInvitations(bg, ListOptions{PageSize: 10, ProviderCursor: "2"})
	if err != nil || len(page.Items) != 10 || page.Items[0].Email != "invitee-0011@example.com" ||
		page.Meta.FastlyCurrentPage == nil || *page.Meta.FastlyCurrentPage != 2 || page.Meta.FastlyLinkNext == nil {
		t.Fatalf("list: %+v %v", page, err)
	}
	del, err := c.DeleteFastlyInvitation(bg, inv.ID)
	if err != nil || del.ID != inv.ID {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.DeleteFastlyInvitation(bg, inv.ID)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestIteratorMaxItemsCursorPages(t *testing.T) {
	c := newTestClient(t)
	it := c.FastlyInvitations(bg, ListOptions{PageSize: 4, MaxItems: 7})
	var ids []string
	for it.Next(bg) {
		ids = append(ids, it.Item().ID)
	}
	if it.Err() != nil || len(ids) != 7 || !it.Done() || it.ItemsDelivered() != 7 || it.Kind() != KindFastlyInvitation {
		t.Fatalf("max items: %d %v", len(ids), it.Err())
	}
	cur, err := it.Cursor()
	if err != nil || cur == "" {
		t.Fatalf("cursor: %q %v", cur, err)
	}
	_ = it.Close()
	it2 := c.FastlyInvitations(bg, ListOptions{PageSize: 4, Cursor: cur})
	defer it2.Close()
	pages, n := 0, 0
	for it2.NextPage(bg) {
		pages++
		n += len(it2.Page().Items)
		if pages == 1 && it2.Page().Items[0].Email != "invitee-0008@example.com" {
			t.Fatalf("resume: %s", it2.Page().Items[0].Email)
		}
	}
	if it2.Err() != nil || n < 25-7 {
		t.Fatalf("pages: %d items %d %v", pages, n, it2.Err())
	}
	end, _ := it2.Cursor()
	if end != "" {
		t.Fatalf("cursor at the end: %q", end)
	}
	// mid-page cursor of the item iterator
	it3 := c.OpenAIInvites(bg, ListOptions{PageSize: 10})
	for i := 0; i < 3 && it3.Next(bg); i++ {
	}
	cur3, _ := it3.Cursor()
	_ = it3.Close()
	it4 := c.OpenAIInvites(bg, ListOptions{Cursor: cur3, MaxItems: 1})
	if !it4.Next(bg) || it4.Item().Email != "invitee-0004@example.com" {
		t.Fatalf("mid-page resume: %v %v", it4.Item().Email, it4.Err())
	}
	_ = it4.Close()
	// a bad cursor is an error from Next, not a panic
	it5 := c.OpenAIInvites(bg, ListOptions{Cursor: "garbage"})
	if it5.Next(bg) || !errors.Is(it5.Err(), ErrInvalidArgument) {
		t.Fatalf("bad cursor: %v", it5.Err())
	}
	_ = it5.Close()
}

func TestConcurrentUse(t *testing.T) {
	c := newTestClient(t)
	var wg sync.WaitGroup
	var fails int32
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				ctx, cancel := context.WithTimeout(bg, 10*time.Second)
				inv, err := c.CreateOpenAIInvite(ctx, OpenAIInviteCreate{Email: fmt.Sprintf("g%d-%d@example.com", g, i), Role: "reader"})
				if err == nil {
					_, err = c.RetrieveOpenAIInvite(ctx, inv.ID)
				}
				if err == nil {
					_, err = c.DeleteOpenAIInvite(ctx, inv.ID)
				}
				if err == nil {
					_, err = c.FetchTwilioUser(ctx, emuService, "user-0002")
				}
				if err == nil && i%3 == 0 {
					it := c.TwilioUsers(ctx, emuService, ListOptions{PageSize: 7, MaxItems: 12})
					n := 0
					for it.Next(ctx) {
						n++
					}
					if it.Err() == nil && n != 12 {
						err = fmt.Errorf("iterator gave %d items", n)
					} else {
						err = it.Err()
					}
					_ = it.Close()
				}
				cancel()
				if err != nil {
					atomic.AddInt32(&fails, 1)
					select {
					case errs <- err:
					default:
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c.ConnectionsOpened() > 40 {
		t.Errorf("connections opened: %d (pool not reused?)", c.ConnectionsOpened())
	}
}

func TestContextCancellationAndDeadline(t *testing.T) {
	c := newTestClient(t)
	emu.addFaults(t, "GET /v1/organization/invites* latency=3000")

	ctx, cancel := context.WithCancel(bg)
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.RetrieveOpenAIInvite(ctx, "invite-x")
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) || time.Since(start) > 2*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
	var e *Error
	if !errors.As(err, &e) || e.CancelledBy != CancelledByToken {
		t.Fatalf("cancelled by: %#v", err)
	}

	ctx2, cancel2 := context.WithTimeout(bg, 150*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = c.ListOpenAIInvites(ctx2, ListOptions{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(start))
	}

	// already-cancelled context: no request at all
	_, err = c.RetrieveOpenAIInvite(ctx, "invite-x")
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}

	// iterator: cancel mid-request
	ctx3, cancel3 := context.WithCancel(bg)
	it := c.OpenAIInvites(ctx3, ListOptions{})
	time.AfterFunc(100*time.Millisecond, cancel3)
	start = time.Now()
	if it.Next(ctx3) || !errors.Is(it.Err(), context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("iterator cancel: %v", it.Err())
	}
	_ = it.Close()

	// the same client still works, with a context that is never cancelled
	emu.clearFaults()
	ctx4, cancel4 := context.WithTimeout(bg, 10*time.Second)
	defer cancel4()
	if _, err := c.FetchTwilioUser(ctx4, emuService, "user-0001"); err != nil {
		t.Fatal(err)
	}
}

func TestFreeOrders(t *testing.T) {
	needEmulator(t)
	// client closed before the iterator
	c := newTestClient(t)
	it := c.TwilioUsers(bg, emuService, ListOptions{PageSize: 2})
	if !it.Next(bg) {
		t.Fatal(it.Err())
	}
	_ = c.Close()
	if it.Next(bg) || !errors.Is(it.Err(), ErrClosed) {
		t.Fatalf("after client Close: %v", it.Err())
	}
	_ = it.Close()
	_ = it.Close()

	// iterator closed before the client, then use after close
	c2 := newTestClient(t)
	it2 := c2.OpenAIInvites(bg, ListOptions{PageSize: 2})
	it2.Next(bg)
	item := it2.Item()
	_ = it2.Close()
	if it2.Next(bg) || !errors.Is(it2.Err(), ErrClosed) {
		t.Fatalf("next after Close: %v", it2.Err())
	}
	if _, err := it2.Cursor(); err == nil {
		t.Fatal("cursor after close")
	}
	_ = c2.Close()
	if item.Email == "" || item.Response == nil { // results outlive both
		t.Fatal("item after close")
	}

	// leaked client and iterators: the finalizers release them in any order
	for i := 0; i < 20; i++ {
		c3, err := NewClient(emuOptions(emu))
		if err != nil {
			t.Fatal(err)
		}
		it3 := c3.FastlyInvitations(bg, ListOptions{PageSize: 3})
		it3.Next(bg)
		it3.NextPage(bg)
	}
	for i := 0; i < 3; i++ {
		runtimeGC()
	}
}

func TestRetryFuncAndLogger(t *testing.T) {
	var calls int32
	var logs int32
	c := newTestClient(t, func(o *Options) {
		o.MaxRetries = 2
		o.RetryFunc = func(ri RetryInfo) error {
			atomic.AddInt32(&calls, 1)
			if ri.Operation == "" || ri.Attempt < 1 || ri.HTTPStatus != 503 || ri.Provider != ProviderFastly {
				return fmt.Errorf("bad retry info %+v", ri)
			}
			return nil
		}
		o.Logger = LoggerFunc(func(r LogRecord) {
			atomic.AddInt32(&logs, 1)
			if strings.Contains(r.URL, emuFastlyToken) || strings.Contains(r.Message, emuFastlyToken) {
				panic("secret in log")
			}
			panic("a panicking logger must not crash the process")
		})
		o.LogLevel = LogDebug
	})
	emu.addFaults(t, "GET /invitations count=1 status=503")
	page, err := c.ListFastlyInvitations(bg, ListOptions{PageSize: 2})
	if err != nil || page.Response.Attempts != 2 || atomic.LoadInt32(&calls) != 1 {
		t.Fatalf("retried: %v attempts calls=%d", err, calls)
	}
	if atomic.LoadInt32(&logs) == 0 {
		t.Fatal("no log record")
	}
}

var errVeto = errors.New("veto from the test")

func TestRetryFuncVetoAndPanic(t *testing.T) {
	var mode atomic.Value
	mode.Store("veto")
	c := newTestClient(t, func(o *Options) {
		o.MaxRetries = 3
		o.RetryFunc = func(ri RetryInfo) error {
			if mode.Load() == "panic" {
				panic("boom in RetryFunc")
			}
			return errVeto
		}
	})
	emu.addFaults(t, "GET /v2/Services/* status=503")
	_, err := c.FetchTwilioUser(bg, emuService, "user-0001")
	var e *Error
	if !errors.Is(err, errVeto) || !errors.Is(err, ErrCancelled) || !errors.As(err, &e) ||
		e.CancelledBy != CancelledByRetryCallback || e.HTTPStatus != 503 || e.Attempts != 1 {
		t.Fatalf("veto: %#v", err)
	}
	mode.Store("panic")
	func() {
		defer func() {
			if r := recover(); r != "boom in RetryFunc" {
				t.Fatalf("recovered %v", r)
			}
		}()
		_, _ = c.FetchTwilioUser(bg, emuService, "user-0001")
		t.Fatal("no panic re-raised")
	}()
	// the client is still usable (the read lock was released)
	emu.clearFaults()
	if _, err := c.FetchTwilioUser(bg, emuService, "user-0001"); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
}

func TestCallOptions(t *testing.T) {
	c := newTestClient(t)
	emu.addFaults(t, "GET /v1/organization/invites* count=2 status=500")
	_, err := c.ListOpenAIInvites(bg, ListOptions{}, WithMaxRetries(-1))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrServerError) || e.Attempts != 1 || !e.Retryable {
		t.Fatalf("no retry: %v", err)
	}
	p, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 1}, WithMaxRetries(2), WithHeader("X-Test", "1"),
		WithAttemptTimeout(5*time.Second), WithConnectTimeout(time.Second), WithDeadline(10*time.Second))
	if err != nil || p.Response.Attempts != 2 {
		t.Fatalf("retry: %v", err)
	}
	_, err = c.ListOpenAIInvites(bg, ListOptions{}, WithHeader("Authorization", "x"))
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("forbidden header: %v", err)
	}
	_, err = c.CreateOpenAIInvite(bg, OpenAIInviteCreate{Email: "bad\xff@example.com", Role: "reader"})
	if !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("utf8: %v", err)
	}
}

// A mid-page Cursor is the library's (ik_page_item_cursor of the page the
// iterator read whole): exact also when the pager skipped an empty page on the
// way to the page. A local Twilio server serves 14 users in pages of 4, its
// second page empty with a next_page_url (OpenAI and Fastly end a list on an
// empty page). The former binding-side cursor arithmetic resumed items 5..7
// from the empty page and delivered item 4 again.
func TestIteratorMidPageCursorAfterEmptyPage(t *testing.T) {
	pages := map[string][]int{"": {0, 1, 2, 3}, "PT1": {}, "PT2": {4, 5, 6, 7}, "PT3": {8, 9, 10, 11}, "PT4": {12, 13}}
	path := "/v2/Services/" + emuService + "/Users"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("PageToken")
		items, ok := pages[tok]
		if r.URL.Path != path || !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"code":20404,"message":"not found","status":404}`)
			return
		}
		var b strings.Builder
		b.WriteString(`{"users":[`)
		for i, id := range items {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"sid":"US%032d","identity":"user-%02d"}`, id, id)
		}
		n := 0
		if tok != "" {
			n, _ = strconv.Atoi(tok[2:])
		}
		next := "null"
		if n < 4 {
			next = fmt.Sprintf(`"http://%s%s?PageSize=4&Page=%d&PageToken=PT%d"`, r.Host, path, n+1, n+1)
		}
		fmt.Fprintf(&b, `],"meta":{"page":%d,"page_size":4,"next_page_url":%s,"key":"users"}}`, n, next)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, b.String())
	}))
	defer srv.Close()
	c, err := NewClient(Options{
		Twilio:    TwilioOptions{AccountSID: emuTwilioSID, AuthToken: emuTwilioToken, BaseURL: srv.URL},
		IgnoreEnv: true, NoProxyEnv: true, MaxRetries: -1,
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.Close()
	read := func(cursor string, n int) ([]string, string) {
		it := c.TwilioUsers(bg, emuService, ListOptions{PageSize: 4, Cursor: cursor})
		defer it.Close()
		var ids []string
		for (n < 0 || len(ids) < n) && it.Next(bg) {
			ids = append(ids, it.Item().Identity)
		}
		if it.Err() != nil {
			t.Fatalf("iterate from %q: %v", cursor, it.Err())
		}
		cur, err := it.Cursor()
		if err != nil {
			t.Fatalf("cursor: %v", err)
		}
		return ids, cur
	}
	all, end := read("", -1)
	if len(all) != 14 || all[4] != "user-04" || end != "" {
		t.Fatalf("all: %v, end cursor %q", all, end)
	}
	for k := 1; k < len(all); k++ { // k = 5, 6, 7: mid-page, after the empty page
		head, cur := read("", k)
		rest, _ := read(cur, -1)
		if got := append(head, rest...); strings.Join(got, ",") != strings.Join(all, ",") {
			t.Fatalf("cursor after %d items: resumed with %v (want %v)", k, rest, all[k:])
		}
	}
}
