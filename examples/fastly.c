/*
 * examples/fastly.c - Fastly invitations with invitekit, in plain C99.
 *
 *   usage: example-fastly BASE_URL
 *
 * BASE_URL replaces https://api.fastly.com, e.g. the address printed by
 * `invitekit-emulator --port 0`. The API token comes from FASTLY_API_TOKEN
 * (or FASTLY_API_KEY) when set, else the emulator's default.
 *
 * It creates three invitations (one with IAM roles, a customer and a service
 * grant), lists them page by page with a pager (2 per page), shows the
 * rate-limit headers, deletes them, and checks that they are gone.
 * Exit status: 0 when everything behaved as expected, 1 otherwise.
 */
#include <invitekit/invitekit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_INVITES 3

static const char *show(const char *s) { return s ? s : "(null)"; }

static const char *optbool_name(ik_optbool v) {
  return v == IK_OPTBOOL_TRUE ? "true" : v == IK_OPTBOOL_FALSE ? "false" : "null";
}

/* An optional integer as text: its value, or "null" when absent. */
static const char *opt_int(char *buf, size_t size, int present, int64_t v) {
  if (present)
    snprintf(buf, size, "%lld", (long long)v);
  else
    snprintf(buf, size, "null");
  return buf;
}

static int report(const char *what, ik_status st, ik_error *err) {
  fprintf(stderr, "FAILED: %s: %s (%s)\n", what, ik_status_name(st), err ? ik_error_message(err) : "no details");
  if (err) {
    if (ik_error_http_status(err)) fprintf(stderr, "  HTTP status:   %d\n", (int)ik_error_http_status(err));
    if (ik_error_provider_code(err)) fprintf(stderr, "  Fastly code:   %s\n", ik_error_provider_code(err));
    if (ik_error_provider_message(err)) fprintf(stderr, "  Fastly says:   %s\n", ik_error_provider_message(err));
  }
  ik_error_free(err);
  return 1;
}

static void print_invitation(const char *prefix, const ik_fastly_invitation *inv) {
  int64_t status = 0;
  char status_text[32];
  size_t i;
  const int has_status = ik_fastly_invitation_status_code(inv, &status);
  printf("%s%s  email=%s role=%s limit_services=%s status_code=%s created_at=%s", prefix,
         show(ik_fastly_invitation_id(inv)), show(ik_fastly_invitation_email(inv)),
         show(ik_fastly_invitation_role(inv)), optbool_name(ik_fastly_invitation_limit_services(inv)),
         opt_int(status_text, sizeof status_text, has_status, status), show(ik_fastly_invitation_created_at(inv)));
  for (i = 0; i < ik_fastly_invitation_role_count(inv); ++i)
    printf("%s%s", i == 0 ? " roles=" : ",", ik_fastly_invitation_role_at(inv, i));
  if (ik_fastly_invitation_customer_id(inv)) printf(" customer=%s", ik_fastly_invitation_customer_id(inv));
  printf("\n");
}

static void print_rate_limit(const ik_response *resp) {
  int64_t remaining = 0, reset = 0;
  if (ik_response_ratelimit_remaining(resp, &remaining))
    printf("  rate limit: %lld request(s) left", (long long)remaining);
  else
    printf("  rate limit: not reported");
  if (ik_response_ratelimit_reset_unix(resp, &reset)) printf(", resets at %lld (Unix time)", (long long)reset);
  printf("\n");
}

