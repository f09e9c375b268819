// Hostile servers (issue #18): pagination that never advances, a redirect
// loop, a next_page_url that leaves the configured host, huge retry settings.
// Each test runs its own MockServer (tests/support) on 127.0.0.1 with an
// ephemeral port, serving pages that point back at themselves; every loop in
// the test is bounded in count and every call has a deadline. Public C API
// only, and only the functions whose signatures stay in ABI 0.2.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "mock_server.hpp"
#include <invitekit/invitekit.h>

namespace {
using iktest::MockServer;
using iktest::RecordedRequest;
using iktest::Reply;
using Clock = std::chrono::steady_clock;

const char *const kService = "IS0123456789abcdef0123456789abcdef";

struct Client {
  ik_client *c = nullptr;
  explicit Client(const std::string &base, int64_t deadline_ms = 10000) {
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
    o.openai_admin_key = "sk-admin-test";
    o.twilio_account_sid = "AC00000000000000000000000000000000";
    o.twilio_auth_token = "tw-token-test";
    o.fastly_api_token = "fastly-token-test";
    o.openai_base_url = base.c_str();
    o.twilio_base_url = base.c_str();
    o.fastly_base_url = base.c_str();
    o.deadline_ms = deadline_ms;
    o.max_retries = -1;
    ik_error *err = nullptr;
    EXPECT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_OK) << (err ? ik_error_message(err) : "");
    ik_error_free(err);
  }
  ~Client() { ik_client_free(c); }
};

struct Outcome {
  int pages = 0;  // pages delivered before the error
  ik_status status = IK_STATUS_OK;
  std::string message;
};

// Drains a pager, at most `limit` pages (a pager that never stops fails the test, it does not hang it).
Outcome drain(ik_pager *pager, int limit = 50) {
  Outcome out;
  for (int i = 0; i < limit; ++i) {
    ik_page *page = nullptr;
    ik_error *err = nullptr;
    ik_status st = ik_pager_next_page(pager, nullptr, &page, &err);
    if (st != IK_STATUS_OK) {
      out.status = st;
      out.message = ik_error_message(err);
      ik_error_free(err);
      break;
    }
    if (!page) break;  // the end
    ++out.pages;
    EXPECT_GT(ik_page_count(page), 0u);
    ik_page_free(page);
    if (i == limit - 1) ADD_FAILURE() << "the pager was still going after " << limit << " pages";
  }
  ik_pager_free(pager);
  return out;
}

TEST(HostilePagination, OpenAISameLastIdWithHasMoreForever) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, R"({"object":"list","data":[{"id":"invite-1","object":"organization.invite"}],
                                "first_id":"invite-1","last_id":"invite-1","has_more":true})");
  });
  Client cl(server.base_url());
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_openai_invite_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("pagination did not advance"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("invite-1"), std::string::npos) << o.message;
  EXPECT_EQ(o.pages, 1);
  EXPECT_LE(server.request_count(), 3u);
}

TEST(HostilePagination, OpenAIOldCursorAfterSomePages) {
  // invite-1 -> invite-2 -> invite-3 -> back to invite-1's page: a longer cycle.
  MockServer server;
  server.set_handler([](const RecordedRequest &r) {
    std::string next = "invite-1";
    if (r.query.find("after=invite-1") != std::string::npos) next = "invite-2";
    if (r.query.find("after=invite-2") != std::string::npos) next = "invite-3";
    if (r.query.find("after=invite-3") != std::string::npos) next = "invite-1";
    return Reply::json(200, R"({"object":"list","data":[{"id":")" + next + R"(-item-)" + r.query +
                                R"("}],"last_id":")" + next + R"(","has_more":true})");
  });
  Client cl(server.base_url());
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_openai_invite_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("cursor 'invite-1' was already followed"), std::string::npos) << o.message;
  EXPECT_EQ(o.pages, 4);
}

TEST(HostilePagination, FastlyNextBackToPageOneWithMeta) {
  MockServer server;
  const std::string base = server.base_url();
  server.set_handler([base](const RecordedRequest &) {
    return Reply::json(200, R"({"data":[{"id":"inv1","type":"invitation"}],
        "links":{"next":")" + base +
                                R"(/invitations?page[number]=1"},
        "meta":{"current_page":1,"per_page":1,"record_count":5,"total_pages":5}})");
  });
  Client cl(base);
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_fastly_invitation_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("pagination did not advance"), std::string::npos) << o.message;
  EXPECT_LE(server.request_count(), 3u);
}

