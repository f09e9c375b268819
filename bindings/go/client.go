package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// TwilioOptions are the Twilio credentials and endpoint. Empty = not set
// (then the environment, unless IgnoreEnv, then the default).
type TwilioOptions struct {
	AccountSID string // TWILIO_ACCOUNT_SID
	AuthToken  string // TWILIO_AUTH_TOKEN
	APIKey     string // TWILIO_API_KEY ("SK..."), used with APISecret when both are set
	APISecret  string // TWILIO_API_SECRET
	Edge       string // TWILIO_EDGE
	Region     string // TWILIO_REGION
	BaseURL    string // replaces https://chat.twilio.com
}

// OpenAIOptions are the OpenAI admin credentials and endpoint.
type OpenAIOptions struct {
	AdminKey     string // OPENAI_ADMIN_KEY
	Organization string // OPENAI_ORG_ID, sent as OpenAI-Organization
	Project      string // OPENAI_PROJECT_ID, sent as OpenAI-Project
	BaseURL      string // OPENAI_BASE_URL; replaces https://api.openai.com/v1
}

// FastlyOptions are the Fastly credentials and endpoint.
type FastlyOptions struct {
	APIToken string // FASTLY_API_TOKEN, then FASTLY_API_KEY
	BaseURL  string // FASTLY_API_URL; replaces https://api.fastly.com
}

// Jitter is the backoff jitter.
type Jitter int32

const (
	JitterFull         Jitter = C.IK_JITTER_FULL // default
	JitterDecorrelated Jitter = C.IK_JITTER_DECORRELATED
	JitterNone         Jitter = C.IK_JITTER_NONE
)

// ServerWaitPolicy says what to do when a server asks to wait longer than MaxServerWait.
type ServerWaitPolicy int32

const (
	ServerWaitGiveUp ServerWaitPolicy = C.IK_SERVER_WAIT_GIVE_UP // fail with the rate-limit error (default)
	ServerWaitCap    ServerWaitPolicy = C.IK_SERVER_WAIT_CAP     // wait MaxServerWait, then retry
)

// Options configure a Client. The zero value means "library defaults, with
// credentials and endpoints from the vendors' environment variables"
// (TWILIO_*, OPENAI_*, FASTLY_*); an explicit field always wins over its
// environment variable. Zero durations and counts mean "default".
type Options struct {
	Twilio TwilioOptions
	OpenAI OpenAIOptions
	Fastly FastlyOptions

	UserAgentSuffix  string
	ConnectTimeout   time.Duration // default 10s
	AttemptTimeout   time.Duration // per attempt, default 60s
	Deadline         time.Duration // whole call incl. retries; default none
	CAFile           string        // PEM bundle replacing the system CAs
	Proxy            string        // e.g. "http://proxy:3128"; overrides the environment
	MaxResponseBytes int64         // default DefaultMaxResponseBytes() (16 MiB)

	MaxRetries       int // retries after the first attempt; 0 = default (2); negative = none
	Jitter           Jitter
	RetryBaseDelay   time.Duration // default 500ms
	RetryMaxDelay    time.Duration // default 8s
	MaxServerWait    time.Duration // cap on server-directed waits; default 60s
	ServerWaitPolicy ServerWaitPolicy

	IgnoreEnv           bool // read no environment variable at all
	InsecureSkipVerify  bool // disable TLS verification (never in production)
	NoProxyEnv          bool // ignore http_proxy/https_proxy/no_proxy
	RetryAmbiguousPosts bool // also retry creates whose outcome is ambiguous (may duplicate)

	// Logger receives the library's log events (credentials redacted) at
	// LogLevel and above (default LogInfo when Logger is set); for
	// non-blocking operations it is called on the client's I/O thread.
	// Without a Logger, the INVITEKIT_LOG / OPENAI_LOG / ... variables log to
	// stderr.
	Logger   Logger
	LogLevel LogLevel

	// RetryFunc, if set, is called before every retry; returning a non-nil
	// error vetoes it, and the call then fails with an *Error whose
	// CancelledBy is CancelledByRetryCallback and that unwraps to that error.
	// A panic in RetryFunc vetoes the retry and is re-raised in the goroutine
	// that made the call. It runs on the calling goroutine and must not call
	// the same Client. For a non-blocking operation (Start*) it runs on the
	// client's I/O thread, where a blocking call fails with ErrWouldBlock;
	// a veto there fails the operation with CancelledByRetryCallback but its
	// error is not attached, and a panic vetoes the retry and is dropped.
	RetryFunc RetryFunc

	// CompletionMode says where non-blocking operations (Start*) complete:
	// CompletionsIOThread (default) on the client's I/O thread, so that
	// Op.Done is closed without help; CompletionsQueued on the goroutine that
	// calls Client.Dispatch or Op.Wait (for hosts polling CompletionFD).
	CompletionMode CompletionMode
	// MaxConnections caps the connections of the non-blocking engine (one
	// pool shared by all Start* operations of the client); 0 = default (64).
	MaxConnections int
}

