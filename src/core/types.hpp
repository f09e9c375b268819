// The C-visible result objects (opaque in the headers) and their C++ layout.
// Every result is immutable once built; items share their exchange metadata
// (ik_response) through a shared_ptr, so they may outlive the page they came from.
#pragma once

#include <invitekit/invitekit.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
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

// A response together with the text of the results parsed from it. Results
// (items, pages, single objects) hold it through an aliasing ResponsePtr to
// its response: one reference keeps the body (which their raw JSON views)
// and the arena (which their Fields view) alive, however long the result
// outlives its page or pager. Immutable once parsed, so shared across
// threads freely.
struct ParsedBody {
  explicit ParsedBody(ResponsePtr r) : resp(std::move(r)), text(resp->body.size()) {}
  ResponsePtr resp;
  TextArena text;
};
// Points resp at the same response, now owned with a new arena for the
// results parsed from its body, and returns that arena.
inline TextArena &attach_text(ResponsePtr &resp) {
  auto pb = std::make_shared<ParsedBody>(resp);
  resp = ResponsePtr(pb, pb->resp.get());
  return pb->text;
}

// Common part of every item: exchange metadata and the item's exact JSON, a
// view into resp->body (the whole body for single-object results).
struct ItemBase {
  ResponsePtr resp;
  std::string_view raw;
};
}  // namespace ik::detail

// The result of every delete operation (response.h).
struct ik_deletion : ik::detail::ItemBase {
  int32_t kind = IK_KIND_NONE;
  ik::detail::OptStr object, id;
  ik_optbool deleted = IK_OPTBOOL_UNSET;
};

namespace ik::detail {
// A page's items, of the one item type of its kind. The item types belong to
// the provider modules (their headers, with their page metadata); each has `static constexpr int32_t kKind` (its
// IK_KIND_*) and `const Field &id_field() const` (what ik_page_item_id returns).
class PageItems {
 public:
  virtual ~PageItems() = default;
  virtual size_t size() const = 0;
  virtual const ItemBase *at(size_t i) const = 0;  // i < size()
  virtual const Field &id_at(size_t i) const = 0;
  virtual void truncate(size_t n) = 0;    // keeps the first n
  virtual void drop_front(size_t n) = 0;  // drops the first n (at most size())
};

template <class T>
class ItemVector final : public PageItems {
 public:
  std::vector<T> v;
  size_t size() const override { return v.size(); }
  const ItemBase *at(size_t i) const override { return &v[i]; }
  const Field &id_at(size_t i) const override { return v[i].id_field(); }
  void truncate(size_t n) override {
    if (v.size() > n) v.resize(n);
  }
  void drop_front(size_t n) override {
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size())));
  }
};

// What a provider's page parser keeps of a page besides its items (OpenAI's
// first_id/last_id, Twilio's meta, Fastly's links and meta): its own type,
// derived from this, read back by its C shims through meta_of<M>().
struct PageMeta {
  virtual ~PageMeta() = default;
};
}  // namespace ik::detail

struct ik_page {
  int32_t kind = IK_KIND_NONE;
  ik::detail::ResponsePtr resp;
  bool has_more = false;
  // Provider-level cursor of the next page (Twilio: next_page_url; OpenAI: the
  // last id; Fastly: the next page number), and its opaque public form.
  bool has_next = false;
  std::string next_raw;
  ik::detail::OptStr next_cursor;
  std::unique_ptr<ik::detail::PageItems> items;  // null: no items
  std::unique_ptr<ik::detail::PageMeta> meta;    // null: none parsed
  // What fetched the page, for ik_page_item_cursor: the provider-level cursor
  // of its request ("" = first page), the list's scheme (ik::detail::Scheme)
  // and kind (above); the position of items[0] in that provider page (items a
  // cursor skipped or the pager had delivered are dropped from the front), and
  // whether max_items cut the page's end.
  std::string fetch_raw;
  char scheme = 0;
  size_t first_offset = 0;
  bool cut = false;

  size_t count() const { return items ? items->size() : 0; }
  // Item i as its common part (exchange metadata, raw JSON), or nullptr when
  // out of range: kind-generic access.
  const ik::detail::ItemBase *item(size_t i) const { return i < count() ? items->at(i) : nullptr; }
  // Keeps the first n items (exact max_items stop).
  void truncate(size_t n) {
    if (n < count()) cut = true;
    if (items) items->truncate(n);
  }
  // Drops the first n items (those a cursor says were already delivered).
  void drop_front(size_t n) {
    first_offset += std::min(n, count());
    if (items) items->drop_front(n);
  }
};

namespace ik::detail {
// The IK_KIND_* of an item type.
template <class T>
constexpr int32_t kind_of() {
  return T::kKind;
}

// A page's items of type T, created empty on first use; throws INTERNAL when
// the page is of another kind (callers check the kind first).
template <class T>
std::vector<T> &items_of(ik_page &page) {
  if (page.kind != kind_of<T>()) fail(IK_STATUS_INTERNAL, "page items of another kind requested");
  if (!page.items) page.items = std::make_unique<ItemVector<T>>();
  return static_cast<ItemVector<T> &>(*page.items).v;
}
// Item i of a page of T, or nullptr (no page, another kind, out of range).
template <class T>
const T *item_at(const ik_page *page, size_t i) {
  if (!page || page->kind != kind_of<T>() || i >= page->count()) return nullptr;
  return &static_cast<const ItemVector<T> &>(*page->items).v[i];
}

// The provider metadata of a page as M, or nullptr (no page, or none of M).
template <class M>
const M *meta_of(const ik_page *page) {
  return page ? dynamic_cast<const M *>(page->meta.get()) : nullptr;
}
// The page's metadata as M, created on first use (for page parsers).
template <class M>
M &meta_for(ik_page &page) {
  if (!page.meta) page.meta = std::make_unique<M>();
  return dynamic_cast<M &>(*page.meta);
}
}  // namespace ik::detail
