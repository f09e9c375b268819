// Accessor helpers for the C shims: every accessor is NULL-safe and returns
// the "absent" value (NULL, 0, IK_TRI_NULL) for a NULL object.
#pragma once

#include "core/encoding.hpp"
#include "core/types.hpp"

namespace ik::detail {

inline const char *str_of(const OptStr *s) { return s ? s->c() : nullptr; }

inline int32_t int_of(const OptInt &v, int64_t *out) {
  if (!v.set) return 0;
  if (out) *out = v.v;
  return 1;
}

// ISO 8601 text field to Unix seconds.
inline int32_t unix_of(const OptStr &s, int64_t *out) {
  if (!s.set) return 0;
  auto t = parse_iso8601(s.s);
  if (!t) return 0;
  if (out) *out = *t;
  return 1;
}

inline size_t json_of(const ItemBase *item, const char **data) {
  if (data) *data = item ? item->json().c_str() : nullptr;
  return item ? item->json().size() : 0;
}

inline const ik_response *response_of(const ItemBase *item) { return item ? item->resp.get() : nullptr; }

}  // namespace ik::detail

// const char *NAME(const TYPE *o) -> o->FIELD
#define IK_STR_ACCESSOR(NAME, TYPE, FIELD) \
  IK_API const char *NAME(const TYPE *o) { return o ? o->FIELD.c() : nullptr; }
// int32_t NAME(const TYPE *o, int64_t *out) for ISO 8601 text fields
#define IK_UNIX_ACCESSOR(NAME, TYPE, FIELD) \
  IK_API int32_t NAME(const TYPE *o, int64_t *out) { return o ? ik::detail::unix_of(o->FIELD, out) : 0; }
// raw JSON, response and free for an item type
#define IK_ITEM_COMMON(PREFIX, TYPE)                                                                       \
  IK_API size_t PREFIX##_raw_json(const TYPE *o, const char **data) { return ik::detail::json_of(o, data); } \
  IK_API const ik_response *PREFIX##_response(const TYPE *o) { return ik::detail::response_of(o); }       \
  IK_API void PREFIX##_free(TYPE *o) { delete o; }
