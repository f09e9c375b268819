// Resilience: pagination over the three schemes (OpenAI after/has_more,
// Twilio meta.next_page_url, Fastly page[number]), through the public C ABI
// against a MockServer that generates pages on the fly.
#include "res_util.hpp"

using namespace res;

namespace {

class Pagination : public ::testing::TestWithParam<Kind> {
 public:
  void SetUp() override {
    api.kind = GetParam();
    model.kind = GetParam();
    model.total = 137;
    model.base = server.base_url();
  }
  void serve() {
    PagedList m = model;
    server.set_handler([m](const RecordedRequest &r) { return m(r); });
  }
  ClientPtr client() { return Cfg(server.base_url()).make(); }

  PagerPtr make_pager(const ik_client *c, const ik_list_options &lo) {
    ik_pager *p = nullptr;
    Err err;
    EXPECT_EQ(api.pager(c, &lo, &p, err.out()), IK_STATUS_OK) << err.what();
    return PagerPtr(p);
  }

  // Drains a pager page by page; returns the ids in order.
  std::vector<std::string> drain_pages(ik_pager *p, std::vector<size_t> *counts = nullptr) {
    std::vector<std::string> ids;
    for (int guard = 0; guard < 10000; ++guard) {
      ik_page *pg = nullptr;
      Err err;
      const ik_status st = ik_pager_next_page(p, nullptr, &pg, err.out());
      EXPECT_EQ(st, IK_STATUS_OK) << err.what();
      if (st != IK_STATUS_OK || !pg) break;
      PagePtr page(pg);
      if (counts) counts->push_back(ik_page_count(pg));
      for (size_t i = 0; i < ik_page_count(pg); ++i) ids.push_back(api.page_item_id(pg, i));
    }
    return ids;
  }
  std::vector<std::string> drain_items(ik_pager *p) {
    std::vector<std::string> ids;
    for (int guard = 0; guard < 1000000; ++guard) {
      std::string id;
      Err err;
      const ik_status st = api.next_item(p, nullptr, &id, err.out());
      EXPECT_EQ(st, IK_STATUS_OK) << err.what();
      if (st != IK_STATUS_OK || id.empty()) break;
      ids.push_back(id);
    }
    return ids;
  }
  std::vector<std::string> expected(long from, long to) const {
    std::vector<std::string> v;
    for (long i = from; i < to; ++i) v.push_back(item_id(GetParam(), i));
    return v;
  }
  // The pager's next page (null at the end); a failed call fails the test.
  PagePtr next_page(ik_pager *p) {
    ik_page *pg = nullptr;
    Err err;
    EXPECT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    return PagePtr(pg);
  }
  // Reads n items one by one, which must be the list's items first, first+1, ...
  void take_items(ik_pager *p, long n, long first = 0) {
    for (long i = 0; i < n; ++i) {
      std::string id;
      Err err;
      ASSERT_EQ(api.next_item(p, nullptr, &id, err.out()), IK_STATUS_OK) << err.what();
      ASSERT_EQ(id, item_id(GetParam(), first + i));
    }
  }
  std::string cursor_of(const ik_pager *p) {
    ik_buf b = IK_BUF_INIT;
    Err err;
    EXPECT_EQ(ik_pager_cursor(p, &b, err.out()), IK_STATUS_OK) << err.what();
    std::string s = b.data ? std::string(reinterpret_cast<const char *>(b.data), b.len) : std::string();
    ik_buf_dispose(&b);
    return s;
  }

