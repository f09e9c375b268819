// tests/integration/integ_util.hpp - fixture and helpers of the integration
// suite: one invitekit-emulator per test fixture (tests/emulator's harness:
// --port 0 --quiet, URL from the first stdout line within 10 s, stopped by PID
// with SIGTERM, a bounded wait, then SIGKILL), its control endpoints, and
// invitekit clients pointed at it. The library is used through its public C
// ABI only; libcurl (via the harness) is used for the control endpoints only.
#ifndef IKTEST_INTEG_UTIL_HPP
#define IKTEST_INTEG_UTIL_HPP

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "ik_test.hpp"

namespace integ {

using namespace iktest;
using Clock = std::chrono::steady_clock;

// The emulator's default credentials (docs/EMULATOR.md "Command line").
inline const char *const kTwilioAccount = "AC00000000000000000000000000000000";
inline const char *const kTwilioToken = "emulator-twilio-token";
inline const char *const kOpenAIKey = "sk-admin-emulator";
inline const char *const kFastlyToken = "emulator-fastly-token";
// Seeded Twilio objects live in this service and channel.
inline const char *const kService = "IS00000000000000000000000000000000";
inline const char *const kChannel = "CH00000000000000000000000000000000";

inline int64_t ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// Every retry the engine announced through ik_retry_cb.
struct RetryLog {
  struct Entry {
    int32_t attempt;
    ik_status status;
    int32_t http_status;
    int64_t delay_ms;
    int32_t server_directed;
  };
  std::mutex mutex;
  std::vector<Entry> entries;

  static int32_t record(const ik_retry_info *info, void *user) {
    auto *self = static_cast<RetryLog *>(user);
    std::lock_guard lock(self->mutex);
    self->entries.push_back({info->attempt, info->status, info->http_status, info->delay_ms, info->server_directed});
    return 0;
  }
  std::vector<Entry> snapshot() {
    std::lock_guard lock(mutex);
    return entries;
  }
};

// A client of all three providers pointed at one emulator, with its retry
// log (declared first: it must outlive the client that calls into it).
struct TestClient {
  RetryLog retries;
  ClientPtr client;
  const ik_client *get() const { return client.get(); }
};

// Per-call options; 0 keeps the client's value.
inline ik_call_options call_opts(int64_t attempt_timeout_ms = 0, int32_t max_retries = 0, int64_t deadline_ms = 0) {
  ik_call_options o = IK_CALL_OPTIONS_INIT;
  o.attempt_timeout_ms = attempt_timeout_ms;
  o.max_retries = max_retries;
  o.deadline_ms = deadline_ms;
  return o;
}

// One entry of GET /__emulator/requests.
struct Logged {
  std::string method;
  std::string target;
  int64_t status = 0;
  bool faulted = false;
};

// The fixture: one emulator for all tests of a fixture class (Tag), reset
// between tests (faults removed, request log cleared, store emptied).
template <class Tag>
class EmulatorTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      emu_ = std::make_unique<emutest::Emulator>();
    } catch (const std::exception &e) {
      start_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    if (!emu_) return;
    const emutest::Exit e = emu_->stop(SIGTERM, std::chrono::seconds(10));
    emu_.reset();
    if (!e.exited || e.code != 0)
      ADD_FAILURE() << "emulator did not exit 0 on SIGTERM within 10 s (exited=" << e.exited << " code=" << e.code
                    << " signal=" << e.signal << ")";
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(emu_) << "emulator failed to start: " << start_error_;
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
    ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);
    ASSERT_EQ(control("POST", "/__emulator/reset").status, 200);
  }

  void TearDown() override {
    if (emu_) control("DELETE", "/__emulator/faults");
  }

  static const std::string &url() { return emu_->url(); }

  static emutest::Response control(const std::string &method, const std::string &path, const std::string &json = "") {
    return emutest::control(*emu_, method, path, json);
  }

  // POST /__emulator/faults {"spec": SPEC}; fails the test unless it is accepted.
  static void add_fault(const std::string &spec) {
    const auto r = control("POST", "/__emulator/faults", "{\"spec\":" + emutest::json_string(spec) + "}");
    ASSERT_EQ(r.status, 201) << spec << " -> " << r.body;
  }

  // POST /__emulator/reset?seed=N: N objects per resource.
  static void seed(int n) {
    const auto r = control("POST", "/__emulator/reset?seed=" + std::to_string(n));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // One of the store counts of GET /__emulator/health.
  static int64_t count(const std::string &resource) {
    const auto r = control("GET", "/__emulator/health");
    emutest::Json j(r.body);
    return j.valid() && j.has("/counts/" + resource) ? j.num("/counts/" + resource) : -1;
  }

  // How many times the first active fault has been applied (-1: none active).
  static int64_t first_fault_used() {
    const auto r = control("GET", "/__emulator/faults");
    emutest::Json j(r.body);
    if (!j.valid() || !j.has("/faults/0/used")) return -1;
    return j.num("/faults/0/used");
  }

  // GET /__emulator/requests, oldest first.
  static std::vector<Logged> requests() {
    const auto r = control("GET", "/__emulator/requests");
    std::vector<Logged> out;
    emutest::Json j(r.body);
    if (!j.valid()) return out;
    simdjson::dom::array entries;
    if (j.root().get_array().get(entries) != simdjson::SUCCESS) return out;
    for (const simdjson::dom::element e : entries) {
      Logged l;
      l.method = std::string(e["method"].get_string().value());
      l.target = std::string(e["target"].get_string().value());
      l.status = e["status"].get_int64().value();
      l.faulted = !e["fault"].is_null();
      out.push_back(std::move(l));
    }
    return out;
  }

  // Logged requests with this method whose raw target starts with prefix.
  static std::vector<Logged> requests_to(const std::string &method, const std::string &prefix) {
    std::vector<Logged> out;
    for (auto &l : requests()) {
      if (l.method == method && l.target.compare(0, prefix.size(), prefix) == 0) out.push_back(l);
    }
    return out;
  }

  // A client with the emulator's credentials for the three providers, short
  // timeouts, 2 retries with a 20 ms un-jittered backoff and a retry log.
  // `tweak` adjusts the options (strings it sets must outlive this call).
  static std::unique_ptr<TestClient> make_client(const std::function<void(ik_client_options &)> &tweak = {}) {
    auto tc = std::make_unique<TestClient>();
    const std::string openai_base = url() + "/v1";
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
    o.twilio_account_sid = kTwilioAccount;
    o.twilio_auth_token = kTwilioToken;
    o.twilio_base_url = url().c_str();
    o.openai_admin_key = kOpenAIKey;
    o.openai_base_url = openai_base.c_str();
    o.fastly_api_token = kFastlyToken;
    o.fastly_base_url = url().c_str();
    o.connect_timeout_ms = 2000;
    o.attempt_timeout_ms = 5000;
    o.max_retries = 2;
    o.jitter = IK_JITTER_NONE;
    o.retry_base_delay_ms = 20;
    o.retry_max_delay_ms = 100;
    o.retry_cb = &RetryLog::record;
    o.retry_user_data = &tc->retries;
    if (tweak) tweak(o);
    std::string why;
    tc->client = iktest::make_client(o, &why);
    EXPECT_TRUE(tc->client) << why;
    return tc->client ? std::move(tc) : nullptr;
  }

  static inline std::unique_ptr<emutest::Emulator> emu_;
  static inline std::string start_error_;
};

