// Parsing of OpenAI success bodies through the typed accessors, the raw JSON
// accessors and the exchange metadata (api-contract.md §3.1, §3.4, §3.5).
#include "mock_fixture.hpp"

using namespace iktest;

namespace {

const char *kFullInvite =
    "{\"object\":\"organization.invite\",\"id\":\"invite-abc\",\"email\":\"user@example.com\","
    "\"role\":\"owner\",\"status\":\"accepted\",\"created_at\":1711471533,\"expires_at\":1712076333,"
    "\"accepted_at\":1711471600,\"projects\":[{\"id\":\"proj_1\",\"role\":\"member\"},"
    "{\"id\":\"proj_2\",\"role\":\"owner\"}]}";

}  // namespace

class OpenAIParse : public MockFixture {
 protected:
  InvitePtr retrieve(const Reply &reply) {
    server.enqueue(reply);
    ik_openai_invite *inv = nullptr;
    Err err;
    const ik_status st = ik_openai_invite_retrieve(client.get(), "invite-abc", nullptr, &inv, err.out());
    EXPECT_EQ(st, IK_STATUS_OK) << err.what();
    return InvitePtr(inv);
  }
  PagePtr list(const Reply &reply, const ik_list_options *lo = nullptr) {
    server.enqueue(reply);
    ik_page *page = nullptr;
    Err err;
    const ik_status st = ik_openai_invite_list(client.get(), lo, nullptr, &page, err.out());
    EXPECT_EQ(st, IK_STATUS_OK) << err.what();
    return PagePtr(page);
  }
};

TEST_F(OpenAIParse, EveryInviteField) {
  auto inv = retrieve(Reply::json(200, kFullInvite));
  ASSERT_TRUE(inv);
  EXPECT_EQ(str(ik_openai_invite_object(inv.get())), "organization.invite");
  EXPECT_EQ(str(ik_openai_invite_id(inv.get())), "invite-abc");
  EXPECT_EQ(str(ik_openai_invite_email(inv.get())), "user@example.com");
  EXPECT_EQ(str(ik_openai_invite_role(inv.get())), "owner");
  EXPECT_EQ(str(ik_openai_invite_status(inv.get())), "accepted");
  int64_t v = -7;
  EXPECT_EQ(ik_openai_invite_created_at_unix(inv.get(), &v), 1);
  EXPECT_EQ(v, 1711471533);
  EXPECT_EQ(ik_openai_invite_expires_at_unix(inv.get(), &v), 1);
  EXPECT_EQ(v, 1712076333);
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(inv.get(), &v), 1);
  EXPECT_EQ(v, 1711471600);
  EXPECT_EQ(ik_openai_invite_has_projects(inv.get()), 1);
  ASSERT_EQ(ik_openai_invite_project_count(inv.get()), 2u);
  const char *id = nullptr;
  const char *role = nullptr;
  ASSERT_EQ(ik_openai_invite_project_at(inv.get(), 0, &id, &role), 1);
  EXPECT_EQ(str(id), "proj_1");
  EXPECT_EQ(str(role), "member");
  ASSERT_EQ(ik_openai_invite_project_at(inv.get(), 1, &id, &role), 1);
  EXPECT_EQ(str(id), "proj_2");
  EXPECT_EQ(str(role), "owner");
  // Either out-pointer may be NULL.
  id = nullptr;
  EXPECT_EQ(ik_openai_invite_project_at(inv.get(), 1, &id, nullptr), 1);
  EXPECT_EQ(str(id), "proj_2");
  role = nullptr;
  EXPECT_EQ(ik_openai_invite_project_at(inv.get(), 0, nullptr, &role), 1);
  EXPECT_EQ(str(role), "member");
  EXPECT_EQ(ik_openai_invite_project_at(inv.get(), 0, nullptr, nullptr), 1);
  // Out of range: 0 and NULLs.
  for (size_t bad : {size_t{2}, static_cast<size_t>(SIZE_MAX)}) {
    id = "sentinel";
    role = "sentinel";
    EXPECT_EQ(ik_openai_invite_project_at(inv.get(), bad, &id, &role), 0) << bad;
    EXPECT_EQ(id, nullptr);
    EXPECT_EQ(role, nullptr);
  }
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_openai_invite_raw_json(inv.get(), &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(bytes(raw, n), kFullInvite);
  EXPECT_EQ(raw[n], 0) << "a whole body is followed by a NUL";
  size_t only_len = 0;
  EXPECT_EQ(ik_openai_invite_raw_json(inv.get(), nullptr, &only_len), 1);
  EXPECT_EQ(only_len, n);
  EXPECT_EQ(ik_openai_invite_raw_json(inv.get(), nullptr, nullptr), 1);
}

