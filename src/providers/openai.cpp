// OpenAI organization invites: endpoint table, request encoding, response
// mapping and the error body. No transport code here.
#include "providers/openai.hpp"
#include "providers/provider.hpp"

#include "core/call.hpp"
#include "core/ensure.hpp"
#include "core/encoding.hpp"

namespace ik::detail::openai {

namespace {
constexpr const char *kJson = "application/json";

const Endpoint kCreate{IK_PROVIDER_OPENAI,
                       "invites.create",
                       Method::Post,
                       "/organization/invites",
                       kJson,
                       kJson,
                       IK_KIND_OPENAI_INVITE,
                       true};
const Endpoint kRetrieve{IK_PROVIDER_OPENAI,
                         "invites.retrieve",
                         Method::Get,
                         "/organization/invites/{}",
                         kJson,
                         nullptr,
                         IK_KIND_OPENAI_INVITE,
                         false};
const Endpoint kList{IK_PROVIDER_OPENAI,    "invites.list", Method::Get, "/organization/invites", kJson, nullptr,
                     IK_KIND_OPENAI_INVITE, false};
const Endpoint kDelete{IK_PROVIDER_OPENAI,
                       "invites.delete",
                       Method::Delete,
                       "/organization/invites/{}",
                       kJson,
                       nullptr,
                       IK_KIND_NONE,
                       false};
constexpr int32_t kMaxPageSize = 100;

}  // namespace

// The mappings of single objects (also used by the fuzz harnesses): the
// members each reads, found in one walk over the object (Members).
namespace {
// In the order the API sends them (shared/vendor-fixtures), which the walk tries first.
enum InviteKey : size_t {
  kObject,
  kId,
  kEmail,
  kRole,
  kStatus,
  kCreatedAt,
  kExpiresAt,
  kAcceptedAt,
  kInvitedAt,
  kProjects,
  kInviteKeys
};
constexpr std::array<std::string_view, kInviteKeys> kInviteKeyNames{
    "object", "id", "email", "role", "status", "created_at", "expires_at", "accepted_at", "invited_at", "projects"};
enum ProjectKey : size_t { kProjectId, kProjectRole, kProjectKeys };
constexpr std::array<std::string_view, kProjectKeys> kProjectKeyNames{"id", "role"};
}  // namespace

void map_invite_object(JsonObject o, ik_openai_invite &inv, TextArena &text) {
  const Members m(o, kInviteKeyNames);
  inv.object = m.text(kObject, text);
  inv.id = m.text(kId, text);
  inv.email = m.text(kEmail, text);
  inv.role = m.text(kRole, text);
  inv.status = m.text(kStatus, text);
  inv.created_at = m.integer(kCreatedAt);
  if (!inv.created_at.set) inv.created_at = m.integer(kInvitedAt);  // the spec's name until mid-2025
  inv.expires_at = m.integer(kExpiresAt);
  inv.accepted_at = m.integer(kAcceptedAt);
  if (auto projects = m.array(kProjects)) {
    inv.has_projects = true;
    inv.projects.reserve(projects->size());
    for (JsonElement e : *projects) {
      const Members p(as_object(e, "projects[]"), kProjectKeyNames);
      inv.projects.emplace_back(p.text(kProjectId, text), p.text(kProjectRole, text));
    }
  }
}

namespace {

void parse_list(ik_page &page, const JsonDoc &root) {
  JsonObject o = as_object(root, "list response");
  map_page_items<ik_openai_invite>(page, root, "data", map_invite_object);
  const auto &items = items_of<ik_openai_invite>(page);
  auto &meta = meta_for<PageMeta>(page);
  meta.first_id = get_str(o, "first_id");
  meta.last_id = get_str(o, "last_id");
  page.has_more = get_bool(o, "has_more") == IK_OPTBOOL_TRUE;
  // Next page: after=<last_id> (or the last item's id when last_id is absent).
  std::string last = meta.last_id.set ? meta.last_id.s : std::string();
  if (last.empty() && !items.empty() && items.back().id.set) last = items.back().id.v;
  page.has_next = page.has_more && !last.empty() && !items.empty();
  page.next_raw = page.has_next ? last : std::string();
}

// Validates the inputs of a create and builds its request.
Request create_request(const ik_openai_invite_create_params &p) {
  check_version(p.version, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, "ik_openai_invite_create_params");
  check_text(p.email, "email", true);
  check_text(p.role, "role", true);
  if (!one_of(p.role, {"reader", "owner"})) fail(IK_STATUS_INVALID_ARGUMENT, "role must be \"reader\" or \"owner\"");
  check_optbool(p.send_projects, "send_projects");
  const bool send_projects = p.send_projects == IK_OPTBOOL_TRUE;
  if (p.projects_count && !p.projects) fail(IK_STATUS_INVALID_ARGUMENT, "projects is NULL but projects_count is not 0");
  if (!send_projects && p.projects_count)
    fail(IK_STATUS_INVALID_ARGUMENT,
         "projects_count is not 0 but send_projects is not IK_OPTBOOL_TRUE (set it to send the projects)");
  JsonWriter w;
  w.begin_object().field("email", p.email).field("role", p.role);
  if (send_projects) {
    w.key("projects").begin_array();
    for (size_t i = 0; i < p.projects_count; ++i) {
      check_text(p.projects[i].id, "projects[i].id", true);
      check_text(p.projects[i].role, "projects[i].role", true);
      if (!one_of(p.projects[i].role, {"member", "owner"}))
        fail(IK_STATUS_INVALID_ARGUMENT, "projects[i].role must be \"member\" or \"owner\"");
      w.begin_object().field("id", p.projects[i].id).field("role", p.projects[i].role).end_object();
    }
    w.end_array();
  }
  w.end_object();
  Request req = make_request(kCreate);
  req.body = w.take();
  return req;
}

// The same projects (id and role), in any order.
bool same_projects(const ik_openai_invite &inv, const std::vector<std::pair<std::string, std::string>> &want) {
  if (inv.projects.size() != want.size()) return false;
  for (const auto &w : want) {
    bool found = false;
    for (const auto &have : inv.projects)
      found = found || (have.first.set && have.first.v == w.first && have.second.set && have.second.v == w.second);
    if (!found) return false;
  }
  return true;
}
}  // namespace

Prepared<ik_openai_invite> create(const ik_openai_invite_create_params &p) {
  return object_call<ik_openai_invite>(create_request(p), map_invite_object);
}

EnsureSpec<ik_openai_invite> ensure(const ik_openai_invite_create_params &p) {
  EnsureSpec<ik_openai_invite> s;
  s.create = create(p);  // validates before anything is sent
  s.operation = "invites.ensure";
  const std::string email(p.email);
  s.key = "openai/invite/" + to_lower(email);
  s.list = list_spec();
  s.is_person = [email](const ik_openai_invite &inv) {
    return inv.email.set && iequals(inv.email.v, email) && !(inv.status.set && inv.status.v == "expired");
  };
  const std::string role(p.role);
  std::vector<std::pair<std::string, std::string>> projects;
  if (p.send_projects == IK_OPTBOOL_TRUE)
    for (size_t i = 0; i < p.projects_count; ++i) projects.emplace_back(p.projects[i].id, p.projects[i].role);
  s.matches = [role, send_projects = p.send_projects == IK_OPTBOOL_TRUE, projects](const ik_openai_invite &inv) {
    return inv.role.set && inv.role.v == role && (!send_projects || same_projects(inv, projects));
  };
  return s;
}

Prepared<ik_openai_invite> retrieve(const char *invite_id) {
  check_text(invite_id, "invite_id", true);
  return object_call<ik_openai_invite>(make_request(kRetrieve, {invite_id}), map_invite_object);
}

ListSpec list_spec() { return make_list_spec(kList, Scheme::AfterId, kMaxPageSize, kList.path, parse_list); }

Prepared<ik_deletion> remove(const char *invite_id) {
  check_text(invite_id, "invite_id", true);
  return object_call<ik_deletion>(make_request(kDelete, {invite_id}), [](JsonObject o, ik_deletion &d, TextArena &) {
    d.kind = IK_KIND_OPENAI_INVITE;
    d.object = get_str(o, "object");
    d.id = get_str(o, "id");
    d.deleted = get_bool(o, "deleted");
  });
}

}  // namespace ik::detail::openai