// Client is a connection pool and configuration for the four APIs. It is safe
// for concurrent use. Close it when done; a finalizer closes a leaked client.
type Client struct {
	mu       sync.RWMutex // read: a call in flight; write: Close
	ptr      *C.ik_client
	hasRetry bool
	queued   bool // CompletionMode == CompletionsQueued
}

// cbState is the user data of the client's callbacks (a cgo.Handle).
type cbState struct {
	logger   Logger
	retry    RetryFunc
	released int32 // set by goReleaseHandle (the library's ik_free_cb)
	handle   cgo.Handle
}

func ms(d time.Duration) C.int64_t {
	if d <= 0 {
		return C.int64_t(d / time.Millisecond) // 0 = default; negative is rejected by the library
	}
	return C.int64_t((d + time.Millisecond - 1) / time.Millisecond)
}

// cstrs collects C strings to free after a call.
type cstrs []*C.char

func (s *cstrs) opt(v string) *C.char {
	if v == "" {
		return nil
	}
	p := C.CString(v)
	*s = append(*s, p)
	return p
}

func (s *cstrs) str(v string) *C.char {
	p := C.CString(v)
	*s = append(*s, p)
	return p
}

func (s *cstrs) free() {
	for _, p := range *s {
		C.free(unsafe.Pointer(p))
	}
	*s = nil
}