  MockServer server;
  PagedList model;
  Api api{Kind::OpenAI};
};

TEST_P(Pagination, AcrossManyPagesByPageAndByItem) {
  serve();
  auto c = client();
  for (int by_items = 0; by_items < 2; ++by_items) {
    SCOPED_TRACE(by_items ? "item-by-item" : "page-by-page");
    server.clear();
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 20;
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    std::vector<size_t> counts;
    auto ids = by_items ? drain_items(p.get()) : drain_pages(p.get(), &counts);
    EXPECT_EQ(ids, expected(0, 137));
    if (!by_items) {
      EXPECT_EQ(counts, (std::vector<size_t>{20, 20, 20, 20, 20, 20, 17}));
    }
    EXPECT_EQ(server.request_count(), 7u);
    for (const auto &r : server.requests()) {
      EXPECT_EQ(r.method, "GET");
      EXPECT_EQ(r.path, list_path(GetParam()));
      EXPECT_EQ(qparam(r, size_param(GetParam())), "20") << r.target;
    }
    EXPECT_EQ(ik_pager_items_delivered(p.get()), 137);
    EXPECT_EQ(ik_pager_done(p.get()), 1);
    // Past the end: nothing more, by either call, and no request.
    ik_page *pg = nullptr;
    Err err;
    EXPECT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK);
    EXPECT_EQ(pg, nullptr);
    std::string id;
    EXPECT_EQ(api.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK);
    EXPECT_TRUE(id.empty());
    EXPECT_EQ(server.request_count(), 7u);
  }
}

TEST_P(Pagination, PageByPageAndItemsMixed) {
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 20;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  std::vector<std::string> ids;
  // 5 items, then the rest of that page as a page, then items again.
  for (int i = 0; i < 5; ++i) {
    std::string id;
    Err err;
    ASSERT_EQ(api.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK) << err.what();
    ids.push_back(id);
  }
  {
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    ASSERT_TRUE(pg);
    EXPECT_EQ(ik_page_count(pg), 15u);
    for (size_t i = 0; i < ik_page_count(pg); ++i) ids.push_back(api.page_item_id(pg, i));
  }
  auto rest = drain_items(p.get());
  ids.insert(ids.end(), rest.begin(), rest.end());
  EXPECT_EQ(ids, expected(0, 137));
  EXPECT_EQ(server.request_count(), 7u);
}

TEST_P(Pagination, MaxItemsStopsExactlyWithoutExtraRequests) {
  serve();
  auto c = client();
  for (long max : {1L, 19L, 20L, 21L, 45L, 60L, 137L, 500L}) {
    const long want = std::min(max, 137L);
    const size_t need = static_cast<size_t>((want + 19) / 20);
    for (int by_items = 0; by_items < 2; ++by_items) {
      SCOPED_TRACE("max_items=" + std::to_string(max) + (by_items ? " item-by-item" : " page-by-page"));
      server.clear();
      ik_list_options lo = IK_LIST_OPTIONS_INIT;
      lo.page_size = 20;
      lo.max_items = max;
      auto p = make_pager(c.get(), lo);
      ASSERT_TRUE(p);
      auto ids = by_items ? drain_items(p.get()) : drain_pages(p.get());
      EXPECT_EQ(ids, expected(0, want));
      EXPECT_EQ(ik_pager_items_delivered(p.get()), want);
      EXPECT_EQ(ik_pager_done(p.get()), 1);
      EXPECT_EQ(server.request_count(), need) << "no request beyond what is needed";
      // Asking again after the stop neither yields nor requests anything.
      std::string id;
      Err err;
      EXPECT_EQ(api.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK);
      EXPECT_TRUE(id.empty());
      EXPECT_EQ(server.request_count(), need);
    }
  }
}

