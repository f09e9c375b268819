// tests/providers/prov_util.hpp - helpers shared by the Twilio and Fastly
// provider tests: clients pointed at a MockServer, wire-format helpers
// (percent-decoding, form/query splitting, base64) and JSON comparison.
#ifndef IKTEST_PROV_UTIL_HPP
#define IKTEST_PROV_UTIL_HPP

#include <gtest/gtest.h>
#include <invitekit/invitekit.h>
#include <simdjson.h>

#include <chrono>
#include <cctype>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "ik_test.hpp"
#include "mock_server.hpp"
#include "wire.hpp"

namespace prov {

using namespace iktest;

constexpr const char *kAccountSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char *kAuthToken = "tw-auth-token-xyz";
constexpr const char *kApiKey = "SK00112233445566778899aabbccddeeff";
constexpr const char *kApiSecret = "tw-api-secret-abc";
constexpr const char *kService = "IS00000000000000000000000000000001";
constexpr const char *kChannel = "CH00000000000000000000000000000002";
constexpr const char *kInviteSid = "IN00000000000000000000000000000003";
constexpr const char *kRole = "RL00000000000000000000000000000004";
constexpr const char *kFastlyToken = "fastly-token-123";

using TwInvitePtr = TwilioInvitePtr;
using TwUserPtr = TwilioUserPtr;
using FlInvPtr = FastlyPtr;

struct Buf {
  ik_buf b = IK_BUF_INIT;
  Buf() = default;
  Buf(const Buf &) = delete;
  Buf &operator=(const Buf &) = delete;
  ~Buf() { ik_buf_dispose(&b); }
  std::string s() const { return b.data ? std::string(reinterpret_cast<const char *>(b.data), b.len) : std::string(); }
};

// Options for a client that talks to `base` for Twilio and Fastly, with
// everything explicit (environment and proxies ignored, no retries).
inline ik_client_options options_for(const std::string &base) {
  ik_client_options o = test_options(nullptr);
  o.twilio_account_sid = kAccountSid;
  o.twilio_auth_token = kAuthToken;
  o.twilio_base_url = base.c_str();
  o.fastly_api_token = kFastlyToken;
  o.fastly_base_url = base.c_str();
  return o;
}

inline std::string b64(const std::string &in) {
  static const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += a[v >> 18 & 63];
    out += a[v >> 12 & 63];
    out += a[v >> 6 & 63];
    out += a[v & 63];
  }
  if (in.size() - i == 1) {
    unsigned v = (unsigned char)in[i] << 16;
    out += a[v >> 18 & 63];
    out += a[v >> 12 & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += a[v >> 18 & 63];
    out += a[v >> 12 & 63];
    out += a[v >> 6 & 63];
    out += '=';
  }
  return out;
}

inline std::string basic(const std::string &user, const std::string &pass) { return "Basic " + b64(user + ":" + pass); }

// Last path segment, raw.
inline std::string last_segment(const std::string &path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

inline void expect_user_agent(const RecordedRequest &r) {
  const std::string ua = r.header("User-Agent");
  EXPECT_EQ(ua.rfind(std::string("invitekit/") + IK_VERSION_STRING, 0), 0u) << "User-Agent: " << ua;
}

// Clears every environment variable the library reads, for the life of the
// object (then restores them).
struct CleanEnv {
  EnvGuard guard;
  CleanEnv() {
    for (const auto &v : library_env_vars()) guard.unset(v);
  }
};

// Client options that DO read the environment (proxies excepted), no retries.
inline ik_client_options env_options() {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_NO_PROXY_ENV;
  o.max_retries = -1;
  o.connect_timeout_ms = 5000;
  o.attempt_timeout_ms = 10000;
  return o;
}

// Drains an item pager with `next` (ik_pager_next_<kind>), freeing each item
// with `free_fn` and collecting `name(item)`; stops at the end, on an error
// (reported as a test failure) or after `limit` items.
template <class T>
std::vector<std::string> drain_items(ik_pager *p,
                                     ik_status (*next)(ik_pager *, const ik_call_options *, T **, ik_error **),
                                     void (*free_fn)(T *), const char *(*name)(const T *), int limit = 100) {
  std::vector<std::string> out;
  for (int i = 0; i < limit; ++i) {
    T *item = nullptr;
    Err err;
    const ik_status st = next(p, nullptr, &item, err.out());
    EXPECT_EQ(st, IK_STATUS_OK) << err.what();
    if (st != IK_STATUS_OK || !item) break;
    out.push_back(str(name(item)));
    free_fn(item);
  }
  return out;
}

// A fixture with a MockServer and a client for it.
class ProvFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    base = server.base_url();
    std::string why;
    client = make_client(options_for(base), &why);
    ASSERT_TRUE(client) << why;
  }
  void TearDown() override { client.reset(); }
  MockServer server;
  std::string base;
  ClientPtr client;
};

}  // namespace prov

#endif  // IKTEST_PROV_UTIL_HPP
