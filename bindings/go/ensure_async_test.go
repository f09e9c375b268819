package invitekit

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// emuRequest is one entry of the emulator's request log (GET /__emulator/requests).
type emuRequest struct {
	Method string `json:"method"`
	Target string `json:"target"`
}

func (e *emulator) requests(t *testing.T) []emuRequest {
	t.Helper()
	st, body, err := e.control("GET", "/__emulator/requests", "")
	if err != nil || st != 200 {
		t.Fatalf("request log: %d %v", st, err)
	}
	var out []emuRequest
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("request log: %v", err)
	}
	return out
}

func (e *emulator) clearRequests(t *testing.T) {
	t.Helper()
	if st, _, err := e.control("DELETE", "/__emulator/requests", ""); err != nil || st/100 != 2 {
		t.Fatalf("clearing the request log: %d %v", st, err)
	}
}

// countRequests counts the logged requests for which match(method, path) holds.
func countRequests(reqs []emuRequest, match func(method, path string) bool) int {
	n := 0
	for _, r := range reqs {
		path := r.Target
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if match(r.Method, path) {
			n++
		}
	}
	return n
}

// ensureCase describes one resource for testEnsureNonBlocking.
type ensureCase[T any] struct {
	provider  Provider
	operation string
	rtype     ResultType
	// fault patterns ("METHOD PATH") of the lookup and of the create
	lookupFault, createFault string
	// which logged requests are a lookup / a create of this resource
	isLookup, isCreate func(method, path string) bool
	// a lookup is one request whatever the list holds (Twilio: by identity);
	// OpenAI and Fastly read the whole list, as many pages as it has then
	oneRequestLookup bool
	person           func(tag string) string
	start            func(ctx context.Context, c *Client, person string) (*Op[EnsureResult[T]], error)
	id               func(T) string
	// count returns how many objects the provider holds for person
	count func(t *testing.T, c *Client, person string) int
	del   func(c *Client, id string)
}

