// invitekit twilio ... : Chat v1 Channel Invites and Chat v2 Users.
#include "commands.hpp"
#include "output.hpp"
#include "sync.hpp"

namespace ikcli {

namespace {

int32_t parse_webhook(const std::string &v) {
  if (v.empty()) return IK_OPTBOOL_UNSET;
  if (v == "true") return IK_OPTBOOL_TRUE;
  if (v == "false") return IK_OPTBOOL_FALSE;
  throw CliError(kExitUsage, "--webhook-enabled must be true or false");
}

// ---------------------------------------------------------------------------
// Invites
// ---------------------------------------------------------------------------
struct InviteArgs {
  std::string service, channel, role, sid;
  std::vector<std::string> identities;
  ListArgs list;
};

void add_service_channel(CLI::App *c, InviteArgs &a) {
  c->add_option("--service", a.service, "Chat Service SID (IS...)")->required()->type_name("IS...");
  c->add_option("--channel", a.channel, "Channel SID or unique name (CH...)")->required()->type_name("CH...");
}

// `invitekit twilio invites create`.
void add_invites_create(CLI::App *invites, Runner &runner) {
  auto a = std::make_shared<InviteArgs>();
  CLI::App *c = invites->add_subcommand("create", "Invite identities to a channel (one invite per --identity)");
  add_service_channel(c, *a);
  c->add_option("--identity", a->identities, "Identity of the user to invite (repeatable)")
      ->required()
      ->type_name("IDENTITY");
  c->add_option("--role", a->role, "Role SID for the new member (RL...)")->type_name("RL...");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      std::vector<TwilioInvitePtr> created;
      for (const auto &identity : a->identities) {
        ik_twilio_invite *inv = nullptr;
        ik_error *err = nullptr;
        const ik_call_options co = ctx.call_options();
        const ik_status st =
            ik_twilio_invite_create(ctx.client, a->service.c_str(), a->channel.c_str(), identity.c_str(),
                                    a->role.empty() ? nullptr : a->role.c_str(), &co, &inv, &err);
        if (st != IK_STATUS_OK) {
          // Show what was created before the failure, then report it.
          std::vector<Item> items;
          for (const auto &c2 : created) items.push_back(item_of(c2.get()));
          print_objects(ctx, items);
          throw LibError(st, err);
        }
        created.emplace_back(inv);
      }
      std::vector<Item> items;
      for (const auto &c2 : created) items.push_back(item_of(c2.get()));
      print_objects(ctx, items);
      return kExitOk;
    };
  });
}

// `invitekit twilio invites ensure`.
void add_invites_ensure(CLI::App *invites, Runner &runner) {
  auto a = std::make_shared<InviteArgs>();
  CLI::App *c = invites->add_subcommand(
      "ensure", "Invite an identity to a channel exactly once: look it up, create only if absent");
  add_service_channel(c, *a);
  a->identities.resize(1);
  c->add_option("--identity", a->identities[0], "Identity of the user to invite")->required()->type_name("IDENTITY");
  c->add_option("--role-sid,--role", a->role, "Role SID for the new member (RL...)")->type_name("RL...");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      ik_twilio_invite *inv = nullptr;
      int32_t outcome = 0;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_invite_ensure(ctx.client, a->service.c_str(), a->channel.c_str(), a->identities[0].c_str(),
                                    a->role.empty() ? nullptr : a->role.c_str(), &co, &inv, &outcome, &err),
            &err);
      TwilioInvitePtr owned(inv);
      print_ensured(ctx, "twilio invites ensure", a->identities[0], item_of(owned.get()), outcome);
      return kExitOk;
    };
  });
}

// The existing invites of a sync plan.
std::vector<Existing> existing_invites(const Context &c2, const std::string &service, const std::string &channel) {
  std::vector<Existing> out;
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 1000;
  for_each_page(
      c2,
      [&](ik_pager **pg, ik_error **err) {
        return ik_twilio_invite_pager(c2.client, service.c_str(), channel.c_str(), nullptr, 0, &lo, pg, err);
      },
      [&](const ik_page *page) {
        for (size_t i = 0, n = ik_page_count(page); i < n; ++i) {
          const ik_twilio_invite *inv = ik_page_twilio_invite_at(page, i);
          Existing e;
          const char *identity = ik_twilio_invite_identity(inv);
          e.key = e.display_key = identity ? identity : "";
          const char *sid = ik_twilio_invite_sid(inv);
          e.id = sid ? sid : "";
          const char *role = ik_twilio_invite_role_sid(inv);
          e.role = role ? role : "";
          e.pending = true;  // an accepted invite becomes a channel member
          out.push_back(std::move(e));
        }
      });
  return out;
}

