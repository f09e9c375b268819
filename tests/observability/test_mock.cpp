// Observability against a MockServer: the log callback's records and levels, the
// vendors' log environment switches (stderr), redaction of every secret in
// every log line and error, and rate-limit headers / request ids on every
// result and error. Through the public C ABI against a MockServer.
#include <set>

#include "ops.hpp"

using namespace res;
using namespace std::chrono_literals;

namespace {

const LogLine *find_line(const std::vector<LogLine> &v, const std::function<bool(const LogLine &)> &pred) {
  for (const auto &l : v)
    if (pred(l)) return &l;
  return nullptr;
}

std::string dump(const std::vector<LogLine> &v) {
  std::string s;
  for (const auto &l : v)
    s += "  [" + std::string(ik_log_level_name(l.level)) + "] attempt=" + std::to_string(l.attempt) +
         " http=" + std::to_string(l.http_status) + " " + l.message.substr(0, 200) + "\n";
  return s;
}

// Appends the provider's request-id header (and rate-limit headers) to a reply.
Reply with_meta(Reply r, int32_t provider, const std::string &rid) {
  switch (provider) {
    case IK_PROVIDER_OPENAI:
      r.headers.emplace_back("x-request-id", rid);
      r.headers.emplace_back("x-ratelimit-limit-requests", "100");
      r.headers.emplace_back("x-ratelimit-remaining-requests", "42");
      r.headers.emplace_back("x-ratelimit-reset-requests", "6s");
      break;
    case IK_PROVIDER_TWILIO: r.headers.emplace_back("Twilio-Request-Id", rid); break;
    default:
      r.headers.emplace_back("Fastly-Request-Id", rid);
      r.headers.emplace_back("Fastly-RateLimit-Remaining", "41");
      r.headers.emplace_back("Fastly-RateLimit-Reset", "1700000000");
      break;
  }
  return r;
}

class Logging : public ::testing::Test {
 protected:
  MockServer server;
  Cfg cfg{server.base_url()};
  LogSink sink;
};

// ---------------------------------------------------------------------------
// The log callback
// ---------------------------------------------------------------------------
TEST_F(Logging, RecordFieldsForASuccess) {
  sink.attach(cfg.o, IK_LOG_DEBUG);
  auto c = cfg.make();
  struct Case {
    const char *op;
    std::string path;
  };
  const Case cases[] = {
      {"openai_retrieve", "/v1/organization/invites/inv_1"},
      {"twilio_user_fetch", std::string("/v2/Services/") + kService + "/Users/alice"},
      {"fastly_delete", "/invitations/fyinv1"},
  };
  for (const auto &cs : cases) {
    const Op &o = op(cs.op);
    SCOPED_TRACE(o.name);
    sink.lines.clear();
    const std::string rid = std::string("rid-ok-") + o.name;
    server.enqueue(with_meta(o.success(), o.provider, rid));
    Outcome out;
    o.run(c.get(), nullptr, out);
    ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    auto lines = sink.snapshot();
    const LogLine *info = find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_INFO; });
    const LogLine *debug = find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_DEBUG; });
    ASSERT_TRUE(info) << dump(lines);
    ASSERT_TRUE(debug) << dump(lines);
    for (const LogLine *l : {info, debug}) {
      EXPECT_FALSE(l->message.empty());
      EXPECT_EQ(l->message.find('\n'), std::string::npos) << "one line: " << l->message;
      EXPECT_EQ(l->provider, o.provider);
      EXPECT_EQ(l->operation, o.operation);
      EXPECT_EQ(l->method, o.verb == Verb::Get ? "GET" : "DELETE");
      EXPECT_EQ(l->url, server.base_url() + cs.path);
      EXPECT_EQ(l->http_status, o.verb == Verb::Get ? 200 : 204);
      EXPECT_EQ(l->attempt, 1);
      EXPECT_GE(l->latency_us, 0);
      EXPECT_EQ(l->request_id, rid);
    }
    EXPECT_TRUE(find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_TRACE; }) == nullptr)
        << "nothing above the configured level";
  }
}

