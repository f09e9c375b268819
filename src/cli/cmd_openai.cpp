// invitekit openai ... : OpenAI organization invites, plus the seed's verbs.
#include "commands.hpp"
#include "output.hpp"
#include "sync.hpp"

namespace ikcli {

namespace {

struct ProjectList {
  std::vector<std::string> ids, roles;
  std::vector<ik_openai_project_ref> refs;
  void build() {
    refs.clear();
    for (size_t i = 0; i < ids.size(); ++i) refs.push_back({ids[i].c_str(), roles[i].c_str()});
  }
};

// "ID:ROLE" entries; returns an error text or "".
std::string parse_projects(const std::vector<std::string> &specs, ProjectList *out) {
  for (const auto &spec : specs) {
    std::string id, role;
    if (!split_pair(spec, &id, &role)) return "invalid project '" + spec + "' (expected ID:member or ID:owner)";
    out->ids.push_back(id);
    out->roles.push_back(role);
  }
  out->build();
  return "";
}

// The one builder of a create (or ensure) request, from the command line or a
// row: fills *p (projects into *pl, which must outlive p; email and role must
// outlive it too); returns an error text or "".
std::string fill_params(const std::string &email, const std::string &role, bool projects_set,
                        const std::vector<std::string> &project_specs, ik_openai_invite_create_params *p,
                        ProjectList *pl) {
  if (std::string e = parse_projects(project_specs, pl); !e.empty()) return e;
  *p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  p->email = email.c_str();
  p->role = role.c_str();
  p->send_projects = projects_set ? IK_OPTBOOL_TRUE : IK_OPTBOOL_UNSET;
  p->projects = pl->refs.empty() ? nullptr : pl->refs.data();
  p->projects_count = pl->refs.size();
  return "";
}

// The request from the command line; a bad --project is a usage error.
ik_openai_invite_create_params create_params(const std::string &email, const std::string &role, bool projects_set,
                                             const std::vector<std::string> &project_specs, ProjectList *pl) {
  ik_openai_invite_create_params p;
  if (std::string e = fill_params(email, role, projects_set, project_specs, &p, pl); !e.empty())
    throw CliError(kExitUsage, e);
  return p;
}

int create_one(Context &ctx, const std::string &email, const std::string &role, bool projects_set,
               const std::vector<std::string> &project_specs) {
  ProjectList pl;
  const ik_openai_invite_create_params p = create_params(email, role, projects_set, project_specs, &pl);
  ik_openai_invite *inv = nullptr;
  ik_error *err = nullptr;
  const ik_call_options co = ctx.call_options();
  check(ik_openai_invite_create(ctx.client, &p, &co, &inv, &err), &err);
  OpenaiInvitePtr owned(inv);
  print_object(ctx, item_of(owned.get()));
  return kExitOk;
}

int get_one(Context &ctx, const std::string &id) {
  ik_openai_invite *inv = nullptr;
  ik_error *err = nullptr;
  const ik_call_options co = ctx.call_options();
  check(ik_openai_invite_retrieve(ctx.client, id.c_str(), &co, &inv, &err), &err);
  OpenaiInvitePtr owned(inv);
  print_object(ctx, item_of(owned.get()));
  return kExitOk;
}

int delete_one(Context &ctx, const std::string &id) {
  ik_deletion *del = nullptr;
  ik_error *err = nullptr;
  const ik_call_options co = ctx.call_options();
  check(ik_openai_invite_delete(ctx.client, id.c_str(), &co, &del, &err), &err);
  DeletionPtr owned(del);
  print_deletion(ctx, "organization.invite.deleted", owned.get());
  return kExitOk;
}

int list(Context &ctx, const ListArgs &args) {
  return run_list(
      ctx, args,
      [&](const ik_list_options *lo, const ik_call_options *co, ik_page **out, ik_error **err) {
        return ik_openai_invite_list(ctx.client, lo, co, out, err);
      },
      [&](const ik_list_options *lo, ik_pager **out, ik_error **err) {
        return ik_openai_invite_pager(ctx.client, lo, out, err);
      });
}

std::string params_from_row(const Row &row, ik_openai_invite_create_params *p, ProjectList *pl);

BulkSpec create_spec(const Context &ctx) {
  BulkSpec spec;
  spec.operation = "openai invites create";
  spec.provider = IK_PROVIDER_OPENAI;
  spec.known_columns = {"email", "role", "projects"};
  spec.required_columns = {"email", "role"};
  spec.start = [&ctx](const Row &row, const ik_call_options &co, RowDone done) {
    ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
    ProjectList pl;
    if (std::string e = params_from_row(row, &p, &pl); !e.empty()) return done(RowOutcome::invalid(e));
    start_row_op(
        [&](ik_op_cb cb, void *ud, ik_error **err) {
          return ik_openai_invite_create_start(ctx.client, &p, &co, cb, ud, nullptr, err);
        },
        std::move(done));
  };
  return spec;
}

// Fills params from a row (columns email, role, projects; "[]" = an empty
// projects list) with fill_params; returns an error text or "".
std::string params_from_row(const Row &row, ik_openai_invite_create_params *p, ProjectList *pl) {
  static const std::string kNone;
  const std::string *email = row.get("email");
  const std::string *role = row.get("role");
  const std::string *projects = row.get("projects");
  const bool projects_set = projects && !projects->empty();
  const std::vector<std::string> specs =
      projects_set && *projects != "[]" ? split_list(*projects, ";") : std::vector<std::string>();
  return fill_params(email ? *email : kNone, role ? *role : kNone, projects_set, specs, p, pl);
}

int ensure_one(Context &ctx, const std::string &email, const std::string &role, bool projects_set,
               const std::vector<std::string> &project_specs) {
  ProjectList pl;
  const ik_openai_invite_create_params p = create_params(email, role, projects_set, project_specs, &pl);
  ik_openai_invite *inv = nullptr;
  int32_t outcome = 0;
  ik_error *err = nullptr;
  const ik_call_options co = ctx.call_options();
  check(ik_openai_invite_ensure(ctx.client, &p, &co, &inv, &outcome, &err), &err);
  OpenaiInvitePtr owned(inv);
  print_ensured(ctx, "openai invites ensure", email, item_of(owned.get()), outcome);
  return kExitOk;
}

std::string projects_of(const ik_openai_invite *inv) {
  std::string out;
  for (size_t i = 0, n = ik_openai_invite_project_count(inv); i < n; ++i) {
    const char *id = nullptr, *role = nullptr;
    ik_openai_invite_project_at(inv, i, &id, &role);
    out += std::string(out.empty() ? "" : ";") + (id ? id : "") + ":" + (role ? role : "");
  }
  return out.empty() ? "[]" : normalize_pairs(out);
}

// The existing invites of a sync plan (expired ones are not there, as for ik_openai_invite_ensure).
std::vector<Existing> existing_invites(const Context &c) {
  std::vector<Existing> out;
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 100;
  for_each_page(
      c, [&](ik_pager **pg, ik_error **err) { return ik_openai_invite_pager(c.client, &lo, pg, err); },
      [&](const ik_page *page) {
        for (size_t i = 0, n = ik_page_count(page); i < n; ++i) {
          const ik_openai_invite *inv = ik_page_openai_invite_at(page, i);
          const char *status = ik_openai_invite_status(inv);
          if (status && std::string(status) == "expired") continue;  // as ik_openai_invite_ensure: not there
          Existing e;
          const char *email = ik_openai_invite_email(inv);
          e.display_key = email ? email : "";
          e.key = e.display_key;
          for (char &ch : e.key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          const char *id = ik_openai_invite_id(inv);
          e.id = id ? id : "";
          const char *role = ik_openai_invite_role(inv);
          e.role = role ? role : "";
          e.pending = status && std::string(status) == "pending";
          e.fields = {{"role", e.role}, {"projects", projects_of(inv)}};
          out.push_back(std::move(e));
        }
      });
  return out;
}

SyncResource sync_resource(const Context &ctx) {
  SyncResource r;
  r.operation = "openai invites";
  r.provider = IK_PROVIDER_OPENAI;
  r.key_column = "email";
  r.key_case_insensitive = true;
  r.columns = {"email", "role", "projects"};
  r.required = {"email", "role"};
  r.role_column = "role";
  r.list_existing = existing_invites;
  r.difference = [](const Row &row, const Existing &e) {
    std::string d;
    const std::string *role = row.get("role");
    if (role && *role != e.fields[0].second) d = "role is " + e.fields[0].second + ", the file says " + *role;
    if (const std::string *projects = row.get("projects"); projects && !projects->empty()) {
      const std::string want = normalize_pairs(*projects);
      if (want != e.fields[1].second)
        d += std::string(d.empty() ? "" : "; ") + "projects are " + e.fields[1].second + ", the file says " + want;
    }
    return d;
  };
  r.ensure = [&ctx](const Row &row, const ik_call_options &co) {
    ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
    ProjectList pl;
    if (std::string e = params_from_row(row, &p, &pl); !e.empty()) return RowOutcome::invalid(e);
    ik_openai_invite *inv = nullptr;
    int32_t outcome = 0;
    ik_error *err = nullptr;
    const ik_status st = ik_openai_invite_ensure(ctx.client, &p, &co, &inv, &outcome, &err);
    if (st != IK_STATUS_OK) return RowOutcome::failure(st, err);
    OpenaiInvitePtr owned(inv);
    const char *id = ik_openai_invite_id(owned.get());
    RowOutcome o = RowOutcome::success(id ? id : "");
    o.outcome = ik_ensure_outcome_name(outcome);
    return o;
  };
  r.create = [&ctx](const Row &row, const ik_call_options &co) {
    return run_started_row(create_spec(ctx).start, row, co);
  };
  r.remove = [&ctx](const std::string &id, const ik_call_options &co, ik_error **err) {
    return ik_openai_invite_delete(ctx.client, id.c_str(), &co, nullptr, err);
  };
  return r;
}

}  // namespace

namespace {

// `invitekit openai invites create`.
void add_invites_create(CLI::App *invites, Runner &runner) {
  struct St {
    std::string email, role, from_csv;
    std::vector<std::string> projects;
    bool no_projects = false;
    BulkOptions bulk;
  };
  auto st = std::make_shared<St>();
  CLI::App *c = invites->add_subcommand("create", "Invite a user to the organization (POST /organization/invites)");
  c->add_option("--email", st->email, "Email address of the person to invite")->type_name("EMAIL");
  c->add_option("--role", st->role, "Organization role")->check(CLI::IsMember({"reader", "owner"}));
  auto *proj = c->add_option("--project", st->projects, "Project to join, as ID:member or ID:owner (repeatable)")
                   ->type_name("ID:ROLE");
  auto *nop = c->add_flag("--no-projects", st->no_projects, "Send an empty projects list (join no project)");
  proj->excludes(nop);
  auto *csv = c->add_option("--from-csv", st->from_csv,
                            "Bulk: invite every row of a CSV file with the header email,role[,projects] "
                            "(projects as id:role;id:role; \"[]\" = empty list)")
                  ->type_name("FILE");
  add_bulk_options(c, st->bulk);
  (void)csv;
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      if (!st->from_csv.empty()) {
        if (!st->email.empty() || !st->role.empty() || !st->projects.empty() || st->no_projects)
          throw CliError(kExitUsage, "--from-csv cannot be combined with --email/--role/--project/--no-projects");
        validate_bulk_options(st->bulk);
        st->bulk.input_path = st->from_csv;
        st->bulk.input_is_csv = true;
        return run_bulk(ctx, create_spec(ctx), st->bulk, runner.set_cancel_hook);
      }
      if (st->email.empty() || st->role.empty())
        throw CliError(kExitUsage, "openai invites create: --email and --role are required (or --from-csv FILE)");
      return create_one(ctx, st->email, st->role, st->no_projects || !st->projects.empty(), st->projects);
    };
  });
}

