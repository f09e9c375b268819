/*
 * raw_curl - the libcurl floor for the benchmark suite (bench/run.py drives it).
 *
 *   raw_curl fetch MODE URL WARMUP N [HEADER ...]
 *       WARMUP untimed then N timed GETs of URL, in sequence, one easy handle.
 *       MODE prod: what a production-grade client does at least: the given
 *         headers (Authorization, Accept, User-Agent), CURLOPT_NOSIGNAL,
 *         CURLOPT_TIMEOUT_MS/CONNECTTIMEOUT_MS, the body collected into a
 *         reused growable buffer, the HTTP status checked after every request.
 *       MODE bare: the bare minimum: URL, the given headers (only the
 *         credential is needed for a 200), a write callback that discards.
 *       MODE simdjson:PROVIDER: prod, and then every body parsed with
 *         simdjson's DOM parser and the fields ik_bench reads read
 *         (simd_read.h; PROVIDER openai, twilio or fastly).
 *   raw_curl create MODE URL CONC N WARMUP PREFIX CONTENT_TYPE BODY_FMT [HEADER ...]
 *       WARMUP untimed POSTs (they open the connections), then N timed POSTs
 *       of BODY_FMT (printf format: %s = PREFIX, %ld = index), CONC in flight. MODE multi: one curl multi handle
 * driving CONC reused easy handles; MODE threads: CONC threads with an easy handle each. Every response status must be
 * 2xx.
 *
 * Prints one JSON object on stdout (wall_us, cpu_us, maxrss_kb, ...).
 */
#define _GNU_SOURCE
#include <curl/curl.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "measure.h"
#include "simd_read.h"

/* A growable body buffer, reused across requests; SIMD_READ_PADDING spare
 * bytes after the body so that simdjson can parse it in place. */
struct buf {
  char *data;
  size_t len, cap;
};

static size_t write_buf(char *ptr, size_t size, size_t nmemb, void *ud) {
  struct buf *b = ud;
  size_t n = size * nmemb;
  if (b->len + n + 1 + SIMD_READ_PADDING > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1 + SIMD_READ_PADDING) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return 0;
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = 0;
  return n;
}

static size_t write_discard(char *ptr, size_t size, size_t nmemb, void *ud) {
  (void)ptr;
  (void)ud;
  return size * nmemb;
}

static struct curl_slist *headers_from(int argc, char **argv, int first) {
  struct curl_slist *h = NULL;
  for (int i = first; i < argc; i++) h = curl_slist_append(h, argv[i]);
  return h;
}

static void die(const char *msg) {
  fprintf(stderr, "raw_curl: %s\n", msg);
  exit(1);
}

static int cmd_fetch(int argc, char **argv) {
  if (argc < 6) return 2;
  int json = -1; /* simdjson:PROVIDER */
  if (!strncmp(argv[2], "simdjson:", 9) && (json = simd_provider(argv[2] + 9)) < 0) return 2;
  int prod = json >= 0 || !strcmp(argv[2], "prod");
  if (!prod && strcmp(argv[2], "bare")) return 2;
  const char *url = argv[3];
  long warm = atol(argv[4]), n = atol(argv[5]);
  struct curl_slist *hdrs = headers_from(argc, argv, 6);
  struct buf body = {0};
  CURL *e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
  if (prod) {
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_buf);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  } else {
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_discard);
  }
  size_t total = 0;
  int64_t w0 = 0, c0 = 0;
  for (long i = 0; i < warm + n; i++) {
    if (i == warm) {
      w0 = now_us();
      c0 = cpu_us();
    }
    body.len = 0;
    CURLcode rc = curl_easy_perform(e);
    if (rc != CURLE_OK) die(curl_easy_strerror(rc));
    if (prod) {
      long status = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
      if (status != 200) die("unexpected HTTP status");
      if (json >= 0 && simd_read_object(json, body.data, body.len)) die("unexpected body");
      total += body.len;
    }
  }
  int64_t w1 = now_us(), c1 = cpu_us();
  long conns = 0;
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &conns);
  printf("{\"requests\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld,\"bytes\":%zu}\n", n,
         (long long)(w1 - w0), (long long)(c1 - c0), maxrss_kb(), total);
  curl_easy_cleanup(e);
  curl_slist_free_all(hdrs);
  free(body.data);
  return 0;
}

/* ---- create ---- */

struct create_ctx {
  const char *url, *fmt;
  char prefix[256]; /* of the current phase */
  long n;           /* of the current phase */
  long warm, timed;
  struct curl_slist *hdrs;
  atomic_long next;
  pthread_barrier_t go;
};

struct xfer {
  CURL *e;
  char body[512];
  struct buf resp;
};

