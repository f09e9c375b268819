// The exception firewall of the C ABI: every fallible extern "C" function runs
// its body through guard(), which enforces the out_err contract and turns any
// C++ exception into a status and an ik_error. Nothing escapes.
#pragma once

#include <invitekit/invitekit.h>

#include <cstring>
#include <memory>
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
  } catch (...) {
    ErrorInfo info = current_exception_info();
    const ik_status st = info.status;
    set_error(out_err, std::move(info));
    return st;
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

// The body of every ik_<x>_init(): zero-fills a versioned input struct and
// sets its version (1..newest).
template <class T>
ik_status init_struct(T *s, uint32_t version, uint32_t newest, const char *what, ik_error **out_err) noexcept {
  return guard(out_err, [&] {
    require(s, what);
    check_version(version, newest, what);
    std::memset(static_cast<void *>(s), 0, sizeof(T));
    s->version = version;
  });
}

// Hands an owned result to an optional out-parameter (deletes): released to
// the caller when out is not NULL, freed here otherwise.
template <class T>
void give_optional(T **out, std::unique_ptr<T> result) {
  if (out) *out = result.release();
}

// The body of every ik_<resource>_ensure(): body(settings, outcome) returns the
// owned object found or created; *out_outcome (optional) gets IK_ENSURE_*.
template <class T, class Body>
ik_status ensure_call(const ik_client *client, const ik_call_options *call_opts, T **out, int32_t *out_outcome,
                      ik_error **out_err, Body body) noexcept;

// Copies s into a library-allocated ik_buf (NUL-terminated; ik_buf_dispose
// frees it). Defined beside ik_buf_init/ik_buf_dispose in capi/common.cpp.
void fill_buf(ik_buf *out, const std::string &s);

// The client's settings for one call (validates the call options).
// A client that is not NULL and not yet closed by ik_client_free (a pager may
// outlive its client: client.h, rule 7).
inline void require_open(const ik_client *client) {
  require(client, "client");
  if (client->closed.load(std::memory_order_acquire))
    fail(IK_STATUS_INVALID_ARGUMENT, "the client was freed (ik_client_free) before this call");
}

inline CallSettings settings(const ik_client *client, const ik_call_options *opts) {
  require_open(client);
  return resolve_call(client->cfg, opts);
}

template <class T, class Body>
ik_status ensure_call(const ik_client *client, const ik_call_options *call_opts, T **out, int32_t *out_outcome,
                      ik_error **out_err, Body body) noexcept {
  return guard(out_err, [&] {
    clear_out(out);
    if (out_outcome) *out_outcome = 0;
    CallSettings cs = settings(client, call_opts);
    int32_t outcome = 0;
    *out = body(cs, outcome).release();
    if (out_outcome) *out_outcome = outcome;
  });
}

}  // namespace ik::detail
