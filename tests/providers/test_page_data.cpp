// How list results own their data (docs/DESIGN.md, "How a page owns its
// data"): an item handed out by a pager outlives its page and the pager (the
// ASan build proves that nothing it returns points into freed memory), its
// raw JSON is the exact bytes of the body (escapes, raw UTF-8, nesting and
// whitespace kept), and every string field reads as absent (NULL), null (NULL)
// or empty ("") as the body says, for each provider.
#include "prov_util.hpp"

using namespace prov;

namespace {

// Pretty-printed like the vendors send them, with escapes, \u sequences,
// raw UTF-8 and nested objects.
const std::string kOpenAIEscaped =
    "{\n  \"object\": \"organization.invite\",\n  \"id\": \"invite-\\u00e9\\\"q\\\\\",\n"
    "  \"email\": \"zo\xc3\xab\\ud83d\\ude00@example.com\",\n  \"role\": \"owner\",  \"status\" : \"pending\",\n"
    "  \"created_at\": 1711471533,\n  \"nested\": {\"a\": [1, {\"b\": \"\\n\"}], \"c\": null},\n"
    "  \"projects\": [ {\"id\": \"proj_\\/1\", \"role\": \"member\"} ]\n}";

std::string openai_page(const std::string &items, const char *last, bool more) {
  return "{\"object\":\"list\",\"data\":[" + items +
         "],\"last_id\":" + (last ? std::string("\"") + last + "\"" : "null") +
         ",\"has_more\":" + (more ? "true" : "false") + "}";
}

std::string raw_of(int32_t (*fn)(const void *, const uint8_t **, size_t *), const void *o) {
  const uint8_t *d = nullptr;
  size_t n = 0;
  return fn(o, &d, &n) == 1 && d ? std::string(reinterpret_cast<const char *>(d), n) : std::string("<absent>");
}
// The typed raw-JSON accessors, as one signature for raw_of.
template <class T, int32_t (*F)(const T *, const uint8_t **, size_t *)>
int32_t raw_fn(const void *o, const uint8_t **d, size_t *n) {
  return F(static_cast<const T *>(o), d, n);
}

// The three readings of a string field: absent, JSON null, empty string.
void expect_absent_null_empty(const char *absent, const char *null, const char *empty, const char *what) {
  EXPECT_EQ(absent, nullptr) << what;
  EXPECT_EQ(null, nullptr) << what;
  ASSERT_NE(empty, nullptr) << what;
  EXPECT_STREQ(empty, "") << what;
}

// A page of three items (every field absent, null, empty), read through each accessor.
template <class T>
using Accessor = const char *(*)(const T *);
template <class T>
void expect_items_absent_null_empty(const ik_page *page, const T *(*at)(const ik_page *, size_t),
                                    std::initializer_list<std::pair<Accessor<T>, const char *>> fields) {
  ASSERT_EQ(ik_page_count(page), 3u);
  const T *v[3] = {at(page, 0), at(page, 1), at(page, 2)};
  for (const auto &[get, name] : fields) expect_absent_null_empty(get(v[0]), get(v[1]), get(v[2]), name);
}

// Every item of a pager, owned, until its end (at most 10); the pager is freed before returning.
template <class Ptr, class T>
std::vector<Ptr> take_all(ik_pager *p, ik_status (*next)(ik_pager *, const ik_call_options *, T **, ik_error **)) {
  PagerPtr pager(p);
  std::vector<Ptr> items;
  for (int guard = 0; guard < 10; ++guard) {
    T *item = nullptr;
    Err err;
    const ik_status st = next(pager.get(), nullptr, &item, err.out());
    EXPECT_EQ(st, IK_STATUS_OK) << err.what();
    if (st != IK_STATUS_OK || !item) break;
    items.emplace_back(item);
  }
  return items;
}
}  // namespace

