/*
 * quickstart.c - every API invitekit covers, end to end, against one base URL
 * (by default the bundled invitekit-emulator):
 *
 *   quickstart http://127.0.0.1:PORT
 *
 * For each of the four APIs: create, fetch, list with pagination, update where
 * the API has it, delete. Credentials default to the emulator's; the vendors'
 * environment variables override them (TWILIO_ACCOUNT_SID, OPENAI_ADMIN_KEY, ...).
 * Exits 0 when everything worked.
 */
#include <invitekit/invitekit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE "IS0123456789abcdef0123456789abcdef"
#define CHANNEL "CHquickstart"

static int failures = 0;

/* Prints a failed call's error, frees it and clears *errp; returns 1 when status is OK. */
static int ok_(const char *what, ik_status st, ik_error **errp) {
  ik_error *err = *errp;
  *errp = NULL;
  if (st == IK_STATUS_OK) return 1;
  fprintf(stderr, "  FAILED %s: %s [%s]", what, ik_error_message(err), ik_status_name(st));
  if (ik_error_provider_code(err)) fprintf(stderr, " provider code %s", ik_error_provider_code(err));
  if (ik_error_request_id(err)) fprintf(stderr, " request id %s", ik_error_request_id(err));
  fprintf(stderr, "\n");
  ik_error_free(err);
  failures++;
  return 0;
}
#define ok(what, call, err) ok_((what), (call), &(err))

static const char *or_dash(const char *s) { return s ? s : "-"; }

static const char *optbool_name(ik_optbool v) {
  return v == IK_OPTBOOL_TRUE ? "true" : v == IK_OPTBOOL_FALSE ? "false" : "null";
}

/* Prints a deletion result: the same for every provider. */
static void print_deletion(const ik_deletion *del) {
  printf("  deleted  %s  deleted=%s (HTTP %d)\n", or_dash(ik_deletion_id(del)), optbool_name(ik_deletion_deleted(del)),
         ik_response_http_status(ik_deletion_response(del)));
}

/* Prints the items of any page without looking at their kind: the id and the
 * start of the item's JSON. The JSON is a slice of the page body, not
 * NUL-terminated: it is printed with its length. */
static void print_page_items(const ik_page *page) {
  size_t k;
  for (k = 0; k < ik_page_count(page); k++) {
    const uint8_t *data = NULL;
    size_t len = 0, shown;
    if (!ik_page_item_raw_json(page, k, &data, &len)) {
      fprintf(stderr, "  FAILED item %zu of the page has no JSON\n", k);
      failures++;
      continue;
    }
    shown = len > 60 ? 60 : len;
    printf("    %-34s %4zu bytes  %.*s%s\n", or_dash(ik_page_item_id(page, k)), len, (int)shown, (const char *)data,
           shown < len ? "..." : "");
  }
}

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && *v ? v : fallback;
}

