// tests/support/mock_fixture.hpp - a gtest fixture with a MockServer and an
// OpenAI client pointed at it, and client options that own their strings.
// Includes the rest of the support library (ik_test.hpp, mock_server.hpp,
// wire.hpp).
#ifndef IKTEST_MOCK_FIXTURE_HPP
#define IKTEST_MOCK_FIXTURE_HPP

#include <gtest/gtest.h>
#include <simdjson.h>

#include <list>
#include <string>

#include "ik_test.hpp"
#include "mock_server.hpp"
#include "wire.hpp"

namespace iktest {

// Client options plus the strings they point into (non-copyable on purpose).
struct OwnedOptions {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  std::list<std::string> keep;

  OwnedOptions() = default;
  OwnedOptions(const OwnedOptions &) = delete;
  OwnedOptions &operator=(const OwnedOptions &) = delete;
  const char *hold(const std::string &s) {
    keep.push_back(s);
    return keep.back().c_str();
  }
  ClientPtr make() const {
    std::string why;
    ClientPtr c = make_client(o, &why);
    EXPECT_TRUE(c) << "ik_client_new failed: " << why;
    return c;
  }
};

// An OpenAI client's options: the base URL and admin key (test_options otherwise).
struct Opts : OwnedOptions {
  explicit Opts(const std::string &openai_url, const std::string &key = "sk-admin-test") {
    o = test_options(nullptr, nullptr);
    if (!openai_url.empty()) o.openai_base_url = hold(openai_url);
    if (!key.empty()) o.openai_admin_key = hold(key);
  }
};

// A fixture with one MockServer and one client pointed at it.
class MockFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    client = Opts(server.base_url()).make();
    ASSERT_TRUE(client);
  }
  void TearDown() override { client.reset(); }
  MockServer server;
  ClientPtr client;
};

}  // namespace iktest

#endif  // IKTEST_MOCK_FIXTURE_HPP
