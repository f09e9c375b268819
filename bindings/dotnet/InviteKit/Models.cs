using System.Text.Json;
using InviteKit.Native;
using static InviteKit.Native.NativeMethods;

namespace InviteKit;

/// <summary>Metadata of the HTTP exchange behind a result: status, request id, rate limits, attempts, timing.</summary>
public sealed class ResponseInfo
{
    /// <summary>HTTP status of the final attempt.</summary>
    public int HttpStatus { get; init; }
    /// <summary>Provider of the call.</summary>
    public Provider Provider { get; init; }
    /// <summary>Request id header, if any.</summary>
    public string? RequestId { get; init; }
    /// <summary>Remaining requests from the provider's rate-limit header, if sent.</summary>
    public long? RateLimitRemaining { get; init; }
    /// <summary>Rate-limit reset time (Fastly-RateLimit-Reset), if sent.</summary>
    public DateTimeOffset? RateLimitReset { get; init; }
    /// <summary>Attempts the call needed (1 = first try).</summary>
    public int Attempts { get; init; }
    /// <summary>Wall time of the whole call including retries.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Response headers in arrival order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var kv in Headers)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) return kv.Value;
        return null;
    }

    internal static unsafe ResponseInfo? From(nint r, bool withHeaders = true)
    {
        if (r == 0) return null;
        long v;
        long? remaining = ik_response_ratelimit_remaining(r, &v) != 0 ? v : null;
        DateTimeOffset? reset = Interop.Unix(ik_response_ratelimit_reset_unix(r, &v), v);
        List<KeyValuePair<string, string>>? headers = null;
        if (withHeaders)
        {
            nuint n = ik_response_header_count(r);
            headers = new List<KeyValuePair<string, string>>((int)n);
            for (nuint i = 0; i < n; i++)
            {
                nint name, value;
                if (ik_response_header_at(r, i, &name, &value) != 0)
                    headers.Add(new(Interop.Str(name) ?? "", Interop.Str(value) ?? ""));
            }
        }
        return new ResponseInfo
        {
            HttpStatus = ik_response_http_status(r),
            Provider = (Provider)ik_response_provider(r),
            RequestId = Interop.Str(ik_response_request_id(r)),
            RateLimitRemaining = remaining,
            RateLimitReset = reset,
            Attempts = ik_response_attempts(r),
            Elapsed = TimeSpan.FromMicroseconds(ik_response_elapsed_us(r)),
            Headers = (IReadOnlyList<KeyValuePair<string, string>>?)headers ?? Array.Empty<KeyValuePair<string, string>>(),
        };
    }

    /// <summary>The raw body of a response (used for pages).</summary>
    internal static unsafe byte[]? Body(nint r)
    {
        nint d; nuint n;
        return Interop.Bytes(ik_response_body(r, &d, &n), d, n);
    }
}

/// <summary>Something the API returned: its raw JSON and the exchange it came from.</summary>
public abstract class ApiObject
{
    /// <summary>The object's JSON exactly as received (for listed items, its bytes in the page body).</summary>
    public ReadOnlyMemory<byte> RawJson { get; init; }
    /// <summary>Exchange metadata; null for items of a page (see <see cref="Page{T}.Response"/>).</summary>
    public ResponseInfo? Response { get; init; }
    /// <summary>Parses <see cref="RawJson"/>.</summary>
    public JsonElement ParseRawJson() => JsonDocument.Parse(RawJson).RootElement.Clone();
}