TEST_F(OpenAIParse, NullVersusZeroVersusAbsentTimestamps) {
  {
    auto inv =
        retrieve(Reply::json(200,
                             "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                             "\"status\":\"pending\",\"created_at\":0,\"expires_at\":null,\"accepted_at\":0}"));
    ASSERT_TRUE(inv);
    int64_t v = -7;
    EXPECT_EQ(ik_openai_invite_created_at_unix(inv.get(), &v), 1);
    EXPECT_EQ(v, 0);
    v = -7;
    EXPECT_EQ(ik_openai_invite_expires_at_unix(inv.get(), &v), 0) << "null must read as absent";
    v = -7;
    EXPECT_EQ(ik_openai_invite_accepted_at_unix(inv.get(), &v), 1) << "0 must read as present";
    EXPECT_EQ(v, 0);
  }
  {
    auto inv =
        retrieve(Reply::json(200,
                             "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                             "\"status\":\"expired\",\"created_at\":1711471533}"));
    ASSERT_TRUE(inv);
    int64_t v = -7;
    EXPECT_EQ(ik_openai_invite_expires_at_unix(inv.get(), &v), 0);
    EXPECT_EQ(ik_openai_invite_accepted_at_unix(inv.get(), &v), 0);
    EXPECT_EQ(str(ik_openai_invite_status(inv.get())), "expired");
  }
  {
    // Large values (beyond 2^31) survive.
    auto inv =
        retrieve(Reply::json(200,
                             "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                             "\"status\":\"pending\",\"created_at\":4102444800,\"expires_at\":9999999999}"));
    ASSERT_TRUE(inv);
    int64_t v = 0;
    EXPECT_EQ(ik_openai_invite_created_at_unix(inv.get(), &v), 1);
    EXPECT_EQ(v, 4102444800LL);
    EXPECT_EQ(ik_openai_invite_expires_at_unix(inv.get(), &v), 1);
    EXPECT_EQ(v, 9999999999LL);
  }
}

// ABI 0.2: invites that carry the older field name `invited_at` (the spec's
// name until mid-2025) instead of `created_at` read it through
// ik_openai_invite_created_at_unix; `created_at` wins when both are present.
TEST_F(OpenAIParse, InvitedAtIsReadWhenCreatedAtIsAbsent) {
  auto inv =
      retrieve(Reply::json(200,
                           "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                           "\"status\":\"pending\",\"invited_at\":1700000001,\"expires_at\":1700600001}"));
  ASSERT_TRUE(inv);
  EXPECT_EQ(opt_int(ik_openai_invite_created_at_unix, inv.get()), 1700000001);
  EXPECT_EQ(opt_int(ik_openai_invite_expires_at_unix, inv.get()), 1700600001);
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(inv.get(), nullptr), 0);
}

