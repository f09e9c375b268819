// C ABI of OpenAI organization invites (argument checks live in the provider
// module; this file converts and owns).
#include "capi/accessors.hpp"
#include "capi/pager.hpp"
#include "providers/openai.hpp"

using namespace ik::detail;

namespace {
ListSpec make_list(void *) { return openai::list_spec(); }
}  // namespace

extern "C" {

IK_API ik_status ik_openai_invite_create_params_init(ik_openai_invite_create_params *params, uint32_t version,
                                                     ik_error **out_err) {
  return guard(out_err, [&] {
    require(params, "params");
    check_version(version, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, "ik_openai_invite_create_params");
    *params = ik_openai_invite_create_params{};
    params->version = version;
  });
}

IK_API ik_status ik_openai_invite_create(const ik_client *client, const ik_openai_invite_create_params *params,
                                         const ik_call_options *call_opts, ik_openai_invite **out,
                                         ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    require(params, "params");
    *out = openai::create(*client, *params, cs).release();
  });
}

IK_API ik_status ik_openai_invite_retrieve(const ik_client *client, const char *invite_id,
                                           const ik_call_options *call_opts, ik_openai_invite **out,
                                           ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    *out = openai::retrieve(*client, invite_id, cs).release();
  });
}

IK_API ik_status ik_openai_invite_list(const ik_client *client, const ik_list_options *list_opts,
                                       const ik_call_options *call_opts, ik_page **out, ik_error **out_err) {
  return list_page(client, make_list, nullptr, list_opts, call_opts, out, out_err);
}

IK_API ik_status ik_openai_invite_pager(const ik_client *client, const ik_list_options *list_opts, ik_pager **out,
                                        ik_error **out_err) {
  return new_pager(client, make_list, nullptr, list_opts, out, out_err);
}

IK_API ik_status ik_openai_invite_delete(const ik_client *client, const char *invite_id,
                                         const ik_call_options *call_opts, ik_openai_invite_deleted **out,
                                         ik_error **out_err) {
  return guard(out_err, [&] {
    if (out) *out = nullptr;
    CallSettings cs = settings(client, call_opts);
    auto result = openai::remove(*client, invite_id, cs);
    if (out) *out = result.release();
  });
}

IK_STR_ACCESSOR(ik_openai_invite_object, ik_openai_invite, object)
IK_STR_ACCESSOR(ik_openai_invite_id, ik_openai_invite, id)
IK_STR_ACCESSOR(ik_openai_invite_email, ik_openai_invite, email)
IK_STR_ACCESSOR(ik_openai_invite_role, ik_openai_invite, role)
IK_STR_ACCESSOR(ik_openai_invite_status, ik_openai_invite, status)
IK_API int32_t ik_openai_invite_created_at(const ik_openai_invite *o, int64_t *out) {
  return o ? int_of(o->created_at, out) : 0;
}
IK_API int32_t ik_openai_invite_expires_at(const ik_openai_invite *o, int64_t *out) {
  return o ? int_of(o->expires_at, out) : 0;
}
IK_API int32_t ik_openai_invite_accepted_at(const ik_openai_invite *o, int64_t *out) {
  return o ? int_of(o->accepted_at, out) : 0;
}
IK_API size_t ik_openai_invite_project_count(const ik_openai_invite *o) { return o ? o->projects.size() : 0; }
IK_API const char *ik_openai_invite_project_id(const ik_openai_invite *o, size_t i) {
  return o && i < o->projects.size() ? o->projects[i].first.c() : nullptr;
}
IK_API const char *ik_openai_invite_project_role(const ik_openai_invite *o, size_t i) {
  return o && i < o->projects.size() ? o->projects[i].second.c() : nullptr;
}
IK_API int32_t ik_openai_invite_has_projects(const ik_openai_invite *o) { return o && o->has_projects ? 1 : 0; }
IK_ITEM_COMMON(ik_openai_invite, ik_openai_invite)

IK_STR_ACCESSOR(ik_openai_invite_deleted_object, ik_openai_invite_deleted, object)
IK_STR_ACCESSOR(ik_openai_invite_deleted_id, ik_openai_invite_deleted, id)
IK_API int32_t ik_openai_invite_deleted_deleted(const ik_openai_invite_deleted *o) {
  return o ? o->deleted : IK_TRI_NULL;
}
IK_ITEM_COMMON(ik_openai_invite_deleted, ik_openai_invite_deleted)

}  // extern "C"
