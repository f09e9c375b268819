// invitekit fastly ... : Fastly invitations.
#include "commands.hpp"
#include "output.hpp"
#include "sync.hpp"

namespace ikcli {

namespace {

struct Grants {
  std::vector<std::string> ids, perms;
  std::vector<ik_fastly_service_grant> refs;
};

std::string parse_grants(const std::vector<std::string> &specs, Grants *g) {
  for (const auto &s : specs) {
    std::string id, perm;
    if (!split_pair(s, &id, &perm))
      return "invalid service grant '" + s + "' (expected SERVICE_ID:full|read_only|purge_select|purge_all)";
    g->ids.push_back(id);
    g->perms.push_back(perm);
  }
  for (size_t i = 0; i < g->ids.size(); ++i) g->refs.push_back({g->ids[i].c_str(), g->perms[i].c_str()});
  return "";
}

// true/false/yes/no/1/0 (case-insensitive); "" = unset.
bool parse_bool_cell(const std::string &v, int32_t *out) {
  std::string l;
  for (char c : v) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (l.empty())
    *out = IK_OPTBOOL_UNSET;
  else if (l == "true" || l == "yes" || l == "1")
    *out = IK_OPTBOOL_TRUE;
  else if (l == "false" || l == "no" || l == "0")
    *out = IK_OPTBOOL_FALSE;
  else
    return false;
  return true;
}

struct CreateArgs {
  std::string email, role, customer, from_csv;
  std::vector<std::string> roles, services;
  bool limit_services = false;
  CLI::Option *limit_opt = nullptr;
  BulkOptions bulk;
};

// The one builder of a create (or ensure) request, from the command line or a
// row; the params point into this object (and into the strings it was given),
// which must outlive them.
struct CreateInputs {
  Grants grants;
  std::vector<std::string> role_names;
  std::vector<const char *> roles;
  ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
  std::string error;  // why a row is invalid ("" = valid)

  // From the command line; a bad --service is a usage error.
  explicit CreateInputs(const CreateArgs &a) {
    p.limit_services = (a.limit_opt && a.limit_opt->count()) ? (a.limit_services ? IK_OPTBOOL_TRUE : IK_OPTBOOL_FALSE)
                                                             : IK_OPTBOOL_UNSET;
    fill(a.email.c_str(), a.role.empty() ? nullptr : a.role.c_str(), a.roles,
         a.customer.empty() ? nullptr : a.customer.c_str(), a.services);
    if (!error.empty()) throw CliError(kExitUsage, error);
  }
  // From a row (columns email, role, roles, limit_services, customer, services).
  explicit CreateInputs(const Row &row) {
    if (const std::string *ls = row.get("limit_services"); ls && !parse_bool_cell(*ls, &p.limit_services)) {
      error = "limit_services must be true or false, got '" + *ls + "'";
      return;
    }
    const std::string *email = row.get("email");
    const char *r = row.get_nonempty("roles");
    const char *s = row.get_nonempty("services");
    fill(email ? email->c_str() : "", row.get_nonempty("role"), r ? split_list(r, ";,") : std::vector<std::string>(),
         row.get_nonempty("customer"), s ? split_list(s, ";") : std::vector<std::string>());
  }
  CreateInputs(const CreateInputs &) = delete;
  CreateInputs &operator=(const CreateInputs &) = delete;

