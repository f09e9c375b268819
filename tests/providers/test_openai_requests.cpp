// Exact requests of the four OpenAI invite operations (api-contract.md §0.2,
// §3): method, path, query, headers and JSON body, checked on the wire.
#include "mock_fixture.hpp"

using namespace iktest;
using namespace std::chrono_literals;

namespace {

const char *kKey = "sk-admin-test";

void expect_common_headers(const RecordedRequest &r) {
  EXPECT_EQ(r.header_count("Authorization"), 1u);
  EXPECT_EQ(r.header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(r.header("Accept"), "application/json");
  const std::string ua = r.header("User-Agent");
  EXPECT_EQ(ua.rfind(std::string("invitekit/") + IK_VERSION_STRING, 0), 0u) << "User-Agent: " << ua;
  EXPECT_FALSE(r.has_header("OpenAI-Organization"));
  EXPECT_FALSE(r.has_header("OpenAI-Project"));
}

ik_openai_invite_create_params params(const char *email, const char *role) {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = email;
  p.role = role;
  return p;
}

}  // namespace

class OpenAIRequests : public MockFixture {};

TEST_F(OpenAIRequests, CreateWithoutProjectsOmitsTheField) {
  server.enqueue(Reply::json(200, openai_invite_json("invite-1", "a@b.c")));
  auto p = params("a@b.c", "reader");
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/organization/invites");
  EXPECT_EQ(r.query, "");
  expect_common_headers(r);
  EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
  Json j(r.body);
  ASSERT_TRUE(j.ok) << j.error << " body: " << r.body;
  simdjson::dom::object obj;
  ASSERT_FALSE(j.root.get(obj));
  EXPECT_EQ(keys_of(obj), (std::vector<std::string>{"email", "role"})) << r.body;
  EXPECT_EQ(get_string(j.root, "email"), "a@b.c");
  EXPECT_EQ(get_string(j.root, "role"), "reader");
  EXPECT_EQ(str(ik_openai_invite_id(inv)), "invite-1");
}

TEST_F(OpenAIRequests, CreateWithEmptyProjectsSendsEmptyArray) {
  server.enqueue(Reply::json(200, openai_invite_json("invite-1")));
  auto p = params("a@b.c", "owner");
  p.send_projects = IK_OPTBOOL_TRUE;
  p.projects = nullptr;
  p.projects_count = 0;
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  Json j(r.body);
  ASSERT_TRUE(j.ok) << r.body;
  simdjson::dom::array arr;
  ASSERT_FALSE(j.root["projects"].get(arr)) << r.body;
  EXPECT_EQ(arr.size(), 0u);
  EXPECT_EQ(get_string(j.root, "role"), "owner");
}

TEST_F(OpenAIRequests, CreateWithProjects) {
  server.enqueue(Reply::json(200, openai_invite_json("invite-1")));
  ik_openai_project_ref projects[2] = {{"proj_1", "member"}, {"proj_2", "owner"}};
  auto p = params("a@b.c", "reader");
  p.send_projects = IK_OPTBOOL_TRUE;
  p.projects = projects;
  p.projects_count = 2;
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  Json j(r.body);
  ASSERT_TRUE(j.ok) << r.body;
  simdjson::dom::object obj;
  ASSERT_FALSE(j.root.get(obj));
  EXPECT_EQ(keys_of(obj), (std::vector<std::string>{"email", "projects", "role"}));
  simdjson::dom::array arr;
  ASSERT_FALSE(j.root["projects"].get(arr));
  ASSERT_EQ(arr.size(), 2u);
  EXPECT_EQ(get_string(arr.at(0).value(), "id"), "proj_1");
  EXPECT_EQ(get_string(arr.at(0).value(), "role"), "member");
  EXPECT_EQ(get_string(arr.at(1).value(), "id"), "proj_2");
  EXPECT_EQ(get_string(arr.at(1).value(), "role"), "owner");
  simdjson::dom::object p0;
  ASSERT_FALSE(arr.at(0).get(p0));
  EXPECT_EQ(keys_of(p0), (std::vector<std::string>{"id", "role"}));
}

TEST_F(OpenAIRequests, SendProjectsFalseOmitsTheField) {
  server.enqueue(Reply::json(200, openai_invite_json("invite-1")));
  auto p = params("a@b.c", "reader");
  p.send_projects = IK_OPTBOOL_FALSE;
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  Json j(r.body);
  ASSERT_TRUE(j.ok) << r.body;
  simdjson::dom::object obj;
  ASSERT_FALSE(j.root.get(obj));
  EXPECT_EQ(keys_of(obj), (std::vector<std::string>{"email", "role"})) << r.body;
}

TEST_F(OpenAIRequests, ProjectsWithoutSendProjectsTrueAreRejected) {
  ik_openai_project_ref projects[1] = {{"proj_1", "member"}};
  for (ik_optbool send : {IK_OPTBOOL_UNSET, IK_OPTBOOL_FALSE}) {
    auto p = params("a@b.c", "reader");
    p.send_projects = send;
    p.projects = projects;
    p.projects_count = 1;
    ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
    Err err;
    EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT)
        << "send_projects=" << send;
    EXPECT_EQ(inv, nullptr);
  }
  EXPECT_EQ(server.request_count(), 0u);
}