// The body of an error as a string ("" when none was received).
inline std::string error_body(const ik_error *err) {
  const uint8_t *data = nullptr;
  size_t len = 0;
  if (!ik_error_body(err, &data, &len)) return {};
  return std::string(reinterpret_cast<const char *>(data), len);
}

// Walks a pager page by page (at most max_pages requests) and returns the
// number of items in each page; `item` is called for every item.
inline std::vector<size_t> walk_pages(ik_pager *pager, const std::function<void(const ik_page *, size_t)> &item,
                                      std::string *error, int max_pages = 50) {
  std::vector<size_t> sizes;
  for (int i = 0; i < max_pages; ++i) {
    ik_page *page = nullptr;
    Err err;
    if (ik_pager_next_page(pager, nullptr, &page, err.out()) != IK_STATUS_OK) {
      *error = err.what();
      return sizes;
    }
    if (page == nullptr) return sizes;
    PagePtr owned(page);
    sizes.push_back(ik_page_count(page));
    for (size_t k = 0; k < ik_page_count(page); ++k) item(page, k);
  }
  *error = "pager did not finish within " + std::to_string(max_pages) + " pages";
  return sizes;
}

// Creates an OpenAI "reader" invite for email.
inline ik_status openai_create(const ik_client *c, const char *email, const ik_call_options *co, ik_openai_invite **out,
                               ik_error **err) {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = email;
  p.role = "reader";
  return ik_openai_invite_create(c, &p, co, out, err);
}

// The emails of seeded objects first..last (1-based): invitee-0001@example.com, …
inline std::vector<std::string> seeded_emails(size_t first, size_t last) {
  std::vector<std::string> out;
  for (size_t i = first; i <= last; ++i) {
    char email[64];
    std::snprintf(email, sizeof email, "invitee-%04zu@example.com", i);
    out.emplace_back(email);
  }
  return out;
}

// Item-by-item iteration of an OpenAI pager (at most max_items calls):
// appends the emails; fails the test on an error.
inline void drain_openai_emails(ik_pager *pager, std::vector<std::string> *emails, int max_items = 50) {
  for (int i = 0; i < max_items; ++i) {
    ik_openai_invite *inv = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_openai_invite(pager, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    if (inv == nullptr) return;
    emails->push_back(str(ik_openai_invite_email(inv)));
    ik_openai_invite_free(inv);
  }
  ADD_FAILURE() << "the pager did not finish within " << max_items << " items";
}

// Runs `call` with a fresh cancel token on another thread, waits (at most
// 5 s, polling `ready`) until the call is where the test wants it, cancels the
// token and reports how the call ended and how long after the cancel.
struct CancelOutcome {
  bool ready = false;  // `ready` became true before the cancel
  ik_status status = IK_STATUS_OK;
  int64_t ms_after_cancel = -1;
};
inline CancelOutcome cancel_when(const std::function<ik_status(const ik_call_options *)> &call,
                                 const std::function<bool()> &ready) {
  CancelOutcome out;
  ik_cancel_token *tok = nullptr;
  if (ik_cancel_token_new(&tok, nullptr) != IK_STATUS_OK) return out;
  CancelPtr token(tok);
  ik_call_options co = call_opts(/*attempt_timeout_ms=*/10000);
  co.cancel = tok;
  Clock::time_point returned;
  std::thread worker([&] {
    out.status = call(&co);
    returned = Clock::now();
  });
  const auto limit = Clock::now() + std::chrono::seconds(5);
  while (!ready() && Clock::now() < limit) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  out.ready = ready();
  const auto cancelled_at = Clock::now();
  ik_cancel_token_cancel(tok);
  worker.join();
  out.ms_after_cancel = std::chrono::duration_cast<std::chrono::milliseconds>(returned - cancelled_at).count();
  return out;
}

}  // namespace integ

#endif  // IKTEST_INTEG_UTIL_HPP
