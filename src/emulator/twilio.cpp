// Twilio Chat v1 Channel Invites and Chat v2 Users.
#include "app.hpp"
#include "json.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <simdjson.h>

namespace emu {

namespace {

// Every validation failure uses this code (see docs/EMULATOR.md).
constexpr int kInvalidParameter = 21200;
constexpr int kNotFound = 20404;
constexpr int kUserExists = 50201;
constexpr std::int64_t kDefaultPageSize = 50;

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool authenticated(const Config &cfg, const httplib::Request &req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Basic ";
  if (header.size() <= scheme.size() || !iequals(std::string_view(header).substr(0, scheme.size()), scheme))
    return false;
  const auto decoded = base64_decode(std::string_view(header).substr(scheme.size()));
  if (!decoded) return false;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const std::string user = decoded->substr(0, colon);
  const std::string pass = decoded->substr(colon + 1);
  return (user == cfg.twilio_account_sid && pass == cfg.twilio_auth_token) ||
         (user == cfg.twilio_api_key && pass == cfg.twilio_api_secret);
}

Reply not_found(const Call &call) {
  return twilio_error(404, kNotFound, "The requested resource " + std::string(call.raw_path) + " was not found");
}

Reply invalid(std::string_view message) { return twilio_error(400, kInvalidParameter, message); }

// Channels are implicit: a CH sid is used as is, any other channel name
// (e.g. a unique name) maps to a stable CH sid derived from it.
std::string canonical_channel(const std::string &raw) {
  if (is_twilio_sid(raw, "CH")) return raw;
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "CH";
  for (const std::uint64_t basis : {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL}) {
    std::uint64_t h = basis;
    for (const char c : raw) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    for (int shift = 60; shift >= 0; shift -= 4) out.push_back(hex[(h >> shift) & 0xF]);
  }
  return out;
}

std::optional<Reply> check_role_sid(const std::optional<std::string> &role_sid) {
  if (role_sid && !is_twilio_sid(*role_sid, "RL"))
    return invalid("Invalid RoleSid: " + *role_sid + " must match ^RL[0-9a-fA-F]{32}$");
  return std::nullopt;
}

std::optional<Reply> check_attributes(const std::optional<std::string> &attributes) {
  if (!attributes) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  if (parser.parse(simdjson::padded_string(*attributes)).error() != simdjson::SUCCESS)
    return invalid("Invalid Attributes: must be a valid JSON string");
  return std::nullopt;
}

std::optional<Reply> check_webhook_header(const httplib::Request &req) {
  if (!req.has_header("X-Twilio-Webhook-Enabled")) return std::nullopt;
  const std::string v = req.get_header_value("X-Twilio-Webhook-Enabled");
  if (v == "true" || v == "false") return std::nullopt;
  return invalid("Invalid X-Twilio-Webhook-Enabled header: must be 'true' or 'false'");
}

std::string invite_url(const std::string &base, const TwilioInvite &r) {
  return base + "/v1/Services/" + r.service_sid + "/Channels/" + r.channel_sid + "/Invites/" + r.id;
}

std::string invite_json(const Config &cfg, const std::string &base, const TwilioInvite &r) {
  return json::Object()
      .str("sid", r.id)
      .str("account_sid", cfg.twilio_account_sid)
      .str("channel_sid", r.channel_sid)
      .str("service_sid", r.service_sid)
      .str("identity", r.identity)
      .str("date_created", iso8601(r.date_created))
      .str("date_updated", iso8601(r.date_updated))
      .str("role_sid", r.role_sid)
      .null("created_by")
      .str("url", invite_url(base, r))
      .done();
}

std::string user_json(const Config &cfg, const std::string &base, const TwilioUser &r) {
  const std::string url = base + "/v2/Services/" + r.service_sid + "/Users/" + r.id;
  return json::Object()
      .str("sid", r.id)
      .str("account_sid", cfg.twilio_account_sid)
      .str("service_sid", r.service_sid)
      .str("attributes", r.attributes)
      .opt_str("friendly_name", r.friendly_name)
      .str("role_sid", r.role_sid)
      .str("identity", r.identity)
      .null("is_online")
      .null("is_notifiable")
      .str("date_created", iso8601(r.date_created))
      .str("date_updated", iso8601(r.date_updated))
      .num("joined_channels_count", 0)
      .raw("links",
           json::Object().str("user_channels", url + "/Channels").str("user_bindings", url + "/Bindings").done())
      .str("url", url)
      .done();
}

// Twilio's 200/201 responses list these CORS headers.
Reply with_cors(Reply r) {
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers",
                         "Accept, Authorization, Content-Type, If-Match, "
                         "If-Modified-Since, If-None-Match, If-Unmodified-Since");
  r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  r.headers.emplace_back("Access-Control-Expose-Headers", "ETag");
  return r;
}

Reply no_content() {
  Reply r;
  r.status = 204;
  return r;
}

// Twilio pagination over `seqs` (creation order of the matching rows).
// PageToken is "PA<seq>" (rows after seq) or "PB<seq>" (the page before seq);
// without a token the page starts at Page*PageSize.
// Reads the PageSize and Page query parameters into `page_size` and `page`; returns an error reply if invalid.
std::optional<Reply> parse_page_params(const Call &call, std::int64_t max_page_size, std::int64_t &page_size,
                                       std::int64_t &page) {
  if (const auto v = param(call.query, "PageSize")) {
    const auto n = parse_int(*v);
    if (!n || *n < 1 || *n > max_page_size)
      return invalid("Invalid PageSize: " + *v + " must be between 1 and " + std::to_string(max_page_size));
    page_size = *n;
  }
  if (const auto v = param(call.query, "Page")) {
    const auto n = parse_int(*v);
    if (!n || *n < 0) return invalid("Invalid Page: " + *v + " must be a non-negative integer");
    page = *n;
  }
  return std::nullopt;
}

Reply twilio_list(const Call &call, std::string_view key, const std::string &path, const Params &filters,
                  std::int64_t max_page_size, const std::vector<std::uint64_t> &seqs,
                  const std::function<std::string(std::size_t)> &render) {
  std::int64_t page_size = kDefaultPageSize;
  std::int64_t page = 0;
  if (auto bad = parse_page_params(call, max_page_size, page_size, page)) return *bad;
  const std::size_t n = seqs.size();
  const auto size = static_cast<std::size_t>(page_size);
  std::size_t begin = 0;
  std::size_t end = 0;
  const auto token = param(call.query, "PageToken");
  if (token) {
    const auto seq = token->size() > 2 ? parse_int(std::string_view(*token).substr(2)) : std::nullopt;
    const std::string_view kind = std::string_view(*token).substr(0, 2);
    if (!seq || *seq < 0 || (kind != "PA" && kind != "PB")) return invalid("Invalid PageToken: " + *token);
    const auto s = static_cast<std::uint64_t>(*seq);
    if (kind == "PA") {
      begin = static_cast<std::size_t>(std::upper_bound(seqs.begin(), seqs.end(), s) - seqs.begin());
      end = std::min(n, begin + size);
    } else {
      end = static_cast<std::size_t>(std::lower_bound(seqs.begin(), seqs.end(), s) - seqs.begin());
      begin = end >= size ? end - size : 0;
    }
  } else {
    const auto p = static_cast<std::size_t>(page);
    begin = p > n / size ? n : std::min(n, p * size);
    end = std::min(n, begin + size);
  }

  const auto page_url = [&](std::int64_t page_number, const std::optional<std::string> &page_token) {
    Params q = filters;
    q.emplace_back("PageSize", std::to_string(page_size));
    q.emplace_back("Page", std::to_string(page_number));
    if (page_token) q.emplace_back("PageToken", *page_token);
    return call.base_url + path + "?" + format_params(q);
  };
  json::Array items;
  for (std::size_t i = begin; i < end; ++i) items.raw(render(i));
  json::Object meta;
  meta.num("page", page).num("page_size", page_size).str("first_page_url", page_url(0, std::nullopt));
  if (page > 0) {
    meta.str("previous_page_url",
             page_url(page - 1, begin < n ? std::optional("PB" + std::to_string(seqs[begin])) : std::nullopt));
  } else {
    meta.null("previous_page_url");
  }
  meta.str("url", page_url(page, token));
  if (end > begin && end < n)
    meta.str("next_page_url", page_url(page + 1, "PA" + std::to_string(seqs[end - 1])));
  else
    meta.null("next_page_url");
  meta.str("key", key);
  return with_cors(json_reply(200, json::Object().raw(key, items.done()).raw("meta", meta.done()).done()));
}

// GET /v1/Services/{IS}/Channels/{CH}/Invites
Reply list_invites(App &app, const Call &call, const std::string &service, const std::string &channel,
                   const std::string &list_path) {
  const Config &cfg = app.config();
  Store &store = app.store();
  const auto identities = params_all(call.query, "Identity");
  Params filters;
  for (const auto &id : identities) filters.emplace_back("Identity", id);
  std::shared_lock lock(store.mutex);
  std::vector<const TwilioInvite *> rows;
  for (const auto &[seq, r] : store.twilio_invites.rows()) {
    if (r.service_sid != service || r.channel_sid != channel) continue;
    if (!identities.empty() && std::find(identities.begin(), identities.end(), r.identity) == identities.end())
      continue;
    rows.push_back(&r);
  }
  std::vector<std::uint64_t> seqs;
  seqs.reserve(rows.size());
  for (const auto *r : rows) seqs.push_back(r->seq);
  return twilio_list(call, "invites", list_path, filters, 1000, seqs,
                     [&](std::size_t i) { return invite_json(cfg, call.base_url, *rows[i]); });
}

// POST /v1/Services/{IS}/Channels/{CH}/Invites
Reply create_invite(App &app, const Call &call, const std::string &service, const std::string &channel) {
  const Config &cfg = app.config();
  Store &store = app.store();
  const Params form = parse_params(call.req.body);
  const auto identity = param(form, "Identity");
  if (!identity || identity->empty()) return invalid("Missing required parameter Identity in the post body");
  const auto role_sid = param(form, "RoleSid");
  if (auto bad = check_role_sid(role_sid)) return *bad;
  TwilioInvite r;
  r.service_sid = service;
  r.channel_sid = channel;
  r.identity = *identity;
  r.role_sid = role_sid.value_or(std::string(kDefaultChannelRoleSid));
  r.date_created = r.date_updated = now();
  std::string body;
  {
    std::unique_lock lock(store.mutex);
    r.id = store.new_twilio_invite_sid();
    r.seq = store.next_seq();
    body = invite_json(cfg, call.base_url, r);
    store.twilio_invites.insert(std::move(r));
    store.touch();
  }
  app.persist();
  return with_cors(json_reply(201, std::move(body)));
}

// GET /v1/Services/{IS}/Channels/{CH}/Invites/{IN}
Reply get_invite(App &app, const Call &call, const std::string &service, const std::string &channel,
                 const std::string &sid) {
  Store &store = app.store();
  std::shared_lock lock(store.mutex);
  const TwilioInvite *r = store.twilio_invites.find(sid);
  if (r == nullptr || r->service_sid != service || r->channel_sid != channel) return not_found(call);
  return with_cors(json_reply(200, invite_json(app.config(), call.base_url, *r)));
}

// DELETE /v1/Services/{IS}/Channels/{CH}/Invites/{IN}
Reply delete_invite(App &app, const Call &call, const std::string &service, const std::string &channel,
                    const std::string &sid) {
  Store &store = app.store();
  {
    std::unique_lock lock(store.mutex);
    const TwilioInvite *r = store.twilio_invites.find(sid);
    if (r == nullptr || r->service_sid != service || r->channel_sid != channel) return not_found(call);
    store.twilio_invites.erase(sid);
    store.touch();
  }
  app.persist();
  return no_content();
}

// /v1/Services/{IS}/Channels/{CH}/Invites[/{IN}]
Reply invites(App &app, const Call &call, const std::string &service) {
  const auto &s = call.segments;
  if (s.size() < 6 || s.size() > 7 || s[3] != "Channels" || s[5] != "Invites") return not_found(call);
  const std::string channel = canonical_channel(s[4]);
  const std::string list_path = "/v1/Services/" + service + "/Channels/" + channel + "/Invites";
  const std::string &method = call.req.method;

  if (s.size() == 6) {
    if (method == "GET") return list_invites(app, call, service, channel, list_path);
    if (method == "POST") return create_invite(app, call, service, channel);
    return method_not_allowed(Vendor::Twilio, "GET, POST");
  }

  const std::string &sid = s[6];
  if (!is_twilio_sid(sid, "IN")) return invalid("Invalid Sid: " + sid + " must match ^IN[0-9a-fA-F]{32}$");
  if (method == "GET") return get_invite(app, call, service, channel, sid);
  if (method == "DELETE") return delete_invite(app, call, service, channel, sid);
  return method_not_allowed(Vendor::Twilio, "GET, DELETE");
}

// Applies the optional RoleSid / Attributes / FriendlyName form fields.
void apply_user_fields(TwilioUser &u, const Params &form) {
  if (const auto v = param(form, "RoleSid")) u.role_sid = *v;
  if (const auto v = param(form, "Attributes")) u.attributes = *v;
  if (const auto v = param(form, "FriendlyName")) u.friendly_name = *v;
}

std::optional<Reply> check_user_fields(const Call &call, const Params &form) {
  if (auto bad = check_webhook_header(call.req)) return bad;
  if (auto bad = check_role_sid(param(form, "RoleSid"))) return bad;
  return check_attributes(param(form, "Attributes"));
}

// GET /v2/Services/{IS}/Users
Reply list_users(App &app, const Call &call, const std::string &service) {
  const Config &cfg = app.config();
  Store &store = app.store();
  std::shared_lock lock(store.mutex);
  std::vector<const TwilioUser *> rows;
  for (const auto &[seq, r] : store.twilio_users().rows()) {
    if (r.service_sid == service) rows.push_back(&r);
  }
  std::vector<std::uint64_t> seqs;
  seqs.reserve(rows.size());
  for (const auto *r : rows) seqs.push_back(r->seq);
  return twilio_list(call, "users", "/v2/Services/" + service + "/Users", {}, 100, seqs,
                     [&](std::size_t i) { return user_json(cfg, call.base_url, *rows[i]); });
}

// POST /v2/Services/{IS}/Users
Reply create_user(App &app, const Call &call, const std::string &service) {
  const Config &cfg = app.config();
  Store &store = app.store();
  const Params form = parse_params(call.req.body);
  const auto identity = param(form, "Identity");
  if (!identity || identity->empty()) return invalid("Missing required parameter Identity in the post body");
  if (auto bad = check_user_fields(call, form)) return *bad;
  TwilioUser u;
  u.service_sid = service;
  u.identity = *identity;
  u.role_sid = kDefaultServiceRoleSid;
  apply_user_fields(u, form);
  u.date_created = u.date_updated = now();
  std::string body;
  {
    std::unique_lock lock(store.mutex);
    if (store.twilio_identity_taken(service, u.identity))
      return twilio_error(409, kUserExists, "User " + u.identity + " already exists");
    u.id = store.new_twilio_user_sid();
    u.seq = store.next_seq();
    body = user_json(cfg, call.base_url, u);
    store.add_twilio_user(std::move(u));
    store.touch();
  }
  app.persist();
  return with_cors(json_reply(201, std::move(body)));
}

// GET /v2/Services/{IS}/Users/{Sid or identity}
Reply get_user(App &app, const Call &call, const std::string &service, const std::string &key) {
  Store &store = app.store();
  std::shared_lock lock(store.mutex);
  const TwilioUser *u = store.twilio_user(service, key);
  if (u == nullptr) return not_found(call);
  return with_cors(json_reply(200, user_json(app.config(), call.base_url, *u)));
}

// POST /v2/Services/{IS}/Users/{Sid or identity}
Reply update_user(App &app, const Call &call, const std::string &service, const std::string &key) {
  Store &store = app.store();
  const Params form = parse_params(call.req.body);
  if (auto bad = check_user_fields(call, form)) return *bad;
  std::string body;
  {
    std::unique_lock lock(store.mutex);
    TwilioUser *u = store.twilio_user(service, key);
    if (u == nullptr) return not_found(call);
    apply_user_fields(*u, form);
    u->date_updated = now();
    body = user_json(app.config(), call.base_url, *u);
    store.touch();
  }
  app.persist();
  return with_cors(json_reply(200, std::move(body)));
}

// DELETE /v2/Services/{IS}/Users/{Sid or identity}
Reply delete_user(App &app, const Call &call, const std::string &service, const std::string &key) {
  Store &store = app.store();
  {
    std::unique_lock lock(store.mutex);
    const TwilioUser *u = store.twilio_user(service, key);
    if (u == nullptr) return not_found(call);
    store.remove_twilio_user(u->id);
    store.touch();
  }
  app.persist();
  return no_content();
}

// /v2/Services/{IS}/Users[/{Sid or identity}]
Reply users(App &app, const Call &call, const std::string &service) {
  const auto &s = call.segments;
  if (s.size() < 4 || s.size() > 5 || s[3] != "Users") return not_found(call);
  const std::string &method = call.req.method;

  if (s.size() == 4) {
    if (method == "GET") return list_users(app, call, service);
    if (method == "POST") return create_user(app, call, service);
    return method_not_allowed(Vendor::Twilio, "GET, POST");
  }

  const std::string &key = s[4];  // sid or identity, already percent-decoded
  if (method == "GET") return get_user(app, call, service, key);
  if (method == "POST") return update_user(app, call, service, key);
  if (method == "DELETE") return delete_user(app, call, service, key);
  return method_not_allowed(Vendor::Twilio, "GET, POST, DELETE");
}

}  // namespace

Reply handle_twilio(App &app, const Call &call) {
  if (!authenticated(app.config(), call.req)) {
    Reply r = twilio_error(401, 20003, "Authenticate");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return r;
  }
  const auto &s = call.segments;  // [v1|v2, Services, {ServiceSid}, …]
  if (s.size() < 4) return not_found(call);
  const std::string &service = s[2];
  if (!is_twilio_sid(service, "IS"))
    return invalid("Invalid ServiceSid: " + service + " must match ^IS[0-9a-fA-F]{32}$");
  return s[0] == "v1" ? invites(app, call, service) : users(app, call, service);
}

}  // namespace emu
