/*
 * Conformance driver: drives all sixteen invitekit operations through the
 * public C API against Stoplight Prism (mock mode: the vendors' OpenAPI
 * documents answer from their examples; proxy mode: Prism validates the
 * traffic between invitekit and invitekit-emulator).
 *
 * The driver does not decide much by itself. It prints one JSON object per
 * line on stdout:
 *   {"kind":"call", "case":..., "op":..., "sent":{...}, "status":..., "http":...,
 *    "method":..., "url":..., "violations":..., "error":{...}, "result":{...}}
 *   {"kind":"check", "case":..., "name":..., "ok":true|false, "detail":...}
 *   {"kind":"end"}
 * and run_conformance.py compares the results with the spec files and with
 * Prism's logs. "check" records are the few facts only the driver can see
 * (pager and cursor behaviour across calls).
 *
 * Usage:
 *   driver --mode mock|proxy --tw1 URL --tw2 URL --openai URL --fastly URL
 *          [--example OP=NAME]... [--twilio-sid AC..] [--twilio-token T]
 *          [--openai-key K] [--fastly-key K]
 * OP is one of tw1.create tw1.list tw1.fetch tw1.delete tw2.create tw2.list
 * tw2.fetch tw2.update tw2.delete oa.create oa.list oa.retrieve oa.delete
 * fa.create fa.list fa.delete; NAME "-" means "no Prefer header".
 *
 * Only the public API (invitekit/invitekit.h) is used.
 */
#include <invitekit/invitekit.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Small string builder and JSON writer                                      */
/* ------------------------------------------------------------------------ */
typedef struct sb {
  char *p;
  size_t len, cap;
} sb;

static sb out_line;

static void sb_reserve(sb *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t ncap = b->cap ? b->cap : 256;
  while (ncap < b->len + extra + 1) ncap *= 2;
  char *np = (char *)realloc(b->p, ncap);
  if (!np) {
    fprintf(stderr, "driver: out of memory\n");
    exit(2);
  }
  b->p = np;
  b->cap = ncap;
}
static void sb_putn(sb *b, const char *s, size_t n) {
  sb_reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}
static void sb_puts(sb *b, const char *s) { sb_putn(b, s, strlen(s)); }
static void sb_printf(sb *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    sb_putn(b, tmp, (size_t)n);
    return;
  }
  char *big = (char *)malloc((size_t)n + 1);
  if (!big) exit(2);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sb_putn(b, big, (size_t)n);
  free(big);
}

/* JSON string literal of n bytes (bytes >= 0x80 are passed through: the
 * library hands out UTF-8; invalid UTF-8 is replaced by the runner). */
static void sb_json_strn(sb *b, const char *s, size_t n) {
  sb_putn(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': sb_puts(b, "\\\""); break;
      case '\\': sb_puts(b, "\\\\"); break;
      case '\n': sb_puts(b, "\\n"); break;
      case '\r': sb_puts(b, "\\r"); break;
      case '\t': sb_puts(b, "\\t"); break;
      default:
        if (c < 0x20)
          sb_printf(b, "\\u%04x", c);
        else
          sb_putn(b, (const char *)&s[i], 1);
    }
  }
  sb_putn(b, "\"", 1);
}

#define JMAX 64
static int j_first[JMAX];
static int j_depth;

static void j_pre(const char *key) {
  if (!j_first[j_depth]) sb_putn(&out_line, ",", 1);
  j_first[j_depth] = 0;
  if (key) {
    sb_json_strn(&out_line, key, strlen(key));
    sb_putn(&out_line, ":", 1);
  }
}
static void j_obj(const char *key) {
  j_pre(key);
  sb_putn(&out_line, "{", 1);
  j_first[++j_depth] = 1;
}
static void j_obj_end(void) {
  sb_putn(&out_line, "}", 1);
  j_depth--;
}
static void j_arr(const char *key) {
  j_pre(key);
  sb_putn(&out_line, "[", 1);
  j_first[++j_depth] = 1;
}
static void j_arr_end(void) {
  sb_putn(&out_line, "]", 1);
  j_depth--;
}
static void j_str(const char *key, const char *v) {
  j_pre(key);
  if (v)
    sb_json_strn(&out_line, v, strlen(v));
  else
    sb_puts(&out_line, "null");
}
static void j_strn(const char *key, const char *v, size_t n) {
  j_pre(key);
  if (v)
    sb_json_strn(&out_line, v, n);
  else
    sb_puts(&out_line, "null");
}
static void j_int(const char *key, long long v) {
  j_pre(key);
  sb_printf(&out_line, "%lld", v);
}
static void j_null(const char *key) {
  j_pre(key);
  sb_puts(&out_line, "null");
}
static void j_bool(const char *key, int v) {
  j_pre(key);
  sb_puts(&out_line, v ? "true" : "false");
}
/* IK_OPTBOOL_* -> true/false/null; anything else is printed as a number so
 * the runner reports it. */
static void j_optbool(const char *key, ik_optbool v) {
  if (v == IK_OPTBOOL_TRUE)
    j_bool(key, 1);
  else if (v == IK_OPTBOOL_FALSE)
    j_bool(key, 0);
  else if (v == IK_OPTBOOL_UNSET)
    j_null(key);
  else
    j_int(key, v);
}
/* An "int32 has + int64 *out" accessor. */
static void j_opt_int(const char *key, int32_t has, int64_t v) {
  if (has == 1)
    j_int(key, (long long)v);
  else if (has == 0)
    j_null(key);
  else
    j_str(key, "<accessor returned neither 0 nor 1>");
}
/* The same for an optional-integer accessor called here: int32_t f(obj, int64_t *out). */
#define J_OPT_INT(key, fn, obj)    \
  do {                             \
    int64_t v_ = 0;                \
    int32_t has_ = fn((obj), &v_); \
    j_opt_int((key), has_, v_);    \
  } while (0)
/* A borrowed-bytes accessor's result: the bytes as a JSON string (exactly len
 * bytes: item slices are not NUL-terminated), or null when it returned 0. A
 * return value other than 0/1, or 1 without data, is printed so the runner
 * reports it. */
static void j_bytes(const char *key, int32_t has, const uint8_t *data, size_t len) {
  if (has == 1 && data)
    j_strn(key, (const char *)data, len);
  else if (has == 0 && !data && len == 0)
    j_null(key);
  else
    j_str(key, "<bytes accessor returned an inconsistent result>");
}
#define J_RAW_JSON(key, fn, obj)        \
  do {                                  \
    const uint8_t *d_ = NULL;           \
    size_t n_ = 0;                      \
    int32_t has_ = fn((obj), &d_, &n_); \
    j_bytes((key), has_, d_, n_);       \
  } while (0)
static void j_strs(const char *key, const char *const *v, size_t n) {
  j_arr(key);
  for (size_t i = 0; i < n; i++) j_str(NULL, v[i]);
  j_arr_end();
}

static void rec_begin(const char *kind, const char *case_id, const char *op) {
  out_line.len = 0;
  if (out_line.p) out_line.p[0] = '\0';
  j_depth = 0;
  j_first[0] = 1;
  sb_puts(&out_line, "{");
  j_first[0] = 1;
  j_str("kind", kind);
  if (case_id) j_str("case", case_id);
  if (op) j_str("op", op);
}
static void rec_end(void) {
  sb_puts(&out_line, "}\n");
  fwrite(out_line.p, 1, out_line.len, stdout);
  fflush(stdout);
}

static int checks_failed;
static void check(const char *case_id, const char *name, int ok, const char *fmt, ...) {
  char detail[1024];
  detail[0] = '\0';
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
  }
  rec_begin("check", case_id, NULL);
  j_str("name", name);
  j_bool("ok", ok);
  j_str("detail", detail);
  rec_end();
  if (!ok) checks_failed++;
}

static char *dupstr(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *d = (char *)malloc(n + 1);
  if (!d) exit(2);
  memcpy(d, s, n + 1);
  return d;
}

/* ------------------------------------------------------------------------ */
/* Log callback: remembers the method and URL of the last request            */
/* ------------------------------------------------------------------------ */
static char last_method[16];
static char last_url[4096];
static int requests_seen;

