// Process behaviour of invitekit-emulator: CLI, shutdown, seeding, state
// files, fault injection (CLI and control endpoint) and the request log.
#include "harness.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

using namespace emutest;

namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string fresh_dir(const char *name) {
  std::string tmpl = ::testing::TempDir() + "/" + name + "-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// Everything the emulator serves, with its own base URL replaced.
std::string snapshot(const Emulator &emu) {
  std::string all = twilio(emu, "GET", kUsers + "?PageSize=100").body +
                    twilio(emu, "GET", kInvites + "?PageSize=1000").body +
                    openai(emu, "GET", "/v1/organization/invites?limit=100").body +
                    fastly(emu, "GET", "/invitations?page[size]=100").body;
  return replace_all(all, emu.url(), "BASE");
}

}  // namespace

TEST(EmulatorCli, HelpVersionAndBadArguments) {
  const CommandResult help = run_emulator_command({"--help"}, std::chrono::seconds(10));
  EXPECT_TRUE(help.exit.exited);
  EXPECT_EQ(help.exit.code, 0);
  for (const char *text :
       {"AC00000000000000000000000000000000", "emulator-twilio-token", "SK00000000000000000000000000000000",
        "emulator-twilio-secret", "sk-admin-emulator", "emulator-fastly-token", "--fault", "count=N", "reset-mid-body",
        "slow-body=MS", "/__emulator/faults"}) {
    EXPECT_NE(help.out.find(text), std::string::npos) << text;
  }
  const CommandResult version = run_emulator_command({"--version"}, std::chrono::seconds(10));
  EXPECT_EQ(version.exit.code, 0);
  EXPECT_EQ(version.out.rfind("invitekit-emulator ", 0), 0u);
  EXPECT_EQ(run_emulator_command({"--bogus"}, std::chrono::seconds(10)).exit.code, 2);
  EXPECT_EQ(run_emulator_command({"--port", "70000"}, std::chrono::seconds(10)).exit.code, 2);
  EXPECT_EQ(run_emulator_command({"--port", "0", "--fault", "GET /x explode"}, std::chrono::seconds(10)).exit.code, 1);
}

