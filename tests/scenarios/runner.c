/* tests/scenarios/runner.c - executes the language-neutral scenario files of
 * tests/scenarios/ (*.json files) against invitekit-emulator through the public C ABI.
 * The format is specified in tests/scenarios/README.md; this file is one
 * implementation of it (the bindings have their own).
 *
 * Usage: scenario-runner [--emulator PATH] FILE.json...
 *   PATH defaults to $INVITEKIT_EMULATOR. Exit status: 0 all steps matched,
 *   1 a mismatch or a broken scenario, 77 the emulator is not available.
 *
 * C99 + POSIX + the public invitekit API; libcurl only for the emulator's
 * control endpoints (/__emulator/...), never for the operations under test.
 */
#define _POSIX_C_SOURCE 200809L

#include <invitekit/invitekit.h>

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json_min.h"

extern char **environ;

#define TW_SID   "AC00000000000000000000000000000000"
#define TW_TOKEN "emulator-twilio-token"
#define OA_KEY   "sk-admin-emulator"
#define FL_TOKEN "emulator-fastly-token"

#define MAX_PAGER_ITEMS 100000
#define MAX_PAGER_PAGES 10000

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct strbuf {
  char *d;
  size_t n, cap;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) {
  va_list ap;
  int need;
  va_start(ap, fmt);
  need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0) return;
  if (b->n + (size_t)need + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->n + (size_t)need + 1 > cap) cap *= 2;
    b->d = (char *)realloc(b->d, cap);
    if (!b->d) abort();
    b->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(b->d + b->n, (size_t)need + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)need;
}

static jm_value *bytes_value(const uint8_t *data, size_t len, int32_t present) {
  return present && data ? jm_strn((const char *)data, len) : jm_null();
}

static jm_value *optbool_value(ik_optbool b) {
  return b == IK_OPTBOOL_TRUE ? jm_bool(1) : b == IK_OPTBOOL_FALSE ? jm_bool(0) : jm_null();
}

static const char *kind_name(int32_t kind) {
  switch (kind) {
    case IK_KIND_OPENAI_INVITE: return "IK_KIND_OPENAI_INVITE";
    case IK_KIND_TWILIO_INVITE: return "IK_KIND_TWILIO_INVITE";
    case IK_KIND_TWILIO_USER: return "IK_KIND_TWILIO_USER";
    case IK_KIND_FASTLY_INVITATION: return "IK_KIND_FASTLY_INVITATION";
    default: return "IK_KIND_NONE";
  }
}

static const char *cancelled_by_name(int32_t c) {
  switch (c) {
    case IK_CANCELLED_BY_TOKEN: return "token";
    case IK_CANCELLED_BY_RETRY_CALLBACK: return "retry_callback";
    default: return "none";
  }
}

/* An optional integer accessor's value as JSON (null when absent). */
#define OPT_INT(fn, obj) (tmp_p = (fn)((obj), &tmp_i), opt_int_value(tmp_p, tmp_i))
static jm_value *opt_int_value(int32_t present, int64_t v) { return present ? jm_int(v) : jm_null(); }

/* ------------------------------------------------------------------------ */
/* Emulator process and control endpoints                                     */
/* ------------------------------------------------------------------------ */
typedef struct emulator {
  pid_t pid;
  int out_fd;
  char url[128];
} emulator;

static int emulator_start(const char *exe, int64_t seed, emulator *emu, char *why, size_t whylen) {
  int fds[2];
  posix_spawn_file_actions_t fa;
  char seed_s[32];
  char *argv[8];
  char line[512];
  size_t n = 0;
  const double deadline = now_s() + 10.0;
  int rc;
  memset(emu, 0, sizeof *emu);
  emu->pid = -1;
  emu->out_fd = -1;
  if (pipe(fds) != 0) {
    snprintf(why, whylen, "pipe: %s", strerror(errno));
    return 0;
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  snprintf(seed_s, sizeof seed_s, "%lld", (long long)seed);
  argv[0] = (char *)exe;
  argv[1] = (char *)"--port";
  argv[2] = (char *)"0";
  argv[3] = (char *)"--quiet";
  argv[4] = (char *)"--seed";
  argv[5] = seed_s;
  argv[6] = NULL;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  rc = posix_spawn(&emu->pid, exe, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    emu->pid = -1;
    snprintf(why, whylen, "cannot start %s: %s", exe, strerror(rc));
    return 0;
  }
  emu->out_fd = fds[0];
  /* The first stdout line is "invitekit-emulator listening on http://127.0.0.1:PORT". */
  while (n + 1 < sizeof line && !memchr(line, '\n', n)) {
    struct pollfd p;
    ssize_t got;
    const int left = (int)((deadline - now_s()) * 1000);
    if (left <= 0) break;
    p.fd = emu->out_fd;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, left) <= 0) break;
    got = read(emu->out_fd, line + n, sizeof line - 1 - n);
    if (got <= 0) break;
    n += (size_t)got;
  }
  line[n] = '\0';
  {
    const char *at = strstr(line, "http://127.0.0.1:");
    size_t len = 0;
    if (!at || !strchr(line, '\n')) {
      snprintf(why, whylen, "emulator did not print its URL within 10 s (got \"%.200s\")", line);
      return 0;
    }
    while (at[len] && at[len] != '\n' && at[len] != '\r' && at[len] != ' ' && len + 1 < sizeof emu->url) len++;
    memcpy(emu->url, at, len);
    emu->url[len] = '\0';
  }
  return 1;
}

/* SIGTERM, wait at most 10 s, then SIGKILL. Only our own child's PID. */
static void emulator_stop(emulator *emu) {
  int status = 0;
  double deadline;
  if (emu->pid > 0) {
    kill(emu->pid, SIGTERM);
    deadline = now_s() + 10.0;
    while (waitpid(emu->pid, &status, WNOHANG) == 0) {
      if (now_s() > deadline) {
        kill(emu->pid, SIGKILL);
        waitpid(emu->pid, &status, 0);
        break;
      }
      {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
      }
    }
    emu->pid = -1;
  }
  if (emu->out_fd >= 0) close(emu->out_fd);
  emu->out_fd = -1;
}

static size_t collect(char *data, size_t size, size_t n, void *user) {
  strbuf *b = (strbuf *)user;
  sb_printf(b, "%.*s", (int)(size * n), data);
  return size * n;
}

/* One control request; returns the HTTP status (0 on transport failure). */
static long control(const emulator *emu, const char *method, const char *path, const char *json_body, strbuf *out) {
  CURL *c = curl_easy_init();
  struct curl_slist *h = NULL;
  char url[512];
  long status = 0;
  strbuf sink = {NULL, 0, 0};
  if (!c) return 0;
  snprintf(url, sizeof url, "%s%s", emu->url, path);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out ? out : &sink);
  if (json_body) {
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body);
  }
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  free(sink.d);
  return status;
}

/* ------------------------------------------------------------------------ */
/* Scenario context                                                          */
/* ------------------------------------------------------------------------ */
typedef struct ctx {
  const char *file;
  emulator emu;
  jm_value *vars; /* saved values */
  const jm_value *client_defaults;
  char openai_url[160];
} ctx;

/* Resolves "$name" references (whole-string only). NULL if undefined. */
static const jm_value *resolve(ctx *c, const jm_value *v, strbuf *err) {
  if (jm_is(v, JM_STRING) && v->string[0] == '$') {
    const jm_value *r = jm_get(c->vars, v->string + 1);
    if (!r) sb_printf(err, "undefined variable %s", v->string);
    return r;
  }
  return v;
}

/* Argument accessors. A missing argument is NULL / the default. */
static const char *arg_str(ctx *c, const jm_value *args, const char *key, strbuf *err) {
  const jm_value *v = jm_get(args, key);
  if (!v) return NULL;
  v = resolve(c, v, err);
  if (!v || v->type == JM_NULL) return NULL;
  if (v->type != JM_STRING) {
    sb_printf(err, "argument %s must be a string", key);
    return NULL;
  }
  return v->string;
}

