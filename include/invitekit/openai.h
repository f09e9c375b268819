/**
 * @file invitekit/openai.h
 * @brief OpenAI organization invites (admin API).
 * @ingroup openai
 */
/**
 * @defgroup openai OpenAI organization invites
 * @brief Create, retrieve, list and delete invites of an OpenAI organization.
 *
 * Wire contract: POST/GET /organization/invites, GET/DELETE
 * /organization/invites/{invite_id} under the OpenAI base URL
 * (default https://api.openai.com/v1), Authorization: Bearer \<admin key\>,
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
 * @{
 */
#ifndef INVITEKIT_OPENAI_H
#define INVITEKIT_OPENAI_H

#include <invitekit/common.h>
#include <invitekit/client.h>
#include <invitekit/pager.h>

IK_BEGIN_DECLS

/** A project the invited user joins: id and role ("member" or "owner"). */
typedef struct ik_openai_project_ref {
  const char *id;   /**< project id */
  const char *role; /**< "member" or "owner" */
} ik_openai_project_ref;

/** Inputs of ik_openai_invite_create. "projects omitted" (legacy: the user
 * joins the default project) and "projects = []" (no project at all) are
 * different: leave send_projects IK_OPTBOOL_UNSET (or set IK_OPTBOOL_FALSE) to
 * omit the field, set IK_OPTBOOL_TRUE to send the array given by
 * projects/projects_count (possibly empty). projects_count must be 0 unless
 * send_projects is IK_OPTBOOL_TRUE (IK_STATUS_INVALID_ARGUMENT otherwise). */
typedef struct ik_openai_invite_create_params {
  uint32_t version;                      /**< IK_OPENAI_INVITE_CREATE_PARAMS_VERSION */
  const char *email;                     /**< required */
  const char *role;                      /**< required: "reader" or "owner" */
  ik_optbool send_projects;              /**< IK_OPTBOOL_TRUE = send "projects" */
  const ik_openai_project_ref *projects; /**< projects_count entries (may be NULL when 0) */
  size_t projects_count;                 /**< number of entries in projects */
} ik_openai_invite_create_params;

/** Version of the ik_openai_invite_create_params layout declared by this header. */
#define IK_OPENAI_INVITE_CREATE_PARAMS_VERSION 1
/** Static initialiser: version set, every other field zero (unset). */
#define IK_OPENAI_INVITE_CREATE_PARAMS_INIT \
  { IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, NULL, NULL, 0, NULL, 0 }
/** Zero-fills *params and sets its version. Errors: IK_STATUS_INVALID_ARGUMENT
 * (NULL params, version 0 or newer than ik_openai_invite_create_params_version()). */
IK_API ik_status ik_openai_invite_create_params_init(ik_openai_invite_create_params *params, uint32_t version,
                                                     ik_error **out_err);
/** The newest ik_openai_invite_create_params version this library accepts. */
IK_API uint32_t ik_openai_invite_create_params_version(void);

/** Invites a user (POST /organization/invites, 200). *out receives an owned
 * invite (ik_openai_invite_free). This POST is not retried after an ambiguous
 * failure unless enabled (see client.h). */
IK_API ik_status ik_openai_invite_create(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out, ik_error **out_err);

/** Retrieves an invite by id (GET /organization/invites/{invite_id}). */
IK_API ik_status ik_openai_invite_retrieve(const ik_client *client, const char *invite_id,
                                           const ik_call_options *call_opts, ik_openai_invite **out,
                                           ik_error **out_err);

/** One page of invites (GET /organization/invites?limit=&after=). list_opts
 * may be NULL: page_size -> limit (1..100, clamped); cursor (an invitekit
 * cursor) or provider_cursor (an invite id) -> after; max_items is ignored
 * here. *out receives an owned page of IK_KIND_OPENAI_INVITE items. */
IK_API ik_status ik_openai_invite_list(const ik_client *client, const ik_list_options *list_opts,
                                       const ik_call_options *call_opts, ik_page **out, ik_error **out_err);

/** A pager over all invites (see pager.h). The pager keeps the client alive. */
IK_API ik_status ik_openai_invite_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                        ik_error **out_err);

/** Deletes an invite (DELETE /organization/invites/{invite_id}, 200 with a
 * body {object, id, deleted}). An accepted invite cannot be deleted (the API
 * answers an error). out may be NULL; otherwise *out receives the owned
 * deletion result (response.h, ik_deletion_free). */
