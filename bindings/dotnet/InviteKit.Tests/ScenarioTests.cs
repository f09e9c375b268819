using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace InviteKit.Tests;

/// <summary>Runs every tests/scenarios/*.json (format invitekit-scenario/1, tests/scenarios/README.md) through the
/// C# API against a fresh emulator per file.</summary>
public class ScenarioTests(ITestOutputHelper output)
{
    private const int MaxItems = 100_000, MaxPages = 10_000;
    private static readonly string[] FieldNames =
        { "more_info", "details", "type", "title", "detail", "instance", "param", "code", "status", "msg", "id", "meta", "errors", "content_type", "url" };

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(Path.Combine(Env.SourceRoot, "tests", "scenarios"), "*.json").OrderBy(f => f)
            .Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void AllScenarioFilesAreFound() => Assert.True(Files().Count() >= 12);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Scenario(string file)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(Env.SourceRoot, "tests", "scenarios", file)))!.AsObject();
        Assert.Equal("invitekit-scenario/1", (string?)doc["format"]);
        int seed = (int?)doc["emulator"]?["seed"] ?? 0;
        using var emu = new Emulator(seed);
        var vars = new Dictionary<string, JsonNode?> { ["emulator_url"] = emu.Url };
        var fileClient = doc["client"]?.AsObject() ?? new JsonObject();
        using var client = MakeClient(emu, fileClient, null);
        int n = 0;
        foreach (JsonNode? stepNode in doc["steps"]!.AsArray())
        {
            var step = stepNode!.AsObject();
            string label = $"{file} step {n++} '{(string?)step["name"]}' ({(string?)step["op"]})";
            try
            {
                if ((bool?)step["clear_faults"] == true) await emu.ClearFaultsAsync();
                if (step["faults"] is JsonArray faults) await emu.AddFaultsAsync(faults.Select(f => (string)f!));
                InviteKitClient? own = step["client"] is JsonObject sc ? MakeClient(emu, fileClient, sc) : null;
                JsonObject actual;
                bool ok;
                try
                {
                    var args = (JsonObject)Resolve(step["args"] ?? new JsonObject(), vars)!;
                    (ok, actual) = await RunOp(own ?? client, (string)step["op"]!, args, CallOpts(step["call"] as JsonObject),
                        NonBlocking(step, (string)step["op"]!));
                }
                finally
                {
                    own?.Dispose();
                }
                var expect = step["expect"]!.AsObject();
                string key = expect.ContainsKey("ok") ? "ok" : "error";
                var problems = new List<string>();
                if ((key == "ok") != ok)
                    problems.Add($"expected {key}, got {(ok ? "ok" : "error")}: {actual.ToJsonString()}");
                else
                    Compare(key, Resolve(expect[key], vars), actual, problems);
                Assert.True(problems.Count == 0, label + ":\n  " + string.Join("\n  ", problems));
                if (step["save"] is JsonObject save)
                    foreach (var (name, path) in save)
                    {
                        JsonNode? v = PathGet(actual, (string)path!);
                        Assert.True(v is not null, $"{label}: save {name}: {path} is missing or null");
                        vars[name] = v!.DeepClone();
                    }
            }
            finally
            {
                await emu.ClearFaultsAsync();
            }
        }
        output.WriteLine($"{file}: {n} steps passed");
    }

    // ------------------------------------------------------------------ setup

    private static InviteKitClient MakeClient(Emulator emu, JsonObject file, JsonObject? over)
    {
        JsonNode? Get(string k) => over?.ContainsKey(k) == true ? over[k] : file[k];
        long Ms(string k, long d) => (long?)Get(k) ?? d;
        var o = emu.Options();
        bool wrong = (string?)Get("credentials") == "wrong";
        if (wrong)
        {
            o.TwilioAuthToken = "wrong-twilio-token";
            o.OpenAIAdminKey = "sk-admin-wrong";
            o.FastlyApiToken = "wrong-fastly-token";
        }
        o.MaxRetries = Retries((int?)Get("max_retries") ?? -1);
        o.RetryBaseDelay = MsOpt(Ms("retry_base_delay_ms", 1));
        o.RetryMaxDelay = MsOpt(Ms("retry_max_delay_ms", 10));
        o.Jitter = ((string?)Get("jitter") ?? "none") switch { "full" => Jitter.Full, "decorrelated" => Jitter.Decorrelated, _ => Jitter.None };
        o.ConnectTimeout = MsOpt(Ms("connect_timeout_ms", 5000));
        o.AttemptTimeout = MsOpt(Ms("attempt_timeout_ms", 10000));
        o.Deadline = MsOpt(Ms("deadline_ms", 0));
        o.MaxServerWait = MsOpt(Ms("max_server_wait_ms", 0));
        o.ServerWaitPolicy = (string?)Get("server_wait_policy") == "cap" ? ServerWaitPolicy.Cap : ServerWaitPolicy.GiveUp;
        o.RetryAmbiguousPosts = (bool?)Get("retry_ambiguous_posts") ?? false;
        return new InviteKitClient(o);
    }

    /// <summary>Scenario retries (C convention: -1 none, 0 default) to the managed one (0 none, null default).</summary>
    private static int? Retries(int c) => c switch { -1 => 0, 0 => null, _ => c };

    private static TimeSpan? MsOpt(long ms) => ms == 0 ? null : TimeSpan.FromMilliseconds(ms);

    private static CallOptions? CallOpts(JsonObject? c)
    {
        if (c is null) return null;
        return new CallOptions
        {
            MaxRetries = c["max_retries"] is { } r ? Retries((int)r) : null,
            Deadline = MsOpt((long?)c["deadline_ms"] ?? 0),
            AttemptTimeout = MsOpt((long?)c["attempt_timeout_ms"] ?? 0),
            ConnectTimeout = MsOpt((long?)c["connect_timeout_ms"] ?? 0),
            RetryAmbiguousPosts = (bool?)c["retry_ambiguous_posts"],
        };
    }

    /// <summary>The step's "nonblocking" key (a boolean, default false), as the C runner reads it: true is defined
    /// for the *.ensure ops only and fails the file for any other op.</summary>
    private static bool NonBlocking(JsonObject step, string op)
    {
        bool nb = step["nonblocking"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
        if (nb && !op.EndsWith(".ensure", StringComparison.Ordinal))
            throw new InvalidOperationException("\"nonblocking\" is defined for the *.ensure ops only");
        return nb;
    }

    private static JsonNode? Resolve(JsonNode? n, Dictionary<string, JsonNode?> vars) => n switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Resolve(kv.Value, vars)))),
        JsonArray a => new JsonArray(a.Select(x => Resolve(x, vars)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && ((string)v!).StartsWith('$') =>
            vars.TryGetValue(((string)v!)[1..], out JsonNode? val) ? val?.DeepClone()
                : throw new InvalidOperationException($"undefined variable {(string)v!}"),
        null => null,
        _ => n.DeepClone(),
    };

    private static JsonNode? PathGet(JsonNode? n, string path)
    {
        foreach (string part in path.Split('.'))
        {
            n = n switch
            {
                JsonObject o => o.TryGetPropertyValue(part, out JsonNode? v) ? v : null,
                JsonArray a when int.TryParse(part, out int i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (n is null) return null;
        }
        return n;
    }

    // ------------------------------------------------------------------ operations

    private static string? S(JsonObject a, string k) => a[k] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;
    private static bool? B(JsonObject a, string k) => a[k] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (bool)v : null;
    private static List<string>? Strs(JsonObject a, string k) => a[k] is JsonArray arr ? arr.Select(x => (string)x!).ToList() : null;

    private static ListOptions ListArgs(JsonObject a) => new()
    {
        PageSize = (int?)a["page_size"] is int ps and not 0 ? ps : null,
        MaxItems = (long?)a["max_items"] is long mi and not 0 ? mi : null,
        Cursor = S(a, "cursor"),
        ProviderCursor = S(a, "provider_cursor"),
    };

    private static TwilioUserParams UserArgs(JsonObject a, bool create) => new()
    {
        Identity = create ? S(a, "identity") : null,
        RoleSid = S(a, "role_sid"),
        Attributes = S(a, "attributes"),
        FriendlyName = S(a, "friendly_name"),
        WebhookEnabled = B(a, "webhook_enabled"),
    };

    private static OpenAIInviteCreateParams OpenAIArgs(JsonObject a) => new()
    {
        Email = S(a, "email")!, Role = S(a, "role")!,
        Projects = a["projects"] is JsonArray pr ? pr.Select(p => new OpenAIProject((string?)p!["id"], (string?)p["role"])).ToList() : null,
    };

    private static FastlyInvitationCreateParams FastlyArgs(JsonObject a) => new()
    {
        Email = S(a, "email")!, Role = S(a, "role"), Roles = Strs(a, "roles"), LimitServices = B(a, "limit_services"),
        CustomerId = S(a, "customer_id"),
        Services = a["services"] is JsonArray sv ? sv.Select(s => new FastlyServiceGrant((string)s!["service_id"]!, (string)s["permission"]!)).ToList() : null,
    };

    private static async Task<(bool, JsonObject)> RunOp(InviteKitClient c, string op, JsonObject a, CallOptions? call, bool nonblocking)
    {
        try
        {
            return (true, op switch
            {
                "openai.invites.create" => OpenAI(await c.CreateOpenAIInviteAsync(OpenAIArgs(a), call), true),
                "openai.invites.retrieve" => OpenAI(await c.RetrieveOpenAIInviteAsync(S(a, "invite_id")!, call), true),
                "openai.invites.list" => PageJson(await c.ListOpenAIInvitesAsync(ListArgs(a), call), OpenAI, i => i.Id),
                "openai.invites.delete" => DeletionJson(await c.DeleteOpenAIInviteAsync(S(a, "invite_id")!, call)),
                "twilio.invites.create" => TwInvite(await c.CreateTwilioInviteAsync(S(a, "service_sid")!, S(a, "channel_sid")!, S(a, "identity")!, S(a, "role_sid"), call), true),
                "twilio.invites.fetch" => TwInvite(await c.FetchTwilioInviteAsync(S(a, "service_sid")!, S(a, "channel_sid")!, S(a, "invite_sid")!, call), true),
                "twilio.invites.list" => PageJson(await c.ListTwilioInvitesAsync(S(a, "service_sid")!, S(a, "channel_sid")!, Strs(a, "identities"), ListArgs(a), call), TwInvite, i => i.Sid),
                "twilio.invites.delete" => DeletionJson(await c.DeleteTwilioInviteAsync(S(a, "service_sid")!, S(a, "channel_sid")!, S(a, "invite_sid")!, call)),
                "twilio.users.create" => TwUser(await c.CreateTwilioUserAsync(S(a, "service_sid")!, UserArgs(a, true), call), true),
                "twilio.users.fetch" => TwUser(await c.FetchTwilioUserAsync(S(a, "service_sid")!, S(a, "sid_or_identity")!, call), true),
                "twilio.users.list" => PageJson(await c.ListTwilioUsersAsync(S(a, "service_sid")!, ListArgs(a), call), TwUser, u => u.Sid),
                "twilio.users.update" => TwUser(await c.UpdateTwilioUserAsync(S(a, "service_sid")!, S(a, "sid_or_identity")!, UserArgs(a, false), call), true),
                "twilio.users.delete" => DeletionJson(await c.DeleteTwilioUserAsync(S(a, "service_sid")!, S(a, "sid_or_identity")!, call)),
                "fastly.invitations.create" => Fastly(await c.CreateFastlyInvitationAsync(FastlyArgs(a), call), true),
                "fastly.invitations.list" => PageJson(await c.ListFastlyInvitationsAsync(ListArgs(a), call), Fastly, i => i.Id),
                "fastly.invitations.delete" => DeletionJson(await c.DeleteFastlyInvitationAsync(S(a, "invitation_id")!, call)),
                // ensure: the blocking call, or with "nonblocking" its async twin (C ik_<resource>_ensure_start)
                "openai.invites.ensure" => EnsureJson(nonblocking
                    ? await c.EnsureOpenAIInviteAsync(OpenAIArgs(a), call)
                    : c.EnsureOpenAIInvite(OpenAIArgs(a), call), OpenAI),
                "twilio.invites.ensure" => EnsureJson(nonblocking
                    ? await c.EnsureTwilioInviteAsync(S(a, "service_sid")!, S(a, "channel_sid")!, S(a, "identity")!, S(a, "role_sid"), call)
                    : c.EnsureTwilioInvite(S(a, "service_sid")!, S(a, "channel_sid")!, S(a, "identity")!, S(a, "role_sid"), call), TwInvite),
                "twilio.users.ensure" => EnsureJson(nonblocking
                    ? await c.EnsureTwilioUserAsync(S(a, "service_sid")!, UserArgs(a, true), call)
                    : c.EnsureTwilioUser(S(a, "service_sid")!, UserArgs(a, true), call), TwUser),
                "fastly.invitations.ensure" => EnsureJson(nonblocking
                    ? await c.EnsureFastlyInvitationAsync(FastlyArgs(a), call)
                    : c.EnsureFastlyInvitation(FastlyArgs(a), call), Fastly),
                "pager.items" or "pager.pages" => await PagerOp(c, op == "pager.items", a, call),
                _ => throw new InvalidOperationException("unknown op " + op),
            });
        }
        catch (InviteKitException e)
        {
            return (false, ErrorJson(e));
        }
    }

    private static async Task<JsonObject> PagerOp(InviteKitClient c, bool items, JsonObject a, CallOptions? call)
    {
        string list = S(a, "list")!;
        return list switch
        {
            "openai.invites" => await Drive(c.OpenAIInvites(ListArgs(a)), items, a, call, i => i.Id),
            "twilio.invites" => await Drive(c.TwilioInvites(S(a, "service_sid")!, S(a, "channel_sid")!, Strs(a, "identities"), ListArgs(a)), items, a, call, i => i.Sid),
            "twilio.users" => await Drive(c.TwilioUsers(S(a, "service_sid")!, ListArgs(a)), items, a, call, u => u.Sid),
            "fastly.invitations" => await Drive(c.FastlyInvitations(ListArgs(a)), items, a, call, i => i.Id),
            _ => throw new InvalidOperationException("unknown list " + list),
        };
    }

    private static async Task<JsonObject> Drive<T>(Pager<T> pager, bool items, JsonObject a, CallOptions? call, Func<T, string?> id) where T : ApiObject
    {
        using (pager)
        {
            var ids = new JsonArray();
            var pageCounts = new JsonArray();
            int count = 0;
            if (items)
            {
                long stop = (long?)a["stop_after_items"] ?? 0;
                while (count < MaxItems && (stop == 0 || count < stop))
                {
                    T? item = pager.NextItem(call); // item by item: C ik_pager_next_<kind>
                    if (item is null) break;
                    ids.Add(id(item));
                    count++;
                }
            }
            else
            {
                long stop = (long?)a["stop_after_pages"] ?? 0;
                int pages = 0;
                while (pages < MaxPages && (stop == 0 || pages < stop))
                {
                    Page<T>? page = await pager.NextPageAsync(call);
                    if (page is null) break;
                    pages++;
                    pageCounts.Add(page.Items.Count);
                    foreach (string? i in page.ItemIds) ids.Add(i);
                    count += page.Items.Count;
                }
            }
            var o = new JsonObject
            {
                ["kind"] = KindName(pager.Kind),
                ["count"] = count,
                ["item_ids"] = ids,
                ["done"] = pager.Done,
                ["items_delivered"] = pager.ItemsDelivered,
                ["cursor"] = pager.Cursor,
            };
            if (!items)
            {
                o["pages"] = pageCounts.Count;
                o["page_counts"] = pageCounts;
            }
            return o;
        }
    }

    // ------------------------------------------------------------------ actual values

    private static string KindName(ItemKind k) => k switch
    {
        ItemKind.OpenAIInvite => "IK_KIND_OPENAI_INVITE", ItemKind.TwilioInvite => "IK_KIND_TWILIO_INVITE",
        ItemKind.TwilioUser => "IK_KIND_TWILIO_USER", ItemKind.FastlyInvitation => "IK_KIND_FASTLY_INVITATION", _ => "IK_KIND_NONE",
    };

    private static JsonNode? Unix(DateTimeOffset? t) => t is null ? null : JsonValue.Create(t.Value.ToUnixTimeSeconds());
    private static JsonNode? Text(ReadOnlyMemory<byte>? b) => b is null ? null : JsonValue.Create(Encoding.UTF8.GetString(b.Value.Span));

    private static JsonObject WithResponse(JsonObject o, ResponseInfo? r, bool withResponse)
    {
        if (!withResponse || r is null) return o;
        o["http_status"] = r.HttpStatus;
        o["attempts"] = r.Attempts;
        o["request_id"] = r.RequestId;
        o["provider"] = InviteKitLibrary.ProviderName(r.Provider);
        o["ratelimit_remaining"] = r.RateLimitRemaining;
        o["ratelimit_reset_unix"] = Unix(r.RateLimitReset);
        return o;
    }

    private static JsonObject OpenAI(OpenAIInvite i, bool r) => WithResponse(new JsonObject
    {
        ["object"] = i.Object, ["id"] = i.Id, ["email"] = i.Email, ["role"] = i.Role, ["status"] = i.Status,
        ["created_at_unix"] = Unix(i.CreatedAt), ["expires_at_unix"] = Unix(i.ExpiresAt), ["accepted_at_unix"] = Unix(i.AcceptedAt),
        ["projects"] = new JsonArray(i.Projects.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["role"] = p.Role }).ToArray()),
        ["has_projects"] = i.HasProjects, ["raw_json"] = Text(i.RawJson),
    }, i.Response, r);

    private static JsonObject TwInvite(TwilioInvite i, bool r) => WithResponse(new JsonObject
    {
        ["sid"] = i.Sid, ["account_sid"] = i.AccountSid, ["channel_sid"] = i.ChannelSid, ["service_sid"] = i.ServiceSid,
        ["identity"] = i.Identity, ["role_sid"] = i.RoleSid, ["created_by"] = i.CreatedBy, ["url"] = i.Url,
        ["date_created"] = i.DateCreatedText, ["date_updated"] = i.DateUpdatedText,
        ["date_created_unix"] = Unix(i.DateCreated), ["date_updated_unix"] = Unix(i.DateUpdated), ["raw_json"] = Text(i.RawJson),
    }, i.Response, r);

    private static JsonObject TwUser(TwilioUser u, bool r) => WithResponse(new JsonObject
    {
        ["sid"] = u.Sid, ["account_sid"] = u.AccountSid, ["service_sid"] = u.ServiceSid, ["attributes"] = u.Attributes,
        ["friendly_name"] = u.FriendlyName, ["role_sid"] = u.RoleSid, ["identity"] = u.Identity,
        ["is_online"] = u.IsOnline, ["is_notifiable"] = u.IsNotifiable,
        ["date_created"] = u.DateCreatedText, ["date_updated"] = u.DateUpdatedText,
        ["date_created_unix"] = Unix(u.DateCreated), ["date_updated_unix"] = Unix(u.DateUpdated),
        ["joined_channels_count"] = u.JoinedChannelsCount, ["link_user_channels"] = u.LinkUserChannels,
        ["link_user_bindings"] = u.LinkUserBindings, ["url"] = u.Url, ["raw_json"] = Text(u.RawJson),
    }, u.Response, r);

    private static JsonObject Fastly(FastlyInvitation i, bool r) => WithResponse(new JsonObject
    {
        ["id"] = i.Id, ["type"] = i.Type, ["email"] = i.Email, ["limit_services"] = i.LimitServices, ["role"] = i.Role,
        ["roles"] = new JsonArray(i.Roles.Select(x => (JsonNode?)x).ToArray()), ["status_code"] = i.StatusCode,
        ["created_at"] = i.CreatedAtText, ["updated_at"] = i.UpdatedAtText, ["deleted_at"] = i.DeletedAtText,
        ["created_at_unix"] = Unix(i.CreatedAt), ["updated_at_unix"] = Unix(i.UpdatedAt), ["deleted_at_unix"] = Unix(i.DeletedAt),
        ["customer_id"] = i.CustomerId,
        ["service_invitations"] = new JsonArray(i.ServiceInvitations.Select(x => (JsonNode?)x).ToArray()),
        ["raw_json"] = Text(i.RawJson),
    }, i.Response, r);

    private static JsonObject PageJson<T>(Page<T> p, Func<T, bool, JsonObject> item, Func<T, string?> id) where T : ApiObject
    {
        var items = new JsonArray();
        for (int i = 0; i < p.Items.Count; i++)
        {
            JsonObject o = item(p.Items[i], false);
            o["generic_matches_typed"] = p.ItemIds[i] == id(p.Items[i]) && p.ItemRawJson[i].Span.SequenceEqual(p.Items[i].RawJson.Span);
            items.Add(o);
        }
        return WithResponse(new JsonObject
        {
            ["kind"] = KindName(p.Kind), ["count"] = p.Items.Count, ["has_more"] = p.HasMore, ["next_cursor"] = p.NextCursor,
            ["items"] = items, ["item_ids"] = new JsonArray(p.ItemIds.Select(x => (JsonNode?)x).ToArray()),
            ["openai_first_id"] = p.OpenAIFirstId, ["openai_last_id"] = p.OpenAILastId,
            ["twilio_page"] = p.TwilioPage, ["twilio_page_size"] = p.TwilioPageSize, ["twilio_key"] = p.TwilioKey,
            ["twilio_url"] = p.TwilioUrl, ["twilio_first_page_url"] = p.TwilioFirstPageUrl,
            ["twilio_previous_page_url"] = p.TwilioPreviousPageUrl, ["twilio_next_page_url"] = p.TwilioNextPageUrl,
            ["fastly_link_first"] = p.FastlyLinkFirst, ["fastly_link_last"] = p.FastlyLinkLast,
            ["fastly_link_prev"] = p.FastlyLinkPrev, ["fastly_link_next"] = p.FastlyLinkNext,
            ["fastly_current_page"] = p.FastlyCurrentPage, ["fastly_per_page"] = p.FastlyPerPage,
            ["fastly_record_count"] = p.FastlyRecordCount, ["fastly_total_pages"] = p.FastlyTotalPages,
            ["raw_json"] = Text(p.RawJson),
        }, p.Response, true);
    }

    /// <summary>An ensure's result: the object with its response fields, plus "outcome" (ik_ensure_outcome_name).</summary>
    private static JsonObject EnsureJson<T>(EnsureResult<T> r, Func<T, bool, JsonObject> item)
    {
        JsonObject o = item(r.Value, true);
        o["outcome"] = InviteKitLibrary.EnsureOutcomeName(r.Outcome);
        return o;
    }

    private static JsonObject DeletionJson(Deletion d) => WithResponse(new JsonObject
    {
        ["kind"] = KindName(d.Kind), ["id"] = d.Id, ["deleted"] = d.Deleted, ["object"] = d.Object, ["raw_json"] = Text(d.RawJson),
    }, d.Response, true);

    internal static JsonObject ErrorJson(InviteKitException e)
    {
        var fields = new JsonObject();
        foreach (string f in FieldNames) fields[f] = e.Fields.TryGetValue(f, out string? v) ? v : null;
        return new JsonObject
        {
            ["status"] = e.StatusName, ["error_status"] = e.StatusName, ["message"] = e.Message,
            ["http_status"] = e.HttpStatus ?? 0, ["provider"] = InviteKitLibrary.ProviderName(e.Provider),
            ["operation"] = e.Operation, ["provider_code"] = e.ProviderCode, ["provider_message"] = e.ProviderMessage,
            ["request_id"] = e.RequestId,
            ["retry_after_ms"] = e.RetryAfter is null ? null : JsonValue.Create((long)e.RetryAfter.Value.TotalMilliseconds),
            ["retryable"] = e.IsRetryable, ["ambiguous"] = e.IsAmbiguous, ["attempts"] = e.Attempts,
            ["transport_code"] = e.TransportCode,
            ["cancelled_by"] = e.CancelledBy switch
            {
                CancelledBy.None => "none", CancelledBy.Token => "token", CancelledBy.RetryCallback => "retry_callback",
                CancelledBy.Operation => "operation", _ => "client_free",
            },
            ["fields"] = fields, ["body"] = Text(e.Body),
        };
    }

    // ------------------------------------------------------------------ comparison

    private static readonly HashSet<string> MatcherKeys = new() { "present", "contains", "prefix", "length", "min", "max", "not" };

    private static bool IsNull(JsonNode? n) => n is null || (n is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    private static bool ScalarEquals(JsonNode? a, JsonNode? b)
    {
        if (IsNull(a) || IsNull(b)) return IsNull(a) && IsNull(b);
        if (a is not JsonValue va || b is not JsonValue vb) return false;
        var ka = va.GetValueKind();
        var kb = vb.GetValueKind();
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number) return va.GetValue<JsonElement>().GetDecimal() == ToDecimal(vb);
        if (ka != kb) return false;
        return a.ToJsonString() == b.ToJsonString();
    }

    private static decimal ToDecimal(JsonValue v) => decimal.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<string> problems)
    {
        switch (expected)
        {
            case JsonObject eo when eo.Count > 0 && eo.All(kv => MatcherKeys.Contains(kv.Key)):
                Match(path, eo, actual, problems);
                return;
            case JsonObject eo:
                if (actual is not JsonObject ao) { problems.Add($"{path}: expected an object, actual {actual?.ToJsonString() ?? "null"}"); return; }
                foreach (var (k, v) in eo)
                {
                    if (!ao.ContainsKey(k)) { problems.Add($"{path}.{k}: the actual object has no such key"); continue; }
                    Compare($"{path}.{k}", v, ao[k], problems);
                }
                return;
            case JsonArray ea:
                if (actual is not JsonArray aa || aa.Count != ea.Count)
                {
                    problems.Add($"{path}: expected an array of {ea.Count}, actual {actual?.ToJsonString() ?? "null"}");
                    return;
                }
                for (int i = 0; i < ea.Count; i++) Compare($"{path}[{i}]", ea[i], aa[i], problems);
                return;
            default:
                if (!ScalarEquals(expected, actual))
                    problems.Add($"{path}: expected {expected?.ToJsonString() ?? "null"}, actual {actual?.ToJsonString() ?? "null"}");
                return;
        }
    }

    private static void Match(string path, JsonObject m, JsonNode? actual, List<string> problems)
    {
        string act = actual?.ToJsonString() ?? "null";
        string? str = actual is JsonValue sv && sv.GetValueKind() == JsonValueKind.String ? (string?)sv : null;
        foreach (var (k, v) in m)
        {
            bool ok = k switch
            {
                "present" => (bool)v! == !IsNull(actual),
                "contains" => str is not null && str.Contains((string)v!, StringComparison.Ordinal),
                "prefix" => str is not null && str.StartsWith((string)v!, StringComparison.Ordinal),
                "length" => actual is JsonArray arr ? arr.Count == (int)v! : str is not null && Encoding.UTF8.GetByteCount(str) == (int)v!,
                "min" => actual is JsonValue a1 && a1.GetValueKind() == JsonValueKind.Number && ToDecimal(a1) >= ToDecimal((JsonValue)v!),
                "max" => actual is JsonValue a2 && a2.GetValueKind() == JsonValueKind.Number && ToDecimal(a2) <= ToDecimal((JsonValue)v!),
                "not" => !ScalarEquals(v, actual),
                _ => false,
            };
            if (!ok) problems.Add($"{path}: {k} {v?.ToJsonString() ?? "null"} does not hold for {act}");
        }
    }
}
