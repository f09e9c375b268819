// C ABI of Twilio Chat v1 Channel Invites and v2 Users.
#include "capi/accessors.hpp"
#include "capi/async.hpp"
#include "capi/pager.hpp"
#include "providers/twilio.hpp"

using namespace ik::detail;

namespace {
// The ListSpec of a channel's invites (optionally filtered by identity) and of
// a service's users, checked inside the firewall.
ListMaker invite_list(const char *service_sid, const char *channel_sid, const char *const *identities,
                      size_t identity_count) {
  return [=] { return twilio::invite_list_spec(service_sid, channel_sid, identities, identity_count); };
}
ListMaker user_list(const char *service_sid) {
  return [=] { return twilio::user_list_spec(service_sid); };
}
}  // namespace

extern "C" {

// ---- v1 Channel Invites ----

IK_API ik_status ik_twilio_invite_create(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *identity, const char *role_sid, const ik_call_options *call_opts,
                                         ik_twilio_invite **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    *out = run(*client, twilio::invite_create(service_sid, channel_sid, identity, role_sid), cs).release();
  });
}

IK_API ik_status ik_twilio_invite_fetch(const ik_client *client, const char *service_sid, const char *channel_sid,
                                        const char *invite_sid, const ik_call_options *call_opts,
                                        ik_twilio_invite **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    *out = run(*client, twilio::invite_fetch(service_sid, channel_sid, invite_sid), cs).release();
  });
}

IK_API ik_status ik_twilio_invite_list(const ik_client *client, const char *service_sid, const char *channel_sid,
                                       const char *const *identities, size_t identity_count,
                                       const ik_list_options *list_opts, const ik_call_options *call_opts,
                                       ik_page **out, ik_error **out_err) {
  return list_page(client, invite_list(service_sid, channel_sid, identities, identity_count), list_opts, call_opts, out,
                   out_err);
}

IK_API ik_status ik_twilio_invite_pager(const ik_client *client, const char *service_sid, const char *channel_sid,
                                        const char *const *identities, size_t identity_count,
                                        const ik_list_options *list_opts, ik_pager **out, ik_error **out_err) {
  return new_pager(client, invite_list(service_sid, channel_sid, identities, identity_count), list_opts, out, out_err);
}

IK_API const ik_twilio_invite *ik_page_twilio_invite_at(const ik_page *page, size_t i) {
  return item_at<ik_twilio_invite>(page, i);
}
IK_API ik_status ik_pager_next_twilio_invite(ik_pager *pager, const ik_call_options *copts, ik_twilio_invite **out,
                                             ik_error **out_err) {
  return pager_next(pager, copts, out, out_err);
}

// The "meta" object of a page of invites or of users.
IK_API int32_t ik_page_twilio_page(const ik_page *p, int64_t *out) { return page_int(p, &twilio::PageMeta::page, out); }
IK_API int32_t ik_page_twilio_page_size(const ik_page *p, int64_t *out) {
  return page_int(p, &twilio::PageMeta::page_size, out);
}
IK_API const char *ik_page_twilio_key(const ik_page *p) { return page_str(p, &twilio::PageMeta::key); }
IK_API const char *ik_page_twilio_url(const ik_page *p) { return page_str(p, &twilio::PageMeta::url); }
IK_API const char *ik_page_twilio_first_page_url(const ik_page *p) {
  return page_str(p, &twilio::PageMeta::first_page_url);
}
IK_API const char *ik_page_twilio_previous_page_url(const ik_page *p) {
  return page_str(p, &twilio::PageMeta::previous_page_url);
}
IK_API const char *ik_page_twilio_next_page_url(const ik_page *p) {
  return page_str(p, &twilio::PageMeta::next_page_url);
}

IK_API ik_status ik_twilio_invite_delete(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *invite_sid, const ik_call_options *call_opts, ik_deletion **out,
                                         ik_error **out_err) {
  return guard(out_err, [&] {
    if (out) *out = nullptr;
    CallSettings cs = settings(client, call_opts);
    give_optional(out, run(*client, twilio::invite_delete(service_sid, channel_sid, invite_sid), cs));
  });
}

IK_API ik_status ik_twilio_invite_ensure(const ik_client *client, const char *service_sid, const char *channel_sid,
                                         const char *identity, const char *role_sid, const ik_call_options *call_opts,
                                         ik_twilio_invite **out, int32_t *out_outcome, ik_error **out_err) {
  return ensure_call(client, call_opts, out, out_outcome, out_err, [&](const CallSettings &cs, int32_t &outcome) {
    return ensure_blocking(*client, twilio::invite_ensure(service_sid, channel_sid, identity, role_sid), cs, outcome);
  });
}

