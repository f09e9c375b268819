#include "core/engine.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "core/pager.hpp"

ik_op::~ik_op() {
  delete error;
  ik_client::release(client);
}

void ik_op::release(ik_op *op) {
  if (op && op->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete op;
}

namespace ik::detail {

namespace {
// The operation whose callback this thread is running (innermost).
thread_local const ik_op *t_in_callback = nullptr;
// Relay mode: the value of cb_state_ that stands for the callback this thread
// is running (set by run_ready, read by send_from_callback).
thread_local uint64_t t_running = 0;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Engine::Engine(const ik_client &client)
    : client_(client),
      transport_(*client.transport),
      queued_(client.cfg.completion_mode == IK_COMPLETIONS_QUEUED),
      relay_(client.cfg.completion_mode == IK_COMPLETIONS_IO_THREAD_RELAY) {
  multi_ = curl_multi_init();
  if (!multi_) throw std::bad_alloc();
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(client.cfg.max_connections));
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(client.cfg.max_connections));
  if (queued_) {
    efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd_ < 0) {
      curl_multi_cleanup(multi_);
      ik::detail::fail(IK_STATUS_INTERNAL, "eventfd failed: the completion descriptor could not be created");
    }
  }
}

Engine::~Engine() {
  shutdown();  // every loop thread and the watchdog are joined (or, from a callback, detached)
  curl_multi_cleanup(multi_);
  if (efd_ >= 0) ::close(efd_);
}

bool Engine::on_io_thread() const {
  if (relay_) return leader_.load(std::memory_order_acquire) == std::this_thread::get_id();
  return Transport::io_thread == &transport_;
}

void Engine::submit(ik_op *op) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_) ik::detail::fail(IK_STATUS_INVALID_ARGUMENT, "the client was freed (ik_client_free) before this call");
    if (!started_) {
      if (relay_) watch_ = std::thread([this] { watch(); });
      try {
        start_loop_thread();
      } catch (...) {
        stop_watch();  // no callback ran: the watchdog never took mu_
        throw;
      }
      started_ = true;
    }
    incoming_.push_back(op);
    in_flight_.fetch_add(1, std::memory_order_relaxed);
  }
  if (relay_ && t_in_callback && on_io_thread()) {
    send_from_callback();
    return;
  }
  // From a callback on the I/O thread the loop looks at incoming_ again
  // before it sleeps: no wake-up needed.
  if (!on_io_thread()) curl_multi_wakeup(multi_);
}

void Engine::send_from_callback() {
  // While this thread drives the multi handle, cb_state_ holds the next
  // callback number without the running bit, so the watchdog hands nothing
  // over; then the callback's own value comes back and a slow callback is
  // relayed as before. If the watchdog has just handed the loop over, the
  // compare-exchange fails and the new loop thread begins the operation.
  uint64_t running = t_running;
  const uint64_t hold = (running + 4) & ~uint64_t{3};
  if (!cb_state_.compare_exchange_strong(running, hold)) {
    curl_multi_wakeup(multi_);
    return;
  }
  if (!stopping_.load()) {
    std::vector<ik_op *> fresh;
    {
      std::lock_guard<std::mutex> lk(mu_);
      fresh.swap(incoming_);
    }
    for (ik_op *op : fresh) begin(op);  // never runs a callback here: relay-mode completions wait in ready_
    int n = 0;
    curl_multi_perform(multi_, &n);  // writes the requests now, while the callback goes on
    sent_in_callback_.store(true);   // transfers it finished are read before the loop sleeps
  }
  cb_state_.store(t_running);            // seq_cst, with the load of w_sleeping_: as in run_ready
  if (w_sleeping_.load()) kick_watch();  // it may have gone to sleep on hold
}

void Engine::cancel(ik_op *op, int32_t by) {
  int32_t none = IK_CANCELLED_BY_NONE;
  if (op->cancel_by.compare_exchange_strong(none, by)) curl_multi_wakeup(multi_);
}

void Engine::start_loop_thread() {
  client_.retain();  // the loop thread's reference, dropped when it ends
  try {
    threads_.emplace_back([this] { loop(); });
  } catch (...) {
    ik_client::release(&client_);
    throw;
  }
}

