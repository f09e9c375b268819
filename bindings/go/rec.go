package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
	"time"
	"unsafe"
)

// Reading items (shim.h, ikgo_recs): C flattens the fields of an item, or of
// every item of a page, into a record in C memory and copies their bytes,
// back to back, into one Go byte buffer; Go then slices that buffer: every
// string of an item is a substring of it and the raw JSON a capacity-limited
// slice of it. One allocation for every string and raw JSON of a page (or of
// a fetched item) instead of one per field, and no Go pointer but the buffer's
// (which holds none: cgo does not walk it) passed to C. The pointer fields of
// the items (*string, *time.Time, *int64, *bool) and their lists point into
// per-page slabs (slabs), so that decoding an item allocates nothing.

// recSet is a filled record (ikgo_recs) and the Go buffer its spans were
// copied into. Its slices view the record's C arrays: valid until the record
// is refilled or freed.
type recSet struct {
	buf   []byte
	spans []C.ikgo_span
	nums  []C.int64_t
	oks   []C.int32_t
	fs    []C.uint32_t // first span of item i; count+1 entries
	fn    []C.uint32_t // first num of item i
	resp  []*C.ik_response
	gok   []C.uint8_t
	count int
	oom   bool // the record lacks items that C could not allocate room for
	sl    slabs
	// a page's record: its body, the first bytes of buf, and the C address
	// of those bytes (the response's body, which base then stands for)
	base  []byte
	baseP *C.char
}

// newRecSet views r after ikgo_recs_item / ikgo_recs_page given buf: when
// the bytes did not fit buf, one more crossing copies them into an exact
// buffer. The slabs are sized for the record's totals.
func newRecSet(r *C.ikgo_recs, buf []byte) recSet {
	need := int(r.need)
	if r.copied == 0 {
		buf = make([]byte, need)
		C.ikgo_recs_copy(r, bufPtr(buf), C.size_t(need))
	}
	if n := int(r.base_len); n > 0 { // the page body: ikgo_recs_copy leaves it to Go's memmove
		copy(buf[:n], unsafe.Slice((*byte)(unsafe.Pointer(r.base)), n))
	}
	n := int(r.count)
	rs := recSet{buf: buf[:need:need], count: n, oom: r.oom != 0}
	if n > 0 {
		rs.spans = unsafe.Slice(r.span, int(r.nspan))
		if r.nnum > 0 {
			rs.nums = unsafe.Slice(r.num, int(r.nnum))
			rs.oks = unsafe.Slice(r.num_ok, int(r.nnum))
		}
		rs.fs = unsafe.Slice(r.first_span, n+1)
		rs.fn = unsafe.Slice(r.first_num, n+1)
		rs.resp = unsafe.Slice(r.resp, n)
		rs.gok = unsafe.Slice(r.generic_ok, n)
	}
	if r.base != nil {
		n := int(r.base_len)
		rs.base, rs.baseP = rs.buf[:n:n], r.base
	}
	rs.sl = slabs{nspan: len(rs.spans), nnum: len(rs.nums), ntime: int(r.ntime), nlist: int(r.nlist)}
	return rs
}

// item sets rr to read item i.
func (rs *recSet) item(rr *recReader, i int) {
	rr.rs, rr.resp = rs, rs.resp[i]
	rr.s0, rr.si, rr.send = int(rs.fs[i]), int(rs.fs[i]), int(rs.fs[i+1])
	rr.n0, rr.ni, rr.nend = int(rs.fn[i]), int(rs.fn[i]), int(rs.fn[i+1])
	rr.nums = rr.nend - rr.n0
}

// slabs hold the pointed-to values of a record's items: one allocation per
// kind of value per page (made on first use, sized for the whole record),
// instead of one per field. An item kept alive keeps its page's slabs alive.
type slabs struct {
	nspan, nnum  int // the record's totals: upper bounds of what its items use
	ntime, nlist int // its present timestamps and list entries (exact)
	strs         []string
	times        []time.Time
	ints         []int64
	bools        []bool
	projs        []OpenAIProject
}

// chunk is the capacity of a new slab: the record's total, or n when more.
func chunk(total, n int) int {
	if total < n {
		return n
	}
	return total
}