// NewClient creates a client. It fails when the loaded library is not ABI 0.2
// or the options are invalid (bad base URL, negative timeout, ...); missing
// credentials only fail the calls to that provider (ErrNoCredentials).
func NewClient(o Options) (*Client, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	var opts C.ik_client_options
	var cerr *C.ik_error
	if st := C.ik_client_options_init(&opts, C.IK_CLIENT_OPTIONS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return nil, newError(st, cerr, "client.new", nil)
	}
	// Once per client, not per call: the library accepts the ik_call_options
	// version this binding fills in itself (newCallEnv).
	var probe C.ik_call_options
	if st := C.ik_call_options_init(&probe, C.IK_CALL_OPTIONS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return nil, newError(st, cerr, "client.new", nil)
	}
	var s cstrs
	defer s.free()
	if o.IgnoreEnv {
		opts.flags |= C.IK_CLIENT_IGNORE_ENV
	}
	if o.InsecureSkipVerify {
		opts.flags |= C.IK_CLIENT_INSECURE_NO_VERIFY
	}
	if o.NoProxyEnv {
		opts.flags |= C.IK_CLIENT_NO_PROXY_ENV
	}
	if o.RetryAmbiguousPosts {
		opts.flags |= C.IK_CLIENT_RETRY_AMBIGUOUS_POSTS
	}
	opts.twilio_account_sid = s.opt(o.Twilio.AccountSID)
	opts.twilio_auth_token = s.opt(o.Twilio.AuthToken)
	opts.twilio_api_key = s.opt(o.Twilio.APIKey)
	opts.twilio_api_secret = s.opt(o.Twilio.APISecret)
	opts.twilio_edge = s.opt(o.Twilio.Edge)
	opts.twilio_region = s.opt(o.Twilio.Region)
	opts.twilio_base_url = s.opt(o.Twilio.BaseURL)
	opts.openai_admin_key = s.opt(o.OpenAI.AdminKey)
	opts.openai_organization = s.opt(o.OpenAI.Organization)
	opts.openai_project = s.opt(o.OpenAI.Project)
	opts.openai_base_url = s.opt(o.OpenAI.BaseURL)
	opts.fastly_api_token = s.opt(o.Fastly.APIToken)
	opts.fastly_base_url = s.opt(o.Fastly.BaseURL)
	opts.user_agent_suffix = s.opt(o.UserAgentSuffix)
	opts.connect_timeout_ms = ms(o.ConnectTimeout)
	opts.attempt_timeout_ms = ms(o.AttemptTimeout)
	opts.deadline_ms = ms(o.Deadline)
	opts.ca_file = s.opt(o.CAFile)
	opts.proxy = s.opt(o.Proxy)
	opts.max_response_bytes = C.int64_t(o.MaxResponseBytes)
	switch {
	case o.MaxRetries < 0:
		opts.max_retries = -1
	default:
		opts.max_retries = C.int32_t(o.MaxRetries)
	}
	opts.jitter = C.int32_t(o.Jitter)
	opts.retry_base_delay_ms = ms(o.RetryBaseDelay)
	opts.retry_max_delay_ms = ms(o.RetryMaxDelay)
	opts.max_server_wait_ms = ms(o.MaxServerWait)
	opts.server_wait_policy = C.int32_t(o.ServerWaitPolicy)
	opts.log_level = C.int32_t(o.LogLevel)
	opts.completion_mode = C.int32_t(o.CompletionMode)
	opts.max_connections = C.int32_t(o.MaxConnections)
	if int(opts.max_connections) != o.MaxConnections {
		return nil, bindingError(StatusInvalidArgument, "client.new", "client.new: MaxConnections out of range")
	}

	var states []*cbState
	if o.RetryFunc != nil {
		st := &cbState{retry: o.RetryFunc}
		st.handle = cgo.NewHandle(st)
		states = append(states, st)
		C.ikgo_set_retry(&opts, C.uintptr_t(st.handle))
	}
	if o.Logger != nil {
		st := &cbState{logger: o.Logger}
		st.handle = cgo.NewHandle(st)
		states = append(states, st)
		C.ikgo_set_log(&opts, C.uintptr_t(st.handle), C.int32_t(o.LogLevel))
	}

	c := &Client{hasRetry: o.RetryFunc != nil, queued: o.CompletionMode == CompletionsQueued}
	if st := C.ik_client_new(&opts, &c.ptr, &cerr); st != C.IK_STATUS_OK {
		// The library may or may not have released the user data (see the
		// report on ik_client_new); release what it did not.
		for _, cb := range states {
			if atomic.LoadInt32(&cb.released) == 0 {
				atomic.StoreInt32(&cb.released, 1)
				cb.handle.Delete()
			}
		}
		return nil, newError(st, cerr, "client.new", nil)
	}
	runtime.SetFinalizer(c, func(c *Client) { _ = c.Close() })
	return c, nil
}

// Close frees the client: closes its connections, wipes the secrets and
// releases the callbacks. It waits for blocking calls in flight, and cancels
// the non-blocking operations in flight: each of them has completed (Done
// closed, Wait returning an error matching ErrCancelled and ErrClosed, with
// CancelledBy == CancelledByClientFree) by the time Close returns. Calls made after
// Close fail with an error matching ErrClosed; iterators made from the client
// may be closed before or after it. Close is idempotent and always returns nil.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil {
		return nil
	}
	C.ik_client_free(c.ptr)
	c.ptr = nil
	runtime.SetFinalizer(c, nil)
	return nil
}