// ik_optbool inputs take exactly IK_OPTBOOL_UNSET/TRUE/FALSE (0..2); anything
// else, including the 0.1 "null" value -1, is rejected before sending.
TEST_F(OpenAIRequests, SendProjectsOutsideOptboolRangeIsRejected) {
  for (ik_optbool bad : {-1, 3, 42, INT32_MIN, INT32_MAX}) {
    auto p = params("a@b.c", "reader");
    p.send_projects = bad;
    ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
    Err err;
    EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT)
        << "send_projects=" << bad;
    EXPECT_EQ(inv, nullptr);
    EXPECT_NE(str(ik_error_message(err.get())).find("send_projects"), std::string::npos) << err.what();
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(OpenAIRequests, RetryAmbiguousPostsOutsideOptboolRangeIsRejected) {
  for (ik_optbool bad : {-1, 3, INT32_MIN, INT32_MAX}) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.retry_ambiguous_posts = bad;
    ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
    Err err;
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT)
        << "retry_ambiguous_posts=" << bad;
    EXPECT_EQ(inv, nullptr);
    EXPECT_NE(str(ik_error_message(err.get())).find("retry_ambiguous_posts"), std::string::npos) << err.what();
  }
  EXPECT_EQ(server.request_count(), 0u);
  // The three valid values are accepted.
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("i")); });
  for (ik_optbool ok : {IK_OPTBOOL_UNSET, IK_OPTBOOL_TRUE, IK_OPTBOOL_FALSE}) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.retry_ambiguous_posts = ok;
    ik_openai_invite *inv = nullptr;
    Err err;
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_OK) << err.what();
    ik_openai_invite_free(inv);
  }
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(OpenAIRequests, CreateEscapesJsonStrings) {
  // quotes, backslash, control characters, DEL, non-ASCII (2-, 3- and 4-byte UTF-8)
  const std::string email =
      std::string("we\"ird\\na\x01me\n\t\r\x1f\x7f") + "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80@ex.com/</script>";
  const std::string project = "proj_\"q\"\\";
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("invite-1")); });
  ik_openai_project_ref projects[1] = {{project.c_str(), "member"}};
  auto p = params(email.c_str(), "reader");
  p.send_projects = IK_OPTBOOL_TRUE;
  p.projects = projects;
  p.projects_count = 1;
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  for (unsigned char c : r.body) EXPECT_GE(c, 0x20) << "raw control character in JSON body: " << r.body;
  Json j(r.body);
  ASSERT_TRUE(j.ok) << j.error << " body: " << r.body;
  EXPECT_EQ(get_string(j.root, "email"), email);
  simdjson::dom::array arr;
  ASSERT_FALSE(j.root["projects"].get(arr));
  ASSERT_EQ(arr.size(), 1u);
  EXPECT_EQ(get_string(arr.at(0).value(), "id"), project);
}

