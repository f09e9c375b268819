// "Adding a provider" (docs/DESIGN.md §3.5), followed for a small fake one.
// This executable links its own provider registry instead of
// src/providers/registry.cpp (the static archive's registry member is not
// pulled in because provider_traits is defined here): the real providers in
// slots 1 and 2, and "acme" in slot 3. Acme's descriptor differs from every
// real provider's (its own credential variable and hint, auth header,
// request-id header, rate-limit reset header, error body and pagination
// names), and core serves it unchanged: requests, retries, errors, pagination
// and the non-blocking engine. Nothing in src/core names a provider.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

#include "capi/async.hpp"
#include "core/call.hpp"
#include "core/pager.hpp"
#include "mock_server.hpp"
#include "providers/provider.hpp"

using namespace ik::detail;
using iktest::MockServer;
using iktest::Reply;

namespace acme {

constexpr int32_t kId = 3;  // the slot acme takes in this test's registry

const Endpoint kGet = {kId,     "widgets.get", Method::Get, "/widgets/{}", "application/json",
                       nullptr, IK_KIND_NONE,  false};
const Endpoint kCreate = {
    kId, "widgets.create", Method::Post, "/widgets", "application/json", "application/json", IK_KIND_NONE, true};
// The provider's own list item type and page metadata (as providers/*.hpp
// declare theirs): a kind number of its own, the id ik_page_item_id returns.
struct Widget : ItemBase {
  static constexpr int32_t kKind = 100;
  Field id, name;
  const Field &id_field() const { return id; }
};
struct WidgetPageMeta : PageMeta {
  OptStr last;
};

const Endpoint kList = {kId,     "widgets.list", Method::Get, "/widgets", "application/json",
                        nullptr, Widget::kKind,  false};

// Results reuse ik_deletion (id and object strings) as a plain holder.
void map_widget(JsonObject o, ik_deletion &d, TextArena &) {
  d.id = get_str(o, "id");
  d.object = get_str(o, "kind");
}
Prepared<ik_deletion> get(const char *id) {
  check_text(id, "id", true);
  return object_call<ik_deletion>(make_request(kGet, {id}), map_widget);
}
Prepared<ik_deletion> create(const char *name) {
  Request req = make_request(kCreate);
  req.body = std::string("{\"name\":\"") + name + "\"}";
  return object_call<ik_deletion>(std::move(req), map_widget);
}

// Pages: {"widgets": [...], "more": bool, "last": "id"}: the provider's own
// item type and page metadata, read back through the same pager and page.
void map_widget_item(JsonObject w, Widget &item, TextArena &text) {
  item.id = get_field(w, "id", text);
  item.name = get_field(w, "name", text);
}
void parse_list(ik_page &page, const JsonDoc &root) {
  JsonObject o = as_object(root, "list response");
  map_page_items<Widget>(page, root, "widgets", map_widget_item);
  meta_for<WidgetPageMeta>(page).last = get_str(o, "last");
  page.has_next = get_bool(o, "more") == IK_OPTBOOL_TRUE;
  const OptStr &last = meta_of<WidgetPageMeta>(&page)->last;
  if (page.has_next && last.set) page.next_raw = last.s;
}
ListSpec list_spec() { return make_list_spec(kList, Scheme::AfterId, 50, kList.path, parse_list); }

void parse_error(ErrorInfo &info, std::string_view, const std::string &body) {
  with_json_object(body, [&](JsonObject o) {
    OptStr why = get_text(o, "oops");
    if (why.set) {
      info.has_provider_message = true;
      info.provider_message = why.s;
    }
  });
}

void resolve(const ik_client_options &, bool no_env, ProviderConfig &p) {
  auto token = pick(nullptr, "acme token", no_env, {"ACME_TOKEN"});
  auto base = pick(nullptr, "acme base URL", no_env, {"ACME_BASE_URL"});
  if (token) {
    p.auth_header = "Authorization: Token " + *token;
    p.has_credentials = true;
  }
  p.base_url = normalise_base_url(base ? *base : std::string("https://api.acme.invalid"), "ACME_BASE_URL");
}

const char *const kRequestIds[] = {"acme-request-id", nullptr};
const ProviderTraits kTraits = {kId,   "acme",  resolve,      " (set ACME_TOKEN)", parse_error,
                                false, nullptr, "acme-reset", kRequestIds,         {"per", "from", false}};

}  // namespace acme

