// Shared helpers of the libFuzzer harnesses (tests/fuzz, scripts/fuzz.sh).
// Each harness links the library's internal sources and checks properties
// with check(): a violated property aborts, which libFuzzer reports as a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/types.hpp"

namespace fuzz {

[[noreturn]] inline void violated(const char *what, const char *file, int line) {
  std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n", file, line, what);
  std::abort();
}
#define FUZZ_CHECK(cond)                                      \
  do {                                                        \
    if (!(cond)) ::fuzz::violated(#cond, __FILE__, __LINE__); \
  } while (0)

// A response whose body is the input, padded for simdjson like the transport does.
inline std::shared_ptr<ik_response> response_of(std::string_view body) {
  auto r = std::make_shared<ik_response>();
  r->body.assign(body);
  ik::detail::pad_for_parse(r->body);
  return r;
}

// A string the C accessors hand out must be the whole value: no embedded NUL.
inline void check_str(std::string_view s) { FUZZ_CHECK(std::strlen(s.data()) == s.size()); }
inline void check_str(const ik::detail::OptStr &s) {
  if (s.set) check_str(std::string_view(s.c(), s.s.size()));
}
inline void check_str(const ik::detail::Field &s) {
  if (s.set) check_str(s.v);
}

// Parse failures must be IK_STATUS_PARSE with a message, nothing else.
inline void check_parse_error(const ik::detail::Error &e) {
  FUZZ_CHECK(e.info().status == IK_STATUS_PARSE);
  FUZZ_CHECK(!e.info().message.empty());
}

}  // namespace fuzz
