/**
 * @file invitekit/twilio.h
 * @brief Twilio Chat v1 Channel Invites and Chat v2 Users.
 * @ingroup twilio
 */
/**
 * @defgroup twilio Twilio Chat v1 Channel Invites and Chat v2 Users
 * @brief Nine operations over two Twilio Conversations-era Chat APIs.
 *
 * Wire contract: under the Twilio base URL (default https://chat.twilio.com),
 *   /v1/Services/{ServiceSid}/Channels/{ChannelSid}/Invites[/{Sid}]
 *   /v2/Services/{ServiceSid}/Users[/{Sid}]
 * HTTP Basic auth (Account SID + Auth Token, or API key SID + secret),
 * form-urlencoded bodies with PascalCase names, JSON responses.
 *
 * Every path segment is percent-encoded, so a user identity such as "a|b",
 * "ciao#hola", "x/y", "name with spaces", "é" or ".." reaches the right
 * resource.
 *
 * Client-side validation (before anything is sent; IK_STATUS_INVALID_ARGUMENT):
 * service SIDs must match ^IS[0-9a-fA-F]{32}$, invite SIDs ^IN[0-9a-fA-F]{32}$,
 * role SIDs ^RL[0-9a-fA-F]{32}$; channel SIDs and user SIDs/identities are free
 * text (non-empty). Page sizes are clamped (invites 1..1000, users 1..100).
 *
 * Errors common to all operations: as in openai.h, with the Twilio error body
 * ({code, message, more_info, status} or an RFC 9457 problem) parsed into the
 * ik_error (provider code = the decimal Twilio code; "more_info" through
 * ik_error_field), the Twilio-Request-Id header captured.
 * @{
 */
#ifndef INVITEKIT_TWILIO_H
#define INVITEKIT_TWILIO_H

#include <invitekit/common.h>
#include <invitekit/client.h>
#include <invitekit/pager.h>

IK_BEGIN_DECLS

/* ======================================================================== */
/* Chat v1 Channel Invites                                                  */
/* ======================================================================== */

/** Creates an invite (POST .../Invites, 201). identity is required; role_sid
 * may be NULL (not sent). */
IK_API ik_status ik_twilio_invite_create(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *identity, const char *role_sid, const ik_call_options *call_opts,
                                         ik_twilio_invite **out, ik_error **out_err);

/** Fetches an invite by SID (GET .../Invites/{Sid}). */
IK_API ik_status ik_twilio_invite_fetch(const ik_client *client, const char *service_sid, const char *channel_sid,
                                        const char *invite_sid, const ik_call_options *call_opts,
                                        ik_twilio_invite **out, ik_error **out_err);

/** One page of invites (GET .../Invites?Identity=a&Identity=b&PageSize=&PageToken=).
 * identities: identity_count filter values sent as repeated Identity keys
 * (may be NULL when identity_count is 0). list_opts may be NULL. */
IK_API ik_status ik_twilio_invite_list(const ik_client *client, const char *service_sid, const char *channel_sid,
                                       const char *const *identities, size_t identity_count,
                                       const ik_list_options *list_opts, const ik_call_options *call_opts,
                                       ik_page **out, ik_error **out_err);

/** A pager over the invites (see pager.h). */
IK_API ik_status ik_twilio_invite_pager(const ik_client *client, const char *service_sid, const char *channel_sid,
                                        const char *const *identities, size_t identity_count,
                                        const ik_list_options *list_opts, ik_pager **out, ik_error **out_err);

/** Deletes an invite (DELETE .../Invites/{Sid}, 204). out may be NULL;
 * otherwise *out receives the owned deletion result (response.h: its id is
 * invite_sid, deleted is IK_OPTBOOL_TRUE, no body). */
IK_API ik_status ik_twilio_invite_delete(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *invite_sid, const ik_call_options *call_opts, ik_deletion **out,
                                         ik_error **out_err);

/** Invites an identity to a channel exactly once (see IK_ENSURE_* in common.h
 * and ik_openai_invite_ensure for the rounds and the concurrency rule). The
 * lookup lists the channel's invites with the Identity filter; a found invite
 * is PRESENT when role_sid is NULL or equals its role_sid. */
IK_API ik_status ik_twilio_invite_ensure(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *identity, const char *role_sid, const ik_call_options *call_opts,
                                         ik_twilio_invite **out, int32_t *out_outcome, ik_error **out_err);

