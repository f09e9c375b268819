// Twilio pagination (§0.1): follow meta.next_page_url exactly as given, with
// pages and with items; exact max_items stops with no extra request; a next
// page on another origin is refused without sending anything there; cursors.
#include "prov_util.hpp"

#include <cstdio>
#include <map>
#include <mutex>

using namespace prov;

namespace {

const std::string kInvitesPath = std::string("/v1/Services/") + kService + "/Channels/" + kChannel + "/Invites";
const std::string kUsersPath = std::string("/v2/Services/") + kService + "/Users";

std::string hex32(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%032x", i);
  return buf;
}

std::string invite_item(int i) {
  return "{\"sid\":\"IN" + hex32(i) + "\",\"identity\":\"user" + std::to_string(i) + "\",\"service_sid\":\"" +
         kService + "\",\"channel_sid\":\"" + kChannel + "\"}";
}
std::string user_item(int i) {
  return "{\"sid\":\"US" + hex32(i) + "\",\"identity\":\"user" + std::to_string(i) +
         "\",\"is_online\":null,\"joined_channels_count\":" + std::to_string(i) + "}";
}

// A scripted multi-page Twilio list: page k (0-based) holds `sizes[k]` items
// numbered consecutively; next_page_url points back at the server itself with
// a PageToken, deliberately in an unusual parameter order and with encoded
// characters so that "followed exactly" is observable.
struct TwilioPages {
  std::string key;  // "invites" / "users"
  std::string path;
  std::vector<int> sizes;
  std::string next_origin;  // where next_page_url points (the server, or elsewhere)

  std::string page_target(size_t k) const {
    if (k == 0) return path;  // the first request is built by the client
    return path + "?PageToken=PT" + std::to_string(k) + "%2Bx&Page=" + std::to_string(k) + "&PageSize=2";
  }
  std::string body(size_t k) const {
    int first = 0;
    for (size_t j = 0; j < k; ++j) first += sizes[j];
    std::string items;
    for (int i = 0; i < sizes[k]; ++i) {
      if (i) items += ",";
      items += key == "invites" ? invite_item(first + i) : user_item(first + i);
    }
    const bool last = k + 1 == sizes.size();
    std::string next = last ? "null" : "\"" + next_origin + page_target(k + 1) + "\"";
    std::string prev = k == 0 ? "null" : "\"" + next_origin + page_target(k - 1) + "\"";
    return "{\"" + key + "\":[" + items + "],\"meta\":{\"page\":" + std::to_string(k) + ",\"page_size\":2,\"key\":\"" +
           key + "\",\"first_page_url\":\"" + next_origin + path +
           "?PageSize=2&Page=0\",\"previous_page_url\":" + prev + ",\"next_page_url\":" + next + ",\"url\":\"" +
           next_origin + page_target(k) + "\"}}";
  }
  // A handler answering by request target; unknown targets get a 404.
  std::function<Reply(const RecordedRequest &)> handler() const {
    return [this](const RecordedRequest &r) {
      for (size_t k = 0; k < sizes.size(); ++k) {
        if (r.path == path && (k == 0 ? (r.query.find("PageToken") == std::string::npos) : r.target == page_target(k)))
          return Reply::json(200, body(k));
      }
      return Reply::json(404, "{\"code\":20404,\"message\":\"no such page " + r.target + "\",\"status\":404}");
    };
  }
  int total() const {
    int t = 0;
    for (int s : sizes) t += s;
    return t;
  }
};

}  // namespace

class TwilioPaging : public ProvFixture {
 protected:
  TwilioPages invites() { return TwilioPages{"invites", kInvitesPath, {2, 2, 1}, base}; }
  TwilioPages users() { return TwilioPages{"users", kUsersPath, {2, 2, 2, 1}, base}; }

