/**
 * @file invitekit/fastly.h
 * @brief Fastly Invitations (JSON:API).
 * @ingroup fastly
 */
/**
 * @defgroup fastly Fastly invitations
 * @brief Create, list and delete invitations to a Fastly customer account.
 *
 * Wire contract: under the Fastly base URL (default https://api.fastly.com),
 * POST /invitations, GET /invitations?page[number]=&page[size]=,
 * DELETE /invitations/{invitation_id}; header Fastly-Key; bodies
 * application/vnd.api+json.
 *
 * Errors common to all operations: as in openai.h, with Fastly error bodies
 * recognised by their shape, whatever the Content-Type says (JSON:API
 * errors[] as sent with application/vnd.api+json, application/problem+json
 * {type,title,status,detail}, legacy {msg, detail}); a body that is not JSON
 * gives a raw-text message. The response Content-Type is kept in
 * ik_error_field(err, "content_type"). Fastly-RateLimit-Remaining/-Reset are
 * readable on every result (ik_response_ratelimit_*) and error
 * (ik_error_header).
 * @{
 */
#ifndef INVITEKIT_FASTLY_H
#define INVITEKIT_FASTLY_H

#include <invitekit/common.h>
#include <invitekit/client.h>
#include <invitekit/pager.h>

IK_BEGIN_DECLS

/** A service the invitee gets access to, with a permission:
 * "full", "read_only", "purge_select" or "purge_all". */
typedef struct ik_fastly_service_grant {
  const char *service_id; /**< the service's id */
  const char *permission; /**< "full", "read_only", "purge_select" or "purge_all" */
} ik_fastly_service_grant;

/** Inputs of ik_fastly_invitation_create. NULL / 0 = not sent.
 * role is the legacy role (user, tls_viewer, tls_admin, billing, engineer,
 * superuser); roles are IAM role ids. Both may be given. */
typedef struct ik_fastly_invitation_create_params {
  uint32_t version;                        /**< IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION */
  const char *email;                       /**< required */
  const char *role;                        /**< legacy role; NULL = not sent */
  const char *const *roles;                /**< roles_count IAM role ids */
  size_t roles_count;                      /**< number of entries in roles; 0 = not sent */
  ik_optbool limit_services;               /**< UNSET = not sent */
  const char *customer_id;                 /**< relationships.customer */
  const ik_fastly_service_grant *services; /**< relationships.service_invitations */
  size_t services_count;                   /**< number of entries in services; 0 = not sent */
} ik_fastly_invitation_create_params;

/** Version of the ik_fastly_invitation_create_params layout declared by this header. */
#define IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION 1
/** Static initialiser: version set, every other field zero (not sent). */
#define IK_FASTLY_INVITATION_CREATE_PARAMS_INIT \
  { IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
/** Zero-fills *params and sets its version. Errors: IK_STATUS_INVALID_ARGUMENT
 * (NULL params, version 0 or newer than ik_fastly_invitation_create_params_version()). */
IK_API ik_status ik_fastly_invitation_create_params_init(ik_fastly_invitation_create_params *params, uint32_t version,
                                                         ik_error **out_err);
/** The newest ik_fastly_invitation_create_params version this library accepts. */
IK_API uint32_t ik_fastly_invitation_create_params_version(void);

/** Creates an invitation (POST /invitations, 200 {data: invitation}). */
IK_API ik_status ik_fastly_invitation_create(const ik_client *client, const ik_fastly_invitation_create_params *params,
                                             const ik_call_options *call_opts, ik_fastly_invitation **out,
                                             ik_error **out_err);

/** One page (GET /invitations?page[number]=N&page[size]=S). list_opts may be
 * NULL: page_size -> page[size] (1..100, clamped); cursor (an invitekit
 * cursor) or provider_cursor (a page number) selects the page (the first page
 * when both are NULL). */
IK_API ik_status ik_fastly_invitation_list(const ik_client *client, const ik_list_options *list_opts,
                                           const ik_call_options *call_opts, ik_page **out, ik_error **out_err);

/** A pager over all invitations (see pager.h). */
IK_API ik_status ik_fastly_invitation_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                            ik_error **out_err);

/** Deletes an invitation (DELETE /invitations/{invitation_id}, 204). out may be
 * NULL; otherwise *out receives the owned deletion result (its id is
 * invitation_id, deleted is IK_OPTBOOL_TRUE, no body). */