TEST_P(Pagination, PageSizeClampedToEndpointMaximum) {
  model.total = 250;
  serve();
  auto c = client();
  const int maxp = max_page_size(GetParam());
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5000;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  auto ids = drain_pages(p.get());
  EXPECT_EQ(ids, expected(0, 250));
  EXPECT_EQ(server.request_count(), static_cast<size_t>((250 + maxp - 1) / maxp));
  for (const auto &r : server.requests())
    EXPECT_EQ(qparam(r, size_param(GetParam())), std::to_string(maxp)) << r.target;

  // The single-page list operation clamps too.
  server.clear();
  ik_page *pg = nullptr;
  Err err;
  ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(pg);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(qparam(server.last_request(), size_param(GetParam())), std::to_string(maxp));

  // Exactly the maximum is kept as is; 0 lets the server choose (no parameter).
  server.clear();
  lo.page_size = maxp;
  pg = nullptr;
  ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  page.reset(pg);
  EXPECT_EQ(qparam(server.last_request(), size_param(GetParam())), std::to_string(maxp));
  server.clear();
  lo.page_size = 0;
  pg = nullptr;
  ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  page.reset(pg);
  EXPECT_EQ(qparam(server.last_request(), size_param(GetParam())), "<absent>") << server.last_request().target;
  EXPECT_EQ(ik_page_count(pg), static_cast<size_t>(default_page_size(GetParam())));
}

TEST_P(Pagination, PageSizeIsSeparateFromMaxItems) {
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  lo.max_items = 25;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  std::vector<size_t> counts;
  auto ids = drain_pages(p.get(), &counts);
  EXPECT_EQ(ids, expected(0, 25));
  EXPECT_EQ(counts, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(server.request_count(), 3u);
  // The page size never becomes max_items (nor the other way round).
  EXPECT_EQ(qparam(server.requests()[0], size_param(GetParam())), "10");
  EXPECT_EQ(qparam(server.requests()[1], size_param(GetParam())), "10");

  // max_items alone: the server's default page size, never max_items.
  server.clear();
  ik_list_options lo2 = IK_LIST_OPTIONS_INIT;
  lo2.max_items = 3;
  auto p2 = make_pager(c.get(), lo2);
  ASSERT_TRUE(p2);
  EXPECT_EQ(drain_items(p2.get()), expected(0, 3));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_NE(qparam(server.last_request(), size_param(GetParam())), "3") << server.last_request().target;
}

TEST_P(Pagination, ResumeFromCursorAtPageBoundary) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  std::string cursor;
  std::string page_cursor;
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    for (int i = 0; i < 2; ++i) {
      ik_page *pg = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
      ASSERT_TRUE(pg);
      EXPECT_EQ(ik_page_has_more(pg), 1);
      page_cursor = str(ik_page_next_cursor(pg));
      ik_page_free(pg);
    }
    cursor = cursor_of(p.get());
    EXPECT_FALSE(cursor.empty());
  }
  EXPECT_EQ(server.request_count(), 2u);
  // Pages by the cursor of the pager...
  lo.cursor = cursor.c_str();
  auto p2 = make_pager(c.get(), lo);
  ASSERT_TRUE(p2);
  EXPECT_EQ(drain_pages(p2.get()), expected(20, 57));
  EXPECT_EQ(server.request_count(), 2u + 4u);  // 20-29, 30-39, 40-49, 50-56
  // ...and items by the cursor of the last page delivered.
  ASSERT_FALSE(page_cursor.empty());
  lo.cursor = page_cursor.c_str();
  auto p3 = make_pager(c.get(), lo);
  ASSERT_TRUE(p3);
  EXPECT_EQ(drain_items(p3.get()), expected(20, 57));
  // A single list call with the page cursor gets exactly the next page.
  ik_page *pg = nullptr;
  Err err;
  ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(pg);
  ASSERT_EQ(ik_page_count(pg), 10u);
  EXPECT_EQ(api.page_item_id(pg, 0), item_id(GetParam(), 20));
}