  PagerPtr invite_pager(int32_t page_size, int64_t max_items, const char *cursor = nullptr) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = page_size;
    lo.max_items = max_items;
    lo.cursor = cursor;
    ik_pager *p = nullptr;
    Err err;
    EXPECT_EQ(ik_twilio_invite_pager(client.get(), kService, kChannel, nullptr, 0, &lo, &p, err.out()), IK_STATUS_OK)
        << err.what();
    return PagerPtr(p);
  }
  PagerPtr user_pager(int32_t page_size, int64_t max_items, const char *cursor = nullptr) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = page_size;
    lo.max_items = max_items;
    lo.cursor = cursor;
    ik_pager *p = nullptr;
    Err err;
    EXPECT_EQ(ik_twilio_user_pager(client.get(), kService, &lo, &p, err.out()), IK_STATUS_OK) << err.what();
    return PagerPtr(p);
  }
  // Drains a pager item by item; returns the identities.
  std::vector<std::string> drain_invites(ik_pager *p) {
    return drain_items(p, ik_pager_next_twilio_invite, ik_twilio_invite_free, ik_twilio_invite_identity);
  }
  std::vector<std::string> drain_users(ik_pager *p) {
    return drain_items(p, ik_pager_next_twilio_user, ik_twilio_user_free, ik_twilio_user_identity);
  }
  static std::vector<std::string> names(int from, int to) {
    std::vector<std::string> v;
    for (int i = from; i < to; ++i) v.push_back("user" + std::to_string(i));
    return v;
  }
  // The targets the server saw.
  std::vector<std::string> targets() const {
    std::vector<std::string> t;
    for (auto &r : server.requests()) t.push_back(r.target);
    return t;
  }
};

