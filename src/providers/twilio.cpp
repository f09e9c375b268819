// Twilio Chat v1 Channel Invites and Chat v2 Users: endpoint table, request
// encoding, response mapping and the error body. No transport code here.
#include "providers/twilio.hpp"
#include "providers/provider.hpp"

#include <cctype>

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/encoding.hpp"

namespace ik::detail::twilio {

namespace {
constexpr const char *kJson = "application/json";
constexpr const char *kForm = "application/x-www-form-urlencoded";

// provider, operation, method, path, Accept, Content-Type, result kind, create
const Endpoint kInviteCreate{IK_PROVIDER_TWILIO,
                             "invites.create",
                             Method::Post,
                             "/v1/Services/{}/Channels/{}/Invites",
                             kJson,
                             kForm,
                             IK_KIND_TWILIO_INVITE,
                             true};
const Endpoint kInviteFetch{IK_PROVIDER_TWILIO,
                            "invites.fetch",
                            Method::Get,
                            "/v1/Services/{}/Channels/{}/Invites/{}",
                            kJson,
                            nullptr,
                            IK_KIND_TWILIO_INVITE,
                            false};
const Endpoint kInviteList{
    IK_PROVIDER_TWILIO,    "invites.list", Method::Get, "/v1/Services/{}/Channels/{}/Invites", kJson, nullptr,
    IK_KIND_TWILIO_INVITE, false};
const Endpoint kInviteDelete{IK_PROVIDER_TWILIO,
                             "invites.delete",
                             Method::Delete,
                             "/v1/Services/{}/Channels/{}/Invites/{}",
                             nullptr,
                             nullptr,
                             IK_KIND_NONE,
                             false};
const Endpoint kUserCreate{
    IK_PROVIDER_TWILIO, "users.create", Method::Post, "/v2/Services/{}/Users", kJson, kForm, IK_KIND_TWILIO_USER, true};
const Endpoint kUserFetch{IK_PROVIDER_TWILIO,  "users.fetch", Method::Get, "/v2/Services/{}/Users/{}", kJson, nullptr,
                          IK_KIND_TWILIO_USER, false};
const Endpoint kUserList{IK_PROVIDER_TWILIO,  "users.list", Method::Get, "/v2/Services/{}/Users", kJson, nullptr,
                         IK_KIND_TWILIO_USER, false};
const Endpoint kUserUpdate{IK_PROVIDER_TWILIO,  "users.update", Method::Post, "/v2/Services/{}/Users/{}", kJson, kForm,
                           IK_KIND_TWILIO_USER, false};
const Endpoint kUserDelete{
    IK_PROVIDER_TWILIO, "users.delete", Method::Delete, "/v2/Services/{}/Users/{}", nullptr, nullptr,
    IK_KIND_NONE,       false};
constexpr int32_t kInvitePageMax = 1000;
constexpr int32_t kUserPageMax = 100;

// ^XX[0-9a-fA-F]{32}$
void check_sid(const char *sid, const char *prefix, const char *what) {
  check_text(sid, what, true);
  std::string_view v(sid);
  bool ok = v.size() == 34 && v.substr(0, 2) == prefix;
  for (size_t i = 2; ok && i < v.size(); ++i) ok = std::isxdigit(static_cast<unsigned char>(v[i])) != 0;
  if (!ok) {
    fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must be '" + prefix + "' followed by 32 hexadecimal digits");
  }
}

}  // namespace

// The mappings of single objects (also used by the fuzz harnesses): the
// members each reads, found in one walk over the object (Members).
namespace {
// In the order the API sends them (shared/vendor-fixtures), which the walk tries first.
enum InviteKey : size_t {
  kInvAccountSid,
  kInvChannelSid,
  kInvCreatedBy,
  kInvDateCreated,
  kInvDateUpdated,
  kInvIdentity,
  kInvRoleSid,
  kInvServiceSid,
  kInvSid,
  kInvUrl,
  kInviteKeys
};
constexpr std::array<std::string_view, kInviteKeys> kInviteKeyNames{
    "account_sid", "channel_sid", "created_by",  "date_created", "date_updated",
    "identity",    "role_sid",    "service_sid", "sid",          "url"};
enum UserKey : size_t {
  kUserSid,
  kUserAccountSid,
  kUserServiceSid,
  kUserRoleSid,
  kUserIdentity,
  kUserAttributes,
  kUserIsOnline,
  kUserIsNotifiable,
  kUserFriendlyName,
  kUserJoinedChannelsCount,
  kUserDateCreated,
  kUserDateUpdated,
  kUserLinks,
  kUserUrl,
  kUserKeys
};
constexpr std::array<std::string_view, kUserKeys> kUserKeyNames{"sid",           "account_sid",
                                                                "service_sid",   "role_sid",
                                                                "identity",      "attributes",
                                                                "is_online",     "is_notifiable",
                                                                "friendly_name", "joined_channels_count",
                                                                "date_created",  "date_updated",
                                                                "links",         "url"};
enum UserLinkKey : size_t { kLinkUserChannels, kLinkUserBindings, kUserLinkKeys };
constexpr std::array<std::string_view, kUserLinkKeys> kUserLinkKeyNames{"user_channels", "user_bindings"};
}  // namespace

void map_invite_object(JsonObject o, ik_twilio_invite &inv, TextArena &text) {
  const Members m(o, kInviteKeyNames);
  inv.sid = m.text(kInvSid, text);
  inv.account_sid = m.text(kInvAccountSid, text);
  inv.channel_sid = m.text(kInvChannelSid, text);
  inv.service_sid = m.text(kInvServiceSid, text);
  inv.identity = m.text(kInvIdentity, text);
  inv.role_sid = m.text(kInvRoleSid, text);
  inv.created_by = m.text(kInvCreatedBy, text);
  inv.url = m.text(kInvUrl, text);
  inv.date_created = m.text(kInvDateCreated, text);
  inv.date_updated = m.text(kInvDateUpdated, text);
}

void map_user_object(JsonObject o, ik_twilio_user &u, TextArena &text) {
  const Members m(o, kUserKeyNames);
  u.sid = m.text(kUserSid, text);
  u.account_sid = m.text(kUserAccountSid, text);
  u.service_sid = m.text(kUserServiceSid, text);
  u.attributes = m.text(kUserAttributes, text);
  u.friendly_name = m.text(kUserFriendlyName, text);
  u.role_sid = m.text(kUserRoleSid, text);
  u.identity = m.text(kUserIdentity, text);
  u.is_online = m.boolean(kUserIsOnline);
  u.is_notifiable = m.boolean(kUserIsNotifiable);
  u.date_created = m.text(kUserDateCreated, text);
  u.date_updated = m.text(kUserDateUpdated, text);
  u.joined_channels_count = m.integer(kUserJoinedChannelsCount);
  if (auto links = m.object(kUserLinks)) {
    const Members l(*links, kUserLinkKeyNames);
    u.link_user_channels = l.text(kLinkUserChannels, text);
    u.link_user_bindings = l.text(kLinkUserBindings, text);
  }
  u.url = m.text(kUserUrl, text);
}

namespace {

// {"<key>": [...], "meta": {...}}: items are found through meta.key.
template <class T, class Map>
void parse_page(ik_page &page, const JsonDoc &root, const char *default_key, Map map) {
  JsonObject o = as_object(root, "list response");
  std::string key = default_key;
  const OptStr *next = nullptr;
  if (auto m = get_obj(o, "meta")) {
    auto &meta = meta_for<PageMeta>(page);
    meta.page = get_int(*m, "page");
    meta.page_size = get_int(*m, "page_size");
    meta.key = get_str(*m, "key");
    meta.url = get_str(*m, "url");
    meta.first_page_url = get_str(*m, "first_page_url");
    meta.previous_page_url = get_str(*m, "previous_page_url");
    meta.next_page_url = get_str(*m, "next_page_url");
    if (meta.key.set && !meta.key.s.empty()) key = meta.key.s;
    next = &meta.next_page_url;
  }
  map_page_items<T>(page, root, key, map);
  page.has_next = next && next->set && !next->s.empty();
  page.has_more = page.has_next;
  page.next_raw = page.has_next ? next->s : std::string();
}

void parse_invite_page(ik_page &page, const JsonDoc &root) {
  parse_page<ik_twilio_invite>(page, root, "invites", map_invite_object);
}
void parse_user_page(ik_page &page, const JsonDoc &root) {
  parse_page<ik_twilio_user>(page, root, "users", map_user_object);
}

Request user_write(const Endpoint &ep, const char *service_sid, const char *sid_or_identity,
                   const ik_twilio_user_params &p) {
  check_version(p.version, IK_TWILIO_USER_PARAMS_VERSION, "ik_twilio_user_params");
  check_sid(service_sid, "IS", "service_sid");
  const bool create = &ep == &kUserCreate;
  if (create) {
    check_text(p.identity, "identity", true);
  } else {
    check_text(sid_or_identity, "sid_or_identity", true);
    if (p.identity) fail(IK_STATUS_INVALID_ARGUMENT, "identity cannot be changed by an update (leave it NULL)");
  }
  if (p.role_sid) check_sid(p.role_sid, "RL", "role_sid");
  check_text(p.attributes, "attributes", false);
  check_text(p.friendly_name, "friendly_name", false);
  if (p.attributes) {
    std::string copy = p.attributes;
    pad_for_parse(copy);
    simdjson::dom::parser parser;
    JsonElement ignored;
    if (parser.parse(copy.data(), copy.size(), false).get(ignored) != simdjson::SUCCESS)
      fail(IK_STATUS_INVALID_ARGUMENT, "attributes must be valid JSON text");
  }
  check_optbool(p.webhook_enabled, "webhook_enabled");
  FormBuilder form;
  if (create) form.add("Identity", p.identity);
  if (p.role_sid) form.add("RoleSid", p.role_sid);
  if (p.attributes) form.add("Attributes", p.attributes);
  if (p.friendly_name) form.add("FriendlyName", p.friendly_name);
  Request req = create ? make_request(ep, {service_sid}) : make_request(ep, {service_sid, sid_or_identity});
  req.body = form.take();
  if (p.webhook_enabled == IK_OPTBOOL_TRUE) req.headers.emplace_back("X-Twilio-Webhook-Enabled: true");
  if (p.webhook_enabled == IK_OPTBOOL_FALSE) req.headers.emplace_back("X-Twilio-Webhook-Enabled: false");
  return req;
}
}  // namespace

// ---- v1 Channel Invites ----

namespace {
Request invite_create_request(const char *service_sid, const char *channel_sid, const char *identity,
                              const char *role_sid) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(channel_sid, "channel_sid", true);
  check_text(identity, "identity", true);
  if (role_sid) check_sid(role_sid, "RL", "role_sid");
  FormBuilder form;
  form.add("Identity", identity);
  if (role_sid) form.add("RoleSid", role_sid);
  Request req = make_request(kInviteCreate, {service_sid, channel_sid});
  req.body = form.take();
  return req;
}

}  // namespace

