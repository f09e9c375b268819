// Exact requests of the nine Twilio operations (api-contract.md §0.1, §1, §2,
// §7): method, raw path, raw query, headers and form body as the server saw
// them; path-segment encoding of user identities; repeated Identity keys;
// page-size clamping; client-side validation that sends nothing.
#include "prov_util.hpp"

using namespace prov;

namespace {

const std::string kInvitesPath = std::string("/v1/Services/") + kService + "/Channels/" + kChannel + "/Invites";
const std::string kUsersPath = std::string("/v2/Services/") + kService + "/Users";

std::string invite_json(const std::string &sid = kInviteSid, const std::string &identity = "bob") {
  return "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + kAccountSid + "\",\"channel_sid\":\"" + kChannel +
         "\",\"service_sid\":\"" + kService + "\",\"identity\":\"" + identity +
         "\",\"date_created\":\"2015-07-30T20:00:00Z\",\"date_updated\":\"2015-07-30T20:00:00Z\",\"role_sid\":null,"
         "\"created_by\":\"system\",\"url\":\"https://chat.twilio.com" +
         kInvitesPath + "/" + sid + "\"}";
}

std::string user_json(const std::string &identity = "jing") {
  return "{\"sid\":\"US00000000000000000000000000000005\",\"account_sid\":\"" + std::string(kAccountSid) +
         "\",\"service_sid\":\"" + kService + "\",\"role_sid\":null,\"identity\":\"" + identity +
         "\",\"attributes\":\"{}\",\"is_online\":null,\"is_notifiable\":null,\"friendly_name\":null,"
         "\"joined_channels_count\":0,\"date_created\":\"2016-03-24T21:05:19Z\",\"date_updated\":\"2016-03-24T21:05:"
         "19Z\","
         "\"links\":{},\"url\":\"https://chat.twilio.com/v2/Services/IS/Users/US\"}";
}

std::string empty_list(const char *key) {
  return std::string("{\"") + key + "\":[],\"meta\":{\"page\":0,\"page_size\":50,\"key\":\"" + key +
         "\",\"first_page_url\":\"x\",\"previous_page_url\":null,\"next_page_url\":null,\"url\":\"x\"}}";
}

// Headers every Twilio request carries.
void expect_twilio_common(const RecordedRequest &r, const std::string &auth = basic(kAccountSid, kAuthToken)) {
  EXPECT_EQ(r.header_count("Authorization"), 1u);
  EXPECT_EQ(r.header("Authorization"), auth);
  expect_user_agent(r);
  EXPECT_FALSE(r.has_header("Fastly-Key"));
}

void expect_get_headers(const RecordedRequest &r) {
  expect_twilio_common(r);
  EXPECT_EQ(r.header("Accept"), "application/json");
  EXPECT_FALSE(r.has_header("Content-Type")) << r.header("Content-Type");
  EXPECT_FALSE(r.has_header("X-Twilio-Webhook-Enabled"));
  EXPECT_EQ(r.body, "");
}

void expect_post_headers(const RecordedRequest &r) {
  expect_twilio_common(r);
  EXPECT_EQ(r.header("Accept"), "application/json");
  EXPECT_EQ(r.header_count("Content-Type"), 1u);
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
}

void expect_delete_headers(const RecordedRequest &r) {
  expect_twilio_common(r);
  // twilio-node sends no Accept of its own on DELETE (§0.1; axios adds a generic
  // one, §7), so whether one is sent is not part of the contract: not checked.
  EXPECT_FALSE(r.has_header("Content-Type")) << r.header("Content-Type");
  EXPECT_FALSE(r.has_header("X-Twilio-Webhook-Enabled"));
  EXPECT_EQ(r.body, "");
}

ik_twilio_user_params user_params() {
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  return p;
}

}  // namespace