static void on_log(const ik_log_record *rec, void *user_data) {
  (void)user_data;
  if (!rec || !rec->url || !rec->method) return;
  snprintf(last_method, sizeof last_method, "%s", rec->method);
  snprintf(last_url, sizeof last_url, "%s", rec->url);
  requests_seen++;
}
static void reset_last_request(void) {
  last_method[0] = '\0';
  last_url[0] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */
/* ------------------------------------------------------------------------ */
typedef struct example_sel {
  const char *op;
  const char *name;
} example_sel;

static const char *mode = "mock";
static const char *url_tw1, *url_tw2, *url_oa, *url_fa;
static const char *twilio_sid = "AC0123456789abcdef0123456789abcdef";
static const char *twilio_token = "conformance-twilio-token";
static const char *openai_key = "sk-admin-conformance";
static const char *fastly_key = "conformance-fastly-token";
static example_sel examples[128];
static size_t n_examples;

static ik_client *c_tw1, *c_tw2, *c_oa, *c_fa;

/* Proxy mode: "X-Forwarded-Host: <the Prism proxy's host:port>" on every
 * request, so that the emulator behind Prism builds absolute URLs (Twilio's
 * meta.next_page_url, Fastly's links) that point back at the proxy: Prism
 * forwards every header but Host. NULL in mock mode. */
static const char *xfh_tw1, *xfh_tw2, *xfh_oa, *xfh_fa;
static char xfh_buf[4][300];

static const char *forwarded_host_header(int i, const char *url) {
  const char *h = strstr(url, "://");
  h = h ? h + 3 : url;
  size_t n = strcspn(h, "/");
  snprintf(xfh_buf[i], sizeof xfh_buf[i], "X-Forwarded-Host: %.*s", (int)n, h);
  return xfh_buf[i];
}

static ik_client *make_client_ex(const char *tw_url, const char *oa_url, const char *fa_url, int twilio_api_key) {
  ik_client_options o;
  if (ik_client_options_init(&o, IK_CLIENT_OPTIONS_VERSION, NULL) != IK_STATUS_OK) return NULL;
  o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
  o.twilio_account_sid = twilio_sid;
  if (twilio_api_key) {
    /* API key SID + secret instead of the auth token (HTTP Basic either way) */
    o.twilio_api_key = "SK0123456789abcdef0123456789abcdef";
    o.twilio_api_secret = "conformance-twilio-api-secret";
  } else {
    o.twilio_auth_token = twilio_token;
  }
  o.twilio_base_url = tw_url;
  o.openai_admin_key = openai_key;
  o.openai_organization = "org-conformance";
  o.openai_project = "proj_conformance";
  o.openai_base_url = oa_url;
  o.fastly_api_token = fastly_key;
  o.fastly_base_url = fa_url;
  o.user_agent_suffix = "conformance";
  o.connect_timeout_ms = 5000;
  o.attempt_timeout_ms = 30000;
  o.max_retries = -1; /* one call = one request: keeps Prism's log aligned with the calls */
  o.log_level = IK_LOG_DEBUG;
  o.log_cb = on_log;
  ik_client *c = NULL;
  ik_error *err = NULL;
  ik_status st = ik_client_new(&o, &c, &err);
  if (st != IK_STATUS_OK) {
    fprintf(stderr, "driver: ik_client_new failed: %s: %s\n", ik_status_name(st),
            err ? ik_error_message(err) : "(no error object)");
    ik_error_free(err);
    return NULL;
  }
  return c;
}

static ik_client *make_client(const char *tw_url, const char *oa_url, const char *fa_url) {
  return make_client_ex(tw_url, oa_url, fa_url, 0);
}

/* Per-call options with up to four extra headers. */
typedef struct call_ctx {
  ik_call_options opts;
  const char *hdrs[4];
  char prefer_buf[256];
} call_ctx;

static const ik_call_options *call_opts(call_ctx *cc, const char *prefer, const char *extra) {
  memset(cc, 0, sizeof *cc);
  ik_call_options_init(&cc->opts, IK_CALL_OPTIONS_VERSION, NULL);
  size_t n = 0;
  if (prefer && *prefer && strcmp(prefer, "-") != 0) {
    if (strchr(prefer, '='))
      snprintf(cc->prefer_buf, sizeof cc->prefer_buf, "Prefer: %s", prefer);
    else
      snprintf(cc->prefer_buf, sizeof cc->prefer_buf, "Prefer: example=%s", prefer);
    cc->hdrs[n++] = cc->prefer_buf;
  }
  if (extra) cc->hdrs[n++] = extra;
  cc->opts.extra_headers = n ? cc->hdrs : NULL;
  cc->opts.extra_headers_count = n;
  return &cc->opts;
}

/* ------------------------------------------------------------------------ */
/* Outcome and result dumpers                                                */
/* ------------------------------------------------------------------------ */
static void j_path(const char *const *segs, size_t n) { j_strs("path", segs, n); }

/* status, http, method, url, violations, error. */
static void emit_outcome(ik_status st, const ik_error *err, const ik_response *resp) {
  j_str("status", ik_status_name(st));
  int32_t http = resp ? ik_response_http_status(resp) : ik_error_http_status(err);
  j_int("http", http);
  j_str("method", last_method[0] ? last_method : NULL);
  j_str("url", last_url[0] ? last_url : NULL);
  const char *viol = resp ? ik_response_header(resp, "sl-violations") : ik_error_header(err, "sl-violations");
  j_str("violations", viol);
  if (resp) {
    j_int("resp_provider", ik_response_provider(resp));
    j_int("attempts", ik_response_attempts(resp));
  }
  if (err) {
    j_obj("error");
    j_str("message", ik_error_message(err));
    j_str("provider_code", ik_error_provider_code(err));
    j_str("provider_message", ik_error_provider_message(err));
    j_str("content_type", ik_error_field(err, "content_type"));
    j_int("attempts", ik_error_attempts(err));
    const uint8_t *body = NULL;
    size_t blen = 0;
    if (ik_error_body(err, &body, &blen) && body)
      j_strn("body", (const char *)body, blen);
    else
      j_null("body");
    j_obj_end();
  } else {
    j_null("error");
  }
}

static void dump_tw_invite(const char *key, const ik_twilio_invite *inv) {
  if (!inv) {
    j_null(key);
    return;
  }
  int64_t t = 0;
  int32_t has;
  j_obj(key);
  j_str("sid", ik_twilio_invite_sid(inv));
  j_str("account_sid", ik_twilio_invite_account_sid(inv));
  j_str("channel_sid", ik_twilio_invite_channel_sid(inv));
  j_str("service_sid", ik_twilio_invite_service_sid(inv));
  j_str("identity", ik_twilio_invite_identity(inv));
  j_str("role_sid", ik_twilio_invite_role_sid(inv));
  j_str("created_by", ik_twilio_invite_created_by(inv));
  j_str("url", ik_twilio_invite_url(inv));
  j_str("date_created", ik_twilio_invite_date_created(inv));
  j_str("date_updated", ik_twilio_invite_date_updated(inv));
  has = ik_twilio_invite_date_created_unix(inv, &t);
  j_opt_int("date_created_unix", has, t);
  t = 0;
  has = ik_twilio_invite_date_updated_unix(inv, &t);
  j_opt_int("date_updated_unix", has, t);
  J_RAW_JSON("raw_json", ik_twilio_invite_raw_json, inv);
  j_obj_end();
}

static void dump_tw_user(const char *key, const ik_twilio_user *u) {
  if (!u) {
    j_null(key);
    return;
  }
  int64_t t = 0;
  int32_t has;
  j_obj(key);
  j_str("sid", ik_twilio_user_sid(u));
  j_str("account_sid", ik_twilio_user_account_sid(u));
  j_str("service_sid", ik_twilio_user_service_sid(u));
  j_str("attributes", ik_twilio_user_attributes(u));
  j_str("friendly_name", ik_twilio_user_friendly_name(u));
  j_str("role_sid", ik_twilio_user_role_sid(u));
  j_str("identity", ik_twilio_user_identity(u));
  j_optbool("is_online", ik_twilio_user_is_online(u));
  j_optbool("is_notifiable", ik_twilio_user_is_notifiable(u));
  j_str("date_created", ik_twilio_user_date_created(u));
  j_str("date_updated", ik_twilio_user_date_updated(u));
  has = ik_twilio_user_date_created_unix(u, &t);
  j_opt_int("date_created_unix", has, t);
  t = 0;
  has = ik_twilio_user_date_updated_unix(u, &t);
  j_opt_int("date_updated_unix", has, t);
  J_OPT_INT("joined_channels_count", ik_twilio_user_joined_channels_count, u);
  j_obj("links");
  j_str("user_channels", ik_twilio_user_link_user_channels(u));
  j_str("user_bindings", ik_twilio_user_link_user_bindings(u));
  j_obj_end();
  j_str("url", ik_twilio_user_url(u));
  J_RAW_JSON("raw_json", ik_twilio_user_raw_json, u);
  j_obj_end();
}

static void dump_oa_invite(const char *key, const ik_openai_invite *inv) {
  if (!inv) {
    j_null(key);
    return;
  }
  int64_t t = 0;
  int32_t has;
  j_obj(key);
  j_str("object", ik_openai_invite_object(inv));
  j_str("id", ik_openai_invite_id(inv));
  j_str("email", ik_openai_invite_email(inv));
  j_str("role", ik_openai_invite_role(inv));
  j_str("status", ik_openai_invite_status(inv));
  has = ik_openai_invite_created_at_unix(inv, &t);
  j_opt_int("created_at", has, t);
  t = 0;
  has = ik_openai_invite_expires_at_unix(inv, &t);
  j_opt_int("expires_at", has, t);
  t = 0;
  has = ik_openai_invite_accepted_at_unix(inv, &t);
  j_opt_int("accepted_at", has, t);
  j_int("has_projects", ik_openai_invite_has_projects(inv));
  j_arr("projects");
  size_t n = ik_openai_invite_project_count(inv);
  for (size_t i = 0; i < n; i++) {
    const char *id = NULL, *role = NULL;
    j_obj(NULL);
    if (ik_openai_invite_project_at(inv, i, &id, &role) != 1) j_str("project_at", "<returned 0 for an index in range>");
    j_str("id", id);
    j_str("role", role);
    j_obj_end();
  }
  j_arr_end();
  J_RAW_JSON("raw_json", ik_openai_invite_raw_json, inv);
  j_obj_end();
}

/* Every provider's delete hands out the same ik_deletion. body_present comes
 * from the exchange metadata, raw_json from the deletion. */
static void dump_deletion(const char *key, const ik_deletion *d) {
  if (!d) {
    j_null(key);
    return;
  }
  j_obj(key);
  j_int("kind", ik_deletion_kind(d));
  j_str("object", ik_deletion_object(d));
  j_str("id", ik_deletion_id(d));
  j_optbool("deleted", ik_deletion_deleted(d));
  J_RAW_JSON("raw_json", ik_deletion_raw_json, d);
  j_int("body_present", ik_response_body(ik_deletion_response(d), NULL, NULL));
  j_obj_end();
}

static void dump_fa_invitation(const char *key, const ik_fastly_invitation *inv) {
  if (!inv) {
    j_null(key);
    return;
  }
  int64_t t = 0;
  int32_t has;
  j_obj(key);
  j_str("id", ik_fastly_invitation_id(inv));
  j_str("type", ik_fastly_invitation_type(inv));
  j_str("email", ik_fastly_invitation_email(inv));
  j_optbool("limit_services", ik_fastly_invitation_limit_services(inv));
  j_str("role", ik_fastly_invitation_role(inv));
  j_arr("roles");
  size_t n = ik_fastly_invitation_role_count(inv);
  for (size_t i = 0; i < n; i++) j_str(NULL, ik_fastly_invitation_role_at(inv, i));
  j_arr_end();
  has = ik_fastly_invitation_status_code(inv, &t);
  j_opt_int("status_code", has, t);
  j_str("created_at", ik_fastly_invitation_created_at(inv));
  j_str("updated_at", ik_fastly_invitation_updated_at(inv));
  j_str("deleted_at", ik_fastly_invitation_deleted_at(inv));
  t = 0;
  has = ik_fastly_invitation_created_at_unix(inv, &t);
  j_opt_int("created_at_unix", has, t);
  t = 0;
  has = ik_fastly_invitation_updated_at_unix(inv, &t);
  j_opt_int("updated_at_unix", has, t);
  t = 0;
  has = ik_fastly_invitation_deleted_at_unix(inv, &t);
  j_opt_int("deleted_at_unix", has, t);
  j_str("customer_id", ik_fastly_invitation_customer_id(inv));
  j_arr("service_invitations");
  n = ik_fastly_invitation_service_invitation_count(inv);
  for (size_t i = 0; i < n; i++) j_str(NULL, ik_fastly_invitation_service_invitation_at(inv, i));
  j_arr_end();
  J_RAW_JSON("raw_json", ik_fastly_invitation_raw_json, inv);
  j_obj_end();
}

static void dump_page(const char *key, const ik_page *pg) {
  if (!pg) {
    j_null(key);
    return;
  }
  j_obj(key);
  int32_t kind = ik_page_kind(pg);
  size_t n = ik_page_count(pg);
  j_int("kind", kind);
  j_int("count", (long long)n);
  j_bool("has_more", ik_page_has_more(pg));
  j_str("next_cursor", ik_page_next_cursor(pg));
  j_obj("meta");
  switch (kind) {
    case IK_KIND_OPENAI_INVITE:
      j_str("first_id", ik_page_openai_first_id(pg));
      j_str("last_id", ik_page_openai_last_id(pg));
      break;
    case IK_KIND_TWILIO_INVITE:
    case IK_KIND_TWILIO_USER:
      J_OPT_INT("page", ik_page_twilio_page, pg);
      J_OPT_INT("page_size", ik_page_twilio_page_size, pg);
      j_str("key", ik_page_twilio_key(pg));
      j_str("url", ik_page_twilio_url(pg));
      j_str("first_page_url", ik_page_twilio_first_page_url(pg));
      j_str("previous_page_url", ik_page_twilio_previous_page_url(pg));
      j_str("next_page_url", ik_page_twilio_next_page_url(pg));
      break;
    case IK_KIND_FASTLY_INVITATION:
      j_obj("links");
      j_str("first", ik_page_fastly_link_first(pg));
      j_str("last", ik_page_fastly_link_last(pg));
      j_str("prev", ik_page_fastly_link_prev(pg));
      j_str("next", ik_page_fastly_link_next(pg));
      j_obj_end();
      J_OPT_INT("current_page", ik_page_fastly_current_page, pg);
      J_OPT_INT("per_page", ik_page_fastly_per_page, pg);
      J_OPT_INT("record_count", ik_page_fastly_record_count, pg);
      J_OPT_INT("total_pages", ik_page_fastly_total_pages, pg);
      break;
    default: break;
  }
  j_obj_end();
  j_arr("items");
  for (size_t i = 0; i < n; i++) {
    switch (kind) {
      case IK_KIND_OPENAI_INVITE: dump_oa_invite(NULL, ik_page_openai_invite_at(pg, i)); break;
      case IK_KIND_TWILIO_INVITE: dump_tw_invite(NULL, ik_page_twilio_invite_at(pg, i)); break;
      case IK_KIND_TWILIO_USER: dump_tw_user(NULL, ik_page_twilio_user_at(pg, i)); break;
      case IK_KIND_FASTLY_INVITATION: dump_fa_invitation(NULL, ik_page_fastly_invitation_at(pg, i)); break;
      default: j_null(NULL);
    }
  }
  j_arr_end();
  /* The kind-generic view of the same items: id and the item's own bytes. */
  j_arr("item_ids");
  for (size_t i = 0; i < n; i++) j_str(NULL, ik_page_item_id(pg, i));
  j_arr_end();
  j_arr("item_raw_json");
  for (size_t i = 0; i < n; i++) {
    const uint8_t *d = NULL;
    size_t len = 0;
    int32_t has = ik_page_item_raw_json(pg, i, &d, &len);
    j_bytes(NULL, has, d, len);
  }
  j_arr_end();
  J_RAW_JSON("raw_json", ik_page_raw_json, pg);
  j_obj_end();
}

static void j_list_opts(const ik_list_options *lo) {
  if (!lo) {
    j_null("list");
    return;
  }
  j_obj("list");
  j_int("page_size", lo->page_size);
  j_int("max_items", (long long)lo->max_items);
  j_str("cursor", lo->cursor);
  j_obj_end();
}

/* ------------------------------------------------------------------------ */
/* Operations: each performs one call and prints one "call" record           */
/* ------------------------------------------------------------------------ */
#define PATH_MAX_SEGS 8

/* --- Twilio Chat v1 invites --- */
static char *tw1_create(const char *cs, const char *svc, const char *ch, const char *identity, const char *role,
                        const char *prefer) {
  call_ctx cc;
  ik_twilio_invite *inv = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_invite_create(c_tw1, svc, ch, identity, role, call_opts(&cc, prefer, xfh_tw1), &inv, &err);
  rec_begin("call", cs, "tw1.create");
  j_obj("sent");
  const char *segs[] = {"v1", "Services", svc, "Channels", ch, "Invites"};
  j_path(segs, 6);
  j_str("prefer", prefer);
  j_str("identity", identity);
  j_str("role_sid", role);
  j_obj_end();
  emit_outcome(st, err, inv ? ik_twilio_invite_response(inv) : NULL);
  dump_tw_invite("result", inv);
  rec_end();
  char *sid = inv ? dupstr(ik_twilio_invite_sid(inv)) : NULL;
  ik_twilio_invite_free(inv);
  ik_error_free(err);
  return sid;
}

static void tw1_fetch(const char *cs, const char *svc, const char *ch, const char *sid, const char *prefer) {
  call_ctx cc;
  ik_twilio_invite *inv = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_invite_fetch(c_tw1, svc, ch, sid, call_opts(&cc, prefer, xfh_tw1), &inv, &err);
  rec_begin("call", cs, "tw1.fetch");
  j_obj("sent");
  const char *segs[] = {"v1", "Services", svc, "Channels", ch, "Invites", sid};
  j_path(segs, 7);
  j_str("prefer", prefer);
  j_str("sid", sid);
  j_obj_end();
  emit_outcome(st, err, inv ? ik_twilio_invite_response(inv) : NULL);
  dump_tw_invite("result", inv);
  rec_end();
  ik_twilio_invite_free(inv);
  ik_error_free(err);
}

/* Returns the next cursor (owned) or NULL. *count receives the item count. */
static char *tw1_list(const char *cs, const char *svc, const char *ch, const char *const *ids, size_t nids,
                      const ik_list_options *lo, const char *prefer, size_t *count) {
  call_ctx cc;
  ik_page *pg = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_invite_list(c_tw1, svc, ch, ids, nids, lo, call_opts(&cc, prefer, xfh_tw1), &pg, &err);
  rec_begin("call", cs, "tw1.list");
  j_obj("sent");
  const char *segs[] = {"v1", "Services", svc, "Channels", ch, "Invites"};
  j_path(segs, 6);
  j_str("prefer", prefer);
  j_strs("identities", ids, nids);
  j_list_opts(lo);
  j_obj_end();
  emit_outcome(st, err, pg ? ik_page_response(pg) : NULL);
  dump_page("result", pg);
  rec_end();
  char *next = pg ? dupstr(ik_page_next_cursor(pg)) : NULL;
  if (count) *count = pg ? ik_page_count(pg) : 0;
  ik_page_free(pg);
  ik_error_free(err);
  return next;
}

static void tw1_delete(const char *cs, const char *svc, const char *ch, const char *sid, const char *prefer) {
  call_ctx cc;
  ik_deletion *del = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_invite_delete(c_tw1, svc, ch, sid, call_opts(&cc, prefer, xfh_tw1), &del, &err);
  rec_begin("call", cs, "tw1.delete");
  j_obj("sent");
  const char *segs[] = {"v1", "Services", svc, "Channels", ch, "Invites", sid};
  j_path(segs, 7);
  j_str("prefer", prefer);
  j_str("sid", sid);
  j_obj_end();
  emit_outcome(st, err, del ? ik_deletion_response(del) : NULL);
  dump_deletion("result", del);
  rec_end();
  ik_deletion_free(del);
  ik_error_free(err);
}

/* --- Twilio Chat v2 users --- */
static void j_user_params(const ik_twilio_user_params *p) {
  j_str("identity", p->identity);
  j_str("role_sid", p->role_sid);
  j_str("attributes", p->attributes);
  j_str("friendly_name", p->friendly_name);
  j_str("webhook", p->webhook_enabled == IK_OPTBOOL_TRUE    ? "true"
                   : p->webhook_enabled == IK_OPTBOOL_FALSE ? "false"
                                                            : NULL);
}

static char *tw2_create(const char *cs, const char *svc, const ik_twilio_user_params *p, const char *prefer) {
  call_ctx cc;
  ik_twilio_user *u = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_user_create(c_tw2, svc, p, call_opts(&cc, prefer, xfh_tw2), &u, &err);
  rec_begin("call", cs, "tw2.create");
  j_obj("sent");
  const char *segs[] = {"v2", "Services", svc, "Users"};
  j_path(segs, 4);
  j_str("prefer", prefer);
  j_user_params(p);
  j_obj_end();
  emit_outcome(st, err, u ? ik_twilio_user_response(u) : NULL);
  dump_tw_user("result", u);
  rec_end();
  char *sid = u ? dupstr(ik_twilio_user_sid(u)) : NULL;
  ik_twilio_user_free(u);
  ik_error_free(err);
  return sid;
}

static void tw2_fetch(const char *cs, const char *svc, const char *sid, const char *prefer) {
  call_ctx cc;
  ik_twilio_user *u = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_user_fetch(c_tw2, svc, sid, call_opts(&cc, prefer, xfh_tw2), &u, &err);
  rec_begin("call", cs, "tw2.fetch");
  j_obj("sent");
  const char *segs[] = {"v2", "Services", svc, "Users", sid};
  j_path(segs, 5);
  j_str("prefer", prefer);
  j_str("sid", sid);
  j_obj_end();
  emit_outcome(st, err, u ? ik_twilio_user_response(u) : NULL);
  dump_tw_user("result", u);
  rec_end();
  ik_twilio_user_free(u);
  ik_error_free(err);
}

static void tw2_update(const char *cs, const char *svc, const char *sid, const ik_twilio_user_params *p,
                       const char *prefer) {
  call_ctx cc;
  ik_twilio_user *u = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_user_update(c_tw2, svc, sid, p, call_opts(&cc, prefer, xfh_tw2), &u, &err);
  rec_begin("call", cs, "tw2.update");
  j_obj("sent");
  const char *segs[] = {"v2", "Services", svc, "Users", sid};
  j_path(segs, 5);
  j_str("prefer", prefer);
  j_str("sid", sid);
  j_user_params(p);
  j_obj_end();
  emit_outcome(st, err, u ? ik_twilio_user_response(u) : NULL);
  dump_tw_user("result", u);
  rec_end();
  ik_twilio_user_free(u);
  ik_error_free(err);
}

static char *tw2_list(const char *cs, const char *svc, const ik_list_options *lo, const char *prefer, size_t *count) {
  call_ctx cc;
  ik_page *pg = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_user_list(c_tw2, svc, lo, call_opts(&cc, prefer, xfh_tw2), &pg, &err);
  rec_begin("call", cs, "tw2.list");
  j_obj("sent");
  const char *segs[] = {"v2", "Services", svc, "Users"};
  j_path(segs, 4);
  j_str("prefer", prefer);
  j_list_opts(lo);
  j_obj_end();
  emit_outcome(st, err, pg ? ik_page_response(pg) : NULL);
  dump_page("result", pg);
  rec_end();
  char *next = pg ? dupstr(ik_page_next_cursor(pg)) : NULL;
  if (count) *count = pg ? ik_page_count(pg) : 0;
  ik_page_free(pg);
  ik_error_free(err);
  return next;
}

static void tw2_delete(const char *cs, const char *svc, const char *sid, const char *prefer) {
  call_ctx cc;
  ik_deletion *del = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_twilio_user_delete(c_tw2, svc, sid, call_opts(&cc, prefer, xfh_tw2), &del, &err);
  rec_begin("call", cs, "tw2.delete");
  j_obj("sent");
  const char *segs[] = {"v2", "Services", svc, "Users", sid};
  j_path(segs, 5);
  j_str("prefer", prefer);
  j_str("sid", sid);
  j_obj_end();
  emit_outcome(st, err, del ? ik_deletion_response(del) : NULL);
  dump_deletion("result", del);
  rec_end();
  ik_deletion_free(del);
  ik_error_free(err);
}

/* --- OpenAI invites --- */
static char *oa_create(const char *cs, const ik_openai_invite_create_params *p, const char *prefer) {
  call_ctx cc;
  ik_openai_invite *inv = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_openai_invite_create(c_oa, p, call_opts(&cc, prefer, xfh_oa), &inv, &err);
  rec_begin("call", cs, "oa.create");
  j_obj("sent");
  const char *segs[] = {"organization", "invites"};
  j_path(segs, 2);
  j_str("prefer", prefer);
  j_str("email", p->email);
  j_str("role", p->role);
  if (p->send_projects == IK_OPTBOOL_TRUE) {
    j_arr("projects");
    for (size_t i = 0; i < p->projects_count; i++) {
      j_obj(NULL);
      j_str("id", p->projects[i].id);
      j_str("role", p->projects[i].role);
      j_obj_end();
    }
    j_arr_end();
  } else {
    j_str("projects", "<omitted>");
  }
  j_obj_end();
  emit_outcome(st, err, inv ? ik_openai_invite_response(inv) : NULL);
  dump_oa_invite("result", inv);
  rec_end();
  char *id = inv ? dupstr(ik_openai_invite_id(inv)) : NULL;
  ik_openai_invite_free(inv);
  ik_error_free(err);
  return id;
}

static void oa_retrieve(const char *cs, const char *id, const char *prefer) {
  call_ctx cc;
  ik_openai_invite *inv = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_openai_invite_retrieve(c_oa, id, call_opts(&cc, prefer, xfh_oa), &inv, &err);
  rec_begin("call", cs, "oa.retrieve");
  j_obj("sent");
  const char *segs[] = {"organization", "invites", id};
  j_path(segs, 3);
  j_str("prefer", prefer);
  j_str("id", id);
  j_obj_end();
  emit_outcome(st, err, inv ? ik_openai_invite_response(inv) : NULL);
  dump_oa_invite("result", inv);
  rec_end();
  ik_openai_invite_free(inv);
  ik_error_free(err);
}

static char *oa_list(const char *cs, const ik_list_options *lo, const char *prefer, size_t *count) {
  call_ctx cc;
  ik_page *pg = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_openai_invite_list(c_oa, lo, call_opts(&cc, prefer, xfh_oa), &pg, &err);
  rec_begin("call", cs, "oa.list");
  j_obj("sent");
  const char *segs[] = {"organization", "invites"};
  j_path(segs, 2);
  j_str("prefer", prefer);
  j_list_opts(lo);
  j_obj_end();
  emit_outcome(st, err, pg ? ik_page_response(pg) : NULL);
  dump_page("result", pg);
  rec_end();
  char *next = pg ? dupstr(ik_page_next_cursor(pg)) : NULL;
  if (count) *count = pg ? ik_page_count(pg) : 0;
  ik_page_free(pg);
  ik_error_free(err);
  return next;
}

static void oa_delete(const char *cs, const char *id, const char *prefer) {
  call_ctx cc;
  ik_deletion *d = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_openai_invite_delete(c_oa, id, call_opts(&cc, prefer, xfh_oa), &d, &err);
  rec_begin("call", cs, "oa.delete");
  j_obj("sent");
  const char *segs[] = {"organization", "invites", id};
  j_path(segs, 3);
  j_str("prefer", prefer);
  j_str("id", id);
  j_obj_end();
  emit_outcome(st, err, d ? ik_deletion_response(d) : NULL);
  dump_deletion("result", d);
  rec_end();
  ik_deletion_free(d);
  ik_error_free(err);
}

/* --- Fastly invitations --- */
static char *fa_create(const char *cs, const ik_fastly_invitation_create_params *p, const char *prefer) {
  call_ctx cc;
  ik_fastly_invitation *inv = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_fastly_invitation_create(c_fa, p, call_opts(&cc, prefer, xfh_fa), &inv, &err);
  rec_begin("call", cs, "fa.create");
  j_obj("sent");
  const char *segs[] = {"invitations"};
  j_path(segs, 1);
  j_str("prefer", prefer);
  j_str("email", p->email);
  j_str("role", p->role);
  j_strs("roles", p->roles, p->roles_count);
  j_str("limit_services", p->limit_services == IK_OPTBOOL_TRUE    ? "true"
                          : p->limit_services == IK_OPTBOOL_FALSE ? "false"
                                                                  : NULL);
  j_str("customer_id", p->customer_id);
  j_arr("services");
  for (size_t i = 0; i < p->services_count; i++) {
    j_obj(NULL);
    j_str("service_id", p->services[i].service_id);
    j_str("permission", p->services[i].permission);
    j_obj_end();
  }
  j_arr_end();
  j_obj_end();
  emit_outcome(st, err, inv ? ik_fastly_invitation_response(inv) : NULL);
  dump_fa_invitation("result", inv);
  rec_end();
  char *id = inv ? dupstr(ik_fastly_invitation_id(inv)) : NULL;
  ik_fastly_invitation_free(inv);
  ik_error_free(err);
  return id;
}

static char *fa_list(const char *cs, const ik_list_options *lo, const char *prefer, size_t *count) {
  call_ctx cc;
  ik_page *pg = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_fastly_invitation_list(c_fa, lo, call_opts(&cc, prefer, xfh_fa), &pg, &err);
  rec_begin("call", cs, "fa.list");
  j_obj("sent");
  const char *segs[] = {"invitations"};
  j_path(segs, 1);
  j_str("prefer", prefer);
  j_list_opts(lo);
  j_obj_end();
  emit_outcome(st, err, pg ? ik_page_response(pg) : NULL);
  dump_page("result", pg);
  rec_end();
  char *next = pg ? dupstr(ik_page_next_cursor(pg)) : NULL;
  if (count) *count = pg ? ik_page_count(pg) : 0;
  ik_page_free(pg);
  ik_error_free(err);
  return next;
}

static void fa_delete(const char *cs, const char *id, const char *prefer) {
  call_ctx cc;
  ik_deletion *del = NULL;
  ik_error *err = NULL;
  reset_last_request();
  ik_status st = ik_fastly_invitation_delete(c_fa, id, call_opts(&cc, prefer, xfh_fa), &del, &err);
  rec_begin("call", cs, "fa.delete");
  j_obj("sent");
  const char *segs[] = {"invitations", id};
  j_path(segs, 2);
  j_str("prefer", prefer);
  j_str("id", id);
  j_obj_end();
  emit_outcome(st, err, del ? ik_deletion_response(del) : NULL);
  dump_deletion("result", del);
  rec_end();
  ik_deletion_free(del);
  ik_error_free(err);
}

/* ------------------------------------------------------------------------ */
/* Pagers                                                                    */
/* ------------------------------------------------------------------------ */
/* Runs a pager to the end (bounded), printing one "call" record with the
 * identities/ids of every item it delivered. kind selects the pager. */
enum { PG_TW1, PG_TW2, PG_OA, PG_FA };

static void run_pager(const char *cs, int which, const char *svc, const char *ch, const char *const *ids, size_t nids,
                      const ik_list_options *lo, long max_pages) {
  ik_pager *pager = NULL;
  ik_error *err = NULL;
  ik_status st = IK_STATUS_INVALID_ARGUMENT;
  const char *op = "?";
  const char *xfh = which == PG_TW1 ? xfh_tw1 : which == PG_TW2 ? xfh_tw2 : which == PG_OA ? xfh_oa : xfh_fa;
  call_ctx cc;
  const ik_call_options *copts = call_opts(&cc, NULL, xfh);
  switch (which) {
    case PG_TW1:
      op = "tw1.pager";
      st = ik_twilio_invite_pager(c_tw1, svc, ch, ids, nids, lo, &pager, &err);
      break;
    case PG_TW2:
      op = "tw2.pager";
      st = ik_twilio_user_pager(c_tw2, svc, lo, &pager, &err);
      break;
    case PG_OA:
      op = "oa.pager";
      st = ik_openai_invite_pager(c_oa, lo, &pager, &err);
      break;
    case PG_FA:
      op = "fa.pager";
      st = ik_fastly_invitation_pager(c_fa, lo, &pager, &err);
      break;
  }
  long pages = 0;
  int32_t kind = pager ? ik_pager_kind(pager) : 0;
  rec_begin("call", cs, op);
  j_obj("sent");
  j_list_opts(lo);
  if (which == PG_TW1) j_strs("identities", ids, nids);
  j_obj_end();
  if (st != IK_STATUS_OK) {
    reset_last_request();
    emit_outcome(st, err, NULL);
    j_null("result");
    rec_end();
    ik_error_free(err);
    return;
  }
  /* Pages: collect item keys. */
  sb keys = {0};
  sb_puts(&keys, "[");
  int first = 1;
  ik_status last_st = IK_STATUS_OK;
  ik_error *last_err = NULL;
  int hit_page_limit = 0;
  const char *violations = NULL;
  char viol_buf[2048] = "";
  for (;;) {
    if (pages >= max_pages) {
      hit_page_limit = 1;
      break;
    }
    ik_page *pg = NULL;
    reset_last_request();
    last_st = ik_pager_next_page(pager, copts, &pg, &last_err);
    if (last_st != IK_STATUS_OK || !pg) break;
    pages++;
    const char *v = ik_response_header(ik_page_response(pg), "sl-violations");
    if (v && !violations) {
      snprintf(viol_buf, sizeof viol_buf, "%s", v);
      violations = viol_buf;
    }
    size_t n = ik_page_count(pg);
    for (size_t i = 0; i < n; i++) {
      const char *k = NULL;
      switch (kind) {
        case IK_KIND_TWILIO_INVITE: k = ik_twilio_invite_identity(ik_page_twilio_invite_at(pg, i)); break;
        case IK_KIND_TWILIO_USER: k = ik_twilio_user_identity(ik_page_twilio_user_at(pg, i)); break;
        case IK_KIND_OPENAI_INVITE: k = ik_openai_invite_email(ik_page_openai_invite_at(pg, i)); break;
        case IK_KIND_FASTLY_INVITATION: k = ik_fastly_invitation_email(ik_page_fastly_invitation_at(pg, i)); break;
      }
      if (!first) sb_puts(&keys, ",");
      first = 0;
      if (k)
        sb_json_strn(&keys, k, strlen(k));
      else
        sb_puts(&keys, "null");
    }
    ik_page_free(pg);
  }
  sb_puts(&keys, "]");
  j_str("status", ik_status_name(last_st));
  j_int("http", last_err ? ik_error_http_status(last_err) : 0);
  j_str("method", last_method[0] ? last_method : NULL);
  j_str("url", last_url[0] ? last_url : NULL);
  j_str("violations", violations ? violations : (last_err ? ik_error_header(last_err, "sl-violations") : NULL));
  if (last_err) {
    j_obj("error");
    j_str("message", ik_error_message(last_err));
    const uint8_t *body = NULL;
    size_t blen = 0;
    if (ik_error_body(last_err, &body, &blen) && body)
      j_strn("body", (const char *)body, blen);
    else
      j_null("body");
    j_obj_end();
  } else {
    j_null("error");
  }
  j_obj("result");
  j_int("kind", kind);
  j_int("pages", pages);
  j_bool("hit_page_limit", hit_page_limit);
  j_int("items_delivered", (long long)ik_pager_items_delivered(pager));
  j_int("done", ik_pager_done(pager));
  j_pre("keys");
  sb_puts(&out_line, keys.p);
  j_obj_end();
  rec_end();
  free(keys.p);
  ik_error_free(last_err);
  ik_pager_free(pager);
}

/* ------------------------------------------------------------------------ */
/* Fixed identifiers                                                         */
/* ------------------------------------------------------------------------ */
static const char *SVC = "IS0123456789abcdef0123456789abcdef";
static const char *CH = "CH0123456789abcdef0123456789abcdef";
static const char *INV_SID = "IN0123456789abcdef0123456789abcdef";
static const char *ROLE = "RL0123456789abcdef0123456789abcdef";
static const char *ROLE2 = "RLfedcba9876543210fedcba9876543210";
static const char *US_SID = "US0123456789abcdef0123456789abcdef";

/* Identities that need path encoding (the last is U+00E9 in UTF-8). */
static const char *const ODD_IDS[] = {"a|b", "ciao#hola", "x/y", "name with spaces", "\xc3\xa9"};
#define N_ODD_IDS 5

static const char *example_for(const char *op) {
  for (size_t i = 0; i < n_examples; i++)
    if (strcmp(examples[i].op, op) == 0) return examples[i].name;
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Mock mode: every example of every operation, then the parameter matrix   */
/* ------------------------------------------------------------------------ */
static void run_example(const char *op, const char *name) {
  char cs[160];
  snprintf(cs, sizeof cs, "example:%s:%s", op, name);
  const char *pref = name;
  if (strcmp(op, "tw1.create") == 0)
    free(tw1_create(cs, SVC, CH, "identity", ROLE, pref));
  else if (strcmp(op, "tw1.list") == 0)
    free(tw1_list(cs, SVC, CH, NULL, 0, NULL, pref, NULL));
  else if (strcmp(op, "tw1.fetch") == 0)
    tw1_fetch(cs, SVC, CH, INV_SID, pref);
  else if (strcmp(op, "tw1.delete") == 0)
    tw1_delete(cs, SVC, CH, INV_SID, pref);
  else if (strcmp(op, "tw2.create") == 0) {
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    p.identity = "jing";
    free(tw2_create(cs, SVC, &p, pref));
  } else if (strcmp(op, "tw2.list") == 0)
    free(tw2_list(cs, SVC, NULL, pref, NULL));
  else if (strcmp(op, "tw2.fetch") == 0)
    tw2_fetch(cs, SVC, US_SID, pref);
  else if (strcmp(op, "tw2.update") == 0) {
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    p.friendly_name = "name";
    tw2_update(cs, SVC, US_SID, &p, pref);
  } else if (strcmp(op, "tw2.delete") == 0)
    tw2_delete(cs, SVC, US_SID, pref);
  else if (strcmp(op, "oa.create") == 0) {
    ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
    p.email = "user@example.com";
    p.role = "reader";
    free(oa_create(cs, &p, pref));
  } else if (strcmp(op, "oa.list") == 0)
    free(oa_list(cs, NULL, pref, NULL));
  else if (strcmp(op, "oa.retrieve") == 0)
    oa_retrieve(cs, "invite-abc", pref);
  else if (strcmp(op, "oa.delete") == 0)
    oa_delete(cs, "invite-abc", pref);
  else if (strcmp(op, "fa.create") == 0) {
    ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
    p.email = "thelma@example.com";
    p.role = "engineer";
    free(fa_create(cs, &p, pref));
  } else if (strcmp(op, "fa.list") == 0)
    free(fa_list(cs, NULL, pref, NULL));
  else if (strcmp(op, "fa.delete") == 0)
    fa_delete(cs, "7Lq2Zy5mW3nB8vR1tK6pXc", pref);
  else
    check(cs, "known operation", 0, "unknown operation '%s' in --example", op);
}

static void mock_twilio_v1(void) {
  /* create: every identity, with and without RoleSid */
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "tw1.create.id%zu", i);
    free(tw1_create(cs, SVC, CH, ODD_IDS[i], (i % 2) ? ROLE : NULL, example_for("tw1.create")));
  }
  /* fetch and delete: an odd channel SID (free text) needs encoding too */
  tw1_fetch("tw1.fetch", SVC, CH, INV_SID, NULL);
  tw1_fetch("tw1.fetch.odd-channel", SVC, "my channel/#1", INV_SID, NULL);
  tw1_delete("tw1.delete", SVC, CH, INV_SID, NULL);
  tw1_delete("tw1.delete.odd-channel", SVC, "my channel/#1", INV_SID, NULL);
  /* the same with an API key instead of the auth token */
  ik_client *saved = c_tw1;
  c_tw1 = make_client_ex(url_tw1, url_oa, url_fa, 1);
  if (c_tw1) {
    tw1_fetch("tw1.fetch.api-key-auth", SVC, CH, INV_SID, NULL);
    ik_client_free(c_tw1);
  } else {
    check("tw1.fetch.api-key-auth", "client with a Twilio API key", 0, "ik_client_new failed");
  }
  c_tw1 = saved;
  /* list: nothing; repeated Identity keys; page size; the page-size maximum */
  free(tw1_list("tw1.list.plain", SVC, CH, NULL, 0, NULL, NULL, NULL));
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 7;
  free(tw1_list("tw1.list.identities", SVC, CH, ODD_IDS, N_ODD_IDS, &lo, NULL, NULL));
  const char *one[] = {"a|b"};
  lo.page_size = 1000;
  free(tw1_list("tw1.list.one-identity.max-page", SVC, CH, one, 1, &lo, NULL, NULL));
  lo.page_size = 5000; /* clamped to 1000 by the library: Prism rejects > 1000 */
  free(tw1_list("tw1.list.clamped-page", SVC, CH, NULL, 0, &lo, NULL, NULL));
  /* pager over the (static) example */
  lo.page_size = 3;
  lo.max_items = 10;
  run_pager("tw1.pager", PG_TW1, SVC, CH, ODD_IDS, 2, &lo, 5);
}