Prepared<ik_twilio_invite> invite_create(const char *service_sid, const char *channel_sid, const char *identity,
                                         const char *role_sid) {
  return object_call<ik_twilio_invite>(invite_create_request(service_sid, channel_sid, identity, role_sid),
                                       map_invite_object);
}

EnsureSpec<ik_twilio_invite> invite_ensure(const char *service_sid, const char *channel_sid, const char *identity,
                                           const char *role_sid) {
  EnsureSpec<ik_twilio_invite> s;
  s.create = invite_create(service_sid, channel_sid, identity, role_sid);  // validates first
  s.operation = "invites.ensure";
  const std::string who(identity);
  s.key = "twilio/invite/" + std::string(service_sid) + "/" + channel_sid + "/" + who;
  s.list = invite_list_spec(service_sid, channel_sid, &identity, 1);
  s.is_person = [who](const ik_twilio_invite &inv) { return inv.identity.set && inv.identity.v == who; };
  s.matches = [role = wanted(role_sid)](const ik_twilio_invite &inv) { return same_if_set(role, inv.role_sid); };
  return s;
}

Prepared<ik_twilio_invite> invite_fetch(const char *service_sid, const char *channel_sid, const char *invite_sid) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(channel_sid, "channel_sid", true);
  check_sid(invite_sid, "IN", "invite_sid");
  return object_call<ik_twilio_invite>(make_request(kInviteFetch, {service_sid, channel_sid, invite_sid}),
                                       map_invite_object);
}

