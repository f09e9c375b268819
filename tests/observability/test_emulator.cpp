// Exchange metadata read through the C ABI from real emulator answers:
// request ids on results and errors, Fastly rate-limit headers on results and
// errors; and the client's behaviour over a real server: connection reuse,
// concurrent use from several threads, pager cursors that resume.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <set>

#include "integ_util.hpp"

namespace integ {
namespace {

class Observability : public EmulatorTest<Observability> {};

// OpenAI answers carry x-request-id ("req_" + 32 hex); the library exposes it
// on every result kind and on errors.
TEST_F(Observability, OpenAIRequestIdOnResultsAndErrors) {
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(openai_create(c->get(), "rid@example.com", nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr inv(raw);
  const ik_response *resp = ik_openai_invite_response(raw);
  const std::string rid = str(ik_response_request_id(resp));
  EXPECT_EQ(rid.size(), 36u) << rid;
  EXPECT_EQ(rid.rfind("req_", 0), 0u) << rid;
  EXPECT_EQ(str(ik_response_header(resp, "X-Request-Id")), rid);
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_OPENAI);
  const std::string id = str(ik_openai_invite_id(raw));

  // a page
  ik_page *page = nullptr;
  ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned_page(page);
  const std::string page_rid = str(ik_response_request_id(ik_page_response(page)));
  EXPECT_EQ(page_rid.rfind("req_", 0), 0u) << page_rid;
  EXPECT_NE(page_rid, rid);  // one id per answer

  // a deletion result
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_openai_invite_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr owned_del(del);
  EXPECT_EQ(str(ik_response_request_id(ik_deletion_response(del))).rfind("req_", 0), 0u);

  // an error (404) and a faulted error (429)
  ik_openai_invite *missing = nullptr;
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &missing, err.out()), IK_STATUS_NOT_FOUND);
  const std::string err_rid = str(ik_error_request_id(err.get()));
  EXPECT_EQ(err_rid.rfind("req_", 0), 0u) << err.what();
  EXPECT_EQ(str(ik_error_header(err.get(), "x-request-id")), err_rid);

  add_fault("GET /v1/organization/invites status=429 retry-after=0");
  const ik_call_options no_retry = call_opts(0, -1);
  ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, &no_retry, &page, err.out()), IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(str(ik_error_request_id(err.get())).rfind("req_", 0), 0u) << err.what();
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "rate_limit_exceeded");
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, err.get()), 0) << "retry-after: 0 is a server-directed delay of 0";
}

// The request id the library reports for Twilio and Fastly is the one of the
// vendor's header, whenever the emulator sends one.
TEST_F(Observability, TwilioAndFastlyRequestIdsMatchTheirHeaders) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_twilio_user *user = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &user, err.out()), IK_STATUS_OK)
      << err.what();
  TwilioUserPtr owned_user(user);
  const ik_response *tr = ik_twilio_user_response(user);
  EXPECT_EQ(str(ik_response_request_id(tr)), str(ik_response_header(tr, "Twilio-Request-Id")));
  EXPECT_EQ(ik_response_provider(tr), IK_PROVIDER_TWILIO);

  ik_twilio_user *missing = nullptr;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "nobody", nullptr, &missing, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_request_id(err.get())), str(ik_error_header(err.get(), "Twilio-Request-Id")));

  ik_page *page = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned(page);
  const ik_response *fr = ik_page_response(page);
  const char *x = ik_response_header(fr, "x-request-id");
  const char *f = ik_response_header(fr, "fastly-request-id");
  EXPECT_EQ(str(ik_response_request_id(fr)), str(x ? x : f));
}