static int64_t arg_int(ctx *c, const jm_value *args, const char *key, int64_t def, strbuf *err) {
  const jm_value *v = jm_get(args, key);
  if (!v) return def;
  v = resolve(c, v, err);
  if (!v) return def;
  if (v->type != JM_INT) {
    sb_printf(err, "argument %s must be an integer", key);
    return def;
  }
  return v->integer;
}

static ik_optbool arg_optbool(ctx *c, const jm_value *args, const char *key, strbuf *err) {
  const jm_value *v = jm_get(args, key);
  if (!v) return IK_OPTBOOL_UNSET;
  v = resolve(c, v, err);
  if (!v || v->type == JM_NULL) return IK_OPTBOOL_UNSET;
  if (v->type != JM_BOOL) {
    sb_printf(err, "argument %s must be true, false or null", key);
    return IK_OPTBOOL_UNSET;
  }
  return v->boolean ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE;
}

/* A string array argument; returns count, fills up to max pointers. */
static size_t arg_str_array(ctx *c, const jm_value *args, const char *key, const char **out, size_t max, strbuf *err) {
  const jm_value *v = jm_get(args, key);
  size_t i;
  if (!v) return 0;
  if (v->type != JM_ARRAY || v->count > max) {
    sb_printf(err, "argument %s must be an array of at most %zu strings", key, max);
    return 0;
  }
  for (i = 0; i < v->count; i++) {
    const jm_value *e = resolve(c, v->items[i], err);
    if (!jm_is(e, JM_STRING)) {
      sb_printf(err, "argument %s[%zu] must be a string", key, i);
      return 0;
    }
    out[i] = e->string;
  }
  return v->count;
}

/* ------------------------------------------------------------------------ */
/* Clients                                                                   */
/* ------------------------------------------------------------------------ */
static int64_t opt_get_int(const jm_value *a, const jm_value *b, const char *key, int64_t def) {
  const jm_value *v = jm_get(b, key);
  if (!jm_is(v, JM_INT)) v = jm_get(a, key);
  return jm_is(v, JM_INT) ? v->integer : def;
}

static const char *opt_get_str(const jm_value *a, const jm_value *b, const char *key, const char *def) {
  const char *s = jm_get_str(b, key, NULL);
  return s ? s : jm_get_str(a, key, def);
}

static int opt_get_bool(const jm_value *a, const jm_value *b, const char *key) {
  const jm_value *v = jm_get(b, key);
  if (!jm_is(v, JM_BOOL)) v = jm_get(a, key);
  return jm_is(v, JM_BOOL) && v->boolean;
}

/* Builds a client from the file's "client" object overridden by a step's. */
static ik_client *make_client(ctx *c, const jm_value *over, strbuf *err) {
  const jm_value *d = c->client_defaults;
  ik_client_options o;
  ik_client *cl = NULL;
  ik_error *e = NULL;
  const char *creds = opt_get_str(d, over, "credentials", "valid");
  const char *jitter = opt_get_str(d, over, "jitter", "none");
  const char *wait = opt_get_str(d, over, "server_wait_policy", "give_up");
  const int wrong = strcmp(creds, "wrong") == 0;
  if (strcmp(creds, "valid") != 0 && !wrong) {
    sb_printf(err, "client.credentials must be \"valid\" or \"wrong\"");
    return NULL;
  }
  ik_client_options_init(&o, IK_CLIENT_OPTIONS_VERSION, NULL);
  o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
  if (opt_get_bool(d, over, "retry_ambiguous_posts")) o.flags |= IK_CLIENT_RETRY_AMBIGUOUS_POSTS;
  o.twilio_account_sid = TW_SID;
  o.twilio_auth_token = wrong ? "wrong-twilio-token" : TW_TOKEN;
  o.twilio_base_url = c->emu.url;
  o.openai_admin_key = wrong ? "sk-admin-wrong" : OA_KEY;
  o.openai_base_url = c->openai_url;
  o.fastly_api_token = wrong ? "wrong-fastly-token" : FL_TOKEN;
  o.fastly_base_url = c->emu.url;
  o.connect_timeout_ms = opt_get_int(d, over, "connect_timeout_ms", 5000);
  o.attempt_timeout_ms = opt_get_int(d, over, "attempt_timeout_ms", 10000);
  o.deadline_ms = opt_get_int(d, over, "deadline_ms", 0);
  o.max_retries = (int32_t)opt_get_int(d, over, "max_retries", -1);
  o.retry_base_delay_ms = opt_get_int(d, over, "retry_base_delay_ms", 1);
  o.retry_max_delay_ms = opt_get_int(d, over, "retry_max_delay_ms", 10);
  o.max_server_wait_ms = opt_get_int(d, over, "max_server_wait_ms", 0);
  if (strcmp(jitter, "none") == 0)
    o.jitter = IK_JITTER_NONE;
  else if (strcmp(jitter, "full") == 0)
    o.jitter = IK_JITTER_FULL;
  else if (strcmp(jitter, "decorrelated") == 0)
    o.jitter = IK_JITTER_DECORRELATED;
  else {
    sb_printf(err, "client.jitter must be none, full or decorrelated");
    return NULL;
  }
  if (strcmp(wait, "give_up") == 0)
    o.server_wait_policy = IK_SERVER_WAIT_GIVE_UP;
  else if (strcmp(wait, "cap") == 0)
    o.server_wait_policy = IK_SERVER_WAIT_CAP;
  else {
    sb_printf(err, "client.server_wait_policy must be give_up or cap");
    return NULL;
  }
  if (ik_client_new(&o, &cl, &e) != IK_STATUS_OK) {
    sb_printf(err, "ik_client_new failed: %s", ik_error_message(e));
    ik_error_free(e);
    return NULL;
  }
  return cl;
}

/* ------------------------------------------------------------------------ */
/* Results as JSON ("actual" objects; README "Actual values")               */
/* ------------------------------------------------------------------------ */
static void add_response(jm_value *o, const ik_response *r) {
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  jm_set(o, "http_status", jm_int(ik_response_http_status(r)));
  jm_set(o, "attempts", jm_int(ik_response_attempts(r)));
  jm_set(o, "request_id", jm_str(ik_response_request_id(r)));
  jm_set(o, "provider", jm_str(ik_provider_name(ik_response_provider(r))));
  jm_set(o, "ratelimit_remaining", OPT_INT(ik_response_ratelimit_remaining, r));
  jm_set(o, "ratelimit_reset_unix", OPT_INT(ik_response_ratelimit_reset_unix, r));
}

static jm_value *openai_invite_value(const ik_openai_invite *inv, int with_response) {
  jm_value *o = jm_object(), *projects = jm_array();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0, i, n;
  int32_t has;
  jm_set(o, "object", jm_str(ik_openai_invite_object(inv)));
  jm_set(o, "id", jm_str(ik_openai_invite_id(inv)));
  jm_set(o, "email", jm_str(ik_openai_invite_email(inv)));
  jm_set(o, "role", jm_str(ik_openai_invite_role(inv)));
  jm_set(o, "status", jm_str(ik_openai_invite_status(inv)));
  jm_set(o, "created_at_unix", OPT_INT(ik_openai_invite_created_at_unix, inv));
  jm_set(o, "expires_at_unix", OPT_INT(ik_openai_invite_expires_at_unix, inv));
  jm_set(o, "accepted_at_unix", OPT_INT(ik_openai_invite_accepted_at_unix, inv));
  n = ik_openai_invite_project_count(inv);
  for (i = 0; i < n; i++) {
    const char *id = NULL, *role = NULL;
    jm_value *p = jm_object();
    ik_openai_invite_project_at(inv, i, &id, &role);
    jm_set(p, "id", jm_str(id));
    jm_set(p, "role", jm_str(role));
    jm_push(projects, p);
  }
  jm_set(o, "projects", projects);
  jm_set(o, "has_projects", jm_bool(ik_openai_invite_has_projects(inv)));
  has = ik_openai_invite_raw_json(inv, &data, &len);
  jm_set(o, "raw_json", bytes_value(data, len, has));
  if (with_response) add_response(o, ik_openai_invite_response(inv));
  return o;
}