TEST_F(Logging, RecordsForARetry) {
  sink.attach(cfg.o, IK_LOG_INFO);
  auto c = cfg.make();
  const Op &o = op("openai_retrieve");
  server.enqueue(with_meta(error_reply(o.provider, 503), o.provider, "rid-attempt-1"));
  server.enqueue(with_meta(o.success(), o.provider, "rid-attempt-2"));
  Outcome out;
  o.run(c.get(), nullptr, out);
  ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
  auto lines = sink.snapshot();
  const LogLine *warn = find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_WARN; });
  ASSERT_TRUE(warn) << dump(lines);
  EXPECT_EQ(warn->provider, IK_PROVIDER_OPENAI);
  EXPECT_EQ(warn->operation, "invites.retrieve");
  EXPECT_EQ(warn->method, "GET");
  EXPECT_EQ(warn->url, server.base_url() + "/v1/organization/invites/inv_1");
  EXPECT_EQ(warn->http_status, 503);
  EXPECT_EQ(warn->attempt, 1);
  EXPECT_GE(warn->latency_us, 0);
  EXPECT_EQ(warn->request_id, "rid-attempt-1");
  EXPECT_NE(warn->message.find("retry"), std::string::npos) << warn->message;
  const LogLine *info = find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_INFO; });
  ASSERT_TRUE(info) << dump(lines);
  EXPECT_EQ(info->attempt, 2);
  EXPECT_EQ(info->http_status, 200);
  EXPECT_EQ(info->request_id, "rid-attempt-2");
  EXPECT_FALSE(find_line(lines, [](const LogLine &l) { return l.level == IK_LOG_DEBUG; })) << dump(lines);
}

TEST_F(Logging, LevelFiltering) {
  const Op &o = op("openai_retrieve");
  auto levels_seen = [&](int32_t level, bool with_retry) {
    Cfg c2(server.base_url());
    LogSink s;
    s.attach(c2.o, level);
    auto c = c2.make();
    server.clear();
    if (with_retry) server.enqueue(error_reply(o.provider, 503));
    server.enqueue(o.success());
    Outcome out;
    o.run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    std::set<int32_t> seen;
    for (const auto &l : s.snapshot()) seen.insert(l.level);
    return seen;
  };
  EXPECT_EQ(levels_seen(IK_LOG_WARN, false), (std::set<int32_t>{}));
  EXPECT_EQ(levels_seen(IK_LOG_WARN, true), (std::set<int32_t>{IK_LOG_WARN}));
  EXPECT_EQ(levels_seen(IK_LOG_ERROR, true), (std::set<int32_t>{}));
  EXPECT_EQ(levels_seen(IK_LOG_OFF, true), (std::set<int32_t>{IK_LOG_WARN, IK_LOG_INFO}))
      << "with a callback, level 0 means the default (info)";
  EXPECT_EQ(levels_seen(IK_LOG_INFO, true), (std::set<int32_t>{IK_LOG_WARN, IK_LOG_INFO}));
  EXPECT_EQ(levels_seen(IK_LOG_DEBUG, true), (std::set<int32_t>{IK_LOG_WARN, IK_LOG_INFO, IK_LOG_DEBUG}));
  EXPECT_EQ(levels_seen(IK_LOG_TRACE, true), (std::set<int32_t>{IK_LOG_WARN, IK_LOG_INFO, IK_LOG_DEBUG, IK_LOG_TRACE}));
}

TEST_F(Logging, UserDataFreedWithTheClient) {
  static std::atomic<int> freed{0};
  freed = 0;
  cfg.o.log_cb = [](const ik_log_record *, void *) {};
  cfg.o.log_user_data = &freed;
  cfg.o.log_user_data_free = [](void *) { ++freed; };
  {
    auto c = cfg.make();
    EXPECT_EQ(freed.load(), 0);
  }
  EXPECT_EQ(freed.load(), 1);
}

