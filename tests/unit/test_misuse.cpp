// Misuse of the C ABI: NULL handles, NULL outputs, NULL or invalid inputs, bad
// UTF-8, wrong struct versions. Every case must give an error status with a
// message (never a crash) and send nothing (common.h conventions, DESIGN.md §3).
#include "mock_fixture.hpp"

using namespace iktest;

namespace {

template <class T>
T *sentinel() {
  return reinterpret_cast<T *>(static_cast<uintptr_t>(0x10));
}

// Runs `call` twice: once with an error slot (must fail with `want`, and the
// error must carry the same status and a message) and once with out_err NULL
// (must fail the same way, without crashing).
void expect_fails(const char *what, ik_status want, const std::function<ik_status(ik_error **)> &call) {
  SCOPED_TRACE(what);
  ik_error *err = nullptr;
  const ik_status st = call(&err);
  EXPECT_EQ(st, want) << what << ": got " << str(ik_status_name(st)) << " " << describe(err);
  if (st != IK_STATUS_OK) {
    EXPECT_NE(err, nullptr) << what << ": no error object";
    if (err) {
      EXPECT_EQ(ik_error_status(err), st);
      EXPECT_FALSE(str(ik_error_message(err)).empty()) << what << ": empty message";
    }
  } else {
    EXPECT_EQ(err, nullptr) << what << ": error object on success";
  }
  ik_error_free(err);
  EXPECT_EQ(call(nullptr), want) << what << " (out_err NULL)";
}

const ik_status INV = IK_STATUS_INVALID_ARGUMENT;
const ik_status UTF = IK_STATUS_INVALID_UTF8;

const char *kBadUtf8[] = {
    "\xff\xfe",          // never valid bytes
    "abc\xc3",           // truncated sequence
    "\xc0\xaf",          // overlong '/'
    "\xed\xa0\x80",      // UTF-16 surrogate
    "\xf4\x90\x80\x80",  // beyond U+10FFFF
    "a\x80z",            // lone continuation byte
};

}  // namespace

class Misuse : public MockFixture {};

TEST_F(Misuse, OpenAIOperationsWithNullArguments) {
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p.email = "a@b.c";
  p.role = "reader";
  ik_openai_invite *inv = nullptr;
  ik_page *page = nullptr;
  ik_pager *pager = nullptr;
  ik_deletion *del = nullptr;

  expect_fails("create NULL client", INV, [&](ik_error **e) {
    inv = sentinel<ik_openai_invite>();
    const ik_status st = ik_openai_invite_create(nullptr, &p, nullptr, &inv, e);
    EXPECT_EQ(inv, nullptr) << "out not cleared";
    return st;
  });
  expect_fails("create NULL params", INV, [&](ik_error **e) {
    inv = sentinel<ik_openai_invite>();
    const ik_status st = ik_openai_invite_create(client.get(), nullptr, nullptr, &inv, e);
    EXPECT_EQ(inv, nullptr);
    return st;
  });
  expect_fails("create NULL out", INV,
               [&](ik_error **e) { return ik_openai_invite_create(client.get(), &p, nullptr, nullptr, e); });
  expect_fails("create NULL email", INV, [&](ik_error **e) {
    auto q = p;
    q.email = nullptr;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create NULL role", INV, [&](ik_error **e) {
    auto q = p;
    q.role = nullptr;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create projects_count>0 with NULL projects", INV, [&](ik_error **e) {
    auto q = p;
    q.send_projects = IK_OPTBOOL_TRUE;
    q.projects = nullptr;
    q.projects_count = 2;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create project with NULL id", INV, [&](ik_error **e) {
    ik_openai_project_ref refs[1] = {{nullptr, "member"}};
    auto q = p;
    q.send_projects = IK_OPTBOOL_TRUE;
    q.projects = refs;
    q.projects_count = 1;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create project with NULL role", INV, [&](ik_error **e) {
    ik_openai_project_ref refs[1] = {{"proj_1", nullptr}};
    auto q = p;
    q.send_projects = IK_OPTBOOL_TRUE;
    q.projects = refs;
    q.projects_count = 1;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create params version 0", INV, [&](ik_error **e) {
    auto q = p;
    q.version = 0;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });
  expect_fails("create params version too new", INV, [&](ik_error **e) {
    auto q = p;
    q.version = IK_OPENAI_INVITE_CREATE_PARAMS_VERSION + 1000;
    return ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
  });

  expect_fails("retrieve NULL client", INV, [&](ik_error **e) {
    inv = sentinel<ik_openai_invite>();
    const ik_status st = ik_openai_invite_retrieve(nullptr, "i", nullptr, &inv, e);
    EXPECT_EQ(inv, nullptr);
    return st;
  });
  expect_fails("retrieve NULL id", INV, [&](ik_error **e) {
    inv = sentinel<ik_openai_invite>();
    const ik_status st = ik_openai_invite_retrieve(client.get(), nullptr, nullptr, &inv, e);
    EXPECT_EQ(inv, nullptr);
    return st;
  });
  expect_fails("retrieve NULL out", INV,
               [&](ik_error **e) { return ik_openai_invite_retrieve(client.get(), "i", nullptr, nullptr, e); });

  expect_fails("list NULL client", INV, [&](ik_error **e) {
    page = sentinel<ik_page>();
    const ik_status st = ik_openai_invite_list(nullptr, nullptr, nullptr, &page, e);
    EXPECT_EQ(page, nullptr);
    return st;
  });
  expect_fails("list NULL out", INV,
               [&](ik_error **e) { return ik_openai_invite_list(client.get(), nullptr, nullptr, nullptr, e); });
  expect_fails("list options version 0", INV, [&](ik_error **e) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.version = 0;
    return ik_openai_invite_list(client.get(), &lo, nullptr, &page, e);
  });
  expect_fails("list options negative max_items", INV, [&](ik_error **e) {
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.max_items = -1;
    return ik_openai_invite_pager(client.get(), &lo, &pager, e);
  });

  expect_fails("pager NULL client", INV, [&](ik_error **e) {
    pager = sentinel<ik_pager>();
    const ik_status st = ik_openai_invite_pager(nullptr, nullptr, &pager, e);
    EXPECT_EQ(pager, nullptr);
    return st;
  });
  expect_fails("pager NULL out", INV,
               [&](ik_error **e) { return ik_openai_invite_pager(client.get(), nullptr, nullptr, e); });

  expect_fails("delete NULL client", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_openai_invite_delete(nullptr, "i", nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });
  expect_fails("delete NULL id", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_openai_invite_delete(client.get(), nullptr, nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });
  expect_fails("delete NULL client, NULL out", INV,
               [&](ik_error **e) { return ik_openai_invite_delete(nullptr, "i", nullptr, nullptr, e); });

  expect_fails("call options version 0", INV, [&](ik_error **e) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.version = 0;
    return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e);
  });
  expect_fails("call options version too new", INV, [&](ik_error **e) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.version = IK_CALL_OPTIONS_VERSION + 1000;
    return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e);
  });
  expect_fails("call options extra_headers NULL with count", INV, [&](ik_error **e) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.extra_headers_count = 3;
    return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e);
  });
  expect_fails("call options NULL header entry", INV, [&](ik_error **e) {
    const char *h[] = {nullptr};
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.extra_headers = h;
    co.extra_headers_count = 1;
    return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e);
  });
  expect_fails("call options negative timeout", INV, [&](ik_error **e) {
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.attempt_timeout_ms = -1;
    return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e);
  });
  // ik_optbool inputs outside IK_OPTBOOL_UNSET..IK_OPTBOOL_FALSE (0..2).
  for (ik_optbool bad : {-1, 3, INT32_MIN, INT32_MAX}) {
    expect_fails("create send_projects out of range", INV, [&](ik_error **e) {
      auto q = p;
      q.send_projects = bad;
      inv = sentinel<ik_openai_invite>();
      const ik_status st = ik_openai_invite_create(client.get(), &q, nullptr, &inv, e);
      EXPECT_EQ(inv, nullptr);
      return st;
    });
    expect_fails("call options retry_ambiguous_posts out of range", INV, [&](ik_error **e) {
      ik_call_options co = IK_CALL_OPTIONS_INIT;
      co.retry_ambiguous_posts = bad;
      return ik_openai_invite_create(client.get(), &p, &co, &inv, e);
    });
    expect_fails("delete with retry_ambiguous_posts out of range", INV, [&](ik_error **e) {
      ik_call_options co = IK_CALL_OPTIONS_INIT;
      co.retry_ambiguous_posts = bad;
      del = sentinel<ik_deletion>();
      const ik_status st = ik_openai_invite_delete(client.get(), "i", &co, &del, e);
      EXPECT_EQ(del, nullptr);
      return st;
    });
  }
  EXPECT_EQ(server.request_count(), 0u) << "a misuse reached the network";
}

