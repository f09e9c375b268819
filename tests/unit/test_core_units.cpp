// The core's pure functions, called directly (no server, no C ABI): dates,
// numbers, UTF-8, percent-encoding and forms, base64, URL parsing, same-origin
// and redaction, response headers, and the pager's public cursors. Linked
// against the internal static library (invitekit_internal_dep), which exposes
// src/ headers.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/headers.hpp"
#include "core/json.hpp"
#include "core/pager.hpp"

using namespace ik::detail;

namespace {

struct DateRow {
  const char *text;
  std::optional<int64_t> unix;
};

TEST(Dates, Iso8601) {
  const DateRow rows[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2024-02-29T12:34:56Z", 1709210096},
      {"2024-02-29T12:34:56.789Z", 1709210096},   // fractions dropped
      {"2024-02-29T14:34:56+02:00", 1709210096},  // offsets honoured
      {"2024-02-29T07:04:56-05:30", 1709210096},
      {"2023-02-29T00:00:00Z", std::nullopt},  // no 29 February in 2023
      {"2024-13-01T00:00:00Z", std::nullopt},
      {"2024-01-01", 1704067200},  // a date alone: midnight UTC
      {"2024-02-30", std::nullopt},
      {"2100-02-29T00:00:00Z", std::nullopt},  // 2100 is not a leap year
      {"2000-02-29T00:00:00Z", 951782400},     // 2000 is
      {"", std::nullopt},
      {"not a date", std::nullopt},
      {"2024-01-01T25:00:00Z", std::nullopt},
  };
  for (const auto &r : rows) EXPECT_EQ(parse_iso8601(r.text), r.unix) << r.text;
}

TEST(Dates, HttpDateInItsThreeForms) {
  const DateRow rows[] = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},   // IMF-fixdate
      {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},  // RFC 850
      {"Sun Nov  6 08:49:37 1994", 784111777},        // asctime
      {"Sun, 06 Nov 1994 08:49:37", 784111777},       // without the zone: read as GMT, its only zone
      {"Thu, 31 Feb 2024 08:49:37 GMT", std::nullopt}, {"", std::nullopt}, {"yesterday", std::nullopt},
  };
  for (const auto &r : rows) EXPECT_EQ(parse_http_date(r.text), r.unix) << r.text;
}

TEST(Numbers, StrictIntegers) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("-42"), -42);
  EXPECT_EQ(parse_int("+7"), 7);
  EXPECT_EQ(parse_int("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int("9223372036854775808"), std::nullopt);  // overflow
  for (const char *bad : {"", "-", "1.5", " 1", "1 ", "0x10", "1e3", "12a"})
    EXPECT_EQ(parse_int(bad), std::nullopt) << bad;
  EXPECT_EQ(parse_number("1.5"), 1.5);
  EXPECT_EQ(parse_number("30"), 30.0);
  for (const char *bad : {"", "-1", "abc", "1.5.2"}) EXPECT_EQ(parse_number(bad), std::nullopt) << bad;
}

TEST(Text, Utf8ValidityAndTrimming) {
  EXPECT_TRUE(valid_utf8("plain"));
  EXPECT_TRUE(valid_utf8("J\xC3\xBCrgen \xF0\x9F\x98\x80"));
  EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim_view("   "), "");
  EXPECT_TRUE(iequals("Retry-After", "retry-after"));
  EXPECT_FALSE(iequals("Retry-After", "Retry-Afte"));
  std::string secret = "sk-123";
  wipe(secret);
  EXPECT_TRUE(secret.empty());
}