// ---------------------------------------------------------------------------
// Environment switches: log to stderr when no callback is given
// ---------------------------------------------------------------------------
struct EnvCase {
  const char *var;
  const char *value;
  const char *op;
};

std::string stderr_of_call(MockServer &server, const EnvCase &ec, uint32_t extra_flags, bool with_cb,
                           size_t *cb_lines = nullptr) {
  EnvGuard env;
  for (const char *v : {"INVITEKIT_LOG", "OPENAI_LOG", "TWILIO_LOG_LEVEL", "FASTLY_DEBUG_MODE"}) env.unset(v);
  env.set(ec.var, ec.value);
  Cfg cfg(server.base_url());
  cfg.o.flags = IK_CLIENT_NO_PROXY_ENV | extra_flags;
  LogSink sink;
  if (with_cb) sink.attach(cfg.o, IK_LOG_DEBUG);
  const Op &o = op(ec.op);
  server.enqueue(o.success());
  StderrCapture cap;
  {
    auto c = cfg.make();
    Outcome out;
    o.run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_OK) << out.err.what();
  }
  if (cb_lines) *cb_lines = sink.snapshot().size();
  return cap.finish();
}

TEST(LoggingEnv, VendorSwitchesLogToStderr) {
  MockServer server;
  const EnvCase cases[] = {
      {"INVITEKIT_LOG", "debug", "openai_retrieve"},
      {"OPENAI_LOG", "debug", "openai_retrieve"},
      {"TWILIO_LOG_LEVEL", "debug", "twilio_user_fetch"},
      {"FASTLY_DEBUG_MODE", "true", "fastly_list"},
  };
  for (const auto &ec : cases) {
    SCOPED_TRACE(std::string(ec.var) + "=" + ec.value);
    const std::string err = stderr_of_call(server, ec, 0, false);
    EXPECT_NE(err.find("invitekit: debug: "), std::string::npos) << "stderr was: [" << err << "]";
    EXPECT_NE(err.find(std::string("provider=") + ik_provider_name(op(ec.op).provider)), std::string::npos) << err;
    EXPECT_NE(err.find(std::string("op=") + op(ec.op).operation), std::string::npos) << err;
    // IK_CLIENT_IGNORE_ENV: silent.
    const std::string quiet = stderr_of_call(server, ec, IK_CLIENT_IGNORE_ENV, false);
    EXPECT_EQ(quiet, "") << "IK_CLIENT_IGNORE_ENV must suppress " << ec.var;
    // A log callback takes precedence: nothing on stderr.
    size_t n = 0;
    const std::string cb = stderr_of_call(server, ec, 0, true, &n);
    EXPECT_EQ(cb, "");
    EXPECT_GT(n, 0u);
  }
}

TEST(LoggingEnv, SilentByDefault) {
  MockServer server;
  EnvGuard env;
  for (const char *v : {"INVITEKIT_LOG", "OPENAI_LOG", "TWILIO_LOG_LEVEL", "FASTLY_DEBUG_MODE"}) env.unset(v);
  Cfg cfg(server.base_url());
  cfg.o.flags = IK_CLIENT_NO_PROXY_ENV;
  cfg.o.max_retries = 1;
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503));
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503));
  StderrCapture cap;
  {
    auto c = cfg.make();
    Outcome out;
    op("openai_retrieve").run(c.get(), nullptr, out);
    EXPECT_EQ(out.status, IK_STATUS_SERVER_ERROR);
  }
  EXPECT_EQ(cap.finish(), "") << "the library prints nothing unless asked to";
}

TEST(LoggingEnv, OffValuesStaySilent) {
  MockServer server;
  for (const EnvCase &ec :
       {EnvCase{"FASTLY_DEBUG_MODE", "false", "fastly_list"}, EnvCase{"INVITEKIT_LOG", "off", "openai_retrieve"}}) {
    SCOPED_TRACE(std::string(ec.var) + "=" + ec.value);
    EXPECT_EQ(stderr_of_call(server, ec, 0, false), "");
  }
}

