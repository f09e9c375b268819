// OpenAI organization invites (served under /v1/organization/invites and
// /organization/invites).
#include "app.hpp"
#include "json.hpp"

#include <mutex>
#include <shared_mutex>
#include <simdjson.h>
#include <variant>

namespace emu {

namespace {

constexpr std::int64_t kSevenDays = 7 * 24 * 3600;
constexpr std::int64_t kDefaultLimit = 20;
constexpr std::int64_t kMaxLimit = 100;

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Reply bad_request(std::string_view message, std::optional<std::string_view> param,
                  std::optional<std::string_view> code) {
  return openai_error(400, message, "invalid_request_error", param, code);
}

Reply invite_not_found() {
  return openai_error(404, "Invite not found", "invalid_request_error", std::nullopt, std::nullopt);
}

std::optional<Reply> authenticate(const Config &cfg, const httplib::Request &req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  const bool bearer =
      header.size() > scheme.size() && iequals(std::string_view(header).substr(0, scheme.size()), scheme);
  if (bearer && std::string_view(header).substr(scheme.size()) == cfg.openai_admin_key) return std::nullopt;
  std::string message;
  if (!bearer) {
    message =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
  } else {
    const std::string key = header.substr(scheme.size());
    const std::string shown = key.size() > 8 ? key.substr(0, 3) + "*****" + key.substr(key.size() - 4) : "*****";
    message = "Incorrect API key provided: " + shown +
              ". You can find your API key at "
              "https://platform.openai.com/account/api-keys.";
  }
  return openai_error(401, message, "invalid_request_error", std::nullopt, "invalid_api_key");
}

std::string invite_json(const OpenAIInvite &r) {
  json::Array projects;
  for (const auto &p : r.projects) projects.raw(json::Object().str("id", p.id).str("role", p.role).done());
  return json::Object()
      .str("object", "organization.invite")
      .str("id", r.id)
      .str("email", r.email)
      .str("role", r.role)
      .str("status", r.accepted_at ? "accepted" : "pending")
      .num("created_at", r.created_at)
      .num("expires_at", r.created_at + kSevenDays)
      .opt_num("accepted_at", r.accepted_at)
      .raw("projects", projects.done())
      .done();
}

// Parses and validates an InviteRequest body.
std::variant<OpenAIInvite, Reply> parse_invite_request(const std::string &body) {
  using simdjson::dom::element;
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(body)).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return bad_request("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
                       std::nullopt, std::nullopt);
  }
  OpenAIInvite r;
  std::string_view text;
  if (root["email"].get(text) != simdjson::SUCCESS || text.empty())
    return bad_request("Missing required parameter: 'email'.", "email", "missing_required_parameter");
  r.email = text;
  if (root["role"].get(text) != simdjson::SUCCESS)
    return bad_request("Missing required parameter: 'role'.", "role", "missing_required_parameter");
  if (text != "reader" && text != "owner")
    return bad_request("Invalid value for 'role': expected one of 'reader' or 'owner'.", "role", "invalid_value");
  r.role = text;
  const auto projects = root["projects"];
  if (projects.error() == simdjson::SUCCESS && !projects.is_null()) {
    simdjson::dom::array arr;
    if (projects.get(arr) != simdjson::SUCCESS)
      return bad_request("Invalid type for 'projects': expected an array.", "projects", "invalid_type");
    std::size_t i = 0;
    for (const element p : arr) {
      const std::string where = "projects[" + std::to_string(i++) + "]";
      std::string_view id, role;
      if (p["id"].get(id) != simdjson::SUCCESS || id.empty())
        return bad_request("Missing required parameter: '" + where + ".id'.", where + ".id",
                           "missing_required_parameter");
      if (p["role"].get(role) != simdjson::SUCCESS || (role != "member" && role != "owner"))
        return bad_request("Invalid value for '" + where + ".role': expected one of 'member' or 'owner'.",
                           where + ".role", "invalid_value");
      r.projects.push_back({std::string(id), std::string(role)});
    }
  }
  return r;
}

