// C ABI of Fastly invitations.
#include "capi/accessors.hpp"
#include "capi/async.hpp"
#include "capi/pager.hpp"
#include "providers/fastly.hpp"

using namespace ik::detail;

namespace {
ListSpec make_list() { return fastly::list_spec(); }
}  // namespace

extern "C" {

IK_API ik_status ik_fastly_invitation_create_params_init(ik_fastly_invitation_create_params *params, uint32_t version,
                                                         ik_error **out_err) {
  return init_struct(params, version, IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, "ik_fastly_invitation_create_params",
                     out_err);
}
IK_API uint32_t ik_fastly_invitation_create_params_version(void) { return IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION; }

IK_API ik_status ik_fastly_invitation_create(const ik_client *client, const ik_fastly_invitation_create_params *params,
                                             const ik_call_options *call_opts, ik_fastly_invitation **out,
                                             ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    require(params, "params");
    *out = run(*client, fastly::create(*params), cs).release();
  });
}

IK_API ik_status ik_fastly_invitation_list(const ik_client *client, const ik_list_options *list_opts,
                                           const ik_call_options *call_opts, ik_page **out, ik_error **out_err) {
  return list_page(client, make_list, list_opts, call_opts, out, out_err);
}

IK_API ik_status ik_fastly_invitation_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                            ik_error **out_err) {
  return new_pager(client, make_list, list_opts, out, out_err);
}

IK_API const ik_fastly_invitation *ik_page_fastly_invitation_at(const ik_page *page, size_t i) {
  return item_at<ik_fastly_invitation>(page, i);
}
IK_API ik_status ik_pager_next_fastly_invitation(ik_pager *pager, const ik_call_options *copts,
                                                 ik_fastly_invitation **out, ik_error **out_err) {
  return pager_next(pager, copts, out, out_err);
}

// The "links" and "meta" objects of a page.
IK_API const char *ik_page_fastly_link_first(const ik_page *p) { return page_str(p, &fastly::PageMeta::first); }
IK_API const char *ik_page_fastly_link_last(const ik_page *p) { return page_str(p, &fastly::PageMeta::last); }
IK_API const char *ik_page_fastly_link_prev(const ik_page *p) { return page_str(p, &fastly::PageMeta::prev); }
IK_API const char *ik_page_fastly_link_next(const ik_page *p) { return page_str(p, &fastly::PageMeta::next); }
IK_API int32_t ik_page_fastly_current_page(const ik_page *p, int64_t *out) {
  return page_int(p, &fastly::PageMeta::current_page, out);
}
IK_API int32_t ik_page_fastly_per_page(const ik_page *p, int64_t *out) {
  return page_int(p, &fastly::PageMeta::per_page, out);
}
IK_API int32_t ik_page_fastly_record_count(const ik_page *p, int64_t *out) {
  return page_int(p, &fastly::PageMeta::record_count, out);
}
IK_API int32_t ik_page_fastly_total_pages(const ik_page *p, int64_t *out) {
  return page_int(p, &fastly::PageMeta::total_pages, out);
}

IK_API ik_status ik_fastly_invitation_delete(const ik_client *client, const char *invitation_id,
                                             const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err) {
  return guard(out_err, [&] {
    if (out) *out = nullptr;
    CallSettings cs = settings(client, call_opts);
    give_optional(out, run(*client, fastly::remove(invitation_id), cs));
  });
}

IK_API ik_status ik_fastly_invitation_ensure(const ik_client *client, const ik_fastly_invitation_create_params *params,
                                             const ik_call_options *call_opts, ik_fastly_invitation **out,
                                             int32_t *out_outcome, ik_error **out_err) {
  return ensure_call(client, call_opts, out, out_outcome, out_err, [&](const CallSettings &cs, int32_t &outcome) {
    require(params, "params");
    return ensure_blocking(*client, fastly::ensure(*params), cs, outcome);
  });
}

IK_STR_ACCESSOR(ik_fastly_invitation_id, ik_fastly_invitation, id)
IK_STR_ACCESSOR(ik_fastly_invitation_type, ik_fastly_invitation, type)
IK_STR_ACCESSOR(ik_fastly_invitation_email, ik_fastly_invitation, email)
IK_API ik_optbool ik_fastly_invitation_limit_services(const ik_fastly_invitation *o) {
  return o ? o->limit_services : IK_OPTBOOL_UNSET;
}
IK_STR_ACCESSOR(ik_fastly_invitation_role, ik_fastly_invitation, role)
IK_API size_t ik_fastly_invitation_role_count(const ik_fastly_invitation *o) { return o ? o->roles.size() : 0; }
IK_API const char *ik_fastly_invitation_role_at(const ik_fastly_invitation *o, size_t i) {
  return o && i < o->roles.size() ? o->roles[i].data() : nullptr;
}
IK_INT_ACCESSOR(ik_fastly_invitation_status_code, ik_fastly_invitation, status_code)
IK_STR_ACCESSOR(ik_fastly_invitation_created_at, ik_fastly_invitation, created_at)
IK_STR_ACCESSOR(ik_fastly_invitation_updated_at, ik_fastly_invitation, updated_at)
IK_STR_ACCESSOR(ik_fastly_invitation_deleted_at, ik_fastly_invitation, deleted_at)
IK_UNIX_ACCESSOR(ik_fastly_invitation_created_at_unix, ik_fastly_invitation, created_at)
IK_UNIX_ACCESSOR(ik_fastly_invitation_updated_at_unix, ik_fastly_invitation, updated_at)
IK_UNIX_ACCESSOR(ik_fastly_invitation_deleted_at_unix, ik_fastly_invitation, deleted_at)
IK_STR_ACCESSOR(ik_fastly_invitation_customer_id, ik_fastly_invitation, customer_id)
IK_API size_t ik_fastly_invitation_service_invitation_count(const ik_fastly_invitation *o) {
  return o ? o->service_invitation_ids.size() : 0;
}
IK_API const char *ik_fastly_invitation_service_invitation_at(const ik_fastly_invitation *o, size_t i) {
  return o && i < o->service_invitation_ids.size() ? o->service_invitation_ids[i].data() : nullptr;
}
IK_ITEM_COMMON(ik_fastly_invitation, ik_fastly_invitation)

// ---- non-blocking twins (async.h) ----

IK_API ik_status ik_fastly_invitation_create_start(const ik_client *client,
                                                   const ik_fastly_invitation_create_params *params,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return fastly::create(*params);
  });
}

IK_API ik_status ik_fastly_invitation_list_start(const ik_client *client, const ik_list_options *list_opts,
                                                 const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                 ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] { return list_call(make_list, list_opts); });
}

IK_API ik_status ik_fastly_invitation_delete_start(const ik_client *client, const char *invitation_id,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] { return fastly::remove(invitation_id); });
}

IK_API ik_status ik_fastly_invitation_ensure_start(const ik_client *client,
                                                   const ik_fastly_invitation_create_params *params,
                                                   const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                   ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return fastly::ensure(*params);
  });
}

IK_API ik_status ik_op_take_fastly_invitation(ik_op *op, ik_fastly_invitation **out, ik_error **out_err) {
  return op_take(op, out, out_err);
}

}  // extern "C"
