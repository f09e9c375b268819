// Every fault kind of invitekit-emulator (docs/EMULATOR.md "Faults") at least
// once, injected with POST /__emulator/faults, and what the library makes of
// it: timeouts, server-directed retries, the create-is-never-sent-twice rule,
// transport failures, bad bodies, redirects; and cancellation from another
// thread of a call stuck in emulator latency.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "integ_util.hpp"

namespace integ {
namespace {

class Faults : public EmulatorTest<Faults> {
 protected:
  // An OpenAI invite created without faults; returns its id.
  std::string make_openai_invite(const ik_client *c, const char *email = "fault@example.com") {
    ik_openai_invite *raw = nullptr;
    Err err;
    EXPECT_EQ(openai_create(c, email, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
    const std::string id = str(ik_openai_invite_id(raw));
    ik_openai_invite_free(raw);
    EXPECT_EQ(control("DELETE", "/__emulator/requests").status, 200);
    return id;
  }

  static std::string invite_path(const std::string &id) { return "/v1/organization/invites/" + id; }
  static std::string user_path(const std::string &identity) {
    return std::string("/v2/Services/") + kService + "/Users/" + identity;
  }
};

// ---------------------------------------------------------------------------
// latency=MS
// ---------------------------------------------------------------------------
TEST_F(Faults, LatencyBeyondAttemptTimeoutIsTimeout) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET " + user_path("user-0001") + " latency=1500");
  const ik_call_options co = call_opts(/*attempt_timeout_ms=*/300, /*max_retries=*/-1);
  ik_twilio_user *raw = nullptr;
  Err err;
  const auto t0 = Clock::now();
  EXPECT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", &co, &raw, err.out()), IK_STATUS_TIMEOUT)
      << err.what();
  const int64_t took = ms_since(t0);
  EXPECT_EQ(raw, nullptr);
  EXPECT_GE(took, 250);
  EXPECT_LT(took, 1200) << "the attempt timeout did not cut the call short";
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_EQ(ik_error_transport_code(err.get()), 28);  // CURLE_OPERATION_TIMEDOUT
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
  EXPECT_TRUE(c->retries.snapshot().empty());
}

TEST_F(Faults, LatencyWithinAttemptTimeoutSucceeds) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET " + user_path("user-0001") + " latency=200");
  const ik_call_options co = call_opts(/*attempt_timeout_ms=*/3000, /*max_retries=*/-1);
  ik_twilio_user *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", &co, &raw, err.out()), IK_STATUS_OK) << err.what();
  TwilioUserPtr user(raw);
  EXPECT_EQ(str(ik_twilio_user_identity(raw)), "user-0001");
  EXPECT_GE(ik_response_elapsed_us(ik_twilio_user_response(raw)), 190000);
  EXPECT_EQ(ik_response_attempts(ik_twilio_user_response(raw)), 1);
}

// ---------------------------------------------------------------------------
// status=CODE with the vendor's body and the header options
// ---------------------------------------------------------------------------
TEST_F(Faults, RateLimitedCreateWithRetryAfterSecondsIsRetriedAfterTheServersWait) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST /v1/organization/invites count=1 status=429 retry-after=1");
  ik_openai_invite *raw = nullptr;
  Err err;
  const auto t0 = Clock::now();
  ASSERT_EQ(openai_create(c->get(), "ratelimited@example.com", nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  const int64_t took = ms_since(t0);
  InvitePtr inv(raw);
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(raw)), 2);
  EXPECT_GE(took, 950);
  const auto retries = c->retries.snapshot();
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0].attempt, 1);
  EXPECT_EQ(retries[0].status, IK_STATUS_RATE_LIMITED);
  EXPECT_EQ(retries[0].http_status, 429);
  EXPECT_EQ(retries[0].delay_ms, 1000);  // Retry-After: 1, not the 20 ms backoff
  EXPECT_EQ(retries[0].server_directed, 1);
  // A 429 provably did not create anything: two POSTs, one invite.
  const auto posts = requests_to("POST", "/v1/organization/invites");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].status, 429);
  EXPECT_EQ(posts[1].status, 200);
  EXPECT_EQ(count("openai_invites"), 1);
}

