// Resilience: object lifetimes of ABI 0.2 (client.h, THREAD SAFETY rule 7).
// Any free order is safe: a pager holds a reference to its client, so the
// client may be freed before or after its pagers, from any thread; after
// ik_client_free a pager fails every call with IK_STATUS_INVALID_ARGUMENT.
// Results (pages, items, errors, deletions) never refer to the client. The
// callbacks' user data is released exactly once, at ik_client_free, and no
// callback runs after ik_client_free returns.
//
// These tests are meant to run under ASan/UBSan and TSan
// (scripts/sanitizers.sh): a use-after-free, a double free or a leak of the
// client is reported there even when the assertions here pass.
#include "ops.hpp"

using namespace res;
using namespace std::chrono_literals;

namespace {

const Kind kKinds[] = {Kind::OpenAI, Kind::TwilioInvites, Kind::TwilioUsers, Kind::Fastly};

int32_t ik_kind(Kind k) {
  switch (k) {
    case Kind::OpenAI: return IK_KIND_OPENAI_INVITE;
    case Kind::TwilioInvites: return IK_KIND_TWILIO_INVITE;
    case Kind::TwilioUsers: return IK_KIND_TWILIO_USER;
    case Kind::Fastly: return IK_KIND_FASTLY_INVITATION;
  }
  return IK_KIND_NONE;
}

// The ids and raw JSON of every item of a page, read through the
// kind-generic accessors, and checked against the typed ones.
std::vector<std::pair<std::string, std::string>> read_page(const Api &api, const ik_page *pg) {
  std::vector<std::pair<std::string, std::string>> out;
  const size_t n = ik_page_count(pg);
  for (size_t i = 0; i < n && i < 1000; ++i) {
    const uint8_t *d = nullptr;
    size_t len = 0;
    EXPECT_EQ(ik_page_item_raw_json(pg, i, &d, &len), 1) << i;
    out.emplace_back(str(ik_page_item_id(pg, i)), bytes(d, len));
    EXPECT_EQ(out.back().first, api.page_item_id(pg, i)) << i;
  }
  return out;
}

// Expected (id, raw JSON) of items [from, to) of a PagedList.
std::vector<std::pair<std::string, std::string>> expected_items(Kind k, long from, long to) {
  std::vector<std::pair<std::string, std::string>> out;
  for (long i = from; i < to; ++i) out.emplace_back(item_id(k, i), item_json(k, i));
  return out;
}

class Lifetimes : public ::testing::Test {
 protected:
  void serve(Kind k, long total) {
    PagedList model{k, total, server.base_url()};
    model.headers = {{"x-request-id", "req_life"}, {"Twilio-Request-Id", "RQlife"}};
    server.set_handler([model](const RecordedRequest &r) { return model(r); });
  }
  PagerPtr pager_of(const ik_client *c, Kind k, int32_t page_size) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = page_size;
    ik_pager *p = nullptr;
    Err err;
    EXPECT_EQ(Api{k}.pager(c, &lo, &p, err.out()), IK_STATUS_OK) << err.what();
    return PagerPtr(p);
  }
  // A pager call after ik_client_free: INVALID_ARGUMENT saying so, nothing sent.
  void expect_client_freed(ik_pager *p, Kind k) {
    const size_t before = server.request_count();
    ik_page *pg = reinterpret_cast<ik_page *>(0x10);
    Err err;
    EXPECT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_INVALID_ARGUMENT) << err.what();
    EXPECT_EQ(pg, nullptr) << "out not cleared";
    ASSERT_TRUE(err);
    EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_INVALID_ARGUMENT);
    const std::string msg = str(ik_error_message(err.get()));
    EXPECT_NE(msg.find("client was freed"), std::string::npos) << msg;
    // Item by item too, even while a page is buffered.
    std::string id = "unchanged";
    EXPECT_EQ(Api{k}.next_item(p, nullptr, &id, err.out()), IK_STATUS_INVALID_ARGUMENT) << err.what();
    EXPECT_EQ(id, "");
    EXPECT_NE(str(ik_error_message(err.get())).find("client was freed"), std::string::npos) << err.what();
    // Repeatable, and never reaches the network.
    EXPECT_EQ(ik_pager_next_page(p, nullptr, &pg, nullptr), IK_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(server.request_count(), before) << "a pager of a freed client sent a request";
    // The pager's own state stays readable.
    EXPECT_EQ(ik_pager_kind(p), ik_kind(k));
  }

  MockServer server;
  Cfg cfg{server.base_url()};
};

