using Microsoft.Extensions.Logging;

namespace InviteKit;

/// <summary>Settings of an <see cref="InviteKitClient"/>. Null (or zero) means "the library's default"; for
/// credentials and base URLs the vendors' environment variables apply unless <see cref="IgnoreEnvironment"/>.</summary>
public sealed class InviteKitClientOptions
{
    /// <summary>Twilio account SID ("AC…"; TWILIO_ACCOUNT_SID).</summary>
    public string? TwilioAccountSid { get; set; }
    /// <summary>Twilio auth token (TWILIO_AUTH_TOKEN).</summary>
    public string? TwilioAuthToken { get; set; }
    /// <summary>Twilio API key SID ("SK…"; TWILIO_API_KEY); used with <see cref="TwilioApiSecret"/> when both are set.</summary>
    public string? TwilioApiKey { get; set; }
    /// <summary>Twilio API key secret (TWILIO_API_SECRET).</summary>
    public string? TwilioApiSecret { get; set; }
    /// <summary>Twilio edge, one DNS label (TWILIO_EDGE).</summary>
    public string? TwilioEdge { get; set; }
    /// <summary>Twilio region, one DNS label (TWILIO_REGION).</summary>
    public string? TwilioRegion { get; set; }
    /// <summary>Replaces https://chat.twilio.com.</summary>
    public string? TwilioBaseUrl { get; set; }
    /// <summary>OpenAI admin key (OPENAI_ADMIN_KEY).</summary>
    public string? OpenAIAdminKey { get; set; }
    /// <summary>Sent as OpenAI-Organization.</summary>
    public string? OpenAIOrganization { get; set; }
    /// <summary>Sent as OpenAI-Project.</summary>
    public string? OpenAIProject { get; set; }
    /// <summary>Replaces https://api.openai.com/v1 (OPENAI_BASE_URL).</summary>
    public string? OpenAIBaseUrl { get; set; }
    /// <summary>Fastly API token (FASTLY_API_TOKEN, then FASTLY_API_KEY).</summary>
    public string? FastlyApiToken { get; set; }
    /// <summary>Replaces https://api.fastly.com (FASTLY_API_URL).</summary>
    public string? FastlyBaseUrl { get; set; }
    /// <summary>Appended to the User-Agent.</summary>
    public string? UserAgentSuffix { get; set; }
    /// <summary>Connect timeout (default 10 s).</summary>
    public TimeSpan? ConnectTimeout { get; set; }
    /// <summary>Timeout of one attempt (default 60 s).</summary>
    public TimeSpan? AttemptTimeout { get; set; }
    /// <summary>Deadline of a whole call including retries and backoff (default none).</summary>
    public TimeSpan? Deadline { get; set; }
    /// <summary>PEM bundle replacing the system CAs.</summary>
    public string? CaFile { get; set; }
    /// <summary>Proxy URL, e.g. "http://proxy:3128"; overrides the environment.</summary>
    public string? Proxy { get; set; }
    /// <summary>Largest response accepted, in bytes (default 16 MiB).</summary>
    public long? MaxResponseBytes { get; set; }
    /// <summary>Retries after the first attempt: null = the default (2), 0 = none, up to 100.</summary>
    public int? MaxRetries { get; set; }
    /// <summary>Backoff jitter.</summary>
    public Jitter Jitter { get; set; } = Jitter.Full;
    /// <summary>First backoff delay (default 500 ms).</summary>
    public TimeSpan? RetryBaseDelay { get; set; }
    /// <summary>Largest backoff delay (default 8 s).</summary>
    public TimeSpan? RetryMaxDelay { get; set; }
    /// <summary>Cap on server-directed waits (default 60 s).</summary>
    public TimeSpan? MaxServerWait { get; set; }
    /// <summary>What to do when the server asks to wait longer than <see cref="MaxServerWait"/>.</summary>
    public ServerWaitPolicy ServerWaitPolicy { get; set; }
    /// <summary>Also retry a create whose outcome is ambiguous (may create it twice).</summary>
    public bool RetryAmbiguousPosts { get; set; }
    /// <summary>Read no environment variable at all.</summary>
    public bool IgnoreEnvironment { get; set; }
    /// <summary>Ignore http_proxy/https_proxy/no_proxy.</summary>
    public bool IgnoreProxyEnvironment { get; set; }
    /// <summary>Disable TLS verification. Never in production.</summary>
    public bool InsecureSkipTlsVerify { get; set; }
    /// <summary>Connections of the non-blocking engine (default 64, at most 4096).</summary>
    public int? MaxConnections { get; set; }
    /// <summary>Run what follows an <c>await</c> of this client's <c>XxxAsync</c> tasks (and of
    /// <c>await foreach</c> over its pagers) on the library's I/O thread, where the call completes (the default),
    /// instead of queueing it to the thread pool (false). It saves two thread wake-ups per call (the thread pool's,
    /// and the I/O thread's for the next call started from there): a short call takes a quarter to a third of the CPU
    /// it takes through the pool (docs/BENCHMARKS.md). Slow or blocking continuations are safe: the client uses the library's relay mode
    /// (<c>IK_COMPLETIONS_IO_THREAD_RELAY</c>), so when one runs longer than 5 to 10 ms the I/O loop moves on to a
    /// new thread and the continuation goes on where it is. The client's other calls are held back at most that
    /// long, and a blocking wait there for another of this client's tasks (<c>.Result</c>, <c>.Wait()</c>) or a
    /// synchronous call completes. Set it to false when every continuation should run on a thread-pool thread
    /// (for example code that checks <see cref="Thread.IsThreadPoolThread"/>, or continuations that routinely run
    /// for milliseconds, each of which would then cost a thread start). A captured
    /// <see cref="SynchronizationContext"/> is honoured either way.</summary>
    public bool RunContinuationsOnIoThread { get; set; } = true;
    /// <summary>Called before each retry, on the thread running the request; return false to veto the retry
    /// (the call then fails with <see cref="CancelledBy.RetryCallback"/>). An exception it throws vetoes the retry
    /// and never reaches native code.</summary>
    public Func<RetryInfo, bool>? OnRetry { get; set; }
    /// <summary>Receives the library's log events (already redacted).</summary>
    public ILogger? Logger { get; set; }
    /// <summary>Lowest level passed to <see cref="Logger"/> (default Info).</summary>
    public InviteKitLogLevel LogLevel { get; set; } = InviteKitLogLevel.Info;
}