std::vector<std::thread> Engine::take_threads(bool ended_only) {
  std::vector<std::thread> out;
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (ended_only && std::find(ended_.begin(), ended_.end(), it->get_id()) == ended_.end()) {
      ++it;
      continue;
    }
    ended_.erase(std::remove(ended_.begin(), ended_.end(), it->get_id()), ended_.end());
    out.push_back(std::move(*it));
    it = threads_.erase(it);
  }
  return out;
}

void Engine::stop_watch() {
  if (!watch_.joinable()) return;
  {
    std::lock_guard<std::mutex> lk(w_mu_);
    w_stop_ = true;
  }
  w_cv_.notify_all();
  watch_.join();
}

void Engine::loop() {
  if (relay_) {
    std::lock_guard<std::mutex> lk(mu_);
    leader_.store(std::this_thread::get_id(), std::memory_order_release);
  } else {
    Transport::io_thread = &transport_;  // blocking calls here fail with IK_STATUS_WOULD_BLOCK
  }
  const ik_client *keep = &client_;
  while (true) {
    std::vector<ik_op *> fresh, resumed;
    bool stop;
    {
      std::lock_guard<std::mutex> lk(mu_);
      fresh.swap(incoming_);
      resumed.swap(resumed_);
      stop = stop_;
    }
    run_resumed(resumed);
    for (ik_op *op : fresh) {
      begin(op);
      if (stopping_.load()) break;
    }
    if (stop || stopping_.load()) {
      finish_all(IK_CANCELLED_BY_CLIENT_FREE);
      break;
    }
    check_cancels();
    while (!timers_.empty() && timers_.begin()->first <= now_us() && !stopping_.load()) {
      ik_op *op = timers_.begin()->second;
      timers_.erase(timers_.begin());
      attempt(op);
    }
    if (stopping_.load()) continue;
    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg *m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      void *priv = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
      const CURLcode code = m->data.result;
      transfer_done(static_cast<ik_op *>(priv), code, IK_CANCELLED_BY_NONE);
      if (stopping_.load()) break;
    }
    if (stopping_.load()) continue;
    if (relay_) {
      if (!run_ready()) break;         // the loop moved to another thread during a callback
      if (stopping_.load()) continue;  // a callback freed the client: end now, not after a poll
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      // Started by a callback, or handed a gate key here: begin them before sleeping.
      if (!incoming_.empty() || !resumed_.empty()) continue;
    }
    if (sent_in_callback_.exchange(false)) continue;  // what those transfers finished is not a socket event
    int timeout_ms = 1000;
    if (!timers_.empty()) {
      const int64_t wait = (timers_.begin()->first - now_us() + 999) / 1000;
      timeout_ms = static_cast<int>(std::clamp<int64_t>(wait, 0, 1000));
    }
    curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
  }
  if (!relay_) Transport::io_thread = nullptr;
  {
    std::lock_guard<std::mutex> lk(mu_);
    ended_.push_back(std::this_thread::get_id());  // to be joined: at the next relay, or by shutdown()
  }
  ik_client::release(keep);  // may delete the client and this engine: nothing after this
}

bool Engine::run_ready() {
  while (!ready_.empty() && !stopping_.load()) {
    ik_op *op = ready_.front();
    ready_.pop_front();
    t_running = (((cb_state_.load(std::memory_order_relaxed) >> 2) + 1) << 2) | 1;
    cb_state_.store(t_running);            // seq_cst, and so is the load after it: see watch()
    if (w_sleeping_.load()) kick_watch();  // the first callback after a quiet tick
    run_callback(op);
    uint64_t expect = t_running;
    if (cb_state_.compare_exchange_strong(expect, t_running & ~uint64_t{1})) continue;
    // The watchdog gave the loop to a new thread while the callback ran: the
    // rest of ready_ is that thread's now.
    std::lock_guard<std::mutex> lk(mu_);
    if (!relay_failed_) return false;
    relay_failed_ = false;  // no thread could be started: this one keeps the loop
    leader_.store(std::this_thread::get_id(), std::memory_order_release);
    cb_state_.store(t_running & ~uint64_t{3});
  }
  return true;
}

