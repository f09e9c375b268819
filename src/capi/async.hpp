// The _start twins of the operations: the same argument checks and the same
// Prepared description as the blocking call, handed to the client's engine.
#pragma once

#include "capi/guard.hpp"
#include "core/engine.hpp"

namespace ik::detail {

// Wraps p into an operation and submits it. Throws (nothing started) when
// the client is closed.
template <class T>
void start_prepared(const ik_client &client, Prepared<T> p, CallSettings cs, ik_op_cb cb, void *user_data,
                    ik_op **out_op) {
  Engine &engine = client.engine();
  auto op = std::make_unique<ik_op>();
  op->client = client.retain();
  op->cb = cb;
  op->user_data = user_data;
  op->result_type = result_type_of<T>();
  op->provider = p.req.ep->provider;
  op->operation = p.req.ep->operation;
  op->cs = std::move(cs);
  op->req = std::move(p.req);
  op->on_response = [finish = std::move(p.finish)](ik_op &o, ResponsePtr resp) {
    o.result = finish(*o.client, o.req, std::move(resp));
    return true;
  };
  if (out_op) op->refs.store(2);
  engine.submit(op.get());  // throws: nothing started, the op is freed here
  ik_op *raw = op.release();
  if (out_op) *out_op = raw;
}

// The body of every ik_<op>_start: checks, prepares (make() runs the same
// argument checks as the blocking call), starts.
template <class Make>
ik_status start_call(const ik_client *client, const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                     ik_op **out_op, ik_error **out_err, Make make) noexcept {
  return guard(out_err, [&] {
    if (out_op) *out_op = nullptr;
    CallSettings cs = settings(client, call_opts);
    require(reinterpret_cast<const void *>(cb), "cb");
    auto prepared = make();
    start_prepared(*client, std::move(prepared), std::move(cs), cb, user_data, out_op);
  });
}

}  // namespace ik::detail
