// Fastly invitations (api-contract.md §0.3, §4, §7): exact requests (headers,
// JSON:API create body, literal page[number]/page[size], encoded delete id),
// every accessor, rate-limit headers, error shapes by content type,
// pagination both ways with cursors, and configuration from the environment.
#include "prov_util.hpp"

#include <cstdio>
#include <ctime>
#include <mutex>

using namespace prov;

namespace {

const char *kJsonApi = "application/vnd.api+json";

const std::string kFullInvitation =
    "{\"id\":\"inv_1\",\"type\":\"invitation\",\"attributes\":{\"email\":\"thelma@example.com\","
    "\"limit_services\":true,\"role\":\"engineer\",\"roles\":[\"Q4rXe9vN1szK8a2fUjYtWp\",\"R5s\"],\"status_code\":1,"
    "\"created_at\":\"2020-02-29T12:34:56Z\",\"updated_at\":\"2021-06-01T00:00:00Z\",\"deleted_at\":null},"
    "\"relationships\":{\"customer\":{\"data\":{\"id\":\"44tb1D3asjhhuh2SH8e8YD\",\"type\":\"customer\"}},"
    "\"service_invitations\":{\"data\":[{\"type\":\"service_invitation\",\"id\":\"si1\"},"
    "{\"type\":\"service_invitation\",\"id\":\"si2\"}]}}}";

std::string item(int i) {
  return "{\"id\":\"inv" + std::to_string(i) + "\",\"type\":\"invitation\",\"attributes\":{\"email\":\"u" +
         std::to_string(i) + "@example.com\",\"status_code\":1}}";
}

void expect_full_invitation(const ik_fastly_invitation *inv) {
  ASSERT_NE(inv, nullptr);
  EXPECT_EQ(str(ik_fastly_invitation_id(inv)), "inv_1");
  EXPECT_EQ(str(ik_fastly_invitation_type(inv)), "invitation");
  EXPECT_EQ(str(ik_fastly_invitation_email(inv)), "thelma@example.com");
  EXPECT_EQ(ik_fastly_invitation_limit_services(inv), IK_OPTBOOL_TRUE);
  EXPECT_EQ(str(ik_fastly_invitation_role(inv)), "engineer");
  ASSERT_EQ(ik_fastly_invitation_role_count(inv), 2u);
  EXPECT_EQ(str(ik_fastly_invitation_role_at(inv, 0)), "Q4rXe9vN1szK8a2fUjYtWp");
  EXPECT_EQ(str(ik_fastly_invitation_role_at(inv, 1)), "R5s");
  EXPECT_TRUE(is_null(ik_fastly_invitation_role_at(inv, 2)));
  int64_t v = -5;
  EXPECT_EQ(ik_fastly_invitation_status_code(inv, &v), 1);
  EXPECT_EQ(v, 1);
  EXPECT_EQ(str(ik_fastly_invitation_created_at(inv)), "2020-02-29T12:34:56Z");
  EXPECT_EQ(str(ik_fastly_invitation_updated_at(inv)), "2021-06-01T00:00:00Z");
  EXPECT_TRUE(is_null(ik_fastly_invitation_deleted_at(inv)));
  EXPECT_EQ(ik_fastly_invitation_created_at_unix(inv, &v), 1);
  EXPECT_EQ(v, 1582979696);
  EXPECT_EQ(ik_fastly_invitation_updated_at_unix(inv, &v), 1);
  EXPECT_EQ(v, 1622505600);
  EXPECT_EQ(ik_fastly_invitation_deleted_at_unix(inv, &v), 0);
  EXPECT_EQ(str(ik_fastly_invitation_customer_id(inv)), "44tb1D3asjhhuh2SH8e8YD");
  ASSERT_EQ(ik_fastly_invitation_service_invitation_count(inv), 2u);
  EXPECT_EQ(str(ik_fastly_invitation_service_invitation_at(inv, 0)), "si1");
  EXPECT_EQ(str(ik_fastly_invitation_service_invitation_at(inv, 1)), "si2");
  EXPECT_TRUE(is_null(ik_fastly_invitation_service_invitation_at(inv, 2)));
}

void expect_fastly_common(const RecordedRequest &r, const char *token = kFastlyToken) {
  EXPECT_EQ(r.header_count("Fastly-Key"), 1u);
  EXPECT_EQ(r.header("Fastly-Key"), token);
  EXPECT_FALSE(r.has_header("Authorization"));
  expect_user_agent(r);
}

ik_fastly_invitation_create_params create_params(const char *email) {
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = email;
  return p;
}

}  // namespace

class FastlyRequests : public ProvFixture {
 protected:
  FlInvPtr create(const ik_fastly_invitation_create_params &p,
                  Reply reply = Reply::json(200, "{\"data\":" + kFullInvitation + "}")) {
    server.enqueue(std::move(reply));
    ik_fastly_invitation *inv = nullptr;
    Err err;
    EXPECT_EQ(ik_fastly_invitation_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    return FlInvPtr(inv);
  }
};

TEST_F(FastlyRequests, CreateFullBodyMatchesTheOfficialExample) {
  const char *roles[] = {"Q4rXe9vN1szK8a2fUjYtWp"};
  ik_fastly_service_grant grants[] = {{"6yrrdleXQ9QDtum9rMB0nr", "purge_all"}};
  auto p = create_params("thelma@example.com");
  p.roles = roles;
  p.roles_count = 1;
  p.limit_services = IK_OPTBOOL_TRUE;
  p.customer_id = "44tb1D3asjhhuh2SH8e8YD";
  p.services = grants;
  p.services_count = 1;
  auto inv = create(p);
  ASSERT_TRUE(inv);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/invitations");
  expect_fastly_common(r);
  EXPECT_EQ(r.header_count("Content-Type"), 1u);
  EXPECT_EQ(r.header("Content-Type"), kJsonApi);
  EXPECT_EQ(r.header("Accept"), kJsonApi);
  // api-contract §4.2, the example embedded in the SDK docs.
  EXPECT_TRUE(SameJson(r.body,
                       R"({"data":{"type":"invitation",
           "attributes":{"email":"thelma@example.com","limit_services":true,"roles":["Q4rXe9vN1szK8a2fUjYtWp"]},
           "relationships":{
             "customer":{"data":{"id":"44tb1D3asjhhuh2SH8e8YD","type":"customer"}},
             "service_invitations":{"data":[
               {"type":"service_invitation",
                "attributes":{"permission":"purge_all"},
                "relationships":{"service":{"data":{"type":"service","id":"6yrrdleXQ9QDtum9rMB0nr"}}}}]}}}})"));
  // Walk the parsed body as well, path by path.
  Json j(r.body);
  ASSERT_TRUE(j.ok) << j.error;
  std::string_view sv;
  EXPECT_FALSE(j.root.at_pointer("/data/type").get(sv));
  EXPECT_EQ(sv, "invitation");
  EXPECT_FALSE(j.root.at_pointer("/data/relationships/customer/data/type").get(sv));
  EXPECT_EQ(sv, "customer");
  EXPECT_FALSE(j.root.at_pointer("/data/relationships/service_invitations/data/0/type").get(sv));
  EXPECT_EQ(sv, "service_invitation");
  EXPECT_FALSE(
      j.root.at_pointer("/data/relationships/service_invitations/data/0/relationships/service/data/id").get(sv));
  EXPECT_EQ(sv, "6yrrdleXQ9QDtum9rMB0nr");
  bool b = false;
  EXPECT_FALSE(j.root.at_pointer("/data/attributes/limit_services").get(b));
  EXPECT_TRUE(b);
  expect_full_invitation(inv.get());
}