// ---------------------------------------------------------------------------
// Client freed before its pager
// ---------------------------------------------------------------------------
TEST_F(Lifetimes, ClientFreedBeforePagerThenPagerCallsFailAndFreeIsClean) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(kind_name(k));
    server.clear();
    serve(k, 5);
    ClientPtr c = cfg.make();
    ASSERT_TRUE(c);
    PagerPtr p = pager_of(c.get(), k, 2);
    ASSERT_TRUE(p);
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    ASSERT_TRUE(pg);
    // One item of the next page, so the pager holds a buffered page.
    std::string id;
    ASSERT_EQ(Api{k}.next_item(p.get(), nullptr, &id, err.out()), IK_STATUS_OK) << err.what();
    EXPECT_EQ(id, item_id(k, 2));
    EXPECT_EQ(ik_pager_items_delivered(p.get()), 3);

    ik_client_free(c.release());  // before the pager
    expect_client_freed(p.get(), k);
    EXPECT_EQ(ik_pager_items_delivered(p.get()), 3) << "a failed call delivers nothing";
    p.reset();  // ik_pager_free after ik_client_free: releases the client's memory

    // The page fetched before both frees is intact.
    EXPECT_EQ(read_page(Api{k}, pg), expected_items(k, 0, 2));
    EXPECT_EQ(ik_response_http_status(ik_page_response(pg)), 200);
  }
}

TEST_F(Lifetimes, ClientFreedBeforeAPagerThatNeverFetched) {
  serve(Kind::OpenAI, 3);
  ClientPtr c = cfg.make();
  ASSERT_TRUE(c);
  PagerPtr p = pager_of(c.get(), Kind::OpenAI, 2);
  ASSERT_TRUE(p);
  ik_client_free(c.release());
  expect_client_freed(p.get(), Kind::OpenAI);
  EXPECT_EQ(ik_pager_items_delivered(p.get()), 0);
  EXPECT_EQ(ik_pager_done(p.get()), 0);
  p.reset();
  EXPECT_EQ(server.request_count(), 0u);
}

// A new pager cannot be made from a client that is gone; with several pagers
// alive, the client's memory goes with the last one, in any order.
TEST_F(Lifetimes, SeveralPagersOutliveTheClientInAnyOrder) {
  for (int order = 0; order < 3; ++order) {
    SCOPED_TRACE("order " + std::to_string(order));
    server.clear();
    serve(Kind::Fastly, 4);
    ClientPtr c = cfg.make();
    ASSERT_TRUE(c);
    std::vector<PagerPtr> pagers;
    for (int i = 0; i < 3; ++i) {
      pagers.push_back(pager_of(c.get(), Kind::Fastly, 2));
      ASSERT_TRUE(pagers.back());
    }
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(pagers[1].get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    ik_client_free(c.release());
    for (auto &p : pagers) expect_client_freed(p.get(), Kind::Fastly);
    // Free the pagers in three different orders.
    const int idx[3][3] = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}};
    for (int j = 0; j < 3; ++j) pagers[static_cast<size_t>(idx[order][j])].reset();
    EXPECT_EQ(read_page(Api{Kind::Fastly}, pg), expected_items(Kind::Fastly, 0, 2));
  }
}

// The client and its pager freed on two different threads (finalizers of a
// garbage collector run on threads of their own).
TEST_F(Lifetimes, ClientAndPagerFreedOnDifferentThreads) {
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    server.clear();
    serve(Kind::TwilioUsers, 3);
    ClientPtr c = cfg.make();
    ASSERT_TRUE(c);
    PagerPtr p = pager_of(c.get(), Kind::TwilioUsers, 2);
    ASSERT_TRUE(p);
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    ik_client *raw_client = c.release();
    ik_pager *raw_pager = p.release();
    // Both frees start together; whichever finishes last releases the client.
    std::mutex mu;
    std::condition_variable cv;
    bool go = false;
    auto wait_go = [&] {
      std::unique_lock<std::mutex> lk(mu);
      cv.wait_for(lk, 5s, [&] { return go; });
    };
    std::thread a([&] {
      wait_go();
      ik_client_free(raw_client);
    });
    std::thread b([&] {
      wait_go();
      ik_pager_free(raw_pager);
    });
    {
      std::lock_guard<std::mutex> lk(mu);
      go = true;
    }
    cv.notify_all();
    a.join();
    b.join();
    EXPECT_EQ(read_page(Api{Kind::TwilioUsers}, pg), expected_items(Kind::TwilioUsers, 0, 2));
  }
}