TEST_F(OpenAIParse, CreatedAtWinsOverInvitedAt) {
  for (const char *order :
       {"\"created_at\":1711471533,\"invited_at\":1600000000", "\"invited_at\":1600000000,\"created_at\":1711471533"}) {
    auto inv = retrieve(Reply::json(200, std::string("{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\","
                                                     "\"role\":\"reader\",\"status\":\"pending\",") +
                                             order + "}"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(opt_int(ik_openai_invite_created_at_unix, inv.get()), 1711471533) << order;
  }
  // created_at: 0 is a value and still wins.
  auto zero =
      retrieve(Reply::json(200,
                           "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                           "\"status\":\"pending\",\"created_at\":0,\"invited_at\":1600000000}"));
  ASSERT_TRUE(zero);
  EXPECT_EQ(opt_int(ik_openai_invite_created_at_unix, zero.get()), 0);
  // Neither field (or both null): absent.
  auto none =
      retrieve(Reply::json(200,
                           "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                           "\"status\":\"pending\",\"invited_at\":null}"));
  ASSERT_TRUE(none);
  EXPECT_EQ(ik_openai_invite_created_at_unix(none.get(), nullptr), 0);
}

TEST_F(OpenAIParse, InvitedAtIsReadOnListItemsToo) {
  const std::string body =
      "{\"object\":\"list\",\"data\":["
      "{\"object\":\"organization.invite\",\"id\":\"invite-old\",\"email\":\"o@e.com\",\"role\":\"reader\","
      "\"status\":\"pending\",\"invited_at\":1690000000},"
      "{\"object\":\"organization.invite\",\"id\":\"invite-new\",\"email\":\"n@e.com\",\"role\":\"reader\","
      "\"status\":\"pending\",\"created_at\":1720000000,\"invited_at\":1}],"
      "\"first_id\":\"invite-old\",\"last_id\":\"invite-new\",\"has_more\":false}";
  auto page = list(Reply::json(200, body));
  ASSERT_TRUE(page);
  ASSERT_EQ(ik_page_count(page.get()), 2u);
  EXPECT_EQ(opt_int(ik_openai_invite_created_at_unix, ik_page_openai_invite_at(page.get(), 0)), 1690000000);
  EXPECT_EQ(opt_int(ik_openai_invite_created_at_unix, ik_page_openai_invite_at(page.get(), 1)), 1720000000);
}

TEST_F(OpenAIParse, ProjectsAbsentVersusEmptyVersusPresent) {
  {
    auto inv =
        retrieve(Reply::json(200,
                             "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                             "\"status\":\"pending\",\"created_at\":1}"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(ik_openai_invite_has_projects(inv.get()), 0);
    EXPECT_EQ(ik_openai_invite_project_count(inv.get()), 0u);
    const char *id = "sentinel";
    EXPECT_EQ(ik_openai_invite_project_at(inv.get(), 0, &id, nullptr), 0);
    EXPECT_EQ(id, nullptr);
  }
  {
    auto inv = retrieve(Reply::json(200, openai_invite_json("i")));  // "projects":[]
    ASSERT_TRUE(inv);
    EXPECT_EQ(ik_openai_invite_has_projects(inv.get()), 1);
    EXPECT_EQ(ik_openai_invite_project_count(inv.get()), 0u);
  }
}

TEST_F(OpenAIParse, UnknownFieldsAreIgnored) {
  const std::string body =
      "{\"future_field\":{\"nested\":[1,2,{\"x\":null}]},\"object\":\"organization.invite\",\"id\":\"invite-u\","
      "\"email\":\"u@e.com\",\"role\":\"reader\",\"status\":\"pending\",\"created_at\":5,\"flag\":true,"
      "\"projects\":[{\"id\":\"p\",\"role\":\"member\",\"extra\":\"x\"}],\"zz\":1.5e3}";
  auto inv = retrieve(Reply::json(200, body));
  ASSERT_TRUE(inv);
  EXPECT_EQ(str(ik_openai_invite_id(inv.get())), "invite-u");
  EXPECT_EQ(str(ik_openai_invite_email(inv.get())), "u@e.com");
  ASSERT_EQ(ik_openai_invite_project_count(inv.get()), 1u);
  const char *id = nullptr;
  const char *role = nullptr;
  ASSERT_EQ(ik_openai_invite_project_at(inv.get(), 0, &id, &role), 1);
  EXPECT_EQ(str(id), "p");
  EXPECT_EQ(str(role), "member");
}

TEST_F(OpenAIParse, EscapedStringsAreDecoded) {
  auto inv = retrieve(Reply::json(
      200,
      "{\"object\":\"organization.invite\",\"id\":\"i\\/d\",\"email\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\","
      "\"role\":\"reader\",\"status\":\"pending\",\"created_at\":1}"));
  ASSERT_TRUE(inv);
  EXPECT_EQ(str(ik_openai_invite_id(inv.get())), "i/d");
  EXPECT_EQ(str(ik_openai_invite_email(inv.get())), "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST_F(OpenAIParse, ResponseMetadata) {
  auto inv = retrieve(Reply::json(200, kFullInvite,
                                  {{"x-request-id", "req_123abc"},
                                   {"x-ratelimit-limit-requests", "100"},
                                   {"x-ratelimit-remaining-requests", "99"},
                                   {"X-Custom", "v1"}}));
  ASSERT_TRUE(inv);
  const ik_response *resp = ik_openai_invite_response(inv.get());
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(ik_response_http_status(resp), 200);
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_OPENAI);
  EXPECT_EQ(str(ik_response_request_id(resp)), "req_123abc");
  EXPECT_EQ(str(ik_response_header(resp, "x-custom")), "v1");
  EXPECT_EQ(str(ik_response_header(resp, "X-RATELIMIT-LIMIT-REQUESTS")), "100");
  EXPECT_EQ(ik_response_header(resp, "absent-header"), nullptr);
  int64_t rem = -1;
  EXPECT_EQ(ik_response_ratelimit_remaining(resp, &rem), 1);
  EXPECT_EQ(rem, 99);
  EXPECT_EQ(ik_response_attempts(resp), 1);
  EXPECT_GE(ik_response_elapsed_us(resp), 0);
  const uint8_t *data = nullptr;
  size_t len = 0;
  EXPECT_EQ(ik_response_body(resp, &data, &len), 1);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), kFullInvite);
  // Header enumeration finds the custom header.
  bool found = false;
  for (size_t i = 0; i < ik_response_header_count(resp); ++i) {
    const char *n = nullptr, *v = nullptr;
    ASSERT_EQ(ik_response_header_at(resp, i, &n, &v), 1);
    ASSERT_NE(n, nullptr);
    ASSERT_NE(v, nullptr);
    if (std::string(n) == "X-Custom" || std::string(n) == "x-custom") found = (std::string(v) == "v1");
  }
  EXPECT_TRUE(found);
  const char *n = nullptr, *v = nullptr;
  EXPECT_EQ(ik_response_header_at(resp, ik_response_header_count(resp), &n, &v), 0);
}

TEST_F(OpenAIParse, ListPageWithMore) {
  const std::string body = "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-1", "one@e.com") + "," +
                           openai_invite_json("invite-2", "two@e.com", "\"unknown\":[1]") +
                           "],\"first_id\":\"invite-1\",\"last_id\":\"invite-2\",\"has_more\":true,\"extra\":{}}";
  auto page = list(Reply::json(200, body, {{"x-request-id", "req_list"}}));
  ASSERT_TRUE(page);
  EXPECT_EQ(ik_page_kind(page.get()), IK_KIND_OPENAI_INVITE);
  ASSERT_EQ(ik_page_count(page.get()), 2u);
  EXPECT_EQ(ik_page_has_more(page.get()), 1);
  EXPECT_EQ(str(ik_page_openai_first_id(page.get())), "invite-1");
  EXPECT_EQ(str(ik_page_openai_last_id(page.get())), "invite-2");
  const ik_openai_invite *a = ik_page_openai_invite_at(page.get(), 0);
  const ik_openai_invite *b = ik_page_openai_invite_at(page.get(), 1);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(str(ik_openai_invite_id(a)), "invite-1");
  EXPECT_EQ(str(ik_openai_invite_email(a)), "one@e.com");
  EXPECT_EQ(str(ik_openai_invite_id(b)), "invite-2");
  EXPECT_EQ(str(ik_openai_invite_email(b)), "two@e.com");
  EXPECT_EQ(ik_openai_invite_has_projects(b), 1);
  EXPECT_EQ(ik_page_openai_invite_at(page.get(), 2), nullptr);
  // Other kinds and other providers' metadata read as absent.
  EXPECT_EQ(ik_page_twilio_invite_at(page.get(), 0), nullptr);
  EXPECT_EQ(ik_page_twilio_user_at(page.get(), 0), nullptr);
  EXPECT_EQ(ik_page_fastly_invitation_at(page.get(), 0), nullptr);
  int64_t meta = -7;
  EXPECT_EQ(ik_page_twilio_page(page.get(), &meta), 0);
  EXPECT_EQ(ik_page_twilio_page_size(page.get(), &meta), 0);
  EXPECT_EQ(ik_page_twilio_next_page_url(page.get()), nullptr);
  EXPECT_EQ(ik_page_fastly_current_page(page.get(), &meta), 0);
  EXPECT_EQ(ik_page_fastly_total_pages(page.get(), nullptr), 0);
  EXPECT_EQ(ik_page_fastly_link_next(page.get()), nullptr);
  // Raw JSON: the page is the body as received; an item is its own bytes of that body.
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_page_raw_json(page.get(), &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(bytes(raw, n), body);
  size_t only_len = 0;
  EXPECT_EQ(ik_page_raw_json(page.get(), nullptr, &only_len), 1);
  EXPECT_EQ(only_len, n);
  const uint8_t *item_raw = nullptr;
  size_t in = 0;
  ASSERT_EQ(ik_openai_invite_raw_json(b, &item_raw, &in), 1);
  ASSERT_NE(item_raw, nullptr);
  EXPECT_EQ(bytes(item_raw, in), openai_invite_json("invite-2", "two@e.com", "\"unknown\":[1]"));
  Json j(bytes(item_raw, in));
  ASSERT_TRUE(j.ok) << bytes(item_raw, in);
  EXPECT_EQ(get_string(j.root, "id"), "invite-2");
  EXPECT_EQ(get_string(j.root, "email"), "two@e.com");
  // The kind-generic accessors agree with the typed ones.
  EXPECT_EQ(str(ik_page_item_id(page.get(), 0)), "invite-1");
  EXPECT_EQ(str(ik_page_item_id(page.get(), 1)), "invite-2");
  EXPECT_EQ(ik_page_item_id(page.get(), 2), nullptr);
  const uint8_t *generic = nullptr;
  size_t glen = 0;
  ASSERT_EQ(ik_page_item_raw_json(page.get(), 1, &generic, &glen), 1);
  EXPECT_EQ(bytes(generic, glen), bytes(item_raw, in));
  // Borrowed item metadata.
  const ik_response *resp = ik_page_response(page.get());
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(str(ik_response_request_id(resp)), "req_list");
  EXPECT_EQ(ik_response_http_status(resp), 200);
  // The next cursor continues after the last id.
  const char *cursor = ik_page_next_cursor(page.get());
  ASSERT_NE(cursor, nullptr);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  const std::string cur = cursor;
  lo.cursor = cur.c_str();
  page.reset();  // the cursor copy must be enough
  auto page2 = list(
      Reply::json(200, "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"), &lo);
  ASSERT_TRUE(page2);
  const auto q = parse_query(server.last_request().query);
  EXPECT_EQ(q, (std::vector<std::pair<std::string, std::string>>{{"after", "invite-2"}}))
      << server.last_request().query;
}

TEST_F(OpenAIParse, EmptyLastPage) {
  auto page =
      list(Reply::json(200, "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"));
  ASSERT_TRUE(page);
  EXPECT_EQ(ik_page_kind(page.get()), IK_KIND_OPENAI_INVITE);
  EXPECT_EQ(ik_page_count(page.get()), 0u);
  EXPECT_EQ(ik_page_has_more(page.get()), 0);
  EXPECT_EQ(ik_page_next_cursor(page.get()), nullptr);
  EXPECT_EQ(ik_page_openai_first_id(page.get()), nullptr);
  EXPECT_EQ(ik_page_openai_last_id(page.get()), nullptr);
  EXPECT_EQ(ik_page_openai_invite_at(page.get(), 0), nullptr);
}

TEST_F(OpenAIParse, ListWithoutOptionalIds) {
  // first_id/last_id are optional in InviteListResponse.
  auto page = list(
      Reply::json(200, "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-9") + "],\"has_more\":false}"));
  ASSERT_TRUE(page);
  EXPECT_EQ(ik_page_count(page.get()), 1u);
  EXPECT_EQ(ik_page_openai_first_id(page.get()), nullptr);
  EXPECT_EQ(ik_page_has_more(page.get()), 0);
  EXPECT_EQ(ik_page_next_cursor(page.get()), nullptr);
}

TEST_F(OpenAIParse, ItemsOutliveNothingButThePage) {
  auto page = list(Reply::json(200, "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-1") +
                                        "],\"first_id\":\"invite-1\",\"last_id\":\"invite-1\",\"has_more\":false}"));
  ASSERT_TRUE(page);
  const ik_openai_invite *a = ik_page_openai_invite_at(page.get(), 0);
  ASSERT_NE(a, nullptr);
  const ik_response *r = ik_openai_invite_response(a);
  // A page item's metadata, when given, is the page's.
  if (r) {
    EXPECT_EQ(ik_response_http_status(r), 200);
  }
}

