// OpenAI organization invites (src/providers/openai.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

namespace ik::detail::openai {
Prepared<ik_openai_invite> create(const ik_openai_invite_create_params &p);
Prepared<ik_openai_invite> retrieve(const char *invite_id);
ListSpec list_spec();
// The ensure of an invite by email (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_openai_invite> ensure(const ik_openai_invite_create_params &p);
// The mapping of one invite object (as in retrieve/create), for the fuzz
// harnesses and tests; throws Error(IK_STATUS_PARSE).
void map_invite_object(JsonObject o, ik_openai_invite &inv);
Prepared<ik_deletion> remove(const char *invite_id);
}  // namespace ik::detail::openai
