#include "core/pager.hpp"

#include "core/call.hpp"
#include "core/encoding.hpp"
#include "core/transport.hpp"

#include <algorithm>

namespace ik::detail {

ListSpec make_list_spec(const Endpoint &ep, Scheme scheme, int32_t max_page_size, std::string path, PageParser parse) {
  ListSpec s;
  s.ep = &ep;
  s.scheme = scheme;
  s.kind = ep.kind;
  s.max_page_size = max_page_size;
  s.path = std::move(path);
  s.parse = parse;
  return s;
}

uint64_t SeenCursors::hash(std::string_view raw) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : raw) h = (h ^ c) * 1099511628211ULL;
  return h == 0 ? 1 : h;
}

bool SeenCursors::contains(uint64_t h) const {
  if (slots_.empty()) return false;
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return true;
    if (slots_[i] == 0) return false;
  }
}

void SeenCursors::insert(uint64_t h) {
  if (contains(h)) return;
  if (count_ >= kMaxEntries) {  // full: start over (bounded memory)
    std::fill(slots_.begin(), slots_.end(), 0);
    count_ = 0;
  }
  if ((count_ + 1) * 2 > slots_.size()) {  // keep the load at most 1/2
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(16, old.size() * 2), 0);
    count_ = 0;
    for (uint64_t v : old) {
      if (v) insert(v);
    }
  }
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = h;
  ++count_;
}

std::string encode_cursor(Scheme scheme, int32_t kind, std::string_view raw, int64_t skip) {
  std::string out = "ik1.";
  out.push_back(static_cast<char>(scheme));
  out += std::to_string(kind) + "." + std::to_string(skip) + ".";
  out += base64_encode(raw, true, false);
  return out;
}

std::string page_item_cursor(const ik_page &page, size_t index) {
  const size_t n = page.count();
  // Where this page ends: the first item max_items left out, else the next
  // page (the same cursor as ik_page_next_cursor), else the end of the list.
  if (index == n && !page.cut) return page.next_cursor.set ? page.next_cursor.s : std::string();
  return encode_cursor(static_cast<Scheme>(page.scheme), page.kind, page.fetch_raw,
                       static_cast<int64_t>(page.first_offset + index));
}

Cursor decode_cursor(const ListSpec &spec, const char *text) {
  Cursor c;
  if (!text || !*text) return c;
  std::string_view t(text);
  const std::string prefix = "ik1." + std::string(1, static_cast<char>(spec.scheme)) + std::to_string(spec.kind) + ".";
  auto bad = [&]() -> Cursor {
    fail(IK_STATUS_INVALID_ARGUMENT, "cursor is not one produced by invitekit for this kind of list");
  };
  if (t.size() < prefix.size() || t.substr(0, prefix.size()) != prefix) return bad();
  t.remove_prefix(prefix.size());
  auto dot = t.find('.');
  if (dot == std::string_view::npos) return bad();
  auto skip = parse_int(t.substr(0, dot));
  if (!skip || *skip < 0) return bad();
  auto raw = base64_decode(t.substr(dot + 1));
  if (!raw || !valid_utf8(*raw)) return bad();
  c.raw = std::move(*raw);
  c.skip = *skip;
  return c;
}

void apply_list_options(ListSpec &spec, const ik_list_options *opts, int64_t *max_items, Cursor *cursor) {
  if (max_items) *max_items = 0;
  if (!opts) return;
  check_version(opts->version, IK_LIST_OPTIONS_VERSION, "ik_list_options");
  if (opts->page_size < 0) fail(IK_STATUS_INVALID_ARGUMENT, "ik_list_options.page_size must not be negative");
  if (opts->max_items < 0) fail(IK_STATUS_INVALID_ARGUMENT, "ik_list_options.max_items must not be negative");
  check_text(opts->cursor, "ik_list_options.cursor", false);
  check_text(opts->provider_cursor, "ik_list_options.provider_cursor", false);
  spec.page_size = std::min(opts->page_size, spec.max_page_size);
  if (max_items) *max_items = opts->max_items;
  const char *pc = opts->provider_cursor;
  if (pc && *pc) {
    if (opts->cursor && *opts->cursor)
      fail(IK_STATUS_INVALID_ARGUMENT, "ik_list_options: set cursor or provider_cursor, not both");
    Cursor c;
    std::string_view v(pc);
    switch (spec.scheme) {
      case Scheme::AfterId: c.raw = v; break;
      case Scheme::PageNumber: {
        auto n = parse_int(v);
        if (!n || *n < 1) fail(IK_STATUS_INVALID_ARGUMENT, "provider_cursor must be a page number >= 1 for Fastly");
        c.raw = std::to_string(*n);
        break;
      }
      case Scheme::NextUrl:
        if (v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0) {
          c.raw = v;  // a next_page_url: checked against the base URL when it is requested
        } else {
          FormBuilder q;  // a PageToken: the first page's query plus the token, relative to the base URL
          for (const auto &f : spec.filters) q.add(f.first, f.second);
          if (spec.page_size > 0) q.add("PageSize", std::to_string(spec.page_size));
          q.add("PageToken", v);
          c.raw = spec.path + "?" + q.str();
        }
        break;
    }
    if (cursor) *cursor = std::move(c);
    return;
  }
  if (cursor) *cursor = decode_cursor(spec, opts->cursor);
}