static void mock_twilio_v2(void) {
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  /* create: every optional field, webhook header on, then off, then minimal */
  p.identity = "jing";
  p.role_sid = ROLE;
  p.attributes = "{\"test\":\"test\",\"n\":1}";
  p.friendly_name = "Jing \xc3\xa9 & co";
  p.webhook_enabled = IK_OPTBOOL_TRUE;
  free(tw2_create("tw2.create.full.webhook-true", SVC, &p, example_for("tw2.create")));
  p.webhook_enabled = IK_OPTBOOL_FALSE;
  p.identity = "a|b";
  free(tw2_create("tw2.create.full.webhook-false", SVC, &p, NULL));
  ik_twilio_user_params q = IK_TWILIO_USER_PARAMS_INIT;
  q.identity = "name with spaces";
  free(tw2_create("tw2.create.minimal", SVC, &q, NULL));
  q.identity = "x/y";
  q.friendly_name = ""; /* sent as an empty value */
  free(tw2_create("tw2.create.empty-friendly-name", SVC, &q, NULL));

  /* fetch / update / delete by every odd identity and by SID */
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "tw2.fetch.id%zu", i);
    tw2_fetch(cs, SVC, ODD_IDS[i], NULL);
    ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
    u.friendly_name = "renamed";
    u.webhook_enabled = (i % 3 == 0) ? IK_OPTBOOL_TRUE : (i % 3 == 1) ? IK_OPTBOOL_FALSE : IK_OPTBOOL_UNSET;
    if (i == 0) {
      u.role_sid = ROLE2;
      u.attributes = "{\"k\":[1,2,3]}";
    }
    snprintf(cs, sizeof cs, "tw2.update.id%zu", i);
    tw2_update(cs, SVC, ODD_IDS[i], &u, NULL);
    snprintf(cs, sizeof cs, "tw2.delete.id%zu", i);
    tw2_delete(cs, SVC, ODD_IDS[i], NULL);
  }
  tw2_fetch("tw2.fetch.sid", SVC, US_SID, NULL);
  ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
  u.role_sid = ROLE;
  u.webhook_enabled = IK_OPTBOOL_FALSE;
  tw2_update("tw2.update.sid.role-only", SVC, US_SID, &u, NULL);
  ik_twilio_user_params none = IK_TWILIO_USER_PARAMS_INIT;
  tw2_update("tw2.update.sid.nothing", SVC, US_SID, &none, NULL);
  tw2_delete("tw2.delete.sid", SVC, US_SID, NULL);

  /* list */
  free(tw2_list("tw2.list.plain", SVC, NULL, NULL, NULL));
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 100;
  free(tw2_list("tw2.list.max-page", SVC, &lo, NULL, NULL));
  lo.page_size = 250; /* clamped to 100 */
  free(tw2_list("tw2.list.clamped-page", SVC, &lo, NULL, NULL));
  lo.page_size = 2;
  lo.max_items = 3;
  run_pager("tw2.pager", PG_TW2, SVC, NULL, NULL, 0, &lo, 5);
}

