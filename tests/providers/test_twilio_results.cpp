// Twilio results and errors: typed accessors for every invite (§1.6) and user
// (§2.7) field, raw JSON, page meta, request ids; the three error shapes
// (legacy {code,message,more_info,status}, RFC 9457, non-JSON); credentials
// and base URL from the environment (§0.1, DESIGN §4).
#include "prov_util.hpp"

using namespace prov;

namespace {

const std::string kInvitesPath = std::string("/v1/Services/") + kService + "/Channels/" + kChannel + "/Invites";
const std::string kUsersPath = std::string("/v2/Services/") + kService + "/Users";
const char *kUserSid = "US0123456789abcdef0123456789ABCDEF";

const std::string kFullInvite = std::string("{\"account_sid\":\"") + kAccountSid + "\",\"channel_sid\":\"" + kChannel +
                                "\",\"created_by\":\"created_by\",\"date_created\":\"2015-07-30T20:00:00Z\","
                                "\"date_updated\":\"2015-07-30T20:00:01Z\",\"identity\":\"ident ity\",\"role_sid\":\"" +
                                kRole + "\",\"service_sid\":\"" + kService + "\",\"sid\":\"" + kInviteSid +
                                "\",\"url\":\"https://chat.twilio.com" + kInvitesPath + "/" + kInviteSid + "\"}";

std::string user_json(const std::string &online, const std::string &notifiable, const std::string &attributes,
                      const std::string &joined = "\"joined_channels_count\":3,") {
  return std::string("{\"sid\":\"") + kUserSid + "\",\"account_sid\":\"" + kAccountSid + "\",\"service_sid\":\"" +
         kService + "\",\"role_sid\":\"" + kRole + "\",\"identity\":\"jing\",\"attributes\":" + attributes +
         ",\"is_online\":" + online + ",\"is_notifiable\":" + notifiable + ",\"friendly_name\":\"Jing Li\"," + joined +
         "\"date_created\":\"2016-03-24T21:05:19Z\",\"date_updated\":\"2016-03-25T08:30:00Z\","
         "\"links\":{\"user_channels\":\"https://chat.twilio.com/v2/Services/" +
         kService + "/Users/" + kUserSid + "/Channels\",\"user_bindings\":\"https://chat.twilio.com/v2/Services/" +
         kService + "/Users/" + kUserSid + "/Bindings\"},\"url\":\"https://chat.twilio.com/v2/Services/" + kService +
         "/Users/" + kUserSid + "\"}";
}

void expect_full_invite(const ik_twilio_invite *inv) {
  ASSERT_NE(inv, nullptr);
  EXPECT_EQ(str(ik_twilio_invite_sid(inv)), kInviteSid);
  EXPECT_EQ(str(ik_twilio_invite_account_sid(inv)), kAccountSid);
  EXPECT_EQ(str(ik_twilio_invite_channel_sid(inv)), kChannel);
  EXPECT_EQ(str(ik_twilio_invite_service_sid(inv)), kService);
  EXPECT_EQ(str(ik_twilio_invite_identity(inv)), "ident ity");
  EXPECT_EQ(str(ik_twilio_invite_role_sid(inv)), kRole);
  EXPECT_EQ(str(ik_twilio_invite_created_by(inv)), "created_by");
  EXPECT_EQ(str(ik_twilio_invite_url(inv)), "https://chat.twilio.com" + kInvitesPath + "/" + kInviteSid);
  EXPECT_EQ(str(ik_twilio_invite_date_created(inv)), "2015-07-30T20:00:00Z");
  EXPECT_EQ(str(ik_twilio_invite_date_updated(inv)), "2015-07-30T20:00:01Z");
  int64_t t = 0;
  EXPECT_EQ(ik_twilio_invite_date_created_unix(inv, &t), 1);
  EXPECT_EQ(t, 1438286400);
  EXPECT_EQ(ik_twilio_invite_date_updated_unix(inv, &t), 1);
  EXPECT_EQ(t, 1438286401);
}

}  // namespace

class TwilioResults : public ProvFixture {};

