// The exception firewall of the C ABI: every fallible extern "C" function runs
// its body through guard(), which enforces the out_err contract and turns any
// C++ exception into a status and an ik_error. Nothing escapes.
#pragma once

#include <invitekit/invitekit.h>

#include <new>
#include <utility>

#include "core/client.hpp"
#include "core/error.hpp"

namespace ik::detail {

void global_init_once();  // lazy, thread-safe libcurl initialisation

inline void set_error(ik_error **out_err, ErrorInfo info) noexcept {
  if (!out_err) return;
  try {
    *out_err = new ik_error{std::move(info)};
  } catch (...) {
    *out_err = nullptr;
  }
}

template <class F>
ik_status guard(ik_error **out_err, F &&body) noexcept {
  if (out_err && *out_err) {
    // Contract violation: we cannot report through a slot that is in use.
    return IK_STATUS_INVALID_ARGUMENT;
  }
  try {
    body();
    return IK_STATUS_OK;
  } catch (Error &e) {
    ik_status st = e.info().status;
    set_error(out_err, std::move(e.info()));
    return st;
  } catch (const std::bad_alloc &) {
    ErrorInfo info;
    info.status = IK_STATUS_NO_MEMORY;
    info.message = "out of memory";
    set_error(out_err, std::move(info));
    return IK_STATUS_NO_MEMORY;
  } catch (const std::exception &e) {
    ErrorInfo info;
    info.status = IK_STATUS_INTERNAL;
    info.message = std::string("internal error: ") + e.what();
    set_error(out_err, std::move(info));
    return IK_STATUS_INTERNAL;
  } catch (...) {
    ErrorInfo info;
    info.status = IK_STATUS_INTERNAL;
    info.message = "internal error: unknown exception";
    set_error(out_err, std::move(info));
    return IK_STATUS_INTERNAL;
  }
}

template <class T>
void require(const T *p, const char *what) {
  if (!p) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not be NULL");
}

// Clears an out-parameter first so that it is NULL on every failure path.
template <class T>
T **clear_out(T **out, const char *what = "out") {
  require(out, what);
  *out = nullptr;
  return out;
}

// The client's settings for one call (validates the call options).
inline CallSettings settings(const ik_client *client, const ik_call_options *opts) {
  require(client, "client");
  return resolve_call(client->cfg, opts);
}

}  // namespace ik::detail
