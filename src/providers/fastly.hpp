// Fastly invitations (src/providers/fastly.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

namespace ik::detail::fastly {
Prepared<ik_fastly_invitation> create(const ik_fastly_invitation_create_params &p);
ListSpec list_spec();
// The ensure of an invitation by email (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_fastly_invitation> ensure(const ik_fastly_invitation_create_params &p);
// The mapping of a create response ({"data": {...}}; inv.resp must hold the
// padded body), for the fuzz harnesses and tests; throws Error(IK_STATUS_PARSE).
void map_create_response(JsonObject o, ik_fastly_invitation &inv);
Prepared<ik_deletion> remove(const char *invitation_id);
}  // namespace ik::detail::fastly
