// tests/resilience/ops.hpp - one table of single-request operations of the
// three providers (GET, DELETE, create POST, non-create POST), each with the
// reply a server gives on success, so retry tests can run over all of them.
#ifndef IKTEST_RES_OPS_HPP
#define IKTEST_RES_OPS_HPP

#include "res_util.hpp"

namespace res {

enum class Verb { Get, Delete, Create, Update };

struct Outcome {
  ik_status status = IK_STATUS_INTERNAL;
  int32_t attempts = -1;  // from the response (success) or the error
  int32_t http_status = 0;
  std::string request_id;             // from the response or the error
  const ik_response *resp = nullptr;  // valid while `owner` lives
  std::shared_ptr<void> owner;        // keeps the result object alive
  Err err;
};

struct Op {
  const char *name;
  int32_t provider;
  Verb verb;
  const char *operation;  // ik_error_operation / log record operation
  Reply (*success)();
  void (*run)(const ik_client *c, const ik_call_options *co, Outcome &out);
};

inline std::string openai_deleted_json() {
  return "{\"object\":\"organization.invite.deleted\",\"id\":\"inv_1\",\"deleted\":true}";
}
inline std::string twilio_user_json(const std::string &identity = "alice") {
  return std::string("{\"sid\":\"US0123456789abcdef0123456789abcdef\",\"account_sid\":\"") + kTwilioSid +
         "\",\"service_sid\":\"" + kService + "\",\"identity\":\"" + identity +
         "\",\"friendly_name\":null,\"attributes\":\"{}\",\"role_sid\":null,\"is_online\":null,"
         "\"is_notifiable\":null,\"joined_channels_count\":0,\"date_created\":\"2024-01-01T00:00:00Z\","
         "\"date_updated\":\"2024-01-01T00:00:00Z\",\"url\":\"https://chat.twilio.com/v2/Services/x/Users/y\"}";
}
inline std::string twilio_invite_json() {
  return std::string("{\"sid\":\"IN0123456789abcdef0123456789abcdef\",\"account_sid\":\"") + kTwilioSid +
         "\",\"channel_sid\":\"" + kChannel + "\",\"service_sid\":\"" + kService +
         "\",\"identity\":\"bob\",\"role_sid\":null,\"created_by\":null,\"date_created\":\"2024-01-01T00:00:00Z\","
         "\"date_updated\":\"2024-01-01T00:00:00Z\",\"url\":\"https://chat.twilio.com/v1/x\"}";
}
inline std::string fastly_invitation_json() {
  return "{\"data\":{\"id\":\"fyinv1\",\"type\":\"invitation\",\"attributes\":{\"email\":\"a@example.com\","
         "\"role\":\"engineer\",\"status_code\":0,\"created_at\":\"2024-01-01T00:00:00Z\"}}}";
}
inline std::string fastly_list_json() {
  return "{\"data\":[],\"links\":{\"first\":null,\"last\":null,\"prev\":null,\"next\":null},"
         "\"meta\":{\"current_page\":1,\"per_page\":20,\"record_count\":0,\"total_pages\":1}}";
}

namespace detail {
template <class T, void (*Free)(T *), const ik_response *(*Resp)(const T *)>
void finish(ik_status st, T *obj, Outcome &out) {
  out.status = st;
  if (obj) {
    out.owner = std::shared_ptr<void>(obj, [](void *p) { Free(static_cast<T *>(p)); });
    out.resp = Resp(obj);
  }
}
inline void settle(Outcome &out) {
  if (out.status == IK_STATUS_OK && out.resp) {
    out.attempts = ik_response_attempts(out.resp);
    out.http_status = ik_response_http_status(out.resp);
    out.request_id = str(ik_response_request_id(out.resp));
  } else if (out.err) {
    out.attempts = ik_error_attempts(out.err.get());
    out.http_status = ik_error_http_status(out.err.get());
    out.request_id = str(ik_error_request_id(out.err.get()));
  }
}
inline Reply json_reply(int status, std::string body) { return Reply::json(status, std::move(body)); }
}  // namespace detail

inline const std::vector<Op> &all_ops() {
  using namespace detail;
  static const std::vector<Op> ops = {
      {"openai_retrieve", IK_PROVIDER_OPENAI, Verb::Get, "invites.retrieve",
       [] { return json_reply(200, openai_invite_json("inv_1")); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_openai_invite *x = nullptr;
         ik_status st = ik_openai_invite_retrieve(c, "inv_1", co, &x, o.err.out());
         finish<ik_openai_invite, ik_openai_invite_free, ik_openai_invite_response>(st, x, o);
         settle(o);
       }},
      {"openai_delete", IK_PROVIDER_OPENAI, Verb::Delete, "invites.delete",
       [] { return json_reply(200, openai_deleted_json()); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_deletion *x = nullptr;
         ik_status st = ik_openai_invite_delete(c, "inv_1", co, &x, o.err.out());
         finish<ik_deletion, ik_deletion_free, ik_deletion_response>(st, x, o);
         settle(o);
       }},
      {"openai_create", IK_PROVIDER_OPENAI, Verb::Create, "invites.create",
       [] { return json_reply(200, openai_invite_json("inv_new", "new@example.com")); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
         p.email = "new@example.com";
         p.role = "reader";
         ik_openai_invite *x = nullptr;
         ik_status st = ik_openai_invite_create(c, &p, co, &x, o.err.out());
         finish<ik_openai_invite, ik_openai_invite_free, ik_openai_invite_response>(st, x, o);
         settle(o);
       }},
      {"twilio_user_fetch", IK_PROVIDER_TWILIO, Verb::Get, "users.fetch",
       [] { return json_reply(200, twilio_user_json()); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_twilio_user *x = nullptr;
         ik_status st = ik_twilio_user_fetch(c, kService, "alice", co, &x, o.err.out());
         finish<ik_twilio_user, ik_twilio_user_free, ik_twilio_user_response>(st, x, o);
         settle(o);
       }},
      {"twilio_user_delete", IK_PROVIDER_TWILIO, Verb::Delete, "users.delete",
       [] {
         Reply r = Reply::text(204, "", "");
         return r;
       },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_deletion *x = nullptr;
         ik_status st = ik_twilio_user_delete(c, kService, "alice", co, &x, o.err.out());
         finish<ik_deletion, ik_deletion_free, ik_deletion_response>(st, x, o);
         settle(o);
       }},
      {"twilio_user_update", IK_PROVIDER_TWILIO, Verb::Update, "users.update",
       [] { return json_reply(200, twilio_user_json()); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
         p.friendly_name = "Alice";
         ik_twilio_user *x = nullptr;
         ik_status st = ik_twilio_user_update(c, kService, "alice", &p, co, &x, o.err.out());
         finish<ik_twilio_user, ik_twilio_user_free, ik_twilio_user_response>(st, x, o);
         settle(o);
       }},
      {"twilio_user_create", IK_PROVIDER_TWILIO, Verb::Create, "users.create",
       [] { return json_reply(201, twilio_user_json()); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
         p.identity = "alice";
         ik_twilio_user *x = nullptr;
         ik_status st = ik_twilio_user_create(c, kService, &p, co, &x, o.err.out());
         finish<ik_twilio_user, ik_twilio_user_free, ik_twilio_user_response>(st, x, o);
         settle(o);
       }},
      {"twilio_invite_create", IK_PROVIDER_TWILIO, Verb::Create, "invites.create",
       [] { return json_reply(201, twilio_invite_json()); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_twilio_invite *x = nullptr;
         ik_status st = ik_twilio_invite_create(c, kService, kChannel, "bob", nullptr, co, &x, o.err.out());
         finish<ik_twilio_invite, ik_twilio_invite_free, ik_twilio_invite_response>(st, x, o);
         settle(o);
       }},
      {"fastly_list", IK_PROVIDER_FASTLY, Verb::Get, "invitations.list",
       [] {
         Reply r = json_reply(200, fastly_list_json());
         r.content_type = "application/vnd.api+json";
         return r;
       },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_page *x = nullptr;
         ik_status st = ik_fastly_invitation_list(c, nullptr, co, &x, o.err.out());
         finish<ik_page, ik_page_free, ik_page_response>(st, x, o);
         settle(o);
       }},
      {"fastly_delete", IK_PROVIDER_FASTLY, Verb::Delete, "invitations.delete", [] { return Reply::text(204, "", ""); },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_deletion *x = nullptr;
         ik_status st = ik_fastly_invitation_delete(c, "fyinv1", co, &x, o.err.out());
         finish<ik_deletion, ik_deletion_free, ik_deletion_response>(st, x, o);
         settle(o);
       }},
      {"fastly_create", IK_PROVIDER_FASTLY, Verb::Create, "invitations.create",
       [] {
         Reply r = json_reply(200, fastly_invitation_json());
         r.content_type = "application/vnd.api+json";
         return r;
       },
       [](const ik_client *c, const ik_call_options *co, Outcome &o) {
         ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
         p.email = "a@example.com";
         p.role = "engineer";
         ik_fastly_invitation *x = nullptr;
         ik_status st = ik_fastly_invitation_create(c, &p, co, &x, o.err.out());
         finish<ik_fastly_invitation, ik_fastly_invitation_free, ik_fastly_invitation_response>(st, x, o);
         settle(o);
       }},
  };
  return ops;
}