static void mock_openai(void) {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "omitted@example.com";
  p.role = "reader";
  p.send_projects = IK_OPTBOOL_UNSET;
  free(oa_create("oa.create.projects-omitted", &p, NULL));
  p.email = "empty@example.com";
  p.role = "owner";
  p.send_projects = IK_OPTBOOL_TRUE;
  p.projects = NULL;
  p.projects_count = 0;
  free(oa_create("oa.create.projects-empty", &p, NULL));
  ik_openai_project_ref refs[2] = {{"proj_abc", "member"}, {"proj_def", "owner"}};
  p.email = "two@example.com";
  p.role = "reader";
  p.projects = refs;
  p.projects_count = 2;
  free(oa_create("oa.create.projects-two", &p, NULL));

  oa_retrieve("oa.retrieve", "invite-abc", NULL);
  oa_retrieve("oa.retrieve.odd-id", "x/y #1", NULL);
  oa_delete("oa.delete", "invite-abc", NULL);
  oa_delete("oa.delete.odd-id", "x/y #1", NULL);

  size_t n = 0;
  char *next = oa_list("oa.list.plain", NULL, NULL, &n);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5;
  char *next2 = oa_list("oa.list.page-size", &lo, NULL, NULL);
  free(next2);
  lo.page_size = 100;
  lo.cursor = next; /* after=<last_id> from the previous page */
  next2 = oa_list("oa.list.cursor", &lo, NULL, NULL);
  free(next2);
  free(next);
  lo.page_size = 2;
  lo.cursor = NULL;
  lo.max_items = 3;
  run_pager("oa.pager", PG_OA, NULL, NULL, NULL, 0, &lo, 10);
}