func (s *slabs) str(v string) *string {
	if len(s.strs) == cap(s.strs) {
		s.strs = make([]string, 0, chunk(s.nspan, 1))
	}
	s.strs = append(s.strs, v)
	return &s.strs[len(s.strs)-1]
}

// strList returns n strings from the slab (capacity n: an append reallocates).
func (s *slabs) strList(n int) []string {
	if n == 0 {
		return []string{} // present and empty (no allocation)
	}
	if cap(s.strs)-len(s.strs) < n {
		s.strs = make([]string, 0, chunk(s.nspan+s.nlist, n))
	}
	l := len(s.strs)
	s.strs = s.strs[:l+n]
	return s.strs[l : l+n : l+n]
}

func (s *slabs) time(unix int64) *time.Time {
	if len(s.times) == cap(s.times) {
		s.times = make([]time.Time, 0, chunk(s.ntime, 1))
	}
	s.times = append(s.times, time.Unix(unix, 0).UTC())
	return &s.times[len(s.times)-1]
}

func (s *slabs) int64(v int64) *int64 {
	if len(s.ints) == cap(s.ints) {
		s.ints = make([]int64, 0, chunk(s.nnum, 1))
	}
	s.ints = append(s.ints, v)
	return &s.ints[len(s.ints)-1]
}

func (s *slabs) bool(v bool) *bool {
	if len(s.bools) == cap(s.bools) {
		s.bools = make([]bool, 0, chunk(s.nnum, 1))
	}
	s.bools = append(s.bools, v)
	return &s.bools[len(s.bools)-1]
}

// projects returns n projects from the slab (capacity n).
func (s *slabs) projects(n int) []OpenAIProject {
	if cap(s.projs)-len(s.projs) < n {
		s.projs = make([]OpenAIProject, 0, chunk(s.nlist, n))
	}
	l := len(s.projs)
	s.projs = s.projs[:l+n]
	return s.projs[l : l+n : l+n]
}

// recReader walks one item of a record in its field order (shim.c's
// rec_<kind>): spans [si, send) and nums [ni, nend) of the record.
type recReader struct {
	rs           *recSet
	resp         *C.ik_response
	s0, si, send int
	n0, ni, nend int
	nums         int // the item's number of nums
}

// response is the item's *Response, shared through rc with the other items
// of its page. A page item's response body is the page body (the record's
// base: shared, not copied again); a fetched item's raw JSON is its whole
// body (shared too).
func (rr *recReader) response(rc *respCache, raw json.RawMessage) *Response {
	if rr.rs.baseP != nil {
		return rc.get(rr.resp, rr.rs.base, rr.rs.baseP)
	}
	return rc.get(rr.resp, raw, rr.rawPtr())
}

// bytesString returns b as a string without copying. b must never be written
// again: here b is a region of a record buffer that ikgo_recs_copy filled and
// that nothing else references but strings (and, for the raw JSON spans only,
// the items' Raw slices, which never overlap a string's region). This is the
// conversion strings.Builder.String uses (Go 1.19 has no unsafe.String): a
// string header is the first two words of a slice header.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return *(*string)(unsafe.Pointer(&b))
}

// next returns the next span's bytes and whether the field is present.
func (rr *recReader) next() ([]byte, bool) {
	if rr.si >= rr.send {
		return nil, false
	}
	s := &rr.rs.spans[rr.si]
	rr.si++
	if s.n < 0 {
		return nil, false
	}
	off, n := int(s.off), int(s.n)
	return rr.rs.buf[off : off+n : off+n], true
}

// rawPtr is the C address of the item's raw JSON (its first span), to
// recognise a raw JSON that is the same bytes as its response's body.
func (rr *recReader) rawPtr() *C.char {
	i := rr.s0
	if i >= rr.send || rr.rs.spans[i].n < 0 {
		return nil
	}
	return rr.rs.spans[i].p
}

// raw returns the next span as json.RawMessage (nil when absent, empty but
// non-nil when present and empty). Its capacity ends where it does, so an
// append reallocates instead of writing over the strings that follow.
func (rr *recReader) raw() json.RawMessage {
	b, ok := rr.next()
	if !ok {
		return nil
	}
	if len(b) == 0 {
		return json.RawMessage{}
	}
	return json.RawMessage(b)
}

