// Error shapes and transport faults: every failure gives the right ik_status
// and a complete, readable ik_error (DESIGN.md §3, §4; api-contract.md §0.2).
#include <curl/curl.h>

#include "mock_fixture.hpp"

using namespace iktest;
using namespace std::chrono_literals;

namespace {

struct HttpCase {
  int http;
  ik_status status;
  const char *type;
  const char *param;
  const char *code;
  int retryable;
};

std::ostream &operator<<(std::ostream &os, const HttpCase &c) { return os << "HTTP " << c.http; }

// Retries on, with tiny deterministic delays.
void enable_retries(Opts &o, int32_t max_retries) {
  o.o.max_retries = max_retries;
  o.o.jitter = IK_JITTER_NONE;
  o.o.retry_base_delay_ms = 5;
  o.o.retry_max_delay_ms = 20;
}

ik_openai_invite_create_params create_params() {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "a@b.c";
  p.role = "reader";
  return p;
}

const HttpCase kCases[] = {
    {400, IK_STATUS_BAD_REQUEST, "invalid_request_error", "email", "invalid_email", 0},
    {401, IK_STATUS_AUTHENTICATION, "invalid_request_error", nullptr, "invalid_api_key", 0},
    {403, IK_STATUS_PERMISSION_DENIED, "insufficient_permissions", nullptr, nullptr, 0},
    {404, IK_STATUS_NOT_FOUND, "invalid_request_error", "invite_id", nullptr, 0},
    {409, IK_STATUS_CONFLICT, "invalid_request_error", nullptr, "invite_exists",
     1},  // OpenAI retries 409 (docs/DESIGN.md 3.1)
    {422, IK_STATUS_UNPROCESSABLE, "invalid_request_error", "role", "invalid_role", 0},
    {429, IK_STATUS_RATE_LIMITED, "requests", nullptr, "rate_limit_exceeded", 1},
    {500, IK_STATUS_SERVER_ERROR, "server_error", nullptr, nullptr, 1},
    {503, IK_STATUS_SERVER_ERROR, "server_error", nullptr, "overloaded", 1},
    {418, IK_STATUS_HTTP_OTHER, "teapot", nullptr, nullptr, 0},
};

}  // namespace

class OpenAIHttpErrors : public MockFixture, public ::testing::WithParamInterface<HttpCase> {};

TEST_P(OpenAIHttpErrors, ErrorBodyIsParsed) {
  const HttpCase c = GetParam();
  const std::string message = "Something about HTTP " + std::to_string(c.http) + " went wrong";
  server.enqueue(Reply::json(c.http, openai_error_json(message, c.type, c.param, c.code),
                             {{"x-request-id", "req_err_" + std::to_string(c.http)}}));
  ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
  Err err;
  const ik_status st = ik_openai_invite_retrieve(client.get(), "invite-x", nullptr, &inv, err.out());
  EXPECT_EQ(st, c.status) << err.what();
  EXPECT_EQ(inv, nullptr);
  ASSERT_TRUE(err);
  const ik_error *e = err.get();
  EXPECT_EQ(ik_error_status(e), c.status);
  EXPECT_EQ(ik_error_http_status(e), c.http);
  EXPECT_EQ(ik_error_provider(e), IK_PROVIDER_OPENAI);
  EXPECT_EQ(str(ik_error_operation(e)), "invites.retrieve");
  EXPECT_EQ(str(ik_error_provider_code(e)), c.code ? c.code : c.type) << "code, or type when code is null";
  EXPECT_EQ(str(ik_error_provider_message(e)), message);
  EXPECT_EQ(str(ik_error_field(e, "type")), c.type);
  if (c.param) {
    EXPECT_EQ(str(ik_error_field(e, "param")), c.param);
  } else {
    EXPECT_EQ(ik_error_field(e, "param"), nullptr);
  }
  EXPECT_EQ(ik_error_field(e, "no_such_field"), nullptr);
  EXPECT_EQ(str(ik_error_request_id(e)), "req_err_" + std::to_string(c.http));
  EXPECT_EQ(str(ik_error_header(e, "X-Request-Id")), "req_err_" + std::to_string(c.http));
  const std::string msg = str(ik_error_message(e));
  EXPECT_NE(msg.find(std::to_string(c.http)), std::string::npos) << msg;
  EXPECT_NE(msg.find(message), std::string::npos) << msg;
  EXPECT_EQ(ik_error_is_retryable(e), c.retryable);
  EXPECT_EQ(ik_error_is_ambiguous(e), 0);
  EXPECT_EQ(ik_error_attempts(e), 1);
  EXPECT_EQ(ik_error_transport_code(e), 0);
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(e, &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len),
            openai_error_json(message, c.type, c.param, c.code));
  EXPECT_EQ(data[len], 0);
  EXPECT_EQ(str(ik_error_field(e, "content_type")).rfind("application/json", 0), 0u);
  int64_t retry_after = 0;
  EXPECT_EQ(ik_error_retry_after_ms(e, &retry_after), 0) << "no server-directed delay";
  EXPECT_EQ(ik_error_retry_after_ms(e, nullptr), 0);
  EXPECT_EQ(ik_error_cancelled_by(e), IK_CANCELLED_BY_NONE) << "an HTTP error is not a cancellation";
  EXPECT_EQ(server.request_count(), 1u);
}