// This test's registry: the recipe's "one registration line" is the acme one.
const ProviderTraits &ik::detail::provider_traits(int32_t provider) {
  static const char *const kNone[] = {nullptr};
  static const ProviderTraits kNoProvider = {IK_PROVIDER_NONE,
                                             "invitekit",
                                             nullptr,
                                             "",
                                             [](ErrorInfo &, std::string_view, const std::string &) {},
                                             false,
                                             nullptr,
                                             nullptr,
                                             kNone,
                                             {nullptr, nullptr, false}};
  static const ProviderTraits *const kRegistry[] = {&kNoProvider, &kTwilioTraits, &kOpenAITraits, &acme::kTraits};
  return provider < 0 || provider > 3 ? kNoProvider : *kRegistry[provider];
}

namespace {

struct Client {
  ik_client *c = nullptr;
  explicit Client(const std::string &base, const char *token = "t0ken") {
    if (token)
      setenv("ACME_TOKEN", token, 1);
    else
      unsetenv("ACME_TOKEN");
    setenv("ACME_BASE_URL", base.c_str(), 1);
    ik_client_options o = IK_CLIENT_OPTIONS_INIT;
    o.retry_base_delay_ms = 10;
    o.jitter = IK_JITTER_NONE;
    ik_error *err = nullptr;
    EXPECT_EQ(ik_client_new(&o, &c, &err), IK_STATUS_OK) << (err ? ik_error_message(err) : "");
    ik_error_free(err);
    unsetenv("ACME_TOKEN");
    unsetenv("ACME_BASE_URL");
  }
  ~Client() { ik_client_free(c); }
  CallSettings cs() const { return resolve_call(c->cfg, nullptr); }
};

}  // namespace

TEST(FakeProvider, RequestsCarryItsAuthPathEncodingAndRequestId) {
  MockServer server;
  server.enqueue(Reply::json(200, R"({"id":"w/1","kind":"widget"})", {{"Acme-Request-Id", "AR-1"}}));
  Client client(server.base_url());
  ASSERT_NE(client.c, nullptr);
  EXPECT_EQ(std::string(ik_client_base_url(client.c, acme::kId)), server.base_url());
  auto w = run(*client.c, acme::get("w/1"), client.cs());
  ASSERT_TRUE(w);
  EXPECT_EQ(w->id.s, "w/1");
  EXPECT_EQ(w->object.s, "widget");
  EXPECT_STREQ(ik_response_request_id(w->resp.get()), "AR-1");
  const auto req = server.last_request();
  EXPECT_EQ(req.target, "/widgets/w%2F1");
  EXPECT_EQ(req.header("Authorization"), "Token t0ken");
  EXPECT_EQ(req.header("Accept"), "application/json");
}

TEST(FakeProvider, ErrorsUseItsParserItsHintAndItsRateLimitHeader) {
  MockServer server;
  const std::string now = std::to_string(std::time(nullptr));
  server.enqueue(Reply::json(429, R"({"oops":"slow down"})", {{"Acme-Reset", now}}));  // wait 0, then retry
  server.enqueue(Reply::json(404, R"({"oops":"no such widget"})", {{"Acme-Request-Id", "AR-404"}}));
  Client client(server.base_url());
  try {
    run(*client.c, acme::get("nope"), client.cs());
    FAIL() << "expected an error";
  } catch (Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_NOT_FOUND);
    EXPECT_EQ(e.info().provider_message, "no such widget");
    EXPECT_EQ(e.info().request_id, "AR-404");
    EXPECT_EQ(e.info().attempts, 2);
    EXPECT_NE(e.info().message.find("acme widgets.get: HTTP 404"), std::string::npos) << e.info().message;
  }
  EXPECT_EQ(server.request_count(), 2u);

  Client anonymous(server.base_url(), nullptr);
  try {
    run(*anonymous.c, acme::get("x"), anonymous.cs());
    FAIL() << "expected an error";
  } catch (Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_NO_CREDENTIALS);
    EXPECT_NE(e.info().message.find("no credentials configured for acme (set ACME_TOKEN)"), std::string::npos)
        << e.info().message;
  }
}

