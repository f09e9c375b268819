// C ABI of OpenAI organization invites (argument checks live in the provider
// module; this file converts and owns).
#include "capi/accessors.hpp"
#include "capi/async.hpp"
#include "capi/pager.hpp"
#include "providers/openai.hpp"

using namespace ik::detail;

namespace {
ListSpec make_list() { return openai::list_spec(); }
}  // namespace

extern "C" {

IK_API ik_status ik_openai_invite_create_params_init(ik_openai_invite_create_params *params, uint32_t version,
                                                     ik_error **out_err) {
  return init_struct(params, version, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, "ik_openai_invite_create_params",
                     out_err);
}
IK_API uint32_t ik_openai_invite_create_params_version(void) { return IK_OPENAI_INVITE_CREATE_PARAMS_VERSION; }

IK_API ik_status ik_openai_invite_create(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    require(params, "params");
    *out = run(*client, openai::create(*params), cs).release();
  });
}

IK_API ik_status ik_openai_invite_retrieve(const ik_client *client, const char *invite_id,
                                           const ik_call_options *call_opts, ik_openai_invite **out,
                                           ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    *out = run(*client, openai::retrieve(invite_id), cs).release();
  });
}

IK_API ik_status ik_openai_invite_list(const ik_client *client, const ik_list_options *list_opts,
                                       const ik_call_options *call_opts, ik_page **out, ik_error **out_err) {
  return list_page(client, make_list, list_opts, call_opts, out, out_err);
}

IK_API ik_status ik_openai_invite_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                        ik_error **out_err) {
  return new_pager(client, make_list, list_opts, out, out_err);
}

IK_API const ik_openai_invite *ik_page_openai_invite_at(const ik_page *page, size_t i) {
  return item_at<ik_openai_invite>(page, i);
}
IK_API const char *ik_page_openai_first_id(const ik_page *p) { return page_str(p, &openai::PageMeta::first_id); }
IK_API const char *ik_page_openai_last_id(const ik_page *p) { return page_str(p, &openai::PageMeta::last_id); }
IK_API ik_status ik_pager_next_openai_invite(ik_pager *pager, const ik_call_options *copts, ik_openai_invite **out,
                                             ik_error **out_err) {
  return pager_next(pager, copts, out, out_err);
}

IK_API ik_status ik_openai_invite_delete(const ik_client *client, const char *invite_id,
                                         const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err) {
  return guard(out_err, [&] {
    if (out) *out = nullptr;
    CallSettings cs = settings(client, call_opts);
    give_optional(out, run(*client, openai::remove(invite_id), cs));
  });
}

IK_API ik_status ik_openai_invite_ensure(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out, int32_t *out_outcome,
                                         ik_error **out_err) {
  return ensure_call(client, call_opts, out, out_outcome, out_err, [&](const CallSettings &cs, int32_t &outcome) {
    require(params, "params");
    return ensure_blocking(*client, openai::ensure(*params), cs, outcome);
  });
}

IK_STR_ACCESSOR(ik_openai_invite_object, ik_openai_invite, object)
IK_STR_ACCESSOR(ik_openai_invite_id, ik_openai_invite, id)
IK_STR_ACCESSOR(ik_openai_invite_email, ik_openai_invite, email)
IK_STR_ACCESSOR(ik_openai_invite_role, ik_openai_invite, role)
IK_STR_ACCESSOR(ik_openai_invite_status, ik_openai_invite, status)
IK_INT_ACCESSOR(ik_openai_invite_created_at_unix, ik_openai_invite, created_at)
IK_INT_ACCESSOR(ik_openai_invite_expires_at_unix, ik_openai_invite, expires_at)
IK_INT_ACCESSOR(ik_openai_invite_accepted_at_unix, ik_openai_invite, accepted_at)
IK_API size_t ik_openai_invite_project_count(const ik_openai_invite *o) { return o ? o->projects.size() : 0; }
IK_API int32_t ik_openai_invite_project_at(const ik_openai_invite *o, size_t i, const char **id, const char **role) {
  const bool ok = o && i < o->projects.size();
  if (id) *id = ok ? o->projects[i].first.c() : nullptr;
  if (role) *role = ok ? o->projects[i].second.c() : nullptr;
  return ok ? 1 : 0;
}
IK_API int32_t ik_openai_invite_has_projects(const ik_openai_invite *o) { return o && o->has_projects ? 1 : 0; }
IK_ITEM_COMMON(ik_openai_invite, ik_openai_invite)

// ---- non-blocking twins (async.h) ----

IK_API ik_status ik_openai_invite_create_start(const ik_client *client, const ik_openai_invite_create_params *params,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return openai::create(*params);
  });
}

IK_API ik_status ik_openai_invite_retrieve_start(const ik_client *client, const char *invite_id,
                                                 const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                                 ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] { return openai::retrieve(invite_id); });
}

IK_API ik_status ik_openai_invite_list_start(const ik_client *client, const ik_list_options *list_opts,
                                             const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                             ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] { return list_call(make_list, list_opts); });
}

IK_API ik_status ik_openai_invite_delete_start(const ik_client *client, const char *invite_id,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] { return openai::remove(invite_id); });
}

IK_API ik_status ik_openai_invite_ensure_start(const ik_client *client, const ik_openai_invite_create_params *params,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return openai::ensure(*params);
  });
}

IK_API ik_status ik_op_take_openai_invite(ik_op *op, ik_openai_invite **out, ik_error **out_err) {
  return op_take(op, out, out_err);
}

}  // extern "C"
