package invitekit

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func vmRSSkB(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	t.Skip("no VmRSS")
	return 0
}

func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// TestMillionObjectsRSSFlat creates and frees 1,000,000 C objects through the
// binding without any network: per iteration a cancel token, call options,
// C strings and an error object (a Twilio call rejected client-side with a
// cancellable context), and every 4th iteration also a client option struct,
// a failed ik_client_new with callback handles, or a pager (created and
// closed). VmRSS must stay flat.
func TestMillionObjectsRSSFlat(t *testing.T) {
	n := 1000000
	if testing.Short() || raceEnabled {
		n = 100000
	}
	c, err := NewClient(Options{IgnoreEnv: true, Twilio: TwilioOptions{AccountSID: emuTwilioSID, AuthToken: "x", BaseURL: "http://127.0.0.1:9"},
		OpenAI: OpenAIOptions{AdminKey: "k", BaseURL: "http://127.0.0.1:9/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bad := Options{IgnoreEnv: true, OpenAI: OpenAIOptions{BaseURL: "ftp://x"}, Logger: LoggerFunc(func(LogRecord) {})}
	round := func(i int) {
		_, err := c.CreateTwilioInvite(ctx, "ISnot-a-sid", "general", "someone", "")
		if !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("iteration %d: %v", i, err)
		}
		switch i % 4 {
		case 1:
			if _, err := NewClient(bad); err == nil {
				t.Fatal("NewClient accepted a bad URL")
			}
		case 2:
			it := c.OpenAIInvites(ctx, ListOptions{PageSize: 5, Cursor: ""})
			_ = it.Close()
		case 3:
			var e *Error
			_, err := c.ListOpenAIInvites(ctx, ListOptions{PageSize: -1})
			if !errors.As(err, &e) {
				t.Fatal(err)
			}
		}
	}
	warm := n / 10
	for i := 0; i < warm; i++ {
		round(i)
	}
	settle()
	before := vmRSSkB(t)
	for i := warm; i < n; i++ {
		round(i)
		if i%200000 == 0 {
			settle()
		}
	}
	settle()
	after := vmRSSkB(t)
	t.Logf("%d iterations: VmRSS %d kB -> %d kB (%+d kB)", n, before, after, after-before)
	if raceEnabled {
		t.Logf("-race: RSS not checked (the race detector's shadow memory grows with every goroutine)")
		return
	}
	if after-before > 8*1024 {
		t.Fatalf("VmRSS grew by %d kB over %d iterations", after-before, n-warm)
	}
}
