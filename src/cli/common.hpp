// invitekit CLI - shared helpers: RAII wrappers over the C ABI, the command
// context, errors and exit codes.
#pragma once

#include <invitekit/invitekit.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ikcli {

// ---------------------------------------------------------------------------
// Exit codes (documented in --help and docs/CLI.md)
// ---------------------------------------------------------------------------
constexpr int kExitOk = 0;
constexpr int kExitOther = 1;
constexpr int kExitUsage = 2;
constexpr int kExitAuth = 3;
constexpr int kExitNotFound = 4;
constexpr int kExitRateLimited = 5;
constexpr int kExitServer = 6;
constexpr int kExitNetwork = 7;
constexpr int kExitCancelled = 8;
constexpr int kExitRejected = 9;
constexpr int kExitBulkFailures = 10;
constexpr int kExitPlanChanges = 11;  // sync dry run: the plan has changes (like terraform -detailed-exitcode)

// Maps a library status (and the HTTP status of the error, if any) to an exit code.
int exit_code_for(ik_status status, int32_t http_status);

// The exit-code table as help text.
const char *exit_code_help();

// ---------------------------------------------------------------------------
// RAII
// ---------------------------------------------------------------------------
template <typename T, void (*Free)(T *)>
struct Deleter {
  void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using ErrorPtr = Owned<ik_error, ik_error_free>;
using PagePtr = Owned<ik_page, ik_page_free>;
using PagerPtr = Owned<ik_pager, ik_pager_free>;
using DeletionPtr = Owned<ik_deletion, ik_deletion_free>;
using OpenaiInvitePtr = Owned<ik_openai_invite, ik_openai_invite_free>;
using TwilioInvitePtr = Owned<ik_twilio_invite, ik_twilio_invite_free>;
using TwilioUserPtr = Owned<ik_twilio_user, ik_twilio_user_free>;
using FastlyInvitationPtr = Owned<ik_fastly_invitation, ik_fastly_invitation_free>;

struct BufGuard {
  ik_buf buf = IK_BUF_INIT;
  BufGuard() = default;
  BufGuard(const BufGuard &) = delete;
  BufGuard &operator=(const BufGuard &) = delete;
  ~BufGuard() { ik_buf_dispose(&buf); }
  std::string str() const {
    return buf.data ? std::string(reinterpret_cast<const char *>(buf.data), buf.len) : std::string();
  }
};

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------
// A failure that the CLI reports itself (usage problems, unreadable files...).
struct CliError : std::runtime_error {
  int code;
  CliError(int c, const std::string &msg) : std::runtime_error(msg), code(c) {}
};

// A failure returned by the library: owns the ik_error.
struct LibError : std::exception {
  ik_status status;
  ErrorPtr err;
  LibError(ik_status s, ik_error *e) : status(s), err(e) {}
  const char *what() const noexcept override { return err ? ik_error_message(err.get()) : ik_status_str(status); }
};

// Throws LibError when status != OK. Takes the ADDRESS of the out_err
// variable, so that it is read after the call (argument evaluation order is
// unspecified: `check(f(&err), err)` could read err before f runs).
inline void check(ik_status status, ik_error **err) {
  ik_error *e = *err;
  *err = nullptr;
  if (status != IK_STATUS_OK) throw LibError(status, e);
  ik_error_free(e);
}

// Prints "invitekit: error: ..." (one line) for an ik_error to stderr.
void print_lib_error(ik_status status, const ik_error *err);
// Prints "invitekit: error: <msg>" to stderr.
void print_cli_error(const std::string &msg);

// ---------------------------------------------------------------------------
// Output format
// ---------------------------------------------------------------------------
enum class Format { Json, Ndjson, Table };

// ---------------------------------------------------------------------------
// Context shared by every command
// ---------------------------------------------------------------------------
struct Context {
  ik_client *client = nullptr;        // owned by main
  ik_cancel_token *cancel = nullptr;  // owned by main
  Format format = Format::Json;
  bool pretty = false;        // pretty-print JSON (stdout is a terminal)
  bool format_given = false;  // -o/--output was given (else sync plans are tables on a terminal)
  int verbosity = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // Per-call options: the shared cancel token and the time left until the
  // overall deadline.
  ik_call_options call_options() const;
  // True when the overall deadline has passed.
  bool deadline_passed() const;
  bool cancelled() const { return ik_cancel_token_is_cancelled(cancel) != 0; }
};

// Reads a whole file (for --*-file secrets); strips one trailing "\n" or "\r\n".
std::string read_secret_file(const std::string &path);

// Formats Unix seconds as ISO 8601 UTC.
std::string iso8601(int64_t unix_seconds);

}  // namespace ikcli
