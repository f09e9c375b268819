// tests/async: the non-blocking calls (include/invitekit/async.h) against
// invitekit-emulator: every operation and the pager's next page through
// ik_*_start; 1,000 operations in flight from one thread; the fault matrix;
// cancellation before send, during the transfer and during a backoff wait;
// ik_client_free with operations in flight (also from a callback); callbacks
// that start operations or call blocking functions; the queued completion
// mode with its descriptor. Also run under ASan and TSan (scripts/sanitizers.sh).
// Meson runs the binary twice: suite async in the default completion mode and
// async_relay with INVITEKIT_TEST_COMPLETIONS=relay, where every client the
// tests make without choosing a mode is an IK_COMPLETIONS_IO_THREAD_RELAY one
// (and the tests of slow and blocking callbacks at the end run).
#include <poll.h>

#include <cstdlib>
#include <cstring>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integ_util.hpp"

using namespace integ;

namespace {
struct AsyncTag {};

// The completion mode of this run (see the top of the file).
bool relay_run() {
  const char *m = std::getenv("INVITEKIT_TEST_COMPLETIONS");
  return m && std::strcmp(m, "relay") == 0;
}

struct AsyncTest : EmulatorTest<AsyncTag> {
  // The fixture's client in this run's completion mode; tweak may choose another.
  static std::unique_ptr<TestClient> make_client(const std::function<void(ik_client_options &)> &tweak = {}) {
    return EmulatorTest<AsyncTag>::make_client([&](ik_client_options &o) {
      o.completion_mode = relay_run() ? IK_COMPLETIONS_IO_THREAD_RELAY : IK_COMPLETIONS_IO_THREAD;
      if (tweak) tweak(o);
    });
  }
};

using OpPtr = std::unique_ptr<ik_op, FreeWith<ik_op, ik_op_free>>;

// Counts callbacks and lets a test wait (bounded) for a number of them.
struct Completions {
  std::mutex m;
  std::condition_variable cv;
  int calls = 0;
  std::map<const ik_op *, int> per_op;  // how often each op's callback ran (only while handles are held)
  std::vector<ik_status> statuses;
  std::vector<int32_t> cancelled_by;
  std::set<std::thread::id> threads;

  static void cb(ik_op *op, void *ud) {
    auto *self = static_cast<Completions *>(ud);
    const ik_error *e = ik_op_error(op);
    std::lock_guard<std::mutex> lk(self->m);
    ++self->calls;
    ++self->per_op[op];
    self->statuses.push_back(ik_op_status(op));
    self->cancelled_by.push_back(e ? ik_error_cancelled_by(e) : IK_CANCELLED_BY_NONE);
    self->threads.insert(std::this_thread::get_id());
    self->cv.notify_all();
  }
  bool wait_for(int n, int64_t ms = 30000) {
    std::unique_lock<std::mutex> lk(m);
    return cv.wait_for(lk, std::chrono::milliseconds(ms), [&] { return calls >= n; });
  }
  int count() {
    std::lock_guard<std::mutex> lk(m);
    return calls;
  }
};

// Waits for op (bounded) and returns its status.
ik_status wait_status(ik_op *op, int64_t ms = 20000) {
  Err err;
  const ik_status st = ik_op_wait(op, ms, err.out());
  EXPECT_EQ(st, IK_STATUS_OK) << err.what();
  EXPECT_EQ(ik_op_done(op), 1);
  return ik_op_status(op);
}

std::string op_error(const ik_op *op) { return describe(ik_op_error(op)); }

// The status of a blocking list call (what a callback gets when it makes one).
ik_status blocking_list_status(const ik_client *c) {
  ik_page *page = nullptr;
  ik_error *e = nullptr;
  const ik_status st = ik_openai_invite_list(c, nullptr, nullptr, &page, &e);
  ik_page_free(page);
  ik_error_free(e);
  return st;
}

ik_openai_invite_create_params invite_params(const std::string &email) {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = email.c_str();
  p.role = "reader";
  return p;
}

// An async OpenAI create with a handle; fails the test if not accepted.
OpPtr start_create(const ik_client *c, const std::string &email, Completions &done,
                   const ik_call_options *co = nullptr) {
  auto p = invite_params(email);
  ik_op *op = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_create_start(c, &p, co, &Completions::cb, &done, &op, err.out()), IK_STATUS_OK)
      << err.what();
  return OpPtr(op);
}

// An async OpenAI list with a handle; fails the test if not accepted.
OpPtr start_list(const ik_client *c, ik_op_cb cb, void *ud, const ik_list_options *lo = nullptr) {
  ik_op *op = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_list_start(c, lo, nullptr, cb, ud, &op, err.out()), IK_STATUS_OK) << err.what();
  return OpPtr(op);
}
}  // namespace

// ---- every operation ----