// What `twilio invites sync` syncs.
SyncResource invites_sync_resource(const Context &ctx, const std::string &service, const std::string &channel) {
  SyncResource r;
  r.operation = "twilio invites";
  r.provider = IK_PROVIDER_TWILIO;
  r.key_column = "identity";
  r.columns = {"identity", "role_sid"};
  r.required = {"identity"};
  r.role_column = "role_sid";
  r.list_existing = [service, channel](const Context &c2) { return existing_invites(c2, service, channel); };
  r.difference = [](const Row &row, const Existing &e) {
    const char *want = row.get_nonempty("role_sid");
    return (want && e.role != want) ? "role_sid is " + e.role + ", the file says " + want : std::string();
  };
  r.ensure = [&ctx, service, channel](const Row &row, const ik_call_options &co) {
    const std::string *identity = row.get("identity");
    ik_twilio_invite *inv = nullptr;
    int32_t outcome = 0;
    ik_error *err = nullptr;
    const ik_status stt =
        ik_twilio_invite_ensure(ctx.client, service.c_str(), channel.c_str(), identity ? identity->c_str() : "",
                                row.get_nonempty("role_sid"), &co, &inv, &outcome, &err);
    if (stt != IK_STATUS_OK) return RowOutcome::failure(stt, err);
    TwilioInvitePtr owned(inv);
    const char *sid = ik_twilio_invite_sid(owned.get());
    RowOutcome o = RowOutcome::success(sid ? sid : "");
    o.outcome = ik_ensure_outcome_name(outcome);
    return o;
  };
  r.remove = [&ctx, service, channel](const std::string &id, const ik_call_options &co, ik_error **err) {
    return ik_twilio_invite_delete(ctx.client, service.c_str(), channel.c_str(), id.c_str(), &co, nullptr, err);
  };
  return r;
}

// `invitekit twilio invites sync`.
void add_invites_sync(CLI::App *invites, Runner &runner) {
  struct St {
    InviteArgs a;
    SyncArgs sync;
  };
  auto st = std::make_shared<St>();
  CLI::App *c = invites->add_subcommand(
      "sync", "Make a channel's invites match a desired file (CSV identity[,role_sid] or NDJSON)");
  add_service_channel(c, st->a);
  add_sync_options(c, st->sync);
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      return run_sync(ctx, invites_sync_resource(ctx, st->a.service, st->a.channel), st->sync, runner.set_cancel_hook);
    };
  });
}

// `invitekit twilio invites get`.
void add_invites_get(CLI::App *invites, Runner &runner) {
  auto a = std::make_shared<InviteArgs>();
  CLI::App *c = invites->add_subcommand("get", "Fetch an invite by SID");
  c->alias("fetch");
  add_service_channel(c, *a);
  c->add_option("sid", a->sid, "Invite SID (IN...)")->required()->type_name("IN...");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      ik_twilio_invite *inv = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_invite_fetch(ctx.client, a->service.c_str(), a->channel.c_str(), a->sid.c_str(), &co, &inv, &err),
            &err);
      TwilioInvitePtr owned(inv);
      print_object(ctx, item_of(owned.get()));
      return kExitOk;
    };
  });
}