TEST_F(Faults, RateLimitedGetWithRetryAfterMsIsRetriedAfterTheServersWait) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET " + user_path("user-0001") + " count=1 status=429 retry-after-ms=150");
  ik_twilio_user *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  TwilioUserPtr user(raw);
  EXPECT_EQ(ik_response_attempts(ik_twilio_user_response(raw)), 2);
  EXPECT_GE(ik_response_elapsed_us(ik_twilio_user_response(raw)), 140000);
  const auto retries = c->retries.snapshot();
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0].http_status, 429);
  EXPECT_EQ(retries[0].delay_ms, 150);
  EXPECT_EQ(retries[0].server_directed, 1);
}

TEST_F(Faults, ServiceUnavailableWithShouldRetryFalseIsNotRetried) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  // count=1: a retry would succeed, so a success here would mean the header was ignored.
  add_fault("GET /invitations count=1 status=503 x-should-retry=false");
  ik_page *page = nullptr;
  Err err;
  EXPECT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 503);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 0);
  EXPECT_EQ(str(ik_error_header(err.get(), "x-should-retry")), "false");
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "Service Unavailable");  // Fastly errors[0].title
  EXPECT_TRUE(c->retries.snapshot().empty());
  EXPECT_EQ(requests_to("GET", "/invitations").size(), 1u);
}

TEST_F(Faults, FastlyRateLimitResetBeyondTheDeadlineIsNotRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const int64_t reset_at = static_cast<int64_t>(std::time(nullptr)) + 30;
  add_fault("GET /invitations count=1 status=429 fastly-ratelimit-remaining=0 fastly-ratelimit-reset=" +
            std::to_string(reset_at));
  const ik_call_options co = call_opts(0, 0, /*deadline_ms=*/2000);
  ik_page *page = nullptr;
  Err err;
  const auto t0 = Clock::now();
  EXPECT_EQ(ik_fastly_invitation_list(c->get(), nullptr, &co, &page, err.out()), IK_STATUS_RATE_LIMITED);
  EXPECT_LT(ms_since(t0), 1000) << "the call waited for a reset it could never reach";
  EXPECT_EQ(ik_error_http_status(err.get()), 429);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(str(ik_error_header(err.get(), "Fastly-RateLimit-Remaining")), "0");
  EXPECT_EQ(str(ik_error_header(err.get(), "fastly-ratelimit-reset")), std::to_string(reset_at));
  int64_t retry_after = -1;
  ASSERT_EQ(ik_error_retry_after_ms(err.get(), &retry_after), 1);
  EXPECT_GT(retry_after, 2000);
  EXPECT_LE(retry_after, 31000);
  EXPECT_TRUE(c->retries.snapshot().empty());
  EXPECT_EQ(requests_to("GET", "/invitations").size(), 1u);
}

TEST_F(Faults, ServerErrorsOnAGetAreRetried) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  const std::string id = make_openai_invite(c->get());
  // 500 on an OpenAI retrieve
  add_fault("GET " + invite_path(id) + " count=1 status=500");
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(raw)), 2);
  ik_openai_invite_free(raw);

  // 502 on a Twilio user fetch
  add_fault("GET " + user_path("user-0001") + " count=1 status=502");
  ik_twilio_user *user = nullptr;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &user, err.out()), IK_STATUS_OK)
      << err.what();
  EXPECT_EQ(ik_response_attempts(ik_twilio_user_response(user)), 2);
  ik_twilio_user_free(user);

  const auto retries = c->retries.snapshot();
  ASSERT_EQ(retries.size(), 2u);
  EXPECT_EQ(retries[0].http_status, 500);
  EXPECT_EQ(retries[0].status, IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(retries[0].server_directed, 0);
  EXPECT_EQ(retries[0].delay_ms, 20);  // retry_base_delay_ms, no jitter
  EXPECT_EQ(retries[1].http_status, 502);
}

TEST_F(Faults, InternalServerErrorOnACreateIsAmbiguousAndNotRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST /v1/organization/invites count=1 status=500");
  ik_openai_invite *raw = nullptr;
  Err err;
  EXPECT_EQ(openai_create(c->get(), "once@example.com", nullptr, &raw, err.out()), IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 500);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "server_error");
  EXPECT_NE(str(ik_error_provider_message(err.get())).find("error while processing your request"), std::string::npos)
      << err.what();
  EXPECT_TRUE(c->retries.snapshot().empty());
  const auto posts = requests_to("POST", "/v1/organization/invites");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].status, 500);
  EXPECT_EQ(count("openai_invites"), 0);  // status= faults are not processed
}

