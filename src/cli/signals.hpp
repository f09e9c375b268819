// invitekit CLI - Ctrl-C / SIGTERM handling without signal handlers.
//
// SIGINT and SIGTERM are blocked in every thread (block_signals() runs first in
// main, before any thread exists, so every thread inherits the mask). A
// dedicated thread waits for them with sigwait() and cancels the shared
// ik_cancel_token; library functions are never called from a signal handler.
// A second signal ends the process at once with the "cancelled" exit code.
#pragma once

#include <invitekit/invitekit.h>

#include <functional>

namespace ikcli {

// Blocks SIGINT and SIGTERM in the calling thread (call before starting threads).
void block_signals();

class SignalWatcher {
 public:
  // Starts the watcher thread; on the first signal it cancels `token` and calls on_cancel (if set).
  SignalWatcher(ik_cancel_token *token, std::function<void()> on_cancel = {});
  // Stops and joins the watcher thread.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher &) = delete;
  SignalWatcher &operator=(const SignalWatcher &) = delete;

  // Sets (or replaces) the hook called after cancellation (e.g. to wake bulk workers).
  // When it returns, the previous hook is neither running nor called again, so
  // its captures may go.
  void set_on_cancel(std::function<void()> fn);

 private:
  struct Impl;
  Impl *impl_;
};

}  // namespace ikcli