INSTANTIATE_TEST_SUITE_P(AllStatuses, OpenAIHttpErrors, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<HttpCase> &i) {
                           return "HTTP" + std::to_string(i.param.http);
                         });

class OpenAIErrors : public MockFixture {
 protected:
  ik_status retrieve(Err &err, const ik_call_options *co = nullptr) {
    ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
    const ik_status st = ik_openai_invite_retrieve(client.get(), "invite-x", co, &inv, err.out());
    if (st == IK_STATUS_OK)
      ik_openai_invite_free(inv);
    else
      EXPECT_EQ(inv, nullptr);
    return st;
  }
};

TEST_F(OpenAIErrors, ErrorsOnEveryOperationNameTheOperation) {
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(404, openai_error_json("nope", "invalid_request_error", nullptr, nullptr));
  });
  Err err;
  ik_openai_invite *inv = nullptr;
  ik_openai_invite_create_params p = create_params();
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_operation(err.get())), "invites.create");
  ik_page *page = nullptr;
  EXPECT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_operation(err.get())), "invites.list");
  EXPECT_EQ(ik_openai_invite_delete(client.get(), "i", nullptr, nullptr, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_operation(err.get())), "invites.delete");
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(str(ik_error_operation(err.get())), "invites.retrieve");
  EXPECT_EQ(server.request_count(), 4u);
}

TEST_F(OpenAIErrors, RateLimitRetryAfterHeaders) {
  server.enqueue(Reply::json(429, openai_error_json("slow down", "requests", nullptr, "rate_limit_exceeded"),
                             {{"Retry-After", "2"}}));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_RATE_LIMITED) << err.what();
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, err.get()), 2000);
  EXPECT_EQ(ik_error_retry_after_ms(err.get(), nullptr), 1) << "out may be NULL to test presence";

  server.enqueue(Reply::json(429, openai_error_json("slow down", "requests", nullptr, "rate_limit_exceeded"),
                             {{"retry-after-ms", "1500"}, {"Retry-After", "2"}}));
  EXPECT_EQ(retrieve(err), IK_STATUS_RATE_LIMITED) << err.what();
  EXPECT_EQ(opt_int(ik_error_retry_after_ms, err.get()), 1500) << "retry-after-ms is more precise than Retry-After";
}