/* Sets up the next POST on x; returns 0 when there is no more work. */
static int next_post(struct create_ctx *ctx, struct xfer *x) {
  long i = atomic_fetch_add(&ctx->next, 1);
  if (i >= ctx->n) return 0;
  snprintf(x->body, sizeof x->body, ctx->fmt, ctx->prefix, i);
  x->resp.len = 0;
  curl_easy_setopt(x->e, CURLOPT_POSTFIELDS, x->body);
  curl_easy_setopt(x->e, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
  return 1;
}

static void setup_post(struct create_ctx *ctx, struct xfer *x) {
  x->e = curl_easy_init();
  curl_easy_setopt(x->e, CURLOPT_URL, ctx->url);
  curl_easy_setopt(x->e, CURLOPT_HTTPHEADER, ctx->hdrs);
  curl_easy_setopt(x->e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(x->e, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(x->e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(x->e, CURLOPT_WRITEFUNCTION, write_buf);
  curl_easy_setopt(x->e, CURLOPT_WRITEDATA, &x->resp);
  curl_easy_setopt(x->e, CURLOPT_PRIVATE, x);
}

static void check_done(CURL *e, CURLcode rc) {
  if (rc != CURLE_OK) die(curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) die("unexpected HTTP status on create");
}

static void set_phase(struct create_ctx *ctx, const char *prefix, const char *tag, long n) {
  snprintf(ctx->prefix, sizeof ctx->prefix, "%s%s", prefix, tag);
  ctx->n = n;
  atomic_store(&ctx->next, 0);
}

/* Warm-up (untimed: it opens the connections), a barrier, the timed part. */
static void *thread_worker(void *arg) {
  struct create_ctx *ctx = arg;
  struct xfer x = {0};
  setup_post(ctx, &x);
  pthread_barrier_wait(&ctx->go); /* warm-up phase set */
  while (next_post(ctx, &x)) check_done(x.e, curl_easy_perform(x.e));
  pthread_barrier_wait(&ctx->go); /* warm-up done */
  pthread_barrier_wait(&ctx->go); /* timed phase set */
  while (next_post(ctx, &x)) check_done(x.e, curl_easy_perform(x.e));
  curl_easy_cleanup(x.e);
  free(x.resp.data);
  return NULL;
}

/* Runs the current phase to completion with all handles of xs on m. */
static void multi_phase(CURLM *m, struct xfer *xs, int conc, struct create_ctx *ctx) {
  int active = 0;
  for (int k = 0; k < conc; k++) {
    if (next_post(ctx, &xs[k])) {
      curl_multi_add_handle(m, xs[k].e);
      active++;
    }
  }
  while (active > 0) {
    int running = 0;
    if (curl_multi_perform(m, &running) != CURLM_OK) die("curl_multi_perform");
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL *e = msg->easy_handle;
      CURLcode rc = msg->data.result;
      struct xfer *x;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
      check_done(e, rc);
      curl_multi_remove_handle(m, e);
      active--;
      if (next_post(ctx, x)) {
        curl_multi_add_handle(m, e);
        active++;
      }
    }
    if (active > 0 && curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK) die("curl_multi_poll");
  }
}

static int cmd_create(int argc, char **argv) {
  if (argc < 10) return 2;
  int multi = !strcmp(argv[2], "multi");
  if (!multi && strcmp(argv[2], "threads")) return 2;
  struct create_ctx ctx;
  ctx.url = argv[3];
  int conc = atoi(argv[4]);
  ctx.timed = atol(argv[5]);
  ctx.warm = atol(argv[6]);
  const char *prefix = argv[7];
  char ct[256];
  snprintf(ct, sizeof ct, "Content-Type: %s", argv[8]);
  ctx.fmt = argv[9];
  ctx.hdrs = headers_from(argc, argv, 10);
  ctx.hdrs = curl_slist_append(ctx.hdrs, ct);
  ctx.hdrs = curl_slist_append(ctx.hdrs, "Expect:");
  atomic_init(&ctx.next, 0);
  if (conc < 1 || conc > 1024) return 2;
  struct xfer *xs = calloc((size_t)conc, sizeof *xs);
  int64_t w0, c0;
  if (multi) {
    CURLM *m = curl_multi_init();
    for (int k = 0; k < conc; k++) setup_post(&ctx, &xs[k]);
    set_phase(&ctx, prefix, "-warm", ctx.warm);
    multi_phase(m, xs, conc, &ctx);
    set_phase(&ctx, prefix, "", ctx.timed);
    w0 = now_us();
    c0 = cpu_us();
    multi_phase(m, xs, conc, &ctx);
    for (int k = 0; k < conc; k++) {
      curl_easy_cleanup(xs[k].e);
      free(xs[k].resp.data);
    }
    curl_multi_cleanup(m);
  } else {
    pthread_barrier_init(&ctx.go, NULL, (unsigned)conc + 1);
    pthread_t *tids = calloc((size_t)conc, sizeof *tids);
    set_phase(&ctx, prefix, "-warm", ctx.warm);
    for (int t = 0; t < conc; t++)
      if (pthread_create(&tids[t], NULL, thread_worker, &ctx) != 0) die("pthread_create");
    pthread_barrier_wait(&ctx.go);
    pthread_barrier_wait(&ctx.go);
    set_phase(&ctx, prefix, "", ctx.timed);
    w0 = now_us();
    c0 = cpu_us();
    pthread_barrier_wait(&ctx.go);
    for (int t = 0; t < conc; t++) pthread_join(tids[t], NULL);
    free(tids);
    pthread_barrier_destroy(&ctx.go);
  }
  int64_t w1 = now_us(), c1 = cpu_us();
  printf("{\"created\":%ld,\"warmup\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld}\n", ctx.timed, ctx.warm,
         (long long)(w1 - w0), (long long)(c1 - c0), maxrss_kb());
  free(xs);
  curl_slist_free_all(ctx.hdrs);
  return 0;
}

int main(int argc, char **argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = 2;
  if (argc >= 2 && !strcmp(argv[1], "fetch"))
    rc = cmd_fetch(argc, argv);
  else if (argc >= 2 && !strcmp(argv[1], "create"))
    rc = cmd_create(argc, argv);
  if (rc == 2)
    fprintf(stderr,
            "usage: raw_curl fetch prod|bare|simdjson:PROVIDER URL WARMUP N [HEADER ...]\n"
            "       raw_curl create multi|threads URL CONC N WARMUP PREFIX CONTENT_TYPE BODY_FMT [HEADER ...]\n");
  curl_global_cleanup();
  return rc;
}
