#include "commands.hpp"

#include <unistd.h>

#include <cstring>

#include "json.hpp"
#include "output.hpp"

namespace ikcli {

void add_bulk_options(CLI::App *cmd, BulkOptions &opts) {
  cmd->add_option("--results", opts.results_path,
                  "Bulk: write one JSON line per input row to FILE (flushed per line); default: stdout")
      ->type_name("FILE");
  cmd->add_flag("--resume", opts.resume, "Bulk: skip rows already marked ok in the --results file and append to it");
  cmd->add_option("--concurrency", opts.concurrency, "Bulk: number of requests in flight (worker threads)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--rate-limit-retries", opts.rate_limit_retries,
                  "Bulk: times one row is re-queued after HTTP 429 (all workers pause first)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
}

void validate_bulk_options(const BulkOptions &opts) {
  if (opts.resume && opts.results_path.empty()) throw CliError(kExitUsage, "--resume needs --results FILE");
}

BulkSpec delete_by_id_spec(
    std::string operation, int32_t provider,
    std::function<ik_status(const std::string &, const ik_call_options &, ik_op_cb, void *, ik_error **)>
        start_delete) {
  BulkSpec spec;
  spec.operation = std::move(operation);
  spec.provider = provider;
  spec.start = [start_delete = std::move(start_delete)](const Row &row, const ik_call_options &co, RowDone done) {
    const std::string id = row.values().at(0);
    // A 204 deletion carries the id it was given; report the row's id either way.
    start_row_op([&](ik_op_cb cb, void *ud, ik_error **err) { return start_delete(id, co, cb, ud, err); },
                 [id, done = std::move(done)](RowOutcome o) {
                   if (o.ok) o.id = id;
                   done(std::move(o));
                 });
  };
  return spec;
}

void add_delete_command(CLI::App *parent, Runner &runner, DeleteCommand d) {
  struct St {
    std::string id, from_file;
    BulkOptions bulk;
    DeleteCommand d;
  };
  auto st = std::make_shared<St>();
  st->d = std::move(d);
  CLI::App *c = parent->add_subcommand("delete", st->d.description);
  c->add_option("id", st->id, st->d.id_help)->type_name("ID");
  c->add_option("--from-file", st->from_file, "Bulk: delete every id listed in FILE (one per line)")->type_name("FILE");
  add_bulk_options(c, st->bulk);
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      if (!st->from_file.empty()) {
        if (!st->id.empty()) throw CliError(kExitUsage, "give either an ID or --from-file, not both");
        validate_bulk_options(st->bulk);
        st->bulk.input_path = st->from_file;
        st->bulk.input_is_csv = false;
        auto del = [st, &ctx](const std::string &id, const ik_call_options &co, ik_op_cb cb, void *ud, ik_error **err) {
          return st->d.bulk_start(ctx, id, co, cb, ud, err);
        };
        return run_bulk(ctx, delete_by_id_spec(st->d.operation, st->d.provider, del), st->bulk, runner.set_cancel_hook);
      }
      if (st->id.empty()) throw CliError(kExitUsage, st->d.operation + ": an ID is required (or --from-file FILE)");
      return st->d.delete_one(ctx, st->id);
    };
  });
}

int run_list(
    Context &ctx, const ListArgs &args,
    const std::function<ik_status(const ik_list_options *, const ik_call_options *, ik_page **, ik_error **)> &list_one,
    const std::function<ik_status(const ik_list_options *, ik_pager **, ik_error **)> &make_pager) {
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = args.page_size;
  lo.max_items = args.max_items;
  lo.cursor = args.cursor.empty() ? nullptr : args.cursor.c_str();
  lo.provider_cursor = args.provider_cursor.empty() ? nullptr : args.provider_cursor.c_str();

  if (!args.all && args.max_items == 0) {
    ik_page *page = nullptr;
    ik_error *err = nullptr;
    const ik_call_options co = ctx.call_options();
    check(list_one(&lo, &co, &page, &err), &err);
    PagePtr p(page);
    print_page(ctx, p.get());
    const char *next = ik_page_next_cursor(p.get());
    if (next && *next && (ctx.verbosity > 0 || isatty(STDERR_FILENO)))
      std::fprintf(stderr, "invitekit: more results: add --cursor '%s' (or use --all)\n", next);
    return kExitOk;
  }

  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  check(make_pager(&lo, &pager, &err), &err);
  PagerPtr pg(pager);
  ItemStream stream(ctx);
  for (;;) {
    ik_page *page = nullptr;
    ik_error *perr = nullptr;
    const ik_call_options co = ctx.call_options();
    const ik_status st = ik_pager_next_page(pg.get(), &co, &page, &perr);
    if (st != IK_STATUS_OK) {
      // Tell the user how to continue exactly where this run stopped.
      BufGuard cur;
      if (ik_pager_cursor(pg.get(), &cur.buf, nullptr) == IK_STATUS_OK && cur.buf.len > 0)
        std::fprintf(stderr, "invitekit: %lld items delivered; resume with --cursor '%s'\n",
                     static_cast<long long>(ik_pager_items_delivered(pg.get())), cur.str().c_str());
      throw LibError(st, perr);
    }
    if (!page) break;
    PagePtr p(page);
    stream.page(p.get());
  }
  stream.finish();
  return kExitOk;
}

