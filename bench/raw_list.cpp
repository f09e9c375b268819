/*
 * raw_list - the libcurl floors for listings (bench/run.py and
 * bench/static_server.py drive it).
 *
 *   raw_list MODE PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS [HEADER ...]
 *
 * Lists every item with one easy handle, the same production settings as
 * raw_curl's "prod" mode (the given headers, CURLOPT_NOSIGNAL, timeouts, the
 * body collected into one reused buffer, the status checked), following the
 * provider's pagination until the last page (or MAX_ITEMS items, 0 = all):
 *   openai  BASE_URL/v1/organization/invites?limit=PAGE_SIZE, then &after=<last_id>
 *   twilio  BASE_URL/v2/Services/IS000.../Users?PageSize=PAGE_SIZE, then meta.next_page_url
 *   fastly  BASE_URL/invitations?page[size]=PAGE_SIZE, then links.next
 *   MODE noparse:  no JSON parsing: items are counted by a per-item marker and
 *                  the next page is found with memmem (whitespace-tolerant, so
 *                  compact and pretty-printed bodies both work).
 *   MODE simdjson: each page parsed with simdjson's DOM parser (simd_read.cpp,
 *                  one reused parser); every item's two fields are read (the
 *                  ones ik_bench reads).
 *
 * Prints one JSON object on stdout: items, pages, wall_us, cpu_us, maxrss_kb.
 */
#include <curl/curl.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "measure.h"
#include "simd_read.h"

namespace {

const char *const kTwilioService = "IS00000000000000000000000000000000";  // as ik_bench

[[noreturn]] void die(const char *msg) {
  std::fprintf(stderr, "raw_list: %s\n", msg);
  std::exit(1);
}

size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud) {
  auto *s = static_cast<std::string *>(ud);
  s->append(ptr, size * nmemb);
  return size * nmemb;
}

size_t count_of(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  const char *p = hay.data(), *end = hay.data() + hay.size();
  while (p < end) {
    const void *hit = memmem(p, static_cast<size_t>(end - p), needle.data(), needle.size());
    if (!hit) break;
    n++;
    p = static_cast<const char *>(hit) + needle.size();
  }
  return n;
}

// Where the value of the first "key" starts (after the colon and any
// whitespace), or nullptr.
const char *value_of(std::string_view hay, std::string_view quoted_key) {
  const void *hit = memmem(hay.data(), hay.size(), quoted_key.data(), quoted_key.size());
  if (!hit) return nullptr;
  const char *p = static_cast<const char *>(hit) + quoted_key.size(), *end = hay.data() + hay.size();
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == ':')) p++;
  return p < end ? p : nullptr;
}

// The string value of the first "key" (the escapes \/ and \u0026 undone, which
// is all the pages' URLs use), or empty when absent, null or not a string.
std::string string_of(std::string_view hay, std::string_view quoted_key) {
  std::string out;
  const char *p = value_of(hay, quoted_key), *end = hay.data() + hay.size();
  if (!p || *p != '"') return out;
  for (p++; p < end && *p != '"'; p++) {
    if (*p == '\\' && end - p >= 6 && std::strncmp(p, "\\u0026", 6) == 0) {
      out.push_back('&');
      p += 5;
    } else if (*p == '\\' && end - p >= 2) {
      out.push_back(*++p);
    } else {
      out.push_back(*p);
    }
  }
  return out;
}

volatile size_t sink;

}  // namespace

int main(int argc, char **argv) {
  if (argc < 6) {
    std::fprintf(stderr,
                 "usage: raw_list noparse|simdjson openai|twilio|fastly BASE_URL PAGE_SIZE MAX_ITEMS [HEADER ...]\n");
    return 2;
  }
  const bool parse = std::strcmp(argv[1], "simdjson") == 0;
  if (!parse && std::strcmp(argv[1], "noparse") != 0) die("MODE must be noparse or simdjson");
  const int prov = simd_provider(argv[2]);
  if (prov < 0) die("PROVIDER must be openai, twilio or fastly");
  const std::string base(argv[3]), size(argv[4]);
  const long max_items = std::atol(argv[5]);
  std::string first;
  if (prov == SIMD_OPENAI)
    first = base + "/v1/organization/invites?limit=" + size;
  else if (prov == SIMD_TWILIO)
    first = base + "/v2/Services/" + kTwilioService + "/Users?PageSize=" + size;
  else
    first = base + "/invitations?page[size]=" + size;

  int64_t w0 = now_us(), c0 = cpu_us();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_slist *hdrs = nullptr;
  for (int i = 6; i < argc; i++) hdrs = curl_slist_append(hdrs, argv[i]);
  std::string body;
  CURL *e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);

  std::string url = first, next;
  char next_buf[4096];
  long items = 0, pages = 0;
  for (;;) {
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    body.clear();
    CURLcode rc = curl_easy_perform(e);
    if (rc != CURLE_OK) die(curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) die("unexpected HTTP status");
    pages++;
    if (!parse) {
      std::string_view v(body);
      if (prov == SIMD_OPENAI) {
        items += static_cast<long>(count_of(v, "\"organization.invite\""));
        const char *more = value_of(v, "\"has_more\"");
        next = more && std::strncmp(more, "true", 4) == 0 ? string_of(v, "\"last_id\"") : std::string();
      } else if (prov == SIMD_TWILIO) {
        items += static_cast<long>(count_of(v, "\"identity\""));
        next = string_of(v, "\"next_page_url\"");
      } else {
        items += static_cast<long>(count_of(v, "\"invitation\""));
        next = string_of(v, "\"next\"");
      }
      sink = sink + next.size();
    } else {
      body.reserve(body.size() + SIMD_READ_PADDING);
      long n = 0;
      if (simd_read_page(prov, body.data(), body.size(), &n, next_buf, sizeof next_buf)) die("bad page");
      items += n;
      next = next_buf;
    }
    if (next.empty() || (max_items > 0 && items >= max_items)) break;
    url = prov == SIMD_OPENAI ? first + "&after=" + next : next;
  }
  curl_easy_cleanup(e);
  curl_slist_free_all(hdrs);
  int64_t w1 = now_us(), c1 = cpu_us();
  std::printf("{\"items\":%ld,\"pages\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld}\n", items, pages,
              static_cast<long long>(w1 - w0), static_cast<long long>(c1 - c0), maxrss_kb());
  return 0;
}