static jm_value *twilio_invite_value(const ik_twilio_invite *inv, int with_response) {
  jm_value *o = jm_object();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0;
  int32_t has;
  jm_set(o, "sid", jm_str(ik_twilio_invite_sid(inv)));
  jm_set(o, "account_sid", jm_str(ik_twilio_invite_account_sid(inv)));
  jm_set(o, "channel_sid", jm_str(ik_twilio_invite_channel_sid(inv)));
  jm_set(o, "service_sid", jm_str(ik_twilio_invite_service_sid(inv)));
  jm_set(o, "identity", jm_str(ik_twilio_invite_identity(inv)));
  jm_set(o, "role_sid", jm_str(ik_twilio_invite_role_sid(inv)));
  jm_set(o, "created_by", jm_str(ik_twilio_invite_created_by(inv)));
  jm_set(o, "url", jm_str(ik_twilio_invite_url(inv)));
  jm_set(o, "date_created", jm_str(ik_twilio_invite_date_created(inv)));
  jm_set(o, "date_updated", jm_str(ik_twilio_invite_date_updated(inv)));
  jm_set(o, "date_created_unix", OPT_INT(ik_twilio_invite_date_created_unix, inv));
  jm_set(o, "date_updated_unix", OPT_INT(ik_twilio_invite_date_updated_unix, inv));
  has = ik_twilio_invite_raw_json(inv, &data, &len);
  jm_set(o, "raw_json", bytes_value(data, len, has));
  if (with_response) add_response(o, ik_twilio_invite_response(inv));
  return o;
}

static jm_value *twilio_user_value(const ik_twilio_user *u, int with_response) {
  jm_value *o = jm_object();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0;
  int32_t has;
  jm_set(o, "sid", jm_str(ik_twilio_user_sid(u)));
  jm_set(o, "account_sid", jm_str(ik_twilio_user_account_sid(u)));
  jm_set(o, "service_sid", jm_str(ik_twilio_user_service_sid(u)));
  jm_set(o, "attributes", jm_str(ik_twilio_user_attributes(u)));
  jm_set(o, "friendly_name", jm_str(ik_twilio_user_friendly_name(u)));
  jm_set(o, "role_sid", jm_str(ik_twilio_user_role_sid(u)));
  jm_set(o, "identity", jm_str(ik_twilio_user_identity(u)));
  jm_set(o, "is_online", optbool_value(ik_twilio_user_is_online(u)));
  jm_set(o, "is_notifiable", optbool_value(ik_twilio_user_is_notifiable(u)));
  jm_set(o, "date_created", jm_str(ik_twilio_user_date_created(u)));
  jm_set(o, "date_updated", jm_str(ik_twilio_user_date_updated(u)));
  jm_set(o, "date_created_unix", OPT_INT(ik_twilio_user_date_created_unix, u));
  jm_set(o, "date_updated_unix", OPT_INT(ik_twilio_user_date_updated_unix, u));
  jm_set(o, "joined_channels_count", OPT_INT(ik_twilio_user_joined_channels_count, u));
  jm_set(o, "link_user_channels", jm_str(ik_twilio_user_link_user_channels(u)));
  jm_set(o, "link_user_bindings", jm_str(ik_twilio_user_link_user_bindings(u)));
  jm_set(o, "url", jm_str(ik_twilio_user_url(u)));
  has = ik_twilio_user_raw_json(u, &data, &len);
  jm_set(o, "raw_json", bytes_value(data, len, has));
  if (with_response) add_response(o, ik_twilio_user_response(u));
  return o;
}

static jm_value *fastly_invitation_value(const ik_fastly_invitation *inv, int with_response) {
  jm_value *o = jm_object(), *roles = jm_array(), *svc = jm_array();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0, i, n;
  int32_t has;
  jm_set(o, "id", jm_str(ik_fastly_invitation_id(inv)));
  jm_set(o, "type", jm_str(ik_fastly_invitation_type(inv)));
  jm_set(o, "email", jm_str(ik_fastly_invitation_email(inv)));
  jm_set(o, "limit_services", optbool_value(ik_fastly_invitation_limit_services(inv)));
  jm_set(o, "role", jm_str(ik_fastly_invitation_role(inv)));
  n = ik_fastly_invitation_role_count(inv);
  for (i = 0; i < n; i++) jm_push(roles, jm_str(ik_fastly_invitation_role_at(inv, i)));
  jm_set(o, "roles", roles);
  jm_set(o, "status_code", OPT_INT(ik_fastly_invitation_status_code, inv));
  jm_set(o, "created_at", jm_str(ik_fastly_invitation_created_at(inv)));
  jm_set(o, "updated_at", jm_str(ik_fastly_invitation_updated_at(inv)));
  jm_set(o, "deleted_at", jm_str(ik_fastly_invitation_deleted_at(inv)));
  jm_set(o, "created_at_unix", OPT_INT(ik_fastly_invitation_created_at_unix, inv));
  jm_set(o, "updated_at_unix", OPT_INT(ik_fastly_invitation_updated_at_unix, inv));
  jm_set(o, "deleted_at_unix", OPT_INT(ik_fastly_invitation_deleted_at_unix, inv));
  jm_set(o, "customer_id", jm_str(ik_fastly_invitation_customer_id(inv)));
  n = ik_fastly_invitation_service_invitation_count(inv);
  for (i = 0; i < n; i++) jm_push(svc, jm_str(ik_fastly_invitation_service_invitation_at(inv, i)));
  jm_set(o, "service_invitations", svc);
  has = ik_fastly_invitation_raw_json(inv, &data, &len);
  jm_set(o, "raw_json", bytes_value(data, len, has));
  if (with_response) add_response(o, ik_fastly_invitation_response(inv));
  return o;
}

/* The typed item i of a page (borrowed accessors), plus a consistency flag:
 * the kind-generic id/raw JSON must equal the typed ones. */
static jm_value *page_item_value(const ik_page *p, size_t i) {
  jm_value *o;
  const uint8_t *gdata = NULL;
  size_t glen = 0;
  const int32_t ghas = ik_page_item_raw_json(p, i, &gdata, &glen);
  const char *gid = ik_page_item_id(p, i);
  const jm_value *typed_raw, *typed_id;
  switch (ik_page_kind(p)) {
    case IK_KIND_OPENAI_INVITE: o = openai_invite_value(ik_page_openai_invite_at(p, i), 0); break;
    case IK_KIND_TWILIO_INVITE: o = twilio_invite_value(ik_page_twilio_invite_at(p, i), 0); break;
    case IK_KIND_TWILIO_USER: o = twilio_user_value(ik_page_twilio_user_at(p, i), 0); break;
    case IK_KIND_FASTLY_INVITATION: o = fastly_invitation_value(ik_page_fastly_invitation_at(p, i), 0); break;
    default: return jm_null();
  }
  typed_raw = jm_get(o, "raw_json");
  typed_id = jm_get(o, "id");
  if (!typed_id) typed_id = jm_get(o, "sid");
  {
    jm_value *graw = bytes_value(gdata, glen, ghas);
    jm_value *gidv = jm_str(gid);
    jm_set(o, "generic_matches_typed", jm_bool(jm_equal(graw, typed_raw) && jm_equal(gidv, typed_id)));
    jm_free(graw);
    jm_free(gidv);
  }
  return o;
}