TEST_P(Pagination, ResumeFromCursorMidPage) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  std::string cursor;
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    ASSERT_NO_FATAL_FAILURE(take_items(p.get(), 15));
    cursor = cursor_of(p.get());
    EXPECT_FALSE(cursor.empty());
  }
  lo.cursor = cursor.c_str();
  // Item by item: continues with item 15, no duplicate and no gap.
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), expected(15, 57));
  }
  // Page by page: the first page holds only the rest of the interrupted page.
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    std::vector<size_t> counts;
    EXPECT_EQ(drain_pages(p.get(), &counts), expected(15, 57));
    EXPECT_EQ(counts, (std::vector<size_t>{5, 10, 10, 10, 7}));
  }
  // A cursor taken mid-page twice in a row (resume of a resume).
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    std::string id;
    Err err;
    ASSERT_EQ(api.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK);
    EXPECT_EQ(id, item_id(GetParam(), 15));
    std::string c2 = cursor_of(p.get());
    ik_list_options lo2 = lo;
    lo2.cursor = c2.c_str();
    auto q = make_pager(c.get(), lo2);
    ASSERT_TRUE(q);
    EXPECT_EQ(drain_items(q.get()), expected(16, 57));
  }
}

// pager.h: the cursor lets a new pager continue "exactly where this one
// stopped" - that includes a stop caused by max_items (batch processing).
TEST_P(Pagination, ResumeAfterMaxItemsStop) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  lo.max_items = 25;
  std::string cursor;
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    EXPECT_EQ(drain_items(p.get()), expected(0, 25));
    cursor = cursor_of(p.get());
  }
  EXPECT_FALSE(cursor.empty()) << "a pager stopped by max_items before the end of the list must give a cursor";
  ik_list_options lo2 = IK_LIST_OPTIONS_INIT;
  lo2.page_size = 10;
  lo2.cursor = cursor.c_str();
  auto p2 = make_pager(c.get(), lo2);
  ASSERT_TRUE(p2);
  auto ids = drain_items(p2.get());
  ASSERT_FALSE(ids.empty());
  ASSERT_EQ(ids.front(), item_id(GetParam(), 25))
      << "resumed at the wrong item (duplicates or gap); got " << ids.size() << " items";
  EXPECT_EQ(ids, expected(25, 57));
}

TEST_P(Pagination, CursorAfterTheEndIsEmpty) {
  model.total = 12;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  EXPECT_EQ(drain_items(p.get()), expected(0, 12));
  EXPECT_EQ(cursor_of(p.get()), "");
}