// `invitekit twilio invites list`.
void add_invites_list(CLI::App *invites, Runner &runner) {
  auto a = std::make_shared<InviteArgs>();
  CLI::App *c = invites->add_subcommand("list", "List a channel's invites");
  add_service_channel(c, *a);
  c->add_option("--identity", a->identities, "Only invites for this identity (repeatable)")->type_name("IDENTITY");
  c->add_option("--page-size", a->list.page_size, "Invites per page (1..1000; server default 50)")
      ->check(CLI::Range(1, 100000));
  c->add_option("--cursor", a->list.cursor, "Resume cursor (printed by a previous run)")->type_name("CURSOR");
  c->add_flag("--all", a->list.all, "Fetch every page, streaming NDJSON");
  c->add_option("--max-items", a->list.max_items, "Stop after N invites")->check(CLI::Range(int64_t{1}, INT64_MAX));
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      std::vector<const char *> ids;
      for (const auto &s : a->identities) ids.push_back(s.c_str());
      const char *const *idp = ids.empty() ? nullptr : ids.data();
      return run_list(
          ctx, a->list,
          [&](const ik_list_options *lo, const ik_call_options *co, ik_page **out, ik_error **err) {
            return ik_twilio_invite_list(ctx.client, a->service.c_str(), a->channel.c_str(), idp, ids.size(), lo, co,
                                         out, err);
          },
          [&](const ik_list_options *lo, ik_pager **out, ik_error **err) {
            return ik_twilio_invite_pager(ctx.client, a->service.c_str(), a->channel.c_str(), idp, ids.size(), lo, out,
                                          err);
          });
    };
  });
}

// `invitekit twilio invites delete`.
void add_invites_delete(CLI::App *invites, Runner &runner) {
  auto a = std::make_shared<InviteArgs>();
  CLI::App *c = invites->add_subcommand("delete", "Delete an invite by SID");
  add_service_channel(c, *a);
  c->add_option("sid", a->sid, "Invite SID (IN...)")->required()->type_name("IN...");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      ik_deletion *del = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(
          ik_twilio_invite_delete(ctx.client, a->service.c_str(), a->channel.c_str(), a->sid.c_str(), &co, &del, &err),
          &err);
      DeletionPtr owned(del);
      print_deletion(ctx, "twilio.chat.v1.invite", owned.get());
      return kExitOk;
    };
  });
}

void add_invite_commands(CLI::App *twilio, Runner &runner) {
  CLI::App *invites =
      twilio->add_subcommand("invites", "Chat v1 Channel Invites: create, ensure, get, list, delete, sync");
  invites->require_subcommand(1);

  add_invites_create(invites, runner);
  add_invites_ensure(invites, runner);
  add_invites_sync(invites, runner);
  add_invites_get(invites, runner);
  add_invites_list(invites, runner);
  add_invites_delete(invites, runner);
}

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------
struct UserArgs {
  std::string service, target, identity, friendly_name, attributes, role, webhook;
  CLI::Option *friendly_opt = nullptr, *attributes_opt = nullptr, *identity_opt = nullptr;
  std::string from_csv, from_file;
  BulkOptions bulk;
  ListArgs list;

  // Fills params from the flags: a flag given as "" is sent empty; a flag not given is not sent.
  ik_twilio_user_params params(bool for_create) const {
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    if (for_create) p.identity = !identity.empty() ? identity.c_str() : target.c_str();
    p.role_sid = role.empty() ? nullptr : role.c_str();
    p.friendly_name = (friendly_opt && friendly_opt->count()) ? friendly_name.c_str() : nullptr;
    p.attributes = (attributes_opt && attributes_opt->count()) ? attributes.c_str() : nullptr;
    p.webhook_enabled = parse_webhook(webhook);
    return p;
  }
};

void add_service(CLI::App *c, UserArgs &a) {
  c->add_option("--service", a.service, "Chat Service SID (IS...)")->required()->type_name("IS...");
}

// The fields of a user (create, update, ensure); role_names: "--role", or
// "--role-sid,--role" where --role-sid is also accepted (ensure).
void add_user_fields(CLI::App *c, UserArgs &a, const char *role_names = "--role") {
  a.friendly_opt = c->add_option("--friendly-name", a.friendly_name, "Display name");
  a.attributes_opt =
      c->add_option("--attributes", a.attributes, "Arbitrary JSON text stored with the user")->type_name("JSON");
  c->add_option(role_names, a.role, "Role SID (RL...)")->type_name("RL...");
  c->add_option("--webhook-enabled", a.webhook, "Send X-Twilio-Webhook-Enabled: true|false")
      ->check(CLI::IsMember({"true", "false"}));
}

void print_user(const Context &ctx, ik_twilio_user *u) {
  TwilioUserPtr owned(u);
  print_object(ctx, item_of(owned.get()));
}