/// <summary>An OpenAI organization invite.</summary>
public sealed class OpenAIInvite : ApiObject
{
    /// <summary>"organization.invite".</summary>
    public string? Object { get; init; }
    /// <summary>Invite id.</summary>
    public string? Id { get; init; }
    /// <summary>Email address.</summary>
    public string? Email { get; init; }
    /// <summary>"owner" or "reader".</summary>
    public string? Role { get; init; }
    /// <summary>"accepted", "expired" or "pending".</summary>
    public string? Status { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Expiry time.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Acceptance time (null while pending).</summary>
    public DateTimeOffset? AcceptedAt { get; init; }
    /// <summary>Projects (empty when the field is absent; see <see cref="HasProjects"/>).</summary>
    public IReadOnlyList<OpenAIProject> Projects { get; init; } = Array.Empty<OpenAIProject>();
    /// <summary>Whether the response carried a "projects" field at all.</summary>
    public bool HasProjects { get; init; }

    internal static unsafe OpenAIInvite From(nint p, bool withResponse)
    {
        long v; nint d; nuint n;
        nuint count = ik_openai_invite_project_count(p);
        var projects = new OpenAIProject[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            nint id, role;
            ik_openai_invite_project_at(p, i, &id, &role);
            projects[i] = new OpenAIProject(Interop.Str(id), Interop.Str(role));
        }
        return new OpenAIInvite
        {
            Object = Interop.Str(ik_openai_invite_object(p)),
            Id = Interop.Str(ik_openai_invite_id(p)),
            Email = Interop.Str(ik_openai_invite_email(p)),
            Role = Interop.Str(ik_openai_invite_role(p)),
            Status = Interop.Str(ik_openai_invite_status(p)),
            CreatedAt = Interop.Unix(ik_openai_invite_created_at_unix(p, &v), v),
            ExpiresAt = Interop.Unix(ik_openai_invite_expires_at_unix(p, &v), v),
            AcceptedAt = Interop.Unix(ik_openai_invite_accepted_at_unix(p, &v), v),
            Projects = projects,
            HasProjects = ik_openai_invite_has_projects(p) != 0,
            RawJson = Interop.Bytes(ik_openai_invite_raw_json(p, &d, &n), d, n) ?? default(ReadOnlyMemory<byte>),
            Response = withResponse ? ResponseInfo.From(ik_openai_invite_response(p)) : null,
        };
    }
}

/// <summary>A Twilio Chat v1 channel invite.</summary>
public sealed class TwilioInvite : ApiObject
{
    /// <summary>Invite SID ("IN…").</summary>
    public string? Sid { get; init; }
    /// <summary>Account SID.</summary>
    public string? AccountSid { get; init; }
    /// <summary>Channel SID.</summary>
    public string? ChannelSid { get; init; }
    /// <summary>Service SID.</summary>
    public string? ServiceSid { get; init; }
    /// <summary>Invited identity.</summary>
    public string? Identity { get; init; }
    /// <summary>Role SID.</summary>
    public string? RoleSid { get; init; }
    /// <summary>created_by.</summary>
    public string? CreatedBy { get; init; }
    /// <summary>Resource URL.</summary>
    public string? Url { get; init; }
    /// <summary>date_created as sent (ISO 8601).</summary>
    public string? DateCreatedText { get; init; }
    /// <summary>date_updated as sent (ISO 8601).</summary>
    public string? DateUpdatedText { get; init; }
    /// <summary>date_created.</summary>
    public DateTimeOffset? DateCreated { get; init; }
    /// <summary>date_updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }

    internal static unsafe TwilioInvite From(nint p, bool withResponse)
    {
        long v; nint d; nuint n;
        return new TwilioInvite
        {
            Sid = Interop.Str(ik_twilio_invite_sid(p)),
            AccountSid = Interop.Str(ik_twilio_invite_account_sid(p)),
            ChannelSid = Interop.Str(ik_twilio_invite_channel_sid(p)),
            ServiceSid = Interop.Str(ik_twilio_invite_service_sid(p)),
            Identity = Interop.Str(ik_twilio_invite_identity(p)),
            RoleSid = Interop.Str(ik_twilio_invite_role_sid(p)),
            CreatedBy = Interop.Str(ik_twilio_invite_created_by(p)),
            Url = Interop.Str(ik_twilio_invite_url(p)),
            DateCreatedText = Interop.Str(ik_twilio_invite_date_created(p)),
            DateUpdatedText = Interop.Str(ik_twilio_invite_date_updated(p)),
            DateCreated = Interop.Unix(ik_twilio_invite_date_created_unix(p, &v), v),
            DateUpdated = Interop.Unix(ik_twilio_invite_date_updated_unix(p, &v), v),
            RawJson = Interop.Bytes(ik_twilio_invite_raw_json(p, &d, &n), d, n) ?? default(ReadOnlyMemory<byte>),
            Response = withResponse ? ResponseInfo.From(ik_twilio_invite_response(p)) : null,
        };
    }
}

/// <summary>A Twilio Chat v2 user.</summary>
public sealed class TwilioUser : ApiObject
{
    /// <summary>User SID ("US…").</summary>
    public string? Sid { get; init; }
    /// <summary>Account SID.</summary>
    public string? AccountSid { get; init; }
    /// <summary>Service SID.</summary>
    public string? ServiceSid { get; init; }
    /// <summary>Attributes: JSON text exactly as returned.</summary>
    public string? Attributes { get; init; }
    /// <summary>Friendly name.</summary>
    public string? FriendlyName { get; init; }
    /// <summary>Role SID.</summary>
    public string? RoleSid { get; init; }
    /// <summary>Identity.</summary>
    public string? Identity { get; init; }
    /// <summary>is_online (null when the Reachability Indicator is off).</summary>
    public bool? IsOnline { get; init; }
    /// <summary>is_notifiable (null when the Reachability Indicator is off).</summary>
    public bool? IsNotifiable { get; init; }
    /// <summary>date_created as sent.</summary>
    public string? DateCreatedText { get; init; }
    /// <summary>date_updated as sent.</summary>
    public string? DateUpdatedText { get; init; }
    /// <summary>date_created.</summary>
    public DateTimeOffset? DateCreated { get; init; }
    /// <summary>date_updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }
    /// <summary>joined_channels_count.</summary>
    public long? JoinedChannelsCount { get; init; }
    /// <summary>links.user_channels.</summary>
    public string? LinkUserChannels { get; init; }
    /// <summary>links.user_bindings.</summary>
    public string? LinkUserBindings { get; init; }
    /// <summary>Resource URL.</summary>
    public string? Url { get; init; }

    internal static unsafe TwilioUser From(nint p, bool withResponse)
    {
        long v; nint d; nuint n;
        return new TwilioUser
        {
            Sid = Interop.Str(ik_twilio_user_sid(p)),
            AccountSid = Interop.Str(ik_twilio_user_account_sid(p)),
            ServiceSid = Interop.Str(ik_twilio_user_service_sid(p)),
            Attributes = Interop.Str(ik_twilio_user_attributes(p)),
            FriendlyName = Interop.Str(ik_twilio_user_friendly_name(p)),
            RoleSid = Interop.Str(ik_twilio_user_role_sid(p)),
            Identity = Interop.Str(ik_twilio_user_identity(p)),
            IsOnline = Interop.OptBool(ik_twilio_user_is_online(p)),
            IsNotifiable = Interop.OptBool(ik_twilio_user_is_notifiable(p)),
            DateCreatedText = Interop.Str(ik_twilio_user_date_created(p)),
            DateUpdatedText = Interop.Str(ik_twilio_user_date_updated(p)),
            DateCreated = Interop.Unix(ik_twilio_user_date_created_unix(p, &v), v),
            DateUpdated = Interop.Unix(ik_twilio_user_date_updated_unix(p, &v), v),
            JoinedChannelsCount = Interop.OptLong(ik_twilio_user_joined_channels_count(p, &v), v),
            LinkUserChannels = Interop.Str(ik_twilio_user_link_user_channels(p)),
            LinkUserBindings = Interop.Str(ik_twilio_user_link_user_bindings(p)),
            Url = Interop.Str(ik_twilio_user_url(p)),
            RawJson = Interop.Bytes(ik_twilio_user_raw_json(p, &d, &n), d, n) ?? default(ReadOnlyMemory<byte>),
            Response = withResponse ? ResponseInfo.From(ik_twilio_user_response(p)) : null,
        };
    }
}

/// <summary>A Fastly invitation.</summary>
public sealed class FastlyInvitation : ApiObject
{
    /// <summary>Invitation id.</summary>
    public string? Id { get; init; }
    /// <summary>"invitation".</summary>
    public string? Type { get; init; }
    /// <summary>Email address.</summary>
    public string? Email { get; init; }
    /// <summary>attributes.limit_services.</summary>
    public bool? LimitServices { get; init; }
    /// <summary>Legacy role.</summary>
    public string? Role { get; init; }
    /// <summary>IAM role ids.</summary>
    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();
    /// <summary>attributes.status_code (0 inactive, 1 active).</summary>
    public long? StatusCode { get; init; }
    /// <summary>created_at as sent.</summary>
    public string? CreatedAtText { get; init; }
    /// <summary>updated_at as sent.</summary>
    public string? UpdatedAtText { get; init; }
    /// <summary>deleted_at as sent.</summary>
    public string? DeletedAtText { get; init; }
    /// <summary>created_at.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>updated_at.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>deleted_at.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
    /// <summary>relationships.customer id.</summary>
    public string? CustomerId { get; init; }
    /// <summary>relationships.service_invitations ids.</summary>
    public IReadOnlyList<string> ServiceInvitations { get; init; } = Array.Empty<string>();