static jm_value *page_value(const ik_page *p) {
  jm_value *o = jm_object(), *items = jm_array(), *ids = jm_array();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0, i;
  const size_t n = ik_page_count(p);
  int32_t has;
  jm_set(o, "kind", jm_str(kind_name(ik_page_kind(p))));
  jm_set(o, "count", jm_int((int64_t)n));
  jm_set(o, "has_more", jm_bool(ik_page_has_more(p)));
  jm_set(o, "next_cursor", jm_str(ik_page_next_cursor(p)));
  for (i = 0; i < n; i++) {
    jm_push(items, page_item_value(p, i));
    jm_push(ids, jm_str(ik_page_item_id(p, i)));
  }
  jm_set(o, "items", items);
  jm_set(o, "item_ids", ids);
  jm_set(o, "openai_first_id", jm_str(ik_page_openai_first_id(p)));
  jm_set(o, "openai_last_id", jm_str(ik_page_openai_last_id(p)));
  jm_set(o, "twilio_page", OPT_INT(ik_page_twilio_page, p));
  jm_set(o, "twilio_page_size", OPT_INT(ik_page_twilio_page_size, p));
  jm_set(o, "twilio_key", jm_str(ik_page_twilio_key(p)));
  jm_set(o, "twilio_url", jm_str(ik_page_twilio_url(p)));
  jm_set(o, "twilio_first_page_url", jm_str(ik_page_twilio_first_page_url(p)));
  jm_set(o, "twilio_previous_page_url", jm_str(ik_page_twilio_previous_page_url(p)));
  jm_set(o, "twilio_next_page_url", jm_str(ik_page_twilio_next_page_url(p)));
  jm_set(o, "fastly_link_first", jm_str(ik_page_fastly_link_first(p)));
  jm_set(o, "fastly_link_last", jm_str(ik_page_fastly_link_last(p)));
  jm_set(o, "fastly_link_prev", jm_str(ik_page_fastly_link_prev(p)));
  jm_set(o, "fastly_link_next", jm_str(ik_page_fastly_link_next(p)));
  jm_set(o, "fastly_current_page", OPT_INT(ik_page_fastly_current_page, p));
  jm_set(o, "fastly_per_page", OPT_INT(ik_page_fastly_per_page, p));
  jm_set(o, "fastly_record_count", OPT_INT(ik_page_fastly_record_count, p));
  jm_set(o, "fastly_total_pages", OPT_INT(ik_page_fastly_total_pages, p));
  has = ik_page_raw_json(p, &data, &len);
  jm_set(o, "raw_json", bytes_value(data, len, has));
  add_response(o, ik_page_response(p));
  return o;
}

static jm_value *deletion_value(const ik_deletion *d) {
  jm_value *o = jm_object();
  const uint8_t *data = NULL;
  size_t len = 0;
  const int32_t has = ik_deletion_raw_json(d, &data, &len);
  jm_set(o, "kind", jm_str(kind_name(ik_deletion_kind(d))));
  jm_set(o, "id", jm_str(ik_deletion_id(d)));
  jm_set(o, "deleted", optbool_value(ik_deletion_deleted(d)));
  jm_set(o, "object", jm_str(ik_deletion_object(d)));
  jm_set(o, "raw_json", bytes_value(data, len, has));
  add_response(o, ik_deletion_response(d));
  return o;
}

