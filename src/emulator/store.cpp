#include "store.hpp"

#include "json.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <simdjson.h>
#include <stdexcept>
#include <utility>

namespace emu {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string Rng::hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n, '0');
  for (auto &c : out) c = digits[next() & 0xF];
  return out;
}

std::string Rng::alnum(std::size_t n) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(n, '0');
  for (auto &c : out) c = digits[next() % 62];
  return out;
}

namespace {

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

template <class Row, class Make>
std::string unique_id(const Table<Row> &table, Make make) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::string id = make();
    if (table.find(id) == nullptr) return id;
  }
  throw std::runtime_error("could not generate a unique id");
}

constexpr const char *kFastlyRoles[] = {"user", "tls_viewer", "tls_admin", "billing", "engineer", "superuser"};

// The seq following the newest row (0 for an empty table).
template <class Row>
std::uint64_t after_last(const Table<Row> &table) {
  return table.rows().empty() ? 0 : table.rows().rbegin()->first + 1;
}

std::string numbered(const char *prefix, std::uint64_t i, const char *suffix = "") {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%04llu%s", prefix, static_cast<unsigned long long>(i), suffix);
  return buf;
}

}  // namespace

Store::Store() : rng_(random_seed()) {}

std::string Store::identity_key(std::string_view service_sid, std::string_view identity) {
  std::string key(service_sid);
  key.push_back('\n');
  key.append(identity);
  return key;
}

const TwilioUser *Store::twilio_user(std::string_view service_sid, const std::string &sid_or_identity) const {
  if (const TwilioUser *u = twilio_users_.find(sid_or_identity); u != nullptr && u->service_sid == service_sid)
    return u;
  const auto it = twilio_user_by_identity_.find(identity_key(service_sid, sid_or_identity));
  return it == twilio_user_by_identity_.end() ? nullptr : twilio_users_.find(it->second);
}

TwilioUser *Store::twilio_user(std::string_view service_sid, const std::string &sid_or_identity) {
  return const_cast<TwilioUser *>(std::as_const(*this).twilio_user(service_sid, sid_or_identity));
}

bool Store::twilio_identity_taken(std::string_view service_sid, std::string_view identity) const {
  return twilio_user_by_identity_.count(identity_key(service_sid, identity)) != 0;
}

void Store::add_twilio_user(TwilioUser user) {
  twilio_user_by_identity_[identity_key(user.service_sid, user.identity)] = user.id;
  twilio_users_.insert(std::move(user));
}

void Store::remove_twilio_user(const std::string &sid) {
  if (const TwilioUser *u = twilio_users_.find(sid)) {
    twilio_user_by_identity_.erase(identity_key(u->service_sid, u->identity));
    twilio_users_.erase(sid);
  }
}

std::string Store::new_twilio_invite_sid() {
  return unique_id(twilio_invites, [this] { return "IN" + rng_.hex(32); });
}
std::string Store::new_twilio_user_sid() {
  return unique_id(twilio_users_, [this] { return "US" + rng_.hex(32); });
}
std::string Store::new_openai_invite_id() {
  return unique_id(openai_invites, [this] { return "invite-" + rng_.alnum(24); });
}
std::string Store::new_fastly_id() {
  return unique_id(fastly_invitations, [this] { return rng_.alnum(22); });
}

void Store::clear() {
  twilio_invites.clear();
  openai_invites.clear();
  fastly_invitations.clear();
  twilio_users_.clear();
  twilio_user_by_identity_.clear();
  next_seq_ = 1;
  touch();
}

