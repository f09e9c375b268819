// Overflow and hostile-input cases of issue #18, tested on the library's
// internals directly (this suite links the static library's objects and
// includes src/ headers): JSON integer/string readers, the Fastly page-number
// arithmetic, the clamping of time and count settings, server-directed
// delays, the cancel token's wait and the pager's bounded cursor memory.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/client.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/pager.hpp"
#include "core/transport.hpp"
#include "core/types.hpp"
#include "providers/fastly.hpp"

using namespace ik::detail;

namespace {

// Parses `json` and returns the error raised by fn(root object), or "" if none.
template <class Fn>
std::string parse_error_of(const std::string &json, Fn fn, ik_status *status = nullptr) {
  std::string body = json;
  pad_for_parse(body);
  simdjson::dom::parser parser;
  try {
    fn(as_object(parse_json(parser, body, "test"), "test"));
  } catch (const Error &e) {
    if (status) *status = e.info().status;
    return e.info().message;
  }
  return "";
}

TEST(JsonInt, OutOfRangeNumbersAreAParseErrorNamingTheField) {
  for (const char *v :
       {"1e300", "-1e300", "9223372036854775808", "18446744073709551615", "1e19", "-9.3e18", "\"99999999999999999999\"",
        "\"9999999999999999999999999999999999999999\"", "\"9223372036854775808\""}) {
    ik_status st = IK_STATUS_OK;
    const std::string msg = parse_error_of(
        std::string("{\"created_at\":") + v + "}", [](JsonObject o) { (void)get_int(o, "created_at"); }, &st);
    EXPECT_EQ(st, IK_STATUS_PARSE) << v;
    EXPECT_NE(msg.find("'created_at'"), std::string::npos) << v << ": " << msg;
    EXPECT_NE(msg.find("out of range"), std::string::npos) << v << ": " << msg;
  }
}

TEST(JsonInt, InRangeValuesStillRead) {
  struct Case {
    const char *json;
    int64_t want;
  } cases[] = {{"9223372036854775807", INT64_MAX},
               {"-9223372036854775808", INT64_MIN},
               {"3.0", 3},
               {"-4e3", -4000},
               {"\"9223372036854775807\"", INT64_MAX},
               {"\"0\"", 0},
               {"\"123456789012345678\"", 123456789012345678}};
  for (const auto &c : cases) {
    OptInt got;
    EXPECT_EQ(parse_error_of(std::string("{\"n\":") + c.json + "}", [&](JsonObject o) { got = get_int(o, "n"); }), "")
        << c.json;
    EXPECT_TRUE(got.set) << c.json;
    EXPECT_EQ(got.v, c.want) << c.json;
  }
  // Not integers at all: still "is not an integer".
  for (const char *v : {"1.5", "\"12a\"", "\"\"", "true"}) {
    const std::string msg =
        parse_error_of(std::string("{\"n\":") + v + "}", [](JsonObject o) { (void)get_int(o, "n"); });
    EXPECT_NE(msg.find("is not an integer"), std::string::npos) << v << ": " << msg;
  }
}

TEST(JsonStr, EmbeddedNulIsRefusedNotTruncated) {
  ik_status st = IK_STATUS_OK;
  const std::string msg =
      parse_error_of(R"({"id":"invite-abc\u0000../x"})", [](JsonObject o) { (void)get_str(o, "id"); }, &st);
  EXPECT_EQ(st, IK_STATUS_PARSE);
  EXPECT_NE(msg.find("'id'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("NUL"), std::string::npos) << msg;
  OptStr ok;
  EXPECT_EQ(parse_error_of(R"({"id":"invite-abc\u0001"})", [&](JsonObject o) { ok = get_str(o, "id"); }), "");
  EXPECT_EQ(ok.s, std::string("invite-abc\x01"));
}

std::string fastly_page_error(const std::string &json, const std::string &requested = "") {
  auto resp = std::make_shared<ik_response>();
  resp->body = json;
  pad_for_parse(resp->body);
  ListSpec spec = fastly::list_spec();
  ik_page page;
  page.kind = spec.kind;
  page.resp = resp;
  page.next_raw = requested;
  simdjson::dom::parser parser;
  try {
    spec.parse(page, parse_json(parser, resp->body, "list response"));
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_PARSE);
    return e.info().message;
  }
  return "next=" + page.next_raw;
}

TEST(FastlyPages, CurrentPageInt64MaxHasNoNextPage) {
  const std::string msg = fastly_page_error(
      R"({"data":[{"id":"a"}],"links":{"next":"x"},"meta":{"current_page":9223372036854775807,"total_pages":9223372036854775807}})");
  // current_page >= total_pages: the end, no arithmetic needed.
  EXPECT_EQ(msg, "next=");
  const std::string msg2 =
      fastly_page_error(R"({"data":[{"id":"a"}],"links":{"next":"x"},"meta":{"current_page":9223372036854775807}})");
  EXPECT_NE(msg2.find("current_page"), std::string::npos) << msg2;
  EXPECT_NE(msg2.find("out of range"), std::string::npos) << msg2;
  // The same through a requested page number without meta.
  const std::string msg3 = fastly_page_error(R"({"data":[{"id":"a"}],"links":{"next":"x"}})", "9223372036854775807");
  EXPECT_NE(msg3.find("out of range"), std::string::npos) << msg3;
  EXPECT_EQ(fastly_page_error(R"({"data":[{"id":"a"}],"links":{"next":"x"},"meta":{"current_page":2}})"), "next=3");
}

TEST(FastlyPages, LinksNextBackwardsIsRefused) {
  const std::string msg = fastly_page_error(
      R"({"data":[{"id":"a"}],"links":{"next":"https://api.fastly.com/invitations?page%5Bnumber%5D=1&page[size]=1"}})",
      "4");
  EXPECT_NE(msg.find("did not advance"), std::string::npos) << msg;
  EXPECT_NE(msg.find("page 1 from page 4"), std::string::npos) << msg;
  EXPECT_EQ(fastly_page_error(
                R"({"data":[{"id":"a"}],"links":{"next":"https://api.fastly.com/invitations?page[number]=5"}})", "4"),
            "next=5");
}

ik_client_options ignore_env() {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV;
  return o;
}

TEST(Settings, TimesAreClampedToThirtyDays) {
  ik_client_options o = ignore_env();
  o.connect_timeout_ms = INT64_MAX;
  o.attempt_timeout_ms = INT64_MAX;
  o.deadline_ms = INT64_MAX;
  o.retry_base_delay_ms = INT64_MAX;
  o.retry_max_delay_ms = INT64_MAX;
  o.max_server_wait_ms = INT64_MAX;
  o.max_retries = INT32_MAX;
  ClientConfig cfg = resolve_config(&o);
  const int64_t month = int64_t{30} * 24 * 3600 * 1000;
  EXPECT_EQ(kMaxSettingMs, month);
  EXPECT_EQ(cfg.connect_timeout_ms, month);
  EXPECT_EQ(cfg.attempt_timeout_ms, month);
  EXPECT_EQ(cfg.deadline_ms, month);
  EXPECT_EQ(cfg.retry.base_delay_ms, month);
  EXPECT_EQ(cfg.retry.max_delay_ms, month);
  EXPECT_EQ(cfg.retry.max_server_wait_ms, month);
  EXPECT_EQ(cfg.retry.max_retries, 100);
  // Values in range are kept as given.
  o.deadline_ms = month - 1;
  EXPECT_EQ(resolve_config(&o).deadline_ms, month - 1);

  ik_call_options co = IK_CALL_OPTIONS_INIT;
  co.deadline_ms = INT64_MAX;
  co.attempt_timeout_ms = INT64_MAX;
  co.connect_timeout_ms = INT64_MAX;
  co.max_retries = INT32_MAX;
  CallSettings cs = resolve_call(cfg, &co);
  EXPECT_EQ(cs.deadline_ms, month);
  EXPECT_EQ(cs.attempt_timeout_ms, month);
  EXPECT_EQ(cs.connect_timeout_ms, month);
  EXPECT_EQ(cs.max_retries, 100);
}

TEST(Settings, NegativeTimesAreStillInvalid) {
  int64_t ik_client_options::*fields[] = {
      &ik_client_options::connect_timeout_ms, &ik_client_options::attempt_timeout_ms,
      &ik_client_options::deadline_ms,        &ik_client_options::retry_base_delay_ms,
      &ik_client_options::retry_max_delay_ms, &ik_client_options::max_server_wait_ms};
  for (auto f : fields) {
    ik_client_options o = ignore_env();
    o.*f = INT64_MIN;
    try {
      resolve_config(&o);
      ADD_FAILURE() << "accepted a negative time";
    } catch (const Error &e) {
      EXPECT_EQ(e.info().status, IK_STATUS_INVALID_ARGUMENT);
      EXPECT_NE(e.info().message.find("must not be negative"), std::string::npos);
    }
  }
}

TEST(Settings, TwilioEdgeAndRegionFromTheEnvironmentAreChecked) {
  ::setenv("TWILIO_EDGE", "attacker.example/", 1);
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  try {
    resolve_config(&o);
    ADD_FAILURE() << "TWILIO_EDGE with a '/' was accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(e.info().message.find("TWILIO_EDGE"), std::string::npos) << e.info().message;
    EXPECT_EQ(e.info().message.find("attacker"), std::string::npos) << e.info().message;
  }
  ::setenv("TWILIO_EDGE", "sydney", 1);
  ::setenv("TWILIO_REGION", "au1.attacker.example", 1);
  try {
    resolve_config(&o);
    ADD_FAILURE() << "TWILIO_REGION with dots was accepted";
  } catch (const Error &e) {
    EXPECT_NE(e.info().message.find("TWILIO_REGION"), std::string::npos) << e.info().message;
  }
  ::setenv("TWILIO_REGION", "au1", 1);
  EXPECT_EQ(resolve_config(&o).provider(IK_PROVIDER_TWILIO).base_url, "https://chat.sydney.au1.twilio.com");
  ::unsetenv("TWILIO_EDGE");
  ::unsetenv("TWILIO_REGION");
}

TEST(ServerDelay, AbsurdHeadersAreClamped) {
  const int64_t century = int64_t{100} * 365 * 86400 * 1000;
  struct Case {
    const char *name, *value;
    int32_t provider;
  } cases[] = {{"retry-after-ms", "99999999999999999999999999999", IK_PROVIDER_OPENAI},
               {"retry-after", "99999999999999999999999999999", IK_PROVIDER_OPENAI},
               {"fastly-ratelimit-reset", "9223372036854775807", IK_PROVIDER_FASTLY},
               {"retry-after", "Wed, 21 Oct 9999999999999999999 07:28:00 GMT", IK_PROVIDER_TWILIO}};
  for (const auto &c : cases) {
    Headers h;
    h.add(c.name, c.value);
    const int64_t d = server_delay_ms(h, 429, c.provider);
    EXPECT_TRUE(d == -1 || (d >= 0 && d <= century)) << c.name << ": " << c.value << " -> " << d;
  }
  Headers past;
  past.add("fastly-ratelimit-reset", "-922337203685477580");  // long past
  EXPECT_EQ(server_delay_ms(past, 429, IK_PROVIDER_FASTLY), 0);
}

// Response headers are kept as raw lines and split on first use (issue #19):
// the same names, values, order and case-insensitive lookups as when every
// header was split at receive time, and one index for concurrent readers.
Headers received_headers() {
  Headers h;
  for (const char *line : {"Content-Type: application/json\r\n", "X-Request-Id:  req_1 \t\r\n",
                           "  folded continuation without a colon\r\n", ": no name\r\n", "X-Empty:\r\n",
                           "x-request-id: req_2\r\n", "Retry-After: 7\r\n", "Link: <https://x/?a=b:c>; rel=next"}) {
    h.append_line(line, std::strlen(line));
  }
  return h;
}

TEST(ResponseHeaders, RawLinesReadLikeSplitHeaders) {
  const Headers h = received_headers();
  bool found = false;
  EXPECT_EQ(h.get("x-request-id", &found), "req_1");
  EXPECT_TRUE(found);
  EXPECT_EQ(h.get("X-EMPTY", &found), "");
  EXPECT_TRUE(found);
  EXPECT_EQ(h.get("x-missing", &found), "");
  EXPECT_FALSE(found);
  EXPECT_EQ(h.get("link", &found), "<https://x/?a=b:c>; rel=next");  // the last line has no line break
  EXPECT_EQ(h.get("X-Request-Id:", &found), "");
  EXPECT_FALSE(found);
  const char *const ids[] = {"twilio-request-id", "retry-after", "x-request-id", nullptr};
  EXPECT_EQ(h.get_first(ids, &found), "7");  // the list's order, not the lines'
  EXPECT_TRUE(found);
  const char *const none[] = {"fastly-request-id", nullptr};
  h.get_first(none, &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(server_delay_ms(h, 503, IK_PROVIDER_OPENAI), 7000);

  ASSERT_EQ(h.size(), 6u);
  const char *names[] = {"Content-Type", "X-Request-Id", "X-Empty", "x-request-id", "Retry-After", "Link"};
  const char *values[] = {"application/json", "req_1", "", "req_2", "7", "<https://x/?a=b:c>; rel=next"};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_STREQ(h.name_at(i), names[i]);
    EXPECT_STREQ(h.value_at(i), values[i]);
  }
  EXPECT_STREQ(h.find("X-REQUEST-ID"), "req_1");
  EXPECT_EQ(h.find("folded continuation without a colon"), nullptr);
  EXPECT_EQ(h.find(""), nullptr);

  Headers copy;
  copy = h;  // the copy indexes its own lines
  EXPECT_EQ(copy.size(), 6u);
  EXPECT_STREQ(copy.find("content-type"), "application/json");
  Headers moved(std::move(copy));
  EXPECT_STREQ(moved.value_at(5), "<https://x/?a=b:c>; rel=next");
}

TEST(ResponseHeaders, ConcurrentFirstReadersShareOneIndex) {
  for (int round = 0; round < 20; ++round) {
    const Headers h = received_headers();
    std::vector<std::thread> readers;
    std::vector<const char *> seen(8, nullptr);
    std::vector<size_t> sizes(8, 0);
    for (int t = 0; t < 8; ++t) {
      readers.emplace_back([&, t] {
        sizes[t] = h.size();
        seen[t] = t % 2 ? h.find("retry-after") : h.value_at(4);
      });
    }
    for (auto &r : readers) r.join();
    for (int t = 0; t < 8; ++t) {
      EXPECT_EQ(sizes[t], 6u);
      EXPECT_EQ(seen[t], seen[0]);  // one index: the same pointer for every reader
      EXPECT_STREQ(seen[t], "7");
    }
  }
}

TEST(CancelToken, HugeWaitIsClampedAndStillCancellable) {
  ik_cancel_token token;
  EXPECT_TRUE(token.sleep_for_ms(INT64_MIN));  // negative: no wait
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    token.cancel();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(token.sleep_for_ms(INT64_MAX));  // waits (no overflow into the past) until cancelled
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(90));
}

TEST(SeenCursors, AHundredThousandPageListingFitsAndMemoryIsBounded) {
  SeenCursors seen;
  for (int i = 0; i < 100000; ++i) {
    const uint64_t h = SeenCursors::hash("invite-" + std::to_string(i));
    ASSERT_FALSE(seen.contains(h)) << i;  // no false "already followed" in a legitimate listing
    seen.insert(h);
  }
  for (int i = 0; i < 100000; i += 997) EXPECT_TRUE(seen.contains(SeenCursors::hash("invite-" + std::to_string(i))));
  EXPECT_EQ(seen.size(), 100000u);
  EXPECT_LE(seen.capacity() * sizeof(uint64_t), size_t{2} << 20);
  // Far beyond the cap: the table starts over and never grows past 2 MiB.
  for (int i = 0; i < 400000; ++i) seen.insert(SeenCursors::hash("x" + std::to_string(i)));
  EXPECT_LE(seen.size(), SeenCursors::kMaxEntries);
  EXPECT_LE(seen.capacity() * sizeof(uint64_t), size_t{2} << 20);
  // A cycle shorter than the cap is still caught after a restart.
  const uint64_t h = SeenCursors::hash("x399999");
  EXPECT_TRUE(seen.contains(h));
  EXPECT_NE(SeenCursors::hash(""), 0u);
}

}  // namespace