// A user's create parameters from a CSV row (bulk create: role column "role";
// sync files: "role_sid"): an empty cell is not sent. The row must outlive them.
ik_twilio_user_params user_params_of(const Row &row, const char *role_column) {
  ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
  const std::string *identity = row.get("identity");
  p.identity = identity ? identity->c_str() : "";
  p.friendly_name = row.get_nonempty("friendly_name");
  p.attributes = row.get_nonempty("attributes");
  p.role_sid = row.get_nonempty(role_column);
  return p;
}

BulkSpec user_create_spec(const Context &ctx, const std::shared_ptr<UserArgs> &a) {
  BulkSpec spec;
  spec.operation = "twilio users create";
  spec.provider = IK_PROVIDER_TWILIO;
  spec.known_columns = {"identity", "friendly_name", "attributes", "role"};
  spec.required_columns = {"identity"};
  spec.start = [&ctx, a](const Row &row, const ik_call_options &co, RowDone done) {
    const ik_twilio_user_params p = user_params_of(row, "role");
    start_row_op(
        [&](ik_op_cb cb, void *ud, ik_error **err) {
          return ik_twilio_user_create_start(ctx.client, a->service.c_str(), &p, &co, cb, ud, nullptr, err);
        },
        std::move(done));
  };
  return spec;
}

// `invitekit twilio users create`.
void add_users_create(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand("create", "Create a user (identity as argument or --identity)");
  add_service(c, *a);
  c->add_option("identity_arg", a->target, "Identity of the new user")->type_name("IDENTITY");
  a->identity_opt = c->add_option("--identity", a->identity, "Identity of the new user");
  add_user_fields(c, *a);
  c->add_option("--from-csv", a->from_csv,
                "Bulk: create every row of a CSV file with the header identity,friendly_name,attributes,role")
      ->type_name("FILE");
  add_bulk_options(c, a->bulk);
  c->callback([a, &runner] {
    runner.action = [a, &runner](Context &ctx) {
      if (!a->from_csv.empty()) {
        if (!a->target.empty() || !a->identity.empty())
          throw CliError(kExitUsage, "--from-csv cannot be combined with an identity");
        validate_bulk_options(a->bulk);
        a->bulk.input_path = a->from_csv;
        a->bulk.input_is_csv = true;
        return run_bulk(ctx, user_create_spec(ctx, a), a->bulk, runner.set_cancel_hook);
      }
      if (a->target.empty() && a->identity.empty())
        throw CliError(kExitUsage, "twilio users create: an identity is required (argument or --identity)");
      if (!a->target.empty() && !a->identity.empty() && a->target != a->identity)
        throw CliError(kExitUsage, "twilio users create: give the identity once (argument or --identity)");
      const ik_twilio_user_params p = a->params(true);
      ik_twilio_user *u = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_user_create(ctx.client, a->service.c_str(), &p, &co, &u, &err), &err);
      print_user(ctx, u);
      return kExitOk;
    };
  });
}

// `invitekit twilio users ensure`.
void add_users_ensure(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand(
      "ensure", "Create a user exactly once: fetch by identity, create only if absent (never a duplicate)");
  add_service(c, *a);
  a->identity_opt = c->add_option("--identity", a->identity, "Identity of the user")->required();
  add_user_fields(c, *a, "--role-sid,--role");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      const ik_twilio_user_params p = a->params(true);
      ik_twilio_user *u = nullptr;
      int32_t outcome = 0;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_user_ensure(ctx.client, a->service.c_str(), &p, &co, &u, &outcome, &err), &err);
      TwilioUserPtr owned(u);
      print_ensured(ctx, "twilio users ensure", a->identity, item_of(owned.get()), outcome);
      return kExitOk;
    };
  });
}

// The existing users of a sync plan.
std::vector<Existing> existing_users(const Context &c2, const std::string &service) {
  std::vector<Existing> out;
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  lo.page_size = 100;
  for_each_page(
      c2, [&](ik_pager **pg, ik_error **err) { return ik_twilio_user_pager(c2.client, service.c_str(), &lo, pg, err); },
      [&](const ik_page *page) {
        for (size_t i = 0, n = ik_page_count(page); i < n; ++i) {
          const ik_twilio_user *u = ik_page_twilio_user_at(page, i);
          auto str = [](const char *v) { return v ? std::string(v) : std::string(); };
          Existing e;
          e.key = e.display_key = str(ik_twilio_user_identity(u));
          e.id = str(ik_twilio_user_sid(u));
          e.role = str(ik_twilio_user_role_sid(u));
          e.pending = false;  // a member
          e.fields = {{"role_sid", e.role},
                      {"friendly_name", str(ik_twilio_user_friendly_name(u))},
                      {"attributes", str(ik_twilio_user_attributes(u))}};
          out.push_back(std::move(e));
        }
      });
  return out;
}