class TwilioRequests : public ProvFixture {
 protected:
  TwUserPtr create_user(const ik_twilio_user_params &p) {
    server.enqueue(Reply::json(201, user_json()));
    ik_twilio_user *u = nullptr;
    Err err;
    EXPECT_EQ(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
    return TwUserPtr(u);
  }
  TwUserPtr update_user(const char *who, const ik_twilio_user_params &p) {
    server.enqueue(Reply::json(200, user_json()));
    ik_twilio_user *u = nullptr;
    Err err;
    EXPECT_EQ(ik_twilio_user_update(client.get(), kService, who, &p, nullptr, &u, err.out()), IK_STATUS_OK)
        << err.what();
    return TwUserPtr(u);
  }
};

// ---------------------------------------------------------------- invites --

TEST_F(TwilioRequests, InviteCreateWithRole) {
  server.enqueue(Reply::json(201, invite_json()));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(client.get(), kService, kChannel, "bob smith", kRole, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, kInvitesPath);
  EXPECT_EQ(r.query, "");
  expect_post_headers(r);
  EXPECT_FALSE(r.has_header("X-Twilio-Webhook-Enabled"));                   // no such header on v1 invites (§1.6)
  EXPECT_EQ(r.body, std::string("Identity=bob%20smith&RoleSid=") + kRole);  // as twilio-node sends it (§7)
  EXPECT_EQ(str(ik_twilio_invite_sid(inv)), kInviteSid);
}

TEST_F(TwilioRequests, InviteCreateWithoutRoleSendsOnlyIdentity) {
  server.enqueue(Reply::json(201, invite_json()));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(client.get(), kService, kChannel, "bob", nullptr, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  EXPECT_EQ(server.last_request().body, "Identity=bob");
  EXPECT_EQ(split_form(server.last_request().body), (Pairs{{"Identity", "bob"}}));
}

TEST_F(TwilioRequests, InviteCreateWithAnyChannelNameEncodesIt) {
  // ChannelSid has no pattern (§8.6): a unique name is allowed and encoded.
  server.enqueue(Reply::json(201, invite_json()));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(client.get(), kService, "general/room 1", "bob", nullptr, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  EXPECT_EQ(server.last_request().path,
            std::string("/v1/Services/") + kService + "/Channels/general%2Froom%201/Invites");
}

TEST_F(TwilioRequests, InviteFetch) {
  server.enqueue(Reply::json(200, invite_json()));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_fetch(client.get(), kService, kChannel, kInviteSid, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, kInvitesPath + "/" + kInviteSid);
  expect_get_headers(r);
}

TEST_F(TwilioRequests, InviteListDefaultSendsNoQuery) {
  server.enqueue(Reply::json(200, empty_list("invites")));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, kInvitesPath);  // no PageSize when the caller gives none (§5.2, §7)
  expect_get_headers(r);
  EXPECT_EQ(ik_page_count(page), 0u);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_TWILIO_INVITE);
}

TEST_F(TwilioRequests, InviteListRepeatsIdentityKeys) {
  server.enqueue(Reply::json(200, empty_list("invites")));
  const char *ids[] = {"a", "b c", "x&y=z+1"};
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 50;
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, ids, 3, &lo, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  const auto r = server.last_request();
  EXPECT_EQ(r.path, kInvitesPath);
  EXPECT_EQ(r.query, "Identity=a&Identity=b%20c&Identity=x%26y%3Dz%2B1&PageSize=50");
  EXPECT_EQ(split_form(r.query),
            (Pairs{{"Identity", "a"}, {"Identity", "b c"}, {"Identity", "x&y=z+1"}, {"PageSize", "50"}}));
  expect_get_headers(r);
}

TEST_F(TwilioRequests, InvitePageSizeIsClampedTo1000) {
  for (int32_t asked : {5000, 1001, 1000}) {
    server.clear();
    server.enqueue(Reply::json(200, empty_list("invites")));
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = asked;
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, &lo, nullptr, &page, err.out()),
              IK_STATUS_OK)
        << err.what();
    PagePtr own(page);
    EXPECT_EQ(server.last_request().query, "PageSize=1000") << "asked " << asked;
  }
  server.clear();
  server.enqueue(Reply::json(200, empty_list("invites")));
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 1;
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, &lo, nullptr, &page, err.out()),
            IK_STATUS_OK);
  PagePtr own(page);
  EXPECT_EQ(server.last_request().query, "PageSize=1");
}

