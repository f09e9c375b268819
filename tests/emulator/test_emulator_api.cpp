// The sixteen operations against the real invitekit-emulator binary: status
// codes, body shapes, auth, validation, 404s, identity decoding, pagination.
#include "harness.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace emutest;

namespace {

bool matches(const std::string &s, const char *re) { return std::regex_match(s, std::regex(re)); }

const char *kIso = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)";

void expect_twilio_error(const Response &r, long status, std::int64_t code) {
  EXPECT_EQ(r.status, status) << r.body;
  const Json j(r.body);
  ASSERT_TRUE(j.valid()) << r.body;
  EXPECT_EQ(j.num("/code"), code);
  EXPECT_EQ(j.num("/status"), status);
  EXPECT_FALSE(j.str("/message").empty());
  EXPECT_EQ(j.str("/more_info"), "https://www.twilio.com/docs/errors/" + std::to_string(code));
}

void expect_openai_error(const Response &r, long status, const char *param) {
  EXPECT_EQ(r.status, status) << r.body;
  const Json j(r.body);
  ASSERT_TRUE(j.valid()) << r.body;
  EXPECT_EQ(j.str("/error/type"), "invalid_request_error");
  EXPECT_FALSE(j.str("/error/message").empty());
  if (param == nullptr)
    EXPECT_TRUE(j.is_null("/error/param"));
  else
    EXPECT_EQ(j.str("/error/param"), param);
  EXPECT_TRUE(j.has("/error/code"));
}

void expect_fastly_error(const Response &r, long status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.api+json");
  const Json j(r.body);
  ASSERT_TRUE(j.valid()) << r.body;
  EXPECT_EQ(j.str("/errors/0/status"), std::to_string(status));
  EXPECT_FALSE(j.str("/errors/0/title").empty());
  EXPECT_FALSE(j.str("/errors/0/detail").empty());
}

std::string fastly_body(const std::string &email, const std::string &extra_attributes = "") {
  return R"({"data":{"type":"invitation","attributes":{"email":")" + email + "\"" + extra_attributes + "}}}";
}

}  // namespace