// ---------------------------------------------------------------------------
// Pager freed before its client
// ---------------------------------------------------------------------------
TEST_F(Lifetimes, PagerFreedBeforeClientLeavesTheClientUsable) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(kind_name(k));
    server.clear();
    serve(k, 5);
    ClientPtr c = cfg.make();
    ASSERT_TRUE(c);
    PagerPtr p = pager_of(c.get(), k, 2);
    ASSERT_TRUE(p);
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page(pg);
    p.reset();  // before the client
    // The client works: a list call and a new pager.
    ik_page *pg2 = nullptr;
    ASSERT_EQ(Api{k}.list(c.get(), nullptr, nullptr, &pg2, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page2(pg2);
    PagerPtr p2 = pager_of(c.get(), k, 5);
    ASSERT_TRUE(p2);
    ik_page *pg3 = nullptr;
    ASSERT_EQ(ik_pager_next_page(p2.get(), nullptr, &pg3, err.out()), IK_STATUS_OK) << err.what();
    PagePtr page3(pg3);
    EXPECT_EQ(read_page(Api{k}, pg3), expected_items(k, 0, 5));
    p2.reset();
    c.reset();
    EXPECT_EQ(read_page(Api{k}, pg), expected_items(k, 0, 2));
  }
}

// ---------------------------------------------------------------------------
// Results outlive the client and the pager
// ---------------------------------------------------------------------------
TEST_F(Lifetimes, PagesAndItemsStayReadableAfterClientAndPagerAreFreed) {
  for (Kind k : kKinds) {
    for (int client_first = 0; client_first < 2; ++client_first) {
      SCOPED_TRACE(std::string(kind_name(k)) + (client_first ? ": client freed first" : ": pager freed first"));
      server.clear();
      serve(k, 3);
      ClientPtr c = cfg.make();
      ASSERT_TRUE(c);
      PagerPtr p = pager_of(c.get(), k, 2);
      ASSERT_TRUE(p);
      ik_page *pg = nullptr;
      Err err;
      ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
      PagePtr page(pg);
      // An owned item from the pager, and a page from a plain list call.
      std::shared_ptr<void> item;
      switch (k) {
        case Kind::OpenAI: {
          ik_openai_invite *x = nullptr;
          ASSERT_EQ(ik_pager_next_openai_invite(p.get(), nullptr, &x, err.out()), IK_STATUS_OK) << err.what();
          ASSERT_TRUE(x);
          item.reset(x, [](void *v) { ik_openai_invite_free(static_cast<ik_openai_invite *>(v)); });
          break;
        }
        case Kind::TwilioInvites: {
          ik_twilio_invite *x = nullptr;
          ASSERT_EQ(ik_pager_next_twilio_invite(p.get(), nullptr, &x, err.out()), IK_STATUS_OK) << err.what();
          ASSERT_TRUE(x);
          item.reset(x, [](void *v) { ik_twilio_invite_free(static_cast<ik_twilio_invite *>(v)); });
          break;
        }
        case Kind::TwilioUsers: {
          ik_twilio_user *x = nullptr;
          ASSERT_EQ(ik_pager_next_twilio_user(p.get(), nullptr, &x, err.out()), IK_STATUS_OK) << err.what();
          ASSERT_TRUE(x);
          item.reset(x, [](void *v) { ik_twilio_user_free(static_cast<ik_twilio_user *>(v)); });
          break;
        }
        case Kind::Fastly: {
          ik_fastly_invitation *x = nullptr;
          ASSERT_EQ(ik_pager_next_fastly_invitation(p.get(), nullptr, &x, err.out()), IK_STATUS_OK) << err.what();
          ASSERT_TRUE(x);
          item.reset(x, [](void *v) { ik_fastly_invitation_free(static_cast<ik_fastly_invitation *>(v)); });
          break;
        }
      }
      ik_page *listed = nullptr;
      ASSERT_EQ(Api{k}.list(c.get(), nullptr, nullptr, &listed, err.out()), IK_STATUS_OK) << err.what();
      PagePtr listed_page(listed);
      // An error object from the same client.
      ik_page *none = nullptr;
      Err failed;
      ik_list_options bad = IK_LIST_OPTIONS_INIT;
      bad.page_size = -1;
      EXPECT_EQ(Api{k}.list(c.get(), &bad, nullptr, &none, failed.out()), IK_STATUS_INVALID_ARGUMENT);

      if (client_first) {
        c.reset();
        p.reset();
      } else {
        p.reset();
        c.reset();
      }

      EXPECT_EQ(read_page(Api{k}, pg), expected_items(k, 0, 2));
      const uint8_t *body = nullptr;
      size_t body_len = 0;
      ASSERT_EQ(ik_page_raw_json(pg, &body, &body_len), 1);
      EXPECT_NE(bytes(body, body_len).find(item_json(k, 1)), std::string::npos);
      EXPECT_EQ(ik_response_http_status(ik_page_response(pg)), 200);
      EXPECT_EQ(read_page(Api{k}, listed), expected_items(k, 0, std::min<long>(3, default_page_size(k))));
      EXPECT_FALSE(str(ik_error_message(failed.get())).empty());
      // The owned item: id and raw JSON.
      switch (k) {
        case Kind::OpenAI: {
          auto *x = static_cast<const ik_openai_invite *>(item.get());
          EXPECT_EQ(str(ik_openai_invite_id(x)), item_id(k, 2));
          EXPECT_EQ(raw_json(ik_openai_invite_raw_json, x), item_json(k, 2));
          EXPECT_EQ(ik_response_http_status(ik_openai_invite_response(x)), 200);
          break;
        }
        case Kind::TwilioInvites: {
          auto *x = static_cast<const ik_twilio_invite *>(item.get());
          EXPECT_EQ(str(ik_twilio_invite_sid(x)), item_id(k, 2));
          EXPECT_EQ(raw_json(ik_twilio_invite_raw_json, x), item_json(k, 2));
          break;
        }
        case Kind::TwilioUsers: {
          auto *x = static_cast<const ik_twilio_user *>(item.get());
          EXPECT_EQ(str(ik_twilio_user_sid(x)), item_id(k, 2));
          EXPECT_EQ(raw_json(ik_twilio_user_raw_json, x), item_json(k, 2));
          break;
        }
        case Kind::Fastly: {
          auto *x = static_cast<const ik_fastly_invitation *>(item.get());
          EXPECT_EQ(str(ik_fastly_invitation_id(x)), item_id(k, 2));
          EXPECT_EQ(raw_json(ik_fastly_invitation_raw_json, x), item_json(k, 2));
          break;
        }
      }
      item.reset();
    }
  }
}

