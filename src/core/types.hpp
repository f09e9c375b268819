// The C-visible result objects (opaque in the headers) and their C++ layout.
// Every result is immutable once built; items share their exchange metadata
// (ik_response) through a shared_ptr, so they may outlive the page they came from.
#pragma once

#include <invitekit/invitekit.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

struct ik_response {
  int32_t provider = IK_PROVIDER_NONE;
  int32_t http_status = 0;
  ik::detail::Headers headers;
  ik::detail::OptStr request_id;
  int32_t attempts = 0;
  int64_t elapsed_us = 0;
  std::string body;  // padded for simdjson (see pad_for_parse)
};

namespace ik::detail {
using ResponsePtr = std::shared_ptr<const ik_response>;

// Common part of every item: exchange metadata and the item's JSON.
struct ItemBase {
  ResponsePtr resp;
  std::string raw;           // item JSON for page items
  bool raw_is_body = false;  // single-object results: the JSON is resp->body
  const std::string &json() const { return raw_is_body ? resp->body : raw; }
};
}  // namespace ik::detail

struct ik_openai_invite : ik::detail::ItemBase {
  ik::detail::OptStr object, id, email, role, status;
  ik::detail::OptInt created_at, expires_at, accepted_at;
  bool has_projects = false;
  std::vector<std::pair<ik::detail::OptStr, ik::detail::OptStr>> projects;
};

// The result of every delete operation (response.h).
struct ik_deletion : ik::detail::ItemBase {
  int32_t kind = IK_KIND_NONE;
  ik::detail::OptStr object, id;
  ik_optbool deleted = IK_OPTBOOL_UNSET;
};

struct ik_twilio_invite : ik::detail::ItemBase {
  ik::detail::OptStr sid, account_sid, channel_sid, service_sid, identity, role_sid, created_by, url, date_created,
      date_updated;
};

struct ik_twilio_user : ik::detail::ItemBase {
  ik::detail::OptStr sid, account_sid, service_sid, attributes, friendly_name, role_sid, identity, date_created,
      date_updated, link_user_channels, link_user_bindings, url;
  ik_optbool is_online = IK_OPTBOOL_UNSET;
  ik_optbool is_notifiable = IK_OPTBOOL_UNSET;
  ik::detail::OptInt joined_channels_count;
};

struct ik_fastly_invitation : ik::detail::ItemBase {
  ik::detail::OptStr id, type, email, role, created_at, updated_at, deleted_at, customer_id;
  ik_optbool limit_services = IK_OPTBOOL_UNSET;
  std::vector<std::string> roles;
  ik::detail::OptInt status_code;
  std::vector<std::string> service_invitation_ids;
};

struct ik_page {
  int32_t kind = IK_KIND_NONE;
  ik::detail::ResponsePtr resp;
  bool has_more = false;
  // Provider-level cursor of the next page (Twilio: next_page_url; OpenAI: the
  // last id; Fastly: the next page number), and its opaque public form.
  bool has_next = false;
  std::string next_raw;
  ik::detail::OptStr next_cursor;

  std::vector<ik_openai_invite> openai_invites;
  std::vector<ik_twilio_invite> twilio_invites;
  std::vector<ik_twilio_user> twilio_users;
  std::vector<ik_fastly_invitation> fastly_invitations;

  ik::detail::OptStr openai_first_id, openai_last_id;

  ik::detail::OptInt tw_page, tw_page_size;
  ik::detail::OptStr tw_key, tw_url, tw_first_page_url, tw_previous_page_url, tw_next_page_url;

  ik::detail::OptStr fl_first, fl_last, fl_prev, fl_next;
  ik::detail::OptInt fl_current_page, fl_per_page, fl_record_count, fl_total_pages;

  size_t count() const {
    switch (kind) {
      case IK_KIND_OPENAI_INVITE: return openai_invites.size();
      case IK_KIND_TWILIO_INVITE: return twilio_invites.size();
      case IK_KIND_TWILIO_USER: return twilio_users.size();
      case IK_KIND_FASTLY_INVITATION: return fastly_invitations.size();
      default: return 0;
    }
  }
  // Item i as its common part (exchange metadata, raw JSON), or nullptr when
  // out of range: kind-generic access.
  const ik::detail::ItemBase *item(size_t i) const {
    if (i >= count()) return nullptr;
    switch (kind) {
      case IK_KIND_OPENAI_INVITE: return &openai_invites[i];
      case IK_KIND_TWILIO_INVITE: return &twilio_invites[i];
      case IK_KIND_TWILIO_USER: return &twilio_users[i];
      case IK_KIND_FASTLY_INVITATION: return &fastly_invitations[i];
      default: return nullptr;
    }
  }
  // Keeps the first n items (exact max_items stop).
  void truncate(size_t n) {
    if (openai_invites.size() > n) openai_invites.resize(n);
    if (twilio_invites.size() > n) twilio_invites.resize(n);
    if (twilio_users.size() > n) twilio_users.resize(n);
    if (fastly_invitations.size() > n) fastly_invitations.resize(n);
  }
  // Drops the first n items (those a cursor says were already delivered).
  void drop_front(size_t n) {
    auto drop = [n](auto &v) { v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size()))); };
    drop(openai_invites);
    drop(twilio_invites);
    drop(twilio_users);
    drop(fastly_invitations);
  }
};

namespace ik::detail {
// The IK_KIND_* of an item type, and a page's items of that type (typed
// access; callers check the page's kind first).
template <class T>
constexpr int32_t kind_of();
template <>
constexpr int32_t kind_of<ik_openai_invite>() {
  return IK_KIND_OPENAI_INVITE;
}
template <>
constexpr int32_t kind_of<ik_twilio_invite>() {
  return IK_KIND_TWILIO_INVITE;
}
template <>
constexpr int32_t kind_of<ik_twilio_user>() {
  return IK_KIND_TWILIO_USER;
}
template <>
constexpr int32_t kind_of<ik_fastly_invitation>() {
  return IK_KIND_FASTLY_INVITATION;
}

template <class T>
std::vector<T> &items_of(ik_page &page);
template <>
inline std::vector<ik_openai_invite> &items_of(ik_page &page) {
  return page.openai_invites;
}
template <>
inline std::vector<ik_twilio_invite> &items_of(ik_page &page) {
  return page.twilio_invites;
}
template <>
inline std::vector<ik_twilio_user> &items_of(ik_page &page) {
  return page.twilio_users;
}
template <>
inline std::vector<ik_fastly_invitation> &items_of(ik_page &page) {
  return page.fastly_invitations;
}
}  // namespace ik::detail
