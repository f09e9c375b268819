package invitekit

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// The iterator reads a whole page per crossing (ikgo_iter_next_page): every
// item's fields copied into one Go buffer per page, decoded when Next reaches
// the item. These tests cover that page-record path.

// itemJSON is an item without its *Response (shared per page, compared apart),
// for comparing the iterator's, the page path's and the fetch path's values.
func itemJSON(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]interface{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "Response")
	b, _ = json.Marshal(m)
	return string(b)
}

// TestPageRecordsGrowthHugeItemsAndRetention: pages whose records outgrow the
// buffer sized after the earlier pages (each page larger than any before it:
// the second crossing, and the C record's arrays growing several times within
// a page), items of ~20 KB each, items retained after the iterator is closed
// and two GCs, and Raw capped at its length.
func TestPageRecordsGrowthHugeItemsAndRetention(t *testing.T) {
	c := newOwnEmulatorClient(t, 4)
	// 4 seeded invites, then invites with 2, 8, 32 and 96 projects of long ids.
	for i, n := range []int{2, 8, 32, 96, 96} {
		var ps []OpenAIProject
		for j := 0; j < n; j++ {
			ps = append(ps, OpenAIProject{ID: fmt.Sprintf("proj_%03d_%s", j, strings.Repeat("x", 180)), Role: "member"})
		}
		if _, err := c.CreateOpenAIInvite(bg, OpenAIInviteCreate{Email: fmt.Sprintf("grow-%d@example.com", i), Role: "reader", Projects: ps}); err != nil {
			t.Fatal(err)
		}
	}
	want, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 100})
	if err != nil || len(want.Items) != 9 {
		t.Fatalf("page: %v", err)
	}
	it := c.OpenAIInvites(bg, ListOptions{PageSize: 2})
	var items []OpenAIInvite
	for it.Next(bg) {
		items = append(items, it.Item())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	_ = it.Close()
	it = nil
	runtime.GC()
	runtime.GC()
	if len(items) != len(want.Items) {
		t.Fatalf("%d items, want %d", len(items), len(want.Items))
	}
	huge := 0
	for i := range items {
		if g, w := itemJSON(t, items[i]), itemJSON(t, want.Items[i]); g != w {
			t.Fatalf("item %d: iterator %s\npage %s", i, g, w)
		}
		if cap(items[i].Raw) != len(items[i].Raw) {
			t.Fatalf("item %d: Raw capacity %d > length %d", i, cap(items[i].Raw), len(items[i].Raw))
		}
		if len(items[i].Projects) > 0 && cap(items[i].Projects) != len(items[i].Projects) {
			t.Fatalf("item %d: Projects capacity %d", i, cap(items[i].Projects))
		}
		if len(items[i].Raw) > 20000 {
			huge++
		}
		if items[i].Response == nil || items[i].Response.HTTPStatus != 200 || len(items[i].Response.Body) == 0 {
			t.Fatalf("item %d: response %+v", i, items[i].Response)
		}
	}
	if huge != 2 {
		t.Fatalf("%d items over 20 KB, want 2", huge)
	}
	// Two items of one page: appending to the first's Raw or Projects leaves the second intact.
	a, b := items[7], items[8]
	bRaw, bProj := string(b.Raw), fmt.Sprint(b.Projects)
	_ = append(a.Raw, []byte(`xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`)...)
	_ = append(a.Projects, OpenAIProject{ID: "overwrite", Role: "overwrite"})
	if string(b.Raw) != bRaw || fmt.Sprint(b.Projects) != bProj {
		t.Fatal("appending to an item changed the next one")
	}
	// The huge items read whole through the fetch path too.
	for _, i := range []int{7, 8} {
		got, err := c.RetrieveOpenAIInvite(bg, items[i].ID)
		if err != nil || itemJSON(t, *got) != itemJSON(t, items[i]) {
			t.Fatalf("retrieve %d: %v", i, err)
		}
	}
}