TEST(Percent, SegmentsComponentsAndForms) {
  EXPECT_EQ(encode_path_segment("a b/c?d#e"), "a%20b%2Fc%3Fd%23e");
  EXPECT_EQ(encode_path_segment("."), "%2E");
  EXPECT_EQ(encode_path_segment(".."), "%2E%2E");
  EXPECT_EQ(encode_path_segment("J\xC3\xBC"), "J%C3%BC");
  EXPECT_EQ(encode_component("a+b c&d=e"), "a%2Bb%20c%26d%3De");
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  FormBuilder f;
  f.add("Identity", "alice@example.com");
  f.add("Identity", "bob smith");
  f.add("page[number]", "2", true);
  f.add("page[size]", "3");
  EXPECT_EQ(f.str(), "Identity=alice%40example.com&Identity=bob%20smith&page[number]=2&page%5Bsize%5D=3");
}

TEST(Base64, BothAlphabetsRoundTrip) {
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_encode("\xfb\xff", true, false), "-_8");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64_decode("+/8="), std::string("\xfb\xff"));
  EXPECT_EQ(base64_decode("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(base64_decode("d*=="), std::nullopt);
}

TEST(Urls, ParsingAndSameOrigin) {
  auto u = parse_url("HTTPS://User:Pw@Chat.Twilio.COM/v2/Services?PageSize=5");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "chat.twilio.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path_query, "/v2/Services?PageSize=5");
  EXPECT_TRUE(u->has_userinfo);
  auto v6 = parse_url("http://[::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(v6->path_query, "/");
  for (const char *bad : {"", "chat.twilio.com/v2", "ftp://x", "http://", "http://host:99999/"})
    EXPECT_FALSE(parse_url(bad)) << bad;

  EXPECT_TRUE(same_origin("https://chat.twilio.com/v2/a?x=1", "https://CHAT.twilio.com:443/"));
  EXPECT_FALSE(same_origin("https://chat.twilio.com/v2", "http://chat.twilio.com/v2"));         // scheme
  EXPECT_FALSE(same_origin("https://chat.twilio.com.evil.test/", "https://chat.twilio.com/"));  // host
  EXPECT_FALSE(same_origin("https://chat.twilio.com:8443/", "https://chat.twilio.com/"));       // port
}

TEST(Urls, RedactionKeepsTheShapeAndDropsTheSecrets) {
  EXPECT_EQ(redact_url("https://ACxx:secret@api.twilio.com/v1?PageSize=5"),
            "https://[REDACTED]@api.twilio.com/v1?PageSize=5");
  const std::string r = redact_url("https://h.test/cb?token=abc&page=2&api_key=k1&Signature=s");
  EXPECT_EQ(r.find("abc"), std::string::npos) << r;
  EXPECT_EQ(r.find("k1"), std::string::npos) << r;
  EXPECT_EQ(r.find("=s"), std::string::npos) << r;
  EXPECT_NE(r.find("page=2"), std::string::npos) << r;
  EXPECT_EQ(redact_url("https://h.test/plain?a=1"), "https://h.test/plain?a=1");
  for (const char *h : {"Authorization", "authorization", "Fastly-Key", "Cookie", "Proxy-Authorization"})
    EXPECT_TRUE(is_secret_header(h)) << h;
  for (const char *h : {"Content-Type", "Twilio-Request-Id", "Retry-After"}) EXPECT_FALSE(is_secret_header(h)) << h;
}

TEST(ResponseHeaders, FirstValueCaseInsensitiveInOrder) {
  Headers h;
  h.add("Retry-After", "3");
  h.add("X-Request-Id", "req_1");
  h.add("retry-after", "9");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_STREQ(h.find("RETRY-AFTER"), "3");
  EXPECT_STREQ(h.find("x-request-id"), "req_1");
  EXPECT_EQ(h.find("Retry"), nullptr);
  EXPECT_STREQ(h.name_at(2), "retry-after");
  EXPECT_STREQ(h.value_at(2), "9");
  h.clear();
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.find("Retry-After"), nullptr);
}

ListSpec spec_of(Scheme scheme, int32_t kind) {
  ListSpec s;
  s.scheme = scheme;
  s.kind = kind;
  return s;
}

TEST(Cursors, RoundTripForEverySchemeAndRefusedByOtherLists) {
  const ListSpec openai = spec_of(Scheme::AfterId, IK_KIND_OPENAI_INVITE);
  const ListSpec fastly = spec_of(Scheme::PageNumber, IK_KIND_FASTLY_INVITATION);
  const ListSpec users = spec_of(Scheme::NextUrl, IK_KIND_TWILIO_USER);
  const ListSpec invites = spec_of(Scheme::NextUrl, IK_KIND_TWILIO_INVITE);
  struct Row {
    const ListSpec *spec;
    std::string raw;
    int64_t skip;
  };
  const Row rows[] = {
      {&openai, "invite-abc", 0},
      {&openai, "invite-abc", 57},
      {&fastly, "12", 3},
      {&users, "https://chat.twilio.com/v2/Services/IS1/Users?PageSize=50&PageToken=PT50", 0},
      {&users, "", 0},  // the first page
  };
  for (const auto &r : rows) {
    const std::string text = encode_cursor(*r.spec, r.raw, r.skip);
    for (char c : text) ASSERT_TRUE(c > 0x20 && c < 0x7f) << text;  // opaque ASCII
    const Cursor c = decode_cursor(*r.spec, text.c_str());
    EXPECT_EQ(c.raw, r.raw);
    EXPECT_EQ(c.skip, r.skip);
  }
  const std::string text = encode_cursor(users, "https://chat.twilio.com/v2/x", 1);
  for (const ListSpec *other : {&openai, &fastly, &invites}) {
    try {
      decode_cursor(*other, text.c_str());
      ADD_FAILURE() << "a cursor of another list was accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.info().status, IK_STATUS_INVALID_ARGUMENT);
    }
  }
  EXPECT_EQ(decode_cursor(openai, nullptr).raw, "");
  EXPECT_EQ(decode_cursor(openai, "").skip, 0);
}

TEST(Cursors, DamagedCursorsAreInvalidArguments) {
  const ListSpec openai = spec_of(Scheme::AfterId, IK_KIND_OPENAI_INVITE);
  const std::string good = encode_cursor(openai, "invite-abc", 2);
  const std::vector<std::string> bad = {
      "garbage",
      "ik1.o" + std::to_string(IK_KIND_OPENAI_INVITE) + ".",             // no skip
      "ik1.o" + std::to_string(IK_KIND_OPENAI_INVITE) + ".-1.aW52aXRl",  // negative skip
      "ik1.o" + std::to_string(IK_KIND_OPENAI_INVITE) + ".x.aW52aXRl",   // skip not a number
      "ik1.o" + std::to_string(IK_KIND_OPENAI_INVITE) + ".0.***",        // not base64
      "ik1.o" + std::to_string(IK_KIND_OPENAI_INVITE) + ".0." + base64_encode("\xff\xfe", true, false),  // not UTF-8
      "ik2" + good.substr(3),  // another format version
  };
  for (const auto &b : bad) {
    try {
      decode_cursor(openai, b.c_str());
      ADD_FAILURE() << "accepted: " << b;
    } catch (const Error &e) {
      EXPECT_EQ(e.info().status, IK_STATUS_INVALID_ARGUMENT) << b;
      EXPECT_EQ(e.info().message.find("invite-abc"), std::string::npos);
    }
  }
}

// Field text (issue #19): NUL-terminated copies in one block that never grows;
// a body's own string fields always fit in an arena of the body's size.
TEST(TextArena, CopiesStayPutAndTheCapacityIsABound) {
  TextArena text(8);
  const std::string_view a = text.add("abc");
  const std::string_view b = text.add("");
  EXPECT_EQ(a, "abc");
  EXPECT_EQ(a.data()[3], '\0');
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.data()[0], '\0');
  EXPECT_EQ(b.data(), a.data() + 4);
  const std::string_view c = text.add("xy");  // 3 + 1 + 1 + 3 = 8: full
  EXPECT_EQ(std::string(c.data()), "xy");
  try {
    text.add("");
    ADD_FAILURE() << "added past the capacity";
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_INTERNAL);
  }
  EXPECT_EQ(std::string(a.data()), "abc");  // earlier views untouched
}