// ik_error_header_count/_at iterate exactly the headers ik_error_header looks
// up (same names, first value of a repeated name), in arrival order.
TEST_F(OpenAIErrors, HeaderCountAndAtIterateTheSameHeadersAsHeader) {
  server.enqueue(Reply::json(429, openai_error_json("slow down", "requests", nullptr, "rate_limit_exceeded"),
                             {{"x-request-id", "req_hdrs"},
                              {"X-Custom-One", "one"},
                              {"X-Repeat", "first"},
                              {"X-Repeat", "second"},
                              {"Retry-After", "1"}}));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_RATE_LIMITED) << err.what();
  ASSERT_TRUE(err);
  const ik_error *e = err.get();
  const size_t n = ik_error_header_count(e);
  ASSERT_GE(n, 6u) << "the five scripted headers plus Content-Type at least";
  ASSERT_LT(n, 100u);
  std::map<std::string, std::vector<std::string>> seen;  // lower-case name -> values in order
  for (size_t i = 0; i < n; ++i) {
    const char *name = nullptr;
    const char *value = nullptr;
    ASSERT_EQ(ik_error_header_at(e, i, &name, &value), 1) << i;
    ASSERT_NE(name, nullptr) << i;
    ASSERT_NE(value, nullptr) << i;
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    seen[lower].push_back(value);
    // Either pointer may be NULL.
    const char *only_value = nullptr;
    EXPECT_EQ(ik_error_header_at(e, i, nullptr, &only_value), 1);
    EXPECT_EQ(str(only_value), str(value));
    const char *only_name = nullptr;
    EXPECT_EQ(ik_error_header_at(e, i, &only_name, nullptr), 1);
    EXPECT_EQ(str(only_name), str(name));
    EXPECT_EQ(ik_error_header_at(e, i, nullptr, nullptr), 1);
  }
  for (const auto &kv : seen) {
    EXPECT_EQ(str(ik_error_header(e, kv.first.c_str())), kv.second.front())
        << kv.first << ": ik_error_header gives the first value of the iteration";
  }
  EXPECT_EQ(seen["x-request-id"], std::vector<std::string>{"req_hdrs"});
  EXPECT_EQ(seen["x-custom-one"], std::vector<std::string>{"one"});
  EXPECT_EQ(seen["x-repeat"], (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(seen["retry-after"], std::vector<std::string>{"1"});
  EXPECT_EQ(str(ik_error_header(e, "X-REPEAT")), "first");
  // Out of range: 0 and NULLs.
  for (size_t bad : {n, n + 1, static_cast<size_t>(SIZE_MAX)}) {
    const char *name = "sentinel";
    const char *value = "sentinel";
    EXPECT_EQ(ik_error_header_at(e, bad, &name, &value), 0) << bad;
    EXPECT_EQ(name, nullptr);
    EXPECT_EQ(value, nullptr);
  }
}

TEST_F(OpenAIErrors, FieldCountAndAtIterateTheSameFieldsAsField) {
  server.enqueue(Reply::json(400, openai_error_json("bad input", "invalid_request_error", "email", "invalid_email")));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_BAD_REQUEST) << err.what();
  ASSERT_TRUE(err);
  const ik_error *e = err.get();
  const size_t n = ik_error_field_count(e);
  ASSERT_GE(n, 4u) << "type, param, code and url at least";
  ASSERT_LT(n, 50u);
  std::map<std::string, std::string> seen;
  for (size_t i = 0; i < n; ++i) {
    const char *name = nullptr;
    const char *value = nullptr;
    ASSERT_EQ(ik_error_field_at(e, i, &name, &value), 1) << i;
    ASSERT_NE(name, nullptr);
    ASSERT_NE(value, nullptr);
    EXPECT_TRUE(seen.emplace(name, value).second) << "field names are unique: " << name;
    EXPECT_EQ(str(ik_error_field(e, name)), str(value)) << name;
    EXPECT_EQ(ik_error_field_at(e, i, nullptr, nullptr), 1);
  }
  EXPECT_EQ(seen["type"], "invalid_request_error");
  EXPECT_EQ(seen["param"], "email");
  EXPECT_EQ(seen["code"], "invalid_email");
  const char *name = "x";
  const char *value = "x";
  EXPECT_EQ(ik_error_field_at(e, n, &name, &value), 0);
  EXPECT_EQ(name, nullptr);
  EXPECT_EQ(value, nullptr);
  EXPECT_EQ(ik_error_field_count(nullptr), 0u);
  EXPECT_EQ(ik_error_field_at(nullptr, 0, &name, &value), 0);
}