TEST_F(Misuse, BadUtf8Inputs) {
  ik_openai_invite *inv = nullptr;
  for (const char *bad : kBadUtf8) {
    ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
    p.email = bad;
    p.role = "reader";
    expect_fails("create bad UTF-8 email", UTF,
                 [&](ik_error **e) { return ik_openai_invite_create(client.get(), &p, nullptr, &inv, e); });
    p.email = "a@b.c";
    p.role = bad;
    expect_fails("create bad UTF-8 role", UTF,
                 [&](ik_error **e) { return ik_openai_invite_create(client.get(), &p, nullptr, &inv, e); });
    ik_openai_project_ref refs[1] = {{bad, "member"}};
    p.role = "reader";
    p.send_projects = IK_OPTBOOL_TRUE;
    p.projects = refs;
    p.projects_count = 1;
    expect_fails("create bad UTF-8 project id", UTF,
                 [&](ik_error **e) { return ik_openai_invite_create(client.get(), &p, nullptr, &inv, e); });
    expect_fails("retrieve bad UTF-8 id", UTF, [&](ik_error **e) {
      inv = sentinel<ik_openai_invite>();
      const ik_status st = ik_openai_invite_retrieve(client.get(), bad, nullptr, &inv, e);
      EXPECT_EQ(inv, nullptr);
      return st;
    });
    expect_fails("delete bad UTF-8 id", UTF,
                 [&](ik_error **e) { return ik_openai_invite_delete(client.get(), bad, nullptr, nullptr, e); });
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.cursor = bad;
    ik_page *page = nullptr;
    expect_fails("list bad UTF-8 cursor", UTF,
                 [&](ik_error **e) { return ik_openai_invite_list(client.get(), &lo, nullptr, &page, e); });
    const std::string hdr = std::string("X-Bad: ") + bad;
    const char *hs[] = {hdr.c_str()};
    ik_call_options co = IK_CALL_OPTIONS_INIT;
    co.extra_headers = hs;
    co.extra_headers_count = 1;
    expect_fails("bad UTF-8 extra header", UTF,
                 [&](ik_error **e) { return ik_openai_invite_retrieve(client.get(), "i", &co, &inv, e); });
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(MisuseClient, ClientNewWithBadArguments) {
  ik_client_options o = test_options("http://127.0.0.1:9");
  expect_fails("client_new NULL out", INV, [&](ik_error **e) { return ik_client_new(&o, nullptr, e); });
  expect_fails("client_new version 0", INV, [&](ik_error **e) {
    ik_client_options q = o;
    q.version = 0;
    ik_client *c = sentinel<ik_client>();
    const ik_status st = ik_client_new(&q, &c, e);
    EXPECT_EQ(c, nullptr);
    return st;
  });
  expect_fails("client_new version too new", INV, [&](ik_error **e) {
    ik_client_options q = o;
    q.version = ik_client_options_version() + 1;
    ik_client *c = nullptr;
    return ik_client_new(&q, &c, e);
  });
  for (const char *bad : kBadUtf8) {
    ik_client *c = nullptr;
    expect_fails("client_new bad UTF-8 admin key", UTF, [&](ik_error **e) {
      ik_client_options q = o;
      q.openai_admin_key = bad;
      return ik_client_new(&q, &c, e);
    });
    expect_fails("client_new bad UTF-8 user agent suffix", UTF, [&](ik_error **e) {
      ik_client_options q = o;
      q.user_agent_suffix = bad;
      return ik_client_new(&q, &c, e);
    });
    expect_fails("client_new bad UTF-8 organization", UTF, [&](ik_error **e) {
      ik_client_options q = o;
      q.openai_organization = bad;
      return ik_client_new(&q, &c, e);
    });
    expect_fails("client_new bad UTF-8 twilio token", UTF, [&](ik_error **e) {
      ik_client_options q = o;
      q.twilio_auth_token = bad;
      return ik_client_new(&q, &c, e);
    });
    expect_fails("client_new bad UTF-8 fastly token", UTF, [&](ik_error **e) {
      ik_client_options q = o;
      q.fastly_api_token = bad;
      return ik_client_new(&q, &c, e);
    });
  }
  // Header injection through credentials or headers built from options.
  for (const char *field : {"key", "org", "project", "ua"}) {
    ik_client *c = nullptr;
    ik_client_options q = o;
    const char *evil = "x\r\nX-Injected: 1";
    if (std::string(field) == "key") q.openai_admin_key = evil;
    if (std::string(field) == "org") q.openai_organization = evil;
    if (std::string(field) == "project") q.openai_project = evil;
    if (std::string(field) == "ua") q.user_agent_suffix = evil;
    ik_error *err = nullptr;
    const ik_status st = ik_client_new(&q, &c, &err);
    EXPECT_EQ(st, INV) << "CR/LF accepted in option " << field << ": " << describe(err);
    ik_error_free(err);
    ik_client_free(c);
  }
}

TEST(MisuseClient, OutErrNotNullOnEntry) {
  ik_error *first = nullptr;
  ASSERT_EQ(ik_client_options_init(nullptr, IK_CLIENT_OPTIONS_VERSION, &first), INV);
  ASSERT_NE(first, nullptr);
  ik_error *slot = first;
  // The contract says *out_err must be NULL on entry; violating it must not
  // crash, must fail, and must not free or leak the caller's object.
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  ik_client *c = nullptr;
  const ik_status st = ik_client_new(&o, &c, &slot);
  EXPECT_NE(st, IK_STATUS_OK) << "a call with *out_err != NULL succeeded";
  ik_client_free(c);
  EXPECT_EQ(slot, first) << "the caller's error object was replaced";
  EXPECT_EQ(ik_error_status(first), INV);  // still alive and readable
  // A failing call with an occupied slot leaves it alone too.
  ik_error *slot2 = first;
  EXPECT_EQ(ik_openai_invite_retrieve(nullptr, "i", nullptr, nullptr, &slot2), INV);
  EXPECT_EQ(slot2, first);
  ik_error_free(first);
}

TEST(MisuseOptions, InitFunctions) {
  {
    ik_client_options o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_client_options_init(&o, IK_CLIENT_OPTIONS_VERSION, nullptr), IK_STATUS_OK);
    const ik_client_options z = IK_CLIENT_OPTIONS_INIT;
    EXPECT_EQ(o.version, IK_CLIENT_OPTIONS_VERSION);
    EXPECT_EQ(std::memcmp(&o, &z, sizeof o), 0) << "init must zero-fill (and match IK_CLIENT_OPTIONS_INIT)";
    EXPECT_EQ(ik_client_options_version(), static_cast<uint32_t>(IK_CLIENT_OPTIONS_VERSION));
  }
  expect_fails("client_options_init NULL", INV, [](ik_error **e) { return ik_client_options_init(nullptr, 1, e); });
  expect_fails("client_options_init v0", INV, [](ik_error **e) {
    ik_client_options o;
    return ik_client_options_init(&o, 0, e);
  });
  expect_fails("client_options_init too new", INV, [](ik_error **e) {
    ik_client_options o;
    return ik_client_options_init(&o, ik_client_options_version() + 1, e);
  });
  {
    ik_call_options o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_call_options_init(&o, IK_CALL_OPTIONS_VERSION, nullptr), IK_STATUS_OK);
    EXPECT_EQ(o.version, IK_CALL_OPTIONS_VERSION);
    EXPECT_EQ(o.cancel, nullptr);
    EXPECT_EQ(o.extra_headers, nullptr);
    EXPECT_EQ(o.extra_headers_count, 0u);
    EXPECT_EQ(o.attempt_timeout_ms, 0);
    EXPECT_EQ(ik_call_options_version(), static_cast<uint32_t>(IK_CALL_OPTIONS_VERSION));
  }
  expect_fails("call_options_init NULL", INV, [](ik_error **e) { return ik_call_options_init(nullptr, 1, e); });
  expect_fails("call_options_init v0", INV, [](ik_error **e) {
    ik_call_options o;
    return ik_call_options_init(&o, 0, e);
  });
  expect_fails("call_options_init too new", INV, [](ik_error **e) {
    ik_call_options o;
    return ik_call_options_init(&o, ik_call_options_version() + 1, e);
  });
  {
    ik_list_options o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_list_options_init(&o, IK_LIST_OPTIONS_VERSION, nullptr), IK_STATUS_OK);
    EXPECT_EQ(o.version, IK_LIST_OPTIONS_VERSION);
    EXPECT_EQ(o.page_size, 0);
    EXPECT_EQ(o.max_items, 0);
    EXPECT_EQ(o.cursor, nullptr);
    EXPECT_EQ(ik_list_options_version(), static_cast<uint32_t>(IK_LIST_OPTIONS_VERSION));
  }
  expect_fails("list_options_init NULL", INV, [](ik_error **e) { return ik_list_options_init(nullptr, 1, e); });
  expect_fails("list_options_init v0", INV, [](ik_error **e) {
    ik_list_options o;
    return ik_list_options_init(&o, 0, e);
  });
  expect_fails("list_options_init too new", INV, [](ik_error **e) {
    ik_list_options o;
    return ik_list_options_init(&o, ik_list_options_version() + 1, e);
  });
  {
    ik_openai_invite_create_params o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_openai_invite_create_params_init(&o, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, nullptr), IK_STATUS_OK);
    EXPECT_EQ(o.version, IK_OPENAI_INVITE_CREATE_PARAMS_VERSION);
    EXPECT_EQ(o.email, nullptr);
    EXPECT_EQ(o.send_projects, IK_OPTBOOL_UNSET);
    EXPECT_EQ(o.projects_count, 0u);
    EXPECT_EQ(o.role, nullptr);
    EXPECT_EQ(o.projects, nullptr);
    EXPECT_EQ(ik_openai_invite_create_params_version(), static_cast<uint32_t>(IK_OPENAI_INVITE_CREATE_PARAMS_VERSION));
  }
  expect_fails("openai params init NULL", INV,
               [](ik_error **e) { return ik_openai_invite_create_params_init(nullptr, 1, e); });
  expect_fails("openai params init v0", INV, [](ik_error **e) {
    ik_openai_invite_create_params o;
    return ik_openai_invite_create_params_init(&o, 0, e);
  });
  expect_fails("openai params init too new", INV, [](ik_error **e) {
    ik_openai_invite_create_params o;
    return ik_openai_invite_create_params_init(&o, 1000, e);
  });
  expect_fails("openai params init version() + 1", INV, [](ik_error **e) {
    ik_openai_invite_create_params o;
    return ik_openai_invite_create_params_init(&o, ik_openai_invite_create_params_version() + 1, e);
  });
  {
    ik_twilio_user_params o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_twilio_user_params_init(&o, IK_TWILIO_USER_PARAMS_VERSION, nullptr), IK_STATUS_OK);
    EXPECT_EQ(o.version, IK_TWILIO_USER_PARAMS_VERSION);
    EXPECT_EQ(o.identity, nullptr);
    EXPECT_EQ(o.webhook_enabled, IK_OPTBOOL_UNSET);
    EXPECT_EQ(o.role_sid, nullptr);
    EXPECT_EQ(o.attributes, nullptr);
    EXPECT_EQ(o.friendly_name, nullptr);
    EXPECT_EQ(ik_twilio_user_params_version(), static_cast<uint32_t>(IK_TWILIO_USER_PARAMS_VERSION));
  }
  expect_fails("twilio params init NULL", INV, [](ik_error **e) { return ik_twilio_user_params_init(nullptr, 1, e); });
  expect_fails("twilio params init v0", INV, [](ik_error **e) {
    ik_twilio_user_params o;
    return ik_twilio_user_params_init(&o, 0, e);
  });
  expect_fails("twilio params init too new", INV, [](ik_error **e) {
    ik_twilio_user_params o;
    return ik_twilio_user_params_init(&o, 1000, e);
  });
  expect_fails("twilio params init version() + 1", INV, [](ik_error **e) {
    ik_twilio_user_params o;
    return ik_twilio_user_params_init(&o, ik_twilio_user_params_version() + 1, e);
  });
  {
    ik_fastly_invitation_create_params o;
    std::memset(&o, 0xAB, sizeof o);
    ASSERT_EQ(ik_fastly_invitation_create_params_init(&o, IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, nullptr),
              IK_STATUS_OK);
    EXPECT_EQ(o.version, IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION);
    EXPECT_EQ(o.email, nullptr);
    EXPECT_EQ(o.services_count, 0u);
    EXPECT_EQ(o.limit_services, IK_OPTBOOL_UNSET);
    EXPECT_EQ(o.role, nullptr);
    EXPECT_EQ(o.roles, nullptr);
    EXPECT_EQ(o.roles_count, 0u);
    EXPECT_EQ(o.customer_id, nullptr);
    EXPECT_EQ(o.services, nullptr);
    EXPECT_EQ(ik_fastly_invitation_create_params_version(),
              static_cast<uint32_t>(IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION));
  }
  expect_fails("fastly params init NULL", INV,
               [](ik_error **e) { return ik_fastly_invitation_create_params_init(nullptr, 1, e); });
  expect_fails("fastly params init v0", INV, [](ik_error **e) {
    ik_fastly_invitation_create_params o;
    return ik_fastly_invitation_create_params_init(&o, 0, e);
  });
  expect_fails("fastly params init too new", INV, [](ik_error **e) {
    ik_fastly_invitation_create_params o;
    return ik_fastly_invitation_create_params_init(&o, 1000, e);
  });
  expect_fails("fastly params init version() + 1", INV, [](ik_error **e) {
    ik_fastly_invitation_create_params o;
    return ik_fastly_invitation_create_params_init(&o, ik_fastly_invitation_create_params_version() + 1, e);
  });
  // Output structs: the version this library writes.
  EXPECT_EQ(ik_log_record_version(), static_cast<uint32_t>(IK_LOG_RECORD_VERSION));
  EXPECT_EQ(ik_retry_info_version(), static_cast<uint32_t>(IK_RETRY_INFO_VERSION));
}

