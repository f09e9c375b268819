// The one pager over the three pagination schemes, and single-page listing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/call.hpp"
#include "core/client.hpp"
#include "core/types.hpp"
#include "core/provider.hpp"

namespace ik::detail {

enum class Scheme : char {
  NextUrl = 't',     // Twilio: follow meta.next_page_url as given
  AfterId = 'o',     // OpenAI: after=<last_id> while has_more
  PageNumber = 'f',  // Fastly: page[number]=N until links.next is null / last page
};

// Fills a page from a parsed list response (items, meta, has_more, next_raw).
using PageParser = void (*)(ik_page &page, const JsonDoc &doc);

// The items of a list response, the array root[key], each mapped with
// map(obj, item, text) into the page's items of T, with its exact raw JSON (a
// view into the body, sliced from the same parse: array_item_slices) and the
// page's response, which owns the page's arena (attach_text): no string and
// no allocation per field. Throws PARSE when the array is missing.
template <class T, class Map>
void map_page_items(ik_page &page, const JsonDoc &doc, const std::string &key, Map map) {
  const auto member = find_root_member(doc, key);
  const auto arr = member ? arr_of(true, member->second, key) : std::nullopt;
  if (!arr) fail(IK_STATUS_PARSE, "unexpected response: list without a '" + key + "' array");
  std::vector<std::string_view> raw;
  raw.reserve(arr->size());
  array_item_slices(doc, member->first, raw);
  if (raw.size() != arr->size()) fail(IK_STATUS_PARSE, "unexpected response: inconsistent '" + key + "' array");
  TextArena &text = attach_text(page.resp);
  std::vector<T> &items = items_of<T>(page);
  items.reserve(arr->size());
  size_t i = 0;
  for (JsonElement e : *arr) {
    JsonObject obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) obj = as_object(e, key + "[]");  // throws, with context
    T &item = items.emplace_back();
    map(obj, item, text);
    item.resp = page.resp;
    item.raw = raw[i++];
  }
}

// What a provider module describes for one list endpoint.
struct ListSpec {
  const Endpoint *ep = nullptr;
  Scheme scheme = Scheme::AfterId;
  int32_t kind = IK_KIND_NONE;
  int32_t max_page_size = 100;
  std::string path;                                          // encoded path of the first page
  std::vector<std::pair<std::string, std::string>> filters;  // repeated query keys (Twilio Identity)
  int32_t page_size = 0;                                     // 0 = server default (already clamped)
  PageParser parse = nullptr;
};

// A ListSpec for a list endpoint row (its kind comes from the row).
ListSpec make_list_spec(const Endpoint &ep, Scheme scheme, int32_t max_page_size, std::string path, PageParser parse);

// Decoded public cursor: the provider-level cursor of a page plus how many of
// its items were already delivered.
struct Cursor {
  std::string raw;  // empty = first page
  int64_t skip = 0;
};
// "ik1.<scheme><kind>.<skip>.<base64url(raw)>": the list kind is part of the
// cursor, so a cursor of one list is refused by every other list.
std::string encode_cursor(Scheme scheme, int32_t kind, std::string_view raw, int64_t skip);
inline std::string encode_cursor(const ListSpec &spec, std::string_view raw, int64_t skip) {
  return encode_cursor(spec.scheme, spec.kind, raw, skip);
}
Cursor decode_cursor(const ListSpec &spec, const char *text);  // throws INVALID_ARGUMENT
// The cursor from which a new pager delivers a page's items from `index` on
// (ik_page_item_cursor); index <= page.count().
std::string page_item_cursor(const ik_page &page, size_t index);

// Hashes (64-bit FNV-1a) of the provider-level cursors a pager has followed,
// so that a server whose pagination goes round in circles is noticed. An
// open-addressing table that grows with the listing up to kMaxEntries
// cursors (2 MiB): a legitimate 100,000-page listing fits whole. When full it
// starts over, so any cycle shorter than kMaxEntries pages is still caught on
// its next round; memory stays bounded whatever the server sends.
class SeenCursors {
 public:
  static constexpr size_t kMaxEntries = size_t{1} << 17;
  static uint64_t hash(std::string_view raw);
  bool contains(uint64_t h) const;
  void insert(uint64_t h);
  size_t size() const { return count_; }
  size_t capacity() const { return slots_.size(); }

 private:
  std::vector<uint64_t> slots_;  // 0 = empty (hash() never returns 0)
  size_t count_ = 0;
};

