// Pages, pagers and the shared helpers the provider shims use for listing.
#include "capi/pager.hpp"

#include "capi/accessors.hpp"

#include <cstdlib>
#include <cstring>

using namespace ik::detail;

namespace ik::detail {

Prepared<ik_page> list_call(const ListMaker &make, const ik_list_options *lopts) {
  ListSpec spec = make();
  Cursor cursor;
  apply_list_options(spec, lopts, nullptr, &cursor);
  return page_call(spec, cursor.raw, cursor.skip);
}

ik_status list_page(const ik_client *client, const ListMaker &make, const ik_list_options *lopts,
                    const ik_call_options *copts, ik_page **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, copts);
    *out = run(*client, list_call(make, lopts), cs).release();
  });
}

ik_status new_pager(const ik_client *client, const ListMaker &make, const ik_list_options *lopts, ik_pager **out,
                    ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require_open(client);
    auto pager = std::make_unique<ik_pager>();
    pager->client = client->retain();
    pager->spec = make();
    Cursor cursor;
    apply_list_options(pager->spec, lopts, &pager->max_items, &cursor);
    pager->next_raw = cursor.raw;
    pager->next_skip = cursor.skip;
    *out = pager.release();
  });
}

void require_idle(const ik_pager *pager) {
  require(pager, "pager");
  if (pager->async_state.load(std::memory_order_acquire) != 0)
    fail(IK_STATUS_INVALID_ARGUMENT, "the pager is busy: an ik_pager_next_page_start is in flight");
}

}  // namespace ik::detail

extern "C" {

IK_API int32_t ik_page_kind(const ik_page *page) { return page ? page->kind : IK_KIND_NONE; }
IK_API size_t ik_page_count(const ik_page *page) { return page ? page->count() : 0; }
IK_API int32_t ik_page_has_more(const ik_page *page) { return page && page->has_more ? 1 : 0; }
IK_API const char *ik_page_next_cursor(const ik_page *page) { return page ? page->next_cursor.c() : nullptr; }
IK_API int32_t ik_page_raw_json(const ik_page *page, const uint8_t **data, size_t *len) {
  return page ? bytes_of(!page->resp->body.empty(), page->resp->body, data, len) : bytes_of(false, {}, data, len);
}
IK_API const char *ik_page_item_id(const ik_page *page, size_t i) {
  return page && i < page->count() ? page->items->id_at(i).c() : nullptr;
}
IK_API int32_t ik_page_item_raw_json(const ik_page *page, size_t i, const uint8_t **data, size_t *len) {
  return json_of(page ? page->item(i) : nullptr, data, len);
}
IK_API const ik_response *ik_page_response(const ik_page *page) { return page ? page->resp.get() : nullptr; }

IK_API ik_status ik_page_item_cursor(const ik_page *page, size_t index, ik_buf *out, ik_error **out_err) {
  return guard(out_err, [&] {
    require(out, "out");
    ik_buf_init(out);
    require(page, "page");
    if (index > page->count())
      fail(IK_STATUS_INVALID_ARGUMENT, "ik_page_item_cursor: index " + std::to_string(index) +
                                           " is past the end of the page (" + std::to_string(page->count()) +
                                           " items)");
    fill_buf(out, page_item_cursor(*page, index));
  });
}

IK_API void ik_page_free(ik_page *page) { delete page; }

IK_API int32_t ik_pager_kind(const ik_pager *pager) { return pager ? pager->spec.kind : IK_KIND_NONE; }

IK_API ik_status ik_pager_next_page(ik_pager *pager, const ik_call_options *copts, ik_page **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require_idle(pager);
    CallSettings cs = settings(pager->client, copts);
    *out = pager->next_page(cs).release();
  });
}

IK_API int64_t ik_pager_items_delivered(const ik_pager *pager) { return pager ? pager->delivered : 0; }
IK_API int32_t ik_pager_done(const ik_pager *pager) { return pager && pager->done ? 1 : 0; }

IK_API ik_status ik_pager_cursor(const ik_pager *pager, ik_buf *out, ik_error **out_err) {
  return guard(out_err, [&] {
    require(out, "out");
    ik_buf_init(out);
    require_idle(pager);
    fill_buf(out, pager->cursor());
  });
}

IK_API void ik_pager_free(ik_pager *pager) {
  if (!pager) return;
  int32_t busy = 1;
  // An ik_pager_next_page_start in flight: the engine frees it on completion.
  if (pager->async_state.compare_exchange_strong(busy, 2)) return;
  delete pager;
}

}  // extern "C"
