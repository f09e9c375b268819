/*
 * ik_bench - the invitekit side of the benchmark suite (bench/run.py drives it).
 *
 *   ik_bench fetch  PROVIDER BASE_URL ID WARMUP N
 *       WARMUP untimed requests, then N timed ones, in sequence, one client.
 *       openai: ik_openai_invite_retrieve(ID); twilio: ik_twilio_user_fetch(ID)
 *       in service IS000...; fastly (no fetch): ik_fastly_invitation_list with
 *       page_size 1 (ID is ignored).
 *   ik_bench list   PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS
 *       iterates item by item with the provider's pager and
 *       ik_pager_next_<kind> (MAX_ITEMS 0 = all).
 *   ik_bench create PROVIDER BASE_URL THREADS N PREFIX WARMUP
 *       WARMUP untimed creates (they open the pooled connections), then N timed
 *       creates, from THREADS threads sharing one ik_client.
 *   ik_bench create_async PROVIDER BASE_URL IN_FLIGHT N PREFIX WARMUP
 *       The same on the non-blocking engine (ik_*_create_start): IN_FLIGHT creates
 *       are started, and each completion starts the next one from its callback.
 *       Also reports the process's thread count while the run is going.
 *
 * Prints one JSON object on stdout: counts, wall_us and cpu_us of the timed
 * part, maxrss_kb (peak RSS of the whole process), and for list and fetch the
 * minor page faults (minflt) and context switches (ctxsw) of the timed part.
 * Exit 1 on any error.
 * Instruction counts come from running this program under callgrind (run.py).
 */
#define _GNU_SOURCE
#include <invitekit/invitekit.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "measure.h"

#define TWILIO_SID     "AC00000000000000000000000000000000"
#define TWILIO_TOKEN   "emulator-twilio-token"
#define TWILIO_SERVICE "IS00000000000000000000000000000000"
#define OPENAI_KEY     "sk-admin-emulator"
#define FASTLY_TOKEN   "emulator-fastly-token"

static void die(const char *what, ik_status st, ik_error *err) {
  fprintf(stderr, "ik_bench: %s failed: %s: %s\n", what, ik_status_name(st), err ? ik_error_message(err) : "");
  ik_error_free(err);
  exit(1);
}

static ik_client *make_client(const char *base) {
  char openai_base[1024];
  snprintf(openai_base, sizeof openai_base, "%s/v1", base);
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
  o.openai_admin_key = OPENAI_KEY;
  o.openai_base_url = openai_base;
  o.twilio_account_sid = TWILIO_SID;
  o.twilio_auth_token = TWILIO_TOKEN;
  o.twilio_base_url = base;
  o.fastly_api_token = FASTLY_TOKEN;
  o.fastly_base_url = base;
  ik_client *c = NULL;
  ik_error *err = NULL;
  ik_status st = ik_client_new(&o, &c, &err);
  if (st != IK_STATUS_OK) die("ik_client_new", st, err);
  return c;
}

enum { P_OPENAI, P_TWILIO, P_FASTLY };

static int provider_of(const char *s) {
  if (!strcmp(s, "openai")) return P_OPENAI;
  if (!strcmp(s, "twilio")) return P_TWILIO;
  if (!strcmp(s, "fastly")) return P_FASTLY;
  fprintf(stderr, "ik_bench: unknown provider %s\n", s);
  exit(2);
}

static long threads_now(void);

static volatile size_t sink; /* keeps the reads of results from being optimised away */

static void fetch_one(const ik_client *c, int prov, const char *id) {
  ik_error *err = NULL;
  ik_status st;
  switch (prov) {
    case P_OPENAI: {
      ik_openai_invite *inv = NULL;
      st = ik_openai_invite_retrieve(c, id, NULL, &inv, &err);
      if (st != IK_STATUS_OK) die("ik_openai_invite_retrieve", st, err);
      sink += strlen(ik_openai_invite_email(inv));
      ik_openai_invite_free(inv);
      break;
    }
    case P_TWILIO: {
      ik_twilio_user *u = NULL;
      st = ik_twilio_user_fetch(c, TWILIO_SERVICE, id, NULL, &u, &err);
      if (st != IK_STATUS_OK) die("ik_twilio_user_fetch", st, err);
      sink += strlen(ik_twilio_user_identity(u));
      ik_twilio_user_free(u);
      break;
    }
    default: {
      ik_list_options lo = IK_LIST_OPTIONS_INIT;
      lo.page_size = 1;
      ik_page *page = NULL;
      st = ik_fastly_invitation_list(c, &lo, NULL, &page, &err);
      if (st != IK_STATUS_OK) die("ik_fastly_invitation_list", st, err);
      if (ik_page_count(page) != 1) die("fastly list: expected one item", IK_STATUS_INTERNAL, NULL);
      sink += strlen(ik_fastly_invitation_email(ik_page_fastly_invitation_at(page, 0)));
      ik_page_free(page);
      break;
    }
  }
}

