// All sixteen operations end to end against invitekit-emulator through the C
// ABI, with state checks: create -> fetch/retrieve -> list (pagers across at
// least three pages) -> update -> delete -> the fetch after it fails with the
// vendor's 404 and code. Plus awkward Twilio identities, the repeated
// Identity filter, deleting an accepted OpenAI invite and wrong credentials.
#include <cstdio>
#include <map>
#include <set>

#include "integ_util.hpp"

namespace integ {
namespace {

class Operations : public EmulatorTest<Operations> {};

// ---------------------------------------------------------------------------
// OpenAI: create, retrieve, list, delete (4 operations)
// ---------------------------------------------------------------------------
TEST_F(Operations, OpenAIInviteLifecycle) {
  auto c = make_client();
  ASSERT_TRUE(c);

  ik_openai_project_ref projects[] = {{"proj_abc", "member"}};
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "alice@example.com";
  p.role = "owner";
  p.send_projects = IK_OPTBOOL_TRUE;
  p.projects = projects;
  p.projects_count = 1;
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_create(c->get(), &p, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr created(raw);
  const std::string id = str(ik_openai_invite_id(raw));
  EXPECT_EQ(id.rfind("invite-", 0), 0u) << id;
  EXPECT_EQ(str(ik_openai_invite_object(raw)), "organization.invite");
  EXPECT_EQ(str(ik_openai_invite_email(raw)), "alice@example.com");
  EXPECT_EQ(str(ik_openai_invite_role(raw)), "owner");
  EXPECT_EQ(str(ik_openai_invite_status(raw)), "pending");
  ASSERT_EQ(ik_openai_invite_project_count(raw), 1u);
  const char *project_id = nullptr;
  const char *project_role = nullptr;
  ASSERT_EQ(ik_openai_invite_project_at(raw, 0, &project_id, &project_role), 1);
  EXPECT_EQ(str(project_id), "proj_abc");
  EXPECT_EQ(str(project_role), "member");
  EXPECT_EQ(ik_openai_invite_project_at(raw, 1, &project_id, &project_role), 0);
  int64_t created_at = 0, expires_at = 0, accepted_at = 0;
  EXPECT_EQ(ik_openai_invite_created_at_unix(raw, &created_at), 1);
  EXPECT_EQ(ik_openai_invite_expires_at_unix(raw, &expires_at), 1);
  EXPECT_EQ(expires_at - created_at, 7 * 24 * 3600);
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(raw, &accepted_at), 0);  // null
  EXPECT_EQ(ik_response_http_status(ik_openai_invite_response(raw)), 200);
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(raw)), 1);
  EXPECT_EQ(count("openai_invites"), 1);

  // retrieve
  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr fetched(raw);
  EXPECT_EQ(str(ik_openai_invite_id(raw)), id);
  EXPECT_EQ(str(ik_openai_invite_email(raw)), "alice@example.com");
  EXPECT_EQ(str(ik_openai_invite_status(raw)), "pending");

  // list: the one invite
  ik_page *page = nullptr;
  ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned_page(page);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_OPENAI_INVITE);
  ASSERT_EQ(ik_page_count(page), 1u);
  EXPECT_EQ(str(ik_openai_invite_id(ik_page_openai_invite_at(page, 0))), id);
  EXPECT_EQ(ik_page_has_more(page), 0);
  EXPECT_EQ(str(ik_page_openai_first_id(page)), id);
  EXPECT_EQ(str(ik_page_openai_last_id(page)), id);
  EXPECT_EQ(str(ik_page_item_id(page, 0)), id);
  const uint8_t *item_data = nullptr;
  size_t item_len = 0;
  ASSERT_EQ(ik_page_item_raw_json(page, 0, &item_data, &item_len), 1);
  EXPECT_EQ(bytes(item_data, item_len), raw_json(ik_openai_invite_raw_json, ik_page_openai_invite_at(page, 0)));

  // delete
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_openai_invite_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr owned_del(del);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_OPENAI_INVITE);
  EXPECT_EQ(str(ik_deletion_object(del)), "organization.invite.deleted");
  EXPECT_EQ(str(ik_deletion_id(del)), id);
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_NE(raw_json(ik_deletion_raw_json, del).find(id), std::string::npos);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 200);
  EXPECT_EQ(count("openai_invites"), 0);

  // retrieve after delete -> the vendor's 404
  EXPECT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(raw, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 404);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_OPENAI);
  // error.code is null in the vendor's body: the provider code falls back to error.type.
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "invalid_request_error");
  EXPECT_EQ(str(ik_error_provider_message(err.get())), "Invite not found");
  EXPECT_EQ(str(ik_error_field(err.get(), "type")), "invalid_request_error");
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 0);

  // a second delete is a 404 too
  owned_del.reset();
  del = reinterpret_cast<ik_deletion *>(0x10);
  EXPECT_EQ(ik_openai_invite_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(del, nullptr);
}

