// Twilio edge/region and base URL checks (resolve_config), the same-origin
// check applied to Twilio next_page_url and to redirects, and URL redaction.
// Properties: an accepted edge/region always yields chat.<edge>.<region>.twilio.com;
// an accepted base URL keeps its origin when a path is appended; and when
// same_origin() accepts a next_page_url, libcurl (which will connect to it)
// sees the same scheme, host and port as the configured base URL.
#include <curl/curl.h>

#include "fuzz_util.hpp"
#include "core/client.hpp"
#include "core/encoding.hpp"

using namespace ik::detail;

namespace {
struct CurlOrigin {
  std::string scheme, host, port;
  bool ok = false;
};

CurlOrigin curl_origin(const std::string &url) {
  CurlOrigin o;
  CURLU *u = curl_url();
  if (!u) return o;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char *s = nullptr, *h = nullptr, *p = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      o.scheme = to_lower(s);
      o.host = to_lower(h);
      o.port = p;
      o.ok = true;
    }
    curl_free(s);
    curl_free(h);
    curl_free(p);
  }
  curl_url_cleanup(u);
  return o;
}

void check_same_origin_agrees_with_curl(const std::string &url, const std::string &base) {
  if (!same_origin(url, base)) return;
  CurlOrigin a = curl_origin(url), b = curl_origin(base);
  if (!a.ok) return;  // libcurl refuses the URL: nothing is sent
  FUZZ_CHECK(b.ok);
  std::string ah = a.host, bh = b.host;
  if (ah.size() > 2 && ah.front() == '[') ah = ah.substr(1, ah.size() - 2);
  if (bh.size() > 2 && bh.front() == '[') bh = bh.substr(1, bh.size() - 2);
  FUZZ_CHECK(a.scheme == b.scheme);
  FUZZ_CHECK(ah == bh);
  FUZZ_CHECK(a.port == b.port);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 4;
  const std::string text = std::string(reinterpret_cast<const char *>(data + 1), size - 1).c_str();
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV;
  try {
    if (mode == 0) {  // "edge|region" (either part may be empty = unset)
      auto bar = text.find('|');
      std::string edge = text.substr(0, bar), region = bar == std::string::npos ? "" : text.substr(bar + 1);
      if (!edge.empty()) o.twilio_edge = edge.c_str();
      if (!region.empty()) o.twilio_region = region.c_str();
      ClientConfig cfg = resolve_config(&o);
      const std::string &base = cfg.provider(IK_PROVIDER_TWILIO).base_url;
      if (!edge.empty() || !region.empty()) {
        std::string want =
            "https://chat." + (edge.empty() ? "" : edge + ".") + (region.empty() ? "us1" : region) + ".twilio.com";
        FUZZ_CHECK(base == want);
        auto parts = parse_url(base);
        FUZZ_CHECK(parts && parts->host == to_lower(want.substr(8)) && parts->path_query == "/");
        CurlOrigin c = curl_origin(base + "/v1/Services");
        FUZZ_CHECK(c.ok && c.host == to_lower(want.substr(8)));
      }
    } else if (mode == 1) {  // a configured base URL
      o.openai_base_url = text.c_str();
      ClientConfig cfg = resolve_config(&o);
      const std::string &base = cfg.provider(IK_PROVIDER_OPENAI).base_url;
      FUZZ_CHECK(same_origin(base + "/organization/invites", base));
      check_same_origin_agrees_with_curl(base + "/organization/invites?after=x", base);
    } else {  // a next_page_url (or redirect Location) against a base URL
      const std::string base = mode == 2 ? "https://chat.twilio.com" : "http://127.0.0.1:8765";
      check_same_origin_agrees_with_curl(text, base);
      std::string r = redact_url(text);
      (void)r;
      if (auto p = parse_url(text)) FUZZ_CHECK(p->port > 0 && p->port <= 65535);
    }
  } catch (const Error &e) {
    FUZZ_CHECK(e.info().status == IK_STATUS_INVALID_ARGUMENT || e.info().status == IK_STATUS_INVALID_UTF8);
  }
  return 0;
}