TEST(TextArena, EveryStringOfABodyFitsInItsSize) {
  // Empty strings and escapes are the tightest cases: "" takes 2 bytes of
  // body for 1 byte of arena, "\u00e9" 6 bytes for 3.
  std::string body = R"({"a":"","b":"\u00e9","c":[""],"d":{"e":""}})";
  pad_for_parse(body);
  simdjson::dom::parser parser;
  JsonObject o = as_object(parse_json(parser, body, "body"), "body");
  TextArena text(body.size());
  EXPECT_EQ(get_field(o, "a", text).v, "");
  EXPECT_EQ(get_field(o, "b", text).v, "\xc3\xa9");
  EXPECT_EQ(get_field(*get_obj(o, "d"), "e", text).v, "");
  const Field absent = get_field(o, "zz", text);
  EXPECT_FALSE(absent.set);
  EXPECT_EQ(absent.c(), nullptr);
}

// An independent reference for array_item_slices: a byte-level JSON skipper
// (strings and escapes by hand, no simdjson) that returns the bytes of each
// element of the array value of the first root member named `key`.
struct RefSlicer {
  std::string_view s;
  size_t p = 0;
  void ws() {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t')) ++p;
  }
  std::string_view string() {  // raw, between the quotes
    const size_t b = ++p;
    while (s[p] != '"') p += s[p] == '\\' ? 2 : 1;
    return s.substr(b, p++ - b);
  }
  void value() {
    ws();
    if (s[p] == '"') {
      string();
    } else if (s[p] == '{' || s[p] == '[') {
      const char close = s[p] == '{' ? '}' : ']';
      ++p;
      ws();
      while (s[p] != close) {
        if (close == '}') {
          string();
          ws();
          ++p;  // ':'
        }
        value();
        ws();
        if (s[p] == ',') ++p;
        ws();
      }
      ++p;
    } else {
      while (p < s.size() && std::string_view(" \n\r\t,]}").find(s[p]) == std::string_view::npos) ++p;
    }
  }
  std::vector<std::string_view> items(std::string_view key) {
    p = 0;
    ws();
    ++p;  // '{'
    for (;;) {
      ws();
      const std::string_view k = string();
      ws();
      ++p;  // ':'
      ws();
      if (k == key) break;
      value();
      ws();
      ++p;  // ','
    }
    std::vector<std::string_view> out;
    ++p;  // '['
    ws();
    while (s[p] != ']') {
      const size_t b = p;
      value();
      out.push_back(s.substr(b, p - b));
      ws();
      if (s[p] == ',') ++p;
      ws();
    }
    return out;
  }
};

