// Fastly invitations (src/providers/fastly.cpp).
#pragma once

#include <memory>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/pager.hpp"
#include "providers/provider.hpp"

// An invitation (ik_fastly_invitation, fastly.h).
struct ik_fastly_invitation : ik::detail::ItemBase {
  static constexpr int32_t kKind = IK_KIND_FASTLY_INVITATION;
  ik::detail::Field id, type, email, role, created_at, updated_at, deleted_at, customer_id;
  ik_optbool limit_services = IK_OPTBOOL_UNSET;
  std::vector<std::string_view> roles;  // NUL-terminated, in the arena like the Fields
  ik::detail::OptInt status_code;
  std::vector<std::string_view> service_invitation_ids;  // likewise
  const ik::detail::Field &id_field() const { return id; }
};

namespace ik::detail::fastly {

// A list page's "links" and "meta" objects (ik_page_fastly_*).
struct PageMeta : ik::detail::PageMeta {
  OptStr first, last, prev, next;
  OptInt current_page, per_page, record_count, total_pages;
};

Prepared<ik_fastly_invitation> create(const ik_fastly_invitation_create_params &p);
ListSpec list_spec();
// The ensure of an invitation by email (core/ensure.hpp); checks the arguments.
EnsureSpec<ik_fastly_invitation> ensure(const ik_fastly_invitation_create_params &p);
// The mapping of a create response ({"data": {...}}) parsed into doc, its
// text into `text` and inv.raw a view into doc.body (keep the body alive with
// inv.resp), for the fuzz harnesses and tests; throws Error(IK_STATUS_PARSE).
void map_create_response(const JsonDoc &doc, ik_fastly_invitation &inv, TextArena &text);
Prepared<ik_deletion> remove(const char *invitation_id);
}  // namespace ik::detail::fastly
