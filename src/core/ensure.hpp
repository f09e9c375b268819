// Exactly-once creates (ik_<resource>_ensure and their _start twins): look
// up, create only if absent, and after an ambiguous or conflicting create
// look again. One description per resource (EnsureSpec, from the provider
// modules), one state machine (Ensure) that turns responses and errors into
// the next request, and two drivers: ensure_blocking() here, and the
// non-blocking engine (capi/async.hpp start_op). Concurrent ensures of one
// client for the same person hold the client's KeyGate key in turn.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/call.hpp"
#include "core/client.hpp"
#include "core/pager.hpp"

namespace ik::detail {

// Creates sent at most: lookup, create; after an ambiguous create (or a 409)
// lookup again, and create again only if the object is still absent.
constexpr int kEnsureRounds = 3;

// The "matches what was asked" rule of every resource: a field the caller set
// (non-NULL) must equal the object's; a field it left unset matches anything.
// The wanted value is a copy: a non-blocking ensure outlives the caller's arguments.
using Wanted = std::optional<std::string>;
inline Wanted wanted(const char *s) { return s ? Wanted(s) : std::nullopt; }
inline bool same_if_set(const Wanted &want, const Field &have) { return !want || (have.set && have.v == *want); }

// What a provider module describes for one ensure call (arguments already checked).
template <class T>
struct EnsureSpec {
  const char *operation = nullptr;  // "invites.ensure" (ik_op_operation), static storage
  std::string key;                  // the person: "<provider>/<resource>/<scope>/<who>"
  Prepared<T> create;
  std::function<bool(const T &)> matches;  // the object found is what was asked
  // The lookup: a fetch whose 404 means "absent" (Twilio users by identity),
  // or else a scan of `list` (largest pages) for the first item with is_person.
  std::optional<Prepared<T>> fetch;
  ListSpec list;
  std::function<bool(const T &)> is_person;
};

// One ensure call as a state machine, driven by either driver:
// request() is what to send next; on_response() / on_error() take its outcome
// and say whether the call is over (then take_result(), outcome()).
template <class T>
class Ensure {
 public:
  Ensure(const ik_client &client, EnsureSpec<T> spec) : client_(client), spec_(std::move(spec)) { start_lookup(); }

  const Request &request() const { return req_; }

  // The successful response to request(): true = done (result and outcome
  // set), false = request() is the next request. Throws Error (PARSE).
  bool on_response(ResponsePtr resp) {
    if (creating_) {
      result_ = spec_.create.finish(client_, req_, std::move(resp));
      outcome_ = IK_ENSURE_CREATED;
      return true;
    }
    if (spec_.fetch) return found(spec_.fetch->finish(client_, req_, std::move(resp)));
    return scan(pager_->page_fetched(pager_->follow_finish(req_, std::move(resp))));
  }

  // The error of request() or of on_response(): true = request() is the next
  // request (look again), false = the call fails with `info`, amended (an
  // error after a create that may have taken effect is ambiguous).
  bool on_error(ErrorInfo &info) {
    if (!creating_) {
      if (spec_.fetch && info.status == IK_STATUS_NOT_FOUND) {
        found(nullptr);
        return true;
      }
      if (ambiguous_) info.ambiguous = true;
      return false;
    }
    // A cancelled call stops here, even when its create may have been sent.
    if (info.status == IK_STATUS_CANCELLED || (!info.ambiguous && info.status != IK_STATUS_CONFLICT)) return false;
    ambiguous_ = ambiguous_ || info.ambiguous;
    if (++creates_ >= kEnsureRounds) {
      info.ambiguous = ambiguous_;
      info.message += " (ensure: still not found after " + std::to_string(kEnsureRounds) + " lookups)";
      return false;
    }
    start_lookup();
    return true;
  }

  std::unique_ptr<T> take_result() { return std::move(result_); }
  int32_t outcome() const { return outcome_; }

 private:
  void start_lookup() {
    creating_ = false;
    if (spec_.fetch) {
      req_ = spec_.fetch->req;
      return;
    }
    pager_ = std::make_unique<ik_pager>();
    pager_->client = client_.retain();
    pager_->spec = spec_.list;
    pager_->spec.page_size = pager_->spec.max_page_size;
    scan(pager_->page_begin());  // a fresh pager asks for its first page: request() is set
  }

  // Looks through pages until one holds the person (done) or a page must be fetched.
  bool scan(ik_pager::PageStep step) {
    while (!step.fetch) {
      if (!step.page) return found(nullptr);  // past the last page
      for (T &item : items_of<T>(*step.page))
        if (spec_.is_person(item)) return found(std::make_unique<T>(std::move(item)));
      step = pager_->page_begin();
    }
    req_ = std::move(step.req);
    return false;
  }

  // The lookup's answer: the object (done) or nullptr (create next).
  bool found(std::unique_ptr<T> obj) {
    pager_.reset();
    if (obj) {
      outcome_ = ambiguous_            ? IK_ENSURE_RECOVERED
                 : spec_.matches(*obj) ? IK_ENSURE_PRESENT
                                       : IK_ENSURE_PRESENT_DIFFERENT;
      result_ = std::move(obj);
      return true;
    }
    creating_ = true;
    req_ = spec_.create.req;
    return false;
  }

  const ik_client &client_;
  EnsureSpec<T> spec_;
  Request req_;
  bool creating_ = false;
  bool ambiguous_ = false;  // a create of ours may have taken effect
  int creates_ = 0;         // creates that failed ambiguously or with a 409
  std::unique_ptr<ik_pager> pager_;
  std::unique_ptr<T> result_;
  int32_t outcome_ = 0;
};

// The blocking driver: holds the person's key, sends on the calling thread.
template <class T>
std::unique_ptr<T> ensure_blocking(const ik_client &client, EnsureSpec<T> spec, const CallSettings &cs,
                                   int32_t &outcome) {
  const KeyGate::Held held = client.ensure_gate.lock(spec.key);
  Ensure<T> m(client, std::move(spec));
  while (true) {
    try {
      if (m.on_response(client.transport->execute(m.request(), cs))) break;
    } catch (Error &e) {
      if (!m.on_error(e.info())) throw;
    }
  }
  outcome = m.outcome();
  return m.take_result();
}

}  // namespace ik::detail