TEST_F(TwilioRequests, InviteDelete) {
  server.enqueue(Reply::text(204, "", ""));
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_delete(client.get(), kService, kChannel, kInviteSid, nullptr, &del, err.out()),
            IK_STATUS_OK)
      << err.what();
  DeletionPtr own(del);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(r.target, kInvitesPath + "/" + kInviteSid);
  expect_delete_headers(r);
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_TWILIO_INVITE);
  EXPECT_EQ(str(ik_deletion_id(del)), kInviteSid) << "a 204 has no body: the id is the one the call was given";
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
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_TWILIO);
}

TEST_F(TwilioRequests, InviteDeleteWithoutResponseOut) {
  server.enqueue(Reply::text(204, "", ""));
  Err err;
  EXPECT_EQ(ik_twilio_invite_delete(client.get(), kService, kChannel, kInviteSid, nullptr, nullptr, err.out()),
            IK_STATUS_OK)
      << err.what();
  EXPECT_EQ(server.request_count(), 1u);
}

// ------------------------------------------------------------------ users --

TEST_F(TwilioRequests, UserCreateFullBodyAndWebhookTrue) {
  auto p = user_params();
  p.identity = "jing";
  p.role_sid = kRole;
  p.attributes = "{\"a\":1}";
  p.friendly_name = "J";
  p.webhook_enabled = IK_OPTBOOL_TRUE;
  auto u = create_user(p);
  ASSERT_TRUE(u);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, kUsersPath);
  expect_post_headers(r);
  EXPECT_EQ(r.header_count("X-Twilio-Webhook-Enabled"), 1u);
  EXPECT_EQ(r.header("X-Twilio-Webhook-Enabled"), "true");
  // Exactly what twilio-node sends (§7).
  EXPECT_EQ(r.body, std::string("Identity=jing&RoleSid=") + kRole + "&Attributes=%7B%22a%22%3A1%7D&FriendlyName=J");
  EXPECT_EQ(split_form(r.body),
            (Pairs{{"Identity", "jing"}, {"RoleSid", kRole}, {"Attributes", "{\"a\":1}"}, {"FriendlyName", "J"}}));
}

TEST_F(TwilioRequests, UserCreateOnlyIdentityNoWebhookHeader) {
  auto p = user_params();
  p.identity = "jing";
  auto u = create_user(p);
  ASSERT_TRUE(u);
  const auto r = server.last_request();
  EXPECT_EQ(r.body, "Identity=jing");
  EXPECT_FALSE(r.has_header("X-Twilio-Webhook-Enabled"));
}

TEST_F(TwilioRequests, UserCreateWebhookFalse) {
  auto p = user_params();
  p.identity = "jing";
  p.webhook_enabled = IK_OPTBOOL_FALSE;
  auto u = create_user(p);
  ASSERT_TRUE(u);
  EXPECT_EQ(server.last_request().header("X-Twilio-Webhook-Enabled"), "false");
  EXPECT_EQ(server.last_request().header_count("X-Twilio-Webhook-Enabled"), 1u);
}

TEST_F(TwilioRequests, UserCreateEmptyStringIsSentNullIsNot) {
  auto p = user_params();
  p.identity = "jing";
  p.friendly_name = "";    // set to empty
  p.attributes = nullptr;  // not set
  auto u = create_user(p);
  ASSERT_TRUE(u);
  const auto r = server.last_request();
  EXPECT_EQ(r.body, "Identity=jing&FriendlyName=");
  EXPECT_EQ(split_form(r.body), (Pairs{{"Identity", "jing"}, {"FriendlyName", ""}}));
}