class PageData : public ProvFixture {
 protected:
  void SetUp() override {
    base = server.base_url();
    ik_client_options o = options_for(base);
    o.openai_admin_key = "sk-admin-test";
    o.openai_base_url = base.c_str();
    std::string why;
    client = make_client(o, &why);
    ASSERT_TRUE(client) << why;
  }
};

TEST_F(PageData, OpenAIPagerItemsOutliveTheirPagesAndThePager) {
  const std::string second = "{\"object\":\"organization.invite\",\"id\":\"invite-2\",\"email\":\"b@e.com\"}";
  server.enqueue(Reply::json(200, openai_page(kOpenAIEscaped, "invite-1", true)));
  server.enqueue(Reply::json(200, openai_page(second, "invite-2", false)));
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(client.get(), nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  auto items = take_all<InvitePtr>(p, ik_pager_next_openai_invite);  // the pager and its pages are gone
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(ik_openai_invite_id(items[0].get())), "invite-\xc3\xa9\"q\\");
  EXPECT_EQ(str(ik_openai_invite_email(items[0].get())), "zo\xc3\xab\xf0\x9f\x98\x80@example.com");
  const char *pid = nullptr;
  const char *prole = nullptr;
  ASSERT_EQ(ik_openai_invite_project_at(items[0].get(), 0, &pid, &prole), 1);
  EXPECT_EQ(str(pid), "proj_/1");
  EXPECT_EQ(str(prole), "member");
  auto raw = raw_fn<ik_openai_invite, ik_openai_invite_raw_json>;
  EXPECT_EQ(raw_of(raw, items[0].get()), kOpenAIEscaped);
  EXPECT_EQ(raw_of(raw, items[1].get()), second);
  EXPECT_EQ(ik_response_http_status(ik_openai_invite_response(items[1].get())), 200);
  items.erase(items.begin());  // the first page's data goes with its last item
  EXPECT_EQ(str(ik_openai_invite_email(items[0].get())), "b@e.com");
}

TEST_F(PageData, OpenAIFieldsAbsentNullEmpty) {
  server.enqueue(
      Reply::json(200, openai_page("{},{\"object\":null,\"id\":null,\"email\":null,\"role\":null,\"status\":null,"
                                   "\"projects\":[{\"id\":null,\"role\":null}]},"
                                   "{\"object\":\"\",\"id\":\"\",\"email\":\"\",\"role\":\"\",\"status\":\"\","
                                   "\"projects\":[{\"id\":\"\",\"role\":\"\"}]}",
                                   nullptr, false)));
  Err err;
  ik_page *p = nullptr;
  ASSERT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(p);
  expect_items_absent_null_empty<ik_openai_invite>(page.get(), ik_page_openai_invite_at,
                                                   {{ik_openai_invite_object, "object"},
                                                    {ik_openai_invite_id, "id"},
                                                    {ik_openai_invite_email, "email"},
                                                    {ik_openai_invite_role, "role"},
                                                    {ik_openai_invite_status, "status"}});
  const ik_openai_invite *v[3] = {ik_page_openai_invite_at(page.get(), 0), ik_page_openai_invite_at(page.get(), 1),
                                  ik_page_openai_invite_at(page.get(), 2)};
  EXPECT_EQ(ik_openai_invite_has_projects(v[0]), 0);
  const char *ids[2] = {"x", "x"};
  const char *roles[2] = {"x", "x"};
  ASSERT_EQ(ik_openai_invite_project_at(v[1], 0, &ids[0], &roles[0]), 1);
  ASSERT_EQ(ik_openai_invite_project_at(v[2], 0, &ids[1], &roles[1]), 1);
  expect_absent_null_empty(nullptr, ids[0], ids[1], "projects[].id");
  expect_absent_null_empty(nullptr, roles[0], roles[1], "projects[].role");
}