TEST(EmulatorTwilioInvites, CreateFetchListDelete) {
  Emulator emu;
  Response r = twilio(emu, "POST", kInvites, "Identity=bob%20smith&RoleSid=RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  const Json created(r.body);
  const std::string sid = created.str("/sid");
  EXPECT_TRUE(matches(sid, "IN[0-9a-f]{32}"));
  EXPECT_EQ(created.str("/account_sid"), "AC00000000000000000000000000000000");
  EXPECT_EQ(created.str("/service_sid"), kService);
  EXPECT_EQ(created.str("/channel_sid"), kChannel);
  EXPECT_EQ(created.str("/identity"), "bob smith");
  EXPECT_EQ(created.str("/role_sid"), "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_TRUE(matches(created.str("/date_created"), kIso));
  EXPECT_TRUE(matches(created.str("/date_updated"), kIso));
  EXPECT_TRUE(created.has("/created_by"));
  EXPECT_EQ(created.str("/url"), emu.url() + kInvites + "/" + sid);

  r = twilio(emu, "GET", kInvites + "/" + sid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).str("/sid"), sid);

  r = twilio(emu, "GET", kInvites);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json list(r.body);
  EXPECT_EQ(list.size("/invites"), 1u);
  EXPECT_EQ(list.str("/meta/key"), "invites");
  EXPECT_EQ(list.num("/meta/page"), 0);
  EXPECT_EQ(list.num("/meta/page_size"), 50);
  EXPECT_TRUE(list.is_null("/meta/next_page_url"));
  EXPECT_TRUE(list.is_null("/meta/previous_page_url"));
  EXPECT_EQ(list.str("/meta/first_page_url"), emu.url() + kInvites + "?PageSize=50&Page=0");

  r = twilio(emu, "DELETE", kInvites + "/" + sid);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  expect_twilio_error(twilio(emu, "GET", kInvites + "/" + sid), 404, 20404);
  expect_twilio_error(twilio(emu, "DELETE", kInvites + "/" + sid), 404, 20404);
}

TEST(EmulatorTwilioInvites, ValidationAndImplicitChannels) {
  Emulator emu;
  expect_twilio_error(twilio(emu, "POST", kInvites, "RoleSid=RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 400, 21200);
  expect_twilio_error(twilio(emu, "POST", kInvites, "Identity=a&RoleSid=XX1"), 400, 21200);
  expect_twilio_error(twilio(emu, "GET", kInvites + "?PageSize=1001"), 400, 21200);
  expect_twilio_error(twilio(emu, "GET", kInvites + "?PageSize=0"), 400, 21200);
  EXPECT_EQ(twilio(emu, "GET", kInvites + "?PageSize=1000").status, 200);
  expect_twilio_error(twilio(emu, "GET", kInvites + "/NOTANINVITE"), 400, 21200);
  expect_twilio_error(twilio(emu, "GET", "/v1/Services/ISbad/Channels/CH1/Invites"), 400, 21200);
  expect_twilio_error(twilio(emu, "GET", kInvites + "/IN" + std::string(32, 'a')), 404, 20404);

  // Any service and channel exist implicitly; a channel name maps to a stable CH sid.
  const std::string other = "/v1/Services/IS" + std::string(32, 'b') + "/Channels/general/Invites";
  const Response r = twilio(emu, "POST", other, "Identity=carol");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json j(r.body);
  EXPECT_TRUE(matches(j.str("/channel_sid"), "CH[0-9a-f]{32}"));
  EXPECT_EQ(Json(twilio(emu, "GET", other).body).size("/invites"), 1u);
  EXPECT_EQ(twilio(emu, "GET",
                   "/v1/Services/IS" + std::string(32, 'b') + "/Channels/" + j.str("/channel_sid") + "/Invites/" +
                       j.str("/sid"))
                .status,
            200);
  EXPECT_EQ(Json(twilio(emu, "GET", kInvites).body).size("/invites"), 0u);
}

TEST(EmulatorTwilioInvites, RepeatedIdentityFilter) {
  Emulator emu;
  for (const char *id : {"a", "b%20c", "d", "a"})
    ASSERT_EQ(twilio(emu, "POST", kInvites, std::string("Identity=") + id).status, 201);
  const Response r = twilio(emu, "GET", kInvites + "?Identity=a&Identity=b%20c");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j(r.body);
  ASSERT_EQ(j.size("/invites"), 3u);
  std::multiset<std::string> seen;
  for (std::size_t i = 0; i < 3; ++i) seen.insert(j.str("/invites/" + std::to_string(i) + "/identity"));
  EXPECT_EQ(seen, (std::multiset<std::string>{"a", "a", "b c"}));
  EXPECT_NE(j.str("/meta/url").find("Identity=a&Identity=b%20c"), std::string::npos);
  EXPECT_EQ(Json(twilio(emu, "GET", kInvites + "?Identity=zzz").body).size("/invites"), 0u);
}

TEST(EmulatorTwilioUsers, CrudBySidAndIdentity) {
  Emulator emu;
  Request create;
  create.method = "POST";
  create.url = emu.url() + kUsers;
  create.basic_auth = "AC00000000000000000000000000000000:emulator-twilio-token";
  create.headers = {"Content-Type: application/x-www-form-urlencoded", "X-Twilio-Webhook-Enabled: true"};
  create.body = "Identity=jing&RoleSid=RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Attributes=%7B%22a%22%3A1%7D&FriendlyName=J";
  Response r = http(create);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json u(r.body);
  const std::string sid = u.str("/sid");
  EXPECT_TRUE(matches(sid, "US[0-9a-f]{32}"));
  EXPECT_EQ(u.str("/identity"), "jing");
  EXPECT_EQ(u.str("/attributes"), R"({"a":1})");
  EXPECT_EQ(u.str("/friendly_name"), "J");
  EXPECT_EQ(u.num("/joined_channels_count"), 0);
  EXPECT_TRUE(u.has("/is_online"));
  EXPECT_TRUE(u.has("/is_notifiable"));
  EXPECT_EQ(u.str("/url"), emu.url() + kUsers + "/" + sid);
  EXPECT_EQ(u.str("/links/user_channels"), emu.url() + kUsers + "/" + sid + "/Channels");
  EXPECT_EQ(u.str("/links/user_bindings"), emu.url() + kUsers + "/" + sid + "/Bindings");

  expect_twilio_error(twilio(emu, "POST", kUsers, "Identity=jing"), 409, 50201);
  expect_twilio_error(twilio(emu, "POST", kUsers, "FriendlyName=x"), 400, 21200);
  expect_twilio_error(twilio(emu, "POST", kUsers, "Identity=k&RoleSid=bad"), 400, 21200);
  create.headers[1] = "X-Twilio-Webhook-Enabled: maybe";
  create.body = "Identity=other";
  expect_twilio_error(http(create), 400, 21200);

  EXPECT_EQ(Json(twilio(emu, "GET", kUsers + "/" + sid).body).str("/identity"), "jing");
  EXPECT_EQ(Json(twilio(emu, "GET", kUsers + "/jing").body).str("/sid"), sid);
  r = twilio(emu, "POST", kUsers + "/jing", "FriendlyName=Jing%20Li");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).str("/friendly_name"), "Jing Li");
  EXPECT_EQ(Json(r.body).str("/role_sid"), "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(Json(twilio(emu, "GET", kUsers).body).size("/users"), 1u);
  EXPECT_EQ(twilio(emu, "DELETE", kUsers + "/" + sid).status, 204);
  expect_twilio_error(twilio(emu, "GET", kUsers + "/jing"), 404, 20404);
  expect_twilio_error(twilio(emu, "POST", kUsers + "/jing", "FriendlyName=x"), 404, 20404);
  expect_twilio_error(twilio(emu, "DELETE", kUsers + "/jing"), 404, 20404);
}

TEST(EmulatorTwilioUsers, SpecialIdentitiesArePercentDecoded) {
  Emulator emu;
  for (const std::string identity : {"a|b", "ciao#hola", "x/y", "name with spaces", "\xC3\xA9", ".."}) {
    SCOPED_TRACE(identity);
    Response r = twilio(emu, "POST", kUsers, "Identity=" + pct(identity));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string sid = Json(r.body).str("/sid");
    const std::string path = kUsers + "/" + pct(identity, true);
    r = twilio(emu, "GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r.body).str("/identity"), identity);
    EXPECT_EQ(Json(r.body).str("/sid"), sid);
    r = twilio(emu, "POST", path, "FriendlyName=updated");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r.body).str("/friendly_name"), "updated");
    EXPECT_EQ(twilio(emu, "DELETE", path).status, 204);
    EXPECT_EQ(twilio(emu, "GET", path).status, 404);
  }
}

TEST(EmulatorTwilioAuth, BasicAuthWithAccountOrApiKey) {
  Emulator emu;
  Request req;
  req.url = emu.url() + kUsers;
  Response r = http(req);
  expect_twilio_error(r, 401, 20003);
  EXPECT_EQ(Json(r.body).str("/message"), "Authenticate");
  req.basic_auth = "AC00000000000000000000000000000000:wrong";
  expect_twilio_error(http(req), 401, 20003);
  req.basic_auth = "SK00000000000000000000000000000000:emulator-twilio-secret";
  EXPECT_EQ(http(req).status, 200);
  req.url = emu.url() + kInvites;
  EXPECT_EQ(http(req).status, 200);

  Emulator custom({"--twilio-account-sid", "AC" + std::string(32, '1'), "--twilio-auth-token", "tok"});
  req.url = custom.url() + kUsers;
  req.basic_auth = "AC" + std::string(32, '1') + ":tok";
  EXPECT_EQ(http(req).status, 200);
  req.basic_auth = "AC00000000000000000000000000000000:emulator-twilio-token";
  EXPECT_EQ(http(req).status, 401);
}

TEST(EmulatorTwilioPagination, FollowsNextPageUrlAcrossPages) {
  Emulator emu({"--seed", "23"});
  for (const auto &[path, key] :
       {std::pair{kUsers, std::string("users")}, std::pair{kInvites, std::string("invites")}}) {
    SCOPED_TRACE(key);
    std::vector<std::string> sids;
    std::string next = emu.url() + path + "?PageSize=10";
    int pages = 0;
    for (; !next.empty() && pages < 10; ++pages) {
      Request req;
      req.url = next;
      req.basic_auth = "AC00000000000000000000000000000000:emulator-twilio-token";
      const Response r = http(req);
      ASSERT_EQ(r.status, 200) << r.body;
      const Json j(r.body);
      EXPECT_EQ(j.num("/meta/page"), pages);
      EXPECT_EQ(j.num("/meta/page_size"), 10);
      EXPECT_EQ(j.str("/meta/key"), key);
      EXPECT_EQ(j.is_null("/meta/previous_page_url"), pages == 0);
      for (std::size_t i = 0; i < j.size("/" + key); ++i)
        sids.push_back(j.str("/" + key + "/" + std::to_string(i) + "/sid"));
      next = j.is_null("/meta/next_page_url") ? "" : j.str("/meta/next_page_url");
      if (!next.empty()) {
        EXPECT_EQ(next.rfind(emu.url(), 0), 0u) << next;
        EXPECT_NE(next.find("PageToken="), std::string::npos);
        EXPECT_NE(next.find("Page=" + std::to_string(pages + 1)), std::string::npos);
      }
    }
    EXPECT_EQ(pages, 3);
    ASSERT_EQ(sids.size(), 23u);
    EXPECT_EQ(std::set<std::string>(sids.begin(), sids.end()).size(), 23u);
  }
  // previous_page_url leads back to the first page.
  const Json p1(twilio(emu, "GET", kUsers + "?PageSize=10&Page=1&PageToken=PA10").body);
  Request back;
  back.url = p1.str("/meta/previous_page_url");
  back.basic_auth = "AC00000000000000000000000000000000:emulator-twilio-token";
  const Json p0(http(back).body);
  EXPECT_EQ(p0.str("/users/0/identity"), "user-0001");
  EXPECT_EQ(p0.size("/users"), 10u);
  expect_twilio_error(twilio(emu, "GET", kUsers + "?PageSize=101"), 400, 21200);
  EXPECT_EQ(twilio(emu, "GET", kUsers + "?PageSize=100").status, 200);
  expect_twilio_error(twilio(emu, "GET", kUsers + "?PageToken=garbage"), 400, 21200);
}

TEST(EmulatorOpenAI, CreateRetrieveListDeleteOnBothPrefixes) {
  Emulator emu;
  for (const std::string prefix : {"/v1", ""}) {
    SCOPED_TRACE(prefix);
    const std::string base = prefix + "/organization/invites";
    Response r =
        openai(emu, "POST", base, R"({"email":"a@b.c","role":"reader","projects":[{"id":"proj_1","role":"member"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_FALSE(r.header("x-request-id").empty());
    const Json inv(r.body);
    const std::string id = inv.str("/id");
    EXPECT_TRUE(matches(id, "invite-[A-Za-z0-9]+"));
    EXPECT_EQ(inv.str("/object"), "organization.invite");
    EXPECT_EQ(inv.str("/email"), "a@b.c");
    EXPECT_EQ(inv.str("/role"), "reader");
    EXPECT_EQ(inv.str("/status"), "pending");
    EXPECT_EQ(inv.num("/expires_at"), inv.num("/created_at") + 7 * 24 * 3600);
    EXPECT_TRUE(inv.is_null("/accepted_at"));
    EXPECT_EQ(inv.str("/projects/0/id"), "proj_1");
    EXPECT_EQ(inv.str("/projects/0/role"), "member");

    r = openai(emu, "POST", base, R"({"email":"d@e.f","role":"owner"})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(Json(r.body).size("/projects"), 0u);
    const std::string id2 = Json(r.body).str("/id");

    r = openai(emu, "GET", base + "/" + id);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(Json(r.body).str("/id"), id);

    r = openai(emu, "GET", base);
    ASSERT_EQ(r.status, 200);
    const Json list(r.body);
    EXPECT_EQ(list.str("/object"), "list");
    EXPECT_EQ(list.size("/data"), 2u);
    EXPECT_EQ(list.str("/first_id"), id);
    EXPECT_EQ(list.str("/last_id"), id2);
    EXPECT_FALSE(list.boolean("/has_more"));

    r = openai(emu, "DELETE", base + "/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    const Json del(r.body);
    EXPECT_EQ(del.str("/object"), "organization.invite.deleted");
    EXPECT_EQ(del.str("/id"), id);
    EXPECT_TRUE(del.boolean("/deleted"));
    r = openai(emu, "GET", base + "/" + id);
    expect_openai_error(r, 404, nullptr);
    EXPECT_EQ(Json(r.body).str("/error/message"), "Invite not found");
    expect_openai_error(openai(emu, "DELETE", base + "/" + id), 404, nullptr);
    EXPECT_EQ(openai(emu, "DELETE", base + "/" + id2).status, 200);
  }
}

TEST(EmulatorOpenAI, AcceptedInviteCannotBeDeleted) {
  Emulator emu;
  const std::string id =
      Json(openai(emu, "POST", "/v1/organization/invites", R"({"email":"x@y.z","role":"reader"})").body).str("/id");
  Response r = control(emu, "POST", "/__emulator/openai/invites/" + id + "/accept");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).str("/status"), "accepted");
  r = openai(emu, "GET", "/v1/organization/invites/" + id);
  EXPECT_EQ(Json(r.body).str("/status"), "accepted");
  EXPECT_FALSE(Json(r.body).is_null("/accepted_at"));
  expect_openai_error(openai(emu, "DELETE", "/v1/organization/invites/" + id), 400, nullptr);
  EXPECT_EQ(openai(emu, "GET", "/v1/organization/invites/" + id).status, 200);
  EXPECT_EQ(control(emu, "POST", "/__emulator/openai/invites/invite-nope/accept").status, 404);
}

TEST(EmulatorOpenAI, ValidationAndAuth) {
  Emulator emu;
  const std::string base = "/v1/organization/invites";
  expect_openai_error(openai(emu, "POST", base, R"({"role":"reader"})"), 400, "email");
  expect_openai_error(openai(emu, "POST", base, R"({"email":"a@b.c"})"), 400, "role");
  expect_openai_error(openai(emu, "POST", base, R"({"email":"a@b.c","role":"admin"})"), 400, "role");
  expect_openai_error(
      openai(emu, "POST", base, R"({"email":"a@b.c","role":"reader","projects":[{"id":"p","role":"boss"}]})"), 400,
      "projects[0].role");
  expect_openai_error(openai(emu, "POST", base, "{not json"), 400, nullptr);
  expect_openai_error(openai(emu, "GET", base + "?limit=0"), 400, "limit");
  expect_openai_error(openai(emu, "GET", base + "?limit=101"), 400, "limit");
  expect_openai_error(openai(emu, "GET", base + "?after=invite-unknown"), 400, "after");

  Request req;
  req.url = emu.url() + base;
  Response r = http(req);
  EXPECT_EQ(r.status, 401);
  Json j(r.body);
  EXPECT_EQ(j.str("/error/type"), "invalid_request_error");
  EXPECT_EQ(j.str("/error/code"), "invalid_api_key");
  EXPECT_TRUE(j.is_null("/error/param"));
  req.headers = {"Authorization: Bearer sk-admin-wrong-key"};
  r = http(req);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r.body).str("/error/code"), "invalid_api_key");
  EXPECT_EQ(r.body.find("sk-admin-wrong-key"), std::string::npos) << "the key must not be echoed in full";
}

