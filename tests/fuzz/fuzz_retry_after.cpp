// Server-directed delays: retry-after-ms, Retry-After (seconds or HTTP date)
// and Fastly-RateLimit-Reset, plus the date and number parsers behind them.
// Input: the header value; the first byte picks which header carries it.
#include <cmath>

#include "fuzz_util.hpp"
#include "core/encoding.hpp"
#include "core/transport.hpp"

using namespace ik::detail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char *kNames[] = {"retry-after-ms", "Retry-After", "Fastly-RateLimit-Reset"};
  const char *name = kNames[data[0] % 3];
  std::string value(reinterpret_cast<const char *>(data + 1), size - 1);
  const std::string cvalue = value.c_str();  // header values are NUL-terminated in Headers

  Headers h;
  h.add(name, cvalue);
  for (int32_t provider : {IK_PROVIDER_OPENAI, IK_PROVIDER_TWILIO, IK_PROVIDER_FASTLY}) {
    for (int32_t status : {429, 503}) {
      const int64_t d = server_delay_ms(h, status, provider);
      // -1 (no server direction) or a wait in [0, ~100 years].
      FUZZ_CHECK(d == -1 || (d >= 0 && d <= int64_t{100} * 365 * 86400 * 1000));
    }
  }
  if (auto n = parse_number(value)) FUZZ_CHECK(std::isfinite(*n) && *n >= 0);
  (void)parse_int(value);
  (void)parse_http_date(value);
  (void)parse_iso8601(value);
  return 0;
}