TEST_F(OpenAIRequests, Retrieve) {
  server.enqueue(Reply::json(200, openai_invite_json("invite-abc")));
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "invite-abc", nullptr, &inv, err.out()), IK_STATUS_OK)
      << err.what();
  InvitePtr own(inv);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/organization/invites/invite-abc");
  expect_common_headers(r);
  EXPECT_EQ(r.body, "");
  EXPECT_FALSE(r.has_header("Content-Type")) << r.header("Content-Type");
  EXPECT_EQ(r.header("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(OpenAIRequests, RetrievePercentEncodesTheId) {
  const std::string id = "inv/ite x?y#z%&\xc3\xa9";
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("x")); });
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), id.c_str(), nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  const std::string prefix = "/organization/invites/";
  ASSERT_EQ(r.path.rfind(prefix, 0), 0u) << r.target;
  const std::string seg = r.path.substr(prefix.size());
  EXPECT_EQ(r.query, "") << r.target;
  EXPECT_EQ(seg.find_first_of("/ ?#&"), std::string::npos) << seg;
  EXPECT_EQ(pct_decode(seg), id) << seg;
}

TEST_F(OpenAIRequests, ListWithoutOptionsSendsNoQuery) {
  server.enqueue(
      Reply::json(200, "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own(page);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/organization/invites");
  expect_common_headers(r);
}

TEST_F(OpenAIRequests, ListWithPageSizeAndCursor) {
  server.enqueue(Reply::json(200, "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-5") +
                                      "],\"first_id\":\"invite-5\",\"last_id\":\"invite-5\",\"has_more\":true}"));
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(200, "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}");
  });
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5;
  lo.max_items = 3;  // ignored by list
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own(page);
  auto r = server.last_request();
  EXPECT_EQ(r.path, "/organization/invites");
  EXPECT_EQ(parse_query(r.query), (std::vector<std::pair<std::string, std::string>>{{"limit", "5"}})) << r.query;

  // The page's cursor (opaque) goes on the wire as after=<last_id>, with the same limit.
  ASSERT_NE(ik_page_next_cursor(page), nullptr);
  const std::string cursor = ik_page_next_cursor(page);
  lo.cursor = cursor.c_str();
  ASSERT_EQ(ik_openai_invite_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  own.reset(page);
  r = server.last_request();
  auto q = parse_query(r.query);
  std::sort(q.begin(), q.end());
  EXPECT_EQ(q, (std::vector<std::pair<std::string, std::string>>{{"after", "invite-5"}, {"limit", "5"}})) << r.query;

  // Page size clamped to the endpoint maximum (100).
  lo.page_size = 500;
  lo.cursor = nullptr;
  ASSERT_EQ(ik_openai_invite_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  own.reset(page);
  r = server.last_request();
  EXPECT_EQ(parse_query(r.query), (std::vector<std::pair<std::string, std::string>>{{"limit", "100"}})) << r.query;
}

TEST_F(OpenAIRequests, ListNegativePageSizeIsRejectedBeforeSending) {
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = -1;
  ik_page *page = reinterpret_cast<ik_page *>(0x1);
  Err err;
  EXPECT_EQ(ik_openai_invite_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(OpenAIRequests, Delete) {
  server.enqueue(
      Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"invite-abc\",\"deleted\":true}"));
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_delete(client.get(), "invite-abc", nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own(del);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(r.target, "/organization/invites/invite-abc");
  EXPECT_EQ(r.body, "");
  expect_common_headers(r);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_OPENAI_INVITE);
  EXPECT_EQ(str(ik_deletion_id(del)), "invite-abc");
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 200);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 1) << "OpenAI answers with a body";
}