/* The JSON line of a list or fetch run: its count under `what`, the timed
 * part's usage, the peak RSS and the connections the client opened. */
static void print_run(const char *what, long count, run_usage u, ik_client *c) {
  printf(
      "{\"%s\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld,\"connections\":%lld,\"minflt\":%lld,"
      "\"ctxsw\":%lld}\n",
      what, count, (long long)u.wall_us, (long long)u.cpu_us, maxrss_kb(), (long long)ik_client_connections_opened(c),
      (long long)u.minflt, (long long)u.ctxsw);
}

static int cmd_fetch(int argc, char **argv) {
  if (argc != 7) return 2;
  int prov = provider_of(argv[2]);
  const char *base = argv[3], *id = argv[4];
  long warm = atol(argv[5]), n = atol(argv[6]);
  ik_client *c = make_client(base);
  for (long i = 0; i < warm; i++) fetch_one(c, prov, id);
  const run_usage u0 = usage_now();
  for (long i = 0; i < n; i++) fetch_one(c, prov, id);
  print_run("requests", n, usage_since(u0), c);
  ik_client_free(c);
  return 0;
}

static int cmd_list(int argc, char **argv) {
  if (argc != 6) return 2;
  int prov = provider_of(argv[2]);
  const char *base = argv[3];
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = atoi(argv[4]);
  lo.max_items = atoll(argv[5]);
  const run_usage u0 = usage_now();
  ik_client *c = make_client(base);
  ik_pager *pager = NULL;
  ik_error *err = NULL;
  ik_status st;
  if (prov == P_OPENAI)
    st = ik_openai_invite_pager(c, &lo, &pager, &err);
  else if (prov == P_TWILIO)
    st = ik_twilio_user_pager(c, TWILIO_SERVICE, &lo, &pager, &err);
  else
    st = ik_fastly_invitation_pager(c, &lo, &pager, &err);
  if (st != IK_STATUS_OK) die("pager", st, err);
  long items = 0;
  for (;;) {
    if (prov == P_OPENAI) {
      ik_openai_invite *inv = NULL;
      st = ik_pager_next_openai_invite(pager, NULL, &inv, &err);
      if (st != IK_STATUS_OK) die("ik_pager_next_openai_invite", st, err);
      if (!inv) break;
      sink += strlen(ik_openai_invite_id(inv)) + strlen(ik_openai_invite_email(inv));
      ik_openai_invite_free(inv);
    } else if (prov == P_TWILIO) {
      ik_twilio_user *u = NULL;
      st = ik_pager_next_twilio_user(pager, NULL, &u, &err);
      if (st != IK_STATUS_OK) die("ik_pager_next_twilio_user", st, err);
      if (!u) break;
      sink += strlen(ik_twilio_user_sid(u)) + strlen(ik_twilio_user_identity(u));
      ik_twilio_user_free(u);
    } else {
      ik_fastly_invitation *inv = NULL;
      st = ik_pager_next_fastly_invitation(pager, NULL, &inv, &err);
      if (st != IK_STATUS_OK) die("ik_pager_next_fastly_invitation", st, err);
      if (!inv) break;
      sink += strlen(ik_fastly_invitation_id(inv)) + strlen(ik_fastly_invitation_email(inv));
      ik_fastly_invitation_free(inv);
    }
    items++;
  }
  ik_pager_free(pager);
  print_run("items", items, usage_since(u0), c);
  ik_client_free(c);
  return 0;
}

struct create_ctx {
  const ik_client *client;
  int prov;
  long n, warm;
  const char *prefix;
  atomic_long next, next_warm;
  pthread_barrier_t go;
};

/* The inputs of create number i, the same for the blocking and the
 * non-blocking runs: its unique name in buf and the provider's params. */
struct create_input {
  char buf[256];
  ik_openai_invite_create_params openai;
  ik_twilio_user_params twilio;
  ik_fastly_invitation_create_params fastly;
};

