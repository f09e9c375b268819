// tests/support/wire.hpp - what tests read back from the wire and from
// results: percent-decoding, query and form parsing, JSON documents and
// structural JSON comparison. Header-only, shared by every C++ test suite
// (one copy instead of one per suite).
#ifndef IKTEST_WIRE_HPP
#define IKTEST_WIRE_HPP

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iktest {

// Percent-decoding; with `form`, '+' also decodes to a space.
inline std::string pct_decode(const std::string &s, bool form = false) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit((unsigned char)s[i + 1]) &&
        std::isxdigit((unsigned char)s[i + 2])) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else if (form && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=2" -> ordered, form-decoded (key, value) pairs.
inline Pairs split_form(const std::string &q) {
  Pairs out;
  size_t start = 0;
  while (start <= q.size() && !q.empty()) {
    size_t amp = q.find('&', start);
    if (amp == std::string::npos) amp = q.size();
    std::string part = q.substr(start, amp - start);
    size_t eq = part.find('=');
    if (eq == std::string::npos)
      out.emplace_back(pct_decode(part, true), std::string("<no '='>"));
    else
      out.emplace_back(pct_decode(part.substr(0, eq), true), pct_decode(part.substr(eq + 1), true));
    start = amp + 1;
    if (amp == q.size()) break;
  }
  return out;
}

// Raw query "a=1&b=2" -> ordered (key, value) pairs, percent-decoded ('+'
// kept; a key without '=' has an empty value).
inline Pairs parse_query(const std::string &q) {
  Pairs out;
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

// Parsed JSON document kept alive with its parser.
struct Json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool ok = false;
  std::string error;
  explicit Json(const std::string &text) {
    auto r = parser.parse(text);
    if (r.error()) {
      error = simdjson::error_message(r.error());
      return;
    }
    root = r.value_unsafe();
    ok = true;
  }
  Json(const Json &) = delete;
  Json &operator=(const Json &) = delete;
};

// Structural JSON equality (object key order ignored, duplicate keys rejected);
// on mismatch *why says where.
inline bool json_equal(simdjson::dom::element a, simdjson::dom::element b, const std::string &at, std::string *why) {
  using T = simdjson::dom::element_type;
  auto fail = [&](const std::string &m) {
    if (why && why->empty()) *why = at + ": " + m;
    return false;
  };
  T ta = a.type(), tb = b.type();
  auto numeric = [](T t) { return t == T::INT64 || t == T::UINT64 || t == T::DOUBLE; };
  if (numeric(ta) && numeric(tb)) {
    if (ta == T::DOUBLE || tb == T::DOUBLE) return double(a) == double(b) ? true : fail("numbers differ");
    return simdjson::to_string(a) == simdjson::to_string(b) ? true : fail("numbers differ");
  }
  if (ta != tb)
    return fail("types differ: " + std::string(simdjson::to_string(a)) + " vs " + std::string(simdjson::to_string(b)));
  switch (ta) {
    case T::OBJECT: {
      simdjson::dom::object oa = a, ob = b;
      if (oa.size() != ob.size())
        return fail("key count differs: " + std::string(simdjson::to_string(a)) + " vs " +
                    std::string(simdjson::to_string(b)));
      for (auto field : oa) {
        simdjson::dom::element other;
        if (ob.at_key(field.key).get(other)) return fail("missing key '" + std::string(field.key) + "'");
        if (!json_equal(field.value, other, at + "." + std::string(field.key), why)) return false;
      }
      return true;
    }
    case T::ARRAY: {
      simdjson::dom::array xa = a, xb = b;
      if (xa.size() != xb.size()) return fail("array sizes differ");
      size_t i = 0;
      auto ib = xb.begin();
      for (auto ea : xa) {
        if (!json_equal(ea, *ib, at + "[" + std::to_string(i) + "]", why)) return false;
        ++ib;
        ++i;
      }
      return true;
    }
    case T::STRING: return std::string_view(a) == std::string_view(b) ? true : fail("strings differ");
    case T::BOOL: return bool(a) == bool(b) ? true : fail("booleans differ");
    case T::NULL_VALUE: return true;
    default: return fail("unexpected type");
  }
}

// EXPECT-style helper: actual JSON text equals the expected JSON text structurally.
inline ::testing::AssertionResult SameJson(const std::string &actual, const std::string &expected) {
  Json ja(actual), je(expected);
  if (!ja.ok) return ::testing::AssertionFailure() << "actual is not JSON (" << ja.error << "): " << actual;
  if (!je.ok) return ::testing::AssertionFailure() << "expected is not JSON (" << je.error << "): " << expected;
  std::string why;
  if (!json_equal(ja.root, je.root, "$", &why))
    return ::testing::AssertionFailure() << why << "\n  actual:   " << actual << "\n  expected: " << expected;
  return ::testing::AssertionSuccess();
}

// The query value of `key` in a raw query, or "<absent>".
inline std::string query_value(const std::string &raw_query, const std::string &key) {
  for (auto &kv : split_form(raw_query))
    if (kv.first == key) return kv.second;
  return "<absent>";
}

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

#endif  // IKTEST_WIRE_HPP
