package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// Status is the class of a failure (ik_status). Values are stable; an unknown
// value is treated as "other error".
type Status int32

const (
	StatusOK               Status = C.IK_STATUS_OK
	StatusInvalidArgument  Status = C.IK_STATUS_INVALID_ARGUMENT
	StatusInvalidUTF8      Status = C.IK_STATUS_INVALID_UTF8
	StatusNoMemory         Status = C.IK_STATUS_NO_MEMORY
	StatusTransport        Status = C.IK_STATUS_TRANSPORT
	StatusTLS              Status = C.IK_STATUS_TLS
	StatusTimeout          Status = C.IK_STATUS_TIMEOUT
	StatusCancelled        Status = C.IK_STATUS_CANCELLED
	StatusBadRequest       Status = C.IK_STATUS_BAD_REQUEST
	StatusAuthentication   Status = C.IK_STATUS_AUTHENTICATION
	StatusPermissionDenied Status = C.IK_STATUS_PERMISSION_DENIED
	StatusNotFound         Status = C.IK_STATUS_NOT_FOUND
	StatusConflict         Status = C.IK_STATUS_CONFLICT
	StatusUnprocessable    Status = C.IK_STATUS_UNPROCESSABLE
	StatusRateLimited      Status = C.IK_STATUS_RATE_LIMITED
	StatusServerError      Status = C.IK_STATUS_SERVER_ERROR
	StatusHTTPOther        Status = C.IK_STATUS_HTTP_OTHER
	StatusParse            Status = C.IK_STATUS_PARSE
	StatusResponseTooLarge Status = C.IK_STATUS_RESPONSE_TOO_LARGE
	StatusNoCredentials    Status = C.IK_STATUS_NO_CREDENTIALS
	StatusUnsupported      Status = C.IK_STATUS_UNSUPPORTED
	StatusInternal         Status = C.IK_STATUS_INTERNAL
	// StatusWouldBlock: a blocking call or wait made on a client's own I/O
	// thread (from a Logger or RetryFunc run by a non-blocking operation).
	StatusWouldBlock Status = C.IK_STATUS_WOULD_BLOCK
)

// String returns the English text of the status ("not found").
func (s Status) String() string { return C.GoString(C.ik_status_str(C.ik_status(s))) }

// Name returns the stable machine name of the status ("IK_STATUS_NOT_FOUND").
func (s Status) Name() string { return C.GoString(C.ik_status_name(C.ik_status(s))) }

// CancelledBy tells who stopped a call that failed with StatusCancelled.
type CancelledBy int32

const (
	CancelledByNone          CancelledBy = C.IK_CANCELLED_BY_NONE
	CancelledByToken         CancelledBy = C.IK_CANCELLED_BY_TOKEN // the context (through a cancel token)
	CancelledByRetryCallback CancelledBy = C.IK_CANCELLED_BY_RETRY_CALLBACK
	CancelledByOperation     CancelledBy = C.IK_CANCELLED_BY_OPERATION   // Op.Cancel, or the context of a Start* call or of Op.Wait
	CancelledByClientFree    CancelledBy = C.IK_CANCELLED_BY_CLIENT_FREE // Client.Close with the operation in flight
)

// String returns "none", "token", "retry_callback", "operation" or "client_free".
func (c CancelledBy) String() string {
	switch c {
	case CancelledByNone:
		return "none"
	case CancelledByToken:
		return "token"
	case CancelledByRetryCallback:
		return "retry_callback"
	case CancelledByOperation:
		return "operation"
	case CancelledByClientFree:
		return "client_free"
	}
	return "unknown"
}

// Header is one HTTP response header.
type Header struct{ Name, Value string }

// Error is a failed call: everything the C error object carried, copied out
// before it was freed. It matches the sentinels (ErrNotFound, ...) with
// errors.Is by Status, and unwraps to the context's error when the context
// stopped the call, or to the error a RetryFunc returned to veto a retry.
type Error struct {
	Status          Status
	Message         string // "openai invites.retrieve: HTTP 404 Not Found: ..."
	HTTPStatus      int    // 0 when no response was received
	Provider        Provider
	Operation       string // e.g. "invites.create"
	ProviderCode    string // Twilio code in decimal, OpenAI error.code, Fastly errors[0].code
	ProviderMessage string
	RequestID       string
	RetryAfter      time.Duration // server-directed delay; valid when HasRetryAfter
	HasRetryAfter   bool
	Retryable       bool
	Ambiguous       bool // the request may have been processed (e.g. a create)
	Attempts        int
	TransportCode   int // libcurl's CURLcode of the last attempt
	CancelledBy     CancelledBy
	Body            []byte // raw body of the last response; nil when none was received
	Headers         []Header
	fields          map[string]string // every ik_error_field_at entry

	cause    error // context error or retry-callback error
	sentinel bool
}

// Error returns the library's message.
func (e *Error) Error() string {
	if e.sentinel {
		return "invitekit: " + e.Status.String()
	}
	if e.Message != "" {
		return "invitekit: " + e.Message
	}
	return "invitekit: " + e.Status.String()
}

// Unwrap returns the context's error (context.Canceled or
// context.DeadlineExceeded) when the context stopped the call, the error a
// RetryFunc returned when it vetoed a retry (blocking calls only), ErrClosed
// when Client.Close cancelled a non-blocking operation, else nil.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is a sentinel with the same Status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Status == e.Status
}