// Validates list options and clamps the page size to the endpoint maximum.
void apply_list_options(ListSpec &spec, const ik_list_options *opts, int64_t *max_items, Cursor *cursor);

// Fetches and parses one page.
// The request for the page at cursor_raw ("" = first page), and the page
// parsed from its response.
Request page_request(const ListSpec &spec, const std::string &cursor_raw);
std::unique_ptr<ik_page> parse_page(const ik_client &client, const ListSpec &spec, const std::string &cursor_raw,
                                    const Request &req, ResponsePtr resp);
// One page as an operation (ik_<x>_list and its _start twin), without its
// first `skip` items (a mid-page cursor).
Prepared<ik_page> page_call(const ListSpec &spec, const std::string &cursor_raw, int64_t skip);

}  // namespace ik::detail

struct ik_pager {
  const ik_client *client = nullptr;  // one reference (ik_client::retain), dropped by the destructor
  ik_pager() = default;
  ik_pager(const ik_pager &) = delete;
  ik_pager &operator=(const ik_pager &) = delete;
  ~ik_pager() { ik_client::release(client); }

  ik::detail::ListSpec spec;
  int64_t max_items = 0;  // 0 = unlimited
  int64_t delivered = 0;
  bool done = false;
  // The page being consumed item by item (it knows what fetched it:
  // page_item_cursor), and how far into it we are.
  std::unique_ptr<ik_page> current;
  size_t pos = 0;
  // Where the next page comes from.
  std::string next_raw;
  int64_t next_skip = 0;
  bool have_next = true;
  // Where a max_items stop left off (so that ik_pager_cursor can resume): the
  // cursor of the first item it left out.
  std::optional<std::string> stop_cursor;

  // Loop guard (see follow_request()): the cursors followed so far, whether next_raw
  // came from a server response (rather than from the caller), and a
  // fingerprint (count, first and last items) of the last non-empty page.
  ik::detail::SeenCursors seen;
  bool next_from_server = false;
  bool have_items_hash = false;
  uint64_t items_hash = 0;

  // Fetching the page at next_raw, in two steps shared by the blocking and
  // non-blocking paths: the request, after checking that the server's
  // pagination advances (throws Error(IK_STATUS_PARSE) when it does not; no
  // state change), then the page from its response (updates the loop guard).
  ik::detail::Request follow_request() const;
  std::unique_ptr<ik_page> follow_finish(const ik::detail::Request &req, ik::detail::ResponsePtr resp);

  // next_page as a state machine, driven by next_page() (blocking) and by
  // ik_pager_next_page_start (non-blocking): a step either is the answer
  // (page, or nullptr at the end) or asks for req to be sent, after which
  // page_fetched() gives the next step.
  struct PageStep {
    bool fetch = false;
    ik::detail::Request req;
    std::unique_ptr<ik_page> page;
  };
  PageStep page_begin();
  PageStep page_next();
  PageStep page_fetched(std::unique_ptr<ik_page> p);
  int empty_run = 0;  // empty pages in a row in this next_page / next_index call
  // Takes a fetched page as the pager's position: the next page's cursor
  // moves on, empty_run counts p if nothing of it is left to deliver. Returns
  // how many of its items a cursor had already delivered (skipped, not dropped).
  size_t accept(const ik_page &p);
  std::unique_ptr<ik_page> next_page(const ik::detail::CallSettings &cs);
  // 0 idle; 1 an asynchronous next_page is in flight
  // (ik_pager_next_page_start): other calls fail; 2 ik_pager_free came
  // meanwhile: the engine frees the pager when the operation completes.
  std::atomic<int32_t> async_state{0};
  size_t deliver(ik_page &page);
  // The next item as T, or nullptr at the end; throws INVALID_ARGUMENT when
  // the pager yields another kind. The item lives in the pager's private
  // page; the caller may move it out (items before `pos` are never read again).
  template <class T>
  T *next_item(const ik::detail::CallSettings &cs) {
    if (spec.kind != ik::detail::kind_of<T>())
      ik::detail::fail(IK_STATUS_INVALID_ARGUMENT, "this pager yields another kind of item");
    const std::optional<size_t> i = next_index(cs);
    return i ? &ik::detail::items_of<T>(*current)[*i] : nullptr;
  }
  // Positions on the next item (index into current), fetching pages as needed.
  std::optional<size_t> next_index(const ik::detail::CallSettings &cs);
  std::string cursor() const;
};