static jm_value *error_value(ik_status st, const ik_error *e) {
  static const char *const field_names[] = {"more_info", "details", "type",   "title",        "detail",
                                            "instance",  "param",   "code",   "status",       "msg",
                                            "id",        "meta",    "errors", "content_type", "url"};
  jm_value *o = jm_object(), *fields = jm_object();
  int64_t tmp_i = 0;
  int32_t tmp_p = 0;
  const uint8_t *data = NULL;
  size_t len = 0, i;
  int32_t has;
  jm_set(o, "status", jm_str(ik_status_name(st)));
  jm_set(o, "error_status", jm_str(ik_status_name(ik_error_status(e))));
  jm_set(o, "message", jm_str(ik_error_message(e)));
  jm_set(o, "http_status", jm_int(ik_error_http_status(e)));
  jm_set(o, "provider", jm_str(ik_provider_name(ik_error_provider(e))));
  jm_set(o, "operation", jm_str(ik_error_operation(e)));
  jm_set(o, "provider_code", jm_str(ik_error_provider_code(e)));
  jm_set(o, "provider_message", jm_str(ik_error_provider_message(e)));
  jm_set(o, "request_id", jm_str(ik_error_request_id(e)));
  jm_set(o, "retry_after_ms", OPT_INT(ik_error_retry_after_ms, e));
  jm_set(o, "retryable", jm_bool(ik_error_is_retryable(e)));
  jm_set(o, "ambiguous", jm_bool(ik_error_is_ambiguous(e)));
  jm_set(o, "attempts", jm_int(ik_error_attempts(e)));
  jm_set(o, "transport_code", jm_int(ik_error_transport_code(e)));
  jm_set(o, "cancelled_by", jm_str(cancelled_by_name(ik_error_cancelled_by(e))));
  for (i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
    jm_set(fields, field_names[i], jm_str(ik_error_field(e, field_names[i])));
  jm_set(o, "fields", fields);
  has = ik_error_body(e, &data, &len);
  jm_set(o, "body", bytes_value(data, len, has));
  return o;
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */
/* ------------------------------------------------------------------------ */
typedef struct outcome {
  jm_value *ok;  /* success value, or NULL */
  jm_value *err; /* error value, or NULL */
} outcome;

static void set_error(outcome *out, ik_status st, ik_error *e) {
  out->err = error_value(st, e);
  ik_error_free(e);
}

static int fill_list_options(ctx *c, const jm_value *args, ik_list_options *lo, strbuf *err) {
  ik_list_options_init(lo, IK_LIST_OPTIONS_VERSION, NULL);
  lo->page_size = (int32_t)arg_int(c, args, "page_size", 0, err);
  lo->max_items = arg_int(c, args, "max_items", 0, err);
  lo->cursor = arg_str(c, args, "cursor", err);
  lo->provider_cursor = arg_str(c, args, "provider_cursor", err);
  return err->n == 0;
}

/* A pager for args.list: "openai.invites", "twilio.invites", "twilio.users", "fastly.invitations". */
static ik_status make_pager(ctx *c, const ik_client *cl, const jm_value *args, ik_pager **pager, ik_error **e,
                            strbuf *err) {
  const char *list = arg_str(c, args, "list", err);
  ik_list_options lo;
  const char *ids[64];
  size_t nids;
  if (!list) {
    sb_printf(err, "pager steps need args.list");
    return IK_STATUS_INVALID_ARGUMENT;
  }
  if (!fill_list_options(c, args, &lo, err)) return IK_STATUS_INVALID_ARGUMENT;
  if (strcmp(list, "openai.invites") == 0) return ik_openai_invite_pager(cl, &lo, pager, e);
  if (strcmp(list, "fastly.invitations") == 0) return ik_fastly_invitation_pager(cl, &lo, pager, e);
  if (strcmp(list, "twilio.users") == 0)
    return ik_twilio_user_pager(cl, arg_str(c, args, "service_sid", err), &lo, pager, e);
  if (strcmp(list, "twilio.invites") == 0) {
    nids = arg_str_array(c, args, "identities", ids, 64, err);
    return ik_twilio_invite_pager(cl, arg_str(c, args, "service_sid", err), arg_str(c, args, "channel_sid", err),
                                  nids ? ids : NULL, nids, &lo, pager, e);
  }
  sb_printf(err, "unknown args.list \"%s\"", list);
  return IK_STATUS_INVALID_ARGUMENT;
}

static void add_pager_state(jm_value *o, const ik_pager *pager) {
  ik_buf b = IK_BUF_INIT;
  jm_set(o, "done", jm_bool(ik_pager_done(pager)));
  jm_set(o, "items_delivered", jm_int(ik_pager_items_delivered(pager)));
  if (ik_pager_cursor(pager, &b, NULL) == IK_STATUS_OK)
    jm_set(o, "cursor", jm_strn((const char *)b.data, b.len));
  else
    jm_set(o, "cursor", jm_null());
  ik_buf_dispose(&b);
  jm_set(o, "kind", jm_str(kind_name(ik_pager_kind(pager))));
}

static void run_pager(ctx *c, const ik_client *cl, const jm_value *args, int pages_mode, outcome *out, strbuf *err) {
  ik_pager *pager = NULL;
  ik_error *e = NULL;
  ik_status st = make_pager(c, cl, args, &pager, &e, err);
  const int64_t stop_items = arg_int(c, args, "stop_after_items", MAX_PAGER_ITEMS, err);
  const int64_t stop_pages = arg_int(c, args, "stop_after_pages", MAX_PAGER_PAGES, err);
  jm_value *o, *ids, *counts;
  int64_t items = 0, pages = 0;
  if (err->n) {
    ik_error_free(e);
    ik_pager_free(pager);
    return;
  }
  if (st != IK_STATUS_OK) {
    set_error(out, st, e);
    return;
  }
  o = jm_object();
  ids = jm_array();
  counts = jm_array();
  if (pages_mode) {
    while (pages < stop_pages && pages < MAX_PAGER_PAGES) {
      ik_page *p = NULL;
      size_t i, n;
      st = ik_pager_next_page(pager, NULL, &p, &e);
      if (st != IK_STATUS_OK) break;
      if (!p) break;
      n = ik_page_count(p);
      for (i = 0; i < n; i++) jm_push(ids, jm_str(ik_page_item_id(p, i)));
      jm_push(counts, jm_int((int64_t)n));
      items += (int64_t)n;
      pages++;
      ik_page_free(p);
    }
  } else {
    const int32_t kind = ik_pager_kind(pager);
    while (items < stop_items && items < MAX_PAGER_ITEMS) {
      int got = 0;
      if (kind == IK_KIND_OPENAI_INVITE) {
        ik_openai_invite *x = NULL;
        st = ik_pager_next_openai_invite(pager, NULL, &x, &e);
        if (x) {
          got = 1;
          jm_push(ids, jm_str(ik_openai_invite_id(x)));
        }
        ik_openai_invite_free(x);
      } else if (kind == IK_KIND_TWILIO_INVITE) {
        ik_twilio_invite *x = NULL;
        st = ik_pager_next_twilio_invite(pager, NULL, &x, &e);
        if (x) {
          got = 1;
          jm_push(ids, jm_str(ik_twilio_invite_sid(x)));
        }
        ik_twilio_invite_free(x);
      } else if (kind == IK_KIND_TWILIO_USER) {
        ik_twilio_user *x = NULL;
        st = ik_pager_next_twilio_user(pager, NULL, &x, &e);
        if (x) {
          got = 1;
          jm_push(ids, jm_str(ik_twilio_user_sid(x)));
        }
        ik_twilio_user_free(x);
      } else {
        ik_fastly_invitation *x = NULL;
        st = ik_pager_next_fastly_invitation(pager, NULL, &x, &e);
        if (x) {
          got = 1;
          jm_push(ids, jm_str(ik_fastly_invitation_id(x)));
        }
        ik_fastly_invitation_free(x);
      }
      if (st != IK_STATUS_OK || !got) break;
      items++;
    }
  }
  if (st != IK_STATUS_OK) {
    jm_free(o);
    jm_free(ids);
    jm_free(counts);
    set_error(out, st, e);
    ik_pager_free(pager);
    return;
  }
  jm_set(o, "count", jm_int(items));
  jm_set(o, "item_ids", ids);
  if (pages_mode) {
    jm_set(o, "pages", jm_int(pages));
    jm_set(o, "page_counts", counts);
  } else {
    jm_free(counts);
  }
  add_pager_state(o, pager);
  ik_pager_free(pager);
  out->ok = o;
}

/* ---- arguments shared by create and ensure ---- */

static int openai_params(ctx *c, const jm_value *args, ik_openai_invite_create_params *p, ik_openai_project_ref *refs,
                         strbuf *err) {
  const jm_value *projects = jm_get(args, "projects");
  size_t i;
  ik_openai_invite_create_params_init(p, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, NULL);
  p->email = arg_str(c, args, "email", err);
  p->role = arg_str(c, args, "role", err);
  if (projects) {
    if (!jm_is(projects, JM_ARRAY) || projects->count > 32) {
      sb_printf(err, "args.projects must be an array of at most 32 {id, role}");
      return 0;
    }
    for (i = 0; i < projects->count; i++) {
      refs[i].id = arg_str(c, projects->items[i], "id", err);
      refs[i].role = arg_str(c, projects->items[i], "role", err);
    }
    p->send_projects = IK_OPTBOOL_TRUE;
    p->projects = projects->count ? refs : NULL;
    p->projects_count = projects->count;
  }
  return err->n == 0;
}

static int fastly_params(ctx *c, const jm_value *args, ik_fastly_invitation_create_params *p, const char **roles,
                         ik_fastly_service_grant *grants, strbuf *err) {
  const jm_value *services = jm_get(args, "services");
  size_t i;
  ik_fastly_invitation_create_params_init(p, IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, NULL);
  p->email = arg_str(c, args, "email", err);
  p->role = arg_str(c, args, "role", err);
  p->roles_count = arg_str_array(c, args, "roles", roles, 32, err);
  p->roles = p->roles_count ? roles : NULL;
  p->limit_services = arg_optbool(c, args, "limit_services", err);
  p->customer_id = arg_str(c, args, "customer_id", err);
  if (services) {
    if (!jm_is(services, JM_ARRAY) || services->count > 32) {
      sb_printf(err, "args.services must be an array of at most 32 {service_id, permission}");
      return 0;
    }
    for (i = 0; i < services->count; i++) {
      grants[i].service_id = arg_str(c, services->items[i], "service_id", err);
      grants[i].permission = arg_str(c, services->items[i], "permission", err);
    }
    p->services = services->count ? grants : NULL;
    p->services_count = services->count;
  }
  return err->n == 0;
}

static int user_params(ctx *c, const jm_value *args, ik_twilio_user_params *p, strbuf *err) {
  ik_twilio_user_params_init(p, IK_TWILIO_USER_PARAMS_VERSION, NULL);
  p->identity = arg_str(c, args, "identity", err);
  p->role_sid = arg_str(c, args, "role_sid", err);
  p->attributes = arg_str(c, args, "attributes", err);
  p->friendly_name = arg_str(c, args, "friendly_name", err);
  p->webhook_enabled = arg_optbool(c, args, "webhook_enabled", err);
  return err->n == 0;
}

/* ---- ensure: blocking, or its non-blocking twin waited for ---- */

static void op_done(ik_op *op, void *user_data) {
  (void)op;
  (void)user_data;
}

/* Waits for a started operation: its status, and its error handed to *e, as
   the blocking call would return them. */
static ik_status wait_op(ik_op *op, ik_error **e) {
  ik_status st = ik_op_wait(op, 120000, e);
  if (st != IK_STATUS_OK) return st;
  st = ik_op_status(op);
  if (st != IK_STATUS_OK) ik_op_take_error(op, e, NULL);
  return st;
}

/* The four *.ensure ops; the result is the object with "outcome"
   (ik_ensure_outcome_name). Returns 0 on a scenario error. */
static int run_ensure(ctx *c, const ik_client *cl, const char *op, const jm_value *args, const ik_call_options *co,
                      int nonblocking, outcome *out, ik_status *st, ik_error **e, strbuf *err) {
  const char *svc = arg_str(c, args, "service_sid", err);
  const char *chan = arg_str(c, args, "channel_sid", err);
  int32_t result = 0;
  ik_op *o = NULL;
  jm_value *v = NULL;
  if (strcmp(op, "openai.invites.ensure") == 0) {
    ik_openai_invite_create_params p;
    ik_openai_project_ref refs[32];
    ik_openai_invite *x = NULL;
    if (!openai_params(c, args, &p, refs, err)) return 0;
    if (!nonblocking) {
      *st = ik_openai_invite_ensure(cl, &p, co, &x, &result, e);
    } else if ((*st = ik_openai_invite_ensure_start(cl, &p, co, op_done, NULL, &o, e)) == IK_STATUS_OK &&
               (*st = wait_op(o, e)) == IK_STATUS_OK) {
      ik_op_take_openai_invite(o, &x, NULL);
      result = ik_op_ensure_outcome(o);
    }
    if (*st == IK_STATUS_OK) v = openai_invite_value(x, 1);
    ik_openai_invite_free(x);
  } else if (strcmp(op, "twilio.invites.ensure") == 0) {
    ik_twilio_invite *x = NULL;
    const char *identity = arg_str(c, args, "identity", err);
    const char *role = arg_str(c, args, "role_sid", err);
    if (err->n) return 0;
    if (!nonblocking) {
      *st = ik_twilio_invite_ensure(cl, svc, chan, identity, role, co, &x, &result, e);
    } else if ((*st = ik_twilio_invite_ensure_start(cl, svc, chan, identity, role, co, op_done, NULL, &o, e)) ==
                   IK_STATUS_OK &&
               (*st = wait_op(o, e)) == IK_STATUS_OK) {
      ik_op_take_twilio_invite(o, &x, NULL);
      result = ik_op_ensure_outcome(o);
    }
    if (*st == IK_STATUS_OK) v = twilio_invite_value(x, 1);
    ik_twilio_invite_free(x);
  } else if (strcmp(op, "twilio.users.ensure") == 0) {
    ik_twilio_user_params p;
    ik_twilio_user *x = NULL;
    if (!user_params(c, args, &p, err)) return 0;
    if (!nonblocking) {
      *st = ik_twilio_user_ensure(cl, svc, &p, co, &x, &result, e);
    } else if ((*st = ik_twilio_user_ensure_start(cl, svc, &p, co, op_done, NULL, &o, e)) == IK_STATUS_OK &&
               (*st = wait_op(o, e)) == IK_STATUS_OK) {
      ik_op_take_twilio_user(o, &x, NULL);
      result = ik_op_ensure_outcome(o);
    }
    if (*st == IK_STATUS_OK) v = twilio_user_value(x, 1);
    ik_twilio_user_free(x);
  } else if (strcmp(op, "fastly.invitations.ensure") == 0) {
    ik_fastly_invitation_create_params p;
    const char *roles[32];
    ik_fastly_service_grant grants[32];
    ik_fastly_invitation *x = NULL;
    if (!fastly_params(c, args, &p, roles, grants, err)) return 0;
    if (!nonblocking) {
      *st = ik_fastly_invitation_ensure(cl, &p, co, &x, &result, e);
    } else if ((*st = ik_fastly_invitation_ensure_start(cl, &p, co, op_done, NULL, &o, e)) == IK_STATUS_OK &&
               (*st = wait_op(o, e)) == IK_STATUS_OK) {
      ik_op_take_fastly_invitation(o, &x, NULL);
      result = ik_op_ensure_outcome(o);
    }
    if (*st == IK_STATUS_OK) v = fastly_invitation_value(x, 1);
    ik_fastly_invitation_free(x);
  } else {
    sb_printf(err, "unknown op \"%s\"", op);
    return 0;
  }
  ik_op_free(o);
  if (v) {
    jm_set(v, "outcome", jm_str(ik_ensure_outcome_name(result)));
    out->ok = v;
  }
  return 1;
}

static void run_op(ctx *c, const ik_client *cl, const char *op, const jm_value *args, const ik_call_options *co,
                   int nonblocking, outcome *out, strbuf *err) {
  ik_error *e = NULL;
  ik_status st = IK_STATUS_OK;
  if (nonblocking && !(strlen(op) > 7 && strcmp(op + strlen(op) - 7, ".ensure") == 0)) {
    sb_printf(err, "\"nonblocking\" is defined for the *.ensure ops only");
    return;
  }
  const char *svc = arg_str(c, args, "service_sid", err);
  const char *chan = arg_str(c, args, "channel_sid", err);
  if (strcmp(op, "openai.invites.create") == 0) {
    ik_openai_invite_create_params p;
    ik_openai_project_ref refs[32];
    ik_openai_invite *x = NULL;
    if (!openai_params(c, args, &p, refs, err)) return;
    st = ik_openai_invite_create(cl, &p, co, &x, &e);
    if (st == IK_STATUS_OK) out->ok = openai_invite_value(x, 1);
    ik_openai_invite_free(x);
  } else if (strcmp(op, "openai.invites.retrieve") == 0) {
    ik_openai_invite *x = NULL;
    const char *id = arg_str(c, args, "invite_id", err);
    if (err->n) return;
    st = ik_openai_invite_retrieve(cl, id, co, &x, &e);
    if (st == IK_STATUS_OK) out->ok = openai_invite_value(x, 1);
    ik_openai_invite_free(x);
  } else if (strcmp(op, "openai.invites.list") == 0 || strcmp(op, "twilio.invites.list") == 0 ||
             strcmp(op, "twilio.users.list") == 0 || strcmp(op, "fastly.invitations.list") == 0) {
    ik_list_options lo;
    ik_page *p = NULL;
    if (!fill_list_options(c, args, &lo, err)) return;
    if (op[0] == 'o') {
      st = ik_openai_invite_list(cl, &lo, co, &p, &e);
    } else if (op[0] == 'f') {
      st = ik_fastly_invitation_list(cl, &lo, co, &p, &e);
    } else if (strcmp(op, "twilio.users.list") == 0) {
      st = ik_twilio_user_list(cl, svc, &lo, co, &p, &e);
    } else {
      const char *ids[64];
      const size_t n = arg_str_array(c, args, "identities", ids, 64, err);
      if (err->n) return;
      st = ik_twilio_invite_list(cl, svc, chan, n ? ids : NULL, n, &lo, co, &p, &e);
    }
    if (st == IK_STATUS_OK) out->ok = page_value(p);
    ik_page_free(p);
  } else if (strcmp(op, "openai.invites.delete") == 0 || strcmp(op, "twilio.invites.delete") == 0 ||
             strcmp(op, "twilio.users.delete") == 0 || strcmp(op, "fastly.invitations.delete") == 0) {
    ik_deletion *d = NULL;
    if (strcmp(op, "openai.invites.delete") == 0) {
      const char *id = arg_str(c, args, "invite_id", err);
      if (err->n) return;
      st = ik_openai_invite_delete(cl, id, co, &d, &e);
    } else if (strcmp(op, "twilio.invites.delete") == 0) {
      const char *sid = arg_str(c, args, "invite_sid", err);
      if (err->n) return;
      st = ik_twilio_invite_delete(cl, svc, chan, sid, co, &d, &e);
    } else if (strcmp(op, "twilio.users.delete") == 0) {
      const char *who = arg_str(c, args, "sid_or_identity", err);
      if (err->n) return;
      st = ik_twilio_user_delete(cl, svc, who, co, &d, &e);
    } else {
      const char *id = arg_str(c, args, "invitation_id", err);
      if (err->n) return;
      st = ik_fastly_invitation_delete(cl, id, co, &d, &e);
    }
    if (st == IK_STATUS_OK) out->ok = deletion_value(d);
    ik_deletion_free(d);
  } else if (strcmp(op, "twilio.invites.create") == 0 || strcmp(op, "twilio.invites.fetch") == 0) {
    ik_twilio_invite *x = NULL;
    if (strcmp(op, "twilio.invites.create") == 0) {
      const char *identity = arg_str(c, args, "identity", err);
      const char *role = arg_str(c, args, "role_sid", err);
      if (err->n) return;
      st = ik_twilio_invite_create(cl, svc, chan, identity, role, co, &x, &e);
    } else {
      const char *sid = arg_str(c, args, "invite_sid", err);
      if (err->n) return;
      st = ik_twilio_invite_fetch(cl, svc, chan, sid, co, &x, &e);
    }
    if (st == IK_STATUS_OK) out->ok = twilio_invite_value(x, 1);
    ik_twilio_invite_free(x);
  } else if (strcmp(op, "twilio.users.create") == 0 || strcmp(op, "twilio.users.update") == 0 ||
             strcmp(op, "twilio.users.fetch") == 0) {
    ik_twilio_user *x = NULL;
    const char *who = arg_str(c, args, "sid_or_identity", err);
    if (strcmp(op, "twilio.users.fetch") == 0) {
      if (err->n) return;
      st = ik_twilio_user_fetch(cl, svc, who, co, &x, &e);
    } else {
      ik_twilio_user_params p;
      if (!user_params(c, args, &p, err)) return;
      if (strcmp(op, "twilio.users.create") == 0)
        st = ik_twilio_user_create(cl, svc, &p, co, &x, &e);
      else
        st = ik_twilio_user_update(cl, svc, who, &p, co, &x, &e);
    }
    if (st == IK_STATUS_OK) out->ok = twilio_user_value(x, 1);
    ik_twilio_user_free(x);
  } else if (strcmp(op, "fastly.invitations.create") == 0) {
    ik_fastly_invitation_create_params p;
    const char *roles[32];
    ik_fastly_service_grant grants[32];
    ik_fastly_invitation *x = NULL;
    if (!fastly_params(c, args, &p, roles, grants, err)) return;
    st = ik_fastly_invitation_create(cl, &p, co, &x, &e);
    if (st == IK_STATUS_OK) out->ok = fastly_invitation_value(x, 1);
    ik_fastly_invitation_free(x);
  } else if (strlen(op) > 7 && strcmp(op + strlen(op) - 7, ".ensure") == 0) {
    if (!run_ensure(c, cl, op, args, co, nonblocking, out, &st, &e, err)) return;
  } else if (strcmp(op, "pager.items") == 0 || strcmp(op, "pager.pages") == 0) {
    run_pager(c, cl, args, strcmp(op, "pager.pages") == 0, out, err);
    return;
  } else {
    sb_printf(err, "unknown op \"%s\"", op);
    return;
  }
  if (st != IK_STATUS_OK)
    set_error(out, st, e);
  else
    ik_error_free(e);
}

/* ------------------------------------------------------------------------ */
/* Expectations                                                              */
/* ------------------------------------------------------------------------ */
static const char *const matcher_keys[] = {"present", "contains", "prefix", "length", "min", "max", "not"};

static int is_matcher(const jm_value *v) {
  size_t i, k;
  if (!jm_is(v, JM_OBJECT) || v->count == 0) return 0;
  for (i = 0; i < v->count; i++) {
    int known = 0;
    for (k = 0; k < sizeof matcher_keys / sizeof matcher_keys[0]; k++)
      if (strcmp(v->keys[i], matcher_keys[k]) == 0) known = 1;
    if (!known) return 0;
  }
  return 1;
}

static void mismatch(strbuf *rep, const char *path, const char *what, const jm_value *exp, const jm_value *act) {
  char *es = jm_dump(exp), *as = jm_dump(act);
  sb_printf(rep, "    %s: %s: expected %s, actual %s\n", path, what, es, as);
  free(es);
  free(as);
}

/* Compares expected against actual; appends one line per difference. */
static int match(ctx *c, const jm_value *exp, const jm_value *act, const char *path, strbuf *rep) {
  strbuf err = {NULL, 0, 0};
  int ok = 1;
  size_t i;
  char sub[512];
  exp = resolve(c, exp, &err);
  if (!exp) {
    sb_printf(rep, "    %s: %s\n", path, err.d);
    free(err.d);
    return 0;
  }
  if (!act) {
    sb_printf(rep, "    %s: no such field in the result (see README \"Actual values\")\n", path);
    return 0;
  }
  if (is_matcher(exp)) {
    const jm_value *m;
    if ((m = jm_get(exp, "present"))) {
      const int present = act->type != JM_NULL;
      if (!jm_is(m, JM_BOOL) || present != m->boolean) {
        mismatch(rep, path, "present", m, act);
        ok = 0;
      }
    }
    if ((m = resolve(c, jm_get(exp, "contains"), &err)) != NULL) {
      if (!jm_is(act, JM_STRING) || !jm_is(m, JM_STRING) || !strstr(act->string, m->string)) {
        mismatch(rep, path, "contains", m, act);
        ok = 0;
      }
    }
    if ((m = resolve(c, jm_get(exp, "prefix"), &err)) != NULL) {
      if (!jm_is(act, JM_STRING) || !jm_is(m, JM_STRING) || strncmp(act->string, m->string, strlen(m->string)) != 0) {
        mismatch(rep, path, "prefix", m, act);
        ok = 0;
      }
    }
    if ((m = jm_get(exp, "length"))) {
      const int64_t n = jm_is(act, JM_ARRAY)    ? (int64_t)act->count
                        : jm_is(act, JM_STRING) ? (int64_t)strlen(act->string)
                                                : -1;
      if (!jm_is(m, JM_INT) || n != m->integer) {
        jm_value *nv = jm_int(n);
        mismatch(rep, path, "length", m, nv);
        jm_free(nv);
        ok = 0;
      }
    }
    if ((m = jm_get(exp, "min"))) {
      if (!jm_is(act, JM_INT) || !jm_is(m, JM_INT) || act->integer < m->integer) {
        mismatch(rep, path, "min", m, act);
        ok = 0;
      }
    }
    if ((m = jm_get(exp, "max"))) {
      if (!jm_is(act, JM_INT) || !jm_is(m, JM_INT) || act->integer > m->integer) {
        mismatch(rep, path, "max", m, act);
        ok = 0;
      }
    }
    if ((m = resolve(c, jm_get(exp, "not"), &err)) != NULL) {
      if (jm_equal(m, act)) {
        mismatch(rep, path, "not", m, act);
        ok = 0;
      }
    }
    if (err.n) {
      sb_printf(rep, "    %s: %s\n", path, err.d);
      ok = 0;
    }
    free(err.d);
    return ok;
  }
  free(err.d);
  if (exp->type == JM_OBJECT) {
    if (act->type != JM_OBJECT) {
      mismatch(rep, path, "type", exp, act);
      return 0;
    }
    for (i = 0; i < exp->count; i++) {
      snprintf(sub, sizeof sub, "%s.%s", path, exp->keys[i]);
      if (!match(c, exp->items[i], jm_get(act, exp->keys[i]), sub, rep)) ok = 0;
    }
    return ok;
  }
  if (exp->type == JM_ARRAY) {
    if (act->type != JM_ARRAY || act->count != exp->count) {
      mismatch(rep, path, act->type == JM_ARRAY ? "array length" : "type", exp, act);
      return 0;
    }
    for (i = 0; i < exp->count; i++) {
      snprintf(sub, sizeof sub, "%s[%zu]", path, i);
      if (!match(c, exp->items[i], act->items[i], sub, rep)) ok = 0;
    }
    return ok;
  }
  if (!jm_equal(exp, act)) {
    mismatch(rep, path, "value", exp, act);
    return 0;
  }
  return 1;
}

/* Follows a save path such as "id", "items.0.sid" or "item_ids.3". */
static const jm_value *lookup_path(const jm_value *v, const char *path) {
  char seg[128];
  while (v && *path) {
    size_t n = strcspn(path, ".");
    if (n >= sizeof seg) return NULL;
    memcpy(seg, path, n);
    seg[n] = '\0';
    path += n;
    if (*path == '.') path++;
    if (v->type == JM_ARRAY) {
      char *end = NULL;
      const long idx = strtol(seg, &end, 10);
      if (*end != '\0' || idx < 0) return NULL;
      v = jm_at(v, (size_t)idx);
    } else {
      v = jm_get(v, seg);
    }
  }
  return v;
}

/* ------------------------------------------------------------------------ */
/* Running a file                                                            */
/* ------------------------------------------------------------------------ */
static int install_faults(ctx *c, const jm_value *faults, strbuf *rep) {
  jm_value *body;
  char *text;
  long st;
  strbuf out = {NULL, 0, 0};
  if (!faults) return 1;
  if (!jm_is(faults, JM_ARRAY)) {
    sb_printf(rep, "    faults must be an array of SPEC strings\n");
    return 0;
  }
  body = jm_object();
  jm_set(body, "specs", jm_clone(faults));
  text = jm_dump(body);
  jm_free(body);
  st = control(&c->emu, "POST", "/__emulator/faults", text, &out);
  free(text);
  if (st != 201) {
    sb_printf(rep, "    installing faults failed: HTTP %ld %s\n", st, out.d ? out.d : "");
    free(out.d);
    return 0;
  }
  free(out.d);
  return 1;
}

static int run_step(ctx *c, ik_client *shared, const jm_value *step, size_t index, strbuf *rep) {
  const char *op = jm_get_str(step, "op", NULL);
  const char *name = jm_get_str(step, "name", op ? op : "?");
  const jm_value *args = jm_get(step, "args");
  const jm_value *expect = jm_get(step, "expect");
  const jm_value *faults = jm_get(step, "faults");
  const jm_value *client_over = jm_get(step, "client");
  const jm_value *call = jm_get(step, "call");
  const jm_value *exp_ok = jm_get(expect, "ok"), *exp_err = jm_get(expect, "error");
  strbuf err = {NULL, 0, 0};
  strbuf local = {NULL, 0, 0};
  outcome out = {NULL, NULL};
  ik_client *cl = shared;
  ik_call_options co;
  int ok = 1;
  char path[64];
  const double started = now_s();

  if (!op || !jm_is(expect, JM_OBJECT) || (!exp_ok == !exp_err)) {
    sb_printf(rep, "  step %zu (%s): malformed: needs \"op\" and \"expect\" with exactly one of ok/error\n", index,
              name);
    return 0;
  }
  if (jm_is(jm_get(step, "clear_faults"), JM_BOOL) && jm_get(step, "clear_faults")->boolean)
    control(&c->emu, "DELETE", "/__emulator/faults", NULL, NULL);
  if (!install_faults(c, faults, &local)) ok = 0;
  if (ok && client_over) {
    cl = make_client(c, client_over, &err);
    if (!cl) ok = 0;
  }
  ik_call_options_init(&co, IK_CALL_OPTIONS_VERSION, NULL);
  if (call) {
    co.max_retries = (int32_t)jm_get_int(call, "max_retries", 0);
    co.deadline_ms = jm_get_int(call, "deadline_ms", 0);
    co.attempt_timeout_ms = jm_get_int(call, "attempt_timeout_ms", 0);
    if (jm_is(jm_get(call, "retry_ambiguous_posts"), JM_BOOL))
      co.retry_ambiguous_posts = jm_get(call, "retry_ambiguous_posts")->boolean ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE;
  }
  if (ok) {
    const jm_value *nb = jm_get(step, "nonblocking");
    run_op(c, cl, op, args, &co, jm_is(nb, JM_BOOL) && nb->boolean, &out, &err);
  }
  if (err.n) {
    sb_printf(&local, "    scenario error: %s\n", err.d);
    ok = 0;
  } else if (ok) {
    if (exp_ok && !out.ok) {
      char *d = jm_dump(out.err);
      sb_printf(&local, "    expected success, got error: %s\n", d);
      free(d);
      ok = 0;
    } else if (exp_err && !out.err) {
      char *d = jm_dump(jm_get(out.ok, "raw_json") ? jm_get(out.ok, "raw_json") : out.ok);
      sb_printf(&local, "    expected an error, got success: %s\n", d);
      free(d);
      ok = 0;
    } else {
      ok = match(c, exp_ok ? exp_ok : exp_err, exp_ok ? out.ok : out.err, exp_ok ? "ok" : "error", &local);
    }
  }
  /* save: {"var": "path.in.result"} */
  if (ok && jm_is(jm_get(step, "save"), JM_OBJECT)) {
    const jm_value *save = jm_get(step, "save");
    size_t i;
    for (i = 0; i < save->count; i++) {
      const jm_value *v =
          jm_is(save->items[i], JM_STRING) ? lookup_path(out.ok ? out.ok : out.err, save->items[i]->string) : NULL;
      if (!v || v->type == JM_NULL) {
        sb_printf(&local, "    save %s: path \"%s\" has no value in the result\n", save->keys[i],
                  jm_is(save->items[i], JM_STRING) ? save->items[i]->string : "?");
        ok = 0;
      } else {
        jm_set(c->vars, save->keys[i], jm_clone(v));
      }
    }
  }
  if (faults) control(&c->emu, "DELETE", "/__emulator/faults", NULL, NULL);
  if (cl != shared) ik_client_free(cl);
  snprintf(path, sizeof path, "%.3f s", now_s() - started);
  printf("  %s step %zu %s [%s] (%s)\n", ok ? "ok  " : "FAIL", index, name, op, path);
  if (!ok) {
    fputs(local.d ? local.d : "", stdout);
    sb_printf(rep, "  step %zu (%s):\n%s", index, name, local.d ? local.d : "");
  }
  fflush(stdout);
  jm_free(out.ok);
  jm_free(out.err);
  free(err.d);
  free(local.d);
  return ok;
}

static int run_file(const char *exe, const char *file) {
  char perr[512];
  jm_value *doc = jm_parse_file(file, perr, sizeof perr);
  const jm_value *steps, *emu_cfg;
  ctx c;
  ik_client *shared = NULL;
  strbuf rep = {NULL, 0, 0}, err = {NULL, 0, 0};
  size_t i, passed = 0;
  int ok = 1;
  const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
  if (!doc) {
    printf("FAIL %s: not valid JSON: %s\n", base, perr);
    return 0;
  }
  if (strcmp(jm_get_str(doc, "format", ""), "invitekit-scenario/1") != 0) {
    printf("FAIL %s: \"format\" must be \"invitekit-scenario/1\"\n", base);
    jm_free(doc);
    return 0;
  }
  steps = jm_get(doc, "steps");
  emu_cfg = jm_get(doc, "emulator");
  if (!jm_is(steps, JM_ARRAY) || steps->count == 0) {
    printf("FAIL %s: \"steps\" must be a non-empty array\n", base);
    jm_free(doc);
    return 0;
  }
  memset(&c, 0, sizeof c);
  c.file = file;
  c.vars = jm_object();
  c.client_defaults = jm_get(doc, "client");
  printf("== %s: %s\n", base, jm_get_str(doc, "description", ""));
  if (!emulator_start(exe, jm_get_int(emu_cfg, "seed", 0), &c.emu, perr, sizeof perr)) {
    printf("FAIL %s: %s\n", base, perr);
    emulator_stop(&c.emu);
    jm_free(c.vars);
    jm_free(doc);
    return 0;
  }
  snprintf(c.openai_url, sizeof c.openai_url, "%s/v1", c.emu.url);
  {
    /* Predefined variables. */
    jm_set(c.vars, "emulator_url", jm_str(c.emu.url));
  }
  shared = make_client(&c, NULL, &err);
  if (!shared) {
    printf("FAIL %s: %s\n", base, err.d ? err.d : "cannot create the client");
    ok = 0;
  }
  for (i = 0; ok && i < steps->count; i++) {
    if (run_step(&c, shared, steps->items[i], i + 1, &rep))
      passed++;
    else
      ok = 0; /* later steps depend on earlier ones: stop at the first failure */
  }
  ik_client_free(shared);
  emulator_stop(&c.emu);
  if (ok)
    printf("PASS %s: %zu/%zu steps\n", base, passed, steps->count);
  else
    printf("FAIL %s: %zu/%zu steps passed before the first failure\n%s", base, passed, steps->count,
           rep.d ? rep.d : "");
  fflush(stdout);
  free(rep.d);
  free(err.d);
  jm_free(c.vars);
  jm_free(doc);
  return ok;
}

int main(int argc, char **argv) {
  const char *exe = getenv("INVITEKIT_EMULATOR");
  int i, first = 1, failures = 0, files = 0;
  if (argc >= 3 && strcmp(argv[1], "--emulator") == 0) {
    exe = argv[2];
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: %s [--emulator PATH] SCENARIO.json...\n", argv[0]);
    return 2;
  }
  if (!exe || !*exe || access(exe, X_OK) != 0) {
    printf("SKIP: invitekit-emulator not available (set INVITEKIT_EMULATOR or pass --emulator; got \"%s\")\n",
           exe ? exe : "");
    return 77;
  }
  signal(SIGPIPE, SIG_IGN);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "curl_global_init failed\n");
    return 1;
  }
  for (i = first; i < argc; i++) {
    files++;
    if (!run_file(exe, argv[i])) failures++;
  }
  curl_global_cleanup();
  printf("scenarios: %d file(s), %d failed\n", files, failures);
  return failures ? 1 : 0;
}