TEST(OpenAIErrorHeaders, NoResponseMeansNoHeaders) {
  Opts o("http://127.0.0.1:" + std::to_string(unused_port()));
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_header_count(err.get()), 0u);
  const char *name = "sentinel";
  const char *value = "sentinel";
  EXPECT_EQ(ik_error_header_at(err.get(), 0, &name, &value), 0);
  EXPECT_EQ(name, nullptr);
  EXPECT_EQ(value, nullptr);
  EXPECT_EQ(ik_error_header(err.get(), "content-type"), nullptr);
  EXPECT_EQ(ik_error_cancelled_by(err.get()), IK_CANCELLED_BY_NONE);
}

TEST_F(OpenAIErrors, ShouldRetryHeaderAndInsufficientQuota) {
  server.enqueue(
      Reply::json(500, openai_error_json("boom", "server_error", nullptr, nullptr), {{"x-should-retry", "false"}}));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_SERVER_ERROR) << err.what();
  EXPECT_EQ(ik_error_is_retryable(err.get()), 0) << "x-should-retry: false overrides";
  server.enqueue(Reply::json(400, openai_error_json("bad", "invalid_request_error", nullptr, nullptr),
                             {{"x-should-retry", "true"}}));
  EXPECT_EQ(retrieve(err), IK_STATUS_BAD_REQUEST) << err.what();
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1) << "x-should-retry: true overrides";
  server.enqueue(Reply::json(
      429, openai_error_json("You exceeded your current quota", "insufficient_quota", nullptr, "insufficient_quota")));
  EXPECT_EQ(retrieve(err), IK_STATUS_RATE_LIMITED) << err.what();
  EXPECT_EQ(ik_error_is_retryable(err.get()), 0) << "insufficient_quota is not retryable";
}

TEST(OpenAIRetries, ShouldRetryFalseStopsRetries) {
  MockServer server;
  Opts o(server.base_url());
  enable_retries(o, 3);
  auto client = o.make();
  ASSERT_TRUE(client);
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(503, openai_error_json("no", "server_error", nullptr, nullptr), {{"x-should-retry", "false"}});
  });
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
}

TEST(OpenAIRetries, RetriesAreBoundedByMaxRetries) {
  MockServer server;
  Opts o(server.base_url());
  enable_retries(o, 2);
  auto client = o.make();
  ASSERT_TRUE(client);
  server.set_handler([](const RecordedRequest &) {
    return Reply::json(502, openai_error_json("bad gateway", "server_error", nullptr, nullptr));
  });
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_SERVER_ERROR);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(ik_error_attempts(err.get()), 3);
  EXPECT_EQ(ik_error_http_status(err.get()), 502);
}

TEST_F(OpenAIErrors, ErrorWithoutRequestId) {
  server.enqueue(Reply::json(404, openai_error_json("nope", "invalid_request_error", nullptr, nullptr)));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(ik_error_request_id(err.get()), nullptr);
}

TEST_F(OpenAIErrors, HtmlErrorPageFallsBackToRawText) {
  const std::string html =
      "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
      "<hr><center>nginx</center></body></html>";
  server.enqueue(Reply::text(502, html, "text/html"));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_SERVER_ERROR) << err.what();
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 502);
  const std::string msg = str(ik_error_message(err.get()));
  EXPECT_NE(msg.find("502"), std::string::npos) << msg;
  EXPECT_NE(msg.find("invites.retrieve"), std::string::npos) << msg;
  EXPECT_EQ(ik_error_provider_code(err.get()), nullptr);
  EXPECT_EQ(str(ik_error_field(err.get(), "content_type")).rfind("text/html", 0), 0u);
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(err.get(), &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), html);
}