    internal static unsafe FastlyInvitation From(nint p, bool withResponse)
    {
        long v; nint d; nuint n;
        var roles = new string[(int)ik_fastly_invitation_role_count(p)];
        for (int i = 0; i < roles.Length; i++) roles[i] = Interop.Str(ik_fastly_invitation_role_at(p, (nuint)i)) ?? "";
        var services = new string[(int)ik_fastly_invitation_service_invitation_count(p)];
        for (int i = 0; i < services.Length; i++)
            services[i] = Interop.Str(ik_fastly_invitation_service_invitation_at(p, (nuint)i)) ?? "";
        return new FastlyInvitation
        {
            Id = Interop.Str(ik_fastly_invitation_id(p)),
            Type = Interop.Str(ik_fastly_invitation_type(p)),
            Email = Interop.Str(ik_fastly_invitation_email(p)),
            LimitServices = Interop.OptBool(ik_fastly_invitation_limit_services(p)),
            Role = Interop.Str(ik_fastly_invitation_role(p)),
            Roles = roles,
            StatusCode = Interop.OptLong(ik_fastly_invitation_status_code(p, &v), v),
            CreatedAtText = Interop.Str(ik_fastly_invitation_created_at(p)),
            UpdatedAtText = Interop.Str(ik_fastly_invitation_updated_at(p)),
            DeletedAtText = Interop.Str(ik_fastly_invitation_deleted_at(p)),
            CreatedAt = Interop.Unix(ik_fastly_invitation_created_at_unix(p, &v), v),
            UpdatedAt = Interop.Unix(ik_fastly_invitation_updated_at_unix(p, &v), v),
            DeletedAt = Interop.Unix(ik_fastly_invitation_deleted_at_unix(p, &v), v),
            CustomerId = Interop.Str(ik_fastly_invitation_customer_id(p)),
            ServiceInvitations = services,
            RawJson = Interop.Bytes(ik_fastly_invitation_raw_json(p, &d, &n), d, n) ?? default(ReadOnlyMemory<byte>),
            Response = withResponse ? ResponseInfo.From(ik_fastly_invitation_response(p)) : null,
        };
    }
}

/// <summary>The result of a delete, for every provider.</summary>
public sealed class Deletion
{
    /// <summary>Kind of the deleted object.</summary>
    public ItemKind Kind { get; init; }
    /// <summary>Id the server reported, or the id/identity the call was given.</summary>
    public string? Id { get; init; }
    /// <summary>Whether the server says it is deleted (true for a 204; OpenAI's "deleted" field).</summary>
    public bool? Deleted { get; init; }
    /// <summary>The body's "object" field (OpenAI), null without a body.</summary>
    public string? Object { get; init; }
    /// <summary>The response body (OpenAI), null for a 204.</summary>
    public ReadOnlyMemory<byte>? RawJson { get; init; }
    /// <summary>Exchange metadata.</summary>
    public ResponseInfo? Response { get; init; }

    internal static unsafe Deletion From(nint p)
    {
        nint d; nuint n;
        return new Deletion
        {
            Kind = (ItemKind)ik_deletion_kind(p),
            Id = Interop.Str(ik_deletion_id(p)),
            Deleted = Interop.OptBool(ik_deletion_deleted(p)),
            Object = Interop.Str(ik_deletion_object(p)),
            RawJson = Interop.Bytes(ik_deletion_raw_json(p, &d, &n), d, n) is { } raw ? (ReadOnlyMemory<byte>?)raw : null,
            Response = ResponseInfo.From(ik_deletion_response(p)),
        };
    }
}