static void openai_demo(const ik_client *client) {
  ik_error *err = NULL;
  ik_openai_invite *inv = NULL;
  ik_openai_project_ref projects[1] = {{"proj_quickstart", "member"}};
  ik_openai_invite_create_params params = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  char id[128] = {0};
  int i;

  printf("\n== OpenAI organization invites ==\n");
  params.email = "ada@example.com";
  params.role = "reader";
  params.send_projects = IK_OPTBOOL_TRUE;
  params.projects = projects;
  params.projects_count = 1;
  if (!ok("invites.create", ik_openai_invite_create(client, &params, NULL, &inv, &err), err)) return;
  snprintf(id, sizeof id, "%s", ik_openai_invite_id(inv));
  printf("  created  %s  %s  role=%s status=%s projects=%zu (request id %s)\n", id, ik_openai_invite_email(inv),
         ik_openai_invite_role(inv), ik_openai_invite_status(inv), ik_openai_invite_project_count(inv),
         or_dash(ik_response_request_id(ik_openai_invite_response(inv))));
  ik_openai_invite_free(inv);

  /* a few more, so that listing spans several pages */
  for (i = 0; i < 4; i++) {
    char email[64];
    snprintf(email, sizeof email, "user%d@example.com", i);
    params.email = email;
    params.send_projects = IK_OPTBOOL_UNSET; /* omitted: the user joins the default project */
    params.projects = NULL;
    params.projects_count = 0;
    if (ok("invites.create", ik_openai_invite_create(client, &params, NULL, &inv, &err), err))
      ik_openai_invite_free(inv);
  }

  if (ok("invites.retrieve", ik_openai_invite_retrieve(client, id, NULL, &inv, &err), err)) {
    int64_t expires = 0;
    int has_expiry = ik_openai_invite_expires_at_unix(inv, &expires);
    printf("  fetched  %s  expires_at=%s%lld\n", ik_openai_invite_id(inv), has_expiry ? "" : "null ",
           (long long)(has_expiry ? expires : 0));
    ik_openai_invite_free(inv);
  }

  {
    ik_list_options lopts = IK_LIST_OPTIONS_INIT;
    ik_pager *pager = NULL;
    ik_page *page = NULL;
    int pages = 0;
    lopts.page_size = 2; /* small pages to show pagination */
    if (ok("invites pager", ik_openai_invite_pager(client, &lopts, &pager, &err), err)) {
      while (ok("invites.list", ik_pager_next_page(pager, NULL, &page, &err), err) && page) {
        pages++;
        printf("  page %d: %zu invites%s\n", pages, ik_page_count(page), ik_page_has_more(page) ? "  (more...)" : "");
        print_page_items(page);
        ik_page_free(page);
        page = NULL;
      }
      printf("  listed   %lld invites in %d pages\n", (long long)ik_pager_items_delivered(pager), pages);
      ik_pager_free(pager);
    }
  }

  {
    ik_deletion *del = NULL;
    if (ok("invites.delete", ik_openai_invite_delete(client, id, NULL, &del, &err), err)) {
      print_deletion(del);
      if (ik_deletion_deleted(del) != IK_OPTBOOL_TRUE) {
        fprintf(stderr, "  FAILED invites.delete: the server did not confirm the deletion\n");
        failures++;
      }
      ik_deletion_free(del);
    }
  }
  /* fetching it again must now fail with "not found" */
  {
    ik_status st = ik_openai_invite_retrieve(client, id, NULL, &inv, &err);
    if (st == IK_STATUS_NOT_FOUND) {
      printf("  refetch  -> %s (as expected)\n", ik_status_str(st));
      ik_error_free(err);
    } else {
      fprintf(stderr, "  FAILED refetch after delete gave %s\n", ik_status_name(st));
      if (st == IK_STATUS_OK)
        ik_openai_invite_free(inv);
      else
        ik_error_free(err);
      failures++;
    }
  }
}

