// tests/ensure: exactly-once creates (ik_<resource>_ensure) against
// invitekit-emulator, for the four resources: absent -> created, present ->
// present (or present_different), a create whose answer is lost
// (reset-mid-body: the server created the object) -> recovered with exactly one
// object, a 429 storm, and 8 threads ensuring the same person on one client.
// Every scenario runs through both drivers: the blocking ik_<resource>_ensure
// and the non-blocking ik_<resource>_ensure_start (async.h), plus the
// non-blocking path's own cases (parked calls cancelled, ik_client_free with
// parked calls, blocking and non-blocking ensures of one person mixed).
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
  // The non-blocking twin: starts (who may die right after) and hands out the
  // op; finish(op) waits for it, frees it and says what it gave.
  std::function<ik_status(const ik_client *, const std::string &who, const char *role, const ik_call_options *,
                          ik_op **, ik_error **)>
      start;
  std::function<Outcome(ik_op *)> finish;
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

void no_callback(ik_op *, void *) {}

// Waits for a non-blocking ensure and turns it into an Outcome (frees op).
template <class T>
Outcome finish_op(ik_op *op, ik_status (*take)(ik_op *, T **, ik_error **), const char *(*id_of)(const T *),
                  void (*free_obj)(T *)) {
  Err werr;
  EXPECT_EQ(ik_op_wait(op, 60000, werr.out()), IK_STATUS_OK) << werr.what();
  EXPECT_TRUE(ik_op_done(op));
  T *obj = nullptr;
  Err terr;
  EXPECT_EQ(take(op, &obj, terr.out()), IK_STATUS_OK) << terr.what();
  Outcome o = outcome_of(ik_op_status(op), obj, ik_op_ensure_outcome(op), ik_op_error(op), id_of, free_obj);
  ik_op_free(op);
  return o;
}

