package invitekit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
)

// TestIteratorItemsOutliveThePager: an item's strings and raw JSON share one
// Go buffer (rec.go). Items kept from an iterator stay intact after the pager
// has moved on and been closed and after a GC; appending to or writing into
// one item's Raw changes no string of any item; an item larger than the
// buffer sized after the recent pages (12 projects after 0 or 1: the second
// crossing of newRecSet) reads whole; the page path and the fetch path give
// the same values as the iterator.
func TestIteratorItemsOutliveThePager(t *testing.T) {
	c := newOwnEmulatorClient(t, 30)
	var projects []OpenAIProject
	for i := 0; i < 12; i++ {
		projects = append(projects, OpenAIProject{ID: fmt.Sprintf("proj_%02d_%s", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), Role: "member"})
	}
	big, err := c.CreateOpenAIInvite(bg, OpenAIInviteCreate{Email: "go-big@example.com", Role: "reader", Projects: projects})
	if err != nil {
		t.Fatal(err)
	}
	if len(big.Projects) != 12 || big.Projects[11] != projects[11] {
		t.Fatalf("created: %+v", big.Projects)
	}

	it := c.OpenAIInvites(bg, ListOptions{PageSize: 7})
	var items []OpenAIInvite
	for it.Next(bg) {
		items = append(items, it.Item())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	_ = it.Close()
	if len(items) != 31 {
		t.Fatalf("%d items, want 31", len(items))
	}
	runtime.GC()

	type snap struct {
		id, email, role, status, raw string
		projects                     []OpenAIProject
	}
	take := func(v OpenAIInvite) snap {
		return snap{v.ID, v.Email, v.Role, v.Status, string(v.Raw), append([]OpenAIProject(nil), v.Projects...)}
	}
	before := make([]snap, len(items))
	for i, v := range items {
		before[i] = take(v)
	}
	// Write into item 0's Raw and append to it: no other field moves.
	raw0 := append(json.RawMessage(nil), items[0].Raw...)
	for i := range items[0].Raw {
		items[0].Raw[i] = 'X'
	}
	grown := append(items[0].Raw, []byte(`"tail"`)...)
	_ = grown
	for i, v := range items {
		s := take(v)
		if i == 0 {
			s.raw = before[0].raw
		}
		if s.id != before[i].id || s.email != before[i].email || s.role != before[i].role || s.status != before[i].status ||
			s.raw != before[i].raw || fmt.Sprint(s.projects) != fmt.Sprint(before[i].projects) {
			t.Fatalf("item %d changed: %+v -> %+v", i, before[i], s)
		}
	}
	if bytes.Count(items[0].Raw, []byte("X")) != len(raw0) {
		t.Fatal("Raw is not the item's own bytes")
	}

	// The big invite is the last one; it was read whole after a smaller item.
	last := items[len(items)-1]
	if last.ID != big.ID || len(last.Projects) != 12 || fmt.Sprint(last.Projects) != fmt.Sprint(projects) ||
		string(last.Raw) != string(big.Raw) {
		t.Fatalf("big item via the iterator: %+v", last)
	}
	var m map[string]interface{}
	if err := json.Unmarshal(last.Raw, &m); err != nil || m["id"] != big.ID {
		t.Fatalf("raw of the big item: %v", err)
	}

	// Pages and fetches agree with the iterator.
	page, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 100})
	if err != nil || len(page.Items) != 31 {
		t.Fatalf("page: %v", err)
	}
	for i, v := range page.Items {
		want := before[i]
		if i == 0 {
			want.raw = string(raw0)
		}
		if s := take(v); fmt.Sprint(s) != fmt.Sprint(want) || page.ItemIDs[i] != v.ID || !page.genericOK[i] {
			t.Fatalf("page item %d: %+v, iterator %+v", i, s, want)
		}
	}
	for _, i := range []int{0, 4, 30} {
		got, err := c.RetrieveOpenAIInvite(bg, page.Items[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if g := take(*got); g.id != page.Items[i].ID || g.email != page.Items[i].Email ||
			fmt.Sprint(g.projects) != fmt.Sprint(page.Items[i].Projects) || (got.AcceptedAt == nil) != (page.Items[i].AcceptedAt == nil) {
			t.Fatalf("retrieve %d: %+v", i, g)
		}
	}
}

// TestBufHint: records of alternating sizes (the hint sizes the buffer of a
// page's records) fit the hinted buffer after the first two, and an outsized
// one stops inflating the buffers within a few dozen more.
func TestBufHint(t *testing.T) {
	var h bufHint
	misses := 0
	for i := 0; i < 200; i++ {
		need := 309
		if i%2 == 1 {
			need = 366
		}
		if need > len(h.buf()) {
			misses++
		}
		h.update(need)
	}
	if misses != 2 {
		t.Fatalf("%d buffers too small, want 2 (the first two items)", misses)
	}
	h.update(10000)
	for i := 0; i < 100; i++ {
		h.update(309)
	}
	if int(h) > 2*366 {
		t.Fatalf("hint %d bytes 100 items after a 10,000-byte item", h)
	}
}
