// invitekit - command-line tool over the invitekit C ABI.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

#include "commands.hpp"
#include "common.hpp"
#include "signals.hpp"

using namespace ikcli;

namespace {

struct Globals {
  std::string base_url, openai_base_url, twilio_base_url, fastly_base_url;
  std::string openai_admin_key, openai_admin_key_file, openai_org, openai_project;
  std::string twilio_account_sid, twilio_account_sid_file, twilio_auth_token, twilio_auth_token_file;
  std::string twilio_api_key, twilio_api_key_file, twilio_api_secret, twilio_api_secret_file;
  std::string fastly_api_token, fastly_api_token_file;
  std::string ca_file, proxy;
  double timeout = 0;
  int max_retries = -1;  // -1 = library default
  int verbosity = 0;
  std::string output;
};

std::mutex g_log_mu;

void log_callback(const ik_log_record *r, void *) {
  if (!r) return;
  std::string line = "invitekit: [";
  line += ik_log_level_name(r->level);
  line += "] ";
  if (r->message) line += r->message;
  std::string d;
  auto add = [&d](const std::string &s) {
    if (!d.empty()) d += ' ';
    d += s;
  };
  if (r->provider != IK_PROVIDER_NONE) add(ik_provider_name(r->provider));
  if (r->operation) add(r->operation);
  if (!r->message) {  // the message, when present, already names the request
    if (r->method) add(r->method);
    if (r->url) add(r->url);
    if (r->http_status) add("-> " + std::to_string(r->http_status));
    if (r->latency_us >= 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(r->latency_us) / 1000.0);
      add(buf);
    }
  }
  if (r->attempt > 0) add("attempt " + std::to_string(r->attempt));
  if (r->request_id) add(std::string("request-id ") + r->request_id);
  if (!d.empty()) line += " (" + d + ")";
  // One line per record, except trace dumps (headers/bodies), which stay readable indented.
  std::string clean;
  clean.reserve(line.size() + 16);
  for (char c : line) {
    if (c == '\r') continue;
    if (c == '\n')
      clean += r->level >= IK_LOG_TRACE ? "\n    " : " ";
    else
      clean.push_back(c);
  }
  line = std::move(clean);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.pop_back();
  line.push_back('\n');
  std::lock_guard<std::mutex> lk(g_log_mu);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

std::string version_text() {
  std::string s = "invitekit ";
  s += ik_version_string();
  s += "\n  library: libinvitekit ";
  s += ik_version_string();
  s += " (ABI ";
  s += ik_abi_version();
  s += ")\n  built against headers: ";
  s += IK_VERSION_STRING;
  s += " (ABI ";
  s += IK_ABI_VERSION;
  s += ")\n  libcurl ";
  s += ik_libcurl_version();
  s += ", features:";
  const uint32_t f = ik_features();
  if (f & IK_FEATURE_THREADS) s += " threads";
  if (f & IK_FEATURE_HTTPS) s += " https";
  if (f & IK_FEATURE_HTTP2) s += " http2";
  if (f & IK_FEATURE_ASYNCH_DNS) s += " async-dns";
  if (!f) s += " none";
  if (std::string(ik_abi_version()) != IK_ABI_VERSION) s += "\n  WARNING: header/library ABI mismatch";
  return s;
}

// Picks a secret from its flag or its file flag.
const char *secret(const std::string &value, const std::string &file, std::string *storage, const char *flag) {
  if (!value.empty() && !file.empty())
    throw CliError(kExitUsage, std::string("give --") + flag + " or --" + flag + "-file, not both");
  if (!file.empty()) {
    *storage = read_secret_file(file);
    if (storage->empty()) throw CliError(kExitUsage, std::string("--") + flag + "-file: the file is empty");
    return storage->c_str();
  }
  return value.empty() ? nullptr : value.c_str();
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

struct ClientHolder {
  ik_client *client = nullptr;
  ~ClientHolder() { ik_client_free(client); }
};

// The connection options (base URLs, --timeout, --max-retries, TLS, proxy).
void add_connection_options(CLI::App &app, Globals &g) {
  const std::string conn = "Connection";
  app.add_option("--base-url", g.base_url,
                 "Base URL for every provider (e.g. an invitekit-emulator); OpenAI uses <URL>/v1")
      ->group(conn)
      ->type_name("URL");
  app.add_option("--openai-base-url", g.openai_base_url, "OpenAI base URL (default https://api.openai.com/v1)")
      ->group(conn)
      ->type_name("URL");
  app.add_option("--twilio-base-url", g.twilio_base_url, "Twilio base URL (default https://chat.twilio.com)")
      ->group(conn)
      ->type_name("URL");
  app.add_option("--fastly-base-url", g.fastly_base_url, "Fastly base URL (default https://api.fastly.com)")
      ->group(conn)
      ->type_name("URL");
  app.add_option("--timeout", g.timeout, "Overall deadline for the command, in seconds (retries included)")
      ->group(conn)
      ->check(CLI::Validator(
          [](std::string &text) -> std::string {
            // A finite number of seconds in (0, 30 days]: nan, inf, negative and
            // absurd values (1e10, 1e300) are usage errors, never "no timeout"
            // or an overflowing deadline.
            char *end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (text.empty() || !end || *end != '\0' || !std::isfinite(v) || !(v > 0) || v > 2592000.0)
              return "--timeout must be a number of seconds greater than 0 and at most 2592000 (30 days)";
            return std::string();
          },
          "SECONDS in (0, 2592000]"))
      ->type_name("SECONDS");
  app.add_option("--max-retries", g.max_retries, "Retries after the first attempt (default 2; 0 = none)")
      ->group(conn)
      ->check(CLI::Range(0, 100));
  app.add_option("--ca-file", g.ca_file, "PEM bundle replacing the system CAs")->group(conn)->type_name("FILE");
  app.add_option("--proxy", g.proxy, "Proxy URL (overrides the environment)")->group(conn)->type_name("URL");
}

// The credential flags and their -file twins.
void add_credential_options(CLI::App &app, Globals &g) {
  const std::string creds = "Credentials (default: the vendors' environment variables)";
  app.add_option("--openai-admin-key", g.openai_admin_key, "OpenAI admin key (env OPENAI_ADMIN_KEY)")->group(creds);
  app.add_option("--openai-admin-key-file", g.openai_admin_key_file, "Read the OpenAI admin key from FILE")
      ->group(creds)
      ->type_name("FILE");
  app.add_option("--openai-organization", g.openai_org, "OpenAI-Organization header (env OPENAI_ORG_ID)")->group(creds);
  app.add_option("--openai-project", g.openai_project, "OpenAI-Project header (env OPENAI_PROJECT_ID)")->group(creds);
  app.add_option("--twilio-account-sid", g.twilio_account_sid, "Twilio Account SID (env TWILIO_ACCOUNT_SID)")
      ->group(creds);
  app.add_option("--twilio-account-sid-file", g.twilio_account_sid_file, "Read the Twilio Account SID from FILE")
      ->group(creds)
      ->type_name("FILE");
  app.add_option("--twilio-auth-token", g.twilio_auth_token, "Twilio Auth Token (env TWILIO_AUTH_TOKEN)")->group(creds);
  app.add_option("--twilio-auth-token-file", g.twilio_auth_token_file, "Read the Twilio Auth Token from FILE")
      ->group(creds)
      ->type_name("FILE");
  app.add_option("--twilio-api-key", g.twilio_api_key, "Twilio API key SID, SK... (env TWILIO_API_KEY)")->group(creds);
  app.add_option("--twilio-api-key-file", g.twilio_api_key_file, "Read the Twilio API key SID from FILE")
      ->group(creds)
      ->type_name("FILE");
  app.add_option("--twilio-api-secret", g.twilio_api_secret, "Twilio API key secret (env TWILIO_API_SECRET)")
      ->group(creds);
  app.add_option("--twilio-api-secret-file", g.twilio_api_secret_file, "Read the Twilio API key secret from FILE")
      ->group(creds)
      ->type_name("FILE");
  app.add_option("--fastly-api-token", g.fastly_api_token, "Fastly API token (env FASTLY_API_TOKEN)")->group(creds);
  app.add_option("--fastly-api-token-file", g.fastly_api_token_file, "Read the Fastly API token from FILE")
      ->group(creds)
      ->type_name("FILE");
}

// -o/--output and -v; returns -o's option (to tell whether it was given).
const CLI::Option *add_output_options(CLI::App &app, Globals &g) {
  const std::string out = "Output and logging";
  CLI::Option *output_opt = app.add_option("-o,--output", g.output,
                                           "json (default; pretty on a terminal, compact otherwise), ndjson or table")
                                ->group(out)
                                ->check(CLI::IsMember({"json", "ndjson", "table"}));
  app.add_flag("-v,--verbose", g.verbosity, "Log requests (redacted) on stderr; -vv debug, -vvv trace")->group(out);
  return output_opt;
}

// Parses the command line: nullopt to go on, else the exit code.
std::optional<int> parse_command_line(CLI::App &app, const Runner &runner, int argc, char **argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    print_cli_error(e.what());
    std::fputs("Run with --help for more information.\n", stderr);
    return kExitUsage;
  } catch (const CliError &e) {
    print_cli_error(e.what());
    return e.code;
  }
  if (!runner.action) {
    print_cli_error("no command given");
    return kExitUsage;
  }
  return std::nullopt;
}

// The strings that client options point to besides the flags: the secrets read
// from files (wiped when no longer needed) and the resolved base URLs.
struct ClientStrings {
  std::string secrets[6];
  std::string openai_url, twilio_url, fastly_url, ua = "cli";
  ~ClientStrings() { wipe(); }
  void wipe() {
    for (std::string &sec : secrets) {
      std::fill(sec.begin(), sec.end(), '\0');
      sec.clear();
    }
  }
};

// The client options from the global flags; they point into g and *st, which
// must outlive them.
ik_client_options client_options(const Globals &g, ClientStrings *st) {
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  std::string *s = st->secrets;
  o.openai_admin_key = secret(g.openai_admin_key, g.openai_admin_key_file, &s[0], "openai-admin-key");
  o.twilio_account_sid = secret(g.twilio_account_sid, g.twilio_account_sid_file, &s[1], "twilio-account-sid");
  o.twilio_auth_token = secret(g.twilio_auth_token, g.twilio_auth_token_file, &s[2], "twilio-auth-token");
  o.twilio_api_key = secret(g.twilio_api_key, g.twilio_api_key_file, &s[3], "twilio-api-key");
  o.twilio_api_secret = secret(g.twilio_api_secret, g.twilio_api_secret_file, &s[4], "twilio-api-secret");
  o.fastly_api_token = secret(g.fastly_api_token, g.fastly_api_token_file, &s[5], "fastly-api-token");
  if (!g.openai_org.empty()) o.openai_organization = g.openai_org.c_str();
  if (!g.openai_project.empty()) o.openai_project = g.openai_project.c_str();

  std::string &openai_url = st->openai_url, &twilio_url = st->twilio_url, &fastly_url = st->fastly_url;
  openai_url = g.openai_base_url;
  twilio_url = g.twilio_base_url;
  fastly_url = g.fastly_base_url;
  if (!g.base_url.empty()) {
    const std::string root = trim_slash(g.base_url);
    if (openai_url.empty()) openai_url = root + "/v1";
    if (twilio_url.empty()) twilio_url = root;
    if (fastly_url.empty()) fastly_url = root;
  }
  if (!openai_url.empty()) o.openai_base_url = openai_url.c_str();
  if (!twilio_url.empty()) o.twilio_base_url = twilio_url.c_str();
  if (!fastly_url.empty()) o.fastly_base_url = fastly_url.c_str();
  if (!g.ca_file.empty()) o.ca_file = g.ca_file.c_str();
  if (!g.proxy.empty()) o.proxy = g.proxy.c_str();
  if (g.max_retries >= 0) o.max_retries = g.max_retries == 0 ? -1 : g.max_retries;
  if (g.verbosity > 0) {
    o.log_cb = log_callback;
    o.log_level = g.verbosity == 1 ? IK_LOG_INFO : (g.verbosity == 2 ? IK_LOG_DEBUG : IK_LOG_TRACE);
  }
  o.user_agent_suffix = st->ua.c_str();
  return o;
}

Context make_context(const Globals &g, ik_client *client, ik_cancel_token *token, bool format_given) {
  Context ctx;
  ctx.client = client;
  ctx.cancel = token;
  ctx.verbosity = g.verbosity;
  ctx.format = g.output == "ndjson" ? Format::Ndjson : (g.output == "table" ? Format::Table : Format::Json);
  ctx.pretty = isatty(STDOUT_FILENO) != 0;
  ctx.format_given = format_given;
  if (g.timeout > 0)
    ctx.deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(g.timeout * 1000.0 + 0.5));
  return ctx;
}