IK_API ik_status ik_openai_invite_delete(const ik_client *client, const char *invite_id,
                                         const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err);

/** Invites a user exactly once (see IK_ENSURE_* in common.h). Looks for an
 * invite with the same email (case-insensitive ASCII) by listing all invites
 * (pages of 100); an invite whose status is "expired" does not count. Creates
 * one with params only when none is found; after an ambiguous create failure
 * (or a 409) it lists again, at most 3 rounds. *out receives the invite found
 * or created (owned); *out_outcome (may be NULL) what happened. A found invite
 * is PRESENT when its role equals params->role and, when send_projects is
 * IK_OPTBOOL_TRUE, it has the same set of projects; else PRESENT_DIFFERENT
 * (nothing is changed). call_opts apply to each request.
 * Cost: every call lists all invites. A caller that already holds a fresh
 * listing (as `invitekit ... sync` does) may create directly and call ensure
 * only when a create fails ambiguously or with a 409.
 * Concurrency: calls on ONE client for the same person (provider, resource,
 * email) are serialized, so that exactly one of them creates; across clients
 * or processes nothing prevents two creates (the API has no idempotency key).
 * Errors: as ik_openai_invite_create and ik_openai_invite_list; an error of a
 * lookup after an ambiguous create is returned with ik_error_is_ambiguous() = 1. */
IK_API ik_status ik_openai_invite_ensure(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out, int32_t *out_outcome,
                                         ik_error **out_err);

/* --- Invite accessors (strings borrowed from the invite; NULL if absent) --- */
IK_API const char *ik_openai_invite_object(const ik_openai_invite *inv); /**< "organization.invite" */
IK_API const char *ik_openai_invite_id(const ik_openai_invite *inv);     /**< Borrowed; NULL when absent. */
IK_API const char *ik_openai_invite_email(const ik_openai_invite *inv);  /**< Borrowed; NULL when absent. */
IK_API const char *ik_openai_invite_role(const ik_openai_invite *inv);   /**< "owner" | "reader" */
IK_API const char *ik_openai_invite_status(const ik_openai_invite *inv); /**< "accepted" | "expired" | "pending" */
/** Timestamps in Unix seconds (the API sends numbers). Each returns 1 and sets
 * *out when the field is a number, 0 when it is null or absent (null is thus
 * distinguishable from 0). created_at also reads the older field name
 * `invited_at` (the spec's name until mid-2025) when `created_at` is absent. */
IK_API int32_t ik_openai_invite_created_at_unix(const ik_openai_invite *inv, int64_t *out);
IK_API int32_t ik_openai_invite_expires_at_unix(const ik_openai_invite *inv,
                                                int64_t *out); /**< 1 and *out when present, else 0. */
IK_API int32_t ik_openai_invite_accepted_at_unix(const ik_openai_invite *inv,
                                                 int64_t *out); /**< 1 and *out when present, else 0. */
/** Projects (an absent "projects" field reads as an empty list; see
 * ik_openai_invite_has_projects). ik_openai_invite_project_at returns 1 and
 * sets *id and *role (borrowed; NULL when absent; either pointer may be NULL)
 * when i is in range, else 0. */
IK_API size_t ik_openai_invite_project_count(const ik_openai_invite *inv);
IK_API int32_t ik_openai_invite_project_at(const ik_openai_invite *inv, size_t i, const char **id,
                                           const char **role); /**< 1 and *id, *role when i is in range, else 0. */
/** 1 if the response carried a "projects" field at all, else 0. */
IK_API int32_t ik_openai_invite_has_projects(const ik_openai_invite *inv);
/** The invite's JSON, borrowed: the whole body for single-object results; for
 * items of a page, the item's own bytes exactly as they appear in the page
 * body. Returns 1 and sets *data and *len (use len: see common.h), else 0. */
IK_API int32_t ik_openai_invite_raw_json(const ik_openai_invite *inv, const uint8_t **data, size_t *len);
/** Exchange metadata (request id, rate limits, attempts), borrowed. */
IK_API const ik_response *ik_openai_invite_response(const ik_openai_invite *inv);
/** Frees an owned invite. Never call it on one borrowed from a page. NULL-safe. */
IK_API void ik_openai_invite_free(ik_openai_invite *inv);

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_OPENAI_H */
