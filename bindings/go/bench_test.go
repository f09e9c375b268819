package invitekit

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkListOpenAIInvites lists N invites from an emulator through the
// item iterator (pages of 100) and reports ns/item and the cgo crossings per
// item, counted with runtime.NumCgoCall: none per item but one per page
// (ikgo_iter_next_page: the page request, its response metadata and every
// item's fields copied into one Go buffer), plus one for a page larger than
// the buffer sized after the recent pages.
func BenchmarkListOpenAIInvites(b *testing.B) {
	needEmulator(b)
	const n = 2000
	e, err := startEmulator(n)
	if err != nil {
		b.Fatal(err)
	}
	defer e.stop()
	c, err := NewClient(emuOptions(e))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	cgo0 := runtime.NumCgoCall()
	items := 0
	for i := 0; i < b.N; i++ {
		it := c.OpenAIInvites(ctx, ListOptions{PageSize: 100})
		for it.Next(ctx) {
			items++
		}
		if err := it.Err(); err != nil {
			b.Fatal(err)
		}
		_ = it.Close()
	}
	b.StopTimer()
	elapsed := time.Since(start)
	crossings := runtime.NumCgoCall() - cgo0
	if items != n*b.N {
		b.Fatalf("%d items, want %d", items, n*b.N)
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(items), "ns/item")
	b.ReportMetric(float64(crossings)/float64(items), "crossings/item")
}
