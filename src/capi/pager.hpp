// Helpers shared by the provider shims for list operations and pagers.
#pragma once

#include "capi/guard.hpp"
#include "core/pager.hpp"

namespace ik::detail {

// Builds the ListSpec with make(ctx) inside the firewall (validation errors
// become statuses), then fetches one page / creates a pager.
// One page of a listing, as an operation (its cursor already applied).
Prepared<ik_page> list_call(ListSpec (*make)(void *), void *ctx, const ik_list_options *lopts);
ik_status list_page(const ik_client *client, ListSpec (*make)(void *), void *ctx, const ik_list_options *lopts,
                    const ik_call_options *copts, ik_page **out, ik_error **out_err);
ik_status new_pager(const ik_client *client, ListSpec (*make)(void *), void *ctx, const ik_list_options *lopts,
                    ik_pager **out, ik_error **out_err);

// Copies s into a library-allocated ik_buf (NUL-terminated).
void fill_buf(ik_buf *out, const std::string &s);

}  // namespace ik::detail