IK_STR_ACCESSOR(ik_twilio_invite_sid, ik_twilio_invite, sid)
IK_STR_ACCESSOR(ik_twilio_invite_account_sid, ik_twilio_invite, account_sid)
IK_STR_ACCESSOR(ik_twilio_invite_channel_sid, ik_twilio_invite, channel_sid)
IK_STR_ACCESSOR(ik_twilio_invite_service_sid, ik_twilio_invite, service_sid)
IK_STR_ACCESSOR(ik_twilio_invite_identity, ik_twilio_invite, identity)
IK_STR_ACCESSOR(ik_twilio_invite_role_sid, ik_twilio_invite, role_sid)
IK_STR_ACCESSOR(ik_twilio_invite_created_by, ik_twilio_invite, created_by)
IK_STR_ACCESSOR(ik_twilio_invite_url, ik_twilio_invite, url)
IK_STR_ACCESSOR(ik_twilio_invite_date_created, ik_twilio_invite, date_created)
IK_STR_ACCESSOR(ik_twilio_invite_date_updated, ik_twilio_invite, date_updated)
IK_UNIX_ACCESSOR(ik_twilio_invite_date_created_unix, ik_twilio_invite, date_created)
IK_UNIX_ACCESSOR(ik_twilio_invite_date_updated_unix, ik_twilio_invite, date_updated)
IK_ITEM_COMMON(ik_twilio_invite, ik_twilio_invite)

// ---- v2 Users ----

IK_API ik_status ik_twilio_user_params_init(ik_twilio_user_params *params, uint32_t version, ik_error **out_err) {
  return init_struct(params, version, IK_TWILIO_USER_PARAMS_VERSION, "ik_twilio_user_params", out_err);
}
IK_API uint32_t ik_twilio_user_params_version(void) { return IK_TWILIO_USER_PARAMS_VERSION; }

IK_API ik_status ik_twilio_user_create(const ik_client *client, const char *service_sid,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    require(params, "params");
    *out = run(*client, twilio::user_create(service_sid, *params), cs).release();
  });
}

IK_API ik_status ik_twilio_user_fetch(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                      const ik_call_options *call_opts, ik_twilio_user **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    *out = run(*client, twilio::user_fetch(service_sid, sid_or_identity), cs).release();
  });
}

IK_API ik_status ik_twilio_user_list(const ik_client *client, const char *service_sid, const ik_list_options *list_opts,
                                     const ik_call_options *call_opts, ik_page **out, ik_error **out_err) {
  return list_page(client, user_list(service_sid), list_opts, call_opts, out, out_err);
}

IK_API ik_status ik_twilio_user_pager(const ik_client *client, const char *service_sid,
                                      const ik_list_options *list_opts, ik_pager **out, ik_error **out_err) {
  return new_pager(client, user_list(service_sid), list_opts, out, out_err);
}

IK_API const ik_twilio_user *ik_page_twilio_user_at(const ik_page *page, size_t i) {
  return item_at<ik_twilio_user>(page, i);
}
IK_API ik_status ik_pager_next_twilio_user(ik_pager *pager, const ik_call_options *copts, ik_twilio_user **out,
                                           ik_error **out_err) {
  return pager_next(pager, copts, out, out_err);
}

IK_API ik_status ik_twilio_user_update(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    CallSettings cs = settings(client, call_opts);
    require(params, "params");
    *out = run(*client, twilio::user_update(service_sid, sid_or_identity, *params), cs).release();
  });
}

IK_API ik_status ik_twilio_user_delete(const ik_client *client, const char *service_sid, const char *sid_or_identity,
                                       const ik_call_options *call_opts, ik_deletion **out, ik_error **out_err) {
  return guard(out_err, [&] {
    if (out) *out = nullptr;
    CallSettings cs = settings(client, call_opts);
    give_optional(out, run(*client, twilio::user_delete(service_sid, sid_or_identity), cs));
  });
}

IK_API ik_status ik_twilio_user_ensure(const ik_client *client, const char *service_sid,
                                       const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                       ik_twilio_user **out, int32_t *out_outcome, ik_error **out_err) {
  return ensure_call(client, call_opts, out, out_outcome, out_err, [&](const CallSettings &cs, int32_t &outcome) {
    require(params, "params");
    return ensure_blocking(*client, twilio::user_ensure(service_sid, *params), cs, outcome);
  });
}

