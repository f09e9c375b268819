// Credentials, endpoints and environment resolution (client.h "RESOLUTION
// ORDER"). Each test starts from an environment without any variable the
// library reads and restores the previous environment afterwards.
#include "mock_fixture.hpp"

using namespace iktest;

namespace {

class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto &v : library_env_vars()) env.unset(v);
    server.set_handler([](const RecordedRequest &r) {
      return Reply::json(200, openai_invite_json(r.path.substr(r.path.rfind('/') + 1)));
    });
  }
  // Options with nothing set except what the test sets; env is read.
  static ik_client_options bare() {
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.max_retries = -1;
    o.connect_timeout_ms = 5000;
    o.attempt_timeout_ms = 10000;
    return o;
  }
  ik_status retrieve(const ik_client *c, Err &err) {
    ik_openai_invite *inv = nullptr;
    const ik_status st = ik_openai_invite_retrieve(c, "invite-1", nullptr, &inv, err.out());
    ik_openai_invite_free(inv);
    return st;
  }
  EnvGuard env;
  MockServer server;
};

}  // namespace

TEST_F(Config, KeyAndBaseUrlFromEnvironment) {
  env.set("OPENAI_ADMIN_KEY", "sk-admin-from-env");
  env.set("OPENAI_BASE_URL", server.base_url());
  ik_client *c = nullptr;
  Err err;
  ASSERT_EQ(ik_client_new(nullptr, &c, err.out()), IK_STATUS_OK) << err.what();
  ClientPtr client(c);
  EXPECT_EQ(ik_client_has_credentials(c, IK_PROVIDER_OPENAI), 1);
  EXPECT_EQ(str(ik_client_base_url(c, IK_PROVIDER_OPENAI)), server.base_url());
  ASSERT_EQ(retrieve(c, err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.last_request().header("Authorization"), "Bearer sk-admin-from-env");
}

TEST_F(Config, ExplicitOptionsBeatEnvironment) {
  MockServer env_server;
  env.set("OPENAI_ADMIN_KEY", "sk-admin-from-env");
  env.set("OPENAI_BASE_URL", env_server.base_url());
  env.set("OPENAI_ORG_ID", "org-env");
  env.set("OPENAI_PROJECT_ID", "proj-env");
  const std::string url = server.base_url();
  ik_client_options o = bare();
  o.openai_admin_key = "sk-admin-explicit";
  o.openai_base_url = url.c_str();
  o.openai_organization = "org-explicit";
  o.openai_project = "proj-explicit";
  auto client = make_client(o);
  ASSERT_TRUE(client);
  Err err;
  ASSERT_EQ(retrieve(client.get(), err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(env_server.request_count(), 0u);
  const auto r = server.last_request();
  EXPECT_EQ(r.header("Authorization"), "Bearer sk-admin-explicit");
  EXPECT_EQ(r.header("OpenAI-Organization"), "org-explicit");
  EXPECT_EQ(r.header("OpenAI-Project"), "proj-explicit");
}

TEST_F(Config, ExplicitKeyWithBaseUrlFromEnvironment) {
  env.set("OPENAI_ADMIN_KEY", "sk-admin-from-env");
  env.set("OPENAI_BASE_URL", server.base_url() + "/");
  ik_client_options o = bare();
  o.openai_admin_key = "sk-admin-explicit";
  auto client = make_client(o);
  ASSERT_TRUE(client);
  Err err;
  ASSERT_EQ(retrieve(client.get(), err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.last_request().header("Authorization"), "Bearer sk-admin-explicit");
  EXPECT_EQ(server.last_request().target, "/organization/invites/invite-1");
}

TEST_F(Config, OrganizationAndProjectFromEnvironment) {
  env.set("OPENAI_ADMIN_KEY", "sk-admin-from-env");
  env.set("OPENAI_ORG_ID", "org-env");
  env.set("OPENAI_PROJECT_ID", "proj-env");
  const std::string url = server.base_url();
  ik_client_options o = bare();
  o.openai_base_url = url.c_str();
  auto client = make_client(o);
  ASSERT_TRUE(client);
  Err err;
  ASSERT_EQ(retrieve(client.get(), err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.last_request().header("OpenAI-Organization"), "org-env");
  EXPECT_EQ(server.last_request().header("OpenAI-Project"), "proj-env");
}

TEST_F(Config, IgnoreEnvFlag) {
  env.set("OPENAI_ADMIN_KEY", "sk-admin-from-env");
  env.set("OPENAI_BASE_URL", "http://127.0.0.1:1");
  env.set("OPENAI_ORG_ID", "org-env");
  const std::string url = server.base_url();
  ik_client_options o = bare();
  o.flags = IK_CLIENT_IGNORE_ENV;
  o.openai_base_url = url.c_str();
  auto client = make_client(o);
  ASSERT_TRUE(client);
  EXPECT_EQ(ik_client_has_credentials(client.get(), IK_PROVIDER_OPENAI), 0);
  Err err;
  EXPECT_EQ(retrieve(client.get(), err), IK_STATUS_NO_CREDENTIALS) << err.what();
  EXPECT_EQ(server.request_count(), 0u);

  // With IGNORE_ENV the default base URL is the built-in one, not the env's.
  ik_client_options o2 = bare();
  o2.flags = IK_CLIENT_IGNORE_ENV;
  auto client2 = make_client(o2);
  ASSERT_TRUE(client2);
  EXPECT_EQ(str(ik_client_base_url(client2.get(), IK_PROVIDER_OPENAI)), "https://api.openai.com/v1");

  // An explicit key with IGNORE_ENV: no env header leaks in.
  o.openai_admin_key = "sk-admin-explicit";
  auto client3 = make_client(o);
  ASSERT_TRUE(client3);
  ASSERT_EQ(retrieve(client3.get(), err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.last_request().header("Authorization"), "Bearer sk-admin-explicit");
  EXPECT_FALSE(server.last_request().has_header("OpenAI-Organization"));
}

TEST_F(Config, MissingKeyFailsBeforeAnyRequest) {
  const std::string url = server.base_url();
  ik_client_options o = bare();
  o.openai_base_url = url.c_str();
  auto client = make_client(o);
  ASSERT_TRUE(client) << "a client without credentials is valid (ik_client_new doc)";
  EXPECT_EQ(ik_client_has_credentials(client.get(), IK_PROVIDER_OPENAI), 0);
  Err err;
  EXPECT_EQ(retrieve(client.get(), err), IK_STATUS_NO_CREDENTIALS) << err.what();
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_status(err.get()), IK_STATUS_NO_CREDENTIALS);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_OPENAI);
  EXPECT_EQ(ik_error_attempts(err.get()), 0);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_FALSE(str(ik_error_message(err.get())).empty());
  ik_page *page = nullptr;
  EXPECT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_NO_CREDENTIALS);
  EXPECT_EQ(page, nullptr);
  EXPECT_EQ(ik_openai_invite_delete(client.get(), "i", nullptr, nullptr, err.out()), IK_STATUS_NO_CREDENTIALS);
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "a@b.c";
  p.role = "reader";
  ik_openai_invite *inv = nullptr;
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_NO_CREDENTIALS);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(Config, EmptyEnvironmentKeyIsNoKey) {
  env.set("OPENAI_ADMIN_KEY", "");
  const std::string url = server.base_url();
  ik_client_options o = bare();
  o.openai_base_url = url.c_str();
  auto client = make_client(o);
  ASSERT_TRUE(client);
  Err err;
  EXPECT_EQ(retrieve(client.get(), err), IK_STATUS_NO_CREDENTIALS) << err.what();
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(Config, OtherProvidersHaveNoCredentialsWithoutEnv) {
  ik_client_options o = bare();
  o.flags = IK_CLIENT_IGNORE_ENV;
  auto client = make_client(o);
  ASSERT_TRUE(client);
  EXPECT_EQ(ik_client_has_credentials(client.get(), IK_PROVIDER_TWILIO), 0);
  EXPECT_EQ(ik_client_has_credentials(client.get(), IK_PROVIDER_FASTLY), 0);
  EXPECT_EQ(ik_client_has_credentials(client.get(), IK_PROVIDER_OPENAI), 0);
  EXPECT_EQ(ik_client_has_credentials(client.get(), 99), 0);
  EXPECT_EQ(str(ik_client_base_url(client.get(), IK_PROVIDER_TWILIO)), "https://chat.twilio.com");
  EXPECT_EQ(str(ik_client_base_url(client.get(), IK_PROVIDER_FASTLY)), "https://api.fastly.com");
  EXPECT_EQ(ik_client_base_url(client.get(), IK_PROVIDER_NONE), nullptr);
  EXPECT_EQ(ik_client_base_url(client.get(), 99), nullptr);
  EXPECT_EQ(ik_client_connections_opened(client.get()), 0);
}

TEST_F(Config, InvalidBaseUrlsAndTimeoutsAreRejected) {
  for (const char *bad : {"ftp://127.0.0.1/", "not a url", "127.0.0.1:8080", "", "http://", "file:///etc/passwd"}) {
    ik_client_options o = bare();
    o.flags = IK_CLIENT_IGNORE_ENV;
    o.openai_admin_key = "sk";
    o.openai_base_url = bad;
    ik_client *c = reinterpret_cast<ik_client *>(0x1);
    Err err;
    EXPECT_EQ(ik_client_new(&o, &c, err.out()), IK_STATUS_INVALID_ARGUMENT) << "base url accepted: '" << bad << "'";
    EXPECT_EQ(c, nullptr);
    if (c && c != reinterpret_cast<ik_client *>(0x1)) ik_client_free(c);
    EXPECT_FALSE(str(ik_error_message(err.get())).empty());
  }
  {
    env.set("OPENAI_BASE_URL", "ftp://nope");
    ik_client_options o = bare();
    ik_client *c = nullptr;
    Err err;
    const ik_status st = ik_client_new(&o, &c, err.out());
    ClientPtr own(c);
    EXPECT_EQ(st, IK_STATUS_INVALID_ARGUMENT) << "bad OPENAI_BASE_URL in the environment accepted";
  }
  for (int which = 0; which < 3; ++which) {
    ik_client_options o = bare();
    o.flags = IK_CLIENT_IGNORE_ENV;
    if (which == 0) o.connect_timeout_ms = -1;
    if (which == 1) o.attempt_timeout_ms = -5;
    if (which == 2) o.deadline_ms = -1;
    ik_client *c = nullptr;
    Err err;
    EXPECT_EQ(ik_client_new(&o, &c, err.out()), IK_STATUS_INVALID_ARGUMENT) << "negative timeout #" << which;
    ClientPtr own(c);
  }
}

TEST_F(Config, OptionStringsAreCopied) {
  std::string key = "sk-admin-copied";
  std::string url = server.base_url();
  ik_client_options o = bare();
  o.flags = IK_CLIENT_IGNORE_ENV;
  o.openai_admin_key = key.c_str();
  o.openai_base_url = url.c_str();
  auto client = make_client(o);
  ASSERT_TRUE(client);
  std::fill(key.begin(), key.end(), 'X');
  std::fill(url.begin(), url.end(), 'X');
  Err err;
  ASSERT_EQ(retrieve(client.get(), err), IK_STATUS_OK) << err.what();
  EXPECT_EQ(server.last_request().header("Authorization"), "Bearer sk-admin-copied");
}

// client.h: a failed ik_client_new calls neither user-data free function; the
// caller still owns the user data. A successful one hands it to the client.
TEST(ClientUserData, FailedClientNewLeavesUserDataWithTheCaller) {
  int frees = 0;
  auto count_free = [](void *p) { ++*static_cast<int *>(p); };
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV;
  o.openai_base_url = "ftp://not-http.example";  // rejected by ik_client_new
  o.log_cb = [](const ik_log_record *, void *) {};
  o.log_user_data = &frees;
  o.log_user_data_free = count_free;
  o.retry_cb = [](const ik_retry_info *, void *) -> int32_t { return 0; };
  o.retry_user_data = &frees;
  o.retry_user_data_free = count_free;
  ik_client *c = nullptr;
  Err err;
  ASSERT_EQ(ik_client_new(&o, &c, err.out()), IK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(c, nullptr);
  EXPECT_EQ(frees, 0) << "a failed ik_client_new must not release the caller's user data";

  o.openai_base_url = nullptr;
  ASSERT_EQ(ik_client_new(&o, &c, err.out()), IK_STATUS_OK) << err.what();
  EXPECT_EQ(frees, 0);
  ik_client_free(c);
  EXPECT_EQ(frees, 2) << "ik_client_free releases both user data exactly once";
}
