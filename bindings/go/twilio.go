package invitekit

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"time"
	"unsafe"
)

// TwilioInvite is a Twilio Chat v1 channel invite. Twilio marks every field
// nullable: nil = absent or null.
type TwilioInvite struct {
	SID         string
	AccountSID  string
	ChannelSID  string
	ServiceSID  string
	Identity    string
	RoleSID     *string
	CreatedBy   *string
	URL         *string
	DateCreated *time.Time
	DateUpdated *time.Time
	// The timestamps as the API sent them (ISO 8601).
	DateCreatedText *string
	DateUpdatedText *string
	Raw             json.RawMessage
	Response        *Response
}

// TwilioUser is a Twilio Chat v2 user.
type TwilioUser struct {
	SID                 string
	AccountSID          string
	ServiceSID          string
	Identity            string
	Attributes          *string // a JSON document as a string, as the API returns it
	FriendlyName        *string
	RoleSID             *string
	IsOnline            *bool // nil when the Reachability Indicator is off
	IsNotifiable        *bool
	DateCreated         *time.Time
	DateUpdated         *time.Time
	DateCreatedText     *string
	DateUpdatedText     *string
	JoinedChannelsCount *int64
	LinkUserChannels    *string
	LinkUserBindings    *string
	URL                 *string
	Raw                 json.RawMessage
	Response            *Response
}

// twilioInviteFromRec decodes a record in rec_twilio_invite's order (shim.c).
func twilioInviteFromRec(rr *recReader, rc *respCache, inv *TwilioInvite) {
	*inv = TwilioInvite{}
	inv.Raw = rr.raw()
	inv.SID = rr.str()
	inv.AccountSID = rr.str()
	inv.ChannelSID = rr.str()
	inv.ServiceSID = rr.str()
	inv.Identity = rr.str()
	inv.RoleSID = rr.ptr()
	inv.CreatedBy = rr.ptr()
	inv.URL = rr.ptr()
	inv.DateCreatedText = rr.ptr()
	inv.DateUpdatedText = rr.ptr()
	rr.times(&inv.DateCreated, &inv.DateUpdated)
	inv.Response = rr.response(rc, inv.Raw)
}

// twilioUserFromRec decodes a record in rec_twilio_user's order (shim.c).
func twilioUserFromRec(rr *recReader, rc *respCache, u *TwilioUser) {
	*u = TwilioUser{}
	u.Raw = rr.raw()
	u.SID = rr.str()
	u.AccountSID = rr.str()
	u.ServiceSID = rr.str()
	u.Identity = rr.str()
	u.Attributes = rr.ptr()
	u.FriendlyName = rr.ptr()
	u.RoleSID = rr.ptr()
	u.DateCreatedText = rr.ptr()
	u.DateUpdatedText = rr.ptr()
	u.LinkUserChannels = rr.ptr()
	u.LinkUserBindings = rr.ptr()
	u.URL = rr.ptr()
	u.IsOnline = rr.optBool()
	u.IsNotifiable = rr.optBool()
	rr.times(&u.DateCreated, &u.DateUpdated)
	u.JoinedChannelsCount = rr.optInt()
	u.Response = rr.response(rc, u.Raw)
}

func readTwilioInvite(x *C.ik_twilio_invite) *TwilioInvite {
	defer C.ik_twilio_invite_free(x)
	inv := mustRead(KindTwilioInvite, unsafe.Pointer(x), twilioInviteFromRec)
	return &inv
}

func readTwilioUser(x *C.ik_twilio_user) *TwilioUser {
	defer C.ik_twilio_user_free(x)
	u := mustRead(KindTwilioUser, unsafe.Pointer(x), twilioUserFromRec)
	return &u
}

func twilioPageMeta(p *C.ik_page, pm *PageMeta) {
	pm.TwilioPage = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_twilio_page(p, o) })
	pm.TwilioPageSize = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_twilio_page_size(p, o) })
	pm.TwilioKey = goptrC(C.ik_page_twilio_key(p))
	pm.TwilioURL = goptrC(C.ik_page_twilio_url(p))
	pm.TwilioFirstPageURL = goptrC(C.ik_page_twilio_first_page_url(p))
	pm.TwilioPreviousPageURL = goptrC(C.ik_page_twilio_previous_page_url(p))
	pm.TwilioNextPageURL = goptrC(C.ik_page_twilio_next_page_url(p))
}