ListSpec invite_list_spec(const char *service_sid, const char *channel_sid, const char *const *identities,
                          size_t identity_count) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(channel_sid, "channel_sid", true);
  if (identity_count && !identities) fail(IK_STATUS_INVALID_ARGUMENT, "identities is NULL but identity_count is not 0");
  ListSpec s = make_list_spec(kInviteList, Scheme::NextUrl, kInvitePageMax,
                              expand_path(kInviteList.path, {service_sid, channel_sid}), parse_invite_page);
  for (size_t i = 0; i < identity_count; ++i) {
    check_text(identities[i], "identities[i]", true);
    s.filters.emplace_back("Identity", identities[i]);
  }
  return s;
}

Prepared<ik_deletion> invite_delete(const char *service_sid, const char *channel_sid, const char *invite_sid) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(channel_sid, "channel_sid", true);
  check_sid(invite_sid, "IN", "invite_sid");
  return delete_no_body_call(make_request(kInviteDelete, {service_sid, channel_sid, invite_sid}), IK_KIND_TWILIO_INVITE,
                             invite_sid);
}

// ---- v2 Users ----

Prepared<ik_twilio_user> user_create(const char *service_sid, const ik_twilio_user_params &p) {
  return object_call<ik_twilio_user>(user_write(kUserCreate, service_sid, nullptr, p), map_user_object);
}

