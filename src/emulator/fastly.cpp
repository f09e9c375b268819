// Fastly invitations (JSON:API).
#include "app.hpp"
#include "json.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <shared_mutex>
#include <simdjson.h>
#include <variant>

namespace emu {

namespace {

constexpr std::int64_t kDefaultPageSize = 20;
constexpr std::int64_t kMaxPageSize = 100;
constexpr std::array<std::string_view, 6> kRoles = {"user",    "tls_viewer", "tls_admin",
                                                    "billing", "engineer",   "superuser"};
constexpr std::array<std::string_view, 4> kPermissions = {"full", "read_only", "purge_select", "purge_all"};

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Reply bad_request(std::string_view detail) { return fastly_error(400, "Bad request", detail); }

template <std::size_t N>
bool one_of(const std::array<std::string_view, N> &set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool is_alnum_id(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

std::string invitation_json(const FastlyInvitation &r) {
  json::Array roles;
  for (const auto &x : r.roles) roles.str(x);
  json::Array sis;
  for (const auto &x : r.service_invitation_ids)
    sis.raw(json::Object().str("id", x).str("type", "service_invitation").done());
  const std::string attributes = json::Object()
                                     .str("email", r.email)
                                     .boolean("limit_services", r.limit_services)
                                     .str("role", r.role)
                                     .raw("roles", roles.done())
                                     .num("status_code", r.status_code)
                                     .str("created_at", iso8601(r.created_at))
                                     .str("updated_at", iso8601(r.updated_at))
                                     .null("deleted_at")
                                     .done();
  const std::string relationships =
      json::Object()
          .raw(
              "customer",
              json::Object().raw("data", json::Object().str("id", r.customer_id).str("type", "customer").done()).done())
          .raw("service_invitations", json::Object().raw("data", sis.done()).done())
          .done();
  return json::Object()
      .str("id", r.id)
      .str("type", "invitation")
      .raw("attributes", attributes)
      .raw("relationships", relationships)
      .done();
}

// Validates an Invitation request body. Both the documented JSON:API shape of
// service_invitations items ({type, attributes, relationships}) and the SDK
// model's extra {data: …} wrapper are accepted.
std::variant<FastlyInvitation, Reply> parse_invitation_request(const std::string &body) {
  using simdjson::dom::element;
  thread_local simdjson::dom::parser parser;
  element root, data, attributes;
  if (parser.parse(simdjson::padded_string(body)).get(root) != simdjson::SUCCESS || !root.is_object())
    return bad_request("The request body is not a valid JSON:API document");
  if (root["data"].get(data) != simdjson::SUCCESS || !data.is_object()) return bad_request("Missing /data object");
  std::string_view text;
  if (data["type"].error() == simdjson::SUCCESS &&
      (data["type"].get(text) != simdjson::SUCCESS || text != "invitation"))
    return bad_request("Invalid /data/type: must be 'invitation'");
  if (data["attributes"].get(attributes) != simdjson::SUCCESS || !attributes.is_object())
    return bad_request("Missing /data/attributes/email");
  FastlyInvitation r;
  if (attributes["email"].get(text) != simdjson::SUCCESS || text.empty())
    return bad_request("Missing /data/attributes/email");
  r.email = text;
  r.role = "user";
  if (attributes["role"].error() == simdjson::SUCCESS) {
    if (attributes["role"].get(text) != simdjson::SUCCESS || !one_of(kRoles, text))
      return bad_request(
          "Invalid /data/attributes/role: must be one of user, tls_viewer, tls_admin, billing, engineer, superuser");
    r.role = text;
  }
  if (attributes["roles"].error() == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (attributes["roles"].get(arr) != simdjson::SUCCESS)
      return bad_request("Invalid /data/attributes/roles: must be an array of strings");
    for (const element x : arr) {
      if (x.get(text) != simdjson::SUCCESS)
        return bad_request("Invalid /data/attributes/roles: must be an array of strings");
      r.roles.emplace_back(text);
    }
  }
  if (attributes["limit_services"].error() == simdjson::SUCCESS &&
      attributes["limit_services"].get(r.limit_services) != simdjson::SUCCESS)
    return bad_request("Invalid /data/attributes/limit_services: must be a boolean");
  r.customer_id = kDefaultFastlyCustomerId;
  if (data.at_pointer("/relationships/customer/data/id").get(text) == simdjson::SUCCESS && is_alnum_id(text))
    r.customer_id = text;
  simdjson::dom::array items;
  if (data.at_pointer("/relationships/service_invitations/data").get(items) == simdjson::SUCCESS) {
    for (const element item : items) {
      element inner = item;
      if (element wrapped; item["data"].get(wrapped) == simdjson::SUCCESS) inner = wrapped;
      if (inner["type"].error() == simdjson::SUCCESS &&
          (inner["type"].get(text) != simdjson::SUCCESS || text != "service_invitation"))
        return bad_request("Invalid service_invitations type: must be 'service_invitation'");
      if (inner.at_pointer("/attributes/permission").error() == simdjson::SUCCESS &&
          (inner.at_pointer("/attributes/permission").get(text) != simdjson::SUCCESS || !one_of(kPermissions, text)))
        return bad_request(
            "Invalid service invitation permission: must be one of full, read_only, purge_select, purge_all");
      r.service_invitation_ids.emplace_back();  // ids are assigned under the store lock
    }
  }
  return r;
}

// Fastly page-number pagination: page[number] (1-based) and page[size] (1..100, default 20).
Reply list(Store &store, const Call &call) {
  std::int64_t number = 1;
  std::int64_t size = kDefaultPageSize;
  if (const auto v = param(call.query, "page[number]")) {
    const auto n = parse_int(*v);
    if (!n || *n < 1) return bad_request("Invalid page[number]: must be an integer of at least 1");
    number = *n;
  }
  if (const auto v = param(call.query, "page[size]")) {
    const auto n = parse_int(*v);
    if (!n || *n < 1 || *n > kMaxPageSize) return bad_request("Invalid page[size]: must be between 1 and 100");
    size = *n;
  }
  std::shared_lock lock(store.mutex);
  const auto &rows = store.fastly_invitations.rows();
  const auto count = static_cast<std::int64_t>(rows.size());
  const std::int64_t total_pages = std::max<std::int64_t>(1, (count + size - 1) / size);
  const auto link = [&](std::int64_t page) {
    return call.base_url + "/invitations?page%5Bnumber%5D=" + std::to_string(page) +
           "&page%5Bsize%5D=" + std::to_string(size);
  };
  json::Array data;
  if (number <= total_pages) {
    auto it = rows.begin();
    std::advance(it, std::min(count, (number - 1) * size));
    for (std::int64_t i = 0; i < size && it != rows.end(); ++i, ++it) data.raw(invitation_json(it->second));
  }
  json::Object links;
  links.str("first", link(1)).str("last", link(total_pages));
  number > 1 ? links.str("prev", link(std::min(number - 1, total_pages))) : links.null("prev");
  number < total_pages ? links.str("next", link(number + 1)) : links.null("next");
  const std::string meta = json::Object()
                               .num("current_page", number)
                               .num("per_page", size)
                               .num("record_count", count)
                               .num("total_pages", total_pages)
                               .done();
  return json_reply(200, json::Object().raw("data", data.done()).raw("links", links.done()).raw("meta", meta).done(),
                    kJsonApi);
}

Reply create(App &app, const Call &call) {
  auto parsed = parse_invitation_request(call.req.body);
  if (auto *err = std::get_if<Reply>(&parsed)) return std::move(*err);
  FastlyInvitation r = std::get<FastlyInvitation>(std::move(parsed));
  r.created_at = r.updated_at = now();
  std::string body;
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    r.id = store.new_fastly_id();
    for (auto &si : r.service_invitation_ids) si = store.new_fastly_id();
    r.seq = store.next_seq();
    body = invitation_json(r);
    store.fastly_invitations.insert(std::move(r));
    store.touch();
  }
  app.persist();
  return json_reply(200, json::Object().raw("data", body).done(), kJsonApi);
}

}  // namespace

Reply handle_fastly(App &app, const Call &call) {
  if (call.req.get_header_value("Fastly-Key") != app.config().fastly_api_token || !call.req.has_header("Fastly-Key"))
    return fastly_error(401, "Unauthorized", "Provided credentials are missing or invalid");
  const auto &s = call.segments;  // [invitations, {id}?]
  const std::string &method = call.req.method;
  if (s.size() == 1) {
    if (method == "GET") return list(app.store(), call);
    if (method == "POST") return create(app, call);
    return method_not_allowed(Vendor::Fastly, "GET, POST");
  }
  if (s.size() != 2) return fastly_error(404, "Not found", "No route matches " + std::string(call.raw_path));
  if (method != "DELETE") return method_not_allowed(Vendor::Fastly, "DELETE");
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    if (!store.fastly_invitations.erase(s[1]))
      return fastly_error(404, "Not found", "Invitation " + s[1] + " not found");
    store.touch();
  }
  app.persist();
  Reply r;
  r.status = 204;
  return r;
}

}  // namespace emu