TEST_F(TwilioPaging, InvitesPageByPageFollowsNextPageUrlExactly) {
  auto pages = invites();
  server.set_handler(pages.handler());
  auto pager = invite_pager(2, 0);
  ASSERT_TRUE(pager);
  EXPECT_EQ(ik_pager_kind(pager.get()), IK_KIND_TWILIO_INVITE);
  std::vector<size_t> counts;
  std::vector<std::string> seen;
  for (int guard = 0; guard < 10; ++guard) {
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    if (!page) break;
    PagePtr own(page);
    counts.push_back(ik_page_count(page));
    for (size_t i = 0; i < ik_page_count(page); ++i)
      seen.push_back(str(ik_twilio_invite_identity(ik_page_twilio_invite_at(page, i))));
    EXPECT_EQ(opt_int(ik_page_twilio_page, page), static_cast<int64_t>(counts.size() - 1));
  }
  EXPECT_EQ(counts, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(seen, names(0, 5));
  EXPECT_EQ(targets(),
            (std::vector<std::string>{kInvitesPath + "?PageSize=2", pages.page_target(1), pages.page_target(2)}));
  for (auto &r : server.requests()) {
    EXPECT_EQ(r.header("Authorization"), basic(kAccountSid, kAuthToken)) << r.target;
    EXPECT_EQ(r.method, "GET");
  }
  EXPECT_EQ(ik_pager_done(pager.get()), 1);
  EXPECT_EQ(ik_pager_items_delivered(pager.get()), 5);
  // Further calls return NULL and send nothing.
  ik_page *page = nullptr;
  Err err;
  EXPECT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(TwilioPaging, InvitesItemByItem) {
  auto pages = invites();
  server.set_handler(pages.handler());
  auto pager = invite_pager(2, 0);
  ASSERT_TRUE(pager);
  EXPECT_EQ(drain_invites(pager.get()), names(0, 5));
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(ik_pager_done(pager.get()), 1);
  EXPECT_EQ(ik_pager_items_delivered(pager.get()), 5);
  Buf cur;
  Err err;
  ASSERT_EQ(ik_pager_cursor(pager.get(), &cur.b, err.out()), IK_STATUS_OK);
  EXPECT_EQ(cur.s(), "");  // after the end the cursor is empty
}

TEST_F(TwilioPaging, UsersPageByPageAndItemByItem) {
  auto pages = users();
  server.set_handler(pages.handler());
  {
    auto pager = user_pager(2, 0);
    ASSERT_TRUE(pager);
    EXPECT_EQ(ik_pager_kind(pager.get()), IK_KIND_TWILIO_USER);
    size_t n_pages = 0, n_items = 0;
    for (int guard = 0; guard < 10; ++guard) {
      ik_page *page = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
      if (!page) break;
      PagePtr own(page);
      ++n_pages;
      n_items += ik_page_count(page);
      EXPECT_EQ(str(ik_page_twilio_key(page)), "users");
    }
    EXPECT_EQ(n_pages, 4u);
    EXPECT_EQ(n_items, 7u);
    EXPECT_EQ(targets(), (std::vector<std::string>{kUsersPath + "?PageSize=2", pages.page_target(1),
                                                   pages.page_target(2), pages.page_target(3)}));
  }
  server.clear();
  {
    auto pager = user_pager(2, 0);
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_users(pager.get()), names(0, 7));
    EXPECT_EQ(server.request_count(), 4u);
  }
}

TEST_F(TwilioPaging, ItemPagerOfWrongKindIsRejected) {
  auto pages = invites();
  server.set_handler(pages.handler());
  auto pager = invite_pager(2, 0);
  ASSERT_TRUE(pager);
  ik_twilio_user *u = nullptr;
  Err err;
  EXPECT_EQ(ik_pager_next_twilio_user(pager.get(), nullptr, &u, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(u, nullptr);
  ik_fastly_invitation *f = nullptr;
  EXPECT_EQ(ik_pager_next_fastly_invitation(pager.get(), nullptr, &f, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(TwilioPaging, MaxItemsMidPageStopsExactly) {
  auto pages = invites();
  server.set_handler(pages.handler());
  {  // items: 3 of 5 -> pages 0 and 1 fetched, never page 2
    auto pager = invite_pager(2, 3);
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_invites(pager.get()), names(0, 3));
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(ik_pager_items_delivered(pager.get()), 3);
    EXPECT_EQ(ik_pager_done(pager.get()), 1);
  }
  server.clear();
  {  // pages: the second page is cut to the one item still wanted
    auto pager = invite_pager(2, 3);
    ASSERT_TRUE(pager);
    std::vector<size_t> counts;
    for (int guard = 0; guard < 10; ++guard) {
      ik_page *page = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
      if (!page) break;
      PagePtr own(page);
      counts.push_back(ik_page_count(page));
      EXPECT_EQ(ik_page_twilio_invite_at(page, ik_page_count(page)), nullptr);
    }
    EXPECT_EQ(counts, (std::vector<size_t>{2, 1}));
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(ik_pager_items_delivered(pager.get()), 3);
  }
}

TEST_F(TwilioPaging, MaxItemsOnPageBoundaryMakesNoExtraRequest) {
  auto pages = users();
  server.set_handler(pages.handler());
  {
    auto pager = user_pager(2, 4);
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_users(pager.get()), names(0, 4));
    EXPECT_EQ(server.request_count(), 2u) << "a request after max_items was reached";
  }
  server.clear();
  {
    auto pager = user_pager(2, 4);
    ASSERT_TRUE(pager);
    size_t n = 0;
    for (int guard = 0; guard < 10; ++guard) {
      ik_page *page = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
      if (!page) break;
      PagePtr own(page);
      n += ik_page_count(page);
    }
    EXPECT_EQ(n, 4u);
    EXPECT_EQ(server.request_count(), 2u);
  }
  server.clear();
  {  // max_items larger than the total: everything, no extra request
    auto pager = user_pager(2, 100);
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_users(pager.get()), names(0, 7));
    EXPECT_EQ(server.request_count(), 4u);
  }
  server.clear();
  {  // max_items 1
    auto pager = user_pager(0, 1);
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_users(pager.get()), names(0, 1));
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(server.requests()[0].target, kUsersPath);  // page size 0: the server's default
  }
}

TEST_F(TwilioPaging, PageSizeIsSeparateFromMaxItems) {
  auto pages = invites();
  server.set_handler(pages.handler());
  auto pager = invite_pager(2, 1);
  ASSERT_TRUE(pager);
  EXPECT_EQ(drain_invites(pager.get()), names(0, 1));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].query, "PageSize=2");  // max_items does not shrink the page size
}