static void mock_fastly(void) {
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "thelma@example.com";
  p.role = "engineer";
  free(fa_create("fa.create.role", &p, NULL));
  const char *roles[] = {"Q4rXe9vN1szK8a2fUjYtWp", "Zr8nB2xV7cM4qL1kT9pWsd"};
  ik_fastly_service_grant grants[2] = {{"6yrrdleXQ9QDtum9rMB0nr", "purge_all"},
                                       {"7zzsemfYR0REuvn0sNC1os", "read_only"}};
  ik_fastly_invitation_create_params q = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  q.email = "louise@example.com";
  q.roles = roles;
  q.roles_count = 2;
  q.limit_services = IK_OPTBOOL_TRUE;
  q.customer_id = "44tb1D3asjhhuh2SH8e8YD";
  q.services = grants;
  q.services_count = 2;
  free(fa_create("fa.create.roles-services", &q, NULL));
  q.limit_services = IK_OPTBOOL_FALSE;
  q.role = "superuser";
  q.services_count = 1;
  q.roles_count = 1;
  free(fa_create("fa.create.role-and-roles", &q, NULL));

  free(fa_list("fa.list.plain", NULL, NULL, NULL));
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 100;
  free(fa_list("fa.list.max-page", &lo, NULL, NULL));
  lo.page_size = 3;
  lo.max_items = 5;
  run_pager("fa.pager", PG_FA, NULL, NULL, NULL, 0, &lo, 5);

  fa_delete("fa.delete", "7Lq2Zy5mW3nB8vR1tK6pXc", NULL);
  fa_delete("fa.delete.odd-id", "abc/def ghi", NULL);
}