TEST(EmulatorCli, FirstLineHasUrlWithoutQuietToo) {
  // Not --quiet: the credentials follow, but the first line carries the URL.
  Emulator emu({"--log-requests"}, false);
  EXPECT_EQ(emu.url().rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_EQ(control(emu, "GET", "/__emulator/health").status, 200);
  EXPECT_EQ(emu.stop(SIGTERM).code, 0);
}

TEST(EmulatorLifecycle, SigtermAndSigintExitZero) {
  for (const int sig : {SIGTERM, SIGINT}) {
    Emulator emu;
    EXPECT_EQ(control(emu, "GET", "/__emulator/health").status, 200);
    const Exit e = emu.stop(sig);
    EXPECT_TRUE(e.exited) << "signal " << sig;
    EXPECT_EQ(e.code, 0);
  }
}

TEST(EmulatorSeed, SameSeedServesSameData) {
  Emulator a({"--seed", "12"});
  Emulator b({"--seed", "12"});
  Emulator c({"--seed", "13"});
  const std::string sa = snapshot(a);
  EXPECT_EQ(sa, snapshot(b));
  EXPECT_NE(sa, snapshot(c));
  const Json health(control(a, "GET", "/__emulator/health").body);
  EXPECT_EQ(health.num("/counts/twilio_users"), 12);
  EXPECT_EQ(health.num("/counts/twilio_invites"), 12);
  EXPECT_EQ(health.num("/counts/openai_invites"), 12);
  EXPECT_EQ(health.num("/counts/fastly_invitations"), 12);
  // reset clears, reset?seed=N re-seeds the same data.
  EXPECT_EQ(Json(control(a, "POST", "/__emulator/reset").body).num("/counts/openai_invites"), 0);
  EXPECT_EQ(Json(twilio(a, "GET", kUsers).body).size("/users"), 0u);
  ASSERT_EQ(control(a, "POST", "/__emulator/reset?seed=12").status, 200);
  EXPECT_EQ(snapshot(a), sa);
}

TEST(EmulatorState, SavedOnShutdownAndLoadedAtStart) {
  const std::string state = fresh_dir("emu-state") + "/state.json";
  std::string user_sid, openai_id, fastly_id, invite_sid;
  {
    Emulator emu({"--state", state});
    user_sid = Json(twilio(emu, "POST", kUsers, "Identity=x%2Fy&FriendlyName=%C3%A9").body).str("/sid");
    invite_sid = Json(twilio(emu, "POST", kInvites, "Identity=x%2Fy").body).str("/sid");
    const std::string oa =
        Json(openai(emu, "POST", "/v1/organization/invites", R"({"email":"s@t.u","role":"owner"})").body).str("/id");
    openai_id =
        Json(openai(emu, "POST", "/v1/organization/invites", R"({"email":"v@w.x","role":"reader"})").body).str("/id");
    ASSERT_EQ(control(emu, "POST", "/__emulator/openai/invites/" + oa + "/accept").status, 200);
    fastly_id =
        Json(fastly(emu, "POST", "/invitations", R"({"data":{"type":"invitation","attributes":{"email":"f@g.h"}}})")
                 .body)
            .str("/data/id");
    const Exit e = emu.stop(SIGTERM);
    EXPECT_EQ(e.code, 0);
  }
  ASSERT_TRUE(Json(read_file(state)).valid());
  Emulator again({"--state", state, "--seed", "5"});  // an existing state file wins over --seed
  const Json user(twilio(again, "GET", kUsers + "/x%2Fy").body);
  EXPECT_EQ(user.str("/sid"), user_sid);
  EXPECT_EQ(user.str("/friendly_name"), "\xC3\xA9");
  EXPECT_EQ(twilio(again, "GET", kInvites + "/" + invite_sid).status, 200);
  EXPECT_EQ(openai(again, "GET", "/v1/organization/invites/" + openai_id).status, 200);
  const Json list(openai(again, "GET", "/v1/organization/invites").body);
  ASSERT_EQ(list.size("/data"), 2u);
  EXPECT_EQ(list.str("/data/0/status"), "accepted");
  EXPECT_EQ(list.str("/data/1/id"), openai_id);
  EXPECT_EQ(Json(fastly(again, "GET", "/invitations").body).str("/data/0/id"), fastly_id);
  // New ids do not collide with loaded ones and ordering continues.
  const Json created(twilio(again, "POST", kUsers, "Identity=later").body);
  const Json users(twilio(again, "GET", kUsers).body);
  EXPECT_EQ(users.str("/users/1/sid"), created.str("/sid"));
}

TEST(EmulatorState, SigkillLeavesAValidFile) {
  const std::string dir = fresh_dir("emu-kill");
  const std::string state = dir + "/state.json";
  std::vector<std::string> ids;
  {
    Emulator emu({"--state", state, "--seed", "3"});
    for (int i = 0; i < 20; ++i) {
      const Response r = openai(emu, "POST", "/organization/invites",
                                R"({"email":"k)" + std::to_string(i) + R"(@x.y","role":"reader"})");
      ASSERT_EQ(r.status, 200);
      ids.push_back(Json(r.body).str("/id"));
    }
    const Exit e = emu.stop(SIGKILL);
    EXPECT_EQ(e.signal, SIGKILL);
  }
  const Json saved(read_file(state));
  ASSERT_TRUE(saved.valid());
  EXPECT_EQ(saved.size("/openai_invites"), 23u);
  Emulator again({"--state", state});
  for (const auto &id : ids) EXPECT_EQ(openai(again, "GET", "/organization/invites/" + id).status, 200) << id;
  EXPECT_EQ(Json(twilio(again, "GET", kUsers).body).size("/users"), 3u);
}

TEST(EmulatorState, CorruptStateFileIsRefused) {
  const std::string state = fresh_dir("emu-corrupt") + "/state.json";
  std::ofstream(state) << "{\"format\": \"invitekit-emulator-state\", \"version\": 1, ";
  const CommandResult r = run_emulator_command({"--port", "0", "--state", state}, std::chrono::seconds(10));
  EXPECT_TRUE(r.exit.exited);
  EXPECT_EQ(r.exit.code, 1);
  EXPECT_EQ(r.out, "");
}

namespace {

// Nine faults, one per kind, each for exactly one request, in this order.
std::vector<std::string> one_of_each_kind(const std::string &method, const std::string &pattern) {
  const std::string m = method + " " + pattern + " count=1 ";
  return {m + "latency=300",
          m + "status=503 retry-after=1 retry-after-ms=1000 x-should-retry=true fastly-ratelimit-remaining=0 "
              "fastly-ratelimit-reset=1700000000",
          m + "reset",
          m + "reset-mid-body",
          m + "truncate",
          m + "malformed",
          m + "slow-body=400",
          m + "content-type=text/html",
          m + "redirect=http://127.0.0.1:9/moved redirect-status=302"};
}

// Issues one request per fault of one_of_each_kind() and checks what the client saw.
void expect_each_fault_kind(const std::function<Response()> &send,
                            const std::function<void(const Response &)> &vendor_503) {
  Response r = send();
  EXPECT_EQ(r.curl, CURLE_OK);
  EXPECT_EQ(r.status, 200) << "latency";
  EXPECT_GE(r.seconds, 0.29);

  r = send();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(r.header("retry-after-ms"), "1000");
  EXPECT_EQ(r.header("x-should-retry"), "true");
  EXPECT_EQ(r.header("fastly-ratelimit-remaining"), "0");
  EXPECT_EQ(r.header("fastly-ratelimit-reset"), "1700000000");
  vendor_503(r);

  r = send();
  EXPECT_TRUE(r.curl == CURLE_RECV_ERROR || r.curl == CURLE_GOT_NOTHING) << "reset: " << curl_easy_strerror(r.curl);
  EXPECT_EQ(r.status, 0);

  r = send();
  EXPECT_TRUE(r.curl == CURLE_RECV_ERROR || r.curl == CURLE_PARTIAL_FILE)
      << "reset-mid-body: " << curl_easy_strerror(r.curl);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(Json(r.body).valid());

  r = send();
  EXPECT_EQ(r.curl, CURLE_PARTIAL_FILE) << "truncate: " << curl_easy_strerror(r.curl);
  EXPECT_EQ(r.status, 200);

  r = send();
  EXPECT_EQ(r.curl, CURLE_OK);
  EXPECT_EQ(r.status, 200) << "malformed";
  EXPECT_FALSE(r.body.empty());
  EXPECT_FALSE(Json(r.body).valid());

  r = send();
  EXPECT_EQ(r.curl, CURLE_OK);
  EXPECT_EQ(r.status, 200) << "slow-body";
  EXPECT_GE(r.seconds, 0.35);
  EXPECT_TRUE(Json(r.body).valid());

  r = send();
  EXPECT_EQ(r.status, 200) << "content-type";
  EXPECT_EQ(r.header("content-type"), "text/html");
  EXPECT_TRUE(Json(r.body).valid());

  r = send();
  EXPECT_EQ(r.status, 302) << "redirect";
  EXPECT_EQ(r.header("location"), "http://127.0.0.1:9/moved");

  r = send();
  EXPECT_EQ(r.curl, CURLE_OK);
  EXPECT_EQ(r.status, 200) << "faults have expired";
  EXPECT_TRUE(Json(r.body).valid());
}

}  // namespace

TEST(EmulatorFaults, EachKindFromTheCommandLine) {
  std::vector<std::string> args = {"--seed", "3"};
  for (const auto &spec : one_of_each_kind("GET", "/v1/organization/invites*")) {
    args.push_back("--fault");
    args.push_back(spec);
  }
  Emulator emu(args);
  // A request that matches no fault (other method) consumes nothing.
  EXPECT_EQ(openai(emu, "POST", "/v1/organization/invites", R"({"email":"a@b.c","role":"reader"})").status, 200);
  EXPECT_EQ(Json(control(emu, "GET", "/__emulator/faults").body).size("/faults"), 9u);
  expect_each_fault_kind([&] { return openai(emu, "GET", "/v1/organization/invites"); },
                         [](const Response &r) {
                           const Json j(r.body);
                           EXPECT_EQ(j.str("/error/type"), "server_error");
                           EXPECT_TRUE(j.has("/error/param"));
                           EXPECT_TRUE(j.has("/error/code"));
                         });
  EXPECT_EQ(Json(control(emu, "GET", "/__emulator/faults").body).size("/faults"), 0u);
}

TEST(EmulatorFaults, EachKindFromTheControlEndpoint) {
  Emulator emu({"--seed", "3"});
  std::string specs;
  for (const auto &spec : one_of_each_kind("get", "/invitations"))
    specs += (specs.empty() ? "" : ",") + json_string(spec);
  const Response added = control(emu, "POST", "/__emulator/faults", "{\"specs\":[" + specs + "]}");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Json(added.body).size("/faults"), 9u);
  expect_each_fault_kind([&] { return fastly(emu, "GET", "/invitations?page[size]=2"); },
                         [](const Response &r) {
                           EXPECT_EQ(r.header("content-type"), "application/vnd.api+json");
                           EXPECT_EQ(Json(r.body).str("/errors/0/status"), "503");
                         });
}