func (rr *recReader) str() string {
	b, _ := rr.next()
	return bytesString(b)
}

func (rr *recReader) ptr() *string {
	b, ok := rr.next()
	if !ok {
		return nil
	}
	return rr.rs.sl.str(bytesString(b))
}

// strs returns the next n spans as strings.
func (rr *recReader) strs(n int) []string {
	l := rr.rs.sl.strList(n)
	for i := range l {
		l[i] = rr.str()
	}
	return l
}

// num returns the next optional integer.
func (rr *recReader) num() (int64, bool) {
	if rr.ni >= rr.nend {
		return 0, false
	}
	i := rr.ni
	rr.ni++
	return int64(rr.rs.nums[i]), rr.rs.oks[i] != 0
}

func (rr *recReader) optInt() *int64 {
	v, ok := rr.num()
	if !ok {
		return nil
	}
	return rr.rs.sl.int64(v)
}

func (rr *recReader) optBool() *bool {
	v, _ := rr.num()
	switch C.int32_t(v) {
	case C.IK_OPTBOOL_TRUE:
		return rr.rs.sl.bool(true)
	case C.IK_OPTBOOL_FALSE:
		return rr.rs.sl.bool(false)
	}
	return nil
}

// times reads optional Unix times into dst.
func (rr *recReader) times(dst ...**time.Time) {
	for _, d := range dst {
		if v, ok := rr.num(); ok {
			*d = rr.rs.sl.time(v)
		}
	}
}

// numAt returns num i without moving the reader (list counts that precede
// their entries in the reading order but not in the record).
func (rr *recReader) numAt(i int) (int64, bool) {
	if i < 0 || i >= rr.nums {
		return 0, false
	}
	return int64(rr.rs.nums[rr.n0+i]), rr.rs.oks[rr.n0+i] != 0
}

// bufHint sizes the buffer handed to a page step before the page's size is
// known: a high-water mark of the recent pages' sizes (plus a sixteenth)
// that decays by a thirty-second per page, so that pages of slightly
// different sizes all fit, and a single outsized page stops inflating the
// buffers after a few dozen pages. A page that does not fit costs a second
// crossing (ikgo_recs_copy into an exact buffer); the slack is what the
// page's items may retain beyond their own bytes.
type bufHint int

func (h *bufHint) buf() []byte {
	if *h <= 0 {
		return nil
	}
	return make([]byte, int(*h))
}

func (h *bufHint) update(need int) {
	if n := bufHint(need + need/16); n > *h-*h/32 {
		*h = n
	} else {
		*h -= *h / 32
	}
}

func bufPtr(b []byte) *C.uchar {
	if len(b) == 0 {
		return nil
	}
	return (*C.uchar)(unsafe.Pointer(&b[0]))
}

// readItemRec reads one owned or borrowed C item (a fetch result) with a
// record of its own: fill, then copy into an exact buffer. ok=false on C
// allocation failure.
func readItemRec[T any](kind Kind, x unsafe.Pointer, decode func(*recReader, *respCache, *T)) (T, bool) {
	var zero T
	r := C.ikgo_recs_new()
	if r == nil {
		return zero, false
	}
	defer C.ikgo_recs_delete(r)
	C.ikgo_recs_item(r, C.int32_t(kind), x)
	rs := newRecSet(r, nil)
	if rs.count != 1 {
		return zero, false
	}
	var v T
	var rr recReader
	rs.item(&rr, 0)
	decode(&rr, nil, &v)
	return v, true
}

// errRecNoMemory reports a record that C could not allocate.
func errRecNoMemory(op string) *Error {
	return &Error{Status: StatusNoMemory, Operation: op, Message: op + ": out of memory reading an item"}
}

// mustRead is readItemRec for results of single calls, whose signatures have
// no room for this error: failing to allocate a few hundred bytes of C memory
// ends the program, as running out of Go memory does.
func mustRead[T any](kind Kind, x unsafe.Pointer, decode func(*recReader, *respCache, *T)) T {
	v, ok := readItemRec(kind, x, decode)
	if !ok {
		panic("invitekit: out of C memory reading a result")
	}
	return v
}