TEST_F(TwilioRequests, UserCreateFormEncodesSpecialCharacters) {
  auto p = user_params();
  p.identity = "a b&c=d+e";
  p.friendly_name = "Zoë 🎉 100% & co";
  p.attributes = "{\"k\":\"v w+x&y=z\",\"n\":\"é\"}";
  auto u = create_user(p);
  ASSERT_TRUE(u);
  const auto r = server.last_request();
  EXPECT_EQ(r.body,
            "Identity=a%20b%26c%3Dd%2Be"
            "&Attributes=%7B%22k%22%3A%22v%20w%2Bx%26y%3Dz%22%2C%22n%22%3A%22%C3%A9%22%7D"
            "&FriendlyName=Zo%C3%AB%20%F0%9F%8E%89%20100%25%20%26%20co");
  EXPECT_EQ(split_form(r.body), (Pairs{{"Identity", "a b&c=d+e"},
                                       {"Attributes", "{\"k\":\"v w+x&y=z\",\"n\":\"é\"}"},
                                       {"FriendlyName", "Zoë 🎉 100% & co"}}));
  // Nothing outside the unreserved set travels literally.
  for (char c : r.body) EXPECT_EQ(std::strchr(" +\"{}#|/:,", c), nullptr) << "literal '" << c << "' in " << r.body;
}

TEST_F(TwilioRequests, UserFetchBySid) {
  server.enqueue(Reply::json(200, user_json()));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "US00000000000000000000000000000005", nullptr, &u, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwUserPtr own(u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, kUsersPath + "/US00000000000000000000000000000005");
  expect_get_headers(r);
}

TEST_F(TwilioRequests, UserFetchByIdentity) {
  server.enqueue(Reply::json(200, user_json("jing")));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
  TwUserPtr own(u);
  EXPECT_EQ(server.last_request().target, kUsersPath + "/jing");
  EXPECT_EQ(str(ik_twilio_user_identity(u)), "jing");
}

TEST_F(TwilioRequests, UserListDefaultAndPageSizeClampedTo100) {
  {
    server.enqueue(Reply::json(200, empty_list("users")));
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK)
        << err.what();
    PagePtr own(page);
    const auto r = server.last_request();
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, kUsersPath);
    expect_get_headers(r);
    EXPECT_EQ(ik_page_kind(page), IK_KIND_TWILIO_USER);
  }
  const std::pair<int32_t, const char *> cases[] = {
      {5000, "PageSize=100"}, {101, "PageSize=100"}, {100, "PageSize=100"}, {7, "PageSize=7"}};
  for (auto &c : cases) {
    server.clear();
    server.enqueue(Reply::json(200, empty_list("users")));
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = c.first;
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_list(client.get(), kService, &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    PagePtr own(page);
    EXPECT_EQ(server.last_request().path, kUsersPath);
    EXPECT_EQ(server.last_request().query, c.second) << "asked " << c.first;
  }
}

TEST_F(TwilioRequests, UserUpdate) {
  auto p = user_params();
  p.friendly_name = "x";
  p.webhook_enabled = IK_OPTBOOL_FALSE;
  auto u = update_user("jing", p);
  ASSERT_TRUE(u);
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");  // Twilio updates are POSTs (§2.5)
  EXPECT_EQ(r.target, kUsersPath + "/jing");
  expect_post_headers(r);
  EXPECT_EQ(r.header("X-Twilio-Webhook-Enabled"), "false");
  EXPECT_EQ(r.body, "FriendlyName=x");  // as twilio-node (§7); never an Identity field
}

TEST_F(TwilioRequests, UserUpdateAllFieldsNoWebhook) {
  auto p = user_params();
  p.role_sid = kRole;
  p.attributes = "[1,2]";
  p.friendly_name = "";
  auto u = update_user("US00000000000000000000000000000005", p);
  ASSERT_TRUE(u);
  const auto r = server.last_request();
  EXPECT_FALSE(r.has_header("X-Twilio-Webhook-Enabled"));
  EXPECT_EQ(split_form(r.body), (Pairs{{"RoleSid", kRole}, {"Attributes", "[1,2]"}, {"FriendlyName", ""}}));
  EXPECT_EQ(r.body, std::string("RoleSid=") + kRole + "&Attributes=%5B1%2C2%5D&FriendlyName=");
}