void Engine::kick_watch() {
  {
    std::lock_guard<std::mutex> lk(w_mu_);
    w_kick_ = true;
  }
  w_cv_.notify_one();
}

void Engine::watch() {
  const auto tick = std::chrono::milliseconds(IK_RELAY_AFTER_MS);
  uint64_t last = 0;
  std::unique_lock<std::mutex> lk(w_mu_);
  while (true) {
    if (w_cv_.wait_for(lk, tick, [this] { return w_stop_; })) return;
    uint64_t s = cb_state_.load();
    if (s == last && (s & 3) == 1) {
      // The same callback is still running a tick later.
      lk.unlock();
      relay(s);
      lk.lock();
      continue;
    }
    if (s == last && !(s & 1)) {
      // No callback started during a whole tick: sleep until one does. The
      // store and the load are sequentially consistent, like run_ready's
      // store of cb_state_ and load of w_sleeping_: either this sees its
      // callback, or it sees this flag and wakes the watchdog.
      w_sleeping_.store(true);
      if (cb_state_.load() == s) w_cv_.wait(lk, [this] { return w_stop_ || w_kick_; });
      w_kick_ = false;
      w_sleeping_.store(false);
      if (w_stop_) return;
      s = cb_state_.load();
    }
    last = s;
  }
}

void Engine::relay(uint64_t seen) {
  std::vector<std::thread> ended;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_) return;  // ik_client_free waits for the callback instead
    uint64_t expect = seen;
    if (!cb_state_.compare_exchange_strong(expect, seen | 2)) return;  // it has just returned
    leader_.store(std::thread::id{}, std::memory_order_release);
    try {
      start_loop_thread();
    } catch (...) {
      relay_failed_ = true;  // run_ready gives the loop back to the callback's thread
    }
    ended = take_threads(true);  // threads left by earlier relays whose callbacks have returned
  }
  for (std::thread &t : ended) t.join();  // each is past its last use of the engine
}

void Engine::begin(ik_op *op) {
  active_.push_back(op);
  if (op->completed.load()) {  // the answer was known at start (a pager past its end)
    complete(op);
    return;
  }
  if (op->cs.cancel) {
    op->cs.cancel->attach(multi_);  // cancel() wakes the loop
    op->token_attached = true;
  }
  start(op);
}

void Engine::start(ik_op *op) {
  if (!op->gate_key.empty() && !op->gate_held) {
    const bool got = client_.ensure_gate.acquire_or_park(op->gate_key, op, [this, op] {
      op->refs.fetch_add(1, std::memory_order_relaxed);  // alive until run_resumed, even if cancelled meanwhile
      resume(op);
    });
    if (!got) {
      op->parked = true;  // in active_: cancels and ik_client_free reach it
      return;
    }
    op->gate_held = true;
  }
  next_exchange(op);
}

void Engine::resume(ik_op *op) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    resumed_.push_back(op);
  }
  // A parked op is in active_ until it completes, and finish_all withdraws
  // every parked op from the gate, so no grant arrives after the loop ended.
  if (!on_io_thread()) curl_multi_wakeup(multi_);
}

void Engine::run_resumed(std::vector<ik_op *> &resumed) {
  for (ik_op *op : resumed) {
    op->parked = false;
    if (op->completed.load()) {
      client_.ensure_gate.release(op->gate_key);  // cancelled while the key came: pass it on
    } else {
      op->gate_held = true;
      start(op);
    }
    ik_op::release(op);  // the grant's reference
  }
  resumed.clear();
}

void Engine::next_exchange(ik_op *op) {
  try {
    op->ex = std::make_unique<Exchange>();  // the first or next request of the operation
    transport_.begin(*op->ex, op->req, op->cs);
    attempt(op);
  } catch (...) {
    fail_current(op);
  }
}

void Engine::attempt(ik_op *op) {
  try {
    if (const int32_t by = op->cancel_by.load()) throw Transport::cancelled(*op->ex, by, false);
    const int64_t timeout_ms = transport_.start_attempt(*op->ex);  // the token and the deadline
    if (!op->slot) op->slot = transport_.acquire();
    transport_.setup(*op->slot, *op->ex, timeout_ms);
    CURL *e = transport_.easy_of(op->slot);
    curl_easy_setopt(e, CURLOPT_PRIVATE, op);
    const CURLMcode mc = curl_multi_add_handle(multi_, e);
    if (mc != CURLM_OK)
      ik::detail::fail(IK_STATUS_INTERNAL, std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc));
    op->transferring = true;
  } catch (...) {
    fail_current(op);
  }
}

