// The emulator application: configuration, the request router, the request
// log and state persistence. Vendor handlers live in twilio.cpp, openai.cpp,
// fastly.cpp and control.cpp.
#pragma once

#include "faults.hpp"
#include "store.hpp"
#include "text.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace emu {

struct Config {
  int port = 8765;
  std::string twilio_account_sid = "AC00000000000000000000000000000000";
  std::string twilio_auth_token = "emulator-twilio-token";
  std::string twilio_api_key = "SK00000000000000000000000000000000";
  std::string twilio_api_secret = "emulator-twilio-secret";
  std::string openai_admin_key = "sk-admin-emulator";
  std::string fastly_api_token = "emulator-fastly-token";
  std::optional<std::uint64_t> seed;
  std::string state_path;
  std::vector<std::string> fault_specs;
  int threads = 64;
  bool quiet = false;
  bool log_requests = false;
};

enum class Vendor { Twilio, OpenAI, Fastly, Control, Unknown };

// A response as produced by a handler, before fault delivery.
struct Reply {
  int status = 200;
  std::string content_type;  // empty: no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One request as seen by the handlers.
struct Call {
  const httplib::Request &req;
  std::string_view raw_path;          // exactly as sent, without the query
  std::vector<std::string> segments;  // raw path split on '/', each percent-decoded
  Params query;                       // decoded query parameters, in order
  std::string base_url;               // http://<Host header>, for absolute URLs
};

// Vendor content types.
inline constexpr const char *kJson = "application/json";
inline constexpr const char *kJsonApi = "application/vnd.api+json";

class RequestLog {
 public:
  struct Entry {
    std::uint64_t id = 0;
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;  // secrets redacted
    std::string body;
    int status = 0;  // 0: the connection was reset without a response
    std::optional<std::string> fault;
    double duration_ms = 0;
  };
  static constexpr std::size_t kCapacity = 10000;

  void add(Entry entry);
  void clear();
  std::string to_json() const;

 private:
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
  std::uint64_t next_id_ = 1;
};

class App {
 public:
  explicit App(Config config);

  const Config &config() const { return config_; }
  Store &store() { return store_; }
  FaultSet &faults() { return faults_; }
  RequestLog &request_log() { return log_; }

  // The single entry point for every HTTP request.
  void handle(const httplib::Request &req, httplib::Response &res);

  // Loads --state if the file exists; otherwise applies --seed. Returns an error message on failure.
  std::optional<std::string> initialise();
  // Writes the state file (atomically) if --state is set and it is behind the store.
  std::optional<std::string> persist();

 private:
  Reply respond(Vendor vendor, const Call &call, const Fault *fault);
  void log_line(const Call &call, int status, const Fault *fault, double ms) const;

  Config config_;
  Store store_;
  FaultSet faults_;
  RequestLog log_;
  std::mutex persist_mutex_;
  std::uint64_t persisted_generation_ = 0;
  bool persisted_once_ = false;
  mutable std::mutex stderr_mutex_;
};

// Vendor handlers (authentication, routing and validation are theirs).
Reply handle_twilio(App &app, const Call &call);
Reply handle_openai(App &app, const Call &call);
Reply handle_fastly(App &app, const Call &call);
Reply handle_control(App &app, const Call &call);
// Marks an OpenAI invite accepted; returns its JSON, or nothing if unknown.
std::optional<std::string> accept_openai_invite(App &app, const std::string &id);

// One error-body writer per vendor.
Reply twilio_error(int status, int code, std::string_view message);
Reply openai_error(int status, std::string_view message, std::string_view type, std::optional<std::string_view> param,
                   std::optional<std::string_view> code);
Reply fastly_error(int status, std::string_view title, std::string_view detail);
Reply emulator_error(int status, std::string_view message);
// The vendor's error body for an arbitrary status (used by status= faults).
Reply vendor_error(Vendor vendor, int status);

Reply json_reply(int status, std::string body, const char *content_type = kJson);
Reply method_not_allowed(Vendor vendor, std::string_view allow);

}  // namespace emu