std::vector<std::string> slices_of(std::string body, std::string_view key) {
  pad_for_parse(body);
  simdjson::dom::parser parser;
  const JsonDoc doc = parse_json(parser, body, "body");
  const auto member = find_root_member(doc, key);
  EXPECT_TRUE(member.has_value()) << body;
  std::vector<std::string_view> views;
  if (member) array_item_slices(doc, member->first, views);
  for (auto v : views) {  // views into this body
    EXPECT_GE(v.data(), body.data());
    EXPECT_LE(v.data() + v.size(), body.data() + body.size());
  }
  return {views.begin(), views.end()};
}

TEST(ArraySlices, ExactBytesOfEachItem) {
  // Expected slices written out: a slicer off by one byte, or keeping the
  // whitespace around an item, fails here.
  EXPECT_EQ(slices_of(R"({"data":[{"a":1},{"b":"]},{"}]})", "data"),
            (std::vector<std::string>{R"({"a":1})", R"({"b":"]},{"})"}));
  EXPECT_EQ(slices_of("{\n  \"data\" : [\n    {\"a\": [1, 2]} ,\n\t{ }\r\n  ]\n}", "data"),
            (std::vector<std::string>{R"({"a": [1, 2]})", "{ }"}));
  EXPECT_EQ(slices_of(R"({"meta":{"data":[9]},"x":[[1],{"y":"\"]"}],"data":[ ]})", "data"), std::vector<std::string>{});
  EXPECT_EQ(slices_of(R"({"data":[ 12 , "a\"b" ,true,null,-1.5e3 ,[] ]})", "data"),
            (std::vector<std::string>{"12", R"("a\"b")", "true", "null", "-1.5e3", "[]"}));
  // Duplicate root keys: the first, as at_key (and so the DOM items) has it.
  EXPECT_EQ(slices_of(R"({"data":[{"n":1}],"data":[{"n":2},{"n":3}]})", "data"),
            std::vector<std::string>{R"({"n":1})"});
}