TEST_F(FastlyRequests, CreateWithLegacyRoleOnly) {
  auto p = create_params("thelma@example.com");
  p.role = "engineer";
  auto inv = create(p);
  ASSERT_TRUE(inv);
  // As the SDK sends it (§7): no relationships, no limit_services.
  EXPECT_TRUE(
      SameJson(server.last_request().body,
               R"({"data":{"type":"invitation","attributes":{"email":"thelma@example.com","role":"engineer"}}})"));
}

TEST_F(FastlyRequests, CreateWithEverythingAndSeveralServices) {
  const char *roles[] = {"r1", "r2"};
  ik_fastly_service_grant grants[] = {{"svc1", "full"}, {"svc2", "read_only"}, {"svc3", nullptr}};
  auto p = create_params("a+b@example.com");
  p.role = "superuser";
  p.roles = roles;
  p.roles_count = 2;
  p.limit_services = IK_OPTBOOL_FALSE;
  p.services = grants;
  p.services_count = 3;
  auto inv = create(p);
  ASSERT_TRUE(inv);
  // No customer given: no customer relationship; a grant without permission has no attributes.
  EXPECT_TRUE(SameJson(server.last_request().body, R"({"data":{"type":"invitation",
      "attributes":{"email":"a+b@example.com","limit_services":false,"role":"superuser","roles":["r1","r2"]},
      "relationships":{"service_invitations":{"data":[
        {"type":"service_invitation","attributes":{"permission":"full"},
         "relationships":{"service":{"data":{"type":"service","id":"svc1"}}}},
        {"type":"service_invitation","attributes":{"permission":"read_only"},
         "relationships":{"service":{"data":{"type":"service","id":"svc2"}}}},
        {"type":"service_invitation",
         "relationships":{"service":{"data":{"type":"service","id":"svc3"}}}}]}}}})"));
}

TEST_F(FastlyRequests, CreateEscapesJsonStrings) {
  auto p = create_params("qu\"ote\\back\nslash\x01@é.example");
  p.customer_id = "c/1";
  auto inv = create(p);
  ASSERT_TRUE(inv);
  Json j(server.last_request().body);
  ASSERT_TRUE(j.ok) << server.last_request().body;
  std::string_view sv;
  EXPECT_FALSE(j.root.at_pointer("/data/attributes/email").get(sv));
  EXPECT_EQ(sv, "qu\"ote\\back\nslash\x01@é.example");
  EXPECT_FALSE(j.root.at_pointer("/data/relationships/customer/data/id").get(sv));
  EXPECT_EQ(sv, "c/1");
}

TEST_F(FastlyRequests, CreateValidationSendsNothing) {
  const char *roles[] = {nullptr};
  ik_fastly_service_grant bad_perm[] = {{"svc", "owner"}};
  ik_fastly_service_grant no_id[] = {{nullptr, "full"}};
  struct Case {
    const char *what;
    ik_fastly_invitation_create_params p;
  };
  std::vector<Case> cases;
  cases.push_back({"no email", create_params(nullptr)});
  cases.push_back({"empty email", create_params("")});
  auto p = create_params("a@b.c");
  p.role = "admin";
  cases.push_back({"bad role", p});
  p = create_params("a@b.c");
  p.roles_count = 1;
  cases.push_back({"roles NULL with count", p});
  p = create_params("a@b.c");
  p.roles = roles;
  p.roles_count = 1;
  cases.push_back({"NULL role id", p});
  p = create_params("a@b.c");
  p.limit_services = 3;
  cases.push_back({"limit_services 3", p});
  p = create_params("a@b.c");
  p.limit_services = -1;  // "null" in ABI 0.1, an error for an ik_optbool
  cases.push_back({"limit_services -1", p});
  p = create_params("a@b.c");
  p.limit_services = INT32_MIN;
  cases.push_back({"limit_services INT32_MIN", p});
  p = create_params("a@b.c");
  p.services = bad_perm;
  p.services_count = 1;
  cases.push_back({"bad permission", p});
  p = create_params("a@b.c");
  p.services = no_id;
  p.services_count = 1;
  cases.push_back({"grant without service id", p});
  p = create_params("a@b.c");
  p.services_count = 2;
  cases.push_back({"services NULL with count", p});
  p = create_params("a@b.c");
  p.version = 99;
  cases.push_back({"params version 99", p});
  for (auto &c : cases) {
    ik_fastly_invitation *inv = nullptr;
    Err err;
    EXPECT_EQ(ik_fastly_invitation_create(client.get(), &c.p, nullptr, &inv, err.out()), IK_STATUS_INVALID_ARGUMENT)
        << c.what << ": " << err.what();
    EXPECT_EQ(inv, nullptr) << c.what;
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(FastlyRequests, ListWithoutOptionsSendsNoQuery) {
  server.enqueue(Reply::json(200,
                             "{\"data\":[],\"links\":{\"next\":null},\"meta\":{\"current_page\":1,"
                             "\"per_page\":20,\"record_count\":0,\"total_pages\":0}}"));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own(page);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/invitations");  // §7: no options, no page params
  expect_fastly_common(r);
  EXPECT_EQ(r.header("Accept"), kJsonApi);
  EXPECT_FALSE(r.has_header("Content-Type"));
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(ik_page_kind(page), IK_KIND_FASTLY_INVITATION);
  EXPECT_EQ(ik_page_count(page), 0u);
  EXPECT_EQ(ik_page_has_more(page), 0);
}

TEST_F(FastlyRequests, ListPageSizeLiteralBracketsAndClamp) {
  const std::pair<int32_t, const char *> cases[] = {{20, "page[size]=20"},
                                                    {100, "page[size]=100"},
                                                    {101, "page[size]=100"},
                                                    {5000, "page[size]=100"},
                                                    {1, "page[size]=1"}};
  for (auto &c : cases) {
    server.clear();
    server.enqueue(Reply::json(200, "{\"data\":[]}"));
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = c.first;
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_fastly_invitation_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    PagePtr own(page);
    EXPECT_EQ(server.last_request().path, "/invitations");
    EXPECT_EQ(server.last_request().query, c.second) << "asked " << c.first;
  }
}

TEST_F(FastlyRequests, DeleteEncodesIdAndSendsNoAcceptOrContentType) {
  server.enqueue(Reply::text(204, "", ""));
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_delete(client.get(), "abc/def", nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own(del);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(r.target, "/invitations/abc%2Fdef");
  expect_fastly_common(r);
  EXPECT_FALSE(r.has_header("Accept")) << r.header("Accept");
  EXPECT_FALSE(r.has_header("Content-Type")) << r.header("Content-Type");
  EXPECT_EQ(r.body, "");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_FASTLY_INVITATION);
  EXPECT_EQ(str(ik_deletion_id(del)), "abc/def") << "the id as given, not percent-encoded";
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_object(del), nullptr);
  const uint8_t *d = reinterpret_cast<const uint8_t *>("x");
  size_t n = 99;
  EXPECT_EQ(ik_deletion_raw_json(del, &d, &n), 0) << "no body on a 204";
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  const ik_response *resp = ik_deletion_response(del);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(ik_response_http_status(resp), 204);
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_FASTLY);
}

