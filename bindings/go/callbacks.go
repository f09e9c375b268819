package invitekit

// This file holds the //export trampolines; cgo therefore allows only
// declarations in its preamble (the C shims live in shim.c).

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"sync/atomic"
	"time"
)

// LogLevel is the verbosity of the library's logging.
type LogLevel int32

const (
	LogOff   LogLevel = C.IK_LOG_OFF
	LogError LogLevel = C.IK_LOG_ERROR
	LogWarn  LogLevel = C.IK_LOG_WARN
	LogInfo  LogLevel = C.IK_LOG_INFO
	LogDebug LogLevel = C.IK_LOG_DEBUG
	LogTrace LogLevel = C.IK_LOG_TRACE // also request and response bodies (redacted)
)

// String returns "error", "warn", "info", "debug", "trace" or "off".
func (l LogLevel) String() string { return C.GoString(C.ik_log_level_name(C.int32_t(l))) }

// LogRecord is one log event of the library. Credentials never appear in it.
type LogRecord struct {
	Level      LogLevel
	Message    string
	Provider   Provider
	Operation  string // e.g. "invites.create"
	Method     string
	URL        string        // secrets redacted
	HTTPStatus int           // 0 if no response (yet)
	Attempt    int           // 1-based; 0 if not tied to an attempt
	Latency    time.Duration // duration of the attempt; negative if not applicable
	RequestID  string
}

// Logger receives log records. Log may be called from several goroutines at
// once; it must not call the Client. A panic in Log is recovered and dropped.
type Logger interface {
	Log(LogRecord)
}

// LoggerFunc adapts a function to Logger.
type LoggerFunc func(LogRecord)

// Log calls f(r).
func (f LoggerFunc) Log(r LogRecord) { f(r) }

// RetryInfo describes a retry the library is about to make.
type RetryInfo struct {
	Provider       Provider
	Operation      string
	Attempt        int    // the attempt that just failed (1-based)
	Status         Status // how it failed
	HTTPStatus     int    // 0 if no response
	Delay          time.Duration
	ServerDirected bool // Delay comes from a server header
}

// RetryFunc is called before each retry; a non-nil error vetoes it.
type RetryFunc func(RetryInfo) error

func cstr(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

//export goLogTrampoline
func goLogTrampoline(rec *C.ik_log_record, ud C.uintptr_t) {
	defer func() { _ = recover() }() // never unwind into C
	st, ok := cgo.Handle(ud).Value().(*cbState)
	if !ok || st.logger == nil || rec == nil || rec.version < 1 {
		return
	}
	st.logger.Log(LogRecord{
		Level:      LogLevel(rec.level),
		Message:    cstr(rec.message),
		Provider:   Provider(rec.provider),
		Operation:  cstr(rec.operation),
		Method:     cstr(rec.method),
		URL:        cstr(rec.url),
		HTTPStatus: int(rec.http_status),
		Attempt:    int(rec.attempt),
		Latency:    time.Duration(rec.latency_us) * time.Microsecond,
		RequestID:  cstr(rec.request_id),
	})
}

//export goRetryTrampoline
func goRetryTrampoline(info *C.ik_retry_info, ud C.uintptr_t, call C.uintptr_t) (veto C.int32_t) {
	var cs *callState
	if call != 0 {
		cs, _ = cgo.Handle(call).Value().(*callState)
	}
	defer func() {
		if r := recover(); r != nil {
			if cs != nil {
				cs.panicked, cs.panicVal = true, r
			}
			veto = 1
		}
	}()
	st, ok := cgo.Handle(ud).Value().(*cbState)
	if !ok || st.retry == nil || info == nil || info.version < 1 {
		return 0
	}
	err := st.retry(RetryInfo{
		Provider:       Provider(info.provider),
		Operation:      cstr(info.operation),
		Attempt:        int(info.attempt),
		Status:         Status(info.status),
		HTTPStatus:     int(info.http_status),
		Delay:          time.Duration(info.delay_ms) * time.Millisecond,
		ServerDirected: info.server_directed != 0,
	})
	if err != nil {
		if cs != nil {
			cs.err = err
		}
		return 1
	}
	return 0
}

// goReleaseHandle is the ik_free_cb of the callbacks' user data: the library
// calls it exactly once, when the client is freed.
//
//export goReleaseHandle
func goReleaseHandle(ud C.uintptr_t) {
	h := cgo.Handle(ud)
	if st, ok := h.Value().(*cbState); ok {
		if !atomic.CompareAndSwapInt32(&st.released, 0, 1) {
			return
		}
	}
	h.Delete()
}
