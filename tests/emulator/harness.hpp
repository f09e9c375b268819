// Test harness for invitekit-emulator: starts the real binary on an
// ephemeral port, talks HTTP to it with libcurl and stops it by its PID.
#pragma once

#include <curl/curl.h>
#include <simdjson.h>
#include <sys/types.h>

#include <csignal>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace emutest {

// Path of the binary, from the INVITEKIT_EMULATOR environment variable.
std::string emulator_path();

struct Exit {
  bool exited = false;  // false: killed by a signal or did not stop in time
  int code = -1;
  int signal = 0;
};

// Runs the binary to completion (bounded by timeout) and captures stdout.
struct CommandResult {
  Exit exit;
  std::string out;
};
CommandResult run_emulator_command(const std::vector<std::string> &args, std::chrono::milliseconds timeout);

class Emulator {
 public:
  // Starts `invitekit-emulator --port 0 [--quiet] ARGS…` and waits (at most
  // 10 s) for the first stdout line with the base URL.
  explicit Emulator(const std::vector<std::string> &args = {}, bool quiet = true);
  ~Emulator();
  Emulator(const Emulator &) = delete;
  Emulator &operator=(const Emulator &) = delete;

  const std::string &url() const { return url_; }
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits at most `timeout` for the process to end
  // (SIGKILL after that). Returns how it ended.
  Exit stop(int sig = SIGTERM, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string url_;
};

struct Response {
  CURLcode curl = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  double seconds = 0;

  std::string header(const std::string &lower_name) const;
};

struct Request {
  std::string method = "GET";
  std::string url;
  std::optional<std::string> body;
  std::vector<std::string> headers;       // "Name: value"
  std::optional<std::string> basic_auth;  // "user:password"
  long timeout_ms = 15000;
};

// One request on a fresh connection (no reuse, no redirects followed).
Response http(const Request &request);

// Vendor shortcuts with the emulator's default credentials.
Response twilio(const Emulator &emu, const std::string &method, const std::string &path, const std::string &form = "");
Response openai(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json = "");
Response fastly(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json = "");
Response control(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json = "");

// Percent-encodes every byte that is not an RFC 3986 unreserved character;
// with encode_dots, '.' is encoded too (for identities such as "..").
std::string pct(const std::string &s, bool encode_dots = false);

// s as a JSON string literal (escapes quotes, backslashes and control characters).
std::string json_string(const std::string &s);

// A parsed JSON document that owns its parser.
class Json {
 public:
  explicit Json(const std::string &text);
  bool valid() const { return error_ == simdjson::SUCCESS; }
  simdjson::dom::element root() const { return root_; }
  simdjson::dom::element at(const std::string &pointer) const;
  std::string str(const std::string &pointer) const;
  std::int64_t num(const std::string &pointer) const;
  bool boolean(const std::string &pointer) const;
  bool is_null(const std::string &pointer) const;
  bool has(const std::string &pointer) const;
  std::size_t size(const std::string &pointer) const;  // array length

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  simdjson::error_code error_ = simdjson::SUCCESS;
};

inline const std::string kService = "IS00000000000000000000000000000000";
inline const std::string kChannel = "CH00000000000000000000000000000000";
inline const std::string kUsers = "/v2/Services/" + kService + "/Users";
inline const std::string kInvites = "/v1/Services/" + kService + "/Channels/" + kChannel + "/Invites";

}  // namespace emutest