TEST_F(FastlyRequests, DeletePathEncodingAndValidation) {
  server.set_handler([](const RecordedRequest &) { return Reply::text(204, "", ""); });
  const std::pair<const char *, const char *> cases[] = {
      {"6yrrdleXQ9QDtum9rMB0nr", "/invitations/6yrrdleXQ9QDtum9rMB0nr"},
      {"..", "/invitations/%2E%2E"},
      {"a b?c#d", "/invitations/a%20b%3Fc%23d"},
      {"é", "/invitations/%C3%A9"}};
  for (auto &c : cases) {
    server.clear();
    Err err;
    ik_deletion *del = nullptr;
    ASSERT_EQ(ik_fastly_invitation_delete(client.get(), c.first, nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
    DeletionPtr own(del);
    EXPECT_EQ(str(ik_deletion_id(del)), c.first);
    EXPECT_EQ(server.last_request().target, c.second);
    EXPECT_EQ(pct_decode(last_segment(server.last_request().path)), c.first);
  }
  server.clear();
  Err err;
  EXPECT_EQ(ik_fastly_invitation_delete(client.get(), "", nullptr, nullptr, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_fastly_invitation_delete(client.get(), nullptr, nullptr, nullptr, err.out()),
            IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(server.request_count(), 0u);
}

// ------------------------------------------------------------- accessors --

class FastlyResults : public ProvFixture {};

TEST_F(FastlyResults, CreateResultEveryFieldAndRateLimit) {
  const std::string body = "{\"data\":" + kFullInvitation + "}";
  server.enqueue(Reply{200,
                       {{"Fastly-RateLimit-Remaining", "997"},
                        {"Fastly-RateLimit-Reset", "1700000000"},
                        {"Fastly-Request-Id", "freq-1"}},
                       body,
                       kJsonApi});
  auto p = create_params("thelma@example.com");
  ik_fastly_invitation *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  FlInvPtr own(inv);
  expect_full_invitation(inv);
  const ik_response *resp = ik_fastly_invitation_response(inv);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(ik_response_http_status(resp), 200);
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_FASTLY);
  int64_t v = 0;
  EXPECT_EQ(ik_response_ratelimit_remaining(resp, &v), 1);
  EXPECT_EQ(v, 997);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(resp, &v), 1);
  EXPECT_EQ(v, 1700000000);
  EXPECT_EQ(str(ik_response_header(resp, "fastly-ratelimit-remaining")), "997");
  EXPECT_EQ(str(ik_response_request_id(resp)), "freq-1");
  // Raw JSON: valid JSON holding this invitation (the body or its data member).
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_fastly_invitation_raw_json(inv, &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  const std::string raw_s = bytes(raw, n);
  // fastly.h says "the whole body of a create"; the library hands out the
  // JSON:API resource object (data), like a list item. Either is the
  // invitation's own JSON, byte for byte.
  EXPECT_TRUE(raw_s == body || raw_s == kFullInvitation) << raw_s;
}

TEST_F(FastlyResults, NullableAndAbsentFields) {
  const std::string inv_json =
      "{\"id\":\"inv_2\",\"type\":\"invitation\",\"attributes\":{\"email\":\"x@y.z\",\"limit_services\":false,"
      "\"status_code\":0,\"created_at\":null,\"updated_at\":null,\"deleted_at\":\"2021-06-02T10:00:00Z\"},"
      "\"relationships\":{\"service_invitations\":{\"data\":null}}}";
  server.enqueue(Reply::json(200, "{\"data\":" + inv_json + "}"));
  auto p = create_params("x@y.z");
  ik_fastly_invitation *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  FlInvPtr own(inv);
  EXPECT_EQ(ik_fastly_invitation_limit_services(inv), IK_OPTBOOL_FALSE);
  int64_t v = -1;
  EXPECT_EQ(ik_fastly_invitation_status_code(inv, &v), 1);
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(is_null(ik_fastly_invitation_role(inv)));
  EXPECT_EQ(ik_fastly_invitation_role_count(inv), 0u);
  EXPECT_TRUE(is_null(ik_fastly_invitation_role_at(inv, 0)));
  EXPECT_TRUE(is_null(ik_fastly_invitation_created_at(inv)));
  EXPECT_TRUE(is_null(ik_fastly_invitation_updated_at(inv)));
  EXPECT_EQ(ik_fastly_invitation_created_at_unix(inv, &v), 0);
  EXPECT_EQ(str(ik_fastly_invitation_deleted_at(inv)), "2021-06-02T10:00:00Z");
  EXPECT_EQ(ik_fastly_invitation_deleted_at_unix(inv, &v), 1);
  EXPECT_EQ(v, 1622628000);
  EXPECT_TRUE(is_null(ik_fastly_invitation_customer_id(inv)));
  EXPECT_EQ(ik_fastly_invitation_service_invitation_count(inv), 0u);
  EXPECT_EQ(ik_response_ratelimit_remaining(ik_fastly_invitation_response(inv), &v), 0);  // header absent
  EXPECT_EQ(ik_response_ratelimit_reset_unix(ik_fastly_invitation_response(inv), &v), 0);

  // limit_services absent: null.
  server.enqueue(Reply::json(200, "{\"data\":{\"id\":\"inv_3\",\"attributes\":{}}}"));
  ik_fastly_invitation *inv3 = nullptr;
  ASSERT_EQ(ik_fastly_invitation_create(client.get(), &p, nullptr, &inv3, err.out()), IK_STATUS_OK) << err.what();
  FlInvPtr own3(inv3);
  EXPECT_EQ(ik_fastly_invitation_limit_services(inv3), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_fastly_invitation_status_code(inv3, &v), 0);
  EXPECT_TRUE(is_null(ik_fastly_invitation_email(inv3)));
  EXPECT_TRUE(is_null(ik_fastly_invitation_type(inv3)));
}

TEST_F(FastlyResults, ListPageMetaLinksItemsAndRateLimit) {
  const std::string b = base;
  const std::string body =
      "{\"data\":[" + kFullInvitation + "," + item(7) + "],\"links\":{\"first\":\"" + b +
      "/invitations?page[number]=1&page[size]=2\",\"last\":\"" + b +
      "/invitations?page[number]=3&page[size]=2\","
      "\"prev\":\"" +
      b + "/invitations?page[number]=1&page[size]=2\",\"next\":\"" + b +
      "/invitations?page[number]=3&page[size]=2\"},\"meta\":{\"current_page\":2,\"per_page\":2,\"record_count\":6,"
      "\"total_pages\":3}}";
  server.enqueue(
      Reply{200, {{"Fastly-RateLimit-Remaining", "42"}, {"Fastly-RateLimit-Reset", "1700000123"}}, body, kJsonApi});
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own(page);
  ASSERT_EQ(ik_page_count(page), 2u);
  expect_full_invitation(ik_page_fastly_invitation_at(page, 0));
  EXPECT_EQ(str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, 1))), "inv7");
  EXPECT_EQ(ik_page_fastly_invitation_at(page, 2), nullptr);
  EXPECT_EQ(ik_page_twilio_invite_at(page, 0), nullptr);
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_fastly_invitation_raw_json(ik_page_fastly_invitation_at(page, 0), &raw, &n), 1);
  EXPECT_EQ(bytes(raw, n), kFullInvitation) << "an item's own bytes of the page body";
  EXPECT_TRUE(SameJson(bytes(raw, n), kFullInvitation));
  ASSERT_EQ(ik_page_raw_json(page, &raw, &n), 1);
  EXPECT_EQ(bytes(raw, n), body);
  // Kind-generic item access equals the typed accessors.
  for (size_t i = 0; i < 2; ++i) {
    const ik_fastly_invitation *inv = ik_page_fastly_invitation_at(page, i);
    EXPECT_EQ(str(ik_page_item_id(page, i)), str(ik_fastly_invitation_id(inv))) << i;
    const uint8_t *generic = nullptr;
    size_t generic_len = 0;
    ASSERT_EQ(ik_page_item_raw_json(page, i, &generic, &generic_len), 1) << i;
    EXPECT_EQ(bytes(generic, generic_len), raw_json(ik_fastly_invitation_raw_json, inv)) << i;
    EXPECT_EQ(bytes(generic, generic_len), i == 0 ? kFullInvitation : item(7)) << i;
  }
  EXPECT_EQ(str(ik_page_item_id(page, 1)), "inv7");
  EXPECT_EQ(ik_page_item_id(page, 2), nullptr);
  EXPECT_EQ(ik_page_item_id(page, SIZE_MAX), nullptr);
  const uint8_t *none = reinterpret_cast<const uint8_t *>("x");
  size_t none_len = 9;
  EXPECT_EQ(ik_page_item_raw_json(page, 2, &none, &none_len), 0);
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(none_len, 0u);
  EXPECT_EQ(str(ik_page_fastly_link_first(page)), b + "/invitations?page[number]=1&page[size]=2");
  EXPECT_EQ(str(ik_page_fastly_link_last(page)), b + "/invitations?page[number]=3&page[size]=2");
  EXPECT_EQ(str(ik_page_fastly_link_prev(page)), b + "/invitations?page[number]=1&page[size]=2");
  EXPECT_EQ(str(ik_page_fastly_link_next(page)), b + "/invitations?page[number]=3&page[size]=2");
  EXPECT_EQ(opt_int(ik_page_fastly_current_page, page), 2);
  EXPECT_EQ(opt_int(ik_page_fastly_per_page, page), 2);
  EXPECT_EQ(opt_int(ik_page_fastly_record_count, page), 6);
  EXPECT_EQ(opt_int(ik_page_fastly_total_pages, page), 3);
  EXPECT_EQ(ik_page_has_more(page), 1);
  EXPECT_NE(ik_page_next_cursor(page), nullptr);
  EXPECT_EQ(ik_page_twilio_page(page, nullptr), 0) << "Twilio meta is absent on a Fastly page";
  EXPECT_EQ(ik_page_twilio_page_size(page, nullptr), 0);
  EXPECT_TRUE(is_null(ik_page_twilio_next_page_url(page)));
  int64_t v = 0;
  EXPECT_EQ(ik_response_ratelimit_remaining(ik_page_response(page), &v), 1);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(ik_page_response(page), &v), 1);
  EXPECT_EQ(v, 1700000123);
  // Items see the same exchange.
  EXPECT_EQ(ik_response_ratelimit_remaining(ik_fastly_invitation_response(ik_page_fastly_invitation_at(page, 1)), &v),
            1);
  EXPECT_EQ(v, 42);
}

