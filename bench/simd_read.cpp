// bench/simd_read.cpp - see simd_read.h.
#include "simd_read.h"

#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>

static_assert(SIMD_READ_PADDING >= simdjson::SIMDJSON_PADDING, "SIMD_READ_PADDING too small");

namespace {

simdjson::dom::parser &parser() {
  static simdjson::dom::parser p;  // one per process, reused (the programs are single-threaded)
  return p;
}

volatile size_t sink;  // keeps the field reads from being optimised away

int bad(const char *what) {
  std::fprintf(stderr, "simd_read: %s\n", what);
  return -1;
}

// The two fields ik_bench reads from one item.
int read_item(int provider, simdjson::dom::element item) {
  std::string_view a, b;
  if (provider == SIMD_OPENAI) {
    if (item["id"].get_string().get(a) || item["email"].get_string().get(b)) return bad("invite without id/email");
  } else if (provider == SIMD_TWILIO) {
    if (item["sid"].get_string().get(a) || item["identity"].get_string().get(b))
      return bad("user without sid/identity");
  } else {
    if (item["id"].get_string().get(a) || item["attributes"]["email"].get_string().get(b))
      return bad("invitation without id/attributes.email");
  }
  sink = sink + a.size() + b.size();
  return 0;
}

int copy_out(std::string_view v, char *next, size_t cap) {
  if (v.size() + 1 > cap) return bad("next-page reference too long");
  std::memcpy(next, v.data(), v.size());
  next[v.size()] = 0;
  return 0;
}

}  // namespace

extern "C" int simd_provider(const char *name) {
  if (!std::strcmp(name, "openai")) return SIMD_OPENAI;
  if (!std::strcmp(name, "twilio")) return SIMD_TWILIO;
  if (!std::strcmp(name, "fastly")) return SIMD_FASTLY;
  return -1;
}

extern "C" int simd_read_object(int provider, const char *body, size_t len) {
  simdjson::dom::element doc;
  if (parser().parse(body, len, false).get(doc)) return bad("bad JSON");
  if (provider != SIMD_FASTLY) return read_item(provider, doc);
  simdjson::dom::array data;
  if (doc["data"].get_array().get(data) || data.size() == 0) return bad("no data[0]");
  return read_item(provider, data.at(0).value_unsafe());
}

extern "C" int simd_read_page(int provider, const char *body, size_t len, long *items, char *next, size_t next_cap) {
  simdjson::dom::element doc;
  if (parser().parse(body, len, false).get(doc)) return bad("bad JSON");
  const char *key = provider == SIMD_OPENAI ? "data" : provider == SIMD_FASTLY ? "data" : "users";
  std::string_view tw_key;
  if (provider == SIMD_TWILIO && doc["meta"]["key"].get_string().get(tw_key) == simdjson::SUCCESS) key = nullptr;
  simdjson::dom::array arr;
  if ((key ? doc[key] : doc[tw_key]).get_array().get(arr)) return bad("no item array");
  long n = 0;
  for (simdjson::dom::element item : arr) {
    if (read_item(provider, item)) return -1;
    n++;
  }
  *items = n;
  std::string_view v;
  if (provider == SIMD_OPENAI) {
    bool more = false;
    if (doc["has_more"].get_bool().get(more)) return bad("no has_more");
    if (more && doc["last_id"].get_string().get(v)) return bad("has_more without last_id");
  } else {
    simdjson::dom::element e;
    auto r = provider == SIMD_TWILIO ? doc["meta"]["next_page_url"] : doc["links"]["next"];
    if (r.get(e) == simdjson::SUCCESS && e.is_string()) v = e.get_string().value_unsafe();
  }
  return copy_out(v, next, next_cap);
}
