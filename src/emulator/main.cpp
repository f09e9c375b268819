// invitekit-emulator: serves the Twilio Chat v1 invites / v2 users, OpenAI
// organization invites and Fastly invitations APIs on 127.0.0.1.
#include "app.hpp"

#include <httplib.h>

#include <csignal>
#include <sys/socket.h>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <string>
#include <thread>

namespace {

constexpr const char *kHelp = R"(Usage: invitekit-emulator [OPTIONS]

Serves Twilio Chat v1 Channel Invites, Twilio Chat v2 Users, OpenAI organization
invites and Fastly invitations on http://127.0.0.1:PORT, with the same wire
behaviour as the real APIs. The first line printed on stdout holds the base URL.

Options:
  --port N                    port to listen on (0 picks a free one; default 8765)
  --seed N                    create N objects per resource, deterministically
  --state FILE                load state from FILE at start (if it exists) and save it,
                              atomically, after every change and on shutdown
  --fault SPEC                inject a fault (repeatable; syntax below)
  --threads N                 worker threads, i.e. concurrent connections (default 64)
  --twilio-account-sid SID    default AC00000000000000000000000000000000
  --twilio-auth-token TOKEN   default emulator-twilio-token
  --twilio-api-key SID        default SK00000000000000000000000000000000
  --twilio-api-secret SECRET  default emulator-twilio-secret
  --openai-admin-key KEY      default sk-admin-emulator
  --fastly-api-token TOKEN    default emulator-fastly-token
  --log-requests              one line per request on stderr (no secrets)
  --quiet                     print only the base URL line
  --version                   print the version and exit
  --help                      print this help and exit

Paths:
  Twilio  /v1/Services/{IS…}/Channels/{CH…}/Invites[/{IN…}]   HTTP Basic (account SID + token or API key + secret)
          /v2/Services/{IS…}/Users[/{US… or identity}]
  OpenAI  /v1/organization/invites[/{id}] and /organization/invites[/{id}]   Authorization: Bearer KEY
  Fastly  /invitations[/{id}]                                   Fastly-Key: TOKEN

Fault SPEC (for --fault and POST /__emulator/faults {"spec": SPEC}):
  METHOD PATH-PATTERN [count=N] [every=N] ACTION [HEADER-OPTION...]
    METHOD        GET, POST, DELETE, ... or *
    PATH-PATTERN  raw path without query; a glob if it has * or ?, else a prefix
    count=N       apply to the next N matching requests, then expire (0 = forever, the default)
    every=N       apply only to every Nth matching request (the Nth, 2Nth, ...); count= counts those
    ACTION        latency=MS | status=CODE | reset | reset-mid-body | truncate | malformed
                  | slow-body=MS | content-type=TYPE | redirect=URL [redirect-status=302|307|...]
    HEADER-OPTION retry-after=S | retry-after-ms=MS | x-should-retry=true|false
                  | fastly-ratelimit-remaining=N | fastly-ratelimit-reset=EPOCH
  Example: --fault 'POST /v1/organization/invites* count=1 status=429 retry-after=1'

Control endpoints (no auth): GET /__emulator/health, POST /__emulator/reset[?seed=N],
  GET|POST|DELETE /__emulator/faults, GET|DELETE /__emulator/requests,
  POST /__emulator/openai/invites/{id}/accept

--seed N makes every 5th OpenAI invite accepted. See docs/EMULATOR.md.
)";

[[noreturn]] void usage_error(const std::string &message) {
  std::fprintf(stderr, "invitekit-emulator: %s\nTry 'invitekit-emulator --help'.\n", message.c_str());
  std::exit(2);
}