void Engine::transfer_done(ik_op *op, CURLcode code, int32_t cancelled_by) {
  curl_multi_remove_handle(multi_, transport_.easy_of(op->slot));
  op->transferring = false;
  Transport::Attempt a;
  transport_.collect(*op->slot, code, cancelled_by, a);
  advance(op, a);
}

void Engine::advance(ik_op *op, Transport::Attempt &a) {
  try {
    int64_t delay = 0;
    std::unique_ptr<ik_response> resp = transport_.conclude(*op->ex, a, &delay);
    if (resp) {
      if (op->on_response(*op, ResponsePtr(std::move(resp)))) {
        op->status = IK_STATUS_OK;
        complete(op);
        return;
      }
      next_exchange(op);
      return;
    }
    if (delay <= 0) {
      attempt(op);  // a redirect, or a retry without a wait
      return;
    }
    timers_.emplace(now_us() + delay * 1000, op);
  } catch (...) {
    fail_current(op);
  }
}

void Engine::check_cancels() {
  std::vector<std::pair<ik_op *, int32_t>> hits;
  for (ik_op *op : active_) {
    int32_t by = op->cancel_by.load();
    if (!by && op->cs.cancel && op->cs.cancel->cancelled.load(std::memory_order_acquire)) by = IK_CANCELLED_BY_TOKEN;
    if (by) hits.emplace_back(op, by);
  }
  for (auto &hit : hits) {
    if (stopping_.load()) return;
    if (std::find(active_.begin(), active_.end(), hit.first) != active_.end()) cancel_now(hit.first, hit.second);
  }
}

void Engine::cancel_now(ik_op *op, int32_t by) {
  if (op->transferring) {
    transfer_done(op, CURLE_ABORTED_BY_CALLBACK, by);  // aborts the transfer; conclude() builds the error
    return;
  }
  if (op->parked) {
    // Waiting for its gate key: nothing was sent. If the key was handed over
    // meanwhile, run_resumed passes it on.
    client_.ensure_gate.withdraw(op->gate_key, op);
    fail_op(op, Transport::cancelled(*op->req.ep, 0, by, false).info());
    return;
  }
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->second == op) {
      timers_.erase(it);
      break;
    }
  }
  fail_op(op, Transport::cancelled(*op->ex, by, true).info());
}

void Engine::fail_op(ik_op *op, ErrorInfo info) {
  op->status = info.status;
  try {
    op->error = new ik_error{std::move(info)};
  } catch (...) {
    op->error = nullptr;  // the status still says what happened
  }
  complete(op);
}

void Engine::fail_current(ik_op *op) {
  ErrorInfo info = current_exception_info();
  if (op->on_error && info.status != IK_STATUS_CANCELLED && !op->cancel_by.load()) {
    try {
      if (op->on_error(*op, info)) {
        next_exchange(op);  // bounded by the operation (ensure: at most kEnsureRounds creates)
        return;
      }
    } catch (...) {
      info = current_exception_info();
    }
  }
  fail_op(op, std::move(info));
}

void Engine::complete(ik_op *op) {
  auto it = std::find(active_.begin(), active_.end(), op);
  if (it != active_.end()) active_.erase(it);
  if (op->slot) {
    transport_.release(op->slot);
    op->slot = nullptr;
  }
  if (op->token_attached) op->cs.cancel->detach(multi_);
  op->token_attached = false;
  op->ex.reset();
  if (op->gate_held) {
    op->gate_held = false;
    client_.ensure_gate.release(op->gate_key);  // before the callback: a follower may start now
  }
  if (op->pager) {
    // The pager is usable again from the callback on; a free that came
    // while it was busy happens now.
    if (op->pager->async_state.exchange(0) == 2) delete op->pager;
    op->pager = nullptr;
  }
  op->completed.store(true, std::memory_order_release);
  if (relay_) {
    ready_.push_back(op);  // run_ready, at the end of this turn of the loop (or finish_all)
    return;
  }
  if (!queued_) {
    run_callback(op);
    return;
  }
  std::lock_guard<std::mutex> lk(q_mu_);
  queue_.push_back(op);
  const uint64_t one = 1;
  ssize_t w = ::write(efd_, &one, sizeof one);
  (void)w;  // the counter cannot overflow with one write per completion
}