static void twilio_invites_demo(const ik_client *client) {
  ik_error *err = NULL;
  ik_twilio_invite *inv = NULL;
  char sid[64] = {0};
  const char *filter[2] = {"grace", "alan"};
  ik_list_options lopts = IK_LIST_OPTIONS_INIT;
  ik_pager *pager = NULL;
  int i;

  printf("\n== Twilio Chat v1 channel invites ==\n");
  if (!ok("invites.create", ik_twilio_invite_create(client, SERVICE, CHANNEL, "grace", NULL, NULL, &inv, &err), err))
    return;
  snprintf(sid, sizeof sid, "%s", ik_twilio_invite_sid(inv));
  printf("  created  %s  identity=%s created %s\n", sid, ik_twilio_invite_identity(inv),
         or_dash(ik_twilio_invite_date_created(inv)));
  ik_twilio_invite_free(inv);
  for (i = 0; i < 3; i++) {
    const char *who[3] = {"alan", "barbara", "edsger"};
    if (ok("invites.create", ik_twilio_invite_create(client, SERVICE, CHANNEL, who[i], NULL, NULL, &inv, &err), err))
      ik_twilio_invite_free(inv);
  }
  if (ok("invites.fetch", ik_twilio_invite_fetch(client, SERVICE, CHANNEL, sid, NULL, &inv, &err), err)) {
    printf("  fetched  %s  url=%s\n", ik_twilio_invite_sid(inv), or_dash(ik_twilio_invite_url(inv)));
    ik_twilio_invite_free(inv);
  }
  lopts.page_size = 1;
  if (ok("invites pager", ik_twilio_invite_pager(client, SERVICE, CHANNEL, filter, 2, &lopts, &pager, &err), err)) {
    ik_twilio_invite *item = NULL;
    printf("  list (Identity=grace&Identity=alan, 1 per page):");
    while (ok("invites.list", ik_pager_next_twilio_invite(pager, NULL, &item, &err), err) && item) {
      printf(" %s", ik_twilio_invite_identity(item));
      ik_twilio_invite_free(item);
    }
    printf("\n");
    ik_pager_free(pager);
  }
  {
    ik_deletion *del = NULL;
    if (ok("invites.delete", ik_twilio_invite_delete(client, SERVICE, CHANNEL, sid, NULL, &del, &err), err)) {
      print_deletion(del);
      ik_deletion_free(del);
    }
  }
}

static void twilio_users_demo(const ik_client *client) {
  ik_error *err = NULL;
  ik_twilio_user *user = NULL;
  ik_twilio_user_params params = IK_TWILIO_USER_PARAMS_INIT;
  const char *identity = "ciao#hola/é"; /* needs path encoding: the official SDKs get this wrong */
  ik_list_options lopts = IK_LIST_OPTIONS_INIT;
  ik_pager *pager = NULL;
  ik_page *page = NULL;

  printf("\n== Twilio Chat v2 users ==\n");
  params.identity = identity;
  params.friendly_name = "Ciao";
  params.attributes = "{\"team\":\"quickstart\"}";
  params.webhook_enabled = IK_OPTBOOL_FALSE;
  if (!ok("users.create", ik_twilio_user_create(client, SERVICE, &params, NULL, &user, &err), err)) return;
  printf("  created  %s  identity=%s attributes=%s\n", ik_twilio_user_sid(user), ik_twilio_user_identity(user),
         or_dash(ik_twilio_user_attributes(user)));
  ik_twilio_user_free(user);

  if (ok("users.fetch", ik_twilio_user_fetch(client, SERVICE, identity, NULL, &user, &err), err)) {
    int64_t joined = 0;
    int has_joined = ik_twilio_user_joined_channels_count(user, &joined);
    printf("  fetched by identity  %s  is_online=%s joined_channels=%s%lld\n", ik_twilio_user_sid(user),
           optbool_name(ik_twilio_user_is_online(user)), has_joined ? "" : "null ", (long long)joined);
    ik_twilio_user_free(user);
  }

  params.identity = NULL; /* an update cannot change the identity */
  params.friendly_name = "Ciao Hola";
  params.attributes = NULL;
  if (ok("users.update", ik_twilio_user_update(client, SERVICE, identity, &params, NULL, &user, &err), err)) {
    printf("  updated  friendly_name=%s\n", or_dash(ik_twilio_user_friendly_name(user)));
    ik_twilio_user_free(user);
  }

  if (ok("users pager", ik_twilio_user_pager(client, SERVICE, &lopts, &pager, &err), err)) {
    while (ok("users.list", ik_pager_next_page(pager, NULL, &page, &err), err) && page) {
      int64_t number = 0;
      ik_page_twilio_page(page, &number);
      printf("  page %lld: %zu users\n", (long long)number, ik_page_count(page));
      print_page_items(page);
      ik_page_free(page);
      page = NULL;
    }
    ik_pager_free(pager);
  }

  {
    ik_deletion *del = NULL;
    if (ok("users.delete", ik_twilio_user_delete(client, SERVICE, identity, NULL, &del, &err), err)) {
      print_deletion(del);
      ik_deletion_free(del);
    }
  }
}