TEST_P(Pagination, CursorOfAnotherProviderIsInvalidArgument) {
  serve();
  auto c = client();
  for (Kind other : {Kind::OpenAI, Kind::TwilioInvites, Kind::Fastly}) {
    const bool same_provider = other == GetParam() || (other == Kind::TwilioInvites && GetParam() == Kind::TwilioUsers);
    if (same_provider) continue;
    SCOPED_TRACE(std::string("cursor of ") + kind_name(other));
    // Get a genuine cursor from a pager of the other kind.
    PagedList m = model;
    m.kind = other;
    server.set_handler([m](const RecordedRequest &r) { return m(r); });
    Api oapi{other};
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 5;
    ik_pager *op = nullptr;
    Err err;
    ASSERT_EQ(oapi.pager(c.get(), &lo, &op, err.out()), IK_STATUS_OK) << err.what();
    PagerPtr opp(op);
    std::string id;
    ASSERT_EQ(oapi.next_item(op, nullptr, &id, err.out()), IK_STATUS_OK) << err.what();
    const std::string foreign = cursor_of(op);
    ASSERT_FALSE(foreign.empty());
    serve();
    server.clear();

    lo.cursor = foreign.c_str();
    // Refused when the pager is made, or at the latest on its first call;
    // either way nothing is sent.
    ik_pager *p = nullptr;
    const ik_status st = api.pager(c.get(), &lo, &p, err.out());
    PagerPtr pp(p);
    if (st == IK_STATUS_OK) {
      ik_page *pg = nullptr;
      EXPECT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_INVALID_ARGUMENT);
      ik_page_free(pg);
    } else {
      EXPECT_EQ(st, IK_STATUS_INVALID_ARGUMENT) << err.what();
      EXPECT_EQ(p, nullptr);
    }
    ik_page *pg = nullptr;
    EXPECT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_INVALID_ARGUMENT) << err.what();
    EXPECT_EQ(pg, nullptr);
    EXPECT_EQ(server.request_count(), 0u);
  }
  // Garbage is refused too.
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.cursor = "not-a-cursor";
  ik_page *pg = nullptr;
  Err err;
  EXPECT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_P(Pagination, FailedPageKeepsDeliveredAndRetriesSamePage) {
  model.total = 45;
  // The first request for the third page fails once with a 500.
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto seen = std::make_shared<std::atomic<int>>(0);
  model.override_reply = [failed, seen](const RecordedRequest &, Reply *r) {
    if (seen->fetch_add(1) == 2 && failed->fetch_add(1) == 0) {
      *r = Reply::json(500, openai_err("boom"));
      return true;
    }
    return false;
  };
  for (int by_items = 0; by_items < 2; ++by_items) {
    SCOPED_TRACE(by_items ? "item-by-item" : "page-by-page");
    failed->store(0);
    seen->store(0);
    serve();
    server.clear();
    auto c = client();
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.max_retries = -1;
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 10;
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    std::vector<std::string> ids;
    int errors = 0;
    for (int guard = 0; guard < 200; ++guard) {
      Err err;
      ik_status st;
      bool end = false;
      if (by_items) {
        std::string id;
        st = api.next_item(p.get(), &co, &id, err.out());
        if (st == IK_STATUS_OK) {
          if (id.empty())
            end = true;
          else
            ids.push_back(id);
        }
      } else {
        ik_page *pg = nullptr;
        st = ik_pager_next_page(p.get(), &co, &pg, err.out());
        if (st == IK_STATUS_OK) {
          if (!pg) end = true;
          for (size_t i = 0; pg && i < ik_page_count(pg); ++i) ids.push_back(api.page_item_id(pg, i));
          ik_page_free(pg);
        } else {
          EXPECT_EQ(pg, nullptr);
        }
      }
      if (st != IK_STATUS_OK) {
        ++errors;
        EXPECT_EQ(st, IK_STATUS_SERVER_ERROR) << err.what();
        EXPECT_EQ(ik_error_http_status(err.get()), 500);
        EXPECT_EQ(ik_error_attempts(err.get()), 1);
        EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
        EXPECT_EQ(ik_pager_items_delivered(p.get()), 20) << "what was delivered stays delivered";
        EXPECT_EQ(ik_pager_done(p.get()), 0);
        EXPECT_EQ(ids.size(), 20u);
        continue;
      }
      if (end) break;
    }
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(ids, expected(0, 45));
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 6u);  // pages 1, 2, 3 (failed), 3 again, 4, 5
    EXPECT_EQ(reqs[3].target, reqs[2].target) << "the failed page is requested again, unchanged";
  }
}

// ---- ik_page_item_cursor: a resumable cursor at any item of a page ----

// The cursor of item i of a page (expects success).
std::string item_cursor(const ik_page *pg, size_t i) {
  ik_buf b = IK_BUF_INIT;
  Err err;
  EXPECT_EQ(ik_page_item_cursor(pg, i, &b, err.out()), IK_STATUS_OK) << err.what();
  std::string s = b.data ? std::string(reinterpret_cast<const char *>(b.data), b.len) : std::string();
  ik_buf_dispose(&b);
  return s;
}