std::vector<Resource> resources() {
  std::vector<Resource> r;
  r.push_back(
      {"openai invite", "POST /v1/organization/invites",
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
       [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co, ik_op **op,
          ik_error **err) {
         ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
         p.email = who.c_str();
         p.role = role;
         return ik_openai_invite_ensure_start(c, &p, co, no_callback, nullptr, op, err);
       },
       [](ik_op *op) { return finish_op(op, ik_op_take_openai_invite, ik_openai_invite_id, ik_openai_invite_free); },
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
       [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co, ik_op **op,
          ik_error **err) {
         return ik_twilio_invite_ensure_start(c, kService, kChannel, who.c_str(), role, co, no_callback, nullptr, op,
                                              err);
       },
       [](ik_op *op) { return finish_op(op, ik_op_take_twilio_invite, ik_twilio_invite_sid, ik_twilio_invite_free); },
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
               [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co, ik_op **op,
                  ik_error **err) {
                 ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
                 p.identity = who.c_str();
                 p.role_sid = role;
                 return ik_twilio_user_ensure_start(c, kService, &p, co, no_callback, nullptr, op, err);
               },
               [](ik_op *op) { return finish_op(op, ik_op_take_twilio_user, ik_twilio_user_sid, ik_twilio_user_free); },
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
               [](const ik_client *c, const std::string &who, const char *role, const ik_call_options *co, ik_op **op,
                  ik_error **err) {
                 ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
                 p.email = who.c_str();
                 p.role = role;
                 return ik_fastly_invitation_ensure_start(c, &p, co, no_callback, nullptr, op, err);
               },
               [](ik_op *op) {
                 return finish_op(op, ik_op_take_fastly_invitation, ik_fastly_invitation_id, ik_fastly_invitation_free);
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

std::string person(const Resource &r, const std::string &tag) {
  // An email for OpenAI/Fastly, an identity (needing encoding) for Twilio.
  const std::string name = r.name;
  if (name.rfind("twilio", 0) == 0) return "ada|" + tag + "/x y";
  return "ada." + tag + "@example.com";
}

// The two drivers every scenario runs through.
enum class Mode { Blocking, NonBlocking };
const Mode kModes[] = {Mode::Blocking, Mode::NonBlocking};
const char *mode_name(Mode m) { return m == Mode::Blocking ? "blocking ensure" : "ensure_start"; }

Outcome call(const Resource &r, Mode m, const ik_client *c, const std::string &who, const char *role,
             const ik_call_options *co) {
  if (m == Mode::Blocking) return r.ensure(c, who, role, co);
  ik_op *op = nullptr;
  Err err;
  const ik_status st = r.start(c, std::string(who), role, co, &op, err.out());  // a copy that dies here
  if (st != IK_STATUS_OK) {
    Outcome o;
    o.status = st;
    o.error = err.what();
    return o;
  }
  EXPECT_NE(op, nullptr);
  return r.finish(op);
}

// A person per scenario and driver, so that each run starts from nothing.
std::string person(const Resource &r, const char *tag, Mode m) {
  return person(r, std::string(tag) + (m == Mode::Blocking ? "" : "-nb"));
}
}  // namespace

TEST_F(EnsureTest, CreatedThenPresentThenPresentDifferent) {
  seed(3);
  auto c = make_client();
  ASSERT_TRUE(c);
  for (const auto &r : resources())
    for (Mode m : kModes) {
      SCOPED_TRACE(std::string(r.name) + ", " + mode_name(m));
      const std::string who = person(r, "plain", m);
      const Outcome first = call(r, m, c->get(), who, r.role_a, nullptr);
      ASSERT_EQ(first.status, IK_STATUS_OK) << first.error;
      EXPECT_EQ(first.outcome, IK_ENSURE_CREATED);
      EXPECT_FALSE(first.id.empty());
      const Outcome again = call(r, m, c->get(), who, r.role_a, nullptr);
      ASSERT_EQ(again.status, IK_STATUS_OK) << again.error;
      EXPECT_EQ(again.outcome, IK_ENSURE_PRESENT);
      EXPECT_EQ(again.id, first.id);
      const Outcome other_role = call(r, m, c->get(), who, r.role_b, nullptr);
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
  for (const auto &r : resources())
    for (Mode m : kModes) {
      SCOPED_TRACE(std::string(r.name) + ", " + mode_name(m));
      const std::string who = person(r, "lost", m);
      add_fault(r.create_target + " count=1 reset-mid-body");
      const Outcome o = call(r, m, c->get(), who, r.role_a, nullptr);
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
  for (const auto &r : resources())
    for (Mode m : kModes) {
      SCOPED_TRACE(std::string(r.name) + ", " + mode_name(m));
      const std::string who = person(r, "storm", m);
      add_fault(r.create_target + " count=4 status=429 retry-after-ms=5");
      const Outcome o = call(r, m, c->get(), who, r.role_a, nullptr);
      ASSERT_EQ(o.status, IK_STATUS_OK) << o.error;
      EXPECT_EQ(o.outcome, IK_ENSURE_CREATED);
      EXPECT_EQ(r.count(c->get(), who), 1u);
      ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
    }
}

TEST_F(EnsureTest, RateLimitBeyondRetriesFailsCleanlyThenSucceeds) {
  auto c = make_client();  // 2 retries
  ASSERT_TRUE(c);
  for (const auto &r : resources())
    for (Mode m : kModes) {
      SCOPED_TRACE(std::string(r.name) + ", " + mode_name(m));
      const std::string who = person(r, "limited", m);
      add_fault(r.create_target + " count=3 status=429 retry-after-ms=5");
      const Outcome failed = call(r, m, c->get(), who, r.role_a, nullptr);
      EXPECT_EQ(failed.status, IK_STATUS_RATE_LIMITED) << failed.error;
      EXPECT_FALSE(failed.ambiguous) << "a 429 was not processed";
      EXPECT_EQ(r.count(c->get(), who), 0u);
      const Outcome ok = call(r, m, c->get(), who, r.role_a, nullptr);
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

// The same guarantee for non-blocking ensures: 8 started at once from one
// thread (7 of them park without a thread until the key passes), and 4
// blocking threads mixed with 4 non-blocking calls.
TEST_F(EnsureTest, EightNonBlockingAndMixedEnsuresCreateExactlyOnce) {
  auto c = make_client();
  ASSERT_TRUE(c);
  for (const auto &r : resources()) {
    for (const bool mixed : {false, true}) {
      SCOPED_TRACE(std::string(r.name) + (mixed ? ", 4 blocking + 4 ensure_start" : ", 8 ensure_start"));
      const std::string who = person(r, mixed ? "race-mixed" : "race-nb");
      std::vector<Outcome> outcomes(8);
      std::vector<ik_op *> ops;
      std::vector<std::thread> threads;
      for (size_t t = 0; t < outcomes.size(); ++t) {
        if (mixed && t % 2 == 0) {
          threads.emplace_back([&, t] { outcomes[t] = r.ensure(c->get(), who, r.role_a, nullptr); });
          continue;
        }
        ik_op *op = nullptr;
        Err err;
        ASSERT_EQ(r.start(c->get(), who, r.role_a, nullptr, &op, err.out()), IK_STATUS_OK) << err.what();
        ops.push_back(op);
      }
      size_t k = 0;
      for (size_t t = 0; t < outcomes.size(); ++t)
        if (!(mixed && t % 2 == 0)) outcomes[t] = r.finish(ops[k++]);
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
      EXPECT_EQ(ik_client_ops_in_flight(c->get()), 0);
    }
  }
}

// A parked ensure (another ensure of the same person holds the key) that is
// cancelled ends with IK_STATUS_CANCELLED having sent nothing, and the key
// still passes on: a third ensure started after it runs once the first ends.
TEST_F(EnsureTest, CancelledWhileParkedSendsNothingAndPassesTheKeyOn) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const auto rs = resources();
  const Resource &r = rs[0];  // OpenAI: lookup by listing, then create
  const std::string who = person(r, "parked");
  add_fault(r.create_target + " count=1 latency=300");  // the first holds the key >= 300 ms
  ik_op *first = nullptr, *parked = nullptr, *third = nullptr;
  Err err;
  ASSERT_EQ(r.start(c->get(), who, r.role_a, nullptr, &first, err.out()), IK_STATUS_OK) << err.what();
  ASSERT_EQ(r.start(c->get(), who, r.role_a, nullptr, &parked, err.out()), IK_STATUS_OK) << err.what();
  ik_op_cancel(parked);
  ASSERT_EQ(r.start(c->get(), who, r.role_b, nullptr, &third, err.out()), IK_STATUS_OK) << err.what();
  Err werr;
  ASSERT_EQ(ik_op_wait(parked, 60000, werr.out()), IK_STATUS_OK) << werr.what();
  EXPECT_EQ(ik_op_status(parked), IK_STATUS_CANCELLED);
  ASSERT_NE(ik_op_error(parked), nullptr);
  EXPECT_EQ(ik_error_cancelled_by(ik_op_error(parked)), IK_CANCELLED_BY_OPERATION);
  EXPECT_FALSE(ik_error_is_ambiguous(ik_op_error(parked))) << "nothing was sent";
  EXPECT_EQ(ik_op_ensure_outcome(parked), 0);
  EXPECT_STREQ(ik_op_operation(parked), "invites.ensure");
  EXPECT_EQ(ik_op_result_type(parked), IK_RESULT_OPENAI_INVITE);
  ik_op_free(parked);
  const Outcome a = r.finish(first);
  ASSERT_EQ(a.status, IK_STATUS_OK) << a.error;
  EXPECT_EQ(a.outcome, IK_ENSURE_CREATED);
  const Outcome b = r.finish(third);
  ASSERT_EQ(b.status, IK_STATUS_OK) << b.error;
  EXPECT_EQ(b.outcome, IK_ENSURE_PRESENT_DIFFERENT);
  EXPECT_EQ(b.id, a.id);
  // Two lookups (first, third) and one create: the cancelled call sent nothing.
  EXPECT_EQ(requests_to("GET", "/v1/organization/invites").size(), 2u);
  EXPECT_EQ(requests_to("POST", "/v1/organization/invites").size(), 1u);
}

// ik_client_free with one ensure running and two parked behind it: every
// callback runs before it returns (cancelled by the client's free), and the
// operations outlive the client (no reference cycle through the key queue:
// the sanitizer runs check for leaks).
TEST_F(EnsureTest, ClientFreeWithParkedEnsuresRunsEveryCallback) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const auto rs = resources();
  const Resource &r = rs[3];  // Fastly
  const std::string who = person(r, "freed");
  add_fault("GET /invitations latency=300");
  std::atomic<int> callbacks{0};
  auto count_cb = [](ik_op *, void *ud) { static_cast<std::atomic<int> *>(ud)->fetch_add(1); };
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = who.c_str();
  p.role = r.role_a;
  std::vector<ik_op *> ops(3, nullptr);
  for (auto &op : ops) {
    Err err;
    ASSERT_EQ(ik_fastly_invitation_ensure_start(c->get(), &p, nullptr, count_cb, &callbacks, &op, err.out()),
              IK_STATUS_OK)
        << err.what();
  }
  EXPECT_EQ(ik_client_ops_in_flight(c->get()), 3);
  c->client.reset();  // ik_client_free
  EXPECT_EQ(callbacks.load(), 3);
  for (ik_op *op : ops) {
    EXPECT_TRUE(ik_op_done(op));
    EXPECT_EQ(ik_op_status(op), IK_STATUS_CANCELLED);
    ASSERT_NE(ik_op_error(op), nullptr);
    EXPECT_EQ(ik_error_cancelled_by(ik_op_error(op)), IK_CANCELLED_BY_CLIENT_FREE);
    ik_op_free(op);
  }
}

TEST_F(EnsureTest, NonBlockingInvalidInputIsReturnedBeforeAnythingIsSent) {
  auto c = make_client();
  ASSERT_TRUE(c);
  int called = 0;
  auto cb = [](ik_op *, void *ud) { ++*static_cast<int *>(ud); };
  ik_op *op = reinterpret_cast<ik_op *>(0x1);
  Err err;
  EXPECT_EQ(ik_openai_invite_ensure_start(c->get(), nullptr, nullptr, cb, &called, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(op, nullptr);
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "x@example.com";
  p.role = "admin";  // not a role of the API
  EXPECT_EQ(ik_openai_invite_ensure_start(c->get(), &p, nullptr, cb, &called, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  p.role = "reader";
  EXPECT_EQ(ik_openai_invite_ensure_start(c->get(), &p, nullptr, nullptr, nullptr, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT)
      << "a callback is required";
  ik_twilio_user_params up = IK_TWILIO_USER_PARAMS_INIT;  // no identity
  EXPECT_EQ(ik_twilio_user_ensure_start(c->get(), kService, &up, nullptr, cb, &called, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_twilio_invite_ensure_start(c->get(), "not-a-service", kChannel, "a", nullptr, nullptr, cb, &called, &op,
                                          err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_fastly_invitation_ensure_start(nullptr, nullptr, nullptr, cb, &called, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(called, 0);
  EXPECT_EQ(ik_op_ensure_outcome(nullptr), 0);
  EXPECT_TRUE(requests().empty()) << "nothing may be sent for invalid input";
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