TEST_F(Operations, OpenAIPagerAcrossThreePages) {
  seed(7);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(c->get(), &lo, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr owned(pager);
  std::vector<std::string> emails;
  std::set<std::string> ids;
  std::string why;
  const auto sizes = walk_pages(
      pager,
      [&](const ik_page *page, size_t i) {
        const ik_openai_invite *inv = ik_page_openai_invite_at(page, i);
        emails.push_back(str(ik_openai_invite_email(inv)));
        ids.insert(str(ik_openai_invite_id(inv)));
      },
      &why);
  EXPECT_TRUE(why.empty()) << why;
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ(emails, seeded_emails(1, 7));
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(ik_pager_items_delivered(pager), 7);
  EXPECT_EQ(ik_pager_done(pager), 1);
  // Exactly one request per page; the second and third continue with after=.
  const auto lists = requests_to("GET", "/v1/organization/invites");
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_EQ(lists[0].target.find("after="), std::string::npos) << lists[0].target;
  EXPECT_NE(lists[1].target.find("after=invite-"), std::string::npos) << lists[1].target;
  EXPECT_NE(lists[2].target.find("after=invite-"), std::string::npos) << lists[2].target;
}

TEST_F(Operations, OpenAIDeleteOfAcceptedInviteIsRefused) {
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_openai_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(openai_create(c->get(), "accepted@example.com", nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  const std::string id = str(ik_openai_invite_id(raw));
  ik_openai_invite_free(raw);

  ASSERT_EQ(control("POST", "/__emulator/openai/invites/" + id + "/accept").status, 200);

  ASSERT_EQ(ik_openai_invite_retrieve(c->get(), id.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr fetched(raw);
  EXPECT_EQ(str(ik_openai_invite_status(raw)), "accepted");
  int64_t accepted_at = 0;
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(raw, &accepted_at), 1);
  EXPECT_GT(accepted_at, 0);

  ik_deletion *del = nullptr;
  EXPECT_EQ(ik_openai_invite_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_BAD_REQUEST);
  EXPECT_EQ(del, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 400);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "invalid_request_error");
  EXPECT_EQ(str(ik_error_provider_message(err.get())), "Cannot delete an invite that has already been accepted.");
  EXPECT_EQ(ik_error_field(err.get(), "param"), nullptr);  // null in the body
  EXPECT_NE(str(ik_error_message(err.get())).find("already been accepted"), std::string::npos) << err.what();
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(count("openai_invites"), 1);  // still there
}

// ---------------------------------------------------------------------------
// Twilio Chat v1 invites: create, fetch, list, delete (4 operations)
// ---------------------------------------------------------------------------
TEST_F(Operations, TwilioInviteLifecycle) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const char *service = "IS0123456789abcdef0123456789abcdef";
  const char *role = "RL0123456789abcdef0123456789abcdef";
  ik_twilio_invite *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_create(c->get(), service, "general", "alice", role, nullptr, &raw, err.out()),
            IK_STATUS_OK)
      << err.what();
  TwilioInvitePtr created(raw);
  const std::string sid = str(ik_twilio_invite_sid(raw));
  const std::string channel_sid = str(ik_twilio_invite_channel_sid(raw));
  EXPECT_EQ(sid.size(), 34u);
  EXPECT_EQ(sid.rfind("IN", 0), 0u) << sid;
  EXPECT_EQ(channel_sid.rfind("CH", 0), 0u) << channel_sid;  // "general" maps to a stable CH SID
  EXPECT_EQ(str(ik_twilio_invite_identity(raw)), "alice");
  EXPECT_EQ(str(ik_twilio_invite_role_sid(raw)), role);
  EXPECT_EQ(str(ik_twilio_invite_service_sid(raw)), service);
  EXPECT_EQ(str(ik_twilio_invite_account_sid(raw)), kTwilioAccount);
  EXPECT_EQ(ik_twilio_invite_created_by(raw), nullptr);
  EXPECT_EQ(ik_response_http_status(ik_twilio_invite_response(raw)), 201);
  int64_t t = 0;
  EXPECT_EQ(ik_twilio_invite_date_created_unix(raw, &t), 1);

  // fetch, by the unique name and by the channel SID
  for (const std::string &channel : {std::string("general"), channel_sid}) {
    ASSERT_EQ(ik_twilio_invite_fetch(c->get(), service, channel.c_str(), sid.c_str(), nullptr, &raw, err.out()),
              IK_STATUS_OK)
        << channel << ": " << err.what();
    TwilioInvitePtr fetched(raw);
    EXPECT_EQ(str(ik_twilio_invite_sid(raw)), sid);
    EXPECT_EQ(str(ik_twilio_invite_identity(raw)), "alice");
  }

  // list
  ik_page *page = nullptr;
  ASSERT_EQ(ik_twilio_invite_list(c->get(), service, "general", nullptr, 0, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr owned_page(page);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_TWILIO_INVITE);
  ASSERT_EQ(ik_page_count(page), 1u);
  EXPECT_EQ(str(ik_twilio_invite_sid(ik_page_twilio_invite_at(page, 0))), sid);
  EXPECT_EQ(ik_page_twilio_next_page_url(page), nullptr);
  EXPECT_EQ(ik_page_has_more(page), 0);

  // delete
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_twilio_invite_delete(c->get(), service, "general", sid.c_str(), nullptr, &del, err.out()), IK_STATUS_OK)
      << err.what();
  DeletionPtr owned_del(del);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_TWILIO_INVITE);
  EXPECT_EQ(str(ik_deletion_id(del)), sid);
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 0);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
  EXPECT_EQ(count("twilio_invites"), 0);

  // fetch after delete -> Twilio 404, code 20404
  EXPECT_EQ(ik_twilio_invite_fetch(c->get(), service, "general", sid.c_str(), nullptr, &raw, err.out()),
            IK_STATUS_NOT_FOUND);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 404);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_TWILIO);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "20404");
  EXPECT_NE(str(ik_error_provider_message(err.get())).find("was not found"), std::string::npos) << err.what();
  EXPECT_EQ(str(ik_error_field(err.get(), "more_info")), "https://www.twilio.com/docs/errors/20404");
}