TEST_F(FastlyResults, AbsentLinksAndMetaReadAsNullAndNotPresent) {
  server.enqueue(Reply::json(200, "{\"data\":[" + item(1) + "]}"));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own(page);
  EXPECT_TRUE(is_null(ik_page_fastly_link_first(page)));
  EXPECT_TRUE(is_null(ik_page_fastly_link_next(page)));
  int64_t v = 12345;
  EXPECT_EQ(ik_page_fastly_current_page(page, &v), 0);
  EXPECT_EQ(ik_page_fastly_total_pages(page, &v), 0);
  EXPECT_EQ(ik_page_fastly_record_count(page, &v), 0);
  EXPECT_EQ(ik_page_fastly_per_page(page, &v), 0);
  EXPECT_EQ(ik_page_fastly_per_page(page, nullptr), 0);
  EXPECT_EQ(ik_page_has_more(page), 0);
  // The kind-generic accessors work on a page without meta too.
  EXPECT_EQ(str(ik_page_item_id(page, 0)), "inv1");
  const uint8_t *generic = nullptr;
  size_t generic_len = 0;
  ASSERT_EQ(ik_page_item_raw_json(page, 0, &generic, &generic_len), 1);
  EXPECT_EQ(bytes(generic, generic_len), item(1));
}