// For every index of `pg` (whose item 0 is list item `first`), a new pager
// from ik_page_item_cursor(pg, i) delivers exactly `rest` from item first + i
// on (`rest`: the ids a pager delivers from item `first` to the end), and at
// i == count where the page ends: `end_cursor` when given, else more of rest.
void expect_item_cursors_resume(Pagination &t, const ik_client *c, const ik_page *pg, int32_t page_size,
                                const std::vector<std::string> &rest, size_t first_in_rest) {
  const size_t n = ik_page_count(pg);
  for (size_t i = 0; i <= n; ++i) {
    SCOPED_TRACE("index " + std::to_string(i) + " of " + std::to_string(n));
    const std::string cur = item_cursor(pg, i);
    const std::vector<std::string> want(rest.begin() + static_cast<std::ptrdiff_t>(first_in_rest + i), rest.end());
    if (want.empty()) {
      EXPECT_EQ(cur, "") << "the list ends with this page";
      continue;
    }
    ASSERT_FALSE(cur.empty());
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = page_size;
    lo.cursor = cur.c_str();
    ik_pager *p = nullptr;
    Err err;
    ASSERT_EQ(t.api.pager(c, &lo, &p, err.out()), IK_STATUS_OK) << err.what();
    PagerPtr pp(p);
    if (i < n) {
      const char *id = ik_page_item_id(pg, i);
      ASSERT_TRUE(id);
      EXPECT_EQ(want.front(), id);
    }
    EXPECT_EQ(t.drain_items(p), want) << "no gap and no duplicate";
  }
}

TEST_P(Pagination, ItemCursorAtEveryIndexOfEveryPage) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  const auto all = expected(0, 57);
  size_t first = 0;
  for (int guard = 0; guard < 20; ++guard) {
    PagePtr page = next_page(p.get());
    if (!page) break;
    ik_page *pg = page.get();
    SCOPED_TRACE("page at item " + std::to_string(first));
    expect_item_cursors_resume(*this, c.get(), pg, 10, all, first);
    // Where the page ends, not cut: the next page's cursor.
    const char *next = ik_page_next_cursor(pg);
    EXPECT_EQ(item_cursor(pg, ik_page_count(pg)), next ? next : "");
    first += ik_page_count(pg);
  }
  EXPECT_EQ(first, 57u);
}

TEST_P(Pagination, ItemCursorOfPageCutByMaxItems) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  lo.max_items = 25;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  std::vector<size_t> counts;
  PagePtr last;
  for (int guard = 0; guard < 10; ++guard) {
    PagePtr page = next_page(p.get());
    if (!page) break;
    counts.push_back(ik_page_count(page.get()));
    last = std::move(page);
  }
  ASSERT_EQ(counts, (std::vector<size_t>{10, 10, 5}));
  // Every index of the cut page, and its end: item 25, the first not delivered.
  expect_item_cursors_resume(*this, c.get(), last.get(), 10, expected(0, 57), 20);
  EXPECT_EQ(item_cursor(last.get(), 5), cursor_of(p.get()));
  EXPECT_NE(item_cursor(last.get(), 5), ik_page_next_cursor(last.get()) ? ik_page_next_cursor(last.get()) : "");
}

TEST_P(Pagination, ItemCursorOfRestOfPageAfterItemReads) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  // 13 items: the whole first page and 3 of the second; then the rest of the second page.
  ASSERT_NO_FATAL_FAILURE(take_items(p.get(), 13));
  PagePtr page = next_page(p.get());
  ASSERT_TRUE(page);
  ik_page *pg = page.get();
  ASSERT_EQ(ik_page_count(pg), 7u);
  expect_item_cursors_resume(*this, c.get(), pg, 10, expected(0, 57), 13);
  // Also from a pager that resumed mid-page (the page lacks the items its cursor skipped).
  const std::string mid = item_cursor(pg, 4);  // item 17
  lo.cursor = mid.c_str();
  auto q = make_pager(c.get(), lo);
  ASSERT_TRUE(q);
  PagePtr page2 = next_page(q.get());
  ASSERT_TRUE(page2);
  ik_page *pg2 = page2.get();
  ASSERT_EQ(ik_page_count(pg2), 3u);
  expect_item_cursors_resume(*this, c.get(), pg2, 10, expected(0, 57), 17);
}