static void create_input_init(struct create_input *in, int prov, const char *prefix, const char *tag, long i) {
  const ik_openai_invite_create_params oa = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  const ik_twilio_user_params tw = IK_TWILIO_USER_PARAMS_INIT;
  const ik_fastly_invitation_create_params fa = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  in->openai = oa;
  in->twilio = tw;
  in->fastly = fa;
  snprintf(in->buf, sizeof in->buf, prov == P_TWILIO ? "%s%s-%ld" : "%s%s-%ld@example.com", prefix, tag, i);
  in->openai.email = in->buf;
  in->openai.role = "reader";
  in->twilio.identity = in->buf;
  in->fastly.email = in->buf;
  in->fastly.role = "engineer";
}

static void create_one(struct create_ctx *ctx, const char *tag, long i) {
  struct create_input in;
  ik_error *err = NULL;
  ik_status st;
  create_input_init(&in, ctx->prov, ctx->prefix, tag, i);
  if (ctx->prov == P_OPENAI) {
    ik_openai_invite *inv = NULL;
    st = ik_openai_invite_create(ctx->client, &in.openai, NULL, &inv, &err);
    if (st != IK_STATUS_OK) die("ik_openai_invite_create", st, err);
    ik_openai_invite_free(inv);
  } else if (ctx->prov == P_TWILIO) {
    ik_twilio_user *u = NULL;
    st = ik_twilio_user_create(ctx->client, TWILIO_SERVICE, &in.twilio, NULL, &u, &err);
    if (st != IK_STATUS_OK) die("ik_twilio_user_create", st, err);
    ik_twilio_user_free(u);
  } else {
    ik_fastly_invitation *inv = NULL;
    st = ik_fastly_invitation_create(ctx->client, &in.fastly, NULL, &inv, &err);
    if (st != IK_STATUS_OK) die("ik_fastly_invitation_create", st, err);
    ik_fastly_invitation_free(inv);
  }
}

/* Warm-up creates (untimed: they open the pooled connections), a barrier, then
 * the timed creates. */
static void *create_worker(void *arg) {
  struct create_ctx *ctx = arg;
  pthread_barrier_wait(&ctx->go);
  for (long i; (i = atomic_fetch_add(&ctx->next_warm, 1)) < ctx->warm;) create_one(ctx, "-warm", i);
  pthread_barrier_wait(&ctx->go);
  for (long i; (i = atomic_fetch_add(&ctx->next, 1)) < ctx->n;) create_one(ctx, "", i);
  return NULL;
}

static int cmd_create(int argc, char **argv) {
  if (argc != 8) return 2;
  struct create_ctx ctx;
  ctx.prov = provider_of(argv[2]);
  int threads = atoi(argv[4]);
  ctx.n = atol(argv[5]);
  ctx.prefix = argv[6];
  ctx.warm = atol(argv[7]);
  atomic_init(&ctx.next, 0);
  atomic_init(&ctx.next_warm, 0);
  if (threads < 1 || threads > 1024) return 2;
  pthread_barrier_init(&ctx.go, NULL, (unsigned)threads + 1);
  ik_client *c = make_client(argv[3]);
  ctx.client = c;
  pthread_t *tids = calloc((size_t)threads, sizeof *tids);
  for (int t = 0; t < threads; t++)
    if (pthread_create(&tids[t], NULL, create_worker, &ctx) != 0) die("pthread_create", IK_STATUS_INTERNAL, NULL);
  pthread_barrier_wait(&ctx.go); /* start of the warm-up */
  pthread_barrier_wait(&ctx.go); /* end of the warm-up */
  int64_t conns_warm = ik_client_connections_opened(c);
  int64_t w0 = now_us(), c0 = cpu_us();
  long peak = threads_now(); /* every worker is running */
  for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
  int64_t w1 = now_us(), c1 = cpu_us();
  printf(
      "{\"created\":%ld,\"warmup\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld,"
      "\"connections_after_warmup\":%lld,\"connections\":%lld,\"threads_peak\":%ld}\n",
      ctx.n, ctx.warm, (long long)(w1 - w0), (long long)(c1 - c0), maxrss_kb(), (long long)conns_warm,
      (long long)ik_client_connections_opened(c), peak);
  free(tids);
  pthread_barrier_destroy(&ctx.go);
  ik_client_free(c);
  return 0;
}

/* Threads of this process now (/proc/self/status). */
static long threads_now(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long n = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "Threads:", 8)) n = atol(line + 8);
  fclose(f);
  return n;
}

struct async_ctx {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  const ik_client *client;
  int prov;
  const char *prefix, *tag;
  long next, n; /* next index to start, how many in this phase */
  long in_flight;
  long failed;
};

static void start_create(struct async_ctx *a, long i);

/* A completion starts the next create itself (on the client's I/O thread), as
 * an event-driven program would; the main thread only waits for the end. */
