// Accessor helpers for the C shims: every accessor is NULL-safe and returns
// the "absent" value (NULL, 0, IK_OPTBOOL_UNSET) for a NULL object.
#pragma once

#include <string_view>

#include "core/encoding.hpp"
#include "core/types.hpp"

namespace ik::detail {

inline int32_t int_of(const OptInt &v, int64_t *out) {
  if (!v.set) return 0;
  if (out) *out = v.v;
  return 1;
}

// ISO 8601 text field to Unix seconds.
inline int32_t unix_of(const Field &s, int64_t *out) {
  if (!s.set) return 0;
  auto t = parse_iso8601(s.v);
  if (!t) return 0;
  if (out) *out = *t;
  return 1;
}

// The one shape of borrowed bytes (common.h): 1 + data/len when present.
inline int32_t bytes_of(bool present, std::string_view v, const uint8_t **data, size_t *len) {
  if (data) *data = present ? reinterpret_cast<const uint8_t *>(v.data()) : nullptr;
  if (len) *len = present ? v.size() : 0;
  return present ? 1 : 0;
}

inline int32_t json_of(const ItemBase *item, const uint8_t **data, size_t *len) {
  return item ? bytes_of(true, item->raw, data, len) : bytes_of(false, {}, data, len);
}

inline const ik_response *response_of(const ItemBase *item) { return item ? item->resp.get() : nullptr; }

}  // namespace ik::detail

// const char *NAME(const TYPE *o) -> o->FIELD
#define IK_STR_ACCESSOR(NAME, TYPE, FIELD) \
  IK_API const char *NAME(const TYPE *o) { return o ? o->FIELD.c() : nullptr; }
// int32_t NAME(const TYPE *o, int64_t *out) for optional integer fields
#define IK_INT_ACCESSOR(NAME, TYPE, FIELD) \
  IK_API int32_t NAME(const TYPE *o, int64_t *out) { return o ? ik::detail::int_of(o->FIELD, out) : 0; }
// int32_t NAME(const TYPE *o, int64_t *out) for ISO 8601 text fields
#define IK_UNIX_ACCESSOR(NAME, TYPE, FIELD) \
  IK_API int32_t NAME(const TYPE *o, int64_t *out) { return o ? ik::detail::unix_of(o->FIELD, out) : 0; }
// raw JSON, response and free for an item type
#define IK_ITEM_COMMON(PREFIX, TYPE)                                                                \
  IK_API int32_t PREFIX##_raw_json(const TYPE *o, const uint8_t **data, size_t *len) {              \
    return ik::detail::json_of(o, data, len);                                                       \
  }                                                                                                 \
  IK_API const ik_response *PREFIX##_response(const TYPE *o) { return ik::detail::response_of(o); } \
  IK_API void PREFIX##_free(TYPE *o) { delete o; }