/* ------------------------------------------------------------------------ */
/* Proxy mode: a stateful run against invitekit-emulator through Prism       */
/* ------------------------------------------------------------------------ */
/* Follows ik_page_next_cursor from page to page; returns the number of
 * items seen. which: 1 = tw1, 2 = tw2, 3 = oa, 4 = fa. */
static size_t follow_cursors(const char *cs_prefix, int which, const char *ch, int page_size, size_t expect_total) {
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = page_size;
  char *cursor = NULL;
  size_t total = 0;
  int pages = 0;
  for (; pages < 20; pages++) {
    char cs[96];
    snprintf(cs, sizeof cs, "%s.page%d", cs_prefix, pages);
    lo.cursor = cursor;
    size_t n = 0;
    char *next = NULL;
    switch (which) {
      case 1: next = tw1_list(cs, SVC, ch, NULL, 0, &lo, NULL, &n); break;
      case 2: next = tw2_list(cs, SVC, &lo, NULL, &n); break;
      case 3: next = oa_list(cs, &lo, NULL, &n); break;
      case 4: next = fa_list(cs, &lo, NULL, &n); break;
    }
    free(cursor);
    cursor = next;
    total += n;
    if (n > (size_t)page_size)
      check(cs, "page size respected", 0, "page has %zu items, page_size was %d", n, page_size);
    if (!cursor) break;
  }
  free(cursor);
  char cs[96];
  snprintf(cs, sizeof cs, "%s.total", cs_prefix);
  check(cs, "cursor chain visits every item", total == expect_total, "saw %zu items over %d page(s), expected %zu",
        total, pages + 1, expect_total);
  check(cs, "cursor chain needs several pages", pages >= 1, "%d page(s) with page_size %d", pages + 1, page_size);
  return total;
}