// ---------------------------------------------------------------------------
// Redaction: no secret in any log line, error message, error field or header
// ---------------------------------------------------------------------------
std::string b64(const std::string &in) {
  static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += "=";
  }
  return out;
}

const char *const kOpenAIKey = "sk-admin-SECRET-o1";
const char *const kTwilioToken = "SECRET-tw-2";
const char *const kTwilioApiKey = "SK0123456789abcdef0123456789abcdef";
const char *const kTwilioApiSecret = "SECRET-tw-api-5";
const char *const kFastlyToken = "SECRET-fy-3";
const char *const kQuerySecret = "SECRET-q-4";

std::vector<std::string> secrets() {
  return {kOpenAIKey,
          kTwilioToken,
          kTwilioApiSecret,
          kFastlyToken,
          kQuerySecret,
          "SECRET",
          b64(std::string(kTwilioSid) + ":" + kTwilioToken),
          b64(std::string(kTwilioApiKey) + ":" + kTwilioApiSecret)};
}

// Everything a user could print: collected from results and errors.
struct Evidence {
  std::vector<std::string> texts;  // "where: text"
  void add(const std::string &where, const char *s) {
    if (s) texts.push_back(where + ": " + s);
  }
  void add_error(const std::string &where, const ik_error *e) {
    if (!e) return;
    add(where + " message", ik_error_message(e));
    add(where + " provider_message", ik_error_provider_message(e));
    add(where + " provider_code", ik_error_provider_code(e));
    add(where + " operation", ik_error_operation(e));
    add(where + " request_id", ik_error_request_id(e));
    for (const char *f : {"url", "content_type", "more_info", "details", "type", "title", "detail", "instance", "msg",
                          "errors", "param", "code", "id", "status", "meta"})
      add(where + " field " + f, ik_error_field(e, f));
    // Response headers are data as received (a Location the server sent is not
    // the library's to rewrite); the names a client could confuse with its own
    // credentials are checked.
    for (const char *h :
         {"WWW-Authenticate", "Authorization", "Fastly-Key", "x-request-id", "Twilio-Request-Id", "Content-Type"})
      add(where + " header " + h, ik_error_header(e, h));
  }
  void add_response(const std::string &where, const ik_response *r) {
    if (!r) return;
    add(where + " request_id", ik_response_request_id(r));
    for (size_t i = 0; i < ik_response_header_count(r); ++i) {
      const char *n = nullptr, *v = nullptr;
      if (ik_response_header_at(r, i, &n, &v)) add(where + " header " + str(n), v);
    }
  }
};

// Runs one operation, recording its error or response.
void record(Evidence &ev, const std::string &where, const Op &o, const ik_client *c, const ik_call_options *co,
            ik_status want) {
  Outcome out;
  o.run(c, co, out);
  EXPECT_EQ(out.status, want) << where << ": " << out.err.what();
  ev.add_error(where, out.err.get());
  ev.add_response(where, out.resp);
}

// Drains a pager page by page, recording every page and error.
void drain(Evidence &ev, const std::string &where, ik_pager *p, int max_pages = 20) {
  for (int i = 0; i < max_pages; ++i) {
    ik_page *pg = nullptr;
    Err err;
    const ik_status st = ik_pager_next_page(p, nullptr, &pg, err.out());
    ev.add_error(where + " page " + std::to_string(i), err.get());
    if (st != IK_STATUS_OK || !pg) break;
    ev.add_response(where + " page " + std::to_string(i), ik_page_response(pg));
    ik_page_free(pg);
  }
}