TEST_F(FastlyResults, DeleteResponseRateLimit) {
  server.enqueue(Reply{204, {{"Fastly-RateLimit-Remaining", "5"}, {"Fastly-RateLimit-Reset", "1700000999"}}, "", ""});
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_delete(client.get(), "inv1", nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own(del);
  EXPECT_EQ(str(ik_deletion_id(del)), "inv1");
  const ik_response *resp = ik_deletion_response(del);
  ASSERT_NE(resp, nullptr);
  int64_t v = 0;
  EXPECT_EQ(ik_response_ratelimit_remaining(resp, &v), 1);
  EXPECT_EQ(v, 5);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(resp, &v), 1);
  EXPECT_EQ(v, 1700000999);
}

// ----------------------------------------------------------------- errors --

class FastlyErrors : public ProvFixture {
 protected:
  ik_status create_fails(Reply reply, Err &err) {
    server.enqueue(std::move(reply));
    auto p = create_params("a@b.c");
    ik_fastly_invitation *inv = nullptr;
    const ik_status st = ik_fastly_invitation_create(client.get(), &p, nullptr, &inv, err.out());
    EXPECT_EQ(inv, nullptr);
    return st;
  }
};

TEST_F(FastlyErrors, JsonApiErrors) {
  const std::string body =
      "{\"errors\":[{\"id\":\"err-1\",\"title\":\"Invalid email\",\"detail\":\"email is not a valid address\","
      "\"status\":\"422\",\"code\":\"invalid_email\",\"meta\":{\"field\":\"email\"}},{\"title\":\"second\"}]}";
  Err err;
  ASSERT_EQ(
      create_fails(Reply{422, {{"Fastly-RateLimit-Remaining", "996"}, {"Fastly-Request-Id", "fr-422"}}, body, kJsonApi},
                   err),
      IK_STATUS_UNPROCESSABLE);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_http_status(e), 422);
  EXPECT_EQ(ik_error_provider(e), IK_PROVIDER_FASTLY);
  EXPECT_EQ(str(ik_error_operation(e)), "invitations.create");
  EXPECT_EQ(str(ik_error_provider_code(e)), "invalid_email");
  EXPECT_NE(str(ik_error_provider_message(e)).find("email is not a valid address"), std::string::npos)
      << str(ik_error_provider_message(e));
  EXPECT_EQ(str(ik_error_field(e, "id")), "err-1");
  EXPECT_EQ(str(ik_error_field(e, "title")), "Invalid email");
  EXPECT_EQ(str(ik_error_field(e, "detail")), "email is not a valid address");
  EXPECT_EQ(str(ik_error_field(e, "status")), "422");
  EXPECT_EQ(str(ik_error_field(e, "code")), "invalid_email");
  EXPECT_TRUE(SameJson(str(ik_error_field(e, "meta")), "{\"field\":\"email\"}"));
  EXPECT_TRUE(SameJson(str(ik_error_field(e, "errors")),
                       "[{\"id\":\"err-1\",\"title\":\"Invalid email\",\"detail\":\"email is not a valid address\","
                       "\"status\":\"422\",\"code\":\"invalid_email\",\"meta\":{\"field\":\"email\"}},"
                       "{\"title\":\"second\"}]"));
  EXPECT_EQ(str(ik_error_field(e, "content_type")), kJsonApi);
  EXPECT_EQ(str(ik_error_header(e, "Fastly-RateLimit-Remaining")), "996");
  EXPECT_EQ(str(ik_error_request_id(e)), "fr-422");
  EXPECT_EQ(str(ik_error_message(e)).find(kFastlyToken), std::string::npos);
}

TEST_F(FastlyErrors, ProblemJson) {
  const std::string body =
      "{\"type\":\"https://docs.fastly.com/errors/unauthorized\",\"title\":\"Unauthorized\","
      "\"status\":401,\"detail\":\"Provided credentials are missing or invalid\"}";
  Err err;
  ASSERT_EQ(create_fails(Reply{401, {}, body, "application/problem+json"}, err), IK_STATUS_AUTHENTICATION);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_http_status(e), 401);
  EXPECT_EQ(str(ik_error_field(e, "type")), "https://docs.fastly.com/errors/unauthorized");
  EXPECT_EQ(str(ik_error_field(e, "title")), "Unauthorized");
  EXPECT_EQ(str(ik_error_field(e, "detail")), "Provided credentials are missing or invalid");
  EXPECT_EQ(str(ik_error_field(e, "status")), "401");
  EXPECT_NE(str(ik_error_provider_message(e)).find("Provided credentials are missing or invalid"), std::string::npos)
      << str(ik_error_provider_message(e));
  EXPECT_EQ(str(ik_error_field(e, "content_type")), "application/problem+json");
}

TEST_F(FastlyErrors, LegacyMsgDetail) {
  const std::string body = "{\"msg\":\"Bad request\",\"detail\":\"Invalid value for role\"}";
  Err err;
  ASSERT_EQ(create_fails(Reply::json(400, body), err), IK_STATUS_BAD_REQUEST);
  const ik_error *e = err.get();
  EXPECT_EQ(str(ik_error_field(e, "msg")), "Bad request");
  EXPECT_EQ(str(ik_error_field(e, "detail")), "Invalid value for role");
  const std::string pm = str(ik_error_provider_message(e));
  EXPECT_NE(pm.find("Bad request"), std::string::npos) << pm;
  EXPECT_NE(pm.find("Invalid value for role"), std::string::npos) << pm;
}

TEST_F(FastlyErrors, LegacyErrorsArrayWithoutJsonApiContentType) {
  const std::string body = "{\"errors\":[{\"code\":\"bad_param\",\"reason\":\"nope\",\"detail\":\"bad page\"}]}";
  Err err;
  server.enqueue(Reply::json(400, body));
  ik_page *page = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_BAD_REQUEST);
  EXPECT_EQ(str(ik_error_operation(err.get())), "invitations.list");
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "bad_param");
  EXPECT_NE(str(ik_error_provider_message(err.get())).find("bad page"), std::string::npos);
}

TEST_F(FastlyErrors, RawTextBody) {
  Err err;
  ASSERT_EQ(create_fails(
                Reply{503, {{"Fastly-RateLimit-Remaining", "0"}}, "Service Unavailable: try later", "text/plain"}, err),
            IK_STATUS_SERVER_ERROR);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_http_status(e), 503);
  EXPECT_TRUE(is_null(ik_error_provider_code(e)));
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(e, &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), "Service Unavailable: try later");
  EXPECT_EQ(str(ik_error_header(e, "fastly-ratelimit-remaining")), "0");
  EXPECT_EQ(str(ik_error_field(e, "content_type")), "text/plain");
}