static void fastly_demo(const ik_client *client) {
  ik_error *err = NULL;
  ik_fastly_invitation *inv = NULL;
  ik_fastly_invitation_create_params params = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  ik_fastly_service_grant grants[1] = {{"6yrrdleXQ9QDtum9rMB0nr", "purge_all"}};
  char id[64] = {0};
  ik_list_options lopts = IK_LIST_OPTIONS_INIT;
  ik_pager *pager = NULL;
  int i;

  printf("\n== Fastly invitations ==\n");
  params.email = "thelma@example.com";
  params.role = "engineer";
  params.limit_services = IK_OPTBOOL_TRUE;
  params.customer_id = "44tb1D3asjhhuh2SH8e8YD";
  params.services = grants;
  params.services_count = 1;
  if (!ok("invitations.create", ik_fastly_invitation_create(client, &params, NULL, &inv, &err), err)) return;
  snprintf(id, sizeof id, "%s", ik_fastly_invitation_id(inv));
  printf("  created  %s  %s role=%s\n", id, ik_fastly_invitation_email(inv), or_dash(ik_fastly_invitation_role(inv)));
  ik_fastly_invitation_free(inv);
  for (i = 0; i < 3; i++) {
    char email[64];
    snprintf(email, sizeof email, "louise%d@example.com", i);
    params.email = email;
    if (ok("invitations.create", ik_fastly_invitation_create(client, &params, NULL, &inv, &err), err))
      ik_fastly_invitation_free(inv);
  }
  lopts.page_size = 2;
  if (ok("invitations pager", ik_fastly_invitation_pager(client, &lopts, &pager, &err), err)) {
    ik_page *page = NULL;
    while (ok("invitations.list", ik_pager_next_page(pager, NULL, &page, &err), err) && page) {
      int64_t current = 0, total = 0;
      ik_page_fastly_current_page(page, &current);
      ik_page_fastly_total_pages(page, &total);
      printf("  page %lld of %lld: %zu invitations\n", (long long)current, (long long)total, ik_page_count(page));
      print_page_items(page);
      ik_page_free(page);
      page = NULL;
    }
    ik_pager_free(pager);
  }
  {
    ik_deletion *del = NULL;
    if (ok("invitations.delete", ik_fastly_invitation_delete(client, id, NULL, &del, &err), err)) {
      int64_t remaining = 0;
      print_deletion(del);
      if (ik_response_ratelimit_remaining(ik_deletion_response(del), &remaining))
        printf("  rate limit remaining %lld\n", (long long)remaining);
      ik_deletion_free(del);
    }
  }
}

int main(int argc, char **argv) {
  const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
  char openai_base[512];
  ik_client_options opts = IK_CLIENT_OPTIONS_INIT;
  ik_client *client = NULL;
  ik_error *err = NULL;

  snprintf(openai_base, sizeof openai_base, "%s/v1", base);
  opts.twilio_account_sid = env_or("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000");
  opts.twilio_auth_token = env_or("TWILIO_AUTH_TOKEN", "emulator-twilio-token");
  opts.openai_admin_key = env_or("OPENAI_ADMIN_KEY", "sk-admin-emulator");
  opts.fastly_api_token = env_or("FASTLY_API_TOKEN", "emulator-fastly-token");
  opts.twilio_base_url = base;
  opts.openai_base_url = openai_base;
  opts.fastly_base_url = base;
  opts.user_agent_suffix = "quickstart";

  printf("invitekit %s (ABI %s) against %s\n", ik_version_string(), ik_abi_version(), base);
  if (!ok("ik_client_new", ik_client_new(&opts, &client, &err), err)) return 1;

  openai_demo(client);
  twilio_invites_demo(client);
  twilio_users_demo(client);
  fastly_demo(client);

  printf("\n%s: %lld connection(s) opened for all of the above\n", failures ? "FAILED" : "OK",
         (long long)ik_client_connections_opened(client));
  ik_client_free(client);
  return failures ? 1 : 0;
}