TEST_F(OpenAIErrors, ErrorBodyThatIsJsonButNotTheErrorShape) {
  server.enqueue(Reply::json(500, "{\"message\":\"weird\"}"));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_SERVER_ERROR) << err.what();
  EXPECT_EQ(ik_error_http_status(err.get()), 500);
  EXPECT_NE(ik_error_message(err.get()), nullptr);
  const uint8_t *data = nullptr;
  size_t len = 0;
  EXPECT_EQ(ik_error_body(err.get(), &data, &len), 1);
}

TEST_F(OpenAIErrors, EmptyErrorBody) {
  server.enqueue(Reply::text(503, "", ""));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_SERVER_ERROR) << err.what();
  EXPECT_EQ(ik_error_http_status(err.get()), 503);
  EXPECT_NE(str(ik_error_message(err.get())).find("503"), std::string::npos);
  const uint8_t *data = reinterpret_cast<const uint8_t *>(0x1);
  size_t len = 7;
  EXPECT_EQ(ik_error_body(err.get(), &data, &len), 0);
  EXPECT_EQ(data, nullptr);
  EXPECT_EQ(len, 0u);
}

TEST_F(OpenAIErrors, MalformedJsonOnSuccessIsParseError) {
  const std::string bad = "{\"object\":\"organization.invite\",\"id\":\"i\",";
  server.enqueue(Reply::json(200, bad, {{"x-request-id", "req_bad"}}));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_PARSE) << err.what();
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 200);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_OPENAI);
  EXPECT_EQ(str(ik_error_request_id(err.get())), "req_bad");
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_error_body(err.get(), &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), bad);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 0);
}

TEST_F(OpenAIErrors, NonJsonSuccessIsParseError) {
  server.enqueue(Reply::text(200, "<html>hello</html>", "text/html"));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_PARSE) << err.what();
}

TEST(OpenAIErrorsLimits, ResponseLargerThanMaxIsRejected) {
  MockServer server;
  Opts o(server.base_url());
  o.o.max_response_bytes = 1024;
  auto client = o.make();
  ASSERT_TRUE(client);
  // Hard to compress, valid JSON, 64 KiB.
  std::string filler;
  uint32_t x = 12345;
  while (filler.size() < 65536) {
    x = x * 1103515245u + 12345u;
    filler += "0123456789abcdef"[(x >> 16) & 15];
  }
  server.enqueue(Reply::json(200, openai_invite_json("invite-big", "e@x.com", "\"pad\":\"" + filler + "\"")));
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "invite-big", nullptr, &inv, err.out()),
            IK_STATUS_RESPONSE_TOO_LARGE)
      << err.what();
  InvitePtr own(inv);
  EXPECT_EQ(inv, nullptr);
  // Error bodies are capped too.
  server.enqueue(Reply::json(500, openai_error_json(filler, "server_error", nullptr, nullptr)));
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "invite-big", nullptr, &inv, err.out()),
            IK_STATUS_RESPONSE_TOO_LARGE)
      << err.what();
  // Under the cap: fine.
  server.enqueue(Reply::json(200, openai_invite_json("invite-small")));
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "invite-small", nullptr, &inv, err.out()), IK_STATUS_OK)
      << err.what();
  own.reset(inv);
}

TEST(OpenAITransport, ConnectionRefused) {
  Opts o("http://127.0.0.1:" + std::to_string(unused_port()));
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite *inv = reinterpret_cast<ik_openai_invite *>(0x1);
  Err err;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_EQ(inv, nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_EQ(ik_error_transport_code(err.get()), CURLE_COULDNT_CONNECT);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 0) << "a refused connection provably did not reach the server";
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(ik_error_provider(err.get()), IK_PROVIDER_OPENAI);
  EXPECT_FALSE(str(ik_error_message(err.get())).empty());
  EXPECT_EQ(ik_error_body(err.get(), nullptr, nullptr), 0);
}