namespace {
const char *kUserFields[] = {"sid",      "account_sid", "service_sid",  "attributes",   "friendly_name",
                             "role_sid", "identity",    "date_created", "date_updated", "url"};

std::string twilio_user(const char *value) {  // every string field set to value (raw JSON), or none
  std::string s = "{";
  for (const char *f : kUserFields) {
    if (!value) break;
    s += std::string(s.size() > 1 ? "," : "") + "\"" + f + "\":" + value;
  }
  if (value) s += std::string(",\"links\":{\"user_channels\":") + value + ",\"user_bindings\":" + value + "}";
  return s + "}";
}

std::string twilio_page(const std::string &items, const std::string &next) {
  return "{\"users\":[" + items +
         "],\"meta\":{\"key\":\"users\",\"page\":0,\"page_size\":50,\"next_page_url\":" + next + "}}";
}
}  // namespace

TEST_F(PageData, TwilioPagerItemsOutliveTheirPagesAndThePager) {
  const std::string escaped =
      "{ \"sid\" : \"US\\u0031\",\n \"friendly_name\": \"Ren\\u00e9e \\\"R\\\" \xe6\x97\xa5\",\n"
      " \"attributes\": \"{\\\"k\\\":[1,2]}\", \"links\": {\"user_channels\": \"https://x/\\/c\"} }";
  const std::string next = "\"" + base + "/v2/Services/" + kService + "/Users?PageSize=50&Page=1\"";
  server.enqueue(Reply::json(200, twilio_page(escaped, next)));
  server.enqueue(Reply::json(200, twilio_page("{\"sid\":\"US2\"}", "null")));
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_user_pager(client.get(), kService, nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  const auto items = take_all<TwUserPtr>(p, ik_pager_next_twilio_user);  // the pager and its pages are gone
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(ik_twilio_user_sid(items[0].get())), "US1");
  EXPECT_EQ(str(ik_twilio_user_friendly_name(items[0].get())),
            "Ren\xc3\xa9"
            "e \"R\" \xe6\x97\xa5");
  EXPECT_EQ(str(ik_twilio_user_attributes(items[0].get())), "{\"k\":[1,2]}");
  EXPECT_EQ(str(ik_twilio_user_link_user_channels(items[0].get())), "https://x//c");
  auto raw = raw_fn<ik_twilio_user, ik_twilio_user_raw_json>;
  EXPECT_EQ(raw_of(raw, items[0].get()), escaped);
  EXPECT_EQ(raw_of(raw, items[1].get()), "{\"sid\":\"US2\"}");
}

