package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"unsafe"
)

// EnsureOutcome is what an Ensure* call did (IK_ENSURE_*).
type EnsureOutcome int32

const (
	// EnsurePresent: already there, matching what was asked.
	EnsurePresent EnsureOutcome = C.IK_ENSURE_PRESENT
	// EnsurePresentDifferent: already there with another role/attributes (left unchanged).
	EnsurePresentDifferent EnsureOutcome = C.IK_ENSURE_PRESENT_DIFFERENT
	// EnsureCreated: absent; this call created it.
	EnsureCreated EnsureOutcome = C.IK_ENSURE_CREATED
	// EnsureRecovered: this call's create failed ambiguously and a second lookup found it.
	EnsureRecovered EnsureOutcome = C.IK_ENSURE_RECOVERED
)

// String returns "present", "present_different", "created", "recovered" or "unknown".
func (o EnsureOutcome) String() string {
	return C.GoString(C.ik_ensure_outcome_name(C.int32_t(o)))
}

func outcome(o C.int32_t) EnsureOutcome { return EnsureOutcome(o) }

// EnsureOpenAIInvite invites a user exactly once: it looks for an invite with
// the same email (not expired) and creates one only when none is found (see
// ik_openai_invite_ensure). Calls on one client for the same email are serialized.
func (c *Client) EnsureOpenAIInvite(ctx context.Context, in OpenAIInviteCreate, opts ...CallOption) (*OpenAIInvite, EnsureOutcome, error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, 0, err
	}
	var out *C.ik_openai_invite
	var oc C.int32_t
	err = c.do(ctx, "invites.ensure", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_openai_invite_ensure(cl, &p, co, &out, &oc, ce)
	})
	if err != nil {
		return nil, 0, err
	}
	return readOpenAIInvite(out), outcome(oc), nil
}

// EnsureTwilioInvite invites identity to a channel exactly once.
func (c *Client) EnsureTwilioInvite(ctx context.Context, serviceSID, channelSID, identity, roleSID string, opts ...CallOption) (*TwilioInvite, EnsureOutcome, error) {
	var s cstrs
	defer s.free()
	svc, ch, id, role := s.str(serviceSID), s.str(channelSID), s.str(identity), s.opt(roleSID)
	var out *C.ik_twilio_invite
	var oc C.int32_t
	err := c.do(ctx, "invites.ensure", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_invite_ensure(cl, svc, ch, id, role, co, &out, &oc, ce)
	})
	if err != nil {
		return nil, 0, err
	}
	return readTwilioInvite(out), outcome(oc), nil
}

// EnsureTwilioUser creates a user exactly once (p.Identity is required).
func (c *Client) EnsureTwilioUser(ctx context.Context, serviceSID string, p TwilioUserParams, opts ...CallOption) (*TwilioUser, EnsureOutcome, error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, 0, err
	}
	var out *C.ik_twilio_user
	var oc C.int32_t
	err = c.do(ctx, "users.ensure", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_ensure(cl, svc, &cp, co, &out, &oc, ce)
	})
	if err != nil {
		return nil, 0, err
	}
	return readTwilioUser(out), outcome(oc), nil
}

// EnsureFastlyInvitation invites an email exactly once.
func (c *Client) EnsureFastlyInvitation(ctx context.Context, in FastlyInvitationCreate, opts ...CallOption) (*FastlyInvitation, EnsureOutcome, error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, 0, err
	}
	var out *C.ik_fastly_invitation
	var oc C.int32_t
	err = c.do(ctx, "invitations.ensure", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_fastly_invitation_ensure(cl, &p, co, &out, &oc, ce)
	})
	if err != nil {
		return nil, 0, err
	}
	return readFastlyInvitation(out), outcome(oc), nil
}

// ---------------------------------------------------------------------------
// Non-blocking ensure (libinvitekit 0.2.2: ik_<resource>_ensure_start)