TEST_F(Faults, ServiceUnavailableOnACreateIsRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST /invitations count=1 status=503");
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "retry503@example.com";
  ik_fastly_invitation *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_create(c->get(), &p, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  FastlyPtr inv(raw);
  EXPECT_EQ(ik_response_attempts(ik_fastly_invitation_response(raw)), 2);
  EXPECT_EQ(str(ik_fastly_invitation_email(raw)), "retry503@example.com");
  const auto posts = requests_to("POST", "/invitations");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].status, 503);
  EXPECT_EQ(count("fastly_invitations"), 1);
}

// ---------------------------------------------------------------------------
// reset, reset-mid-body, truncate
// ---------------------------------------------------------------------------
TEST_F(Faults, ResetBeforeTheResponseOnAGetIsRetriedTransparently) {
  seed(3);
  auto c = make_client();  // a fresh client: the first connection is new, never a reused one
  ASSERT_TRUE(c);
  add_fault("GET /invitations count=1 reset");
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned(page);
  EXPECT_EQ(ik_page_count(page), 3u);
  EXPECT_EQ(ik_response_attempts(ik_page_response(page)), 2);
  const auto retries = c->retries.snapshot();
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0].status, IK_STATUS_TRANSPORT);
  EXPECT_EQ(retries[0].http_status, 0);
  const auto gets = requests_to("GET", "/invitations");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0].status, 0);  // the reset
  EXPECT_TRUE(gets[0].faulted);
  EXPECT_EQ(gets[1].status, 200);
}

// A create whose connection is reset before any answer may have been
// processed (the client cannot tell): ambiguous, sent once. Both on a fresh
// connection and on a reused keep-alive one, where libcurl would re-send a
// request by itself unless the library prevents it.
TEST_F(Faults, ResetBeforeTheResponseOnACreateIsAmbiguousAndSentOnce) {
  for (const bool reused : {false, true}) {
    SCOPED_TRACE(reused ? "reused connection" : "fresh connection");
    ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);
    auto c = make_client();
    ASSERT_TRUE(c);
    Err err;
    if (reused) {
      ik_page *page = nullptr;
      ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
      ik_page_free(page);
    }
    add_fault("POST /invitations count=1 reset");
    ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
    p.email = "reset-create@example.com";
    ik_fastly_invitation *raw = nullptr;
    const ik_status st = ik_fastly_invitation_create(c->get(), &p, nullptr, &raw, err.out());
    ik_fastly_invitation_free(raw);
    EXPECT_EQ(st, IK_STATUS_TRANSPORT) << err.what();
    EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1) << err.what();
    EXPECT_EQ(requests_to("POST", "/invitations").size(), 1u) << "the create was sent more than once";
    EXPECT_EQ(count("fastly_invitations"), 0);
    ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
  }
}

// Non-create writes are retried like reads: a Twilio user update (POST) and a
// Fastly delete after a 500/502 that was not processed.
TEST_F(Faults, ServerErrorsOnUpdateAndDeleteAreRetried) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST " + user_path("user-0001") + " count=1 status=500");
  ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
  u.friendly_name = "after 500";
  ik_twilio_user *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_update(c->get(), kService, "user-0001", &u, nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  EXPECT_EQ(ik_response_attempts(ik_twilio_user_response(raw)), 2);
  EXPECT_EQ(str(ik_twilio_user_friendly_name(raw)), "after 500");
  ik_twilio_user_free(raw);

  ik_page *page = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  ASSERT_EQ(ik_page_count(page), 1u);
  const std::string id = str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, 0)));
  ik_page_free(page);
  add_fault("DELETE /invitations/" + id + " count=1 status=502");
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_fastly_invitation_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(ik_response_attempts(ik_deletion_response(del)), 2);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
  EXPECT_EQ(str(ik_deletion_id(del)), id);
  ik_deletion_free(del);
  EXPECT_EQ(count("fastly_invitations"), 0);
}

