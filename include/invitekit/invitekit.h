/*
 * invitekit/invitekit.h - umbrella header: include this one.
 *
 * invitekit is a native client for the invitation and membership APIs of
 * Twilio (Chat v1 Channel Invites, Chat v2 Users), OpenAI (organization
 * invites) and Fastly (invitations), behind a C ABI.
 *
 *   ik_client *client = NULL;
 *   ik_error *err = NULL;
 *   if (ik_client_new(NULL, &client, &err) != IK_STATUS_OK) { ... ik_error_free(err); }
 *   ik_openai_invite *inv = NULL;
 *   if (ik_openai_invite_retrieve(client, "invite-abc", NULL, &inv, &err) == IK_STATUS_OK) {
 *     printf("%s %s\n", ik_openai_invite_email(inv), ik_openai_invite_status(inv));
 *     ik_openai_invite_free(inv);
 *   }
 *   ik_client_free(client);
 *
 * See common.h for the conventions (status codes, error objects, ownership),
 * client.h for the thread-safety statement.
 */
#ifndef INVITEKIT_H
#define INVITEKIT_H

#include <invitekit/export.h>
#include <invitekit/version.h>
#include <invitekit/common.h>
#include <invitekit/error.h>
#include <invitekit/client.h>
#include <invitekit/response.h>
#include <invitekit/pager.h>
#include <invitekit/openai.h>
#include <invitekit/twilio.h>
#include <invitekit/fastly.h>
#include <invitekit/async.h>

#endif /* INVITEKIT_H */