namespace ik::detail {

// {"error": {"message", "type", "param", "code"}}; anything else falls back to text.
void openai_parse_error(ErrorInfo &info, std::string_view, const std::string &body) {
  with_json_object(body, [&](JsonObject o) {
    JsonElement err;
    if (o.at_key("error").get(err) != simdjson::SUCCESS) return;
    JsonObject eo;
    if (err.get_object().get(eo) != simdjson::SUCCESS) {
      std::string_view sv;  // {"error": "text"}
      if (err.get_string().get(sv) == simdjson::SUCCESS) {
        info.has_provider_message = true;
        info.provider_message.assign(sv);
      }
      return;
    }
    OptStr message = get_text(eo, "message"), type = get_text(eo, "type"), param = get_text(eo, "param"),
           code = get_text(eo, "code");
    if (message.set) {
      info.has_provider_message = true;
      info.provider_message = message.s;
    }
    if (type.set) info.set_field("type", type.s);
    if (param.set) info.set_field("param", param.s);
    if (code.set) info.set_field("code", code.s);
    if (code.set || type.set) {
      info.has_provider_code = true;
      info.provider_code = code.set ? code.s : type.s;
    }
  });
}

bool openai_non_retryable_429(const ErrorInfo &info) {
  const std::string *code = info.field("code");
  const std::string *type = info.field("type");
  return (code && *code == "insufficient_quota") || (type && *type == "insufficient_quota");
}

// Configuration and environment (ProviderTraits::resolve; client.h documents the order).
void openai_resolve(const ik_client_options &o, bool no_env, ProviderConfig &p) {
  auto key = pick(o.openai_admin_key, "openai_admin_key", no_env, {"OPENAI_ADMIN_KEY"});
  auto org = pick(o.openai_organization, "openai_organization", no_env, {"OPENAI_ORG_ID"});
  auto project = pick(o.openai_project, "openai_project", no_env, {"OPENAI_PROJECT_ID"});
  auto base = pick(o.openai_base_url, "openai_base_url", no_env, {"OPENAI_BASE_URL"});
  if (key) {
    p.auth_header = "Authorization: Bearer " + *key;
    wipe(*key);
    p.has_credentials = true;
  }
  if (org) p.static_headers.push_back("OpenAI-Organization: " + *org);
  if (project) p.static_headers.push_back("OpenAI-Project: " + *project);
  p.base_url = normalise_base_url(base ? *base : std::string("https://api.openai.com/v1"), "openai_base_url");
}

namespace {
const char *const kOpenAIRequestIds[] = {"x-request-id", nullptr};
}  // namespace

const ProviderTraits kOpenAITraits = {IK_PROVIDER_OPENAI,       "openai",
                                      openai_resolve,           " (set openai_admin_key or OPENAI_ADMIN_KEY)",
                                      openai_parse_error,       true,
                                      openai_non_retryable_429, nullptr,
                                      kOpenAIRequestIds,        {"limit", "after", false}};

}  // namespace ik::detail