var twilioInviteKind = &kindOps[TwilioInvite]{
	kind:     KindTwilioInvite,
	decode:   twilioInviteFromRec,
	pageMeta: twilioPageMeta,
}

var twilioUserKind = &kindOps[TwilioUser]{
	kind:     KindTwilioUser,
	decode:   twilioUserFromRec,
	pageMeta: twilioPageMeta,
}

// identities builds the C array of Identity filters (freed with s; arr with C.free).
func identitiesC(s *cstrs, ids []string) (**C.char, C.size_t) {
	if len(ids) == 0 {
		return nil, 0
	}
	arr := (**C.char)(C.calloc(C.size_t(len(ids)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	sl := unsafe.Slice(arr, len(ids))
	for i, id := range ids {
		sl[i] = s.str(id)
	}
	return arr, C.size_t(len(ids))
}

// CreateTwilioInvite invites identity to a channel (POST .../Invites). roleSID may be "".
func (c *Client) CreateTwilioInvite(ctx context.Context, serviceSID, channelSID, identity, roleSID string, opts ...CallOption) (*TwilioInvite, error) {
	var s cstrs
	defer s.free()
	svc, ch, id, role := s.str(serviceSID), s.str(channelSID), s.str(identity), s.opt(roleSID)
	var out *C.ik_twilio_invite
	err := c.do(ctx, "invites.create", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_invite_create(cl, svc, ch, id, role, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readTwilioInvite(out), nil
}

// FetchTwilioInvite fetches an invite by SID.
func (c *Client) FetchTwilioInvite(ctx context.Context, serviceSID, channelSID, inviteSID string, opts ...CallOption) (*TwilioInvite, error) {
	var s cstrs
	defer s.free()
	svc, ch, sid := s.str(serviceSID), s.str(channelSID), s.str(inviteSID)
	var out *C.ik_twilio_invite
	err := c.do(ctx, "invites.fetch", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_invite_fetch(cl, svc, ch, sid, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readTwilioInvite(out), nil
}

// ListTwilioInvites fetches one page of a channel's invites, optionally
// filtered by identities (repeated Identity keys).
func (c *Client) ListTwilioInvites(ctx context.Context, serviceSID, channelSID string, identities []string, lo ListOptions, opts ...CallOption) (*Page[TwilioInvite], error) {
	var s cstrs
	defer s.free()
	svc, ch := s.str(serviceSID), s.str(channelSID)
	ids, n := identitiesC(&s, identities)
	defer C.free(unsafe.Pointer(ids))
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_page
	err = c.do(ctx, "invites.list", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_invite_list(cl, svc, ch, ids, n, &l, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readPage(out, twilioInviteKind), nil
}

// TwilioInvites returns an iterator over a channel's invites.
func (c *Client) TwilioInvites(ctx context.Context, serviceSID, channelSID string, identities []string, lo ListOptions, opts ...CallOption) *Iterator[TwilioInvite] {
	var s cstrs
	defer s.free()
	svc, ch := s.str(serviceSID), s.str(channelSID)
	ids, n := identitiesC(&s, identities)
	defer C.free(unsafe.Pointer(ids))
	return newIterator(c, "invites.list", twilioInviteKind, lo, opts,
		func(cl *C.ik_client, l *C.ik_list_options, out **C.ik_pager, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_invite_pager(cl, svc, ch, ids, n, l, out, ce)
		})
}

// DeleteTwilioInvite deletes an invite (204).
func (c *Client) DeleteTwilioInvite(ctx context.Context, serviceSID, channelSID, inviteSID string, opts ...CallOption) (*Deletion, error) {
	var s cstrs
	defer s.free()
	svc, ch, sid := s.str(serviceSID), s.str(channelSID), s.str(inviteSID)
	var out *C.ik_deletion
	err := c.do(ctx, "invites.delete", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_invite_delete(cl, svc, ch, sid, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readDeletion(out), nil
}

// TwilioUserParams are the inputs of CreateTwilioUser and UpdateTwilioUser:
// nil = not sent; a pointer to "" is sent as an empty value.
type TwilioUserParams struct {
	Identity       string // required for create; must be "" for update
	RoleSID        *string
	Attributes     *string // JSON text
	FriendlyName   *string
	WebhookEnabled *bool // X-Twilio-Webhook-Enabled; nil = no header
}

// String returns a pointer to s, for the optional fields of the parameters.
func String(s string) *string { return &s }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

func (p *TwilioUserParams) toC(s *cstrs) (C.ik_twilio_user_params, error) {
	var cp C.ik_twilio_user_params
	var cerr *C.ik_error
	if st := C.ik_twilio_user_params_init(&cp, C.IK_TWILIO_USER_PARAMS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return cp, newError(st, cerr, "", nil)
	}
	cp.identity = s.opt(p.Identity)
	ptr := func(v *string) *C.char {
		if v == nil {
			return nil
		}
		return s.str(*v)
	}
	cp.role_sid = ptr(p.RoleSID)
	cp.attributes = ptr(p.Attributes)
	cp.friendly_name = ptr(p.FriendlyName)
	if p.WebhookEnabled != nil {
		if *p.WebhookEnabled {
			cp.webhook_enabled = C.IK_OPTBOOL_TRUE
		} else {
			cp.webhook_enabled = C.IK_OPTBOOL_FALSE
		}
	}
	return cp, nil
}

// CreateTwilioUser creates a user (POST /v2/Services/{ServiceSid}/Users).
func (c *Client) CreateTwilioUser(ctx context.Context, serviceSID string, p TwilioUserParams, opts ...CallOption) (*TwilioUser, error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_twilio_user
	err = c.do(ctx, "users.create", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_create(cl, svc, &cp, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readTwilioUser(out), nil
}

// FetchTwilioUser fetches a user by SID ("US...") or identity.
func (c *Client) FetchTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, opts ...CallOption) (*TwilioUser, error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	var out *C.ik_twilio_user
	err := c.do(ctx, "users.fetch", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_fetch(cl, svc, id, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readTwilioUser(out), nil
}

// ListTwilioUsers fetches one page of a service's users.
func (c *Client) ListTwilioUsers(ctx context.Context, serviceSID string, lo ListOptions, opts ...CallOption) (*Page[TwilioUser], error) {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_page
	err = c.do(ctx, "users.list", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_list(cl, svc, &l, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readPage(out, twilioUserKind), nil
}

// TwilioUsers returns an iterator over a service's users.
func (c *Client) TwilioUsers(ctx context.Context, serviceSID string, lo ListOptions, opts ...CallOption) *Iterator[TwilioUser] {
	var s cstrs
	defer s.free()
	svc := s.str(serviceSID)
	return newIterator(c, "users.list", twilioUserKind, lo, opts,
		func(cl *C.ik_client, l *C.ik_list_options, out **C.ik_pager, ce **C.ik_error) C.ik_status {
			return C.ik_twilio_user_pager(cl, svc, l, out, ce)
		})
}

// UpdateTwilioUser updates a user by SID or identity (p.Identity must be "").
func (c *Client) UpdateTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, p TwilioUserParams, opts ...CallOption) (*TwilioUser, error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	cp, err := p.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_twilio_user
	err = c.do(ctx, "users.update", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_update(cl, svc, id, &cp, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readTwilioUser(out), nil
}

// DeleteTwilioUser deletes a user by SID or identity (204).
func (c *Client) DeleteTwilioUser(ctx context.Context, serviceSID, sidOrIdentity string, opts ...CallOption) (*Deletion, error) {
	var s cstrs
	defer s.free()
	svc, id := s.str(serviceSID), s.str(sidOrIdentity)
	var out *C.ik_deletion
	err := c.do(ctx, "users.delete", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_twilio_user_delete(cl, svc, id, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readDeletion(out), nil
}