TEST_F(TwilioRequests, UserUpdateWithNothingSendsEmptyForm) {
  auto p = user_params();
  auto u = update_user("jing", p);
  ASSERT_TRUE(u);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
}

TEST_F(TwilioRequests, UserDelete) {
  server.enqueue(Reply::text(204, "", ""));
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_delete(client.get(), kService, "jing", nullptr, &del, err.out()), IK_STATUS_OK)
      << err.what();
  DeletionPtr own(del);
  const auto r = server.last_request();
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(r.target, kUsersPath + "/jing");
  expect_delete_headers(r);
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_TWILIO_USER);
  EXPECT_EQ(str(ik_deletion_id(del)), "jing");
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_object(del), nullptr);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 0);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
}

// ---------------------------------------------------------- path encoding --

struct IdentityCase {
  const char *identity;
  const char *segment;  // the raw last path segment expected on the wire
};

class TwilioIdentityPath : public ProvFixture, public ::testing::WithParamInterface<IdentityCase> {};

TEST_P(TwilioIdentityPath, FetchUpdateDeleteEncodeTheIdentity) {
  const IdentityCase c = GetParam();
  const std::string expected_path = kUsersPath + "/" + c.segment;
  server.set_handler([](const RecordedRequest &r) {
    if (r.method == "DELETE") return Reply::text(204, "", "");
    return Reply::json(200, user_json());
  });
  {
    ik_twilio_user *u = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, c.identity, nullptr, &u, err.out()), IK_STATUS_OK)
        << err.what();
    TwUserPtr own(u);
  }
  {
    auto p = user_params();
    p.friendly_name = "n";
    ik_twilio_user *u = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_update(client.get(), kService, c.identity, &p, nullptr, &u, err.out()), IK_STATUS_OK)
        << err.what();
    TwUserPtr own(u);
  }
  {
    ik_deletion *del = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_delete(client.get(), kService, c.identity, nullptr, &del, err.out()), IK_STATUS_OK)
        << err.what();
    DeletionPtr own(del);
    EXPECT_EQ(str(ik_deletion_id(del)), c.identity) << "the identity as given, not percent-encoded";
  }
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  const char *methods[] = {"GET", "POST", "DELETE"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(reqs[i].method, methods[i]);
    EXPECT_EQ(reqs[i].path, expected_path) << methods[i];
    EXPECT_EQ(reqs[i].query, "") << methods[i];
    EXPECT_EQ(pct_decode(last_segment(reqs[i].path)), c.identity) << methods[i];
    // The identity is one segment: the path has exactly 5 slashes.
    EXPECT_EQ(std::count(reqs[i].path.begin(), reqs[i].path.end(), '/'), 5) << reqs[i].path;
  }
}

INSTANTIATE_TEST_SUITE_P(Identities, TwilioIdentityPath,
                         ::testing::Values(IdentityCase{"a|b", "a%7Cb"}, IdentityCase{"ciao#hola", "ciao%23hola"},
                                           IdentityCase{"x/y", "x%2Fy"},
                                           IdentityCase{"name with spaces", "name%20with%20spaces"},
                                           IdentityCase{"é", "%C3%A9"}, IdentityCase{"..", "%2E%2E"},
                                           IdentityCase{".", "%2E"}, IdentityCase{"a?b=c&d", "a%3Fb%3Dc%26d"},
                                           IdentityCase{"user@example.com", "user%40example.com"},
                                           IdentityCase{"50%off", "50%25off"}));

// ------------------------------------------------------------- validation --