// EnsureResult is the result of a non-blocking ensure (the Op of a
// StartEnsure* method): the two results of the blocking Ensure* method, the
// object found or created and what the call did.
type EnsureResult[T any] struct {
	// Value is the object found or created, with the *Response of the
	// request that produced it (the lookup or the create).
	Value T
	// Outcome is what the call did (ik_op_ensure_outcome).
	Outcome EnsureOutcome
}

// takeEnsure wraps a result taker: the object, then the operation's outcome.
func takeEnsure[T any](take func(*C.ik_op, **C.ik_error) (T, C.ik_status)) func(*C.ik_op, **C.ik_error) (EnsureResult[T], C.ik_status) {
	return func(op *C.ik_op, cerr **C.ik_error) (EnsureResult[T], C.ik_status) {
		v, st := take(op, cerr)
		if st != C.IK_STATUS_OK {
			return EnsureResult[T]{}, st
		}
		return EnsureResult[T]{Value: v, Outcome: outcome(C.ik_op_ensure_outcome(op))}, C.IK_STATUS_OK
	}
}

// StartEnsureOpenAIInvite is EnsureOpenAIInvite without blocking
// (ik_openai_invite_ensure_start): the same rounds (look up, create only if
// absent, look again after an ambiguous create), each request sent by the
// client's I/O thread. Wait returns the invite and the outcome.
//
// Ensures of one client for the same person, blocking and non-blocking
// alike, run one after another in the order they were started, so exactly
// one of them creates. A non-blocking ensure that has to wait for another
// holds no thread and no goroutine; it is in flight (OpsInFlight), and its
// context, Cancel or Client.Close end it before it sends anything, without
// disturbing the others. Argument errors are returned at once, as by the
// other Start* methods. Op.Operation is "invites.ensure".
func (c *Client) StartEnsureOpenAIInvite(ctx context.Context, in OpenAIInviteCreate, opts ...CallOption) (*Op[EnsureResult[*OpenAIInvite]], error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invites.ensure", opts, takeEnsure(takeOpenAIInvite),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_ensure_start(cl, &p, co, cb, ud, out, ce)
		})
}

// StartEnsureTwilioInvite is EnsureTwilioInvite without blocking
// (ik_twilio_invite_ensure_start); see StartEnsureOpenAIInvite.
func (c *Client) StartEnsureTwilioInvite(ctx context.Context, serviceSID, channelSID, identity, roleSID string, opts ...CallOption) (*Op[EnsureResult[*TwilioInvite]], error) {
	var s cstrs
	defer s.free()
	svc, ch, id, role := s.str(serviceSID), s.str(channelSID), s.str(identity), s.opt(roleSID)
	return startOp(c, ctx, "invites.ensure", opts, takeEnsure(takeTwilioInvite),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_ensure_start(cl, svc, ch, id, role, co, cb, ud, out, ce)
		})
}

// StartEnsureTwilioUser is EnsureTwilioUser without blocking
// (ik_twilio_user_ensure_start; p.Identity is required); see
// StartEnsureOpenAIInvite.
func (c *Client) StartEnsureTwilioUser(ctx context.Context, serviceSID string, p TwilioUserParams, opts ...CallOption) (*Op[EnsureResult[*TwilioUser]], error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "users.ensure", opts, takeEnsure(takeTwilioUser),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_ensure_start(cl, svc, &cp, co, cb, ud, out, ce)
		})
}

// StartEnsureFastlyInvitation is EnsureFastlyInvitation without blocking
// (ik_fastly_invitation_ensure_start); see StartEnsureOpenAIInvite.
func (c *Client) StartEnsureFastlyInvitation(ctx context.Context, in FastlyInvitationCreate, opts ...CallOption) (*Op[EnsureResult[*FastlyInvitation]], error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	return startOp(c, ctx, "invitations.ensure", opts, takeEnsure(takeFastlyInvitation),
		func(cl *C.ik_client, co *C.ik_call_options, cb C.ik_op_cb, ud unsafe.Pointer, out **C.ik_op, ce **C.ik_error) C.ik_status {
			return C.ik_fastly_invitation_ensure_start(cl, &p, co, cb, ud, out, ce)
		})
}
