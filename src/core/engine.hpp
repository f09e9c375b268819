// The non-blocking engine: one per client, created on first use. One I/O
// thread and one curl multi handle drive every non-blocking operation
// (ik_op) through the same exchange steps as the blocking calls
// (Transport::begin/start_attempt/setup/collect/conclude); backoff waits are
// timers of the loop. Completion callbacks run on the I/O thread, or are
// queued for ik_client_dispatch (IK_COMPLETIONS_QUEUED) with an eventfd that
// is readable while the queue is not empty. In the relay mode
// (IK_COMPLETIONS_IO_THREAD_RELAY) the loop is a role, not a thread: callbacks
// run at one point of the loop (run_ready), and a watchdog thread hands the
// loop to a new thread when one runs too long. See include/invitekit/async.h
// for the guarantees and docs/DESIGN.md ("Non-blocking calls") for the design.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/call.hpp"
#include "core/transport.hpp"

struct ik_pager;

namespace ik::detail {
class Engine;
}

namespace ik::detail {
// An operation's result, of whichever result type it produces (an item type
// of a provider module, ik_deletion or ik_page), owned until taken back with
// its type.
class OpResult {
 public:
  template <class T>
  OpResult &operator=(std::unique_ptr<T> v) {
    box_ = std::make_unique<Box<T>>(std::move(v));
    return *this;
  }
  // The result if it is a T (else nullptr); the holder is empty afterwards.
  template <class T>
  std::unique_ptr<T> take() {
    auto *b = dynamic_cast<Box<T> *>(box_.get());
    return b ? std::move(b->v) : nullptr;
  }

 private:
  struct BoxBase {
    virtual ~BoxBase() = default;
  };
  template <class T>
  struct Box final : BoxBase {
    explicit Box(std::unique_ptr<T> p) : v(std::move(p)) {}
    std::unique_ptr<T> v;
  };
  std::unique_ptr<BoxBase> box_;
};
}  // namespace ik::detail

struct ik_op {
  // One reference for the engine (until the callback has returned) and one
  // for the caller when it asked for the handle (ik_op_free).
  std::atomic<int32_t> refs{1};
  const ik_client *client = nullptr;  // one client reference, dropped with the op
  ik_op_cb cb = nullptr;
  void *user_data = nullptr;
  int32_t result_type = IK_RESULT_NONE;
  int32_t provider = IK_PROVIDER_NONE;
  const char *operation = nullptr;

  // ---- the work (owned by the I/O thread once submitted) ----
  ik::detail::CallSettings cs;
  ik::detail::Request req;  // the request of the current exchange
  // Takes the successful response of req: returns true when the result is
  // set, false when req now holds the next request to send (pagers).
  std::function<bool(ik_op &, ik::detail::ResponsePtr)> on_response;
  // Optional: sees an error of the current request (or of on_response) before
  // the operation fails with it; returns true when req now holds the next
  // request to send instead (ensure looks again after an ambiguous create).
  // Not called for cancellations. May amend the error.
  std::function<bool(ik_op &, ik::detail::ErrorInfo &)> on_error;
  // Optional: a key of the client's ensure_gate the operation holds from its
  // first request to its completion; while another holder has it, the
  // operation is parked (I/O thread only: parked, gate_held).
  std::string gate_key;
  bool parked = false;
  bool gate_held = false;
  std::unique_ptr<ik::detail::Exchange> ex;
  ik::detail::Transport::Slot *slot = nullptr;
  bool transferring = false;
  bool token_attached = false;  // cs.cancel wakes the engine's multi handle
  ik_pager *pager = nullptr;    // ik_pager_next_page_start: busy until completion
  std::atomic<int32_t> cancel_by{IK_CANCELLED_BY_NONE};

  // ---- the outcome (written once by the engine before the callback) ----
  std::atomic<bool> completed{false};  // status and result are final
  ik_status status = IK_STATUS_WOULD_BLOCK;
  ik::detail::OpResult result;
  ik_error *error = nullptr;
  int32_t ensure_outcome = 0;  // IK_ENSURE_* of a completed ensure
  mutable std::mutex mu;
  std::condition_variable cv;
  bool done = false;  // the callback has returned (under mu)

  ik_op() = default;
  ik_op(const ik_op &) = delete;
  ik_op &operator=(const ik_op &) = delete;
  ~ik_op();
  static void release(ik_op *op);
};

