// tests/ensure: exactly-once creates (ik_<resource>_ensure) against
// invitekit-emulator, for the four resources: absent -> created, present ->
// present (or present_different), a create whose answer is lost
// (reset-mid-body: the server created the object) -> recovered with exactly one
// object, a 429 storm, and 8 threads ensuring the same person on one client.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "integ_util.hpp"

using namespace integ;

namespace {
struct EnsureTag {};
using EnsureTest = EmulatorTest<EnsureTag>;

// What one call of ensure gave.
struct Outcome {
  ik_status status = IK_STATUS_INTERNAL;
  int32_t outcome = 0;
  std::string id;     // id / sid of the object found or created
  std::string error;  // describe(err) on failure
  bool ambiguous = false;
};

// One resource: how to ensure a person with a role, how to count the objects
// that exist for that person, and the create request a fault must hit.
struct Resource {
  const char *name;
  std::string create_target;  // "METHOD path" prefix of the create request
  std::function<Outcome(const ik_client *, const std::string &who, const char *role, const ik_call_options *)> ensure;
  std::function<size_t(const ik_client *, const std::string &who)> count;
  const char *role_a;
  const char *role_b;
};

template <class T, class Next, class Match>
size_t count_items(ik_pager *raw, Next next, void (*free_item)(T *), Match match) {
  PagerPtr pager(raw);
  size_t n = 0;
  for (int i = 0; i < 100000; ++i) {  // bounded
    T *item = nullptr;
    Err err;
    if (next(pager.get(), nullptr, &item, err.out()) != IK_STATUS_OK) {
      ADD_FAILURE() << "listing failed: " << err.what();
      return n;
    }
    if (!item) break;
    if (match(item)) ++n;
    free_item(item);
  }
  return n;
}

template <class T>
Outcome outcome_of(ik_status st, T *obj, int32_t outcome, const ik_error *err, const char *(*id_of)(const T *),
                   void (*free_obj)(T *)) {
  Outcome o;
  o.status = st;
  o.outcome = outcome;
  if (obj) o.id = str(id_of(obj));
  if (err) {
    o.error = describe(err);
    o.ambiguous = ik_error_is_ambiguous(err) != 0;
  }
  free_obj(obj);
  return o;
}

std::vector<Resource> resources() {
  std::vector<Resource> r;
  r.push_back({"openai invite", "POST /v1/organization/invites",
               [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co) {
                 ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
                 p.email = who.c_str();
                 p.role = role;
                 ik_openai_invite *inv = nullptr;
                 int32_t outcome = 0;
                 Err err;
                 ik_status st = ik_openai_invite_ensure(c, &p, co, &inv, &outcome, err.out());
                 return outcome_of(st, inv, outcome, err.get(), ik_openai_invite_id, ik_openai_invite_free);
               },
               [](const ik_client *c, const std::string &who) {
                 ik_pager *pager = nullptr;
                 Err err;
                 EXPECT_EQ(ik_openai_invite_pager(c, nullptr, &pager, err.out()), IK_STATUS_OK) << err.what();
                 return count_items<ik_openai_invite>(
                     pager, ik_pager_next_openai_invite, ik_openai_invite_free,
                     [&](const ik_openai_invite *i) { return str(ik_openai_invite_email(i)) == who; });
               },
               "reader", "owner"});
  r.push_back(
      {"twilio channel invite", std::string("POST /v1/Services/") + kService + "/Channels/" + kChannel + "/Invites",
       [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co) {
         ik_twilio_invite *inv = nullptr;
         int32_t outcome = 0;
         Err err;
         ik_status st =
             ik_twilio_invite_ensure(c, kService, kChannel, who.c_str(), role, co, &inv, &outcome, err.out());
         return outcome_of(st, inv, outcome, err.get(), ik_twilio_invite_sid, ik_twilio_invite_free);
       },
       [](const ik_client *c, const std::string &who) {
         ik_pager *pager = nullptr;
         Err err;
         EXPECT_EQ(ik_twilio_invite_pager(c, kService, kChannel, nullptr, 0, nullptr, &pager, err.out()), IK_STATUS_OK)
             << err.what();
         return count_items<ik_twilio_invite>(
             pager, ik_pager_next_twilio_invite, ik_twilio_invite_free,
             [&](const ik_twilio_invite *i) { return str(ik_twilio_invite_identity(i)) == who; });
       },
       "RL00000000000000000000000000000001", "RL00000000000000000000000000000002"});
  r.push_back({"twilio user", std::string("POST /v2/Services/") + kService + "/Users",
               [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co) {
                 ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
                 p.identity = who.c_str();
                 p.role_sid = role;
                 ik_twilio_user *u = nullptr;
                 int32_t outcome = 0;
                 Err err;
                 ik_status st = ik_twilio_user_ensure(c, kService, &p, co, &u, &outcome, err.out());
                 return outcome_of(st, u, outcome, err.get(), ik_twilio_user_sid, ik_twilio_user_free);
               },
               [](const ik_client *c, const std::string &who) {
                 ik_pager *pager = nullptr;
                 Err err;
                 EXPECT_EQ(ik_twilio_user_pager(c, kService, nullptr, &pager, err.out()), IK_STATUS_OK) << err.what();
                 return count_items<ik_twilio_user>(
                     pager, ik_pager_next_twilio_user, ik_twilio_user_free,
                     [&](const ik_twilio_user *u) { return str(ik_twilio_user_identity(u)) == who; });
               },
               "RL00000000000000000000000000000001", "RL00000000000000000000000000000002"});
  r.push_back({"fastly invitation", "POST /invitations",
               [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co) {
                 ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
                 p.email = who.c_str();
                 p.role = role;
                 ik_fastly_invitation *inv = nullptr;
                 int32_t outcome = 0;
                 Err err;
                 ik_status st = ik_fastly_invitation_ensure(c, &p, co, &inv, &outcome, err.out());
                 return outcome_of(st, inv, outcome, err.get(), ik_fastly_invitation_id, ik_fastly_invitation_free);
               },
               [](const ik_client *c, const std::string &who) {
                 ik_pager *pager = nullptr;
                 Err err;
                 EXPECT_EQ(ik_fastly_invitation_pager(c, nullptr, &pager, err.out()), IK_STATUS_OK) << err.what();
                 return count_items<ik_fastly_invitation>(
                     pager, ik_pager_next_fastly_invitation, ik_fastly_invitation_free,
                     [&](const ik_fastly_invitation *i) { return str(ik_fastly_invitation_email(i)) == who; });
               },
               "engineer", "billing"});
  return r;
}

std::string person(const Resource &r, const char *tag) {
  // An email for OpenAI/Fastly, an identity (needing encoding) for Twilio.
  const std::string name = r.name;
  if (name.rfind("twilio", 0) == 0) return std::string("ada|") + tag + "/x y";
  return std::string("ada.") + tag + "@example.com";
}
}  // namespace

