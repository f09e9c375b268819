/*
 * invitekit/openai.h - OpenAI organization invites (admin API).
 *
 * Wire contract: POST/GET /organization/invites, GET/DELETE
 * /organization/invites/{invite_id} under the OpenAI base URL
 * (default https://api.openai.com/v1), Authorization: Bearer <admin key>,
 * optional OpenAI-Organization / OpenAI-Project headers.
 *
 * Every operation takes the client (thread-safe), operation inputs,
 * `call_opts` (may be NULL), an out-parameter and out_err. Errors common to
 * all: IK_STATUS_INVALID_ARGUMENT (NULL client/out, missing or invalid input),
 * IK_STATUS_INVALID_UTF8, IK_STATUS_NO_CREDENTIALS (no admin key), transport
 * errors (IK_STATUS_TRANSPORT, _TLS, _TIMEOUT, _CANCELLED), HTTP errors
 * (IK_STATUS_BAD_REQUEST ... _SERVER_ERROR, _HTTP_OTHER) with the OpenAI error
 * body {error:{message,type,param,code}} parsed into the ik_error, and
 * IK_STATUS_PARSE / _RESPONSE_TOO_LARGE for bad responses.
 */
#ifndef INVITEKIT_OPENAI_H
#define INVITEKIT_OPENAI_H

#include <invitekit/common.h>
#include <invitekit/client.h>
#include <invitekit/pager.h>

IK_BEGIN_DECLS

/* A project the invited user joins: id and role ("member" or "owner"). */
typedef struct ik_openai_project_ref {
  const char *id;
  const char *role;
} ik_openai_project_ref;

/* Inputs of ik_openai_invite_create. "projects omitted" (legacy: the user
 * joins the default project) and "projects = []" (no project at all) are
 * different: set projects_set to 0 to omit the field, to 1 to send the array
 * given by projects/projects_count (possibly empty). */
typedef struct ik_openai_invite_create_params {
  uint32_t version;                      /* IK_OPENAI_INVITE_CREATE_PARAMS_VERSION */
  const char *email;                     /* required */
  const char *role;                      /* required: "reader" or "owner" */
  int32_t projects_set;                  /* 0 = omit "projects", 1 = send it */
  const ik_openai_project_ref *projects; /* projects_count entries (may be NULL when 0) */
  size_t projects_count;
} ik_openai_invite_create_params;

#define IK_OPENAI_INVITE_CREATE_PARAMS_VERSION 1
#define IK_OPENAI_INVITE_CREATE_PARAMS_INIT { IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, NULL, NULL, 0, NULL, 0 }
IK_API ik_status ik_openai_invite_create_params_init(ik_openai_invite_create_params *params, uint32_t version,
                                                     ik_error **out_err);

/* Invites a user (POST /organization/invites, 200). *out receives an owned
 * invite (ik_openai_invite_free). This POST is not retried after an ambiguous
 * failure unless enabled (see client.h). */
IK_API ik_status ik_openai_invite_create(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out,
                                         ik_error **out_err);

/* Retrieves an invite by id (GET /organization/invites/{invite_id}). */
IK_API ik_status ik_openai_invite_retrieve(const ik_client *client, const char *invite_id,
                                           const ik_call_options *call_opts, ik_openai_invite **out,
                                           ik_error **out_err);

/* One page of invites (GET /organization/invites?limit=&after=). list_opts
 * may be NULL: page_size -> limit (1..100, clamped); cursor (an invitekit
 * cursor) or provider_cursor (an invite id) -> after; max_items is ignored
 * here. *out receives an owned page of IK_KIND_OPENAI_INVITE items. */
IK_API ik_status ik_openai_invite_list(const ik_client *client, const ik_list_options *list_opts,
                                       const ik_call_options *call_opts, ik_page **out, ik_error **out_err);

/* A pager over all invites (see pager.h). The client must outlive the pager. */
IK_API ik_status ik_openai_invite_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                        ik_error **out_err);

/* Deletes an invite (DELETE /organization/invites/{invite_id}, 200 with a
 * body). An accepted invite cannot be deleted (the API answers an error).
 * *out (may be NULL if not wanted) receives the owned deletion result. */
IK_API ik_status ik_openai_invite_delete(const ik_client *client, const char *invite_id,
                                         const ik_call_options *call_opts, ik_openai_invite_deleted **out,
                                         ik_error **out_err);

/* --- Invite accessors (strings borrowed from the invite; NULL if absent) --- */
IK_API const char *ik_openai_invite_object(const ik_openai_invite *inv);   /* "organization.invite" */
IK_API const char *ik_openai_invite_id(const ik_openai_invite *inv);
IK_API const char *ik_openai_invite_email(const ik_openai_invite *inv);
IK_API const char *ik_openai_invite_role(const ik_openai_invite *inv);     /* "owner" | "reader" */
IK_API const char *ik_openai_invite_status(const ik_openai_invite *inv);   /* "accepted" | "expired" | "pending" */
/* Timestamps in Unix seconds. Each returns 1 and sets *out when the field is a
 * number, 0 when it is null or absent (null is thus distinguishable from 0). */
IK_API int32_t ik_openai_invite_created_at(const ik_openai_invite *inv, int64_t *out);
IK_API int32_t ik_openai_invite_expires_at(const ik_openai_invite *inv, int64_t *out);
IK_API int32_t ik_openai_invite_accepted_at(const ik_openai_invite *inv, int64_t *out);
/* Projects (an absent "projects" field reads as an empty list). */
IK_API size_t ik_openai_invite_project_count(const ik_openai_invite *inv);
IK_API const char *ik_openai_invite_project_id(const ik_openai_invite *inv, size_t i);
IK_API const char *ik_openai_invite_project_role(const ik_openai_invite *inv, size_t i);
/* 1 if the response carried a "projects" field at all. */
IK_API int32_t ik_openai_invite_has_projects(const ik_openai_invite *inv);
/* The invite's JSON (borrowed, NUL-terminated): the whole body for single-object
 * results; for page items, the item's own bytes exactly as they appear in the
 * page body. */
IK_API size_t ik_openai_invite_raw_json(const ik_openai_invite *inv, const char **data);
/* Exchange metadata (request id, rate limits, attempts), borrowed. */
IK_API const ik_response *ik_openai_invite_response(const ik_openai_invite *inv);
/* Frees an owned invite. Never call it on one borrowed from a page. NULL-safe. */
IK_API void ik_openai_invite_free(ik_openai_invite *inv);

/* --- Deletion result --- */
IK_API const char *ik_openai_invite_deleted_object(const ik_openai_invite_deleted *del); /* "organization.invite.deleted" */
IK_API const char *ik_openai_invite_deleted_id(const ik_openai_invite_deleted *del);
IK_API int32_t ik_openai_invite_deleted_deleted(const ik_openai_invite_deleted *del);     /* IK_TRI_* */
IK_API size_t ik_openai_invite_deleted_raw_json(const ik_openai_invite_deleted *del, const char **data);
IK_API const ik_response *ik_openai_invite_deleted_response(const ik_openai_invite_deleted *del);
IK_API void ik_openai_invite_deleted_free(ik_openai_invite_deleted *del);

IK_END_DECLS

#endif /* INVITEKIT_OPENAI_H */
