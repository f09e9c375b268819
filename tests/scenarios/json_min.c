/* tests/scenarios/json_min.c - see json_min.h. */
#include "json_min.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("json_min: out of memory\n", stderr);
    abort();
  }
  return p;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("json_min: out of memory\n", stderr);
    abort();
  }
  return q;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = (char *)xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* ------------------------------------------------------------------------ */
/* Builders                                                                 */
/* ------------------------------------------------------------------------ */
static jm_value *jm_new(jm_type t) {
  jm_value *v = (jm_value *)xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->type = t;
  return v;
}

jm_value *jm_null(void) { return jm_new(JM_NULL); }
jm_value *jm_bool(int b) {
  jm_value *v = jm_new(JM_BOOL);
  v->boolean = b ? 1 : 0;
  return v;
}
jm_value *jm_int(int64_t i) {
  jm_value *v = jm_new(JM_INT);
  v->integer = i;
  v->number = (double)i;
  return v;
}
jm_value *jm_strn(const char *s, size_t len) {
  jm_value *v = jm_new(JM_STRING);
  v->string = xstrndup(s, len);
  return v;
}
jm_value *jm_str(const char *s) { return s ? jm_strn(s, strlen(s)) : jm_null(); }
jm_value *jm_array(void) { return jm_new(JM_ARRAY); }
jm_value *jm_object(void) { return jm_new(JM_OBJECT); }

static void grow(jm_value *c) {
  if (c->count < c->cap) return;
  c->cap = c->cap ? c->cap * 2 : 8;
  c->items = (jm_value **)xrealloc(c->items, c->cap * sizeof *c->items);
  if (c->type == JM_OBJECT) c->keys = (char **)xrealloc(c->keys, c->cap * sizeof *c->keys);
}

void jm_push(jm_value *arr, jm_value *item) {
  if (!arr || arr->type != JM_ARRAY) {
    jm_free(item);
    return;
  }
  grow(arr);
  arr->items[arr->count++] = item;
}

void jm_set(jm_value *obj, const char *key, jm_value *item) {
  size_t i;
  if (!obj || obj->type != JM_OBJECT) {
    jm_free(item);
    return;
  }
  for (i = 0; i < obj->count; i++) {
    if (strcmp(obj->keys[i], key) == 0) {
      jm_free(obj->items[i]);
      obj->items[i] = item;
      return;
    }
  }
  grow(obj);
  obj->keys[obj->count] = xstrndup(key, strlen(key));
  obj->items[obj->count++] = item;
}

jm_value *jm_clone(const jm_value *v) {
  jm_value *c;
  size_t i;
  if (!v) return jm_null();
  switch (v->type) {
    case JM_NULL: return jm_null();
    case JM_BOOL: return jm_bool(v->boolean);
    case JM_INT: return jm_int(v->integer);
    case JM_DOUBLE:
      c = jm_new(JM_DOUBLE);
      c->number = v->number;
      return c;
    case JM_STRING: return jm_str(v->string);
    case JM_ARRAY:
      c = jm_array();
      for (i = 0; i < v->count; i++) jm_push(c, jm_clone(v->items[i]));
      return c;
    case JM_OBJECT:
      c = jm_object();
      for (i = 0; i < v->count; i++) jm_set(c, v->keys[i], jm_clone(v->items[i]));
      return c;
  }
  return jm_null();
}