TEST(HostilePagination, FastlyNextBackToPageOneWithoutMeta) {
  // Without meta the pager counts pages itself; the server ignores the number
  // and serves the same page with links.next -> page 1 forever.
  MockServer server;
  const std::string base = server.base_url();
  server.set_handler([base](const RecordedRequest &) {
    return Reply::json(200, R"({"data":[{"id":"inv1","type":"invitation"}],
        "links":{"next":")" + base +
                                R"(/invitations?page%5Bnumber%5D=1"}})");
  });
  Client cl(base);
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_fastly_invitation_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("pagination did not advance"), std::string::npos) << o.message;
  EXPECT_LE(server.request_count(), 2u);
}

TEST(HostilePagination, FastlySamePageWithoutAnyPageNumber) {
  // links.next without a page number, no meta, the same items every time.
  MockServer server;
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, R"({"data":[{"id":"inv1","type":"invitation"}],"links":{"next":"/invitations"}})");
  });
  Client cl(server.base_url());
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_fastly_invitation_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("repeats the items of the previous page"), std::string::npos) << o.message;
  EXPECT_EQ(o.pages, 1);
}

TEST(HostilePagination, TwilioNextPageUrlIsThePageItself) {
  MockServer server;
  const std::string base = server.base_url();
  const std::string self = base + "/v2/Services/" + kService + "/Users?PageSize=1&Page=0";
  int n = 0;
  server.set_handler([self, &n](const RecordedRequest &) {
    // Different items each time, so only the cursor shows the loop.
    const std::string id = "US" + std::to_string(n++);
    return Reply::json(200, R"({"users":[{"sid":")" + id + R"("}],"meta":{"key":"users","url":")" + self +
                                R"(","next_page_url":")" + self + R"("}})");
  });
  Client cl(base);
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_twilio_user_pager(cl.c, kService, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);
  EXPECT_NE(o.message.find("pagination did not advance"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("was already followed"), std::string::npos) << o.message;
  EXPECT_EQ(o.pages, 2);  // the first page, then the page at its own next_page_url
}

TEST(HostilePagination, TwilioNextPageUrlOnAnotherHostIsAResponseProblem) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, R"({"invites":[{"sid":"IN1"}],"meta":{"key":"invites",
        "next_page_url":"https://attacker.example/v1/steal?Page=1"}})");
  });
  Client cl(server.base_url());
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_twilio_invite_pager(cl.c, kService, "CHgeneral", nullptr, 0, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager);
  EXPECT_EQ(o.status, IK_STATUS_PARSE);  // not INVALID_ARGUMENT: the caller did nothing wrong
  EXPECT_NE(o.message.find("attacker.example"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("not on the configured base URL"), std::string::npos) << o.message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HostilePagination, LegitimateLongListingIsNotMistakenForALoop) {
  // 3,000 pages of one item with distinct cursors: no false alarm.
  MockServer server;
  server.set_handler([](const RecordedRequest &r) {
    int n = 0;
    auto p = r.query.find("after=invite-");
    if (p != std::string::npos) n = std::stoi(r.query.substr(p + 13)) + 1;
    const std::string id = "invite-" + std::to_string(n);
    return Reply::json(200, R"({"object":"list","data":[{"id":")" + id + R"("}],"last_id":")" + id +
                                R"(","has_more":)" + (n < 2999 ? "true" : "false") + "}");
  });
  Client cl(server.base_url(), 120000);
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_openai_invite_pager(cl.c, nullptr, &pager, &err), IK_STATUS_OK);
  Outcome o = drain(pager, 3001);
  EXPECT_EQ(o.status, IK_STATUS_OK) << o.message;
  EXPECT_EQ(o.pages, 3000);
}

