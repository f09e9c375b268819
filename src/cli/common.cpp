#include "common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace ikcli {

int exit_code_for(ik_status status, int32_t http_status) {
  switch (status) {
    case IK_STATUS_OK: return kExitOk;
    case IK_STATUS_INVALID_ARGUMENT:
    case IK_STATUS_INVALID_UTF8: return kExitUsage;
    case IK_STATUS_AUTHENTICATION:
    case IK_STATUS_PERMISSION_DENIED:
    case IK_STATUS_NO_CREDENTIALS: return kExitAuth;
    case IK_STATUS_NOT_FOUND: return kExitNotFound;
    case IK_STATUS_RATE_LIMITED: return kExitRateLimited;
    case IK_STATUS_SERVER_ERROR: return kExitServer;
    case IK_STATUS_TRANSPORT:
    case IK_STATUS_TLS:
    case IK_STATUS_TIMEOUT: return kExitNetwork;
    case IK_STATUS_CANCELLED: return kExitCancelled;
    case IK_STATUS_BAD_REQUEST:
    case IK_STATUS_CONFLICT:
    case IK_STATUS_UNPROCESSABLE: return kExitRejected;
    case IK_STATUS_HTTP_OTHER:
      // Any other 4xx the API answered is a rejected request; 3xx etc. are "other".
      return (http_status >= 400 && http_status < 500) ? kExitRejected : kExitOther;
    default: return kExitOther;
  }
}

const char *exit_code_help() {
  return "Exit codes:\n"
         "  0   success\n"
         "  1   other error (unexpected response, parse error, internal error)\n"
         "  2   usage error (bad flags or arguments, client-side validation)\n"
         "  3   authentication or permission error, or no credentials (HTTP 401/403)\n"
         "  4   not found (HTTP 404)\n"
         "  5   rate limited (HTTP 429, after retries)\n"
         "  6   server error (HTTP 5xx, after retries)\n"
         "  7   network, TLS or timeout error\n"
         "  8   cancelled (Ctrl-C / SIGTERM)\n"
         "  9   request rejected by the API (HTTP 400/409/422 and other 4xx)\n"
         "  10  bulk run (or sync --apply) finished with failed rows\n"
         "  11  sync dry run: the plan has changes (something to create or, with --prune, to delete)\n";
}

void print_lib_error(ik_status status, const ik_error *err) {
  std::string line = "invitekit: error: ";
  line += err ? ik_error_message(err) : ik_status_str(status);
  std::string extra;
  if (err) {
    if (const char *code = ik_error_provider_code(err); code && *code) {
      extra += "provider code: ";
      extra += code;
    }
    if (const char *rid = ik_error_request_id(err); rid && *rid) {
      if (!extra.empty()) extra += ", ";
      extra += "request id: ";
      extra += rid;
    }
  }
  if (!extra.empty()) line += " (" + extra + ")";
  // Keep it to one line whatever the message holds.
  for (char &c : line)
    if (c == '\n' || c == '\r') c = ' ';
  line.push_back('\n');
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void print_cli_error(const std::string &msg) {
  std::string line = "invitekit: error: " + msg;
  for (char &c : line)
    if (c == '\n' || c == '\r') c = ' ';
  line.push_back('\n');
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

ik_call_options Context::call_options() const {
  ik_call_options o = IK_CALL_OPTIONS_INIT;
  o.cancel = cancel;
  if (deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
    o.deadline_ms = left.count() > 1 ? static_cast<int64_t>(left.count()) : 1;
  }
  return o;
}

bool Context::deadline_passed() const { return deadline && std::chrono::steady_clock::now() >= *deadline; }

std::string read_secret_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

std::string iso8601(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return std::to_string(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace ikcli