TEST_F(TwilioPaging, NextPageOnAnotherPortIsRefused) {
  MockServer other;
  other.set_handler([](const RecordedRequest &) { return Reply::json(200, "{\"invites\":[],\"meta\":{}}"); });
  auto pages = invites();
  pages.next_origin = other.base_url();  // page 0 says: next is on another server
  server.set_handler(pages.handler());
  auto pager = invite_pager(2, 0);
  ASSERT_TRUE(pager);
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_pager_next_page(pager.get(), nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr first(page);
  ASSERT_EQ(ik_page_count(page), 2u);
  EXPECT_EQ(str(ik_page_twilio_next_page_url(page)), other.base_url() + pages.page_target(1));

  page = nullptr;
  const ik_status st = ik_pager_next_page(pager.get(), nullptr, &page, err.out());
  EXPECT_NE(st, IK_STATUS_OK);
  EXPECT_EQ(page, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_status(err.get()), st);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_TWILIO);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_EQ(ik_error_attempts(err.get()), 0) << "no request may be sent";
  const std::string msg = str(ik_error_message(err.get()));
  EXPECT_EQ(msg.find(kAuthToken), std::string::npos) << msg;
  EXPECT_EQ(other.request_count(), 0u) << "credentials left for another origin";
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(ik_pager_items_delivered(pager.get()), 2);

  // Item iteration refuses too, and repeating the call still sends nothing.
  ik_twilio_invite *inv = nullptr;
  EXPECT_NE(ik_pager_next_twilio_invite(pager.get(), nullptr, &inv, err.out()), IK_STATUS_OK);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(other.request_count(), 0u);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(TwilioPaging, NextPageOnAnotherHostNameIsRefused) {
  // Same port, other host names and schemes: not the configured origin.
  const std::string port = std::to_string(server.port());
  const std::string others[] = {"http://localhost:" + port, "https://127.0.0.1:" + port, "http://evil.invalid:" + port,
                                "http://127.0.0.1:" + port + "@evil.invalid"};
  for (const auto &origin : others) {
    server.clear();
    auto pages = users();
    pages.next_origin = origin;
    server.set_handler(pages.handler());
    auto pager = user_pager(2, 0);
    ASSERT_TRUE(pager);
    std::vector<std::string> got;
    ik_status st = IK_STATUS_OK;
    Err err;
    for (int guard = 0; guard < 10; ++guard) {
      ik_twilio_user *u = nullptr;
      st = ik_pager_next_twilio_user(pager.get(), nullptr, &u, err.out());
      if (st != IK_STATUS_OK || !u) break;
      TwUserPtr own(u);
      got.push_back(str(ik_twilio_user_identity(u)));
    }
    EXPECT_NE(st, IK_STATUS_OK) << origin;
    EXPECT_EQ(got, names(0, 2)) << origin;
    EXPECT_EQ(server.request_count(), 1u) << origin;
    if (err) {
      EXPECT_EQ(ik_error_attempts(err.get()), 0) << origin;
    }
  }
}

TEST_F(TwilioPaging, FailedPageCanBeRetried) {
  auto pages = invites();
  bool fail_once = true;
  std::mutex mu;
  auto inner = pages.handler();
  server.set_handler([&](const RecordedRequest &r) {
    std::lock_guard<std::mutex> lock(mu);
    if (r.target == pages.page_target(1) && fail_once) {
      fail_once = false;
      return Reply::json(500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
    }
    return inner(r);
  });
  auto pager = invite_pager(2, 0);
  ASSERT_TRUE(pager);
  std::vector<std::string> got;
  int failures = 0;
  for (int guard = 0; guard < 20; ++guard) {
    ik_twilio_invite *inv = nullptr;
    Err err;
    const ik_status st = ik_pager_next_twilio_invite(pager.get(), nullptr, &inv, err.out());
    if (st != IK_STATUS_OK) {
      ++failures;
      EXPECT_EQ(st, IK_STATUS_SERVER_ERROR) << err.what();
      EXPECT_EQ(str(ik_error_provider_code(err.get())), "20500");
      continue;
    }
    if (!inv) break;
    TwInvitePtr own(inv);
    got.push_back(str(ik_twilio_invite_identity(inv)));
  }
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(got, names(0, 5));
  EXPECT_EQ(server.request_count(), 4u);
}

TEST_F(TwilioPaging, CursorResumesMidPageAndAtBoundary) {
  auto pages = invites();
  server.set_handler(pages.handler());
  std::string cursor;
  {
    auto pager = invite_pager(2, 0);
    ASSERT_TRUE(pager);
    for (int i = 0; i < 3; ++i) {
      ik_twilio_invite *inv = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_twilio_invite(pager.get(), nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
      ASSERT_NE(inv, nullptr);
      TwInvitePtr own(inv);
    }
    Buf cur;
    Err err;
    ASSERT_EQ(ik_pager_cursor(pager.get(), &cur.b, err.out()), IK_STATUS_OK) << err.what();
    cursor = cur.s();
    EXPECT_FALSE(cursor.empty());
    for (char c : cursor) EXPECT_TRUE(c > 0x20 && c < 0x7f) << "cursor is not printable ASCII: " << cursor;
  }
  server.clear();
  {
    auto pager = invite_pager(2, 0, cursor.c_str());
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_invites(pager.get()), names(3, 5));
    // It re-reads page 1 (by its next_page_url) and continues from there.
    EXPECT_EQ(targets(), (std::vector<std::string>{pages.page_target(1), pages.page_target(2)}));
  }
  // A cursor of another list kind is rejected without a request.
  server.clear();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.cursor = "not-a-cursor";
  ik_pager *p = nullptr;
  Err err;
  ik_status st = ik_twilio_user_pager(client.get(), kService, &lo, &p, err.out());
  PagerPtr own(p);
  if (st == IK_STATUS_OK) {
    ik_page *page = nullptr;
    st = ik_pager_next_page(p, nullptr, &page, err.out());
    PagePtr pp(page);
  }
  EXPECT_EQ(st, IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(TwilioPaging, CursorAfterMaxItemsContinuesWithTheNextItem) {
  auto pages = users();
  server.set_handler(pages.handler());
  std::string cursor;
  {
    auto pager = user_pager(2, 4);  // stops on a page boundary
    ASSERT_TRUE(pager);
    EXPECT_EQ(drain_users(pager.get()), names(0, 4));
    Buf cur;
    Err err;
    ASSERT_EQ(ik_pager_cursor(pager.get(), &cur.b, err.out()), IK_STATUS_OK) << err.what();
    cursor = cur.s();
  }
  ASSERT_FALSE(cursor.empty()) << "no cursor to continue after max_items (the list is not over)";
  server.clear();
  auto pager = user_pager(2, 0, cursor.c_str());
  ASSERT_TRUE(pager);
  EXPECT_EQ(drain_users(pager.get()), names(4, 7));
  EXPECT_EQ(targets(), (std::vector<std::string>{pages.page_target(2), pages.page_target(3)}));
}

TEST_F(TwilioPaging, ListNextCursorContinuesWithList) {
  auto pages = users();
  server.set_handler(pages.handler());
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 2;
  std::vector<std::string> got;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    lo.cursor = cursor.empty() ? nullptr : cursor.c_str();
    ik_page *page = nullptr;
    Err err;
    ASSERT_EQ(ik_twilio_user_list(client.get(), kService, &lo, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    PagePtr own(page);
    for (size_t i = 0; i < ik_page_count(page); ++i)
      got.push_back(str(ik_twilio_user_identity(ik_page_twilio_user_at(page, i))));
    EXPECT_EQ(ik_page_has_more(page) != 0, ik_page_next_cursor(page) != nullptr);
    if (!ik_page_next_cursor(page)) break;
    cursor = ik_page_next_cursor(page);
  }
  EXPECT_EQ(got, names(0, 7));
  EXPECT_EQ(targets(), (std::vector<std::string>{kUsersPath + "?PageSize=2", pages.page_target(1), pages.page_target(2),
                                                 pages.page_target(3)}));
}