TEST_F(FastlyErrors, RateLimitedDeleteCarriesHeaders) {
  server.enqueue(Reply{429,
                       {{"Fastly-RateLimit-Remaining", "0"}, {"Fastly-RateLimit-Reset", "1700003600"}},
                       "{\"msg\":\"Too many requests\"}",
                       "application/json"});
  Err err;
  ASSERT_EQ(ik_fastly_invitation_delete(client.get(), "inv1", nullptr, nullptr, err.out()), IK_STATUS_RATE_LIMITED);
  const ik_error *e = err.get();
  EXPECT_EQ(str(ik_error_header(e, "Fastly-RateLimit-Remaining")), "0");
  EXPECT_EQ(str(ik_error_header(e, "Fastly-RateLimit-Reset")), "1700003600");
  EXPECT_EQ(str(ik_error_operation(e)), "invitations.delete");
  EXPECT_EQ(str(ik_error_field(e, "msg")), "Too many requests");
  EXPECT_EQ(server.request_count(), 1u);  // retries are off in these tests
}

TEST_F(FastlyErrors, RateLimitResetGivesTheRetryDelay) {
  const int64_t reset = static_cast<int64_t>(std::time(nullptr)) + 60;
  server.enqueue(Reply{429,
                       {{"Fastly-RateLimit-Remaining", "0"}, {"Fastly-RateLimit-Reset", std::to_string(reset)}},
                       "{\"msg\":\"Too many requests\"}",
                       "application/json"});
  Err err;
  ASSERT_EQ(ik_fastly_invitation_delete(client.get(), "inv1", nullptr, nullptr, err.out()), IK_STATUS_RATE_LIMITED);
  int64_t ms = 0;
  ASSERT_EQ(ik_error_retry_after_ms(err.get(), &ms), 1);
  EXPECT_GE(ms, 55000);
  EXPECT_LE(ms, 61000);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
  EXPECT_EQ(str(ik_error_header(err.get(), "Fastly-RateLimit-Reset")), std::to_string(reset));
}

TEST_F(FastlyErrors, NotFoundDelete) {
  server.enqueue(Reply{404, {}, "{\"errors\":[{\"title\":\"Not found\",\"status\":\"404\"}]}", kJsonApi});
  Err err;
  ASSERT_EQ(ik_fastly_invitation_delete(client.get(), "missing", nullptr, nullptr, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_field(err.get(), "title")), "Not found");
  EXPECT_EQ(str(ik_error_provider_message(err.get())), "Not found");
}

// ------------------------------------------------------------- pagination --

namespace {

// page[number] from a raw query (1 when absent).
int page_number_of(const std::string &query) {
  const std::string v = query_value(query, "page[number]");
  return v == "<absent>" ? 1 : std::atoi(v.c_str());
}

enum class Ending { NextNull, NextSetButLastPage, MetaOnly };

struct FastlyPages {
  std::string base;
  std::vector<int> sizes;  // items per page, pages numbered from 1
  Ending ending = Ending::NextNull;

  std::string link(int n) const { return base + "/invitations?page[number]=" + std::to_string(n) + "&page[size]=2"; }
  std::string body(int n) const {
    int first = 0;
    for (int j = 1; j < n; ++j) first += sizes[j - 1];
    std::string items;
    for (int i = 0; i < sizes[n - 1]; ++i) items += (i ? "," : "") + item(first + i);
    const int total = static_cast<int>(sizes.size());
    int records = 0;
    for (int s : sizes) records += s;
    std::string next = n < total ? "\"" + link(n + 1) + "\"" : "null";
    if (ending == Ending::NextSetButLastPage && n == total) next = "\"" + link(n + 1) + "\"";
    std::string out = "{\"data\":[" + items + "]";
    if (ending != Ending::MetaOnly) {
      out += ",\"links\":{\"first\":\"" + link(1) + "\",\"last\":\"" + link(total) +
             "\",\"prev\":" + (n > 1 ? "\"" + link(n - 1) + "\"" : std::string("null")) + ",\"next\":" + next + "}";
    }
    out += ",\"meta\":{\"current_page\":" + std::to_string(n) +
           ",\"per_page\":2,\"record_count\":" + std::to_string(records) + ",\"total_pages\":" + std::to_string(total) +
           "}}";
    return out;
  }
  std::function<Reply(const RecordedRequest &)> handler() const {
    return [this](const RecordedRequest &r) {
      const int n = page_number_of(r.query);
      if (r.path != "/invitations" || n < 1 || n > static_cast<int>(sizes.size()))
        return Reply{404, {}, "{\"errors\":[{\"title\":\"no page\"}]}", kJsonApi};
      return Reply{200, {}, body(n), kJsonApi};
    };
  }
};

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back("inv" + std::to_string(i));
  return v;
}

}  // namespace

class FastlyPaging : public ProvFixture {
 protected:
  PagerPtr pager(int32_t page_size, int64_t max_items = 0, const char *cursor = nullptr) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = page_size;
    lo.max_items = max_items;
    lo.cursor = cursor;
    ik_pager *p = nullptr;
    Err err;
    EXPECT_EQ(ik_fastly_invitation_pager(client.get(), &lo, &p, err.out()), IK_STATUS_OK) << err.what();
    return PagerPtr(p);
  }
  std::vector<std::string> drain_items(ik_pager *p, int limit = 100) {
    return prov::drain_items(p, ik_pager_next_fastly_invitation, ik_fastly_invitation_free, ik_fastly_invitation_id,
                             limit);
  }
  std::vector<std::string> drain_pages(ik_pager *p, std::vector<size_t> *counts = nullptr) {
    std::vector<std::string> out;
    for (int guard = 0; guard < 20; ++guard) {
      ik_page *page = nullptr;
      Err err;
      const ik_status st = ik_pager_next_page(p, nullptr, &page, err.out());
      EXPECT_EQ(st, IK_STATUS_OK) << err.what();
      if (st != IK_STATUS_OK || !page) break;
      PagePtr own(page);
      if (counts) counts->push_back(ik_page_count(page));
      for (size_t i = 0; i < ik_page_count(page); ++i)
        out.push_back(str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, i))));
    }
    return out;
  }
  std::vector<std::string> queries() const {
    std::vector<std::string> q;
    for (auto &r : server.requests()) q.push_back(r.query);
    return q;
  }
};

TEST_F(FastlyPaging, PageByPageUntilNextIsNull) {
  FastlyPages pages{base, {2, 2, 1}};
  server.set_handler(pages.handler());
  auto p = pager(2);
  ASSERT_TRUE(p);
  EXPECT_EQ(ik_pager_kind(p.get()), IK_KIND_FASTLY_INVITATION);
  std::vector<size_t> counts;
  EXPECT_EQ(drain_pages(p.get(), &counts), ids(0, 5));
  EXPECT_EQ(counts, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(queries(),
            (std::vector<std::string>{"page[size]=2", "page[number]=2&page[size]=2", "page[number]=3&page[size]=2"}));
  for (auto &r : server.requests()) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.path, "/invitations");
    EXPECT_EQ(r.header("Fastly-Key"), kFastlyToken);
    EXPECT_EQ(r.header("Accept"), kJsonApi);
  }
  EXPECT_EQ(ik_pager_done(p.get()), 1);
  EXPECT_EQ(ik_pager_items_delivered(p.get()), 5);
}