TEST(OpenAITransport, ResetBeforeResponse) {
  RawResetServer raw;
  Opts o(raw.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_NE(ik_error_transport_code(err.get()), 0);
  EXPECT_EQ(raw.connections(), 1u);
}

TEST(OpenAITransport, CreateIsNotRetriedAfterResetBeforeResponse) {
  RawResetServer raw;
  Opts o(raw.base_url());
  enable_retries(o, 3);
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite_create_params p = create_params();
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
  EXPECT_EQ(raw.connections(), 1u) << "a create whose request was sent must not be sent twice";
}

TEST(OpenAITransport, RawResetMidBody) {
  RawResetServer raw(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"object\":\"organ");
  Opts o(raw.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_EQ(inv, nullptr);
}

TEST_F(OpenAIErrors, ResetMidBody) {
  server.enqueue(Reply::faulty(Fault::ResetMidBody, openai_invite_json("invite-x")));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_NE(ik_error_transport_code(err.get()), 0);
}

TEST_F(OpenAIErrors, TruncatedBody) {
  server.enqueue(Reply::faulty(Fault::Truncate, openai_invite_json("invite-x")));
  Err err;
  EXPECT_EQ(retrieve(err), IK_STATUS_TRANSPORT) << err.what();
  EXPECT_EQ(ik_error_transport_code(err.get()), CURLE_PARTIAL_FILE) << err.what();
}

TEST(OpenAIRetries, CreateIsNotRetriedAfterMidBodyReset) {
  MockServer server;
  Opts o(server.base_url());
  enable_retries(o, 3);
  auto client = o.make();
  ASSERT_TRUE(client);
  server.enqueue(Reply::faulty(Fault::ResetMidBody, openai_invite_json("invite-1")));
  server.enqueue(Reply::json(200, openai_invite_json("invite-2")));  // must not be consumed
  ik_openai_invite_create_params p = create_params();
  ik_openai_invite *inv = nullptr;
  Err err;
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_TRANSPORT) << err.what();
  InvitePtr own(inv);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.pending_replies(), 1u);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1);
  EXPECT_EQ(ik_error_attempts(err.get()), 1);
}

TEST(OpenAIRetries, CreateIsRetriedOnlyWhenProvablyNotProcessed) {
  MockServer server;
  Opts o(server.base_url());
  enable_retries(o, 2);
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite_create_params p = create_params();
  ik_openai_invite *inv = nullptr;
  Err err;
  // 500 on a create: ambiguous, not retried.
  server.enqueue(Reply::json(500, openai_error_json("boom", "server_error", nullptr, nullptr)));
  server.enqueue(Reply::json(200, openai_invite_json("invite-2")));
  EXPECT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_SERVER_ERROR) << err.what();
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(ik_error_is_ambiguous(err.get()), 1) << "a 500 on a create may have created it";
  server.clear();
  // 503 on a create: not processed, retried.
  server.enqueue(Reply::json(503, openai_error_json("overloaded", "server_error", nullptr, nullptr)));
  server.enqueue(Reply::json(200, openai_invite_json("invite-3")));
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  ik_openai_invite_free(inv);
  EXPECT_EQ(server.request_count(), 2u);
  server.clear();
  // 429 on a create: not processed, retried.
  server.enqueue(Reply::json(429, openai_error_json("slow", "requests", nullptr, "rate_limit_exceeded"),
                             {{"retry-after-ms", "10"}}));
  server.enqueue(Reply::json(200, openai_invite_json("invite-2")));
  ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(inv)), 2);
}

TEST(OpenAIRetries, GetIsRetriedAfterServerErrorAndReset) {
  MockServer server;
  Opts o(server.base_url());
  enable_retries(o, 3);
  auto client = o.make();
  ASSERT_TRUE(client);
  server.enqueue(Reply::json(500, openai_error_json("boom", "server_error", nullptr, nullptr)));
  server.enqueue(Reply::faulty(Fault::ResetMidBody, openai_invite_json("invite-1")));
  server.enqueue(Reply::json(200, openai_invite_json("invite-1"), {{"x-request-id", "req_final"}}));
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "invite-1", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(ik_response_attempts(ik_openai_invite_response(inv)), 3);
  EXPECT_EQ(str(ik_response_request_id(ik_openai_invite_response(inv))), "req_final");
}

