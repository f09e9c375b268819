// invitekit twilio ... : Chat v1 Channel Invites and Chat v2 Users.
#include "commands.hpp"
#include "output.hpp"

namespace ikcli {

namespace {

int32_t parse_webhook(const std::string &v) {
  if (v.empty()) return IK_WEBHOOK_UNSET;
  if (v == "true") return IK_WEBHOOK_ENABLED;
  if (v == "false") return IK_WEBHOOK_DISABLED;
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

void add_invite_commands(CLI::App *twilio, Runner &runner) {
  CLI::App *invites = twilio->add_subcommand("invites", "Chat v1 Channel Invites: create, get, list, delete");
  invites->require_subcommand(1);

  {
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
            for (const auto &c2 : created) items.push_back({IK_KIND_TWILIO_INVITE, c2.get()});
            print_objects(ctx, items);
            throw LibError(st, err);
          }
          created.emplace_back(inv);
        }
        std::vector<Item> items;
        for (const auto &c2 : created) items.push_back({IK_KIND_TWILIO_INVITE, c2.get()});
        print_objects(ctx, items);
        return kExitOk;
      };
    });
  }
  {
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
        check(
            ik_twilio_invite_fetch(ctx.client, a->service.c_str(), a->channel.c_str(), a->sid.c_str(), &co, &inv, &err),
            &err);
        TwilioInvitePtr owned(inv);
        print_object(ctx, {IK_KIND_TWILIO_INVITE, owned.get()});
        return kExitOk;
      };
    });
  }
  {
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
              return ik_twilio_invite_pager(ctx.client, a->service.c_str(), a->channel.c_str(), idp, ids.size(), lo,
                                            out, err);
            });
      };
    });
  }
  {
    auto a = std::make_shared<InviteArgs>();
    CLI::App *c = invites->add_subcommand("delete", "Delete an invite by SID");
    add_service_channel(c, *a);
    c->add_option("sid", a->sid, "Invite SID (IN...)")->required()->type_name("IN...");
    c->callback([a, &runner] {
      runner.action = [a](Context &ctx) {
        ik_response *resp = nullptr;
        ik_error *err = nullptr;
        const ik_call_options co = ctx.call_options();
        check(ik_twilio_invite_delete(ctx.client, a->service.c_str(), a->channel.c_str(), a->sid.c_str(), &co, &resp,
                                      &err),
              &err);
        ResponsePtr owned(resp);
        print_deleted(ctx, "twilio.chat.v1.invite", a->sid, owned.get());
        return kExitOk;
      };
    });
  }
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

void add_user_fields(CLI::App *c, UserArgs &a) {
  a.friendly_opt = c->add_option("--friendly-name", a.friendly_name, "Display name");
  a.attributes_opt =
      c->add_option("--attributes", a.attributes, "Arbitrary JSON text stored with the user")->type_name("JSON");
  c->add_option("--role", a.role, "Role SID (RL...)")->type_name("RL...");
  c->add_option("--webhook-enabled", a.webhook, "Send X-Twilio-Webhook-Enabled: true|false")
      ->check(CLI::IsMember({"true", "false"}));
}

void print_user(const Context &ctx, ik_twilio_user *u) {
  TwilioUserPtr owned(u);
  print_object(ctx, {IK_KIND_TWILIO_USER, owned.get()});
}

BulkSpec user_create_spec(const Context &ctx, const std::shared_ptr<UserArgs> &a) {
  BulkSpec spec;
  spec.operation = "twilio users create";
  spec.provider = IK_PROVIDER_TWILIO;
  spec.known_columns = {"identity", "friendly_name", "attributes", "role"};
  spec.required_columns = {"identity"};
  spec.run = [&ctx, a](const Row &row, const ik_call_options &co) {
    ik_twilio_user_params p = IK_TWILIO_USER_PARAMS_INIT;
    const std::string *identity = row.get("identity");
    p.identity = identity ? identity->c_str() : "";
    p.friendly_name = row.get_nonempty("friendly_name");
    p.attributes = row.get_nonempty("attributes");
    p.role_sid = row.get_nonempty("role");
    ik_twilio_user *u = nullptr;
    ik_error *err = nullptr;
    const ik_status st = ik_twilio_user_create(ctx.client, a->service.c_str(), &p, &co, &u, &err);
    if (st != IK_STATUS_OK) return RowOutcome::failure(st, err);
    TwilioUserPtr owned(u);
    const char *sid = ik_twilio_user_sid(owned.get());
    return RowOutcome::success(sid ? sid : "");
  };
  return spec;
}

void add_user_commands(CLI::App *twilio, Runner &runner) {
  CLI::App *users = twilio->add_subcommand("users", "Chat v2 Users: create, get, list, update, delete");
  users->require_subcommand(1);
  auto add_service = [](CLI::App *c, UserArgs &a) {
    c->add_option("--service", a.service, "Chat Service SID (IS...)")->required()->type_name("IS...");
  };

  {
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
  {
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
  {
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
  {
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
  {
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
          return run_bulk(
              ctx,
              delete_by_id_spec("twilio users delete", IK_PROVIDER_TWILIO,
                                [&ctx, a](const std::string &id, const ik_call_options &co, ik_error **err) {
                                  return ik_twilio_user_delete(ctx.client, a->service.c_str(), id.c_str(), &co, nullptr,
                                                               err);
                                }),
              a->bulk, runner.set_cancel_hook);
        }
        if (who.empty()) throw CliError(kExitUsage, "twilio users delete: a user SID or identity is required");
        ik_response *resp = nullptr;
        ik_error *err = nullptr;
        const ik_call_options co = ctx.call_options();
        check(ik_twilio_user_delete(ctx.client, a->service.c_str(), who.c_str(), &co, &resp, &err), &err);
        ResponsePtr owned(resp);
        print_deleted(ctx, "twilio.chat.v2.user", who, owned.get());
        return kExitOk;
      };
    });
  }
}

}  // namespace

void add_twilio_commands(CLI::App &app, Runner &runner) {
  CLI::App *twilio = app.add_subcommand("twilio", "Twilio Chat: v1 Channel Invites and v2 Users");
  twilio->require_subcommand(1);
  add_invite_commands(twilio, runner);
  add_user_commands(twilio, runner);
}

}  // namespace ikcli