TEST(EmulatorOpenAI, PaginationWithAfter) {
  Emulator emu({"--seed", "25"});
  std::vector<std::string> ids;
  std::string after;
  int pages = 0;
  for (bool more = true; more && pages < 10; ++pages) {
    const Response r = openai(emu, "GET", "/organization/invites?limit=10" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j(r.body);
    for (std::size_t i = 0; i < j.size("/data"); ++i) ids.push_back(j.str("/data/" + std::to_string(i) + "/id"));
    EXPECT_EQ(j.str("/first_id"), j.str("/data/0/id"));
    more = j.boolean("/has_more");
    after = j.str("/last_id");
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(ids.size(), 25u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 25u);
  const Json def(openai(emu, "GET", "/v1/organization/invites").body);
  EXPECT_EQ(def.size("/data"), 20u);
  EXPECT_TRUE(def.boolean("/has_more"));
  // Every 5th seeded invite is accepted.
  const Json fifth(openai(emu, "GET", "/v1/organization/invites/" + ids[4]).body);
  EXPECT_EQ(fifth.str("/status"), "accepted");
  EXPECT_EQ(Json(openai(emu, "GET", "/v1/organization/invites/" + ids[3]).body).str("/status"), "pending");
  expect_openai_error(openai(emu, "DELETE", "/v1/organization/invites/" + ids[4]), 400, nullptr);
}

TEST(EmulatorFastly, CreateListDelete) {
  Emulator emu;
  const std::string body =
      R"({"data":{"type":"invitation","attributes":{"email":"thelma@example.com","limit_services":true,"roles":["Q4rXe9vN1szK8a2fUjYtWp"]},)"
      R"("relationships":{"customer":{"data":{"id":"44tb1D3asjhhuh2SH8e8YD","type":"customer"}},"service_invitations":{"data":[)"
      R"({"type":"service_invitation","attributes":{"permission":"purge_all"},"relationships":{"service":{"data":{"type":"service","id":"6yrrdleXQ9QDtum9rMB0nr"}}}}]}}}})";
  Response r = fastly(emu, "POST", "/invitations", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.api+json");
  const Json inv(r.body);
  const std::string id = inv.str("/data/id");
  EXPECT_TRUE(matches(id, "[A-Za-z0-9]{22}"));
  EXPECT_EQ(inv.str("/data/type"), "invitation");
  EXPECT_EQ(inv.str("/data/attributes/email"), "thelma@example.com");
  EXPECT_TRUE(inv.boolean("/data/attributes/limit_services"));
  EXPECT_EQ(inv.str("/data/attributes/role"), "user");
  EXPECT_EQ(inv.str("/data/attributes/roles/0"), "Q4rXe9vN1szK8a2fUjYtWp");
  EXPECT_EQ(inv.num("/data/attributes/status_code"), 1);
  EXPECT_TRUE(matches(inv.str("/data/attributes/created_at"), kIso));
  EXPECT_TRUE(matches(inv.str("/data/attributes/updated_at"), kIso));
  EXPECT_TRUE(inv.is_null("/data/attributes/deleted_at"));
  EXPECT_EQ(inv.str("/data/relationships/customer/data/id"), "44tb1D3asjhhuh2SH8e8YD");
  EXPECT_EQ(inv.str("/data/relationships/customer/data/type"), "customer");
  EXPECT_TRUE(matches(inv.str("/data/relationships/service_invitations/data/0/id"), "[A-Za-z0-9]{22}"));
  EXPECT_EQ(inv.str("/data/relationships/service_invitations/data/0/type"), "service_invitation");

  r = fastly(emu, "GET", "/invitations");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/vnd.api+json");
  const Json list(r.body);
  EXPECT_EQ(list.size("/data"), 1u);
  EXPECT_EQ(list.num("/meta/current_page"), 1);
  EXPECT_EQ(list.num("/meta/per_page"), 20);
  EXPECT_EQ(list.num("/meta/record_count"), 1);
  EXPECT_EQ(list.num("/meta/total_pages"), 1);
  EXPECT_TRUE(list.is_null("/links/next"));
  EXPECT_TRUE(list.is_null("/links/prev"));
  EXPECT_EQ(list.str("/links/first"), emu.url() + "/invitations?page%5Bnumber%5D=1&page%5Bsize%5D=20");

  r = fastly(emu, "DELETE", "/invitations/" + id);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  expect_fastly_error(fastly(emu, "DELETE", "/invitations/" + id), 404);
  EXPECT_EQ(Json(fastly(emu, "GET", "/invitations").body).size("/data"), 0u);
}

TEST(EmulatorFastly, ValidationAndAuth) {
  Emulator emu;
  expect_fastly_error(fastly(emu, "POST", "/invitations", R"({"data":{"type":"invitation","attributes":{}}})"), 400);
  expect_fastly_error(fastly(emu, "POST", "/invitations", R"({"data":{"type":"user","attributes":{"email":"a@b.c"}}})"),
                      400);
  expect_fastly_error(fastly(emu, "POST", "/invitations", fastly_body("a@b.c", R"(,"role":"boss")")), 400);
  expect_fastly_error(
      fastly(
          emu, "POST", "/invitations",
          R"({"data":{"type":"invitation","attributes":{"email":"a@b.c"},"relationships":{"service_invitations":{"data":[{"type":"service_invitation","attributes":{"permission":"everything"}}]}}}})"),
      400);
  expect_fastly_error(fastly(emu, "POST", "/invitations", "nope"), 400);
  expect_fastly_error(fastly(emu, "GET", "/invitations?page[size]=101"), 400);
  expect_fastly_error(fastly(emu, "GET", "/invitations?page%5Bsize%5D=0"), 400);
  expect_fastly_error(fastly(emu, "GET", "/invitations?page[number]=0"), 400);
  EXPECT_EQ(fastly(emu, "POST", "/invitations", fastly_body("a@b.c", R"(,"role":"engineer")")).status, 200);

  Request req;
  req.url = emu.url() + "/invitations";
  expect_fastly_error(http(req), 401);
  EXPECT_EQ(Json(http(req).body).str("/errors/0/title"), "Unauthorized");
  req.headers = {"Fastly-Key: wrong"};
  expect_fastly_error(http(req), 401);
}

TEST(EmulatorFastly, PaginationWithBothBracketForms) {
  Emulator emu({"--seed", "25"});
  for (const bool encoded : {false, true}) {
    SCOPED_TRACE(encoded);
    const std::string number = encoded ? "page%5Bnumber%5D" : "page[number]";
    const std::string size = encoded ? "page%5Bsize%5D" : "page[size]";
    std::vector<std::string> ids;
    int page = 1;
    for (; page <= 10; ++page) {
      const Response r = fastly(emu, "GET", "/invitations?" + number + "=" + std::to_string(page) + "&" + size + "=10");
      ASSERT_EQ(r.status, 200) << r.body;
      const Json j(r.body);
      EXPECT_EQ(j.num("/meta/current_page"), page);
      EXPECT_EQ(j.num("/meta/per_page"), 10);
      EXPECT_EQ(j.num("/meta/record_count"), 25);
      EXPECT_EQ(j.num("/meta/total_pages"), 3);
      EXPECT_EQ(j.is_null("/links/prev"), page == 1);
      for (std::size_t i = 0; i < j.size("/data"); ++i) ids.push_back(j.str("/data/" + std::to_string(i) + "/id"));
      if (j.is_null("/links/next")) break;
      EXPECT_EQ(j.str("/links/next"),
                emu.url() + "/invitations?page%5Bnumber%5D=" + std::to_string(page + 1) + "&page%5Bsize%5D=10");
    }
    EXPECT_EQ(page, 3);
    ASSERT_EQ(ids.size(), 25u);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 25u);
  }
  // Following links.next verbatim works too.
  Request req;
  req.url = Json(fastly(emu, "GET", "/invitations?page[size]=10").body).str("/links/next");
  req.headers = {"Fastly-Key: emulator-fastly-token"};
  EXPECT_EQ(Json(http(req).body).num("/meta/current_page"), 2);
}

TEST(EmulatorRouting, UnknownPathsAndMethods) {
  Emulator emu;
  EXPECT_EQ(twilio(emu, "PUT", kUsers).status, 405);
  EXPECT_EQ(openai(emu, "PATCH", "/v1/organization/invites").status, 405);
  EXPECT_EQ(openai(emu, "GET", "/v1/organization/projects").status, 404);
  EXPECT_EQ(fastly(emu, "GET", "/invitations/abc").status, 405);
  EXPECT_EQ(control(emu, "GET", "/nothing/here").status, 404);
  const Response long_path = control(emu, "GET", "/" + std::string(6000, 'a'));
  EXPECT_EQ(long_path.status, 404);
}
