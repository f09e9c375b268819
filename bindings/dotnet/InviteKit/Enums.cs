namespace InviteKit;

/// <summary>invitekit status codes (<c>IK_STATUS_*</c>); the numbers are stable. Unknown values from a newer
/// library are kept as their number.</summary>
public enum Status
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>A NULL or bad argument, caught before anything was sent.</summary>
    InvalidArgument = 1,
    /// <summary>An input string is not valid UTF-8.</summary>
    InvalidUtf8 = 2,
    /// <summary>Memory allocation failed.</summary>
    NoMemory = 3,
    /// <summary>DNS, connect, reset, broken transfer, proxy.</summary>
    Transport = 4,
    /// <summary>Certificate or TLS handshake failure.</summary>
    Tls = 5,
    /// <summary>Attempt timeout or overall deadline exceeded.</summary>
    Timeout = 6,
    /// <summary>Cancelled (token, operation cancel, retry callback veto, client disposal).</summary>
    Cancelled = 7,
    /// <summary>HTTP 400.</summary>
    BadRequest = 8,
    /// <summary>HTTP 401.</summary>
    Authentication = 9,
    /// <summary>HTTP 403.</summary>
    PermissionDenied = 10,
    /// <summary>HTTP 404.</summary>
    NotFound = 11,
    /// <summary>HTTP 409.</summary>
    Conflict = 12,
    /// <summary>HTTP 422.</summary>
    Unprocessable = 13,
    /// <summary>HTTP 429.</summary>
    RateLimited = 14,
    /// <summary>HTTP 5xx.</summary>
    ServerError = 15,
    /// <summary>Any other unexpected HTTP status.</summary>
    HttpOther = 16,
    /// <summary>Malformed or unexpected response body.</summary>
    Parse = 17,
    /// <summary>The response exceeded the size limit.</summary>
    ResponseTooLarge = 18,
    /// <summary>No credentials configured for the provider.</summary>
    NoCredentials = 19,
    /// <summary>Feature not available in this build.</summary>
    Unsupported = 20,
    /// <summary>A bug in invitekit.</summary>
    Internal = 21,
    /// <summary>A blocking call made on the client's own I/O thread.</summary>
    WouldBlock = 22,
}

/// <summary>The API provider of a call or result.</summary>
public enum Provider
{
    /// <summary>No provider (argument errors not tied to one).</summary>
    None = 0,
    /// <summary>Twilio.</summary>
    Twilio = 1,
    /// <summary>OpenAI.</summary>
    OpenAI = 2,
    /// <summary>Fastly.</summary>
    Fastly = 3,
}

/// <summary>What a page or pager holds (<c>IK_KIND_*</c>).</summary>
public enum ItemKind
{
    /// <summary>No items.</summary>
    None = 0,
    /// <summary><see cref="InviteKit.OpenAIInvite"/>.</summary>
    OpenAIInvite = 1,
    /// <summary><see cref="InviteKit.TwilioInvite"/>.</summary>
    TwilioInvite = 2,
    /// <summary><see cref="InviteKit.TwilioUser"/>.</summary>
    TwilioUser = 3,
    /// <summary><see cref="InviteKit.FastlyInvitation"/>.</summary>
    FastlyInvitation = 4,
}

/// <summary>Backoff jitter between retries.</summary>
public enum Jitter
{
    /// <summary>random(0, min(cap, base·2^(n-1))) (the default).</summary>
    Full = 0,
    /// <summary>min(cap, random(base, previous·3)).</summary>
    Decorrelated = 1,
    /// <summary>min(cap, base·2^(n-1)); deterministic, for tests.</summary>
    None = 2,
}

/// <summary>What to do when a server asks to wait longer than <see cref="InviteKitClientOptions.MaxServerWait"/>.</summary>
public enum ServerWaitPolicy
{
    /// <summary>Fail at once with the rate-limit error (the default).</summary>
    GiveUp = 0,
    /// <summary>Wait the maximum, then retry.</summary>
    Cap = 1,
}

/// <summary>Who stopped a call that failed with <see cref="Status.Cancelled"/>.</summary>
public enum CancelledBy
{
    /// <summary>Not cancelled.</summary>
    None = 0,
    /// <summary>A cancel token (a synchronous call's <see cref="System.Threading.CancellationToken"/>).</summary>
    Token = 1,
    /// <summary>The retry callback vetoed a retry.</summary>
    RetryCallback = 2,
    /// <summary>The operation was cancelled (an asynchronous call's <see cref="System.Threading.CancellationToken"/>).</summary>
    Operation = 3,
    /// <summary>The client was disposed with the operation in flight.</summary>
    ClientFree = 4,
}

/// <summary>What an ensure call did (<c>IK_ENSURE_*</c>).</summary>
public enum EnsureOutcome
{
    /// <summary>Unknown (not reported).</summary>
    Unknown = 0,
    /// <summary>Already there, matching what was asked.</summary>
    Present = 1,
    /// <summary>Already there with another role or attributes (left unchanged).</summary>
    PresentDifferent = 2,
    /// <summary>Absent; this call created it.</summary>
    Created = 3,
    /// <summary>Absent; the create failed ambiguously and a second lookup found what it created.</summary>
    Recovered = 4,
}

/// <summary>Log levels of the library (<c>IK_LOG_*</c>).</summary>
public enum InviteKitLogLevel
{
    /// <summary>No logging.</summary>
    Off = 0,
    /// <summary>Errors.</summary>
    Error = 1,
    /// <summary>Warnings.</summary>
    Warn = 2,
    /// <summary>Informational events.</summary>
    Info = 3,
    /// <summary>Debugging details.</summary>
    Debug = 4,
    /// <summary>Bodies too (still redacted).</summary>
    Trace = 5,
}