class TwilioValidation : public ProvFixture {
 protected:
  // The call failed with INVALID_ARGUMENT and nothing reached the server.
  void expect_rejected(ik_status st, const Err &err, const char *what) {
    EXPECT_EQ(st, IK_STATUS_INVALID_ARGUMENT) << what << ": " << err.what();
    EXPECT_TRUE(err) << what;
    if (err) {
      EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_INVALID_ARGUMENT) << what;
    }
    EXPECT_EQ(server.request_count(), 0u) << what;
  }
};

TEST_F(TwilioValidation, BadServiceSids) {
  const char *bad[] = {"",
                       "IS123",
                       "XX00000000000000000000000000000001",
                       "IS0000000000000000000000000000000g",
                       "IS000000000000000000000000000000011",
                       "is00000000000000000000000000000001",
                       "IS 0000000000000000000000000000001"};
  for (const char *svc : bad) {
    {
      ik_twilio_invite *inv = nullptr;
      Err err;
      expect_rejected(ik_twilio_invite_create(client.get(), svc, kChannel, "bob", nullptr, nullptr, &inv, err.out()),
                      err, svc);
      EXPECT_EQ(inv, nullptr);
    }
    {
      ik_twilio_invite *inv = nullptr;
      Err err;
      expect_rejected(ik_twilio_invite_fetch(client.get(), svc, kChannel, kInviteSid, nullptr, &inv, err.out()), err,
                      svc);
    }
    {
      ik_page *page = nullptr;
      Err err;
      expect_rejected(
          ik_twilio_invite_list(client.get(), svc, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()), err, svc);
    }
    {
      ik_pager *pager = nullptr;
      Err err;
      ik_status st = ik_twilio_user_pager(client.get(), svc, nullptr, &pager, err.out());
      PagerPtr own(pager);
      if (st == IK_STATUS_OK) {  // validation may be deferred to the first page
        ik_page *page = nullptr;
        st = ik_pager_next_page(pager, nullptr, &page, err.out());
        PagePtr p(page);
      }
      expect_rejected(st, err, svc);
    }
    {
      Err err;
      expect_rejected(ik_twilio_invite_delete(client.get(), svc, kChannel, kInviteSid, nullptr, nullptr, err.out()),
                      err, svc);
    }
    {
      auto p = user_params();
      p.identity = "jing";
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_create(client.get(), svc, &p, nullptr, &u, err.out()), err, svc);
    }
    {
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_fetch(client.get(), svc, "jing", nullptr, &u, err.out()), err, svc);
    }
    {
      ik_page *page = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_list(client.get(), svc, nullptr, nullptr, &page, err.out()), err, svc);
    }
    {
      auto p = user_params();
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_update(client.get(), svc, "jing", &p, nullptr, &u, err.out()), err, svc);
    }
    {
      Err err;
      expect_rejected(ik_twilio_user_delete(client.get(), svc, "jing", nullptr, nullptr, err.out()), err, svc);
    }
  }
}

TEST_F(TwilioValidation, BadInviteSids) {
  const char *bad[] = {"", "IN1", "US00000000000000000000000000000003", "IN0000000000000000000000000000000Z"};
  for (const char *sid : bad) {
    {
      ik_twilio_invite *inv = nullptr;
      Err err;
      expect_rejected(ik_twilio_invite_fetch(client.get(), kService, kChannel, sid, nullptr, &inv, err.out()), err,
                      sid);
    }
    {
      Err err;
      expect_rejected(ik_twilio_invite_delete(client.get(), kService, kChannel, sid, nullptr, nullptr, err.out()), err,
                      sid);
    }
  }
}

TEST_F(TwilioValidation, BadRoleSids) {
  const char *bad[] = {"", "RL1", "IS00000000000000000000000000000004", "RL000000000000000000000000000000-4"};
  for (const char *role : bad) {
    {
      ik_twilio_invite *inv = nullptr;
      Err err;
      expect_rejected(ik_twilio_invite_create(client.get(), kService, kChannel, "bob", role, nullptr, &inv, err.out()),
                      err, role);
    }
    {
      auto p = user_params();
      p.identity = "jing";
      p.role_sid = role;
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), err, role);
    }
    {
      auto p = user_params();
      p.role_sid = role;
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_update(client.get(), kService, "jing", &p, nullptr, &u, err.out()), err, role);
    }
  }
}