// Runs the command with Ctrl-C watched; library errors become exit codes.
int run_action(Runner &runner, Context &ctx) {
  SignalWatcher watcher(ctx.cancel);
  runner.set_cancel_hook = [&watcher](std::function<void()> fn) { watcher.set_on_cancel(std::move(fn)); };
  try {
    return runner.action(ctx);
  } catch (const LibError &e) {
    // A cancelled token wins over whatever the interrupted call reported.
    const ik_status st = ctx.cancelled() ? IK_STATUS_CANCELLED : e.status;
    print_lib_error(e.status, e.err.get());
    return exit_code_for(st, ik_error_http_status(e.err.get()));
  }
}

}  // namespace

int main(int argc, char **argv) {
  // Before any thread exists, so that every thread inherits the blocked mask.
  block_signals();

  Globals g;
  Runner runner;
  CLI::App app{"invitekit - invitations and memberships on Twilio Chat, OpenAI and Fastly", "invitekit"};
  app.fallthrough();  // global options may follow the subcommands
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text, "Print the version of invitekit, the library and libcurl");

  add_connection_options(app, g);
  add_credential_options(app, g);
  const CLI::Option *output_opt = add_output_options(app, g);

  add_openai_commands(app, runner);
  add_twilio_commands(app, runner);
  add_fastly_commands(app, runner);

  apply_footer(
      &app,
      std::string("\n") + exit_code_help() +
          "\nCredentials: flags win over OPENAI_ADMIN_KEY, TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, "
          "TWILIO_API_KEY/TWILIO_API_SECRET, FASTLY_API_TOKEN.\nGlobal options (--base-url, credentials, --timeout, "
          "--max-retries, --output, -v) may appear anywhere; see `invitekit --help` and docs/CLI.md.");

  if (const std::optional<int> done = parse_command_line(app, runner, argc, argv)) return *done;

  int code = kExitOther;
  try {
    ik_error *err = nullptr;
    check(ik_global_init(&err), &err);

    ClientStrings strings;
    const ik_client_options o = client_options(g, &strings);
    ClientHolder holder;
    err = nullptr;
    check(ik_client_new(&o, &holder.client, &err), &err);
    strings.wipe();  // secrets read from files are no longer needed

    ik_cancel_token *token = nullptr;
    err = nullptr;
    check(ik_cancel_token_new(&token, &err), &err);
    Owned<ik_cancel_token, ik_cancel_token_free> token_owner(token);

    Context ctx = make_context(g, holder.client, token, output_opt->count() > 0);
    code = run_action(runner, ctx);
  } catch (const LibError &e) {
    print_lib_error(e.status, e.err.get());
    code = exit_code_for(e.status, ik_error_http_status(e.err.get()));
  } catch (const CliError &e) {
    print_cli_error(e.what());
    code = e.code;
  } catch (const std::exception &e) {
    print_cli_error(std::string("internal error: ") + e.what());
    code = kExitOther;
  }
  ik_global_cleanup();
  return code;
}
