#include "signals.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "common.hpp"

namespace ikcli {

namespace {
sigset_t watched_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void block_signals() {
  sigset_t set = watched_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

struct SignalWatcher::Impl {
  ik_cancel_token *token;
  std::mutex mu;
  std::function<void()> on_cancel;
  std::atomic<bool> stopping{false};
  int signals_seen = 0;
  std::thread thread;

  void run() {
    const sigset_t set = watched_set();
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (stopping.load()) return;
      ++signals_seen;
      if (signals_seen == 1) {
        static const char msg[] = "\ninvitekit: cancelling (press Ctrl-C again to quit at once)\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        ik_cancel_token_cancel(token);
        // Called under mu: set_on_cancel (a bulk run clearing its hook before
        // its state goes) waits until the hook has returned.
        std::lock_guard<std::mutex> lk(mu);
        if (on_cancel) on_cancel();
      } else {
        static const char msg[] = "invitekit: interrupted\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(kExitCancelled);
      }
    }
  }
};

SignalWatcher::SignalWatcher(ik_cancel_token *token, std::function<void()> on_cancel) : impl_(new Impl) {
  impl_->token = token;
  impl_->on_cancel = std::move(on_cancel);
  impl_->thread = std::thread([this] { impl_->run(); });
}

SignalWatcher::~SignalWatcher() {
  impl_->stopping.store(true);
  // Wake the watcher: the signal is blocked everywhere, so it is delivered to sigwait().
  pthread_kill(impl_->thread.native_handle(), SIGTERM);
  impl_->thread.join();
  delete impl_;
}

void SignalWatcher::set_on_cancel(std::function<void()> fn) {
  std::lock_guard<std::mutex> lk(impl_->mu);
  impl_->on_cancel = std::move(fn);
}

}  // namespace ikcli