TEST_F(Faults, ResetMidBodyOnACreateIsAmbiguousAndNotRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault(std::string("POST /v2/Services/") + kService + "/Users count=1 reset-mid-body");
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  p.identity = "half-created";
  ik_twilio_user *raw = nullptr;
  Err err;
  EXPECT_EQ(ik_twilio_user_create(c->get(), kService, &p, nullptr, &raw, err.out()), IK_STATUS_TRANSPORT);
  EXPECT_EQ(raw, nullptr);
  const int32_t curl = ik_error_transport_code(err.get());
  EXPECT_TRUE(curl == 56 || curl == 18) << err.what();  // CURLE_RECV_ERROR or CURLE_PARTIAL_FILE
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1);
  EXPECT_TRUE(c->retries.snapshot().empty());
  EXPECT_EQ(requests_to("POST", std::string("/v2/Services/") + kService + "/Users").size(), 1u);
  // The emulator processed the request: the ambiguity is real, the user exists.
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "half-created", nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  ik_twilio_user_free(raw);
  EXPECT_EQ(count("twilio_users"), 1);
}

TEST_F(Faults, TruncatedBodyIsATransportError) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const std::string id = make_openai_invite(c->get());
  add_fault("GET " + invite_path(id) + " truncate");  // every time
  const ik_call_options no_retry = call_opts(0, -1);
  ik_openai_invite *raw = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), &no_retry, &raw, err.out()), IK_STATUS_TRANSPORT);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(ik_error_transport_code(err.get()), 18) << err.what();  // CURLE_PARTIAL_FILE
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 0);  // a GET

  // With retries a truncated GET is retried like any broken transfer.
  ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
  add_fault("GET " + invite_path(id) + " count=1 truncate");
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(raw)), 2);
  EXPECT_EQ(str(ik_openai_invite_id(raw)), id);
  ik_openai_invite_free(raw);
}

TEST_F(Faults, TruncatedAnswerToACreateIsAmbiguousAndNotRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST /invitations count=1 truncate");
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "truncated@example.com";
  ik_fastly_invitation *raw = nullptr;
  Err err;
  EXPECT_EQ(ik_fastly_invitation_create(c->get(), &p, nullptr, &raw, err.out()), IK_STATUS_TRANSPORT);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(ik_error_transport_code(err.get()), 18) << err.what();
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1);
  EXPECT_TRUE(c->retries.snapshot().empty());
  EXPECT_EQ(requests_to("POST", "/invitations").size(), 1u);
  EXPECT_EQ(count("fastly_invitations"), 1);  // processed: the invitation exists
}

// ---------------------------------------------------------------------------
// malformed, slow-body, content-type
// ---------------------------------------------------------------------------
TEST_F(Faults, MalformedJsonIsAParseErrorWithTheBody) {
  seed(2);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /v1/Services/ malformed");
  ik_page *page = nullptr;
  Err err;
  EXPECT_EQ(ik_twilio_invite_list(c->get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_PARSE);
  EXPECT_EQ(page, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_TWILIO);
  const std::string body = error_body(err.get());
  EXPECT_EQ(body, "{\"data\": [{\"id\": \"malformed\", \"emulator_fault\": tru");
  EXPECT_FALSE(str(ik_error_message(err.get())).empty());
}

// A create answered 200 with an unreadable body was processed by the server:
// the error must say so (ik_error_is_ambiguous), so that the caller looks the
// object up before creating it again.
TEST_F(Faults, MalformedAnswerToACreateIsAmbiguousAndNotRetried) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("POST /v1/organization/invites count=1 malformed");
  ik_openai_invite *raw = nullptr;
  Err err;
  EXPECT_EQ(openai_create(c->get(), "unreadable@example.com", nullptr, &raw, err.out()), IK_STATUS_PARSE);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 200);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_FALSE(error_body(err.get()).empty());
  EXPECT_EQ(requests_to("POST", "/v1/organization/invites").size(), 1u);
  EXPECT_EQ(count("openai_invites"), 1);  // the invite was created
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1) << "a 2xx answer to a create means it was processed: " << err.what();
}

TEST_F(Faults, SlowBodyWithinTheTimeoutSucceeds) {
  seed(5);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /v1/organization/invites slow-body=300");
  const ik_call_options co = call_opts(/*attempt_timeout_ms=*/3000, -1);
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, &co, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned(page);
  EXPECT_EQ(ik_page_count(page), 5u);
  EXPECT_GE(ik_response_elapsed_us(ik_page_response(page)), 250000);
}

