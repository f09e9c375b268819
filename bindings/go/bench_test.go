package invitekit

import (
	"context"
	"testing"
	"time"
)

// BenchmarkListOpenAIInvites lists N invites from an emulator through the
// item iterator (pages of 100). Each item costs one cgo crossing (the fused
// pager step: ik_pager_next_openai_invite + every field + release of the
// previous item), plus one per page to copy the response metadata (it is
// shared by the page's items).
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
	if items != n*b.N {
		b.Fatalf("%d items, want %d", items, n*b.N)
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(items), "ns/item")
	b.ReportMetric(1+1.0/100, "crossings/item")
}