// testEnsureNonBlocking runs one resource's non-blocking ensure against the
// emulator: created then present; a create whose answer is lost
// (reset-mid-body) recovered; 8 ensures of one person started at once (one
// creates); parked ensures cancelled by Cancel and by their context while
// the others go on.
func testEnsureNonBlocking[T any](t *testing.T, k ensureCase[T]) {
	c := newTestClient(t)
	ids := map[string]bool{}
	t.Cleanup(func() {
		for id := range ids {
			k.del(c, id)
		}
	})
	done := func(what string, op *Op[EnsureResult[T]], err error) EnsureResult[T] {
		t.Helper()
		r := waitOK(t, what, op, err)
		ids[k.id(r.Value)] = true
		return r
	}
	expectOne := func(person string) {
		t.Helper()
		if n := k.count(t, c, person); n != 1 {
			t.Fatalf("%s: %d objects, want exactly 1", person, n)
		}
	}

	t.Run("created then present", func(t *testing.T) {
		p := k.person("a")
		op, err := k.start(bg, c, p)
		if err == nil {
			checkOp(t, op, k.provider, k.operation, k.rtype)
		}
		r := done("first", op, err)
		if r.Outcome != EnsureCreated || k.id(r.Value) == "" {
			t.Fatalf("first: %v %+v", r.Outcome, r.Value)
		}
		emu.clearRequests(t)
		op2, err := k.start(bg, c, p)
		r2 := done("again", op2, err)
		if r2.Outcome != EnsurePresent || k.id(r2.Value) != k.id(r.Value) {
			t.Fatalf("again: %v %s, want present %s", r2.Outcome, k.id(r2.Value), k.id(r.Value))
		}
		reqs := emu.requests(t)
		lookups, creates := countRequests(reqs, k.isLookup), countRequests(reqs, k.isCreate)
		if lookups < 1 || (k.oneRequestLookup && lookups != 1) || creates != 0 {
			t.Fatalf("a present ensure sent %d lookups, %d creates: %+v", lookups, creates, reqs)
		}
		expectOne(p)
	})

	t.Run("lost create answer recovered", func(t *testing.T) {
		p := k.person("lost")
		emu.addFaults(t, k.createFault+" count=1 reset-mid-body")
		defer emu.clearFaults()
		op, err := k.start(bg, c, p)
		r := done("recovered", op, err)
		if r.Outcome != EnsureRecovered {
			t.Fatalf("outcome %v, want recovered", r.Outcome)
		}
		expectOne(p)
	})

	t.Run("8 at once", func(t *testing.T) {
		p := k.person("eight")
		// a slow lookup, so that the others start while the first holds the person
		emu.addFaults(t, k.lookupFault+" latency=50")
		defer emu.clearFaults()
		emu.clearRequests(t)
		const n = 8
		ops := make([]*Op[EnsureResult[T]], n)
		errs := make([]error, n)
		gate := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-gate
				ops[i], errs[i] = k.start(bg, c, p)
			}(i)
		}
		close(gate)
		wg.Wait()
		inFlight := c.OpsInFlight()
		var created, present int
		var id string
		for i := range ops {
			r := done("ensure", ops[i], errs[i])
			switch r.Outcome {
			case EnsureCreated:
				created++
			case EnsurePresent:
				present++
			default:
				t.Errorf("op %d: outcome %v", i, r.Outcome)
			}
			if id == "" {
				id = k.id(r.Value)
			} else if k.id(r.Value) != id {
				t.Errorf("op %d: %s, another op got %s", i, k.id(r.Value), id)
			}
		}
		if created != 1 || present != n-1 {
			t.Fatalf("%d created, %d present; want 1 and %d", created, present, n-1)
		}
		if creates := countRequests(emu.requests(t), k.isCreate); creates != 1 {
			t.Fatalf("%d creates sent, want 1", creates)
		}
		expectOne(p)
		t.Logf("%d in flight after the starts", inFlight)
	})

	t.Run("cancel parked", func(t *testing.T) {
		p := k.person("cancel")
		// the first ensure holds the person for a second (its lookup is slow);
		// the others park behind it, in start order
		emu.addFaults(t, k.lookupFault+" count=1 latency=1000")
		defer emu.clearFaults()
		emu.clearRequests(t)
		first, err := k.start(bg, c, p)
		if err != nil {
			t.Fatal(err)
		}
		byCancel, err := k.start(bg, c, p)
		if err != nil {
			t.Fatal(err)
		}
		second, err := k.start(bg, c, p)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		byCtx, err := k.start(ctx, c, p)
		if err != nil {
			t.Fatal(err)
		}
		last, err := k.start(bg, c, p)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		byCancel.Cancel()
		cancel()
		for _, op := range []*Op[EnsureResult[T]]{byCancel, byCtx} {
			select {
			case <-op.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("a cancelled parked ensure did not complete within 10 s")
			}
		}
		elapsed := time.Since(start)
		select {
		case <-first.Done():
			t.Fatalf("the first ensure completed before the parked ones were withdrawn (%v)", elapsed)
		default:
		}
		var e *Error
		_, err = byCancel.Wait(bg)
		if !errors.Is(err, ErrCancelled) || errors.Is(err, context.Canceled) || !errors.As(err, &e) ||
			e.CancelledBy != CancelledByOperation || e.Attempts != 0 || e.Ambiguous {
			t.Fatalf("Cancel: %v (%+v)", err, e)
		}
		_, err = byCtx.Wait(bg)
		if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) || !errors.As(err, &e) ||
			e.Attempts != 0 || e.Ambiguous {
			t.Fatalf("context: %v (%+v)", err, e)
		}
		r := done("first", first, nil)
		if r.Outcome != EnsureCreated {
			t.Fatalf("first: %v", r.Outcome)
		}
		for _, op := range []*Op[EnsureResult[T]]{second, last} {
			if r2 := done("later", op, nil); r2.Outcome != EnsurePresent || k.id(r2.Value) != k.id(r.Value) {
				t.Fatalf("later: %v %s, want present %s", r2.Outcome, k.id(r2.Value), k.id(r.Value))
			}
		}
		reqs := emu.requests(t)
		if creates := countRequests(reqs, k.isCreate); creates != 1 {
			t.Fatalf("%d creates sent, want 1", creates)
		}
		if lookups := countRequests(reqs, k.isLookup); k.oneRequestLookup && lookups != 3 {
			t.Fatalf("%d lookups sent, want 3: three ensures looked up, the cancelled ones sent nothing", lookups)
		}
		expectOne(p)
		if n := opsSettle(c); n != 0 {
			t.Fatalf("OpsInFlight: %d", n)
		}
		t.Logf("parked ensures cancelled in %v", elapsed)
	})
}