static void proxy_twilio_v1(void) {
  const char *ch = CH;
  char *sids[N_ODD_IDS] = {0};
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "tw1.create.id%zu", i);
    sids[i] = tw1_create(cs, SVC, ch, ODD_IDS[i], (i % 2) ? ROLE : NULL, NULL);
  }
  const char *two[] = {"a|b", "x/y"};
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 50;
  free(tw1_list("tw1.list.identities", SVC, ch, two, 2, &lo, NULL, NULL));
  free(tw1_list("tw1.list.plain", SVC, ch, NULL, 0, NULL, NULL, NULL));
  follow_cursors("tw1.cursor", 1, ch, 2, N_ODD_IDS);
  lo.page_size = 2;
  lo.max_items = 4;
  run_pager("tw1.pager", PG_TW1, SVC, ch, NULL, 0, &lo, 10);
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    if (!sids[i]) continue;
    snprintf(cs, sizeof cs, "tw1.fetch.id%zu", i);
    tw1_fetch(cs, SVC, ch, sids[i], NULL);
    snprintf(cs, sizeof cs, "tw1.delete.id%zu", i);
    tw1_delete(cs, SVC, ch, sids[i], NULL);
    free(sids[i]);
  }
}

static void proxy_twilio_v2(void) {
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    p.identity = ODD_IDS[i];
    if (i == 0) {
      p.role_sid = ROLE;
      p.attributes = "{\"team\":\"blue\",\"n\":1}";
      p.friendly_name = "First \xc3\xa9";
    }
    p.webhook_enabled = (i % 3 == 0) ? IK_OPTBOOL_TRUE : (i % 3 == 1) ? IK_OPTBOOL_FALSE : IK_OPTBOOL_UNSET;
    snprintf(cs, sizeof cs, "tw2.create.id%zu", i);
    free(tw2_create(cs, SVC, &p, NULL));
  }
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "tw2.fetch.id%zu", i);
    tw2_fetch(cs, SVC, ODD_IDS[i], NULL);
    ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
    u.friendly_name = "renamed";
    u.webhook_enabled = (i % 2) ? IK_OPTBOOL_FALSE : IK_OPTBOOL_TRUE;
    if (i == 1) {
      u.role_sid = ROLE2;
      u.attributes = "{\"k\":[1,2]}";
    }
    snprintf(cs, sizeof cs, "tw2.update.id%zu", i);
    tw2_update(cs, SVC, ODD_IDS[i], &u, NULL);
  }
  follow_cursors("tw2.cursor", 2, NULL, 2, N_ODD_IDS);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  lo.max_items = 4;
  run_pager("tw2.pager", PG_TW2, SVC, NULL, NULL, 0, &lo, 10);
  for (size_t i = 0; i < N_ODD_IDS; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "tw2.delete.id%zu", i);
    tw2_delete(cs, SVC, ODD_IDS[i], NULL);
  }
}

