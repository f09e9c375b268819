/*
 * examples/twilio.c - Twilio Chat v1 Channel Invites and Chat v2 Users with
 * invitekit, in plain C99.
 *
 *   usage: example-twilio BASE_URL
 *
 * BASE_URL replaces https://chat.twilio.com, e.g. the address printed by
 * `invitekit-emulator --port 0`. Credentials come from TWILIO_ACCOUNT_SID and
 * TWILIO_AUTH_TOKEN when set, else the emulator's defaults.
 *
 * It creates two channel invites, fetches one, lists them page by page with a
 * pager, deletes them; then creates a user whose identity needs encoding
 * ("ciao#hola"), fetches it by identity, updates it, lists the users item by
 * item, deletes it and shows the error a fetch of the deleted user returns.
 * Exit status: 0 when everything behaved as expected, 1 otherwise.
 */
#include <invitekit/invitekit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE_SID "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define CHANNEL_SID "CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *or_default(const char *s, const char *fallback) { return (s && *s) ? s : fallback; }
static const char *show(const char *s) { return s ? s : "(null)"; }

/* Prints a failed call and releases the error. Returns 1 (the exit status). */
static int report(const char *what, ik_status st, ik_error *err) {
  fprintf(stderr, "FAILED: %s: %s (%s)\n", what, ik_status_name(st), err ? ik_error_message(err) : "no details");
  if (err) {
    if (ik_error_http_status(err)) fprintf(stderr, "  HTTP status:   %d\n", (int)ik_error_http_status(err));
    if (ik_error_provider_code(err)) fprintf(stderr, "  Twilio code:   %s\n", ik_error_provider_code(err));
    if (ik_error_field(err, "more_info")) fprintf(stderr, "  more info:     %s\n", ik_error_field(err, "more_info"));
    if (ik_error_request_id(err)) fprintf(stderr, "  request id:    %s\n", ik_error_request_id(err));
  }
  ik_error_free(err);
  return 1;
}

static void print_invite(const char *prefix, const ik_twilio_invite *inv) {
  int64_t created = 0;
  if (!ik_twilio_invite_date_created_unix(inv, &created)) created = -1;
  printf("%s%s  identity=%-12s role=%s  created=%s (%lld)\n", prefix, show(ik_twilio_invite_sid(inv)),
         show(ik_twilio_invite_identity(inv)), show(ik_twilio_invite_role_sid(inv)),
         show(ik_twilio_invite_date_created(inv)), (long long)created);
}

static const char *optbool_name(ik_optbool v) {
  return v == IK_OPTBOOL_TRUE ? "true" : v == IK_OPTBOOL_FALSE ? "false" : "null";
}

static void print_user(const char *prefix, const ik_twilio_user *u) {
  int64_t channels = 0;
  char channels_text[32] = "null";
  if (ik_twilio_user_joined_channels_count(u, &channels))
    snprintf(channels_text, sizeof channels_text, "%lld", (long long)channels);
  printf("%s%s  identity=%s  friendly_name=%s  attributes=%s  online=%s  channels=%s\n", prefix,
         show(ik_twilio_user_sid(u)), show(ik_twilio_user_identity(u)), show(ik_twilio_user_friendly_name(u)),
         show(ik_twilio_user_attributes(u)), optbool_name(ik_twilio_user_is_online(u)), channels_text);
}

/* A deletion result reads the same for every provider. Returns 0 when the
 * deletion is confirmed for the id that was given, else 1. */
static int print_deletion(const ik_deletion *del, const char *expected_id) {
  printf("deleted  %s  deleted=%s (HTTP %d)\n", show(ik_deletion_id(del)), optbool_name(ik_deletion_deleted(del)),
         (int)ik_response_http_status(ik_deletion_response(del)));
  if (ik_deletion_deleted(del) != IK_OPTBOOL_TRUE || strcmp(show(ik_deletion_id(del)), expected_id) != 0) {
    fprintf(stderr, "FAILED: expected the deletion of %s to be confirmed\n", expected_id);
    return 1;
  }
  return 0;
}

