package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
	"strings"
	"time"
	"unsafe"
)

// Response is the metadata of the HTTP exchange behind a result.
type Response struct {
	HTTPStatus         int
	Provider           Provider
	RequestID          string // OpenAI x-request-id, Twilio Twilio-Request-Id, Fastly x-request-id
	Attempts           int    // 1 = the first try succeeded
	Elapsed            time.Duration
	RateLimitRemaining *int64     // Fastly-RateLimit-Remaining / x-ratelimit-remaining-requests
	RateLimitReset     *time.Time // Fastly-RateLimit-Reset
	Headers            []Header   // in arrival order
	Body               json.RawMessage
}

// Header returns the first value of a response header (case-insensitive), or "".
func (r *Response) Header(name string) string {
	if r == nil {
		return ""
	}
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func optInt(o C.ikgo_opt_int) *int64 {
	if o.ok == 0 {
		return nil
	}
	v := int64(o.v)
	return &v
}

func optTime(o C.ikgo_opt_int) *time.Time {
	if o.ok == 0 {
		return nil
	}
	t := time.Unix(int64(o.v), 0).UTC()
	return &t
}

func optBool(v C.int32_t) *bool {
	var b bool
	switch v {
	case C.IK_OPTBOOL_TRUE:
		b = true
	case C.IK_OPTBOOL_FALSE:
		b = false
	default:
		return nil
	}
	return &b
}

// readResponse copies an ik_response: one crossing (two or more with over 32
// headers). raw, when it is the same bytes as the body, is shared.
func readResponse(r *C.ik_response, raw json.RawMessage, rawPtr *C.char) *Response {
	if r == nil {
		return nil
	}
	var v C.ikgo_response_view
	C.ikgo_response_read(r, &v)
	return responseOf(&v, r, raw, rawPtr)
}

// responseOf builds the Response of r from its view v (already read).
func responseOf(v *C.ikgo_response_view, r *C.ik_response, raw json.RawMessage, rawPtr *C.char) *Response {
	resp := &Response{
		HTTPStatus:         int(v.http_status),
		Provider:           Provider(v.provider),
		RequestID:          gostr(v.request_id),
		Attempts:           int(v.attempts),
		Elapsed:            time.Duration(v.elapsed_us) * time.Microsecond,
		RateLimitRemaining: optInt(v.ratelimit_remaining),
		RateLimitReset:     optTime(v.ratelimit_reset_unix),
	}
	if v.body.p != nil {
		if rawPtr != nil && v.body.p == rawPtr && int(v.body.n) == len(raw) {
			resp.Body = raw
		} else {
			resp.Body = gobytes(v.body)
		}
	}
	n := int(v.header_count)
	resp.Headers = make([]Header, 0, n)
	for i := 0; i < n; i++ {
		if i < C.IKGO_INLINE_HEADERS {
			resp.Headers = append(resp.Headers, Header{gostr(v.header_name[i]), gostr(v.header_value[i])})
			continue
		}
		var name, value *C.char
		if C.ik_response_header_at(r, C.size_t(i), &name, &value) == 1 {
			resp.Headers = append(resp.Headers, Header{cstr(name), cstr(value)})
		}
	}
	return resp
}

// respCache shares one *Response between consecutive items of a page (they
// carry the same C response: compared by address while both items are alive).
type respCache struct {
	ptr  *C.ik_response
	resp *Response
}

func (c *respCache) get(r *C.ik_response, raw json.RawMessage, rawPtr *C.char) *Response {
	if c != nil && r != nil && r == c.ptr {
		return c.resp
	}
	resp := readResponse(r, raw, rawPtr)
	if c != nil {
		c.ptr, c.resp = r, resp
	}
	return resp
}

// Deletion is the result of every delete operation.
type Deletion struct {
	Kind     Kind
	ID       string  // the id the server reported, or the one the call was given
	Deleted  *bool   // OpenAI's `deleted` (nil when absent); true for a 204 answer
	Object   *string // "organization.invite.deleted" (OpenAI); nil without a body
	Raw      json.RawMessage
	Response *Response
}

func readDeletion(d *C.ik_deletion) *Deletion {
	if d == nil {
		return nil
	}
	defer C.ik_deletion_free(d)
	var kind, deleted C.int32_t
	var id, object, raw C.ikgo_str
	var resp *C.ik_response
	C.ikgo_deletion_read(d, &kind, &id, &deleted, &object, &raw, &resp)
	del := &Deletion{Kind: Kind(kind), ID: gostr(id), Deleted: optBool(deleted), Object: goptr(object)}
	if raw.p != nil {
		del.Raw = gobytes(raw)
	}
	del.Response = readResponse(resp, del.Raw, raw.p)
	return del
}

// rawOf copies a raw JSON view (nil when absent).
func rawOf(s C.ikgo_str) json.RawMessage {
	if s.p == nil {
		return nil
	}
	return json.RawMessage(C.GoBytes(unsafe.Pointer(s.p), C.int(s.n)))
}

// ListOptions select the page size, limit and start of a list or iterator.
type ListOptions struct {
	PageSize int   // items per request; 0 = server default; clamped to the endpoint maximum
	MaxItems int64 // iterators stop after this many items; 0 = no limit
	// Cursor resumes from Iterator.Cursor() or Page.NextCursor (opaque).
	Cursor string
	// ProviderCursor starts from the provider's own cursor instead: OpenAI an
	// invite id (after=), Fastly a page number, Twilio a next_page_url or PageToken.
	ProviderCursor string
}

func (o *ListOptions) toC(s *cstrs) (C.ik_list_options, error) {
	var lo C.ik_list_options
	var cerr *C.ik_error
	if st := C.ik_list_options_init(&lo, C.IK_LIST_OPTIONS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return lo, newError(st, cerr, "", nil)
	}
	if o != nil {
		lo.page_size = C.int32_t(o.PageSize)
		lo.max_items = C.int64_t(o.MaxItems)
		lo.cursor = s.opt(o.Cursor)
		lo.provider_cursor = s.opt(o.ProviderCursor)
	}
	return lo, nil
}