// Iterates a whole list served by `m`, recording every page and error.
void drain_list(Evidence &ev, const std::string &where, MockServer &server, const ik_client *c, const PagedList &m) {
  server.set_handler([m](const RecordedRequest &r) { return m(r); });
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 10;
  ik_pager *p = nullptr;
  Err err;
  ASSERT_EQ(Api{m.kind}.pager(c, &lo, &p, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr pp(p);
  drain(ev, where, p);
  server.set_handler(nullptr);
}

// The whole scenario: every provider, successes, errors, retries, redirects,
// pagination with a secret in the next-page URL.
void run_scenario(MockServer &server, MockServer &elsewhere, ik_log_cb cb, void *ud, Evidence &ev) {
  const std::string base = server.base_url();
  auto make = [&](bool api_key) {
    Cfg cfg(base);
    cfg.o.openai_admin_key = kOpenAIKey;
    cfg.o.twilio_auth_token = kTwilioToken;
    if (api_key) {
      cfg.o.twilio_api_key = kTwilioApiKey;
      cfg.o.twilio_api_secret = kTwilioApiSecret;
    }
    cfg.o.fastly_api_token = kFastlyToken;
    if (cb) {
      cfg.o.log_cb = cb;
      cfg.o.log_user_data = ud;
      cfg.o.log_level = IK_LOG_TRACE;
    } else {
      cfg.o.flags = IK_CLIENT_NO_PROXY_ENV;  // logging from INVITEKIT_LOG
    }
    return cfg.make();
  };
  auto c = make(false);
  auto ck = make(true);
  ik_call_options once = IK_CALL_OPTIONS_INIT;
  once.max_retries = -1;
  const std::string q = std::string("Token=") + kQuerySecret;

  // OpenAI: retry, create, 401, same-origin redirect, cross-origin redirect, 500.
  const Op &oget = op("openai_retrieve");
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 503, {{"Retry-After", "0"}}));
  server.enqueue(oget.success());
  record(ev, "openai retry", oget, c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(op("openai_create").success());
  record(ev, "openai create", op("openai_create"), c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(Reply::json(401, openai_error_json("Incorrect API key provided: sk-admi*****t-o1.",
                                                    "invalid_request_error", nullptr, "invalid_api_key")));
  record(ev, "openai 401", oget, c.get(), nullptr, IK_STATUS_AUTHENTICATION);
  server.enqueue(Reply::redirect(base + "/v1/organization/invites/inv_1?moved=1&" + q, 307));
  server.enqueue(oget.success());
  record(ev, "openai same-origin redirect", oget, c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(Reply::redirect(elsewhere.base_url() + "/steal?" + q, 302));
  record(ev, "openai cross-origin redirect", oget, c.get(), nullptr, IK_STATUS_HTTP_OTHER);
  server.enqueue(error_reply(IK_PROVIDER_OPENAI, 500));
  record(ev, "openai delete 500", op("openai_delete"), c.get(), &once, IK_STATUS_SERVER_ERROR);
  {
    PagedList m{Kind::OpenAI, 25, base};
    drain_list(ev, "openai pager", server, c.get(), m);
  }

  // Twilio: pagination whose next_page_url carries a secret, then one that
  // leaves the host; user create/update/fetch with retries and errors.
  {
    PagedList m{Kind::TwilioInvites, 25, base};
    m.extra_next_query = "&" + q;
    drain_list(ev, "twilio pager", server, c.get(), m);
  }
  {
    PagedList m{Kind::TwilioUsers, 25, elsewhere.base_url()};  // next_page_url on another host
    m.extra_next_query = "&" + q;
    drain_list(ev, "twilio pager to another host", server, c.get(), m);
  }
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 429, {{"Retry-After", "0"}}));
  server.enqueue(op("twilio_user_create").success());
  record(ev, "twilio user create", op("twilio_user_create"), c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 500));
  server.enqueue(op("twilio_user_update").success());
  record(ev, "twilio user update", op("twilio_user_update"), c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 404));
  record(ev, "twilio user fetch 404", op("twilio_user_fetch"), c.get(), nullptr, IK_STATUS_NOT_FOUND);
  server.enqueue(Reply::redirect(elsewhere.base_url() + "/v2/x?" + q, 307));
  record(ev, "twilio cross-origin redirect", op("twilio_user_fetch"), c.get(), nullptr, IK_STATUS_HTTP_OTHER);
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 401));
  record(ev, "twilio api key 401", op("twilio_user_fetch"), ck.get(), nullptr, IK_STATUS_AUTHENTICATION);
  server.enqueue(error_reply(IK_PROVIDER_TWILIO, 503));
  server.enqueue(op("twilio_invite_create").success());
  record(ev, "twilio api key invite create", op("twilio_invite_create"), ck.get(), nullptr, IK_STATUS_OK);

  // Fastly: rate-limited create retried, list pages, delete failure, redirect.
  const std::string reset = std::to_string(static_cast<long long>(std::time(nullptr)));
  server.enqueue(error_reply(IK_PROVIDER_FASTLY, 429, {{"Fastly-RateLimit-Reset", reset}}));
  server.enqueue(op("fastly_create").success());
  record(ev, "fastly create", op("fastly_create"), c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(error_reply(IK_PROVIDER_FASTLY, 500));
  record(ev, "fastly delete 500", op("fastly_delete"), c.get(), &once, IK_STATUS_SERVER_ERROR);
  server.enqueue(Reply::redirect(base + "/invitations?moved=1&" + q, 308));
  server.enqueue(op("fastly_list").success());
  record(ev, "fastly same-origin redirect", op("fastly_list"), c.get(), nullptr, IK_STATUS_OK);
  server.enqueue(Reply::redirect(elsewhere.base_url() + "/x?" + q, 302));
  record(ev, "fastly cross-origin redirect", op("fastly_delete"), c.get(), nullptr, IK_STATUS_HTTP_OTHER);
  {
    PagedList m{Kind::Fastly, 25, base};
    drain_list(ev, "fastly pager", server, c.get(), m);
  }
}

