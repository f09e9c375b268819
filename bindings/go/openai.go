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

// OpenAIProject is a project an invited user joins.
type OpenAIProject struct {
	ID   string
	Role string // "member" or "owner"
}

// OpenAIInvite is an OpenAI organization invite.
type OpenAIInvite struct {
	Object     string // "organization.invite"
	ID         string
	Email      string
	Role       string // "owner" or "reader"
	Status     string // "accepted", "expired" or "pending"
	CreatedAt  *time.Time
	ExpiresAt  *time.Time
	AcceptedAt *time.Time // nil until accepted
	// Projects as sent; HasProjects tells an absent "projects" field from an empty one.
	Projects    []OpenAIProject
	HasProjects bool
	Raw         json.RawMessage // the invite's JSON exactly as received
	Response    *Response
}

// openaiFromRec decodes a record in rec_openai_invite's order (shim.c).
func openaiFromRec(rr *recReader, rc *respCache, inv *OpenAIInvite) {
	*inv = OpenAIInvite{}
	inv.Raw = rr.raw()
	inv.Object = rr.str()
	inv.ID = rr.str()
	inv.Email = rr.str()
	inv.Role = rr.str()
	inv.Status = rr.str()
	rr.times(&inv.CreatedAt, &inv.ExpiresAt, &inv.AcceptedAt)
	has, _ := rr.num()
	inv.HasProjects = has != 0
	if n, _ := rr.num(); n > 0 {
		inv.Projects = rr.rs.sl.projects(int(n))
		for i := range inv.Projects {
			inv.Projects[i].ID = rr.str()
			inv.Projects[i].Role = rr.str()
		}
	} else if inv.HasProjects {
		inv.Projects = []OpenAIProject{}
	}
	inv.Response = rr.response(rc, inv.Raw)
}

func readOpenAIInvite(x *C.ik_openai_invite) *OpenAIInvite {
	defer C.ik_openai_invite_free(x)
	inv := mustRead(KindOpenAIInvite, unsafe.Pointer(x), openaiFromRec)
	return &inv
}

var openaiKind = &kindOps[OpenAIInvite]{
	kind:   KindOpenAIInvite,
	decode: openaiFromRec,
	pageMeta: func(p *C.ik_page, pm *PageMeta) {
		pm.OpenAIFirstID = goptrC(C.ik_page_openai_first_id(p))
		pm.OpenAILastID = goptrC(C.ik_page_openai_last_id(p))
	},
}

// OpenAIInviteCreate is the input of CreateOpenAIInvite.
type OpenAIInviteCreate struct {
	Email string // required
	Role  string // required: "reader" or "owner"
	// Projects is sent when SendProjects is true (possibly empty: no project);
	// when false the field is omitted (the user joins the default project).
	Projects     []OpenAIProject
	SendProjects bool
}

// toC fills the C parameters; C arrays go to *arrs (freed by the caller).
func (in *OpenAIInviteCreate) toC(s *cstrs, arrs *[]unsafe.Pointer) (C.ik_openai_invite_create_params, error) {
	var p C.ik_openai_invite_create_params
	var cerr *C.ik_error
	if st := C.ik_openai_invite_create_params_init(&p, C.IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, &cerr); st != C.IK_STATUS_OK {
		return p, newError(st, cerr, "invites.create", nil)
	}
	p.email = s.str(in.Email)
	p.role = s.str(in.Role)
	if in.SendProjects || len(in.Projects) > 0 {
		p.send_projects = C.IK_OPTBOOL_TRUE
		if n := len(in.Projects); n > 0 {
			refs := (*C.ik_openai_project_ref)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.ik_openai_project_ref{}))))
			*arrs = append(*arrs, unsafe.Pointer(refs))
			arr := unsafe.Slice(refs, n)
			for i, pr := range in.Projects {
				arr[i].id = s.str(pr.ID)
				arr[i].role = s.str(pr.Role)
			}
			p.projects = refs
			p.projects_count = C.size_t(n)
		}
	}
	return p, nil
}

func freeArrays(arrs []unsafe.Pointer) {
	for _, a := range arrs {
		C.free(a)
	}
}

// CreateOpenAIInvite invites a user to the organization (POST /organization/invites).
func (c *Client) CreateOpenAIInvite(ctx context.Context, in OpenAIInviteCreate, opts ...CallOption) (*OpenAIInvite, error) {
	var s cstrs
	defer s.free()
	var arrs []unsafe.Pointer
	defer func() { freeArrays(arrs) }()
	p, err := in.toC(&s, &arrs)
	if err != nil {
		return nil, err
	}
	var out *C.ik_openai_invite
	err = c.do(ctx, "invites.create", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_openai_invite_create(cl, &p, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readOpenAIInvite(out), nil
}

// RetrieveOpenAIInvite retrieves an invite by id.
func (c *Client) RetrieveOpenAIInvite(ctx context.Context, inviteID string, opts ...CallOption) (*OpenAIInvite, error) {
	var s cstrs
	defer s.free()
	id := s.str(inviteID)
	var out *C.ik_openai_invite
	err := c.do(ctx, "invites.retrieve", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_openai_invite_retrieve(cl, id, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readOpenAIInvite(out), nil
}

// ListOpenAIInvites fetches one page of invites (MaxItems is ignored; use
// OpenAIInvites to iterate).
func (c *Client) ListOpenAIInvites(ctx context.Context, lo ListOptions, opts ...CallOption) (*Page[OpenAIInvite], error) {
	var s cstrs
	defer s.free()
	l, err := lo.toC(&s)
	if err != nil {
		return nil, err
	}
	var out *C.ik_page
	err = c.do(ctx, "invites.list", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_openai_invite_list(cl, &l, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readPage(out, openaiKind), nil
}

// OpenAIInvites returns an iterator over all invites. Creating it does no I/O;
// errors (including bad options) surface through Next and Err.
func (c *Client) OpenAIInvites(ctx context.Context, lo ListOptions, opts ...CallOption) *Iterator[OpenAIInvite] {
	return newIterator(c, "invites.list", openaiKind, lo, opts,
		func(cl *C.ik_client, l *C.ik_list_options, out **C.ik_pager, ce **C.ik_error) C.ik_status {
			return C.ik_openai_invite_pager(cl, l, out, ce)
		})
}

// DeleteOpenAIInvite deletes an invite (an accepted invite cannot be deleted).
func (c *Client) DeleteOpenAIInvite(ctx context.Context, inviteID string, opts ...CallOption) (*Deletion, error) {
	var s cstrs
	defer s.free()
	id := s.str(inviteID)
	var out *C.ik_deletion
	err := c.do(ctx, "invites.delete", opts, func(cl *C.ik_client, co *C.ik_call_options, ce **C.ik_error) C.ik_status {
		return C.ik_openai_invite_delete(cl, id, co, &out, ce)
	})
	if err != nil {
		return nil, err
	}
	return readDeletion(out), nil
}