TEST(EmulatorFaults, StatusBodiesPerVendorCountsAndClearing) {
  Emulator emu;
  ASSERT_EQ(
      control(emu, "POST", "/__emulator/faults", R"({"spec":"* /v2/Services/* status=429 retry-after=2"})").status,
      201);
  for (int i = 0; i < 3; ++i) {
    const Response r = twilio(emu, "GET", kUsers);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("retry-after"), "2");
    const Json j(r.body);
    EXPECT_EQ(j.num("/status"), 429);
    EXPECT_TRUE(j.has("/code"));
    EXPECT_TRUE(j.has("/more_info"));
  }
  EXPECT_EQ(twilio(emu, "GET", kInvites).status, 200) << "v1 does not match /v2/Services/*";
  ASSERT_EQ(control(emu, "DELETE", "/__emulator/faults").status, 200);
  EXPECT_EQ(twilio(emu, "GET", kUsers).status, 200);

  ASSERT_EQ(control(emu, "POST", "/__emulator/faults",
                    R"({"spec":"POST /organization/invites count=2 status=429 x-should-retry=false"})")
                .status,
            201);
  for (int i = 0; i < 2; ++i) {
    const Response r = openai(emu, "POST", "/organization/invites", R"({"email":"a@b.c","role":"reader"})");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(Json(r.body).str("/error/code"), "rate_limit_exceeded");
    EXPECT_EQ(r.header("x-should-retry"), "false");
  }
  EXPECT_EQ(openai(emu, "POST", "/organization/invites", R"({"email":"a@b.c","role":"reader"})").status, 200);
  EXPECT_EQ(openai(emu, "POST", "/v1/organization/invites", R"({"email":"a@b.c","role":"reader"})").status, 200);

  EXPECT_EQ(control(emu, "POST", "/__emulator/faults", R"({"spec":"GET /x"})").status, 400);
  EXPECT_EQ(control(emu, "POST", "/__emulator/faults", R"({"spec":"GET x status=500"})").status, 400);
  EXPECT_EQ(control(emu, "POST", "/__emulator/faults", R"({"spec":"GET /x status=200"})").status, 400);
  EXPECT_EQ(control(emu, "POST", "/__emulator/faults", R"({"specs":["GET /x reset","GET /y latency=1 reset"]})").status,
            400);
  EXPECT_EQ(Json(control(emu, "GET", "/__emulator/faults").body).size("/faults"), 0u) << "a bad spec adds nothing";
  EXPECT_EQ(control(emu, "POST", "/__emulator/faults", "not json").status, 400);
}

TEST(EmulatorRequestLog, RecordsRedactedRequests) {
  Emulator emu({"--fault", "DELETE /invitations/ reset"});
  ASSERT_EQ(twilio(emu, "POST", kUsers, "Identity=x%2Fy").status, 201);
  ASSERT_EQ(twilio(emu, "GET", kUsers + "/x%2Fy").status, 200);
  ASSERT_EQ(openai(emu, "GET", "/organization/invites?limit=5").status, 200);
  fastly(emu, "DELETE", "/invitations/abc");
  control(emu, "GET", "/__emulator/health");
  Response r = control(emu, "GET", "/__emulator/requests");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("emulator-twilio-token"), std::string::npos);
  EXPECT_EQ(r.body.find("sk-admin-emulator"), std::string::npos);
  EXPECT_EQ(r.body.find("emulator-fastly-token"), std::string::npos);
  EXPECT_EQ(r.body.find("QUMw"), std::string::npos) << "no Basic credentials";
  const Json log(r.body);
  ASSERT_EQ(log.size(""), 4u) << "control requests are not logged";
  EXPECT_EQ(log.str("/0/method"), "POST");
  EXPECT_EQ(log.str("/0/target"), kUsers);
  EXPECT_EQ(log.str("/0/body"), "Identity=x%2Fy");
  EXPECT_EQ(log.num("/0/status"), 201);
  EXPECT_EQ(log.str("/0/headers/Authorization"), "Basic [REDACTED]");
  EXPECT_EQ(log.str("/1/target"), kUsers + "/x%2Fy");
  EXPECT_EQ(log.str("/2/target"), "/organization/invites?limit=5");
  EXPECT_EQ(log.str("/2/headers/Authorization"), "Bearer [REDACTED]");
  EXPECT_TRUE(log.is_null("/2/fault"));
  EXPECT_EQ(log.str("/3/headers/Fastly-Key"), "[REDACTED]");
  EXPECT_EQ(log.num("/3/status"), 0);
  EXPECT_EQ(log.str("/3/fault"), "DELETE /invitations/ reset");
  EXPECT_EQ(control(emu, "DELETE", "/__emulator/requests").status, 200);
  EXPECT_EQ(Json(control(emu, "GET", "/__emulator/requests").body).size(""), 0u);
}
