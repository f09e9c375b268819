// invitekit CLI - `ensure` output and `<provider> <resource> sync`: compare a
// desired file (CSV or NDJSON) with what exists, print a plan, and with
// --apply carry it out through the bulk machinery (bulk.hpp), one
// ik_*_ensure per row to create and one delete per pending invitation to prune.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bulk.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace ikcli {

// What exists on the provider's side, reduced to what sync compares.
struct Existing {
  std::string key;  // email (lower-cased) or identity
  std::string id;
  std::string display_key;  // as the API spells it
  std::string role;         // shown in the plan
  bool pending = true;      // an invitation not yet accepted (prune may delete it)
  // Fields compared with a desired row: column name -> the value that exists.
  std::vector<std::pair<std::string, std::string>> fields;
};

struct SyncResource {
  std::string operation;  // "openai invites"
  int32_t provider = IK_PROVIDER_NONE;
  std::string key_column;  // "email" or "identity"
  bool key_case_insensitive = false;
  std::vector<std::string> columns;   // accepted columns/keys of the desired file
  std::vector<std::string> required;  // required columns/keys
  std::string role_column;            // shown in the plan's ROLE column
  // Empty: --prune is allowed. Otherwise the reason it is refused.
  std::string prune_refusal;
  // Objects that are not in the file are listed in the plan when pending, or always when this is true.
  bool list_non_pending = false;
  // Lists everything that exists (all pages).
  std::function<std::vector<Existing>(const Context &)> list_existing;
  // "" when the existing object matches the row; else what differs (the
  // library's PRESENT rule: only the fields the row sets are compared).
  std::function<std::string(const Row &, const Existing &)> difference;
  // One ik_*_ensure for the row: RowOutcome::success(id) with outcome set.
  std::function<RowOutcome(const Row &, const ik_call_options &)> ensure;
  // Optional: one plain create for the row. Set where the library's ensure
  // must list everything to look a person up (OpenAI, Fastly): sync then
  // creates the rows its plan found absent directly and calls ensure only
  // after a create whose outcome is unknown (ambiguous) or that conflicts.
  std::function<RowOutcome(const Row &, const ik_call_options &)> create;
  // Deletes one pending invitation by id.
  std::function<ik_status(const std::string &id, const ik_call_options &, ik_error **)> remove;
};

struct SyncArgs {
  std::string desired;
  std::string desired_format;  // "", "csv" or "ndjson"
  bool apply = false;
  bool dry_run = false;
  bool prune = false;
  BulkOptions bulk;
};

// Adds the sync options to a `sync` subcommand.
void add_sync_options(CLI::App *cmd, SyncArgs &args);
// Runs a sync; returns the exit code.
int run_sync(const Context &ctx, const SyncResource &res, SyncArgs &args,
             const std::function<void(std::function<void()>)> &set_cancel_hook);

// Prints the result of a single ensure: the object with its outcome (JSON:
// {"outcome":..., "object":...}; table: the object's columns plus OUTCOME) and
// a one-line summary on stderr.
void print_ensured(const Context &ctx, const std::string &operation, const std::string &who, const Item &item,
                   int32_t outcome);

// Calls fn for every page of a pager (all pages), with the context's call options.
void for_each_page(const Context &ctx, const std::function<ik_status(ik_pager **, ik_error **)> &make_pager,
                   const std::function<void(const ik_page *)> &fn);

// "", or the sorted ';'-joined "id:role" list of an OpenAI projects cell ("[]" = empty).
std::string normalize_pairs(const std::string &cell);

}  // namespace ikcli