static void on_created(ik_op *op, void *user_data) {
  struct async_ctx *a = user_data;
  if (ik_op_status(op) != IK_STATUS_OK) {
    ik_error *err = NULL;
    ik_op_take_error(op, &err, NULL);
    fprintf(stderr, "ik_bench: create failed: %s\n", err ? ik_error_message(err) : "?");
    ik_error_free(err);
  }
  /* Results not taken are freed with the operation. */
  long i = -1;
  pthread_mutex_lock(&a->mu);
  if (ik_op_status(op) != IK_STATUS_OK) a->failed++;
  if (a->next < a->n) {
    i = a->next++;
  } else {
    a->in_flight--;
    pthread_cond_signal(&a->cv);
  }
  pthread_mutex_unlock(&a->mu);
  if (i >= 0) start_create(a, i);
}

static void start_create(struct async_ctx *a, long i) {
  struct create_input in;
  ik_error *err = NULL;
  ik_status st;
  create_input_init(&in, a->prov, a->prefix, a->tag, i);
  if (a->prov == P_OPENAI)
    st = ik_openai_invite_create_start(a->client, &in.openai, NULL, on_created, a, NULL, &err);
  else if (a->prov == P_TWILIO)
    st = ik_twilio_user_create_start(a->client, TWILIO_SERVICE, &in.twilio, NULL, on_created, a, NULL, &err);
  else
    st = ik_fastly_invitation_create_start(a->client, &in.fastly, NULL, on_created, a, NULL, &err);
  if (st != IK_STATUS_OK) die("create_start", st, err);
}

/* n creates with at most limit in flight; returns the thread count seen mid-run. */
static long run_async(struct async_ctx *a, const char *tag, long n, long limit) {
  long first = n < limit ? n : limit;
  pthread_mutex_lock(&a->mu);
  a->tag = tag;
  a->n = n;
  a->next = first;
  a->in_flight = first;
  pthread_mutex_unlock(&a->mu);
  for (long i = 0; i < first; i++) start_create(a, i);
  long peak = threads_now();
  pthread_mutex_lock(&a->mu);
  while (a->in_flight > 0) pthread_cond_wait(&a->cv, &a->mu);
  pthread_mutex_unlock(&a->mu);
  return peak;
}

static int cmd_create_async(int argc, char **argv) {
  if (argc != 8) return 2;
  long limit = atol(argv[4]), n = atol(argv[5]), warm = atol(argv[7]);
  if (limit < 1 || limit > 4096) return 2;
  struct async_ctx a;
  memset(&a, 0, sizeof a);
  pthread_mutex_init(&a.mu, NULL);
  pthread_cond_init(&a.cv, NULL);
  a.prov = provider_of(argv[2]);
  a.prefix = argv[6];
  ik_client *c = make_client(argv[3]);
  a.client = c;
  run_async(&a, "-warm", warm, limit);
  int64_t conns_warm = ik_client_connections_opened(c);
  int64_t w0 = now_us(), c0 = cpu_us();
  long peak = run_async(&a, "", n, limit);
  int64_t w1 = now_us(), c1 = cpu_us();
  if (a.failed) die("creates failed", IK_STATUS_INTERNAL, NULL);
  printf(
      "{\"created\":%ld,\"warmup\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld,"
      "\"connections_after_warmup\":%lld,\"connections\":%lld,\"threads_peak\":%ld}\n",
      n, warm, (long long)(w1 - w0), (long long)(c1 - c0), maxrss_kb(), (long long)conns_warm,
      (long long)ik_client_connections_opened(c), peak);
  ik_client_free(c);
  pthread_cond_destroy(&a.cv);
  pthread_mutex_destroy(&a.mu);
  return 0;
}

int main(int argc, char **argv) {
  int rc = 2;
  if (argc >= 2 && !strcmp(argv[1], "fetch"))
    rc = cmd_fetch(argc, argv);
  else if (argc >= 2 && !strcmp(argv[1], "list"))
    rc = cmd_list(argc, argv);
  else if (argc >= 2 && !strcmp(argv[1], "create"))
    rc = cmd_create(argc, argv);
  else if (argc >= 2 && !strcmp(argv[1], "create_async"))
    rc = cmd_create_async(argc, argv);
  if (rc == 2)
    fprintf(stderr,
            "usage: ik_bench fetch PROVIDER BASE_URL ID WARMUP N\n"
            "       ik_bench list PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS\n"
            "       ik_bench create PROVIDER BASE_URL THREADS N PREFIX WARMUP\n"
            "       ik_bench create_async PROVIDER BASE_URL IN_FLIGHT N PREFIX WARMUP\n");
  return rc;
}