// TestIteratorEveryKindMatchesPages: for the four item kinds, the iterator
// (small pages, so items of many pages) yields the values of the page path;
// then Next for two items and NextPage give the rest of that page, and the
// counts and Done follow.
func TestIteratorEveryKindMatchesPages(t *testing.T) {
	c := newTestClient(t)
	check := func(name string, iter func() ([]string, error), page func() ([]string, error)) {
		got, err := iter()
		if err != nil {
			t.Fatalf("%s iterator: %v", name, err)
		}
		want, err := page()
		if err != nil {
			t.Fatalf("%s page: %v", name, err)
		}
		if len(got) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: iterator %d items, page %d\n%v\n%v", name, len(got), len(want), got, want)
		}
	}
	lo := ListOptions{PageSize: 3}
	check("openai", func() ([]string, error) {
		var out []string
		it := c.OpenAIInvites(bg, lo)
		defer it.Close()
		for it.Next(bg) {
			out = append(out, itemJSON(t, it.Item()))
		}
		return out, it.Err()
	}, func() ([]string, error) {
		p, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 100})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, v := range p.Items {
			out = append(out, itemJSON(t, v))
		}
		return out, nil
	})
	check("twilio invites", func() ([]string, error) {
		var out []string
		it := c.TwilioInvites(bg, emuService, "CH00000000000000000000000000000000", nil, lo)
		defer it.Close()
		for it.Next(bg) {
			out = append(out, itemJSON(t, it.Item()))
		}
		return out, it.Err()
	}, func() ([]string, error) {
		p, err := c.ListTwilioInvites(bg, emuService, "CH00000000000000000000000000000000", nil, ListOptions{PageSize: 1000})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, v := range p.Items {
			out = append(out, itemJSON(t, v))
		}
		return out, nil
	})
	check("twilio users", func() ([]string, error) {
		var out []string
		it := c.TwilioUsers(bg, emuService, lo)
		defer it.Close()
		for it.Next(bg) {
			out = append(out, itemJSON(t, it.Item()))
		}
		return out, it.Err()
	}, func() ([]string, error) {
		p, err := c.ListTwilioUsers(bg, emuService, ListOptions{PageSize: 100})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, v := range p.Items {
			out = append(out, itemJSON(t, v))
		}
		return out, nil
	})
	check("fastly", func() ([]string, error) {
		var out []string
		it := c.FastlyInvitations(bg, lo)
		defer it.Close()
		for it.Next(bg) {
			out = append(out, itemJSON(t, it.Item()))
		}
		return out, it.Err()
	}, func() ([]string, error) {
		var out []string
		it := c.FastlyInvitations(bg, ListOptions{PageSize: 100})
		defer it.Close()
		for it.NextPage(bg) {
			for _, v := range it.Page().Items {
				out = append(out, itemJSON(t, v))
			}
		}
		return out, it.Err()
	})

	// Next, Next, then NextPage: the rest of that page, as the C pager gives it.
	it := c.FastlyInvitations(bg, ListOptions{PageSize: 5, MaxItems: 8})
	defer it.Close()
	var first []string
	for i := 0; i < 2 && it.Next(bg); i++ {
		first = append(first, it.Item().ID)
	}
	if it.ItemsDelivered() != 2 || it.Done() {
		t.Fatalf("after 2 items: delivered %d done %v", it.ItemsDelivered(), it.Done())
	}
	if !it.NextPage(bg) {
		t.Fatal(it.Err())
	}
	rest := it.Page()
	if len(rest.Items) != 3 || len(rest.ItemIDs) != 3 || rest.ItemIDs[0] != rest.Items[0].ID || rest.Items[0].ID == first[1] ||
		!rest.genericOK[2] || rest.Response == nil || string(rest.Raw) != string(rest.Response.Body) || it.ItemsDelivered() != 5 {
		t.Fatalf("rest of the page: %d items %v, delivered %d", len(rest.Items), rest.ItemIDs, it.ItemsDelivered())
	}
	n := 0
	for it.Next(bg) {
		n++
	}
	if it.Err() != nil || n != 3 || !it.Done() || it.ItemsDelivered() != 8 {
		t.Fatalf("after the rest: %d items, delivered %d, done %v, %v", n, it.ItemsDelivered(), it.Done(), it.Err())
	}
}

// TestIteratorErrorBetweenPages: a page request that fails after a page was
// delivered ends the iteration after that page's items, with the error; the
// position is the end of that page, and a new iterator from Cursor() goes on
// with the next item. Mid-page, Cursor() resumes at the next item of the page.
func TestIteratorErrorBetweenPages(t *testing.T) {
	c := newTestClient(t)
	all, err := c.ListOpenAIInvites(bg, ListOptions{PageSize: 100})
	if err != nil || len(all.Items) < 12 {
		t.Fatalf("list: %v", err)
	}
	it := c.OpenAIInvites(bg, ListOptions{PageSize: 5})
	defer it.Close()
	var ids []string
	for i := 0; i < 3 && it.Next(bg); i++ {
		ids = append(ids, it.Item().ID)
	}
	mid, err := it.Cursor()
	if err != nil || it.ItemsDelivered() != 3 {
		t.Fatalf("mid-page cursor: %v, delivered %d", err, it.ItemsDelivered())
	}
	emu.addFaults(t, "GET /v1/organization/invites* status=500")
	for it.Next(bg) {
		ids = append(ids, it.Item().ID)
	}
	if !errors.Is(it.Err(), ErrServerError) || len(ids) != 5 || it.ItemsDelivered() != 5 || it.Done() {
		t.Fatalf("error between pages: %d items, delivered %d, %v", len(ids), it.ItemsDelivered(), it.Err())
	}
	for i, id := range ids {
		if id != all.Items[i].ID {
			t.Fatalf("item %d: %s, want %s", i, id, all.Items[i].ID)
		}
	}
	cur, err := it.Cursor()
	if err != nil || cur == "" {
		t.Fatalf("cursor after the error: %q %v", cur, err)
	}
	emu.clearFaults()
	for _, tc := range []struct {
		cur  string
		from int
	}{{cur, 5}, {mid, 3}} {
		it2 := c.OpenAIInvites(bg, ListOptions{PageSize: 5, Cursor: tc.cur, MaxItems: 4})
		var got []string
		for it2.Next(bg) {
			got = append(got, it2.Item().ID)
		}
		_ = it2.Close()
		if it2.Err() != nil || len(got) != 4 || got[0] != all.Items[tc.from].ID || got[3] != all.Items[tc.from+3].ID {
			t.Fatalf("resume at %d: %v %v", tc.from, got, it2.Err())
		}
	}
}