TEST_F(FastlyPaging, ItemByItem) {
  FastlyPages pages{base, {2, 2, 2, 1}};
  server.set_handler(pages.handler());
  auto p = pager(2);
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_items(p.get()), ids(0, 7));
  EXPECT_EQ(server.request_count(), 4u);
  EXPECT_EQ(ik_pager_items_delivered(p.get()), 7);
  // Done: no more requests.
  ik_fastly_invitation *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_pager_next_fastly_invitation(p.get(), nullptr, &inv, err.out()), IK_STATUS_OK);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(server.request_count(), 4u);
}

TEST_F(FastlyPaging, StopsAtTotalPagesEvenIfNextIsSet) {
  FastlyPages pages{base, {2, 2, 1}, Ending::NextSetButLastPage};
  server.set_handler(pages.handler());
  auto p = pager(2);
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_items(p.get()), ids(0, 5));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(FastlyPaging, MetaOnlyPagination) {
  FastlyPages pages{base, {2, 2, 1}, Ending::MetaOnly};
  server.set_handler(pages.handler());
  auto p = pager(2);
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_pages(p.get()), ids(0, 5));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(FastlyPaging, NextNullStopsBeforeTotalPages) {
  // links.next null wins even when meta claims more pages.
  server.set_handler([&](const RecordedRequest &r) {
    return Reply{200,
                 {},
                 "{\"data\":[" + item(0) + "],\"links\":{\"next\":null},\"meta\":{\"current_page\":" +
                     std::to_string(page_number_of(r.query)) + ",\"total_pages\":5}}",
                 kJsonApi};
  });
  auto p = pager(1);
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_items(p.get()), ids(0, 1));
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(FastlyPaging, MaxItemsStopsExactly) {
  FastlyPages pages{base, {2, 2, 2, 1}};
  server.set_handler(pages.handler());
  {
    auto p = pager(2, 3);
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), ids(0, 3));
    EXPECT_EQ(server.request_count(), 2u);
  }
  server.clear();
  {
    auto p = pager(2, 4);
    ASSERT_TRUE(p);
    std::vector<size_t> counts;
    EXPECT_EQ(drain_pages(p.get(), &counts), ids(0, 4));
    EXPECT_EQ(counts, (std::vector<size_t>{2, 2}));
    EXPECT_EQ(server.request_count(), 2u) << "a request after max_items was reached";
  }
  server.clear();
  {
    auto p = pager(2, 5);
    ASSERT_TRUE(p);
    std::vector<size_t> counts;
    EXPECT_EQ(drain_pages(p.get(), &counts), ids(0, 5));
    EXPECT_EQ(counts, (std::vector<size_t>{2, 2, 1}));
    EXPECT_EQ(server.request_count(), 3u);
  }
}

TEST_F(FastlyPaging, CursorResumesMidPage) {
  FastlyPages pages{base, {2, 2, 2, 1}};
  server.set_handler(pages.handler());
  std::string cursor;
  {
    auto p = pager(2);
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get(), 3), ids(0, 3));  // stops after 3 items: mid page 2
    Buf cur;
    Err err;
    ASSERT_EQ(ik_pager_cursor(p.get(), &cur.b, err.out()), IK_STATUS_OK) << err.what();
    cursor = cur.s();
    ASSERT_FALSE(cursor.empty());
    for (char c : cursor) EXPECT_TRUE(c > 0x20 && c < 0x7f) << cursor;
  }
  server.clear();
  {
    auto p = pager(2, 0, cursor.c_str());
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), ids(3, 7));
    EXPECT_EQ(queries(), (std::vector<std::string>{"page[number]=2&page[size]=2", "page[number]=3&page[size]=2",
                                                   "page[number]=4&page[size]=2"}));
  }
  server.clear();
  {  // the same cursor, consumed page by page: the first page holds only the rest of page 2
    auto p = pager(2, 0, cursor.c_str());
    ASSERT_TRUE(p);
    std::vector<size_t> counts;
    EXPECT_EQ(drain_pages(p.get(), &counts), ids(3, 7));
    EXPECT_EQ(counts, (std::vector<size_t>{1, 2, 1}));
  }
}

TEST_F(FastlyPaging, CursorResumesAtPageBoundaryAndAfterEnd) {
  FastlyPages pages{base, {2, 2, 1}};
  server.set_handler(pages.handler());
  std::string cursor;
  {
    auto p = pager(2);
    ASSERT_TRUE(p);
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    PagePtr own(page);
    ASSERT_EQ(ik_page_count(page), 2u);
    Buf cur;
    ASSERT_EQ(ik_pager_cursor(p.get(), &cur.b, err.out()), IK_STATUS_OK);
    cursor = cur.s();
  }
  server.clear();
  {
    auto p = pager(2, 0, cursor.c_str());
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), ids(2, 5));
    EXPECT_EQ(queries(), (std::vector<std::string>{"page[number]=2&page[size]=2", "page[number]=3&page[size]=2"}));
    Buf cur;
    Err err;
    ASSERT_EQ(ik_pager_cursor(p.get(), &cur.b, err.out()), IK_STATUS_OK);
    EXPECT_EQ(cur.s(), "");
  }
  // A cursor and max_items together: max_items counts from the resume point.
  server.clear();
  {
    auto p = pager(2, 2, cursor.c_str());
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), ids(2, 4));
    EXPECT_EQ(server.request_count(), 1u);
  }
}

TEST_F(FastlyPaging, CursorAfterMaxItemsContinuesWithTheNextItem) {
  // Batches: a pager stopped by max_items hands out a cursor from which the
  // next batch continues ("continues exactly where this one stopped").
  FastlyPages pages{base, {2, 2, 2, 1}};
  server.set_handler(pages.handler());
  std::string cursor;
  {
    auto p = pager(2, 3);
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), ids(0, 3));
    Buf cur;
    Err err;
    ASSERT_EQ(ik_pager_cursor(p.get(), &cur.b, err.out()), IK_STATUS_OK) << err.what();
    cursor = cur.s();
  }
  ASSERT_FALSE(cursor.empty()) << "no cursor to continue after max_items (the list is not over)";
  server.clear();
  auto p = pager(2, 3, cursor.c_str());
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_items(p.get()), ids(3, 6));
  EXPECT_EQ(queries(), (std::vector<std::string>{"page[number]=2&page[size]=2", "page[number]=3&page[size]=2"}));
}