TEST_F(EnsureTest, CreatedThenPresentThenPresentDifferent) {
  seed(3);
  auto c = make_client();
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    SCOPED_TRACE(r.name);
    const std::string who = person(r, "plain");
    const Outcome first = r.ensure(c->get(), who, r.role_a, nullptr);
    ASSERT_EQ(first.status, IK_STATUS_OK) << first.error;
    EXPECT_EQ(first.outcome, IK_ENSURE_CREATED);
    EXPECT_FALSE(first.id.empty());
    const Outcome again = r.ensure(c->get(), who, r.role_a, nullptr);
    ASSERT_EQ(again.status, IK_STATUS_OK) << again.error;
    EXPECT_EQ(again.outcome, IK_ENSURE_PRESENT);
    EXPECT_EQ(again.id, first.id);
    const Outcome other_role = r.ensure(c->get(), who, r.role_b, nullptr);
    ASSERT_EQ(other_role.status, IK_STATUS_OK) << other_role.error;
    EXPECT_EQ(other_role.outcome, IK_ENSURE_PRESENT_DIFFERENT);
    EXPECT_EQ(other_role.id, first.id);
    EXPECT_EQ(r.count(c->get(), who), 1u);
  }
}

TEST_F(EnsureTest, LostCreateAnswerIsRecoveredWithExactlyOneObject) {
  seed(3);
  auto c = make_client();
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    SCOPED_TRACE(r.name);
    const std::string who = person(r, "lost");
    add_fault(r.create_target + " count=1 reset-mid-body");
    const Outcome o = r.ensure(c->get(), who, r.role_a, nullptr);
    ASSERT_EQ(o.status, IK_STATUS_OK) << o.error;
    EXPECT_EQ(o.outcome, IK_ENSURE_RECOVERED);
    EXPECT_FALSE(o.id.empty());
    // One create was sent (the faulted one: the server created the object and
    // the answer was lost); the second lookup found it, no second create.
    const std::string path = r.create_target.substr(r.create_target.find(' ') + 1);
    const auto creates = requests_to("POST", path);
    ASSERT_EQ(creates.size(), 1u);
    EXPECT_TRUE(creates[0].faulted);
    EXPECT_EQ(r.count(c->get(), who), 1u) << "exactly one object after a lost create answer";
    ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);
  }
}