std::string member_slice_of(std::string body, std::string_view key) {
  pad_for_parse(body);
  simdjson::dom::parser parser;
  const JsonDoc doc = parse_json(parser, body, "body");
  const auto member = find_root_member(doc, key);
  EXPECT_TRUE(member.has_value()) << body;
  return member ? std::string(member_slice(doc, member->first)) : std::string();
}

TEST(ArraySlices, MemberSliceIsTheValuesExactBytes) {
  EXPECT_EQ(member_slice_of(R"({"data":{"id":"x","b":"}],{"}})", "data"), R"({"id":"x","b":"}],{"})");
  EXPECT_EQ(member_slice_of("{\n  \"meta\" : [1,{\"data\":2}],\n  \"data\" : {\n    \"a\": [1, 2]\n  }\n}\n", "data"),
            "{\n    \"a\": [1, 2]\n  }");
  EXPECT_EQ(member_slice_of(R"({"a":1,"data":"s\"}" , "z":null})", "data"), R"("s\"}")");
  EXPECT_EQ(member_slice_of(R"({"a":1,"data":-2.5e3})", "data"), "-2.5e3");
  EXPECT_EQ(member_slice_of(R"({"data":{"n":1},"data":{"n":2}})", "data"), R"({"n":1})");  // the first, as at_key
}

TEST(ArraySlices, MatchAnIndependentSlicerOverManyShapes) {
  const std::vector<std::string> items = {
      R"({})",
      R"({"id":"a","n":1})",
      R"({"s":"brackets ]}[{ and commas , , in a string"})",
      R"({"e":"escapes \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \\\""})",
      R"({"nested":{"a":[{"b":[[],[{}]]},{"c":{"d":null}}],"e":[1,2.5,-3e-2,true,false,null]}})",
      R"({"projects":[{"id":"p","role":"member"}],"links":{"x":"http://h/a?b=[1]&c={2}"}})",
      R"({"k\u0065y":"v","":""})",
      R"({"deep":[[[[[[[[1]]]]]]]]})",
  };
  const std::vector<std::string> spaces = {"", " ", "\n  ", "\n\t", "\r\n    ", "  \n"};
  const std::vector<std::string> others = {R"("object":"list")", R"("meta":{"page":0,"key":"data","x":[{"data":[]}]})",
                                           R"("first_id":"]\",\"[")", R"("has_more":false)", R"("n":[1,[2,{"3":4}]])"};
  std::mt19937 rng(19);
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string &sp = spaces[rng() % spaces.size()];
    const std::string &sp2 = spaces[rng() % spaces.size()];
    std::vector<std::string> members;
    for (size_t i = 0, n = rng() % 3; i < n; ++i) members.push_back(others[rng() % others.size()]);
    std::string arr = "[" + sp;
    const size_t count = round % 7 == 0 ? 0 : round % 7 == 1 ? 1 : rng() % 12;
    for (size_t i = 0; i < count; ++i) {
      if (i) arr += sp2 + "," + sp;
      arr += items[rng() % items.size()];
    }
    arr += sp2 + "]";
    members.insert(members.begin() + static_cast<long>(rng() % (members.size() + 1)),
                   "\"data\"" + sp + ":" + sp2 + arr);
    for (size_t i = 0, n = rng() % 2; i < n; ++i) members.push_back(others[rng() % others.size()]);
    std::string body = sp + "{" + sp;
    for (size_t i = 0; i < members.size(); ++i) body += (i ? sp2 + "," + sp : std::string()) + members[i];
    body += sp2 + "}" + sp;
    const std::vector<std::string_view> want_views = RefSlicer{body}.items("data");
    const std::vector<std::string> want(want_views.begin(), want_views.end());
    ASSERT_EQ(want.size(), count) << body;
    EXPECT_EQ(slices_of(body, "data"), want) << body;
    ++checked;
  }
  EXPECT_EQ(checked, 400);
}