/// <summary>Describes a retry about to happen (argument of <see cref="InviteKitClientOptions.OnRetry"/>).</summary>
/// <param name="Provider">Provider of the call.</param>
/// <param name="Operation">Operation name, e.g. "users.fetch".</param>
/// <param name="Attempt">The attempt that just failed (1-based).</param>
/// <param name="Status">How it failed.</param>
/// <param name="HttpStatus">HTTP status, null when no response.</param>
/// <param name="Delay">The wait before the next attempt.</param>
/// <param name="ServerDirected">Whether the delay comes from a server header.</param>
public sealed record RetryInfo(Provider Provider, string? Operation, int Attempt, Status Status, int? HttpStatus,
    TimeSpan Delay, bool ServerDirected);

/// <summary>Per-call overrides of the client's settings. Null means the client's value.</summary>
public sealed class CallOptions
{
    /// <summary>Connect timeout.</summary>
    public TimeSpan? ConnectTimeout { get; set; }
    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan? AttemptTimeout { get; set; }
    /// <summary>Deadline of this call, from its start.</summary>
    public TimeSpan? Deadline { get; set; }
    /// <summary>Retries for this call; 0 = none.</summary>
    public int? MaxRetries { get; set; }
    /// <summary>Overrides <see cref="InviteKitClientOptions.RetryAmbiguousPosts"/>.</summary>
    public bool? RetryAmbiguousPosts { get; set; }
    /// <summary>Extra request headers, each "Name: value".</summary>
    public IReadOnlyList<string>? ExtraHeaders { get; set; }
}

/// <summary>Options of a list call or a pager. Page size and the number of items wanted are separate.</summary>
public sealed class ListOptions
{
    /// <summary>Items per request (null = the server's default; clamped to the endpoint's maximum).</summary>
    public int? PageSize { get; set; }
    /// <summary>Pagers stop after exactly this many items (null = no limit).</summary>
    public long? MaxItems { get; set; }
    /// <summary>Resume point: a <see cref="Page{T}.NextCursor"/> or a pager's <see cref="Pager{T}.Cursor"/>.</summary>
    public string? Cursor { get; set; }
    /// <summary>A cursor in the provider's own terms (OpenAI invite id, Fastly page number, Twilio page URL/token).</summary>
    public string? ProviderCursor { get; set; }
    /// <summary>Whether <c>await foreach</c> over the pager requests the next page as soon as a page arrives, so that
    /// the round trip overlaps the work on the current page (default true; see <see cref="Pager{T}"/>). A binding
    /// setting: the library's pager is the same either way. False gives one request per page asked for.</summary>
    public bool ReadAhead { get; set; } = true;
}

/// <summary>A project an OpenAI invitee joins.</summary>
/// <param name="Id">Project id.</param>
/// <param name="Role">"member" or "owner".</param>
public sealed record OpenAIProject(string? Id, string? Role);

/// <summary>Inputs of an OpenAI invite create.</summary>
public sealed class OpenAIInviteCreateParams
{
    /// <summary>Email address (required).</summary>
    public required string Email { get; init; }
    /// <summary>"reader" or "owner" (required).</summary>
    public required string Role { get; init; }
    /// <summary>Projects to join. Null omits the field (the default project); an empty list sends [].</summary>
    public IReadOnlyList<OpenAIProject>? Projects { get; init; }
}

/// <summary>Inputs of a Twilio user create or update. Null = not sent; "" is sent as an empty value.</summary>
public sealed class TwilioUserParams
{
    /// <summary>Identity: required for create, null for update.</summary>
    public string? Identity { get; init; }
    /// <summary>RoleSid.</summary>
    public string? RoleSid { get; init; }
    /// <summary>Attributes, JSON text.</summary>
    public string? Attributes { get; init; }
    /// <summary>FriendlyName.</summary>
    public string? FriendlyName { get; init; }
    /// <summary>X-Twilio-Webhook-Enabled; null = no header.</summary>
    public bool? WebhookEnabled { get; init; }
}

/// <summary>A Fastly service grant.</summary>
/// <param name="ServiceId">The service's id.</param>
/// <param name="Permission">"full", "read_only", "purge_select" or "purge_all".</param>
public sealed record FastlyServiceGrant(string ServiceId, string Permission);

/// <summary>Inputs of a Fastly invitation create. Null = not sent.</summary>
public sealed class FastlyInvitationCreateParams
{
    /// <summary>Email address (required).</summary>
    public required string Email { get; init; }
    /// <summary>Legacy role (user, engineer, superuser, …).</summary>
    public string? Role { get; init; }
    /// <summary>IAM role ids.</summary>
    public IReadOnlyList<string>? Roles { get; init; }
    /// <summary>limit_services.</summary>
    public bool? LimitServices { get; init; }
    /// <summary>relationships.customer.</summary>
    public string? CustomerId { get; init; }
    /// <summary>relationships.service_invitations.</summary>
    public IReadOnlyList<FastlyServiceGrant>? Services { get; init; }
}