Prepared<ik_twilio_user> user_update(const char *service_sid, const char *sid_or_identity,
                                     const ik_twilio_user_params &p) {
  return object_call<ik_twilio_user>(user_write(kUserUpdate, service_sid, sid_or_identity, p), map_user_object);
}

Prepared<ik_twilio_user> user_fetch(const char *service_sid, const char *sid_or_identity) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(sid_or_identity, "sid_or_identity", true);
  return object_call<ik_twilio_user>(make_request(kUserFetch, {service_sid, sid_or_identity}), map_user_object);
}

EnsureSpec<ik_twilio_user> user_ensure(const char *service_sid, const ik_twilio_user_params &p) {
  EnsureSpec<ik_twilio_user> s;
  s.create = user_create(service_sid, p);  // validates first
  s.operation = "users.ensure";
  s.key = "twilio/user/" + std::string(service_sid) + "/" + p.identity;
  s.fetch = user_fetch(service_sid, p.identity);  // 404: absent
  s.matches = [role = wanted(p.role_sid), name = wanted(p.friendly_name),
               attributes = wanted(p.attributes)](const ik_twilio_user &u) {
    return same_if_set(role, u.role_sid) && same_if_set(name, u.friendly_name) && same_if_set(attributes, u.attributes);
  };
  return s;
}

ListSpec user_list_spec(const char *service_sid) {
  check_sid(service_sid, "IS", "service_sid");
  return make_list_spec(kUserList, Scheme::NextUrl, kUserPageMax, expand_path(kUserList.path, {service_sid}),
                        parse_user_page);
}

