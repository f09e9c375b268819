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

// FastlyInvitation is a Fastly invitation (JSON:API resource).
type FastlyInvitation struct {
	ID            string
	Type          string // "invitation"
	Email         string
	Role          *string  // legacy role
	Roles         []string // IAM role ids (attributes.roles)
	LimitServices *bool
	StatusCode    *int64 // 0 inactive, 1 active
	CreatedAt     *time.Time
	UpdatedAt     *time.Time
	DeletedAt     *time.Time
	// The timestamps as the API sent them.
	CreatedAtText      *string
	UpdatedAtText      *string
	DeletedAtText      *string
	CustomerID         *string
	ServiceInvitations []string // relationships.service_invitations.data[].id
	Raw                json.RawMessage
	Response           *Response
}

func fastlyFromView(v *C.ikgo_fastly_invitation_view, rc *respCache) FastlyInvitation {
	inv := FastlyInvitation{
		ID:            gostr(v.id),
		Type:          gostr(v._type),
		Email:         gostr(v.email),
		Role:          goptr(v.role),
		LimitServices: optBool(v.limit_services),
		StatusCode:    optInt(v.status_code),
		CreatedAt:     optTime(v.created_at_unix),
		UpdatedAt:     optTime(v.updated_at_unix),
		DeletedAt:     optTime(v.deleted_at_unix),
		CreatedAtText: goptr(v.created_at),
		UpdatedAtText: goptr(v.updated_at),
		DeletedAtText: goptr(v.deleted_at),
		CustomerID:    goptr(v.customer_id),
		Raw:           rawOf(v.raw),
	}
	inv.Roles = make([]string, int(v.role_count))
	for i := range inv.Roles {
		if i < C.IKGO_INLINE_LIST {
			inv.Roles[i] = gostr(v.roles[i])
		} else {
			inv.Roles[i] = cstr(C.ik_fastly_invitation_role_at(v.self, C.size_t(i)))
		}
	}
	inv.ServiceInvitations = make([]string, int(v.service_invitation_count))
	for i := range inv.ServiceInvitations {
		if i < C.IKGO_INLINE_LIST {
			inv.ServiceInvitations[i] = gostr(v.service_invitations[i])
		} else {
			inv.ServiceInvitations[i] = cstr(C.ik_fastly_invitation_service_invitation_at(v.self, C.size_t(i)))
		}
	}
	inv.Response = rc.get(v.resp, inv.Raw, v.raw.p)
	return inv
}

func readFastlyInvitation(x *C.ik_fastly_invitation) *FastlyInvitation {
	defer C.ik_fastly_invitation_free(x)
	var v C.ikgo_fastly_invitation_view
	C.ikgo_fastly_invitation_read(x, &v)
	inv := fastlyFromView(&v, nil)
	return &inv
}

var fastlyKind = &kindOps[FastlyInvitation]{
	kind: KindFastlyInvitation,
	readPageItem: func(p *C.ik_page, i int, rc *respCache) (FastlyInvitation, string, bool, bool) {
		var v C.ikgo_fastly_invitation_view
		var g C.ikgo_generic_view
		if C.ikgo_page_fastly_invitation_read(p, C.size_t(i), &v, &g) == 0 {
			return FastlyInvitation{}, "", false, false
		}
		return fastlyFromView(&v, rc), gostr(g.id), g.matches_typed != 0, true
	},
	next: func(pg *C.ik_pager, co *C.ik_call_options, prev unsafe.Pointer, out *unsafe.Pointer, rc *respCache,
		cerr **C.ik_error) (FastlyInvitation, C.ik_status) {
		var v C.ikgo_fastly_invitation_view
		var x *C.ik_fastly_invitation
		st := C.ikgo_pager_next_fastly_invitation(pg, co, (*C.ik_fastly_invitation)(prev), &x, &v, cerr)
		*out = unsafe.Pointer(x)
		if st != C.IK_STATUS_OK || x == nil {
			return FastlyInvitation{}, st
		}
		return fastlyFromView(&v, rc), st
	},
	free: func(p unsafe.Pointer) { C.ik_fastly_invitation_free((*C.ik_fastly_invitation)(p)) },
	pageMeta: func(p *C.ik_page, pm *PageMeta) {
		pm.FastlyLinkFirst = goptrC(C.ik_page_fastly_link_first(p))
		pm.FastlyLinkLast = goptrC(C.ik_page_fastly_link_last(p))
		pm.FastlyLinkPrev = goptrC(C.ik_page_fastly_link_prev(p))
		pm.FastlyLinkNext = goptrC(C.ik_page_fastly_link_next(p))
		pm.FastlyCurrentPage = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_fastly_current_page(p, o) })
		pm.FastlyPerPage = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_fastly_per_page(p, o) })
		pm.FastlyRecordCount = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_fastly_record_count(p, o) })
		pm.FastlyTotalPages = optIntC(func(o *C.int64_t) C.int32_t { return C.ik_page_fastly_total_pages(p, o) })
	},
}

