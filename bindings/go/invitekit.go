// Package invitekit is the Go binding of invitekit, a native client for the
// invitation and membership APIs of Twilio (Chat v1 Channel Invites, Chat v2
// Users), OpenAI (organization invites) and Fastly (invitations).
//
// It wraps the C ABI of libinvitekit (ABI version 0.2) with cgo. The library
// is found with pkg-config (package "invitekit"); build with
// -tags invitekit_static to link it statically.
//
// A Client is safe for concurrent use by many goroutines. Every operation
// takes a context.Context: cancelling it (or reaching its deadline) stops the
// request in flight, and the returned error then satisfies
// errors.Is(err, context.Canceled) or errors.Is(err, context.DeadlineExceeded).
// Failures are *Error values that match the sentinels (ErrNotFound,
// ErrRateLimited, ...) with errors.Is.
//
// Results are plain Go values copied out of the C objects, which are freed
// before the call returns; fields the API may omit or null are pointers (nil =
// absent), optional booleans are *bool, timestamps are time.Time (UTC), and
// every result keeps its raw JSON.
//
// Lists are read with iterators in the style of database/sql.Rows:
//
//	it := client.OpenAIInvites(ctx, invitekit.ListOptions{PageSize: 100})
//	defer it.Close()
//	for it.Next(ctx) {
//		inv := it.Item()
//		fmt.Println(inv.ID, inv.Email)
//	}
//	if err := it.Err(); err != nil { ... }
//
// Every operation also has a non-blocking twin, Start<Operation> (and
// Iterator.StartNextPage), on the library's engine (libinvitekit 0.2.1 or
// later): one I/O thread and one connection pool per client, no goroutine
// blocked per request. It returns an *Op at once:
//
//	op, err := client.StartRetrieveOpenAIInvite(ctx, id) // argument errors here
//	...
//	inv, err := op.Wait(ctx) // or select on op.Done()
//
// The four Ensure* methods (invite a person exactly once) have such twins too,
// StartEnsure<Resource> (libinvitekit 0.2.2), whose Op yields an EnsureResult:
// the object found or created and the EnsureOutcome. The iterator's mid-page
// Cursor needs libinvitekit 0.2.3 (ik_page_item_cursor).
package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
)

// ABIVersion is the version of the C ABI this package is written for. The
// build fails when the headers found declare another one, and NewClient fails
// when the loaded library reports another one.
const ABIVersion = "0.2"

// minLibraryVersion is the oldest libinvitekit (ik_version_number) whose
// functions this package calls: 0.2.3 (ik_page_item_cursor).
const minLibraryVersion = 203

var (
	abiOnce sync.Once
	abiErr  error
)

// checkABI compares, once per process, the ABI version of the loaded library
// (ik_abi_version) and the struct versions it accepts with those this package
// was compiled against.
func checkABI() error {
	abiOnce.Do(func() {
		lib := C.GoString(C.ik_abi_version())
		hdr := C.IK_ABI_VERSION
		if lib != ABIVersion || hdr != ABIVersion {
			abiErr = fmt.Errorf("invitekit: ABI mismatch: binding %s, headers %s, loaded library %s (%s)",
				ABIVersion, hdr, lib, C.GoString(C.ik_version_string()))
			return
		}
		if n := C.ik_version_number(); n < minLibraryVersion {
			abiErr = fmt.Errorf("invitekit: the loaded library is %s, this binding needs 0.2.3 or later",
				C.GoString(C.ik_version_string()))
			return
		}
		type sv struct {
			name      string
			lib, want C.uint32_t
		}
		for _, v := range []sv{
			{"ik_client_options", C.ik_client_options_version(), C.IK_CLIENT_OPTIONS_VERSION},
			{"ik_call_options", C.ik_call_options_version(), C.IK_CALL_OPTIONS_VERSION},
			{"ik_list_options", C.ik_list_options_version(), C.IK_LIST_OPTIONS_VERSION},
			{"ik_openai_invite_create_params", C.ik_openai_invite_create_params_version(), C.IK_OPENAI_INVITE_CREATE_PARAMS_VERSION},
			{"ik_twilio_user_params", C.ik_twilio_user_params_version(), C.IK_TWILIO_USER_PARAMS_VERSION},
			{"ik_fastly_invitation_create_params", C.ik_fastly_invitation_create_params_version(), C.IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION},
			{"ik_log_record", C.ik_log_record_version(), C.IK_LOG_RECORD_VERSION},
			{"ik_retry_info", C.ik_retry_info_version(), C.IK_RETRY_INFO_VERSION},
		} {
			if v.lib < v.want {
				abiErr = fmt.Errorf("invitekit: the loaded library knows %s version %d, this binding needs %d", v.name, v.lib, v.want)
				return
			}
		}
		var cerr *C.ik_error
		if st := C.ik_global_init(&cerr); st != C.IK_STATUS_OK {
			abiErr = newError(st, cerr, "", nil)
		}
	})
	return abiErr
}

