// Twilio Chat v1 Channel Invites and v2 Users (src/providers/twilio.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

// A channel invite (ik_twilio_invite, twilio.h).
struct ik_twilio_invite : ik::detail::ItemBase {
  static constexpr int32_t kKind = IK_KIND_TWILIO_INVITE;
  ik::detail::Field sid, account_sid, channel_sid, service_sid, identity, role_sid, created_by, url, date_created,
      date_updated;
  const ik::detail::Field &id_field() const { return sid; }
};

// A user (ik_twilio_user, twilio.h).
struct ik_twilio_user : ik::detail::ItemBase {
  static constexpr int32_t kKind = IK_KIND_TWILIO_USER;
  ik::detail::Field sid, account_sid, service_sid, attributes, friendly_name, role_sid, identity, date_created,
      date_updated, link_user_channels, link_user_bindings, url;
  ik_optbool is_online = IK_OPTBOOL_UNSET;
  ik_optbool is_notifiable = IK_OPTBOOL_UNSET;
  ik::detail::OptInt joined_channels_count;
  const ik::detail::Field &id_field() const { return sid; }
};

namespace ik::detail::twilio {

// A list page's "meta" object (ik_page_twilio_*), for invites and users.
struct PageMeta : ik::detail::PageMeta {
  OptInt page, page_size;
  OptStr key, url, first_page_url, previous_page_url, next_page_url;
};

Prepared<ik_twilio_invite> invite_create(const char *service_sid, const char *channel_sid, const char *identity,
                                         const char *role_sid);
Prepared<ik_twilio_invite> invite_fetch(const char *service_sid, const char *channel_sid, const char *invite_sid);
// The ensure of a channel invite by identity (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_twilio_invite> invite_ensure(const char *service_sid, const char *channel_sid, const char *identity,
                                           const char *role_sid);
ListSpec invite_list_spec(const char *service_sid, const char *channel_sid, const char *const *identities,
                          size_t identity_count);
Prepared<ik_deletion> invite_delete(const char *service_sid, const char *channel_sid, const char *invite_sid);

Prepared<ik_twilio_user> user_create(const char *service_sid, const ik_twilio_user_params &p);
Prepared<ik_twilio_user> user_fetch(const char *service_sid, const char *sid_or_identity);
// The ensure of a user by identity (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_twilio_user> user_ensure(const char *service_sid, const ik_twilio_user_params &p);
ListSpec user_list_spec(const char *service_sid);
// The mapping of one invite / user object (as in fetch/create), for the fuzz
// harnesses and tests), their text into `text`; throws Error(IK_STATUS_PARSE).
void map_invite_object(JsonObject o, ik_twilio_invite &inv, TextArena &text);
void map_user_object(JsonObject o, ik_twilio_user &u, TextArena &text);
Prepared<ik_twilio_user> user_update(const char *service_sid, const char *sid_or_identity,
                                     const ik_twilio_user_params &p);
Prepared<ik_deletion> user_delete(const char *service_sid, const char *sid_or_identity);
}  // namespace ik::detail::twilio
