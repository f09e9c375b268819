// Helpers shared by the provider shims for list operations and pagers.
#pragma once

#include "capi/accessors.hpp"
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

// Throws INVALID_ARGUMENT for a NULL pager or one with an
// ik_pager_next_page_start in flight (it belongs to the engine until then).
void require_idle(const ik_pager *pager);

// ik_pager_next_<item>: the next item as an owned copy (*out NULL at the end).
template <class T>
ik_status pager_next(ik_pager *pager, const ik_call_options *copts, T **out, ik_error **out_err) {
  return guard(out_err, [&] {
    clear_out(out);
    require_idle(pager);
    CallSettings cs = settings(pager->client, copts);
    if (T *item = pager->next_item<T>(cs)) *out = new T(std::move(*item));  // the page is private to the pager
  });
}

// ik_page_<provider>_<field> over a provider's page metadata M: NULL / 0 when
// the page is NULL or has no M (another provider's page, or none parsed).
template <class M>
const char *page_str(const ik_page *page, OptStr M::*field) {
  const M *m = meta_of<M>(page);
  return m ? (m->*field).c() : nullptr;
}
template <class M>
int32_t page_int(const ik_page *page, OptInt M::*field, int64_t *out) {
  const M *m = meta_of<M>(page);
  return m ? int_of(m->*field, out) : 0;
}

}  // namespace ik::detail