std::map<std::string, std::string> parse_kv_args(const std::vector<std::string> &args,
                                                 const std::vector<std::string> &allowed, const std::string &command) {
  std::map<std::string, std::string> out;
  for (const auto &a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CliError(kExitUsage, command + ": expected key=value, got '" + a + "'");
    const std::string key = a.substr(0, eq);
    bool ok = false;
    for (const auto &k : allowed) ok = ok || k == key;
    if (!ok) {
      std::string known;
      for (const auto &k : allowed) known += (known.empty() ? "" : ", ") + k;
      throw CliError(kExitUsage, command + ": unknown argument '" + key + "' (known: " + known + ")");
    }
    if (out.count(key)) throw CliError(kExitUsage, command + ": '" + key + "' given twice");
    out[key] = a.substr(eq + 1);
  }
  return out;
}

bool split_pair(const std::string &s, std::string *first, std::string *second) {
  const auto pos = s.rfind(':');
  if (pos == std::string::npos || pos == 0 || pos + 1 == s.size()) return false;
  *first = s.substr(0, pos);
  *second = s.substr(pos + 1);
  return true;
}

std::vector<std::string> split_list(const std::string &s, const char *seps) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    size_t b = 0, e = cur.size();
    while (b < e && (cur[b] == ' ' || cur[b] == '\t')) ++b;
    while (e > b && (cur[e - 1] == ' ' || cur[e - 1] == '\t')) --e;
    if (e > b) out.push_back(cur.substr(b, e - b));
    cur.clear();
  };
  for (char c : s) {
    if (std::strchr(seps, c))
      flush();
    else
      cur.push_back(c);
  }
  flush();
  return out;
}

void print_deletion(const Context &ctx, const std::string &object, const ik_deletion *del) {
  const char *id = ik_deletion_id(del);
  const char *obj = ik_deletion_object(del);
  const ik_optbool deleted = ik_deletion_deleted(del);
  const char *deleted_text = deleted == IK_OPTBOOL_TRUE ? "true" : deleted == IK_OPTBOOL_FALSE ? "false" : "null";
  if (ctx.format == Format::Table) {
    write_stdout(render_table({"ID", "OBJECT", "DELETED"},
                              {{id ? id : "", obj ? obj : object, deleted == IK_OPTBOOL_UNSET ? "" : deleted_text}}));
    return;
  }
  const uint8_t *data = nullptr;
  size_t len = 0;
  if (ik_deletion_raw_json(del, &data, &len)) {  // the API's own body (OpenAI)
    print_json_text(ctx, std::string_view(reinterpret_cast<const char *>(data), len));
    return;
  }
  std::string j = "{\"id\":";
  json::append_string(j, id ? id : "");
  j += ",\"object\":";
  json::append_string(j, obj ? obj : object);
  j += ",\"deleted\":";
  j += deleted_text;
  j += ",\"http_status\":" + std::to_string(ik_response_http_status(ik_deletion_response(del)));
  j += "}";
  print_json_text(ctx, j);
}

void apply_footer(CLI::App *app, const std::string &footer) {
  app->footer(footer);
  for (CLI::App *sub : app->get_subcommands({})) apply_footer(sub, footer);
}

}  // namespace ikcli