TEST(MisuseOther, TwilioAndFastlyWithNullArguments) {
  MockServer server;
  Opts o(server.base_url());
  o.o.twilio_account_sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  o.o.twilio_auth_token = "token";
  o.o.twilio_base_url = o.hold(server.base_url());
  o.o.fastly_api_token = "fastly-token";
  o.o.fastly_base_url = o.hold(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  const char *IS = "IS00000000000000000000000000000000";
  const char *IN = "IN00000000000000000000000000000000";
  ik_twilio_invite *ti = nullptr;
  ik_twilio_user *tu = nullptr;
  ik_fastly_invitation *fi = nullptr;
  ik_page *page = nullptr;
  ik_pager *pager = nullptr;
  ik_deletion *del = nullptr;
  ik_twilio_user_params up = IK_TWILIO_USER_PARAMS_INIT;
  up.identity = "alice";
  ik_fastly_invitation_create_params fp = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  fp.email = "a@b.c";

  expect_fails("tw invite create NULL client", INV, [&](ik_error **e) {
    ti = sentinel<ik_twilio_invite>();
    const ik_status st = ik_twilio_invite_create(nullptr, IS, "CH1", "alice", nullptr, nullptr, &ti, e);
    EXPECT_EQ(ti, nullptr);
    return st;
  });
  expect_fails("tw invite create NULL service", INV, [&](ik_error **e) {
    return ik_twilio_invite_create(client.get(), nullptr, "CH1", "alice", nullptr, nullptr, &ti, e);
  });
  expect_fails("tw invite create NULL channel", INV, [&](ik_error **e) {
    return ik_twilio_invite_create(client.get(), IS, nullptr, "alice", nullptr, nullptr, &ti, e);
  });
  expect_fails("tw invite create NULL identity", INV, [&](ik_error **e) {
    return ik_twilio_invite_create(client.get(), IS, "CH1", nullptr, nullptr, nullptr, &ti, e);
  });
  expect_fails("tw invite create NULL out", INV, [&](ik_error **e) {
    return ik_twilio_invite_create(client.get(), IS, "CH1", "alice", nullptr, nullptr, nullptr, e);
  });
  expect_fails("tw invite create bad UTF-8 identity", UTF, [&](ik_error **e) {
    return ik_twilio_invite_create(client.get(), IS, "CH1", "\xff\xfe", nullptr, nullptr, &ti, e);
  });
  expect_fails("tw invite fetch NULL client", INV,
               [&](ik_error **e) { return ik_twilio_invite_fetch(nullptr, IS, "CH1", IN, nullptr, &ti, e); });
  expect_fails("tw invite fetch NULL sid", INV,
               [&](ik_error **e) { return ik_twilio_invite_fetch(client.get(), IS, "CH1", nullptr, nullptr, &ti, e); });
  expect_fails("tw invite fetch NULL out", INV,
               [&](ik_error **e) { return ik_twilio_invite_fetch(client.get(), IS, "CH1", IN, nullptr, nullptr, e); });
  expect_fails("tw invite list NULL client", INV, [&](ik_error **e) {
    return ik_twilio_invite_list(nullptr, IS, "CH1", nullptr, 0, nullptr, nullptr, &page, e);
  });
  expect_fails("tw invite list identities NULL with count", INV, [&](ik_error **e) {
    return ik_twilio_invite_list(client.get(), IS, "CH1", nullptr, 2, nullptr, nullptr, &page, e);
  });
  expect_fails("tw invite list NULL identity entry", INV, [&](ik_error **e) {
    const char *ids[] = {"a", nullptr};
    return ik_twilio_invite_list(client.get(), IS, "CH1", ids, 2, nullptr, nullptr, &page, e);
  });
  expect_fails("tw invite list NULL out", INV, [&](ik_error **e) {
    return ik_twilio_invite_list(client.get(), IS, "CH1", nullptr, 0, nullptr, nullptr, nullptr, e);
  });
  expect_fails("tw invite pager NULL client", INV, [&](ik_error **e) {
    return ik_twilio_invite_pager(nullptr, IS, "CH1", nullptr, 0, nullptr, &pager, e);
  });
  expect_fails("tw invite pager NULL out", INV, [&](ik_error **e) {
    return ik_twilio_invite_pager(client.get(), IS, "CH1", nullptr, 0, nullptr, nullptr, e);
  });
  expect_fails("tw invite delete NULL client", INV,
               [&](ik_error **e) { return ik_twilio_invite_delete(nullptr, IS, "CH1", IN, nullptr, nullptr, e); });
  expect_fails("tw invite delete NULL sid", INV, [&](ik_error **e) {
    return ik_twilio_invite_delete(client.get(), IS, "CH1", nullptr, nullptr, nullptr, e);
  });
  expect_fails("tw invite delete NULL client clears out", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_twilio_invite_delete(nullptr, IS, "CH1", IN, nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });
  expect_fails("tw invite delete NULL channel clears out", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_twilio_invite_delete(client.get(), IS, nullptr, IN, nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });

  expect_fails("tw user create NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_create(nullptr, IS, &up, nullptr, &tu, e); });
  expect_fails("tw user create NULL params", INV,
               [&](ik_error **e) { return ik_twilio_user_create(client.get(), IS, nullptr, nullptr, &tu, e); });
  expect_fails("tw user create NULL identity", INV, [&](ik_error **e) {
    ik_twilio_user_params q = up;
    q.identity = nullptr;
    return ik_twilio_user_create(client.get(), IS, &q, nullptr, &tu, e);
  });
  expect_fails("tw user create params v0", INV, [&](ik_error **e) {
    ik_twilio_user_params q = up;
    q.version = 0;
    return ik_twilio_user_create(client.get(), IS, &q, nullptr, &tu, e);
  });
  expect_fails("tw user create NULL out", INV,
               [&](ik_error **e) { return ik_twilio_user_create(client.get(), IS, &up, nullptr, nullptr, e); });
  expect_fails("tw user fetch NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_fetch(nullptr, IS, "alice", nullptr, &tu, e); });
  expect_fails("tw user fetch NULL identity", INV,
               [&](ik_error **e) { return ik_twilio_user_fetch(client.get(), IS, nullptr, nullptr, &tu, e); });
  expect_fails("tw user fetch bad UTF-8", UTF,
               [&](ik_error **e) { return ik_twilio_user_fetch(client.get(), IS, "\xc0\xaf", nullptr, &tu, e); });
  expect_fails("tw user list NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_list(nullptr, IS, nullptr, nullptr, &page, e); });
  expect_fails("tw user list NULL out", INV,
               [&](ik_error **e) { return ik_twilio_user_list(client.get(), IS, nullptr, nullptr, nullptr, e); });
  expect_fails("tw user pager NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_pager(nullptr, IS, nullptr, &pager, e); });
  expect_fails("tw user update NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_update(nullptr, IS, "alice", &up, nullptr, &tu, e); });
  expect_fails("tw user update NULL params", INV, [&](ik_error **e) {
    return ik_twilio_user_update(client.get(), IS, "alice", nullptr, nullptr, &tu, e);
  });
  expect_fails("tw user update with identity", INV, [&](ik_error **e) {
    return ik_twilio_user_update(client.get(), IS, "alice", &up, nullptr, &tu, e);  // identity must be NULL
  });
  expect_fails("tw user delete NULL client", INV,
               [&](ik_error **e) { return ik_twilio_user_delete(nullptr, IS, "alice", nullptr, nullptr, e); });
  expect_fails("tw user delete NULL identity", INV,
               [&](ik_error **e) { return ik_twilio_user_delete(client.get(), IS, nullptr, nullptr, nullptr, e); });
  expect_fails("tw user delete NULL identity clears out", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_twilio_user_delete(client.get(), IS, nullptr, nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });
  for (ik_optbool bad : {-1, 3, INT32_MIN, INT32_MAX}) {
    expect_fails("tw user create webhook_enabled out of range", INV, [&](ik_error **e) {
      ik_twilio_user_params q = up;
      q.webhook_enabled = bad;
      tu = sentinel<ik_twilio_user>();
      const ik_status st = ik_twilio_user_create(client.get(), IS, &q, nullptr, &tu, e);
      EXPECT_EQ(tu, nullptr);
      return st;
    });
    expect_fails("tw user update webhook_enabled out of range", INV, [&](ik_error **e) {
      ik_twilio_user_params q = IK_TWILIO_USER_PARAMS_INIT;
      q.friendly_name = "A";
      q.webhook_enabled = bad;
      return ik_twilio_user_update(client.get(), IS, "alice", &q, nullptr, &tu, e);
    });
  }

  expect_fails("fastly create NULL client", INV, [&](ik_error **e) {
    fi = sentinel<ik_fastly_invitation>();
    const ik_status st = ik_fastly_invitation_create(nullptr, &fp, nullptr, &fi, e);
    EXPECT_EQ(fi, nullptr);
    return st;
  });
  expect_fails("fastly create NULL params", INV,
               [&](ik_error **e) { return ik_fastly_invitation_create(client.get(), nullptr, nullptr, &fi, e); });
  expect_fails("fastly create NULL email", INV, [&](ik_error **e) {
    ik_fastly_invitation_create_params q = fp;
    q.email = nullptr;
    return ik_fastly_invitation_create(client.get(), &q, nullptr, &fi, e);
  });
  expect_fails("fastly create roles NULL with count", INV, [&](ik_error **e) {
    ik_fastly_invitation_create_params q = fp;
    q.roles_count = 2;
    return ik_fastly_invitation_create(client.get(), &q, nullptr, &fi, e);
  });
  expect_fails("fastly create services NULL with count", INV, [&](ik_error **e) {
    ik_fastly_invitation_create_params q = fp;
    q.services_count = 1;
    return ik_fastly_invitation_create(client.get(), &q, nullptr, &fi, e);
  });
  expect_fails("fastly create bad UTF-8 email", UTF, [&](ik_error **e) {
    ik_fastly_invitation_create_params q = fp;
    q.email = "\xed\xa0\x80";
    return ik_fastly_invitation_create(client.get(), &q, nullptr, &fi, e);
  });
  expect_fails("fastly create NULL out", INV,
               [&](ik_error **e) { return ik_fastly_invitation_create(client.get(), &fp, nullptr, nullptr, e); });
  expect_fails("fastly list NULL client", INV,
               [&](ik_error **e) { return ik_fastly_invitation_list(nullptr, nullptr, nullptr, &page, e); });
  expect_fails("fastly list NULL out", INV,
               [&](ik_error **e) { return ik_fastly_invitation_list(client.get(), nullptr, nullptr, nullptr, e); });
  expect_fails("fastly pager NULL client", INV,
               [&](ik_error **e) { return ik_fastly_invitation_pager(nullptr, nullptr, &pager, e); });
  expect_fails("fastly delete NULL client", INV,
               [&](ik_error **e) { return ik_fastly_invitation_delete(nullptr, "abc", nullptr, nullptr, e); });
  expect_fails("fastly delete NULL id", INV,
               [&](ik_error **e) { return ik_fastly_invitation_delete(client.get(), nullptr, nullptr, nullptr, e); });
  expect_fails("fastly delete NULL id clears out", INV, [&](ik_error **e) {
    del = sentinel<ik_deletion>();
    const ik_status st = ik_fastly_invitation_delete(client.get(), nullptr, nullptr, &del, e);
    EXPECT_EQ(del, nullptr) << "out not cleared";
    return st;
  });
  for (ik_optbool bad : {-1, 3, INT32_MIN, INT32_MAX}) {
    expect_fails("fastly create limit_services out of range", INV, [&](ik_error **e) {
      ik_fastly_invitation_create_params q = fp;
      q.limit_services = bad;
      fi = sentinel<ik_fastly_invitation>();
      const ik_status st = ik_fastly_invitation_create(client.get(), &q, nullptr, &fi, e);
      EXPECT_EQ(fi, nullptr);
      return st;
    });
  }
  EXPECT_EQ(server.request_count(), 0u) << "a misuse reached the network";
}

TEST(MisuseOther, PagerCancelAndBufArguments) {
  ik_page *page = nullptr;
  ik_openai_invite *inv = nullptr;
  ik_twilio_invite *ti = nullptr;
  ik_twilio_user *tu = nullptr;
  ik_fastly_invitation *fi = nullptr;
  expect_fails("pager_next_page NULL", INV,
               [&](ik_error **e) { return ik_pager_next_page(nullptr, nullptr, &page, e); });
  expect_fails("pager_next_openai NULL", INV,
               [&](ik_error **e) { return ik_pager_next_openai_invite(nullptr, nullptr, &inv, e); });
  expect_fails("pager_next_twilio_invite NULL", INV,
               [&](ik_error **e) { return ik_pager_next_twilio_invite(nullptr, nullptr, &ti, e); });
  expect_fails("pager_next_twilio_user NULL", INV,
               [&](ik_error **e) { return ik_pager_next_twilio_user(nullptr, nullptr, &tu, e); });
  expect_fails("pager_next_fastly NULL", INV,
               [&](ik_error **e) { return ik_pager_next_fastly_invitation(nullptr, nullptr, &fi, e); });
  ik_buf buf = IK_BUF_INIT;
  expect_fails("pager_cursor NULL pager", INV, [&](ik_error **e) { return ik_pager_cursor(nullptr, &buf, e); });
  EXPECT_EQ(buf.data, nullptr);
  expect_fails("page_item_cursor NULL page", INV,
               [&](ik_error **e) { return ik_page_item_cursor(nullptr, 0, &buf, e); });
  EXPECT_EQ(buf.data, nullptr);
  expect_fails("page_item_cursor NULL page, NULL out", INV,
               [&](ik_error **e) { return ik_page_item_cursor(nullptr, SIZE_MAX, nullptr, e); });
  expect_fails("cancel_token_new NULL", INV, [&](ik_error **e) { return ik_cancel_token_new(nullptr, e); });

  // A real pager, used wrongly.
  MockServer server;
  Opts o(server.base_url());
  auto client = o.make();
  ASSERT_TRUE(client);
  ik_pager *pager = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_pager(client.get(), nullptr, &pager, err.out()), IK_STATUS_OK) << err.what();
  PagerPtr own(pager);
  EXPECT_EQ(ik_pager_kind(pager), IK_KIND_OPENAI_INVITE);
  expect_fails("pager_cursor NULL out", INV, [&](ik_error **e) { return ik_pager_cursor(pager, nullptr, e); });
  expect_fails("pager_next_page NULL out", INV,
               [&](ik_error **e) { return ik_pager_next_page(pager, nullptr, nullptr, e); });
  expect_fails("pager_next_openai NULL out", INV,
               [&](ik_error **e) { return ik_pager_next_openai_invite(pager, nullptr, nullptr, e); });
  expect_fails("pager of another kind (twilio invite)", INV,
               [&](ik_error **e) { return ik_pager_next_twilio_invite(pager, nullptr, &ti, e); });
  expect_fails("pager of another kind (twilio user)", INV,
               [&](ik_error **e) { return ik_pager_next_twilio_user(pager, nullptr, &tu, e); });
  expect_fails("pager of another kind (fastly)", INV,
               [&](ik_error **e) { return ik_pager_next_fastly_invitation(pager, nullptr, &fi, e); });
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_EQ(ik_pager_items_delivered(pager), 0);
}

TEST(MisuseFree, NullSafeFrees) {
  ik_client_free(nullptr);
  ik_error_free(nullptr);
  ik_cancel_token_free(nullptr);
  ik_cancel_token_cancel(nullptr);
  ik_cancel_token_reset(nullptr);
  EXPECT_EQ(ik_cancel_token_is_cancelled(nullptr), 0);
  ik_deletion_free(nullptr);
  ik_page_free(nullptr);
  ik_pager_free(nullptr);
  ik_openai_invite_free(nullptr);
  ik_twilio_invite_free(nullptr);
  ik_twilio_user_free(nullptr);
  ik_fastly_invitation_free(nullptr);
  ik_buf_init(nullptr);
  ik_buf_dispose(nullptr);
  ik_buf b = IK_BUF_INIT;
  ik_buf_dispose(&b);
  ik_buf_dispose(&b);  // idempotent
  EXPECT_EQ(b.data, nullptr);
  EXPECT_EQ(b.len, 0u);
  ik_buf c;
  std::memset(&c, 0xAB, sizeof c);
  ik_buf_init(&c);
  EXPECT_EQ(c.data, nullptr);
  EXPECT_EQ(c.len, 0u);
  EXPECT_EQ(c.reserved, 0u);
}

TEST(MisuseAccessors, NullObjectsReadAsAbsent) {
  int64_t v = 12345;
  const char *s = "x";
  const uint8_t *d = reinterpret_cast<const uint8_t *>("x");
  size_t n = 99;
  // error.h
  EXPECT_EQ(ik_error_message(nullptr), nullptr);
  EXPECT_EQ(ik_error_http_status(nullptr), 0);
  EXPECT_EQ(ik_error_provider(nullptr), IK_PROVIDER_NONE);
  EXPECT_EQ(ik_error_operation(nullptr), nullptr);
  EXPECT_EQ(ik_error_provider_code(nullptr), nullptr);
  EXPECT_EQ(ik_error_provider_message(nullptr), nullptr);
  EXPECT_EQ(ik_error_field(nullptr, "type"), nullptr);
  EXPECT_EQ(ik_error_request_id(nullptr), nullptr);
  EXPECT_EQ(ik_error_header(nullptr, "x"), nullptr);
  EXPECT_EQ(ik_error_header_count(nullptr), 0u);
  s = "x";
  const char *s2 = "x";
  EXPECT_EQ(ik_error_header_at(nullptr, 0, &s, &s2), 0);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(s2, nullptr);
  EXPECT_EQ(ik_error_header_at(nullptr, SIZE_MAX, nullptr, nullptr), 0);
  EXPECT_EQ(ik_error_retry_after_ms(nullptr, &v), 0);
  EXPECT_EQ(ik_error_retry_after_ms(nullptr, nullptr), 0);
  EXPECT_EQ(ik_error_cancelled_by(nullptr), IK_CANCELLED_BY_NONE);
  EXPECT_EQ(ik_error_is_retryable(nullptr), 0);
  EXPECT_EQ(ik_error_is_ambiguous(nullptr), 0);
  EXPECT_EQ(ik_error_attempts(nullptr), 0);
  EXPECT_EQ(ik_error_transport_code(nullptr), 0);
  EXPECT_EQ(ik_error_body(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_error_body(nullptr, nullptr, nullptr), 0);
  (void)ik_error_status(nullptr);  // any value, no crash
  // client.h
  EXPECT_EQ(ik_client_base_url(nullptr, IK_PROVIDER_OPENAI), nullptr);
  EXPECT_EQ(ik_client_has_credentials(nullptr, IK_PROVIDER_OPENAI), 0);
  EXPECT_EQ(ik_client_connections_opened(nullptr), 0);
  // response.h
  EXPECT_EQ(ik_response_http_status(nullptr), 0);
  EXPECT_EQ(ik_response_provider(nullptr), IK_PROVIDER_NONE);
  EXPECT_EQ(ik_response_request_id(nullptr), nullptr);
  EXPECT_EQ(ik_response_header(nullptr, "x"), nullptr);
  EXPECT_EQ(ik_response_header_count(nullptr), 0u);
  EXPECT_EQ(ik_response_header_at(nullptr, 0, &s, &s), 0);
  EXPECT_EQ(ik_response_header_at(nullptr, 0, nullptr, nullptr), 0);
  EXPECT_EQ(ik_response_ratelimit_remaining(nullptr, &v), 0);
  EXPECT_EQ(ik_response_ratelimit_reset_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_response_attempts(nullptr), 0);
  (void)ik_response_elapsed_us(nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  EXPECT_EQ(ik_response_body(nullptr, &d, &n), 0);
  EXPECT_EQ(ik_response_body(nullptr, nullptr, nullptr), 0);
  // response.h: deletions
  EXPECT_EQ(ik_deletion_kind(nullptr), IK_KIND_NONE);
  EXPECT_EQ(ik_deletion_id(nullptr), nullptr);
  EXPECT_EQ(ik_deletion_deleted(nullptr), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_deletion_object(nullptr), nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_deletion_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_deletion_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_deletion_response(nullptr), nullptr);
  // pager.h
  EXPECT_EQ(ik_page_kind(nullptr), IK_KIND_NONE);
  EXPECT_EQ(ik_page_count(nullptr), 0u);
  EXPECT_EQ(ik_page_has_more(nullptr), 0);
  EXPECT_EQ(ik_page_next_cursor(nullptr), nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_page_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_page_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_page_item_id(nullptr, 0), nullptr);
  EXPECT_EQ(ik_page_item_id(nullptr, SIZE_MAX), nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_page_item_raw_json(nullptr, 0, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_page_item_raw_json(nullptr, SIZE_MAX, nullptr, nullptr), 0);
  EXPECT_EQ(ik_page_response(nullptr), nullptr);
  EXPECT_EQ(ik_page_openai_invite_at(nullptr, 0), nullptr);
  EXPECT_EQ(ik_page_twilio_invite_at(nullptr, 0), nullptr);
  EXPECT_EQ(ik_page_twilio_user_at(nullptr, 0), nullptr);
  EXPECT_EQ(ik_page_fastly_invitation_at(nullptr, 0), nullptr);
  EXPECT_EQ(ik_page_openai_first_id(nullptr), nullptr);
  EXPECT_EQ(ik_page_openai_last_id(nullptr), nullptr);
  EXPECT_EQ(ik_page_twilio_page(nullptr, &v), 0);
  EXPECT_EQ(ik_page_twilio_page(nullptr, nullptr), 0);
  EXPECT_EQ(ik_page_twilio_page_size(nullptr, &v), 0);
  EXPECT_EQ(ik_page_twilio_key(nullptr), nullptr);
  EXPECT_EQ(ik_page_twilio_url(nullptr), nullptr);
  EXPECT_EQ(ik_page_twilio_first_page_url(nullptr), nullptr);
  EXPECT_EQ(ik_page_twilio_previous_page_url(nullptr), nullptr);
  EXPECT_EQ(ik_page_twilio_next_page_url(nullptr), nullptr);
  EXPECT_EQ(ik_page_fastly_link_first(nullptr), nullptr);
  EXPECT_EQ(ik_page_fastly_link_last(nullptr), nullptr);
  EXPECT_EQ(ik_page_fastly_link_prev(nullptr), nullptr);
  EXPECT_EQ(ik_page_fastly_link_next(nullptr), nullptr);
  EXPECT_EQ(ik_page_fastly_current_page(nullptr, &v), 0);
  EXPECT_EQ(ik_page_fastly_per_page(nullptr, &v), 0);
  EXPECT_EQ(ik_page_fastly_record_count(nullptr, &v), 0);
  EXPECT_EQ(ik_page_fastly_total_pages(nullptr, &v), 0);
  EXPECT_EQ(ik_page_fastly_total_pages(nullptr, nullptr), 0);
  EXPECT_EQ(ik_pager_kind(nullptr), IK_KIND_NONE);
  EXPECT_EQ(ik_pager_items_delivered(nullptr), 0);
  (void)ik_pager_done(nullptr);
  // openai.h
  EXPECT_EQ(ik_openai_invite_object(nullptr), nullptr);
  EXPECT_EQ(ik_openai_invite_id(nullptr), nullptr);
  EXPECT_EQ(ik_openai_invite_email(nullptr), nullptr);
  EXPECT_EQ(ik_openai_invite_role(nullptr), nullptr);
  EXPECT_EQ(ik_openai_invite_status(nullptr), nullptr);
  EXPECT_EQ(ik_openai_invite_created_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_openai_invite_expires_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_openai_invite_created_at_unix(nullptr, nullptr), 0);
  EXPECT_EQ(ik_openai_invite_project_count(nullptr), 0u);
  s = "x";
  s2 = "x";
  EXPECT_EQ(ik_openai_invite_project_at(nullptr, 0, &s, &s2), 0);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(s2, nullptr);
  EXPECT_EQ(ik_openai_invite_project_at(nullptr, SIZE_MAX, nullptr, nullptr), 0);
  EXPECT_EQ(ik_openai_invite_has_projects(nullptr), 0);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_openai_invite_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_openai_invite_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_openai_invite_response(nullptr), nullptr);
  // twilio.h
  EXPECT_EQ(ik_twilio_invite_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_account_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_channel_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_service_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_identity(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_role_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_created_by(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_url(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_date_created(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_date_updated(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_invite_date_created_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_twilio_invite_date_updated_unix(nullptr, &v), 0);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_twilio_invite_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_twilio_invite_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_twilio_invite_response(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_account_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_service_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_attributes(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_friendly_name(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_role_sid(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_identity(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_is_online(nullptr), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_twilio_user_is_notifiable(nullptr), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_twilio_user_date_created(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_date_updated(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_date_created_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_twilio_user_date_updated_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_twilio_user_joined_channels_count(nullptr, &v), 0);
  EXPECT_EQ(ik_twilio_user_joined_channels_count(nullptr, nullptr), 0);
  EXPECT_EQ(ik_twilio_user_link_user_channels(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_link_user_bindings(nullptr), nullptr);
  EXPECT_EQ(ik_twilio_user_url(nullptr), nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_twilio_user_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_twilio_user_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_twilio_user_response(nullptr), nullptr);
  // fastly.h
  EXPECT_EQ(ik_fastly_invitation_id(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_type(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_email(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_limit_services(nullptr), IK_OPTBOOL_UNSET);
  EXPECT_EQ(ik_fastly_invitation_role(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_role_count(nullptr), 0u);
  EXPECT_EQ(ik_fastly_invitation_role_at(nullptr, 0), nullptr);
  EXPECT_EQ(ik_fastly_invitation_status_code(nullptr, &v), 0);
  EXPECT_EQ(ik_fastly_invitation_created_at(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_updated_at(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_deleted_at(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_created_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_fastly_invitation_updated_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_fastly_invitation_deleted_at_unix(nullptr, &v), 0);
  EXPECT_EQ(ik_fastly_invitation_customer_id(nullptr), nullptr);
  EXPECT_EQ(ik_fastly_invitation_service_invitation_count(nullptr), 0u);
  EXPECT_EQ(ik_fastly_invitation_service_invitation_at(nullptr, 0), nullptr);
  d = reinterpret_cast<const uint8_t *>("x");
  n = 99;
  EXPECT_EQ(ik_fastly_invitation_raw_json(nullptr, &d, &n), 0);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ik_fastly_invitation_raw_json(nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(ik_fastly_invitation_response(nullptr), nullptr);
  EXPECT_EQ(v, 12345) << "an accessor wrote through its out-pointer for a NULL object";
}

TEST_F(Misuse, AccessorsWithNullOutPointersOnRealObjects) {
  server.enqueue(Reply::json(200,
                             "{\"object\":\"organization.invite\",\"id\":\"i\",\"email\":\"e\",\"role\":\"reader\","
                             "\"status\":\"pending\",\"created_at\":1,\"expires_at\":2,\"accepted_at\":3}"));
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_OK) << err.what();
  InvitePtr own(inv);
  // A NULL out-pointer: no crash; the return value still tells presence.
  EXPECT_EQ(ik_openai_invite_created_at_unix(inv, nullptr), 1);
  EXPECT_EQ(ik_openai_invite_expires_at_unix(inv, nullptr), 1);
  EXPECT_EQ(ik_openai_invite_accepted_at_unix(inv, nullptr), 1);
  const ik_response *r = ik_openai_invite_response(inv);
  EXPECT_EQ(ik_response_header(r, nullptr), nullptr);
  EXPECT_EQ(ik_response_ratelimit_remaining(r, nullptr), 0);
  EXPECT_EQ(ik_response_header_at(r, 0, nullptr, nullptr), ik_response_header_count(r) > 0 ? 1 : 0);
  EXPECT_EQ(ik_response_body(r, nullptr, nullptr), 1);
}

TEST_F(Misuse, ErrorAccessorsWithNullNames) {
  server.enqueue(Reply::json(404, openai_error_json("nope", "invalid_request_error", nullptr, nullptr)));
  ik_openai_invite *inv = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &inv, err.out()), IK_STATUS_NOT_FOUND);
  EXPECT_EQ(ik_error_field(err.get(), nullptr), nullptr);
  EXPECT_EQ(ik_error_header(err.get(), nullptr), nullptr);
  EXPECT_EQ(ik_error_body(err.get(), nullptr, nullptr), 1);
}

// The 0.2 indexed and kind-generic accessors on real objects: out-of-range
// indexes give NULL/0 (and clear the out-pointers), NULL out-pointers are
// allowed and the return value still tells presence.
TEST_F(Misuse, NewAccessorsOutOfRangeAndNullOutPointers) {
  const std::string body = "{\"object\":\"list\",\"data\":[" + openai_invite_json("invite-1") + "," +
                           openai_invite_json("invite-2") +
                           "],\"first_id\":\"invite-1\",\"last_id\":\"invite-2\",\"has_more\":false}";
  server.enqueue(Reply::json(200, body));
  ik_page *page = nullptr;
  Err err;
  ASSERT_EQ(ik_openai_invite_list(client.get(), nullptr, nullptr, &page, err.out()), IK_STATUS_OK) << err.what();
  PagePtr own_page(page);
  ASSERT_EQ(ik_page_count(page), 2u);
  for (size_t bad : {size_t{2}, size_t{3}, static_cast<size_t>(SIZE_MAX)}) {
    EXPECT_EQ(ik_page_item_id(page, bad), nullptr) << bad;
    const uint8_t *d = reinterpret_cast<const uint8_t *>("x");
    size_t n = 99;
    EXPECT_EQ(ik_page_item_raw_json(page, bad, &d, &n), 0) << bad;
    EXPECT_EQ(d, nullptr);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(ik_page_item_raw_json(page, bad, nullptr, nullptr), 0);
  }
  EXPECT_EQ(ik_page_item_raw_json(page, 0, nullptr, nullptr), 1);
  size_t only_len = 0;
  EXPECT_EQ(ik_page_item_raw_json(page, 1, nullptr, &only_len), 1);
  EXPECT_EQ(only_len, openai_invite_json("invite-2").size());
  // Typed accessors of another kind on this page: NULL.
  EXPECT_EQ(ik_page_twilio_user_at(page, 0), nullptr);

  const ik_openai_invite *inv = ik_page_openai_invite_at(page, 0);
  ASSERT_NE(inv, nullptr);
  EXPECT_EQ(ik_openai_invite_project_count(inv), 0u);
  const char *id = "x";
  const char *role = "x";
  EXPECT_EQ(ik_openai_invite_project_at(inv, 0, &id, &role), 0) << "\"projects\":[] has no item 0";
  EXPECT_EQ(id, nullptr);
  EXPECT_EQ(role, nullptr);

  // A real deletion with NULL out-pointers.
  server.enqueue(Reply::json(200, "{\"object\":\"organization.invite.deleted\",\"id\":\"invite-1\",\"deleted\":true}"));
  ik_deletion *del = nullptr;
  ASSERT_EQ(ik_openai_invite_delete(client.get(), "invite-1", nullptr, &del, err.out()), IK_STATUS_OK) << err.what();
  DeletionPtr own_del(del);
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, nullptr), 1);
  size_t del_len = 0;
  EXPECT_EQ(ik_deletion_raw_json(del, nullptr, &del_len), 1);
  EXPECT_GT(del_len, 0u);

  // A real error: header_at out of range, NULL out-pointers in range.
  server.enqueue(Reply::json(404, openai_error_json("nope", "invalid_request_error", nullptr, nullptr)));
  ik_openai_invite *missing = nullptr;
  ASSERT_EQ(ik_openai_invite_retrieve(client.get(), "i", nullptr, &missing, err.out()), IK_STATUS_NOT_FOUND);
  const size_t hn = ik_error_header_count(err.get());
  ASSERT_GT(hn, 0u);
  EXPECT_EQ(ik_error_header_at(err.get(), 0, nullptr, nullptr), 1);
  id = "x";
  role = "x";
  EXPECT_EQ(ik_error_header_at(err.get(), hn, &id, &role), 0);
  EXPECT_EQ(id, nullptr);
  EXPECT_EQ(role, nullptr);
  EXPECT_EQ(ik_error_header_at(err.get(), SIZE_MAX, nullptr, nullptr), 0);
  EXPECT_EQ(ik_error_cancelled_by(err.get()), IK_CANCELLED_BY_NONE);
  EXPECT_EQ(ik_error_retry_after_ms(err.get(), nullptr), 0);
}
