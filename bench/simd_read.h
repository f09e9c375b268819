/* bench/simd_read.h - what the "raw libcurl + simdjson" clients do with a
 * response body: parse it with one reused simdjson DOM parser and read the
 * fields ik_bench reads (bench/simd_read.cpp). Shared by raw_curl.c (fetch) and
 * raw_list.cpp (listings) so that both floors parse the same way.
 *
 * The body must have SIMD_READ_PADDING readable bytes after its end (simdjson
 * reads past the end of the document; they are not modified or interpreted). */
#ifndef IK_BENCH_SIMD_READ_H
#define IK_BENCH_SIMD_READ_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIMD_READ_PADDING 64 /* simdjson::SIMDJSON_PADDING (checked in simd_read.cpp) */

enum { SIMD_OPENAI, SIMD_TWILIO, SIMD_FASTLY };

/* One provider name (openai, twilio, fastly) to SIMD_*, -1 if unknown. */
int simd_provider(const char *name);

/* A fetched object: an OpenAI invite (id, email), a Twilio user (sid,
 * identity); for Fastly, which has no fetch, a list page's first invitation (id,
 * attributes.email). Returns 0, or -1 with a message on stderr. */
int simd_read_object(int provider, const char *body, size_t len);

/* A list page: every item's two fields as above. *items gets the number of
 * items; next (size next_cap) the next page: OpenAI the after= cursor
 * (last_id, empty when has_more is false), Twilio meta.next_page_url and Fastly
 * links.next (empty when absent or null). Returns 0, or -1 with a message. */
int simd_read_page(int provider, const char *body, size_t len, long *items, char *next, size_t next_cap);

#ifdef __cplusplus
}
#endif

#endif /* IK_BENCH_SIMD_READ_H */
