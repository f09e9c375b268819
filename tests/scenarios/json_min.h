/* tests/scenarios/json_min.h - a minimal JSON reader/builder in C99 for the
 * scenario runner (the library's simdjson is internal and not usable from C).
 *
 * Parsing is strict RFC 8259: one value, optional surrounding whitespace,
 * no comments, no trailing commas, strings must be valid UTF-8 without raw
 * control characters, \uXXXX escapes (surrogate pairs included) are decoded
 * to UTF-8, "\u0000" is rejected (strings are NUL-terminated C strings).
 * Nesting is bounded by JM_MAX_DEPTH. Numbers without fraction/exponent that
 * fit in int64_t are integers; other numbers are doubles. Object keys keep
 * their order; a duplicate key is an error.
 */
#ifndef SCENARIOS_JSON_MIN_H
#define SCENARIOS_JSON_MIN_H

#include <stddef.h>
#include <stdint.h>

#define JM_MAX_DEPTH 64

typedef enum jm_type { JM_NULL, JM_BOOL, JM_INT, JM_DOUBLE, JM_STRING, JM_ARRAY, JM_OBJECT } jm_type;

typedef struct jm_value {
  jm_type type;
  int boolean;
  int64_t integer;
  double number;
  char *string; /* JM_STRING, NUL-terminated */
  size_t count; /* JM_ARRAY / JM_OBJECT: number of members */
  size_t cap;
  struct jm_value **items; /* members (arrays and objects) */
  char **keys;             /* JM_OBJECT only: keys[i] names items[i] */
} jm_value;

/* Parses len bytes. On failure returns NULL and writes a message with the
 * line and column to err (errlen bytes, may be 0). */
jm_value *jm_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a whole file (at most 16 MiB). */
jm_value *jm_parse_file(const char *path, char *err, size_t errlen);
void jm_free(jm_value *v);

/* Lookups; NULL when absent or when v has the wrong type. */
const jm_value *jm_get(const jm_value *obj, const char *key);
const jm_value *jm_at(const jm_value *arr, size_t i);
/* Typed lookups of an object member with a default. */
const char *jm_get_str(const jm_value *obj, const char *key, const char *def);
int64_t jm_get_int(const jm_value *obj, const char *key, int64_t def);
int jm_is(const jm_value *v, jm_type t);

/* Builders (abort on out-of-memory: this is test code). */
jm_value *jm_null(void);
jm_value *jm_bool(int b);
jm_value *jm_int(int64_t i);
jm_value *jm_str(const char *s);              /* s NULL -> JSON null */
jm_value *jm_strn(const char *s, size_t len); /* copies len bytes */
jm_value *jm_array(void);
jm_value *jm_object(void);
void jm_push(jm_value *arr, jm_value *item);                 /* takes ownership */
void jm_set(jm_value *obj, const char *key, jm_value *item); /* replaces; takes ownership */
jm_value *jm_clone(const jm_value *v);

/* Compact JSON text of v (malloc'ed; free() it). Never NULL. */
char *jm_dump(const jm_value *v);
/* Deep equality (integers and doubles compare by value). */
int jm_equal(const jm_value *a, const jm_value *b);

#endif