static void proxy_openai(void) {
  enum { N_OA = 4 };
  char *ids[N_OA] = {0};
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "omitted@example.com";
  p.role = "reader";
  ids[0] = oa_create("oa.create.projects-omitted", &p, NULL);
  p.email = "empty@example.com";
  p.role = "owner";
  p.send_projects = IK_OPTBOOL_TRUE;
  ids[1] = oa_create("oa.create.projects-empty", &p, NULL);
  ik_openai_project_ref refs[2] = {{"proj_abc", "member"}, {"proj_def", "owner"}};
  p.email = "two@example.com";
  p.role = "reader";
  p.projects = refs;
  p.projects_count = 2;
  ids[2] = oa_create("oa.create.projects-two", &p, NULL);
  /* IK_OPTBOOL_FALSE omits the field (the library rejects projects given with it) */
  p.email = "false@example.com";
  p.send_projects = IK_OPTBOOL_FALSE;
  p.projects = NULL;
  p.projects_count = 0;
  ids[3] = oa_create("oa.create.projects-false", &p, NULL);
  for (int i = 0; i < N_OA; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "oa.retrieve.%d", i);
    if (ids[i]) oa_retrieve(cs, ids[i], NULL);
  }
  follow_cursors("oa.cursor", 3, NULL, 2, N_OA);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 1;
  lo.max_items = 2;
  run_pager("oa.pager", PG_OA, NULL, NULL, NULL, 0, &lo, 10);
  for (int i = 0; i < N_OA; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "oa.delete.%d", i);
    if (ids[i]) oa_delete(cs, ids[i], NULL);
    free(ids[i]);
  }
}

static void proxy_fastly(void) {
  char *ids[3] = {0};
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "thelma@example.com";
  p.role = "engineer";
  ids[0] = fa_create("fa.create.role", &p, NULL);
  const char *roles[] = {"Q4rXe9vN1szK8a2fUjYtWp"};
  ik_fastly_service_grant grants[2] = {{"6yrrdleXQ9QDtum9rMB0nr", "purge_all"}, {"7zzsemfYR0REuvn0sNC1os", "full"}};
  ik_fastly_invitation_create_params q = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  q.email = "louise@example.com";
  q.roles = roles;
  q.roles_count = 1;
  q.limit_services = IK_OPTBOOL_TRUE;
  q.customer_id = "44tb1D3asjhhuh2SH8e8YD";
  q.services = grants;
  q.services_count = 2;
  ids[1] = fa_create("fa.create.roles-services", &q, NULL);
  ik_fastly_invitation_create_params r = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  r.email = "ana@example.com";
  r.role = "billing";
  r.limit_services = IK_OPTBOOL_FALSE;
  ids[2] = fa_create("fa.create.role-limit-false", &r, NULL);
  follow_cursors("fa.cursor", 4, NULL, 1, 3);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 2;
  lo.max_items = 3;
  run_pager("fa.pager", PG_FA, NULL, NULL, NULL, 0, &lo, 10);
  for (int i = 0; i < 3; i++) {
    char cs[64];
    snprintf(cs, sizeof cs, "fa.delete.%d", i);
    if (ids[i]) fa_delete(cs, ids[i], NULL);
    free(ids[i]);
  }
}

/* ------------------------------------------------------------------------ */
static void usage(void) {
  fprintf(stderr,
          "usage: driver --mode mock|proxy --tw1 URL --tw2 URL --openai URL --fastly URL\n"
          "              [--example OP=NAME]... [--twilio-sid SID] [--twilio-token T]\n"
          "              [--openai-key K] [--fastly-key K] [--only tw1,tw2,oa,fa]\n");
}

int main(int argc, char **argv) {
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
    if (!v) {
      usage();
      return 2;
    }
    i++;
    if (strcmp(a, "--mode") == 0)
      mode = v;
    else if (strcmp(a, "--tw1") == 0)
      url_tw1 = v;
    else if (strcmp(a, "--tw2") == 0)
      url_tw2 = v;
    else if (strcmp(a, "--openai") == 0)
      url_oa = v;
    else if (strcmp(a, "--fastly") == 0)
      url_fa = v;
    else if (strcmp(a, "--twilio-sid") == 0)
      twilio_sid = v;
    else if (strcmp(a, "--twilio-token") == 0)
      twilio_token = v;
    else if (strcmp(a, "--openai-key") == 0)
      openai_key = v;
    else if (strcmp(a, "--fastly-key") == 0)
      fastly_key = v;
    else if (strcmp(a, "--only") == 0)
      only = v;
    else if (strcmp(a, "--example") == 0) {
      const char *eq = strchr(v, '=');
      if (!eq || n_examples >= sizeof examples / sizeof examples[0]) {
        usage();
        return 2;
      }
      char *opname = dupstr(v);
      opname[eq - v] = '\0';
      examples[n_examples].op = opname;
      examples[n_examples].name = eq + 1;
      n_examples++;
    } else {
      usage();
      return 2;
    }
  }
  if (!url_tw1 || !url_tw2 || !url_oa || !url_fa) {
    usage();
    return 2;
  }
  ik_error *err = NULL;
  if (ik_global_init(&err) != IK_STATUS_OK) {
    fprintf(stderr, "driver: ik_global_init failed: %s\n", err ? ik_error_message(err) : "?");
    ik_error_free(err);
    return 2;
  }
  rec_begin("start", NULL, NULL);
  j_str("mode", mode);
  j_str("library_version", ik_version_string());
  j_str("abi_version", ik_abi_version());
  rec_end();

  c_tw1 = make_client(url_tw1, url_oa, url_fa);
  c_tw2 = make_client(url_tw2, url_oa, url_fa);
  c_oa = c_tw1;
  c_fa = c_tw1;
  if (!c_tw1 || !c_tw2) return 2;
  check("setup", "client base URLs", ik_client_base_url(c_tw1, IK_PROVIDER_OPENAI) != NULL, "openai base URL: %s",
        ik_client_base_url(c_tw1, IK_PROVIDER_OPENAI) ? ik_client_base_url(c_tw1, IK_PROVIDER_OPENAI) : "(null)");

  int is_proxy = strcmp(mode, "proxy") == 0;
  if (is_proxy) {
    xfh_tw1 = forwarded_host_header(0, url_tw1);
    xfh_tw2 = forwarded_host_header(1, url_tw2);
    xfh_oa = forwarded_host_header(2, url_oa);
    xfh_fa = forwarded_host_header(3, url_fa);
  }
#define WANT(x) (!only || strstr(only, x))
  if (!is_proxy) {
    for (size_t i = 0; i < n_examples; i++) run_example(examples[i].op, examples[i].name);
    if (WANT("tw1")) mock_twilio_v1();
    if (WANT("tw2")) mock_twilio_v2();
    if (WANT("oa")) mock_openai();
    if (WANT("fa")) mock_fastly();
  } else {
    if (WANT("tw1")) proxy_twilio_v1();
    if (WANT("tw2")) proxy_twilio_v2();
    if (WANT("oa")) proxy_openai();
    if (WANT("fa")) proxy_fastly();
  }
  ik_client_free(c_tw1);
  ik_client_free(c_tw2);
  ik_global_cleanup();
  rec_begin("end", NULL, NULL);
  j_int("driver_checks_failed", checks_failed);
  j_int("log_records", requests_seen);
  rec_end();
  free(out_line.p);
  for (size_t i = 0; i < n_examples; i++) free((void *)examples[i].op);
  return 0;
}