TEST(OpenAITimeouts, AttemptTimeoutAgainstHang) {
  MockServer server;
  Opts o(server.base_url());
  o.o.attempt_timeout_ms = 300;
  auto client = o.make();
  ASSERT_TRUE(client);
  server.enqueue(Reply::faulty(Fault::Hang));
  ik_openai_invite *inv = nullptr;
  Err err;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TIMEOUT) << err.what();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 5s);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(ik_error_transport_code(err.get()), CURLE_OPERATION_TIMEDOUT);
  EXPECT_EQ(ik_error_http_status(err.get()), 0);
  EXPECT_EQ(ik_error_is_retryable(err.get()), 1);
}

TEST(OpenAITimeouts, PerCallAttemptTimeoutOverridesClient) {
  MockServer server;
  Opts o(server.base_url());
  o.o.attempt_timeout_ms = 20000;
  auto client = o.make();
  ASSERT_TRUE(client);
  server.enqueue(Reply::faulty(Fault::Hang));
  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.attempt_timeout_ms = 200;
  ik_openai_invite *inv = nullptr;
  Err err;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", &co, &inv, err.out()), IK_STATUS_TIMEOUT) << err.what();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST(OpenAITimeouts, DeadlineBoundsRetriesAndBackoff) {
  MockServer server;
  Opts o(server.base_url());
  o.o.max_retries = 10;
  o.o.jitter = IK_JITTER_NONE;
  o.o.retry_base_delay_ms = 200;
  o.o.retry_max_delay_ms = 200;
  o.o.attempt_timeout_ms = 300;
  o.o.deadline_ms = 1000;
  auto client = o.make();
  ASSERT_TRUE(client);
  server.set_handler([](const RecordedRequest &) { return Reply::faulty(Fault::Hang); });
  ik_openai_invite *inv = nullptr;
  Err err;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_TIMEOUT) << err.what();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 2500ms) << "the overall deadline (1 s) was not honoured";
  EXPECT_GE(took, 250ms);
  EXPECT_GE(ik_error_attempts(err.get()), 1);
  EXPECT_LE(ik_error_attempts(err.get()), 3);
}

TEST(OpenAITimeouts, SlowBodyWithinTheTimeoutSucceeds) {
  MockServer server;
  Opts o(server.base_url());
  o.o.attempt_timeout_ms = 5000;
  auto client = o.make();
  ASSERT_TRUE(client);
  Reply r = Reply::faulty(Fault::SlowBody, openai_invite_json("invite-slow"));
  r.delay_ms = 50;
  r.slow_chunks = 4;
  server.enqueue(r);
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "invite-slow", nullptr, &inv, err.out()), IK_STATUS_OK)
      << err.what();
  InvitePtr own(inv);
  EXPECT_EQ(str(ik_openai_invite_id(inv)), "invite-slow");
}

TEST(OpenAIRedirects, CredentialsNeverFollowARedirectToAnotherOrigin) {
  MockServer origin;
  MockServer other;
  other.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("invite-other")); });
  origin.enqueue(Reply::redirect(other.base_url() + "/organization/invites/invite-1", 302));
  Opts o(origin.base_url(), "sk-admin-SECRET-redirect");
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_openai_invite *inv = nullptr;
  Err err;
  const ik_status st = ik_openai_invite_retrieve(client.get(), "invite-1", nullptr, &inv, err.out());
  InvitePtr own(inv);
  // Either the redirect is refused (HTTP_OTHER) or followed without credentials.
  if (st != IK_STATUS_OK) {
    EXPECT_EQ(st, IK_STATUS_HTTP_OTHER) << err.what();
    EXPECT_EQ(ik_error_http_status(err.get()), 302);
  }
  for (const auto &r : other.requests()) {
    EXPECT_FALSE(r.has_header("Authorization")) << "credentials sent to another origin after a redirect";
    for (const auto &h : r.headers) EXPECT_EQ(h.second.find("SECRET"), std::string::npos) << h.first;
  }
}
