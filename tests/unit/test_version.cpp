// Versions, features, status/provider/log-level names, global init.
#include <set>

#include "mock_fixture.hpp"

using namespace iktest;

TEST(Version, RuntimeMatchesHeaders) {
  EXPECT_EQ(ik_version_number(), IK_VERSION_NUMBER);
  EXPECT_STREQ(ik_version_string(), IK_VERSION_STRING);
  EXPECT_STREQ(ik_abi_version(), IK_ABI_VERSION);
  int32_t ma = -1, mi = -1, pa = -1;
  ik_version(&ma, &mi, &pa);
  EXPECT_EQ(ma, IK_VERSION_MAJOR);
  EXPECT_EQ(mi, IK_VERSION_MINOR);
  EXPECT_EQ(pa, IK_VERSION_PATCH);
  ik_version(nullptr, nullptr, nullptr);  // NULL-safe
  ik_version(&ma, nullptr, nullptr);
  EXPECT_EQ(ma, IK_VERSION_MAJOR);
  EXPECT_EQ(IK_VERSION_NUMBER, IK_VERSION_MAJOR * 10000 + IK_VERSION_MINOR * 100 + IK_VERSION_PATCH);
  EXPECT_TRUE(IK_VERSION_CHECK(IK_VERSION_MAJOR, IK_VERSION_MINOR, IK_VERSION_PATCH));
  EXPECT_FALSE(IK_VERSION_CHECK(IK_VERSION_MAJOR + 1, 0, 0));
  const std::string vs = std::to_string(IK_VERSION_MAJOR) + "." + std::to_string(IK_VERSION_MINOR) + "." +
                         std::to_string(IK_VERSION_PATCH);
  EXPECT_EQ(vs, IK_VERSION_STRING);
}

TEST(Version, Features) {
  const uint32_t f = ik_features();
  EXPECT_TRUE(f & IK_FEATURE_THREADS);
  EXPECT_EQ(f & ~(IK_FEATURE_THREADS | IK_FEATURE_HTTPS | IK_FEATURE_HTTP2 | IK_FEATURE_ASYNCH_DNS), 0u)
      << "undocumented feature bits";
  std::printf("[ figures  ] ik_features() = 0x%x\n", f);
}

TEST(Version, Limits) { EXPECT_EQ(ik_default_max_response_bytes(), 16 * 1024 * 1024); }

TEST(Status, NamesAndStringsForEveryStatus) {
  const std::pair<ik_status, const char *> all[] = {
      {IK_STATUS_OK, "IK_STATUS_OK"},
      {IK_STATUS_INVALID_ARGUMENT, "IK_STATUS_INVALID_ARGUMENT"},
      {IK_STATUS_INVALID_UTF8, "IK_STATUS_INVALID_UTF8"},
      {IK_STATUS_NO_MEMORY, "IK_STATUS_NO_MEMORY"},
      {IK_STATUS_TRANSPORT, "IK_STATUS_TRANSPORT"},
      {IK_STATUS_TLS, "IK_STATUS_TLS"},
      {IK_STATUS_TIMEOUT, "IK_STATUS_TIMEOUT"},
      {IK_STATUS_CANCELLED, "IK_STATUS_CANCELLED"},
      {IK_STATUS_BAD_REQUEST, "IK_STATUS_BAD_REQUEST"},
      {IK_STATUS_AUTHENTICATION, "IK_STATUS_AUTHENTICATION"},
      {IK_STATUS_PERMISSION_DENIED, "IK_STATUS_PERMISSION_DENIED"},
      {IK_STATUS_NOT_FOUND, "IK_STATUS_NOT_FOUND"},
      {IK_STATUS_CONFLICT, "IK_STATUS_CONFLICT"},
      {IK_STATUS_UNPROCESSABLE, "IK_STATUS_UNPROCESSABLE"},
      {IK_STATUS_RATE_LIMITED, "IK_STATUS_RATE_LIMITED"},
      {IK_STATUS_SERVER_ERROR, "IK_STATUS_SERVER_ERROR"},
      {IK_STATUS_HTTP_OTHER, "IK_STATUS_HTTP_OTHER"},
      {IK_STATUS_PARSE, "IK_STATUS_PARSE"},
      {IK_STATUS_RESPONSE_TOO_LARGE, "IK_STATUS_RESPONSE_TOO_LARGE"},
      {IK_STATUS_NO_CREDENTIALS, "IK_STATUS_NO_CREDENTIALS"},
      {IK_STATUS_UNSUPPORTED, "IK_STATUS_UNSUPPORTED"},
      {IK_STATUS_INTERNAL, "IK_STATUS_INTERNAL"},
      {IK_STATUS_WOULD_BLOCK, "IK_STATUS_WOULD_BLOCK"},
  };
  // The numbers are part of the ABI.
  EXPECT_EQ(IK_STATUS_OK, 0);
  EXPECT_EQ(IK_STATUS_INTERNAL, 21);
  EXPECT_EQ(IK_STATUS_WOULD_BLOCK, 22);
  std::set<std::string> texts;
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) {
    EXPECT_EQ(all[i].first, static_cast<ik_status>(i)) << "status numbers are contiguous and stable";
    const char *name = ik_status_name(all[i].first);
    const char *text = ik_status_str(all[i].first);
    ASSERT_NE(name, nullptr);
    ASSERT_NE(text, nullptr);
    EXPECT_STREQ(name, all[i].second);
    EXPECT_GT(std::strlen(text), 2u);
    EXPECT_STRNE(text, "unknown status") << all[i].second;
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), sizeof all / sizeof all[0]) << "status texts are distinct";
  for (ik_status unknown : {23, 100, -1, INT32_MAX, INT32_MIN}) {
    ASSERT_NE(ik_status_str(unknown), nullptr);
    EXPECT_STREQ(ik_status_str(unknown), "unknown status") << unknown;
    const char *name = ik_status_name(unknown);
    ASSERT_NE(name, nullptr) << unknown;
    for (const auto &a : all) EXPECT_STRNE(name, a.second) << unknown;
  }
}