// FastlyServiceGrant gives the invitee access to a service with a permission:
// "full", "read_only", "purge_select" or "purge_all".
type FastlyServiceGrant struct {
	ServiceID  string
	Permission string
}

// FastlyInvitationCreate is the input of CreateFastlyInvitation; zero = not sent.
type FastlyInvitationCreate struct {
	Email         string // required
	Role          string // legacy role: user, tls_viewer, tls_admin, billing, engineer, superuser
	Roles         []string
	LimitServices *bool
	CustomerID    string
	Services      []FastlyServiceGrant
}

func (in *FastlyInvitationCreate) toC(s *cstrs, arrs *[]unsafe.Pointer) (C.ik_fastly_invitation_create_params, error) {
	var p C.ik_fastly_invitation_create_params
	var cerr *C.ik_error
	if st := C.ik_fastly_invitation_create_params_init(&p, C.IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return p, newError(st, cerr, "invitations.create", nil)
	}
	p.email = s.str(in.Email)
	p.role = s.opt(in.Role)
	if n := len(in.Roles); n > 0 {
		arr := (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		*arrs = append(*arrs, unsafe.Pointer(arr))
		sl := unsafe.Slice(arr, n)
		for i, r := range in.Roles {
			sl[i] = s.str(r)
		}
		p.roles = arr
		p.roles_count = C.size_t(n)
	}
	if in.LimitServices != nil {
		if *in.LimitServices {
			p.limit_services = C.IK_OPTBOOL_TRUE
		} else {
			p.limit_services = C.IK_OPTBOOL_FALSE
		}
	}
	p.customer_id = s.opt(in.CustomerID)
	if n := len(in.Services); n > 0 {
		arr := (*C.ik_fastly_service_grant)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.ik_fastly_service_grant{}))))
		*arrs = append(*arrs, unsafe.Pointer(arr))
		sl := unsafe.Slice(arr, n)
		for i, g := range in.Services {
			sl[i].service_id = s.str(g.ServiceID)
			sl[i].permission = s.str(g.Permission)
		}
		p.services = arr
		p.services_count = C.size_t(n)
	}
	return p, nil
}

// CreateFastlyInvitation creates an invitation (POST /invitations).
func (c *Client) CreateFastlyInvitation(ctx context.Context, in FastlyInvitationCreate, opts ...CallOption) (*FastlyInvitation, error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	var out *C.ik_fastly_invitation
	err = c.do(ctx, "invitations.create", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_fastly_invitation_create(cl, &p, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readFastlyInvitation(out), nil
}

// ListFastlyInvitations fetches one page of invitations.
func (c *Client) ListFastlyInvitations(ctx context.Context, lo ListOptions, opts ...CallOption) (*Page[FastlyInvitation], error) {
	var s cstrs
	defer s.free()
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_page
	err = c.do(ctx, "invitations.list", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_fastly_invitation_list(cl, &l, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readPage(out, fastlyKind), nil
}

// FastlyInvitations returns an iterator over all invitations.
func (c *Client) FastlyInvitations(ctx context.Context, lo ListOptions, opts ...CallOption) *Iterator[FastlyInvitation] {
	return newIterator(c, "invitations.list", fastlyKind, lo, opts,
		func(cl *C.ik_client, l *C.ik_list_options, out **C.ik_pager, ce **C.ik_error) C.ik_status {
			return C.ik_fastly_invitation_pager(cl, l, out, ce)
		})
}

// DeleteFastlyInvitation deletes an invitation (204).
func (c *Client) DeleteFastlyInvitation(ctx context.Context, invitationID string, opts ...CallOption) (*Deletion, error) {
	var s cstrs
	defer s.free()
	id := s.str(invitationID)
	var out *C.ik_deletion
	err := c.do(ctx, "invitations.delete", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_fastly_invitation_delete(cl, id, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readDeletion(out), nil
}