void Store::seed(std::uint64_t n) {
  const Rng runtime = rng_;
  rng_ = Rng(n ^ 0x1f7e5eedULL);
  for (std::uint64_t i = 1; i <= n; ++i) {
    TwilioUser u;
    u.id = new_twilio_user_sid();
    u.seq = next_seq();
    u.service_sid = kSeedServiceSid;
    u.identity = numbered("user-", i);
    u.role_sid = kDefaultServiceRoleSid;
    u.friendly_name = numbered("Seed User ", i);
    u.date_created = u.date_updated = kSeedEpoch + static_cast<std::int64_t>(i) * 60;
    add_twilio_user(std::move(u));
  }
  for (std::uint64_t i = 1; i <= n; ++i) {
    TwilioInvite inv;
    inv.id = new_twilio_invite_sid();
    inv.seq = next_seq();
    inv.service_sid = kSeedServiceSid;
    inv.channel_sid = kSeedChannelSid;
    inv.identity = numbered("user-", i);
    inv.role_sid = kDefaultChannelRoleSid;
    inv.date_created = inv.date_updated = kSeedEpoch + static_cast<std::int64_t>(i) * 60;
    twilio_invites.insert(std::move(inv));
  }
  for (std::uint64_t i = 1; i <= n; ++i) {
    OpenAIInvite inv;
    inv.id = new_openai_invite_id();
    inv.seq = next_seq();
    inv.email = numbered("invitee-", i, "@example.com");
    inv.role = i % 3 == 0 ? "owner" : "reader";
    inv.created_at = kSeedEpoch + static_cast<std::int64_t>(i) * 60;
    if (i % 5 == 0) inv.accepted_at = inv.created_at + 3600;
    if (i % 2 == 0) inv.projects.push_back({"proj_emulator", "member"});
    openai_invites.insert(std::move(inv));
  }
  for (std::uint64_t i = 1; i <= n; ++i) {
    FastlyInvitation inv;
    inv.id = new_fastly_id();
    inv.seq = next_seq();
    inv.email = numbered("invitee-", i, "@example.com");
    inv.limit_services = i % 2 == 0;
    inv.role = kFastlyRoles[(i - 1) % std::size(kFastlyRoles)];
    inv.customer_id = kDefaultFastlyCustomerId;
    if (i % 3 == 0) inv.service_invitation_ids.push_back(rng_.alnum(22));
    inv.created_at = inv.updated_at = kSeedEpoch + static_cast<std::int64_t>(i) * 60;
    fastly_invitations.insert(std::move(inv));
  }
  rng_ = runtime;
  touch();
}

namespace {

// Every row of a table as a JSON array of objects: the row's id (under
// id_key), its sequence number, then what fields(object, row) adds.
template <class T, class Fields>
std::string rows_json(const Table<T> &table, const char *id_key, Fields fields) {
  json::Array out;
  for (const auto &[seq, r] : table.rows()) {
    json::Object o;
    o.str(id_key, r.id).num("seq", static_cast<std::int64_t>(seq));
    fields(o, r);
    out.raw(o.done());
  }
  return out.done();
}

void twilio_invite_fields(json::Object &o, const TwilioInvite &r) {
  o.str("service_sid", r.service_sid)
      .str("channel_sid", r.channel_sid)
      .str("identity", r.identity)
      .str("role_sid", r.role_sid)
      .num("date_created", r.date_created)
      .num("date_updated", r.date_updated);
}

void twilio_user_fields(json::Object &o, const TwilioUser &r) {
  o.str("service_sid", r.service_sid)
      .str("identity", r.identity)
      .str("role_sid", r.role_sid)
      .str("attributes", r.attributes)
      .opt_str("friendly_name", r.friendly_name)
      .num("date_created", r.date_created)
      .num("date_updated", r.date_updated);
}

void openai_invite_fields(json::Object &o, const OpenAIInvite &r) {
  json::Array projects;
  for (const auto &p : r.projects) projects.raw(json::Object().str("id", p.id).str("role", p.role).done());
  o.str("email", r.email)
      .str("role", r.role)
      .num("created_at", r.created_at)
      .opt_num("accepted_at", r.accepted_at)
      .raw("projects", projects.done());
}

void fastly_invitation_fields(json::Object &o, const FastlyInvitation &r) {
  json::Array roles, sis;
  for (const auto &x : r.roles) roles.str(x);
  for (const auto &x : r.service_invitation_ids) sis.str(x);
  o.str("email", r.email)
      .boolean("limit_services", r.limit_services)
      .str("role", r.role)
      .raw("roles", roles.done())
      .num("status_code", r.status_code)
      .str("customer_id", r.customer_id)
      .raw("service_invitation_ids", sis.done())
      .num("created_at", r.created_at)
      .num("updated_at", r.updated_at);
}

using simdjson::dom::element;

std::string str_field(element e, const char *key) { return std::string(std::string_view(e[key].get_string().value())); }
std::int64_t i64_field(element e, const char *key) { return e[key].get_int64().value(); }
std::uint64_t seq_field(element e) { return e["seq"].get_uint64().value(); }
// A row read back from its JSON object: its id (under id_key) and sequence
// number; the caller reads the rest.
template <class T>
T row_from_json(element e, const char *id_key) {
  T r;
  r.id = str_field(e, id_key);
  r.seq = seq_field(e);
  return r;
}
simdjson::dom::array array_field(element e, const char *key) {
  simdjson::dom::array a;
  if (e[key].get(a) != simdjson::SUCCESS) throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
  return a;
}

TwilioInvite twilio_invite_from_json(element e) {
  auto r = row_from_json<TwilioInvite>(e, "sid");
  r.service_sid = str_field(e, "service_sid");
  r.channel_sid = str_field(e, "channel_sid");
  r.identity = str_field(e, "identity");
  r.role_sid = str_field(e, "role_sid");
  r.date_created = i64_field(e, "date_created");
  r.date_updated = i64_field(e, "date_updated");
  return r;
}

TwilioUser twilio_user_from_json(element e) {
  auto r = row_from_json<TwilioUser>(e, "sid");
  r.service_sid = str_field(e, "service_sid");
  r.identity = str_field(e, "identity");
  r.role_sid = str_field(e, "role_sid");
  r.attributes = str_field(e, "attributes");
  if (!e["friendly_name"].is_null()) r.friendly_name = str_field(e, "friendly_name");
  r.date_created = i64_field(e, "date_created");
  r.date_updated = i64_field(e, "date_updated");
  return r;
}

OpenAIInvite openai_invite_from_json(element e) {
  auto r = row_from_json<OpenAIInvite>(e, "id");
  r.email = str_field(e, "email");
  r.role = str_field(e, "role");
  r.created_at = i64_field(e, "created_at");
  if (!e["accepted_at"].is_null()) r.accepted_at = i64_field(e, "accepted_at");
  const simdjson::dom::array projects = array_field(e, "projects");
  for (const element p : projects) r.projects.push_back({str_field(p, "id"), str_field(p, "role")});
  return r;
}

FastlyInvitation fastly_invitation_from_json(element e) {
  auto r = row_from_json<FastlyInvitation>(e, "id");
  r.email = str_field(e, "email");
  r.limit_services = e["limit_services"].get_bool().value();
  r.role = str_field(e, "role");
  const simdjson::dom::array roles = array_field(e, "roles");
  for (const element x : roles) r.roles.emplace_back(std::string_view(x.get_string().value()));
  r.status_code = static_cast<int>(i64_field(e, "status_code"));
  r.customer_id = str_field(e, "customer_id");
  const simdjson::dom::array sis = array_field(e, "service_invitation_ids");
  for (const element x : sis) r.service_invitation_ids.emplace_back(std::string_view(x.get_string().value()));
  r.created_at = i64_field(e, "created_at");
  r.updated_at = i64_field(e, "updated_at");
  return r;
}

}  // namespace