// Header returns the first value of a response header of the last attempt
// (case-insensitive name), or "".
func (e *Error) Header(name string) string {
	for _, h := range e.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Field returns a provider-specific extra field (see ik_error_field): "more_info",
// "details", "type", "title", "detail", "instance", "param", "code", "status",
// "msg", "id", "meta", "errors", "content_type", "url". ok is false when absent.
func (e *Error) Field(name string) (value string, ok bool) {
	value, ok = e.fields[name]
	return
}

func sentinel(s Status) *Error { return &Error{Status: s, sentinel: true} }

// Sentinels, one per status: errors.Is(err, invitekit.ErrNotFound).
var (
	ErrInvalidArgument  = sentinel(StatusInvalidArgument)
	ErrInvalidUTF8      = sentinel(StatusInvalidUTF8)
	ErrNoMemory         = sentinel(StatusNoMemory)
	ErrTransport        = sentinel(StatusTransport)
	ErrTLS              = sentinel(StatusTLS)
	ErrTimeout          = sentinel(StatusTimeout)
	ErrCancelled        = sentinel(StatusCancelled)
	ErrBadRequest       = sentinel(StatusBadRequest)
	ErrAuthentication   = sentinel(StatusAuthentication)
	ErrPermissionDenied = sentinel(StatusPermissionDenied)
	ErrNotFound         = sentinel(StatusNotFound)
	ErrConflict         = sentinel(StatusConflict)
	ErrUnprocessable    = sentinel(StatusUnprocessable)
	ErrRateLimited      = sentinel(StatusRateLimited)
	ErrServerError      = sentinel(StatusServerError)
	ErrHTTPOther        = sentinel(StatusHTTPOther)
	ErrParse            = sentinel(StatusParse)
	ErrResponseTooLarge = sentinel(StatusResponseTooLarge)
	ErrNoCredentials    = sentinel(StatusNoCredentials)
	ErrUnsupported      = sentinel(StatusUnsupported)
	ErrInternal         = sentinel(StatusInternal)
	ErrWouldBlock       = sentinel(StatusWouldBlock)
)

// gostr copies a view string ("" when absent).
func gostr(s C.ikgo_str) string {
	if s.p == nil {
		return ""
	}
	return C.GoStringN(s.p, C.int(s.n))
}

// goptr copies a view string (nil when absent).
func goptr(s C.ikgo_str) *string {
	if s.p == nil {
		return nil
	}
	v := C.GoStringN(s.p, C.int(s.n))
	return &v
}

// gobytes copies view bytes (nil when absent).
func gobytes(s C.ikgo_str) []byte {
	if s.p == nil {
		return nil
	}
	if s.n == 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(s.p), C.int(s.n))
}

// newError builds an *Error from a failed call and frees cerr. op names the
// operation for errors raised before any C call.
func newError(st C.ik_status, cerr *C.ik_error, op string, cause error) *Error {
	e := &Error{Status: Status(st), Operation: op, cause: cause}
	if cerr == nil {
		e.Message = Status(st).String()
		return e
	}
	defer C.ik_error_free(cerr)
	var v C.ikgo_error_view
	C.ikgo_error_read(cerr, &v) // one crossing for every scalar and string
	e.Status = Status(v.status)
	e.Message = gostr(v.message)
	e.HTTPStatus = int(v.http_status)
	e.Provider = Provider(v.provider)
	if o := gostr(v.operation); o != "" {
		e.Operation = o
	}
	e.ProviderCode = gostr(v.provider_code)
	e.ProviderMessage = gostr(v.provider_message)
	e.RequestID = gostr(v.request_id)
	if v.retry_after_ms.ok != 0 {
		e.HasRetryAfter = true
		e.RetryAfter = time.Duration(v.retry_after_ms.v) * time.Millisecond
	}
	e.Retryable = v.retryable != 0
	e.Ambiguous = v.ambiguous != 0
	e.Attempts = int(v.attempts)
	e.TransportCode = int(v.transport_code)
	e.CancelledBy = CancelledBy(v.cancelled_by)
	if v.has_body != 0 {
		e.Body = gobytes(v.body)
		if e.Body == nil {
			e.Body = []byte{}
		}
	}
	if n := int(v.header_count); n > 0 {
		e.Headers = make([]Header, 0, n)
		for i := 0; i < n; i++ {
			var name, value *C.char
			if C.ik_error_header_at(cerr, C.size_t(i), &name, &value) == 1 {
				e.Headers = append(e.Headers, Header{C.GoString(name), C.GoString(value)})
			}
		}
	}
	// every field the error carries, including names added after this binding
	if n := int(v.field_count); n > 0 {
		e.fields = make(map[string]string, n)
		for i := 0; i < n; i++ {
			if i < C.IKGO_INLINE_FIELDS {
				if v.field_name[i].p != nil {
					e.fields[gostr(v.field_name[i])] = gostr(v.field_value[i])
				}
				continue
			}
			var name, value *C.char
			if C.ik_error_field_at(cerr, C.size_t(i), &name, &value) == 1 && name != nil {
				e.fields[C.GoString(name)] = cstr(value)
			}
		}
	}
	return e
}

// bindingError is an error raised by the binding itself (no C error object).
func bindingError(st Status, op, msg string) *Error {
	return &Error{Status: st, Operation: op, Message: msg}
}

// Fields returns a copy of every provider-specific field the error carries.
func (e *Error) Fields() map[string]string {
	out := make(map[string]string, len(e.fields))
	for k, v := range e.fields {
		out[k] = v
	}
	return out
}
