#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "json.hpp"

namespace ikcli {

namespace {

std::string s(const char *p) { return p ? std::string(p) : std::string(); }

std::string unix_or_empty(int32_t present, int64_t v) { return present ? iso8601(v) : std::string(); }

std::string tri(int32_t v) {
  if (v == IK_OPTBOOL_TRUE) return "true";
  if (v == IK_OPTBOOL_FALSE) return "false";
  return "";
}

std::string cell(std::string v) {
  for (char &c : v)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return v;
}

// Display width: count UTF-8 code points (good enough for aligned columns).
size_t display_width(const std::string &v) {
  size_t n = 0;
  for (unsigned char c : v)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string pad(const std::string &v, size_t width) {
  std::string out = v;
  const size_t w = display_width(v);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string render_row(const std::vector<std::string> &row, const std::vector<size_t> &widths) {
  std::string line;
  for (size_t c = 0; c < row.size(); ++c) {
    if (c + 1 == row.size()) {
      line += row[c];
    } else {
      line += pad(row[c], c < widths.size() ? widths[c] : 0);
      line += "  ";
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  line.push_back('\n');
  return line;
}

}  // namespace

namespace {
std::string_view view(int32_t present, const uint8_t *data, size_t len) {
  return present ? std::string_view(reinterpret_cast<const char *>(data), len) : std::string_view("null");
}
template <class T, int32_t (*RawJson)(const T *, const uint8_t **, size_t *)>
Item make_item(int32_t kind, const T *p) {
  const uint8_t *data = nullptr;
  size_t len = 0;
  const int32_t present = RawJson(p, &data, &len);
  return {kind, p, view(present, data, len)};
}
}  // namespace

Item item_of(const ik_openai_invite *inv) {
  return make_item<ik_openai_invite, ik_openai_invite_raw_json>(IK_KIND_OPENAI_INVITE, inv);
}
Item item_of(const ik_twilio_invite *inv) {
  return make_item<ik_twilio_invite, ik_twilio_invite_raw_json>(IK_KIND_TWILIO_INVITE, inv);
}
Item item_of(const ik_twilio_user *user) {
  return make_item<ik_twilio_user, ik_twilio_user_raw_json>(IK_KIND_TWILIO_USER, user);
}
Item item_of(const ik_fastly_invitation *inv) {
  return make_item<ik_fastly_invitation, ik_fastly_invitation_raw_json>(IK_KIND_FASTLY_INVITATION, inv);
}

// Typed pointer for the table columns; the raw JSON through the kind-generic accessor.
Item page_item(const ik_page *page, size_t i) {
  const uint8_t *data = nullptr;
  size_t len = 0;
  const int32_t present = ik_page_item_raw_json(page, i, &data, &len);
  const int32_t kind = ik_page_kind(page);
  const void *ptr = nullptr;
  switch (kind) {
    case IK_KIND_OPENAI_INVITE: ptr = ik_page_openai_invite_at(page, i); break;
    case IK_KIND_TWILIO_INVITE: ptr = ik_page_twilio_invite_at(page, i); break;
    case IK_KIND_TWILIO_USER: ptr = ik_page_twilio_user_at(page, i); break;
    case IK_KIND_FASTLY_INVITATION: ptr = ik_page_fastly_invitation_at(page, i); break;
    default: break;
  }
  return {kind, ptr, view(present, data, len)};
}

std::vector<std::string> table_headers(int32_t kind) {
  switch (kind) {
    case IK_KIND_OPENAI_INVITE:
      return {"ID", "EMAIL", "ROLE", "STATUS", "CREATED_AT", "EXPIRES_AT", "ACCEPTED_AT", "PROJECTS"};
    case IK_KIND_TWILIO_INVITE: return {"SID", "IDENTITY", "ROLE_SID", "CHANNEL_SID", "CREATED_BY", "DATE_CREATED"};
    case IK_KIND_TWILIO_USER:
      return {"SID", "IDENTITY", "FRIENDLY_NAME", "ROLE_SID", "JOINED_CHANNELS", "ONLINE", "DATE_CREATED"};
    case IK_KIND_FASTLY_INVITATION:
      return {"ID", "EMAIL", "ROLE", "ROLES", "LIMIT_SERVICES", "STATUS_CODE", "CUSTOMER_ID", "CREATED_AT"};
    default: return {};
  }
}

namespace {
// The cells of one item of each kind, in table_headers order.
std::vector<std::string> openai_invite_row(const ik_openai_invite *inv) {
  int64_t c = 0, e = 0, a = 0;
  const int32_t hc = ik_openai_invite_created_at_unix(inv, &c);
  const int32_t he = ik_openai_invite_expires_at_unix(inv, &e);
  const int32_t ha = ik_openai_invite_accepted_at_unix(inv, &a);
  std::string projects;
  for (size_t i = 0, n = ik_openai_invite_project_count(inv); i < n; ++i) {
    const char *pid = nullptr, *prole = nullptr;
    ik_openai_invite_project_at(inv, i, &pid, &prole);
    if (i) projects += ";";
    projects += s(pid) + ":" + s(prole);
  }
  return {s(ik_openai_invite_id(inv)),   s(ik_openai_invite_email(inv)),
          s(ik_openai_invite_role(inv)), s(ik_openai_invite_status(inv)),
          unix_or_empty(hc, c),          unix_or_empty(he, e),
          unix_or_empty(ha, a),          projects};
}

std::vector<std::string> twilio_invite_row(const ik_twilio_invite *inv) {
  return {s(ik_twilio_invite_sid(inv)),        s(ik_twilio_invite_identity(inv)),
          s(ik_twilio_invite_role_sid(inv)),   s(ik_twilio_invite_channel_sid(inv)),
          s(ik_twilio_invite_created_by(inv)), s(ik_twilio_invite_date_created(inv))};
}

std::vector<std::string> twilio_user_row(const ik_twilio_user *u) {
  int64_t joined = 0;
  const int32_t has_joined = ik_twilio_user_joined_channels_count(u, &joined);
  return {s(ik_twilio_user_sid(u)),
          s(ik_twilio_user_identity(u)),
          s(ik_twilio_user_friendly_name(u)),
          s(ik_twilio_user_role_sid(u)),
          has_joined ? std::to_string(joined) : std::string(),
          tri(ik_twilio_user_is_online(u)),
          s(ik_twilio_user_date_created(u))};
}

std::vector<std::string> fastly_invitation_row(const ik_fastly_invitation *inv) {
  std::string roles;
  for (size_t i = 0, n = ik_fastly_invitation_role_count(inv); i < n; ++i) {
    if (i) roles += ",";
    roles += s(ik_fastly_invitation_role_at(inv, i));
  }
  int64_t sc = 0;
  const int32_t has_sc = ik_fastly_invitation_status_code(inv, &sc);
  return {s(ik_fastly_invitation_id(inv)),
          s(ik_fastly_invitation_email(inv)),
          s(ik_fastly_invitation_role(inv)),
          roles,
          tri(ik_fastly_invitation_limit_services(inv)),
          has_sc ? std::to_string(sc) : std::string(),
          s(ik_fastly_invitation_customer_id(inv)),
          s(ik_fastly_invitation_created_at(inv))};
}
}  // namespace

std::vector<std::string> table_row(const Item &item) {
  std::vector<std::string> r;
  switch (item.kind) {
    case IK_KIND_OPENAI_INVITE: r = openai_invite_row(static_cast<const ik_openai_invite *>(item.ptr)); break;
    case IK_KIND_TWILIO_INVITE: r = twilio_invite_row(static_cast<const ik_twilio_invite *>(item.ptr)); break;
    case IK_KIND_TWILIO_USER: r = twilio_user_row(static_cast<const ik_twilio_user *>(item.ptr)); break;
    case IK_KIND_FASTLY_INVITATION:
      r = fastly_invitation_row(static_cast<const ik_fastly_invitation *>(item.ptr));
      break;
    default: break;
  }
  for (auto &v : r) v = cell(std::move(v));
  return r;
}

void write_stdout(std::string_view text) {
  if (text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    // stdout closed (e.g. piped into `head`): nothing more can be shown.
    std::_Exit(kExitOther);
  }
}

std::string render_table(const std::vector<std::string> &headers, const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths(headers.size(), 0);
  for (size_t c = 0; c < headers.size(); ++c) widths[c] = display_width(headers[c]);
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  std::string out = render_row(headers, widths);
  for (const auto &row : rows) out += render_row(row, widths);
  return out;
}

void print_json_text(const Context &ctx, std::string_view json) {
  const bool pretty = ctx.format == Format::Json && ctx.pretty;
  std::string out = json::reformat(json, pretty);
  out.push_back('\n');
  write_stdout(out);
}

void print_object(const Context &ctx, const Item &item) {
  if (ctx.format == Format::Table) {
    write_stdout(render_table(table_headers(item.kind), {table_row(item)}));
    return;
  }
  print_json_text(ctx, item.raw);
}

void print_objects(const Context &ctx, const std::vector<Item> &items) {
  if (items.empty()) return;
  if (items.size() == 1) return print_object(ctx, items[0]);
  switch (ctx.format) {
    case Format::Table: {
      std::vector<std::vector<std::string>> rows;
      for (const auto &it : items) rows.push_back(table_row(it));
      write_stdout(render_table(table_headers(items[0].kind), rows));
      return;
    }
    case Format::Ndjson: {
      std::string out;
      for (const auto &it : items) {
        out += json::reformat(it.raw, false);
        out.push_back('\n');
      }
      write_stdout(out);
      return;
    }
    case Format::Json: {
      std::string arr = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) arr.push_back(',');
        arr += items[i].raw;
      }
      arr.push_back(']');
      print_json_text(ctx, arr);
      return;
    }
  }
}

void print_page(const Context &ctx, const ik_page *page) {
  switch (ctx.format) {
    case Format::Json: {
      const uint8_t *data = nullptr;
      size_t len = 0;
      const int32_t present = ik_page_raw_json(page, &data, &len);
      print_json_text(ctx, view(present, data, len));
      return;
    }
    case Format::Ndjson:
    case Format::Table: {
      ItemStream stream(ctx);
      stream.page(page);
      stream.finish();
      return;
    }
  }
}

void ItemStream::page(const ik_page *page) {
  const size_t n = ik_page_count(page);
  std::string out;
  if (ctx_.format == Format::Table) {
    // Column widths come from the header and the first page; later pages keep
    // them (a longer value just pushes its line further) so nothing is buffered.
    std::vector<std::vector<std::string>> rows;
    rows.reserve(n);
    for (size_t i = 0; i < n; ++i) rows.push_back(table_row(page_item(page, i)));
    if (!header_done_) {
      const auto headers = table_headers(ik_page_kind(page));
      widths_.assign(headers.size(), 0);
      for (size_t c = 0; c < headers.size(); ++c) widths_[c] = display_width(headers[c]);
      for (const auto &row : rows)
        for (size_t c = 0; c < row.size() && c < widths_.size(); ++c)
          widths_[c] = std::max(widths_[c], display_width(row[c]));
      out += render_row(headers, widths_);
      header_done_ = true;
    }
    for (const auto &row : rows) out += render_row(row, widths_);
  } else {
    for (size_t i = 0; i < n; ++i) {
      out += json::reformat(page_item(page, i).raw, false);
      out.push_back('\n');
    }
  }
  write_stdout(out);
}

void ItemStream::finish() {}

}  // namespace ikcli