func TestEnsureNonBlocking(t *testing.T) {
	needEmulator(t)
	const usersPath = "/v2/Services/" + emuService + "/Users"
	const channel = "go-ensure-nb"
	invitesPath := "/v1/Services/" + emuService + "/Channels/" + channel + "/Invites"
	is := func(method, path string) func(string, string) bool {
		return func(m, p string) bool { return m == method && p == path }
	}
	t.Run("openai", func(t *testing.T) {
		testEnsureNonBlocking(t, ensureCase[*OpenAIInvite]{
			provider: ProviderOpenAI, operation: "invites.ensure", rtype: ResultOpenAIInvite,
			lookupFault: "GET /v1/organization/invites", createFault: "POST /v1/organization/invites",
			isLookup: is("GET", "/v1/organization/invites"), isCreate: is("POST", "/v1/organization/invites"),
			person: func(tag string) string { return "go-ensure-nb-" + tag + "@example.com" },
			start: func(ctx context.Context, c *Client, p string) (*Op[EnsureResult[*OpenAIInvite]], error) {
				return c.StartEnsureOpenAIInvite(ctx, OpenAIInviteCreate{Email: p, Role: "reader"})
			},
			id: func(v *OpenAIInvite) string { return v.ID },
			count: func(t *testing.T, c *Client, p string) int {
				return countItems(t, c.OpenAIInvites(bg, ListOptions{PageSize: 100}), func(v OpenAIInvite) bool { return strings.EqualFold(v.Email, p) })
			},
			del: func(c *Client, id string) { _, _ = c.DeleteOpenAIInvite(bg, id) },
		})
	})
	t.Run("twilio invites", func(t *testing.T) {
		testEnsureNonBlocking(t, ensureCase[*TwilioInvite]{
			provider: ProviderTwilio, operation: "invites.ensure", rtype: ResultTwilioInvite,
			lookupFault: "GET " + invitesPath, createFault: "POST " + invitesPath,
			isLookup: is("GET", invitesPath), isCreate: is("POST", invitesPath), oneRequestLookup: true,
			person: func(tag string) string { return "go-ensure-nb-" + tag },
			start: func(ctx context.Context, c *Client, p string) (*Op[EnsureResult[*TwilioInvite]], error) {
				return c.StartEnsureTwilioInvite(ctx, emuService, channel, p, "")
			},
			id: func(v *TwilioInvite) string { return v.SID },
			count: func(t *testing.T, c *Client, p string) int {
				return countItems(t, c.TwilioInvites(bg, emuService, channel, []string{p}, ListOptions{}), func(v TwilioInvite) bool { return v.Identity == p })
			},
			del: func(c *Client, id string) { _, _ = c.DeleteTwilioInvite(bg, emuService, channel, id) },
		})
	})
	t.Run("twilio users", func(t *testing.T) {
		testEnsureNonBlocking(t, ensureCase[*TwilioUser]{
			provider: ProviderTwilio, operation: "users.ensure", rtype: ResultTwilioUser,
			lookupFault: "GET " + usersPath + "/*", createFault: "POST " + usersPath,
			isLookup: func(m, p string) bool { return m == "GET" && strings.HasPrefix(p, usersPath+"/") },
			isCreate: is("POST", usersPath), oneRequestLookup: true,
			person: func(tag string) string { return "go-ensure-nb-" + tag },
			start: func(ctx context.Context, c *Client, p string) (*Op[EnsureResult[*TwilioUser]], error) {
				return c.StartEnsureTwilioUser(ctx, emuService, TwilioUserParams{Identity: p, FriendlyName: String("NB")})
			},
			id: func(v *TwilioUser) string { return v.SID },
			count: func(t *testing.T, c *Client, p string) int {
				return countItems(t, c.TwilioUsers(bg, emuService, ListOptions{PageSize: 100}), func(v TwilioUser) bool { return v.Identity == p })
			},
			del: func(c *Client, id string) { _, _ = c.DeleteTwilioUser(bg, emuService, id) },
		})
	})
	t.Run("fastly", func(t *testing.T) {
		testEnsureNonBlocking(t, ensureCase[*FastlyInvitation]{
			provider: ProviderFastly, operation: "invitations.ensure", rtype: ResultFastlyInvitation,
			lookupFault: "GET /invitations", createFault: "POST /invitations",
			isLookup: is("GET", "/invitations"), isCreate: is("POST", "/invitations"),
			person: func(tag string) string { return "go-ensure-nb-" + tag + "@example.com" },
			start: func(ctx context.Context, c *Client, p string) (*Op[EnsureResult[*FastlyInvitation]], error) {
				return c.StartEnsureFastlyInvitation(ctx, FastlyInvitationCreate{Email: p, Role: "engineer"})
			},
			id: func(v *FastlyInvitation) string { return v.ID },
			count: func(t *testing.T, c *Client, p string) int {
				return countItems(t, c.FastlyInvitations(bg, ListOptions{PageSize: 100}), func(v FastlyInvitation) bool { return strings.EqualFold(v.Email, p) })
			},
			del: func(c *Client, id string) { _, _ = c.DeleteFastlyInvitation(bg, id) },
		})
	})
}