inline const Op &op(const std::string &name) {
  for (const auto &o : all_ops())
    if (name == o.name) return o;
  throw std::runtime_error("no op " + name);
}

inline std::vector<const Op *> ops_with(std::initializer_list<Verb> verbs) {
  std::vector<const Op *> v;
  for (const auto &o : all_ops())
    if (std::find(verbs.begin(), verbs.end(), o.verb) != verbs.end()) v.push_back(&o);
  return v;
}

// `good` with a fault: the body (padded so half of it is a real cut) is broken
// off mid-way.
inline Reply broken(Reply good, Fault f) {
  good.fault = f;
  good.body += std::string(200, ' ');
  if (good.status == 204) good.status = 200;
  return good;
}

// An error reply in the provider's own format.
inline Reply error_reply(int32_t provider, int status, HeaderList headers = {}, const char *code = nullptr) {
  std::string body;
  std::string ct = "application/json";
  switch (provider) {
    case IK_PROVIDER_OPENAI: body = openai_error_json("scripted failure", "server_error", nullptr, code); break;
    case IK_PROVIDER_TWILIO:
      body =
          "{\"code\":20500,\"message\":\"scripted failure\",\"more_info\":\"https://www.twilio.com/docs/errors/20500\","
          "\"status\":" +
          std::to_string(status) + "}";
      break;
    default:
      body = "{\"errors\":[{\"title\":\"scripted failure\",\"detail\":\"scripted\",\"status\":\"" +
             std::to_string(status) + "\"}]}";
      ct = "application/vnd.api+json";
      break;
  }
  Reply r = Reply::json(status, body, std::move(headers));
  r.content_type = ct;
  return r;
}

}  // namespace res

#endif  // IKTEST_RES_OPS_HPP
