// Secrets never appear in logs, errors or URLs (DESIGN.md §3, §4 Observability).
#include <mutex>

#include "mock_fixture.hpp"

using namespace iktest;

namespace {

struct LogSink {
  std::mutex mu;
  std::vector<std::string> lines;  // every string field of every record
  int records = 0;
  int freed = 0;
  int bad_version = 0;
  int32_t max_level = 0;
};

void on_log(const ik_log_record *rec, void *ud) {
  auto *sink = static_cast<LogSink *>(ud);
  std::lock_guard<std::mutex> lk(sink->mu);
  ++sink->records;
  if (rec && rec->level > sink->max_level) sink->max_level = rec->level;
  if (!rec || rec->version < 1) {
    ++sink->bad_version;
    return;
  }
  for (const char *s : {rec->message, rec->operation, rec->method, rec->url, rec->request_id})
    if (s) sink->lines.emplace_back(s);
}

void on_free(void *ud) {
  auto *sink = static_cast<LogSink *>(ud);
  std::lock_guard<std::mutex> lk(sink->mu);
  ++sink->freed;
}

const std::string kSecret = "sk-admin-S3CR3T-0123456789abcdefXYZ";
const std::string kSecretCore = "S3CR3T-0123456789abcdef";

bool contains_secret(const std::string &s) {
  return s.find(kSecretCore) != std::string::npos || s.find(kSecret) != std::string::npos;
}

}  // namespace

TEST(Redaction, SecretNeverLoggedNorInErrors) {
  MockServer server;
  LogSink sink;
  {
    Opts o(server.base_url(), kSecret);
    o.o.log_level = IK_LOG_TRACE;
    o.o.log_cb = on_log;
    o.o.log_user_data = &sink;
    o.o.log_user_data_free = on_free;
    o.o.openai_organization = "org-visible";
    auto client = o.make();
    ASSERT_TRUE(client);

    server.enqueue(Reply::json(200, openai_invite_json("invite-1"), {{"x-request-id", "req_ok"}}));
    server.enqueue(Reply::json(401,
                               openai_error_json("Incorrect API key provided: sk-admin-***XYZ.",
                                                 "invalid_request_error", nullptr, "invalid_api_key"),
                               {{"x-request-id", "req_401"}}));
    server.enqueue(Reply::faulty(Fault::Truncate, openai_invite_json("invite-3")));

    ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
    p.email = "someone@example.com";
    p.role = "reader";
    ik_openai_invite *inv = nullptr;
    Err err;
    ASSERT_EQ(ik_openai_invite_create(client.get(), &p, nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
    ik_openai_invite_free(inv);

    std::vector<ErrorPtr> errors;
    ik_error *e = nullptr;
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "invite-2", nullptr, &inv, &e), IK_STATUS_AUTHENTICATION);
    errors.emplace_back(e);
    e = nullptr;
    EXPECT_EQ(ik_openai_invite_retrieve(client.get(), "invite-3", nullptr, &inv, &e), IK_STATUS_TRANSPORT);
    errors.emplace_back(e);

    // The secret did go on the wire (so the test is meaningful)...
    ASSERT_GE(server.request_count(), 1u);
    EXPECT_EQ(server.requests()[0].header("Authorization"), "Bearer " + kSecret);

    // ...and nowhere else.
    for (const auto &ep : errors) {
      ASSERT_TRUE(ep);
      const ik_error *x = ep.get();
      for (const char *s : {ik_error_message(x), ik_error_operation(x), ik_error_provider_code(x),
                            ik_error_provider_message(x), ik_error_request_id(x)}) {
        if (s) {
          EXPECT_FALSE(contains_secret(s)) << s;
        }
      }
      for (const char *f : {"type", "param", "code", "url", "content_type", "more_info", "detail", "title"}) {
        if (const char *v = ik_error_field(x, f)) {
          EXPECT_FALSE(contains_secret(v)) << f << "=" << v;
        }
      }
      for (const char *h : {"Authorization", "authorization"}) EXPECT_EQ(ik_error_header(x, h), nullptr);
      const uint8_t *d = nullptr;
      size_t n = 0;
      if (ik_error_body(x, &d, &n)) {
        EXPECT_FALSE(contains_secret(std::string(reinterpret_cast<const char *>(d), n)));
      }
    }
    EXPECT_EQ(str(ik_error_request_id(errors[0].get())), "req_401");

    // The base URL accessor has no secret either.
    EXPECT_FALSE(contains_secret(str(ik_client_base_url(client.get(), IK_PROVIDER_OPENAI))));
  }  // client freed here: user data released exactly once

  std::lock_guard<std::mutex> lk(sink.mu);
  std::printf("[ figures  ] %d log records, %zu strings checked\n", sink.records, sink.lines.size());
  EXPECT_GT(sink.records, 0) << "TRACE logging produced nothing";
  EXPECT_EQ(sink.bad_version, 0);
  for (const auto &l : sink.lines) EXPECT_FALSE(contains_secret(l)) << "secret in log line: " << l;
  bool saw_url = false;
  for (const auto &l : sink.lines)
    if (l.find("/organization/invites") != std::string::npos) saw_url = true;
  EXPECT_TRUE(saw_url) << "log records carry the URL";
  EXPECT_EQ(sink.freed, 1) << "log_user_data_free must run once, at ik_client_free";
}

TEST(Redaction, NoCallbackAfterFree) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("i")); });
  LogSink sink;
  {
    Opts o(server.base_url(), kSecret);
    o.o.log_level = IK_LOG_DEBUG;
    o.o.log_cb = on_log;
    o.o.log_user_data = &sink;
    auto client = o.make();
    ASSERT_TRUE(client);
    ik_openai_invite *inv = nullptr;
    ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, nullptr), IK_STATUS_OK);
    ik_openai_invite_free(inv);
  }
  int after;
  {
    std::lock_guard<std::mutex> lk(sink.mu);
    after = sink.records;
  }
  // Nothing can call back any more: the count is frozen.
  EXPECT_EQ(after, sink.records);
  EXPECT_EQ(sink.freed, 0) << "no free function was given";
}

TEST(Redaction, LevelFiltersRecords) {
  MockServer server;
  server.set_handler([](const RecordedRequest &) { return Reply::json(200, openai_invite_json("i")); });
  LogSink sink;
  Opts o(server.base_url());
  o.o.log_level = IK_LOG_WARN;
  o.o.log_cb = on_log;
  o.o.log_user_data = &sink;
  auto client = o.make();
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) {
    ik_openai_invite *inv = nullptr;
    ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, nullptr), IK_STATUS_OK);
    ik_openai_invite_free(inv);
  }
  client.reset();
  std::lock_guard<std::mutex> lk(sink.mu);
  EXPECT_LE(sink.max_level, IK_LOG_WARN) << "a record above the configured level was delivered";
}