TEST_F(Operations, TwilioInviteListRepeatedIdentityFilter) {
  auto c = make_client();
  ASSERT_TRUE(c);
  Err err;
  std::map<std::string, std::string> sids;
  for (const char *who : {"alice", "bob", "carol", "a|b"}) {
    ik_twilio_invite *raw = nullptr;
    ASSERT_EQ(ik_twilio_invite_create(c->get(), kService, kChannel, who, nullptr, nullptr, &raw, err.out()),
              IK_STATUS_OK)
        << who << ": " << err.what();
    sids[who] = str(ik_twilio_invite_sid(raw));
    EXPECT_EQ(str(ik_twilio_invite_role_sid(raw)), "RL00000000000000000000000000000000");
    ik_twilio_invite_free(raw);
  }
  ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);

  const char *filter[] = {"alice", "carol", "a|b"};
  ik_page *page = nullptr;
  ASSERT_EQ(ik_twilio_invite_list(c->get(), kService, kChannel, filter, 3, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr owned(page);
  std::set<std::string> got;
  for (size_t i = 0; i < ik_page_count(page); ++i)
    got.insert(str(ik_twilio_invite_identity(ik_page_twilio_invite_at(page, i))));
  EXPECT_EQ(got, (std::set<std::string>{"alice", "carol", "a|b"}));

  const auto logged = requests_to("GET", "/v1/Services/");
  ASSERT_EQ(logged.size(), 1u);
  const std::string &target = logged[0].target;
  EXPECT_NE(target.find("Identity=alice"), std::string::npos) << target;
  EXPECT_NE(target.find("Identity=carol"), std::string::npos) << target;
  EXPECT_NE(target.find("Identity=a%7Cb"), std::string::npos) << target;
  EXPECT_EQ(target.find("bob"), std::string::npos) << target;

  // A filter that matches nothing gives an empty page, not an error.
  const char *nobody[] = {"nobody"};
  ASSERT_EQ(ik_twilio_invite_list(c->get(), kService, kChannel, nobody, 1, nullptr, nullptr, &page, err.out()),
            IK_STATUS_OK)
      << err.what();
  PagePtr empty(page);
  EXPECT_EQ(ik_page_count(page), 0u);
}

TEST_F(Operations, TwilioInvitePagerAcrossThreePages) {
  seed(7);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_pager(c->get(), kService, kChannel, nullptr, 0, &lo, &pager, err.out()), IK_STATUS_OK)
      << err.what();
  PagerPtr owned(pager);
  std::vector<std::string> identities;
  std::set<std::string> sids;
  std::string why;
  const auto sizes = walk_pages(
      pager,
      [&](const ik_page *page, size_t i) {
        const ik_twilio_invite *inv = ik_page_twilio_invite_at(page, i);
        identities.push_back(str(ik_twilio_invite_identity(inv)));
        sids.insert(str(ik_twilio_invite_sid(inv)));
      },
      &why);
  EXPECT_TRUE(why.empty()) << why;
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ(identities, (std::vector<std::string>{"user-0001", "user-0002", "user-0003", "user-0004", "user-0005",
                                                  "user-0006", "user-0007"}));
  EXPECT_EQ(sids.size(), 7u);
  const auto lists = requests_to("GET", "/v1/Services/");
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_NE(lists[1].target.find("PageToken="), std::string::npos) << lists[1].target;
  EXPECT_NE(lists[2].target.find("PageToken="), std::string::npos) << lists[2].target;
}