// countItems counts the items of a whole list that match.
func countItems[T any](t *testing.T, it *Iterator[T], match func(T) bool) int {
	t.Helper()
	defer it.Close()
	n := 0
	for it.Next(bg) {
		if match(it.Item()) {
			n++
		}
	}
	if err := it.Err(); err != nil {
		t.Fatalf("list: %v", err)
	}
	return n
}

// TestEnsureNonBlockingErrors: argument errors come from the StartEnsure*
// call itself (nothing started); a closed client refuses to start.
func TestEnsureNonBlockingErrors(t *testing.T) {
	c := newTestClient(t)
	in := opsSettle(c)
	if op, err := c.StartEnsureOpenAIInvite(bg, OpenAIInviteCreate{Email: "x@example.com", Role: "admin"}); op != nil || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad role: %v %v", op, err)
	}
	if _, err := c.StartEnsureTwilioInvite(bg, "ISbad", emuChannel, "x", ""); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad SID: %v", err)
	}
	if _, err := c.StartEnsureTwilioUser(bg, emuService, TwilioUserParams{}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("no identity: %v", err)
	}
	if _, err := c.StartEnsureFastlyInvitation(bg, FastlyInvitationCreate{Email: "bad\xff@example.com", Role: "engineer"}); !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("bad UTF-8: %v", err)
	}
	if n := c.OpsInFlight(); n != in {
		t.Fatalf("rejected starts left %d ops in flight (was %d)", n, in)
	}
	_ = c.Close()
	if _, err := c.StartEnsureFastlyInvitation(bg, FastlyInvitationCreate{Email: "x@example.com", Role: "engineer"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}