TEST_F(Faults, SlowBodyBeyondTheTimeoutIsTimeout) {
  seed(5);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /v1/organization/invites slow-body=2000");
  const ik_call_options co = call_opts(/*attempt_timeout_ms=*/500, -1);
  ik_page *page = nullptr;
  Err err;
  const auto t0 = Clock::now();
  EXPECT_EQ(ik_openai_invite_list(c->get(), nullptr, &co, &page, err.out()), IK_STATUS_TIMEOUT) << err.what();
  EXPECT_LT(ms_since(t0), 1500);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(ik_error_transport_code(err.get()), 28);
}

// The library accepts a JSON body whatever its declared Content-Type.
TEST_F(Faults, WrongContentTypeOnAGoodBodyStillParses) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const std::string id = make_openai_invite(c->get());
  add_fault("GET " + invite_path(id) + " content-type=text/html");
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr inv(raw);
  EXPECT_EQ(str(ik_openai_invite_id(raw)), id);
  EXPECT_EQ(str(ik_response_header(ik_openai_invite_response(raw), "Content-Type")), "text/html");
}

// An error answer labelled text/html keeps its HTTP status mapping, exposes the
// raw body and the content type, and its message carries the body's text.
TEST_F(Faults, WrongContentTypeOnAnErrorKeepsStatusAndRawBody) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("DELETE /invitations/ content-type=\"text/html; charset=utf-8\"");
  ik_deletion *del = reinterpret_cast<ik_deletion *>(0x10);
  Err err;
  EXPECT_EQ(ik_fastly_invitation_delete(c->get(), "nosuchinvitation000000", nullptr, &del, err.out()),
            IK_STATUS_NOT_FOUND);
  EXPECT_EQ(del, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 404);
  EXPECT_EQ(str(ik_error_field(err.get(), "content_type")), "text/html; charset=utf-8");
  const std::string body = error_body(err.get());
  EXPECT_NE(body.find("Invitation nosuchinvitation000000 not found"), std::string::npos) << body;
  EXPECT_NE(str(ik_error_message(err.get())).find("not found"), std::string::npos) << err.what();
}

// ---------------------------------------------------------------------------
// redirect=URL
// ---------------------------------------------------------------------------
TEST_F(Faults, SameOriginRedirectIsFollowed) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const std::string id = make_openai_invite(c->get());
  // GET /v1/organization/invites/moved -> 307 -> the real invite
  add_fault("GET " + invite_path("moved") + " redirect=" + url() + invite_path(id));
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), "moved", nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr inv(raw);
  EXPECT_EQ(str(ik_openai_invite_id(raw)), id);
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(raw)), 1);  // a redirect is not a retry
  const auto gets = requests_to("GET", "/v1/organization/invites/");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0].status, 307);
  EXPECT_EQ(gets[1].target, invite_path(id));

  // A 307 keeps the POST: the create is sent to the new location once.
  ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);
  add_fault("POST /v1/organization/invites count=1 redirect=" + url() + "/organization/invites");
  ASSERT_EQ(openai_create(c->get(), "redirected@example.com", nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(str(ik_openai_invite_email(raw)), "redirected@example.com");
  ik_openai_invite_free(raw);
  const auto logged = requests();
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].status, 307);
  EXPECT_EQ(logged[1].method, "POST");
  EXPECT_EQ(logged[1].target, "/organization/invites");
  EXPECT_EQ(count("openai_invites"), 2);
}