IK_STR_ACCESSOR(ik_twilio_user_sid, ik_twilio_user, sid)
IK_STR_ACCESSOR(ik_twilio_user_account_sid, ik_twilio_user, account_sid)
IK_STR_ACCESSOR(ik_twilio_user_service_sid, ik_twilio_user, service_sid)
IK_STR_ACCESSOR(ik_twilio_user_attributes, ik_twilio_user, attributes)
IK_STR_ACCESSOR(ik_twilio_user_friendly_name, ik_twilio_user, friendly_name)
IK_STR_ACCESSOR(ik_twilio_user_role_sid, ik_twilio_user, role_sid)
IK_STR_ACCESSOR(ik_twilio_user_identity, ik_twilio_user, identity)
IK_API ik_optbool ik_twilio_user_is_online(const ik_twilio_user *o) { return o ? o->is_online : IK_OPTBOOL_UNSET; }
IK_API ik_optbool ik_twilio_user_is_notifiable(const ik_twilio_user *o) {
  return o ? o->is_notifiable : IK_OPTBOOL_UNSET;
}
IK_STR_ACCESSOR(ik_twilio_user_date_created, ik_twilio_user, date_created)
IK_STR_ACCESSOR(ik_twilio_user_date_updated, ik_twilio_user, date_updated)
IK_UNIX_ACCESSOR(ik_twilio_user_date_created_unix, ik_twilio_user, date_created)
IK_UNIX_ACCESSOR(ik_twilio_user_date_updated_unix, ik_twilio_user, date_updated)
IK_INT_ACCESSOR(ik_twilio_user_joined_channels_count, ik_twilio_user, joined_channels_count)
IK_STR_ACCESSOR(ik_twilio_user_link_user_channels, ik_twilio_user, link_user_channels)
IK_STR_ACCESSOR(ik_twilio_user_link_user_bindings, ik_twilio_user, link_user_bindings)
IK_STR_ACCESSOR(ik_twilio_user_url, ik_twilio_user, url)
IK_ITEM_COMMON(ik_twilio_user, ik_twilio_user)

// ---- non-blocking twins (async.h) ----

IK_API ik_status ik_twilio_invite_create_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *identity, const char *role_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::invite_create(service_sid, channel_sid, identity, role_sid); });
}

IK_API ik_status ik_twilio_invite_fetch_start(const ik_client *client, const char *service_sid, const char *channel_sid,
                                              const char *invite_sid, const ik_call_options *call_opts, ik_op_cb cb,
                                              void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::invite_fetch(service_sid, channel_sid, invite_sid); });
}

IK_API ik_status ik_twilio_invite_list_start(const ik_client *client, const char *service_sid, const char *channel_sid,
                                             const char *const *identities, size_t identity_count,
                                             const ik_list_options *list_opts, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    return list_call(invite_list(service_sid, channel_sid, identities, identity_count), list_opts);
  });
}

IK_API ik_status ik_twilio_invite_delete_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *invite_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::invite_delete(service_sid, channel_sid, invite_sid); });
}

IK_API ik_status ik_twilio_invite_ensure_start(const ik_client *client, const char *service_sid,
                                               const char *channel_sid, const char *identity, const char *role_sid,
                                               const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                               ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::invite_ensure(service_sid, channel_sid, identity, role_sid); });
}

IK_API ik_status ik_twilio_user_create_start(const ik_client *client, const char *service_sid,
                                             const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return twilio::user_create(service_sid, *params);
  });
}

IK_API ik_status ik_twilio_user_fetch_start(const ik_client *client, const char *service_sid,
                                            const char *sid_or_identity, const ik_call_options *call_opts, ik_op_cb cb,
                                            void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::user_fetch(service_sid, sid_or_identity); });
}

IK_API ik_status ik_twilio_user_list_start(const ik_client *client, const char *service_sid,
                                           const ik_list_options *list_opts, const ik_call_options *call_opts,
                                           ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return list_call(user_list(service_sid), list_opts); });
}

IK_API ik_status ik_twilio_user_update_start(const ik_client *client, const char *service_sid,
                                             const char *sid_or_identity, const ik_twilio_user_params *params,
                                             const ik_call_options *call_opts, ik_op_cb cb, void *user_data,
                                             ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return twilio::user_update(service_sid, sid_or_identity, *params);
  });
}

IK_API ik_status ik_twilio_user_delete_start(const ik_client *client, const char *service_sid,
                                             const char *sid_or_identity, const ik_call_options *call_opts, ik_op_cb cb,
                                             void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err,
                    [&] { return twilio::user_delete(service_sid, sid_or_identity); });
}

IK_API ik_status ik_twilio_user_ensure_start(const ik_client *client, const char *service_sid,
                                             const ik_twilio_user_params *params, const ik_call_options *call_opts,
                                             ik_op_cb cb, void *user_data, ik_op **out_op, ik_error **out_err) {
  return start_call(client, call_opts, cb, user_data, out_op, out_err, [&] {
    require(params, "params");
    return twilio::user_ensure(service_sid, *params);
  });
}

IK_API ik_status ik_op_take_twilio_invite(ik_op *op, ik_twilio_invite **out, ik_error **out_err) {
  return op_take(op, out, out_err);
}
IK_API ik_status ik_op_take_twilio_user(ik_op *op, ik_twilio_user **out, ik_error **out_err) {
  return op_take(op, out, out_err);
}

}  // extern "C"
