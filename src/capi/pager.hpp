// Helpers shared by the provider shims for list operations and pagers.
#pragma once

#include "capi/guard.hpp"
#include "core/pager.hpp"

#include <functional>

namespace ik::detail {

// Builds a listing's ListSpec (and checks the list's arguments). Called
// inside the firewall, so that validation errors become statuses.
using ListMaker = std::function<ListSpec()>;

// One page of a listing, as an operation (its cursor already applied).
Prepared<ik_page> list_call(const ListMaker &make, const ik_list_options *lopts);
// ik_<x>_list and ik_<x>_pager.
ik_status list_page(const ik_client *client, const ListMaker &make, const ik_list_options *lopts,
                    const ik_call_options *copts, ik_page **out, ik_error **out_err);
ik_status new_pager(const ik_client *client, const ListMaker &make, const ik_list_options *lopts, ik_pager **out,
                    ik_error **out_err);

}  // namespace ik::detail