TEST_F(FastlyPaging, ListWithPageCursor) {
  FastlyPages pages{base, {2, 2, 1}};
  server.set_handler(pages.handler());
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 2;
  std::vector<std::string> got;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    lo.cursor = cursor.empty() ? nullptr : cursor.c_str();
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_fastly_invitation_list(client.get(), &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    PagePtr own(page);
    for (size_t i = 0; i < ik_page_count(page); ++i)
      got.push_back(str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, i))));
    EXPECT_EQ(opt_int(ik_page_fastly_current_page, page), guard + 1);
    if (!ik_page_next_cursor(page)) break;
    cursor = ik_page_next_cursor(page);
  }
  EXPECT_EQ(got, ids(0, 5));
  EXPECT_EQ(queries(),
            (std::vector<std::string>{"page[size]=2", "page[number]=2&page[size]=2", "page[number]=3&page[size]=2"}));
}

TEST_F(FastlyPaging, FailedPageIsRepeatedNotSkipped) {
  FastlyPages pages{base, {2, 2, 1}};
  std::mutex mu;
  bool failed = false;
  auto inner = pages.handler();
  server.set_handler([&](const RecordedRequest &r) {
    std::lock_guard<std::mutex> lock(mu);
    if (!failed && page_number_of(r.query) == 2) {
      failed = true;
      return Reply{500, {}, "{\"msg\":\"oops\"}", "application/json"};
    }
    return inner(r);
  });
  auto p = pager(2);
  ASSERT_TRUE(p);
  std::vector<std::string> got;
  int failures = 0;
  for (int guard = 0; guard < 20; ++guard) {
    ik_page *page = nullptr;
    Err err;
    const ik_status st = ik_pager_next_page(p.get(), nullptr, &page, err.out());
    if (st != IK_STATUS_OK) {
      ++failures;
      EXPECT_EQ(st, IK_STATUS_SERVER_ERROR);
      EXPECT_EQ(ik_pager_items_delivered(p.get()), 2);
      continue;
    }
    if (!page) break;
    PagePtr own(page);
    for (size_t i = 0; i < ik_page_count(page); ++i)
      got.push_back(str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, i))));
  }
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(got, ids(0, 5));
  EXPECT_EQ(queries(), (std::vector<std::string>{"page[size]=2", "page[number]=2&page[size]=2",
                                                 "page[number]=2&page[size]=2", "page[number]=3&page[size]=2"}));
}

// -------------------------------------------------------------------- env --

class FastlyEnv : public ProvFixture {
 protected:
  CleanEnv env;

  // The Fastly-Key the server sees from a client built with o ("" on failure).
  std::string key_seen(const ik_client_options &o, MockServer &srv) {
    std::string why;
    ClientPtr c = make_client(o, &why);
    if (!c) return "<client failed: " + why + ">";
    srv.clear();
    srv.enqueue(Reply::text(204, "", ""));
    Err err;
    const ik_status st = ik_fastly_invitation_delete(c.get(), "inv1", nullptr, nullptr, err.out());
    if (st != IK_STATUS_OK) return "<delete failed: " + err.what() + ">";
    return srv.last_request().header("Fastly-Key");
  }
};

TEST_F(FastlyEnv, TokenFromFastlyApiToken) {
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  ik_client_options o = env_options();
  o.fastly_base_url = base.c_str();
  EXPECT_EQ(key_seen(o, server), "env-token");
}

TEST_F(FastlyEnv, FastlyApiKeyIsTheFallback) {
  env.guard.set("FASTLY_API_KEY", "env-key");
  ik_client_options o = env_options();
  o.fastly_base_url = base.c_str();
  EXPECT_EQ(key_seen(o, server), "env-key");
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  EXPECT_EQ(key_seen(o, server), "env-token");  // FASTLY_API_TOKEN first
}

TEST_F(FastlyEnv, ExplicitTokenWins) {
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  env.guard.set("FASTLY_API_KEY", "env-key");
  ik_client_options o = env_options();
  o.fastly_base_url = base.c_str();
  o.fastly_api_token = "explicit";
  EXPECT_EQ(key_seen(o, server), "explicit");
}

TEST_F(FastlyEnv, BaseUrlFromFastlyApiUrl) {
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  env.guard.set("FASTLY_API_URL", base + "/");
  ik_client_options o = env_options();
  {
    std::string why;
    ClientPtr c = make_client(o, &why);
    ASSERT_TRUE(c) << why;
    EXPECT_EQ(str(ik_client_base_url(c.get(), IK_PROVIDER_FASTLY)), base);
  }
  EXPECT_EQ(key_seen(o, server), "env-token");
  EXPECT_EQ(server.last_request().target, "/invitations/inv1");
}

TEST_F(FastlyEnv, ExplicitBaseUrlWins) {
  MockServer other;
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  env.guard.set("FASTLY_API_URL", other.base_url());
  ik_client_options o = env_options();
  o.fastly_base_url = base.c_str();
  EXPECT_EQ(key_seen(o, server), "env-token");
  EXPECT_EQ(other.request_count(), 0u);
}

TEST_F(FastlyEnv, DefaultsAndIgnoreEnv) {
  {
    std::string why;
    ClientPtr c = make_client(env_options(), &why);
    ASSERT_TRUE(c) << why;
    EXPECT_EQ(str(ik_client_base_url(c.get(), IK_PROVIDER_FASTLY)), "https://api.fastly.com");
    EXPECT_EQ(ik_client_has_credentials(c.get(), IK_PROVIDER_FASTLY), 0);
  }
  env.guard.set("FASTLY_API_TOKEN", "env-token");
  env.guard.set("FASTLY_API_URL", "http://127.0.0.1:9");
  ik_client_options o = env_options();
  o.flags |= IK_CLIENT_IGNORE_ENV;
  std::string why;
  ClientPtr c = make_client(o, &why);
  ASSERT_TRUE(c) << why;
  EXPECT_EQ(str(ik_client_base_url(c.get(), IK_PROVIDER_FASTLY)), "https://api.fastly.com");
  EXPECT_EQ(ik_client_has_credentials(c.get(), IK_PROVIDER_FASTLY), 0);
  // Without credentials nothing is sent.
  ik_client_options o2 = o;
  o2.fastly_base_url = base.c_str();
  ClientPtr c2 = make_client(o2, &why);
  ASSERT_TRUE(c2) << why;
  Err err;
  EXPECT_EQ(ik_fastly_invitation_delete(c2.get(), "x", nullptr, nullptr, err.out()), IK_STATUS_NO_CREDENTIALS);
  EXPECT_EQ(server.request_count(), 0u);
}