 private:
  void fill(const char *email, const char *role, std::vector<std::string> role_list, const char *customer,
            const std::vector<std::string> &services) {
    if (error = parse_grants(services, &grants); !error.empty()) return;
    role_names = std::move(role_list);
    for (const auto &r : role_names) roles.push_back(r.c_str());
    p.email = email;
    p.role = role;
    p.roles = roles.empty() ? nullptr : roles.data();
    p.roles_count = roles.size();
    p.customer_id = customer;
    p.services = grants.refs.empty() ? nullptr : grants.refs.data();
    p.services_count = grants.refs.size();
  }
};

int create_one(Context &ctx, const CreateArgs &a) {
  const CreateInputs in(a);
  const ik_fastly_invitation_create_params &p = in.p;
  ik_fastly_invitation *inv = nullptr;
  ik_error *err = nullptr;
  const ik_call_options co = ctx.call_options();
  check(ik_fastly_invitation_create(ctx.client, &p, &co, &inv, &err), &err);
  FastlyInvitationPtr owned(inv);
  print_object(ctx, item_of(owned.get()));
  return kExitOk;
}

BulkSpec create_spec(const Context &ctx) {
  BulkSpec spec;
  spec.operation = "fastly invitations create";
  spec.provider = IK_PROVIDER_FASTLY;
  spec.known_columns = {"email", "role", "roles", "limit_services", "customer", "services"};
  spec.required_columns = {"email"};
  spec.start = [&ctx](const Row &row, const ik_call_options &co, RowDone done) {
    const CreateInputs in(row);
    if (!in.error.empty()) return done(RowOutcome::invalid(in.error));
    const ik_fastly_invitation_create_params &p = in.p;
    start_row_op(
        [&](ik_op_cb cb, void *ud, ik_error **err) {
          return ik_fastly_invitation_create_start(ctx.client, &p, &co, cb, ud, nullptr, err);
        },
        std::move(done));
  };
  return spec;
}

SyncResource sync_resource(const Context &ctx) {
  SyncResource r;
  r.operation = "fastly invitations";
  r.provider = IK_PROVIDER_FASTLY;
  r.key_column = "email";
  r.key_case_insensitive = true;
  r.columns = {"email", "role"};
  r.required = {"email"};
  r.role_column = "role";
  r.list_existing = [](const Context &c) {
    std::vector<Existing> out;
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    lo.page_size = 100;
    for_each_page(
        c, [&](ik_pager **pg, ik_error **err) { return ik_fastly_invitation_pager(c.client, &lo, pg, err); },
        [&](const ik_page *page) {
          for (size_t i = 0, n = ik_page_count(page); i < n; ++i) {
            const ik_fastly_invitation *inv = ik_page_fastly_invitation_at(page, i);
            if (ik_fastly_invitation_deleted_at(inv)) continue;  // as ik_fastly_invitation_ensure: not there
            auto str = [](const char *v) { return v ? std::string(v) : std::string(); };
            Existing e;
            e.display_key = str(ik_fastly_invitation_email(inv));
            e.key = e.display_key;
            for (char &ch : e.key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            e.id = str(ik_fastly_invitation_id(inv));
            e.role = str(ik_fastly_invitation_role(inv));
            e.pending = true;  // an invitation is pending until accepted (then it is a user)
            out.push_back(std::move(e));
          }
        });
    return out;
  };
  r.difference = [](const Row &row, const Existing &e) {
    const char *want = row.get_nonempty("role");
    return (want && e.role != want) ? "role is " + e.role + ", the file says " + want : std::string();
  };
  r.ensure = [&ctx](const Row &row, const ik_call_options &co) {
    ik_fastly_invitation_create_params p = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;
    const std::string *email = row.get("email");
    p.email = email ? email->c_str() : "";
    p.role = row.get_nonempty("role");
    ik_fastly_invitation *inv = nullptr;
    int32_t outcome = 0;
    ik_error *err = nullptr;
    const ik_status st = ik_fastly_invitation_ensure(ctx.client, &p, &co, &inv, &outcome, &err);
    if (st != IK_STATUS_OK) return RowOutcome::failure(st, err);
    FastlyInvitationPtr owned(inv);
    const char *id = ik_fastly_invitation_id(owned.get());
    RowOutcome o = RowOutcome::success(id ? id : "");
    o.outcome = ik_ensure_outcome_name(outcome);
    return o;
  };
  r.create = [&ctx](const Row &row, const ik_call_options &co) {
    return run_started_row(create_spec(ctx).start, row, co);
  };
  r.remove = [&ctx](const std::string &id, const ik_call_options &co, ik_error **err) {
    return ik_fastly_invitation_delete(ctx.client, id.c_str(), &co, nullptr, err);
  };
  return r;
}

}  // namespace

namespace {

// The options of one invitation, for create and ensure (ensure needs --email).
void add_invitation_options(CLI::App *c, CreateArgs &a, bool email_required) {
  CLI::Option *email = c->add_option("--email", a.email, "Email address of the person to invite")->type_name("EMAIL");
  if (email_required) email->required();
  c->add_option("--role", a.role, "Legacy role: user, tls_viewer, tls_admin, billing, engineer, superuser");
  c->add_option("--roles", a.roles, "IAM role ids (comma-separated or repeated)")->delimiter(',')->type_name("ID,...");
  a.limit_opt =
      c->add_flag("--limit-services", a.limit_services,
                  "Limit access to the services granted with --service (--limit-services=false to send false)");
  c->add_option("--customer", a.customer, "Customer (account) id")->type_name("ID");
  c->add_option("--service", a.services,
                "Service grant SERVICE_ID:PERMISSION (repeatable); permission: "
                "full, read_only, purge_select, purge_all")
      ->type_name("ID:PERMISSION");
}

// `invitekit fastly invitations create`.
void add_invitations_create(CLI::App *inv, Runner &runner) {
  auto a = std::make_shared<CreateArgs>();
  CLI::App *c = inv->add_subcommand("create", "Invite a user to the account (POST /invitations)");
  add_invitation_options(c, *a, false);
  c->add_option("--from-csv", a->from_csv,
                "Bulk: invite every row of a CSV file with the header email,role,roles,limit_services,customer,"
                "services (roles id;id, services id:permission;id:permission)")
      ->type_name("FILE");
  add_bulk_options(c, a->bulk);
  c->callback([a, &runner] {
    runner.action = [a, &runner](Context &ctx) {
      if (!a->from_csv.empty()) {
        if (!a->email.empty() || !a->role.empty() || !a->roles.empty() || !a->services.empty() ||
            !a->customer.empty() || a->limit_opt->count())
          throw CliError(kExitUsage, "--from-csv cannot be combined with per-invitation flags");
        validate_bulk_options(a->bulk);
        a->bulk.input_path = a->from_csv;
        a->bulk.input_is_csv = true;
        return run_bulk(ctx, create_spec(ctx), a->bulk, runner.set_cancel_hook);
      }
      if (a->email.empty())
        throw CliError(kExitUsage, "fastly invitations create: --email is required (or --from-csv FILE)");
      return create_one(ctx, *a);
    };
  });
}

// `invitekit fastly invitations ensure`.
void add_invitations_ensure(CLI::App *inv, Runner &runner) {
  auto a = std::make_shared<CreateArgs>();
  CLI::App *c = inv->add_subcommand(
      "ensure", "Invite an email exactly once: look it up among the invitations, create only if absent");
  add_invitation_options(c, *a, true);
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      const CreateInputs in(*a);
      const ik_fastly_invitation_create_params &p = in.p;
      ik_fastly_invitation *out = nullptr;
      int32_t outcome = 0;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_fastly_invitation_ensure(ctx.client, &p, &co, &out, &outcome, &err), &err);
      FastlyInvitationPtr owned(out);
      print_ensured(ctx, "fastly invitations ensure", a->email, item_of(owned.get()), outcome);
      return kExitOk;
    };
  });
}