// What `twilio users sync` syncs.
SyncResource users_sync_resource(const Context &ctx, const std::string &service) {
  SyncResource r;
  r.operation = "twilio users";
  r.provider = IK_PROVIDER_TWILIO;
  r.key_column = "identity";
  r.columns = {"identity", "role_sid", "friendly_name", "attributes"};
  r.required = {"identity"};
  r.role_column = "role_sid";
  r.prune_refusal = "Twilio users are members, not invitations; delete users explicitly with `twilio users delete`";
  r.list_non_pending = true;
  r.list_existing = [service](const Context &c2) { return existing_users(c2, service); };
  r.difference = [](const Row &row, const Existing &e) {
    std::string d;
    for (const auto &[col, have] : e.fields) {
      const char *want = row.get_nonempty(col);
      if (want && have != want) d += (d.empty() ? "" : "; ") + col + " is '" + have + "', the file says '" + want + "'";
    }
    return d;
  };
  r.ensure = [&ctx, service](const Row &row, const ik_call_options &co) {
    const ik_twilio_user_params p = user_params_of(row, "role_sid");
    ik_twilio_user *u = nullptr;
    int32_t outcome = 0;
    ik_error *err = nullptr;
    const ik_status stt = ik_twilio_user_ensure(ctx.client, service.c_str(), &p, &co, &u, &outcome, &err);
    if (stt != IK_STATUS_OK) return RowOutcome::failure(stt, err);
    TwilioUserPtr owned(u);
    const char *sid = ik_twilio_user_sid(owned.get());
    RowOutcome o = RowOutcome::success(sid ? sid : "");
    o.outcome = ik_ensure_outcome_name(outcome);
    return o;
  };
  r.remove = [](const std::string &, const ik_call_options &, ik_error **) { return IK_STATUS_INVALID_ARGUMENT; };
  return r;
}

// `invitekit twilio users sync`.
void add_users_sync(CLI::App *users, Runner &runner) {
  struct St {
    UserArgs a;
    SyncArgs sync;
  };
  auto st = std::make_shared<St>();
  CLI::App *c = users->add_subcommand(
      "sync",
      "Make a service's users match a desired file (CSV identity[,role_sid,friendly_name,attributes] or NDJSON); "
      "creates only: users are members, so --prune is refused");
  add_service(c, st->a);
  add_sync_options(c, st->sync);
  c->callback([st, &runner] {
    runner.action = [st, &runner](Context &ctx) {
      return run_sync(ctx, users_sync_resource(ctx, st->a.service), st->sync, runner.set_cancel_hook);
    };
  });
}

// `invitekit twilio users get`.
void add_users_get(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand("get", "Fetch a user by SID (US...) or identity");
  c->alias("fetch");
  add_service(c, *a);
  c->add_option("sid_or_identity", a->target, "User SID or identity")->type_name("SID_OR_IDENTITY");
  c->add_option("--identity", a->identity, "User identity (instead of the argument)");
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      const std::string &who = a->target.empty() ? a->identity : a->target;
      if (who.empty()) throw CliError(kExitUsage, "twilio users get: a user SID or identity is required");
      ik_twilio_user *u = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_user_fetch(ctx.client, a->service.c_str(), who.c_str(), &co, &u, &err), &err);
      print_user(ctx, u);
      return kExitOk;
    };
  });
}

// `invitekit twilio users list`.
void add_users_list(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand("list", "List the users of a service");
  add_service(c, *a);
  c->add_option("--page-size", a->list.page_size, "Users per page (1..100; server default 50)")
      ->check(CLI::Range(1, 100000));
  c->add_option("--cursor", a->list.cursor, "Resume cursor (printed by a previous run)")->type_name("CURSOR");
  c->add_flag("--all", a->list.all, "Fetch every page, streaming NDJSON");
  c->add_option("--max-items", a->list.max_items, "Stop after N users")->check(CLI::Range(int64_t{1}, INT64_MAX));
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      return run_list(
          ctx, a->list,
          [&](const ik_list_options *lo, const ik_call_options *co, ik_page **out, ik_error **err) {
            return ik_twilio_user_list(ctx.client, a->service.c_str(), lo, co, out, err);
          },
          [&](const ik_list_options *lo, ik_pager **out, ik_error **err) {
            return ik_twilio_user_pager(ctx.client, a->service.c_str(), lo, out, err);
          });
    };
  });
}