TEST_F(TwilioResults, InviteEveryField) {
  server.enqueue(Reply::json(201, kFullInvite, {{"Twilio-Request-Id", "RQ0000000000000000000000000000000a"}}));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(client.get(), kService, kChannel, "ident ity", kRole, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  expect_full_invite(inv);
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_twilio_invite_raw_json(inv, &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(bytes(raw, n), kFullInvite);
  EXPECT_EQ(raw[n], 0) << "a whole body is followed by a NUL";
  const ik_response *resp = ik_twilio_invite_response(inv);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(ik_response_http_status(resp), 201);
  EXPECT_EQ(ik_response_provider(resp), IK_PROVIDER_TWILIO);
  EXPECT_EQ(str(ik_response_request_id(resp)), "RQ0000000000000000000000000000000a");
  EXPECT_EQ(str(ik_response_header(resp, "twilio-request-id")), "RQ0000000000000000000000000000000a");
  EXPECT_EQ(ik_response_attempts(resp), 1);
}

TEST_F(TwilioResults, InviteNullsAndAbsentFields) {
  // Every invite property is nullable and none is required (§1.6).
  server.enqueue(Reply::json(
      200, "{\"sid\":\"" + std::string(kInviteSid) + "\",\"role_sid\":null,\"date_created\":null,\"identity\":null}"));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_fetch(client.get(), kService, kChannel, kInviteSid, nullptr, &inv, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwInvitePtr own(inv);
  EXPECT_EQ(str(ik_twilio_invite_sid(inv)), kInviteSid);
  EXPECT_TRUE(is_null(ik_twilio_invite_role_sid(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_identity(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_date_created(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_date_updated(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_account_sid(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_created_by(inv)));
  EXPECT_TRUE(is_null(ik_twilio_invite_url(inv)));
  int64_t t = 12345;
  EXPECT_EQ(ik_twilio_invite_date_created_unix(inv, &t), 0);
  EXPECT_EQ(ik_twilio_invite_date_updated_unix(inv, &t), 0);
}

TEST_F(TwilioResults, InviteListItemsAndPageMeta) {
  const std::string page_url = "https://chat.twilio.com" + kInvitesPath + "?Identity=identity&PageSize=50&Page=1";
  const std::string body = "{\"invites\":[" + kFullInvite + "," + kFullInvite +
                           "],\"meta\":{\"first_page_url\":\"https://chat.twilio.com" + kInvitesPath +
                           "?Identity=identity&PageSize=50&Page=0\",\"key\":\"invites\",\"next_page_url\":null,"
                           "\"page\":1,\"page_size\":50,\"previous_page_url\":\"https://chat.twilio.com" +
                           kInvitesPath + "?Identity=identity&PageSize=50&Page=0&PageToken=PB0\",\"url\":\"" +
                           page_url + "\"}}";
  server.enqueue(Reply::json(200, body, {{"Twilio-Request-Id", "RQlist"}}));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_TWILIO_INVITE);
  ASSERT_EQ(ik_page_count(page), 2u);
  expect_full_invite(ik_page_twilio_invite_at(page, 0));
  expect_full_invite(ik_page_twilio_invite_at(page, 1));
  EXPECT_EQ(ik_page_twilio_invite_at(page, 2), nullptr);
  EXPECT_EQ(ik_page_twilio_user_at(page, 0), nullptr);
  EXPECT_EQ(ik_page_fastly_invitation_at(page, 0), nullptr);
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_twilio_invite_raw_json(ik_page_twilio_invite_at(page, 1), &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(bytes(raw, n), kFullInvite) << "an item's raw JSON is its own bytes of the page body";
  EXPECT_TRUE(SameJson(bytes(raw, n), kFullInvite));
  ASSERT_EQ(ik_page_raw_json(page, &raw, &n), 1);
  EXPECT_EQ(bytes(raw, n), body);
  EXPECT_EQ(ik_page_has_more(page), 0);
  EXPECT_TRUE(is_null(ik_page_next_cursor(page)));
  EXPECT_EQ(opt_int(ik_page_twilio_page, page), 1);
  EXPECT_EQ(opt_int(ik_page_twilio_page_size, page), 50);
  EXPECT_EQ(str(ik_page_twilio_key(page)), "invites");
  EXPECT_EQ(str(ik_page_twilio_url(page)), page_url);
  EXPECT_EQ(str(ik_page_twilio_first_page_url(page)),
            "https://chat.twilio.com" + kInvitesPath + "?Identity=identity&PageSize=50&Page=0");
  EXPECT_EQ(str(ik_page_twilio_previous_page_url(page)),
            "https://chat.twilio.com" + kInvitesPath + "?Identity=identity&PageSize=50&Page=0&PageToken=PB0");
  EXPECT_TRUE(is_null(ik_page_twilio_next_page_url(page)));
  // Fastly/OpenAI metadata is absent on a Twilio page.
  int64_t meta = 0;
  EXPECT_EQ(ik_page_fastly_current_page(page, &meta), 0);
  EXPECT_EQ(ik_page_fastly_per_page(page, &meta), 0);
  EXPECT_TRUE(is_null(ik_page_fastly_link_next(page)));
  EXPECT_EQ(str(ik_response_request_id(ik_page_response(page))), "RQlist");
  // Items share the page's exchange metadata.
  EXPECT_EQ(str(ik_response_request_id(ik_twilio_invite_response(ik_page_twilio_invite_at(page, 0)))), "RQlist");
}

TEST_F(TwilioResults, ItemsFoundThroughMetaKey) {
  // twilio-node finds the array through meta.key (§0.1).
  const std::string body =
      "{\"meta\":{\"key\":\"invites\",\"page\":0,\"page_size\":50,\"next_page_url\":null},"
      "\"invites\":[" +
      kFullInvite + "]}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  EXPECT_EQ(ik_page_count(page), 1u);
  EXPECT_TRUE(is_null(ik_page_twilio_url(page)));  // absent meta fields read as NULL / not present
  EXPECT_TRUE(is_null(ik_page_twilio_first_page_url(page)));
  EXPECT_TRUE(is_null(ik_page_twilio_previous_page_url(page)));
  EXPECT_EQ(opt_int(ik_page_twilio_page, page), 0) << "page 0 is present";
  EXPECT_EQ(ik_page_twilio_page(page, nullptr), 1);
}

TEST_F(TwilioResults, AbsentPageMetaNumbersReadAsNotPresent) {
  const std::string body =
      "{\"meta\":{\"key\":\"invites\",\"next_page_url\":null,\"page_size\":null},"
      "\"invites\":[" +
      kFullInvite + "]}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  int64_t v = 0;
  EXPECT_EQ(ik_page_twilio_page(page, &v), 0) << "absent";
  EXPECT_EQ(ik_page_twilio_page_size(page, &v), 0) << "null";
}

TEST_F(TwilioResults, UserEveryField) {
  const std::string body = user_json("true", "false", "\"{\\\"a\\\":{\\\"b\\\":[1,2]}}\"");
  server.enqueue(Reply::json(200, body, {{"Twilio-Request-Id", "RQuser"}}));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, kUserSid, nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
  TwUserPtr own(u);
  EXPECT_EQ(str(ik_twilio_user_sid(u)), kUserSid);
  EXPECT_EQ(str(ik_twilio_user_account_sid(u)), kAccountSid);
  EXPECT_EQ(str(ik_twilio_user_service_sid(u)), kService);
  EXPECT_EQ(str(ik_twilio_user_attributes(u)), "{\"a\":{\"b\":[1,2]}}");  // the JSON string, unescaped once
  EXPECT_EQ(str(ik_twilio_user_friendly_name(u)), "Jing Li");
  EXPECT_EQ(str(ik_twilio_user_role_sid(u)), kRole);
  EXPECT_EQ(str(ik_twilio_user_identity(u)), "jing");
  EXPECT_EQ(ik_twilio_user_is_online(u), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_twilio_user_is_notifiable(u), IK_OPTBOOL_FALSE);
  EXPECT_EQ(str(ik_twilio_user_date_created(u)), "2016-03-24T21:05:19Z");
  EXPECT_EQ(str(ik_twilio_user_date_updated(u)), "2016-03-25T08:30:00Z");
  int64_t t = 0;
  EXPECT_EQ(ik_twilio_user_date_created_unix(u, &t), 1);
  EXPECT_EQ(t, 1458853519);
  EXPECT_EQ(ik_twilio_user_date_updated_unix(u, &t), 1);
  EXPECT_EQ(t, 1458894600);
  EXPECT_EQ(opt_int(ik_twilio_user_joined_channels_count, u), 3);
  EXPECT_EQ(str(ik_twilio_user_link_user_channels(u)),
            std::string("https://chat.twilio.com/v2/Services/") + kService + "/Users/" + kUserSid + "/Channels");
  EXPECT_EQ(str(ik_twilio_user_link_user_bindings(u)),
            std::string("https://chat.twilio.com/v2/Services/") + kService + "/Users/" + kUserSid + "/Bindings");
  EXPECT_EQ(str(ik_twilio_user_url(u)),
            std::string("https://chat.twilio.com/v2/Services/") + kService + "/Users/" + kUserSid);
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_twilio_user_raw_json(u, &raw, &n), 1);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(bytes(raw, n), body);
  size_t only_len = 0;
  EXPECT_EQ(ik_twilio_user_raw_json(u, nullptr, &only_len), 1);
  EXPECT_EQ(only_len, body.size());
  EXPECT_EQ(str(ik_response_request_id(ik_twilio_user_response(u))), "RQuser");
  EXPECT_EQ(ik_response_http_status(ik_twilio_user_response(u)), 200);
}

TEST_F(TwilioResults, UserTriStatesAndNulls) {
  struct Case {
    const char *online, *notifiable;
    int32_t want_online, want_notifiable;
  } cases[] = {{"false", "true", IK_OPTBOOL_FALSE, IK_OPTBOOL_TRUE},
               {"null", "null", IK_OPTBOOL_UNSET, IK_OPTBOOL_UNSET},
               {"true", "null", IK_OPTBOOL_TRUE, IK_OPTBOOL_UNSET}};
  for (const auto &c : cases) {
    server.clear();
    server.enqueue(Reply::json(200, user_json(c.online, c.notifiable, "null")));
    ik_twilio_user *u = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
    TwUserPtr own(u);
    EXPECT_EQ(ik_twilio_user_is_online(u), c.want_online) << c.online;
    EXPECT_EQ(ik_twilio_user_is_notifiable(u), c.want_notifiable) << c.notifiable;
    EXPECT_TRUE(is_null(ik_twilio_user_attributes(u)));  // "attributes": null
  }
  // Absent booleans, links, count: unset / NULL / not present.
  server.clear();
  server.enqueue(Reply::json(200, "{\"sid\":\"" + std::string(kUserSid) + "\",\"links\":null}"));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
  TwUserPtr own(u);
  EXPECT_EQ(ik_twilio_user_is_online(u), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_twilio_user_is_notifiable(u), IK_OPTBOOL_UNSET);
  int64_t count = 12345;
  EXPECT_EQ(ik_twilio_user_joined_channels_count(u, &count), 0) << "absent is not 0";
  EXPECT_TRUE(is_null(ik_twilio_user_link_user_channels(u)));
  EXPECT_TRUE(is_null(ik_twilio_user_link_user_bindings(u)));
  EXPECT_TRUE(is_null(ik_twilio_user_friendly_name(u)));
  int64_t t = 0;
  EXPECT_EQ(ik_twilio_user_date_created_unix(u, &t), 0);
}

TEST_F(TwilioResults, UserEmptyAttributesObjectAndCreateStatus) {
  server.enqueue(Reply::json(201, user_json("null", "null", "\"{}\"", "\"joined_channels_count\":0,")));
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  p.identity = "jing";
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
  TwUserPtr own(u);
  EXPECT_EQ(str(ik_twilio_user_attributes(u)), "{}");
  EXPECT_EQ(opt_int(ik_twilio_user_joined_channels_count, u), 0) << "0 is present";
  EXPECT_EQ(ik_response_http_status(ik_twilio_user_response(u)), 201);
}

TEST_F(TwilioResults, UserListItemsAreTypedAndOnlineIsNull) {
  const std::string u1 = user_json("null", "null", "\"{}\"");
  const std::string body = "{\"users\":[" + u1 +
                           "],\"meta\":{\"page\":0,\"page_size\":50,\"key\":\"users\","
                           "\"first_page_url\":\"https://chat.twilio.com" +
                           kUsersPath +
                           "?PageSize=50&Page=0\",\"previous_page_url\":null,\"next_page_url\":null,"
                           "\"url\":\"https://chat.twilio.com" +
                           kUsersPath + "?PageSize=50&Page=0\"}}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  ASSERT_EQ(ik_page_count(page), 1u);
  const ik_twilio_user *u = ik_page_twilio_user_at(page, 0);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(ik_page_twilio_invite_at(page, 0), nullptr);
  EXPECT_EQ(str(ik_twilio_user_sid(u)), kUserSid);
  EXPECT_EQ(ik_twilio_user_is_online(u), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_twilio_user_is_notifiable(u), IK_OPTBOOL_UNSET);
  EXPECT_EQ(opt_int(ik_twilio_user_joined_channels_count, u), 3);
  EXPECT_EQ(str(ik_page_twilio_key(page)), "users");
  EXPECT_EQ(opt_int(ik_page_twilio_page, page), 0);
  EXPECT_EQ(opt_int(ik_page_twilio_page_size, page), 50);
  const uint8_t *raw = nullptr;
  size_t n = 0;
  ASSERT_EQ(ik_twilio_user_raw_json(u, &raw, &n), 1);
  EXPECT_EQ(bytes(raw, n), u1);
  EXPECT_TRUE(SameJson(bytes(raw, n), u1));
}

// List pages carry is_online / is_notifiable / joined_channels_count exactly
// as single fetches do when the service's Reachability Indicator is on.
TEST_F(TwilioResults, UserListItemsCarryOnlineNotifiableAndJoinedCount) {
  const std::string u1 = user_json("true", "false", "\"{}\"", "\"joined_channels_count\":7,");
  const std::string u2 = user_json("false", "true", "\"{}\"", "\"joined_channels_count\":0,");
  const std::string u3 = user_json("null", "true", "\"{}\"", "");
  const std::string body = "{\"users\":[" + u1 + "," + u2 + "," + u3 +
                           "],\"meta\":{\"page\":0,\"page_size\":3,\"key\":\"users\",\"next_page_url\":null}}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  ASSERT_EQ(ik_page_count(page), 3u);
  const ik_twilio_user *a = ik_page_twilio_user_at(page, 0);
  const ik_twilio_user *b = ik_page_twilio_user_at(page, 1);
  const ik_twilio_user *c = ik_page_twilio_user_at(page, 2);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(ik_twilio_user_is_online(a), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_twilio_user_is_notifiable(a), IK_OPTBOOL_FALSE);
  EXPECT_EQ(opt_int(ik_twilio_user_joined_channels_count, a), 7);
  EXPECT_EQ(ik_twilio_user_is_online(b), IK_OPTBOOL_FALSE);
  EXPECT_EQ(ik_twilio_user_is_notifiable(b), IK_OPTBOOL_TRUE);
  EXPECT_EQ(opt_int(ik_twilio_user_joined_channels_count, b), 0);
  EXPECT_EQ(ik_twilio_user_is_online(c), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_twilio_user_is_notifiable(c), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_twilio_user_joined_channels_count(c, nullptr), 0) << "absent on the item";
  // The same through the item-by-item pager (owned copies).
  server.enqueue(Reply::json(200, body));
  ik_pager *pager = nullptr;
  ASSERT_EQ(ik_twilio_user_pager(client.get(), kService, nullptr, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr own_pager(pager);
  const ik_optbool want_online[] = {IK_OPTBOOL_TRUE, IK_OPTBOOL_FALSE, IK_OPTBOOL_UNSET};
  const ik_optbool want_notifiable[] = {IK_OPTBOOL_FALSE, IK_OPTBOOL_TRUE, IK_OPTBOOL_TRUE};
  for (int i = 0; i < 3; ++i) {
    ik_twilio_user *u = nullptr;
    ASSERT_EQ(ik_pager_next_twilio_user(pager, nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
    ASSERT_NE(u, nullptr) << i;
    TwUserPtr own_u(u);
    EXPECT_EQ(ik_twilio_user_is_online(u), want_online[i]) << i;
    EXPECT_EQ(ik_twilio_user_is_notifiable(u), want_notifiable[i]) << i;
  }
  ik_twilio_user *end = nullptr;
  ASSERT_EQ(ik_pager_next_twilio_user(pager, nullptr, &end, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(end, nullptr);
}

// ik_page_item_id / ik_page_item_raw_json on Twilio pages equal the typed
// accessors (sid) and the per-kind raw JSON; out of range gives NULL / 0.
TEST_F(TwilioResults, KindGenericItemAccessorsOnInviteAndUserPages) {
  const char *kSid2 = "IN11111111111111111111111111111111";
  std::string second = kFullInvite;
  second.replace(second.find(kInviteSid), std::strlen(kInviteSid), kSid2);
  const std::string body = "{\"invites\":[" + kFullInvite + ",  " + second +
                           "],\"meta\":{\"key\":\"invites\",\"page\":0,\"page_size\":2,\"next_page_url\":null}}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_list(client.get(), kService, kChannel, nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr own(page);
  ASSERT_EQ(ik_page_count(page), 2u);
  const uint8_t *page_raw = nullptr;
  size_t page_len = 0;
  ASSERT_EQ(ik_page_raw_json(page, &page_raw, &page_len), 1);
  for (size_t i = 0; i < 2; ++i) {
    const ik_twilio_invite *inv = ik_page_twilio_invite_at(page, i);
    ASSERT_NE(inv, nullptr);
    EXPECT_EQ(str(ik_page_item_id(page, i)), str(ik_twilio_invite_sid(inv))) << i;
    const uint8_t *typed = nullptr;
    size_t typed_len = 0;
    ASSERT_EQ(ik_twilio_invite_raw_json(inv, &typed, &typed_len), 1);
    const uint8_t *generic = nullptr;
    size_t generic_len = 0;
    ASSERT_EQ(ik_page_item_raw_json(page, i, &generic, &generic_len), 1) << i;
    EXPECT_EQ(bytes(generic, generic_len), bytes(typed, typed_len)) << i;
    EXPECT_EQ(bytes(generic, generic_len), i == 0 ? kFullInvite : second) << i;
    EXPECT_NE(bytes(page_raw, page_len).find(bytes(generic, generic_len)), std::string::npos)
        << "the item's bytes appear as such in the page body";
  }
  EXPECT_EQ(str(ik_page_item_id(page, 1)), kSid2);
  EXPECT_EQ(ik_page_item_id(page, 2), nullptr);
  EXPECT_EQ(ik_page_item_raw_json(page, 2, nullptr, nullptr), 0);

  const std::string u1 = user_json("true", "false", "\"{}\"");
  const std::string ubody = "{\"users\":[" + u1 + "],\"meta\":{\"key\":\"users\",\"page\":0,\"next_page_url\":null}}";
  server.enqueue(Reply::json(200, ubody));
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK)
      << err.what();
  own.reset(page);
  ASSERT_EQ(ik_page_count(page), 1u);
  EXPECT_EQ(str(ik_page_item_id(page, 0)), kUserSid);
  EXPECT_EQ(str(ik_page_item_id(page, 0)), str(ik_twilio_user_sid(ik_page_twilio_user_at(page, 0))));
  const uint8_t *generic = nullptr;
  size_t generic_len = 0;
  ASSERT_EQ(ik_page_item_raw_json(page, 0, &generic, &generic_len), 1);
  EXPECT_EQ(bytes(generic, generic_len), u1);
  EXPECT_EQ(bytes(generic, generic_len), raw_json(ik_twilio_user_raw_json, ik_page_twilio_user_at(page, 0)));
  EXPECT_EQ(ik_page_item_id(page, 1), nullptr);
  generic = reinterpret_cast<const uint8_t *>("x");
  generic_len = 9;
  EXPECT_EQ(ik_page_item_raw_json(page, 1, &generic, &generic_len), 0);
  EXPECT_EQ(generic, nullptr);
  EXPECT_EQ(generic_len, 0u);
}

TEST_F(TwilioResults, DeleteResponseCarriesRequestId) {
  server.enqueue(Reply{204, {{"Twilio-Request-Id", "RQdel"}}, "", ""});
  ik_deletion *del = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_delete(client.get(), kService, "jing", nullptr, &del, err.out()), IK_STATUS_OK)
      << err.what();
  DeletionPtr own(del);
  const ik_response *resp = ik_deletion_response(del);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(str(ik_response_request_id(resp)), "RQdel");
  EXPECT_EQ(ik_response_http_status(resp), 204);
  EXPECT_EQ(ik_response_body(resp, nullptr, nullptr), 0);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 0);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_TWILIO_USER);
  EXPECT_EQ(str(ik_deletion_id(del)), "jing");
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
}

// ----------------------------------------------------------------- errors --

class TwilioErrors : public ProvFixture {};

TEST_F(TwilioErrors, LegacyErrorBody) {
  const std::string body =
      "{\"code\":20404,\"message\":\"The requested resource /v2/Services/" + std::string(kService) +
      "/Users/nobody was not found\",\"more_info\":\"https://www.twilio.com/docs/errors/20404\",\"status\":404}";
  server.enqueue(Reply::json(404, body, {{"Twilio-Request-Id", "RQ404"}}));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "nobody", nullptr, &u, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(u, nullptr);
  ASSERT_TRUE(err);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_status(e), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(ik_error_http_status(e), 404);
  EXPECT_EQ(ik_error_provider(e), IK_PROVIDER_TWILIO);
  EXPECT_EQ(str(ik_error_operation(e)), "users.fetch");
  EXPECT_EQ(str(ik_error_provider_code(e)), "20404");
  EXPECT_EQ(str(ik_error_provider_message(e)),
            "The requested resource /v2/Services/" + std::string(kService) + "/Users/nobody was not found");
  EXPECT_EQ(str(ik_error_field(e, "more_info")), "https://www.twilio.com/docs/errors/20404");
  EXPECT_TRUE(is_null(ik_error_field(e, "details")));
  EXPECT_EQ(str(ik_error_request_id(e)), "RQ404");
  EXPECT_EQ(str(ik_error_header(e, "Twilio-Request-Id")), "RQ404");
  EXPECT_EQ(ik_error_is_retryable(e), 0);
  EXPECT_EQ(ik_error_attempts(e), 1);
  EXPECT_NE(str(ik_error_message(e)).find("was not found"), std::string::npos) << ik_error_message(e);
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(e, &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), body);
  EXPECT_EQ(str(ik_error_field(e, "content_type")).rfind("application/json", 0), 0u);
  // Secrets never appear in the error.
  EXPECT_EQ(str(ik_error_message(e)).find(kAuthToken), std::string::npos);
}

TEST_F(TwilioErrors, LegacyErrorWithDetailsAnd400) {
  server.enqueue(Reply::json(
      400,
      "{\"code\":21200,\"message\":\"Invalid parameter\",\"more_info\":\"https://www.twilio.com/docs/errors/21200\","
      "\"status\":400,\"details\":{\"field\":\"Identity\"}}"));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(client.get(), kService, kChannel, "bob", nullptr, nullptr, &inv, err.out()),
            IK_STATUS_BAD_REQUEST);
  const ik_error *e = err.get();
  EXPECT_EQ(str(ik_error_operation(e)), "invites.create");
  EXPECT_EQ(str(ik_error_provider_code(e)), "21200");
  EXPECT_EQ(str(ik_error_provider_message(e)), "Invalid parameter");
  EXPECT_TRUE(SameJson(str(ik_error_field(e, "details")), "{\"field\":\"Identity\"}"));
  EXPECT_TRUE(is_null(ik_error_request_id(e)));
}

TEST_F(TwilioErrors, Rfc9457ProblemBody) {
  const std::string body =
      "{\"type\":\"https://www.twilio.com/docs/errors/20003\",\"title\":\"Authentication Error\",\"status\":401,"
      "\"code\":20003,\"detail\":\"Your AccountSid or AuthToken was "
      "incorrect.\",\"instance\":\"/v2/Services/IS/Users\"}";
  server.enqueue(Reply{401, {{"Twilio-Request-Id", "RQ401"}}, body, "application/problem+json"});
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_AUTHENTICATION);
  EXPECT_EQ(page, nullptr);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_http_status(e), 401);
  EXPECT_EQ(str(ik_error_operation(e)), "users.list");
  EXPECT_EQ(str(ik_error_provider_code(e)), "20003");
  EXPECT_EQ(str(ik_error_provider_message(e)), "Your AccountSid or AuthToken was incorrect.");
  EXPECT_EQ(str(ik_error_field(e, "type")), "https://www.twilio.com/docs/errors/20003");
  EXPECT_EQ(str(ik_error_field(e, "title")), "Authentication Error");
  EXPECT_EQ(str(ik_error_field(e, "detail")), "Your AccountSid or AuthToken was incorrect.");
  EXPECT_EQ(str(ik_error_field(e, "instance")), "/v2/Services/IS/Users");
  EXPECT_EQ(str(ik_error_field(e, "content_type")), "application/problem+json");
  EXPECT_EQ(str(ik_error_request_id(e)), "RQ401");
}

TEST_F(TwilioErrors, NonJsonBody) {
  server.enqueue(Reply{
      502, {{"Twilio-Request-Id", "RQ502"}}, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html"});
  Err err;
  ASSERT_EQ(ik_twilio_invite_delete(client.get(), kService, kChannel, kInviteSid, nullptr, nullptr, err.out()),
            IK_STATUS_SERVER_ERROR);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_http_status(e), 502);
  EXPECT_EQ(str(ik_error_operation(e)), "invites.delete");
  EXPECT_TRUE(is_null(ik_error_provider_code(e)));
  EXPECT_TRUE(is_null(ik_error_field(e, "more_info")));
  EXPECT_EQ(str(ik_error_request_id(e)), "RQ502");
  EXPECT_EQ(ik_error_is_retryable(e), 1);
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(e, &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len),
            "<html><head><title>502 Bad Gateway</title></head></html>");
  EXPECT_EQ(str(ik_error_field(e, "content_type")), "text/html");
}

TEST_F(TwilioErrors, PlainTextAndEmptyBodies) {
  server.enqueue(Reply::text(403, "Forbidden"));
  ik_twilio_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_fetch(client.get(), kService, kChannel, kInviteSid, nullptr, &inv, err.out()),
            IK_STATUS_PERMISSION_DENIED);
  EXPECT_TRUE(is_null(ik_error_provider_code(err.get())));
  EXPECT_EQ(ik_error_http_status(err.get()), 403);

  server.enqueue(Reply{409, {}, "", ""});
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  p.identity = "jing";
  ik_twilio_user *u = nullptr;
  ASSERT_EQ(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), IK_STATUS_CONFLICT);
  EXPECT_EQ(ik_error_http_status(err.get()), 409);
  EXPECT_TRUE(is_null(ik_error_provider_code(err.get())));

  // JSON that is not an object, and an object of another shape: no crash, no code.
  server.enqueue(Reply::json(422, "[1,2,3]"));
  ASSERT_EQ(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), IK_STATUS_UNPROCESSABLE);
  EXPECT_TRUE(is_null(ik_error_provider_code(err.get())));
  server.enqueue(Reply::json(429, "{\"unexpected\":true}"));
  ASSERT_EQ(ik_twilio_user_create(client.get(), kService, &p, nullptr, &u, err.out()), IK_STATUS_RATE_LIMITED);
  EXPECT_TRUE(is_null(ik_error_provider_code(err.get())));
}

TEST_F(TwilioErrors, MalformedSuccessBodyIsAParseError) {
  server.enqueue(Reply::json(200, "{\"sid\":"));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(client.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_PARSE);
  EXPECT_EQ(u, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 200);
  server.enqueue(Reply::json(200, "{\"users\":{}}"));  // array expected
  ik_page *page = nullptr;
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_PARSE);
}

TEST_F(TwilioErrors, NoCredentialsSendsNothing) {
  ik_client_options o = test_options(nullptr);
  o.twilio_base_url = base.c_str();
  std::string why;
  ClientPtr c = make_client(o, &why);
  ASSERT_TRUE(c) << why;
  EXPECT_EQ(ik_client_has_credentials(c.get(), IK_PROVIDER_TWILIO), 0);
  ik_twilio_user *u = nullptr;
  Err err;
  EXPECT_EQ(ik_twilio_user_fetch(c.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_NO_CREDENTIALS);
  EXPECT_EQ(server.request_count(), 0u);
}

// ------------------------------------------------------------ credentials --

TEST_F(TwilioResults, ApiKeyAuthorization) {
  ik_client_options o = options_for(base);
  o.twilio_api_key = kApiKey;
  o.twilio_api_secret = kApiSecret;
  std::string why;
  ClientPtr c = make_client(o, &why);
  ASSERT_TRUE(c) << why;
  server.enqueue(Reply::json(200, user_json("null", "null", "null")));
  ik_twilio_user *u = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_fetch(c.get(), kService, "jing", nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
  TwUserPtr own(u);
  EXPECT_EQ(server.last_request().header("Authorization"), basic(kApiKey, kApiSecret));
}

namespace {

std::string twilio_base(const ik_client_options &o) {
  std::string why;
  ClientPtr c = make_client(o, &why);
  if (!c) return "<client failed: " + why + ">";
  return str(ik_client_base_url(c.get(), IK_PROVIDER_TWILIO));
}

}  // namespace

class TwilioEnv : public ProvFixture {
 protected:
  CleanEnv env;

  std::string auth_seen(const ik_client_options &o) {
    std::string why;
    ClientPtr c = make_client(o, &why);
    if (!c) return "<client failed: " + why + ">";
    server.clear();
    server.enqueue(Reply::json(200, user_json("null", "null", "null")));
    ik_twilio_user *u = nullptr;
    Err err;
    const ik_status st = ik_twilio_user_fetch(c.get(), kService, "jing", nullptr, &u, err.out());
    TwUserPtr own(u);
    if (st != IK_STATUS_OK) return "<fetch failed: " + err.what() + ">";
    return server.last_request().header("Authorization");
  }
};

TEST_F(TwilioEnv, AccountSidAndTokenFromEnvironment) {
  env.guard.set("TWILIO_ACCOUNT_SID", kAccountSid);
  env.guard.set("TWILIO_AUTH_TOKEN", "env-token");
  ik_client_options o = env_options();
  o.twilio_base_url = base.c_str();
  EXPECT_EQ(auth_seen(o), basic(kAccountSid, "env-token"));
}

TEST_F(TwilioEnv, ApiKeyAndSecretFromEnvironment) {
  env.guard.set("TWILIO_ACCOUNT_SID", kAccountSid);
  env.guard.set("TWILIO_API_KEY", kApiKey);
  env.guard.set("TWILIO_API_SECRET", "env-secret");
  ik_client_options o = env_options();
  o.twilio_base_url = base.c_str();
  EXPECT_EQ(auth_seen(o), basic(kApiKey, "env-secret"));
}

TEST_F(TwilioEnv, ExplicitCredentialsWin) {
  env.guard.set("TWILIO_ACCOUNT_SID", "AC99999999999999999999999999999999");
  env.guard.set("TWILIO_AUTH_TOKEN", "env-token");
  ik_client_options o = env_options();
  o.twilio_base_url = base.c_str();
  o.twilio_account_sid = kAccountSid;
  o.twilio_auth_token = kAuthToken;
  EXPECT_EQ(auth_seen(o), basic(kAccountSid, kAuthToken));
  // An explicit token with the SID still from the environment.
  ik_client_options o2 = env_options();
  o2.twilio_base_url = base.c_str();
  o2.twilio_auth_token = "explicit-token";
  EXPECT_EQ(auth_seen(o2), basic("AC99999999999999999999999999999999", "explicit-token"));
}

TEST_F(TwilioEnv, IgnoreEnvFlag) {
  env.guard.set("TWILIO_ACCOUNT_SID", kAccountSid);
  env.guard.set("TWILIO_AUTH_TOKEN", "env-token");
  env.guard.set("TWILIO_EDGE", "sydney");
  ik_client_options o = env_options();
  o.flags |= IK_CLIENT_IGNORE_ENV;
  std::string why;
  ClientPtr c = make_client(o, &why);
  ASSERT_TRUE(c) << why;
  EXPECT_EQ(ik_client_has_credentials(c.get(), IK_PROVIDER_TWILIO), 0);
  EXPECT_EQ(str(ik_client_base_url(c.get(), IK_PROVIDER_TWILIO)), "https://chat.twilio.com");
}

TEST_F(TwilioEnv, DefaultBaseUrl) { EXPECT_EQ(twilio_base(env_options()), "https://chat.twilio.com"); }

TEST_F(TwilioEnv, EdgeAndRegionFromEnvironment) {
  env.guard.set("TWILIO_EDGE", "sydney");
  env.guard.set("TWILIO_REGION", "au1");
  EXPECT_EQ(twilio_base(env_options()), "https://chat.sydney.au1.twilio.com");
}

TEST_F(TwilioEnv, EdgeOnlyDefaultsRegionToUs1) {
  env.guard.set("TWILIO_EDGE", "ashburn");
  EXPECT_EQ(twilio_base(env_options()), "https://chat.ashburn.us1.twilio.com");
}

TEST_F(TwilioEnv, RegionOnly) {
  env.guard.set("TWILIO_REGION", "ie1");
  EXPECT_EQ(twilio_base(env_options()), "https://chat.ie1.twilio.com");
}

TEST_F(TwilioEnv, ExplicitEdgeAndRegionWin) {
  env.guard.set("TWILIO_EDGE", "sydney");
  env.guard.set("TWILIO_REGION", "au1");
  ik_client_options o = env_options();
  o.twilio_edge = "dublin";
  o.twilio_region = "ie1";
  EXPECT_EQ(twilio_base(o), "https://chat.dublin.ie1.twilio.com");
  ik_client_options o2 = env_options();
  o2.twilio_edge = "tokyo";  // region still from the environment
  EXPECT_EQ(twilio_base(o2), "https://chat.tokyo.au1.twilio.com");
}

TEST_F(TwilioEnv, BaseUrlOverrideDisablesEdgeAndRegion) {
  env.guard.set("TWILIO_EDGE", "sydney");
  env.guard.set("TWILIO_REGION", "au1");
  ik_client_options o = env_options();
  o.twilio_base_url = "http://127.0.0.1:9/";
  EXPECT_EQ(twilio_base(o), "http://127.0.0.1:9");  // trailing slash ignored
  ik_client_options o2 = env_options();
  o2.twilio_base_url = "http://127.0.0.1:9";
  o2.twilio_edge = "dublin";
  EXPECT_EQ(twilio_base(o2), "http://127.0.0.1:9");
}

TEST_F(TwilioEnv, EdgeRequestsGoToTheOverrideWhenSet) {
  // With an override, requests really go there despite TWILIO_EDGE.
  env.guard.set("TWILIO_EDGE", "sydney");
  ik_client_options o = env_options();
  o.twilio_base_url = base.c_str();
  o.twilio_account_sid = kAccountSid;
  o.twilio_auth_token = kAuthToken;
  EXPECT_EQ(auth_seen(o), basic(kAccountSid, kAuthToken));
  EXPECT_EQ(server.request_count(), 1u);
}