// `invitekit openai invites ensure`.
void add_invites_ensure(CLI::App *invites, Runner &runner) {
  struct St {
    std::string email, role;
    std::vector<std::string> projects;
    bool no_projects = false;
  };
  auto st = std::make_shared<St>();
  CLI::App *c = invites->add_subcommand(
      "ensure", "Invite a user exactly once: look up by email, create only if absent (never a duplicate)");
  c->add_option("--email", st->email, "Email address of the person to invite")->required()->type_name("EMAIL");
  c->add_option("--role", st->role, "Organization role")->required()->check(CLI::IsMember({"reader", "owner"}));
  auto *proj = c->add_option("--project", st->projects, "Project to join, as ID:member or ID:owner (repeatable)")
                   ->type_name("ID:ROLE");
  auto *nop = c->add_flag("--no-projects", st->no_projects, "Send an empty projects list (join no project)");
  proj->excludes(nop);
  c->callback([st, &runner] {
    runner.action = [st](Context &ctx) {
      return ensure_one(ctx, st->email, st->role, st->no_projects || !st->projects.empty(), st->projects);
    };
  });
}

// `invitekit openai invites sync`.
void add_invites_sync(CLI::App *invites, Runner &runner) {
  auto st = std::make_shared<SyncArgs>();
  CLI::App *c = invites->add_subcommand(
      "sync", "Make the invites match a desired file (CSV email,role[,projects] or NDJSON): plan, --apply, --prune");
  add_sync_options(c, *st);
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      return run_sync(ctx, sync_resource(ctx), *st, runner.set_cancel_hook);
    };
  });
}