TEST_F(OpenAIParse, DeleteBody) {
  for (bool deleted : {true, false}) {
    server.enqueue(
        Reply::json(200,
                    std::string("{\"object\":\"organization.invite.deleted\",\"id\":\"invite-abc\",\"deleted\":") +
                        (deleted ? "true" : "false") + "}",
                    {{"x-request-id", "req_del"}}));
    ik_deletion *del = nullptr;
    Err err;
    ASSERT_EQ(ik_openai_invite_delete(client.get(), "invite-abc", nullptr, &del, err.out()), IK_STATUS_OK)
        << err.what();
    DeletionPtr own(del);
    EXPECT_EQ(ik_deletion_kind(del), IK_KIND_OPENAI_INVITE);
    EXPECT_EQ(str(ik_deletion_object(del)), "organization.invite.deleted");
    EXPECT_EQ(str(ik_deletion_id(del)), "invite-abc");
    EXPECT_EQ(ik_deletion_deleted(del), deleted ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE);
    const uint8_t *raw = nullptr;
    size_t n = 0;
    ASSERT_EQ(ik_deletion_raw_json(del, &raw, &n), 1);
    ASSERT_NE(raw, nullptr);
    EXPECT_NE(bytes(raw, n).find("\"deleted\""), std::string::npos);
    EXPECT_EQ(raw[n], 0);
    const ik_response *resp = ik_deletion_response(del);
    ASSERT_NE(resp, nullptr);
    EXPECT_EQ(str(ik_response_request_id(resp)), "req_del");
    EXPECT_EQ(ik_response_http_status(resp), 200);
  }
}