// `invitekit twilio users update`.
void add_users_update(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand("update", "Update a user by SID or identity");
  add_service(c, *a);
  c->add_option("sid_or_identity", a->target, "User SID or identity")->type_name("SID_OR_IDENTITY");
  c->add_option("--identity", a->identity, "User identity (instead of the argument; it cannot be changed)");
  add_user_fields(c, *a);
  c->callback([a, &runner] {
    runner.action = [a](Context &ctx) {
      const std::string &who = a->target.empty() ? a->identity : a->target;
      if (who.empty()) throw CliError(kExitUsage, "twilio users update: a user SID or identity is required");
      const ik_twilio_user_params p = a->params(false);
      ik_twilio_user *u = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_user_update(ctx.client, a->service.c_str(), who.c_str(), &p, &co, &u, &err), &err);
      print_user(ctx, u);
      return kExitOk;
    };
  });
}

// `invitekit twilio users delete`.
void add_users_delete(CLI::App *users, Runner &runner) {
  auto a = std::make_shared<UserArgs>();
  CLI::App *c = users->add_subcommand("delete", "Delete a user by SID or identity");
  add_service(c, *a);
  c->add_option("sid_or_identity", a->target, "User SID or identity")->type_name("SID_OR_IDENTITY");
  c->add_option("--identity", a->identity, "User identity (instead of the argument)");
  c->add_option("--from-file", a->from_file, "Bulk: delete every SID or identity listed in FILE (one per line)")
      ->type_name("FILE");
  add_bulk_options(c, a->bulk);
  c->callback([a, &runner] {
    runner.action = [a, &runner](Context &ctx) {
      const std::string &who = a->target.empty() ? a->identity : a->target;
      if (!a->from_file.empty()) {
        if (!who.empty()) throw CliError(kExitUsage, "give either a user or --from-file, not both");
        validate_bulk_options(a->bulk);
        a->bulk.input_path = a->from_file;
        a->bulk.input_is_csv = false;
        return run_bulk(ctx,
                        delete_by_id_spec("twilio users delete", IK_PROVIDER_TWILIO,
                                          [&ctx, a](const std::string &id, const ik_call_options &co, ik_op_cb cb,
                                                    void *ud, ik_error **err) {
                                            return ik_twilio_user_delete_start(ctx.client, a->service.c_str(),
                                                                               id.c_str(), &co, cb, ud, nullptr, err);
                                          }),
                        a->bulk, runner.set_cancel_hook);
      }
      if (who.empty()) throw CliError(kExitUsage, "twilio users delete: a user SID or identity is required");
      ik_deletion *del = nullptr;
      ik_error *err = nullptr;
      const ik_call_options co = ctx.call_options();
      check(ik_twilio_user_delete(ctx.client, a->service.c_str(), who.c_str(), &co, &del, &err), &err);
      DeletionPtr owned(del);
      print_deletion(ctx, "twilio.chat.v2.user", owned.get());
      return kExitOk;
    };
  });
}

void add_user_commands(CLI::App *twilio, Runner &runner) {
  CLI::App *users = twilio->add_subcommand("users", "Chat v2 Users: create, ensure, get, list, update, delete, sync");
  users->require_subcommand(1);
  add_users_create(users, runner);
  add_users_ensure(users, runner);
  add_users_sync(users, runner);
  add_users_get(users, runner);
  add_users_list(users, runner);
  add_users_update(users, runner);
  add_users_delete(users, runner);
}

}  // namespace

void add_twilio_commands(CLI::App &app, Runner &runner) {
  CLI::App *twilio = app.add_subcommand("twilio", "Twilio Chat: v1 Channel Invites and v2 Users");
  twilio->require_subcommand(1);
  add_invite_commands(twilio, runner);
  add_user_commands(twilio, runner);
}

}  // namespace ikcli