TEST_F(AsyncTest, EveryOperationAndTheNextPageCompleteWithTheBlockingResults) {
  auto tc = make_client([](ik_client_options &o) { o.max_connections = 8; });
  ASSERT_TRUE(tc);
  const ik_client *c = tc->get();
  Completions done;
  int expected_calls = 0;

  // OpenAI: create, retrieve, list, delete.
  OpPtr create = start_create(c, "async-one@example.com", done);
  ++expected_calls;
  ASSERT_EQ(wait_status(create.get()), IK_STATUS_OK) << op_error(create.get());
  EXPECT_EQ(ik_op_result_type(create.get()), IK_RESULT_OPENAI_INVITE);
  EXPECT_EQ(ik_op_provider(create.get()), IK_PROVIDER_OPENAI);
  EXPECT_STREQ(ik_op_operation(create.get()), "invites.create");
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_op_take_openai_invite(create.get(), &inv, err.out()), IK_STATUS_OK);
  ASSERT_NE(inv, nullptr);
  InvitePtr invite(inv);
  EXPECT_STREQ(ik_openai_invite_email(inv), "async-one@example.com");
  const std::string id = ik_openai_invite_id(inv);
  // Taken once: a second take gives NULL.
  ASSERT_EQ(ik_op_take_openai_invite(create.get(), &inv, err.out()), IK_STATUS_OK);
  EXPECT_EQ(inv, nullptr);
  // Wrong type: an error, not a crash.
  ik_page *wrong = nullptr;
  EXPECT_EQ(ik_op_take_page(create.get(), &wrong, err.out()), IK_STATUS_INVALID_ARGUMENT);

  ik_op *op = nullptr;
  ASSERT_EQ(ik_openai_invite_retrieve_start(c, id.c_str(), nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr retrieve(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_op_take_openai_invite(op, &inv, err.out()), IK_STATUS_OK);
  InvitePtr fetched(inv);
  EXPECT_EQ(std::string(ik_openai_invite_id(inv)), id);

  ASSERT_EQ(ik_openai_invite_list_start(c, nullptr, nullptr, &Completions::cb, &done, &op, err.out()), IK_STATUS_OK);
  ++expected_calls;
  OpPtr list(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_page *page = nullptr;
  ASSERT_EQ(ik_op_take_page(op, &page, err.out()), IK_STATUS_OK);
  PagePtr owned_page(page);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(ik_page_count(page), 1u);

  ASSERT_EQ(ik_openai_invite_delete_start(c, id.c_str(), nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr del(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_deletion *d = nullptr;
  ASSERT_EQ(ik_op_take_deletion(op, &d, err.out()), IK_STATUS_OK);
  DeletionPtr deletion(d);
  EXPECT_EQ(ik_deletion_deleted(d), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_kind(d), IK_KIND_OPENAI_INVITE);

  // Twilio v1 invites: create, fetch, list, delete.
  ASSERT_EQ(ik_twilio_invite_create_start(c, kService, kChannel, "async-ann", nullptr, nullptr, &Completions::cb, &done,
                                          &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr tcreate(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_twilio_invite *ti = nullptr;
  ASSERT_EQ(ik_op_take_twilio_invite(op, &ti, err.out()), IK_STATUS_OK);
  TwilioInvitePtr tinvite(ti);
  const std::string tsid = ik_twilio_invite_sid(ti);
  ASSERT_EQ(ik_twilio_invite_fetch_start(c, kService, kChannel, tsid.c_str(), nullptr, &Completions::cb, &done, &op,
                                         err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr tfetch(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_op_take_twilio_invite(op, &ti, err.out()), IK_STATUS_OK);
  TwilioInvitePtr tfetched(ti);
  EXPECT_STREQ(ik_twilio_invite_identity(ti), "async-ann");
  const char *who[] = {"async-ann"};
  ASSERT_EQ(ik_twilio_invite_list_start(c, kService, kChannel, who, 1, nullptr, nullptr, &Completions::cb, &done, &op,
                                        err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr tlist(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_op_take_page(op, &page, err.out()), IK_STATUS_OK);
  PagePtr tpage(page);
  EXPECT_EQ(ik_page_count(page), 1u);
  ASSERT_EQ(ik_twilio_invite_delete_start(c, kService, kChannel, tsid.c_str(), nullptr, &Completions::cb, &done, &op,
                                          err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr tdel(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_op_take_deletion(op, &d, err.out()), IK_STATUS_OK);
  DeletionPtr tdeletion(d);
  EXPECT_EQ(std::string(ik_deletion_id(d)), tsid);

  // Twilio v2 users: create, fetch, update, list, delete.
  ik_twilio_user_params up = IK_TWILIO_USER_PARAMS_INIT;
  up.identity = "async-bob";
  ASSERT_EQ(ik_twilio_user_create_start(c, kService, &up, nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr ucreate(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_twilio_user *u = nullptr;
  ASSERT_EQ(ik_op_take_twilio_user(op, &u, err.out()), IK_STATUS_OK);
  TwilioUserPtr user(u);
  ASSERT_EQ(ik_twilio_user_fetch_start(c, kService, "async-bob", nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr ufetch(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_twilio_user_params upd = IK_TWILIO_USER_PARAMS_INIT;
  upd.friendly_name = "Bob";
  ASSERT_EQ(
      ik_twilio_user_update_start(c, kService, "async-bob", &upd, nullptr, &Completions::cb, &done, &op, err.out()),
      IK_STATUS_OK);
  ++expected_calls;
  OpPtr uupdate(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_op_take_twilio_user(op, &u, err.out()), IK_STATUS_OK);
  TwilioUserPtr updated(u);
  EXPECT_STREQ(ik_twilio_user_friendly_name(u), "Bob");
  ASSERT_EQ(ik_twilio_user_list_start(c, kService, nullptr, nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr ulist(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_twilio_user_delete_start(c, kService, "async-bob", nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr udel(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);

  // Fastly: create, list, delete.
  ik_fastly_invitation_create_params fp = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  fp.email = "async-fastly@example.com";
  fp.role = "engineer";
  ASSERT_EQ(ik_fastly_invitation_create_start(c, &fp, nullptr, &Completions::cb, &done, &op, err.out()), IK_STATUS_OK);
  ++expected_calls;
  OpPtr fcreate(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_fastly_invitation *fi = nullptr;
  ASSERT_EQ(ik_op_take_fastly_invitation(op, &fi, err.out()), IK_STATUS_OK);
  FastlyPtr finv(fi);
  const std::string fid = ik_fastly_invitation_id(fi);
  ASSERT_EQ(ik_fastly_invitation_list_start(c, nullptr, nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr flist(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ASSERT_EQ(ik_fastly_invitation_delete_start(c, fid.c_str(), nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  ++expected_calls;
  OpPtr fdel(op);
  ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);

  ASSERT_TRUE(done.wait_for(expected_calls));
  EXPECT_EQ(done.count(), expected_calls);
  for (const auto &e : done.per_op) EXPECT_EQ(e.second, 1) << "each callback runs exactly once";
  if (relay_run())  // a callback descheduled for a tick moves the loop
    EXPECT_GE(done.threads.size(), 1u);
  else
    EXPECT_EQ(done.threads.size(), 1u) << "every callback ran on the client's one I/O thread";
  EXPECT_EQ(done.threads.count(std::this_thread::get_id()), 0u);
  EXPECT_EQ(ik_client_ops_in_flight(c), 0);
}

TEST_F(AsyncTest, InvalidArgumentsAreReportedAtStartAndNoCallbackRuns) {
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Completions done;
  Err err;
  ik_op *op = reinterpret_cast<ik_op *>(0x1);
  EXPECT_EQ(ik_openai_invite_retrieve_start(nullptr, "x", nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(ik_openai_invite_retrieve_start(tc->get(), "x", nullptr, nullptr, &done, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_openai_invite_retrieve_start(tc->get(), "bad\xff", nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_INVALID_UTF8);
  EXPECT_EQ(ik_openai_invite_create_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_twilio_invite_fetch_start(tc->get(), "not-a-sid", kChannel, "IN0", nullptr, &Completions::cb, &done, &op,
                                         err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  // NULL-safe accessors.
  EXPECT_EQ(ik_op_status(nullptr), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_op_done(nullptr), 0);
  EXPECT_EQ(ik_op_result_type(nullptr), IK_RESULT_NONE);
  EXPECT_EQ(ik_op_error(nullptr), nullptr);
  EXPECT_EQ(ik_op_wait(nullptr, 0, err.out()), IK_STATUS_INVALID_ARGUMENT);
  ik_op_cancel(nullptr);
  ik_op_free(nullptr);
  int32_t fd = 0;
  EXPECT_EQ(ik_client_completion_fd(tc->get(), &fd, err.out()), IK_STATUS_INVALID_ARGUMENT)
      << "the descriptor exists in the queued mode only";
  EXPECT_EQ(fd, -1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(done.count(), 0);
}

// ---- many in flight from one thread ----

TEST_F(AsyncTest, AThousandOperationsInFlightFromOneThread) {
  add_fault("POST /v1/organization/invites latency=20");
  auto tc = make_client([](ik_client_options &o) { o.max_connections = 32; });
  ASSERT_TRUE(tc);
  constexpr int kOps = 1000;
  struct Box {
    std::mutex m;
    std::condition_variable cv;
    int calls = 0;
    std::vector<std::string> emails;
    std::vector<std::string> errors;
  } box;
  auto cb = [](ik_op *op, void *ud) {
    auto *b = static_cast<Box *>(ud);
    ik_openai_invite *inv = nullptr;
    ik_op_take_openai_invite(op, &inv, nullptr);
    std::lock_guard<std::mutex> lk(b->m);
    if (inv) {
      b->emails.emplace_back(ik_openai_invite_email(inv));
      ik_openai_invite_free(inv);
    } else {
      b->errors.push_back(describe(ik_op_error(op)));
    }
    ++b->calls;
    b->cv.notify_all();
  };
  const auto t0 = Clock::now();
  std::vector<std::string> emails;
  for (int i = 0; i < kOps; ++i) emails.push_back("many-" + std::to_string(i) + "@example.com");
  for (int i = 0; i < kOps; ++i) {
    auto p = invite_params(emails[i]);
    Err err;
    ASSERT_EQ(ik_openai_invite_create_start(tc->get(), &p, nullptr, cb, &box, nullptr, err.out()), IK_STATUS_OK)
        << err.what();
  }
  const int64_t start_ms = ms_since(t0);
  EXPECT_GT(ik_client_ops_in_flight(tc->get()), 0);
  {
    std::unique_lock<std::mutex> lk(box.m);
    ASSERT_TRUE(box.cv.wait_for(lk, std::chrono::seconds(60), [&] { return box.calls == kOps; }))
        << box.calls << " of " << kOps << " completed";
  }
  EXPECT_TRUE(box.errors.empty()) << box.errors.front();
  std::set<std::string> got(box.emails.begin(), box.emails.end());
  EXPECT_EQ(got, std::set<std::string>(emails.begin(), emails.end()));
  EXPECT_EQ(count("openai_invites"), kOps);
  EXPECT_LE(ik_client_connections_opened(tc->get()), 32) << "the engine keeps to max_connections";
  // Starting never waited for the network: 1,000 starts took far less than
  // 1,000 x 20 ms of server latency (a loose bound, not a benchmark).
  EXPECT_LT(start_ms, 5000);
  for (int i = 0; i < 100 && ik_client_ops_in_flight(tc->get()) != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(ik_client_ops_in_flight(tc->get()), 0);
}

// ---- the fault matrix through the non-blocking path ----

struct FaultCase {
  const char *name;
  const char *fault;
  bool create;  // POST a create (else GET the list)
  ik_status want;
  int32_t want_attempts;  // 0 = not checked
  bool want_ambiguous;
};

TEST_F(AsyncTest, FaultMatrixGivesTheBlockingCallsOutcomes) {
  const FaultCase cases[] = {
      {"429 then Retry-After", "POST /v1/organization/invites count=1 status=429 retry-after=1", true, IK_STATUS_OK, 2,
       false},
      {"503 on a create (not processed)", "POST /v1/organization/invites count=1 status=503", true, IK_STATUS_OK, 2,
       false},
      {"500 on a list", "GET /v1/organization/invites count=1 status=500", false, IK_STATUS_OK, 2, false},
      {"500 on a create is ambiguous", "POST /v1/organization/invites count=1 status=500", true, IK_STATUS_SERVER_ERROR,
       1, true},
      {"reset on a list", "GET /v1/organization/invites count=1 reset", false, IK_STATUS_OK, 0, false},
      {"reset mid-body on a create", "POST /v1/organization/invites count=1 reset-mid-body", true, IK_STATUS_TRANSPORT,
       1, true},
      {"truncated list", "GET /v1/organization/invites count=1 truncate", false, IK_STATUS_OK, 2, false},
      {"malformed list", "GET /v1/organization/invites count=1 malformed", false, IK_STATUS_PARSE, 1, false},
      {"404", "GET /v1/organization/invites count=1 status=404", false, IK_STATUS_NOT_FOUND, 1, false},
      {"attempt timeout", "GET /v1/organization/invites latency=3000", false, IK_STATUS_TIMEOUT, 0, false},
  };
  int n = 0;
  for (const auto &fc : cases) {
    SCOPED_TRACE(fc.name);
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
    add_fault(fc.fault);
    auto tc = make_client([](ik_client_options &o) { o.attempt_timeout_ms = 400; });
    ASSERT_TRUE(tc);
    Completions done;
    ik_op *op = nullptr;
    Err err;
    ik_call_options co = call_opts(0, 1);
    if (fc.create) {
      const std::string email = "matrix-" + std::to_string(n++) + "@example.com";
      auto p = invite_params(email);
      ASSERT_EQ(ik_openai_invite_create_start(tc->get(), &p, &co, &Completions::cb, &done, &op, err.out()),
                IK_STATUS_OK);
    } else {
      ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, &co, &Completions::cb, &done, &op, err.out()),
                IK_STATUS_OK);
    }
    OpPtr owned(op);
    const ik_status st = wait_status(op);
    EXPECT_EQ(st, fc.want) << op_error(op);
    if (st != IK_STATUS_OK) {
      const ik_error *e = ik_op_error(op);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(ik_error_status(e), st);
      EXPECT_EQ(ik_error_is_ambiguous(e) != 0, fc.want_ambiguous) << describe(e);
      if (fc.want_attempts) {
        EXPECT_EQ(ik_error_attempts(e), fc.want_attempts) << describe(e);
      }
      EXPECT_EQ(std::string(ik_error_message(e)).find("sk-admin"), std::string::npos) << "no secret in errors";
    } else if (fc.want_attempts) {
      const ik_response *r = nullptr;
      if (fc.create) {
        ik_openai_invite *inv = nullptr;
        ASSERT_EQ(ik_op_take_openai_invite(op, &inv, err.out()), IK_STATUS_OK);
        InvitePtr owned_inv(inv);
        r = ik_openai_invite_response(inv);
        EXPECT_EQ(ik_response_attempts(r), fc.want_attempts);
      } else {
        ik_page *page = nullptr;
        ASSERT_EQ(ik_op_take_page(op, &page, err.out()), IK_STATUS_OK);
        PagePtr owned_page(page);
        EXPECT_EQ(ik_response_attempts(ik_page_response(page)), fc.want_attempts);
      }
    }
    EXPECT_TRUE(done.wait_for(1));
  }
  // A reset mid-body on a create: the server created it, the client did not
  // send it again (no duplicate).
  EXPECT_EQ(requests_to("POST", "/v1/organization/invites").size(), 6u);
}

TEST_F(AsyncTest, DeadlineCoversRetriesAndBackoff) {
  add_fault("GET /v1/organization/invites status=503 retry-after=1");
  auto tc = make_client([](ik_client_options &o) { o.max_retries = 10; });
  ASSERT_TRUE(tc);
  Completions done;
  ik_op *op = nullptr;
  Err err;
  ik_call_options co = call_opts(0, 10, 1500);
  const auto t0 = Clock::now();
  ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, &co, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  OpPtr owned(op);
  const ik_status st = wait_status(op);
  EXPECT_TRUE(st == IK_STATUS_TIMEOUT || st == IK_STATUS_SERVER_ERROR) << op_error(op);
  EXPECT_LT(ms_since(t0), 5000);
}

// ---- cancellation ----

TEST_F(AsyncTest, CancelBeforeSendDuringTransferAndDuringBackoff) {
  auto tc = make_client([](ik_client_options &o) { o.max_retries = 5; });
  ASSERT_TRUE(tc);
  Err err;
  ik_cancel_token *raw_token = nullptr;
  ASSERT_EQ(ik_cancel_token_new(&raw_token, err.out()), IK_STATUS_OK);
  CancelPtr token(raw_token);

  {  // before send: the token is already cancelled
    SCOPED_TRACE("before send");
    ik_cancel_token_cancel(token.get());
    ik_call_options co = call_opts();
    co.cancel = token.get();
    Completions done;
    ik_op *op = nullptr;
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, &co, &Completions::cb, &done, &op, err.out()),
              IK_STATUS_OK);
    OpPtr owned(op);
    EXPECT_EQ(wait_status(op), IK_STATUS_CANCELLED);
    EXPECT_EQ(ik_error_cancelled_by(ik_op_error(op)), IK_CANCELLED_BY_TOKEN);
    EXPECT_EQ(ik_error_attempts(ik_op_error(op)), 0);
    ik_cancel_token_reset(token.get());
  }
  {  // during the transfer, by the token
    SCOPED_TRACE("during transfer (token)");
    add_fault("GET /v1/organization/invites latency=3000");
    ik_call_options co = call_opts();
    co.cancel = token.get();
    Completions done;
    ik_op *op = nullptr;
    const auto t0 = Clock::now();
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, &co, &Completions::cb, &done, &op, err.out()),
              IK_STATUS_OK);
    OpPtr owned(op);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ik_cancel_token_cancel(token.get());
    EXPECT_EQ(wait_status(op), IK_STATUS_CANCELLED) << op_error(op);
    EXPECT_EQ(ik_error_cancelled_by(ik_op_error(op)), IK_CANCELLED_BY_TOKEN);
    EXPECT_LT(ms_since(t0), 2000) << "the transfer was aborted, not waited out";
    ik_cancel_token_reset(token.get());
  }
  {  // during the transfer, by the handle; a create that was sent is ambiguous
    SCOPED_TRACE("during transfer (handle)");
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
    add_fault("POST /v1/organization/invites latency=3000");
    Completions done;
    OpPtr op = start_create(tc->get(), "cancel-me@example.com", done);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ik_op_cancel(op.get());
    EXPECT_EQ(wait_status(op.get()), IK_STATUS_CANCELLED) << op_error(op.get());
    EXPECT_EQ(ik_error_cancelled_by(ik_op_error(op.get())), IK_CANCELLED_BY_OPERATION);
    EXPECT_EQ(ik_error_is_ambiguous(ik_op_error(op.get())), 1) << "the create reached the server";
    ik_op_cancel(op.get());  // after completion: no effect
    EXPECT_EQ(done.count(), 1);
  }
  {  // during a backoff wait
    SCOPED_TRACE("during backoff");
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
    add_fault("GET /v1/organization/invites status=429 retry-after=5");
    Completions done;
    ik_op *op = nullptr;
    ik_call_options co = call_opts(0, 5);
    const auto t0 = Clock::now();
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, &co, &Completions::cb, &done, &op, err.out()),
              IK_STATUS_OK);
    OpPtr owned(op);
    for (int i = 0; i < 200 && tc->retries.snapshot().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_FALSE(tc->retries.snapshot().empty()) << "the first 429 was answered and a retry scheduled";
    ik_op_cancel(op);
    EXPECT_EQ(wait_status(op), IK_STATUS_CANCELLED) << op_error(op);
    EXPECT_NE(std::string(ik_error_message(ik_op_error(op))).find("backoff"), std::string::npos) << op_error(op);
    EXPECT_LT(ms_since(t0), 3000) << "the 5 s wait was cut short";
  }
}

// ---- ik_client_free with operations in flight ----

TEST_F(AsyncTest, ClientFreeCancelsOperationsInFlightAndRunsEveryCallbackFirst) {
  add_fault("GET /v1/organization/invites latency=2000");
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Completions done;
  constexpr int kOps = 50;
  std::vector<OpPtr> ops;
  for (int i = 0; i < kOps; ++i) {
    ik_op *op = nullptr;
    Err err;
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, i % 2 ? &op : nullptr,
                                          err.out()),
              IK_STATUS_OK);
    if (op) ops.emplace_back(op);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t0 = Clock::now();
  tc->client.reset();  // ik_client_free
  EXPECT_LT(ms_since(t0), 1500) << "free cancels, it does not wait out the transfers";
  EXPECT_EQ(done.count(), kOps) << "every callback ran before ik_client_free returned";
  for (ik_status st : done.statuses) EXPECT_EQ(st, IK_STATUS_CANCELLED);
  for (int32_t by : done.cancelled_by) EXPECT_EQ(by, IK_CANCELLED_BY_CLIENT_FREE);
  for (auto &op : ops) {
    EXPECT_EQ(ik_op_done(op.get()), 1);
    EXPECT_EQ(ik_op_status(op.get()), IK_STATUS_CANCELLED);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(done.count(), kOps) << "no callback after ik_client_free returned";
}

namespace {
struct FreeFromCallback {
  ik_client *client = nullptr;
  Completions *others = nullptr;
  std::atomic<int> others_at_free{-1};  // written on the I/O thread, read by the test
  std::atomic<int> calls{0};
  static void cb(ik_op *, void *ud) {
    auto *self = static_cast<FreeFromCallback *>(ud);
    if (self->calls.fetch_add(1) == 0) {
      ik_client_free(self->client);  // on the client's own I/O thread
      self->others_at_free = self->others->count();
    }
  }
};
}  // namespace

TEST_F(AsyncTest, ClientFreeFromItsOwnCallbackRunsTheRestBeforeReturning) {
  add_fault("GET /v1/organization/invite? latency=3000");  // the list only, not retrieve
  auto tc = make_client();
  ASSERT_TRUE(tc);
  FreeFromCallback ff;
  Completions others;
  ff.client = tc->client.release();
  ff.others = &others;
  Err err;
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(ik_openai_invite_list_start(ff.client, nullptr, nullptr, &Completions::cb, &others, nullptr, err.out()),
              IK_STATUS_OK);
  ASSERT_EQ(
      ik_openai_invite_retrieve_start(ff.client, "missing", nullptr, &FreeFromCallback::cb, &ff, nullptr, err.out()),
      IK_STATUS_OK);
  for (int i = 0; i < 500 && ff.calls.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(ff.calls.load(), 1);
  for (int i = 0; i < 100 && ff.others_at_free.load() < 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(ff.others_at_free.load(), 10) << "the other callbacks ran inside ik_client_free";
  for (int32_t by : others.cancelled_by) EXPECT_EQ(by, IK_CANCELLED_BY_CLIENT_FREE);
}

// ---- what callbacks may do ----

namespace {
struct Chain {
  const ik_client *client = nullptr;
  ik_list_options lo = IK_LIST_OPTIONS_INIT;  // page_size 7 tags this test's requests
  std::atomic<int> remaining{5};
  std::atomic<int> completed{0};
  std::atomic<ik_status> blocking_status{IK_STATUS_OK};
  std::atomic<ik_status> wait_status{IK_STATUS_OK};
  std::mutex m;
  std::condition_variable cv;
  static void cb(ik_op *op, void *ud) {
    auto *self = static_cast<Chain *>(ud);
    if (self->completed.load() == 0) {
      // A blocking call here would stall the loop: an error instead (the
      // relay mode allows it).
      self->blocking_status = blocking_list_status(self->client);
      ik_error *e = nullptr;
      self->wait_status = ik_op_wait(op, 1000, &e);
      ik_error_free(e);
    }
    self->completed.fetch_add(1);
    if (self->remaining.fetch_sub(1) > 1) {
      // Start the next operation from the callback.
      ik_openai_invite_list_start(self->client, &self->lo, nullptr, &Chain::cb, self, nullptr, nullptr);
    }
    std::lock_guard<std::mutex> lk(self->m);
    self->cv.notify_all();
  }
};
}  // namespace

TEST_F(AsyncTest, CallbacksMayStartOperationsAndBlockingCallsThereFailInsteadOfDeadlocking) {
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Chain chain;
  chain.client = tc->get();
  chain.lo.page_size = 7;
  OpPtr first = start_list(tc->get(), &Chain::cb, &chain, &chain.lo);
  ASSERT_TRUE(first);
  {
    std::unique_lock<std::mutex> lk(chain.m);
    ASSERT_TRUE(chain.cv.wait_for(lk, std::chrono::seconds(20), [&] { return chain.completed.load() == 5; }));
  }
  // The relay mode allows the blocking call (the loop moves on meanwhile);
  // waiting for the callback's own operation would wait for itself in any mode.
  EXPECT_EQ(chain.blocking_status.load(), relay_run() ? IK_STATUS_OK : IK_STATUS_WOULD_BLOCK);
  EXPECT_EQ(chain.wait_status.load(), IK_STATUS_WOULD_BLOCK);
  EXPECT_EQ(requests_to("GET", "/v1/organization/invites?limit=7").size(), 5u);
  // Outside the I/O thread, blocking calls work as ever.
  Err err;
  ik_page *page = nullptr;
  ASSERT_EQ(ik_openai_invite_list(tc->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  ik_page_free(page);
}

// ---- pagers ----

TEST_F(AsyncTest, PagerNextPageStartWalksEveryPageAndKeepsThePagerBusyMeanwhile) {
  seed(250);
  auto tc = make_client();
  ASSERT_TRUE(tc);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 40;
  ik_pager *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(tc->get(), &lo, &raw, err.out()), IK_STATUS_OK);
  PagerPtr pager(raw);
  size_t items = 0;
  int pages = 0;
  for (int i = 0; i < 20; ++i) {
    Completions done;
    ik_op *op = nullptr;
    ASSERT_EQ(ik_pager_next_page_start(pager.get(), nullptr, &Completions::cb, &done, &op, err.out()), IK_STATUS_OK)
        << err.what();
    OpPtr owned(op);
    if (!ik_op_done(op)) {
      // Busy until the callback: other pager calls are refused, not raced.
      ik_page *p = nullptr;
      const ik_status st = ik_pager_next_page(pager.get(), nullptr, &p, err.out());
      EXPECT_TRUE(st == IK_STATUS_INVALID_ARGUMENT || (st == IK_STATUS_OK && ik_op_done(op))) << err.what();
      if (p) ik_page_free(p);
    }
    ASSERT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
    ik_page *page = nullptr;
    ASSERT_EQ(ik_op_take_page(op, &page, err.out()), IK_STATUS_OK);
    if (!page) break;
    PagePtr owned_page(page);
    items += ik_page_count(page);
    ++pages;
  }
  EXPECT_EQ(items, 250u);
  EXPECT_EQ(pages, 7);
  EXPECT_EQ(ik_pager_done(pager.get()), 1);
}

TEST_F(AsyncTest, PagerFreedWhileBusyIsFreedWhenItsOperationCompletes) {
  seed(10);
  add_fault("GET /v1/organization/invites latency=300");
  auto tc = make_client();
  ASSERT_TRUE(tc);
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(tc->get(), nullptr, &pager, err.out()), IK_STATUS_OK);
  Completions done;
  ik_op *op = nullptr;
  ASSERT_EQ(ik_pager_next_page_start(pager, nullptr, &Completions::cb, &done, &op, err.out()), IK_STATUS_OK);
  OpPtr owned(op);
  ik_pager_free(pager);  // deferred: the engine frees it when the page arrives
  EXPECT_EQ(wait_status(op), IK_STATUS_OK) << op_error(op);
  ik_page *page = nullptr;
  ASSERT_EQ(ik_op_take_page(op, &page, err.out()), IK_STATUS_OK);
  PagePtr owned_page(page);
  EXPECT_EQ(ik_page_count(page), 10u) << "the page outlives its pager";
}

// ---- the queued completion mode ----

TEST_F(AsyncTest, QueuedModeRunsCallbacksOnTheDispatchingThreadWhenTheDescriptorFires) {
  auto tc = make_client([](ik_client_options &o) { o.completion_mode = IK_COMPLETIONS_QUEUED; });
  ASSERT_TRUE(tc);
  Err err;
  int32_t fd = -1;
  ASSERT_EQ(ik_client_completion_fd(tc->get(), &fd, err.out()), IK_STATUS_OK) << err.what();
  ASSERT_GE(fd, 0);
  Completions done;
  constexpr int kOps = 20;
  for (int i = 0; i < kOps; ++i) {
    const std::string email = "queued-" + std::to_string(i) + "@example.com";
    auto p = invite_params(email);
    ASSERT_EQ(ik_openai_invite_create_start(tc->get(), &p, nullptr, &Completions::cb, &done, nullptr, err.out()),
              IK_STATUS_OK);
  }
  int ran_total = 0;
  for (int i = 0; i < 500 && ran_total < kOps; ++i) {  // a host event loop, bounded
    pollfd pfd{fd, POLLIN, 0};
    const int n = ::poll(&pfd, 1, 100);
    if (n <= 0) continue;
    int32_t ran = 0;
    ASSERT_EQ(ik_client_dispatch(tc->get(), 0, &ran, err.out()), IK_STATUS_OK);
    ran_total += ran;
  }
  EXPECT_EQ(ran_total, kOps);
  EXPECT_EQ(done.count(), kOps);
  EXPECT_EQ(done.threads, std::set<std::thread::id>{std::this_thread::get_id()});
  for (ik_status st : done.statuses) EXPECT_EQ(st, IK_STATUS_OK);
  // Nothing left: the descriptor is not readable.
  pollfd pfd{fd, POLLIN, 0};
  EXPECT_EQ(::poll(&pfd, 1, 0), 0);
  // A blocking call from a queued callback's thread is fine (not the I/O thread).
  ik_op *op = nullptr;
  ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, &op, err.out()),
            IK_STATUS_OK);
  OpPtr owned(op);
  EXPECT_EQ(wait_status(op), IK_STATUS_OK) << "ik_op_wait dispatches in the queued mode";
}

TEST_F(AsyncTest, QueuedModeFreeRunsTheRemainingCallbacksOnTheFreeingThread) {
  add_fault("GET /v1/organization/invites latency=2000");
  auto tc = make_client([](ik_client_options &o) { o.completion_mode = IK_COMPLETIONS_QUEUED; });
  ASSERT_TRUE(tc);
  Completions done;
  Err err;
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, nullptr, err.out()),
              IK_STATUS_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  tc->client.reset();
  EXPECT_EQ(done.count(), 5);
  EXPECT_EQ(done.threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_F(AsyncTest, OperationsFromManyThreadsAndCancelsFromOthers) {
  add_fault("GET /v1/organization/invites latency=30");
  auto tc = make_client([](ik_client_options &o) { o.max_connections = 16; });
  ASSERT_TRUE(tc);
  Completions done;
  constexpr int kThreads = 4, kPer = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        ik_op *op = nullptr;
        if (ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, &op, nullptr) !=
            IK_STATUS_OK)
          continue;
        if ((i + t) % 3 == 0) ik_op_cancel(op);
        ik_op_free(op);
      }
    });
  }
  for (auto &th : threads) th.join();
  ASSERT_TRUE(done.wait_for(kThreads * kPer));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(done.count(), kThreads * kPer) << "each callback ran exactly once";
  int ok = 0, cancelled = 0;
  for (ik_status st : done.statuses) (st == IK_STATUS_OK ? ok : cancelled)++;
  EXPECT_EQ(ok + cancelled, kThreads * kPer);
  EXPECT_GT(ok, 0);
}

// ---- the relay mode: slow and blocking callbacks ----

namespace {
struct RelayTag {};
// Clients in the relay mode; these tests run in the async_relay suite only.
struct AsyncRelay : EmulatorTest<RelayTag> {
  static std::unique_ptr<TestClient> make_client(const std::function<void(ik_client_options &)> &tweak = {}) {
    return EmulatorTest<RelayTag>::make_client([&](ik_client_options &o) {
      o.completion_mode = IK_COMPLETIONS_IO_THREAD_RELAY;
      if (tweak) tweak(o);
    });
  }
  void SetUp() override {
    if (!relay_run()) GTEST_SKIP() << "relay-mode tests run in suite async_relay";
    EmulatorTest<RelayTag>::SetUp();
  }
};

// A callback that blocks until released (at most hold_ms), recording its thread.
struct Blocker {
  std::mutex m;
  std::condition_variable cv;
  bool started = false, release = false, finished = false;
  std::thread::id thread;
  int64_t hold_ms = 5000;
  std::function<void()> inside;  // runs after the hold, still in the callback
  static void cb(ik_op *, void *ud) {
    auto *self = static_cast<Blocker *>(ud);
    std::unique_lock<std::mutex> lk(self->m);
    self->started = true;
    self->thread = std::this_thread::get_id();
    self->cv.notify_all();
    self->cv.wait_for(lk, std::chrono::milliseconds(self->hold_ms), [&] { return self->release; });
    lk.unlock();
    if (self->inside) self->inside();
    lk.lock();
    self->finished = true;
    self->cv.notify_all();
  }
  bool wait_started() {
    std::unique_lock<std::mutex> lk(m);
    return cv.wait_for(lk, std::chrono::seconds(20), [&] { return started; });
  }
  void let_go() {
    std::lock_guard<std::mutex> lk(m);
    release = true;
    cv.notify_all();
  }
  bool wait_finished() {
    std::unique_lock<std::mutex> lk(m);
    return cv.wait_for(lk, std::chrono::seconds(20), [&] { return finished; });
  }
};
}  // namespace

TEST_F(AsyncRelay, ASlowCallbackHoldsBackTheOthersOnlyUntilTheLoopMoves) {
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Err err;
  // Three rounds on one client: each needs a relay, and the later relays join
  // the threads the earlier ones left (a wrong join there would stall the
  // watchdog, and the next round's others would wait for its slow callback).
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Blocker slow;
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Blocker::cb, &slow, nullptr, err.out()),
              IK_STATUS_OK);
    ASSERT_TRUE(slow.wait_started());
    Completions done;
    constexpr int kOps = 20;
    for (int i = 0; i < kOps; ++i)
      ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &done, nullptr, err.out()),
                IK_STATUS_OK);
    // The slow callback holds on for up to 5 s; the others complete meanwhile.
    EXPECT_TRUE(done.wait_for(kOps, 4000)) << "the loop moved on while a callback blocked";
    {
      std::lock_guard<std::mutex> lk(slow.m);
      EXPECT_FALSE(slow.finished);
    }
    slow.let_go();
    ASSERT_TRUE(slow.wait_finished());
    EXPECT_EQ(done.threads.count(slow.thread), 0u) << "the others ran on the thread the loop moved to";
    for (ik_status st : done.statuses) EXPECT_EQ(st, IK_STATUS_OK);
    for (int i = 0; i < 200 && ik_client_ops_in_flight(tc->get()) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(ik_client_ops_in_flight(tc->get()), 0);
  }
  // The client goes on working after the relays (and the left threads' ends).
  EXPECT_EQ(blocking_list_status(tc->get()), IK_STATUS_OK);
  Completions after;
  ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &after, nullptr, err.out()),
            IK_STATUS_OK);
  EXPECT_TRUE(after.wait_for(1));
}

namespace {
// Waits, in its callback, for another operation of its client, and makes a
// blocking call there: the sync-over-async of a host's continuation.
struct Nested {
  const ik_client *client = nullptr;
  std::atomic<ik_status> start_status{IK_STATUS_INTERNAL}, wait_status{IK_STATUS_INTERNAL},
      inner_status{IK_STATUS_INTERNAL}, blocking_status{IK_STATUS_INTERNAL};
  std::atomic<bool> finished{false};
  Completions inner;
  static void cb(ik_op *, void *ud) {
    auto *self = static_cast<Nested *>(ud);
    ik_op *op = nullptr;
    ik_error *e = nullptr;
    self->start_status =
        ik_openai_invite_retrieve_start(self->client, "missing", nullptr, &Completions::cb, &self->inner, &op, &e);
    ik_error_free(e);
    e = nullptr;
    if (op) {
      self->wait_status = ik_op_wait(op, 20000, &e);
      ik_error_free(e);
      self->inner_status = ik_op_status(op);
      ik_op_free(op);
    }
    self->blocking_status = blocking_list_status(self->client);
    self->finished = true;
  }
};
}  // namespace

TEST_F(AsyncRelay, ACallbackMayWaitForAnotherOperationOfItsClientAndMakeBlockingCalls) {
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Nested nested;
  nested.client = tc->get();
  OpPtr outer = start_list(tc->get(), &Nested::cb, &nested);
  ASSERT_TRUE(outer);
  EXPECT_EQ(wait_status(outer.get(), 30000), IK_STATUS_OK);
  EXPECT_TRUE(nested.finished.load());
  EXPECT_EQ(nested.start_status.load(), IK_STATUS_OK);
  EXPECT_EQ(nested.wait_status.load(), IK_STATUS_OK) << "no deadlock: the loop moved to another thread";
  EXPECT_EQ(nested.inner_status.load(), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(nested.blocking_status.load(), IK_STATUS_OK);
  EXPECT_EQ(nested.inner.count(), 1);
}

TEST_F(AsyncRelay, ClientFreeWaitsForACallbackTheLoopLeftAndRunsEveryOtherCallback) {
  add_fault("GET /v1/organization/invite? latency=3000");  // the list only
  auto tc = make_client();
  ASSERT_TRUE(tc);
  Blocker slow;
  slow.hold_ms = 300;  // then it returns by itself
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve_start(tc->get(), "missing", nullptr, &Blocker::cb, &slow, nullptr, err.out()),
            IK_STATUS_OK);
  ASSERT_TRUE(slow.wait_started());
  Completions others;
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(ik_openai_invite_list_start(tc->get(), nullptr, nullptr, &Completions::cb, &others, nullptr, err.out()),
              IK_STATUS_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the loop has moved by now (5 to 10 ms)
  tc->client.reset();                                          // ik_client_free
  {
    std::lock_guard<std::mutex> lk(slow.m);
    EXPECT_TRUE(slow.finished) << "ik_client_free returned while a callback still ran";
  }
  EXPECT_EQ(others.count(), 10);
  for (int32_t by : others.cancelled_by) EXPECT_EQ(by, IK_CANCELLED_BY_CLIENT_FREE);
}

TEST_F(AsyncRelay, ClientFreeFromACallbackTheLoopLeftRunsTheRestBeforeReturning) {
  add_fault("GET /v1/organization/invite? latency=3000");  // the list only
  auto tc = make_client();
  ASSERT_TRUE(tc);
  ik_client *client = tc->client.release();
  Completions others;
  std::atomic<int> others_at_free{-1};
  Blocker slow;
  slow.hold_ms = 100;  // the loop moves on meanwhile; then the callback frees the client
  slow.inside = [&] {
    ik_client_free(client);
    others_at_free = others.count();
  };
  Err err;
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(ik_openai_invite_list_start(client, nullptr, nullptr, &Completions::cb, &others, nullptr, err.out()),
              IK_STATUS_OK);
  ASSERT_EQ(ik_openai_invite_retrieve_start(client, "missing", nullptr, &Blocker::cb, &slow, nullptr, err.out()),
            IK_STATUS_OK);
  ASSERT_TRUE(slow.wait_finished());
  EXPECT_EQ(others_at_free.load(), 10) << "the other callbacks ran before ik_client_free returned";
  for (int32_t by : others.cancelled_by) EXPECT_EQ(by, IK_CANCELLED_BY_CLIENT_FREE);
}

namespace {
// Starts a request from its callback, then waits there (up to 2 s) until the
// emulator's request log shows it: the request was written while the
// callback still ran.
struct StartsFromCallback {
  const ik_client *client = nullptr;
  std::string id;
  std::atomic<ik_status> start_status{IK_STATUS_INTERNAL};
  std::atomic<bool> seen{false};
  std::thread::id thread;
  Completions inner;
  std::function<bool(const std::string &)> logged;  // the emulator has a GET of this path
  static void cb(ik_op *, void *ud) {
    auto *self = static_cast<StartsFromCallback *>(ud);
    self->thread = std::this_thread::get_id();
    ik_error *e = nullptr;
    self->start_status = ik_openai_invite_retrieve_start(self->client, self->id.c_str(), nullptr, &Completions::cb,
                                                         &self->inner, nullptr, &e);
    ik_error_free(e);
    const auto t0 = Clock::now();
    while (!self->seen && ms_since(t0) < 2000) {
      if (self->logged("/v1/organization/invites/" + self->id)) self->seen = true;
    }
  }
};
}  // namespace

TEST_F(AsyncRelay, ARequestStartedFromACallbackIsWrittenBeforeTheCallbackReturns) {
  // Otherwise it would wait for the return, or for the relay 5 to 10 ms later,
  // and its callback would then run on the thread the loop moved to. Here the
  // loop never moves: the callback ends as soon as the emulator has the
  // request, and the new operation's callback runs on the same thread. Up to
  // five tries, as a thread descheduled for 5 ms would see a relay anyway;
  // without the feature every try sees one.
  auto tc = make_client();
  ASSERT_TRUE(tc);
  bool same_thread = false;
  for (int attempt = 0; attempt < 5 && !same_thread; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    StartsFromCallback outer;
    outer.client = tc->get();
    outer.id = "from-callback-" + std::to_string(attempt);
    outer.logged = [](const std::string &path) { return !requests_to("GET", path).empty(); };
    OpPtr held = start_list(tc->get(), &StartsFromCallback::cb, &outer);
    ASSERT_TRUE(held);
    EXPECT_EQ(wait_status(held.get(), 30000), IK_STATUS_OK);
    ASSERT_TRUE(outer.inner.wait_for(1));
    EXPECT_EQ(outer.start_status.load(), IK_STATUS_OK);
    EXPECT_TRUE(outer.seen.load()) << "the request never reached the emulator while the callback ran";
    EXPECT_EQ(outer.inner.statuses.at(0), IK_STATUS_NOT_FOUND);
    same_thread = outer.inner.threads.count(outer.thread) == 1;
  }
  EXPECT_TRUE(same_thread) << "in every try, the request went out only after the loop had moved to another thread";
}