Request page_request(const ListSpec &spec, const std::string &raw) {
  Request req;
  req.ep = spec.ep;
  FormBuilder q;
  const PagingNames &names = provider_traits(spec.ep->provider).paging;
  switch (spec.scheme) {
    case Scheme::NextUrl:
      if (!raw.empty() && raw[0] == '/') {
        req.path_query = raw;  // relative to the base URL (from a PageToken)
      } else if (!raw.empty()) {
        req.absolute_url = raw;
      } else {
        for (const auto &f : spec.filters) q.add(f.first, f.second);
        if (spec.page_size > 0) q.add(names.page_size, std::to_string(spec.page_size), names.literal);
      }
      break;
    case Scheme::AfterId:
      if (spec.page_size > 0) q.add(names.page_size, std::to_string(spec.page_size), names.literal);
      if (!raw.empty()) q.add(names.cursor, raw, names.literal);
      break;
    case Scheme::PageNumber:
      if (!raw.empty()) q.add(names.cursor, raw, names.literal);
      if (spec.page_size > 0) q.add(names.page_size, std::to_string(spec.page_size), names.literal);
      break;
  }
  if (req.absolute_url.empty() && req.path_query.empty()) {
    req.path_query = spec.path;
    if (!q.empty()) req.path_query += "?" + q.str();
  }
  return req;
}

std::unique_ptr<ik_page> parse_page(const ik_client &client, const ListSpec &spec, const std::string &raw,
                                    const Request &req, ResponsePtr resp) {
  auto page = std::make_unique<ik_page>();
  page->kind = spec.kind;
  page->resp = resp;
  page->next_raw = raw;   // the Fastly parser derives the next page number from it
  page->fetch_raw = raw;  // what fetched it (ik_page_item_cursor)
  page->scheme = static_cast<char>(spec.scheme);
  try {
    auto lease = client.transport->parser();
    const JsonDoc doc = parse_json(*lease, resp->body, "list response");
    spec.parse(*page, doc);
  } catch (Error &e) {
    rethrow_parse(e, req, *resp);
  }
  if (!page->has_next) page->next_raw.clear();
  if (page->has_next) page->next_cursor.assign(encode_cursor(spec, page->next_raw, 0));
  return page;
}

Prepared<ik_page> page_call(const ListSpec &spec, const std::string &raw, int64_t skip) {
  Prepared<ik_page> p;
  p.req = page_request(spec, raw);
  p.finish = [spec, raw, skip](const ik_client &client, const Request &req, ResponsePtr resp) {
    auto page = parse_page(client, spec, raw, req, std::move(resp));
    page->drop_front(static_cast<size_t>(skip));  // a mid-page cursor from ik_pager_cursor
    return page;
  };
  return p;
}

}  // namespace ik::detail

using namespace ik::detail;

// Cuts a page being handed out at max_items. If it is cut short, remembers
// the cursor of the first undelivered item (the cut page's end) so that
// ik_pager_cursor can resume there. Counts what is delivered and returns the
// number of items handed out.
size_t ik_pager::deliver(ik_page &page) {
  size_t n = page.count();
  if (max_items > 0 && delivered + static_cast<int64_t>(n) > max_items) {
    n = static_cast<size_t>(max_items - delivered);
    page.truncate(n);
    stop_cursor = page_item_cursor(page, n);
  }
  delivered += static_cast<int64_t>(n);
  if ((max_items > 0 && delivered >= max_items) || !have_next) done = true;
  return n;
}

std::unique_ptr<ik_page> ik_pager::next_page(const CallSettings &cs) {
  PageStep step = page_begin();
  while (step.fetch) step = page_fetched(follow_finish(step.req, client->transport->execute(step.req, cs)));
  return std::move(step.page);
}

ik_pager::PageStep ik_pager::page_begin() {
  if (done) return {};
  if (current && pos < current->count()) {
    // The rest of a page that item-by-item iteration started.
    PageStep step;
    step.page = std::make_unique<ik_page>(std::move(*current));  // private to the pager
    step.page->drop_front(pos);
    deliver(*step.page);
    current.reset();
    pos = 0;
    return step;
  }
  current.reset();
  empty_run = 0;
  return page_next();
}