TEST_F(EnsureTest, RateLimitStormOnCreateLeavesExactlyOneObject) {
  seed(2);
  // 429s are retried (a 429 was not processed), so ensure ends with the object.
  auto c = make_client([](ik_client_options &o) { o.max_retries = 6; });
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    SCOPED_TRACE(r.name);
    const std::string who = person(r, "storm");
    add_fault(r.create_target + " count=4 status=429 retry-after-ms=5");
    const Outcome o = r.ensure(c->get(), who, r.role_a, nullptr);
    ASSERT_EQ(o.status, IK_STATUS_OK) << o.error;
    EXPECT_EQ(o.outcome, IK_ENSURE_CREATED);
    EXPECT_EQ(r.count(c->get(), who), 1u);
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
  }
}

TEST_F(EnsureTest, RateLimitBeyondRetriesFailsCleanlyThenSucceeds) {
  auto c = make_client();  // 2 retries
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    SCOPED_TRACE(r.name);
    const std::string who = person(r, "limited");
    add_fault(r.create_target + " count=3 status=429 retry-after-ms=5");
    const Outcome failed = r.ensure(c->get(), who, r.role_a, nullptr);
    EXPECT_EQ(failed.status, IK_STATUS_RATE_LIMITED) << failed.error;
    EXPECT_FALSE(failed.ambiguous) << "a 429 was not processed";
    EXPECT_EQ(r.count(c->get(), who), 0u);
    const Outcome ok = r.ensure(c->get(), who, r.role_a, nullptr);
    ASSERT_EQ(ok.status, IK_STATUS_OK) << ok.error;
    EXPECT_EQ(ok.outcome, IK_ENSURE_CREATED);
    EXPECT_EQ(r.count(c->get(), who), 1u);
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
  }
}

// Guarantee documented in openai.h: on one client, ensure calls for the same
// person are serialized, so exactly one creates and the others find it.
TEST_F(EnsureTest, EightThreadsOnOneClientCreateExactlyOnce) {
  auto c = make_client();
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    SCOPED_TRACE(r.name);
    const std::string who = person(r, "race");
    std::vector<Outcome> outcomes(8);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < outcomes.size(); ++t)
      threads.emplace_back([&, t] { outcomes[t] = r.ensure(c->get(), who, r.role_a, nullptr); });
    for (auto &t : threads) t.join();
    int created = 0, present = 0;
    for (const auto &o : outcomes) {
      ASSERT_EQ(o.status, IK_STATUS_OK) << o.error;
      created += o.outcome == IK_ENSURE_CREATED;
      present += o.outcome == IK_ENSURE_PRESENT;
      EXPECT_EQ(o.id, outcomes[0].id);
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(present, 7);
    EXPECT_EQ(r.count(c->get(), who), 1u);
  }
}

TEST_F(EnsureTest, InvalidInputIsRejectedBeforeAnythingIsSent) {
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_openai_invite *inv = nullptr;
  int32_t outcome = 42;
  Err err;
  EXPECT_EQ(ik_openai_invite_ensure(c->get(), nullptr, nullptr, &inv, &outcome, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(outcome, 0);
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "x@example.com";
  p.role = "admin";  // not a role of the API
  EXPECT_EQ(ik_openai_invite_ensure(c->get(), &p, nullptr, &inv, &outcome, err.out()), IK_STATUS_INVALID_ARGUMENT);
  ik_twilio_user_params up = IK_TWILIO_USER_PARAMS_INIT;  // no identity
  ik_twilio_user *u = nullptr;
  EXPECT_EQ(ik_twilio_user_ensure(c->get(), kService, &up, nullptr, &u, &outcome, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  ik_twilio_invite *ti = nullptr;
  EXPECT_EQ(
      ik_twilio_invite_ensure(c->get(), "not-a-service", kChannel, "a", nullptr, nullptr, &ti, nullptr, err.out()),
      IK_STATUS_INVALID_ARGUMENT);
  ik_fastly_invitation *fi = nullptr;
  EXPECT_EQ(ik_fastly_invitation_ensure(nullptr, nullptr, nullptr, &fi, nullptr, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_TRUE(requests().empty()) << "nothing may be sent for invalid input";
}

TEST(EnsureOutcome, Names) {
  EXPECT_STREQ(ik_ensure_outcome_name(IK_ENSURE_PRESENT), "present");
  EXPECT_STREQ(ik_ensure_outcome_name(IK_ENSURE_PRESENT_DIFFERENT), "present_different");
  EXPECT_STREQ(ik_ensure_outcome_name(IK_ENSURE_CREATED), "created");
  EXPECT_STREQ(ik_ensure_outcome_name(IK_ENSURE_RECOVERED), "recovered");
  EXPECT_STREQ(ik_ensure_outcome_name(0), "unknown");
  EXPECT_STREQ(ik_ensure_outcome_name(-7), "unknown");
}
