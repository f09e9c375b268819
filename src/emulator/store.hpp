// In-memory state of the emulator: the four resource tables, id generation,
// deterministic seeding and the JSON state-file format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emu {

inline constexpr std::string_view kSeedServiceSid = "IS00000000000000000000000000000000";
inline constexpr std::string_view kSeedChannelSid = "CH00000000000000000000000000000000";
// Roles assigned when the client sends no RoleSid (Twilio uses the service's
// default channel-member / service-user roles).
inline constexpr std::string_view kDefaultChannelRoleSid = "RL00000000000000000000000000000000";
inline constexpr std::string_view kDefaultServiceRoleSid = "RL00000000000000000000000000000001";
inline constexpr std::string_view kDefaultFastlyCustomerId = "emuCustomer00000000000";
// 2024-01-01T00:00:00Z, the creation time of the first seeded object.
inline constexpr std::int64_t kSeedEpoch = 1704067200;

// splitmix64: small, fast and fully determined by its seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::string hex(std::size_t n);    // lowercase hex digits
  std::string alnum(std::size_t n);  // [A-Za-z0-9]

 private:
  std::uint64_t state_;
};

struct TwilioInvite {
  std::string id;  // IN…
  std::uint64_t seq = 0;
  std::string service_sid;
  std::string channel_sid;
  std::string identity;
  std::string role_sid;
  std::int64_t date_created = 0;
  std::int64_t date_updated = 0;
};

struct TwilioUser {
  std::string id;  // US…
  std::uint64_t seq = 0;
  std::string service_sid;
  std::string identity;
  std::string role_sid;
  std::string attributes = "{}";
  std::optional<std::string> friendly_name;
  std::int64_t date_created = 0;
  std::int64_t date_updated = 0;
};

struct OpenAIProject {
  std::string id;
  std::string role;
};

struct OpenAIInvite {
  std::string id;  // invite-…
  std::uint64_t seq = 0;
  std::string email;
  std::string role;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> accepted_at;
  std::vector<OpenAIProject> projects;
};

struct FastlyInvitation {
  std::string id;  // 22 alphanumerics
  std::uint64_t seq = 0;
  std::string email;
  bool limit_services = false;
  std::string role;
  std::vector<std::string> roles;
  int status_code = 1;
  std::string customer_id;
  std::vector<std::string> service_invitation_ids;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Rows kept in creation order (by seq) with an id index.
template <class Row>
class Table {
 public:
  const Row *find(const std::string &id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &rows_.at(it->second);
  }
  Row *find(const std::string &id) {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &rows_.at(it->second);
  }
  void insert(Row row) {
    index_[row.id] = row.seq;
    rows_.emplace(row.seq, std::move(row));
  }
  bool erase(const std::string &id) {
    const auto it = index_.find(id);
    if (it == index_.end()) return false;
    rows_.erase(it->second);
    index_.erase(it);
    return true;
  }
  void clear() {
    rows_.clear();
    index_.clear();
  }
  const std::map<std::uint64_t, Row> &rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }

 private:
  std::map<std::uint64_t, Row> rows_;
  std::unordered_map<std::string, std::uint64_t> index_;
};

class Store {
 public:
  Store();

  // Guards everything below. Handlers take it shared for reads and unique
  // for mutations.
  mutable std::shared_mutex mutex;

  Table<TwilioInvite> twilio_invites;
  Table<OpenAIInvite> openai_invites;
  Table<FastlyInvitation> fastly_invitations;

  // Twilio users are also unique per (service, identity).
  const TwilioUser *twilio_user(std::string_view service_sid, const std::string &sid_or_identity) const;
  TwilioUser *twilio_user(std::string_view service_sid, const std::string &sid_or_identity);
  bool twilio_identity_taken(std::string_view service_sid, std::string_view identity) const;
  void add_twilio_user(TwilioUser user);
  void remove_twilio_user(const std::string &sid);
  const Table<TwilioUser> &twilio_users() const { return twilio_users_; }

  // Fresh ids in each vendor's format, unique within their table.
  std::string new_twilio_invite_sid();
  std::string new_twilio_user_sid();
  std::string new_openai_invite_id();
  std::string new_fastly_id();
  std::uint64_t next_seq() { return next_seq_++; }

  // Bumped by every mutation; the state file records up to which one it holds.
  std::uint64_t generation() const { return generation_; }
  void touch() { ++generation_; }

  void clear();
  // Creates n objects per resource from a PRNG seeded with n (see docs/EMULATOR.md).
  void seed(std::uint64_t n);

  std::string serialize() const;
  // Replaces the contents with a serialised state; returns an error message on failure.
  std::optional<std::string> deserialize(std::string_view json_text);

 private:
  static std::string identity_key(std::string_view service_sid, std::string_view identity);

  Table<TwilioUser> twilio_users_;
  std::unordered_map<std::string, std::string> twilio_user_by_identity_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t generation_ = 0;
  Rng rng_;
};

}  // namespace emu
