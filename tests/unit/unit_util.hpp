// tests/unit/unit_util.hpp - shared helpers of the unit suites: a fixture with
// a MockServer and an OpenAI client, option holders and JSON/URL helpers.
#ifndef IKTEST_UNIT_UTIL_HPP
#define IKTEST_UNIT_UTIL_HPP

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ik_test.hpp"
#include "mock_server.hpp"

namespace iktest {

// Client options plus the strings they point into (non-copyable on purpose).
struct Opts {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  std::list<std::string> keep;

  explicit Opts(const std::string &openai_url, const std::string &key = "sk-admin-test") {
    o = test_options(nullptr, nullptr);
    if (!openai_url.empty()) o.openai_base_url = hold(openai_url);
    if (!key.empty()) o.openai_admin_key = hold(key);
  }
  Opts(const Opts &) = delete;
  Opts &operator=(const Opts &) = delete;
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

// Percent-decoding (for comparing encoded path segments without caring about
// the case of hex digits).
inline std::string pct_decode(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Raw query "a=1&b=2" -> ordered (key, value) pairs, decoded.
inline std::vector<std::pair<std::string, std::string>> parse_query(const std::string &q) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < q.size()) {
    size_t amp = q.find('&', start);
    if (amp == std::string::npos) amp = q.size();
    const std::string kv = q.substr(start, amp - start);
    const size_t eq = kv.find('=');
    if (!kv.empty())
      out.emplace_back(pct_decode(kv.substr(0, eq)), eq == std::string::npos ? "" : pct_decode(kv.substr(eq + 1)));
    start = amp + 1;
  }
  return out;
}

// Parses JSON text with simdjson's DOM API. The parser must outlive the element.
struct Json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool ok = false;
  std::string error;
  explicit Json(const std::string &text) {
    auto r = parser.parse(text);
    if (r.error()) {
      error = simdjson::error_message(r.error());
    } else {
      root = r.value();
      ok = true;
    }
  }
  Json(const Json &) = delete;
  Json &operator=(const Json &) = delete;
};

// Sorted keys of a JSON object.
inline std::vector<std::string> keys_of(simdjson::dom::object obj) {
  std::vector<std::string> k;
  for (auto field : obj) k.emplace_back(field.key);
  std::sort(k.begin(), k.end());
  return k;
}

inline std::string get_string(simdjson::dom::element e, const char *key) {
  std::string_view sv;
  if (e[key].get(sv)) return "<missing or not a string>";
  return std::string(sv);
}

}  // namespace iktest

#endif  // IKTEST_UNIT_UTIL_HPP