// BaseURL returns the base URL the client uses for a provider ("" for an
// unknown provider or a closed client).
func (c *Client) BaseURL(p Provider) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return ""
	}
	s := C.GoString(C.ik_client_base_url(c.ptr, C.int32_t(p)))
	runtime.KeepAlive(c)
	return s
}

// HasCredentials reports whether credentials are configured for a provider.
func (c *Client) HasCredentials(p Provider) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return false
	}
	ok := C.ik_client_has_credentials(c.ptr, C.int32_t(p)) == 1
	runtime.KeepAlive(c)
	return ok
}

// ConnectionsOpened is the number of TCP connections the client opened so far.
func (c *Client) ConnectionsOpened() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return 0
	}
	n := int64(C.ik_client_connections_opened(c.ptr))
	runtime.KeepAlive(c)
	return n
}

// ---------------------------------------------------------------------------
// Per-call options

// CallOption overrides a client option for one call (or for every page fetch
// of an iterator).
type CallOption func(*callConfig)

type callConfig struct {
	connectTimeout, attemptTimeout, deadline time.Duration
	maxRetries                               int
	retryAmbiguous                           *bool
	headers                                  []string
}

// WithConnectTimeout sets the connect timeout of the call.
func WithConnectTimeout(d time.Duration) CallOption {
	return func(c *callConfig) { c.connectTimeout = d }
}

// WithAttemptTimeout sets the per-attempt timeout of the call.
func WithAttemptTimeout(d time.Duration) CallOption {
	return func(c *callConfig) { c.attemptTimeout = d }
}

// WithDeadline sets the overall deadline of the call (all attempts), measured
// from its start. A context deadline, if earlier, wins.
func WithDeadline(d time.Duration) CallOption { return func(c *callConfig) { c.deadline = d } }

// WithMaxRetries sets the retries after the first attempt; negative = none.
func WithMaxRetries(n int) CallOption {
	return func(c *callConfig) {
		if n < 0 {
			n = -1
		}
		c.maxRetries = n
	}
}

// WithRetryAmbiguousPosts overrides the client's RetryAmbiguousPosts.
func WithRetryAmbiguousPosts(v bool) CallOption {
	return func(c *callConfig) { c.retryAmbiguous = &v }
}

// WithHeader adds a request header (not Authorization, Fastly-Key,
// Content-Type or Host), e.g. WithHeader("Prefer", "example=full").
func WithHeader(name, value string) CallOption {
	return func(c *callConfig) { c.headers = append(c.headers, name+": "+value) }
}

// callState is the per-call state the retry trampoline reaches through the
// thread-local handle (the library runs callbacks on the calling thread).
type callState struct {
	err      error
	panicked bool
	panicVal interface{}
}

// callEnv is the C side of one call: ik_call_options, cancel token, headers.
type callEnv struct {
	// opts is a separate allocation holding only C pointers: cgo checks the
	// whole Go object a pointer argument points into.
	opts        *C.ik_call_options
	s           cstrs
	hdrs        **C.char
	hasDeadline bool
	deadline    time.Time
	cs          *callState
	stop        chan struct{}
	exited      chan struct{}
	token       *C.ik_cancel_token
	ownToken    bool
	// iterators: opts is C memory (C.free) and baseDeadline the CallOptions' deadline
	cOpts        bool
	baseDeadline C.int64_t
}

func newCallEnv(ctx context.Context, cos []CallOption, withRetry bool) (*callEnv, error) {
	// Zero-filled with its version set: what ik_call_options_init does, without
	// a cgo crossing per call (NewClient checked the version once).
	e := &callEnv{opts: new(C.ik_call_options)}
	e.fill(cos)
	if withRetry {
		e.cs = &callState{}
	}
	e.applyDeadline(ctx)
	return e, nil
}

