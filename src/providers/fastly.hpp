// Fastly invitations (src/providers/fastly.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

namespace ik::detail::fastly {
Prepared<ik_fastly_invitation> create(const ik_fastly_invitation_create_params &p);
ListSpec list_spec();
std::unique_ptr<ik_fastly_invitation> ensure(const ik_client &c, const ik_fastly_invitation_create_params &p,
                                             const CallSettings &cs, int32_t &outcome);
// The mapping of a create response ({"data": {...}}; inv.resp must hold the
// padded body), for the fuzz harnesses and tests; throws Error(IK_STATUS_PARSE).
void map_create_response(JsonObject o, ik_fastly_invitation &inv);
Prepared<ik_deletion> remove(const char *invitation_id);
}  // namespace ik::detail::fastly
