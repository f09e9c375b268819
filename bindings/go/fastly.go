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

// fastlyFromRec decodes a record in rec_fastly_invitation's order (shim.c).
func fastlyFromRec(rr *recReader, rc *respCache, inv *FastlyInvitation) {
	*inv = FastlyInvitation{}
	inv.Raw = rr.raw()
	inv.ID = rr.str()
	inv.Type = rr.str()
	inv.Email = rr.str()
	inv.Role = rr.ptr()
	inv.CreatedAtText = rr.ptr()
	inv.UpdatedAtText = rr.ptr()
	inv.DeletedAtText = rr.ptr()
	inv.CustomerID = rr.ptr()
	// the list counts are the last two nums; the entries follow the scalars
	nroles, _ := rr.numAt(rr.nums - 2)
	nsi, _ := rr.numAt(rr.nums - 1)
	inv.Roles = rr.strs(int(nroles))
	inv.ServiceInvitations = rr.strs(int(nsi))
	inv.LimitServices = rr.optBool()
	inv.StatusCode = rr.optInt()
	rr.times(&inv.CreatedAt, &inv.UpdatedAt, &inv.DeletedAt)
	inv.Response = rr.response(rc, inv.Raw)
}

func readFastlyInvitation(x *C.ik_fastly_invitation) *FastlyInvitation {
	defer C.ik_fastly_invitation_free(x)
	inv := mustRead(KindFastlyInvitation, unsafe.Pointer(x), fastlyFromRec)
	return &inv
}

var fastlyKind = &kindOps[FastlyInvitation]{
	kind:   KindFastlyInvitation,
	decode: fastlyFromRec,
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
