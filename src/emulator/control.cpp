// Control endpoints under /__emulator (no authentication, never faulted or logged).
#include "app.hpp"
#include "json.hpp"

#include <mutex>
#include <shared_mutex>
#include <simdjson.h>
#include <variant>

namespace emu {

namespace {

std::string health_json(Store &store) {
  std::shared_lock lock(store.mutex);
  return json::Object()
      .str("status", "ok")
      .str("version", INVITEKIT_EMULATOR_VERSION)
      .raw("counts", json::Object()
                         .num("twilio_invites", static_cast<std::int64_t>(store.twilio_invites.size()))
                         .num("twilio_users", static_cast<std::int64_t>(store.twilio_users().size()))
                         .num("openai_invites", static_cast<std::int64_t>(store.openai_invites.size()))
                         .num("fastly_invitations", static_cast<std::int64_t>(store.fastly_invitations.size()))
                         .done())
      .done();
}

// Body: {"spec": "SPEC"} or {"specs": ["SPEC", …]}. All specs are parsed
// before any is added, so a bad one adds nothing.
Reply add_faults(App &app, const std::string &body) {
  using simdjson::dom::element;
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(body)).get(root) != simdjson::SUCCESS || !root.is_object())
    return emulator_error(400, "expected a JSON object {\"spec\": \"…\"} or {\"specs\": [\"…\"]}");
  std::vector<std::string> specs;
  std::string_view text;
  simdjson::dom::array arr;
  if (root["spec"].get(text) == simdjson::SUCCESS) {
    specs.emplace_back(text);
  } else if (root["specs"].get(arr) == simdjson::SUCCESS) {
    for (const element e : arr) {
      if (e.get(text) != simdjson::SUCCESS) return emulator_error(400, "\"specs\" must be an array of strings");
      specs.emplace_back(text);
    }
  } else {
    return emulator_error(400, "expected a JSON object {\"spec\": \"…\"} or {\"specs\": [\"…\"]}");
  }
  std::vector<Fault> parsed;
  for (const auto &spec : specs) {
    auto result = parse_fault(spec);
    if (auto *err = std::get_if<std::string>(&result))
      return emulator_error(400, "invalid fault '" + spec + "': " + *err);
    parsed.push_back(std::get<Fault>(std::move(result)));
  }
  for (auto &f : parsed) app.faults().add(std::move(f));
  return json_reply(201, app.faults().to_json());
}

Reply reset(App &app, const Call &call) {
  std::optional<std::uint64_t> seed;
  if (const auto v = param(call.query, "seed")) {
    const auto n = parse_int(*v);
    if (!n || *n < 0 || *n > 100000) return emulator_error(400, "seed must be an integer in 0..100000");
    seed = static_cast<std::uint64_t>(*n);
  }
  {
    Store &store = app.store();
    std::unique_lock lock(store.mutex);
    store.clear();
    if (seed) store.seed(*seed);
  }
  if (const auto err = app.persist()) return emulator_error(500, *err);
  return json_reply(200, health_json(app.store()));
}

}  // namespace

Reply handle_control(App &app, const Call &call) {
  const auto &s = call.segments;  // [__emulator, …]
  const std::string &method = call.req.method;
  const std::string what = s.size() >= 2 ? s[1] : std::string();
  if (s.size() == 2 && what == "health") {
    return method == "GET" ? json_reply(200, health_json(app.store())) : method_not_allowed(Vendor::Control, "GET");
  }
  if (s.size() == 2 && what == "reset") {
    return method == "POST" ? reset(app, call) : method_not_allowed(Vendor::Control, "POST");
  }
  if (s.size() == 2 && what == "faults") {
    if (method == "GET") return json_reply(200, app.faults().to_json());
    if (method == "POST") return add_faults(app, call.req.body);
    if (method == "DELETE") {
      app.faults().clear();
      return json_reply(200, app.faults().to_json());
    }
    return method_not_allowed(Vendor::Control, "GET, POST, DELETE");
  }
  if (s.size() == 2 && what == "requests") {
    if (method == "GET") return json_reply(200, app.request_log().to_json());
    if (method == "DELETE") {
      app.request_log().clear();
      return json_reply(200, "[]");
    }
    return method_not_allowed(Vendor::Control, "GET, DELETE");
  }
  if (s.size() == 5 && what == "openai" && s[2] == "invites" && s[4] == "accept") {
    if (method != "POST") return method_not_allowed(Vendor::Control, "POST");
    const auto body = accept_openai_invite(app, s[3]);
    return body ? json_reply(200, *body) : emulator_error(404, "no OpenAI invite with id '" + s[3] + "'");
  }
  return emulator_error(404, "unknown control endpoint " + std::string(call.raw_path));
}

}  // namespace emu