// Prints each leak once, with where it was found.
void expect_no_secret(const std::vector<std::string> &texts, const std::string &what) {
  for (const auto &s : secrets()) {
    int shown = 0;
    for (const auto &t : texts) {
      if (t.find(s) != std::string::npos && shown++ < 3) {
        ADD_FAILURE() << what << " leaks \"" << s << "\" in: " << t.substr(0, 600);
      }
    }
  }
}

TEST(Redaction, NoSecretInLogsErrorsOrResultsViaCallback) {
  MockServer server;
  MockServer elsewhere;
  LogSink sink;
  Evidence ev;
  run_scenario(server, elsewhere, &LogSink::cb, &sink, ev);

  // The secrets were really used on the wire (the test is meaningful).
  bool bearer = false, basic = false, basic_key = false, fastly = false, query = false;
  for (const auto &r : server.requests()) {
    bearer = bearer || r.header("Authorization") == std::string("Bearer ") + kOpenAIKey;
    basic = basic || r.header("Authorization") == "Basic " + b64(std::string(kTwilioSid) + ":" + kTwilioToken);
    basic_key =
        basic_key || r.header("Authorization") == "Basic " + b64(std::string(kTwilioApiKey) + ":" + kTwilioApiSecret);
    fastly = fastly || r.header("Fastly-Key") == kFastlyToken;
    query = query || r.query.find(kQuerySecret) != std::string::npos;
  }
  EXPECT_TRUE(bearer && basic && basic_key && fastly && query);
  EXPECT_EQ(elsewhere.request_count(), 0u) << "nothing may be sent to another host";

  auto lines = sink.snapshot();
  ASSERT_GT(lines.size(), 30u);
  std::vector<std::string> texts;
  bool trace_headers = false, fastly_key_line = false;
  std::set<int32_t> levels;
  for (const auto &l : lines) {
    levels.insert(l.level);
    texts.push_back("log[" + std::string(ik_log_level_name(l.level)) + "] message: " + l.message);
    texts.push_back("log url: " + l.url);
    texts.push_back("log request_id: " + l.request_id);
    texts.push_back("log operation: " + l.operation);
    if (l.message.find("Authorization: [REDACTED]") != std::string::npos) trace_headers = true;
    if (l.message.find("Fastly-Key: [REDACTED]") != std::string::npos) fastly_key_line = true;
  }
  EXPECT_TRUE(trace_headers) << "TRACE shows request headers with the credential redacted";
  EXPECT_TRUE(fastly_key_line);
  EXPECT_TRUE(levels.count(IK_LOG_TRACE) && levels.count(IK_LOG_DEBUG) && levels.count(IK_LOG_INFO) &&
              levels.count(IK_LOG_WARN));
  ASSERT_GT(ev.texts.size(), 50u);
  expect_no_secret(texts, "a log record");
  expect_no_secret(ev.texts, "a result or error");
}