static int invites_demo(const ik_client *client) {
  ik_status st;
  ik_error *err = NULL;
  ik_twilio_invite *alice = NULL, *bob = NULL, *fetched = NULL;
  ik_pager *pager = NULL;
  char alice_sid[64], bob_sid[64];
  int pages = 0, items = 0, rc = 0;

  printf("== Chat v1 channel invites (service %s, channel %s)\n", SERVICE_SID, CHANNEL_SID);

  st = ik_twilio_invite_create(client, SERVICE_SID, CHANNEL_SID, "alice", NULL, NULL, &alice, &err);
  if (st != IK_STATUS_OK) return report("create invite for alice", st, err);
  print_invite("created  ", alice);
  st = ik_twilio_invite_create(client, SERVICE_SID, CHANNEL_SID, "bob smith", NULL, NULL, &bob, &err);
  if (st != IK_STATUS_OK) {
    ik_twilio_invite_free(alice);
    return report("create invite for bob smith", st, err);
  }
  print_invite("created  ", bob);
  snprintf(alice_sid, sizeof alice_sid, "%s", show(ik_twilio_invite_sid(alice)));
  snprintf(bob_sid, sizeof bob_sid, "%s", show(ik_twilio_invite_sid(bob)));
  printf("HTTP %d, request id %s\n", (int)ik_response_http_status(ik_twilio_invite_response(alice)),
         show(ik_response_request_id(ik_twilio_invite_response(alice))));
  ik_twilio_invite_free(alice);
  ik_twilio_invite_free(bob);

  st = ik_twilio_invite_fetch(client, SERVICE_SID, CHANNEL_SID, alice_sid, NULL, &fetched, &err);
  if (st != IK_STATUS_OK) return report("fetch invite", st, err);
  print_invite("fetched  ", fetched);
  if (strcmp(show(ik_twilio_invite_identity(fetched)), "alice") != 0) {
    fprintf(stderr, "FAILED: fetched invite has identity %s, expected alice\n",
            show(ik_twilio_invite_identity(fetched)));
    rc = 1;
  }
  ik_twilio_invite_free(fetched);
  if (rc) return rc;

  /* One invite per page, to show the pager following next_page_url. */
  {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 1;
    st = ik_twilio_invite_pager(client, SERVICE_SID, CHANNEL_SID, NULL, 0, &lo, &pager, &err);
    if (st != IK_STATUS_OK) return report("create invite pager", st, err);
  }
  for (;;) {
    ik_page *page = NULL;
    size_t i;
    st = ik_pager_next_page(pager, NULL, &page, &err);
    if (st != IK_STATUS_OK) {
      ik_pager_free(pager);
      return report("list invites", st, err);
    }
    if (!page) break;
    ++pages;
    {
      int64_t number = -1, size = -1;
      ik_page_twilio_page(page, &number);
      ik_page_twilio_page_size(page, &size);
      printf("page %lld (page_size %lld, %zu invite(s))\n", (long long)number, (long long)size, ik_page_count(page));
    }
    for (i = 0; i < ik_page_count(page); ++i) {
      print_invite("  listed ", ik_page_twilio_invite_at(page, i));
      ++items;
    }
    ik_page_free(page);
  }
  ik_pager_free(pager);
  printf("listed %d invite(s) on %d page(s)\n", items, pages);
  if (items < 2) {
    fprintf(stderr, "FAILED: expected at least the 2 invites just created, listed %d\n", items);
    return 1;
  }

  {
    const char *sids[2];
    int k;
    sids[0] = alice_sid;
    sids[1] = bob_sid;
    for (k = 0; k < 2; ++k) {
      ik_deletion *del = NULL;
      st = ik_twilio_invite_delete(client, SERVICE_SID, CHANNEL_SID, sids[k], NULL, &del, &err);
      if (st != IK_STATUS_OK) return report("delete invite", st, err);
      rc = print_deletion(del, sids[k]);
      ik_deletion_free(del);
      if (rc) return rc;
    }
  }
  return 0;
}

