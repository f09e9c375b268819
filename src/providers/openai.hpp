// OpenAI organization invites (src/providers/openai.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

// An invite (ik_openai_invite, openai.h): retrieve, create, list items.
struct ik_openai_invite : ik::detail::ItemBase {
  static constexpr int32_t kKind = IK_KIND_OPENAI_INVITE;
  ik::detail::Field object, id, email, role, status;
  ik::detail::OptInt created_at, expires_at, accepted_at;
  bool has_projects = false;
  std::vector<std::pair<ik::detail::Field, ik::detail::Field>> projects;  // id, role
  const ik::detail::Field &id_field() const { return id; }
};

namespace ik::detail::openai {

// What a list page says besides its items (ik_page_openai_first_id/_last_id).
struct PageMeta : ik::detail::PageMeta {
  OptStr first_id, last_id;
};

Prepared<ik_openai_invite> create(const ik_openai_invite_create_params &p);
Prepared<ik_openai_invite> retrieve(const char *invite_id);
ListSpec list_spec();
// The ensure of an invite by email (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_openai_invite> ensure(const ik_openai_invite_create_params &p);
// The mapping of one invite object (as in retrieve/create), for the fuzz
// harnesses and tests), its text into `text`; throws Error(IK_STATUS_PARSE).
void map_invite_object(JsonObject o, ik_openai_invite &inv, TextArena &text);
Prepared<ik_deletion> remove(const char *invite_id);
}  // namespace ik::detail::openai
