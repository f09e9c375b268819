/*
 * async.c - non-blocking calls with invitekit (invitekit/async.h): invite a
 * batch of people from one thread without waiting for each answer, then wait
 * for the batch and print what completed. The completion callbacks run on the
 * client's I/O thread; this program counts them under a mutex.
 *
 *   async [BASE_URL]
 *
 * BASE_URL defaults to OPENAI_BASE_URL or https://api.openai.com/v1; the
 * admin key comes from OPENAI_ADMIN_KEY (default: the emulator's key).
 */
#define _POSIX_C_SOURCE 200809L
#include <invitekit/invitekit.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 20

struct batch {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int completed;
  int ok;
  int failed;
};

/* One completion per invite: take the result (or the error), print a line. */
static void on_invite(ik_op *op, void *user_data) {
  struct batch *b = user_data;
  ik_openai_invite *inv = NULL;
  ik_error *err = NULL;
  if (ik_op_status(op) == IK_STATUS_OK && ik_op_take_openai_invite(op, &inv, NULL) == IK_STATUS_OK && inv) {
    printf("invited %s: %s\n", ik_openai_invite_email(inv), ik_openai_invite_id(inv));
  } else if (ik_op_take_error(op, &err, NULL) == IK_STATUS_OK && err) {
    printf("failed: %s: %s\n", ik_status_name(ik_error_status(err)), ik_error_message(err));
  }
  pthread_mutex_lock(&b->mu);
  b->completed++;
  if (inv)
    b->ok++;
  else
    b->failed++;
  pthread_cond_signal(&b->cv);
  pthread_mutex_unlock(&b->mu);
  ik_openai_invite_free(inv);
  ik_error_free(err);
}

/* The list below is waited for through its handle; its callback has nothing to do. */
static void on_invite_list_noop(ik_op *op, void *user_data) {
  (void)op;
  (void)user_data;
}

int main(int argc, char **argv) {
  ik_client_options opts = IK_CLIENT_OPTIONS_INIT;
  ik_openai_invite_create_params params = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  ik_client *client = NULL;
  ik_error *err = NULL;
  ik_op *list_op = NULL;
  ik_page *page = NULL;
  struct batch b;
  char base[512];
  char email[64];
  int started = 0;
  int i;

  if (argc > 1) {
    snprintf(base, sizeof base, "%s/v1", argv[1]);
    opts.openai_base_url = base;
  }
  if (!getenv("OPENAI_ADMIN_KEY")) opts.openai_admin_key = "sk-admin-emulator";
  opts.max_connections = 8; /* the engine's connection limit (ik_client_options version 2) */
  if (ik_client_new(&opts, &client, &err) != IK_STATUS_OK) {
    fprintf(stderr, "ik_client_new: %s\n", ik_error_message(err));
    ik_error_free(err);
    return 1;
  }
  memset(&b, 0, sizeof b);
  pthread_mutex_init(&b.mu, NULL);
  pthread_cond_init(&b.cv, NULL);

  /* Start the whole batch: each call returns at once; the library copies its inputs. */
  params.role = "reader";
  for (i = 0; i < BATCH; ++i) {
    snprintf(email, sizeof email, "async%02d@example.com", i);
    params.email = email;
    if (ik_openai_invite_create_start(client, &params, NULL, on_invite, &b, NULL, &err) != IK_STATUS_OK) {
      fprintf(stderr, "start: %s\n", ik_error_message(err)); /* the callback will not run */
      ik_error_free(err);
      err = NULL;
      continue;
    }
    ++started;
  }
  printf("started %d invites; %lld in flight\n", started, (long long)ik_client_ops_in_flight(client));

  /* Wait for the batch. */
  pthread_mutex_lock(&b.mu);
  while (b.completed < started) pthread_cond_wait(&b.cv, &b.mu);
  pthread_mutex_unlock(&b.mu);
  printf("completed %d: %d ok, %d failed\n", b.completed, b.ok, b.failed);

  /* With a handle instead of a counter: list the first page and wait for that one operation. */
  if (ik_openai_invite_list_start(client, NULL, NULL, on_invite_list_noop, NULL, &list_op, &err) != IK_STATUS_OK) {
    fprintf(stderr, "list start: %s\n", ik_error_message(err));
    ik_error_free(err);
  } else {
    if (ik_op_wait(list_op, 10000, &err) == IK_STATUS_OK && ik_op_status(list_op) == IK_STATUS_OK &&
        ik_op_take_page(list_op, &page, NULL) == IK_STATUS_OK && page) {
      printf("the first page lists %zu invites\n", ik_page_count(page));
      ik_page_free(page);
    } else {
      printf("list failed: %s\n", err ? ik_error_message(err) : ik_status_name(ik_op_status(list_op)));
      ik_error_free(err);
    }
    ik_op_free(list_op);
  }

  ik_client_free(client); /* nothing is in flight; it would cancel and complete anything that were */
  pthread_cond_destroy(&b.cv);
  pthread_mutex_destroy(&b.mu);
  return b.ok == BATCH ? 0 : 1;
}