static int users_demo(const ik_client *client) {
  const char *identity = "ciao#hola"; /* '#' must be percent-encoded in the path */
  ik_status st;
  ik_error *err = NULL;
  ik_twilio_user *user = NULL;
  ik_twilio_user_params params = IK_TWILIO_USER_PARAMS_INIT;
  ik_pager *pager = NULL;
  int items = 0, found = 0;

  printf("\n== Chat v2 users (service %s)\n", SERVICE_SID);

  params.identity = identity;
  params.friendly_name = "Ciao Hola";
  params.attributes = "{\"team\":\"blue\",\"level\":3}";
  params.webhook_enabled = IK_OPTBOOL_FALSE;
  st = ik_twilio_user_create(client, SERVICE_SID, &params, NULL, &user, &err);
  if (st != IK_STATUS_OK) return report("create user", st, err);
  print_user("created  ", user);
  ik_twilio_user_free(user);
  user = NULL;

  st = ik_twilio_user_fetch(client, SERVICE_SID, identity, NULL, &user, &err);
  if (st != IK_STATUS_OK) return report("fetch user by identity", st, err);
  print_user("fetched  ", user);
  ik_twilio_user_free(user);
  user = NULL;

  /* Update: identity must stay NULL; NULL fields are not sent, "" would clear. */
  params.identity = NULL;
  params.friendly_name = "Ciao Hola (updated)";
  params.attributes = NULL;
  params.webhook_enabled = IK_OPTBOOL_UNSET;
  st = ik_twilio_user_update(client, SERVICE_SID, identity, &params, NULL, &user, &err);
  if (st != IK_STATUS_OK) return report("update user", st, err);
  print_user("updated  ", user);
  if (strcmp(show(ik_twilio_user_friendly_name(user)), "Ciao Hola (updated)") != 0) {
    fprintf(stderr, "FAILED: friendly_name after update is %s\n", show(ik_twilio_user_friendly_name(user)));
    ik_twilio_user_free(user);
    return 1;
  }
  ik_twilio_user_free(user);
  user = NULL;

  /* Item by item; the pager fetches pages as needed. */
  st = ik_twilio_user_pager(client, SERVICE_SID, NULL, &pager, &err);
  if (st != IK_STATUS_OK) return report("create user pager", st, err);
  for (;;) {
    st = ik_pager_next_twilio_user(pager, NULL, &user, &err);
    if (st != IK_STATUS_OK) {
      ik_pager_free(pager);
      return report("list users", st, err);
    }
    if (!user) break;
    print_user("  listed ", user);
    ++items;
    if (strcmp(show(ik_twilio_user_identity(user)), identity) == 0) found = 1;
    ik_twilio_user_free(user);
  }
  ik_pager_free(pager);
  printf("listed %d user(s)\n", items);
  if (!found) {
    fprintf(stderr, "FAILED: user %s not in the list\n", identity);
    return 1;
  }

  {
    ik_deletion *del = NULL;
    int rc;
    st = ik_twilio_user_delete(client, SERVICE_SID, identity, NULL, &del, &err);
    if (st != IK_STATUS_OK) return report("delete user", st, err);
    rc = print_deletion(del, identity);
    ik_deletion_free(del);
    if (rc) return rc;
  }

  /* The user is gone: a fetch now fails with IK_STATUS_NOT_FOUND and Twilio's error body. */
  st = ik_twilio_user_fetch(client, SERVICE_SID, identity, NULL, &user, &err);
  if (st != IK_STATUS_NOT_FOUND) {
    ik_twilio_user_free(user);
    if (st == IK_STATUS_OK) {
      fprintf(stderr, "FAILED: the deleted user can still be fetched\n");
      return 1;
    }
    return report("fetch deleted user (expected NOT_FOUND)", st, err);
  }
  printf("fetch after delete: %s, HTTP %d, Twilio code %s: %s\n", ik_status_name(st), (int)ik_error_http_status(err),
         show(ik_error_provider_code(err)), show(ik_error_provider_message(err)));
  ik_error_free(err);
  return 0;
}

int main(int argc, char **argv) {
  ik_client_options opts = IK_CLIENT_OPTIONS_INIT;
  ik_client *client = NULL;
  ik_error *err = NULL;
  ik_status st;
  int rc;

  if (argc < 2) {
    fprintf(stderr, "usage: %s BASE_URL   (e.g. the URL printed by invitekit-emulator)\n", argv[0]);
    return 2;
  }
  opts.twilio_base_url = argv[1];
  opts.twilio_account_sid = or_default(getenv("TWILIO_ACCOUNT_SID"), "AC00000000000000000000000000000000");
  opts.twilio_auth_token = or_default(getenv("TWILIO_AUTH_TOKEN"), "emulator-twilio-token");
  opts.user_agent_suffix = "example-twilio";
  opts.attempt_timeout_ms = 10000;

  st = ik_client_new(&opts, &client, &err);
  if (st != IK_STATUS_OK) return report("create client", st, err);
  printf("invitekit %s, Twilio base URL %s\n\n", ik_version_string(), ik_client_base_url(client, IK_PROVIDER_TWILIO));

  rc = invites_demo(client);
  if (rc == 0) rc = users_demo(client);
  ik_client_free(client);
  printf(rc == 0 ? "\nOK\n" : "\nFAILED\n");
  return rc;
}