// OpenAI cursor pagination: `limit` (1..100, default 20) and `after=<id>`.
Reply list(Store &store, const Call &call) {
  std::int64_t limit = kDefaultLimit;
  if (const auto v = param(call.query, "limit")) {
    const auto n = parse_int(*v);
    if (!n || *n < 1 || *n > kMaxLimit)
      return bad_request("Invalid 'limit': limit can range between 1 and 100.", "limit", "invalid_value");
    limit = *n;
  }
  std::shared_lock lock(store.mutex);
  const auto &rows = store.openai_invites.rows();
  auto it = rows.begin();
  if (const auto after = param(call.query, "after")) {
    const OpenAIInvite *cursor = store.openai_invites.find(*after);
    if (cursor == nullptr)
      return bad_request("Invalid 'after': no invite with id '" + *after + "'.", "after", "invalid_value");
    it = rows.upper_bound(cursor->seq);
  }
  json::Array data;
  std::optional<std::string> first_id, last_id;
  for (std::int64_t taken = 0; it != rows.end() && taken < limit; ++it, ++taken) {
    data.raw(invite_json(it->second));
    if (!first_id) first_id = it->second.id;
    last_id = it->second.id;
  }
  return json_reply(200, json::Object()
                             .str("object", "list")
                             .raw("data", data.done())
                             .opt_str("first_id", first_id)
                             .opt_str("last_id", last_id)
                             .boolean("has_more", it != rows.end())
                             .done());
}

Reply create(App &app, const Call &call) {
  auto parsed = parse_invite_request(call.req.body);
  if (auto *err = std::get_if<Reply>(&parsed)) return std::move(*err);
  OpenAIInvite r = std::get<OpenAIInvite>(std::move(parsed));
  r.created_at = now();
  std::string body;
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    r.id = store.new_openai_invite_id();
    r.seq = store.next_seq();
    body = invite_json(r);
    store.openai_invites.insert(std::move(r));
    store.touch();
  }
  app.persist();
  return json_reply(200, std::move(body));
}

Reply remove(App &app, const std::string &id) {
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    const OpenAIInvite *r = store.openai_invites.find(id);
    if (r == nullptr) return invite_not_found();
    if (r->accepted_at)
      return bad_request("Cannot delete an invite that has already been accepted.", std::nullopt, std::nullopt);
    store.openai_invites.erase(id);
    store.touch();
  }
  app.persist();
  return json_reply(
      200, json::Object().str("object", "organization.invite.deleted").str("id", id).boolean("deleted", true).done());
}

}  // namespace

Reply handle_openai(App &app, const Call &call) {
  if (auto denied = authenticate(app.config(), call.req)) return *denied;
  // Drop the optional /v1 prefix: [organization, invites, {invite_id}?]
  const std::size_t off = call.segments[0] == "v1" ? 1 : 0;
  const std::size_t n = call.segments.size() - off;
  const std::string &method = call.req.method;
  if (n < 2 || n > 3 || call.segments[off + 1] != "invites") {
    return openai_error(404, "Invalid URL (" + method + " " + std::string(call.raw_path) + ")", "invalid_request_error",
                        std::nullopt, std::nullopt);
  }
  if (n == 2) {
    if (method == "GET") return list(app.store(), call);
    if (method == "POST") return create(app, call);
    return method_not_allowed(Vendor::OpenAI, "GET, POST");
  }
  const std::string &id = call.segments[off + 2];
  if (method == "GET") {
    Store &store = app.store();
    std::shared_lock lock(store.mutex);
    const OpenAIInvite *r = store.openai_invites.find(id);
    return r == nullptr ? invite_not_found() : json_reply(200, invite_json(*r));
  }
  if (method == "DELETE") return remove(app, id);
  return method_not_allowed(Vendor::OpenAI, "GET, DELETE");
}

// Used by the control endpoint POST /__emulator/openai/invites/{id}/accept.
std::optional<std::string> accept_openai_invite(App &app, const std::string &id) {
  std::string body;
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    OpenAIInvite *r = store.openai_invites.find(id);
    if (r == nullptr) return std::nullopt;
    if (!r->accepted_at) r->accepted_at = now();
    body = invite_json(*r);
    store.touch();
  }
  app.persist();
  return body;
}

}  // namespace emu