TEST(Redaction, NoSecretOnStderrWithTraceFromTheEnvironment) {
  MockServer server;
  MockServer elsewhere;
  EnvGuard env;
  for (const char *v : {"INVITEKIT_LOG", "OPENAI_LOG", "TWILIO_LOG_LEVEL", "FASTLY_DEBUG_MODE"}) env.unset(v);
  env.set("INVITEKIT_LOG", "trace");
  Evidence ev;
  StderrCapture cap;
  run_scenario(server, elsewhere, nullptr, nullptr, ev);
  const std::string err = cap.finish();
  EXPECT_NE(err.find("invitekit: trace: "), std::string::npos);
  EXPECT_NE(err.find("[REDACTED]"), std::string::npos);
  std::vector<std::string> texts;
  size_t start = 0;
  while (start < err.size()) {
    size_t nl = err.find('\n', start);
    if (nl == std::string::npos) nl = err.size();
    texts.push_back("stderr: " + err.substr(start, nl - start));
    start = nl + 1;
  }
  expect_no_secret(texts, "stderr");
  expect_no_secret(ev.texts, "a result or error");
}

// ---------------------------------------------------------------------------
// Rate-limit headers and request ids on every result and error
// ---------------------------------------------------------------------------
class Meta : public ::testing::Test {
 protected:
  MockServer server;
  Cfg cfg{server.base_url()};
};

void expect_meta_on_response(const ik_response *r, int32_t provider, const std::string &rid) {
  ASSERT_TRUE(r);
  EXPECT_EQ(ik_response_provider(r), provider);
  EXPECT_EQ(str(ik_response_request_id(r)), rid);
  int64_t v = -1;
  switch (provider) {
    case IK_PROVIDER_OPENAI:
      EXPECT_EQ(str(ik_response_header(r, "x-ratelimit-remaining-requests")), "42");
      EXPECT_EQ(str(ik_response_header(r, "X-RateLimit-Limit-Requests")), "100");
      EXPECT_EQ(str(ik_response_header(r, "x-ratelimit-reset-requests")), "6s");
      EXPECT_EQ(ik_response_ratelimit_remaining(r, &v), 1);
      EXPECT_EQ(v, 42);
      break;
    case IK_PROVIDER_TWILIO: EXPECT_EQ(str(ik_response_header(r, "twilio-request-id")), rid); break;
    default:
      EXPECT_EQ(str(ik_response_header(r, "fastly-ratelimit-remaining")), "41");
      EXPECT_EQ(ik_response_ratelimit_remaining(r, &v), 1);
      EXPECT_EQ(v, 41);
      EXPECT_EQ(ik_response_ratelimit_reset_unix(r, &v), 1);
      EXPECT_EQ(v, 1700000000);
      break;
  }
}

TEST_F(Meta, OnEverySuccessfulResult) {
  auto c = cfg.make();
  for (const auto &o : all_ops()) {
    SCOPED_TRACE(o.name);
    const std::string rid = std::string("rid-") + o.name;
    server.enqueue(with_meta(o.success(), o.provider, rid));
    Outcome out;
    o.run(c.get(), nullptr, out);
    ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    expect_meta_on_response(out.resp, o.provider, rid);
  }
}