ik_pager::PageStep ik_pager::page_next() {
  PageStep step;
  if (!have_next || (max_items > 0 && delivered >= max_items)) {
    done = true;
    return step;
  }
  if (empty_run >= 1000)
    fail(IK_STATUS_PARSE, "the provider returned 1000 empty pages in a row that all claim more pages follow");
  step.fetch = true;
  step.req = follow_request();  // throws: state unchanged, the call can be repeated
  return step;
}

size_t ik_pager::accept(const ik_page &p) {
  const size_t skip = static_cast<size_t>(std::min<int64_t>(next_skip, static_cast<int64_t>(p.count())));
  have_next = p.has_next;
  next_raw = p.next_raw;
  next_skip = 0;
  if (skip >= p.count()) ++empty_run;
  return skip;
}

ik_pager::PageStep ik_pager::page_fetched(std::unique_ptr<ik_page> p) {
  const size_t skip = accept(*p);
  if (skip >= p->count()) return page_next();
  p->drop_front(skip);
  deliver(*p);
  PageStep step;
  step.page = std::move(p);
  return step;
}

std::optional<size_t> ik_pager::next_index(const CallSettings &cs) {
  empty_run = 0;
  for (;;) {  // bounded: page_next() fails after 1000 empty pages in a row
    if (done) return std::nullopt;
    if (max_items > 0 && delivered >= max_items) {
      done = true;
      return std::nullopt;
    }
    if (current && pos < current->count()) {
      ++delivered;
      return pos++;
    }
    PageStep step = page_next();  // throws: state unchanged
    if (!step.fetch) return std::nullopt;
    current = follow_finish(step.req, client->transport->execute(step.req, cs));
    pos = accept(*current);
  }
}

namespace {
[[noreturn]] void pagination_error(const ListSpec &spec, const std::string &msg) {
  ErrorInfo info;
  info.status = IK_STATUS_PARSE;
  info.provider = spec.ep->provider;
  info.operation = spec.ep->operation;
  info.message = std::string(provider_traits(spec.ep->provider).name) + " " + spec.ep->operation + ": " + msg;
  throw Error(std::move(info));
}

// A cursor as shown in a message: URLs redacted, bounded length.
std::string shown_cursor(const std::string &raw) {
  std::string s = raw.rfind("http", 0) == 0 || (!raw.empty() && raw[0] == '/') ? redact_url(raw) : raw;
  if (s.size() > 200) {  // in place: GCC 12's -Warray-bounds misfires on substr(0, 200) + "..."
    s.resize(200);
    s += "...";
  }
  for (char &c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

// A fingerprint of a non-empty page's items for the "page repeats the
// previous page" check: the count and the exact bytes of the first and last
// items. Two items per page, not every byte of every item: the check stays off
// the per-record cost of a listing, and a server that serves the same page
// again (or the same single item) has the same first and last items.
uint64_t items_hash_of(const ik_page &p) {
  const size_t n = p.count();
  return SeenCursors::hash(p.item(0)->raw) ^ (SeenCursors::hash(p.item(n - 1)->raw) * 1099511628211ULL) ^
         (static_cast<uint64_t>(n) << 1);
}
}  // namespace

Request ik_pager::follow_request() const {
  if (next_from_server) {
    // A next_page_url from the server that leaves the configured host is a
    // response problem (the caller did nothing wrong), not an invalid argument.
    if (spec.scheme == Scheme::NextUrl && !next_raw.empty() && next_raw[0] != '/') {
      const std::string &base = client->cfg.provider(spec.ep->provider).base_url;
      if (!same_origin(next_raw, base))
        pagination_error(spec, "the server's next_page_url " + redact_url(next_raw) +
                                   " is not on the configured base URL " + base +
                                   "; not followed (credentials are only sent to the configured base URL)");
    }
    if (seen.contains(SeenCursors::hash(next_raw)))
      pagination_error(spec, "the server's pagination did not advance: cursor '" + shown_cursor(next_raw) +
                                 "' was already followed (the server keeps pointing back at a page it has served)");
  }
  return page_request(spec, next_raw);
}

std::unique_ptr<ik_page> ik_pager::follow_finish(const Request &req, ResponsePtr resp) {
  auto p = parse_page(*client, spec, next_raw, req, std::move(resp));
  if (p->count() > 0) {
    const uint64_t ih = items_hash_of(*p);
    if (have_items_hash && ih == items_hash)
      pagination_error(spec, "the server's pagination did not advance: the page at cursor '" + shown_cursor(next_raw) +
                                 "' repeats the items of the previous page");
    have_items_hash = true;
    items_hash = ih;
  }
  seen.insert(SeenCursors::hash(next_raw));
  next_from_server = true;
  return p;
}

std::string ik_pager::cursor() const {
  // Also after a max_items stop: the cursor points at the first item not delivered.
  if (stop_cursor) return *stop_cursor;
  if (current && pos < current->count()) return page_item_cursor(*current, pos);
  if (!have_next) return std::string();
  return encode_cursor(spec, next_raw, next_skip);
}
