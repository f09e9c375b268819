// The _start twins of the operations: the same argument checks and the same
// Prepared description as the blocking call, handed to the client's engine.
#pragma once

#include "capi/guard.hpp"
#include "core/engine.hpp"
#include "core/ensure.hpp"

namespace ik::detail {

// A new operation of `client` on endpoint `ep` that produces `result_type`,
// not yet submitted (its request and on_response are the caller's to set).
inline std::unique_ptr<ik_op> new_op(const ik_client &client, const Endpoint &ep, int32_t result_type, CallSettings cs,
                                     ik_op_cb cb, void *user_data) {
  auto op = std::make_unique<ik_op>();
  op->client = client.retain();
  op->cb = cb;
  op->user_data = user_data;
  op->result_type = result_type;
  op->provider = ep.provider;
  op->operation = ep.operation;
  op->cs = std::move(cs);
  return op;
}

// Hands op to the engine; *out_op (when asked for) gets the caller's
// reference. Throws, and frees op, when the client is closed.
inline void submit_op(Engine &engine, std::unique_ptr<ik_op> op, ik_op **out_op) {
  if (out_op) op->refs.store(2);
  engine.submit(op.get());
  ik_op *raw = op.release();
  if (out_op) *out_op = raw;
}

static_assert(IK_RESULT_OPENAI_INVITE == IK_KIND_OPENAI_INVITE && IK_RESULT_TWILIO_INVITE == IK_KIND_TWILIO_INVITE &&
                  IK_RESULT_TWILIO_USER == IK_KIND_TWILIO_USER &&
                  IK_RESULT_FASTLY_INVITATION == IK_KIND_FASTLY_INVITATION,
              "an item type's IK_RESULT_* is its IK_KIND_* (result_type_of)");

// ik_op_take_<result>: moves a completed operation's result of type T to *out
// (NULL when it has none, e.g. a failure or a pager's end).
template <class T>
ik_status op_take(ik_op *op, T **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require(op, "op");
    if (op->result_type != result_type_of<T>())
      fail(IK_STATUS_INVALID_ARGUMENT, "this operation produces another result type (see ik_op_result_type)");
    if (!op->completed.load(std::memory_order_acquire))
      fail(IK_STATUS_INVALID_ARGUMENT, "the operation has not completed yet (take its result in the callback)");
    *out = op->result.take<T>().release();
  });
}

// Wraps p into an operation and submits it.
template <class T>
void start_op(const ik_client &client, Prepared<T> p, CallSettings cs, ik_op_cb cb, void *user_data, ik_op **out_op) {
  Engine &engine = client.engine();
  auto op = new_op(client, *p.req.ep, result_type_of<T>(), std::move(cs), cb, user_data);
  op->req = std::move(p.req);
  op->on_response = [finish = std::move(p.finish)](ik_op &o, ResponsePtr resp) {
    o.result = finish(*o.client, o.req, std::move(resp));
    return true;
  };
  submit_op(engine, std::move(op), out_op);
}

// Wraps an ensure into an operation that holds the person's gate key and is
// driven by the same state machine as ensure_blocking(), and submits it.
template <class T>
void start_op(const ik_client &client, EnsureSpec<T> spec, CallSettings cs, ik_op_cb cb, void *user_data,
              ik_op **out_op) {
  Engine &engine = client.engine();
  auto op = new_op(client, *spec.create.req.ep, result_type_of<T>(), std::move(cs), cb, user_data);
  op->operation = spec.operation;
  op->gate_key = spec.key;
  auto m = std::make_shared<Ensure<T>>(client, std::move(spec));
  op->req = m->request();
  op->on_response = [m](ik_op &o, ResponsePtr resp) {
    if (!m->on_response(std::move(resp))) {
      o.req = m->request();
      return false;
    }
    o.result = m->take_result();
    o.ensure_outcome = m->outcome();
    return true;
  };
  op->on_error = [m](ik_op &o, ErrorInfo &info) {
    if (!m->on_error(info)) return false;
    o.req = m->request();
    return true;
  };
  submit_op(engine, std::move(op), out_op);
}

// The body of every ik_<op>_start and ik_<resource>_ensure_start: checks,
// describes (make() runs the same argument checks as the blocking call and
// returns a Prepared<T> or an EnsureSpec<T>), starts.
template <class Make>
ik_status start_call(const ik_client *client, const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                     ik_op **out_op, ik_error **out_err, Make make) noexcept {
  return guard(out_err, [&] {
    if (out_op) *out_op = nullptr;
    CallSettings cs = settings(client, call_opts);
    require(reinterpret_cast<const void *>(cb), "cb");
    start_op(*client, make(), std::move(cs), cb, user_data, out_op);
  });
}

}  // namespace ik::detail