// ---------------------------------------------------------------------------
// Twilio Chat v2 users: create, fetch, list, update, delete (5 operations)
// ---------------------------------------------------------------------------
TEST_F(Operations, TwilioUserLifecycleBySid) {
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  p.identity = "bob";
  p.friendly_name = "Bob";
  p.attributes = "{\"team\":\"red\"}";
  ik_twilio_user *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_create(c->get(), kService, &p, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  TwilioUserPtr created(raw);
  const std::string sid = str(ik_twilio_user_sid(raw));
  EXPECT_EQ(sid.rfind("US", 0), 0u) << sid;
  EXPECT_EQ(sid.size(), 34u);
  EXPECT_EQ(str(ik_twilio_user_identity(raw)), "bob");
  EXPECT_EQ(str(ik_twilio_user_friendly_name(raw)), "Bob");
  EXPECT_EQ(str(ik_twilio_user_attributes(raw)), "{\"team\":\"red\"}");
  EXPECT_EQ(str(ik_twilio_user_role_sid(raw)), "RL00000000000000000000000000000001");
  EXPECT_EQ(str(ik_twilio_user_service_sid(raw)), kService);
  EXPECT_EQ(ik_twilio_user_is_online(raw), IK_OPTBOOL_UNSET);
  EXPECT_EQ(str(ik_twilio_user_url(raw)).rfind(url(), 0), 0u) << str(ik_twilio_user_url(raw));
  EXPECT_EQ(ik_response_http_status(ik_twilio_user_response(raw)), 201);

  // fetch by SID
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, sid.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  TwilioUserPtr fetched(raw);
  EXPECT_EQ(str(ik_twilio_user_identity(raw)), "bob");

  // update by SID: friendly name and attributes change, identity stays
  ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
  u.friendly_name = "Robert";
  u.attributes = "{\"team\":\"blue\"}";
  ASSERT_EQ(ik_twilio_user_update(c->get(), kService, sid.c_str(), &u, nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  TwilioUserPtr updated(raw);
  EXPECT_EQ(ik_response_http_status(ik_twilio_user_response(raw)), 200);
  EXPECT_EQ(str(ik_twilio_user_sid(raw)), sid);
  EXPECT_EQ(str(ik_twilio_user_friendly_name(raw)), "Robert");
  EXPECT_EQ(str(ik_twilio_user_attributes(raw)), "{\"team\":\"blue\"}");
  EXPECT_EQ(str(ik_twilio_user_identity(raw)), "bob");

  // the update is stored
  ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, sid.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK)
      << err.what();
  TwilioUserPtr refetched(raw);
  EXPECT_EQ(str(ik_twilio_user_friendly_name(raw)), "Robert");

  // list
  ik_page *page = nullptr;
  ASSERT_EQ(ik_twilio_user_list(c->get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned_page(page);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_TWILIO_USER);
  ASSERT_EQ(ik_page_count(page), 1u);
  EXPECT_EQ(str(ik_twilio_user_sid(ik_page_twilio_user_at(page, 0))), sid);
  EXPECT_EQ(str(ik_twilio_user_friendly_name(ik_page_twilio_user_at(page, 0))), "Robert");

  // a duplicate identity is the vendor's 409 / 50201
  ASSERT_EQ(ik_twilio_user_create(c->get(), kService, &p, nullptr, &raw, err.out()), IK_STATUS_CONFLICT);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "50201");
  EXPECT_EQ(ik_error_http_status(err.get()), 409);

  // delete by SID, then fetch -> 404 / 20404
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_twilio_user_delete(c->get(), kService, sid.c_str(), nullptr, &del, err.out()), IK_STATUS_OK)
      << err.what();
  DeletionPtr owned_del(del);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_TWILIO_USER);
  EXPECT_EQ(str(ik_deletion_id(del)), sid);
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 0);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
  EXPECT_EQ(count("twilio_users"), 0);
  EXPECT_EQ(ik_twilio_user_fetch(c->get(), kService, sid.c_str(), nullptr, &raw, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "20404");
  EXPECT_EQ(ik_error_http_status(err.get()), 404);
  ik_deletion *del2 = reinterpret_cast<ik_deletion *>(0x10);
  EXPECT_EQ(ik_twilio_user_delete(c->get(), kService, sid.c_str(), nullptr, &del2, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(del2, nullptr);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "20404");
}

TEST_F(Operations, TwilioUserLifecycleByAwkwardIdentity) {
  auto c = make_client();
  ASSERT_TRUE(c);
  const std::vector<std::pair<std::string, std::string>> cases = {
      // identity, how its path segment must arrive (raw, percent-encoded)
      {"a|b", "a%7Cb"},       {"x/y", "x%2Fy"}, {"name with spaces", "name%20with%20spaces"},
      {"\xC3\xA9", "%C3%A9"}, {"..", "%2E%2E"}, {"ciao#hola", "ciao%23hola"}};
  const std::string users = std::string("/v2/Services/") + kService + "/Users/";
  for (const auto &[identity, encoded] : cases) {
    SCOPED_TRACE("identity '" + identity + "'");
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    p.identity = identity.c_str();
    ik_twilio_user *raw = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_create(c->get(), kService, &p, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
    const std::string sid = str(ik_twilio_user_sid(raw));
    EXPECT_EQ(str(ik_twilio_user_identity(raw)), identity);
    ik_twilio_user_free(raw);
    ASSERT_EQ(control("DELETE", "/__emulator/requests").status, 200);

    // fetch by identity resolves to the same user
    ASSERT_EQ(ik_twilio_user_fetch(c->get(), kService, identity.c_str(), nullptr, &raw, err.out()), IK_STATUS_OK)
        << err.what();
    EXPECT_EQ(str(ik_twilio_user_sid(raw)), sid);
    EXPECT_EQ(str(ik_twilio_user_identity(raw)), identity);
    ik_twilio_user_free(raw);

    // update by identity
    ik_twilio_user_params u = IK_TWILIO_USER_PARAMS_INIT;
    u.friendly_name = "renamed";
    ASSERT_EQ(ik_twilio_user_update(c->get(), kService, identity.c_str(), &u, nullptr, &raw, err.out()), IK_STATUS_OK)
        << err.what();
    EXPECT_EQ(str(ik_twilio_user_sid(raw)), sid);
    EXPECT_EQ(str(ik_twilio_user_friendly_name(raw)), "renamed");
    ik_twilio_user_free(raw);

    // delete by identity, then it is gone
    ik_deletion *del = nullptr;
    ASSERT_EQ(ik_twilio_user_delete(c->get(), kService, identity.c_str(), nullptr, &del, err.out()), IK_STATUS_OK)
        << err.what();
    EXPECT_EQ(str(ik_deletion_id(del)), identity) << "the identity as given";
    EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
    ik_deletion_free(del);
    EXPECT_EQ(ik_twilio_user_fetch(c->get(), kService, sid.c_str(), nullptr, &raw, err.out()), IK_STATUS_NOT_FOUND);
    EXPECT_EQ(str(ik_error_provider_code(err.get())), "20404");

    // fetch, update and delete by identity went to the one encoded segment
    const auto logged = requests();
    ASSERT_EQ(logged.size(), 4u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(logged[i].target, users + encoded);
    EXPECT_EQ(logged[3].target, users + sid);
  }
  EXPECT_EQ(count("twilio_users"), 0);
}

TEST_F(Operations, TwilioUserPagerAcrossThreePages) {
  seed(7);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_pager(c->get(), kService, &lo, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr owned(pager);
  // Item by item this time (the pager fetches a page when the current one is used up).
  std::vector<std::string> identities;
  for (int i = 0; i < 20; ++i) {
    ik_twilio_user *u = nullptr;
    ASSERT_EQ(ik_pager_next_twilio_user(pager, nullptr, &u, err.out()), IK_STATUS_OK) << err.what();
    if (u == nullptr) break;
    identities.push_back(str(ik_twilio_user_identity(u)));
    EXPECT_EQ(str(ik_twilio_user_friendly_name(u)), "Seed User " + identities.back().substr(5));
    ik_twilio_user_free(u);
  }
  EXPECT_EQ(identities, (std::vector<std::string>{"user-0001", "user-0002", "user-0003", "user-0004", "user-0005",
                                                  "user-0006", "user-0007"}));
  EXPECT_EQ(ik_pager_done(pager), 1);
  EXPECT_EQ(requests_to("GET", "/v2/Services/").size(), 3u);
}

// ---------------------------------------------------------------------------
// Fastly invitations: create, list, delete (3 operations)
// ---------------------------------------------------------------------------
TEST_F(Operations, FastlyInvitationLifecycle) {
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_fastly_service_grant grants[] = {{"svc1", "full"}, {"svc2", "read_only"}};
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  p.email = "dana@example.com";
  p.role = "engineer";
  p.limit_services = IK_OPTBOOL_TRUE;
  p.customer_id = "cust0000000000000000001";
  p.services = grants;
  p.services_count = 2;
  ik_fastly_invitation *raw = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_create(c->get(), &p, nullptr, &raw, err.out()), IK_STATUS_OK) << err.what();
  FastlyPtr created(raw);
  const std::string id = str(ik_fastly_invitation_id(raw));
  EXPECT_EQ(id.size(), 22u) << id;
  EXPECT_EQ(str(ik_fastly_invitation_type(raw)), "invitation");
  EXPECT_EQ(str(ik_fastly_invitation_email(raw)), "dana@example.com");
  EXPECT_EQ(str(ik_fastly_invitation_role(raw)), "engineer");
  EXPECT_EQ(ik_fastly_invitation_limit_services(raw), IK_OPTBOOL_TRUE);
  EXPECT_EQ(str(ik_fastly_invitation_customer_id(raw)), "cust0000000000000000001");
  EXPECT_EQ(ik_fastly_invitation_service_invitation_count(raw), 2u);
  int64_t status_code = -1;
  EXPECT_EQ(ik_fastly_invitation_status_code(raw, &status_code), 1);
  EXPECT_EQ(status_code, 1);
  EXPECT_EQ(ik_response_http_status(ik_fastly_invitation_response(raw)), 200);
  EXPECT_EQ(count("fastly_invitations"), 1);

  // list
  ik_page *page = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr owned_page(page);
  EXPECT_EQ(ik_page_kind(page), IK_KIND_FASTLY_INVITATION);
  ASSERT_EQ(ik_page_count(page), 1u);
  EXPECT_EQ(str(ik_fastly_invitation_id(ik_page_fastly_invitation_at(page, 0))), id);
  EXPECT_EQ(opt_int(ik_page_fastly_record_count, page), 1);
  EXPECT_EQ(opt_int(ik_page_fastly_total_pages, page), 1);
  EXPECT_EQ(str(ik_page_item_id(page, 0)), id);

  // delete
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_fastly_invitation_delete(c->get(), id.c_str(), nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr owned_del(del);
  EXPECT_EQ(ik_deletion_kind(del), IK_KIND_FASTLY_INVITATION);
  EXPECT_EQ(str(ik_deletion_id(del)), id);
  EXPECT_EQ(ik_deletion_deleted(del), IK_OPTBOOL_TRUE);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 0);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(del)), 204);
  EXPECT_EQ(count("fastly_invitations"), 0);

  // Fastly has no fetch: the list no longer has it, and a second delete is the vendor's 404.
  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr after(page);
  EXPECT_EQ(ik_page_count(page), 0u);
  ik_deletion *del2 = reinterpret_cast<ik_deletion *>(0x10);
  EXPECT_EQ(ik_fastly_invitation_delete(c->get(), id.c_str(), nullptr, &del2, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(del2, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 404);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_FASTLY);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "Not found");  // errors[0].title (no code)
  EXPECT_NE(str(ik_error_provider_message(err.get())).find("Invitation " + id + " not found"), std::string::npos)
      << err.what();
  EXPECT_EQ(str(ik_error_field(err.get(), "status")), "404");
}

TEST_F(Operations, FastlyPagerAcrossThreePages) {
  seed(7);
  auto c = make_client();
  ASSERT_TRUE(c);
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 3;
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_pager(c->get(), &lo, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr owned(pager);
  std::vector<std::string> emails;
  std::vector<int64_t> current_pages;
  std::string why;
  const auto sizes = walk_pages(
      pager,
      [&](const ik_page *page, size_t i) {
        emails.push_back(str(ik_fastly_invitation_email(ik_page_fastly_invitation_at(page, i))));
        if (i == 0) {
          int64_t current = -1;
          EXPECT_EQ(ik_page_fastly_current_page(page, &current), 1);
          current_pages.push_back(current);
          EXPECT_EQ(opt_int(ik_page_fastly_total_pages, page), 3);
          EXPECT_EQ(opt_int(ik_page_fastly_record_count, page), 7);
        }
      },
      &why);
  EXPECT_TRUE(why.empty()) << why;
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ(current_pages, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(emails, seeded_emails(1, 7));
  EXPECT_EQ(requests_to("GET", "/invitations").size(), 3u);
}

// ---------------------------------------------------------------------------
// Wrong credentials: IK_STATUS_AUTHENTICATION with the vendor's code/message
// ---------------------------------------------------------------------------
TEST_F(Operations, WrongCredentialsGiveAuthenticationErrorForEachProvider) {
  auto c = make_client([](ik_client_options &o) {
    o.twilio_auth_token = "wrong-twilio-token";
    o.openai_admin_key = "sk-admin-wrong-key-0123456789";
    o.fastly_api_token = "wrong-fastly-token";
  });
  ASSERT_TRUE(c);
  Err err;
  ik_page *page = nullptr;

  ASSERT_EQ(ik_twilio_user_list(c->get(), kService, nullptr, nullptr, &page, err.out()), IK_STATUS_AUTHENTICATION);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 401);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_TWILIO);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "20003");
  EXPECT_EQ(str(ik_error_provider_message(err.get())), "Authenticate");
  EXPECT_EQ(ik_error_attempts(err.get()), 1);

  ASSERT_EQ(ik_openai_invite_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_AUTHENTICATION);
  EXPECT_EQ(ik_error_http_status(err.get()), 401);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_OPENAI);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "invalid_api_key");
  EXPECT_FALSE(str(ik_error_provider_message(err.get())).empty());
  EXPECT_EQ(str(ik_error_message(err.get())).find("sk-admin-wrong-key-0123456789"), std::string::npos);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);

  ASSERT_EQ(ik_fastly_invitation_list(c->get(), nullptr, nullptr, &page, err.out()), IK_STATUS_AUTHENTICATION);
  EXPECT_EQ(ik_error_http_status(err.get()), 401);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_FASTLY);
  EXPECT_EQ(str(ik_error_provider_code(err.get())), "Unauthorized");
  EXPECT_NE(str(ik_error_provider_message(err.get())).find("Provided credentials are missing or invalid"),
            std::string::npos)
      << err.what();
  EXPECT_EQ(ik_error_attempts(err.get()), 1);

  // Every request was refused by the emulator (nothing was retried or processed).
  for (const auto &l : requests()) EXPECT_EQ(l.status, 401) << l.method << " " << l.target;
}

}  // namespace
}  // namespace integ