TEST(Names, ProvidersAndLogLevels) {
  EXPECT_STREQ(ik_provider_name(IK_PROVIDER_NONE), "none");
  EXPECT_STREQ(ik_provider_name(IK_PROVIDER_TWILIO), "twilio");
  EXPECT_STREQ(ik_provider_name(IK_PROVIDER_OPENAI), "openai");
  EXPECT_STREQ(ik_provider_name(IK_PROVIDER_FASTLY), "fastly");
  ASSERT_NE(ik_provider_name(42), nullptr);
  ASSERT_NE(ik_provider_name(-1), nullptr);
  EXPECT_STREQ(ik_log_level_name(IK_LOG_OFF), "off");
  EXPECT_STREQ(ik_log_level_name(IK_LOG_ERROR), "error");
  EXPECT_STREQ(ik_log_level_name(IK_LOG_WARN), "warn");
  EXPECT_STREQ(ik_log_level_name(IK_LOG_INFO), "info");
  EXPECT_STREQ(ik_log_level_name(IK_LOG_DEBUG), "debug");
  EXPECT_STREQ(ik_log_level_name(IK_LOG_TRACE), "trace");
  EXPECT_NE(ik_log_level_name(99), nullptr);
  EXPECT_NE(ik_log_level_name(-3), nullptr);
}

TEST(Global, InitCleanupAreReferenceCounted) {
  Err err;
  ASSERT_EQ(ik_global_init(err.out()), IK_STATUS_OK) << err.what();
  ASSERT_EQ(ik_global_init(nullptr), IK_STATUS_OK);
  ik_global_cleanup();
  // Still initialised: a client works.
  ik_client_options o = test_options("http://127.0.0.1:9");
  auto c = make_client(o);
  EXPECT_TRUE(c);
  c.reset();
  ik_global_cleanup();
  ik_global_cleanup();       // one too many: harmless
  auto c2 = make_client(o);  // lazy init again
  EXPECT_TRUE(c2);
}

TEST(CancelToken, Lifecycle) {
  ik_cancel_token *t = nullptr;
  Err err;
  ASSERT_EQ(ik_cancel_token_new(&t, err.out()), IK_STATUS_OK) << err.what();
  CancelPtr own(t);
  EXPECT_EQ(ik_cancel_token_is_cancelled(t), 0);
  ik_cancel_token_cancel(t);
  EXPECT_EQ(ik_cancel_token_is_cancelled(t), 1);
  ik_cancel_token_cancel(t);
  EXPECT_EQ(ik_cancel_token_is_cancelled(t), 1);
  ik_cancel_token_reset(t);
  EXPECT_EQ(ik_cancel_token_is_cancelled(t), 0);
}

TEST(CancelToken, CancelledTokenStopsAHangingCall) {
  MockServer server;
  server.enqueue(Reply::faulty(Fault::Hang));
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_cancel_token *t = nullptr;
  ASSERT_EQ(ik_cancel_token_new(&t, nullptr), IK_STATUS_OK);
  CancelPtr own(t);
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.cancel = t;
  std::thread canceller([&] {
    if (server.wait_for_requests(1, std::chrono::seconds(10))) ik_cancel_token_cancel(t);
  });
  ik_openai_invite *inv = nullptr;
  Err err;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_CANCELLED) << err.what();
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(inv, nullptr);
  // An already cancelled token stops a call before it is sent.
  server.clear();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_CANCELLED) << err.what();
  EXPECT_EQ(server.request_count(), 0u);
}
