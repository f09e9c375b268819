// Command ikbench is the Go side of bench/bindings.py (docs/BENCHMARKS.md,
// "Bindings"): the same job as `bench/ik_bench.c list`, through the package's
// item iterator, measured the same way.
//
//	ikbench list PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS
//
// PROVIDER: openai, twilio (users of service IS000...) or fastly; MAX_ITEMS 0 =
// all. Reads the id and the email (Twilio: SID and identity) of every item,
// like ik_bench. Prints one JSON line: items, wall_us and cpu_us (client
// creation included, as in ik_bench), maxrss_kb (VmHWM of this process),
// connections, minflt and ctxsw (minor page faults and context switches over
// the listing, as ik_bench), and cgo_calls (runtime.NumCgoCall over the
// listing: every Go-to-C crossing of the iteration, client creation excluded).
//
//	go build -o /tmp/ikbench ./cmd/ikbench
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	invitekit "github.com/invitekit/invitekit/bindings/go"
)

// usage is what the process has used so far: CPU time (µs), minor page faults
// and context switches, from one getrusage (bench/measure.h, usage_now).
type usage struct{ cpuUs, minflt, ctxsw int64 }

func usageNow() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{-1, -1, -1}
	}
	return usage{(ru.Utime.Sec+ru.Stime.Sec)*1000000 + int64(ru.Utime.Usec+ru.Stime.Usec), ru.Minflt, ru.Nvcsw + ru.Nivcsw}
}

// maxRSSKB is VmHWM of /proc/self/status (not ru_maxrss, see bench/measure.h).
func maxRSSKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "VmHWM:") {
			v := line[len("VmHWM:"):]
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "ikbench: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 6 || os.Args[1] != "list" {
		fmt.Fprintln(os.Stderr, "usage: ikbench list PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS")
		os.Exit(2)
	}
	prov, base := os.Args[2], strings.TrimRight(os.Args[3], "/")
	pageSize, _ := strconv.Atoi(os.Args[4])
	maxItems, _ := strconv.ParseInt(os.Args[5], 10, 64)
	ctx := context.Background()

	w0, u0 := time.Now(), usageNow()
	c, err := invitekit.NewClient(invitekit.Options{
		Twilio:     invitekit.TwilioOptions{AccountSID: "AC00000000000000000000000000000000", AuthToken: "emulator-twilio-token", BaseURL: base},
		OpenAI:     invitekit.OpenAIOptions{AdminKey: "sk-admin-emulator", BaseURL: base + "/v1"},
		Fastly:     invitekit.FastlyOptions{APIToken: "emulator-fastly-token", BaseURL: base},
		IgnoreEnv:  true,
		NoProxyEnv: true,
	})
	if err != nil {
		die("NewClient: %v", err)
	}
	lo := invitekit.ListOptions{PageSize: pageSize, MaxItems: maxItems}
	cg0 := runtime.NumCgoCall()
	items, sink := 0, 0
	switch prov {
	case "openai":
		it := c.OpenAIInvites(ctx, lo)
		for it.Next(ctx) {
			inv := it.Item()
			sink += len(inv.ID) + len(inv.Email)
			items++
		}
		if err := it.Err(); err != nil {
			die("list: %v", err)
		}
		it.Close()
	case "twilio":
		it := c.TwilioUsers(ctx, "IS00000000000000000000000000000000", lo)
		for it.Next(ctx) {
			u := it.Item()
			sink += len(u.SID) + len(u.Identity)
			items++
		}
		if err := it.Err(); err != nil {
			die("list: %v", err)
		}
		it.Close()
	case "fastly":
		it := c.FastlyInvitations(ctx, lo)
		for it.Next(ctx) {
			inv := it.Item()
			sink += len(inv.ID) + len(inv.Email)
			items++
		}
		if err := it.Err(); err != nil {
			die("list: %v", err)
		}
		it.Close()
	default:
		die("unknown provider %s", prov)
	}
	cgo := runtime.NumCgoCall() - cg0
	wall, u1 := time.Since(w0), usageNow()
	out, _ := json.Marshal(map[string]interface{}{
		"items": items, "wall_us": wall.Microseconds(), "cpu_us": u1.cpuUs - u0.cpuUs, "maxrss_kb": maxRSSKB(),
		"connections": c.ConnectionsOpened(), "cgo_calls": cgo, "sink": sink, "minflt": u1.minflt - u0.minflt,
		"ctxsw": u1.ctxsw - u0.ctxsw,
	})
	c.Close()
	fmt.Println(string(out))
}
