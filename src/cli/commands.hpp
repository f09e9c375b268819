// invitekit CLI - command registration shared by the provider modules.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bulk.hpp"
#include "common.hpp"

namespace ikcli {

struct Runner {
  // Set by the leaf command that was parsed; run after the client exists.
  std::function<int(Context &)> action;
  // Lets a bulk run install a hook that the Ctrl-C watcher calls.
  std::function<void(std::function<void()>)> set_cancel_hook;
};

void add_openai_commands(CLI::App &app, Runner &runner);
void add_twilio_commands(CLI::App &app, Runner &runner);
void add_fastly_commands(CLI::App &app, Runner &runner);

// ---- helpers used by the provider modules ----

// Options of a bulk run: --results, --resume, --concurrency, --rate-limit-retries.
void add_bulk_options(CLI::App *cmd, BulkOptions &opts);
// Checks the bulk option combination (e.g. --resume needs --results).
void validate_bulk_options(const BulkOptions &opts);

// A bulk delete over a file of ids: `del` deletes one id with the given call options.
BulkSpec delete_by_id_spec(std::string operation, int32_t provider,
                           std::function<ik_status(const std::string &id, const ik_call_options &co, ik_op_cb cb,
                                                   void *user_data, ik_error **err)>
                               start_delete);

// `delete ID` or `delete --from-file FILE [bulk options]` for resources addressed by one id.
struct DeleteCommand {
  std::string description;  // help text
  std::string id_help;      // help of the ID argument
  std::string operation;    // e.g. "openai invites delete" (bulk summary, messages)
  int32_t provider = IK_PROVIDER_NONE;
  // Starts one delete of a bulk run (an ik_*_delete_start).
  std::function<ik_status(const Context &, const std::string &id, const ik_call_options &, ik_op_cb, void *,
                          ik_error **)>
      bulk_start;
  std::function<int(Context &, const std::string &id)> delete_one;
};
void add_delete_command(CLI::App *parent, Runner &runner, DeleteCommand d);

// Options of list commands.
struct ListArgs {
  int page_size = 0;
  int64_t max_items = 0;
  bool all = false;
  std::string cursor;           // an invitekit cursor printed by a previous run
  std::string provider_cursor;  // the provider's own: OpenAI invite id (after=), Fastly page number
};

// Lists: a single page (default) or, with --all / --max-items, every page
// through a pager, streamed as it arrives.
int run_list(
    Context &ctx, const ListArgs &args,
    const std::function<ik_status(const ik_list_options *, const ik_call_options *, ik_page **, ik_error **)> &list_one,
    const std::function<ik_status(const ik_list_options *, ik_pager **, ik_error **)> &make_pager);

// Splits "key=value" arguments (the seed's alias syntax); rejects unknown keys.
std::map<std::string, std::string> parse_kv_args(const std::vector<std::string> &args,
                                                 const std::vector<std::string> &allowed, const std::string &command);

// Splits "a:b" into its two halves at the LAST ':' (ids may not contain ':').
bool split_pair(const std::string &s, std::string *first, std::string *second);
// Splits on any of the separator characters, trimming blanks and dropping empty parts.
std::vector<std::string> split_list(const std::string &s, const char *seps);

// Prints a delete confirmation for APIs that answer 204.
// Prints a deletion result: the API's body when it sent one (OpenAI), else
// {id, object, deleted, http_status} with `object` naming what was deleted.
void print_deletion(const Context &ctx, const std::string &object, const ik_deletion *del);

// Sets a footer with the exit codes on a command and all its subcommands.
void apply_footer(CLI::App *app, const std::string &footer);

}  // namespace ikcli