namespace ik::detail {

// The IK_RESULT_* an operation of result type T produces: an item type's is
// its IK_KIND_* (async.h: the public constants agree; capi/async.hpp checks
// it), plus deletions and pages.
template <class T>
constexpr int32_t result_type_of() {
  return kind_of<T>();
}
template <>
constexpr int32_t result_type_of<ik_deletion>() {
  return IK_RESULT_DELETION;
}
template <>
constexpr int32_t result_type_of<ik_page>() {
  return IK_RESULT_PAGE;
}

class Engine {
 public:
  Engine(const ik_client &client);
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  // Takes over the op (its engine reference); starts the I/O thread on first
  // use. Throws (nothing queued) when the engine is shutting down.
  void submit(ik_op *op);
  // From any thread: asks the loop to cancel op (no effect once completed).
  void cancel(ik_op *op, int32_t by);
  // ik_client_free: cancels everything in flight; every callback has run
  // when it returns (see async.h). Later submits fail.
  void shutdown();
  // Queued mode: runs up to max (0 = all queued now) callbacks here.
  int32_t dispatch(int32_t max);
  // Blocks until op's callback has returned or timeout_ms (<0: no limit)
  // passes; dispatches queued completions meanwhile. False on timeout.
  bool wait(ik_op &op, int64_t timeout_ms);
  int fd() const { return efd_; }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // The calling thread runs the loop now (in the relay mode: holds the loop).
  bool on_io_thread() const;
  // A wait for an operation here would never end: the calling thread is the
  // loop's and the loop cannot move (not the relay mode).
  bool wait_would_deadlock() const { return !relay_ && on_io_thread(); }
  // The calling thread is running op's own callback (a wait for op there
  // would wait for itself, in every mode).
  static bool in_own_callback(const ik_op *op);
  // A parked op was handed its gate key (called by KeyGate::release, under
  // the gate's lock, from any thread): the loop starts it, or releases the
  // key again if it was cancelled meanwhile. Takes one op reference.
  void resume(ik_op *op);

 private:
  void loop();
  void begin(ik_op *op);
  void start(ik_op *op);          // takes the gate key (or parks), then the first exchange
  void next_exchange(ik_op *op);  // an exchange for op->req (first or next), then its first attempt
  void run_resumed(std::vector<ik_op *> &resumed);
  void attempt(ik_op *op);
  void transfer_done(ik_op *op, CURLcode code, int32_t cancelled_by);
  void advance(ik_op *op, Transport::Attempt &a);
  void check_cancels();
  void cancel_now(ik_op *op, int32_t by);
  void fail_op(ik_op *op, ErrorInfo info);
  void fail_current(ik_op *op);  // from the exception being handled
  void complete(ik_op *op);
  void run_callback(ik_op *op);
  void finish_all(int32_t by);
  void start_loop_thread();  // under mu_: one more loop thread, holding a client reference
  // Under mu_: the loop threads (only those that left loop(), when ended_only)
  // for the caller to join.
  std::vector<std::thread> take_threads(bool ended_only);
  // Relay mode.
  void stop_watch();          // stops and joins the watchdog, if any
  bool run_ready();           // the callbacks of ready_; false when the loop moved to another thread meanwhile
  void watch();               // the watchdog thread
  void relay(uint64_t seen);  // the watchdog: the callback seen has run a whole tick; hands the loop over
  void kick_watch();
  // submit() from a callback on the thread holding the loop: begins the
  // operation and writes its request now, not after the callback returns.
  void send_from_callback();

  const ik_client &client_;
  const Transport &transport_;
  const bool queued_;
  const bool relay_;
  CURLM *multi_ = nullptr;
  int efd_ = -1;
  std::atomic<int64_t> in_flight_{0};

  std::mutex mu_;  // incoming_, resumed_, stop_, started_, threads_, ended_, relay_failed_, leader_ changes
  std::vector<ik_op *> incoming_;
  std::vector<ik_op *> resumed_;  // parked ops handed their gate key (each with a reference)
  bool stop_ = false;
  bool started_ = false;
  // Loop threads not yet joined: one, or in the relay mode also those a relay
  // left in a slow callback. ended_: those past their last use of the engine.
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> ended_;
  std::atomic<bool> stopping_{false};

  // Relay mode. The loop's state (below "I/O thread only", and ready_) belongs
  // to the thread holding the loop: leader_, set under mu_. cb_state_ is
  // (callback number << 2) | 1 while a callback runs | 2 once the watchdog
  // took the loop from it; whichever of the callback's return and the
  // watchdog changes it first decides, with one compare-exchange.
  std::atomic<std::thread::id> leader_{};
  std::atomic<uint64_t> cb_state_{0};
  bool relay_failed_ = false;  // under mu_: no thread could be started; the old one keeps the loop
  std::thread watch_;
  std::mutex w_mu_;
  std::condition_variable w_cv_;
  bool w_stop_ = false;  // under w_mu_
  bool w_kick_ = false;  // under w_mu_
  std::atomic<bool> w_sleeping_{false};
  std::deque<ik_op *> ready_;  // completed, callbacks to run (the loop's)
  // Set by send_from_callback (a request started from a callback on the
  // thread holding the loop is begun and written at once); the loop then
  // looks for finished transfers before it sleeps.
  std::atomic<bool> sent_in_callback_{false};

  // I/O thread only.
  std::vector<ik_op *> active_;  // begun, not completed (in a transfer or waiting on a timer)
  std::multimap<int64_t, ik_op *> timers_;

  std::mutex q_mu_;  // queued completions
  std::deque<ik_op *> queue_;
};

}  // namespace ik::detail
