// Connection reuse and concurrent use of one client (client.h THREAD SAFETY).
// Meaningful under TSan: the threads really share one ik_client and run
// overlapping calls (a barrier starts them together).
#include <atomic>
#include <barrier>
#include <cstdio>
#include <thread>

#include "mock_fixture.hpp"

using namespace iktest;

namespace {

Reply echo_invite(const RecordedRequest &r) {
  if (r.method == "GET" && r.path == "/organization/invites") {
    return Reply::json(200, "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-l") +
                                "],\"first_id\":\"invite-l\",\"last_id\":\"invite-l\",\"has_more\":false}");
  }
  if (r.method == "POST") return Reply::json(200, openai_invite_json("invite-created"));
  const std::string id = r.path.substr(r.path.rfind('/') + 1);
  if (r.method == "DELETE")
    return Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"" + id + "\",\"deleted\":true}");
  return Reply::json(200, openai_invite_json(id), {{"x-request-id", "req-" + id}});
}

}  // namespace

TEST(Connections, ThousandSequentialCallsUseOneConnection) {
  MockServer server;
  server.set_handler(echo_invite);
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  constexpr int kCalls = 1000;
  int ok = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    const std::string id = "invite-" + std::to_string(i);
    ik_openai_invite *inv = nullptr;
    Err err;
    const ik_status st = ik_openai_invite_retrieve(client.get(), id.c_str(), nullptr, &inv, err.out());
    InvitePtr own(inv);
    if (st != IK_STATUS_OK) {
      ADD_FAILURE() << "call " << i << ": " << err.what();
      break;
    }
    if (str(ik_openai_invite_id(inv)) == id) ++ok;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(server.request_count(), static_cast<size_t>(kCalls));
  std::printf(
      "[ figures  ] %d sequential calls: server saw %zu TCP connection(s); ik_client_connections_opened=%lld; %.3f s\n",
      kCalls, server.connections(), static_cast<long long>(ik_client_connections_opened(client.get())), secs);
  EXPECT_LE(server.connections(), 1u);
  EXPECT_EQ(ik_client_connections_opened(client.get()), static_cast<int64_t>(server.connections()));
}

TEST(Connections, AllOperationsShareTheConnection) {
  MockServer server;
  server.set_handler(echo_invite);
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "a@b.c";
  p.role = "reader";
  for (int i = 0; i < 10; ++i) {
    Err err;
    ik_openai_invite *inv = nullptr;
    ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    ik_openai_invite_free(inv);
    ik_page *page = nullptr;
    ASSERT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
    ik_page_free(page);
    ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "x", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    ik_openai_invite_free(inv);
    ASSERT_EQ(ik_openai_invite_delete(client.get(), "x", nullptr, nullptr, err.out()), IK_STATUS_OK) << err.what();
  }
  EXPECT_EQ(server.request_count(), 40u);
  EXPECT_LE(server.connections(), 1u);
  EXPECT_EQ(ik_client_connections_opened(client.get()), static_cast<int64_t>(server.connections()));
}

TEST(Connections, ErrorResponsesKeepTheConnection) {
  MockServer server;
  server.set_handler([](const RecordedRequest &r) {
    if (r.path.find("missing") != std::string::npos)
      return Reply::json(404, openai_error_json("no such invite", "invalid_request_error", "invite_id", nullptr));
    return echo_invite(r);
  });
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  for (int i = 0; i < 50; ++i) {
    Err err;
    ik_openai_invite *inv = nullptr;
    const char *id = (i % 2) ? "missing" : "present";
    const ik_status st = ik_openai_invite_retrieve(client.get(), id, nullptr, &inv, err.out());
    ik_openai_invite_free(inv);
    EXPECT_EQ(st, (i % 2) ? IK_STATUS_NOT_FOUND : IK_STATUS_OK) << err.what();
  }
  EXPECT_LE(server.connections(), 1u);
}

TEST(Connections, ManyThreadsShareOneClient) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 50;
  MockServer server;
  server.set_handler(echo_invite);
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  const ik_client *shared = client.get();

  std::atomic<int> ok{0};
  std::atomic<int> bad{0};
  std::mutex fail_mu;
  std::string first_failure;
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string id = "invite-t" + std::to_string(t) + "-" + std::to_string(i);
        Err err;
        bool good = false;
        if (i % 10 == 9) {
          ik_page *page = nullptr;
          if (ik_openai_invite_list(shared, nullptr, nullptr, &page, err.out()) == IK_STATUS_OK)
            good =
                ik_page_count(page) == 1 && str(ik_openai_invite_id(ik_page_openai_invite_at(page, 0))) == "invite-l";
          ik_page_free(page);
        } else {
          ik_openai_invite *inv = nullptr;
          if (ik_openai_invite_retrieve(shared, id.c_str(), nullptr, &inv, err.out()) == IK_STATUS_OK) {
            good = str(ik_openai_invite_id(inv)) == id &&
                   str(ik_response_request_id(ik_openai_invite_response(inv))) == "req-" + id;
          }
          ik_openai_invite_free(inv);
        }
        if (good) {
          ++ok;
        } else {
          ++bad;
          std::lock_guard<std::mutex> lk(fail_mu);
          if (first_failure.empty()) first_failure = id + ": " + err.what();
        }
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kCallsPerThread) << "first failure: " << first_failure;
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(server.request_count(), static_cast<size_t>(kThreads * kCallsPerThread));
  std::printf("[ figures  ] %d threads x %d calls: server saw %zu connection(s); ik_client_connections_opened=%lld\n",
              kThreads, kCallsPerThread, server.connections(),
              static_cast<long long>(ik_client_connections_opened(client.get())));
  EXPECT_LE(server.connections(), static_cast<size_t>(kThreads));
  EXPECT_EQ(ik_client_connections_opened(client.get()), static_cast<int64_t>(server.connections()));
}

TEST(Connections, ConcurrentErrorsAreIndependentObjects) {
  // Errors are returned per call, never shared or thread-local.
  constexpr int kThreads = 8;
  MockServer server;
  server.set_handler([](const RecordedRequest &r) {
    const std::string id = r.path.substr(r.path.rfind('/') + 1);
    return Reply::json(404, openai_error_json("missing " + id, "invalid_request_error", nullptr, nullptr),
                       {{"x-request-id", "req-" + id}});
  });
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  std::atomic<int> ok{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 25; ++i) {
        const std::string id = "e" + std::to_string(t) + "_" + std::to_string(i);
        ik_openai_invite *inv = nullptr;
        Err err;
        const ik_status st = ik_openai_invite_retrieve(client.get(), id.c_str(), nullptr, &inv, err.out());
        if (st == IK_STATUS_NOT_FOUND && inv == nullptr &&
            str(ik_error_provider_message(err.get())) == "missing " + id &&
            str(ik_error_request_id(err.get())) == "req-" + id)
          ++ok;
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * 25);
}
