// Fastly invitations (JSON:API): endpoint table, request encoding, response
// mapping and the error bodies. No transport code here.
#include "providers/fastly.hpp"
#include "providers/provider.hpp"

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/encoding.hpp"

namespace ik::detail::fastly {

namespace {
constexpr const char *kJsonApi = "application/vnd.api+json";

const Endpoint kCreate{IK_PROVIDER_FASTLY, "invitations.create",      Method::Post, "/invitations", kJsonApi,
                       kJsonApi,           IK_KIND_FASTLY_INVITATION, true};
const Endpoint kList{IK_PROVIDER_FASTLY,
                     "invitations.list",
                     Method::Get,
                     "/invitations",
                     kJsonApi,
                     nullptr,
                     IK_KIND_FASTLY_INVITATION,
                     false};
const Endpoint kDelete{
    IK_PROVIDER_FASTLY, "invitations.delete", Method::Delete, "/invitations/{}", nullptr, nullptr, IK_KIND_NONE, false};
constexpr int32_t kMaxPageSize = 100;

// The members the mapping reads, found in one walk over each object
// (Members), listed in the order the API sends them (shared/vendor-fixtures).
enum ResourceKey : size_t { kId, kType, kAttributes, kRelationships, kResourceKeys };
constexpr std::array<std::string_view, kResourceKeys> kResourceKeyNames{"id", "type", "attributes", "relationships"};
enum AttributeKey : size_t {
  kCreatedAt,
  kEmail,
  kDeletedAt,
  kRole,
  kStatusCode,
  kUpdatedAt,
  kLimitServices,
  kRoles,
  kAttributeKeys
};
constexpr std::array<std::string_view, kAttributeKeys> kAttributeKeyNames{
    "created_at", "email", "deleted_at", "role", "status_code", "updated_at", "limit_services", "roles"};
enum RelationshipKey : size_t { kCustomer, kServiceInvitations, kRelationshipKeys };
constexpr std::array<std::string_view, kRelationshipKeys> kRelationshipKeyNames{"customer", "service_invitations"};
constexpr std::array<std::string_view, 1> kDataKey{"data"};
constexpr std::array<std::string_view, 1> kIdKey{"id"};

void map_invitation(JsonObject o, ik_fastly_invitation &inv, TextArena &text) {
  const Members m(o, kResourceKeyNames);
  inv.id = m.text(kId, text);
  inv.type = m.text(kType, text);
  if (auto attributes = m.object(kAttributes)) {
    const Members a(*attributes, kAttributeKeyNames);
    inv.email = a.text(kEmail, text);
    inv.limit_services = a.boolean(kLimitServices);
    inv.role = a.text(kRole, text);
    if (auto roles = a.array(kRoles)) {
      inv.roles.reserve(roles->size());
      for (JsonElement r : *roles) inv.roles.push_back(text.add(as_text(r, "roles[]")));
    }
    inv.status_code = a.integer(kStatusCode);
    inv.created_at = a.text(kCreatedAt, text);
    inv.updated_at = a.text(kUpdatedAt, text);
    inv.deleted_at = a.text(kDeletedAt, text);
  }
  if (auto relationships = m.object(kRelationships)) {
    const Members rel(*relationships, kRelationshipKeyNames);
    if (auto customer = rel.object(kCustomer)) {
      if (auto data = Members(*customer, kDataKey).object(0)) inv.customer_id = Members(*data, kIdKey).text(0, text);
    }
    if (auto si = rel.object(kServiceInvitations)) {
      if (auto data = Members(*si, kDataKey).array(0)) {
        for (JsonElement e : *data) {
          Field id = Members(as_object(e, "service_invitations.data[]"), kIdKey).text(0, text);
          if (id.set) inv.service_invitation_ids.push_back(id.v);
        }
      }
    }
  }
}

// The page[number] query parameter of a links.next URL (brackets literal or
// percent-encoded), if it has one.
std::optional<int64_t> next_link_page_number(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && percent_decode(pair.substr(0, eq)) == "page[number]")
      return parse_int(percent_decode(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

void parse_list(ik_page &page, const JsonDoc &root) {
  JsonObject o = as_object(root, "list response");
  map_page_items<ik_fastly_invitation>(page, root, "data", map_invitation);
  auto &pm = meta_for<PageMeta>(page);
  auto links = get_obj(o, "links");
  if (links) {
    pm.first = get_str(*links, "first");
    pm.last = get_str(*links, "last");
    pm.prev = get_str(*links, "prev");
    pm.next = get_str(*links, "next");
  }
  auto meta = get_obj(o, "meta");
  if (meta) {
    pm.current_page = get_int(*meta, "current_page");
    pm.per_page = get_int(*meta, "per_page");
    pm.record_count = get_int(*meta, "record_count");
    pm.total_pages = get_int(*meta, "total_pages");
  }
  // Continue while links.next is set and the last page is not reached; with
  // neither links nor meta there is no evidence of another page.
  bool more = (links || meta) && page.count() > 0;
  if (links && !(pm.next.set && !pm.next.s.empty())) more = false;
  if (pm.current_page.set && pm.total_pages.set && pm.current_page.v >= pm.total_pages.v) more = false;
  int64_t current = 1;
  if (pm.current_page.set) {
    current = pm.current_page.v;
  } else if (auto requested = parse_int(page.next_raw)) {
    current = *requested;
  }
  // current + 1 must exist (INT64_MAX has no successor) and be a page number.
  if (more && (current < 1 || current == INT64_MAX))
    fail(IK_STATUS_PARSE, "unexpected response: meta.current_page " + std::to_string(current) +
                              " is out of range for a page that has a next page");
  // A links.next that names a page number at or before this page would
  // make the listing go round in circles: the server's pagination does not
  // advance (checked here because without meta the page numbers would
  // otherwise keep growing while the server serves the same page).
  if (more && pm.next.set) {
    if (auto n = next_link_page_number(pm.next.s); n && *n <= current)
      fail(IK_STATUS_PARSE, "the server's pagination did not advance: links.next points at page " + std::to_string(*n) +
                                " from page " + std::to_string(current));
  }
  page.has_more = more;
  page.has_next = more;
  page.next_raw = more ? std::to_string(current + 1) : std::string();
}

// Validates the inputs of a create and builds its request.
Request create_request(const ik_fastly_invitation_create_params &p) {
  check_version(p.version, IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, "ik_fastly_invitation_create_params");
  check_text(p.email, "email", true);
  check_text(p.role, "role", false);
  if (p.role && !one_of(p.role, {"user", "tls_viewer", "tls_admin", "billing", "engineer", "superuser"}))
    fail(IK_STATUS_INVALID_ARGUMENT, "role must be one of user, tls_viewer, tls_admin, billing, engineer, superuser");
  if (p.roles_count && !p.roles) fail(IK_STATUS_INVALID_ARGUMENT, "roles is NULL but roles_count is not 0");
  if (p.services_count && !p.services) fail(IK_STATUS_INVALID_ARGUMENT, "services is NULL but services_count is not 0");
  check_optbool(p.limit_services, "limit_services");
  check_text(p.customer_id, "customer_id", false);
  if (p.customer_id && !*p.customer_id) fail(IK_STATUS_INVALID_ARGUMENT, "customer_id must not be empty");

  JsonWriter w;
  w.begin_object().key("data").begin_object().field("type", "invitation");
  w.key("attributes").begin_object().field("email", p.email);
  if (p.limit_services != IK_OPTBOOL_UNSET) w.key("limit_services").value(p.limit_services == IK_OPTBOOL_TRUE);
  if (p.role) w.field("role", p.role);
  if (p.roles_count) {
    w.key("roles").begin_array();
    for (size_t i = 0; i < p.roles_count; ++i) {
      check_text(p.roles[i], "roles[i]", true);
      w.value(p.roles[i]);
    }
    w.end_array();
  }
  w.end_object();
  if (p.customer_id || p.services_count) {
    w.key("relationships").begin_object();
    if (p.customer_id) {
      w.key("customer").begin_object().key("data").begin_object().field("id", p.customer_id).field("type", "customer");
      w.end_object().end_object();
    }
    if (p.services_count) {
      w.key("service_invitations").begin_object().key("data").begin_array();
      for (size_t i = 0; i < p.services_count; ++i) {
        const auto &g = p.services[i];
        check_text(g.service_id, "services[i].service_id", true);
        check_text(g.permission, "services[i].permission", false);
        if (g.permission && !one_of(g.permission, {"full", "read_only", "purge_select", "purge_all"}))
          fail(IK_STATUS_INVALID_ARGUMENT, "services[i].permission must be full, read_only, purge_select or purge_all");
        w.begin_object().field("type", "service_invitation");
        if (g.permission) w.key("attributes").begin_object().field("permission", g.permission).end_object();
        w.key("relationships").begin_object().key("service").begin_object().key("data").begin_object();
        w.field("type", "service").field("id", g.service_id);
        w.end_object().end_object().end_object().end_object();
      }
      w.end_array().end_object();
    }
    w.end_object();
  }
  w.end_object().end_object();

  Request req = make_request(kCreate);
  req.body = w.take();
  return req;
}

Prepared<ik_fastly_invitation> create_call(Request req) {
  return object_call<ik_fastly_invitation>(std::move(req), map_create_response);
}
}  // namespace

void map_create_response(const JsonDoc &doc, ik_fastly_invitation &inv, TextArena &text) {
  as_object(doc, "response body");  // throws unless the body is an object
  const auto data = find_root_member(doc, "data");
  const auto obj = data ? obj_of(true, data->second, "data") : std::nullopt;
  if (!obj) fail(IK_STATUS_PARSE, "unexpected response: no 'data' object");
  map_invitation(*obj, inv, text);
  // Like list items, the invitation's JSON is the JSON:API resource object,
  // sliced from the same parse.
  inv.raw = member_slice(doc, data->first);
}

Prepared<ik_fastly_invitation> create(const ik_fastly_invitation_create_params &p) {
  return create_call(create_request(p));
}

EnsureSpec<ik_fastly_invitation> ensure(const ik_fastly_invitation_create_params &p) {
  EnsureSpec<ik_fastly_invitation> s;
  s.create = create(p);  // validates before anything is sent
  s.operation = "invitations.ensure";
  const std::string email(p.email);
  s.key = "fastly/invitation/" + to_lower(email);
  s.list = list_spec();
  s.is_person = [email](const ik_fastly_invitation &inv) {
    return inv.email.set && iequals(inv.email.v, email) && !inv.deleted_at.set;
  };
  s.matches = [role = wanted(p.role), limit = p.limit_services](const ik_fastly_invitation &inv) {
    return same_if_set(role, inv.role) && (limit == IK_OPTBOOL_UNSET || limit == inv.limit_services);
  };
  return s;
}

ListSpec list_spec() { return make_list_spec(kList, Scheme::PageNumber, kMaxPageSize, kList.path, parse_list); }

Prepared<ik_deletion> remove(const char *invitation_id) {
  check_text(invitation_id, "invitation_id", true);
  return delete_no_body_call(make_request(kDelete, {invitation_id}), IK_KIND_FASTLY_INVITATION, invitation_id);
}

}  // namespace ik::detail::fastly

namespace ik::detail {

// By shape: JSON:API {errors:[{id,title,detail,status,code,meta}]},
// application/problem+json {type,title,status,detail}, legacy {msg, detail}
// (sometimes {errors:[...]} or only title); anything else stays raw text.
void fastly_parse_error(ErrorInfo &info, std::string_view, const std::string &body) {
  with_json_object(body, [&](JsonObject o) {
    auto set_field = [&](const char *name, const OptStr &v) {
      if (v.set) info.set_field(name, v.s);
    };
    JsonElement errors;
    simdjson::dom::array arr;
    if (o.at_key("errors").get(errors) == simdjson::SUCCESS && errors.get_array().get(arr) == simdjson::SUCCESS) {
      info.set_field("errors", to_json(errors));
      JsonObject first;
      if (arr.size() == 0 || arr.at(0).get_object().get(first) != simdjson::SUCCESS) return;
      OptStr title = get_text(first, "title"), detail = get_text(first, "detail"), code = get_text(first, "code"),
             reason = get_text(first, "reason");
      set_field("id", get_text(first, "id"));
      set_field("title", title);
      set_field("detail", detail);
      set_field("status", get_text(first, "status"));
      set_field("code", code);
      set_field("meta", get_text(first, "meta"));
      if (code.set || title.set) {
        info.has_provider_code = true;
        info.provider_code = code.set ? code.s : title.s;
      }
      const OptStr &msg = detail.set ? detail : (title.set ? title : reason);
      if (msg.set) {
        info.has_provider_message = true;
        info.provider_message = (detail.set && title.set) ? title.s + ": " + detail.s : msg.s;
      }
      return;
    }
    OptStr msg = get_text(o, "msg"), detail = get_text(o, "detail"), title = get_text(o, "title");
    set_field("msg", msg);
    set_field("detail", detail);
    set_field("title", title);
    set_field("type", get_text(o, "type"));
    set_field("status", get_text(o, "status"));
    if (title.set) {
      info.has_provider_code = true;
      info.provider_code = title.s;
    }
    std::string m = msg.set ? msg.s : (title.set ? title.s : std::string());
    if (detail.set) m = m.empty() ? detail.s : m + ": " + detail.s;
    if (!m.empty()) {
      info.has_provider_message = true;
      info.provider_message = m;
    }
  });
}

// Configuration and environment (ProviderTraits::resolve; client.h documents the order).
void fastly_resolve(const ik_client_options &o, bool no_env, ProviderConfig &p) {
  auto token = pick(o.fastly_api_token, "fastly_api_token", no_env, {"FASTLY_API_TOKEN", "FASTLY_API_KEY"});
  auto base = pick(o.fastly_base_url, "fastly_base_url", no_env, {"FASTLY_API_URL"});
  if (token) {
    p.auth_header = "Fastly-Key: " + *token;
    wipe(*token);
    p.has_credentials = true;
  }
  p.base_url = normalise_base_url(base ? *base : std::string("https://api.fastly.com"), "fastly_base_url");
}

namespace {
const char *const kFastlyRequestIds[] = {"fastly-request-id", "x-fastly-request-id", "x-request-id", nullptr};
}  // namespace

const ProviderTraits kFastlyTraits = {IK_PROVIDER_FASTLY,
                                      "fastly",
                                      fastly_resolve,
                                      " (set fastly_api_token or FASTLY_API_TOKEN)",
                                      fastly_parse_error,
                                      false,
                                      nullptr,
                                      "fastly-ratelimit-reset",
                                      kFastlyRequestIds,
                                      {"page[size]", "page[number]", true}};

}  // namespace ik::detail