TEST_F(Faults, CrossOriginRedirectIsRefusedAndNothingIsSentThere) {
  // A listener on another loopback address: a followed redirect would connect to it.
  const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  ASSERT_GE(lfd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  ASSERT_EQ(inet_pton(AF_INET, "127.0.0.2", &addr.sin_addr), 1);
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0) << std::strerror(errno);
  ASSERT_EQ(::listen(lfd, 4), 0);
  socklen_t alen = sizeof addr;
  ASSERT_EQ(::getsockname(lfd, reinterpret_cast<sockaddr *>(&addr), &alen), 0);
  const std::string other = "http://127.0.0.2:" + std::to_string(ntohs(addr.sin_port));

  auto c = make_client();
  ASSERT_TRUE(c);
  const std::string id = make_openai_invite(c->get());
  add_fault("GET " + invite_path(id) + " redirect=" + other + invite_path(id));
  ik_openai_invite *raw = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_HTTP_OTHER);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 307);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_NE(str(ik_error_message(err.get())).find("not followed"), std::string::npos) << err.what();

  // A 302 to the same origin is not followed for a POST either (it would turn into a GET).
  add_fault("POST /v1/organization/invites count=1 redirect=" + url() + "/v1/organization/invites redirect-status=302");
  EXPECT_EQ(openai_create(c->get(), "no302@example.com", nullptr, &raw, err.out()), IK_STATUS_HTTP_OTHER);
  EXPECT_EQ(ik_error_http_status(err.get()), 302);

  const int accepted = ::accept(lfd, nullptr, nullptr);
  const int accept_errno = errno;
  if (accepted >= 0) ::close(accepted);
  ::close(lfd);
  EXPECT_LT(accepted, 0) << "the library connected to the other origin";
  EXPECT_TRUE(accept_errno == EAGAIN || accept_errno == EWOULDBLOCK) << std::strerror(accept_errno);
  EXPECT_EQ(requests_to("GET", "/v1/organization/invites/").size(), 1u);
  EXPECT_EQ(count("openai_invites"), 1);
}

TEST_F(Faults, SameOriginRedirectLoopStopsAfterFiveRedirects) {
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET " + invite_path("loop") + " redirect=" + url() + invite_path("loop"));
  ik_openai_invite *raw = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(c->get(), "loop", nullptr, &raw, err.out()), IK_STATUS_HTTP_OTHER);
  EXPECT_EQ(ik_error_http_status(err.get()), 307);
  EXPECT_EQ(requests_to("GET", invite_path("loop")).size(), 6u);  // the request and 5 redirects
}

// ---------------------------------------------------------------------------
// Client retry settings against server-directed waits, and the size limit
// ---------------------------------------------------------------------------
TEST_F(Faults, ServerWaitBeyondMaxServerWaitGivesUpOrIsCapped) {
  seed(1);
  {
    auto c = make_client([](ik_client_options &o) { o.max_server_wait_ms = 100; });
    ASSERT_TRUE(c);
    add_fault("GET " + user_path("user-0001") + " count=1 status=429 retry-after=30");
    ik_twilio_user *raw = nullptr;
    Err err;
    const auto t0 = Clock::now();
    EXPECT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &raw, err.out()), IK_STATUS_RATE_LIMITED);
    EXPECT_LT(ms_since(t0), 1000);
    EXPECT_EQ(ik_error_attempts(err.get()), 1);
    EXPECT_EQ(opt_int(ik_error_retry_after_ms, err.get()), 30000);
    EXPECT_EQ(str(ik_error_header(err.get(), "Retry-After")), "30");
    EXPECT_TRUE(c->retries.snapshot().empty());
  }
  {
    auto c = make_client([](ik_client_options &o) {
      o.max_server_wait_ms = 100;
      o.server_wait_policy = IK_SERVER_WAIT_CAP;
    });
    ASSERT_TRUE(c);
    add_fault("GET " + user_path("user-0001") + " count=1 status=429 retry-after=30");
    ik_twilio_user *raw = nullptr;
    Err err;
    const auto t0 = Clock::now();
    ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &raw, err.out()), IK_STATUS_OK)
        << err.what();
    EXPECT_LT(ms_since(t0), 1000);
    EXPECT_EQ(ik_response_attempts(ik_twilio_user_response(raw)), 2);
    ik_twilio_user_free(raw);
    const auto retries = c->retries.snapshot();
    ASSERT_EQ(retries.size(), 1u);
    EXPECT_EQ(retries[0].delay_ms, 100);
    EXPECT_EQ(retries[0].server_directed, 1);
  }
}

TEST_F(Faults, ResponseLargerThanTheLimitIsRefused) {
  seed(20);
  auto c = make_client([](ik_client_options &o) { o.max_response_bytes = 1024; });
  ASSERT_TRUE(c);
  ik_page *page = nullptr;
  Err err;
  EXPECT_EQ(ik_twilio_user_list(c->get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_RESPONSE_TOO_LARGE);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 200);
  // A small answer still fits.
  ik_twilio_user *raw = nullptr;
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  ik_twilio_user_free(raw);
}