TEST_F(PageData, TwilioFieldsAbsentNullEmpty) {
  server.enqueue(Reply::json(
      200, twilio_page(twilio_user(nullptr) + "," + twilio_user("null") + "," + twilio_user("\"\""), "null")));
  Err err;
  ik_page *p = nullptr;
  ASSERT_EQ(ik_twilio_user_list(client.get(), kService, nullptr, nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(p);
  expect_items_absent_null_empty<ik_twilio_user>(page.get(), ik_page_twilio_user_at,
                                                 {{ik_twilio_user_sid, "sid"},
                                                  {ik_twilio_user_account_sid, "account_sid"},
                                                  {ik_twilio_user_service_sid, "service_sid"},
                                                  {ik_twilio_user_attributes, "attributes"},
                                                  {ik_twilio_user_friendly_name, "friendly_name"},
                                                  {ik_twilio_user_role_sid, "role_sid"},
                                                  {ik_twilio_user_identity, "identity"},
                                                  {ik_twilio_user_date_created, "date_created"},
                                                  {ik_twilio_user_date_updated, "date_updated"},
                                                  {ik_twilio_user_url, "url"},
                                                  {ik_twilio_user_link_user_channels, "links.user_channels"},
                                                  {ik_twilio_user_link_user_bindings, "links.user_bindings"}});
}

namespace {
std::string fastly_item(const char *value) {  // every string field set to value (raw JSON), or none
  if (!value) return "{}";
  const std::string v = value;
  return "{\"id\":" + v + ",\"type\":" + v + ",\"attributes\":{\"email\":" + v + ",\"role\":" + v +
         ",\"created_at\":" + v + ",\"updated_at\":" + v + ",\"deleted_at\":" + v +
         "},\"relationships\":{\"customer\":{\"data\":{\"id\":" + v + "}}}}";
}
std::string fastly_page(const std::string &items, int page, int total) {
  return "{\"data\":[" + items + "],\"links\":{\"next\":" +
         (page < total ? "\"https://api.fastly.com/invitations?page%5Bnumber%5D=" + std::to_string(page + 1) + "\""
                       : std::string("null")) +
         "},\"meta\":{\"current_page\":" + std::to_string(page) +
         ",\"per_page\":20,\"total_pages\":" + std::to_string(total) + "}}";
}
}  // namespace

TEST_F(PageData, FastlyPagerItemsOutliveTheirPagesAndThePager) {
  const std::string escaped =
      "{\"id\":\"inv\\t1\",\"type\":\"invitation\",\"attributes\":{\"email\":\"\\u00fcml@example.com\","
      "\"roles\":[\"a\\\"b\",\"\xe2\x82\xac\"],\"status_code\":1},\n  \"relationships\": {\"service_invitations\":"
      "{\"data\":[{\"id\":\"si\\/1\",\"type\":\"service_invitation\"}]}}}";
  server.enqueue(Reply{200, {}, fastly_page(escaped, 1, 2), "application/vnd.api+json"});
  server.enqueue(Reply{200, {}, fastly_page("{\"id\":\"inv2\"}", 2, 2), "application/vnd.api+json"});
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(ik_fastly_invitation_pager(client.get(), nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  const auto items = take_all<FlInvPtr>(p, ik_pager_next_fastly_invitation);  // the pager and its pages are gone
  ASSERT_EQ(items.size(), 2u);
  const ik_fastly_invitation *a = items[0].get();
  EXPECT_EQ(str(ik_fastly_invitation_id(a)), "inv\t1");
  EXPECT_EQ(str(ik_fastly_invitation_email(a)), "\xc3\xbcml@example.com");
  ASSERT_EQ(ik_fastly_invitation_role_count(a), 2u);
  EXPECT_EQ(str(ik_fastly_invitation_role_at(a, 0)), "a\"b");
  EXPECT_EQ(str(ik_fastly_invitation_role_at(a, 1)), "\xe2\x82\xac");
  EXPECT_EQ(str(ik_fastly_invitation_service_invitation_at(a, 0)), "si/1");
  auto raw = raw_fn<ik_fastly_invitation, ik_fastly_invitation_raw_json>;
  EXPECT_EQ(raw_of(raw, a), escaped);
  EXPECT_EQ(raw_of(raw, items[1].get()), "{\"id\":\"inv2\"}");
}

TEST_F(PageData, FastlyFieldsAbsentNullEmpty) {
  server.enqueue(Reply{200,
                       {},
                       fastly_page(fastly_item(nullptr) + "," + fastly_item("null") + "," + fastly_item("\"\""), 1, 1),
                       "application/vnd.api+json"});
  Err err;
  ik_page *p = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(client.get(), nullptr, nullptr, &p, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(p);
  expect_items_absent_null_empty<ik_fastly_invitation>(page.get(), ik_page_fastly_invitation_at,
                                                       {{ik_fastly_invitation_id, "id"},
                                                        {ik_fastly_invitation_type, "type"},
                                                        {ik_fastly_invitation_email, "email"},
                                                        {ik_fastly_invitation_role, "role"},
                                                        {ik_fastly_invitation_created_at, "created_at"},
                                                        {ik_fastly_invitation_updated_at, "updated_at"},
                                                        {ik_fastly_invitation_deleted_at, "deleted_at"},
                                                        {ik_fastly_invitation_customer_id, "customer_id"}});
}