// `invitekit openai invites get`.
void add_invites_get(CLI::App *invites, Runner &runner) {
  auto id = std::make_shared<std::string>();
  CLI::App *c = invites->add_subcommand("get", "Retrieve an invite by id (GET /organization/invites/{id})");
  c->alias("retrieve");
  c->add_option("id", *id, "Invite id")->required()->type_name("ID");
  c->callback([id, &runner] { runner.action = [id](Context &ctx) { return get_one(ctx, *id); }; });
}

// `invitekit openai invites list`.
void add_invites_list(CLI::App *invites, Runner &runner) {
  auto args = std::make_shared<ListArgs>();
  CLI::App *c = invites->add_subcommand("list", "List invites (GET /organization/invites)");
  c->add_option("--limit,--page-size", args->page_size, "Invites per page (1..100; server default 20)")
      ->check(CLI::Range(1, 100000));
  c->add_option("--after", args->provider_cursor, "Start after this invite id (OpenAI's after=)")->type_name("ID");
  c->add_option("--cursor", args->cursor, "Resume cursor printed by a previous run")->type_name("CURSOR");
  c->add_flag("--all", args->all, "Fetch every page, streaming NDJSON (one invite per line)");
  c->add_option("--max-items", args->max_items, "Stop after N invites (implies paging through all pages)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  c->callback([args, &runner] { runner.action = [args](Context &ctx) { return list(ctx, *args); }; });
}

// `invitekit openai inviteUser` (the seed's verb).
void add_seed_invite_user(CLI::App *openai, Runner &runner) {
  auto kv = std::make_shared<std::vector<std::string>>();
  CLI::App *c = openai->add_subcommand("inviteUser",
                                       "Alias of `invites create`: inviteUser email=E role=R "
                                       "[projects=id:role;id:role]");
  c->add_option("args", *kv, "key=value arguments (email, role, projects)")->type_name("KEY=VALUE");
  c->callback([kv, &runner] {
    runner.action = [kv](Context &ctx) {
      auto m = parse_kv_args(*kv, {"email", "role", "projects"}, "inviteUser");
      if (!m.count("email") || !m.count("role"))
        throw CliError(kExitUsage, "inviteUser: email=... and role=... are required");
      const bool projects_set = m.count("projects") > 0;
      std::vector<std::string> projects;
      if (projects_set && m["projects"] != "[]") projects = split_list(m["projects"], ";,");
      return create_one(ctx, m["email"], m["role"], projects_set, projects);
    };
  });
}

// `invitekit openai listInvites` (the seed's verb).
void add_seed_list_invites(CLI::App *openai, Runner &runner) {
  auto kv = std::make_shared<std::vector<std::string>>();
  CLI::App *c = openai->add_subcommand("listInvites", "Alias of `invites list`: listInvites [limit=N] [after=ID]");
  c->add_option("args", *kv, "key=value arguments (limit, after)")->type_name("KEY=VALUE");
  c->callback([kv, &runner] {
    runner.action = [kv](Context &ctx) {
      auto m = parse_kv_args(*kv, {"limit", "after"}, "listInvites");
      ListArgs a;
      if (m.count("limit")) {
        try {
          size_t pos = 0;
          a.page_size = std::stoi(m["limit"], &pos);
          if (pos != m["limit"].size() || a.page_size < 1) throw std::invalid_argument("limit");
        } catch (const std::exception &) {
          throw CliError(kExitUsage, "listInvites: limit must be a positive integer");
        }
      }
      if (m.count("after")) a.provider_cursor = m["after"];
      return list(ctx, a);
    };
  });
}

// `invitekit openai retrieveInvite` (the seed's verb).
void add_seed_retrieve_invite(CLI::App *openai, Runner &runner) {
  auto kv = std::make_shared<std::vector<std::string>>();
  CLI::App *c = openai->add_subcommand("retrieveInvite", "Alias of `invites get`: retrieveInvite invite_id=ID");
  c->add_option("args", *kv, "key=value arguments (invite_id)")->type_name("KEY=VALUE");
  c->callback([kv, &runner] {
    runner.action = [kv](Context &ctx) {
      auto m = parse_kv_args(*kv, {"invite_id"}, "retrieveInvite");
      if (!m.count("invite_id")) throw CliError(kExitUsage, "retrieveInvite: invite_id=... is required");
      return get_one(ctx, m["invite_id"]);
    };
  });
}

// `invitekit openai deleteInvite` (the seed's verb).
void add_seed_delete_invite(CLI::App *openai, Runner &runner) {
  auto kv = std::make_shared<std::vector<std::string>>();
  CLI::App *c = openai->add_subcommand("deleteInvite", "Alias of `invites delete`: deleteInvite invite_id=ID");
  c->add_option("args", *kv, "key=value arguments (invite_id)")->type_name("KEY=VALUE");
  c->callback([kv, &runner] {
    runner.action = [kv](Context &ctx) {
      auto m = parse_kv_args(*kv, {"invite_id"}, "deleteInvite");
      if (!m.count("invite_id")) throw CliError(kExitUsage, "deleteInvite: invite_id=... is required");
      return delete_one(ctx, m["invite_id"]);
    };
  });
}

}  // namespace

void add_openai_commands(CLI::App &app, Runner &runner) {
  CLI::App *openai = app.add_subcommand("openai", "OpenAI organization invites (admin API)");
  openai->require_subcommand(1);
  CLI::App *invites =
      openai->add_subcommand("invites", "Organization invites: create, ensure, get, list, delete, sync");
  invites->require_subcommand(1);

  add_invites_create(invites, runner);
  add_invites_ensure(invites, runner);
  add_invites_sync(invites, runner);
  add_invites_get(invites, runner);
  add_invites_list(invites, runner);
  add_delete_command(
      invites, runner,
      {"Delete an invite (DELETE /organization/invites/{id})", "Invite id", "openai invites delete", IK_PROVIDER_OPENAI,
       [](const Context &ctx, const std::string &id, const ik_call_options &co, ik_op_cb cb, void *ud, ik_error **err) {
         return ik_openai_invite_delete_start(ctx.client, id.c_str(), &co, cb, ud, nullptr, err);
       },
       delete_one});

  // ---- the seed's verbs ----
  add_seed_invite_user(openai, runner);
  add_seed_list_invites(openai, runner);
  add_seed_retrieve_invite(openai, runner);
  add_seed_delete_invite(openai, runner);
}

}  // namespace ikcli