// LibraryVersion is the version of the loaded libinvitekit, e.g. "0.2.0".
func LibraryVersion() string { return C.GoString(C.ik_version_string()) }

// LibraryVersionNumber is MAJOR*10000 + MINOR*100 + PATCH of the loaded library.
func LibraryVersionNumber() int { return int(C.ik_version_number()) }

// LibraryVersionParts returns the three components of the loaded library's version.
func LibraryVersionParts() (major, minor, patch int) {
	var a, b, c C.int32_t
	C.ik_version(&a, &b, &c)
	return int(a), int(b), int(c)
}

// LibraryABIVersion is the ABI version the loaded library reports ("0.2").
func LibraryABIVersion() string { return C.GoString(C.ik_abi_version()) }

// LibcurlVersion is the version of the libcurl the library runs on.
func LibcurlVersion() string { return C.GoString(C.ik_libcurl_version()) }

// DefaultMaxResponseBytes is the library's default response size limit.
func DefaultMaxResponseBytes() int64 { return int64(C.ik_default_max_response_bytes()) }

// Features is the set of optional capabilities of the loaded library.
type Features uint32

const (
	FeatureThreads   Features = C.IK_FEATURE_THREADS
	FeatureHTTPS     Features = C.IK_FEATURE_HTTPS
	FeatureHTTP2     Features = C.IK_FEATURE_HTTP2
	FeatureAsynchDNS Features = C.IK_FEATURE_ASYNCH_DNS
)

// LibraryFeatures returns the capabilities of this build and its libcurl.
func LibraryFeatures() Features { return Features(C.ik_features()) }

// Provider identifies one of the vendors.
type Provider int32

const (
	ProviderNone   Provider = C.IK_PROVIDER_NONE
	ProviderTwilio Provider = C.IK_PROVIDER_TWILIO
	ProviderOpenAI Provider = C.IK_PROVIDER_OPENAI
	ProviderFastly Provider = C.IK_PROVIDER_FASTLY
)

// String returns "twilio", "openai", "fastly" or "none".
func (p Provider) String() string { return C.GoString(C.ik_provider_name(C.int32_t(p))) }

// Kind is the kind of item a page or iterator holds.
type Kind int32

const (
	KindNone             Kind = C.IK_KIND_NONE
	KindOpenAIInvite     Kind = C.IK_KIND_OPENAI_INVITE
	KindTwilioInvite     Kind = C.IK_KIND_TWILIO_INVITE
	KindTwilioUser       Kind = C.IK_KIND_TWILIO_USER
	KindFastlyInvitation Kind = C.IK_KIND_FASTLY_INVITATION
)

var kindNames = map[Kind]string{
	KindNone: "IK_KIND_NONE", KindOpenAIInvite: "IK_KIND_OPENAI_INVITE", KindTwilioInvite: "IK_KIND_TWILIO_INVITE",
	KindTwilioUser: "IK_KIND_TWILIO_USER", KindFastlyInvitation: "IK_KIND_FASTLY_INVITATION",
}

// String returns the C name of the kind, e.g. "IK_KIND_OPENAI_INVITE".
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("IK_KIND(%d)", int32(k))
}

// ErrClosed is returned (wrapped) by every use of a closed Client or Iterator.
var ErrClosed = errors.New("invitekit: use of a closed client or iterator")
