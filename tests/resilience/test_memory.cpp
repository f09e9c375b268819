// Resilience: a pager's memory is constant in the number of items. Iterates
// 200,000 items per scheme (pages of 100 generated on the fly by the
// MockServer) and compares the resident set size after 10,000 items with the
// one at the end. Measured, not timed. Its own executable so that no other
// test's allocations disturb the measurement.
#include <malloc.h>

#include "res_util.hpp"

using namespace res;

namespace {

constexpr long kTotal = 200000;
constexpr long kWarm = 10000;
constexpr long kMaxGrowthKb = 8 * 1024;

struct Mode {
  Kind kind;
  bool by_items;
};

class PagerMemory : public ::testing::TestWithParam<Mode> {};

TEST_P(PagerMemory, FlatWhileIterating200kItems) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // Sanitizers quarantine freed memory and replace malloc: RSS says nothing
  // about the pager there. The normal build runs this check.
  GTEST_SKIP() << "memory flatness is measured in the build without sanitizers";
#endif
  const Kind kind = GetParam().kind;
  const bool by_items = GetParam().by_items;
  MockServer server;
  PagedList m{kind, kTotal, server.base_url()};
  server.set_handler([m](const RecordedRequest &r) { return m(r); });
  auto c = Cfg(server.base_url()).make();
  ASSERT_TRUE(c);
  Api api{kind};
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 100;
  ik_pager *praw = nullptr;
  Err err;
  ASSERT_EQ(api.pager(c.get(), &lo, &praw, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr p(praw);

  long seen = 0;
  long rss_warm = -1;
  size_t heap_warm = 0;
  long next_expected = 0;
  bool in_order = true;
  const auto t0 = Clock::now();
  for (long guard = 0; guard < kTotal + 10; ++guard) {
    if (by_items) {
      std::string id;
      ASSERT_EQ(api.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK) << err.what();
      if (id.empty()) break;
      in_order = in_order && index_of(id) == next_expected;
      ++next_expected;
      ++seen;
    } else {
      ik_page *pg = nullptr;
      ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
      if (!pg) break;
      const size_t n = ik_page_count(pg);
      for (size_t i = 0; i < n; ++i) {
        in_order = in_order && index_of(api.page_item_id(pg, i)) == next_expected;
        ++next_expected;
      }
      seen += static_cast<long>(n);
      ik_page_free(pg);
    }
    if (seen % 1000 == 0) server.clear();  // the server's request log is not the pager's memory
    if (rss_warm < 0 && seen >= kWarm) {
      server.clear();
      rss_warm = rss_kb();
      heap_warm = mallinfo2().uordblks;
    }
  }
  server.clear();
  const long rss_end = rss_kb();
  const size_t heap_end = mallinfo2().uordblks;
  EXPECT_EQ(seen, kTotal);
  EXPECT_TRUE(in_order);
  EXPECT_EQ(ik_pager_items_delivered(p.get()), kTotal);
  ASSERT_GT(rss_warm, 0);
  RecordProperty("rss_warm_kb", std::to_string(rss_warm));
  RecordProperty("rss_end_kb", std::to_string(rss_end));
  std::printf(
      "[ memory ] %s %s: RSS %ld kB after %ld items, %ld kB after %ld (heap in use %zu -> %zu bytes), %lld ms\n",
      kind_name(kind), by_items ? "items" : "pages", rss_warm, kWarm, rss_end, kTotal, heap_warm, heap_end,
      static_cast<long long>(ms_since(t0)));
  EXPECT_LT(rss_end - rss_warm, kMaxGrowthKb) << "RSS grew from " << rss_warm << " kB to " << rss_end << " kB";
  EXPECT_LT(static_cast<long long>(heap_end) - static_cast<long long>(heap_warm), kMaxGrowthKb * 1024LL)
      << "heap in use grew from " << heap_warm << " to " << heap_end << " bytes";
}

INSTANTIATE_TEST_SUITE_P(Schemes, PagerMemory,
                         ::testing::Values(Mode{Kind::OpenAI, true}, Mode{Kind::TwilioInvites, false},
                                           Mode{Kind::TwilioUsers, true}, Mode{Kind::Fastly, false}),
                         [](const ::testing::TestParamInfo<Mode> &i) {
                           return std::string(kind_name(i.param.kind)) + (i.param.by_items ? "_Items" : "_Pages");
                         });

}  // namespace