// A cursor whose skip goes past the end of the page it names (taken with a
// larger page size): the pager skips that page whole; the cursors of the page
// it then delivers are those of that page.
TEST_P(Pagination, ItemCursorAfterCursorSkippedPastAPage) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  std::string stale;
  {
    auto p = make_pager(c.get(), lo);
    ASSERT_TRUE(p);
    ASSERT_NO_FATAL_FAILURE(take_items(p.get(), 8));
    stale = cursor_of(p.get());  // the first page, 8 delivered
  }
  lo.page_size = 5;  // the first page now holds 5 items: all "delivered"
  lo.cursor = stale.c_str();
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  PagePtr page = next_page(p.get());
  ASSERT_TRUE(page);
  ik_page *pg = page.get();
  ASSERT_EQ(ik_page_count(pg), 5u);
  ASSERT_STREQ(ik_page_item_id(pg, 0), item_id(GetParam(), 5).c_str());
  expect_item_cursors_resume(*this, c.get(), pg, 5, expected(0, 57), 5);
}

// The pager skipped an empty page (Twilio may serve one whose next_page_url
// says more follow; an OpenAI or Fastly page without items ends the list, so
// this runs for the two Twilio kinds only: TwilioSchemes below) before the page.
class TwilioPagination : public Pagination {};

TEST_P(TwilioPagination, ItemCursorAfterSkippedEmptyPage) {
  model.total = 57;
  const Kind kind = GetParam();
  PagedList inner = model;
  model.override_reply = [inner, kind](const RecordedRequest &r, Reply *out) {
    auto q = query_map(r.query);
    if (q["PageToken"] != "PT10") return false;
    *out = inner(r);  // the second page (items 10..19), served without its items
    const std::string key = kind == Kind::TwilioInvites ? "invites" : "users";
    const std::string open = "{\"" + key + "\":[";
    const size_t end = out->body.find("],\"meta\":");
    if (out->body.rfind(open, 0) != 0 || end == std::string::npos) return false;
    out->body = open + out->body.substr(end);
    return true;
  };
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  std::vector<std::string> rest = expected(0, 10);  // what the list holds: 0..9, 20..56
  const auto tail = expected(20, 57);
  rest.insert(rest.end(), tail.begin(), tail.end());
  std::vector<size_t> counts;
  size_t first = 0;
  for (int guard = 0; guard < 20; ++guard) {
    PagePtr page = next_page(p.get());
    if (!page) break;
    ik_page *pg = page.get();
    counts.push_back(ik_page_count(pg));
    SCOPED_TRACE("page at " + std::to_string(first));
    expect_item_cursors_resume(*this, c.get(), pg, 10, rest, first);
    first += ik_page_count(pg);
  }
  EXPECT_EQ(counts, (std::vector<size_t>{10, 10, 10, 10, 7})) << "the empty page is skipped";
}

TEST_P(Pagination, ItemCursorOfSinglePageList) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  for (int from = 0; from < 2; ++from) {
    SCOPED_TRACE(from ? "list from a mid-page cursor" : "first page");
    std::string start;
    if (from) {
      auto p = make_pager(c.get(), lo);
      ASSERT_TRUE(p);
      PagePtr page = next_page(p.get());
      ASSERT_TRUE(page);
      start = item_cursor(page.get(), 3);
      lo.cursor = start.c_str();
    }
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    ASSERT_TRUE(pg);
    ASSERT_EQ(ik_page_count(pg), from ? 7u : 10u);
    expect_item_cursors_resume(*this, c.get(), pg, 10, expected(0, 57), from ? 3 : 0);
  }
}