std::int64_t int_option(const std::string &name, const std::string &value, std::int64_t lo, std::int64_t hi) {
  const auto n = emu::parse_int(value);
  if (!n || *n < lo || *n > hi)
    usage_error(name + " expects an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return *n;
}

emu::Config parse_args(int argc, char **argv) {
  emu::Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::optional<std::string> inline_value;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    const auto value = [&]() -> std::string {
      if (inline_value) return *inline_value;
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    const auto flag = [&] {
      if (inline_value) usage_error(arg + " takes no value");
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kHelp, stdout);
      std::exit(0);
    } else if (arg == "--version") {
      std::printf("invitekit-emulator %s\n", INVITEKIT_EMULATOR_VERSION);
      std::exit(0);
    } else if (arg == "--port") {
      cfg.port = static_cast<int>(int_option(arg, value(), 0, 65535));
    } else if (arg == "--seed") {
      cfg.seed = static_cast<std::uint64_t>(int_option(arg, value(), 0, 100000));
    } else if (arg == "--state") {
      cfg.state_path = value();
      if (cfg.state_path.empty()) usage_error("--state needs a file name");
    } else if (arg == "--fault") {
      cfg.fault_specs.push_back(value());
    } else if (arg == "--threads") {
      cfg.threads = static_cast<int>(int_option(arg, value(), 1, 1024));
    } else if (arg == "--twilio-account-sid") {
      cfg.twilio_account_sid = value();
    } else if (arg == "--twilio-auth-token") {
      cfg.twilio_auth_token = value();
    } else if (arg == "--twilio-api-key") {
      cfg.twilio_api_key = value();
    } else if (arg == "--twilio-api-secret") {
      cfg.twilio_api_secret = value();
    } else if (arg == "--openai-admin-key") {
      cfg.openai_admin_key = value();
    } else if (arg == "--fastly-api-token") {
      cfg.fastly_api_token = value();
    } else if (arg == "--quiet") {
      flag();
      cfg.quiet = true;
    } else if (arg == "--log-requests") {
      flag();
      cfg.log_requests = true;
    } else {
      usage_error("unknown option '" + arg + "'");
    }
  }
  return cfg;
}

// SIGTERM/SIGINT are taken by a dedicated thread with sigwait(); block
// them before any other thread exists so every thread inherits the mask.
sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

// Sets the worker pool and connection limits and routes every method and path to `app`.
void configure_server(httplib::Server &server, emu::App &app, int threads) {
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(5);
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(16 * 1024 * 1024);
  const auto handler = [&app](const httplib::Request &req, httplib::Response &res) { app.handle(req, res); };
  const char *any = R"([\s\S]*)";
  server.Get(any, handler);
  server.Post(any, handler);
  server.Put(any, handler);
  server.Patch(any, handler);
  server.Delete(any, handler);
  server.Options(any, handler);
}

// Binds to 127.0.0.1:`port` (0 picks a free one); returns the bound port, or <= 0 on failure.
// `listen_fd` must outlive the server: its socket-options callback writes to it.
int bind_loopback(httplib::Server &server, int port, int &listen_fd) {
  // cpp-httplib listens with a backlog of 5 (compiled into Debian's shared
  // library), so 16 clients connecting at once would wait for SYN retries.
  // Remember the listening socket and raise the backlog after binding
  // (calling listen() again on a listening socket updates it on Linux).
  server.set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  const int bound =
      port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound > 0 && listen_fd >= 0) ::listen(listen_fd, 1024);
  return bound;
}

void print_banner(const emu::Config &cfg, int port) {
  std::printf("invitekit-emulator listening on http://127.0.0.1:%d\n", port);
  if (!cfg.quiet) {
    std::printf("  twilio: account %s / token %s, api key %s / secret %s\n", cfg.twilio_account_sid.c_str(),
                cfg.twilio_auth_token.c_str(), cfg.twilio_api_key.c_str(), cfg.twilio_api_secret.c_str());
    std::printf("  openai: admin key %s (base http://127.0.0.1:%d/v1 or http://127.0.0.1:%d)\n",
                cfg.openai_admin_key.c_str(), port, port);
    std::printf("  fastly: token %s\n", cfg.fastly_api_token.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char **argv) {
  const emu::Config cfg = parse_args(argc, argv);

  // Writes to a peer that went away must fail with EPIPE, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals = block_stop_signals();

  emu::App app(cfg);
  if (const auto err = app.initialise()) {
    std::fprintf(stderr, "invitekit-emulator: %s\n", err->c_str());
    return 1;
  }

  httplib::Server server;
  configure_server(server, app, cfg.threads);
  int listen_fd = -1;
  const int port = bind_loopback(server, cfg.port, listen_fd);
  if (port <= 0) {
    std::fprintf(stderr, "invitekit-emulator: cannot listen on 127.0.0.1:%d\n", cfg.port);
    return 1;
  }
  print_banner(cfg, port);

  std::atomic<bool> listening_done{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    // stop() only acts once the server runs; repeat until listen() returned.
    while (!listening_done) {
      server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  const bool ok = server.listen_after_bind();
  listening_done = true;
  const auto save_error = app.persist();
  if (!cfg.quiet) std::fprintf(stderr, "invitekit-emulator: stopped\n");
  // The stopper thread is still in sigwait() if the server stopped on its own.
  if (!ok) {
    pthread_kill(stopper.native_handle(), SIGTERM);
  }
  stopper.join();
  return ok && !save_error ? 0 : 1;
}
