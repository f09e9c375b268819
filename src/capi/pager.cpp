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

}  // namespace ik::detail

namespace {
// A pager with an ik_pager_next_page_start in flight belongs to the engine.
void require_idle(const ik_pager *pager) {
  require(pager, "pager");
  if (pager->async_state.load(std::memory_order_acquire) != 0)
    fail(IK_STATUS_INVALID_ARGUMENT, "the pager is busy: an ik_pager_next_page_start is in flight");
}

template <class T>
ik_status next_item(ik_pager *pager, const ik_call_options *copts, T **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require_idle(pager);
    if (pager->spec.kind != kind_of<T>()) fail(IK_STATUS_INVALID_ARGUMENT, "this pager yields another kind of item");
    CallSettings cs = settings(pager->client, copts);
    if (T *item = pager->next_item<T>(cs)) *out = new T(std::move(*item));  // the page is private to the pager
  });
}

template <class T>
const T *item_at(const ik_page *page, int32_t kind, const std::vector<T> &items, size_t i) {
  if (!page || page->kind != kind || i >= items.size()) return nullptr;
  return &items[i];
}

const char *str_or_null(const ik_page *page, int32_t kind, OptStr ik_page::*field) {
  return page && page->kind == kind ? (page->*field).c() : nullptr;
}
int32_t int_field(bool kind_ok, const ik_page *page, OptInt ik_page::*field, int64_t *out) {
  return kind_ok ? int_of(page->*field, out) : 0;
}
const char *id_at(const ik_page *page, size_t i) {
  if (!page || i >= page->count()) return nullptr;
  switch (page->kind) {
    case IK_KIND_OPENAI_INVITE: return page->openai_invites[i].id.c();
    case IK_KIND_TWILIO_INVITE: return page->twilio_invites[i].sid.c();
    case IK_KIND_TWILIO_USER: return page->twilio_users[i].sid.c();
    case IK_KIND_FASTLY_INVITATION: return page->fastly_invitations[i].id.c();
    default: return nullptr;
  }
}
}  // namespace