/* --- Invite accessors (borrowed strings; NULL when absent or null) --- */
IK_API const char *ik_twilio_invite_sid(const ik_twilio_invite *inv);         /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_account_sid(const ik_twilio_invite *inv); /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_channel_sid(const ik_twilio_invite *inv); /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_service_sid(const ik_twilio_invite *inv); /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_identity(const ik_twilio_invite *inv);    /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_role_sid(const ik_twilio_invite *inv);    /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_created_by(const ik_twilio_invite *inv);  /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_invite_url(const ik_twilio_invite *inv);         /**< Borrowed; NULL when absent. */
/** ISO 8601 text as received ("2015-07-30T20:00:00Z"). */
IK_API const char *ik_twilio_invite_date_created(const ik_twilio_invite *inv);
IK_API const char *ik_twilio_invite_date_updated(
    const ik_twilio_invite *inv); /**< ISO 8601 text as received; borrowed; NULL when absent. */
/** The same as Unix seconds: 1 and *out when present and parseable, else 0. */
IK_API int32_t ik_twilio_invite_date_created_unix(const ik_twilio_invite *inv, int64_t *out);
IK_API int32_t ik_twilio_invite_date_updated_unix(
    const ik_twilio_invite *inv, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
/** The invite's JSON (whole body, or the item's bytes in a page body); borrowed.
 * Returns 1 and sets *data and *len (use len: see common.h), else 0. */
IK_API int32_t ik_twilio_invite_raw_json(const ik_twilio_invite *inv, const uint8_t **data, size_t *len);
IK_API const ik_response *ik_twilio_invite_response(
    const ik_twilio_invite *inv); /**< Exchange metadata (request id, rate limits, attempts), borrowed. */
IK_API void ik_twilio_invite_free(
    ik_twilio_invite *inv); /**< Frees an owned invite; never one borrowed from a page. NULL-safe. */

/* ======================================================================== */
/* Chat v2 Users                                                            */
/* ======================================================================== */

/**
 * Inputs of create and update. NULL = not sent; "" = sent as an empty value
 * (the two stay different on the wire). identity is required for create and
 * must be NULL for update (the API cannot change it).
 * attributes is sent as the JSON text it is (it must be valid JSON).
 */
typedef struct ik_twilio_user_params {
  uint32_t version;           /**< IK_TWILIO_USER_PARAMS_VERSION */
  const char *identity;       /**< Identity; required for create, NULL for update */
  const char *role_sid;       /**< RoleSid; NULL = not sent */
  const char *attributes;     /**< Attributes, JSON text (must be valid JSON); NULL = not sent */
  const char *friendly_name;  /**< FriendlyName; NULL = not sent */
  ik_optbool webhook_enabled; /**< X-Twilio-Webhook-Enabled: true / false; UNSET = no header */
} ik_twilio_user_params;

/** Version of the ik_twilio_user_params layout declared by this header. */
#define IK_TWILIO_USER_PARAMS_VERSION 1
/** Static initialiser: version set, every other field zero (not sent). */
#define IK_TWILIO_USER_PARAMS_INIT \
  { IK_TWILIO_USER_PARAMS_VERSION, NULL, NULL, NULL, NULL, 0 }
/** Zero-fills *params and sets its version. Errors: IK_STATUS_INVALID_ARGUMENT
 * (NULL params, version 0 or newer than ik_twilio_user_params_version()). */
IK_API ik_status ik_twilio_user_params_init(ik_twilio_user_params *params, uint32_t version, ik_error **out_err);
/** The newest ik_twilio_user_params version this library accepts. */
IK_API uint32_t ik_twilio_user_params_version(void);

/** Creates a user (POST /v2/Services/{ServiceSid}/Users, 201). */
IK_API ik_status ik_twilio_user_create(const ik_client *client, const char *service_sid,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, ik_error **out_err);

/** Fetches a user by SID ("US...") or by identity (GET .../Users/{Sid}). */
IK_API ik_status ik_twilio_user_fetch(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                      const ik_call_options *call_opts, ik_twilio_user **out, ik_error **out_err);

/** One page of users (GET .../Users?PageSize=&PageToken=). */
IK_API ik_status ik_twilio_user_list(const ik_client *client, const char *service_sid, const ik_list_options *list_opts,
                                     const ik_call_options *call_opts, ik_page **out, ik_error **out_err);

/** A pager over the users (see pager.h). */
IK_API ik_status ik_twilio_user_pager(const ik_client *client, const char *service_sid,
                                      const ik_list_options *list_opts, ik_pager **out, ik_error **out_err);

/** Updates a user by SID or identity (POST .../Users/{Sid}, 200). */
IK_API ik_status ik_twilio_user_update(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, ik_error **out_err);

/** Deletes a user by SID or identity (DELETE .../Users/{Sid}, 204). out may be
 * NULL; otherwise *out receives the owned deletion result (its id is
 * sid_or_identity as given, deleted is IK_OPTBOOL_TRUE, no body). */
IK_API ik_status ik_twilio_user_delete(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                       const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err);

/** Creates a user exactly once (see IK_ENSURE_* in common.h and
 * ik_openai_invite_ensure). params->identity is required; the lookup fetches
 * the user by identity (404 = absent). A found user is PRESENT when every field
 * that params sets (role_sid, friendly_name, attributes as text) equals the
 * user's. A 409 on the create (the identity exists) leads to a second lookup. */
IK_API ik_status ik_twilio_user_ensure(const ik_client *client, const char *service_sid,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, int32_t *out_outcome, ik_error **out_err);

/* --- User accessors (borrowed strings; NULL when absent or null) --- */
IK_API const char *ik_twilio_user_sid(const ik_twilio_user *user);         /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_account_sid(const ik_twilio_user *user); /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_service_sid(const ik_twilio_user *user); /**< Borrowed; NULL when absent. */
/** The attributes JSON string exactly as the API returns it (a string holding JSON). */
IK_API const char *ik_twilio_user_attributes(const ik_twilio_user *user);
IK_API const char *ik_twilio_user_friendly_name(const ik_twilio_user *user); /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_role_sid(const ik_twilio_user *user);      /**< Borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_identity(const ik_twilio_user *user);      /**< Borrowed; NULL when absent. */
/** is_online / is_notifiable as sent: IK_OPTBOOL_TRUE, IK_OPTBOOL_FALSE, or
 * IK_OPTBOOL_UNSET when absent or null (null when the service's Reachability
 * Indicator is off; list pages carry the same values as single fetches). */
IK_API ik_optbool ik_twilio_user_is_online(const ik_twilio_user *user);
IK_API ik_optbool ik_twilio_user_is_notifiable(
    const ik_twilio_user *user); /**< is_notifiable as sent; IK_OPTBOOL_UNSET when absent or null. */
IK_API const char *ik_twilio_user_date_created(
    const ik_twilio_user *user); /**< ISO 8601 text as received; borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_date_updated(
    const ik_twilio_user *user); /**< ISO 8601 text as received; borrowed; NULL when absent. */
IK_API int32_t ik_twilio_user_date_created_unix(
    const ik_twilio_user *user, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
IK_API int32_t ik_twilio_user_date_updated_unix(
    const ik_twilio_user *user, int64_t *out); /**< Unix seconds: 1 and *out when present and parseable, else 0. */
/** joined_channels_count: 1 and *out when present, else 0. */
IK_API int32_t ik_twilio_user_joined_channels_count(const ik_twilio_user *user, int64_t *out);
IK_API const char *ik_twilio_user_link_user_channels(
    const ik_twilio_user *user); /**< links.user_channels; borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_link_user_bindings(
    const ik_twilio_user *user); /**< links.user_bindings; borrowed; NULL when absent. */
IK_API const char *ik_twilio_user_url(const ik_twilio_user *user); /**< Borrowed; NULL when absent. */
/** The user's JSON (whole body, or the item's bytes in a page body); borrowed.
 * Returns 1 and sets *data and *len (use len: see common.h), else 0. */
IK_API int32_t ik_twilio_user_raw_json(const ik_twilio_user *user, const uint8_t **data, size_t *len);
IK_API const ik_response *ik_twilio_user_response(
    const ik_twilio_user *user); /**< Exchange metadata (request id, rate limits, attempts), borrowed. */
IK_API void ik_twilio_user_free(
    ik_twilio_user *user); /**< Frees an owned user; never one borrowed from a page. NULL-safe. */

/** @} */

IK_END_DECLS

#endif /* INVITEKIT_TWILIO_H */