std::string Store::serialize() const {
  return json::Object()
      .str("format", "invitekit-emulator-state")
      .num("version", 1)
      .num("next_seq", static_cast<std::int64_t>(next_seq_))
      .raw("twilio_invites", rows_json(twilio_invites, "sid", twilio_invite_fields))
      .raw("twilio_users", rows_json(twilio_users_, "sid", twilio_user_fields))
      .raw("openai_invites", rows_json(openai_invites, "id", openai_invite_fields))
      .raw("fastly_invitations", rows_json(fastly_invitations, "id", fastly_invitation_fields))
      .done();
}

std::optional<std::string> Store::deserialize(std::string_view json_text) {
  try {
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json_text);
    const element root = parser.parse(padded).value();
    if (std::string_view(root["format"].get_string().value()) != "invitekit-emulator-state" ||
        root["version"].get_int64().value() != 1) {
      return "not an invitekit-emulator state file (format/version)";
    }
    Store loaded;
    loaded.next_seq_ = root["next_seq"].get_uint64().value();
    for (const element e : array_field(root, "twilio_invites"))
      loaded.twilio_invites.insert(twilio_invite_from_json(e));
    for (const element e : array_field(root, "twilio_users")) loaded.add_twilio_user(twilio_user_from_json(e));
    for (const element e : array_field(root, "openai_invites"))
      loaded.openai_invites.insert(openai_invite_from_json(e));
    for (const element e : array_field(root, "fastly_invitations"))
      loaded.fastly_invitations.insert(fastly_invitation_from_json(e));
    loaded.next_seq_ = std::max({loaded.next_seq_, after_last(loaded.twilio_invites), after_last(loaded.twilio_users_),
                                 after_last(loaded.openai_invites), after_last(loaded.fastly_invitations)});
    twilio_invites = std::move(loaded.twilio_invites);
    openai_invites = std::move(loaded.openai_invites);
    fastly_invitations = std::move(loaded.fastly_invitations);
    twilio_users_ = std::move(loaded.twilio_users_);
    twilio_user_by_identity_ = std::move(loaded.twilio_user_by_identity_);
    next_seq_ = loaded.next_seq_;
    touch();
    return std::nullopt;
  } catch (const simdjson::simdjson_error &e) {
    return std::string("invalid state file: ") + e.what();
  }
}

}  // namespace emu