TEST(FakeProvider, ACreateIsNotRepeatedWhenItsOutcomeIsUnknown) {
  MockServer server;
  server.enqueue(Reply::json(502, R"({"oops":"gateway"})"));
  Client client(server.base_url());
  try {
    run(*client.c, acme::create("gizmo"), client.cs());
    FAIL() << "expected an error";
  } catch (Error &e) {
    EXPECT_TRUE(e.info().ambiguous);
  }
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.last_request().body, R"({"name":"gizmo"})");
}

TEST(FakeProvider, PaginationUsesItsParameterNames) {
  MockServer server;
  server.enqueue(Reply::json(200, R"({"widgets":[{"id":"a"},{"id":"b"}],"more":true,"last":"b"})"));
  server.enqueue(Reply::json(200, R"({"widgets":[{"id":"c"}],"more":false})"));
  Client client(server.base_url());
  ik_pager pager;
  pager.client = client.c->retain();
  pager.spec = acme::list_spec();
  pager.spec.page_size = 2;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto page = pager.next_page(client.cs());
    if (!page) break;
    for (const auto &w : items_of<acme::Widget>(*page)) ids.emplace_back(w.id.v);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].target, "/widgets?per=2");
  EXPECT_EQ(reqs[1].target, "/widgets?per=2&from=b");
}

TEST(FakeProvider, ItsPagesAndItemsWorkThroughTheKindGenericCApi) {
  MockServer server;
  server.enqueue(
      Reply::json(200, R"({"widgets":[{"id":"a","name":"x"},{"id":"b"},{"id":"c"}],"more":true,"last":"c"})"));
  server.enqueue(Reply::json(200, R"({"widgets":[{"id":"d"}],"more":false})"));
  Client client(server.base_url());
  auto pager = std::make_unique<ik_pager>();
  pager->client = client.c->retain();
  pager->spec = acme::list_spec();
  pager->max_items = 3;
  ik_page *page = pager->next_page(client.cs()).release();
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(ik_page_kind(page), acme::Widget::kKind);
  ASSERT_EQ(ik_page_count(page), 3u);
  EXPECT_STREQ(ik_page_item_id(page, 0), "a");
  EXPECT_STREQ(ik_page_item_id(page, 2), "c");
  EXPECT_EQ(ik_page_item_id(page, 3), nullptr);
  const uint8_t *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(ik_page_item_raw_json(page, 0, &data, &len), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), R"({"id":"a","name":"x"})");
  EXPECT_EQ(meta_of<acme::WidgetPageMeta>(page)->last.s, "c");
  // Another provider's accessors see nothing of it.
  EXPECT_EQ(ik_page_openai_invite_at(page, 0), nullptr);
  EXPECT_EQ(ik_page_openai_first_id(page), nullptr);
  EXPECT_EQ(ik_page_twilio_key(page), nullptr);
  int64_t n = 0;
  EXPECT_EQ(ik_page_fastly_total_pages(page, &n), 0);
  ik_page_free(page);
  // Item by item: the max_items stop came at the end of the first page.
  EXPECT_EQ(pager->next_item<acme::Widget>(client.cs()), nullptr);
  EXPECT_TRUE(pager->done);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(FakeProvider, TheNonBlockingEngineServesItToo) {
  MockServer server;
  server.enqueue(Reply::json(200, R"({"id":"w9","kind":"widget"})"));
  Client client(server.base_url());
  ik_op *op = nullptr;
  start_op(
      *client.c, acme::get("w9"), client.cs(), [](ik_op *, void *) {}, nullptr, &op);
  ASSERT_NE(op, nullptr);
  ik_error *err = nullptr;
  ASSERT_EQ(ik_op_wait(op, 10000, &err), IK_STATUS_OK);
  EXPECT_EQ(ik_op_status(op), IK_STATUS_OK);
  EXPECT_EQ(ik_op_provider(op), acme::kId);
  EXPECT_STREQ(ik_op_operation(op), "widgets.get");
  ik_deletion *w = nullptr;
  ASSERT_EQ(ik_op_take_deletion(op, &w, nullptr), IK_STATUS_OK);
  ASSERT_NE(w, nullptr);
  EXPECT_STREQ(ik_deletion_id(w), "w9");
  ik_deletion_free(w);
  ik_op_free(op);
}
