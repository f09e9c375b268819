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

func twilioInviteFromView(v *C.ikgo_twilio_invite_view, rc *respCache) TwilioInvite {
	inv := TwilioInvite{
		SID:             gostr(v.sid),
		AccountSID:      gostr(v.account_sid),
		ChannelSID:      gostr(v.channel_sid),
		ServiceSID:      gostr(v.service_sid),
		Identity:        gostr(v.identity),
		RoleSID:         goptr(v.role_sid),
		CreatedBy:       goptr(v.created_by),
		URL:             goptr(v.url),
		DateCreated:     optTime(v.date_created_unix),
		DateUpdated:     optTime(v.date_updated_unix),
		DateCreatedText: goptr(v.date_created),
		DateUpdatedText: goptr(v.date_updated),
		Raw:             rawOf(v.raw),
	}
	inv.Response = rc.get(v.resp, inv.Raw, v.raw.p)
	return inv
}

func twilioUserFromView(v *C.ikgo_twilio_user_view, rc *respCache) TwilioUser {
	u := TwilioUser{
		SID:                 gostr(v.sid),
		AccountSID:          gostr(v.account_sid),
		ServiceSID:          gostr(v.service_sid),
		Identity:            gostr(v.identity),
		Attributes:          goptr(v.attributes),
		FriendlyName:        goptr(v.friendly_name),
		RoleSID:             goptr(v.role_sid),
		IsOnline:            optBool(v.is_online),
		IsNotifiable:        optBool(v.is_notifiable),
		DateCreated:         optTime(v.date_created_unix),
		DateUpdated:         optTime(v.date_updated_unix),
		DateCreatedText:     goptr(v.date_created),
		DateUpdatedText:     goptr(v.date_updated),
		JoinedChannelsCount: optInt(v.joined_channels_count),
		LinkUserChannels:    goptr(v.link_user_channels),
		LinkUserBindings:    goptr(v.link_user_bindings),
		URL:                 goptr(v.url),
		Raw:                 rawOf(v.raw),
	}
	u.Response = rc.get(v.resp, u.Raw, v.raw.p)
	return u
}

func readTwilioInvite(x *C.ik_twilio_invite) *TwilioInvite {
	defer C.ik_twilio_invite_free(x)
	var v C.ikgo_twilio_invite_view
	C.ikgo_twilio_invite_read(x, &v)
	inv := twilioInviteFromView(&v, nil)
	return &inv
}

func readTwilioUser(x *C.ik_twilio_user) *TwilioUser {
	defer C.ik_twilio_user_free(x)
	var v C.ikgo_twilio_user_view
	C.ikgo_twilio_user_read(x, &v)
	u := twilioUserFromView(&v, nil)
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
	kind: KindTwilioInvite,
	readPageItem: func(p *C.ik_page, i int, rc *respCache) (TwilioInvite, string, bool, bool) {
		var v C.ikgo_twilio_invite_view
		var g C.ikgo_generic_view
		if C.ikgo_page_twilio_invite_read(p, C.size_t(i), &v, &g) == 0 {
			return TwilioInvite{}, "", false, false
		}
		return twilioInviteFromView(&v, rc), gostr(g.id), g.matches_typed != 0, true
	},
	next: func(pg *C.ik_pager, co *C.ik_call_options, prev unsafe.Pointer, out *unsafe.Pointer, rc *respCache,
		cerr **C.ik_error) (TwilioInvite, C.ik_status) {
		var v C.ikgo_twilio_invite_view
		var x *C.ik_twilio_invite
		st := C.ikgo_pager_next_twilio_invite(pg, co, (*C.ik_twilio_invite)(prev), &x, &v, cerr)
		*out = unsafe.Pointer(x)
		if st != C.IK_STATUS_OK || x == nil {
			return TwilioInvite{}, st
		}
		return twilioInviteFromView(&v, rc), st
	},
	free:     func(p unsafe.Pointer) { C.ik_twilio_invite_free((*C.ik_twilio_invite)(p)) },
	pageMeta: twilioPageMeta,
}

var twilioUserKind = &kindOps[TwilioUser]{
	kind: KindTwilioUser,
	readPageItem: func(p *C.ik_page, i int, rc *respCache) (TwilioUser, string, bool, bool) {
		var v C.ikgo_twilio_user_view
		var g C.ikgo_generic_view
		if C.ikgo_page_twilio_user_read(p, C.size_t(i), &v, &g) == 0 {
			return TwilioUser{}, "", false, false
		}
		return twilioUserFromView(&v, rc), gostr(g.id), g.matches_typed != 0, true
	},
	next: func(pg *C.ik_pager, co *C.ik_call_options, prev unsafe.Pointer, out *unsafe.Pointer, rc *respCache,
		cerr **C.ik_error) (TwilioUser, C.ik_status) {
		var v C.ikgo_twilio_user_view
		var x *C.ik_twilio_user
		st := C.ikgo_pager_next_twilio_user(pg, co, (*C.ik_twilio_user)(prev), &x, &v, cerr)
		*out = unsafe.Pointer(x)
		if st != C.IK_STATUS_OK || x == nil {
			return TwilioUser{}, st
		}
		return twilioUserFromView(&v, rc), st
	},
	free:     func(p unsafe.Pointer) { C.ik_twilio_user_free((*C.ik_twilio_user)(p)) },
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
