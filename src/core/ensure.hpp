// Exactly-once creates (the ik_<resource>_ensure functions): look up, create
// only if absent, and after an ambiguous or conflicting create look again.
// One engine for the four resources; the providers supply lookup, create and
// "does the found object match what was asked".
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "core/client.hpp"
#include "core/json.hpp"

namespace ik::detail {

// Lookup rounds: lookup, create; after an ambiguous create (or a 409) lookup
// again, create again only if the object is still absent.
constexpr int kEnsureRounds = 3;

// The "matches what was asked" rule of every resource: a field the caller set
// (non-NULL) must equal the object's; a field it left unset matches anything.
inline bool same_if_set(const char *wanted, const OptStr &have) { return !wanted || (have.set && have.s == wanted); }

// Serializes the ensure calls of one client for one key (provider, resource,
// person): a stripe of the client's lock array.
std::unique_lock<std::mutex> lock_ensure_key(const ik_client &client, std::string_view key);

// lookup() -> unique_ptr<T> (nullptr when absent); create() -> unique_ptr<T>;
// matches(const T &) -> bool. Writes IK_ENSURE_* to *outcome.
template <class T, class Lookup, class Create, class Matches>
std::unique_ptr<T> ensure(const ik_client &client, std::string_view key, Lookup lookup, Create create, Matches matches,
                          int32_t &outcome) {
  auto lock = lock_ensure_key(client, key);
  bool ambiguous = false;  // a create of ours may have taken effect
  std::optional<Error> last;
  for (int round = 0; round < kEnsureRounds; ++round) {
    std::unique_ptr<T> found;
    try {
      found = lookup();
    } catch (Error &e) {
      if (ambiguous) e.info().ambiguous = true;  // the earlier create may still have taken effect
      throw;
    }
    if (found) {
      outcome = ambiguous ? IK_ENSURE_RECOVERED : matches(*found) ? IK_ENSURE_PRESENT : IK_ENSURE_PRESENT_DIFFERENT;
      return found;
    }
    try {
      auto made = create();
      outcome = IK_ENSURE_CREATED;
      return made;
    } catch (Error &e) {
      if (!e.info().ambiguous && e.info().status != IK_STATUS_CONFLICT) throw;
      ambiguous = ambiguous || e.info().ambiguous;
      last = e;
    }
  }
  Error e = *last;
  e.info().ambiguous = ambiguous;
  e.info().message += " (ensure: still not found after " + std::to_string(kEnsureRounds) + " lookups)";
  throw e;
}

}  // namespace ik::detail