TEST_F(Lifetimes, DeletionsStayReadableAfterClientFree) {
  server.set_handler([](const RecordedRequest &r) {
    if (r.method != "DELETE") return Reply::json(404, "{}");
    if (r.path.rfind("/v1/organization/invites/", 0) == 0)
      return Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"inv_1\",\"deleted\":true}",
                         {{"x-request-id", "req_del"}});
    return Reply{204, {{"x-request-id", "req_del"}, {"Twilio-Request-Id", "RQdel"}}, "", ""};
  });
  ClientPtr c = cfg.make();
  ASSERT_TRUE(c);
  Err err;
  ik_deletion *oa = nullptr;
  ik_deletion *tu = nullptr;
  ik_deletion *ti = nullptr;
  ik_deletion *fl = nullptr;
  ASSERT_EQ(ik_openai_invite_delete(c.get(), "inv_1", nullptr, &oa, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own_oa(oa);
  ASSERT_EQ(ik_twilio_user_delete(c.get(), kService, "alice", nullptr, &tu, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own_tu(tu);
  ASSERT_EQ(ik_twilio_invite_delete(c.get(), kService, kChannel, "IN0123456789abcdef0123456789abcdef", nullptr, &ti,
                                    err.out()),
            IK_STATUS_OK)
      << err.what();
  DeletionPtr own_ti(ti);
  ASSERT_EQ(ik_fastly_invitation_delete(c.get(), "fyinv1", nullptr, &fl, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own_fl(fl);
  c.reset();

  EXPECT_EQ(ik_deletion_kind(oa), IK_KIND_OPENAI_INVITE);
  EXPECT_EQ(str(ik_deletion_id(oa)), "inv_1");
  EXPECT_EQ(ik_deletion_deleted(oa), IK_OPTBOOL_TRUE);
  EXPECT_EQ(str(ik_deletion_object(oa)), "organization.invite.deleted");
  EXPECT_NE(raw_json(ik_deletion_raw_json, oa).find("\"deleted\":true"), std::string::npos);
  EXPECT_EQ(ik_response_http_status(ik_deletion_response(oa)), 200);
  EXPECT_EQ(str(ik_response_request_id(ik_deletion_response(oa))), "req_del");

  const struct {
    const ik_deletion *d;
    int32_t kind;
    const char *id;
  } no_body[] = {{tu, IK_KIND_TWILIO_USER, "alice"},
                 {ti, IK_KIND_TWILIO_INVITE, "IN0123456789abcdef0123456789abcdef"},
                 {fl, IK_KIND_FASTLY_INVITATION, "fyinv1"}};
  for (const auto &e : no_body) {
    SCOPED_TRACE(e.id);
    EXPECT_EQ(ik_deletion_kind(e.d), e.kind);
    EXPECT_EQ(str(ik_deletion_id(e.d)), e.id);
    EXPECT_EQ(ik_deletion_deleted(e.d), IK_OPTBOOL_TRUE);
    EXPECT_EQ(ik_deletion_object(e.d), nullptr);
    EXPECT_EQ(ik_deletion_raw_json(e.d, nullptr, nullptr), 0);
    EXPECT_EQ(ik_response_http_status(ik_deletion_response(e.d)), 204);
    EXPECT_NE(ik_response_request_id(ik_deletion_response(e.d)), nullptr);
  }
}

// ---------------------------------------------------------------------------
// Callbacks' user data: released exactly once at ik_client_free, even while a
// pager still holds the client; no callback after ik_client_free returns.
// ---------------------------------------------------------------------------
struct CallbackCounters {
  std::atomic<int> log_calls{0};
  std::atomic<int> retry_calls{0};
  std::atomic<int> log_freed{0};
  std::atomic<int> retry_freed{0};
  std::atomic<int> calls_after_free{0};     // a callback ran after ik_client_free returned
  std::atomic<int> calls_after_release{0};  // a callback ran after its user data was released
  std::atomic<bool> client_freed{false};
};

// Heap-allocated user data, deleted by its free callback: a callback that
// runs after the release is a heap-use-after-free under ASan.
struct CallbackData {
  CallbackCounters *counters;
  bool released = false;
  std::vector<int> touched;  // written by every callback
};

void on_log(const ik_log_record *, void *ud) {
  auto *d = static_cast<CallbackData *>(ud);
  if (d->released) ++d->counters->calls_after_release;
  d->touched.push_back(1);
  if (d->counters->client_freed.load()) ++d->counters->calls_after_free;
  ++d->counters->log_calls;
}
int32_t on_retry(const ik_retry_info *, void *ud) {
  auto *d = static_cast<CallbackData *>(ud);
  if (d->released) ++d->counters->calls_after_release;
  d->touched.push_back(2);
  if (d->counters->client_freed.load()) ++d->counters->calls_after_free;
  ++d->counters->retry_calls;
  return 0;
}
void free_log_data(void *ud) {
  auto *d = static_cast<CallbackData *>(ud);
  ++d->counters->log_freed;
  d->released = true;
  delete d;
}
void free_retry_data(void *ud) {
  auto *d = static_cast<CallbackData *>(ud);
  ++d->counters->retry_freed;
  d->released = true;
  delete d;
}

TEST_F(Lifetimes, CallbackUserDataFreedOnceAtClientFreeWhileAPagerHoldsTheClient) {
  CallbackCounters n;
  PagedList model{Kind::OpenAI, 6, server.base_url()};
  std::atomic<int> served{0};
  // The second request fails once with a 503, so that the retry callback runs.
  server.set_handler([model, &served](const RecordedRequest &r) {
    if (served.fetch_add(1) == 1) return error_reply(IK_PROVIDER_OPENAI, 503);
    return model(r);
  });
  cfg.o.log_cb = &on_log;
  cfg.o.log_level = IK_LOG_DEBUG;
  cfg.o.log_user_data = new CallbackData{&n, false, {}};
  cfg.o.log_user_data_free = &free_log_data;
  cfg.o.retry_cb = &on_retry;
  cfg.o.retry_user_data = new CallbackData{&n, false, {}};
  cfg.o.retry_user_data_free = &free_retry_data;
  ClientPtr c = cfg.make();
  ASSERT_TRUE(c);
  PagerPtr p = pager_of(c.get(), Kind::OpenAI, 2);
  ASSERT_TRUE(p);
  for (int i = 0; i < 2; ++i) {
    ik_page *pg = nullptr;
    Err err;
    ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
    ASSERT_TRUE(pg);
    ik_page_free(pg);
  }
  EXPECT_GT(n.log_calls.load(), 0) << "the log callback ran during the pager calls";
  EXPECT_EQ(n.retry_calls.load(), 1) << "the retry callback ran for the 503";
  EXPECT_EQ(n.log_freed.load(), 0);
  EXPECT_EQ(n.retry_freed.load(), 0);
  const int log_calls = n.log_calls.load();
  const int retry_calls = n.retry_calls.load();

  ik_client_free(c.release());
  n.client_freed = true;
  // Released at ik_client_free, although the pager still holds the client.
  EXPECT_EQ(n.log_freed.load(), 1);
  EXPECT_EQ(n.retry_freed.load(), 1);

  // Pager calls after the free: they fail and run no callback.
  expect_client_freed(p.get(), Kind::OpenAI);
  p.reset();  // the last reference: no second release
  EXPECT_EQ(n.log_freed.load(), 1) << "log_user_data_free ran more than once";
  EXPECT_EQ(n.retry_freed.load(), 1) << "retry_user_data_free ran more than once";
  EXPECT_EQ(n.log_calls.load(), log_calls) << "the log callback ran after ik_client_free";
  EXPECT_EQ(n.retry_calls.load(), retry_calls) << "the retry callback ran after ik_client_free";
  EXPECT_EQ(n.calls_after_free.load(), 0);
  EXPECT_EQ(n.calls_after_release.load(), 0);
}

TEST_F(Lifetimes, CallbackUserDataFreedOnceWhenPagerIsFreedFirst) {
  CallbackCounters n;
  serve(Kind::Fastly, 2);
  cfg.o.log_cb = &on_log;
  cfg.o.log_level = IK_LOG_DEBUG;
  cfg.o.log_user_data = new CallbackData{&n, false, {}};
  cfg.o.log_user_data_free = &free_log_data;
  cfg.o.retry_cb = &on_retry;
  cfg.o.retry_user_data = new CallbackData{&n, false, {}};
  cfg.o.retry_user_data_free = &free_retry_data;
  ClientPtr c = cfg.make();
  ASSERT_TRUE(c);
  PagerPtr p = pager_of(c.get(), Kind::Fastly, 2);
  ASSERT_TRUE(p);
  ik_page *pg = nullptr;
  Err err;
  ASSERT_EQ(ik_pager_next_page(p.get(), nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
  PagePtr page(pg);
  p.reset();
  EXPECT_EQ(n.log_freed.load(), 0) << "freeing a pager must not release the client's callbacks";
  EXPECT_EQ(n.retry_freed.load(), 0);
  // The client still logs.
  const int before = n.log_calls.load();
  ik_page *pg2 = nullptr;
  ASSERT_EQ(ik_fastly_invitation_list(c.get(), nullptr, nullptr, &pg2, err.out()), IK_STATUS_OK) << err.what();
  ik_page_free(pg2);
  EXPECT_GT(n.log_calls.load(), before);
  c.reset();
  n.client_freed = true;
  EXPECT_EQ(n.log_freed.load(), 1);
  EXPECT_EQ(n.retry_freed.load(), 1);
  EXPECT_EQ(n.calls_after_free.load(), 0);
  EXPECT_EQ(n.calls_after_release.load(), 0);
}

}  // namespace
