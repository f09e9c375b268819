#include "core/pager.hpp"

#include "core/call.hpp"
#include "core/encoding.hpp"
#include "core/transport.hpp"

namespace ik::detail {

ListSpec make_list_spec(const Endpoint &ep, Scheme scheme, int32_t max_page_size, std::string path,
                        PageParser parse) {
  ListSpec s;
  s.ep = &ep;
  s.scheme = scheme;
  s.kind = ep.kind;
  s.max_page_size = max_page_size;
  s.path = std::move(path);
  s.parse = parse;
  return s;
}

std::string encode_cursor(const ListSpec &spec, const std::string &raw, int64_t skip) {
  std::string out = "ik1.";
  out.push_back(static_cast<char>(spec.scheme));
  out += std::to_string(spec.kind) + "." + std::to_string(skip) + ".";
  out += base64_encode(raw, true, false);
  return out;
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

std::unique_ptr<ik_page> fetch_page(const ik_client &client, const ListSpec &spec, const std::string &raw,
                                    const CallSettings &cs) {
  Request req;
  req.ep = spec.ep;
  FormBuilder q;
  switch (spec.scheme) {
    case Scheme::NextUrl:
      if (!raw.empty() && raw[0] == '/') {
        req.path_query = raw;  // relative to the base URL (from a PageToken)
      } else if (!raw.empty()) {
        req.absolute_url = raw;
      } else {
        for (const auto &f : spec.filters) q.add(f.first, f.second);
        if (spec.page_size > 0) q.add("PageSize", std::to_string(spec.page_size));
      }
      break;
    case Scheme::AfterId:
      if (spec.page_size > 0) q.add("limit", std::to_string(spec.page_size));
      if (!raw.empty()) q.add("after", raw);
      break;
    case Scheme::PageNumber:
      if (!raw.empty()) q.add("page[number]", raw, true);
      if (spec.page_size > 0) q.add("page[size]", std::to_string(spec.page_size), true);
      break;
  }
  if (req.absolute_url.empty() && req.path_query.empty()) {
    req.path_query = spec.path;
    if (!q.empty()) req.path_query += "?" + q.str();
  }
  std::shared_ptr<const ik_response> resp = client.transport->execute(req, cs);
  auto page = std::make_unique<ik_page>();
  page->kind = spec.kind;
  page->resp = resp;
  page->next_raw = raw;  // the Fastly parser derives the next page number from it
  try {
    auto lease = client.transport->parser();
    JsonElement root = parse_json(*lease, resp->body, "list response");
    spec.parse(*page, root);
  } catch (Error &e) {
    rethrow_parse(e, req, *resp);
  }
  if (!page->has_next) page->next_raw.clear();
  if (page->has_next) page->next_cursor.assign(encode_cursor(spec, page->next_raw, 0));
  return page;
}

}  // namespace ik::detail

using namespace ik::detail;

// Cuts a page being handed out at max_items. If it is cut short, remembers
// where the first undelivered item is (the page fetched with `raw`, item
// `offset + n`) so that ik_pager_cursor can resume there. Counts what is
// delivered and returns the number of items handed out.
size_t ik_pager::deliver(ik_page &page, const std::string &raw, size_t offset) {
  size_t n = page.count();
  if (max_items > 0 && delivered + static_cast<int64_t>(n) > max_items) {
    n = static_cast<size_t>(max_items - delivered);
    page.truncate(n);
    has_stop = true;
    stop_raw = raw;
    stop_pos = static_cast<int64_t>(offset + n);
  }
  delivered += static_cast<int64_t>(n);
  if ((max_items > 0 && delivered >= max_items) || !have_next) done = true;
  return n;
}

std::unique_ptr<ik_page> ik_pager::next_page(const CallSettings &cs) {
  if (done) return nullptr;
  if (current && pos < current->count()) {
    // The rest of a page that item-by-item iteration started.
    auto p = std::make_unique<ik_page>(*current);
    p->drop_front(pos);
    deliver(*p, current_raw, pos);
    current.reset();
    pos = 0;
    return p;
  }
  current.reset();
  for (int empty_pages = 0; empty_pages < 1000; ++empty_pages) {
    if (!have_next || (max_items > 0 && delivered >= max_items)) {
      done = true;
      return nullptr;
    }
    auto p = fetch_page(*client, spec, next_raw, cs);  // throws: state unchanged, the call can be repeated
    const size_t skip = static_cast<size_t>(std::min<int64_t>(next_skip, static_cast<int64_t>(p->count())));
    p->drop_front(skip);
    const std::string fetched_raw = std::move(next_raw);
    have_next = p->has_next;
    next_raw = p->next_raw;
    next_skip = 0;
    if (p->count() == 0) continue;
    deliver(*p, fetched_raw, skip);
    return p;
  }
  fail(IK_STATUS_PARSE, "the provider returned 1000 empty pages in a row that all claim more pages follow");
}

void *ik_pager::next_item(const CallSettings &cs) {
  for (int empty_pages = 0; empty_pages < 1000; ++empty_pages) {
    if (done) return nullptr;
    if (max_items > 0 && delivered >= max_items) {
      done = true;
      return nullptr;
    }
    if (current && pos < current->count()) {
      ++delivered;
      size_t i = pos++;
      switch (current->kind) {
        case IK_KIND_OPENAI_INVITE: return &current->openai_invites[i];
        case IK_KIND_TWILIO_INVITE: return &current->twilio_invites[i];
        case IK_KIND_TWILIO_USER: return &current->twilio_users[i];
        default: return &current->fastly_invitations[i];
      }
    }
    if (!have_next) {
      done = true;
      return nullptr;
    }
    std::shared_ptr<ik_page> p = fetch_page(*client, spec, next_raw, cs);  // throws: state unchanged
    current = std::move(p);
    current_raw = next_raw;
    pos = static_cast<size_t>(std::min<int64_t>(next_skip, static_cast<int64_t>(current->count())));
    have_next = current->has_next;
    next_raw = current->next_raw;
    next_skip = 0;
  }
  fail(IK_STATUS_PARSE, "the provider returned 1000 empty pages in a row that all claim more pages follow");
}

std::string ik_pager::cursor() const {
  // Also after a max_items stop: the cursor points at the first item not delivered.
  if (has_stop) return encode_cursor(spec, stop_raw, stop_pos);
  if (current && pos < current->count()) return encode_cursor(spec, current_raw, static_cast<int64_t>(pos));
  if (!have_next) return std::string();
  return encode_cursor(spec, next_raw, next_skip);
}