// The deletion's id is the one the server reported (OpenAI answers with a
// body); `deleted` absent or null reads as IK_OPTBOOL_UNSET.
TEST_F(OpenAIParse, DeletionCarriesTheBodysIdAndOptionalDeleted) {
  server.enqueue(Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"invite-from-body\"}"));
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_delete(client.get(), "invite-given", nullptr, &del, err.out()), IK_STATUS_OK)
      << err.what();
  DeletionPtr own(del);
  EXPECT_EQ(str(ik_deletion_id(del)), "invite-from-body");
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_OPENAI_INVITE);
  server.enqueue(Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"i2\",\"deleted\":null}"));
  ASSERT_EQ(ik_openai_invite_delete(client.get(), "i2", nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  own.reset(del);
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_UNSET);
  EXPECT_EQ(str(ik_deletion_id(del)), "i2");
  // out may be NULL: the call still succeeds and nothing leaks.
  server.enqueue(Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"i3\",\"deleted\":true}"));
  EXPECT_EQ(ik_openai_invite_delete(client.get(), "i3", nullptr, nullptr, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(OpenAIParse, UnexpectedJsonShapesAreParseErrors) {
  for (const char *body : {"[1,2]", "\"text\"", "42", "null"}) {
    server.enqueue(Reply::json(200, body));
    ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
    Err err;
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_PARSE)
        << "body " << body << ": " << err.what();
    EXPECT_EQ(inv, nullptr);
    if (inv && inv != reinterpret_cast<ik_openai_invite *>(0x1)) ik_openai_invite_free(inv);
  }
  // A list whose data is not an array.
  server.enqueue(Reply::json(200, "{\"object\":\"list\",\"data\":{},\"has_more\":false}"));
  ik_page *page = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_PARSE) << err.what();
  PagePtr own(page);
}