TEST_F(Meta, AfterARetryTheFinalAttemptCounts) {
  auto c = cfg.make();
  for (const Op *o : ops_with({Verb::Get, Verb::Delete})) {
    SCOPED_TRACE(o->name);
    server.enqueue(with_meta(error_reply(o->provider, 503), o->provider, "rid-first"));
    server.enqueue(with_meta(o->success(), o->provider, "rid-final"));
    Outcome out;
    o->run(c.get(), nullptr, out);
    ASSERT_EQ(out.status, IK_STATUS_OK) << out.err.what();
    EXPECT_EQ(out.attempts, 2);
    expect_meta_on_response(out.resp, o->provider, "rid-final");
  }
}

TEST_F(Meta, OnEveryError) {
  cfg.o.max_retries = -1;
  auto c = cfg.make();
  for (const auto &o : all_ops()) {
    for (int status : {404, 429, 500}) {
      SCOPED_TRACE(std::string(o.name) + " HTTP " + std::to_string(status));
      const std::string rid = "rid-err-" + std::to_string(status);
      server.enqueue(with_meta(error_reply(o.provider, status), o.provider, rid));
      Outcome out;
      o.run(c.get(), nullptr, out);
      ASSERT_NE(out.status, IK_STATUS_OK);
      const ik_error *e = out.err.get();
      EXPECT_EQ(str(ik_error_request_id(e)), rid);
      EXPECT_EQ(ik_error_http_status(e), status);
      switch (o.provider) {
        case IK_PROVIDER_OPENAI: EXPECT_EQ(str(ik_error_header(e, "X-RateLimit-Remaining-Requests")), "42"); break;
        case IK_PROVIDER_TWILIO: EXPECT_EQ(str(ik_error_header(e, "Twilio-Request-Id")), rid); break;
        default:
          EXPECT_EQ(str(ik_error_header(e, "Fastly-RateLimit-Remaining")), "41");
          EXPECT_EQ(str(ik_error_header(e, "fastly-ratelimit-reset")), "1700000000");
          break;
      }
    }
  }
}

TEST_F(Meta, OnPagesAndTheirItems) {
  auto c = cfg.make();
  for (Kind k : {Kind::OpenAI, Kind::TwilioInvites, Kind::TwilioUsers, Kind::Fastly}) {
    SCOPED_TRACE(kind_name(k));
    const int32_t provider = k == Kind::OpenAI   ? IK_PROVIDER_OPENAI
                             : k == Kind::Fastly ? IK_PROVIDER_FASTLY
                                                 : IK_PROVIDER_TWILIO;
    PagedList m{k, 25, server.base_url()};
    auto n = std::make_shared<std::atomic<int>>(0);
    server.set_handler([m, n, provider](const RecordedRequest &r) {
      return with_meta(m(r), provider, "rid-page-" + std::to_string(n->fetch_add(1) + 1));
    });
    Api api{k};
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 10;
    ik_pager *p = nullptr;
    Err err;
    ASSERT_EQ(api.pager(c.get(), &lo, &p, err.out()), IK_STATUS_OK);
    PagerPtr pp(p);
    for (int i = 1; i <= 3; ++i) {
      ik_page *pg = nullptr;
      ASSERT_EQ(ik_pager_next_page(p, nullptr, &pg, err.out()), IK_STATUS_OK) << err.what();
      ASSERT_TRUE(pg);
      PagePtr page(pg);
      const std::string rid = "rid-page-" + std::to_string(i);
      expect_meta_on_response(ik_page_response(pg), provider, rid);  // each page its own, not the first page's
      const ik_response *ir = nullptr;
      switch (k) {
        case Kind::OpenAI: ir = ik_openai_invite_response(ik_page_openai_invite_at(pg, 0)); break;
        case Kind::TwilioInvites: ir = ik_twilio_invite_response(ik_page_twilio_invite_at(pg, 0)); break;
        case Kind::TwilioUsers: ir = ik_twilio_user_response(ik_page_twilio_user_at(pg, 0)); break;
        case Kind::Fastly: ir = ik_fastly_invitation_response(ik_page_fastly_invitation_at(pg, 0)); break;
      }
      EXPECT_EQ(str(ik_response_request_id(ir)), rid);
    }
    server.set_handler(nullptr);
    server.clear();
  }
}

}  // namespace