// `invitekit fastly invitations sync`.
void add_invitations_sync(CLI::App *inv, Runner &runner) {
  auto st = std::make_shared<SyncArgs>();
  CLI::App *c = inv->add_subcommand(
      "sync", "Make the invitations match a desired file (CSV email[,role] or NDJSON): plan, --apply, --prune");
  add_sync_options(c, *st);
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      return run_sync(ctx, sync_resource(ctx), *st, runner.set_cancel_hook);
    };
  });
}

// `invitekit fastly invitations list`.
void add_invitations_list(CLI::App *inv, Runner &runner) {
  struct St {
    ListArgs list;
    int64_t page = 0;
  };
  auto st = std::make_shared<St>();
  CLI::App *c = inv->add_subcommand("list", "List invitations (GET /invitations)");
  auto *page_opt =
      c->add_option("--page", st->page, "Page number to start at (1-based)")->check(CLI::Range(int64_t{1}, INT64_MAX));
  c->add_option("--page-size", st->list.page_size, "Invitations per page (1..100; server default 20)")
      ->check(CLI::Range(1, 100000));
  auto *cur_opt =
      c->add_option("--cursor", st->list.cursor, "Resume cursor (printed by a previous run)")->type_name("CURSOR");
  page_opt->excludes(cur_opt);
  c->add_flag("--all", st->list.all, "Fetch every page, streaming NDJSON");
  c->add_option("--max-items", st->list.max_items, "Stop after N invitations")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  c->callback([st, &runner] {
    runner.action = [st](Context &ctx) {
      ListArgs args = st->list;
      // Fastly's own cursor is the page number (page[number]=).
      if (st->page > 0) args.provider_cursor = std::to_string(st->page);
      return run_list(
          ctx, args,
          [&](const ik_list_options *lo, const ik_call_options *co, ik_page **out, ik_error **err) {
            return ik_fastly_invitation_list(ctx.client, lo, co, out, err);
          },
          [&](const ik_list_options *lo, ik_pager **out, ik_error **err) {
            return ik_fastly_invitation_pager(ctx.client, lo, out, err);
          });
    };
  });
}

}  // namespace

void add_fastly_commands(CLI::App &app, Runner &runner) {
  CLI::App *fastly = app.add_subcommand("fastly", "Fastly account invitations");
  fastly->require_subcommand(1);
  CLI::App *inv = fastly->add_subcommand("invitations", "Invitations: create, ensure, list, delete, sync");
  inv->alias("invites");
  inv->require_subcommand(1);

  add_invitations_create(inv, runner);
  add_invitations_ensure(inv, runner);
  add_invitations_sync(inv, runner);
  add_invitations_list(inv, runner);
  add_delete_command(
      inv, runner,
      {"Delete an invitation (DELETE /invitations/{id})", "Invitation id", "fastly invitations delete",
       IK_PROVIDER_FASTLY,
       [](const Context &ctx, const std::string &id, const ik_call_options &co, ik_op_cb cb, void *ud, ik_error **err) {
         return ik_fastly_invitation_delete_start(ctx.client, id.c_str(), &co, cb, ud, nullptr, err);
       },
       [](Context &ctx, const std::string &id) {
         ik_deletion *del = nullptr;
         ik_error *err = nullptr;
         const ik_call_options co = ctx.call_options();
         check(ik_fastly_invitation_delete(ctx.client, id.c_str(), &co, &del, &err), &err);
         DeletionPtr owned(del);
         print_deletion(ctx, "invitation", owned.get());
         return kExitOk;
       }});
}

}  // namespace ikcli