// ---------------------------------------------------------------------------
// Cancellation from another thread of a call stuck in emulator latency
// ---------------------------------------------------------------------------
class Cancellation : public EmulatorTest<Cancellation> {};

TEST_F(Cancellation, CallStuckInLatencyIsCancelledPromptly) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /v2/Services/*/Users/* latency=3000");
  Err call_err;
  ik_twilio_user *raw = nullptr;
  // Ready once the emulator has taken the request into its latency.
  const CancelOutcome r = cancel_when(
      [&](const ik_call_options *co) {
        return ik_twilio_user_fetch(c->get(), kService, "user-0001", co, &raw, call_err.out());
      },
      [&] { return first_fault_used() >= 1; });
  ASSERT_TRUE(r.ready) << "the request never reached the emulator";
  EXPECT_EQ(r.status, IK_STATUS_CANCELLED) << call_err.what();
  EXPECT_EQ(raw, nullptr);
  EXPECT_LT(r.ms_after_cancel, 1000) << "cancellation took " << r.ms_after_cancel << " ms";
  EXPECT_EQ(ik_error_status(call_err.get()), IK_STATUS_CANCELLED);
  EXPECT_EQ(ik_error_cancelled_by(call_err.get()), IK_CANCELLED_BY_TOKEN);
  EXPECT_EQ(ik_error_is_ambiguous(call_err.get()), 0);  // a GET
  EXPECT_TRUE(c->retries.snapshot().empty());

  // A cancelled token stays cancelled: a new call fails at once without
  // sending anything; after ik_cancel_token_reset it lets calls through.
  ASSERT_EQ(control("DELETE", "/__emulator/faults").status, 200);
  ik_cancel_token *tok = nullptr;
  ASSERT_EQ(ik_cancel_token_new(&tok, call_err.out()), IK_STATUS_OK) << call_err.what();
  CancelPtr token(tok);
  ik_cancel_token_cancel(tok);
  EXPECT_EQ(ik_cancel_token_is_cancelled(tok), 1);
  ik_call_options co = call_opts();
  co.cancel = tok;
  EXPECT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", &co, &raw, call_err.out()), IK_STATUS_CANCELLED);
  EXPECT_EQ(ik_error_cancelled_by(call_err.get()), IK_CANCELLED_BY_TOKEN);
  EXPECT_EQ(ik_error_attempts(call_err.get()), 0);
  ik_cancel_token_reset(tok);
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, "user-0001", &co, &raw, call_err.out()), IK_STATUS_OK)
      << call_err.what();
  ik_twilio_user_free(raw);
}

// A retry backoff (here a server-directed 10 s wait) is cancellable too.
TEST_F(Cancellation, CallWaitingForARetryIsCancelledPromptly) {
  seed(1);
  auto c = make_client();
  ASSERT_TRUE(c);
  add_fault("GET /v2/Services/*/Users/* count=1 status=429 retry-after=10");
  Err call_err;
  ik_twilio_user *raw = nullptr;
  // Ready once the retry callback ran: it runs just before the backoff starts.
  const CancelOutcome r = cancel_when(
      [&](const ik_call_options *co) {
        return ik_twilio_user_fetch(c->get(), kService, "user-0001", co, &raw, call_err.out());
      },
      [&] { return !c->retries.snapshot().empty(); });
  ASSERT_TRUE(r.ready) << "no retry was planned";
  EXPECT_EQ(r.status, IK_STATUS_CANCELLED) << call_err.what();
  EXPECT_EQ(ik_error_cancelled_by(call_err.get()), IK_CANCELLED_BY_TOKEN) << "the token, not the retry callback";
  EXPECT_EQ(raw, nullptr);
  EXPECT_LT(r.ms_after_cancel, 1000) << "cancellation took " << r.ms_after_cancel << " ms";
  EXPECT_EQ(c->retries.snapshot()[0].delay_ms, 10000);
  EXPECT_EQ(requests_to("GET", "/v2/Services/").size(), 1u);  // the retry was never sent
}

}  // namespace
}  // namespace integ
