// tests/support/ik_test.hpp - header-only helpers for GoogleTest suites that
// use the public C ABI: RAII owners, client construction, env guards and
// error formatting. Needs invitekit_dep (include dirs + library).
#ifndef IKTEST_IK_TEST_HPP
#define IKTEST_IK_TEST_HPP

#include <invitekit/invitekit.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace iktest {

template <class T, void (*F)(T *)>
struct FreeWith {
  void operator()(T *p) const { F(p); }
};

using ClientPtr = std::unique_ptr<ik_client, FreeWith<ik_client, ik_client_free>>;
using ErrorPtr = std::unique_ptr<ik_error, FreeWith<ik_error, ik_error_free>>;
using InvitePtr = std::unique_ptr<ik_openai_invite, FreeWith<ik_openai_invite, ik_openai_invite_free>>;
using DeletionPtr = std::unique_ptr<ik_deletion, FreeWith<ik_deletion, ik_deletion_free>>;
using PagePtr = std::unique_ptr<ik_page, FreeWith<ik_page, ik_page_free>>;
using PagerPtr = std::unique_ptr<ik_pager, FreeWith<ik_pager, ik_pager_free>>;
using CancelPtr = std::unique_ptr<ik_cancel_token, FreeWith<ik_cancel_token, ik_cancel_token_free>>;
using TwilioInvitePtr = std::unique_ptr<ik_twilio_invite, FreeWith<ik_twilio_invite, ik_twilio_invite_free>>;
using TwilioUserPtr = std::unique_ptr<ik_twilio_user, FreeWith<ik_twilio_user, ik_twilio_user_free>>;
using FastlyPtr = std::unique_ptr<ik_fastly_invitation, FreeWith<ik_fastly_invitation, ik_fastly_invitation_free>>;

// "" for NULL, so that EXPECT_EQ on possibly-NULL strings prints something.
inline std::string str(const char *s) { return s ? std::string(s) : std::string(); }
inline bool is_null(const char *s) { return s == nullptr; }

// Borrowed bytes (common.h: `int32_t f(obj, const uint8_t **data, size_t *len)`)
// as a std::string; "" when absent. Always uses len: slices of a page body are
// not NUL-terminated.
inline std::string bytes(const uint8_t *data, size_t len) {
  return data ? std::string(reinterpret_cast<const char *>(data), len) : std::string();
}
template <class T>
std::string raw_json(int32_t (*f)(const T *, const uint8_t **, size_t *), const T *obj) {
  const uint8_t *data = nullptr;
  size_t len = 0;
  return f(obj, &data, &len) ? bytes(data, len) : std::string();
}

// An optional integer (`int32_t f(obj, int64_t *out)`, 1 when present) as
// std::optional, so that "absent" and a value compare in one EXPECT_EQ.
template <class T>
std::optional<int64_t> opt_int(int32_t (*f)(const T *, int64_t *), const T *obj) {
  int64_t v = 0;
  if (!f(obj, &v)) return std::nullopt;
  return v;
}

// A one-line description of an error for assertion messages.
inline std::string describe(const ik_error *err) {
  if (!err) return "(no error object)";
  std::string s = str(ik_status_name(ik_error_status(err)));
  s += " http=" + std::to_string(ik_error_http_status(err));
  s += " msg=\"" + str(ik_error_message(err)) + "\"";
  if (ik_error_provider_code(err)) s += " code=" + str(ik_error_provider_code(err));
  s += " curl=" + std::to_string(ik_error_transport_code(err));
  s += " attempts=" + std::to_string(ik_error_attempts(err));
  return s;
}

// An error slot that frees what it holds and prints itself.
struct Err {
  ik_error *e = nullptr;
  Err() = default;
  Err(const Err &) = delete;
  Err &operator=(const Err &) = delete;
  ~Err() { ik_error_free(e); }
  ik_error **out() {
    ik_error_free(e);
    e = nullptr;
    return &e;
  }
  const ik_error *get() const { return e; }
  std::string what() const { return describe(e); }
  explicit operator bool() const { return e != nullptr; }
};

// Client options for tests: everything explicit, environment and proxies
// ignored, retries off, short timeouts. `tweak` adjusts before ik_client_new.
// The strings are borrowed: keep them alive until ik_client_new returns.
inline ik_client_options test_options(const char *openai_base_url = nullptr, const char *admin_key = "sk-admin-test") {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
  o.openai_admin_key = admin_key;
  o.openai_base_url = openai_base_url;
  o.connect_timeout_ms = 5000;
  o.attempt_timeout_ms = 10000;
  o.max_retries = -1;
  return o;
}

// Creates a client or returns null with the error text in *why.
inline ClientPtr make_client(const ik_client_options &o, std::string *why = nullptr) {
  ik_client *c = nullptr;
  Err err;
  const ik_status st = ik_client_new(&o, &c, err.out());
  if (st != IK_STATUS_OK) {
    if (why) *why = err.what();
    return ClientPtr();
  }
  return ClientPtr(c);
}

// Sets/unsets environment variables for the life of the object, then
// restores the previous values.
class EnvGuard {
 public:
  EnvGuard() = default;
  EnvGuard(const EnvGuard &) = delete;
  EnvGuard &operator=(const EnvGuard &) = delete;
  ~EnvGuard() {
    for (auto &kv : saved_) {
      if (kv.second)
        ::setenv(kv.first.c_str(), kv.second->c_str(), 1);
      else
        ::unsetenv(kv.first.c_str());
    }
  }
  void set(const std::string &name, const std::string &value) {
    save(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string &name) {
    save(name);
    ::unsetenv(name.c_str());
  }

 private:
  void save(const std::string &name) {
    if (saved_.count(name)) return;
    const char *v = ::getenv(name.c_str());
    saved_[name] = v ? std::optional<std::string>(v) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

// Every environment variable the library documents as read.
inline const std::vector<std::string> &library_env_vars() {
  static const std::vector<std::string> v = {
      "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY",  "TWILIO_API_SECRET", "TWILIO_EDGE",
      "TWILIO_REGION",      "OPENAI_ADMIN_KEY",  "OPENAI_BASE_URL", "OPENAI_ORG_ID",     "OPENAI_PROJECT_ID",
      "FASTLY_API_TOKEN",   "FASTLY_API_KEY",    "FASTLY_API_URL",  "INVITEKIT_LOG",     "OPENAI_LOG",
      "TWILIO_LOG_LEVEL",   "FASTLY_DEBUG_MODE", "https_proxy",     "HTTPS_PROXY",       "http_proxy",
      "HTTP_PROXY",         "no_proxy",          "NO_PROXY",        "ALL_PROXY",         "all_proxy"};
  return v;
}

// A JSON invite as the OpenAI API returns it.
inline std::string openai_invite_json(const std::string &id, const std::string &email = "user@example.com",
                                      const std::string &extra = "") {
  std::string s = "{\"object\":\"organization.invite\",\"id\":\"" + id + "\",\"email\":\"" + email +
                  "\",\"role\":\"reader\",\"status\":\"pending\",\"created_at\":1711471533,"
                  "\"expires_at\":1712076333,\"accepted_at\":null,\"projects\":[]";
  if (!extra.empty()) s += "," + extra;
  s += "}";
  return s;
}

inline std::string openai_error_json(const std::string &message, const std::string &type, const char *param,
                                     const char *code) {
  auto q = [](const char *v) { return v ? "\"" + std::string(v) + "\"" : std::string("null"); };
  return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":" + q(param) +
         ",\"code\":" + q(code) + "}}";
}

}  // namespace iktest

#endif  // IKTEST_IK_TEST_HPP