bool Engine::in_own_callback(const ik_op *op) { return t_in_callback == op; }

void Engine::run_callback(ik_op *op) {
  const ik_op *outer = t_in_callback;  // a callback's ik_client_free runs others inside it
  t_in_callback = op;
  try {
    op->cb(op, op->user_data);
  } catch (...) {
    // async.h: callbacks must not throw; a C++ one that does is contained here.
  }
  t_in_callback = outer;
  // Counted out before anyone waiting on the op can see it done.
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lk(op->mu);
    op->done = true;
  }
  op->cv.notify_all();
  ik_op::release(op);
}

void Engine::finish_all(int32_t by) {
  std::vector<ik_op *> fresh;
  {
    std::lock_guard<std::mutex> lk(mu_);
    fresh.swap(incoming_);
  }
  for (ik_op *op : fresh) {
    active_.push_back(op);
    if (op->completed.load()) {
      complete(op);
      continue;
    }
    fail_op(op, Transport::cancelled(*op->req.ep, 0, by, false).info());
  }
  while (!active_.empty()) cancel_now(active_.front(), by);
  // Gate keys handed to ops that were just cancelled: pass them on.
  std::vector<ik_op *> resumed;
  {
    std::lock_guard<std::mutex> lk(mu_);
    resumed.swap(resumed_);
  }
  run_resumed(resumed);
  while (!ready_.empty()) {  // relay mode: every callback before ik_client_free returns
    ik_op *op = ready_.front();
    ready_.pop_front();
    run_callback(op);
  }
}

void Engine::shutdown() {
  bool started;
  bool on_loop;
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_) return;
    stop_ = true;  // from here on the watchdog hands nothing over and no loop thread starts
    started = started_;
    on_loop = on_io_thread();
  }
  if (!started) return;
  if (on_loop) {
    // ik_client_free from a callback on the thread holding the loop: finish
    // everything here, before returning; the loop ends when the callback
    // returns.
    stopping_.store(true);
    finish_all(IK_CANCELLED_BY_CLIENT_FREE);
  } else {
    curl_multi_wakeup(multi_);
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    threads = take_threads(false);
  }
  // Every loop thread ends: the one holding the loop after finishing, threads
  // a relay left in slow callbacks when those return. This thread, when it is
  // one of them (ik_client_free from a callback), goes on after the return.
  for (std::thread &t : threads) {
    if (t.get_id() == std::this_thread::get_id())
      t.detach();
    else
      t.join();
  }
  stop_watch();
  if (queued_) dispatch(0);
}

int32_t Engine::dispatch(int32_t max) {
  int32_t n = 0;
  while (max <= 0 || n < max) {
    ik_op *op;
    {
      std::lock_guard<std::mutex> lk(q_mu_);
      if (queue_.empty()) break;
      op = queue_.front();
      queue_.pop_front();
      if (queue_.empty()) {
        uint64_t v;
        ssize_t r = ::read(efd_, &v, sizeof v);  // not readable until the next completion
        (void)r;
      }
    }
    run_callback(op);
    ++n;
  }
  return n;
}

bool Engine::wait(ik_op &op, int64_t timeout_ms) {
  const auto deadline = timeout_ms < 0 ? std::chrono::steady_clock::time_point::max()
                                       : std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (queued_) dispatch(0);
    {
      std::unique_lock<std::mutex> lk(op.mu);
      if (op.done) return true;
      if (!queued_) {
        if (timeout_ms < 0) {
          op.cv.wait(lk, [&] { return op.done; });
          return true;
        }
        return op.cv.wait_until(lk, deadline, [&] { return op.done; });
      }
    }
    int64_t left = 20;
    if (timeout_ms >= 0) {
      left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return false;
    }
    pollfd p{efd_, POLLIN, 0};
    // Short slices: another thread may dispatch this operation's callback.
    ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 20)));
  }
}

}  // namespace ik::detail