int main(int argc, char **argv) {
  ik_client_options opts = IK_CLIENT_OPTIONS_INIT;
  ik_client *client = NULL;
  ik_error *err = NULL;
  ik_status st;
  char ids[N_INVITES][128];
  const char *emails[N_INVITES] = {"thelma@example.com", "louise@example.com", "harlan@example.com"};
  const char *roles[1] = {"Q4rXe9vN1szK8a2fUjYtWp"};
  ik_fastly_service_grant grants[1];
  ik_pager *pager = NULL;
  int k, pages = 0, listed = 0, ours = 0, rc = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: %s BASE_URL   (e.g. the URL printed by invitekit-emulator)\n", argv[0]);
    return 2;
  }
  opts.fastly_base_url = argv[1];
  /* Explicit options win over the environment: only set the token when neither
   * FASTLY_API_TOKEN nor FASTLY_API_KEY is there, so the library reads those. */
  if (!getenv("FASTLY_API_TOKEN") && !getenv("FASTLY_API_KEY")) opts.fastly_api_token = "emulator-fastly-token";
  opts.user_agent_suffix = "example-fastly";
  opts.attempt_timeout_ms = 10000;

  st = ik_client_new(&opts, &client, &err);
  if (st != IK_STATUS_OK) return report("create client", st, err);
  printf("invitekit %s, Fastly base URL %s\n\n", ik_version_string(), ik_client_base_url(client, IK_PROVIDER_FASTLY));

  grants[0].service_id = "6yrrdleXQ9QDtum9rMB0nr";
  grants[0].permission = "purge_all";

  /* Create */
  for (k = 0; k < N_INVITES; ++k) {
    ik_fastly_invitation_create_params params = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
    ik_fastly_invitation *inv = NULL;
    params.email = emails[k];
    if (k == 0) {
      params.roles = roles;
      params.roles_count = 1;
      params.limit_services = IK_OPTBOOL_TRUE;
      params.customer_id = "44tb1D3asjhhuh2SH8e8YD";
      params.services = grants;
      params.services_count = 1;
    } else {
      params.role = k == 1 ? "engineer" : "billing";
    }
    st = ik_fastly_invitation_create(client, &params, NULL, &inv, &err);
    if (st != IK_STATUS_OK) {
      ik_client_free(client);
      return report("create invitation", st, err);
    }
    print_invitation("created  ", inv);
    print_rate_limit(ik_fastly_invitation_response(inv));
    snprintf(ids[k], sizeof ids[k], "%s", show(ik_fastly_invitation_id(inv)));
    ik_fastly_invitation_free(inv);
  }

  /* List: two per page, so the pager walks page[number] = 1, 2, ... */
  {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 2;
    st = ik_fastly_invitation_pager(client, &lo, &pager, &err);
    if (st != IK_STATUS_OK) {
      ik_client_free(client);
      return report("create pager", st, err);
    }
  }
  for (;;) {
    ik_page *page = NULL;
    int64_t current = 0, total = 0, records = 0;
    char current_text[32], total_text[32], records_text[32];
    size_t i;
    st = ik_pager_next_page(pager, NULL, &page, &err);
    if (st != IK_STATUS_OK) {
      ik_pager_free(pager);
      ik_client_free(client);
      return report("list invitations", st, err);
    }
    if (!page) break;
    ++pages;
    printf("page %s of %s (%zu invitation(s), %s in all)\n",
           opt_int(current_text, sizeof current_text, ik_page_fastly_current_page(page, &current), current),
           opt_int(total_text, sizeof total_text, ik_page_fastly_total_pages(page, &total), total), ik_page_count(page),
           opt_int(records_text, sizeof records_text, ik_page_fastly_record_count(page, &records), records));
    for (i = 0; i < ik_page_count(page); ++i) {
      const ik_fastly_invitation *inv = ik_page_fastly_invitation_at(page, i);
      print_invitation("  listed ", inv);
      ++listed;
      for (k = 0; k < N_INVITES; ++k)
        if (strcmp(show(ik_fastly_invitation_id(inv)), ids[k]) == 0) ++ours;
    }
    ik_page_free(page);
  }
  ik_pager_free(pager);
  printf("listed %d invitation(s) on %d page(s)\n", listed, pages);
  if (ours != N_INVITES) {
    fprintf(stderr, "FAILED: %d of the %d invitations just created were listed\n", ours, N_INVITES);
    rc = 1;
  }

  /* Delete */
  for (k = 0; k < N_INVITES && rc == 0; ++k) {
    ik_deletion *del = NULL;
    st = ik_fastly_invitation_delete(client, ids[k], NULL, &del, &err);
    if (st != IK_STATUS_OK) {
      rc = report("delete invitation", st, err);
      break;
    }
    printf("deleted  %s  deleted=%s (HTTP %d)\n", show(ik_deletion_id(del)), optbool_name(ik_deletion_deleted(del)),
           (int)ik_response_http_status(ik_deletion_response(del)));
    print_rate_limit(ik_deletion_response(del));
    if (ik_deletion_deleted(del) != IK_OPTBOOL_TRUE || strcmp(show(ik_deletion_id(del)), ids[k]) != 0) {
      fprintf(stderr, "FAILED: expected the deletion of %s to be confirmed\n", ids[k]);
      rc = 1;
    }
    ik_deletion_free(del);
  }

  /* Deleting again fails: the error says why. */
  if (rc == 0) {
    st = ik_fastly_invitation_delete(client, ids[0], NULL, NULL, &err);
    if (st == IK_STATUS_OK) {
      fprintf(stderr, "FAILED: deleting %s twice succeeded\n", ids[0]);
      rc = 1;
    } else {
      printf("delete again: %s, HTTP %d: %s\n", ik_status_name(st), (int)ik_error_http_status(err),
             show(ik_error_provider_message(err) ? ik_error_provider_message(err) : ik_error_message(err)));
      ik_error_free(err);
      err = NULL;
    }
  }

  ik_client_free(client);
  printf(rc == 0 ? "\nOK\n" : "\nFAILED\n");
  return rc;
}
