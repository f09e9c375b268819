#include "harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

extern char **environ;

namespace emutest {

namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

pid_t spawn(const std::vector<std::string> &args, int *stdout_read_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<std::string> argv_storage = {emulator_path()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + argv_storage[0]);
  }
  *stdout_read_fd = fds[0];
  return pid;
}

// Waits for pid to end, at most until deadline; SIGKILLs it after that.
Exit wait_bounded(pid_t pid, Clock::time_point deadline) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    poll(&p, 1, remaining_ms(deadline));
    close(pidfd);
  }
  int status = 0;
  Exit e;
  if (waitpid(pid, &status, WNOHANG) != pid) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return e;  // did not stop in time
  }
  if (WIFEXITED(status)) {
    e.exited = true;
    e.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    e.signal = WTERMSIG(status);
  }
  return e;
}

// Reads from fd until `until_newline` is satisfied or EOF, bounded by deadline.
std::string read_bounded(int fd, Clock::time_point deadline, bool until_newline) {
  std::string out;
  char buf[4096];
  while (remaining_ms(deadline) > 0) {
    if (until_newline && out.find('\n') != std::string::npos) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) break;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::size_t collect_body(char *data, std::size_t size, std::size_t n, void *user) {
  static_cast<std::string *>(user)->append(data, size * n);
  return size * n;
}

std::size_t collect_header(char *data, std::size_t size, std::size_t n, void *user) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string> *>(user))[name] = value;
  }
  return size * n;
}

}  // namespace

std::string emulator_path() {
  const char *p = std::getenv("INVITEKIT_EMULATOR");
  if (p == nullptr || *p == '\0') throw std::runtime_error("INVITEKIT_EMULATOR is not set");
  return p;
}

CommandResult run_emulator_command(const std::vector<std::string> &args, std::chrono::milliseconds timeout) {
  int fd = -1;
  const pid_t pid = spawn(args, &fd);
  const auto deadline = Clock::now() + timeout;
  CommandResult r;
  r.out = read_bounded(fd, deadline, false);
  close(fd);
  r.exit = wait_bounded(pid, deadline);
  return r;
}

Emulator::Emulator(const std::vector<std::string> &args, bool quiet) {
  std::vector<std::string> full = {"--port", "0"};
  if (quiet) full.emplace_back("--quiet");
  full.insert(full.end(), args.begin(), args.end());
  pid_ = spawn(full, &stdout_fd_);
  const std::string first = read_bounded(stdout_fd_, Clock::now() + std::chrono::seconds(10), true);
  const auto at = first.find("http://127.0.0.1:");
  const auto nl = first.find('\n');
  if (at == std::string::npos || nl == std::string::npos) {
    stop(SIGKILL);
    throw std::runtime_error("emulator did not print its URL; got: " + first);
  }
  std::size_t end = at;
  while (end < nl && !std::isspace(static_cast<unsigned char>(first[end]))) ++end;
  url_ = first.substr(at, end - at);
}

Emulator::~Emulator() {
  if (pid_ > 0) stop(SIGKILL);
}

Exit Emulator::stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return {};
  kill(pid_, sig);
  const Exit e = wait_bounded(pid_, Clock::now() + timeout);
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return e;
}

std::string Response::header(const std::string &lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Response http(const Request &request) {
  Response r;
  CURL *curl = curl_easy_init();
  curl_slist *headers = nullptr;
  for (const auto &h : request.headers) headers = curl_slist_append(headers, h.c_str());
  if (request.body) headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (request.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
  }
  if (request.basic_auth) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERPWD, request.basic_auth->c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  const auto started = Clock::now();
  r.curl = curl_easy_perform(curl);
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

Response twilio(const Emulator &emu, const std::string &method, const std::string &path, const std::string &form) {
  Request req;
  req.method = method;
  req.url = emu.url() + path;
  req.basic_auth = "AC00000000000000000000000000000000:emulator-twilio-token";
  if (method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = form;
    req.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  }
  return http(req);
}

Response openai(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json) {
  Request req;
  req.method = method;
  req.url = emu.url() + path;
  req.headers.push_back("Authorization: Bearer sk-admin-emulator");
  if (method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = json;
    req.headers.push_back("Content-Type: application/json");
  }
  return http(req);
}

Response fastly(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json) {
  Request req;
  req.method = method;
  req.url = emu.url() + path;
  req.headers.push_back("Fastly-Key: emulator-fastly-token");
  req.headers.push_back("Accept: application/vnd.api+json");
  if (method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = json;
    req.headers.push_back("Content-Type: application/vnd.api+json");
  }
  return http(req);
}

Response control(const Emulator &emu, const std::string &method, const std::string &path, const std::string &json) {
  Request req;
  req.method = method;
  req.url = emu.url() + path;
  if (method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = json;
    req.headers.push_back("Content-Type: application/json");
  }
  return http(req);
}

std::string pct(const std::string &s, bool encode_dots) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '~' || (c == '.' && !encode_dots)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

std::string json_string(const std::string &s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

Json::Json(const std::string &text) { error_ = parser_.parse(text).get(root_); }

simdjson::dom::element Json::at(const std::string &pointer) const {
  if (!valid()) throw std::runtime_error("invalid JSON document");
  return pointer.empty() ? root_ : root_.at_pointer(pointer).value();
}

std::string Json::str(const std::string &pointer) const { return std::string(at(pointer).get_string().value()); }
std::int64_t Json::num(const std::string &pointer) const { return at(pointer).get_int64().value(); }
bool Json::boolean(const std::string &pointer) const { return at(pointer).get_bool().value(); }
bool Json::is_null(const std::string &pointer) const { return at(pointer).is_null(); }
bool Json::has(const std::string &pointer) const {
  return valid() && root_.at_pointer(pointer).error() == simdjson::SUCCESS;
}
std::size_t Json::size(const std::string &pointer) const { return at(pointer).get_array().value().size(); }

}  // namespace emutest