IK_API ik_status ik_fastly_invitation_delete(const ik_client *client, const char *invitation_id,
                                             const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err);

/** Invites an email exactly once (see IK_ENSURE_* in common.h and
 * ik_openai_invite_ensure). The lookup lists all invitations (pages of 100)
 * for the same email (case-insensitive ASCII); one with deleted_at set does
 * not count. A found invitation is PRESENT when params->role is NULL or equal
 * to its role, and limit_services is unset or equal. Like the OpenAI ensure,
 * every call lists all invitations (see its "Cost"). */
IK_API ik_status ik_fastly_invitation_ensure(const ik_client *client, const ik_fastly_invitation_create_params *params,
                                             const ik_call_options *call_opts, ik_fastly_invitation **out,
                                             int32_t *out_outcome, ik_error **out_err);

/* --- Invitation accessors (borrowed strings; NULL when absent or null) --- */
IK_API const char *ik_fastly_invitation_id(const ik_fastly_invitation *inv);    /**< Borrowed; NULL when absent. */
IK_API const char *ik_fastly_invitation_type(const ik_fastly_invitation *inv);  /**< "invitation" */
IK_API const char *ik_fastly_invitation_email(const ik_fastly_invitation *inv); /**< Borrowed; NULL when absent. */
IK_API ik_optbool ik_fastly_invitation_limit_services(
    const ik_fastly_invitation *inv); /**< attributes.limit_services; IK_OPTBOOL_UNSET when absent or null. */
IK_API const char *ik_fastly_invitation_role(
    const ik_fastly_invitation *inv); /**< Legacy role; borrowed; NULL when absent. */
IK_API size_t ik_fastly_invitation_role_count(const ik_fastly_invitation *inv); /**< attributes.roles[] */
IK_API const char *ik_fastly_invitation_role_at(const ik_fastly_invitation *inv,
                                                size_t i); /**< Borrowed; NULL when i is out of range. */
/** attributes.status_code (0 inactive, 1 active): 1 and *out when present, else 0. */
IK_API int32_t ik_fastly_invitation_status_code(const ik_fastly_invitation *inv, int64_t *out);
IK_API const char *ik_fastly_invitation_created_at(
    const ik_fastly_invitation *inv); /**< Text as received; borrowed; NULL when absent. */
IK_API const char *ik_fastly_invitation_updated_at(
    const ik_fastly_invitation *inv); /**< Text as received; borrowed; NULL when absent. */
IK_API const char *ik_fastly_invitation_deleted_at(
    const ik_fastly_invitation *inv); /**< Text as received; borrowed; NULL when absent. */
IK_API int32_t ik_fastly_invitation_created_at_unix(
    const ik_fastly_invitation *inv, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
IK_API int32_t ik_fastly_invitation_updated_at_unix(
    const ik_fastly_invitation *inv, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
IK_API int32_t ik_fastly_invitation_deleted_at_unix(
    const ik_fastly_invitation *inv, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
IK_API const char *ik_fastly_invitation_customer_id(
    const ik_fastly_invitation *inv); /**< relationships.customer id; borrowed; NULL when absent. */
/** relationships.service_invitations.data[].id */
IK_API size_t ik_fastly_invitation_service_invitation_count(const ik_fastly_invitation *inv);
IK_API const char *ik_fastly_invitation_service_invitation_at(const ik_fastly_invitation *inv,
                                                              size_t i); /**< Borrowed; NULL when i is out of range. */
/** The invitation's JSON: the JSON:API resource object, exactly its bytes in the
 * body (for a create, the `data` member of the body; for a listed invitation,
 * its element of `data[]`), so that created and listed invitations look alike;
 * the whole body stays readable through ik_response_body. Borrowed. Returns 1
 * and sets *data and *len (use len: not guaranteed to be NUL-terminated), else 0. */
IK_API int32_t ik_fastly_invitation_raw_json(const ik_fastly_invitation *inv, const uint8_t **data, size_t *len);
IK_API const ik_response *ik_fastly_invitation_response(
    const ik_fastly_invitation *inv); /**< Exchange metadata (request id, rate limits, attempts), borrowed. */
IK_API void ik_fastly_invitation_free(
    ik_fastly_invitation *inv); /**< Frees an owned invitation; never one borrowed from a page. NULL-safe. */

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_FASTLY_H */