TEST(HostileRedirects, SameOriginLoopSaysTooManyRedirects) {
  MockServer server;
  server.set_handler([](const RecordedRequest &r) { return Reply::redirect(r.path, 301); });
  Client cl(server.base_url());
  ik_openai_invite *inv = nullptr;
  ik_error *err = nullptr;
  ik_status st = ik_openai_invite_retrieve(cl.c, "invite-abc", nullptr, &inv, &err);
  ASSERT_NE(st, IK_STATUS_OK);
  const std::string msg = ik_error_message(err);
  EXPECT_NE(msg.find("too many redirects"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("credentials are only sent"), std::string::npos) << msg;
  EXPECT_EQ(ik_error_status(err), IK_STATUS_HTTP_OTHER);
  EXPECT_EQ(server.request_count(), 6u);
  ik_error_free(err);
  ik_openai_invite_free(inv);
}

TEST(HostileSettings, HugeRetryDelaysStillMeetTheDeadline) {
  // retry delays of INT64_MAX used to overflow `delay * 1000` and sleep
  // forever past a 3 s deadline.
  MockServer server;
  server.set_handler([](const RecordedRequest &) { return Reply::json(500, R"({"error":{"message":"boom"}})"); });
  for (int jitter = 0; jitter < 3; ++jitter) {
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    const std::string base = server.base_url();
    o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
    o.openai_admin_key = "sk-admin-test";
    o.openai_base_url = base.c_str();
    o.deadline_ms = 3000;
    o.max_retries = INT32_MAX;
    o.retry_base_delay_ms = INT64_MAX;
    o.retry_max_delay_ms = INT64_MAX;
    o.max_server_wait_ms = INT64_MAX;
    o.attempt_timeout_ms = INT64_MAX;
    o.connect_timeout_ms = INT64_MAX;
    o.jitter = jitter;  // full, decorrelated, none
    ik_client *c = nullptr;
    ik_error *err = nullptr;
    ASSERT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_OK) << (err ? ik_error_message(err) : "");
    const auto t0 = Clock::now();
    ik_openai_invite *inv = nullptr;
    EXPECT_NE(ik_openai_invite_retrieve(c, "invite-abc", nullptr, &inv, &err), IK_STATUS_OK);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    EXPECT_LT(ms, 10000) << "jitter " << jitter;
    EXPECT_EQ(ik_error_status(err), IK_STATUS_SERVER_ERROR) << ik_error_message(err);
    ik_error_free(err);
    ik_openai_invite_free(inv);
    ik_client_free(c);
  }
}

TEST(HostileSettings, HugeDeadlineIsClampedNotOverflowed) {
  // deadline_ms = INT64_MAX used to overflow `deadline_ms * 1000` into the past.
  MockServer server;
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, R"({"object":"organization.invite","id":"invite-abc"})");
  });
  Client cl(server.base_url(), INT64_MAX);
  ik_openai_invite *inv = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_openai_invite_retrieve(cl.c, "invite-abc", nullptr, &inv, &err), IK_STATUS_OK)
      << (err ? ik_error_message(err) : "");
  EXPECT_STREQ(ik_openai_invite_id(inv), "invite-abc");
  ik_openai_invite_free(inv);
}

TEST(HostileResponses, NulInsideAStringIsAParseErrorNotATruncation) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, R"({"object":"organization.invite","id":"invite-abc\u0000../x"})");
  });
  Client cl(server.base_url());
  ik_openai_invite *inv = nullptr;
  ik_error *err = nullptr;
  ASSERT_EQ(ik_openai_invite_retrieve(cl.c, "invite-abc", nullptr, &inv, &err), IK_STATUS_PARSE);
  EXPECT_EQ(inv, nullptr);
  const std::string msg = ik_error_message(err);
  EXPECT_NE(msg.find("'id'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("NUL"), std::string::npos) << msg;
  ik_error_free(err);
}

TEST(HostileSettings, TwilioEdgeMustBeAHostLabel) {
  for (const char *edge : {"attacker.example/", "x@evil", "sydney.evil", "a b", "-x", "", "x#"}) {
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.flags = IK_CLIENT_IGNORE_ENV;
    o.twilio_account_sid = "AC00000000000000000000000000000000";
    o.twilio_auth_token = "tw-token-test";
    o.twilio_edge = edge;
    ik_client *c = nullptr;
    ik_error *err = nullptr;
    EXPECT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_INVALID_ARGUMENT) << edge;
    EXPECT_EQ(c, nullptr);
    if (err) {
      const std::string msg = ik_error_message(err);
      EXPECT_NE(msg.find("twilio_edge"), std::string::npos) << msg;
      EXPECT_EQ(msg.find("tw-token-test"), std::string::npos) << msg;
    }
    ik_error_free(err);
    ik_client_free(c);
  }
  for (const char *region : {"us1.attacker.example/", "au1?x="}) {
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.flags = IK_CLIENT_IGNORE_ENV;
    o.twilio_region = region;
    ik_client *c = nullptr;
    ik_error *err = nullptr;
    EXPECT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_INVALID_ARGUMENT) << region;
    if (err) {
      EXPECT_NE(std::string(ik_error_message(err)).find("twilio_region"), std::string::npos);
    }
    ik_error_free(err);
    ik_client_free(c);
  }
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV;
  o.twilio_edge = "sydney";
  o.twilio_region = "au1";
  ik_client *c = nullptr;
  ik_error *err = nullptr;
  EXPECT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_OK);
  ik_error_free(err);
  ik_client_free(c);
}

}  // namespace