// newIterCallEnv builds the call options of an iterator's page requests once,
// in C memory (so that no Go memory is checked by cgo at each step): its
// CallOptions never change; prepare sets what depends on each call's context.
// nil when C memory runs out.
func newIterCallEnv(cos []CallOption) *callEnv {
	opts := C.ikgo_call_options_new()
	if opts == nil {
		return nil
	}
	e := &callEnv{opts: opts, cOpts: true}
	e.fill(cos)
	e.baseDeadline = e.opts.deadline_ms
	return e
}

// prepare readies an iterator's env for one call with ctx (no cancel token:
// the iterator sets its own).
func (e *callEnv) prepare(ctx context.Context, withRetry bool) {
	e.opts.deadline_ms = e.baseDeadline
	e.opts.cancel = nil
	e.hasDeadline, e.deadline = false, time.Time{}
	e.cs = nil
	if withRetry {
		e.cs = &callState{}
	}
	e.applyDeadline(ctx)
}

// fill sets the version and the options of cos in e.opts.
func (e *callEnv) fill(cos []CallOption) {
	e.opts.version = C.IK_CALL_OPTIONS_VERSION
	var cfg callConfig
	for _, o := range cos {
		o(&cfg)
	}
	e.opts.connect_timeout_ms = ms(cfg.connectTimeout)
	e.opts.attempt_timeout_ms = ms(cfg.attemptTimeout)
	e.opts.deadline_ms = ms(cfg.deadline)
	e.opts.max_retries = C.int32_t(cfg.maxRetries)
	if cfg.retryAmbiguous != nil {
		if *cfg.retryAmbiguous {
			e.opts.retry_ambiguous_posts = C.IK_OPTBOOL_TRUE
		} else {
			e.opts.retry_ambiguous_posts = C.IK_OPTBOOL_FALSE
		}
	}
	if n := len(cfg.headers); n > 0 {
		e.hdrs = (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		arr := unsafe.Slice(e.hdrs, n)
		for i, h := range cfg.headers {
			arr[i] = e.s.str(h)
		}
		e.opts.extra_headers = e.hdrs
		e.opts.extra_headers_count = C.size_t(n)
	}
}

// applyDeadline passes the context's deadline to the library too, so that it
// never starts a backoff sleep or an attempt it cannot finish.
func (e *callEnv) applyDeadline(ctx context.Context) {
	d, ok := ctx.Deadline()
	if !ok {
		return
	}
	e.hasDeadline, e.deadline = true, d
	left := ms(time.Until(d))
	if left < 1 {
		left = 1
	}
	if e.opts.deadline_ms == 0 || left < e.opts.deadline_ms {
		e.opts.deadline_ms = left
	}
}

// watch starts a goroutine that cancels the call's token when ctx is done;
// unwatch stops it and waits for it, so the token is never used after the call.
func (e *callEnv) watch(ctx context.Context) error {
	done := ctx.Done()
	if done == nil {
		return nil
	}
	var cerr *C.ik_error
	if st := C.ik_cancel_token_new(&e.token, &cerr); st != C.IK_STATUS_OK {
		return newError(st, cerr, "", nil)
	}
	e.ownToken = true
	e.opts.cancel = e.token
	e.stop, e.exited = make(chan struct{}), make(chan struct{})
	go watcher(done, e.stop, e.exited, e.token)
	return nil
}

func watcher(done <-chan struct{}, stop, exited chan struct{}, tok *C.ik_cancel_token) {
	defer close(exited)
	select {
	case <-done:
		C.ik_cancel_token_cancel(tok)
	case <-stop:
	}
}

func (e *callEnv) unwatch() {
	if e.stop != nil {
		close(e.stop)
		<-e.exited
		e.stop, e.exited = nil, nil
	}
}

func (e *callEnv) free() {
	e.unwatch()
	if e.ownToken {
		C.ik_cancel_token_free(e.token)
		e.token, e.ownToken = nil, false
	}
	e.s.free()
	if e.hdrs != nil {
		C.free(unsafe.Pointer(e.hdrs))
		e.hdrs = nil
	}
	if e.cOpts && e.opts != nil {
		C.free(unsafe.Pointer(e.opts))
		e.opts = nil
	}
}

// schedPoint is called before every C call that may wait on the network (an
// operation, an iterator's page). Returning from a cgo call keeps the
// goroutine's P without passing through the scheduler, so a goroutine that
// loops over such calls (pages of a listing, fetches in sequence) would never
// be rescheduled. After 10 ms of that, the runtime's monitor thread counts it
// as running too long and, finding it inside a C call, takes its P away at
// every tick (Go 1.19 runtime/proc.go, retake: "sysretake"): the monitor then
// stays at its shortest tick (20 µs) and every tick hands the P to another
// thread, two thread wake-ups per call that the runtime spends for nothing.
// runtime.Gosched makes the call a scheduling point (the goroutine runs again
// at once unless another one is waiting); with it the monitor backs off to its
// 10 ms sleep (docs/BENCHMARKS.md, "Go: a scheduling point per call":
// context switches of a 100,000-item listing 1,990 -> 1,330).
func schedPoint() { runtime.Gosched() }

// run makes the C call fn. With a retry callback, it pins the goroutine to its
// thread and publishes the call state in the thread-local the C retry shim reads.
func (e *callEnv) run(fn func(co *C.ik_call_options, cerr **C.ik_error) C.ik_status) (C.ik_status, *C.ik_error) {
	var cerr *C.ik_error
	if e.cs == nil {
		st := fn(e.opts, &cerr)
		return st, cerr
	}
	h := cgo.NewHandle(e.cs)
	runtime.LockOSThread()
	C.ikgo_set_call(C.uintptr_t(h))
	st := fn(e.opts, &cerr)
	C.ikgo_set_call(0)
	runtime.UnlockOSThread()
	h.Delete()
	return st, cerr
}

// fail turns a failed status into the error returned to the caller.
func (e *callEnv) fail(ctx context.Context, st C.ik_status, cerr *C.ik_error, op string) *Error {
	err := newError(st, cerr, op, nil)
	switch {
	case err.Status == StatusCancelled && err.CancelledBy == CancelledByRetryCallback && e.cs != nil:
		err.cause = e.cs.err
	case err.Status == StatusCancelled || err.Status == StatusTimeout:
		if ce := ctx.Err(); ce != nil {
			err.cause = ce
		} else if err.Status == StatusTimeout && e.hasDeadline && !time.Now().Before(e.deadline) {
			err.cause = context.DeadlineExceeded
		}
	}
	return err
}

func ctxError(op string, err error) *Error {
	st := StatusCancelled
	if err == context.DeadlineExceeded {
		st = StatusTimeout
	}
	return &Error{Status: st, Operation: op, Message: op + ": " + err.Error(), cause: err, CancelledBy: CancelledByToken}
}

func closedError(op string) *Error {
	return &Error{Status: StatusInvalidArgument, Operation: op, Message: op + ": the client is closed", cause: ErrClosed}
}

// do runs one operation: fn receives the call options and the error out-param
// and makes exactly one C call on c.ptr (valid while do holds the read lock).
func (c *Client) do(ctx context.Context, op string, cos []CallOption,
	fn func(cl *C.ik_client, co *C.ik_call_options, cerr **C.ik_error) C.ik_status) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return ctxError(op, err)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return closedError(op)
	}
	env, err := newCallEnv(ctx, cos, c.hasRetry)
	if err != nil {
		return err
	}
	if err := env.watch(ctx); err != nil {
		env.free()
		return err
	}
	schedPoint()
	st, cerr := env.run(func(co *C.ik_call_options, ce **C.ik_error) C.ik_status { return fn(c.ptr, co, ce) })
	env.unwatch()
	runtime.KeepAlive(c)
	if st == C.IK_STATUS_OK {
		env.free()
		return nil
	}
	e := env.fail(ctx, st, cerr, op)
	env.free()
	if env.cs != nil && env.cs.panicked {
		panic(env.cs.panicVal)
	}
	return e
}
