// The non-blocking handle (ik_op), the pager's next-page twin and the
// client's completion queue (async.h).
#include "capi/async.hpp"

#include "core/pager.hpp"

using namespace ik::detail;

extern "C" {

IK_API ik_status ik_pager_next_page_start(ik_pager *pager, const ik_call_options *call_opts, ik_op_cb cb,
                                          void *user_data, ik_op **out_op, ik_error **out_err) {
  return guard(out_err, [&] {
    if (out_op) *out_op = nullptr;
    require(pager, "pager");
    CallSettings cs = settings(pager->client, call_opts);
    require(reinterpret_cast<const void *>(cb), "cb");
    Engine &engine = pager->client->engine();
    int32_t idle = 0;
    if (!pager->async_state.compare_exchange_strong(idle, 1))
      fail(IK_STATUS_INVALID_ARGUMENT, "the pager is busy: an ik_pager_next_page_start is in flight");
    try {
      auto op = new_op(*pager->client, *pager->spec.ep, IK_RESULT_PAGE, std::move(cs), cb, user_data);
      ik_pager::PageStep step = pager->page_begin();
      if (step.fetch) {
        op->req = std::move(step.req);
        op->on_response = [](ik_op &o, ResponsePtr resp) {
          ik_pager::PageStep next = o.pager->page_fetched(o.pager->follow_finish(o.req, std::move(resp)));
          if (next.fetch) {
            o.req = std::move(next.req);
            return false;
          }
          o.result = std::move(next.page);
          return true;
        };
      } else {
        op->result = std::move(step.page);  // known now (also NULL at the end); the callback still runs on the engine
        op->status = IK_STATUS_OK;
        op->completed.store(true);
      }
      op->pager = pager;
      submit_op(engine, std::move(op), out_op);
    } catch (...) {
      pager->async_state.store(0);
      throw;
    }
  });
}

IK_API int32_t ik_op_done(const ik_op *op) {
  if (!op) return 0;
  std::lock_guard<std::mutex> lk(op->mu);
  return op->done ? 1 : 0;
}

IK_API ik_status ik_op_status(const ik_op *op) {
  if (!op) return IK_STATUS_INVALID_ARGUMENT;
  return op->completed.load(std::memory_order_acquire) ? op->status : IK_STATUS_WOULD_BLOCK;
}

IK_API int32_t ik_op_result_type(const ik_op *op) { return op ? op->result_type : IK_RESULT_NONE; }
IK_API int32_t ik_op_provider(const ik_op *op) { return op ? op->provider : IK_PROVIDER_NONE; }
IK_API const char *ik_op_operation(const ik_op *op) { return op ? op->operation : nullptr; }

IK_API int32_t ik_op_ensure_outcome(const ik_op *op) {
  return op && op->completed.load(std::memory_order_acquire) ? op->ensure_outcome : 0;
}

IK_API const ik_error *ik_op_error(const ik_op *op) {
  return op && op->completed.load(std::memory_order_acquire) ? op->error : nullptr;
}

IK_API ik_status ik_op_take_error(ik_op *op, ik_error **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require(op, "op");
    if (!op->completed.load(std::memory_order_acquire))
      fail(IK_STATUS_INVALID_ARGUMENT, "the operation has not completed yet (take its error in the callback)");
    *out = op->error;
    op->error = nullptr;
  });
}

IK_API ik_status ik_op_take_deletion(ik_op *op, ik_deletion **out, ik_error **out_err) {
  return op_take(op, out, out_err);
}
IK_API ik_status ik_op_take_page(ik_op *op, ik_page **out, ik_error **out_err) { return op_take(op, out, out_err); }

IK_API void ik_op_cancel(ik_op *op) {
  if (!op || op->completed.load(std::memory_order_acquire)) return;
  // The op holds a client reference, so the client (and its engine) exist.
  if (op->client->engine_) op->client->engine_->cancel(op, IK_CANCELLED_BY_OPERATION);
}

IK_API ik_status ik_op_wait(ik_op *op, int64_t timeout_ms, ik_error **out_err) {
  return guard(out_err, [&] {
    require(op, "op");
    Engine *engine = op->client->engine_.get();
    if (!engine) fail(IK_STATUS_INTERNAL, "operation without an engine");
    if (engine->wait_would_deadlock() && !ik_op_done(op))
      fail(IK_STATUS_WOULD_BLOCK,
           "ik_op_wait on the client's own I/O thread (from a completion callback) would deadlock");
    if (Engine::in_own_callback(op))
      fail(IK_STATUS_WOULD_BLOCK, "ik_op_wait on an operation from its own completion callback would never return");
    if (!engine->wait(*op, timeout_ms))
      fail(IK_STATUS_TIMEOUT, "the operation did not complete within " + std::to_string(timeout_ms) + " ms");
  });
}

IK_API void ik_op_free(ik_op *op) { ik_op::release(op); }

IK_API ik_status ik_client_completion_fd(const ik_client *client, int32_t *out_fd, ik_error **out_err) {
  return guard(out_err, [&] {
    require(out_fd, "out_fd");
    *out_fd = -1;
    require_open(client);
    if (client->cfg.completion_mode != IK_COMPLETIONS_QUEUED)
      fail(IK_STATUS_INVALID_ARGUMENT,
           "the client runs completion callbacks on its I/O thread; a completion descriptor needs "
           "completion_mode = IK_COMPLETIONS_QUEUED");
    *out_fd = client->engine().fd();
  });
}

IK_API ik_status ik_client_dispatch(const ik_client *client, int32_t max, int32_t *out_ran, ik_error **out_err) {
  return guard(out_err, [&] {
    if (out_ran) *out_ran = 0;
    require(client, "client");
    Engine *engine;
    {
      std::lock_guard<std::mutex> lk(client->engine_mu);
      engine = client->engine_.get();
    }
    const int32_t ran = engine ? engine->dispatch(max) : 0;
    if (out_ran) *out_ran = ran;
  });
}

IK_API int64_t ik_client_ops_in_flight(const ik_client *client) {
  if (!client) return 0;
  std::lock_guard<std::mutex> lk(client->engine_mu);
  return client->engine_ ? client->engine_->in_flight() : 0;
}

}  // extern "C"