void jm_free(jm_value *v) {
  size_t i;
  if (!v) return;
  for (i = 0; i < v->count; i++) {
    jm_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
  free(v);
}

/* ------------------------------------------------------------------------ */
/* Lookups                                                                  */
/* ------------------------------------------------------------------------ */
int jm_is(const jm_value *v, jm_type t) { return v != NULL && v->type == t; }

const jm_value *jm_get(const jm_value *obj, const char *key) {
  size_t i;
  if (!obj || obj->type != JM_OBJECT || !key) return NULL;
  for (i = 0; i < obj->count; i++)
    if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
  return NULL;
}

const jm_value *jm_at(const jm_value *arr, size_t i) {
  if (!arr || arr->type != JM_ARRAY || i >= arr->count) return NULL;
  return arr->items[i];
}

const char *jm_get_str(const jm_value *obj, const char *key, const char *def) {
  const jm_value *v = jm_get(obj, key);
  return jm_is(v, JM_STRING) ? v->string : def;
}

int64_t jm_get_int(const jm_value *obj, const char *key, int64_t def) {
  const jm_value *v = jm_get(obj, key);
  return jm_is(v, JM_INT) ? v->integer : def;
}

/* ------------------------------------------------------------------------ */
/* Parser                                                                   */
/* ------------------------------------------------------------------------ */
typedef struct parser {
  const char *s;
  size_t len;
  size_t pos;
  char *err;
  size_t errlen;
  int failed;
} parser;

static void fail(parser *p, const char *fmt, ...) {
  size_t line = 1, col = 1, i;
  char msg[256];
  va_list ap;
  if (p->failed) return;
  p->failed = 1;
  for (i = 0; i < p->pos && i < p->len; i++) {
    if (p->s[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (p->err && p->errlen) snprintf(p->err, p->errlen, "line %zu column %zu: %s", line, col, msg);
}

static void skip_ws(parser *p) {
  while (p->pos < p->len) {
    const char c = p->s[p->pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      p->pos++;
    else
      break;
  }
}

static int peek(parser *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }

static jm_value *parse_value(parser *p, int depth);

static int hex4(parser *p, unsigned *out) {
  unsigned v = 0;
  int i;
  if (p->pos + 4 > p->len) {
    fail(p, "truncated \\u escape");
    return 0;
  }
  for (i = 0; i < 4; i++) {
    const char c = p->s[p->pos++];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else {
      p->pos--;
      fail(p, "bad hex digit in \\u escape");
      return 0;
    }
  }
  *out = v;
  return 1;
}

typedef struct sbuf {
  char *d;
  size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 64;
    b->d = (char *)xrealloc(b->d, b->cap);
  }
  memcpy(b->d + b->n, s, n);
  b->n += n;
  b->d[b->n] = '\0';
}

static void sb_utf8(sbuf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  sb_put(b, u, n);
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned cp;
  size_t need, i;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    need = 2;
    cp = s[0] & 0x1F;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    need = 3;
    cp = s[0] & 0x0F;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    need = 4;
    cp = s[0] & 0x07;
  } else {
    return 0;
  }
  if (n < need) return 0;
  for (i = 1; i < need; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return need;
}

static char *parse_string_raw(parser *p) {
  sbuf b = {NULL, 0, 0};
  sb_put(&b, "", 0);
  p->pos++; /* opening quote */
  for (;;) {
    int c = peek(p);
    if (c < 0) {
      fail(p, "unterminated string");
      break;
    }
    if (c == '"') {
      p->pos++;
      return b.d;
    }
    if (c < 0x20) {
      fail(p, "raw control character 0x%02x in string", c);
      break;
    }
    if (c == '\\') {
      int e;
      p->pos++;
      e = peek(p);
      p->pos++;
      switch (e) {
        case '"': sb_put(&b, "\"", 1); break;
        case '\\': sb_put(&b, "\\", 1); break;
        case '/': sb_put(&b, "/", 1); break;
        case 'b': sb_put(&b, "\b", 1); break;
        case 'f': sb_put(&b, "\f", 1); break;
        case 'n': sb_put(&b, "\n", 1); break;
        case 'r': sb_put(&b, "\r", 1); break;
        case 't': sb_put(&b, "\t", 1); break;
        case 'u': {
          unsigned cp, lo;
          if (!hex4(p, &cp)) goto bad;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (p->pos + 2 > p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
              fail(p, "high surrogate without a low surrogate");
              goto bad;
            }
            p->pos += 2;
            if (!hex4(p, &lo)) goto bad;
            if (lo < 0xDC00 || lo > 0xDFFF) {
              fail(p, "invalid low surrogate");
              goto bad;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(p, "lone low surrogate");
            goto bad;
          } else if (cp == 0) {
            fail(p, "\\u0000 is not supported");
            goto bad;
          }
          sb_utf8(&b, cp);
          break;
        }
        default:
          p->pos--;
          fail(p, "invalid escape");
          goto bad;
      }
      continue;
    }
    {
      const size_t n = utf8_seq((const unsigned char *)p->s + p->pos, p->len - p->pos);
      if (n == 0) {
        fail(p, "invalid UTF-8 in string");
        break;
      }
      sb_put(&b, p->s + p->pos, n);
      p->pos += n;
    }
  }
bad:
  free(b.d);
  return NULL;
}

static jm_value *parse_number(parser *p) {
  const size_t start = p->pos;
  int is_int = 1;
  char buf[64];
  size_t n;
  if (peek(p) == '-') p->pos++;
  if (peek(p) == '0') {
    p->pos++;
  } else if (peek(p) >= '1' && peek(p) <= '9') {
    while (peek(p) >= '0' && peek(p) <= '9') p->pos++;
  } else {
    fail(p, "invalid number");
    return NULL;
  }
  if (peek(p) == '.') {
    is_int = 0;
    p->pos++;
    if (!(peek(p) >= '0' && peek(p) <= '9')) {
      fail(p, "digit expected after '.'");
      return NULL;
    }
    while (peek(p) >= '0' && peek(p) <= '9') p->pos++;
  }
  if (peek(p) == 'e' || peek(p) == 'E') {
    is_int = 0;
    p->pos++;
    if (peek(p) == '+' || peek(p) == '-') p->pos++;
    if (!(peek(p) >= '0' && peek(p) <= '9')) {
      fail(p, "digit expected in exponent");
      return NULL;
    }
    while (peek(p) >= '0' && peek(p) <= '9') p->pos++;
  }
  n = p->pos - start;
  if (n >= sizeof buf) {
    fail(p, "number too long");
    return NULL;
  }
  memcpy(buf, p->s + start, n);
  buf[n] = '\0';
  if (is_int) {
    long long ll;
    errno = 0;
    ll = strtoll(buf, NULL, 10);
    if (errno == 0) return jm_int((int64_t)ll);
  }
  {
    jm_value *v = jm_new(JM_DOUBLE);
    v->number = strtod(buf, NULL);
    return v;
  }
}

static int literal(parser *p, const char *word) {
  const size_t n = strlen(word);
  if (p->pos + n <= p->len && memcmp(p->s + p->pos, word, n) == 0) {
    p->pos += n;
    return 1;
  }
  fail(p, "unexpected character '%c'", p->pos < p->len ? p->s[p->pos] : '?');
  return 0;
}

static jm_value *parse_value(parser *p, int depth) {
  int c;
  if (depth > JM_MAX_DEPTH) {
    fail(p, "nesting deeper than %d", JM_MAX_DEPTH);
    return NULL;
  }
  skip_ws(p);
  c = peek(p);
  if (c < 0) {
    fail(p, "unexpected end of input");
    return NULL;
  }
  if (c == '{') {
    jm_value *obj = jm_object();
    p->pos++;
    skip_ws(p);
    if (peek(p) == '}') {
      p->pos++;
      return obj;
    }
    for (;;) {
      char *key;
      jm_value *item;
      skip_ws(p);
      if (peek(p) != '"') {
        fail(p, "object key (a string) expected");
        break;
      }
      key = parse_string_raw(p);
      if (!key) break;
      if (jm_get(obj, key)) {
        fail(p, "duplicate key \"%s\"", key);
        free(key);
        break;
      }
      skip_ws(p);
      if (peek(p) != ':') {
        fail(p, "':' expected after key \"%s\"", key);
        free(key);
        break;
      }
      p->pos++;
      item = parse_value(p, depth + 1);
      if (!item) {
        free(key);
        break;
      }
      jm_set(obj, key, item);
      free(key);
      skip_ws(p);
      if (peek(p) == ',') {
        p->pos++;
        continue;
      }
      if (peek(p) == '}') {
        p->pos++;
        return obj;
      }
      fail(p, "',' or '}' expected in object");
      break;
    }
    jm_free(obj);
    return NULL;
  }
  if (c == '[') {
    jm_value *arr = jm_array();
    p->pos++;
    skip_ws(p);
    if (peek(p) == ']') {
      p->pos++;
      return arr;
    }
    for (;;) {
      jm_value *item = parse_value(p, depth + 1);
      if (!item) break;
      jm_push(arr, item);
      skip_ws(p);
      if (peek(p) == ',') {
        p->pos++;
        continue;
      }
      if (peek(p) == ']') {
        p->pos++;
        return arr;
      }
      fail(p, "',' or ']' expected in array");
      break;
    }
    jm_free(arr);
    return NULL;
  }
  if (c == '"') {
    char *s = parse_string_raw(p);
    jm_value *v;
    if (!s) return NULL;
    v = jm_new(JM_STRING);
    v->string = s;
    return v;
  }
  if (c == 't') return literal(p, "true") ? jm_bool(1) : NULL;
  if (c == 'f') return literal(p, "false") ? jm_bool(0) : NULL;
  if (c == 'n') return literal(p, "null") ? jm_null() : NULL;
  if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
  fail(p, "unexpected character '%c'", (char)c);
  return NULL;
}

jm_value *jm_parse(const char *text, size_t len, char *err, size_t errlen) {
  parser p;
  jm_value *v;
  p.s = text;
  p.len = len;
  p.pos = 0;
  p.err = err;
  p.errlen = errlen;
  p.failed = 0;
  if (err && errlen) err[0] = '\0';
  if (!text) {
    fail(&p, "no input");
    return NULL;
  }
  v = parse_value(&p, 0);
  if (!v) return NULL;
  skip_ws(&p);
  if (p.pos != p.len) {
    fail(&p, "trailing characters after the JSON value");
    jm_free(v);
    return NULL;
  }
  return v;
}

jm_value *jm_parse_file(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  jm_value *v;
  const size_t limit = 16u << 20;
  if (!f) {
    if (err && errlen) snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    return NULL;
  }
  for (;;) {
    size_t got;
    if (n + 4096 > cap) {
      cap = cap ? cap * 2 : 8192;
      buf = (char *)xrealloc(buf, cap);
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
    if (n > limit) {
      fclose(f);
      free(buf);
      if (err && errlen) snprintf(err, errlen, "%s is larger than 16 MiB", path);
      return NULL;
    }
  }
  fclose(f);
  v = jm_parse(buf, n, err, errlen);
  free(buf);
  return v;
}

/* ------------------------------------------------------------------------ */
/* Dump and equality                                                         */
/* ------------------------------------------------------------------------ */
static void dump_string(sbuf *b, const char *s) {
  sb_put(b, "\"", 1);
  for (; *s; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      sb_put(b, e, 2);
    } else if (c < 0x20) {
      char e[8];
      snprintf(e, sizeof e, "\\u%04x", c);
      sb_put(b, e, 6);
    } else {
      sb_put(b, s, 1);
    }
  }
  sb_put(b, "\"", 1);
}

static void dump(sbuf *b, const jm_value *v) {
  char num[64];
  size_t i;
  if (!v) {
    sb_put(b, "null", 4);
    return;
  }
  switch (v->type) {
    case JM_NULL: sb_put(b, "null", 4); break;
    case JM_BOOL: v->boolean ? sb_put(b, "true", 4) : sb_put(b, "false", 5); break;
    case JM_INT:
      snprintf(num, sizeof num, "%lld", (long long)v->integer);
      sb_put(b, num, strlen(num));
      break;
    case JM_DOUBLE:
      snprintf(num, sizeof num, "%.17g", v->number);
      sb_put(b, num, strlen(num));
      break;
    case JM_STRING: dump_string(b, v->string); break;
    case JM_ARRAY:
      sb_put(b, "[", 1);
      for (i = 0; i < v->count; i++) {
        if (i) sb_put(b, ",", 1);
        dump(b, v->items[i]);
      }
      sb_put(b, "]", 1);
      break;
    case JM_OBJECT:
      sb_put(b, "{", 1);
      for (i = 0; i < v->count; i++) {
        if (i) sb_put(b, ",", 1);
        dump_string(b, v->keys[i]);
        sb_put(b, ":", 1);
        dump(b, v->items[i]);
      }
      sb_put(b, "}", 1);
      break;
  }
}

char *jm_dump(const jm_value *v) {
  sbuf b = {NULL, 0, 0};
  sb_put(&b, "", 0);
  dump(&b, v);
  return b.d;
}

int jm_equal(const jm_value *a, const jm_value *b) {
  size_t i;
  if (!a || !b) return a == b;
  if ((a->type == JM_INT || a->type == JM_DOUBLE) && (b->type == JM_INT || b->type == JM_DOUBLE)) {
    if (a->type == JM_INT && b->type == JM_INT) return a->integer == b->integer;
    return a->number == b->number;
  }
  if (a->type != b->type) return 0;
  switch (a->type) {
    case JM_NULL: return 1;
    case JM_BOOL: return a->boolean == b->boolean;
    case JM_STRING: return strcmp(a->string, b->string) == 0;
    case JM_ARRAY:
      if (a->count != b->count) return 0;
      for (i = 0; i < a->count; i++)
        if (!jm_equal(a->items[i], b->items[i])) return 0;
      return 1;
    case JM_OBJECT:
      if (a->count != b->count) return 0;
      for (i = 0; i < a->count; i++)
        if (!jm_equal(a->items[i], jm_get(b, a->keys[i]))) return 0;
      return 1;
    default: return 0;
  }
}
