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
