/*
 * raw_list - the libcurl floor for listing OpenAI invites (bench/run.py drives it).
 *
 *   raw_list MODE BASE_URL PAGE_SIZE MAX_ITEMS AUTH_HEADER [HEADER ...]
 *
 * GETs BASE_URL/v1/organization/invites?limit=PAGE_SIZE[&after=<last_id>] with
 * one easy handle until has_more is false (or MAX_ITEMS items, 0 = all), with
 * the same production settings as raw_curl's "prod" mode.
 *   MODE noparse:  no JSON parsing: has_more and last_id are found with memmem
 *                  and items are counted by their "organization.invite" tag.
 *   MODE simdjson: each page parsed with simdjson's DOM parser (one reused
 *                  parser); every item's id and email are read.
 *
 * Prints one JSON object on stdout: items, pages, wall_us, cpu_us, maxrss_kb.
 */
#include <curl/curl.h>
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <time.h>

namespace {

int64_t now_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t cpu_us() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<int64_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
         ru.ru_stime.tv_usec;
}

// Peak RSS of this process image in KiB (VmHWM; ru_maxrss would include the
// pre-execve high-water mark of the process that started us).
long maxrss_kb() {
  FILE *f = std::fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f) return -1;
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      kb = std::atol(line + 6);
      break;
    }
  std::fclose(f);
  return kb;
}

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

// The string value after `"key":"`, or empty.
std::string_view string_after(std::string_view hay, std::string_view key) {
  const void *hit = memmem(hay.data(), hay.size(), key.data(), key.size());
  if (!hit) return {};
  const char *v = static_cast<const char *>(hit) + key.size();
  const char *end = hay.data() + hay.size();
  const char *q = static_cast<const char *>(std::memchr(v, '"', static_cast<size_t>(end - v)));
  if (!q) return {};
  return {v, static_cast<size_t>(q - v)};
}

volatile size_t sink;

}  // namespace

int main(int argc, char **argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: raw_list noparse|simdjson BASE_URL PAGE_SIZE MAX_ITEMS AUTH_HEADER [HEADER ...]\n");
    return 2;
  }
  const bool parse = std::strcmp(argv[1], "simdjson") == 0;
  if (!parse && std::strcmp(argv[1], "noparse") != 0) die("MODE must be noparse or simdjson");
  const std::string base = std::string(argv[2]) + "/v1/organization/invites?limit=" + argv[3];
  const long max_items = std::atol(argv[4]);

  int64_t w0 = now_us(), c0 = cpu_us();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_slist *hdrs = nullptr;
  for (int i = 5; i < argc; i++) hdrs = curl_slist_append(hdrs, argv[i]);
  std::string body;
  CURL *e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  simdjson::dom::parser parser;

  std::string url = base, after;
  long items = 0, pages = 0;
  bool more = true;
  while (more && (max_items == 0 || items < max_items)) {
    url = base;
    if (!after.empty()) url += "&after=" + after;
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
      items += static_cast<long>(count_of(v, "\"organization.invite\""));
      more = v.find("\"has_more\":true") != std::string_view::npos;
      after.assign(string_after(v, "\"last_id\":\""));
    } else {
      body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
      simdjson::dom::element doc;
      if (parser.parse(body.data(), body.size(), false).get(doc) != simdjson::SUCCESS) die("bad JSON");
      simdjson::dom::array data;
      if (doc["data"].get_array().get(data) != simdjson::SUCCESS) die("no data array");
      for (simdjson::dom::element item : data) {
        std::string_view id, email;
        if (item["id"].get_string().get(id) != simdjson::SUCCESS) die("item without id");
        if (item["email"].get_string().get(email) != simdjson::SUCCESS) die("item without email");
        sink = sink + id.size() + email.size();
        items++;
      }
      bool has_more = false;
      if (doc["has_more"].get_bool().get(has_more) != simdjson::SUCCESS) die("no has_more");
      more = has_more;
      std::string_view last;
      if (more && doc["last_id"].get_string().get(last) != simdjson::SUCCESS) die("no last_id");
      after.assign(last);
    }
    if (more && after.empty()) die("has_more without last_id");
  }
  curl_easy_cleanup(e);
  curl_slist_free_all(hdrs);
  int64_t w1 = now_us(), c1 = cpu_us();
  std::printf("{\"items\":%ld,\"pages\":%ld,\"wall_us\":%lld,\"cpu_us\":%lld,\"maxrss_kb\":%ld}\n", items, pages,
              static_cast<long long>(w1 - w0), static_cast<long long>(c1 - c0), maxrss_kb());
  return 0;
}
