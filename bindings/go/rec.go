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

// Reading an item (shim.h, ikgo_rec): C flattens the item's fields into a
// record in C memory and copies their bytes, back to back, into one Go byte
// buffer; Go then slices that buffer: every string of the item is a substring
// of it and the raw JSON a capacity-limited slice of it. One allocation for
// every string and the raw JSON of an item instead of one per field, and no
// Go pointer but the buffer's (which holds no pointers: cgo does not walk it)
// passed to C.

// recReader walks a filled record in its field order (shim.c's rec_<kind>).
type recReader struct {
	r     *C.ikgo_rec
	buf   []byte
	spans []C.ikgo_span
	nums  int
	si    int
	ni    int
}

func newRecReader(r *C.ikgo_rec, buf []byte) recReader {
	rr := recReader{r: r, buf: buf, nums: int(r.nnum)}
	if r.nspan > 0 {
		rr.spans = unsafe.Slice(r.span, int(r.nspan))
	}
	return rr
}

// bytesString returns b as a string without copying. b must never be written
// again: here b is a region of an item buffer that ikgo_rec_copy filled and
// that nothing else references but strings (and, for the raw JSON span only,
// the item's Raw slice, which never overlaps a string's region). This is the
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
	if rr.si >= len(rr.spans) {
		return nil, false
	}
	s := rr.spans[rr.si]
	rr.si++
	if s.n < 0 {
		return nil, false
	}
	off, n := int(s.off), int(s.n)
	return rr.buf[off : off+n : off+n], true
}

// rawPtr is the C address of the raw JSON span (span 0), to recognise a raw
// JSON that is the same bytes as its response's body.
func (rr *recReader) rawPtr() *C.char {
	if len(rr.spans) == 0 || rr.spans[0].n < 0 {
		return nil
	}
	return rr.spans[0].p
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
	s := bytesString(b)
	return &s
}

// num returns the next optional integer.
func (rr *recReader) num() (int64, bool) {
	if rr.ni >= rr.nums {
		return 0, false
	}
	i := rr.ni
	rr.ni++
	return int64(rr.r.num[i]), rr.r.num_ok[i] != 0
}

func (rr *recReader) optInt() *int64 {
	v, ok := rr.num()
	if !ok {
		return nil
	}
	return &v
}

func (rr *recReader) optBool() *bool {
	v, _ := rr.num()
	return optBool(C.int32_t(v))
}

// times reads optional Unix times into dst with one allocation for all the
// present ones.
func (rr *recReader) times(dst ...**time.Time) {
	rr.timesInto(nil, dst...)
}

// timesInto is times with the storage given (appended to ts, which must have
// the capacity for every present time or it is reallocated).
func (rr *recReader) timesInto(ts []time.Time, dst ...**time.Time) {
	var vals [4]int64
	var oks [4]bool
	present := 0
	for i := range dst {
		vals[i], oks[i] = rr.num()
		if oks[i] {
			present++
		}
	}
	if present == 0 {
		return
	}
	if cap(ts) < present {
		ts = make([]time.Time, 0, present)
	}
	ts = ts[:present]
	j := 0
	for i, d := range dst {
		if oks[i] {
			ts[j] = time.Unix(vals[i], 0).UTC()
			*d = &ts[j]
			j++
		}
	}
}

// bufHint sizes the buffer handed to a fused step before the item's size is
// known: a high-water mark of the recent items' sizes (plus a sixteenth) that
// decays by a thirty-second per item, so that items of alternating sizes (an
// OpenAI invite with and without a project: 309 and 366 bytes) all fit, and a
// single outsized item stops inflating the buffers after a few dozen items. An
// item that does not fit costs a second crossing (ikgo_rec_copy into an exact
// buffer); the slack is what an item may retain beyond its own bytes.
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

// finish makes sure the record's bytes are in a buffer after a fused step
// that was given buf: when they did not fit, one more crossing copies them
// into an exact one. It returns the reader, or ok=false when the record could
// not be built (C out of memory).
func finishRec(r *C.ikgo_rec, buf []byte, h *bufHint) (recReader, bool) {
	if r.oom != 0 {
		return recReader{}, false
	}
	need := int(r.need)
	if r.copied == 0 {
		buf = make([]byte, need)
		C.ikgo_rec_copy(r, bufPtr(buf), C.size_t(need))
	}
	if h != nil {
		h.update(need)
	}
	return newRecReader(r, buf[:need:need]), true
}

// readItemRec reads one owned or borrowed C item (a fetch result) with a
// record of its own: fill, then copy into an exact buffer. ok=false on C
// allocation failure.
func readItemRec[T any](kind Kind, x unsafe.Pointer, decode func(*recReader, *respCache, *T)) (T, bool) {
	var zero T
	r := C.ikgo_rec_new()
	if r == nil {
		return zero, false
	}
	defer C.ikgo_rec_delete(r)
	C.ikgo_rec_item(r, C.int32_t(kind), x)
	rr, ok := finishRec(r, nil, nil)
	if !ok {
		return zero, false
	}
	var v T
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

// numAt returns num i without moving the reader (list counts that precede
// their entries in the reading order but not in the record).
func (rr *recReader) numAt(i int) (int64, bool) {
	if i < 0 || i >= rr.nums {
		return 0, false
	}
	return int64(rr.r.num[i]), rr.r.num_ok[i] != 0
}