Prepared<ik_deletion> user_delete(const char *service_sid, const char *sid_or_identity) {
  check_sid(service_sid, "IS", "service_sid");
  check_text(sid_or_identity, "sid_or_identity", true);
  return delete_no_body_call(make_request(kUserDelete, {service_sid, sid_or_identity}), IK_KIND_TWILIO_USER,
                             sid_or_identity);
}

}  // namespace ik::detail::twilio

namespace ik::detail {

// Legacy {code, message, more_info, status, details} and RFC 9457
// {type, title, status, code, detail, instance, errors}; anything else is text.
void twilio_parse_error(ErrorInfo &info, std::string_view, const std::string &body) {
  with_json_object(body, [&](JsonObject o) {
    OptStr code = get_text(o, "code"), message = get_text(o, "message"), detail = get_text(o, "detail"),
           title = get_text(o, "title");
    if (code.set) {
      info.has_provider_code = true;
      info.provider_code = code.s;
    }
    const OptStr &msg = message.set ? message : (detail.set ? detail : title);
    if (msg.set) {
      info.has_provider_message = true;
      info.provider_message = msg.s;
    }
    for (const char *k : {"more_info", "details", "type", "title", "detail", "instance", "errors"}) {
      OptStr v = get_text(o, k);
      if (v.set) info.set_field(k, v.s);
    }
  });
}

// Configuration and environment (ProviderTraits::resolve; client.h documents the order).
void twilio_resolve(const ik_client_options &o, bool no_env, ProviderConfig &p) {
  auto sid = pick(o.twilio_account_sid, "twilio_account_sid", no_env, {"TWILIO_ACCOUNT_SID"});
  auto token = pick(o.twilio_auth_token, "twilio_auth_token", no_env, {"TWILIO_AUTH_TOKEN"});
  auto key = pick(o.twilio_api_key, "twilio_api_key", no_env, {"TWILIO_API_KEY"});
  auto secret = pick(o.twilio_api_secret, "twilio_api_secret", no_env, {"TWILIO_API_SECRET"});
  auto edge = pick(o.twilio_edge, "twilio_edge", no_env, {"TWILIO_EDGE"});
  auto region = pick(o.twilio_region, "twilio_region", no_env, {"TWILIO_REGION"});
  auto base = pick(o.twilio_base_url, "twilio_base_url", true, {});
  std::string user, pass;
  if (key && secret) {
    user = *key;
    pass = *secret;
  } else if (sid && token) {
    user = *sid;
    pass = *token;
  }
  if (!user.empty()) {
    std::string cred = user + ":" + pass;
    p.auth_header = "Authorization: Basic " + base64_encode(cred);
    wipe(cred);
    wipe(pass);
    p.has_credentials = true;
  }
  if (secret) wipe(*secret);
  if (token) wipe(*token);
  if (base) {
    p.base_url = normalise_base_url(*base, "twilio_base_url");
  } else if (edge || region) {
    if (edge) check_host_label(*edge, o.twilio_edge ? "twilio_edge" : "TWILIO_EDGE (environment)");
    if (region) check_host_label(*region, o.twilio_region ? "twilio_region" : "TWILIO_REGION (environment)");
    std::string host = "chat";
    if (edge) host += "." + *edge;
    host += "." + (region ? *region : std::string("us1"));
    p.base_url = "https://" + host + ".twilio.com";
    normalise_base_url(p.base_url, "twilio edge/region");
  } else {
    p.base_url = "https://chat.twilio.com";
  }
}

namespace {
const char *const kTwilioRequestIds[] = {"twilio-request-id", "t-request-id", "x-request-id", nullptr};
}  // namespace

const ProviderTraits kTwilioTraits = {
    IK_PROVIDER_TWILIO,
    "twilio",
    twilio_resolve,
    " (set the account SID and auth token, or an API key and secret, or TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN)",
    twilio_parse_error,
    false,
    nullptr,
    nullptr,
    kTwilioRequestIds,
    {"PageSize", nullptr, false}};

}  // namespace ik::detail