TEST_F(OpenAIRequests, DeleteWithNullOutStillSends) {
  server.enqueue(Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"i\",\"deleted\":true}"));
  Err err;
  ASSERT_EQ(ik_openai_invite_delete(client.get(), "i", nullptr, nullptr, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(OpenAIHeaders, OrganizationProjectAndUserAgentSuffix) {
  MockServer server;
  Opts o(server.base_url());
  o.o.openai_organization = "org-123";
  o.o.openai_project = "proj_456";
  o.o.user_agent_suffix = "myapp/1.2 (+test)";
  auto client = o.make();
  ASSERT_TRUE(client);
  server.enqueue(Reply::json(200, openai_invite_json("invite-1")));
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "invite-1", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  const auto r = server.last_request();
  EXPECT_EQ(r.header_count("OpenAI-Organization"), 1u);
  EXPECT_EQ(r.header("OpenAI-Organization"), "org-123");
  EXPECT_EQ(r.header_count("OpenAI-Project"), 1u);
  EXPECT_EQ(r.header("OpenAI-Project"), "proj_456");
  const std::string ua = r.header("User-Agent");
  EXPECT_EQ(ua.rfind(std::string("invitekit/") + IK_VERSION_STRING, 0), 0u) << ua;
  const std::string suffix = "myapp/1.2 (+test)";
  ASSERT_GE(ua.size(), suffix.size());
  EXPECT_EQ(ua.substr(ua.size() - suffix.size()), suffix) << ua;
  EXPECT_NE(ua.find("libcurl/"), std::string::npos) << ua;
}

TEST_F(OpenAIRequests, ExtraHeadersAreSentButCannotReplaceAuthorization) {
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("i")); });
  const char *hdrs[] = {"Prefer: example=full", "X-Trace: 42"};
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.extra_headers = hdrs;
  co.extra_headers_count = 2;
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  auto r = server.last_request();
  EXPECT_EQ(r.header("Prefer"), "example=full");
  EXPECT_EQ(r.header("X-Trace"), "42");

  server.clear();
  for (const char *bad : {"Authorization: Bearer other", "authorization: x", "Content-Type: text/plain", "Host: evil",
                          "X-Injected: a\r\nAuthorization: Bearer evil", "NoColonHere"}) {
    const char *one[] = {bad};
    co.extra_headers = one;
    co.extra_headers_count = 1;
    inv = reinterpret_cast<ik_openai_invite *>(0x1);
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT)
        << "header accepted: " << bad;
    EXPECT_EQ(inv, nullptr);
    if (inv && inv != reinterpret_cast<ik_openai_invite *>(0x1)) ik_openai_invite_free(inv);
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(OpenAIRequests, EmptyInviteIdIsRejectedBeforeSending) {
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "", nullptr, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_openai_invite_delete(client.get(), "", nullptr, nullptr, err.out()), IK_STATUS_INVALID_ARGUMENT);
  auto p = params("", "reader");
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(OpenAIBaseUrl, TrailingSlashAndPathPrefix) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("i")); });
  {
    Opts o(server.base_url() + "/");
    auto client = o.make();
    ASSERT_TRUE(client);
    EXPECT_EQ(str(ik_client_base_url(client.get(), IK_PROVIDER_OPENAI)), server.base_url());
    ik_openai_invite *inv = nullptr;
    Err err;
    ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    InvitePtr own(inv);
    EXPECT_EQ(server.last_request().target, "/organization/invites/i");
  }
  {
    Opts o(server.base_url() + "/v1");
    auto client = o.make();
    ASSERT_TRUE(client);
    ik_openai_invite *inv = nullptr;
    Err err;
    ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    InvitePtr own(inv);
    EXPECT_EQ(server.last_request().target, "/v1/organization/invites/i");
  }
}