extern "C" {

IK_API int32_t ik_page_kind(const ik_page *page) { return page ? page->kind : IK_KIND_NONE; }
IK_API size_t ik_page_count(const ik_page *page) { return page ? page->count() : 0; }
IK_API int32_t ik_page_has_more(const ik_page *page) { return page && page->has_more ? 1 : 0; }
IK_API const char *ik_page_next_cursor(const ik_page *page) { return page ? page->next_cursor.c() : nullptr; }
IK_API int32_t ik_page_raw_json(const ik_page *page, const uint8_t **data, size_t *len) {
  return page ? bytes_of(!page->resp->body.empty(), page->resp->body, data, len) : bytes_of(false, {}, data, len);
}
IK_API const char *ik_page_item_id(const ik_page *page, size_t i) { return id_at(page, i); }
IK_API int32_t ik_page_item_raw_json(const ik_page *page, size_t i, const uint8_t **data, size_t *len) {
  return json_of(page ? page->item(i) : nullptr, data, len);
}
IK_API const ik_response *ik_page_response(const ik_page *page) { return page ? page->resp.get() : nullptr; }

IK_API const ik_openai_invite *ik_page_openai_invite_at(const ik_page *page, size_t i) {
  return page ? item_at(page, IK_KIND_OPENAI_INVITE, page->openai_invites, i) : nullptr;
}
IK_API const ik_twilio_invite *ik_page_twilio_invite_at(const ik_page *page, size_t i) {
  return page ? item_at(page, IK_KIND_TWILIO_INVITE, page->twilio_invites, i) : nullptr;
}
IK_API const ik_twilio_user *ik_page_twilio_user_at(const ik_page *page, size_t i) {
  return page ? item_at(page, IK_KIND_TWILIO_USER, page->twilio_users, i) : nullptr;
}
IK_API const ik_fastly_invitation *ik_page_fastly_invitation_at(const ik_page *page, size_t i) {
  return page ? item_at(page, IK_KIND_FASTLY_INVITATION, page->fastly_invitations, i) : nullptr;
}

IK_API const char *ik_page_openai_first_id(const ik_page *p) {
  return str_or_null(p, IK_KIND_OPENAI_INVITE, &ik_page::openai_first_id);
}
IK_API const char *ik_page_openai_last_id(const ik_page *p) {
  return str_or_null(p, IK_KIND_OPENAI_INVITE, &ik_page::openai_last_id);
}

namespace {
bool is_twilio(const ik_page *p) { return p && (p->kind == IK_KIND_TWILIO_INVITE || p->kind == IK_KIND_TWILIO_USER); }
bool is_fastly(const ik_page *p) { return p && p->kind == IK_KIND_FASTLY_INVITATION; }
}  // namespace
IK_API int32_t ik_page_twilio_page(const ik_page *p, int64_t *out) {
  return int_field(is_twilio(p), p, &ik_page::tw_page, out);
}
IK_API int32_t ik_page_twilio_page_size(const ik_page *p, int64_t *out) {
  return int_field(is_twilio(p), p, &ik_page::tw_page_size, out);
}
IK_API const char *ik_page_twilio_key(const ik_page *p) { return is_twilio(p) ? p->tw_key.c() : nullptr; }
IK_API const char *ik_page_twilio_url(const ik_page *p) { return is_twilio(p) ? p->tw_url.c() : nullptr; }
IK_API const char *ik_page_twilio_first_page_url(const ik_page *p) {
  return is_twilio(p) ? p->tw_first_page_url.c() : nullptr;
}
IK_API const char *ik_page_twilio_previous_page_url(const ik_page *p) {
  return is_twilio(p) ? p->tw_previous_page_url.c() : nullptr;
}
IK_API const char *ik_page_twilio_next_page_url(const ik_page *p) {
  return is_twilio(p) ? p->tw_next_page_url.c() : nullptr;
}

IK_API const char *ik_page_fastly_link_first(const ik_page *p) {
  return str_or_null(p, IK_KIND_FASTLY_INVITATION, &ik_page::fl_first);
}
IK_API const char *ik_page_fastly_link_last(const ik_page *p) {
  return str_or_null(p, IK_KIND_FASTLY_INVITATION, &ik_page::fl_last);
}
IK_API const char *ik_page_fastly_link_prev(const ik_page *p) {
  return str_or_null(p, IK_KIND_FASTLY_INVITATION, &ik_page::fl_prev);
}
IK_API const char *ik_page_fastly_link_next(const ik_page *p) {
  return str_or_null(p, IK_KIND_FASTLY_INVITATION, &ik_page::fl_next);
}
IK_API int32_t ik_page_fastly_current_page(const ik_page *p, int64_t *out) {
  return int_field(is_fastly(p), p, &ik_page::fl_current_page, out);
}
IK_API int32_t ik_page_fastly_per_page(const ik_page *p, int64_t *out) {
  return int_field(is_fastly(p), p, &ik_page::fl_per_page, out);
}
IK_API int32_t ik_page_fastly_record_count(const ik_page *p, int64_t *out) {
  return int_field(is_fastly(p), p, &ik_page::fl_record_count, out);
}
IK_API int32_t ik_page_fastly_total_pages(const ik_page *p, int64_t *out) {
  return int_field(is_fastly(p), p, &ik_page::fl_total_pages, out);
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

IK_API ik_status ik_pager_next_openai_invite(ik_pager *pager, const ik_call_options *copts, ik_openai_invite **out,
                                             ik_error **out_err) {
  return next_item(pager, copts, out, out_err);
}
IK_API ik_status ik_pager_next_twilio_invite(ik_pager *pager, const ik_call_options *copts, ik_twilio_invite **out,
                                             ik_error **out_err) {
  return next_item(pager, copts, out, out_err);
}
IK_API ik_status ik_pager_next_twilio_user(ik_pager *pager, const ik_call_options *copts, ik_twilio_user **out,
                                           ik_error **out_err) {
  return next_item(pager, copts, out, out_err);
}
IK_API ik_status ik_pager_next_fastly_invitation(ik_pager *pager, const ik_call_options *copts,
                                                 ik_fastly_invitation **out, ik_error **out_err) {
  return next_item(pager, copts, out, out_err);
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