// Members (one walk over an object's fields) reads what get_* (one at_key
// per field) reads, whatever the order of the fields.
TEST(Members, SameAsOneLookupPerKey) {
  constexpr std::array<std::string_view, 6> keys{"id", "ab", "ba", "n", "b", "missing"};
  const char *bodies[] = {
      R"({"id":"x","ab":"1","ba":"2","n":3,"b":true})",
      R"({"b":false,"n":-1,"ba":"","ab":null,"id":"\u00e9"})",
      R"({"zz":1,"id":"dup1","ab":"a","id":"dup2","n":1,"n":2,"unknown":{"id":"inner"}})",  // first of duplicates
      R"({"a":1,"abc":"x","i":"y","ba":"first","ba":"second"})",                            // same lengths, other bytes
      R"({})",
  };
  for (const char *text : bodies) {
    std::string body = text;
    pad_for_parse(body);
    simdjson::dom::parser parser;
    JsonObject o = as_object(parse_json(parser, body, "body"), "body");
    TextArena t1(body.size()), t2(body.size());
    const Members m(o, keys);
    for (size_t i : {0, 1, 2}) {
      const Field a = m.text(i, t1), b = get_field(o, keys[i], t2);
      EXPECT_EQ(a.set, b.set) << text << " " << keys[i];
      EXPECT_EQ(a.v, b.v) << text << " " << keys[i];
      EXPECT_EQ(m.has(i), o.at_key(keys[i]).error() == simdjson::SUCCESS) << text << " " << keys[i];
    }
    EXPECT_EQ(m.integer(3).set, get_int(o, "n").set) << text;
    EXPECT_EQ(m.integer(3).v, get_int(o, "n").v) << text;
    EXPECT_EQ(m.boolean(4), get_bool(o, "b")) << text;
    EXPECT_FALSE(m.has(5));
    EXPECT_FALSE(m.text(5, t1).set);
  }
}

TEST(Members, FirstOfDuplicatesAbsentNullEmptyAndWrongTypes) {
  constexpr std::array<std::string_view, 4> keys{"id", "null", "empty", "obj"};
  std::string body = R"({"obj":{"id":"in"},"id":"first","null":null,"empty":"","id":"second","obj":7})";
  pad_for_parse(body);
  simdjson::dom::parser parser;
  JsonObject o = as_object(parse_json(parser, body, "body"), "body");
  TextArena text(body.size());
  const Members m(o, keys);
  EXPECT_EQ(m.text(0, text).v, "first");
  const Field null = m.text(1, text), empty = m.text(2, text);
  EXPECT_FALSE(null.set);
  EXPECT_TRUE(empty.set);
  EXPECT_EQ(empty.v, "");
  ASSERT_TRUE(m.object(3).has_value());  // the first "obj", not the 7
  EXPECT_EQ(Members(*m.object(3), std::array<std::string_view, 1>{"id"}).text(0, text).v, "in");
  try {
    (void)m.integer(0);
    ADD_FAILURE() << "a string read as an integer";
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, IK_STATUS_PARSE);
    EXPECT_NE(e.info().message.find("'id'"), std::string::npos) << e.info().message;
  }
}

}  // namespace