TEST_F(TwilioValidation, UpdateWithIdentitySet) {
  auto p = user_params();
  p.identity = "new-name";
  p.friendly_name = "x";
  ik_twilio_user *u = nullptr;
  Err err;
  expect_rejected(ik_twilio_user_update(client.get(), kService, "jing", &p, nullptr, &u, err.out()), err, "update");
  EXPECT_EQ(u, nullptr);
}

TEST_F(TwilioValidation, AttributesMustBeJson) {
  const char *bad[] = {"{bad", "", "{\"a\":}", "not json", "{\"a\":1} trailing", "{\"a\":1"};
  for (const char *attrs : bad) {
    {
      auto p = user_params();
      p.identity = "jing";
      p.attributes = attrs;
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), err, attrs);
    }
    {
      auto p = user_params();
      p.attributes = attrs;
      ik_twilio_user *u = nullptr;
      Err err;
      expect_rejected(ik_twilio_user_update(client.get(), kService, "jing", &p, nullptr, &u, err.out()), err, attrs);
    }
  }
}

TEST_F(TwilioValidation, RequiredTextAndOtherBadInputs) {
  {
    ik_twilio_invite *inv = nullptr;
    Err err;
    expect_rejected(
        ik_twilio_invite_create(client.get(), kService, kChannel, nullptr, nullptr, nullptr, &inv, err.out()), err,
        "invite identity NULL");
  }
  {
    ik_twilio_invite *inv = nullptr;
    Err err;
    expect_rejected(ik_twilio_invite_create(client.get(), kService, "", "bob", nullptr, nullptr, &inv, err.out()), err,
                    "empty channel");
  }
  {
    auto p = user_params();
    ik_twilio_user *u = nullptr;
    Err err;
    expect_rejected(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), err,
                    "user create without identity");
  }
  {
    ik_twilio_user *u = nullptr;
    Err err;
    expect_rejected(ik_twilio_user_fetch(client.get(), kService, "", nullptr, &u, err.out()), err, "empty identity");
  }
  // ik_optbool inputs take IK_OPTBOOL_UNSET/TRUE/FALSE (0..2) only; -1 was
  // "null" in 0.1 and is an error now.
  for (ik_optbool bad : {3, -1, INT32_MIN, INT32_MAX}) {
    auto p = user_params();
    p.identity = "jing";
    p.webhook_enabled = bad;
    ik_twilio_user *u = nullptr;
    Err err;
    expect_rejected(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), err,
                    ("webhook " + std::to_string(bad)).c_str());
    auto q = user_params();
    q.friendly_name = "J";
    q.webhook_enabled = bad;
    expect_rejected(ik_twilio_user_update(client.get(), kService, "jing", &q, nullptr, &u, err.out()), err,
                    ("update webhook " + std::to_string(bad)).c_str());
  }
  {
    ik_page *page = nullptr;
    Err err;
    expect_rejected(
        ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 2, nullptr, nullptr, &page, err.out()), err,
        "identities NULL with count 2");
  }
  {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = -1;
    ik_page *page = nullptr;
    Err err;
    expect_rejected(ik_twilio_user_list(client.get(), kService, &lo, nullptr, &page, err.out()), err, "page_size -1");
  }
  {
    const char bad_utf8[] = {'a', static_cast<char>(0xC3), 0};
    ik_twilio_user *u = nullptr;
    Err err;
    const ik_status st = ik_twilio_user_fetch(client.get(), kService, bad_utf8, nullptr, &u, err.out());
    EXPECT_EQ(st, IK_STATUS_INVALID_UTF8) << err.what();
    EXPECT_EQ(server.request_count(), 0u);
  }
}
