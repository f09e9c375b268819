// Fault injection: the SPEC syntax shared by `--fault` and
// POST /__emulator/faults, and the thread-safe set of active faults.
//
//   SPEC    := METHOD SP PATTERN (SP OPTION)*
//   METHOD  := GET | POST | DELETE | PUT | PATCH | … | "*"
//   PATTERN := raw request path (no query); with '*' or '?' it is a glob,
//              otherwise a prefix
//   OPTION  := count=N            (0 = forever; default 0)
//            | every=N            (only every Nth matching request; default 1)
//            | ACTION             (exactly one)
//            | HEADER-OPTION      (any number; added to the response)
//   ACTION  := latency=MS | status=CODE | reset | reset-mid-body | truncate
//            | malformed | slow-body=MS | content-type=TYPE | redirect=URL
//   HEADER-OPTION := retry-after=S | retry-after-ms=MS | x-should-retry=true|false
//            | fastly-ratelimit-remaining=N | fastly-ratelimit-reset=EPOCH
//            | redirect-status=301|302|303|307|308 (only with redirect=)
// A value may be double-quoted to contain spaces.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace emu {

enum class FaultAction { Latency, Status, Reset, ResetMidBody, Truncate, Malformed, SlowBody, ContentType, Redirect };

struct Fault {
  std::uint64_t id = 0;
  std::string spec;     // the text it was parsed from
  std::string method;   // upper case, or "*"
  std::string pattern;  // glob or prefix over the raw path
  std::uint64_t count = 0;
  std::uint64_t used = 0;
  std::uint64_t every = 1;    // applies to the every-th, 2*every-th, ... matching request
  std::uint64_t matched = 0;  // matching requests seen (for every=)
  FaultAction action = FaultAction::Latency;
  std::int64_t number = 0;  // MS for latency/slow-body, CODE for status
  std::string text;         // TYPE for content-type, URL for redirect
  int redirect_status = 307;
  std::vector<std::pair<std::string, std::string>> headers;

  bool matches(std::string_view method, std::string_view raw_path) const;
};

// Parses one SPEC; the error is a human-readable message.
std::variant<Fault, std::string> parse_fault(std::string_view spec);

const char *action_name(FaultAction action);

class FaultSet {
 public:
  std::uint64_t add(Fault fault);
  void clear();
  // Finds the first active fault matching the request, consumes one use of
  // it (expiring it when its count is reached) and returns a copy.
  std::optional<Fault> take(std::string_view method, std::string_view raw_path);
  std::string to_json() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Fault> faults_;
  std::uint64_t next_id_ = 1;
  std::atomic<std::size_t> active_{0};
};

}  // namespace emu