TEST_F(Observability, FastlyRateLimitHeadersOnResultsAndErrors) {
  seed(2);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /invitations count=1 latency=0 fastly-ratelimit-remaining=42 fastly-ratelimit-reset=1700000000");
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned(page);
  EXPECT_EQ(ik_page_count(page), 2u);
  const ik_response *resp = ik_page_response(page);
  int64_t remaining = -1, reset = -1;
  EXPECT_EQ(ik_response_ratelimit_remaining(resp, &remaining), 1);
  EXPECT_EQ(remaining, 42);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(resp, &reset), 1);
  EXPECT_EQ(reset, 1700000000);
  EXPECT_EQ(str(ik_response_header(resp, "Fastly-RateLimit-Remaining")), "42");
  EXPECT_EQ(str(ik_response_header(resp, "fastly-ratelimit-reset")), "1700000000");

  // Without the headers the accessors say "absent".
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr plain(page);
  EXPECT_EQ(ik_response_ratelimit_remaining(ik_page_response(page), &remaining), 0);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(ik_page_response(page), &reset), 0);

  // On an error: a create refused with 429 (no retry asked for; the reset is
  // in the past, so the server-directed wait reads as 0).
  add_fault("POST /invitations count=1 status=429 fastly-ratelimit-remaining=0 fastly-ratelimit-reset=1700000000");
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "limited@example.com";
  const ik_call_options no_retry = call_opts(0, -1);
  ik_fastly_invitation *inv = nullptr;
  ASSERT_EQ(ik_fastly_invitation_create(c->get(), &p, &no_retry, &inv, err.out()), IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(str(ik_error_header(err.get(), "Fastly-RateLimit-Remaining")), "0");
  EXPECT_EQ(str(ik_error_header(err.get(), "Fastly-RateLimit-Reset")), "1700000000");
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, err.get()), 0) << "a reset in the past: a delay of 0";
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 0);  // a 429 provably did nothing
  EXPECT_EQ(count("fastly_invitations"), 2);
}

// ---------------------------------------------------------------------------
// The client over a real keep-alive server
// ---------------------------------------------------------------------------
class ClientBehaviour : public EmulatorTest<ClientBehaviour> {};

TEST_F(ClientBehaviour, SequentialCallsToAllProvidersReuseOneConnection) {
  seed(2);
  auto c = make_client();
  ASSERT_TRUE(c);
  Err err;
  for (int i = 0; i < 4; ++i) {
    ik_page *page = nullptr;
    ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    ik_page_free(page);
    ASSERT_EQ(ik_twilio_user_list(c->get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    ik_page_free(page);
    ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    ik_page_free(page);
  }
  EXPECT_EQ(requests().size(), 12u);
  EXPECT_EQ(ik_client_connections_opened(c->get()), 1);
}

TEST_F(ClientBehaviour, ConcurrentCreatesFromSeveralThreadsOnOneClient) {
  auto c = make_client();
  ASSERT_TRUE(c);
  constexpr int kThreads = 4, kEach = 10;
  std::mutex m;
  std::vector<std::string> ids;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        char email[64];
        std::snprintf(email, sizeof email, "t%d-%d@example.com", t, i);
        ik_openai_invite *raw = nullptr;
        Err err;
        if (openai_create(c->get(), email, nullptr, &raw, err.out()) != IK_STATUS_OK ||
            str(ik_openai_invite_email(raw)) != email) {
          ++failures;
        } else {
          std::lock_guard lock(m);
          ids.push_back(str(ik_openai_invite_id(raw)));
        }
        ik_openai_invite_free(raw);
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(count("openai_invites"), kThreads * kEach);
  EXPECT_EQ(requests_to("POST", "/v1/organization/invites").size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_LE(ik_client_connections_opened(c->get()), kThreads);
}

TEST_F(ClientBehaviour, PagerCursorResumesAfterMaxItems) {
  seed(7);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  lo.max_items = 4;
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(c->get(), &lo, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr first(pager);
  std::vector<std::string> emails;
  ASSERT_NO_FATAL_FAILURE(drain_openai_emails(pager, &emails));
  EXPECT_EQ(emails, seeded_emails(1, 4));  // never one item too many
  ik_buf cursor = IK_BUF_INIT;
  ASSERT_EQ(ik_pager_cursor(pager, &cursor, err.out()), IK_STATUS_OK) << err.what();
  const std::string cur(reinterpret_cast<const char *>(cursor.data), cursor.len);
  ik_buf_dispose(&cursor);
  ASSERT_FALSE(cur.empty());

  ik_list_options resume = IK_LIST_OPTIONS_INIT;
  resume.page_size = 3;
  resume.cursor = cur.c_str();
  ASSERT_EQ(ik_openai_invite_pager(c->get(), &resume, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr second(pager);
  emails.clear();
  ASSERT_NO_FATAL_FAILURE(drain_openai_emails(pager, &emails));
  EXPECT_EQ(emails, seeded_emails(5, 7));
}

}  // namespace
}  // namespace integ