// Pages from ik_pager_next_page_start (the non-blocking page step), past a
// max_items cut.
TEST_P(Pagination, ItemCursorOfPagesFromNextPageStart) {
  model.total = 57;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  lo.max_items = 25;
  auto p = make_pager(c.get(), lo);
  ASSERT_TRUE(p);
  size_t first = 0;
  for (int guard = 0; guard < 10; ++guard) {
    ik_op *op = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page_start(
                  p.get(), nullptr, [](ik_op *, void *) {}, nullptr, &op, err.out()),
              IK_STATUS_OK)
        << err.what();
    ASSERT_EQ(ik_op_wait(op, 10000, err.out()), IK_STATUS_OK) << err.what();
    ik_page *pg = nullptr;
    const ik_status st = ik_op_take_page(op, &pg, err.out());
    ik_op_free(op);
    ASSERT_EQ(st, IK_STATUS_OK) << err.what();
    if (!pg) break;
    PagePtr page(pg);
    SCOPED_TRACE("page at " + std::to_string(first));
    expect_item_cursors_resume(*this, c.get(), pg, 10, expected(0, 57), first);
    first += ik_page_count(pg);
  }
  EXPECT_EQ(first, 25u);
}

TEST_P(Pagination, ItemCursorMisuseIsInvalidArgument) {
  model.total = 12;
  serve();
  auto c = client();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5;
  ik_page *pg = nullptr;
  Err err;
  ASSERT_EQ(api.list(c.get(), &lo, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(pg);
  ASSERT_TRUE(pg);
  ik_buf b = IK_BUF_INIT;
  EXPECT_EQ(ik_page_item_cursor(nullptr, 0, &b, err.out()), IK_STATUS_INVALID_ARGUMENT);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(b.data, nullptr);
  EXPECT_EQ(ik_page_item_cursor(pg, 0, nullptr, err.out()), IK_STATUS_INVALID_ARGUMENT);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ik_page_item_cursor(pg, 6, &b, err.out()), IK_STATUS_INVALID_ARGUMENT);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(b.data, nullptr);
  EXPECT_EQ(ik_page_item_cursor(pg, 5, &b, nullptr), IK_STATUS_OK);  // index == count; out_err may be NULL
  EXPECT_NE(b.len, 0u);
  ik_buf_dispose(&b);
}

INSTANTIATE_TEST_SUITE_P(AllSchemes, Pagination,
                         ::testing::Values(Kind::OpenAI, Kind::TwilioInvites, Kind::TwilioUsers, Kind::Fastly),
                         [](const ::testing::TestParamInfo<Kind> &i) { return std::string(kind_name(i.param)); });
INSTANTIATE_TEST_SUITE_P(TwilioSchemes, TwilioPagination, ::testing::Values(Kind::TwilioInvites, Kind::TwilioUsers),
                         [](const ::testing::TestParamInfo<Kind> &i) { return std::string(kind_name(i.param)); });

// Twilio invites and users share the next_page_url scheme, but a cursor of one
// list is not a cursor of the other ("for this kind of list").
TEST(PaginationTwilio, InviteCursorIsRefusedByUserPager) {
  MockServer server;
  PagedList m{Kind::TwilioInvites, 30, server.base_url()};
  server.set_handler([m](const RecordedRequest &r) { return m(r); });
  auto c = Cfg(server.base_url()).make();
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 5;
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(ik_twilio_invite_pager(c.get(), kService, kChannel, nullptr, 0, &lo, &p, err.out()), IK_STATUS_OK);
  PagerPtr pp(p);
  ik_page *pg = nullptr;
  ASSERT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_OK);
  ik_page_free(pg);
  ik_buf b = IK_BUF_INIT;
  ASSERT_EQ(ik_pager_cursor(p, &b, err.out()), IK_STATUS_OK);
  std::string cursor(reinterpret_cast<const char *>(b.data), b.len);
  ik_buf_dispose(&b);
  server.clear();
  lo.cursor = cursor.c_str();
  pg = nullptr;
  const ik_status st = ik_twilio_user_list(c.get(), kService, &lo, nullptr, &pg, err.out());
  PagePtr page(pg);
  EXPECT_EQ(st, IK_STATUS_INVALID_ARGUMENT)
      << "an invites cursor used for users: "
      << (st == IK_STATUS_OK ? "accepted, request sent to " + server.last_request().path : err.what());
}

}  // namespace
