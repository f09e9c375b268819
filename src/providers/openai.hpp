// OpenAI organization invites (src/providers/openai.cpp).
#pragma once

#include <memory>

#include "core/pager.hpp"

namespace ik::detail::openai {
std::unique_ptr<ik_openai_invite> create(const ik_client &c, const ik_openai_invite_create_params &p,
                                         const CallSettings &cs);
std::unique_ptr<ik_openai_invite> retrieve(const ik_client &c, const char *invite_id, const CallSettings &cs);
ListSpec list_spec();
std::unique_ptr<ik_openai_invite> ensure(const ik_client &c, const ik_openai_invite_create_params &p,
                                         const CallSettings &cs, int32_t &outcome);
// The mapping of one invite object (as in retrieve/create), for the fuzz
// harnesses and tests; throws Error(IK_STATUS_PARSE).
void map_invite_object(JsonObject o, ik_openai_invite &inv);
std::unique_ptr<ik_deletion> remove(const ik_client &c, const char *invite_id, const CallSettings &cs);
}  // namespace ik::detail::openai
