/*
 * openai.c - OpenAI organization invites with invitekit: invite a user, read
 * the invite back, list invites page by page, delete it, and show what an
 * error carries.
 *
 *   openai [BASE_URL]
 *
 * BASE_URL defaults to OPENAI_BASE_URL or https://api.openai.com/v1; the
 * admin key comes from OPENAI_ADMIN_KEY (default: the emulator's key).
 */
#include <invitekit/invitekit.h>

#include <stdio.h>
#include <stdlib.h>

static void report(const char *what, ik_error *err) {
  fprintf(stderr, "%s failed: %s\n", what, ik_error_message(err));
  fprintf(stderr, "  status=%s http=%d provider_code=%s request_id=%s attempts=%d retryable=%d\n",
          ik_status_name(ik_error_status(err)), ik_error_http_status(err),
          ik_error_provider_code(err) ? ik_error_provider_code(err) : "-",
          ik_error_request_id(err) ? ik_error_request_id(err) : "-", ik_error_attempts(err),
          ik_error_is_retryable(err));
  ik_error_free(err);
}

int main(int argc, char **argv) {
  ik_client_options opts = IK_CLIENT_OPTIONS_INIT;
  ik_client *client = NULL;
  ik_error *err = NULL;
  ik_openai_invite *inv = NULL;
  ik_openai_invite_create_params params = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  ik_list_options list = IK_LIST_OPTIONS_INIT;
  ik_pager *pager = NULL;
  ik_page *page = NULL;
  ik_deletion *del = NULL;
  char base[512];
  char id[128];
  int rc = 0;

  if (argc > 1) {
    snprintf(base, sizeof base, "%s/v1", argv[1]);
    opts.openai_base_url = base;
  }
  if (!getenv("OPENAI_ADMIN_KEY")) opts.openai_admin_key = "sk-admin-emulator";
  if (ik_client_new(&opts, &client, &err) != IK_STATUS_OK) {
    report("ik_client_new", err);
    return 1;
  }
  printf("OpenAI base URL: %s\n", ik_client_base_url(client, IK_PROVIDER_OPENAI));

  /* projects omitted: the invitee joins the default project */
  params.email = "grace@example.com";
  params.role = "reader";
  if (ik_openai_invite_create(client, &params, NULL, &inv, &err) != IK_STATUS_OK) {
    report("create", err);
    ik_client_free(client);
    return 1;
  }
  snprintf(id, sizeof id, "%s", ik_openai_invite_id(inv));
  printf("invited %s as %s: %s\n", ik_openai_invite_email(inv), ik_openai_invite_role(inv), id);
  ik_openai_invite_free(inv);

  if (ik_openai_invite_retrieve(client, id, NULL, &inv, &err) == IK_STATUS_OK) {
    int64_t created = 0;
    ik_openai_invite_created_at_unix(inv, &created);
    printf("retrieved %s: status %s, created at %lld\n", id, ik_openai_invite_status(inv), (long long)created);
    ik_openai_invite_free(inv);
  } else {
    report("retrieve", err);
    err = NULL;
    rc = 1;
  }

  list.page_size = 10;
  if (ik_openai_invite_pager(client, &list, &pager, &err) == IK_STATUS_OK) {
    while (ik_pager_next_page(pager, NULL, &page, &err) == IK_STATUS_OK && page) {
      printf("page of %zu (first %s, last %s, more: %s)\n", ik_page_count(page),
             ik_page_openai_first_id(page) ? ik_page_openai_first_id(page) : "-",
             ik_page_openai_last_id(page) ? ik_page_openai_last_id(page) : "-", ik_page_has_more(page) ? "yes" : "no");
      ik_page_free(page);
      page = NULL;
    }
    if (err) {
      report("list", err);
      err = NULL;
      rc = 1;
    }
    ik_pager_free(pager);
  } else {
    report("pager", err);
    err = NULL;
    rc = 1;
  }

  if (ik_openai_invite_delete(client, id, NULL, &del, &err) == IK_STATUS_OK) {
    const ik_optbool deleted = ik_deletion_deleted(del);
    printf("deleted %s: deleted=%s, object %s\n", ik_deletion_id(del) ? ik_deletion_id(del) : "-",
           deleted == IK_OPTBOOL_TRUE    ? "true"
           : deleted == IK_OPTBOOL_FALSE ? "false"
                                         : "null",
           ik_deletion_object(del) ? ik_deletion_object(del) : "-");
    if (deleted != IK_OPTBOOL_TRUE) {
      fprintf(stderr, "the server did not confirm the deletion\n");
      rc = 1;
    }
    ik_deletion_free(del);
  } else {
    report("delete", err);
    err = NULL;
    rc = 1;
  }

  /* An error on purpose: the invite is gone. */
  if (ik_openai_invite_retrieve(client, id, NULL, &inv, &err) == IK_STATUS_NOT_FOUND) {
    printf("retrieving it again gives %s: %s\n", ik_status_name(ik_error_status(err)), ik_error_message(err));
    ik_error_free(err);
  } else {
    fprintf(stderr, "expected not found\n");
    if (err)
      ik_error_free(err);
    else
      ik_openai_invite_free(inv);
    rc = 1;
  }
  ik_client_free(client);
  return rc;
}
